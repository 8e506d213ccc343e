//! JSON written from events, pretty (`-o json`) or on one line (a fleet's
//! JSON lines), laid out as serde_json lays it out. Besides what JSON
//! requires, every character that must not reach a terminal (DEL, C1
//! controls, bidi overrides and other invisible format characters) is
//! written as a `\u` escape: the same text to a JSON reader, and nothing a
//! terminal acts on when the output is looked at with `cat`.

use std::io::Write;

use super::events::{Events, Scalar, Stop};
use crate::terminal::is_unsafe;

/// Writes JSON to `out`.
pub struct JsonWriter<W> {
    out: W,
    pretty: bool,
    /// For each open object or list: how many members or elements so far.
    open: Vec<usize>,
    /// Whether a key was just written (its value comes next, in place).
    after_key: bool,
}

impl<W: Write> JsonWriter<W> {
    /// A writer of indented JSON (`pretty`) or JSON on one line.
    pub fn new(out: W, pretty: bool) -> Self {
        JsonWriter {
            out,
            pretty,
            open: Vec::new(),
            after_key: false,
        }
    }

    /// The output, once everything is written.
    pub fn into_inner(self) -> W {
        self.out
    }

    fn indent(&mut self) -> Result<(), Stop> {
        if self.pretty {
            self.out.write_all(b"\n")?;
            for _ in 0..self.open.len() {
                self.out.write_all(b"  ")?;
            }
        }
        Ok(())
    }

    /// What goes before a value: nothing after a key, else a comma and a
    /// new line when it is a list's next element.
    fn before_value(&mut self) -> Result<(), Stop> {
        if std::mem::take(&mut self.after_key) {
            return Ok(());
        }
        if let Some(count) = self.open.last_mut() {
            *count += 1;
            if *count > 1 {
                self.out.write_all(b",")?;
            }
            self.indent()?;
        }
        Ok(())
    }

    fn close(&mut self, bracket: &[u8]) -> Result<(), Stop> {
        let count = self.open.pop().unwrap_or(0);
        if count > 0 {
            self.indent()?;
        }
        self.out.write_all(bracket)?;
        Ok(())
    }
}

impl<W: Write> Events for JsonWriter<W> {
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), Stop> {
        self.before_value()?;
        match value {
            Scalar::Null => self.out.write_all(b"null")?,
            Scalar::Bool(b) => self.out.write_all(if b { b"true" } else { b"false" })?,
            Scalar::Int(i) => write!(self.out, "{i}")?,
            Scalar::UInt(u) => write!(self.out, "{u}")?,
            Scalar::Float(f) => self.out.write_all(float(f).as_bytes())?,
            Scalar::Str(s) => string(&mut self.out, s)?,
        }
        Ok(())
    }

    fn begin_map(&mut self) -> Result<(), Stop> {
        self.before_value()?;
        self.out.write_all(b"{")?;
        self.open.push(0);
        Ok(())
    }

    fn key(&mut self, key: &str) -> Result<(), Stop> {
        self.before_value()?;
        string(&mut self.out, key)?;
        self.out.write_all(if self.pretty { b": " } else { b":" })?;
        self.after_key = true;
        Ok(())
    }

    fn end_map(&mut self) -> Result<(), Stop> {
        self.close(b"}")
    }

    fn begin_seq(&mut self) -> Result<(), Stop> {
        self.before_value()?;
        self.out.write_all(b"[")?;
        self.open.push(0);
        Ok(())
    }

    fn end_seq(&mut self) -> Result<(), Stop> {
        self.close(b"]")
    }
}

/// A number that is not whole, as serde_json writes it (`1.5`, `1e300`).
fn float(f: f64) -> String {
    serde_json::Number::from_f64(f).map_or_else(|| "null".to_owned(), |n| n.to_string())
}

/// `s` as a JSON string.
pub fn string(out: &mut impl Write, s: &str) -> std::io::Result<()> {
    out.write_all(b"\"")?;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let escape: Option<&[u8]> = match c {
            '"' => Some(b"\\\""),
            '\\' => Some(b"\\\\"),
            '\n' => Some(b"\\n"),
            '\r' => Some(b"\\r"),
            '\t' => Some(b"\\t"),
            '\x08' => Some(b"\\b"),
            '\x0c' => Some(b"\\f"),
            _ => None,
        };
        if escape.is_none() && !is_unsafe(c) {
            continue;
        }
        out.write_all(&s.as_bytes()[start..i])?;
        match escape {
            Some(bytes) => out.write_all(bytes)?,
            None => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(out, "\\u{unit:04x}")?;
                }
            }
        }
        start = i + c.len_utf8();
    }
    out.write_all(&s.as_bytes()[start..])?;
    out.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use super::super::events::{emit, walk};
    use super::*;
    use serde_json::{Value, json};
    use std::borrow::Cow;

    fn write(text: &str, pretty: bool) -> String {
        let mut writer = JsonWriter::new(Vec::new(), pretty);
        walk(text, &|s: &str| Cow::Borrowed(s), &mut writer, None).unwrap();
        String::from_utf8(writer.into_inner()).unwrap()
    }

    #[test]
    fn laid_out_as_serde_json_lays_it_out() {
        let value = json!({"a": [1, -2, 1.5, 1e300, null, true, "x"], "b": {}, "c": [], "d": {"e": {"f": [[]]}}, "é": "ü"});
        let text = value.to_string();
        assert_eq!(
            write(&text, true),
            serde_json::to_string_pretty(&value).unwrap()
        );
        assert_eq!(write(&text, false), text);
    }

    #[test]
    fn what_a_terminal_acts_on_is_escaped_and_the_json_the_same() {
        let value = json!({"k\u{1b}": "\u{1b}]0;pwned\u{7}\u{7f}\u{9b}\u{202e}\u{e0041}\"\\\n"});
        let mut writer = JsonWriter::new(Vec::new(), false);
        emit(&value, &|s: &str| Cow::Borrowed(s), &mut writer).unwrap();
        let text = String::from_utf8(writer.into_inner()).unwrap();
        assert_eq!(
            text,
            r#"{"k\u001b":"\u001b]0;pwned\u0007\u007f\u009b\u202e\udb40\udc41\"\\\n"}"#
        );
        assert!(!text.chars().any(|c| c.is_control() || is_unsafe(c)));
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    }
}
