//! What the fake server answers: examples, failures in the API's own
//! envelope, and the ways real servers fail outside of it.

use serde_json::{Map, Value};

use crate::api::Envelope;

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
}

/// Sets the value at a JSON pointer, making objects along the way.
pub fn set(root: &mut Value, pointer: &str, value: Value) {
    let mut current = root;
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    for (i, segment) in segments.iter().enumerate() {
        if !current.is_object() {
            *current = Value::Object(Map::new());
        }
        let object = current.as_object_mut().expect("made an object above");
        if i + 1 == segments.len() {
            object.insert(segment.clone(), value);
            return;
        }
        current = object
            .entry(segment.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
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
    if let Some(message) = envelope.message.first() {
        set(&mut reply, message, Value::from(reason));
    }
    if let Some(pointer) = envelope.operation.first() {
        set(&mut reply, pointer, Value::from(operation));
    }
    reply
}

/// How WHM refuses credentials: the legacy API 2 shape, as text.
pub fn denied(status: u16) -> Answer {
    let body = r#"{"cpanelresult":{"apiversion":"2","error":"Access denied","data":{"reason":"Access denied","result":"0"},"type":"text"}}"#;
    Answer {
        status,
        content_type: "text/plain; charset=\"utf-8\"",
        body: body.as_bytes().to_vec(),
        truncated: false,
    }
}

/// The login page a password login on a two-factor account gets.
pub fn login_page() -> Answer {
    let body = "<!DOCTYPE html>\n<html><head><title>WHM Login</title></head><body>\n\
                <form id=\"tfa_login_form\" action=\"/login/\" method=\"post\">\n\
                <input name=\"tfa_token\" type=\"text\"></form></body></html>\n";
    Answer {
        status: 200,
        content_type: "text/html; charset=\"utf-8\"",
        body: body.as_bytes().to_vec(),
        truncated: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::WHM;
    use serde_json::json;

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
