//! Reading a reply: classify it, check the envelope, decode the payload.
//!
//! The order follows how failures arrive: credentials refused (401/403,
//! often a legacy `cpanelresult` body served as text), then anything that is
//! not JSON (an HTML login page, a proxy's error page), then HTTP errors,
//! then the API's own success flag, and only then the payload. The payload
//! is cut out of the reply without building the rest of the tree, and
//! decoded straight into its type.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::{Deserialize, DeserializeOwned};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::__private::de::{Element, Lenient};
use crate::api::Envelope;
use crate::error::{Error, excerpt};
use crate::payload::{Sink, Slot};
use crate::scrub::Scrubber;

/// Characters of a reply kept in an error.
const EXCERPT: usize = 300;

/// A successful reply: the payload and what came with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply<T> {
    /// The decoded payload.
    pub data: T,
    /// Warnings that came with success.
    pub warnings: Vec<String>,
    /// Informational messages.
    pub messages: Vec<String>,
    /// The reply without its payload (WHM: `{"metadata": {...}}`).
    pub rest: Value,
    /// What the server did with output controls, when the API has them.
    pub output: Option<crate::outputs::OutputMetadata>,
    /// Values in the payload that its type could not hold (an object where
    /// a number goes) and that no reply struct's `extra` took, because
    /// they sit in a payload that is itself a list or a map: each with its
    /// path in the payload (`some_key`, `[3]`), as the server sent it.
    /// Values inside a reply struct are in that struct's `extra`, under
    /// their path from it.
    pub unexpected: Vec<(String, Value)>,
}

impl<T> Reply<T> {
    /// The same reply with its payload turned into another.
    pub(crate) fn map_data<U>(self, f: impl FnOnce(T) -> U) -> Reply<U> {
        Reply {
            data: f(self.data),
            warnings: self.warnings,
            messages: self.messages,
            rest: self.rest,
            output: self.output,
            unexpected: self.unexpected,
        }
    }
}

/// A reply as received, before it is read.
pub(crate) struct Exchange<'a> {
    pub api: &'a crate::api::ApiSpec,
    pub envelope: &'a Envelope,
    pub operation: String,
    pub status: u16,
    pub body: Vec<u8>,
    /// What never to show in errors.
    pub scrubber: Scrubber,
}

impl Exchange<'static> {
    /// A reply to `R` that came by other means than a client (saved,
    /// recorded): nothing of the call is known to keep out of errors.
    pub fn saved<R: crate::Request>(status: u16, body: Vec<u8>) -> Self {
        Exchange {
            api: R::API,
            envelope: envelope_of::<R>(),
            operation: R::OPERATION.name.to_owned(),
            status,
            body,
            scrubber: Scrubber::default(),
        }
    }
}

/// How replies to `R` are wrapped: its own envelope, or its API's.
pub(crate) fn envelope_of<R: crate::Request>() -> &'static Envelope {
    R::OPERATION.envelope.unwrap_or(&R::API.envelope)
}

/// Reads a reply to `R` whose body is at hand, as [`Exchange::interpret`]
/// would, without copying the body.
pub(crate) fn read_saved<R: crate::Request>(
    status: u16,
    body: &[u8],
) -> Result<Reply<R::Data>, Error> {
    read_text::<Lenient<R::Data>>(
        R::API,
        envelope_of::<R>(),
        R::OPERATION.name,
        status,
        &text_of(body),
        &Scrubber::default(),
    )
    .map(|reply| reply.map_data(|Lenient(data)| data))
}

impl Exchange<'_> {
    /// Reads the reply as a payload of type `T`, decoded leniently at
    /// every depth (see [`Element`]).
    pub fn interpret<T: for<'de> Element<'de>>(&self) -> Result<Reply<T>, Error> {
        self.interpret_text::<Lenient<T>>(&text_of(&self.body))
            .map(|reply| reply.map_data(|Lenient(data)| data))
    }

    /// Reads the reply as a payload of type `T`, decoded as its own
    /// `Deserialize` says (a type of the caller's).
    pub fn interpret_as<T: DeserializeOwned>(&self) -> Result<Reply<T>, Error> {
        self.interpret_text(&text_of(&self.body))
    }

    /// Reads the reply, whose body is `text`, as a payload of type `T`,
    /// which may borrow from `text`.
    pub fn interpret_text<'de, T: Deserialize<'de>>(
        &self,
        text: &'de str,
    ) -> Result<Reply<T>, Error> {
        read_text(
            self.api,
            self.envelope,
            &self.operation,
            self.status,
            text,
            &self.scrubber,
        )
    }
}

