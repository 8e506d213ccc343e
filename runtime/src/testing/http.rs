//! The fake server's HTTP side: reading a request (its parameters from
//! the query, a form or a JSON body; its credentials from headers and
//! cookies), recording it, and writing the answer.

use std::sync::PoisonError;
use std::sync::atomic::Ordering;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use serde_json::Value;

use super::emulation::{Presented, answer};
use super::{Answer, KEPT, Recorded, Shared};
use crate::wire::{ApiSpec, Auth};

/// The largest request body the fake server reads.
const MAX_BODY: usize = 16 * 1024 * 1024;

pub(super) async fn handle(
    shared: &Shared,
    request: hyper::Request<Incoming>,
) -> hyper::Response<Full<Bytes>> {
    shared.count.fetch_add(1, Ordering::Relaxed);
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or("").to_owned();
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .unwrap_or_default()
    };
    let content_type = header("content-type");
    let authorization = header("authorization");
    // A key the API takes in a header or a cookie, as presented.
    let key_elsewhere = shared.api.auth.iter().find_map(|a| match a {
        Auth::KeyHeader { name } => Some(header(name)),
        Auth::KeyCookie { name } => Some(cookie(&header("cookie"), name)),
        _ => None,
    });
    let headers = headers_without_credentials(shared.api, request.headers());
    let body = match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(_) => {
            return respond(
                Answer::json(&Value::from("the request body is too large or broken")),
                413,
            );
        }
    };
    let mut params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        params.extend(url::form_urlencoded::parse(&body).into_owned());
    }
    let json_body: Option<Value> = content_type
        .starts_with("application/json")
        .then(|| serde_json::from_slice(&body).ok())
        .flatten();
    if let Some(Value::Object(members)) = &json_body {
        params.extend(members.iter().map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), text)
        }));
    }
    // What came outside the pairs: headers, cookies, a body of no pairs.
    let mut placed: Vec<String> = headers.iter().map(|(name, _)| name.clone()).collect();
    let cookies = headers.iter().filter(|(name, _)| name == "cookie");
    for (_, value) in cookies {
        let names = value
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='));
        placed.extend(names.map(|(name, _)| name.to_owned()));
    }
    // A JSON object is the body too: for an operation that takes it
    // whole, its members are the body's.
    let body_members: Vec<String> = match &json_body {
        Some(Value::Object(members)) => members.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let form = content_type.starts_with("application/x-www-form-urlencoded");
    if !body.is_empty() && !form {
        placed.push("body".to_owned());
    }
    {
        let mut recorded = shared
            .recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if recorded.len() == KEPT {
            recorded.pop_front();
        }
        recorded.push_back(Recorded {
            method: method.clone(),
            path: path.clone(),
            query,
            content_type,
            body,
            params: params.clone(),
            headers,
            authorized_by_header: !authorization.is_empty()
                || key_elsewhere.as_ref().is_some_and(|k| !k.is_empty()),
        });
    }
    let presented = Presented {
        authorization: &authorization,
        key_elsewhere: key_elsewhere.as_deref(),
        placed: &placed,
        body_members: &body_members,
    };
    let answer = answer(shared, (&method, &path), presented, &params).await;
    let status = answer.status;
    respond(answer, status)
}

/// The value of cookie `name` in a `Cookie` header, or "".
fn cookie(header: &str, name: &str) -> String {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .unwrap_or_default()
}

fn respond(answer: Answer, status: u16) -> hyper::Response<Full<Bytes>> {
    let length = answer.body.len();
    let mut body = answer.body;
    if answer.truncated {
        body.truncate(length / 2);
    }
    let mut response = hyper::Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static(answer.content_type),
    );
    // A truncated answer announces its whole length, then stops short.
    headers.insert(
        hyper::header::CONTENT_LENGTH,
        hyper::header::HeaderValue::from(length),
    );
    response
}

/// The request's headers as [`Recorded::headers`] keeps them.
fn headers_without_credentials(api: &ApiSpec, headers: &hyper::HeaderMap) -> Vec<(String, String)> {
    let key_header = api.auth.iter().find_map(|a| match a {
        Auth::KeyHeader { name } => Some(name.to_ascii_lowercase()),
        _ => None,
    });
    let key_cookie = api.auth.iter().find_map(|a| match a {
        Auth::KeyCookie { name } => Some(name.as_ref()),
        _ => None,
    });
    let mut kept = Vec::new();
    for (name, value) in headers {
        let name = name.as_str();
        if name == "authorization" || key_header.as_deref() == Some(name) {
            continue;
        }
        let mut value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        if name == "cookie" {
            let others: Vec<&str> = value
                .split(';')
                .map(str::trim)
                .filter(|pair| pair.split('=').next() != key_cookie)
                .collect();
            value = others.join("; ");
        }
        kept.push((name.to_owned(), value));
    }
    kept
}
