//! What the fake server answers: examples, failures in the API's own
//! envelope, and the ways real servers fail outside of it.

use serde_json::{Map, Value};

use crate::wire::{ApiSpec, Envelope, Text};

/// An answer: status, content type and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// Send only the first half of the body, though the length says all.
    pub truncated: bool,
}

impl Answer {
    /// A JSON answer with status 200.
    pub fn json(value: &Value) -> Answer {
        Answer {
            status: 200,
            content_type: "application/json",
            body: value.to_string().into_bytes(),
            truncated: false,
        }
    }

    /// The answer of an operation whose replies are `media`: a documented
    /// text is sent as text (or bytes) where the operation's success is
    /// not JSON; anything else (a failure in the API's envelope) as JSON.
    pub fn of_media(value: &Value, media: crate::wire::Media) -> Answer {
        use crate::wire::Media;
        match (media, value) {
            (Media::Text | Media::Bytes, Value::String(text)) => Answer {
                status: 200,
                content_type: match media {
                    Media::Text => "text/plain; charset=utf-8",
                    _ => "application/octet-stream",
                },
                body: text.clone().into_bytes(),
                truncated: false,
            },
            _ => Answer::json(value),
        }
    }
}

/// Sets the value at a JSON pointer, making objects along the way (and
/// lists, where a step is a number: `/result/0`).
pub fn set(root: &mut Value, pointer: &str, value: Value) {
    let mut current = root;
    let segments: Vec<String> = crate::wire::pointer::tokens(pointer)
        .map(|t| t.into_owned())
        .collect();
    if segments.is_empty() {
        *current = value;
        return;
    }
    let mut value = Some(value);
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let index = segment.parse::<usize>().ok();
        if let (Some(index), Value::Array(_) | Value::Null) = (index, &current) {
            if current.is_null() {
                *current = Value::Array(Vec::new());
            }
            let items = current.as_array_mut().expect("made a list above");
            if items.len() <= index {
                items.resize(index + 1, Value::Null);
            }
            if last {
                items[index] = value.take().unwrap_or_default();
                return;
            }
            current = &mut items[index];
            continue;
        }
        if !current.is_object() {
            *current = Value::Object(Map::new());
        }
        let object = current.as_object_mut().expect("made an object above");
        if last {
            object.insert(segment.clone(), value.take().unwrap_or_default());
            return;
        }
        current = object.entry(segment.clone()).or_insert(Value::Null);
    }
}

/// How a scripted failure is written, each in the envelope's own terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureShape {
    /// The success flag false and the reason where the API keeps it.
    Flag,
    /// The success flag true (the documented reply), with a sign of
    /// failure the envelope names beside it: its `failures` entry of this
    /// index (cPanel API 2: `0` is `cpanelresult.error`, `1` the first
    /// row's `result: 0` and `reason`). An envelope without that sign
    /// fails by its flag.
    Sign(usize),
    /// In the envelope's older shape (WHM API 0: `status: 0` and
    /// `statusmsg`); an envelope without one fails by its flag.
    Legacy,
}

/// A failure to answer with.
#[derive(Debug, Clone)]
pub(super) struct Failing {
    pub shape: FailureShape,
    pub reason: String,
    pub errors: Vec<String>,
}

/// A failure of `operation` in `failing`'s shape.
pub(super) fn failure_as(
    envelope: &Envelope,
    operation: &str,
    example: &str,
    failing: &Failing,
) -> Value {
    let reason = failing.reason.as_str();
    let mut reply = match failing.shape {
        FailureShape::Sign(index) if index < envelope.failures.len() => {
            let sign = &envelope.failures[index];
            let mut reply = success(envelope, operation, example);
            // The first of every `*`.
            let first = |p: &str| p.replace("/*", "/0");
            if let Some(flag) = &sign.flag {
                set(&mut reply, &first(flag), Value::from(0));
            }
            set(&mut reply, &first(&sign.reason), Value::from(reason));
            reply
        }
        FailureShape::Legacy if envelope.legacy.is_some() => {
            let legacy = envelope.legacy.as_deref().expect("checked above");
            let mut reply = Value::Object(Map::new());
            if let Some(flag) = legacy.success.first() {
                set(&mut reply, flag, Value::from(0));
            }
            if let Some(message) = legacy.message.first() {
                set(&mut reply, message, Value::from(reason));
            }
            return reply;
        }
        _ => failure(envelope, operation, example, reason),
    };
    if let Some(pointer) = envelope.errors.first()
        && !failing.errors.is_empty()
    {
        set(&mut reply, pointer, Value::from(failing.errors.clone()));
    }
    reply
}

