//! The reply beside its payload, as the server wrote it.
//!
//! A call awaited for its payload alone needs one thing of the rest: the
//! success flag. Building the rest as JSON (`{"metadata": {...}}`: a map
//! of maps, every key and text copied) took a fifth of reading a small
//! reply, so the rest stays text, looked into where the envelope points,
//! and becomes JSON only for a caller who keeps it ([`crate::Reply::rest`]).

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::wire::pointer;

/// The members of an object in the reply, other than the payload, in the
/// order they came.
#[derive(Debug, Default)]
pub(crate) struct Rest<'de> {
    members: Vec<(Cow<'de, str>, Member<'de>)>,
}

/// A member of the rest.
#[derive(Debug)]
enum Member<'de> {
    /// Anything, as written.
    Written(&'de RawValue),
    /// The object on the way to the payload: its other members.
    Around(Rest<'de>),
}

impl<'de> Rest<'de> {
    pub fn push_written(&mut self, name: Cow<'de, str>, value: &'de RawValue) {
        self.members.push((name, Member::Written(value)));
    }

    pub fn push_around(&mut self, name: Cow<'de, str>, rest: Rest<'de>) {
        self.members.push((name, Member::Around(rest)));
    }

    /// The rest as JSON (a member named twice: the last one, where the
    /// first stood, as `serde_json` reads an object).
    pub fn to_value(&self) -> Value {
        let members = self.members.iter().map(|(name, member)| {
            let value = match member {
                Member::Written(raw) => serde_json::from_str(raw.get()).unwrap_or(Value::Null),
                Member::Around(rest) => rest.to_value(),
            };
            (name.clone().into_owned(), value)
        });
        Value::Object(members.collect())
    }

    /// The value at JSON `pointer`, as `Value::pointer` finds it in
    /// [`Rest::to_value`], made JSON alone.
    pub fn value_at(&self, at: &str) -> Option<Value> {
        if at.is_empty() {
            return Some(self.to_value());
        }
        let mut tokens = at.strip_prefix('/')?.split('/');
        let mut rest = self;
        loop {
            let name = pointer::unescape(tokens.next()?);
            let (_, member) = rest.members.iter().rev().find(|(n, _)| *n == name)?;
            match member {
                Member::Around(inner) => match tokens.clone().next() {
                    Some(_) => rest = inner,
                    None => return Some(inner.to_value()),
                },
                Member::Written(raw) => {
                    let found = tokens
                        .try_fold(*raw, |raw, token| child(raw, &pointer::unescape(token)))?;
                    return serde_json::from_str(found.get()).ok();
                }
            }
        }
    }
}

/// The member `name` of the object written as `raw`, or the element a
/// list's index `name` stands for, as written; found without building
/// anything else.
fn child<'de>(raw: &'de RawValue, name: &str) -> Option<&'de RawValue> {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    de.deserialize_any(Child { name }).ok().flatten()
}

/// A member's name, borrowed from the reply unless it has escapes
/// (serde's own `Cow<str>` always copies).
pub(crate) struct Name<'de>(pub Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(NameVisitor)
    }
}

struct NameVisitor;

impl<'de> Visitor<'de> for NameVisitor {
    type Value = Name<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member's name")
    }

    fn visit_borrowed_str<E>(self, name: &'de str) -> Result<Self::Value, E> {
        Ok(Name(Cow::Borrowed(name)))
    }

    fn visit_str<E>(self, name: &str) -> Result<Self::Value, E> {
        Ok(Name(Cow::Owned(name.to_owned())))
    }
}

/// Looks for one member or element, skipping the others.
struct Child<'n> {
    name: &'n str,
}

impl<'de> Visitor<'de> for Child<'_> {
    type Value = Option<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(Name(key)) = map.next_key()? {
            // The last of a name twice, as a map of the object keeps it.
            if key == self.name {
                found = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        if let Some(index) = crate::reply::pointer::index(self.name) {
            for _ in 0..index {
                if seq.next_element::<IgnoredAny>()?.is_none() {
                    return Ok(None);
                }
            }
            found = seq.next_element::<&'de RawValue>()?;
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(found)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> &RawValue {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn what_is_found_in_the_text_is_what_the_json_would_give() {
        let metadata = raw(
            r#"{"result":1,"reason":"OK","output":{"warnings":["w"]},"l":[0,{"x":2}],"d":1,"d":2,"a/b":3,"t~":4}"#,
        );
        let mut inner = Rest::default();
        inner.push_written("status".into(), raw("true"));
        let mut rest = Rest::default();
        rest.push_written("metadata".into(), metadata);
        rest.push_around("result".into(), inner);
        rest.push_written("n".into(), raw("null"));
        let value = rest.to_value();
        assert_eq!(
            value,
            serde_json::json!({
                "metadata": {"result": 1, "reason": "OK", "output": {"warnings": ["w"]}, "l": [0, {"x": 2}], "d": 2, "a/b": 3, "t~": 4},
                "result": {"status": true},
                "n": null,
            })
        );
        for at in [
            "",
            "/metadata",
            "/metadata/result",
            "/metadata/output/warnings",
            "/metadata/output/warnings/0",
            "/metadata/l/1/x",
            "/metadata/l/01",
            "/metadata/l/2",
            "/metadata/l/-",
            "/metadata/d",
            "/metadata/a~1b",
            "/metadata/t~0",
            "/metadata/result/x",
            "/result",
            "/result/status",
            "/result/data",
            "/n",
            "/n/x",
            "/missing",
            "metadata",
            "/",
        ] {
            assert_eq!(rest.value_at(at).as_ref(), value.pointer(at), "{at:?}");
        }
    }
}
