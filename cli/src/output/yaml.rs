//! YAML written from events, in block style (`-o yaml`).
//!
//! Written here rather than with yaml-rust2's emitter, which needs the
//! whole document as a tree (a 250 MB reply took 6 GB) and writes control
//! and bidi characters as they are. A string is written plain only when
//! YAML reads it back as that same string; any other is double-quoted,
//! with every character that must not reach a terminal escaped (`\e`,
//! `\a`, `\x0E`, `\u202E`).

use std::io::Write;

use super::events::{Events, Scalar, Stop};
use crate::terminal::is_unsafe;

/// Writes YAML to `out`.
pub struct YamlWriter<W> {
    out: W,
    open: Vec<Open>,
    /// Whether `key:` was just written: its value goes on that line, or an
    /// object or list starts on the next.
    after_key: bool,
}

/// An object or a list being written.
struct Open {
    map: bool,
    /// The column its members or elements start at.
    indent: usize,
    /// Members or elements so far.
    count: usize,
    /// Where it started: after `key:` (the line still open), after `- `
    /// (its first entry goes on that line), or at the top.
    after: After,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum After {
    Key,
    Dash,
    Top,
}

impl<W: Write> YamlWriter<W> {
    /// A writer to `out`.
    pub fn new(out: W) -> Self {
        YamlWriter {
            out,
            open: Vec::new(),
            after_key: false,
        }
    }

    /// The output, once everything is written.
    #[cfg(test)]
    pub fn into_inner(self) -> W {
        self.out
    }

    /// Starts an entry (a member's key, a list's `- `) of the innermost
    /// object or list, where it goes.
    fn entry(&mut self) -> Result<(), Stop> {
        let Some(open) = self.open.last_mut() else {
            return Ok(());
        };
        open.count += 1;
        let first = open.count == 1;
        let (indent, after) = (open.indent, open.after);
        match (first, after) {
            (true, After::Dash) => {}
            (true, After::Key) => {
                self.out.write_all(b"\n")?;
                spaces(&mut self.out, indent)?;
            }
            _ => spaces(&mut self.out, indent)?,
        }
        Ok(())
    }

    /// Where a value goes: after `key:`, in a list (its `- ` written), or
    /// at the top.
    fn place(&mut self) -> Result<After, Stop> {
        if std::mem::take(&mut self.after_key) {
            return Ok(After::Key);
        }
        match self.open.last() {
            Some(open) if !open.map => {
                self.entry()?;
                self.out.write_all(b"- ")?;
                Ok(After::Dash)
            }
            _ => Ok(After::Top),
        }
    }

    fn begin(&mut self, map: bool) -> Result<(), Stop> {
        let after = self.place()?;
        let indent = match (after, self.open.last()) {
            (After::Top, _) | (_, None) => 0,
            (_, Some(open)) => open.indent + 2,
        };
        self.open.push(Open {
            map,
            indent,
            count: 0,
            after,
        });
        Ok(())
    }

    fn end(&mut self, empty: &[u8]) -> Result<(), Stop> {
        let Some(open) = self.open.pop() else {
            return Ok(());
        };
        if open.count == 0 {
            if open.after == After::Key {
                self.out.write_all(b" ")?;
            }
            self.out.write_all(empty)?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }
}

fn spaces(out: &mut impl Write, n: usize) -> std::io::Result<()> {
    for _ in 0..n {
        out.write_all(b" ")?;
    }
    Ok(())
}

impl<W: Write> Events for YamlWriter<W> {
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), Stop> {
        if self.place()? == After::Key {
            self.out.write_all(b" ")?;
        }
        match value {
            Scalar::Null => self.out.write_all(b"null")?,
            Scalar::Bool(b) => self.out.write_all(if b { b"true" } else { b"false" })?,
            Scalar::Int(i) => write!(self.out, "{i}")?,
            Scalar::UInt(u) => write!(self.out, "{u}")?,
            Scalar::Float(f) => write!(
                self.out,
                "{}",
                serde_json::Number::from_f64(f)
                    .map_or_else(|| ".nan".to_owned(), |n| n.to_string())
            )?,
            Scalar::Str(s) => string(&mut self.out, s)?,
        }
        self.out.write_all(b"\n")?;
        Ok(())
    }

    fn begin_map(&mut self) -> Result<(), Stop> {
        self.begin(true)
    }

    fn key(&mut self, key: &str) -> Result<(), Stop> {
        self.entry()?;
        string(&mut self.out, key)?;
        self.out.write_all(b":")?;
        self.after_key = true;
        Ok(())
    }

    fn end_map(&mut self) -> Result<(), Stop> {
        self.end(b"{}")
    }

    fn begin_seq(&mut self) -> Result<(), Stop> {
        self.begin(false)
    }

