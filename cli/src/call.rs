//! One call on one server: its parameters and output controls sent, every
//! page read when asked, the outcome as an exit status.

use std::time::Duration;

use serde_json::Value;
use whm_runtime::catalog::Kind;
use whm_runtime::{Error, Filter, Order, Params, SortMethod};

use crate::servers::Server;

/// What a call sends besides its parameters.
#[derive(Debug, Clone, Default)]
pub struct Controls {
    /// `--get`.
    pub get: bool,
    /// `--filter FIELD~VALUE`.
    pub filters: Vec<(String, Filter)>,
    /// `--sort [-]FIELD[:METHOD]`.
    pub sorts: Vec<(String, SortMethod, Order)>,
    /// `--columns`.
    pub columns: Vec<String>,
    /// `--all-pages`: the page size.
    pub all_pages: Option<u64>,
    /// `--timeout`.
    pub timeout: Option<Duration>,
}

/// A `--filter` argument: `field~value` (contains), `field^value`
/// (begins), `field=value` (equals), `field==value` (equals as a number),
/// `field<value`, `field<=value`, `field>value`, `field>=value`.
pub fn filter(text: &str) -> Result<(String, Filter), String> {
    type Make = fn(String) -> Filter;
    const OPERATORS: [(&str, Make); 8] = [
        ("==", Filter::NumberEquals),
        ("<=", Filter::AtMost),
        (">=", Filter::AtLeast),
        ("~", Filter::Contains),
        ("^", Filter::Begins),
        ("=", Filter::Equals),
        ("<", Filter::LessThan),
        (">", Filter::GreaterThan),
    ];
    let at = text
        .find(['~', '^', '=', '<', '>'])
        .filter(|&i| i > 0)
        .ok_or_else(|| {
            format!("`{text}` is no filter: write FIELD~TEXT (contains), FIELD^TEXT (begins), FIELD=TEXT, FIELD==N, FIELD<N, FIELD<=N, FIELD>N or FIELD>=N")
        })?;
    let (field, rest) = text.split_at(at);
    let (op, make) = OPERATORS
        .iter()
        .find(|(op, _)| rest.starts_with(op))
        .expect("the operator found is one of these");
    Ok((field.to_owned(), make(rest[op.len()..].to_owned())))
}

/// A `--sort` argument: `field`, `-field` (largest first), with
/// `:numeric`, `:numeric_zero_as_max`, `:ipv4` or `:lexicographic`.
pub fn sort(text: &str) -> Result<(String, SortMethod, Order), String> {
    let (order, rest) = match text.strip_prefix('-') {
        Some(rest) => (Order::Descending, rest),
        None => (Order::Ascending, text),
    };
    let (field, method) = match rest.split_once(':') {
        Some((field, method)) => (
            field,
            SortMethod::from_wire(method).ok_or_else(|| {
                format!("`{method}` is no sort method: lexicographic, numeric, numeric_zero_as_max or ipv4")
            })?,
        ),
        None => (rest, SortMethod::Lexicographic),
    };
    if field.is_empty() {
        return Err(format!("`{text}` names no field to sort by"));
    }
    Ok((field.to_owned(), method, order))
}

/// The parameters to send, secrets marked as such, with the function's
/// constants where not given.
pub fn params(
    function: Option<&whm_runtime::catalog::Function>,
    pairs: &[(String, String)],
) -> Params {
    let mut params = Params::new();
    // The constants a function always sends, as its generated method does
    // (the catalog leaves out those the API sends with every call).
    for p in function.map_or(&[][..], |f| f.params) {
        if let whm_runtime::catalog::Presence::Constant(value) = p.presence
            && !pairs.iter().any(|(k, _)| k == p.name)
        {
            params.push_raw(p.name, value);
        }
    }
    for (key, value) in pairs {
        let secret = function
            .and_then(|f| f.param(key))
            .is_some_and(|p| p.kind == Kind::Secret);
        if secret {
            params.push_secret(key.clone(), &whm_runtime::Secret::new(value.clone()));
        } else {
            params.push_raw(key.clone(), value.clone());
        }
    }
    params
}

