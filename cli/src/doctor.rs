//! `whm doctor`: can this server be reached, does it trust the token, and
//! does it offer the functions the bindings were generated for?

use std::collections::BTreeSet;

use serde_json::Value;
use whm_runtime::{Error, Params};

use crate::servers::Server;
use crate::terminal::visible;
use crate::{Options, say, tell};

/// Checks `server`; the exit status: 0 when it answered as WHM with the
/// token accepted, else that of the failure.
pub fn doctor(server: &Server, options: &Options) -> u8 {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            tell(&format!("whm: cannot start: {e}"));
            return 4;
        }
    };
    runtime.block_on(check(server, options))
}

async fn check(server: &Server, options: &Options) -> u8 {
    say(&format!("server: {}\n", visible(&server.url)));
    let client = match crate::servers::client(server) {
        Ok(c) => c,
        Err(e) => {
            say(&format!("client: failed: {}\n", visible(&e)));
            return 2;
        }
    };
    let timeout = std::time::Duration::from_secs(options.timeout);
    let call = |function: &'static str| {
        client
            .runtime()
            .raw_call(&whm_api::API, function, Params::new())
            .timeout(timeout)
            .receive()
    };
    let version = match call("version").await.and_then(|r| r.reply()) {
        Ok(reply) => reply.data,
        Err(error) => {
            say(&format!(
                "connection: failed: {}\n",
                visible(&explain(&error))
            ));
            return crate::call::status_of(&error);
        }
    };
    let tls = if server.url.starts_with("https://") {
        "verified"
    } else {
        "none (http): the token travels in the clear"
    };
    say(&format!(
        "connection: ok\ntls: {tls}\nauthentication: ok (user {})\n",
        visible(&server.user)
    ));
    let shown = version
        .get("version")
        .and_then(Value::as_str)
        .unwrap_or("unknown");
    say(&format!("version: {}\n", visible(shown)));
    let offered = match call("applist").await.and_then(|r| r.reply()) {
        Ok(reply) => names(&reply.data),
        Err(error) => {
            say(&format!(
                "functions: cannot list them: {}\n",
                visible(&error.to_string())
            ));
            return crate::call::status_of(&error);
        }
    };
    say(&compare(&offered));
    0
}

/// What an error means for someone setting a server up.
fn explain(error: &Error) -> String {
    let text = error.to_string();
    let hint = if text.contains("certificate") || text.contains("TLS") || text.contains("tls") {
        " (TLS: the server's certificate is not trusted; `--ca FILE` trusts its CA)"
    } else if matches!(error, Error::AccessDenied { .. }) {
        " (check WHM_USER and WHM_TOKEN, or the profile's user and token)"
    } else if matches!(error, Error::NotApiReply { .. } | Error::NotJson { .. }) {
        " (not a WHM reply: is this WHM's port, 2087?)"
    } else {
        ""
    };
    format!("{text}{hint}")
}

/// The function names in an `applist` payload (`{"app": [...]}`).
fn names(data: &Value) -> BTreeSet<String> {
    let list = data.get("app").unwrap_or(data);
    match list {
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Value::Object(members) => members.keys().cloned().collect(),
        _ => BTreeSet::new(),
    }
}

/// The server's functions against the catalog's, and what it means.
fn compare(offered: &BTreeSet<String>) -> String {
    let known: BTreeSet<String> = whm_api::CATALOG.iter().map(|f| f.name.to_owned()).collect();
    let lacking: Vec<&String> = known.difference(offered).collect();
    let unknown: Vec<&String> = offered.difference(&known).collect();
    let mut out = format!(
        "functions: the server offers {}, the spec has {}\n",
        offered.len(),
        known.len()
    );
    let list = |names: &[&String]| -> String {
        let shown: Vec<String> = names
            .iter()
            .take(20)
            .map(|s| visible(s).into_owned())
            .collect();
        let more = names.len().saturating_sub(20);
        if more > 0 {
            format!("{} (and {more} more)", shown.join(", "))
        } else {
            shown.join(", ")
        }
    };
    if !unknown.is_empty() {
        out.push_str(&format!(
            "  the spec lacks {}: {}\n  they work with `--raw`; regenerate the bindings from a newer reference to have them typed\n",
            unknown.len(),
            list(&unknown)
        ));
    }
    if !lacking.is_empty() {
        out.push_str(&format!(
            "  the server lacks {}: {}\n  calls of these fail on this server (an older cPanel, or functions it does not allow this user)\n",
            lacking.len(),
            list(&lacking)
        ));
    }
    if unknown.is_empty() && lacking.is_empty() {
        out.push_str("  the same functions: the bindings match this server\n");
    }
    out
}
