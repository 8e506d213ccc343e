//! The levels of a reply: its envelope, and the envelopes inside the
//! payload (UAPI's through WHM, a batch's items), each with its success
//! flag, reason, warnings and messages at JSON pointers the API names.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::BTreeMap;

use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::Error;
use crate::wire::{Envelope, Text, pointer};

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

/// What a failed level of a reply says: its reason, further causes, and
/// the reply around its payload.
struct Failed {
    reason: String,
    errors: Vec<String>,
}

/// Each envelope in turn: the outer one on the reply, an inner one on the
/// outer's payload. A level whose success flag says no, or whose success
/// comes with a sign of failure the envelope names, is the call's failure
/// (`Error::Api`). `list`: where the operation's records are in its
/// payload, by which a legacy reply without a flag is known.
pub(super) fn unwrap_envelopes<'de>(
    envelope: &Envelope,
    operation: &str,
    list: Option<&str>,
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
    while let Some(mut envelope) = layer {
        // The level as a whole, for what can be inside its payload (an
        // older shape's flag, a row's result): parsed once, when needed.
        let whole: OnceCell<Value> = OnceCell::new();
        let level = || -> Result<&Value, Error> {
            if let Some(value) = whole.get() {
                return Ok(value);
            }
            let value = serde_json::from_str(current.get()).map_err(invalid)?;
            Ok(whole.get_or_init(|| value))
        };
        let (mut inner_payload, mut inner_pointer, mut inner_rest) =
            split(current, &envelope.payload).map_err(invalid)?;
        let mut flagless = false;
        if std::mem::take(&mut outer)
            && !envelope.success.is_empty()
            && first_flag(&inner_rest, &envelope.success).is_none()
        {
            // No flag of this shape: an older shape of the API's replies,
            // when the reply is one.
            if let Some(legacy) = envelope.legacy.as_deref() {
                let value = level()?;
                let (payload, pointer, rest) = split(current, &legacy.payload).map_err(invalid)?;
                let flagged = first_flag(value, &legacy.success).is_some()
                    && first_of(value, &legacy.message).is_some();
                let listing = list.is_some_and(|records| {
                    super::pointer::at(value, &format!("{pointer}{records}"))
                        .is_some_and(Value::is_array)
                });
                if flagged || listing {
                    envelope = legacy;
                    (inner_payload, inner_pointer, inner_rest) = (payload, pointer, rest);
                    flagless = !flagged;
                }
            }
            // The flag missing altogether: a failure only when a reason
            // stands where the API keeps one (cPanel fails an unknown user
            // before any call, with `error` alone); else not this API's
            // reply at all. An inner level's missing flag is that call's
            // failure.
            if !flagless
                && first_flag(level()?, &envelope.success).is_none()
                && first_of(&inner_rest, &envelope.message)
                    .map(reason_text)
                    .is_none_or(|r| r.is_empty())
            {
                return Err(not_reply());
            }
        }
        found
            .warnings
            .extend(strings(&inner_rest, &envelope.warnings));
        found
            .messages
            .extend(strings(&inner_rest, &envelope.messages));
        let failed = if envelope.success.is_empty() || flagless {
            None
        } else {
            // The flag may be inside the payload (WHM API 0's `result[0]`).
            let flags = match first_flag(&inner_rest, &envelope.success) {
                Some(_) => &inner_rest,
                None => level()?,
            };
            (!succeeded(flags, &envelope.success)).then(|| Failed {
                reason: first_of(flags, &envelope.message)
                    .map(reason_text)
                    .filter(|r| !r.is_empty())
                    .unwrap_or_else(|| "the server gives no reason".to_owned()),
                errors: texts(flags, &envelope.errors),
            })
        };
        let failed = match failed {
            None if !envelope.failures.is_empty() => signs(level()?, envelope),
            other => other,
        };
        if found.rest.is_null() {
            found.rest = inner_rest;
        } else {
            // An inner envelope's other members (UAPI's `metadata`,
            // `errors`, and whatever a newer server adds beside them) stay
            // in the reply's rest, where they are in the reply.
            place(&mut found.rest, &found.pointer, inner_rest);
        }
        if let Some(Failed { reason, errors }) = failed {
            // A server can echo what it was sent: `read` scrubs the error.
            let data: Option<Value> =
                inner_payload.and_then(|p| serde_json::from_str(p.get()).ok());
            return Err(Error::Api {
                operation: operation.to_owned(),
                reason,
                errors,
                warnings: found.warnings,
                data: data.map(Box::new),
                rest: (!found.rest.is_null()).then(|| Box::new(found.rest)),
            });
        }
        found.pointer.push_str(&inner_pointer);
        found.payload = inner_payload;
        layer = envelope.inner.as_deref();
        match (layer, inner_payload) {
            (Some(_), Some(p)) => current = p,
            (Some(_), None) => layer = None,
            (None, _) => {}
        }
    }
    Ok(found)
}

/// The envelope's signs of failure in a level whose flag says success:
/// the first sign found gives the reason, every one a cause.
fn signs(level: &Value, envelope: &Envelope) -> Option<Failed> {
    let mut causes: Vec<String> = Vec::new();
    for sign in envelope.failures.iter() {
        match sign.flag.as_deref() {
            None => causes.extend(
                matches(level, &sign.reason)
                    .into_iter()
                    .map(|(_, v)| reason_text(v))
                    .filter(|r| !r.trim().is_empty()),
            ),
            Some(flag) => {
                for (tokens, value) in matches(level, flag) {
                    if is_flag(value) && !value.is_null() && !flag_says_yes(value) {
                        let reason = super::pointer::at(level, &instantiate(&sign.reason, &tokens))
                            .map(reason_text)
                            .filter(|r| !r.trim().is_empty())
                            .unwrap_or_else(|| "the server gives no reason".to_owned());
                        causes.push(reason);
                    }
                }
            }
        }
    }
    causes.dedup();
    let reason = causes.first()?.clone();
    let mut errors = texts(level, &envelope.errors);
    for cause in causes {
        if !errors.contains(&cause) {
            errors.push(cause);
        }
    }
    Some(Failed { reason, errors })
}

