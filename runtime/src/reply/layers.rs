//! The levels of a reply: its envelope, and the envelopes inside the
//! payload (UAPI's through WHM, a batch's items), each with its success
//! flag, reason, warnings and messages at JSON pointers the API names.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::Envelope;
use crate::error::Error;

/// A successful reply's payload, found through its envelope and the
/// envelopes inside it, and what every level holds besides.
pub(super) struct Unwrapped<'de> {
    pub(super) payload: Option<&'de RawValue>,
    /// Where the payload is in the reply.
    pub(super) pointer: String,
    pub(super) rest: Value,
    pub(super) warnings: Vec<String>,
    pub(super) messages: Vec<String>,
}

/// Each envelope in turn: the outer one on the reply, an inner one on the
/// outer's payload. A level whose success flag says no is the call's
/// failure (`Error::Api`).
pub(super) fn unwrap_envelopes<'de>(
    envelope: &Envelope,
    operation: &str,
    root: &'de RawValue,
    invalid: &dyn Fn(serde_json::Error) -> Error,
    not_reply: &dyn Fn() -> Error,
) -> Result<Unwrapped<'de>, Error> {
    let mut layer = Some(envelope);
    let mut current = root;
    let mut found = Unwrapped {
        payload: None,
        pointer: String::new(),
        rest: Value::Null,
        warnings: Vec::new(),
        messages: Vec::new(),
    };
    let mut outer = true;
    while let Some(envelope) = layer {
        let (inner_payload, inner_pointer, inner_rest) =
            split(current, envelope.payload).map_err(invalid)?;
        found
            .warnings
            .extend(strings(&inner_rest, envelope.warnings));
        found
            .messages
            .extend(strings(&inner_rest, envelope.messages));
        // The outer envelope's flag missing altogether: a failure only
        // when a reason stands where the API keeps one (cPanel fails an
        // unknown user before any call, with `error` alone); else not this
        // API's reply at all. An inner level's missing flag is that
        // call's failure.
        if std::mem::take(&mut outer)
            && !envelope.success.is_empty()
            && first_of(&inner_rest, envelope.success).is_none()
            && first_of(&inner_rest, envelope.message)
                .map(reason_text)
                .is_none_or(|r| r.is_empty())
        {
            return Err(not_reply());
        }
        if !envelope.success.is_empty() && !succeeded(&inner_rest, envelope.success) {
            let reason = first_of(&inner_rest, envelope.message)
                .map(reason_text)
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| "the server gives no reason".to_owned());
            // A server can echo what it was sent: `read` scrubs the error.
            let data: Option<Value> =
                inner_payload.and_then(|p| serde_json::from_str(p.get()).ok());
            return Err(Error::Api {
                operation: operation.to_owned(),
                reason,
                warnings: found.warnings,
                data: data.map(Box::new),
            });
        }
        if found.rest.is_null() {
            found.rest = inner_rest;
        } else {
            // An inner envelope's other members (UAPI's `metadata`,
            // `errors`, and whatever a newer server adds beside them) stay
            // in the reply's rest, where they are in the reply.
            place(&mut found.rest, &found.pointer, inner_rest);
        }
        found.pointer.push_str(&inner_pointer);
        found.payload = inner_payload;
        layer = envelope.inner;
        match (layer, inner_payload) {
            (Some(_), Some(p)) => current = p,
            (Some(_), None) => layer = None,
            (None, _) => {}
        }
    }
    Ok(found)
}

/// Puts `value` at JSON `pointer` in `into`, making the objects on the way;
/// nothing when something on the way is not an object, or `value` is null.
pub(super) fn place(into: &mut Value, pointer: &str, value: Value) {
    if value.is_null() {
        return;
    }
    let mut at = into;
    for token in pointer.split('/').skip(1) {
        let key = token.replace("~1", "/").replace("~0", "~");
        let Value::Object(map) = at else {
            return;
        };
        at = map
            .entry(key)
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
    }
    match (at, value) {
        (Value::Object(existing), Value::Object(members)) => existing.extend(members),
        (slot, value) => *slot = value,
    }
}

/// The payload (and the pointer it was found at) and the reply without it.
pub(super) fn split<'a>(
    root: &'a RawValue,
    pointers: &[&str],
) -> Result<(Option<&'a RawValue>, String, Value), serde_json::Error> {
    if pointers.is_empty() {
        return Ok((Some(root), String::new(), Value::Null));
    }
    for pointer in pointers {
        let segments: Vec<Cow<'_, str>> = pointer
            .split('/')
            .skip(1)
            .map(|s| Cow::Owned(s.replace("~1", "/").replace("~0", "~")))
            .collect();
        let (payload, rest) = cut(root, &segments)?;
        if payload.is_some() || pointer == pointers.last().unwrap_or(&"") {
            return Ok((payload, (*pointer).to_owned(), rest));
        }
    }
    Ok((None, String::new(), serde_json::from_str(root.get())?))
}

/// Cuts the value at `segments` out of `raw`: (that value, everything else).
pub(super) fn cut<'a>(
    raw: &'a RawValue,
    segments: &[Cow<'_, str>],
) -> Result<(Option<&'a RawValue>, Value), serde_json::Error> {
    let Some((head, tail)) = segments.split_first() else {
        return Ok((Some(raw), Value::Null));
    };
    if !raw.get().trim_start().starts_with('{') {
        return Ok((None, serde_json::from_str(raw.get())?));
    }
    let members: BTreeMap<Cow<'a, str>, &'a RawValue> = serde_json::from_str(raw.get())?;
    let mut rest = serde_json::Map::new();
    let mut found = None;
    for (key, value) in members {
        if key == *head {
            let (payload, remainder) = cut(value, tail)?;
            found = payload;
            if !remainder.is_null() {
                rest.insert(key.into_owned(), remainder);
            }
        } else {
            rest.insert(key.into_owned(), serde_json::from_str(value.get())?);
        }
    }
    Ok((found, Value::Object(rest)))
}

pub(super) fn first_of<'v>(rest: &'v Value, pointers: &[&str]) -> Option<&'v Value> {
    pointers.iter().find_map(|p| rest.pointer(p))
}

/// Whether the success flag says success: `1`, `"1"`, `true`.
pub(super) fn succeeded(rest: &Value, pointers: &[&str]) -> bool {
    match first_of(rest, pointers) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(s)) => matches!(s.trim(), "1" | "true"),
        _ => false,
    }
}

/// A failure reason: a string, or a list of them (UAPI's `errors`).
pub(super) fn reason_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Messages as a list, whether the server sent a list or one string of lines.
pub(super) fn strings(rest: &Value, pointers: &[&str]) -> Vec<String> {
    match first_of(rest, pointers) {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
        Some(Value::String(s)) => s
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}
