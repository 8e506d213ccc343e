//! YAML text to a JSON value, remembering where every node stands.
//!
//! The spec is read with yaml-rust2's event parser so that each node's line
//! and column can be looked up by JSON pointer later: an error found while
//! lowering, at `/paths/~1listaccts/get/parameters/3/schema`, is reported at
//! the line the user has to fix.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// 1-based line and column.
pub type Position = (usize, usize);

/// A parsed document and the position of each node by JSON pointer.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// The document.
    pub value: Value,
    /// Where each node (for a mapping entry: its key) starts.
    pub positions: BTreeMap<String, Position>,
}

/// A syntax error: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where.
    pub position: Position,
    /// What.
    pub message: String,
}

/// Escapes one JSON pointer segment.
pub fn escape(segment: &str) -> String {
    whm_wire::pointer::escape(segment).into_owned()
}

/// A JSON pointer segment as the key it names (`~1` is `/`, `~0` is `~`).
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Parses YAML text (one document), noting where each node is.
pub fn parse(text: &str) -> Result<Tree, SyntaxError> {
    read(text, true)
}

/// Parses YAML text (one document) without noting where each node is,
/// which [`parse`] spends about half its time on: a valid spec needs no
/// position, and one with an error is read again with them.
pub fn parse_value(text: &str) -> Result<Value, SyntaxError> {
    read(text, false).map(|tree| tree.value)
}

fn read(text: &str, note_positions: bool) -> Result<Tree, SyntaxError> {
    let mut builder = Builder {
        note_positions,
        ..Builder::default()
    };
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, false).map_err(|e| SyntaxError {
        position: (e.marker().line(), e.marker().col() + 1),
        message: e.info().to_owned(),
    })?;
    if let Some(error) = builder.error {
        return Err(error);
    }
    Ok(Tree {
        value: builder.root.unwrap_or(Value::Null),
        positions: builder.positions,
    })
}

enum Frame {
    Seq {
        items: Vec<Value>,
        pointer: String,
        anchor: usize,
    },
    Map {
        members: Map<String, Value>,
        key: Option<String>,
        pointer: String,
        anchor: usize,
    },
}

#[derive(Default)]
struct Builder {
    /// Whether to note each node's position (and so keep pointers).
    note_positions: bool,
    stack: Vec<Frame>,
    root: Option<Value>,
    positions: BTreeMap<String, Position>,
    anchors: HashMap<usize, Value>,
    error: Option<SyntaxError>,
}

impl Builder {
    /// The pointer of the next value, and whether a scalar now is a key.
    fn next_pointer(&self) -> (String, bool) {
        if !self.note_positions {
            let is_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
            return (String::new(), is_key);
        }
        match self.stack.last() {
            None => (String::new(), false),
            Some(Frame::Seq { items, pointer, .. }) => {
                (format!("{pointer}/{}", items.len()), false)
            }
            Some(Frame::Map {
                key: None, pointer, ..
            }) => (pointer.clone(), true),
            Some(Frame::Map {
                key: Some(key),
                pointer,
                ..
            }) => (format!("{pointer}/{}", escape(key)), false),
        }
    }

