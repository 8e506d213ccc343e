//! `whm` against servers that answer what no WHM would: too much, too
//! deep, a page instead of JSON, JSON of another kind, a redirect, pages
//! that never end, and the token echoed back in every form. Each is
//! handled without harm: a clear error and its exit status, nothing
//! followed, nothing secret printed.

mod common;

use std::io::Write as _;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::{Hostile, reply, run, whm, whm_at};
use serde_json::json;
use whm_api::testing::credentials;

#[test]
fn a_reply_past_the_size_cap_stops_with_a_clear_error() {
    // Endless chunks: stopped at the cap (1 MiB here), not read to the end.
    let endless = Hostile::start(|_, stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        );
        let chunk = format!("{:x}\r\n{}\r\n", 65536, "[".repeat(65536));
        while stream.write_all(chunk.as_bytes()).is_ok() {}
    });
    let started = Instant::now();
    let (code, out, err) = run(&mut whm_at(&endless.url, &["version", "--max-reply", "1"]));
    assert_eq!(code, 4, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("larger than 1048576 bytes"), "{err}");
    assert!(err.contains("--max-reply"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
    // A reply that says it is 500 MB is refused before it is read.
    let declared = Hostile::start(|_, stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 524288000\r\n\r\n{",
        );
        std::thread::sleep(Duration::from_secs(30));
    });
    let started = Instant::now();
    let (code, _, err) = run(&mut whm_at(&declared.url, &["version"]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("larger than 268435456 bytes"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10), "not read");
}

#[test]
fn json_nested_100k_deep_is_an_error_not_a_crash() {
    let deep = format!(
        "{{\"data\":{{\"acct\":{}{}}},\"metadata\":{{\"result\":1,\"command\":\"listaccts\"}}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let server = Hostile::answering(200, "", deep.into_bytes());
    for format in ["json", "yaml", "table"] {
        let (code, _, err) = run(&mut whm_at(&server.url, &["listaccts", "-o", format]));
        assert_eq!(code, 4, "{format}: {err}");
        assert!(err.contains("recursion limit"), "{format}: {err}");
    }
    // In the envelope itself.
    let deep = format!(
        "{{\"metadata\":{}1{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let server = Hostile::answering(200, "", deep.into_bytes());
    let (code, _, err) = run(&mut whm_at(&server.url, &["version"]));
    assert_eq!(code, 4, "{err}");
}

#[test]
fn a_login_page_with_status_200_is_no_success() {
    let page =
        b"<!DOCTYPE html><html><form id=\"tfa_login_form\" action=\"/login/\"></form></html>"
            .to_vec();
    let server = Hostile::start(move |_, stream| {
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
            page.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&page);
    });
    let (code, out, err) = run(&mut whm_at(&server.url, &["listaccts"]));
    assert_eq!(code, 4, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("login page"), "{err}");
}

#[test]
fn json_that_is_not_whms_is_not_a_whm_reply() {
    for body in [r#""hello""#, "null", "42", r#"{"status": 1}"#, "[1, 2]"] {
        let server = Hostile::answering(200, "", body.as_bytes().to_vec());
        let (code, out, err) = run(&mut whm_at(&server.url, &["version"]));
        assert_eq!(code, 4, "{body}: {err}");
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("not a WHM reply"), "{body}: {err}");
    }
}

#[test]
fn a_redirect_is_not_followed_and_the_token_goes_nowhere_else() {
    let elsewhere = TcpListener::bind("127.0.0.1:0").unwrap();
    let target = format!(
        "http://{}/json-api/version",
        elsewhere.local_addr().unwrap()
    );
    elsewhere.set_nonblocking(true).unwrap();
    let location: &'static str = Box::leak(format!("Location: {target}\r\n").into_boxed_str());
    for status in [301, 302, 307, 308] {
        let server = Hostile::answering(status, location, b"{}".to_vec());
        let (code, _, err) = run(&mut whm_at(&server.url, &["version"]));
        assert_eq!(code, 4, "{status}: {err}");
        assert!(err.contains("redirect, not followed"), "{status}: {err}");
        assert_eq!(server.request_count(), 1);
    }
    assert!(
        elsewhere.accept().is_err(),
        "nothing connected to where the redirects pointed"
    );
}

/// A token with characters that every encoder writes its own way.
const TOKEN: &str = "Tok/en+ ~x=1&y*z";

#[test]
fn a_server_that_echoes_the_token_never_gets_it_printed() {
    let forms = [
        TOKEN.to_owned(),
        url::form_urlencoded::byte_serialize(TOKEN.as_bytes()).collect::<String>(),
        TOKEN
            .bytes()
            .map(|b| format!("%{b:02x}"))
            .collect::<String>(),
        base64::engine::general_purpose::STANDARD.encode(format!("root:{TOKEN}")),
    ];
    let echoed = forms.join(" | ");
    let body = |failed: bool| {
        let mut value = reply(
            "listaccts",
            json!({"acct": [{"user": echoed.clone(), "domain": format!("{echoed}.example"), echoed.clone(): 1}]}),
        );
        if failed {
            value["metadata"]["result"] = json!(0);
            value["metadata"]["reason"] = json!(format!("Bad token {echoed}"));
        }
        value.to_string()
    };
    let (ok, failed) = (body(false), body(true));
    let server = Hostile::start(move |request, stream| {
        let authorization = request
            .head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
            .unwrap_or_default()
            .to_owned();
        let asked_to_fail = request.head.contains("fail")
            || String::from_utf8_lossy(&request.body).contains("fail");
        let body = if asked_to_fail { &failed } else { &ok };
        let body = format!("{body}\n{authorization}");
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Echo: {authorization}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body.as_bytes());
    });
    let leaked = |text: &str| forms.iter().find(|f| text.contains(f.as_str())).cloned();
    for args in [
        &["listaccts", "-o", "json", "--verbose"][..],
        &["listaccts", "-o", "yaml"],
        &["listaccts", "-o", "table", "--columns", "user,domain"],
        &["listaccts", "-o", "raw"],
        &["listaccts", "--raw", "--get", "x=fail", "-o", "raw"],
        &["listaccts", "--raw", "x=fail"],
        &["listaccts", "--dry-run"],
    ] {
        let mut command = whm(None, args);
        command.env("WHM_URL", &server.url).env("WHM_TOKEN", TOKEN);
        let (code, out, err) = run(&mut command);
        assert!(
            code == 0 || code == 1 || code == 4,
            "{args:?}: {code} {err}"
        );
        assert_eq!(leaked(&out), None, "{args:?}: stdout: {out}");
        assert_eq!(leaked(&err), None, "{args:?}: stderr: {err}");
        if args.contains(&"raw") && !args.contains(&"--raw") {
            assert!(out.contains("***"), "{args:?}: {out}");
        }
    }
}

