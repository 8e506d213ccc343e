//! A reply's payload read as a stream of events (a scalar, the start of
//! an object, a key, ...), straight from its JSON text: what JSON, YAML
//! and JSON lines are written from, so that printing a 250 MB reply never
//! builds it as a tree. Every string and key passes through the reply's
//! scrubber on the way, so a secret the server echoes is never printed.
//!
//! With `--all-pages`, the records of later pages are spliced into the
//! first page's list as the writer reaches its end, each page read only
//! when it is needed.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer as _, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// A scalar of the payload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A negative whole number.
    Int(i64),
    /// A whole number.
    UInt(u64),
    /// Any other number.
    Float(f64),
    /// A string (scrubbed).
    Str(&'a str),
}

/// Why writing stopped.
#[derive(Debug)]
pub enum Stop {
    /// The output could not be written (a reader that went away).
    Write,
    /// The payload is not what it should be (invalid or too deep JSON),
    /// or a later page failed: what to tell, and its exit status.
    Read(String, u8),
}

impl From<std::io::Error> for Stop {
    fn from(_: std::io::Error) -> Self {
        Stop::Write
    }
}

/// What events are written to.
pub trait Events {
    /// A scalar: a value, a member's value or a list's element.
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), Stop>;
    /// An object starts.
    fn begin_map(&mut self) -> Result<(), Stop>;
    /// A member's key; its value follows.
    fn key(&mut self, key: &str) -> Result<(), Stop>;
    /// The object ends.
    fn end_map(&mut self) -> Result<(), Stop>;
    /// A list starts.
    fn begin_seq(&mut self) -> Result<(), Stop>;
    /// The list ends.
    fn end_seq(&mut self) -> Result<(), Stop>;
}

/// What replaces a secret in a string (the reply's scrubber).
pub type Clean<'c> = &'c dyn Fn(&str) -> Cow<'_, str>;

/// Writes the elements of the list at the splice point's later pages.
pub type More<'m> = &'m mut dyn FnMut(&mut dyn Events) -> Result<(), Stop>;

/// Where later pages' records go: the list at `pointer` (keys from the
/// payload's root).
pub struct Splice<'p, 'm> {
    /// The list's keys from the payload's root.
    pub pointer: &'p [String],
    /// Writes later pages' elements.
    pub more: More<'m>,
}

/// The state of one walk through a payload.
struct Walk<'s, 'c, 'p, 'm> {
    sink: &'s mut dyn Events,
    clean: Clean<'c>,
    splice: Option<Splice<'p, 'm>>,
    /// How deep the walk is, in objects and lists.
    depth: usize,
    /// How many keys of the splice pointer the current position matches.
    matched: usize,
    /// Why the walk stopped, when the sink or a later page stopped it.
    stopped: Option<Stop>,
}

