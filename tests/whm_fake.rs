//! The generated WHM client against the fake WHM server, over real HTTP and
//! HTTPS on 127.0.0.1.

use std::time::Duration;

use serde_json::Value;
use whm_api::accounts::{Createacct, Listaccts};
use whm_api::testing::{FakeServer, OPERATIONS};
use whm_api::{Client, Error};
use whm_runtime::testing::ExampleCall;

async fn server() -> (FakeServer, Client) {
    let server = FakeServer::start().await.expect("the fake server starts");
    let client = server.client().expect("a client for it");
    (server, client)
}

/// The documented reply of `operation`.
fn reply(operation: &str) -> Value {
    let fake = OPERATIONS.iter().find(|o| o.name() == operation).unwrap();
    serde_json::from_str(fake.example).unwrap_or(Value::Null)
}

/// Whether the documented reply is a failure (`metadata.result` 0).
fn documents_failure(operation: &str) -> bool {
    reply(operation).pointer("/metadata/result") == Some(&Value::from(0))
}

/// The payload of a reply, where the operation's envelope (and the
/// envelopes inside it) keep it.
fn payload(operation: &str, reply: &Value) -> Value {
    let fake = OPERATIONS.iter().find(|o| o.name() == operation).unwrap();
    let mut envelope = Some(whm_api::API.envelope_for(fake.operation.envelope));
    let mut value = reply.clone();
    while let Some(e) = envelope {
        value = e
            .payload
            .iter()
            .find_map(|p| value.pointer(p))
            .cloned()
            .unwrap_or(Value::Null);
        envelope = e.inner.as_deref();
    }
    value
}

