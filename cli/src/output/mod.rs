//! Replies as text: JSON, YAML, a table for lists, or the body as received.
//!
//! Every format is written as the reply is read, from the body's text
//! (`events.rs`), never from a tree of the whole reply: memory stays near
//! the size of the body, and of one page with `--all-pages`, whose later
//! pages are read as the writer reaches them. Nothing a server sent
//! reaches the output as a control sequence (see `terminal.rs`), and no
//! form of a secret the call sent reaches it at all.

pub mod events;
pub mod json;
pub mod table;
pub mod yaml;

use std::io::Write;

use serde_json::value::RawValue;
use whm_runtime::RawReply;

use crate::call::Failure;
use crate::terminal::visible_lines;
use events::{Clean, Events, Splice, Stop};

/// How replies are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The payload as JSON (the default when the output is not a terminal).
    Json,
    /// The payload as YAML.
    Yaml,
    /// A table of a list's records (the default on a terminal for lists).
    Table,
    /// The body as the server sent it (secrets masked; escaped on a terminal).
    Raw,
}

/// How a call's reply is printed.
#[derive(Debug, Clone)]
pub struct Printing<'a> {
    /// `--output`, when given.
    pub format: Option<Format>,
    /// `--columns`.
    pub columns: &'a [String],
    /// Whether standard output is a terminal.
    pub terminal: bool,
    /// Where a list function keeps its records in the payload (keys).
    pub list: Option<Vec<String>>,
    /// The width a table may take.
    pub width: usize,
}

/// Later pages of a listing, read when needed.
pub type NextPage<'n> = &'n mut dyn FnMut() -> Option<Result<RawReply, Failure>>;

/// The keys of a JSON pointer (`/acct` is `["acct"]`).
pub fn pointer_keys(pointer: &str) -> Vec<String> {
    whm_runtime::wire::pointer::tokens(pointer)
        .map(|t| t.into_owned())
        .collect()
}

/// What masks every form of the call's secrets in what `reply` holds.
fn cleaner(reply: &RawReply) -> impl for<'s> Fn(&'s str) -> std::borrow::Cow<'s, str> + '_ {
    move |s| reply.redact(s)
}

/// The payload of a successful reply, as text.
fn payload(reply: &RawReply) -> Result<&str, Stop> {
    reply
        .data_as::<&RawValue>()
        .map(|r| r.data.get())
        .map_err(|e| Stop::Read(e.to_string(), crate::call::status_of(&e)))
}

/// The text of the list at `keys` in `payload`, when there is one there.
fn list_in<'t>(payload: &'t str, keys: Option<&[String]>) -> Result<Option<&'t str>, Stop> {
    let Some(keys) = keys else {
        return Ok(None);
    };
    Ok(events::find(payload, keys)?.filter(|t| t.trim_start().starts_with('[')))
}

/// A later page, or why the listing stopped there.
fn next_page(next: NextPage<'_>) -> Result<Option<RawReply>, Stop> {
    match next() {
        None => Ok(None),
        Some(Ok(page)) => Ok(Some(page)),
        Some(Err(failure)) => Err(Stop::Read(failure.message(), failure.status())),
    }
}

/// Prints `first` (a successful reply) as `how` says, and every later
/// page `next` gives.
pub fn print(
    out: &mut dyn Write,
    first: &RawReply,
    next: NextPage<'_>,
    how: &Printing<'_>,
) -> Result<(), Stop> {
    let clean = cleaner(first);
    let clean: Clean<'_> = &clean;
    let text = payload(first)?;
    let list = list_in(text, how.list.as_deref())?;
    let format = how.format.unwrap_or(match (how.terminal, list) {
        (true, Some(_)) => Format::Table,
        _ => Format::Json,
    });
    match format {
        Format::Raw => {
            raw(out, first, how.terminal)?;
            while let Some(page) = next_page(next)? {
                raw(out, &page, how.terminal)?;
            }
        }
        Format::Json => {
            let mut writer = json::JsonWriter::new(&mut *out, true);
            spliced(text, clean, &mut writer, how, next)?;
            out.write_all(b"\n")?;
        }
        Format::Yaml => {
            let mut writer = yaml::YamlWriter::new(&mut *out);
            spliced(text, clean, &mut writer, how, next)?;
        }
        Format::Table => match list {
            Some(list) => {
                let mut table = table::Table::new(&mut *out, clean, how.columns, how.width);
                events::each_element(list, &mut |r| table.push(r))?;
                while let Some(page) = next_page(next)? {
                    if let Some(list) = list_in(payload(&page)?, how.list.as_deref())? {
                        events::each_element(list, &mut |r| table.push(r))?;
                    }
                }
                table.finish()?;
            }
            None => {
                let value: serde_json::Value = serde_json::from_str(text)
                    .map_err(|e| Stop::Read(format!("the payload cannot be read: {e}"), 4))?;
                match table::key_values(&value, clean) {
                    Some(text) => out.write_all(text.as_bytes())?,
                    None => {
                        let mut writer = json::JsonWriter::new(&mut *out, true);
                        events::emit(&value, clean, &mut writer)?;
                        out.write_all(b"\n")?;
                    }
                }
            }
        },
    }
    out.flush()?;
    Ok(())
}

