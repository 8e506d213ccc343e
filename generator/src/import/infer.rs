//! A schema inferred from a sample value.
//!
//! A sample shows what one reply looked like, so the inferred schema claims no
//! more than that: no property is required, an array's items merge what every
//! element showed, `null` makes a schema nullable, and values of different
//! types become `oneOf`. An object whose keys are data rather than names
//! (domains, IP addresses, paths) becomes a map.

use indexmap::IndexMap;
use serde_json::Value;

use crate::openapi::{AdditionalProperties, Schema};

/// The schema of `value`.
pub fn infer(value: &Value) -> Schema {
    match value {
        Value::Null => Schema {
            nullable: true,
            ..Schema::default()
        },
        Value::Bool(_) => Schema::of_type("boolean"),
        Value::Number(n) if n.is_f64() => Schema::of_type("number"),
        Value::Number(_) => Schema::of_type("integer"),
        Value::String(_) => Schema::of_type("string"),
        Value::Array(items) => Schema {
            items: Some(Box::new(
                items.iter().map(infer).reduce(merge).unwrap_or_default(),
            )),
            ..Schema::of_type("array")
        },
        Value::Object(members) => {
            if !members.is_empty() && members.keys().all(|k| is_data_key(k)) {
                let values = members
                    .values()
                    .map(infer)
                    .reduce(merge)
                    .unwrap_or_default();
                return Schema {
                    additional_properties: Some(AdditionalProperties::Schema(Box::new(values))),
                    ..Schema::of_type("object")
                };
            }
            let property = |k: &String, v: &Value| {
                let mut schema = infer(v);
                // A member named like a secret must not show in Debug output.
                if schema.kind.as_deref() == Some("string") && super::document::is_secret_name(k) {
                    schema.format = Some("password".to_owned());
                }
                (k.clone(), schema)
            };
            Schema {
                properties: members.iter().map(|(k, v)| property(k, v)).collect(),
                ..Schema::of_type("object")
            }
        }
    }
}

/// A key that is a value (a domain, address, path or number), not a field name.
fn is_data_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_digit()) || key.contains(['.', '@', '/', ':', ' '])
}

fn is_unknown(s: &Schema) -> bool {
    s.kind.is_none() && s.one_of.is_empty() && s.reference.is_none()
}

/// The schema that accepts what both accept.
pub fn merge(a: Schema, b: Schema) -> Schema {
    if a == b {
        return a;
    }
    if is_unknown(&a) {
        return Schema {
            nullable: a.nullable || b.nullable,
            ..b
        };
    }
    if is_unknown(&b) {
        return Schema {
            nullable: a.nullable || b.nullable,
            ..a
        };
    }
    let nullable = a.nullable || b.nullable;
    match (a.kind.as_deref(), b.kind.as_deref()) {
        (Some("object"), Some("object")) => merge_objects(a, b, nullable),
        (Some("array"), Some("array")) => {
            let items = merge(
                a.items.map(|i| *i).unwrap_or_default(),
                b.items.map(|i| *i).unwrap_or_default(),
            );
            Schema {
                items: Some(Box::new(items)),
                nullable,
                ..Schema::of_type("array")
            }
        }
        (Some("integer"), Some("number")) | (Some("number"), Some("integer")) => Schema {
            nullable,
            ..Schema::of_type("number")
        },
        (Some(x), Some(y)) if x == y => Schema { nullable, ..a },
        _ => {
            let mut one_of = Vec::new();
            for s in [a, b] {
                let parts = if s.one_of.is_empty() {
                    vec![s]
                } else {
                    s.one_of
                };
                for mut part in parts {
                    part.nullable = false;
                    match one_of.iter().position(|o: &Schema| o.kind == part.kind) {
                        Some(i) => {
                            let existing = std::mem::take(&mut one_of[i]);
                            one_of[i] = merge(existing, part);
                        }
                        None => one_of.push(part),
                    }
                }
            }
            Schema {
                one_of,
                nullable,
                ..Schema::default()
            }
        }
    }
}

fn merge_objects(a: Schema, b: Schema, nullable: bool) -> Schema {
    match (a.additional_properties, b.additional_properties) {
        (Some(AdditionalProperties::Schema(x)), Some(AdditionalProperties::Schema(y))) => Schema {
            additional_properties: Some(AdditionalProperties::Schema(Box::new(merge(*x, *y)))),
            nullable,
            ..Schema::of_type("object")
        },
        (x, y) => {
            let mut properties: IndexMap<String, Schema> = a.properties;
            for (key, schema) in b.properties {
                match properties.get_mut(&key) {
                    Some(existing) => {
                        let taken = std::mem::take(existing);
                        *existing = merge(taken, schema);
                    }
                    None => {
                        properties.insert(key, schema);
                    }
                }
            }
            Schema {
                properties,
                additional_properties: x.or(y),
                nullable,
                ..Schema::of_type("object")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kind(s: &Schema) -> Option<&str> {
        s.kind.as_deref()
    }

    #[test]
    fn scalars() {
        assert_eq!(kind(&infer(&json!("a"))), Some("string"));
        assert_eq!(kind(&infer(&json!(1))), Some("integer"));
        assert_eq!(kind(&infer(&json!(1.5))), Some("number"));
        assert_eq!(kind(&infer(&json!(true))), Some("boolean"));
        assert!(infer(&json!(null)).nullable);
    }

    #[test]
    fn arrays_merge_their_elements() {
        let s = infer(&json!([{"a": 1}, {"a": null, "b": "x"}]));
        let items = s.items.unwrap();
        assert_eq!(items.properties.len(), 2);
        assert_eq!(kind(&items.properties["a"]), Some("integer"));
        assert!(items.properties["a"].nullable);
        assert!(
            items.required.is_empty(),
            "a sample proves nothing required"
        );
    }

    #[test]
    fn mixed_types_become_one_of() {
        let s = infer(&json!([1, "unlimited", 2]));
        let items = s.items.unwrap();
        let kinds: Vec<_> = items.one_of.iter().map(|s| kind(s).unwrap()).collect();
        assert_eq!(kinds, ["integer", "string"]);
    }

    #[test]
    fn integer_and_number_widen() {
        let s = infer(&json!([1, 2.5]));
        assert_eq!(kind(&s.items.unwrap()), Some("number"));
    }

    #[test]
    fn empty_array_has_unknown_items() {
        let s = infer(&json!([]));
        assert_eq!(s.items.unwrap().kind, None);
    }

    #[test]
    fn secret_members_are_marked() {
        let s = infer(&json!({"token": "abc", "token_name": "x", "password": "p", "count": 1}));
        assert_eq!(s.properties["token"].format.as_deref(), Some("password"));
        assert_eq!(s.properties["password"].format.as_deref(), Some("password"));
        assert_eq!(s.properties["token_name"].format, None);
        assert_eq!(s.properties["count"].format, None);
    }

    #[test]
    fn data_keys_make_a_map() {
        let s =
            infer(&json!({"example.com": {"ip": "192.0.2.1"}, "example.net": {"ip": "192.0.2.2"}}));
        assert!(s.properties.is_empty());
        let Some(AdditionalProperties::Schema(values)) = s.additional_properties else {
            panic!("expected a map");
        };
        assert_eq!(kind(&values.properties["ip"]), Some("string"));
    }
}
