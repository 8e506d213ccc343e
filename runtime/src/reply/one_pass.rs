//! The usual reply, read in one pass.
//!
//! Most replies succeed and carry their payload where the envelope's first
//! payload pointer says. For those, the objects on the way to the payload
//! are walked here, member by member, their other members collected as
//! JSON, and the payload is handed to its decoder where it starts in the
//! text, so that a 10 MB `listaccts` reply is parsed once. The walk is the
//! same code for every payload type: only the decoder is the type's own.
//!
//! Anything else (a failure, a payload elsewhere, a nested envelope, a
//! payload that does not decode) returns `None` and is read by the general
//! path, which explains what went wrong.

use std::borrow::Cow;

use serde::de::Deserialize;
use serde_json::value::RawValue;

use crate::decode::payload::Sink;
use crate::reply::rest::{Name, Rest};
use crate::wire::Envelope;

/// The reply without its payload, as written, the payload having gone
/// into `payload`; `None` when this reply needs the general path.
pub(crate) fn split<'de>(
    text: &'de str,
    envelope: &Envelope,
    payload: &mut dyn Sink<'de>,
) -> Option<Rest<'de>> {
    if envelope.inner.is_some() {
        return None;
    }
    let pointer = envelope.payload.first()?;
    // The whole reply as the payload takes the general path.
    if !pointer.starts_with('/') {
        return None;
    }
    let segments: Vec<Cow<'_, str>> = crate::wire::pointer::tokens(pointer).collect();
    let mut walk = Walk {
        text,
        at: 0,
        found: false,
    };
    let rest = walk.object(&segments, payload)?;
    walk.skip_blanks();
    (walk.at == text.len() && walk.found).then_some(rest)
}

/// A position in the reply's text.
struct Walk<'de> {
    text: &'de str,
    at: usize,
    /// Whether the payload was found (and decoded).
    found: bool,
}

impl<'de> Walk<'de> {
    /// The object here, on the way to the payload: `segments` are the keys
    /// still to follow. Its members other than the payload, as written.
    fn object(
        &mut self,
        segments: &[Cow<'_, str>],
        payload: &mut dyn Sink<'de>,
    ) -> Option<Rest<'de>> {
        let (head, tail) = segments.split_first()?;
        self.skip_blanks();
        self.expect(b'{')?;
        let mut rest = Rest::default();
        self.skip_blanks();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Some(rest);
        }
        loop {
            self.skip_blanks();
            let Name(key) = self.value()?;
            self.skip_blanks();
            self.expect(b':')?;
            self.skip_blanks();
            if key != *head {
                let value: &'de RawValue = self.value()?;
                rest.push_written(key, value);
            } else if self.found {
                // Which of two payloads counts is for the general path to say.
                return None;
            } else if tail.is_empty() {
                self.at += payload.decode_prefix(&self.text[self.at..])?;
                self.found = true;
            } else {
                let remainder = self.object(tail, payload)?;
                rest.push_around(key, remainder);
            }
            self.skip_blanks();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(rest);
                }
                _ => return None,
            }
        }
    }

    /// The JSON value here, as a `T`.
    fn value<T: Deserialize<'de>>(&mut self) -> Option<T> {
        let mut values = serde_json::Deserializer::from_str(&self.text[self.at..]).into_iter::<T>();
        let value = values.next()?.ok()?;
        self.at += values.byte_offset();
        Some(value)
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::api::test_support::WHM;
    use crate::decode::payload::Slot;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Data {
        n: i64,
    }

    fn envelope(payload: &'static [&'static str]) -> Envelope {
        Envelope {
            payload: payload
                .iter()
                .map(|p| crate::wire::Text::Borrowed(p))
                .collect(),
            ..WHM.envelope.clone()
        }
    }

    fn split_as(text: &str, envelope: &Envelope) -> Option<(Data, serde_json::Value)> {
        let mut slot = Slot::<Data>(None);
        let rest = split(text, envelope, &mut slot)?;
        Some((slot.0?, rest.to_value()))
    }

    #[test]
    fn the_payload_is_cut_out_of_the_reply() {
        let (data, rest) = split_as(
            r#" { "data" : {"n":3} , "metadata":{"result":1, "a": [1, "x"]} } "#,
            &envelope(&["/data"]),
        )
        .unwrap();
        assert_eq!(data, Data { n: 3 });
        assert_eq!(
            rest,
            serde_json::json!({"metadata": {"result": 1, "a": [1, "x"]}})
        );
    }

    #[test]
    fn a_deeper_payload_leaves_its_parents_in_the_rest() {
        let (data, rest) = split_as(
            r#"{"result":{"status":1,"data":{"n":4}},"x\"y":null}"#,
            &envelope(&["/result/data"]),
        )
        .unwrap();
        assert_eq!(data, Data { n: 4 });
        assert_eq!(
            rest,
            serde_json::json!({"result": {"status": 1}, "x\"y": null})
        );
        let (data, _) = split_as(r#"{"d~a/t":{"n":5}}"#, &envelope(&["/d~0a~1t"])).unwrap();
        assert_eq!(data, Data { n: 5 });
    }

    #[test]
    fn anything_unusual_is_left_to_the_general_path() {
        let whm = envelope(&["/data"]);
        for text in [
            r#"{"metadata":{"result":0}}"#,        // no payload
            r#"{"data":{"n":"x"},"metadata":{}}"#, // does not decode
            r#"{"data":{"n":1},"data":{"n":2}}"#,  // twice
            r#"[1,2]"#,                            // not an object
            r#"{"data":{"n":1}} trailing"#,        // not JSON
            r#"{"data":{"n":1}"#,                  // truncated
            r#"{"data":{"n":1} "m":1}"#,           // no comma
            r#"{"data":{"n":1},}"#,                // trailing comma
            r#"{}"#,                               // empty
            "",
        ] {
            assert!(split_as(text, &whm).is_none(), "{text}");
        }
        assert!(split_as(r#"{"data":{"n":1}}"#, &envelope(&[])).is_none());
        assert!(split_as(r#"{"result":[1]}"#, &envelope(&["/result/data"])).is_none());
    }
}
