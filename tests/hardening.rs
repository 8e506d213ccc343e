//! The client against a hostile or broken server, over real HTTP on
//! 127.0.0.1: secrets never in errors, calls that never hang, raw calls
//! that stay within the API, errors of the right kind.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use base64::Engine as _;
use whm_api::accounts::{Createacct, Listaccts};
use whm_api::testing::FakeServer;
use whm_api::{Client, Error};

use whm_api::testing::credentials::{TOKEN, USER};

const PASSWORD: &str = "hunter2pw!?& é";

async fn server() -> FakeServer {
    FakeServer::start().await.expect("the fake server starts")
}

/// A client of `server` with the API token it takes.
fn token_client(server: &FakeServer) -> Client {
    Client::builder(server.base_url())
        .api_token(USER, TOKEN)
        .build()
        .unwrap()
}

/// `error`, shown every way a program could show it.
fn shown(error: &Error) -> String {
    format!("{error} {error:?}")
}

/// Whether `text` holds any form of `secret` a server could echo.
fn leaks(text: &str, secret: &str) -> Option<String> {
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let base64 = base64::engine::general_purpose::STANDARD_NO_PAD.encode(format!("root:{secret}"));
    let json = serde_json::to_string(secret).unwrap();
    [
        secret.to_owned(),
        form.clone(),
        form.replace('+', "%20"),
        base64,
        json[1..json.len() - 1].to_owned(),
    ]
    .into_iter()
    .find(|f| text.contains(f.as_str()))
}

#[tokio::test]
async fn a_refusal_in_json_that_quotes_the_token_does_not_show_it() {
    let server = server().await;
    let body = format!(
        r#"{{"cpanelresult":{{"error":"Access denied for token {TOKEN}","data":{{"reason":"Access denied for token {TOKEN}","result":"0"}}}}}}"#
    );
    server.respond("listaccts", 403, "application/json", body);
    let e = token_client(&server)
        .listaccts(Listaccts::new())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::AccessDenied { .. }), "{e:?}");
    assert_eq!(leaks(&shown(&e), TOKEN), None, "{}", shown(&e));
}

#[tokio::test]
async fn a_value_that_does_not_decode_is_not_shown_when_it_is_a_secret() {
    let server = server().await;
    // The server puts the token where a number belongs.
    let body = format!(
        r#"{{"data":{{"acct":[{{"uid":"{TOKEN}"}}]}},"metadata":{{"result":1,"reason":"OK"}}}}"#
    );
    server.respond("listaccts", 200, "application/json", body);
    // The generated types keep such a value (in the account's `extra`):
    // a type of the caller's own fails on it, and its error must not show it.
    let e = token_client(&server)
        .listaccts(Listaccts::new())
        .data_as::<whm_codegen_tests::StrictListing>()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Decode { .. }), "{e:?}");
    assert_eq!(leaks(&shown(&e), TOKEN), None, "{}", shown(&e));
}

#[tokio::test]
async fn an_echoed_form_body_does_not_show_the_password_in_any_encoding() {
    let server = server().await;
    let client = token_client(&server);
    let form: String = url::form_urlencoded::byte_serialize(PASSWORD.as_bytes()).collect();
    for (status, body) in [
        (
            500,
            format!("<html>proxy error; you sent password={form}</html>"),
        ),
        (502, format!("password={}", form.replace('+', "%20"))),
        (
            200,
            format!("{{\"echo\":{}}}", serde_json::to_string(PASSWORD).unwrap()),
        ),
    ] {
        server.respond("createacct", status, "text/html", body.clone());
        let e = client
            .createacct(Createacct::new("bob").password(PASSWORD))
            .await
            .unwrap_err();
        assert_eq!(leaks(&shown(&e), PASSWORD), None, "{body}: {}", shown(&e));
    }
}

#[tokio::test]
async fn a_proxy_echoing_basic_credentials_does_not_show_them() {
    let server = server().await;
    let password = whm_api::testing::credentials::PASSWORD;
    let pair = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{password}"));
    server.respond(
        "listaccts",
        502,
        "text/html",
        format!("<html><pre>GET /json-api/listaccts\nauthorization: Basic {pair}</pre></html>"),
    );
    let client = Client::builder(server.base_url())
        .basic_auth(USER, password)
        .build()
        .unwrap();
    let e = client.listaccts(Listaccts::new()).await.unwrap_err();
    assert!(matches!(e, Error::NotJson { status: 502, .. }), "{e:?}");
    assert_eq!(leaks(&shown(&e), password), None, "{}", shown(&e));
    assert!(!shown(&e).contains(pair.trim_end_matches('=')));
}

