//! The API-wide facts: server, envelope, fixed parameters, authentication.
//!
//! Read from standard OpenAPI where it can say them (servers, security
//! schemes) and from the documented `x-` extensions where it cannot.

use serde_json::Value;

use crate::ir::{AuthScheme, Envelope};
use crate::openapi::OpenApi;
use crate::spec::{Spec, SpecError};

/// The server's URL template, base path and fixed root (when it has no variables).
pub fn server(spec: &Spec) -> Result<(String, String, Option<String>), SpecError> {
    let Some(server) = spec.document.servers.first() else {
        return Ok((String::new(), String::new(), None));
    };
    let url = server.url.trim_end_matches('/');
    let after_scheme = url.split_once("://").map(|(_, rest)| rest).ok_or_else(|| {
        spec.error(
            "/servers/0/url",
            format!("the server URL `{url}` has no scheme (https://...)"),
        )
    })?;
    let (authority, path) = match after_scheme.find('/') {
        Some(i) => (&after_scheme[..i], &after_scheme[i..]),
        None => (after_scheme, ""),
    };
    if path.contains('{') {
        return Err(spec.error(
            "/servers/0/url",
            "variables in the server URL's path are not supported; use them in the host and port only",
        ));
    }
    let root = &url[..url.len() - path.len()];
    let fixed_root = (!authority.contains('{')).then(|| root.to_owned());
    Ok((server.url.clone(), path.to_owned(), fixed_root))
}

/// The document's `x-envelope`: JSON pointers (one, or a list) into replies.
pub fn envelope(spec: &Spec) -> Result<Envelope, SpecError> {
    match spec.document.extensions.get("x-envelope") {
        None => Ok(Envelope::default()),
        Some(value) => envelope_at(spec, value, "/x-envelope"),
    }
}

/// An `x-envelope` value at `at`.
pub fn envelope_at(spec: &Spec, value: &Value, at: &str) -> Result<Envelope, SpecError> {
    let object = value
        .as_object()
        .ok_or_else(|| spec.error(at, "`x-envelope` must be a mapping of JSON pointers"))?;
    let known = [
        "payload",
        "success",
        "message",
        "operation",
        "warnings",
        "messages",
        "inner",
    ];
    for key in object.keys() {
        if !known.contains(&key.as_str()) {
            return Err(spec.error(
                &format!("{at}/{key}"),
                format!(
                    "unknown `x-envelope` entry `{key}`; known: {}",
                    known.join(", ")
                ),
            ));
        }
    }
    let pointers = |key: &str| -> Result<Vec<String>, SpecError> {
        let here = format!("{at}/{key}");
        let list = match object.get(key) {
            None => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| spec.error(&here, "expected a JSON pointer or a list of them"))?,
            Some(_) => return Err(spec.error(&here, "expected a JSON pointer or a list of them")),
        };
        for pointer in &list {
            if !pointer.starts_with('/') {
                return Err(spec.error(
                    &here,
                    format!("`{pointer}` is not a JSON pointer (it must start with `/`)"),
                ));
            }
        }
        Ok(list)
    };
    let inner = match object.get("inner") {
        Some(value) => Some(Box::new(envelope_at(spec, value, &format!("{at}/inner"))?)),
        None => None,
    };
    Ok(Envelope {
        payload: pointers("payload")?,
        success: pointers("success")?,
        message: pointers("message")?,
        warnings: pointers("warnings")?,
        messages: pointers("messages")?,
        operation: pointers("operation")?,
        inner,
    })
}

/// `x-fixed-parameters`: sent with every call, as wire text.
pub fn fixed_params(spec: &Spec) -> Result<Vec<(String, String)>, SpecError> {
    let Some(value) = spec.document.extensions.get("x-fixed-parameters") else {
        return Ok(Vec::new());
    };
    let object = value.as_object().ok_or_else(|| {
        spec.error(
            "/x-fixed-parameters",
            "`x-fixed-parameters` must be a mapping of names to values",
        )
    })?;
    object
        .iter()
        .map(|(name, value)| match value {
            Value::String(s) => Ok((name.clone(), s.clone())),
            Value::Number(n) => Ok((name.clone(), n.to_string())),
            Value::Bool(b) => Ok((name.clone(), if *b { "1" } else { "0" }.to_owned())),
            _ => Err(spec.error(
                &format!("/x-fixed-parameters/{name}"),
                "a fixed parameter must be a string, number or boolean",
            )),
        })
        .collect()
}

