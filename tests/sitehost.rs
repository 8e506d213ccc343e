//! SiteHost's API 1.3, generated from its spec by the same generator,
//! against a fake SiteHost endpoint on loopback.

use sitehost_api::cloud::CloudStackPurgeCache;
use sitehost_api::testing::{FakeServer, credentials};
use sitehost_api::{Client, Error};

fn request() -> CloudStackPurgeCache {
    CloudStackPurgeCache::new(1, "ch-servername", "examplenz")
}

#[tokio::test]
async fn purge_cache_sends_the_documented_form_with_the_key_first() {
    let server = FakeServer::start().await.unwrap();
    let client = server.client().unwrap();
    let job = client.cloud_stack_purge_cache(request()).await.unwrap();
    assert_eq!(job.job_id, "3433562");
    let sent = server.requests().pop().unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/1.3/cloud/stack/purge_cache.json");
    assert_eq!(sent.query, "");
    assert_eq!(sent.content_type, "application/x-www-form-urlencoded");
    assert_eq!(
        String::from_utf8(sent.body).unwrap(),
        format!(
            "apikey={}&client_id=1&server=ch-servername&name=examplenz",
            credentials::KEY
        )
    );
    assert!(
        !sent.authorized_by_header,
        "the key is a parameter, not a header"
    );
}

#[tokio::test]
async fn status_false_is_an_error_with_msg() {
    let server = FakeServer::start().await.unwrap();
    let client = server.client().unwrap();
    server.fail("cloud_stack_purge_cache", "Stack not found.");
    let e = client.cloud_stack_purge_cache(request()).await.unwrap_err();
    assert!(
        matches!(&e, Error::Api { operation, reason, .. } if operation == "cloud_stack_purge_cache" && reason == "Stack not found."),
        "{e:?}"
    );
    // With an error status too, the reply's own reason is what counts.
    server.respond(
        "cloud_stack_purge_cache",
        400,
        "application/json",
        r#"{"return":null,"msg":"Invalid server.","status":false}"#,
    );
    let e = client.cloud_stack_purge_cache(request()).await.unwrap_err();
    assert!(
        matches!(&e, Error::Api { reason, .. } if reason == "Invalid server."),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_wrong_key_is_refused() {
    let server = FakeServer::start().await.unwrap();
    let client = Client::builder()
        .base_url(server.base_url())
        .api_key("wrong-key")
        .build()
        .unwrap();
    let e = client.cloud_stack_purge_cache(request()).await.unwrap_err();
    assert!(
        matches!(&e, Error::Api { reason, .. } if reason.contains("apikey")),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_reply_that_is_not_json() {
    let server = FakeServer::start().await.unwrap();
    let client = server.client().unwrap();
    server.respond(
        "cloud_stack_purge_cache",
        502,
        "text/html",
        "<html><body>502 Bad Gateway</body></html>",
    );
    let e = client.cloud_stack_purge_cache(request()).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::NotJson {
                status: 502,
                login_page: false,
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn the_key_never_shows() {
    // The key the fake server accepts, so that every reply gets through.
    const KEY: &str = credentials::KEY;
    let server = FakeServer::start().await.unwrap();
    let builder = Client::builder().base_url(server.base_url()).api_key(KEY);
    let mut shown = vec![format!("{builder:?}")];
    let client = builder.build().unwrap();
    shown.push(format!("{client:?}"));
    for (status, content_type, body) in [
        (200, "text/html", format!("<html>your key {KEY}</html>")),
        (500, "application/json", format!("{{\"key\":\"{KEY}\"}}")),
        (
            200,
            "application/json",
            format!("{{\"return\":{{\"job_id\":[\"{KEY}\"]}},\"status\":\"maybe {KEY}\"}}"),
        ),
    ] {
        server.respond("cloud_stack_purge_cache", status, content_type, body);
        let e = client.cloud_stack_purge_cache(request()).await.unwrap_err();
        shown.push(format!("{e:?}"));
        shown.push(e.to_string());
    }
    assert_eq!(shown.len(), 8);
    for text in &shown {
        assert!(!text.contains(KEY), "the key shows: {text}");
    }
    assert!(shown[2].starts_with("NotJson"), "{}", shown[2]);
    assert!(shown[4].starts_with("Status"), "{}", shown[4]);
    assert!(shown[6].starts_with("Api"), "{}", shown[6]);
}

#[test]
fn the_default_server_is_sitehost_and_can_be_changed() {
    assert_eq!(
        sitehost_api::API.default_base_url.as_deref(),
        Some("https://api.sitehost.nz")
    );
    assert_eq!(sitehost_api::API.base_path, "/1.3");
    let server = FakeServer::start_in_background(false).unwrap();
    let client = server.blocking_client().unwrap();
    let job = client.cloud_stack_purge_cache(request()).send().unwrap();
    assert_eq!(job.job_id, "3433562");
    // The builder without a URL is SiteHost's own server.
    let client = Client::builder().api_key("k").build().unwrap();
    assert!(
        format!("{client:?}").contains("https://api.sitehost.nz"),
        "{client:?}"
    );
}