/// A successful `reply` in `envelope` rewritten in its `legacy` shape: a
/// listing's payload bare at the root, another's members beside the flag
/// (`{"result": [{"status": 1, "statusmsg": "OK", ...}]}`).
pub(super) fn in_legacy_shape(
    envelope: &Envelope,
    legacy: &Envelope,
    reply: &Value,
    list: Option<&str>,
) -> Value {
    let payload = envelope
        .payload
        .iter()
        .find_map(|p| reply.pointer(p))
        .cloned()
        .unwrap_or(Value::Null);
    let root = legacy.payload.iter().any(|p| p.is_empty());
    if list.is_some() && root {
        return payload;
    }
    let at = legacy.payload.first().map_or("", |p| p.as_ref());
    let mut out = Value::Object(Map::new());
    let mut members = match payload {
        Value::Object(members) => members,
        _ => Map::new(),
    };
    let within = |p: &&Text| p.starts_with(&format!("{at}/"));
    let flag = legacy
        .success
        .iter()
        .find(within)
        .or(legacy.success.first());
    let message = legacy
        .message
        .iter()
        .find(within)
        .or(legacy.message.first());
    for (pointer, value) in [(flag, Value::from(1)), (message, Value::from("OK"))] {
        if let Some(pointer) = pointer {
            match pointer.strip_prefix(&format!("{at}/")) {
                Some(key) if !key.contains('/') => {
                    members.insert(key.to_owned(), value);
                }
                _ => set(&mut out, pointer, value),
            }
        }
    }
    set(&mut out, at, Value::Object(members));
    out
}

/// The success answer of `operation`: its documented example, or the
/// smallest reply the envelope accepts, with the operation named.
pub fn success(envelope: &Envelope, operation: &str, example: &str) -> Value {
    let mut reply: Value = serde_json::from_str(example).unwrap_or(Value::Null);
    // A reply that is its payload (no envelope) may be a list or a scalar.
    let usable = match &reply {
        Value::Object(members) => !members.is_empty(),
        Value::Null => false,
        _ => envelope.payload.is_empty(),
    };
    if !usable {
        reply = Value::Object(Map::new());
        if let Some(success) = envelope.success.first() {
            set(&mut reply, success, Value::from(1));
        }
        if let Some(message) = envelope.message.first() {
            set(&mut reply, message, Value::from("OK"));
        }
    }
    if let Some(pointer) = envelope.operation.first() {
        set(&mut reply, pointer, Value::from(operation));
    }
    reply
}

/// A failure in the API's envelope: the success flag false (as the
/// example writes it: `0` or `false`), the reason where the API keeps it.
pub fn failure(envelope: &Envelope, operation: &str, example: &str, reason: &str) -> Value {
    let example: Value = serde_json::from_str(example).unwrap_or(Value::Null);
    let mut reply = Value::Object(Map::new());
    if let Some(success) = envelope.success.first() {
        let flag = match example.pointer(success) {
            Some(Value::Bool(_)) => Value::Bool(false),
            _ => Value::from(0),
        };
        set(&mut reply, success, flag);
    }
    match envelope.message.first() {
        Some(message) => set(&mut reply, message, Value::from(reason)),
        // An API that names no place for it: where such APIs commonly
        // say it.
        None => set(&mut reply, "/message", Value::from(reason)),
    }
    if let Some(pointer) = envelope.operation.first() {
        set(&mut reply, pointer, Value::from(operation));
    }
    reply
}

