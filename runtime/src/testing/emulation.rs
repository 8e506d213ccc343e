//! What the fake server answers: the API's checks (credentials, fixed
//! parameters, each parameter against its description), then the
//! documented example, with output controls and batches done as the API
//! does them.

use std::sync::PoisonError;

use serde_json::Value;

use super::{Answer, FakeOperation, Script, Scripted, Shared, controls, credentials, replies};
use crate::wire::Auth;

/// Credentials a request presented outside its parameters.
#[derive(Clone, Copy)]
pub(super) struct Presented<'a> {
    /// The `Authorization` header.
    pub(super) authorization: &'a str,
    /// The key, for an API that takes it in a header or a cookie.
    pub(super) key_elsewhere: Option<&'a str>,
    /// Names of what the request sent outside its `name=value` pairs: its
    /// headers and cookies, and `body` for a body that is no pairs (a
    /// JSON list, bytes), so that a required parameter sent there counts.
    pub(super) placed: &'a [String],
    /// The members of a JSON object body: the body's own parameters, or,
    /// for an operation that takes the body whole (`body`), the body's.
    pub(super) body_members: &'a [String],
}

/// The name of the parameter that is a request's whole JSON body.
const WHOLE_BODY: &str = "body";

pub(super) async fn answer(
    shared: &Shared,
    (method, path): (&str, &str),
    presented: Presented<'_>,
    params: &[(String, String)],
) -> Answer {
    let authorization = presented.authorization;
    let api = shared.api;
    let Some(operation_path) = path
        .strip_prefix(api.base_path.as_ref())
        .filter(|p| p.starts_with('/'))
    else {
        return Answer {
            status: 404,
            content_type: "text/html",
            body: b"<html><body>Not Found</body></html>".to_vec(),
            truncated: false,
        };
    };
    let (operation, mut sent) = match find(shared, method, operation_path, params) {
        Some((op, in_path)) => (Some(op), in_path),
        None => (None, Vec::new()),
    };
    // A path parameter's value is as sent as the others.
    sent.extend(params.iter().cloned());
    let params = &sent[..];
    let name = operation.map_or_else(|| operation_path.trim_start_matches('/'), |op| op.name());

    let script = {
        let scripts = shared
            .scripts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let specific = scripts.get(name).cloned().unwrap_or_default();
        let general = scripts.get("*").cloned().unwrap_or_default();
        Script {
            delay: specific.delay.or(general.delay),
            answer: specific.answer.or(general.answer),
        }
    };
    if let Some(delay) = script.delay {
        tokio::time::sleep(delay).await;
    }

    // Credentials first, as the server checks them before anything else.
    let key_param = api.auth.iter().find_map(|a| match a {
        Auth::KeyParam { name } => Some(name.as_ref()),
        _ => None,
    });
    let header_ok = api.auth.iter().any(|a| match a {
        Auth::Token { scheme } => {
            authorization == format!("{scheme} {}:{}", credentials::USER, credentials::TOKEN)
        }
        Auth::Basic => {
            use base64::Engine as _;
            let pair = format!("{}:{}", credentials::USER, credentials::PASSWORD);
            authorization
                == format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                )
        }
        Auth::Bearer => authorization == format!("Bearer {}", credentials::TOKEN),
        Auth::KeyHeader { .. } | Auth::KeyCookie { .. } => {
            presented.key_elsewhere == Some(credentials::KEY)
        }
        Auth::KeyParam { .. } => false,
    });
    let key_ok = key_param.is_some_and(|key| {
        params
            .first()
            .is_some_and(|(k, v)| k == key && v == credentials::KEY)
    });
    // An API without authentication takes every call.
    if !api.auth.is_empty() && !header_ok && !key_ok {
        return match key_param {
            Some(key) => Answer::json(&replies::failure(
                &api.envelope,
                name,
                "",
                &format!("Invalid `{key}`: the API key must be the first parameter"),
            )),
            None => replies::denied(api, 403),
        };
    }
    // A scripted failure is applied where the call runs (see `run`), so
    // that it also applies to calls in a batch.
    if let Some(Scripted::Answer(answer)) = script.answer {
        return answer;
    }
    for (fixed, value) in api.fixed_params.iter() {
        if !params.iter().any(|(k, v)| k == fixed && v == value) {
            let reason = format!("This call must send `{fixed}={value}`.");
            return Answer::json(&replies::failure(&api.envelope, name, "", &reason));
        }
    }
    match operation {
        Some(op) if api.batch.as_ref().is_some_and(|b| b.operation == op.name()) => {
            batch(shared, op, params)
        }
        Some(op) => {
            let (reply, failed) = run(
                shared,
                op,
                (params, presented.placed, presented.body_members),
            );
            match failed && op.envelope(api).success.is_empty() {
                // An API without a success flag fails with an error status.
                true => Answer {
                    status: 400,
                    ..Answer::json(&reply)
                },
                false => Answer::of_media(&reply, op.envelope(api).media),
            }
        }
        None => {
            let reason = format!("Unknown app ({name}) requested for this version (1) of the API.");
            Answer::json(&replies::failure(&api.envelope, name, "", &reason))
        }
    }
}