/// Reads a reply to `operation` of `api`, whose body is `text`, as a
/// payload of type `T` (which may borrow from `text`), with what
/// `scrubber` knows kept out of errors.
pub(crate) fn read_text<'de, T: Deserialize<'de>>(
    api: &crate::api::ApiSpec,
    envelope: &Envelope,
    operation: &str,
    status: u16,
    text: &'de str,
    scrubber: &Scrubber,
) -> Result<Reply<T>, Error> {
    let mut payload = Slot(None);
    let mut parts = read(
        envelope,
        operation,
        status,
        text,
        scrubber,
        &mut payload,
        true,
    )?;
    if let Some(pointer) = api.output_controls {
        parts.output = parts
            .rest
            .pointer(pointer)
            .and_then(|m| serde::Deserialize::deserialize(m).ok());
    }
    parts.with(payload, operation)
}

/// A body as text: itself when it is UTF-8 (the usual case, and then
/// nothing is copied), else with each bad byte sequence replaced.
pub(crate) fn text_of(body: &[u8]) -> Cow<'_, str> {
    // A SIMD check of the whole body: std's `from_utf8` took 7% of reading
    // a large reply, `from_utf8_lossy`'s chunked scan over 10%.
    match simdutf8::basic::from_utf8(body) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(body),
    }
}

/// Interprets a reply to `operation` with HTTP `status` and `body`, in
/// `envelope`.
pub(crate) fn interpret<T: DeserializeOwned>(
    envelope: &Envelope,
    operation: &str,
    status: u16,
    body: &[u8],
    scrubber: &Scrubber,
) -> Result<Reply<T>, Error> {
    let text = text_of(body);
    let mut payload = Slot(None);
    read(
        envelope,
        operation,
        status,
        &text,
        scrubber,
        &mut payload,
        true,
    )?
    .with(payload, operation)
}

/// What a successful reply holds besides its payload.
struct Parts {
    warnings: Vec<String>,
    messages: Vec<String>,
    rest: Value,
    output: Option<crate::outputs::OutputMetadata>,
}

impl Parts {
    /// The reply, with the payload `read` decoded.
    fn with<T>(self, payload: Slot<T>, operation: &str) -> Result<Reply<T>, Error> {
        let data = payload.0.ok_or_else(|| Error::Decode {
            operation: operation.to_owned(),
            path: String::new(),
            message: "the payload was not decoded".to_owned(),
            excerpt: String::new(),
        })?;
        Ok(Reply {
            data,
            warnings: self.warnings,
            messages: self.messages,
            rest: self.rest,
            output: self.output,
            unexpected: crate::payload::strays::take_since(0),
        })
    }
}

/// Reads a reply to `operation` with HTTP `status` and body `text`, in
/// `envelope`: its payload into `payload`, the rest returned. The same
/// code for every payload type. Every error has what `scrubber` knows
/// replaced, in every field. `one_pass`: whether a usual reply may take
/// the one-pass path (the tests compare both).
fn read<'de>(
    envelope: &Envelope,
    operation: &str,
    status: u16,
    text: &'de str,
    scrubber: &Scrubber,
    payload: &mut dyn Sink<'de>,
    one_pass: bool,
) -> Result<Parts, Error> {
    read_unscrubbed(
        envelope, operation, status, text, scrubber, payload, one_pass,
    )
    .map_err(|e| scrubber.error(e))
}

