//! A reference's type lines (`integer <int32>`, `Array of strings`, `string
//! Enum: "a" "b"`) as schemas, and documented values coerced to the
//! schema they are examples of.

use serde_json::Value;

use super::type_expr::{Alternative, Constraint, Primitive, TypeExpr};
use crate::spec::openapi::Schema;
use crate::spec::openapi::SchemaType;

/// The schema a type line describes, without the parameter's attributes.
pub(super) fn type_schema(ty: &TypeExpr) -> Schema {
    let mut alternatives: Vec<Schema> = Vec::new();
    let mut any = false;
    let mut nullable = false;
    for alternative in &ty.alternatives {
        let schema = match alternative {
            Alternative::Single(Primitive::Null) => {
                nullable = true;
                continue;
            }
            Alternative::Single(Primitive::Any) => {
                any = true;
                Schema::default()
            }
            Alternative::Single(p) => primitive(*p),
            Alternative::Array(items) => {
                let mut item_schemas: Vec<Schema> = Vec::new();
                for item in items {
                    let s = primitive(*item);
                    if !item_schemas.contains(&s) {
                        item_schemas.push(s);
                    }
                }
                let items = if item_schemas.len() == 1 {
                    item_schemas.pop().unwrap_or_default()
                } else {
                    Schema {
                        one_of: item_schemas,
                        ..Schema::default()
                    }
                };
                Schema {
                    items: Some(Box::new(items)),
                    ..Schema::of_type(SchemaType::Array)
                }
            }
        };
        if !alternatives.contains(&schema) {
            alternatives.push(schema);
        }
    }
    let mut schema = match alternatives.len() {
        0 => Schema::default(),
        1 => alternatives.pop().unwrap_or_default(),
        _ if any => Schema {
            any_of: alternatives,
            ..Schema::default()
        },
        _ => Schema {
            one_of: alternatives,
            ..Schema::default()
        },
    };
    schema.nullable = nullable;
    let is_string = schema.kind == Some(SchemaType::String);
    let is_array = schema.kind == Some(SchemaType::Array);
    if let Some(format) = &ty.format {
        match schema.items.as_mut() {
            Some(items) if is_array => items.format = Some(format.clone()),
            _ => schema.format = Some(format.clone()),
        }
    }
    for constraint in &ty.constraints {
        match constraint {
            Constraint::Range {
                min,
                max,
                exclusive,
            } if is_string => {
                schema.min_length = min.as_u64();
                schema.max_length = max.as_u64();
                let _ = exclusive;
            }
            Constraint::Range {
                min,
                max,
                exclusive,
            } => {
                schema.minimum = Some(min.clone());
                schema.maximum = Some(max.clone());
                schema.exclusive_minimum = *exclusive;
                schema.exclusive_maximum = *exclusive;
            }
            Constraint::AtLeast(n) => schema.minimum = Some(n.clone()),
            Constraint::AtMost(n) if is_string => schema.max_length = n.as_u64(),
            Constraint::AtMost(n) => schema.maximum = Some(n.clone()),
            Constraint::MaxCharacters(n) => match schema.items.as_mut() {
                Some(items) if is_array => items.max_length = Some(*n),
                _ => schema.max_length = Some(*n),
            },
            Constraint::ItemsAtLeast(n) => {
                if let Some(items) = schema.items.as_mut() {
                    items.minimum = Some(n.clone());
                }
            }
            Constraint::ItemsFormat(f) => {
                if let Some(items) = schema.items.as_mut() {
                    items.format = Some(f.clone());
                }
            }
        }
    }
    schema
}

fn primitive(p: Primitive) -> Schema {
    match p.openapi_type() {
        Some(kind) => Schema::of_type(SchemaType::named(kind)),
        None => Schema::default(),
    }
}

/// The value as the schema's type would carry it (`"5"` for an integer is `5`).
pub(super) fn coerce(schema: &Schema, value: Value) -> Value {
    match (schema.kind.as_ref(), &value) {
        (Some(SchemaType::Integer), Value::String(s)) => {
            s.parse::<i64>().map(Value::from).unwrap_or(value)
        }
        (Some(SchemaType::Number), Value::String(s)) => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or(value),
        (Some(SchemaType::String), Value::Number(n)) => Value::String(n.to_string()),
        (Some(SchemaType::String), Value::Bool(b)) => Value::String(b.to_string()),
        (Some(SchemaType::Boolean), Value::Number(n)) => n
            .as_u64()
            .filter(|n| *n <= 1)
            .map(|n| Value::Bool(n == 1))
            .unwrap_or(value),
        (Some(SchemaType::Boolean), Value::String(s)) if s == "1" || s == "0" => {
            Value::Bool(s == "1")
        }
        // An empty default for a list is the empty list.
        (Some(SchemaType::Array), Value::String(s)) if s.is_empty() => Value::Array(Vec::new()),
        (Some(SchemaType::Array), Value::String(s)) => {
            let items = schema.items.as_deref().cloned().unwrap_or_default();
            Value::Array(vec![coerce(&items, Value::String(s.clone()))])
        }
        (Some(SchemaType::Object), Value::String(s)) => serde_json::from_str(s).unwrap_or(value),
        _ => value,
    }
}

/// Whether the schema allows `value`: its type, enum, range and length.
pub(super) fn accepts(schema: &Schema, nullable: bool, value: &Value) -> bool {
    if value.is_null() {
        return nullable;
    }
    if let Some(values) = &schema.enumeration
        && !values.contains(value)
    {
        return false;
    }
    if !schema.one_of.is_empty() || !schema.any_of.is_empty() {
        return schema
            .one_of
            .iter()
            .chain(&schema.any_of)
            .any(|s| accepts(s, false, value));
    }
    let type_ok = match schema.kind.as_ref() {
        None => true,
        Some(SchemaType::String) => value.is_string(),
        Some(SchemaType::Integer) => value.is_i64() || value.is_u64(),
        Some(SchemaType::Number) => value.is_number(),
        Some(SchemaType::Boolean) => value.is_boolean(),
        Some(SchemaType::Array) => value.is_array(),
        Some(SchemaType::Object) => value.is_object(),
        Some(_) => false,
    };
    let as_f64 = |n: &serde_json::Number| n.as_f64().unwrap_or(f64::NAN);
    let in_range = match value.as_f64() {
        Some(v) => {
            let above = schema.minimum.as_ref().is_none_or(|m| {
                if schema.exclusive_minimum {
                    v > as_f64(m)
                } else {
                    v >= as_f64(m)
                }
            });
            let below = schema.maximum.as_ref().is_none_or(|m| {
                if schema.exclusive_maximum {
                    v < as_f64(m)
                } else {
                    v <= as_f64(m)
                }
            });
            above && below
        }
        None => true,
    };
    let length_ok = match value.as_str() {
        Some(s) => {
            let n = s.chars().count() as u64;
            schema.min_length.is_none_or(|m| n >= m) && schema.max_length.is_none_or(|m| n <= m)
        }
        None => true,
    };
    type_ok
        && in_range
        && length_ok
        && value
            .as_str()
            .is_none_or(|s| format_ok(schema.format.as_deref(), s))
}

/// Whether a string is of the format, for the formats JSON Schema defines
/// and validators check; other formats (`username`, `domain`) are names
/// only and accept anything.
fn format_ok(format: Option<&str>, s: &str) -> bool {
    match format {
        Some("ipv4") => s.parse::<std::net::Ipv4Addr>().is_ok(),
        Some("ipv6") => s.parse::<std::net::Ipv6Addr>().is_ok(),
        Some("email") => s
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty()),
        _ => true,
    }
}