/// How a call ended.
#[derive(Debug)]
pub enum Outcome {
    /// The payload (every page's records, with `--all-pages`), and the
    /// body as received (of the last page).
    Done { data: Value, body: String },
    /// The server answered that it failed, or was not reached.
    Failed { error: Error, body: Option<String> },
}

/// The exit status for an error: 1 the API said no, 3 access denied,
/// 4 the server was not reached or did not answer as an API.
pub fn status_of(error: &Error) -> u8 {
    match error {
        Error::Api { .. } => 1,
        Error::AccessDenied { .. } => 3,
        _ => 4,
    }
}

/// Calls `function` on `server`.
pub async fn run(
    server: &Server,
    function: &str,
    params: &Params,
    controls: &Controls,
    list: Option<&str>,
) -> Outcome {
    let client = match crate::servers::client(server) {
        Ok(c) => c,
        Err(message) => {
            return Outcome::Failed {
                error: Error::Config(message),
                body: None,
            };
        }
    };
    let mut start = 1;
    let mut all: Option<Value> = None;
    loop {
        let mut call = client
            .runtime()
            .raw_call(&whm_api::API, function, params.clone());
        if controls.get {
            call = call.via_get();
        }
        if let Some(t) = controls.timeout {
            call = call.timeout(t);
        }
        for (field, f) in &controls.filters {
            call = call.filter(field.clone(), f.clone());
        }
        for (field, method, order) in &controls.sorts {
            call = call.sort(field.clone(), *method, *order);
        }
        if !controls.columns.is_empty() {
            call = call.columns(controls.columns.clone());
        }
        if let Some(size) = controls.all_pages {
            call = call.chunk(size, start);
        }
        let received = match call.receive().await {
            Ok(r) => r,
            Err(error) => return Outcome::Failed { error, body: None },
        };
        let body = received.body().into_owned();
        let reply = match received.reply() {
            Ok(reply) => reply,
            Err(error) => {
                return Outcome::Failed {
                    error,
                    body: Some(body),
                };
            }
        };
        let more = controls.all_pages.is_some()
            && reply
                .output
                .as_ref()
                .and_then(|o| o.chunk.as_ref())
                .is_some_and(|c| c.current < c.chunks && c.records > 0);
        match (&mut all, list) {
            (Some(acc), Some(pointer)) => {
                if let (Some(Value::Array(into)), Some(Value::Array(page))) =
                    (acc.pointer_mut(pointer), reply.data.pointer(pointer))
                {
                    into.extend(page.iter().cloned());
                }
            }
            _ => all = Some(reply.data),
        }
        if !more || list.is_none() {
            return Outcome::Done {
                data: all.unwrap_or(Value::Null),
                body,
            };
        }
        start += controls.all_pages.unwrap_or(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_and_sorts_read_as_written() {
        assert_eq!(
            filter("domain~shop").unwrap(),
            ("domain".to_owned(), Filter::Contains("shop".to_owned()))
        );
        assert_eq!(
            filter("diskused>=100").unwrap(),
            ("diskused".to_owned(), Filter::AtLeast("100".to_owned()))
        );
        assert_eq!(
            filter("uid==5").unwrap(),
            ("uid".to_owned(), Filter::NumberEquals("5".to_owned()))
        );
        assert!(filter("domain").is_err());
        assert!(filter("~x").is_err());
        assert_eq!(
            sort("-diskused:numeric").unwrap(),
            (
                "diskused".to_owned(),
                SortMethod::Numeric,
                Order::Descending
            )
        );
        assert_eq!(
            sort("user").unwrap(),
            (
                "user".to_owned(),
                SortMethod::Lexicographic,
                Order::Ascending
            )
        );
        assert!(sort("-").is_err());
        assert!(sort("x:bogus").is_err());
    }
}