/// Writes the payload `text` as events, later pages' records spliced into
/// its list.
fn spliced(
    text: &str,
    clean: Clean<'_>,
    sink: &mut dyn Events,
    how: &Printing<'_>,
    next: NextPage<'_>,
) -> Result<(), Stop> {
    let Some(keys) = how.list.as_deref() else {
        return events::walk(text, clean, sink, None);
    };
    let mut more = |sink: &mut dyn Events| {
        while let Some(page) = next_page(&mut *next)? {
            if let Some(list) = list_in(payload(&page)?, Some(keys))? {
                events::walk_elements(list, clean, sink)?;
            }
        }
        Ok(())
    };
    events::walk(
        text,
        clean,
        sink,
        Some(Splice {
            pointer: keys,
            more: &mut more,
        }),
    )
}

/// The body as the server sent it, every form of the call's secrets
/// masked; on a terminal, each line made visible.
pub fn raw(out: &mut dyn Write, reply: &RawReply, terminal: bool) -> Result<(), Stop> {
    let bytes = reply.redact_bytes(reply.bytes());
    if terminal {
        let text = String::from_utf8_lossy(&bytes);
        out.write_all(visible_lines(&text).as_bytes())?;
    } else {
        out.write_all(&bytes)?;
    }
    if !bytes.ends_with(b"\n") {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// One server's outcome as a JSON line: `{"server": ..., "ok": true,
/// "data": ...}` or `{"server": ..., "ok": false, "error": {"message":
/// ..., "status": N}}`.
pub fn json_line(
    out: &mut dyn Write,
    server: &str,
    outcome: Result<Vec<RawReply>, Failure>,
    list: Option<&[String]>,
) -> Result<(), Stop> {
    use events::Scalar;
    let mut writer = json::JsonWriter::new(&mut *out, false);
    writer.begin_map()?;
    writer.key("server")?;
    writer.scalar(Scalar::Str(server))?;
    match outcome {
        Ok(pages) => {
            writer.key("ok")?;
            writer.scalar(Scalar::Bool(true))?;
            writer.key("data")?;
            let mut pages = pages.into_iter();
            match pages.next() {
                Some(first) => {
                    let clean = cleaner(&first);
                    let mut next = || pages.next().map(Ok);
                    let how = Printing {
                        format: Some(Format::Json),
                        columns: &[],
                        terminal: false,
                        list: list.map(<[String]>::to_vec),
                        width: 0,
                    };
                    spliced(payload(&first)?, &clean, &mut writer, &how, &mut next)?;
                }
                None => writer.scalar(Scalar::Null)?,
            }
        }
        Err(failure) => {
            writer.key("ok")?;
            writer.scalar(Scalar::Bool(false))?;
            writer.key("error")?;
            writer.begin_map()?;
            writer.key("message")?;
            writer.scalar(Scalar::Str(&failure.message()))?;
            writer.key("status")?;
            writer.scalar(Scalar::UInt(failure.status().into()))?;
            writer.end_map()?;
        }
    }
    writer.end_map()?;
    out.write_all(b"\n")?;
    Ok(())
}

/// A payload in a few words, for a fleet table's cell: its JSON on one
/// line, cut at `columns`.
pub fn summary(pages: &[RawReply], columns: usize) -> String {
    let Some(first) = pages.first() else {
        return String::new();
    };
    let Ok(text) = payload(first) else {
        return String::new();
    };
    // Only the start is shown: writing stops once there is enough.
    let mut shown = Capped(Vec::new(), columns * 4 + 8);
    let clean = cleaner(first);
    let mut writer = json::JsonWriter::new(&mut shown, false);
    let _ = events::walk(text, &clean, &mut writer, None);
    let text = String::from_utf8_lossy(&shown.0).into_owned();
    crate::terminal::cut(&text, columns).into_owned()
}

/// A buffer that refuses what goes past its size.
struct Capped(Vec<u8>, usize);

impl Write for Capped {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let room = self.1.saturating_sub(self.0.len());
        if room == 0 {
            return Err(std::io::Error::other("enough"));
        }
        let taken = bytes.len().min(room);
        self.0.extend_from_slice(&bytes[..taken]);
        Ok(taken)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