#[test]
fn all_pages_stops_when_the_pages_do_not_advance() {
    // A server that ignores `api.chunk.start`: always the first page, and
    // always "more to come".
    let page = reply("listaccts", json!({"acct": [{"user": "a"}]}));
    let mut first = page.clone();
    first["metadata"]["chunk"] =
        json!({"start": 1, "size": 1, "records": 5, "current": 1, "chunks": 5});
    let server = Hostile::answering(200, "", first.to_string().into_bytes());
    let (code, out, err) = run(&mut whm_at(
        &server.url,
        &["listaccts", "--all-pages", "--page-size", "1", "-o", "json"],
    ));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("page 2 was asked for"), "{err}");
    assert_eq!(server.request_count(), 2, "{out}");

    // A server whose pages advance without end: stopped at --max-pages,
    // or at the deadline.
    let endless = Hostile::start(|request, stream| {
        let asked: u64 = url::form_urlencoded::parse(&request.body)
            .find(|(k, _)| k == "api.chunk.start")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(1);
        let mut page = reply(
            "listaccts",
            json!({"acct": [{"user": format!("u{asked}")}]}),
        );
        page["metadata"]["chunk"] = json!({"start": asked, "size": 1, "records": asked + 1, "current": asked, "chunks": asked + 1});
        let body = page.to_string();
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body.as_bytes());
    });
    let args = [
        "listaccts",
        "--all-pages",
        "--page-size",
        "1",
        "--max-pages",
        "20",
    ];
    let (code, _, err) = run(&mut whm_at(&endless.url, &args));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("answered 20 pages"), "{err}");
    assert_eq!(endless.request_count(), 20);
    let started = Instant::now();
    let (code, _, err) = run(&mut whm_at(
        &endless.url,
        &[
            "listaccts",
            "--all-pages",
            "--page-size",
            "1",
            "--timeout",
            "2",
            "-o",
            "table",
        ],
    ));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("no answer within 2 s"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn what_cannot_be_sent_is_a_usage_error_and_nothing_is_sent() {
    let server = common::server();
    let url = server.base_url();
    let dir = tempfile::tempdir().unwrap();
    let no_cert = dir.path().join("empty.pem");
    std::fs::write(&no_cert, "no certificate in here\n").unwrap();
    let userinfo = url.replace("http://", &format!("http://root:{}@", credentials::TOKEN));
    /// Settings besides the server's, arguments, what the error says.
    type Case<'a> = (Vec<(&'a str, String)>, Vec<&'a str>, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            vec![("WHM_URL", "ftp://127.0.0.1:2087".to_owned())],
            vec!["version"],
            "not http(s)",
        ),
        (
            vec![("WHM_URL", "127.0.0.1:2087".to_owned())],
            vec!["version"],
            "not http(s)",
        ),
        (
            vec![("WHM_URL", userinfo)],
            vec!["version"],
            "holds a user or password",
        ),
        (
            vec![("WHM_TOKEN", "abc\r\nX-Evil: 1".to_owned())],
            vec!["version"],
            "line break",
        ),
        (
            vec![],
            vec!["version", "--ca", "/nonexistent/ca.pem"],
            "cannot read the CA file",
        ),
        (
            vec![],
            vec!["version", "--ca", no_cert.to_str().unwrap()],
            "no certificate",
        ),
        (
            vec![],
            vec!["--raw", "json-api/version"],
            "not a function name",
        ),
        (vec![], vec!["--raw", "../version"], "not a function name"),
        (
            vec![],
            vec!["version", "--concurrency", "2305843009213693952"],
            "concurrency",
        ),
        (
            vec![],
            vec!["version", "--timeout", "18446744073709551615"],
            "timeout",
        ),
    ];
    for (env, args, wanted) in cases {
        let mut command = whm(Some(&server), &args);
        for (name, value) in &env {
            command.env(name, value);
        }
        let (code, out, err) = run(&mut command);
        assert_eq!(code, 2, "{args:?} {env:?}: {err}");
        assert!(err.contains(wanted), "{args:?}: {err}");
        assert!(out.is_empty());
        assert!(!err.contains(credentials::TOKEN), "{err}");
    }
    assert_eq!(server.request_count(), 0, "nothing was sent");
    // An argument that is not UTF-8.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt as _;
        let odd = std::ffi::OsStr::from_bytes(b"search=\xff\xfe");
        let (code, _, err) = run(whm(Some(&server), &["listaccts"]).arg(odd));
        assert_eq!(code, 2, "{err}");
        let (code, _, err) = run(whm(Some(&server), &[]).arg(odd));
        assert_eq!(code, 2, "{err}");
    }
    assert_eq!(server.request_count(), 0, "nothing was sent");
}

