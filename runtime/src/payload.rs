//! Decoding a payload into its type: the one step of reading a reply that
//! depends on the type.
//!
//! Everything else (classifying the reply, walking its envelopes, checking
//! success, collecting warnings) is the same code for every operation and
//! is compiled once. A type compiles one decoder: its `Deserialize` over
//! serde_json's string reader, whether the payload is read in the middle of
//! a reply ([`Sink::decode_prefix`]) or on its own ([`Sink::decode_whole`]).
//!
//! Where a payload failed to decode is recorded by the lenient decoders
//! themselves ([`path`]), instead of running the type through a second,
//! path-tracking deserializer that would compile every decoder twice.

use serde::de::Deserialize;

/// Why a payload did not decode, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The path inside the payload (`acct[3].uid`); empty: the payload itself.
    pub path: String,
    /// The decoder's message.
    pub message: String,
}

/// Something that decodes a payload: the type-dependent step of reading a
/// reply, as an object so that the reader is not generic.
pub(crate) trait Sink<'de> {
    /// Decodes the value at the start of `text`, which goes on with the
    /// rest of the reply; how many bytes it took. A failure is not
    /// explained: the reader then takes the path that explains it.
    fn decode_prefix(&mut self, text: &'de str) -> Option<usize>;

    /// Decodes all of `text`.
    fn decode_whole(&mut self, text: &'de str) -> Result<(), Failure>;
}

/// A payload of type `T`, once decoded.
pub(crate) struct Slot<T>(pub Option<T>);

impl<'de, T: Deserialize<'de>> Sink<'de> for Slot<T> {
    fn decode_prefix(&mut self, text: &'de str) -> Option<usize> {
        let mut values = serde_json::Deserializer::from_str(text).into_iter::<T>();
        let value = values.next()?.ok()?;
        self.0 = Some(value);
        Some(values.byte_offset())
    }

    fn decode_whole(&mut self, text: &'de str) -> Result<(), Failure> {
        path::clear();
        let mut de = serde_json::Deserializer::from_str(text);
        match T::deserialize(&mut de).and_then(|value| de.end().map(|()| value)) {
            Ok(value) => {
                path::clear();
                self.0 = Some(value);
                Ok(())
            }
            Err(e) => {
                // The lenient decoders say where they failed; a type of the
                // caller's own (`data_as`) does not, and then the error's
                // position in the text does.
                let tracked = path::take();
                let path = if tracked.is_empty() {
                    path::at(text, e.line(), e.column())
                } else {
                    tracked
                };
                Err(Failure {
                    path,
                    message: e.to_string(),
                })
            }
        }
    }
}

/// Decodes `text` as a `T`, whole, with the same decoder a reply's payload
/// uses.
pub(crate) fn decode<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, Failure> {
    let mut slot = Slot(None);
    slot.decode_whole(text)?;
    slot.0.ok_or_else(|| Failure {
        path: String::new(),
        message: "the decoder gave no value".to_owned(),
    })
}

/// Where a decoding error happened, recorded as the error travels out of
/// the decoders: each level (a record's member, a list's element, a map's
/// entry) adds its part on the way, innermost first.
///
/// Kept per thread: decoding never crosses threads, and the record is
/// cleared before each payload.
pub(crate) mod path {
    use std::cell::RefCell;
    use std::fmt::Write as _;

    enum Segment {
        Key(String),
        Index(usize),
    }

    thread_local! {
        static SEGMENTS: RefCell<Vec<Segment>> = const { RefCell::new(Vec::new()) };
    }

    /// Forgets what was recorded.
    pub fn clear() {
        SEGMENTS.with(|s| s.borrow_mut().clear());
    }

    /// The error happened in the member `key` of an object.
    pub fn push_key(key: &str) {
        SEGMENTS.with(|s| s.borrow_mut().push(Segment::Key(key.to_owned())));
    }

    /// The error happened in element `index` of a list.
    pub fn push_index(index: usize) {
        SEGMENTS.with(|s| s.borrow_mut().push(Segment::Index(index)));
    }

    /// The path recorded (`acct[3].uid`; empty: the value itself), and
    /// forgets it.
    pub fn take() -> String {
        let mut segments = SEGMENTS.with(|s| std::mem::take(&mut *s.borrow_mut()));
        segments.reverse();
        render(&segments)
    }

    fn render(segments: &[Segment]) -> String {
        let mut out = String::new();
        for segment in segments {
            match segment {
                Segment::Key(key) if out.is_empty() => out.push_str(key),
                Segment::Key(key) => {
                    out.push('.');
                    out.push_str(key);
                }
                Segment::Index(index) => {
                    let _ = write!(out, "[{index}]");
                }
            }
        }
        out
    }

    /// Where in the JSON `text` a parser that failed at `line` and
    /// `column` (serde_json's: 1-based lines, bytes into the line) was:
    /// the members and elements open there, the last one read included.
    pub fn at(text: &str, line: usize, column: usize) -> String {
        let Some(line_start) = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .try_fold(0usize, |sum, len| sum.checked_add(len))
        else {
            return String::new();
        };
        let end = (line_start + column).min(text.len());
        render(&open_at(&text.as_bytes()[..end]))
    }

    /// A container being read, and where in it the reader is.
    enum Open {
        /// An object; the key of the member being read, once its `:` is seen.
        Object {
            key: Option<String>,
            pending: Option<String>,
        },
        /// A list; the index of the element being read, once it started.
        List { index: usize, started: bool },
    }