/// `x-query-as-form`.
pub fn query_as_form(spec: &Spec) -> Result<bool, SpecError> {
    match spec.document.extensions.get("x-query-as-form") {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(spec.error(
            "/x-query-as-form",
            "`x-query-as-form` must be true or false",
        )),
    }
}

/// The security schemes the document requires, in order.
pub fn auth(spec: &Spec) -> Result<Vec<AuthScheme>, SpecError> {
    let doc: &OpenApi = &spec.document;
    let mut names: Vec<&str> = doc
        .security
        .iter()
        .flat_map(|r| r.keys().map(String::as_str))
        .collect();
    if names.is_empty() {
        names = doc
            .components
            .security_schemes
            .keys()
            .map(String::as_str)
            .collect();
    }
    let mut out = Vec::new();
    for name in names {
        let at = format!("/components/securitySchemes/{name}");
        let scheme = doc.components.security_schemes.get(name).ok_or_else(|| {
            spec.error(
                "/security",
                format!("security requirement `{name}` names no security scheme"),
            )
        })?;
        // A header's or cookie's name must be an HTTP token; a query
        // parameter's anything printable.
        let key_name = |token: bool| {
            let name = scheme
                .name
                .clone()
                .ok_or_else(|| spec.error(&at, "an `apiKey` scheme needs a `name`"))?;
            let fits = |b: u8| {
                if token {
                    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
                } else {
                    !b.is_ascii_control() && b != b' '
                }
            };
            if name.is_empty() || !name.bytes().all(fits) {
                return Err(spec.error(
                    &format!("{at}/name"),
                    format!("`{name}` cannot name the key where it goes (`in: {}`): give a name of letters, digits and `-`", scheme.location.as_deref().unwrap_or("-")),
                ));
            }
            Ok(name)
        };
        let auth = match (
            scheme.kind.as_str(),
            scheme.scheme.as_deref(),
            scheme.location.as_deref(),
        ) {
            ("http", Some(s), _) if s.eq_ignore_ascii_case("basic") => AuthScheme::Basic,
            ("http", Some(s), _) if s.eq_ignore_ascii_case("bearer") => AuthScheme::Bearer,
            ("http", Some(s), _)
                if !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-._~+".contains(&b)) =>
            {
                AuthScheme::Token {
                    scheme: s.to_owned(),
                }
            }
            ("apiKey", _, Some("query")) => AuthScheme::KeyParam {
                name: key_name(false)?,
            },
            ("apiKey", _, Some("header")) => AuthScheme::KeyHeader {
                name: key_name(true)?,
            },
            ("apiKey", _, Some("cookie")) => AuthScheme::KeyCookie {
                name: key_name(true)?,
            },
            (kind, s, location) => {
                return Err(spec.error(
                    &at,
                    format!(
                        "unsupported security scheme (type `{kind}`, scheme `{}`, in `{}`); supported: http basic, http bearer, http with a scheme word of its own (`whm`: `Authorization: whm USER:TOKEN`), apiKey in query, header or cookie",
                        s.unwrap_or("-"),
                        location.unwrap_or("-")
                    ),
                ));
            }
        };
        if !out.contains(&auth) {
            out.push(auth);
        }
    }
    Ok(out)
}

/// `x-output-controls`: where replies report what the controls did.
pub fn output_controls(spec: &Spec) -> Result<Option<String>, SpecError> {
    let Some(value) = spec.document.extensions.get("x-output-controls") else {
        return Ok(None);
    };
    let pointer = value
        .get("metadata")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            spec.error(
                "/x-output-controls",
                "`x-output-controls` needs `metadata`: a JSON pointer",
            )
        })?;
    Ok(Some(pointer.to_owned()))
}

/// `x-batch`: how several calls go in one request.
pub fn batch(spec: &Spec) -> Result<Option<crate::ir::Batch>, SpecError> {
    let Some(value) = spec.document.extensions.get("x-batch") else {
        return Ok(None);
    };
    let field = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| {
                spec.error(
                    &format!("/x-batch/{key}"),
                    format!("`x-batch` needs `{key}`"),
                )
            })
    };
    let batch = crate::ir::Batch {
        operation: field("operation")?,
        command: field("command")?,
        abort_on_error: field("abort-on-error")?,
        results: field("results")?,
    };
    let exists = spec
        .document
        .paths
        .values()
        .flat_map(|item| item.operations())
        .any(|(_, op)| op.operation_id == batch.operation);
    if !exists {
        return Err(spec.error(
            "/x-batch/operation",
            format!(
                "`x-batch` names the operation `{}`, which the spec does not have",
                batch.operation
            ),
        ));
    }
    Ok(Some(batch))
}