fn read_unscrubbed<'de>(
    envelope: &Envelope,
    operation: &str,
    status: u16,
    text: &'de str,
    scrubber: &Scrubber,
    payload: &mut dyn Sink<'de>,
    one_pass: bool,
) -> Result<Parts, Error> {
    let show = |t: &str| excerpt(t, scrubber, EXCERPT);
    let first = text.trim_start().chars().next();
    let looks_json = matches!(first, Some('{' | '['));
    if status == 401 || status == 403 {
        let reason = looks_json
            .then(|| serde_json::from_str::<Value>(text).ok())
            .flatten()
            .and_then(|v| denial_reason(&v))
            .unwrap_or_else(|| show(text));
        return Err(Error::AccessDenied {
            operation: operation.to_owned(),
            status,
            reason,
        });
    }
    if !looks_json {
        let lower = text.to_ascii_lowercase();
        return Err(Error::NotJson {
            operation: operation.to_owned(),
            status,
            login_page: lower.contains("tfa_login_form")
                || (lower.contains("<form") && lower.contains("login")),
            excerpt: show(text),
        });
    }
    if one_pass
        && (200..300).contains(&status)
        && let Some(rest) = crate::one_pass::split(text, envelope, payload)
        && (envelope.success.is_empty() || succeeded(&rest, envelope.success))
    {
        return Ok(Parts {
            warnings: strings(&rest, envelope.warnings),
            messages: strings(&rest, envelope.messages),
            rest,
            output: None,
        });
    }
    // Everything else, step by step, so that a failure says what it is.
    let root: &RawValue = serde_json::from_str(text).map_err(|e| Error::InvalidJson {
        operation: operation.to_owned(),
        status,
        message: e.to_string(),
        excerpt: show(text),
    })?;
    // Refused credentials in the legacy shape (cPanel's `cpanelresult`
    // saying "Access denied"), whatever the status: some servers send it
    // with 200.
    if let Some(reason) = legacy_denial(text) {
        return Err(Error::AccessDenied {
            operation: operation.to_owned(),
            status,
            reason,
        });
    }
    if !(200..300).contains(&status) {
        // An API that fails with an error status and its own envelope (a
        // success flag present and false) gave its reason: report that.
        let reason = serde_json::from_str::<Value>(text).ok().and_then(|v| {
            let flag = first_of(&v, envelope.success)?;
            let failed = !succeeded(&v, envelope.success) && !flag.is_null();
            failed.then(|| {
                first_of(&v, envelope.message)
                    .map(reason_text)
                    .unwrap_or_default()
            })
        });
        return Err(match reason {
            Some(reason) if !reason.is_empty() => Error::Api {
                operation: operation.to_owned(),
                reason,
                warnings: Vec::new(),
                data: None,
            },
            _ => Error::Status {
                operation: operation.to_owned(),
                status,
                excerpt: show(text),
            },
        });
    }
    let invalid = |e: serde_json::Error| Error::InvalidJson {
        operation: operation.to_owned(),
        status,
        message: e.to_string(),
        excerpt: show(text),
    };
    // Each envelope in turn: the outer one on the reply, an inner one on
    // the outer's payload.
    let mut layer = Some(envelope);
    let mut current = root;
    let mut found = None;
    let mut pointer = String::new();
    let mut rest = Value::Null;
    let mut warnings = Vec::new();
    let mut messages = Vec::new();
    while let Some(envelope) = layer {
        let (inner_payload, inner_pointer, inner_rest) =
            split(current, envelope.payload).map_err(invalid)?;
        warnings.extend(strings(&inner_rest, envelope.warnings));
        messages.extend(strings(&inner_rest, envelope.messages));
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
                warnings,
                data: data.map(Box::new),
            });
        }
        if rest.is_null() {
            rest = inner_rest;
        } else {
            // An inner envelope's other members (UAPI's `metadata`,
            // `errors`, and whatever a newer server adds beside them) stay
            // in the reply's rest, where they are in the reply.
            place(&mut rest, &pointer, inner_rest);
        }
        pointer.push_str(&inner_pointer);
        found = inner_payload;
        layer = envelope.inner;
        match (layer, inner_payload) {
            (Some(_), Some(p)) => current = p,
            (Some(_), None) => layer = None,
            (None, _) => {}
        }
    }
    decode(found, &pointer, payload).map_err(|(path, message)| Error::Decode {
        operation: operation.to_owned(),
        path,
        message,
        excerpt: show(text),
    })?;
    Ok(Parts {
        warnings,
        messages,
        rest,
        output: None,
    })
}

