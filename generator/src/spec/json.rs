//! A spec written in JSON, read by serde_json: several times faster than
//! the YAML parser on the large documents vendors publish as JSON (GitHub's
//! 11 MB one), and the same value, since JSON is YAML. What serde_json
//! would take silently and the YAML reader refuses (a key given twice) is
//! refused here too, by giving the text back to the YAML reader, which
//! says where. Where a node is, an error's line and column, is found by
//! scanning the text for that one pointer when an error needs it.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::tree::Position;

/// The document, when `text` is JSON without a key given twice; `None`
/// otherwise (YAML, or JSON with a problem for the YAML reader to report).
pub fn parse(text: &str) -> Option<Value> {
    if !text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
    {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Strict.deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(value)
}

/// A JSON value whose objects have each key once.
#[derive(Clone, Copy)]
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self)?;
            if members.insert(key, value).is_some() {
                return Err(serde::de::Error::custom("a key given twice"));
            }
        }
        Ok(Value::Object(members))
    }
}

/// Where the node at `pointer` starts in the JSON `text` (for an object's
/// member: its key, as the YAML reader notes it), or its nearest ancestor
/// that is there; 1-based line and column.
pub fn position(text: &str, pointer: &str) -> Option<Position> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
        line_start: 0,
    };
    scanner.whitespace();
    // Where the deepest node found so far starts: turned into a column
    // once, at the end (a document on one line is long).
    let mut found = scanner.mark();
    let segments = whm_wire::pointer::tokens(pointer);
    for segment in segments {
        scanner.whitespace();
        match scanner.peek()? {
            b'{' => {
                scanner.bump();
                loop {
                    scanner.whitespace();
                    if scanner.peek()? != b'"' {
                        return Some(scanner.position_of(found));
                    }
                    let key_at = scanner.mark();
                    let is_segment = scanner.key_is(&segment)?;
                    scanner.whitespace();
                    scanner.expect(b':')?;
                    if is_segment {
                        found = key_at;
                        break;
                    }
                    scanner.skip_value()?;
                    scanner.whitespace();
                    if scanner.peek()? != b',' {
                        return Some(scanner.position_of(found));
                    }
                    scanner.bump();
                }
            }
            b'[' => {
                scanner.bump();
                let index: usize = segment.parse().ok()?;
                for _ in 0..index {
                    scanner.skip_value()?;
                    scanner.whitespace();
                    scanner.expect(b',')?;
                }
                scanner.whitespace();
                found = scanner.mark();
            }
            _ => return Some(scanner.position_of(found)),
        }
    }
    Some(scanner.position_of(found))
}

/// A place in the text: its line, where that line starts, and the byte.
#[derive(Clone, Copy)]
struct Mark {
    line: usize,
    line_start: usize,
    at: usize,
}

/// A cursor over JSON text that knows its line.
struct Scanner<'t> {
    bytes: &'t [u8],
    at: usize,
    line: usize,
    line_start: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn bump(&mut self) {
        if self.peek() == Some(b'\n') {
            self.line += 1;
            self.line_start = self.at + 1;
        }
        self.at += 1;
    }

    fn mark(&self) -> Mark {
        Mark {
            line: self.line,
            line_start: self.line_start,
            at: self.at,
        }
    }

    fn position_of(&self, mark: Mark) -> Position {
        // Columns count characters, as the YAML reader's do.
        let column = String::from_utf8_lossy(&self.bytes[mark.line_start..mark.at])
            .chars()
            .count();
        (mark.line, column + 1)
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.bump();
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.bump())
    }

    /// Past a string; its text as written, between the quotes.
    fn string(&mut self) -> Option<&[u8]> {
        self.expect(b'"')?;
        let start = self.at;
        while self.peek()? != b'"' {
            if self.peek()? == b'\\' {
                self.bump();
            }
            self.bump();
        }
        let raw = &self.bytes[start..self.at];
        self.bump();
        Some(raw)
    }

    /// Past a key; whether it is `name` (its escapes read only when it
    /// has any).
    fn key_is(&mut self, name: &str) -> Option<bool> {
        let raw = self.string()?;
        if !raw.contains(&b'\\') {
            return Some(raw == name.as_bytes());
        }
        let quoted = [b"\"", raw, b"\""].concat();
        let key: String = serde_json::from_slice(&quoted).ok()?;
        Some(key == name)
    }

    /// Past one value of any kind.
    fn skip_value(&mut self) -> Option<()> {
        self.whitespace();
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.bump();
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.bump();
                }
                b',' if depth == 0 => return Some(()),
                _ => self.bump(),
            }
            if depth == 0
                && !matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'+')
            {
                return Some(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn json_reads_as_the_yaml_reader_reads_it() {
        let text = r#" {"openapi": "3.1.0", "n": [1, -2, 2.5, true, null, "x"], "o": {"a": {}}}"#;
        let fast = super::parse(text).unwrap();
        assert_eq!(fast, crate::spec::tree::parse(text).unwrap().value);
        assert_eq!(fast["n"], json!([1, -2, 2.5, true, null, "x"]));
    }

    #[test]
    fn positions_are_those_the_yaml_reader_notes() {
        let text = "{\n  \"a\": {\"b\": [1, {\"c\": \"x\\\"y\"}, [2, 3]], \"d~/e\": true},\n  \"é\": {\"f\": null}\n}\n";
        let tree = crate::spec::tree::parse(text).unwrap();
        for pointer in [
            "",
            "/a",
            "/a/b",
            "/a/b/0",
            "/a/b/1",
            "/a/b/1/c",
            "/a/b/2/1",
            "/a/d~0~1e",
            "/é/f",
        ] {
            assert_eq!(
                super::position(text, pointer),
                tree.positions.get(pointer).copied(),
                "{pointer}"
            );
        }
        // A node that is not there: its nearest ancestor that is.
        assert_eq!(
            super::position(text, "/a/zz/q"),
            tree.positions.get("/a").copied()
        );
    }

    #[test]
    fn what_json_alone_would_let_pass_goes_to_the_yaml_reader() {
        assert_eq!(super::parse(r#"{"a": 1, "a": 2}"#), None);
        assert_eq!(super::parse("openapi: 3.0.3\n"), None);
        assert_eq!(super::parse(r#"{"a": 1} trailing"#), None);
        assert_eq!(super::parse(r#"{"a": "#), None);
    }
}