/// Writes `text` (one JSON value) to `sink` as events.
pub fn walk(
    text: &str,
    clean: Clean<'_>,
    sink: &mut dyn Events,
    splice: Option<Splice<'_, '_>>,
) -> Result<(), Stop> {
    let mut state = Walk {
        sink,
        clean,
        splice,
        depth: 0,
        matched: 0,
        stopped: None,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let outcome = ValueSeed { walk: &mut state }
        .deserialize(&mut de)
        .and_then(|()| de.end());
    finish(outcome, state.stopped)
}

/// Writes the elements of the list `text` (a JSON array) to `sink`, as
/// elements of a list it is already in.
pub fn walk_elements(text: &str, clean: Clean<'_>, sink: &mut dyn Events) -> Result<(), Stop> {
    let mut state = Walk {
        sink,
        clean,
        splice: None,
        depth: 1,
        matched: 0,
        stopped: None,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let outcome = de
        .deserialize_seq(ElementsOnly { walk: &mut state })
        .and_then(|()| de.end());
    finish(outcome, state.stopped)
}

fn finish(outcome: Result<(), serde_json::Error>, stopped: Option<Stop>) -> Result<(), Stop> {
    match (stopped, outcome) {
        (Some(stop), _) => Err(stop),
        (None, Ok(())) => Ok(()),
        (None, Err(e)) => Err(Stop::Read(
            format!("the reply's payload cannot be read: {e}"),
            4,
        )),
    }
}

/// Writes a value already built (a record of a table, a fleet's error) as
/// events.
pub fn emit(value: &Value, clean: Clean<'_>, sink: &mut dyn Events) -> Result<(), Stop> {
    match value {
        Value::Null => sink.scalar(Scalar::Null),
        Value::Bool(b) => sink.scalar(Scalar::Bool(*b)),
        Value::Number(n) => sink.scalar(number(n)),
        Value::String(s) => sink.scalar(Scalar::Str(&clean(s))),
        Value::Array(items) => {
            sink.begin_seq()?;
            for item in items {
                emit(item, clean, sink)?;
            }
            sink.end_seq()
        }
        Value::Object(members) => {
            sink.begin_map()?;
            for (key, member) in members {
                sink.key(&clean(key))?;
                emit(member, clean, sink)?;
            }
            sink.end_map()
        }
    }
}

fn number(n: &serde_json::Number) -> Scalar<'static> {
    if let Some(u) = n.as_u64() {
        Scalar::UInt(u)
    } else if let Some(i) = n.as_i64() {
        Scalar::Int(i)
    } else {
        Scalar::Float(n.as_f64().unwrap_or(0.0))
    }
}

impl Walk<'_, '_, '_, '_> {
    /// Passes what the sink (or a later page) said on as a serde error,
    /// keeping the real one.
    fn check<E: de::Error>(&mut self, result: Result<(), Stop>) -> Result<(), E> {
        result.map_err(|stop| {
            self.stopped = Some(stop);
            E::custom("stopped")
        })
    }

    fn scalar<E: de::Error>(&mut self, value: Scalar<'_>) -> Result<(), E> {
        let result = self.sink.scalar(value);
        self.check(result)
    }

    fn string<E: de::Error>(&mut self, s: &str) -> Result<(), E> {
        let clean = (self.clean)(s);
        let result = self.sink.scalar(Scalar::Str(&clean));
        self.check(result)
    }

    /// Whether the list being entered is where later pages' records go.
    fn at_splice(&self) -> bool {
        self.splice
            .as_ref()
            .is_some_and(|s| self.matched == s.pointer.len() && self.matched == self.depth)
    }
}

/// Reads one value and writes its events.
struct ValueSeed<'w, 's, 'c, 'p, 'm> {
    walk: &'w mut Walk<'s, 'c, 'p, 'm>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_, '_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.walk.scalar(Scalar::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.walk.scalar(Scalar::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.walk.scalar(Scalar::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.walk.scalar(Scalar::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.walk.scalar(Scalar::UInt(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.walk.scalar(Scalar::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.walk.string(v)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let walk = self.walk;
        let splice_here = walk.at_splice();
        let result = walk.sink.begin_seq();
        walk.check(result)?;
        walk.depth += 1;
        // Inside a list the pointer (keys only) no longer matches.
        let matched = walk.matched;
        walk.matched = 0;
        while seq
            .next_element_seed(ValueSeed { walk: &mut *walk })?
            .is_some()
        {}
        walk.matched = matched;
        walk.depth -= 1;
        if splice_here && let Some(splice) = walk.splice.as_mut() {
            let result = (splice.more)(&mut *walk.sink);
            walk.check(result)?;
        }
        let result = walk.sink.end_seq();
        walk.check(result)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let walk = self.walk;
        let result = walk.sink.begin_map();
        walk.check(result)?;
        let depth = walk.depth;
        let matched = walk.matched;
        walk.depth += 1;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let clean = (walk.clean)(&key);
            let result = walk.sink.key(&clean);
            walk.check(result)?;
            walk.matched = match &walk.splice {
                Some(s)
                    if matched == depth
                        && s.pointer.get(depth).map(String::as_str) == Some(&*key) =>
                {
                    depth + 1
                }
                _ => 0,
            };
            map.next_value_seed(ValueSeed { walk: &mut *walk })?;
        }
        walk.matched = matched;
        walk.depth = depth;
        let result = walk.sink.end_map();
        walk.check(result)
    }
}

/// A list's elements, without its own start and end.
struct ElementsOnly<'w, 's, 'c, 'p, 'm> {
    walk: &'w mut Walk<'s, 'c, 'p, 'm>,
}

impl<'de> Visitor<'de> for ElementsOnly<'_, '_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(ValueSeed {
                walk: &mut *self.walk,
            })?
            .is_some()
        {}
        Ok(())
    }
}

/// The text of the value at `pointer` (keys) inside `text`, without
/// reading the rest into memory; `None` when something on the way is not
/// an object or lacks the key.
pub fn find<'t>(text: &'t str, pointer: &[String]) -> Result<Option<&'t str>, Stop> {
    let mut current = text;
    for key in pointer {
        let mut de = serde_json::Deserializer::from_str(current);
        let found = de
            .deserialize_any(Member { key })
            .map_err(|e| Stop::Read(format!("the reply's payload cannot be read: {e}"), 4))?;
        match found {
            Some(raw) => current = raw,
            None => return Ok(None),
        }
    }
    Ok(Some(current))
}

/// Finds one member of an object, skipping the others.
struct Member<'k> {
    key: &'k str,
}