/// Puts `value` at JSON `pointer` in `into`, making the objects on the way;
/// nothing when something on the way is not an object, or `value` is null.
fn place(into: &mut Value, pointer: &str, value: Value) {
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

/// The reason in a refusal: the legacy `cpanelresult` shape or WHM's envelope.
fn denial_reason(v: &Value) -> Option<String> {
    [
        "/cpanelresult/data/reason",
        "/cpanelresult/error",
        "/metadata/reason",
        "/error",
        "/reason",
    ]
    .iter()
    .find_map(|p| v.pointer(p).and_then(Value::as_str))
    .map(str::to_owned)
}

/// The reason of a legacy `cpanelresult` refusal ("Access denied"), if
/// `text` is one.
fn legacy_denial(text: &str) -> Option<String> {
    let value: Value = serde_json::from_str(text).ok()?;
    let result = value.get("cpanelresult")?;
    ["/error", "/data/reason"]
        .iter()
        .filter_map(|p| result.pointer(p).and_then(Value::as_str))
        .find(|reason| {
            reason
                .trim()
                .to_ascii_lowercase()
                .starts_with("access denied")
        })
        .map(str::to_owned)
}

/// The payload (and the pointer it was found at) and the reply without it.
fn split<'a>(
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
fn cut<'a>(
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

fn first_of<'v>(rest: &'v Value, pointers: &[&str]) -> Option<&'v Value> {
    pointers.iter().find_map(|p| rest.pointer(p))
}

/// Whether the success flag says success: `1`, `"1"`, `true`.
fn succeeded(rest: &Value, pointers: &[&str]) -> bool {
    match first_of(rest, pointers) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(s)) => matches!(s.trim(), "1" | "true"),
        _ => false,
    }
}