/// How `api`'s server refuses credentials: `Access denied` where its
/// refusals keep their reason (and where it rejects a call before running
/// it, so that the refusal is known whatever the status), served as text,
/// as WHM serves its legacy `cpanelresult` body; plain text for an API
/// that names no such place.
pub fn denied(api: &ApiSpec, status: u16) -> Answer {
    const REASON: &str = "Access denied";
    let refusal = &api.refusal;
    let reason_at = match refusal.reason.first() {
        Some(pointer) => Some(pointer),
        None => api.envelope.message.first(),
    };
    let rejections = match refusal.denied.is_empty() {
        true => &[][..],
        false => &refusal.rejection[..],
    };
    let mut reply = Value::Object(Map::new());
    for pointer in rejections.iter().chain(reason_at) {
        set(&mut reply, pointer, Value::from(REASON));
    }
    let body = match reply.as_object().is_some_and(|m| !m.is_empty()) {
        true => reply.to_string(),
        false => REASON.to_owned(),
    };
    Answer {
        status,
        content_type: "text/plain; charset=\"utf-8\"",
        body: body.into_bytes(),
        truncated: false,
    }
}

/// The login page a password login on a two-factor account of `api`'s
/// server gets: an HTML form, marked as the API's login pages are.
pub fn login_page(api: &ApiSpec) -> Answer {
    let mark = api
        .refusal
        .login_page
        .first()
        .map_or("login_form", |m| m.as_ref());
    let body = format!(
        "<!DOCTYPE html>\n<html><head><title>Login</title></head><body>\n\
         <form id=\"{mark}\" action=\"/login/\" method=\"post\">\n\
         <input name=\"tfa_token\" type=\"text\"></form></body></html>\n"
    );
    Answer {
        status: 200,
        content_type: "text/html; charset=\"utf-8\"",
        body: body.into_bytes(),
        truncated: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::WHM;
    use serde_json::json;

    #[test]
    fn a_refusal_stands_where_the_api_keeps_one() {
        let body =
            |api: &ApiSpec| -> Value { serde_json::from_slice(&denied(api, 403).body).unwrap() };
        assert_eq!(
            body(&WHM),
            json!({"cpanelresult": {"error": "Access denied", "data": {"reason": "Access denied"}}})
        );
        let mut sitehost = WHM.clone();
        sitehost.refusal = Default::default();
        sitehost.envelope.message = vec![Text::Borrowed("/msg")].into();
        assert_eq!(body(&sitehost), json!({"msg": "Access denied"}));
        sitehost.envelope.message = Default::default();
        assert_eq!(denied(&sitehost, 401).body, b"Access denied");
        let page = String::from_utf8(login_page(&WHM).body).unwrap();
        assert!(WHM.refusal.is_login_page(&page), "{page}");
        assert!(
            sitehost
                .refusal
                .is_login_page(&String::from_utf8(login_page(&sitehost).body).unwrap())
        );
    }

    #[test]
    fn failures_follow_the_envelope() {
        let reply = failure(&WHM.envelope, "listaccts", "", "No such user");
        assert_eq!(
            reply,
            json!({"metadata": {"result": 0, "reason": "No such user", "command": "listaccts"}})
        );
    }

    #[test]
    fn success_uses_the_example_or_the_smallest_reply() {
        let reply = success(
            &WHM.envelope,
            "f",
            r#"{"data":{"a":1},"metadata":{"result":1}}"#,
        );
        assert_eq!(reply["data"]["a"], 1);
        assert_eq!(reply["metadata"]["command"], "f");
        // Without an envelope the reply is the payload, a list included.
        let bare = crate::api::test_support::NO_ENVELOPE;
        assert_eq!(success(&bare, "f", "[1, 2]"), json!([1, 2]));
        assert_eq!(
            success(&WHM.envelope, "f", "[1, 2]")["metadata"]["result"],
            1
        );
        let reply = success(&WHM.envelope, "f", "");
        assert_eq!(
            reply,
            json!({"metadata": {"result": 1, "reason": "OK", "command": "f"}})
        );
    }
}