impl<'de> Visitor<'de> for Member<'_> {
    type Value = Option<&'de str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == self.key {
                let raw: &'de serde_json::value::RawValue = map.next_value()?;
                found = Some(raw.get());
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(found)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Each element of the list `text` as a value, one at a time (a record of
/// a table): a list of a million records is never in memory at once.
pub fn each_element(
    text: &str,
    each: &mut dyn FnMut(Value) -> Result<(), Stop>,
) -> Result<(), Stop> {
    struct Elements<'e> {
        each: &'e mut dyn FnMut(Value) -> Result<(), Stop>,
        stopped: &'e mut Option<Stop>,
    }
    impl<'de> Visitor<'de> for Elements<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(value) = seq.next_element::<Value>()? {
                if let Err(stop) = (self.each)(value) {
                    *self.stopped = Some(stop);
                    return Err(de::Error::custom("stopped"));
                }
            }
            Ok(())
        }
    }
    let mut stopped = None;
    let mut de = serde_json::Deserializer::from_str(text);
    let outcome = de
        .deserialize_seq(Elements {
            each,
            stopped: &mut stopped,
        })
        .and_then(|()| de.end());
    finish(outcome, stopped)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Events as text, to compare.
    #[derive(Default)]
    struct Log(Vec<String>);

    impl Events for Log {
        fn scalar(&mut self, value: Scalar<'_>) -> Result<(), Stop> {
            self.0.push(format!("{value:?}"));
            Ok(())
        }
        fn begin_map(&mut self) -> Result<(), Stop> {
            self.0.push("{".into());
            Ok(())
        }
        fn key(&mut self, key: &str) -> Result<(), Stop> {
            self.0.push(format!("{key}:"));
            Ok(())
        }
        fn end_map(&mut self) -> Result<(), Stop> {
            self.0.push("}".into());
            Ok(())
        }
        fn begin_seq(&mut self) -> Result<(), Stop> {
            self.0.push("[".into());
            Ok(())
        }
        fn end_seq(&mut self) -> Result<(), Stop> {
            self.0.push("]".into());
            Ok(())
        }
    }

    fn none(s: &str) -> Cow<'_, str> {
        Cow::Borrowed(s)
    }

    #[test]
    fn a_payload_becomes_events_with_secrets_scrubbed() {
        let mut log = Log::default();
        fn clean(s: &str) -> Cow<'_, str> {
            Cow::Owned(s.replace("TOKEN", "***"))
        }
        walk(
            r#"{"a": [1, -2, 1.5, null, true], "TOKEN": "x TOKEN"}"#,
            &clean,
            &mut log,
            None,
        )
        .unwrap();
        assert_eq!(
            log.0.join(" "),
            "{ a: [ UInt(1) Int(-2) Float(1.5) Null Bool(true) ] ***: Str(\"x ***\") }"
        );
    }

    #[test]
    fn later_pages_go_at_the_end_of_the_list() {
        let mut log = Log::default();
        let pointer = vec!["acct".to_owned()];
        let mut more = |sink: &mut dyn Events| walk_elements("[3, 4]", &none, sink);
        walk(
            r#"{"acct": [1, 2], "other": [9], "x": {"acct": [7]}}"#,
            &none,
            &mut log,
            Some(Splice {
                pointer: &pointer,
                more: &mut more,
            }),
        )
        .unwrap();
        assert_eq!(
            log.0.join(" "),
            "{ acct: [ UInt(1) UInt(2) UInt(3) UInt(4) ] other: [ UInt(9) ] x: { acct: [ UInt(7) ] } }"
        );
    }

    #[test]
    fn deep_or_broken_json_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let mut log = Log::default();
        assert!(matches!(
            walk(&deep, &none, &mut log, None),
            Err(Stop::Read(..))
        ));
        assert!(matches!(
            walk("{\"a\": ", &none, &mut Log::default(), None),
            Err(Stop::Read(..))
        ));
        assert!(matches!(
            find(&deep, &["a".to_owned()]),
            Ok(None) | Err(Stop::Read(..))
        ));
    }

    #[test]
    fn a_member_is_found_and_a_list_read_one_element_at_a_time() {
        let text = r#"{"x": 1, "data": {"acct": [{"u": 1}, {"u": 2}]}}"#;
        let list = find(text, &["data".into(), "acct".into()])
            .unwrap()
            .unwrap();
        let mut seen = Vec::new();
        each_element(list, &mut |v| {
            seen.push(v);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[1]["u"], 2);
        assert_eq!(find(text, &["nope".into()]).unwrap(), None);
        assert_eq!(find("[1]", &["x".into()]).unwrap(), None);
    }
}