/// The values at `pointer`, `*` standing for every element of a list and
/// member of an object: each with what its `*`s stood for.
pub(super) fn matches<'v>(value: &'v Value, pointer: &str) -> Vec<(Vec<String>, &'v Value)> {
    let mut found = vec![(Vec::new(), value)];
    for token in pointer.split('/').skip(1) {
        let mut next = Vec::new();
        for (tokens, at) in found {
            if token == "*" {
                let children: Vec<(String, &Value)> = match at {
                    Value::Array(items) => items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (i.to_string(), v))
                        .collect(),
                    Value::Object(members) => members
                        .iter()
                        .map(|(k, v)| (pointer::escape(k).into_owned(), v))
                        .collect(),
                    _ => Vec::new(),
                };
                for (key, child) in children {
                    let mut tokens = tokens.clone();
                    tokens.push(key);
                    next.push((tokens, child));
                }
            } else if let Some(child) = super::pointer::child(at, &pointer::unescape(token)) {
                next.push((tokens, child));
            }
        }
        found = next;
    }
    found
}

/// `pointer` with its `*`s, in order, replaced by `tokens`.
fn instantiate(pointer: &str, tokens: &[String]) -> String {
    let mut tokens = tokens.iter();
    pointer
        .split('/')
        .map(|t| match t {
            "*" => tokens.next().map_or("*", String::as_str),
            other => other,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Puts `value` at JSON `pointer` in `into`, making the objects on the way;
/// nothing when something on the way is not an object, or `value` is null.
pub(super) fn place(into: &mut Value, pointer: &str, value: Value) {
    if value.is_null() {
        return;
    }
    let mut at = into;
    for key in pointer::tokens(pointer) {
        let Value::Object(map) = at else {
            return;
        };
        at = map
            .entry(key.into_owned())
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
    pointers: &[Text],
) -> Result<(Option<&'a RawValue>, String, Value), serde_json::Error> {
    if pointers.is_empty() {
        return Ok((Some(root), String::new(), Value::Null));
    }
    for pointer in pointers {
        let segments: Vec<Cow<'_, str>> = pointer::tokens(pointer).collect();
        let (payload, rest) = cut(root, &segments)?;
        let last = pointers.last().is_some_and(|last| last == pointer);
        if payload.is_some() || last {
            return Ok((payload, pointer.to_string(), rest));
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
    let text = raw.get().trim_start();
    if text.starts_with('[')
        && let Ok(index) = head.parse::<usize>()
    {
        // An element of a list (WHM API 0's `result/0`): the others, and
        // what remains of it, stay in the rest.
        let items: Vec<&'a RawValue> = serde_json::from_str(raw.get())?;
        let mut rest = Vec::with_capacity(items.len());
        let mut found = None;
        for (i, item) in items.into_iter().enumerate() {
            if i == index {
                let (payload, remainder) = cut(item, tail)?;
                found = payload;
                if !remainder.is_null() {
                    rest.push(remainder);
                }
            } else {
                rest.push(serde_json::from_str(item.get())?);
            }
        }
        return Ok((found, Value::Array(rest)));
    }
    if !text.starts_with('{') {
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

pub(super) fn first_of<'v>(rest: &'v Value, pointers: &[Text]) -> Option<&'v Value> {
    pointers.iter().find_map(|p| super::pointer::at(rest, p))
}

/// The first success flag present: a scalar (a list or an object where a
/// flag goes, such as WHM API 0's `result` list, is no flag).
pub(super) fn first_flag<'v>(rest: &'v Value, pointers: &[Text]) -> Option<&'v Value> {
    pointers
        .iter()
        .filter_map(|p| super::pointer::at(rest, p))
        .find(|v| is_flag(v))
}

fn is_flag(value: &Value) -> bool {
    !value.is_array() && !value.is_object()
}

/// Whether a flag says yes: `1`, `"1"`, `true`.
fn flag_says_yes(flag: &Value) -> bool {
    match flag {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => matches!(s.trim(), "1" | "true"),
        _ => false,
    }
}

/// Whether the success flag says success: `1`, `"1"`, `true`.
pub(super) fn succeeded(rest: &Value, pointers: &[Text]) -> bool {
    flags_say_yes(pointers.iter().filter_map(|p| super::pointer::at(rest, p)))
}

/// Whether the first of `found` (the values at the success flag's
/// pointers, in order) that is a flag says success.
pub(super) fn flags_say_yes<V: std::borrow::Borrow<Value>>(
    mut found: impl Iterator<Item = V>,
) -> bool {
    found
        .find(|v| is_flag(v.borrow()))
        .is_some_and(|flag| flag_says_yes(flag.borrow()))
}

/// Texts at the first of `pointers` present: a list's, or one text.
pub(super) fn texts(rest: &Value, pointers: &[Text]) -> Vec<String> {
    match first_of(rest, pointers) {
        Some(Value::Array(items)) => items
            .iter()
            .map(reason_text)
            .filter(|t| !t.trim().is_empty())
            .collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => Some(reason_text(other))
            .filter(|t| !t.trim().is_empty())
            .into_iter()
            .collect(),
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
pub(super) fn strings(rest: &Value, pointers: &[Text]) -> Vec<String> {
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