#[tokio::test]
async fn short_secrets_are_scrubbed_too() {
    let server = server().await;
    server.respond(
        "createacct",
        200,
        "application/json",
        r#"{"metadata":{"result":0,"reason":"bad password: pw"}}"#,
    );
    let e = token_client(&server)
        .createacct(Createacct::new("bob").password("pw"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Api { .. }), "{e:?}");
    assert!(!shown(&e).contains(": pw"), "{}", shown(&e));
}

#[tokio::test]
async fn a_legacy_refusal_sent_with_status_200_is_access_denied() {
    let server = server().await;
    server.respond(
        "listaccts",
        200,
        "text/plain",
        r#"{"cpanelresult":{"apiversion":"2","error":"Access denied","data":{"reason":"Access denied","result":"0"},"type":"text"}}"#,
    );
    let e = token_client(&server)
        .listaccts(Listaccts::new())
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::AccessDenied { status: 200, ref reason, .. } if reason == "Access denied"),
        "{e:?}"
    );
}

#[tokio::test]
async fn raw_calls_stay_within_the_api() {
    let server = server().await;
    let client = server.client().unwrap();
    for name in ["../../etc/passwd", "", "/etc/passwd", "listaccts?x=1"] {
        let e = client.call(name, &[]).await.unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{name}: {e:?}");
    }
    let e = client
        .call("listaccts", &[("api.version", "0")])
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Config(_)), "{e:?}");
    assert_eq!(server.request_count(), 0, "nothing was sent");
    assert!(client.call("listaccts", &[]).await.is_ok());
}

/// A server on 127.0.0.1 that accepts connections and, for each, writes
/// `head` and then one byte of `body` every `pause`, or nothing at all
/// when `head` is empty; it ends with the test.
fn slow_server(head: &'static str, pause: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                if head.is_empty() {
                    std::thread::sleep(Duration::from_secs(3600));
                    return;
                }
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                // One byte (a chunk of one) at a time.
                loop {
                    std::thread::sleep(pause);
                    if stream
                        .write_all(b"1\r\n \r\n")
                        .and_then(|()| stream.flush())
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

const TRICKLE_HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n1\r\n{\r\n";

#[test]
fn a_client_has_a_timeout_unless_told_otherwise() {
    assert_eq!(whm_runtime::DEFAULT_TIMEOUT, Duration::from_secs(300));
    assert_eq!(
        whm_runtime::DEFAULT_READ_IDLE_TIMEOUT,
        Duration::from_secs(30)
    );
    let shown = format!(
        "{:?}",
        Client::builder("https://h").api_token("root", "a-token")
    );
    assert!(shown.contains("timeout: Some(300s)"), "{shown}");
    assert!(shown.contains("read_idle_timeout: 30s"), "{shown}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let url = slow_server("", Duration::ZERO);
    let client = Client::builder(url)
        .api_token("root", "a-token")
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = client.listaccts(Listaccts::new()).await.unwrap_err();
    assert!(whm_codegen_tests::timed_out(&e), "{e:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // A call's own timeout wins over the client's.
    let client = Client::builder(slow_server("", Duration::ZERO))
        .api_token("root", "a-token")
        .build()
        .unwrap();
    let e = client
        .listaccts(Listaccts::new())
        .timeout(Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(whm_codegen_tests::timed_out(&e), "{e:?}");
}

#[tokio::test]
async fn a_reply_that_stalls_or_trickles_times_out() {
    // A byte every 400 ms against a read-idle timeout of 100 ms.
    let client = Client::builder(slow_server(TRICKLE_HEAD, Duration::from_millis(400)))
        .api_token("root", "a-token")
        .read_idle_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let e = client.listaccts(Listaccts::new()).await.unwrap_err();
    assert!(whm_codegen_tests::timed_out(&e), "{e:?}");
    assert!(e.to_string().contains("read-idle"), "{e}");
    // A byte every 20 ms never pauses long, but the whole call is bounded.
    let client = Client::builder(slow_server(TRICKLE_HEAD, Duration::from_millis(20)))
        .api_token("root", "a-token")
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = client.listaccts(Listaccts::new()).await.unwrap_err();
    assert!(whm_codegen_tests::timed_out(&e), "{e:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn the_blocking_client_times_out_alike() {
    let client = whm_api::blocking::Client::builder(slow_server("", Duration::ZERO))
        .api_token("root", "a-token")
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let e = client.listaccts(Listaccts::new()).send().unwrap_err();
    assert!(whm_codegen_tests::timed_out(&e), "{e:?}");
    let client =
        whm_api::blocking::Client::builder(slow_server(TRICKLE_HEAD, Duration::from_millis(400)))
            .api_token("root", "a-token")
            .read_idle_timeout(Duration::from_millis(100))
            .build()
            .unwrap();
    let e = client.listaccts(Listaccts::new()).send().unwrap_err();
    assert!(whm_codegen_tests::timed_out(&e), "{e:?}");
}
