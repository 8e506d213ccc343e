//! What WHM API 1 does on the wire that its reference does not say in a
//! form the importer could read: the reply envelope, how the server
//! refuses a call, the fixed `api.version`, output controls, `batch`, and
//! the proxies to cPanel's APIs. These are facts of the protocol, written
//! down once here and carried into the spec as data, where the generator
//! and runtime read them.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde_json::{Value, json};

use crate::spec::openapi::SchemaType;
use crate::spec::openapi::{Extensions, Schema, SecurityRequirement, SecurityScheme};

/// The document-level extensions of the WHM API 1 spec; `has` says
/// whether the reference documents a function (`batch` needs one).
pub fn document_extensions(has: impl Fn(&str) -> bool) -> Vec<(String, Value)> {
    let mut extensions = vec![
        (
            "x-envelope".to_owned(),
            // Some functions document the flat legacy shape, with `result`
            // and `reason` beside `data`: read those too.
            // Further causes of a failure (a weak password's) come as a
            // list in `metadata.errors`.
            //
            // Without `api.version=1` (a proxy can drop it) the server
            // answers as WHM API 0: `status` and `statusmsg` at the root,
            // in a `result` list's first item, or beside the records alone.
            json!({
                "payload": "/data",
                "success": ["/metadata/result", "/result"],
                "message": ["/metadata/reason", "/reason"],
                "errors": "/metadata/errors",
                "operation": "/metadata/command",
                "warnings": "/metadata/output/warnings",
                "messages": "/metadata/output/messages",
                "legacy": {
                    "payload": ["/result/0", ""],
                    "success": ["/status", "/result/0/status"],
                    "message": ["/statusmsg", "/result/0/statusmsg"],
                },
            }),
        ),
        (
            "x-refusal".to_owned(),
            // Refused credentials come back in cPanel's legacy API 2 shape
            // (`cpanelresult`), often served as text and sometimes with
            // status 200; so does a call for a user that does not exist,
            // before WHM dispatches it. A password login on a two-factor
            // account gets the login page.
            json!({
                "reason": [
                    "/cpanelresult/data/reason",
                    "/cpanelresult/error",
                    "/metadata/reason",
                    "/error",
                    "/reason",
                ],
                "rejection": ["/cpanelresult/error", "/cpanelresult/data/reason"],
                "denied": ["access denied"],
                "login-page": ["tfa_login_form"],
            }),
        ),
        ("x-fixed-parameters".to_owned(), json!({"api.version": 1})),
        ("x-query-as-form".to_owned(), json!(true)),
        // Filter, sort, columns and chunk parameters work on every list
        // function; the server reports what it did under `metadata`.
        (
            "x-output-controls".to_owned(),
            json!({"metadata": "/metadata"}),
        ),
    ];
    // `batch` runs several functions in one request: each as a
    // `command=function?args`, the replies in order under `data.result`.
    if has("batch") {
        extensions.push((
            "x-batch".to_owned(),
            json!({
                "operation": "batch",
                "command": "command",
                "abort-on-error": "abort_on_error",
                "results": "/result",
            }),
        ));
    }
    extensions
}

/// The envelope of a function whose replies are not WHM's own, or `None`.
pub fn operation_envelope(function: &str) -> Option<Value> {
    let uapi = json!({
        "payload": "/uapi/data",
        "success": "/uapi/status",
        "message": ["/uapi/errors", "/uapi/error"],
        "errors": "/uapi/errors",
        "warnings": "/uapi/warnings",
        "messages": "/uapi/messages",
    });
    match function {
        // The `cpanel` proxy answers in the called API's own envelope: API 2's
        // `cpanelresult`, UAPI's `result` (apiversion 3), or, for a user that
        // does not exist, a bare `error`; the reference documents WHM's.
        //
        // API 2 reports failure in `error` and in each row's `result` and
        // `reason` as often as in `event.result`, which can say 1 beside
        // them.
        "cpanel" => Some(json!({
            "payload": ["/cpanelresult/data", "/result/data", "/data"],
            "success": ["/cpanelresult/event/result", "/result/status", "/metadata/result"],
            "message": ["/cpanelresult/error", "/result/errors", "/error", "/data/reason", "/metadata/reason"],
            "errors": ["/result/errors", "/metadata/errors"],
            "failures": [
                {"reason": "/cpanelresult/error"},
                {"flag": "/cpanelresult/data/*/result", "reason": "/cpanelresult/data/*/reason"},
            ],
            "warnings": ["/result/warnings", "/metadata/output/warnings"],
            "messages": ["/result/messages", "/metadata/output/messages"],
            "operation": "/metadata/command",
        })),
        // `uapi_cpanel` answers in WHM's envelope, and WHM's `result: 1` only
        // says it dispatched the call: UAPI's own result is in `data.uapi`.
        "uapi_cpanel" => {
            let mut whm = document_extensions(|_| false)
                .into_iter()
                .find(|(k, _)| k == "x-envelope")
                .map(|(_, v)| v)
                .unwrap_or_default();
            whm["inner"] = uapi;
            Some(whm)
        }
        _ => None,
    }
}