    fn end_seq(&mut self) -> Result<(), Stop> {
        self.end(b"[]")
    }
}

/// Whether YAML reads `s`, written as it is, back as the same string: no
/// indicator, no number, boolean or null in any of YAML's spellings.
fn plain(s: &str) -> bool {
    const WORDS: [&str; 9] = ["true", "false", "yes", "no", "on", "off", "y", "n", "null"];
    let Some(first) = s.chars().next() else {
        return false;
    };
    let ok = |c: char| (c.is_alphanumeric() && !is_unsafe(c)) || " _-./@+=()".contains(c);
    (first.is_alphabetic() || first == '_' || first == '/')
        && !is_unsafe(first)
        && s.chars().all(ok)
        && !s.ends_with(' ')
        && !WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
}

/// `s` as a YAML scalar: plain when that reads back the same, else
/// double-quoted with escapes.
fn string(out: &mut impl Write, s: &str) -> std::io::Result<()> {
    if plain(s) {
        return out.write_all(s.as_bytes());
    }
    out.write_all(b"\"")?;
    for c in s.chars() {
        match c {
            '"' => out.write_all(b"\\\"")?,
            '\\' => out.write_all(b"\\\\")?,
            '\0' => out.write_all(b"\\0")?,
            '\x07' => out.write_all(b"\\a")?,
            '\x08' => out.write_all(b"\\b")?,
            '\t' => out.write_all(b"\\t")?,
            '\n' => out.write_all(b"\\n")?,
            '\x0b' => out.write_all(b"\\v")?,
            '\x0c' => out.write_all(b"\\f")?,
            '\r' => out.write_all(b"\\r")?,
            '\x1b' => out.write_all(b"\\e")?,
            c if u32::from(c) < 0x20 || ('\x7f'..='\u{9f}').contains(&c) => {
                write!(out, "\\x{:02X}", u32::from(c))?
            }
            c if is_unsafe(c) && u32::from(c) > 0xffff => write!(out, "\\U{:08X}", u32::from(c))?,
            c if is_unsafe(c) => write!(out, "\\u{:04X}", u32::from(c))?,
            c => {
                let mut buf = [0u8; 4];
                out.write_all(c.encode_utf8(&mut buf).as_bytes())?
            }
        }
    }
    out.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use super::super::events::emit;
    use super::*;
    use serde_json::{Value, json};
    use std::borrow::Cow;

    pub(crate) fn yaml(value: &Value) -> String {
        let mut writer = YamlWriter::new(Vec::new());
        emit(value, &|s: &str| Cow::Borrowed(s), &mut writer).unwrap();
        String::from_utf8(writer.into_inner()).unwrap()
    }

    /// YAML text read back as JSON.
    pub(crate) fn read_back(text: &str) -> Value {
        use yaml_rust2::Yaml;
        fn to_json(y: &Yaml) -> Value {
            match y {
                Yaml::Null => Value::Null,
                Yaml::Boolean(b) => Value::Bool(*b),
                Yaml::Integer(i) => Value::from(*i),
                Yaml::Real(r) => Value::from(r.parse::<f64>().unwrap()),
                Yaml::String(s) => Value::from(s.clone()),
                Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect()),
                Yaml::Hash(h) => Value::Object(
                    h.iter()
                        .map(|(k, v)| (k.as_str().unwrap().to_owned(), to_json(v)))
                        .collect(),
                ),
                other => panic!("{other:?}"),
            }
        }
        let docs = yaml_rust2::YamlLoader::load_from_str(text).unwrap();
        to_json(&docs[0])
    }

    #[test]
    fn block_style_with_lists_under_their_keys() {
        let value = json!({"acct": [{"user": "user0", "n": 1}, {"user": "x"}], "e": {}, "l": [], "nested": [[1, [2]], {}], "m": {"a": {"b": null}}});
        let text = yaml(&value);
        assert_eq!(
            text,
            "acct:\n  - user: user0\n    \"n\": 1\n  - user: x\ne: {}\nl: []\nnested:\n  - - 1\n    - - 2\n  - {}\nm:\n  a:\n    b: null\n"
        );
        assert_eq!(read_back(&text), value);
        assert_eq!(yaml(&json!({"a": [1, "x"]})), "a:\n  - 1\n  - x\n");
        assert_eq!(yaml(&json!("top")), "top\n");
        assert_eq!(yaml(&json!([])), "[]\n");
    }

    #[test]
    fn strings_that_would_read_back_otherwise_are_quoted_and_escaped() {
        let value = json!({
            "yes": "no", "n": "10M", "k: v": "# not a comment", "e": "", "sp": " x ",
            "ctl": "\u{1b}]0;pwned\u{7}\u{e}\u{7f}\u{9b}\u{202e}\u{e0041}\"\\\n",
            "num": "1.5", "null": "~", "dash": "- x", "ok": "bob.example",
        });
        let text = yaml(&value);
        assert!(text.contains("ok: bob.example\n"), "{text}");
        assert!(
            text.contains(r#"ctl: "\e]0;pwned\a\x0E\x7F\x9B\u202E\U000E0041\"\\\n""#),
            "{text}"
        );
        assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{text}");
        assert_eq!(read_back(&text), value);
    }
}