/// The operation at `path` (its own, or a template's it fills: then with
/// the values of the template's parameters); among several there, the one
/// of the request's method whose constant parameters the request sends,
/// else one whose constants it sends (an API that takes any method).
fn find(
    shared: &Shared,
    method: &str,
    path: &str,
    params: &[(String, String)],
) -> Option<(&'static FakeOperation, Vec<(String, String)>)> {
    let mut candidates: Vec<(&'static FakeOperation, Vec<(String, String)>)> =
        match shared.operations.get(path) {
            Some(exact) => exact.iter().map(|op| (*op, Vec::new())).collect(),
            None => shared
                .operations
                .iter()
                .filter_map(|(template, ops)| Some((ops, filled(template, path)?)))
                .flat_map(|(ops, values)| ops.iter().map(move |op| (*op, values.clone())))
                .collect(),
        };
    candidates.sort_by_key(|(op, _)| op.name());
    let sends_constants = |op: &FakeOperation| {
        op.operation
            .constants()
            .all(|(name, value)| params.iter().any(|(k, v)| k == name && v == value))
    };
    let of_method = |op: &FakeOperation| op.operation.method.as_str().eq_ignore_ascii_case(method);
    let at = candidates
        .iter()
        .position(|(op, _)| of_method(op) && sends_constants(op))
        .or_else(|| candidates.iter().position(|(op, _)| sends_constants(op)))
        .unwrap_or(0);
    (!candidates.is_empty()).then(|| candidates.swap_remove(at))
}

/// The values `path` gives the parameters of path `template`
/// (`/pets/{petId}` and `/pets/7`: `petId=7`), if it fills it.
fn filled(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    if !template.contains('{') {
        return None;
    }
    let (template, path): (Vec<&str>, Vec<&str>) =
        (template.split('/').collect(), path.split('/').collect());
    if template.len() != path.len() {
        return None;
    }
    let mut values = Vec::new();
    for (expected, given) in template.into_iter().zip(path) {
        match expected.strip_prefix('{').and_then(|e| e.strip_suffix('}')) {
            Some(name) if !given.is_empty() => {
                let value = percent_encoding::percent_decode_str(given).decode_utf8_lossy();
                values.push((name.to_owned(), value.into_owned()));
            }
            Some(_) => return None,
            None if expected == given => {}
            None => return None,
        }
    }
    Some(values)
}

/// An operation's reply to `params`, once credentials and fixed parameters
/// have passed: parameters checked, then the example, with output controls
/// applied to lists; and whether it is a failure.
fn run(
    shared: &Shared,
    operation: &FakeOperation,
    (params, placed, body_members): (&[(String, String)], &[String], &[String]),
) -> (Value, bool) {
    let api = shared.api;
    let name = operation.name();
    let envelope = operation.envelope(api);
    let described = operation.operation;
    let fail = |reason: String| {
        let reply = replies::failure(envelope, name, operation.example, &reason);
        (reply, true)
    };
    let scripted = {
        let scripts = shared
            .scripts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        [name, "*"].iter().find_map(
            |key| match scripts.get(*key).and_then(|s| s.answer.clone()) {
                Some(answer @ (Scripted::Fail(_) | Scripted::Legacy)) => Some(answer),
                _ => None,
            },
        )
    };
    let legacy = match scripted {
        Some(Scripted::Fail(failing)) => {
            return (
                replies::failure_as(envelope, name, operation.example, &failing),
                true,
            );
        }
        Some(Scripted::Legacy) => envelope.legacy.as_deref(),
        _ => None,
    };
    let key_param = api.auth.iter().find_map(|a| match a {
        Auth::KeyParam { name } => Some(name.as_ref()),
        _ => None,
    });
    // An operation that takes its JSON body whole (one of several
    // objects, a map) reads the body's members as the body's, not its own.
    let whole_body = described.param(WHOLE_BODY).is_some();
    let known = |name: &str| {
        // A map in the `deepObject` style sends `filter[color]`.
        let deep = name.split_once('[').map(|(base, _)| base);
        described.param(name).is_some()
            || (whole_body && body_members.iter().any(|m| m == name))
            || deep.is_some_and(|base| described.param(base).is_some())
            || api.sends_itself(name)
            || Some(name) == key_param
            || name.starts_with("api.")
    };
    if !described.details.free_form
        && let Some((unknown, _)) = params.iter().find(|(k, _)| !known(k))
    {
        return fail(format!("Unknown parameter “{unknown}” for {name}."));
    }
    for param in described.details.params.iter().filter(|p| p.always_sent()) {
        let sent = params
            .iter()
            .any(|(k, _)| k == param.name || param.aliases.contains(&k.as_str()))
            || placed.iter().any(|p| p.eq_ignore_ascii_case(param.name));
        if !sent {
            return fail(format!(
                "Missing required parameter “{}” for {name}.",
                param.name
            ));
        }
    }
    let example = shared
        .examples
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(name)
        .cloned();
    let mut reply = replies::success(
        envelope,
        name,
        example.as_deref().unwrap_or(operation.example),
    );
    if let (Some(metadata), Some(list)) = (&api.output_controls, described.list) {
        let payload = envelope.payload.first().map_or("", |p| p.as_ref());
        controls::apply(&mut reply, &format!("{payload}{list}"), metadata, params);
    }
    let reply = match legacy {
        Some(legacy) => replies::in_legacy_shape(envelope, legacy, &reply, described.list),
        None => reply,
    };
    (reply, false)
}

/// The batch operation: each `command=function?args` run in turn, the
/// replies in order in the payload, stopping at a failure when asked to.
fn batch(shared: &Shared, operation: &FakeOperation, params: &[(String, String)]) -> Answer {
    let api = shared.api;
    let Some(spec) = api.batch.as_deref() else {
        return Answer::json(&run(shared, operation, (params, &[], &[])).0);
    };
    let abort = params
        .iter()
        .any(|(k, v)| *k == spec.abort_on_error && v == "1");
    let mut results = Vec::new();
    let mut all_succeeded = true;
    for (_, command) in params.iter().filter(|(k, _)| *k == spec.command) {
        let (function, query) = command.split_once('?').unwrap_or((command, ""));
        let mut call: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        // Calls in a batch inherit the batch's fixed parameters.
        for (fixed, value) in api.fixed_params.iter() {
            call.push((fixed.to_string(), value.to_string()));
        }
        let found = find(shared, "GET", &format!("/{function}"), &call).map(|(op, _)| op);
        let reply = match found {
            Some(op) => run(shared, op, (&call, &[], &[])).0,
            None => replies::failure(
                &api.envelope,
                function,
                "",
                &format!("Unknown app ({function}) requested for this version (1) of the API."),
            ),
        };
        let succeeded = api
            .envelope_for(found.and_then(|op| op.operation.envelope))
            .success
            .first()
            .and_then(|p| reply.pointer(p))
            .is_some_and(|v| v == &Value::from(1) || v == &Value::Bool(true));
        all_succeeded &= succeeded;
        results.push(reply);
        if abort && !succeeded {
            break;
        }
    }
    let mut reply = if all_succeeded {
        replies::success(&api.envelope, operation.name(), "")
    } else {
        replies::failure(
            &api.envelope,
            operation.name(),
            "",
            "One or more of the batched calls failed.",
        )
    };
    let payload = api.envelope.payload.first().map_or("", |p| p.as_ref());
    replies::set(
        &mut reply,
        &format!("{payload}{}", spec.results),
        Value::Array(results),
    );
    Answer::json(&reply)
}
