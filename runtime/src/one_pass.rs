//! The usual reply, read in one pass.
//!
//! Most replies succeed and carry their payload where the envelope's first
//! payload pointer says. For those, the payload is decoded straight into its
//! type while the rest of the reply (WHM's small `metadata`) is collected
//! as JSON, so a 10 MB `listaccts` reply is parsed once. Anything else (a
//! failure, a payload elsewhere, a nested envelope, a payload that does not
//! decode) returns `None` and is read by the general path, which explains
//! what went wrong.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::api::Envelope;

/// The payload at the envelope's first payload pointer, and the reply
/// without it; `None` when this reply needs the general path.
pub(crate) fn split<'de, T: Deserialize<'de>>(
    text: &'de str,
    envelope: &Envelope,
) -> Option<(T, Value)> {
    if envelope.inner.is_some() {
        return None;
    }
    let pointer = envelope.payload.first()?;
    let segments: Vec<String> = pointer
        .strip_prefix('/')?
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut found = None;
    let mut de = serde_json::Deserializer::from_str(text);
    let rest = Level {
        segments: &segments,
        found: &mut found,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    Some((found?, rest))
}

/// One object on the way to the payload: `segments` are the keys still to
/// follow; the payload goes into `found`, everything else into the value
/// returned.
struct Level<'s, T> {
    segments: &'s [String],
    found: &'s mut Option<T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Level<'_, T> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Level<'_, T> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let Some((head, tail)) = self.segments.split_first() else {
            return Err(serde::de::Error::custom("no payload pointer"));
        };
        let mut rest = Map::new();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key != head.as_str() {
                rest.insert(key.into_owned(), map.next_value()?);
                continue;
            }
            if self.found.is_some() {
                // Which of two payloads counts is for the general path to say.
                return Err(serde::de::Error::custom("the payload appears twice"));
            }
            if tail.is_empty() {
                *self.found = Some(map.next_value_seed(PhantomData::<T>)?);
            } else {
                let remainder = map.next_value_seed(Level {
                    segments: tail,
                    found: &mut *self.found,
                })?;
                rest.insert(key.into_owned(), remainder);
            }
        }
        Ok(Value::Object(rest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::api::test_support::WHM;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Data {
        n: i64,
    }

    fn envelope(payload: &'static [&'static str]) -> Envelope {
        Envelope {
            payload,
            ..WHM.envelope
        }
    }

    #[test]
    fn the_payload_is_cut_out_of_the_reply() {
        let (data, rest) = split::<Data>(
            r#"{"data":{"n":3},"metadata":{"result":1}}"#,
            &envelope(&["/data"]),
        )
        .unwrap();
        assert_eq!(data, Data { n: 3 });
        assert_eq!(rest, serde_json::json!({"metadata": {"result": 1}}));
    }

    #[test]
    fn a_deeper_payload_leaves_its_parents_in_the_rest() {
        let (data, rest) = split::<Data>(
            r#"{"result":{"status":1,"data":{"n":4}}}"#,
            &envelope(&["/result/data"]),
        )
        .unwrap();
        assert_eq!(data, Data { n: 4 });
        assert_eq!(rest, serde_json::json!({"result": {"status": 1}}));
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
        ] {
            assert!(split::<Data>(text, &whm).is_none(), "{text}");
        }
        assert!(split::<Data>(r#"{"data":{"n":1}}"#, &envelope(&[])).is_none());
    }
}