/// A failure reason: a string, or a list of them (UAPI's `errors`).
fn reason_text(value: &Value) -> String {
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
fn strings(rest: &Value, pointers: &[&str]) -> Vec<String> {
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

/// Decodes the payload found at `pointer` into `payload`; a missing,
/// `null`, `[]` or `""` payload is read as an empty object or list when the
/// type takes one. Errors carry the JSON path (`data.acct[3].uid`).
fn decode<'de>(
    found: Option<&'de RawValue>,
    pointer: &str,
    payload: &mut dyn Sink<'de>,
) -> Result<(), (String, String)> {
    let prefix = pointer.trim_start_matches('/').replace('/', ".");
    let text = found.map_or("null", RawValue::get);
    let Err(first) = payload.decode_whole(text) else {
        return Ok(());
    };
    // "Nothing" has many spellings; the type takes the one it can.
    let empty = matches!(text.trim(), "null" | "[]" | "\"\"" | "{}");
    if empty
        && ["{}", "[]"]
            .into_iter()
            .any(|t| payload.decode_whole(t).is_ok())
    {
        return Ok(());
    }
    let path = match (prefix.is_empty(), first.path.as_str()) {
        (true, "") => ".".to_owned(),
        (true, inner) => inner.to_owned(),
        (false, "") => prefix,
        (false, inner) if inner.starts_with('[') => format!("{prefix}{inner}"),
        (false, inner) => format!("{prefix}.{inner}"),
    };
    Err((path, first.message))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::api::test_support::WHM;

    #[derive(Debug, Default, PartialEq)]
    struct Data {
        acct: Vec<Acct>,
        extra: std::collections::BTreeMap<String, Value>,
    }
    crate::__private::de::record_impls!(Data, extra, (acct, Records));

    #[derive(Debug, Default, PartialEq)]
    struct Acct {
        uid: i64,
        extra: std::collections::BTreeMap<String, Value>,
    }
    crate::__private::de::record_impls!(Acct, extra, (uid = "uid", I64));

    /// A payload type of a caller's own, decoded as its `Deserialize` says.
    #[derive(Debug, serde::Deserialize)]
    struct TheirData {
        #[allow(dead_code)]
        acct: Vec<TheirAcct>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct TheirAcct {
        #[allow(dead_code)]
        uid: i64,
    }

    fn interpret_as_theirs(body: &str) -> Result<Reply<TheirData>, Error> {
        interpret::<TheirData>(
            &WHM.envelope,
            "listaccts",
            200,
            body.as_bytes(),
            &Scrubber::default(),
        )
    }

    fn run(status: u16, body: &str) -> Result<Reply<Data>, Error> {
        interpret::<Data>(
            &WHM.envelope,
            "listaccts",
            status,
            body.as_bytes(),
            &Scrubber::new(["s3cret"], []),
        )
    }

    #[test]
    fn the_one_pass_path_reads_replies_as_the_general_path_does() {
        let bodies = [
            r#"{"data":{"acct":[{"uid":"1001"},{"uid":7}]},"metadata":{"result":1,"reason":"OK","output":{"warnings":["w"],"messages":"m1\nm2"}}}"#,
            r#"{"metadata":{"result":1},"data":{"acct":[]}}"#,
            r#"{"data":null,"metadata":{"result":1}}"#,
            r#"{"data":[],"metadata":{"result":"1"}}"#,
            r#"{"data":{"acct":[{"uid":"x"}]},"metadata":{"result":1}}"#,
            r#"{"data":{"acct":[]},"metadata":{"result":0,"reason":"No s3cret"}}"#,
            r#"{"data":{"acct":[]},"data":{"acct":[{"uid":1}]},"metadata":{"result":1}}"#,
            r#"{"data":{"acct":[]},"result":1}"#,
            r#"{"result":1,"reason":"flat"}"#,
            r#"{"data":{"acct":[]}"#,
            r#"[{"data":{}}]"#,
        ];
        for body in bodies {
            for status in [200, 500] {
                let show = |r: Result<Reply<Data>, Error>| format!("{r:?}");
                let read_with = |one_pass| {
                    let mut payload = Slot::<Data>(None);
                    read(
                        &WHM.envelope,
                        "f",
                        status,
                        body,
                        &Scrubber::new(["s3cret"], []),
                        &mut payload,
                        one_pass,
                    )
                    .and_then(|parts| parts.with(payload, "f"))
                };
                let (one, general) = (read_with(true), read_with(false));
                assert_eq!(show(one), show(general), "{status} {body}");
            }
        }
    }

    #[test]
    fn success_decodes_the_payload_and_keeps_the_rest() {
        let reply = run(
            200,
            r#"{"data":{"acct":[{"uid":"1001"}]},"metadata":{"result":1,"reason":"OK","output":{"warnings":"a\nb"}}}"#,
        )
        .unwrap();
        assert_eq!(reply.data.acct[0].uid, 1001);
        assert_eq!(reply.warnings, ["a", "b"]);
        assert_eq!(reply.rest["metadata"]["reason"], "OK");
        assert!(reply.rest.get("data").is_none());
    }

    #[test]
    fn result_zero_is_an_api_error() {
        let e = run(200, r#"{"metadata":{"result":0,"reason":"No such user"}}"#).unwrap_err();
        assert!(
            matches!(e, Error::Api { ref reason, .. } if reason == "No such user"),
            "{e:?}"
        );
        let e = run(200, r#"{"metadata":{"result":"1","reason":"OK"}}"#);
        assert!(e.is_ok(), "the string \"1\" is success");
    }

    #[test]
    fn legacy_access_denied() {
        let body = r#"{"cpanelresult":{"error":"Access denied","data":{"reason":"Access denied","result":"0"}}}"#;
        let e = run(403, body).unwrap_err();
        assert!(
            matches!(e, Error::AccessDenied { status: 403, ref reason, .. } if reason == "Access denied")
        );
    }

    #[test]
    fn a_legacy_refusal_with_status_200_is_access_denied() {
        let body = r#"{"cpanelresult":{"apiversion":"2","error":"Access denied","data":{"reason":"Access denied","result":"0"},"type":"text"}}"#;
        let e = run(200, body).unwrap_err();
        assert!(
            matches!(e, Error::AccessDenied { status: 200, ref reason, .. } if reason == "Access denied"),
            "{e:?}"
        );
        // Another cpanelresult failure is the API's own.
        let body = r#"{"cpanelresult":{"error":"No such user","data":{"reason":"No such user"}}}"#;
        assert!(matches!(run(200, body), Err(Error::Api { .. })));
    }

    #[test]
    fn html_login_page() {
        let e = run(
            200,
            "<html><form id=\"tfa_login_form\">s3cret</form></html>",
        )
        .unwrap_err();
        match e {
            Error::NotJson {
                login_page,
                excerpt,
                ..
            } => {
                assert!(login_page);
                assert!(!excerpt.contains("s3cret"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn truncated_and_bad_payloads() {
        let e = run(200, r#"{"data":{"acct":[{"uid":1"#).unwrap_err();
        assert!(matches!(e, Error::InvalidJson { .. }), "{e:?}");
        // What the payload's type cannot hold is kept, not an error.
        let reply = run(
            200,
            r#"{"data":{"acct":[{"uid":1},{"uid":"x"}]},"metadata":{"result":1}}"#,
        )
        .unwrap();
        assert_eq!(reply.data.acct[1].extra["uid"], "x");
        // A type of the caller's own still fails, and says where.
        let e = interpret_as_theirs(
            r#"{"data":{"acct":[{"uid":1},{"uid":"x"}]},"metadata":{"result":1}}"#,
        )
        .unwrap_err();
        match e {
            Error::Decode { path, .. } => assert_eq!(path, "data.acct[1].uid"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn empty_payload_spellings_decode_as_empty() {
        for data in ["[]", "null", "\"\""] {
            let body = format!(r#"{{"data":{data},"metadata":{{"result":1}}}}"#);
            assert!(run(200, &body).unwrap().data.acct.is_empty(), "{data}");
        }
        assert!(
            run(200, r#"{"metadata":{"result":1}}"#)
                .unwrap()
                .data
                .acct
                .is_empty()
        );
    }

    #[test]
    fn http_errors_keep_an_excerpt() {
        let e = run(500, r#"{"oops":true}"#).unwrap_err();
        assert!(matches!(e, Error::Status { status: 500, .. }));
    }
}

#[cfg(test)]
mod nested_envelopes {
    use super::*;

    static INNER: Envelope = Envelope {
        payload: &["/uapi/data"],
        success: &["/uapi/status"],
        message: &["/uapi/errors"],
        warnings: &["/uapi/warnings"],
        messages: &[],
        operation: &[],
        inner: None,
    };

    static OUTER: Envelope = Envelope {
        payload: &["/data"],
        success: &["/metadata/result"],
        message: &["/metadata/reason"],
        warnings: &[],
        messages: &[],
        operation: &[],
        inner: Some(&INNER),
    };

    #[test]
    fn every_level_keeps_its_other_members_in_the_rest() {
        let body = r#"{"data":{"uapi":{"data":{"n":1},"status":1,"errors":null,"metadata":{"transformed":1,"new_meta":"m"},"warnings":["w"],"added":[1]},"beside_uapi":"b"},"metadata":{"result":1,"version":1,"new":true}}"#;
        let reply =
            interpret::<Value>(&OUTER, "f", 200, body.as_bytes(), &Scrubber::default()).unwrap();
        assert_eq!(reply.data, serde_json::json!({"n": 1}));
        assert_eq!(reply.warnings, ["w"]);
        assert_eq!(
            reply.rest,
            serde_json::json!({
                "metadata": {"result": 1, "version": 1, "new": true},
                "data": {
                    "beside_uapi": "b",
                    "uapi": {
                        "status": 1,
                        "errors": null,
                        "metadata": {"transformed": 1, "new_meta": "m"},
                        "warnings": ["w"],
                        "added": [1]
                    }
                }
            })
        );
    }
}