/// Operation-level extensions for `function` with the documented reply
/// `example`: its envelope when special, and `x-list` for list functions
/// (a payload whose only member is a list of records).
pub fn operation_extensions(function: &str, example: Option<&Value>) -> Extensions {
    let mut extensions = Extensions::new();
    if let Some(envelope) = operation_envelope(function) {
        extensions.insert("x-envelope".to_owned(), envelope);
    }
    let data = example
        .and_then(|e| e.get("data"))
        .and_then(Value::as_object);
    if let Some(data) = data
        && data.len() == 1
        && let Some((key, Value::Array(items))) = data.iter().next()
        && items.iter().all(Value::is_object)
    {
        extensions.insert(
            "x-list".to_owned(),
            json!(format!("/{}", whm_wire::pointer::escape(key))),
        );
    }
    extensions
}

/// Security scheme for `Authorization: whm USER:TOKEN`.
pub const TOKEN_SCHEME: &str = "WhmApiToken";

/// Security scheme for HTTP Basic authentication.
pub const BASIC_SCHEME: &str = "BasicAuth";

/// The shared schema of the reply's `metadata`.
pub const METADATA_SCHEMA: &str = "Metadata";

pub(super) fn requirement(scheme: &str) -> SecurityRequirement {
    IndexMap::from([(scheme.to_owned(), Vec::new())])
}

pub(super) fn security_schemes() -> BTreeMap<String, SecurityScheme> {
    BTreeMap::from([
        (
            TOKEN_SCHEME.to_owned(),
            SecurityScheme {
                kind: "http".to_owned(),
                scheme: Some("whm".to_owned()),
                name: None,
                location: None,
                description: Some(
                    "An API token: `Authorization: whm USER:TOKEN`, where USER is `root` or a reseller. \
                     The token's ACLs decide which functions it may call."
                        .to_owned(),
                ),
                extensions: Extensions::new(),
            },
        ),
        (
            BASIC_SCHEME.to_owned(),
            SecurityScheme {
                kind: "http".to_owned(),
                scheme: Some("basic".to_owned()),
                name: None,
                location: None,
                description: Some("A username and password, as HTTP Basic authentication.".to_owned()),
                extensions: Extensions::new(),
            },
        ),
    ])
}

pub(super) fn metadata_schema() -> Schema {
    let messages = Schema {
        description: Some("One message per element, or one newline-separated string.".to_owned()),
        one_of: vec![
            Schema {
                items: Some(Box::new(Schema::of_type(SchemaType::String))),
                ..Schema::of_type(SchemaType::Array)
            },
            Schema::of_type(SchemaType::String),
        ],
        nullable: true,
        ..Schema::default()
    };
    let described = |kind: SchemaType, text: &str| Schema {
        description: Some(text.to_owned()),
        ..Schema::of_type(kind)
    };
    Schema {
        description: Some("The outcome of a call, present in every reply.".to_owned()),
        properties: IndexMap::from([
            ("command".to_owned(), described(SchemaType::String, "The function that ran.")),
            ("version".to_owned(), described(SchemaType::Integer, "The API version, `1`.")),
            (
                "result".to_owned(),
                Schema {
                    description: Some(
                        "`1` when the function succeeded, `0` when it failed (some servers send the string `\"1\"`)."
                            .to_owned(),
                    ),
                    one_of: vec![Schema::of_type(SchemaType::Integer), Schema::of_type(SchemaType::String)],
                    ..Schema::default()
                },
            ),
            (
                "reason".to_owned(),
                described(
                    SchemaType::String,
                    "Why the function failed; on success, `OK` or a message. Never decide success from it.",
                ),
            ),
            (
                "output".to_owned(),
                Schema {
                    description: Some("Output of the function beyond its data.".to_owned()),
                    properties: IndexMap::from([
                        ("raw".to_owned(), described(SchemaType::String, "Raw output, a log for slow functions.")),
                        ("warnings".to_owned(), messages.clone()),
                        ("messages".to_owned(), messages),
                    ]),
                    ..Schema::of_type(SchemaType::Object)
                },
            ),
        ]),
        ..Schema::of_type(SchemaType::Object)
    }
}