#[test]
fn a_fleet_with_a_huge_timeout_is_no_panic() {
    let server = common::server();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("servers.toml");
    let text = format!(
        "[profiles.a]\nurl = \"{0}\"\ntoken = \"{1}\"\n[profiles.b]\nurl = \"{0}\"\ntoken = \"{1}\"\n",
        server.base_url(),
        credentials::TOKEN
    );
    common::write_private(&file, &text, 0o600);
    let (code, _, err) = run(&mut whm(
        None,
        &[
            "version",
            "--servers",
            file.to_str().unwrap(),
            "--timeout",
            "604800",
        ],
    ));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_self_signed_certificate_given_with_ca_is_trusted() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(whm_runtime::testing::FakeServer::start_tls_self_signed(
            &whm_api::API,
            whm_api::testing::OPERATIONS,
        ))
        .unwrap();
    let url = server.base_url();
    let (code, out, _) = run(&mut whm_at(&url, &["doctor"]));
    assert_eq!(code, 4);
    assert!(out.contains("--ca FILE"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("server.pem");
    std::fs::write(&ca, server.ca_certificate_pem().unwrap()).unwrap();
    let (code, out, err) = run(&mut whm_at(&url, &["doctor", "--ca", ca.to_str().unwrap()]));
    assert_eq!(code, 0, "{out} {err}");
    assert!(out.contains("tls: verified"), "{out}");
    let (code, _, err) = run(whm_at(&url, &["version"]).env("WHM_CA", &ca));
    assert_eq!(code, 0, "{err}");
    drop(runtime);
}

#[test]
fn a_dry_run_prints_the_request_and_sends_nothing() {
    let server = common::server();
    let (code, out, err) = run(&mut whm(
        Some(&server),
        &["passwd", "user=bob", "password=hunter2-secret", "--dry-run"],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!("POST {}/json-api/passwd\n", server.base_url())),
        "{out}"
    );
    assert!(out.contains("Authorization: whm root:***\n"), "{out}");
    assert!(
        out.contains("Content-Type: application/x-www-form-urlencoded\n"),
        "{out}"
    );
    assert!(
        out.contains("\n\napi.version=1&user=bob&password=***\n"),
        "{out}"
    );
    assert!(
        !out.contains("hunter2") && !out.contains(credentials::TOKEN),
        "{out}"
    );
    // In the URL of a GET: said, and warned about.
    let (code, out, err) = run(&mut whm(
        Some(&server),
        &[
            "passwd",
            "user=bob",
            "password=hunter2-secret",
            "--dry-run",
            "--get",
        ],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!(
            "GET {}/json-api/passwd?api.version=1&user=bob&password=***\n",
            server.base_url()
        )),
        "{out}"
    );
    assert!(
        err.contains("`password` is secret, and --get puts it in the URL"),
        "{err}"
    );
    assert_eq!(server.request_count(), 0, "nothing was sent");
}