    fn fail(&mut self, mark: Marker, message: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(SyntaxError {
                position: (mark.line(), mark.col() + 1),
                message: message.into(),
            });
        }
    }

    fn complete(&mut self, value: Value, anchor: usize, mark: Marker) {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        let problem = match self.stack.last_mut() {
            None => {
                self.root = Some(value);
                None
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(value);
                None
            }
            Some(Frame::Map { members, key, .. }) => match key.take() {
                Some(k) => {
                    members.insert(k, value);
                    None
                }
                None => {
                    let k = match value {
                        Value::String(k) => Some(k),
                        Value::Number(n) => Some(n.to_string()),
                        Value::Bool(b) => Some(b.to_string()),
                        _ => None,
                    };
                    match k {
                        Some(k) if members.contains_key(&k) => {
                            let message = format!("duplicate key `{k}`");
                            *key = Some(k);
                            Some(message)
                        }
                        Some(k) => {
                            *key = Some(k);
                            None
                        }
                        None => Some("a mapping key must be a scalar".to_owned()),
                    }
                }
            },
        };
        if let Some(message) = problem {
            self.fail(mark, message);
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let position = (mark.line(), mark.col() + 1);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let (pointer, is_key) = self.next_pointer();
                let value = if is_key
                    || style != TScalarStyle::Plain
                    || tag.is_some_and(|t| t.suffix == "str")
                {
                    Value::String(text)
                } else {
                    plain(text)
                };
                if self.note_positions {
                    if !is_key {
                        self.positions.entry(pointer).or_insert(position);
                    } else if let Value::String(k) = &value {
                        self.positions
                            .entry(format!("{pointer}/{}", escape(k)))
                            .or_insert(position);
                    }
                }
                self.complete(value, anchor, mark);
            }
            Event::SequenceStart(anchor, _) => {
                let (pointer, is_key) = self.next_pointer();
                if is_key {
                    self.fail(mark, "a mapping key must be a scalar");
                }
                if self.note_positions {
                    self.positions.entry(pointer.clone()).or_insert(position);
                }
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    pointer,
                    anchor,
                });
            }
            Event::MappingStart(anchor, _) => {
                let (pointer, is_key) = self.next_pointer();
                if is_key {
                    self.fail(mark, "a mapping key must be a scalar");
                }
                if self.note_positions {
                    self.positions.entry(pointer.clone()).or_insert(position);
                }
                self.stack.push(Frame::Map {
                    members: Map::new(),
                    key: None,
                    pointer,
                    anchor,
                });
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq { items, anchor, .. }) = self.stack.pop() {
                    self.complete(Value::Array(items), anchor, mark);
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map {
                    members, anchor, ..
                }) = self.stack.pop()
                {
                    self.complete(Value::Object(members), anchor, mark);
                }
            }
            Event::Alias(id) => match self.anchors.get(&id).cloned() {
                Some(value) => self.complete(value, 0, mark),
                None => self.fail(mark, "an alias to an unknown anchor"),
            },
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// A plain scalar as YAML 1.2's core schema reads it.
fn plain(text: String) -> Value {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Ok(i) = text.parse::<i64>() {
        return Value::Number(i.into());
    }
    if let Some(hex) = text.strip_prefix("0x")
        && let Ok(i) = i64::from_str_radix(hex, 16)
    {
        return Value::Number(i.into());
    }
    if let Some(oct) = text.strip_prefix("0o")
        && let Ok(i) = i64::from_str_radix(oct, 8)
    {
        return Value::Number(i.into());
    }
    let numeric = text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    if numeric
        && let Ok(f) = text.parse::<f64>()
        && let Some(n) = Number::from_f64(f)
    {
        return Value::Number(n);
    }
    Value::String(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn read_without_positions_the_value_is_the_same() {
        let text = "a: &x {k: [1, 'two', ~]}\nb: *x\n\"/p\": [{q: on}, -3]\nc: |\n  text\n";
        let noted = parse(text).unwrap();
        assert!(!noted.positions.is_empty());
        assert_eq!(parse_value(text).unwrap(), noted.value);
        let duplicate = "a: 1\na: 2\n";
        assert_eq!(
            parse_value(duplicate).unwrap_err(),
            parse(duplicate).unwrap_err()
        );
    }

    #[test]
    fn values_and_positions() {
        let tree = parse("a: 1\nb:\n  - x\n  - 'on'\n  - on\nc: {d: null, e: 1.5}\n\"/p\": true\n")
            .unwrap();
        assert_eq!(
            tree.value,
            json!({"a": 1, "b": ["x", "on", "on"], "c": {"d": null, "e": 1.5}, "/p": true})
        );
        assert_eq!(tree.positions["/a"], (1, 1));
        assert_eq!(tree.positions["/b/1"], (4, 5));
        assert_eq!(tree.positions["/c/e"], (6, 14));
        assert_eq!(tree.positions["/~1p"], (7, 1));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.position.0 >= 1, "{e:?}");
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(e.position.0, 2);
        assert!(e.message.contains("duplicate key"));
    }

    #[test]
    fn anchors_and_aliases() {
        let tree = parse("a: &x {k: 1}\nb: *x\n").unwrap();
        assert_eq!(tree.value["b"], json!({"k": 1}));
    }
}
