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

use crate::wire::Media;

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

    /// Decodes a body that is not JSON: `text` as a string, or `raw` as
    /// bytes, as `media` says.
    fn decode_plain(&mut self, media: Media, text: &'de str, raw: &[u8]) -> Result<(), Failure>;
}

/// A payload of type `T`, once decoded.
pub(crate) struct Slot<T>(pub Option<T>);

impl<'de, T: Deserialize<'de>> Sink<'de> for Slot<T> {
    fn decode_prefix(&mut self, text: &'de str) -> Option<usize> {
        strays::clear();
        let mut values = serde_json::Deserializer::from_str(text).into_iter::<T>();
        let value = values.next()?.ok()?;
        self.0 = Some(value);
        Some(values.byte_offset())
    }

    fn decode_plain(&mut self, media: Media, text: &'de str, raw: &[u8]) -> Result<(), Failure> {
        use serde::de::value::{BorrowedStrDeserializer, BytesDeserializer};
        strays::clear();
        let decoded = match media {
            Media::Bytes => T::deserialize(BytesDeserializer::<serde_json::Error>::new(raw)),
            Media::Text | Media::Json => {
                T::deserialize(BorrowedStrDeserializer::<serde_json::Error>::new(text))
            }
        };
        let value = decoded.map_err(|e| Failure {
            path: String::new(),
            message: e.to_string(),
        })?;
        self.0 = Some(value);
        Ok(())
    }

    fn decode_whole(&mut self, text: &'de str) -> Result<(), Failure> {
        path::clear();
        strays::clear();
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

    /// A step into a value: a member of an object, an element of a list.
    #[derive(Debug, Clone)]
    pub(crate) enum Segment {
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

    /// `segments`, outermost first, as a path (`acct[3].uid`).
    pub(crate) fn render(segments: &[Segment]) -> String {
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

/// Values a payload's types could not hold, kept instead of failing the
/// whole reply: a leaf decoder that meets a value of another shape (an
/// object where a number goes, a word where a flag goes) keeps the value
/// here and gives its default; each list, map and record around it adds its
/// step on the way out, and the nearest record takes the value into its
/// `extra` under its path from there (`invalid_features[0].x`). What no
/// record takes (a payload that is itself a list or a map) ends in
/// [`Reply::unexpected`](crate::Reply::unexpected).
///
/// Kept per thread, like [`path`]: decoding never crosses threads, and
/// each payload starts with none.
pub(crate) mod strays {
    use std::cell::{Cell, RefCell};
    use std::sync::atomic::{AtomicUsize, Ordering};

    use serde_json::Value;

    use super::path::{Segment, render};

    /// A kept value and its steps, innermost first.
    type Stray = (Vec<Segment>, Value);

    thread_local! {
        // How many are kept, apart from the list itself: read after every
        // member and element, so it must cost no more than a load.
        static COUNT: Cell<usize> = const { Cell::new(0) };
        static KEPT: RefCell<Vec<Stray>> = const { RefCell::new(Vec::new()) };
    }

    /// How many values are kept: compare before and after decoding a
    /// member to know whether it kept any.
    #[inline]
    pub fn count() -> usize {
        COUNT.with(Cell::get)
    }

    /// Bumped by every value kept, on any thread: what the decoders read
    /// around each member and element (a 10,000-account listing has
    /// 430,000 members), a plain load where the thread's own count would
    /// be a thread-local lookup. Another thread's strays can move it too;
    /// the thread's own count then says whether any are this thread's.
    static GENERATION: AtomicUsize = AtomicUsize::new(0);

    /// A look at [`GENERATION`] before decoding a member or an element.
    #[derive(Clone, Copy)]
    pub struct Watch(usize);

    /// Starts watching for values kept.
    #[inline(always)]
    pub fn watch() -> Watch {
        Watch(GENERATION.load(Ordering::Relaxed))
    }

    impl Watch {
        /// Whether a value may have been kept since: when it says yes,
        /// [`count`] says whether on this thread.
        #[inline(always)]
        pub fn moved(self) -> bool {
            GENERATION.load(Ordering::Relaxed) != self.0
        }
    }

    /// Keeps `value`, which the type where it was found cannot hold.
    // Out of line, as the rest of this module: the decoders' hot paths
    // call it from every leaf, and it is almost never reached.
    #[cold]
    #[inline(never)]
    pub fn keep(value: Value) {
        KEPT.with(|kept| {
            let mut kept = kept.borrow_mut();
            kept.push((Vec::new(), value));
            COUNT.with(|c| c.set(kept.len()));
        });
        GENERATION.fetch_add(1, Ordering::Relaxed);
    }

    /// The values kept since `start` were found inside `segment`; whether
    /// one of them was `segment`'s value itself (which its list or map
    /// then leaves out: it holds nothing of it).
    #[cold]
    #[inline(never)]
    pub fn inside(start: usize, segment: Segment) -> bool {
        KEPT.with(|kept| {
            let mut itself = false;
            for (steps, _) in kept.borrow_mut().iter_mut().skip(start) {
                itself |= steps.is_empty();
                steps.push(segment.clone());
            }
            itself
        })
    }

    /// Takes the values kept since `start`, each with its path.
    #[cold]
    #[inline(never)]
    pub fn take_since(start: usize) -> Vec<(String, Value)> {
        KEPT.with(|kept| {
            let mut kept = kept.borrow_mut();
            let start = start.min(kept.len());
            let taken = kept
                .drain(start..)
                .map(|(mut steps, value)| {
                    steps.reverse();
                    (render(&steps), value)
                })
                .collect();
            COUNT.with(|c| c.set(kept.len()));
            taken
        })
    }

    /// Forgets every kept value.
    pub fn clear() {
        if count() > 0 {
            take_since(0);
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

    #[derive(Debug, Default, PartialEq)]
    struct Counts {
        n: Vec<i64>,
        m: std::collections::BTreeMap<String, Vec<i64>>,
        extra: std::collections::BTreeMap<String, serde_json::Value>,
    }
    crate::__private::de::record_impls!(Counts, extra, (n, List), (m, Dict));

    #[derive(Debug, Default, PartialEq)]
    struct Three {
        a: i64,
        b: String,
        c: Vec<i64>,
        extra: std::collections::BTreeMap<String, serde_json::Value>,
    }
    crate::__private::de::record_impls!(Three, extra, (a, I64), (b, String), (c, List));

    #[test]
    fn members_decode_in_any_order_with_unknown_ones_among_them() {
        for text in [
            r#"{"a":1,"b":"x","c":[2]}"#,
            r#"{"c":[2],"b":"x","a":1}"#,
            r#"{"b":"x","z":0,"a":1,"c":[2]}"#,
            r#"{"z":0,"a":5,"c":[2],"b":"x","a":1}"#,
            r#"{"z":0,"y":0,"c":[2],"a":1,"b":"x"}"#,
        ] {
            let three = decode::<Three>(text).unwrap();
            assert_eq!(
                (three.a, three.b.as_str(), &three.c[..]),
                (1, "x", &[2][..]),
                "{text}"
            );
            let unknown: Vec<&str> = three.extra.keys().map(String::as_str).collect();
            let expected: Vec<&str> = ["y", "z"]
                .into_iter()
                .filter(|k| text.contains(&format!("\"{k}\"")))
                .collect();
            assert_eq!(unknown, expected, "{text}");
        }
        // Values the fields cannot hold, in the middle of a run: kept, and
        // the members after them still decoded.
        let three = decode::<Three>(r#"{"a":{"o":1},"b":"x","c":[2,"y"],"d":3}"#).unwrap();
        assert_eq!(
            (three.a, three.b.as_str(), &three.c[..]),
            (0, "x", &[2][..])
        );
        assert_eq!(three.extra["a"], serde_json::json!({"o": 1}));
        assert_eq!(three.extra["c[1]"], "y");
        assert_eq!(three.extra["d"], 3);
        assert_eq!(strays::count(), 0);
    }

    #[test]
    fn a_value_its_type_cannot_hold_is_kept_in_the_nearest_record() {
        // A member: in its own record's `extra`, under its name.
        let listing = decode::<Listing>(r#"{"acct":[{"uid":1},{"uid":"x"}]}"#).unwrap();
        assert_eq!(listing.acct[1].uid, 0);
        assert_eq!(listing.acct[1].extra["uid"], "x");
        // Inside lists and maps, at any depth: under its path from the
        // record, and left out of the list or map.
        let counts = decode::<Counts>(
            r#"{"n":[1,{"a":1},3],"m":{"k":[1,"x",[2]],"j":{"o":1},"p":{"0":4,"1":5},"i":7}}"#,
        )
        .unwrap();
        assert_eq!(counts.n, [1, 3]);
        assert_eq!(counts.extra["n[1]"], serde_json::json!({"a": 1}));
        assert_eq!(counts.m["k"], [1]);
        assert_eq!(counts.extra["m.k[1]"], "x");
        assert_eq!(counts.extra["m.k[2]"], serde_json::json!([2]));
        // An object keyed by position where a list goes is that list; a
        // member named otherwise is kept.
        assert_eq!(counts.m["p"], [4, 5]);
        assert!(counts.m["j"].is_empty());
        assert_eq!(counts.extra["m.j.o"], 1);
        // A number where a list goes is a list of one.
        assert_eq!(counts.m["i"], [7]);
        // A record where something else came: kept, not in the list.
        let listing = decode::<Listing>(r#"{"acct":[{"uid":1},5,"s",null,[1]]}"#).unwrap();
        assert_eq!(listing.acct.len(), 1);
        assert_eq!(listing.extra["acct[1]"], 5);
        assert_eq!(listing.extra["acct[2]"], "s");
        assert_eq!(listing.extra["acct[3]"], serde_json::Value::Null);
        assert_eq!(listing.extra["acct[4]"], serde_json::json!([1]));
        // Nothing is left over for the next payload.
        assert_eq!(strays::count(), 0);
    }

    #[test]
    fn what_no_record_takes_is_left_for_the_reply() {
        let map = decode::<crate::decode::Lenient<std::collections::BTreeMap<String, i64>>>(
            r#"{"a":"1","b":{"deep":[1]}}"#,
        )
        .unwrap()
        .0;
        assert_eq!(map.len(), 1);
        assert_eq!(map["a"], 1);
        assert_eq!(
            strays::take_since(0),
            [("b".to_owned(), serde_json::json!({"deep": [1]}))]
        );
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
        assert!(decode::<Theirs>(r#"{"acct":[{"uid":"x"}]}"#).is_err());
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
