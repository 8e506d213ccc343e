//! Unions (`oneOf`, `anyOf`) in replies: the value is read whole, then
//! decoded as the alternative its tag, its kind or its members say. A
//! value none of them takes is kept as sent. Unions are rare and small,
//! so reading the value first (the tag may come after the members it
//! decides) costs little; what it buys is that no alternative is guessed.

use serde::Serialize as _;
use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;

use super::Element;

pub use crate::wire::JsonKind as Kind;

/// The value, read whole.
pub fn whole<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    Value::deserialize(d)
}

/// Whether `value` is an object whose `member` is one of `values` (a
/// number or flag compared as its text).
pub fn is_tag(value: &Value, member: &str, values: &[&str]) -> bool {
    match value.get(member) {
        Some(Value::String(tag)) => values.contains(&tag.as_str()),
        Some(tag @ (Value::Number(_) | Value::Bool(_))) => values.contains(&&*tag.to_string()),
        _ => false,
    }
}

/// Whether `value` is of `kind`.
pub fn is_kind(value: &Value, kind: Kind) -> bool {
    match kind {
        Kind::String => value.is_string(),
        Kind::Integer => value.is_i64() || value.is_u64(),
        Kind::Number => value.is_number(),
        Kind::Bool => value.is_boolean(),
        Kind::List => value.is_array(),
        Kind::Object => value.is_object(),
    }
}

/// Whether `value` is an object with every one of `members`.
pub fn has_members(value: &Value, members: &[&str]) -> bool {
    value
        .as_object()
        .is_some_and(|object| members.iter().all(|m| object.contains_key(*m)))
}

/// The alternative `T`, decoded leniently from the value read whole.
pub fn alternative<'de, T: Element<'de>, E: de::Error>(value: Value) -> Result<T, E> {
    T::element(value).map_err(E::custom)
}

/// `value` with `member` set to `tag`: a request's union is sent with the
/// tag of the alternative it holds, whatever the alternative's own member
/// says.
pub fn tagged<T: serde::Serialize + ?Sized, Z: serde::Serializer>(
    value: &T,
    (member, tag): (&str, &str),
    serializer: Z,
) -> Result<Z::Ok, Z::Error> {
    use serde::ser::Error as _;
    let mut value = serde_json::to_value(value).map_err(Z::Error::custom)?;
    if let Value::Object(object) = &mut value {
        object.insert(member.to_owned(), Value::String(tag.to_owned()));
    }
    value.serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_tag_a_kind_or_members_choose() {
        let cat = json!({"name": "Tom", "petType": "cat"});
        assert!(is_tag(&cat, "petType", &["cat", "kitten"]));
        assert!(!is_tag(&cat, "petType", &["dog"]));
        assert!(!is_tag(&json!("cat"), "petType", &["cat"]));
        assert!(is_tag(&json!({"v": 2}), "v", &["2"]));
        assert!(is_kind(&json!(3), Kind::Integer) && is_kind(&json!(3), Kind::Number));
        assert!(!is_kind(&json!(3.5), Kind::Integer) && is_kind(&json!(3.5), Kind::Number));
        assert!(!is_kind(&json!("3"), Kind::Integer));
        assert!(has_members(&cat, &["name"]) && has_members(&cat, &[]));
        assert!(!has_members(&cat, &["name", "bark"]) && !has_members(&json!([]), &[]));
    }

    #[test]
    fn a_request_alternative_is_sent_with_its_tag() {
        let sent = tagged(
            &json!({"name": "Rex", "petType": "cat"}),
            ("petType", "dog"),
            serde_json::value::Serializer,
        )
        .unwrap();
        assert_eq!(sent, json!({"name": "Rex", "petType": "dog"}));
    }
}
