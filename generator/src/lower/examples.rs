//! Example values of reply fields, from the documented replies.
//!
//! Reply schemas inferred from a sample describe no field; what the sample
//! showed is the most a reader can learn of a field, so each reply field
//! the spec gives no example for takes the first value the documented
//! replies show for it (the first that is not empty), read along the
//! operation's payload type.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::ir::{Api, TypeDef, TypePath, TypeRef, Wrapper};

/// A field, by its struct's module and name and its index.
type FieldKey = (String, String, usize);

/// Sets the example of every reply field that has none and that a
/// documented reply shows.
pub fn fill(api: &mut Api) {
    let mut found: BTreeMap<FieldKey, Value> = BTreeMap::new();
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        if let Some(sample) = &op.data_example {
            visit(api, &op.data, sample, &mut found, 0);
        }
    }
    for (module, def) in api.type_defs_mut() {
        let TypeDef::Struct(s) = def else { continue };
        for (i, field) in s.fields.iter_mut().enumerate() {
            if field.example.is_none() {
                field.example = found.remove(&(module.to_owned(), s.name.clone(), i));
            }
        }
    }
}

/// Samples nest as deep as replies do; this bounds a malformed IR.
const MAX_DEPTH: usize = 64;

fn visit(
    api: &Api,
    ty: &TypeRef,
    sample: &Value,
    found: &mut BTreeMap<FieldKey, Value>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    // A sample of another shape than the type's shows none of its fields.
    match (ty.wrapped(), sample) {
        (Some((Wrapper::Option, inner)), _) => visit(api, inner, sample, found, depth + 1),
        (Some((Wrapper::List, item)), Value::Array(items)) => {
            for element in items {
                visit(api, item, element, found, depth + 1);
            }
        }
        (Some((Wrapper::Map, value)), Value::Object(members)) => {
            for member in members.values() {
                visit(api, value, member, found, depth + 1);
            }
        }
        (Some((Wrapper::List | Wrapper::Map, _)), _) => {}
        (None, Value::Object(members)) => {
            if let Some(path) = ty.named() {
                visit_struct(api, path, members, found, depth);
            }
        }
        (None, _) => {}
    }
}

fn visit_struct(
    api: &Api,
    path: &TypePath,
    members: &serde_json::Map<String, Value>,
    found: &mut BTreeMap<FieldKey, Value>,
    depth: usize,
) {
    let Some(TypeDef::Struct(s)) = api.type_def(path) else {
        return;
    };
    for (i, field) in s.fields.iter().enumerate() {
        let Some(value) = members.get(&field.wire) else {
            continue;
        };
        // The first value seen: `null` or an empty list only when no
        // sample shows more.
        let key = (path.module.clone(), s.name.clone(), i);
        match found.get(&key) {
            Some(seen) if !is_empty(seen) => {}
            _ => {
                found.insert(key, value.clone());
            }
        }
        visit(api, &field.ty, value, found, depth + 1);
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(members) => members.is_empty(),
        _ => false,
    }
}