/// The documented payload of `operation`, decoded and re-encoded as the
/// generated type does it.
fn documented(operation: &str) -> Value {
    let payload = payload(operation, &reply(operation));
    let info = whm_codegen_tests::decoders()
        .whm_api
        .iter()
        .find(|o| o.operation.name == operation)
        .unwrap();
    (info.roundtrip)(&payload.to_string()).unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_generated_operation_is_called_over_http_and_decodes_its_example() {
    let (server, client) = server().await;
    let example_calls = ExampleCall::all(whm_api::testing::each_example);
    assert_eq!(
        example_calls.len(),
        OPERATIONS.len(),
        "every operation has an example call"
    );
    let mut failures = Vec::new();
    let mut documented_failures = 0;
    for example in &example_calls {
        match (example.call)(&client).await {
            // The fake runs a batch's calls rather than repeat an example:
            // the example call batches `version`.
            Ok(data) if example.operation.name == "batch" => {
                let version = reply("version");
                if data.pointer("/result/0/data/version") != version.pointer("/data/version") {
                    failures.push(format!(
                        "batch: the batched `version` call's data is {data}"
                    ));
                }
            }
            Ok(data) => {
                // Operations without a payload decode to `Empty` (null).
                if !data.is_null() && data != documented(example.operation.name) {
                    failures.push(format!(
                        "{}: data differs from the example",
                        example.operation.name
                    ));
                }
            }
            // Some examples document a failure (a mass operation where one
            // item failed): the error must carry the documented data.
            Err(Error::Api { data, .. }) if documents_failure(example.operation.name) => {
                documented_failures += 1;
                if data.as_deref() != reply(example.operation.name).get("data") {
                    failures.push(format!(
                        "{}: the failure lost its data",
                        example.operation.name
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", example.operation.name)),
        }
    }
    assert!(
        documented_failures <= 2,
        "{documented_failures} examples document failures"
    );
    assert!(
        failures.is_empty(),
        "{} of {} calls fail:\n{}",
        failures.len(),
        example_calls.len(),
        failures.join("\n")
    );
    assert_eq!(server.request_count(), example_calls.len() as u64);
}

#[tokio::test]
async fn listaccts_decodes_typed_accounts() {
    let (_server, client) = server().await;
    let found = client
        .listaccts(Listaccts::new().search("example"))
        .await
        .unwrap();
    assert!(!found.acct.is_empty());
    assert!(!found.acct[0].user.is_empty());
}

#[tokio::test]
async fn a_received_reply_reads_with_its_text_borrowed() {
    use std::borrow::Cow;

    let (server, client) = server().await;
    let mut listing = reply("listaccts");
    let account = listing["data"]["acct"][0].clone();
    let mut escaped = account.clone();
    escaped["user"] = "quote\"d".into();
    escaped["surprise"] = serde_json::json!({"new": [1, 2]});
    listing["data"]["acct"] = serde_json::json!([account, escaped]);
    server.set_example("listaccts", &listing);

    let received = client.listaccts(Listaccts::new()).receive().await.unwrap();
    assert_eq!(received.status(), 200);
    assert!(!format!("{received:?}").contains(received.body()));
    let reply = received.reply().unwrap();
    let accounts = &reply.data.acct;
    assert_eq!(accounts.len(), 2);
    // Text without escapes points into the body; escaped text is copied.
    assert!(
        matches!(accounts[0].user, Cow::Borrowed(_)),
        "{:?}",
        accounts[0].user
    );
    assert!(matches!(&accounts[1].user, Cow::Owned(u) if u == "quote\"d"));
    let body = received.body().as_bytes().as_ptr_range();
    assert!(body.contains(&accounts[0].domain.as_ptr()));
    // Members the spec does not describe are kept, as with `String` text.
    assert_eq!(
        accounts[1].extra["surprise"],
        serde_json::json!({"new": [1, 2]})
    );
    assert_eq!(reply.rest["metadata"]["result"], 1);

    // The same reply read with `String` text is equal, field for field.
    let owned = client.listaccts(Listaccts::new()).reply().await.unwrap();
    assert_eq!(
        serde_json::to_value(&owned.data).unwrap(),
        serde_json::to_value(&reply.data).unwrap()
    );
    // Any text type, and the same errors as any other read.
    let boxed: whm_api::Reply<whm_api::accounts::ListacctsData<Box<str>>> =
        received.data_as().unwrap();
    assert_eq!(&*boxed.data.acct[1].user, "quote\"d");
    // A body that is not UTF-8 is read with the bad bytes replaced.
    let mut latin1 = br#"{"data":{"acct":[{"user":"caf"#.to_vec();
    latin1.extend_from_slice(b"\xe9\"}]},\"metadata\":{\"result\":1}}");
    server.respond("listaccts", 200, "application/json", latin1);
    let replaced = client.listaccts(Listaccts::new()).receive().await.unwrap();
    let reply = replaced.reply().unwrap();
    assert_eq!(reply.data.acct[0].user, "caf\u{fffd}");
    assert!(replaced.body().ends_with(r#"{"result":1}}"#));

    server.fail("listaccts", "No accounts today.");
    let failed = client.listaccts(Listaccts::new()).receive().await.unwrap();
    match failed.reply() {
        Err(Error::Api { reason, .. }) => assert_eq!(reason, "No accounts today."),
        other => panic!("expected an API failure, got {other:?}"),
    }
}

#[tokio::test]
async fn requests_go_as_form_posts_with_the_api_version_and_the_token_header() {
    let (server, client) = server().await;
    client
        .listaccts(Listaccts::new().search("a b&c"))
        .await
        .unwrap();
    let request = server.requests().pop().unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/json-api/listaccts");
    assert_eq!(request.content_type, "application/x-www-form-urlencoded");
    assert_eq!(
        String::from_utf8(request.body).unwrap(),
        "api.version=1&search=a+b%26c"
    );
    assert!(request.authorized_by_header);
    client
        .listaccts(Listaccts::new().search("x"))
        .via_get()
        .await
        .unwrap();
    let request = server.requests().pop().unwrap();
    assert_eq!(
        (request.method.as_str(), request.query.as_str()),
        ("GET", "api.version=1&search=x")
    );
}

#[tokio::test]
async fn an_api_failure_carries_operation_and_reason() {
    let (server, client) = server().await;
    server.fail(
        "createacct",
        "Sorry, a group for that username already exists.",
    );
    let e = client.createacct(Createacct::new("bob")).await.unwrap_err();
    match e {
        Error::Api {
            operation, reason, ..
        } => {
            assert_eq!(operation, "createacct");
            assert_eq!(reason, "Sorry, a group for that username already exists.");
        }
        other => panic!("{other:?}"),
    }
    // Other operations are not affected; `reset` ends the failure.
    client.listaccts(Listaccts::new()).await.unwrap();
    server.reset("createacct");
    client.createacct(Createacct::new("bob")).await.unwrap();
}

#[tokio::test]
async fn the_server_checks_parameters_as_whm_does() {
    let (_server, client) = server().await;
    let e = client
        .call("listaccts", &[("nonsense", "1")])
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Api { reason, .. } if reason.contains("Unknown parameter “nonsense”")),
        "{e}"
    );
    let e = client.call("createacct", &[]).await.unwrap_err();
    assert!(
        matches!(&e, Error::Api { reason, .. } if reason.contains("Missing required parameter “username”")),
        "{e}"
    );
    let e = client.call("no_such_function", &[]).await.unwrap_err();
    assert!(
        matches!(&e, Error::Api { reason, .. } if reason.contains("Unknown app (no_such_function)")),
        "{e}"
    );
    // An alias counts as the parameter; free-form functions take anything.
    client
        .call(
            "set_digest_auth",
            &[("user", "bob"), ("password", "pw"), ("digestauth", "1")],
        )
        .await
        .unwrap();
    let cpanel = [
        ("cpanel_jsonapi_user", "bob"),
        ("cpanel_jsonapi_module", "Email"),
        ("cpanel_jsonapi_func", "clearpopcache"),
        ("anything", "x"),
    ];
    client.call("cpanel", &cpanel).await.unwrap();
}

#[tokio::test]
async fn the_api_version_is_required() {
    let (server, _client) = server().await;
    let http = reqwest::Client::new();
    let body = http
        .post(format!("{}/json-api/listaccts", server.base_url()))
        .header(
            "Authorization",
            format!("whm root:{}", whm_api::testing::credentials::TOKEN),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let reply: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(reply["metadata"]["result"], 0);
    assert!(
        reply["metadata"]["reason"]
            .as_str()
            .unwrap()
            .contains("api.version=1")
    );
}

#[tokio::test]
async fn refused_credentials_are_access_denied() {
    let (server, client) = server().await;
    for status in [403, 401] {
        server.deny("listaccts", status);
        let e = client.listaccts(Listaccts::new()).await.unwrap_err();
        assert!(
            matches!(&e, Error::AccessDenied { status: s, reason, .. } if *s == status && reason == "Access denied"),
            "{e:?}"
        );
    }
    let wrong = Client::builder(server.base_url())
        .api_token("root", "wrong-token")
        .build()
        .unwrap();
    let e = wrong.listaccts(Listaccts::new()).await.unwrap_err();
    assert!(
        matches!(e, Error::AccessDenied { status: 403, .. }),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_login_page_is_not_json() {
    let (server, client) = server().await;
    server.login_page("listaccts");
    let e = client.listaccts(Listaccts::new()).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::NotJson {
                status: 200,
                login_page: true,
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_slow_reply_times_out_and_says_it_may_have_run() {
    let (server, client) = server().await;
    server.delay("createacct", Duration::from_secs(5));
    let e = client
        .createacct(Createacct::new("bob"))
        .timeout(Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(whm_codegen_tests::timed_out(&e), "{e:?}");
    assert!(e.to_string().contains("may have reached the server"), "{e}");
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error() {
    let (server, client) = server().await;
    server.truncate("listaccts");
    let e = client.listaccts(Listaccts::new()).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Transport {
                timed_out: false,
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn broken_and_unexpected_replies() {
    let (server, client) = server().await;
    server.respond("listaccts", 200, "application/json", r#"{"data":{"acct":["#);
    let e = client.listaccts(Listaccts::new()).await.unwrap_err();
    assert!(matches!(e, Error::InvalidJson { status: 200, .. }), "{e:?}");
    server.respond(
        "listaccts",
        502,
        "application/json",
        r#"{"error":"upstream"}"#,
    );
    let e = client.listaccts(Listaccts::new()).await.unwrap_err();
    assert!(matches!(e, Error::Status { status: 502, .. }), "{e:?}");
    server.respond(
        "listaccts",
        200,
        "application/json",
        r#"{"data":{"acct":[{"user":"a"},{"user":"b","uid":"not a number"}]},"metadata":{"result":1,"command":"listaccts"}}"#,
    );
    // A value its type cannot hold is kept where it was, not an error.
    let accounts = client.listaccts(Listaccts::new()).await.unwrap().acct;
    assert_eq!(accounts[1].user, "b");
    assert_eq!(accounts[1].uid, 0);
    assert_eq!(accounts[1].extra["uid"], "not a number");
    // A type of the caller's own fails on it, and says where.
    let e = client
        .listaccts(Listaccts::new())
        .data_as::<whm_codegen_tests::StrictListing>()
        .await
        .unwrap_err();
    match e {
        Error::Decode {
            operation,
            path,
            excerpt,
            ..
        } => {
            assert_eq!(operation, "listaccts");
            assert_eq!(path, "data.acct[1].uid");
            assert!(excerpt.contains("not a number"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_is_not_there_is_a_connect_error() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let client = Client::builder(format!("http://{closed}")).build().unwrap();
    let e = client.listaccts(Listaccts::new()).await.unwrap_err();
    assert!(matches!(e, Error::Connect { .. }), "{e:?}");
    assert!(e.is_connect());
}

#[tokio::test]
async fn a_self_signed_server_is_refused_until_its_ca_is_trusted() {
    let server = FakeServer::start_tls().await.unwrap();
    let untrusting = Client::builder(server.base_url())
        .api_token("root", whm_api::testing::credentials::TOKEN)
        .build()
        .unwrap();
    let e = untrusting.listaccts(Listaccts::new()).await.unwrap_err();
    assert!(matches!(e, Error::Connect { .. }), "{e:?}");
    assert!(
        e.to_string().to_lowercase().contains("certificate"),
        "the error says which check failed: {e}"
    );

    let trusting = server.client().unwrap();
    trusting.listaccts(Listaccts::new()).await.unwrap();

    let careless = Client::builder(server.base_url())
        .api_token("root", whm_api::testing::credentials::TOKEN)
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    careless.listaccts(Listaccts::new()).await.unwrap();
}

#[tokio::test]
async fn a_self_signed_certificate_marked_as_a_ca_is_trusted_as_itself() {
    // As a fresh cPanel server's certificate: it signs itself and says
    // `CA:TRUE`, which WebPKI refuses as a server's own certificate.
    let server = whm_runtime::testing::FakeServer::start_tls_self_signed(
        &whm_api::API,
        whm_api::testing::OPERATIONS,
    )
    .await
    .unwrap();
    let builder = || {
        Client::builder(server.base_url()).api_token("root", whm_api::testing::credentials::TOKEN)
    };
    let e = builder()
        .build()
        .unwrap()
        .listaccts(Listaccts::new())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Connect { .. }), "{e:?}");
    let pem = server.ca_certificate_pem().unwrap();
    let trusting = builder()
        .add_root_certificate(pem)
        .unwrap()
        .build()
        .unwrap();
    trusting.listaccts(Listaccts::new()).await.unwrap();
    // Another server's certificate is not this one's.
    let other = FakeServer::start_tls().await.unwrap();
    let wrong = builder()
        .add_root_certificate(other.ca_certificate_pem().unwrap())
        .unwrap()
        .build()
        .unwrap();
    assert!(wrong.listaccts(Listaccts::new()).await.is_err());
    // A file without a certificate is refused when given, not at the first call.
    let e = builder()
        .add_root_certificate("no certificate here")
        .unwrap_err();
    assert!(matches!(e, Error::Config(_)), "{e:?}");
}

#[test]
fn the_blocking_client_has_the_same_surface() {
    let server = FakeServer::start_in_background(false).unwrap();
    let client = server.blocking_client().unwrap();
    let found = client.listaccts(Listaccts::new()).send().unwrap();
    assert!(!found.acct.is_empty());
    // A function by name, as a spec lacking it would be called.
    let raw = client.call("listaccts", &[("searchtype", "user")]).unwrap();
    assert_eq!(
        raw["acct"].as_array().map(Vec::len),
        Some(found.acct.len()),
        "{raw}"
    );
    server.fail("listaccts", "nope");
    let e = client.listaccts(Listaccts::new()).send().unwrap_err();
    assert!(
        matches!(e, Error::Api { ref reason, .. } if reason == "nope"),
        "{e:?}"
    );
    let e = client.call("listaccts", &[]).unwrap_err();
    assert!(
        matches!(e, Error::Api { ref reason, .. } if reason == "nope"),
        "{e:?}"
    );
}

#[tokio::test]
async fn no_secret_shows_in_debug_display_or_errors() {
    const TOKEN: &str = "s3cr3t-token-value";
    const PASSWORD: &str = "hunter2-password";
    let (server, _) = server().await;
    let builder = Client::builder(server.base_url()).api_token("root", TOKEN);
    let shown_builder = format!("{builder:?}");
    let client = builder.build().unwrap();
    let basic = Client::builder(server.base_url())
        .basic_auth("root", PASSWORD)
        .build()
        .unwrap();
    let request = Createacct::new("bob").password(PASSWORD);
    let mut shown = vec![
        shown_builder,
        format!("{client:?}"),
        format!("{basic:?}"),
        format!("{request:?}"),
    ];
    // The server echoes the credentials back in every kind of failure.
    let echo = format!("token {TOKEN} password {PASSWORD}");
    for (status, content_type) in [
        (200, "text/html"),
        (500, "application/json"),
        (403, "text/plain"),
    ] {
        let body = if content_type == "application/json" {
            format!("{{\"echo\":\"{echo}\"}}")
        } else {
            echo.clone()
        };
        server.respond("createacct", status, content_type, body);
        for c in [&client, &basic] {
            let e = c.createacct(request.clone()).await.unwrap_err();
            shown.push(format!("{e:?}"));
            shown.push(e.to_string());
        }
    }
    server.respond(
        "createacct",
        200,
        "application/json",
        format!("{{\"data\":{{\"acct\":\"{echo}\"}},\"metadata\":{{\"result\":1}}}}"),
    );
    let e = client.listaccts(Listaccts::new()).await;
    shown.push(format!("{e:?}"));
    for text in &shown {
        assert!(!text.contains(TOKEN), "the token shows: {text}");
        assert!(!text.contains(PASSWORD), "the password shows: {text}");
    }
    // The password did reach the server, in the body, not the URL.
    let sent = server
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path.ends_with("/createacct"))
        .unwrap();
    assert!(String::from_utf8_lossy(&sent.body).contains(PASSWORD));
    assert!(!sent.query.contains(PASSWORD));
}

#[tokio::test]
async fn a_reply_larger_than_allowed_is_refused() {
    let server = FakeServer::start().await.unwrap();
    let client = server
        .client_builder::<Client>()
        .max_response_bytes(64)
        .build()
        .unwrap();
    let e = client.listaccts(Listaccts::new()).await.unwrap_err();
    assert!(matches!(e, Error::TooLarge { limit: 64, .. }), "{e:?}");
    let e = Client::builder("ftp://example.com")
        .build()
        .unwrap()
        .listaccts(Listaccts::new())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Config(_)), "{e:?}");
}

#[tokio::test]
async fn calls_over_tls_keep_their_connection_and_new_ones_resume_the_session() {
    let server = FakeServer::start_tls().await.unwrap();
    let client = server.client().unwrap();
    for _ in 0..20 {
        client.listaccts(Listaccts::new()).await.unwrap();
    }
    // A loop of calls: one connection, one whole handshake.
    assert_eq!(server.connection_count(), 1);
    assert_eq!(server.resumed_sessions(), 0);
    // Calls at once need more connections; their handshakes resume the
    // session of the first rather than starting afresh, as many as the
    // tickets the server gave the client (two a handshake).
    let (a, b, c, d) = tokio::join!(
        client.listaccts(Listaccts::new()),
        client.listaccts(Listaccts::new()),
        client.listaccts(Listaccts::new()),
        client.listaccts(Listaccts::new()),
    );
    for reply in [a, b, c, d] {
        reply.unwrap();
    }
    let opened = server.connection_count() - 1;
    assert!((1..=4).contains(&opened), "{opened} more connections");
    let resumed = server.resumed_sessions();
    assert!(
        resumed >= opened.min(2),
        "{resumed} of {opened} new connections resumed the session"
    );
}

#[test]
fn a_request_shows_and_compares_as_what_it_sends() {
    use whm_api::accounts::Searchtype;
    let request = Listaccts::new().searchtype(Searchtype::User).search("bob");
    assert_eq!(
        format!("{request:?}"),
        r#"Listaccts { search: "bob", searchtype: "user" }"#
    );
    assert_eq!(format!("{:?}", Listaccts::new()), "Listaccts");
    // The parameters go in the spec's order, whatever order they were set in.
    assert_eq!(
        request,
        Listaccts::new().search("bob").searchtype(Searchtype::User)
    );
    assert_eq!(request, request.clone());
    assert_ne!(request, Listaccts::new().search("bob"));
    assert_ne!(
        request,
        Listaccts::new()
            .search("alice")
            .searchtype(Searchtype::User)
    );

    let secret = Createacct::new("bob").password("hunter2-password");
    let shown = format!("{secret:?}");
    assert_eq!(shown, r#"Createacct { password: ***, username: "bob" }"#);
    assert_ne!(secret, Createacct::new("bob").password("another-password"));
}