    /// The members and elements open at the end of `bytes`.
    fn open_at(bytes: &[u8]) -> Vec<Segment> {
        let mut stack: Vec<Open> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'{' | b'[' => {
                    start_value(&mut stack);
                    stack.push(if bytes[i] == b'{' {
                        Open::Object {
                            key: None,
                            pending: None,
                        }
                    } else {
                        Open::List {
                            index: 0,
                            started: false,
                        }
                    });
                }
                b'}' | b']' => {
                    stack.pop();
                }
                b',' => match stack.last_mut() {
                    Some(Open::Object { key, pending }) => {
                        *key = None;
                        *pending = None;
                    }
                    Some(Open::List { index, started }) => {
                        *index += 1;
                        *started = false;
                    }
                    None => {}
                },
                b':' => {
                    if let Some(Open::Object { key, pending }) = stack.last_mut() {
                        *key = pending.take();
                    }
                }
                b'"' => {
                    let start = i;
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    let raw = bytes.get(start..=i).unwrap_or(&bytes[start..]);
                    match stack.last_mut() {
                        Some(Open::Object { key: None, pending }) => {
                            *pending = serde_json::from_slice::<String>(raw).ok();
                        }
                        _ => start_value(&mut stack),
                    }
                }
                b' ' | b'\t' | b'\n' | b'\r' => {}
                _ => start_value(&mut stack),
            }
            i += 1;
        }
        stack
            .into_iter()
            .filter_map(|open| match open {
                Open::Object { key, .. } => key.map(Segment::Key),
                Open::List { index, started } => started.then_some(Segment::Index(index)),
            })
            .collect()
    }

    /// A value starts here: in a list, its element has.
    fn start_value(stack: &mut [Open]) {
        if let Some(Open::List { started, .. }) = stack.last_mut() {
            *started = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Account {
        uid: i64,
        extra: std::collections::BTreeMap<String, serde_json::Value>,
    }
    crate::__private::de::record_impls!(serialize Account, extra, (uid, I64));

    #[derive(Debug, Default, PartialEq)]
    struct Listing {
        acct: Vec<Account>,
        extra: std::collections::BTreeMap<String, serde_json::Value>,
    }
    crate::__private::de::record_impls!(serialize Listing, extra, (acct, Records));

    #[test]
    fn a_failure_says_where_through_records_lists_and_maps() {
        let e = decode::<Listing>(r#"{"acct":[{"uid":1},{"uid":"x"}]}"#).unwrap_err();
        assert_eq!(e.path, "acct[1].uid");
        assert!(e.message.contains("\"x\""), "{}", e.message);

        let e = decode::<std::collections::BTreeMap<String, Listing>>(
            r#"{"a.b":{"acct":[{"uid":"y"}]}}"#,
        )
        .map(|_| ())
        .unwrap_err();
        // A plain map's keys are not recorded (its own `Deserialize`), but
        // the record inside it still says where.
        assert_eq!(e.path, "acct[0].uid");
    }

    #[derive(Debug, serde::Deserialize)]
    struct Theirs {
        #[allow(dead_code)]
        acct: Vec<TheirAccount>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct TheirAccount {
        #[allow(dead_code)]
        uid: i64,
    }

    #[test]
    fn a_type_of_the_callers_own_is_located_by_where_the_parser_stopped() {
        for (text, expected) in [
            (r#"{"acct":[{"uid":1},{"uid":"x"}]}"#, "acct[1].uid"),
            (
                "{\n \"acct\": [ {\"uid\": 1},\n {\"uid\": true } ] }",
                "acct[1].uid",
            ),
            (r#"{"acct":[{"uid":1},{"u\"id":1}]}"#, "acct[1]"),
            (r#"{"acct":[{"uid":1},7]}"#, "acct[1]"),
            (r#"{"acct":{"uid":1}}"#, "acct"),
            (r#"[]"#, ""),
        ] {
            let e = decode::<Theirs>(text).unwrap_err();
            assert_eq!(e.path, expected, "{text}: {}", e.message);
        }
    }

    #[test]
    fn the_path_is_cleared_between_payloads() {
        assert!(decode::<Listing>(r#"{"acct":[{"uid":"x"}]}"#).is_err());
        let e = decode::<Listing>(r#"{"acct":"#).unwrap_err();
        assert_eq!(e.path, "acct");
        let ok = decode::<Listing>(r#"{"acct":[{"uid":"7"}],"new":1}"#).unwrap();
        assert_eq!(ok.acct[0].uid, 7);
        assert_eq!(ok.extra["new"], 1);
        assert_eq!(path::take(), "");
    }

    #[test]
    fn a_prefix_reports_how_much_it_took() {
        let mut slot = Slot::<Listing>(None);
        let text = r#"{"acct":[{"uid":3}]} ,"metadata":{}}"#;
        let used = slot.decode_prefix(text).unwrap();
        assert_eq!(&text[used..], r#" ,"metadata":{}}"#);
        assert_eq!(slot.0.unwrap().acct[0].uid, 3);
        let mut numbers = Slot::<i64>(None);
        assert_eq!(numbers.decode_prefix("12,"), Some(2));
        assert_eq!(numbers.decode_prefix("12x"), None);
    }
}
