//! `whm` end to end: the built binary against fake WHM servers on
//! loopback, over HTTP and TLS.

mod common;

use std::time::{Duration, Instant};

use common::{run, server, whm, write_private};
use serde_json::{Value, json};
use whm_api::testing::{FakeServer, credentials};

fn accounts(n: usize) -> Value {
    let acct: Vec<Value> = (0..n)
        .map(|i| json!({"user": format!("user{i}"), "domain": format!("site{i}.example"), "diskused": format!("{i}M"), "suspended": 0}))
        .collect();
    json!({"data": {"acct": acct}, "metadata": {"command": "listaccts", "reason": "OK", "result": 1, "version": 1}})
}

#[test]
fn mistakes_are_caught_before_anything_is_sent() {
    let server = server();
    let cases: &[(&[&str], &str)] = &[
        (&["listacct"], "did you mean `listaccts`"),
        (
            &["listaccts", "serchtype=domain"],
            "did you mean `searchtype`",
        ),
        (
            &["listaccts", "searchtype=bogus"],
            "`bogus` is not one of domain, owner, user, ip, package",
        ),
        (
            &["createacct", "domain=a.example"],
            "`createacct` needs `username`",
        ),
        (
            &[
                "createacct",
                "username=bob",
                "domain=a.example",
                "quota=lots",
            ],
            "`lots` is not a whole number",
        ),
        (
            &["createacct", "username=bob", "bwlimit=lots"],
            "`lots` is not a whole number or `unlimited`",
        ),
        (
            &["adddns", "domain=a.example", "ip=192.0.2.1", "has_ipv6=yes"],
            "`yes` is not a flag (1 or 0)",
        ),
        (&["listaccts", "searchtype"], "write `key=value`"),
        (&["listaccts", "--filter", "domain"], "is no filter"),
        (&["listaccts", "--sort", "-user:bogus"], "is no sort method"),
    ];
    for (args, wanted) in cases {
        let (code, out, err) = run(&mut whm(Some(&server), args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(wanted), "{args:?}: {err}");
        assert!(out.is_empty(), "{out}");
    }
    assert_eq!(server.request_count(), 0, "nothing was sent");
}

#[test]
fn a_call_in_whmapi1_syntax_and_each_output_format() {
    let server = server();
    server.set_example("listaccts", &accounts(3));
    let (code, out, err) = run(&mut whm(
        Some(&server),
        &[
            "listaccts",
            "searchtype=domain",
            "search=site",
            "--output",
            "json",
        ],
    ));
    assert_eq!(code, 0, "{err}");
    let data: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(data["acct"].as_array().unwrap().len(), 3);
    let sent = &server.requests()[0];
    assert!(sent.path.ends_with("/listaccts"), "{}", sent.path);
    assert!(
        sent.params
            .contains(&("searchtype".into(), "domain".into()))
    );
    assert!(sent.params.contains(&("search".into(), "site".into())));

    let (_, out, _) = run(&mut whm(Some(&server), &["--output", "yaml", "listaccts"]));
    assert!(out.starts_with("acct:\n  - user: user0\n"), "{out}");
    let (_, out, _) = run(&mut whm(
        Some(&server),
        &["listaccts", "-o", "table", "--columns", "user,domain"],
    ));
    assert_eq!(out.lines().next(), Some("user   domain"), "{out}");
    assert_eq!(out.lines().nth(3), Some("user2  site2.example"), "{out}");
    let (_, out, _) = run(&mut whm(Some(&server), &["listaccts", "--output", "raw"]));
    let body: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        body["metadata"]["command"], "listaccts",
        "the body as received"
    );
    // Piped, the default is JSON.
    let (_, out, _) = run(&mut whm(Some(&server), &["listaccts"]));
    assert!(serde_json::from_str::<Value>(&out).is_ok(), "{out}");
    // `unlimited` where a limit goes.
    let (code, _, err) = run(&mut whm(
        Some(&server),
        &[
            "createacct",
            "username=bob",
            "domain=bob.example",
            "bwlimit=unlimited",
        ],
    ));
    assert_eq!(code, 0, "{err}");
    let sent = server.requests().pop().unwrap();
    assert!(
        sent.params
            .contains(&("bwlimit".into(), "unlimited".into())),
        "{:?}",
        sent.params
    );
    // A switch takes its one value; a constant is sent without being typed.
    let (code, _, err) = run(&mut whm(Some(&server), &["get_api_pages", "type=cpapi1"]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&mut whm(Some(&server), &["get_api_pages", "type=cpapi2"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("can only be `cpapi1`"), "{err}");
    let (code, _, err) = run(&mut whm(
        Some(&server),
        &["update_customizations", "application=cpanel", "data={}"],
    ));
    assert_eq!(code, 0, "{err}");
    let sent = server.requests().pop().unwrap();
    assert!(
        sent.params.contains(&("theme".into(), "jupiter".into())),
        "{:?}",
        sent.params
    );
    // A list by repeating the key; GET with --get.
    let (code, _, err) = run(&mut whm(
        Some(&server),
        &["--get", "--raw", "listaccts", "want=user", "want=domain"],
    ));
    assert_eq!(code, 0, "{err}");
    let sent = server.requests().pop().unwrap();
    assert_eq!(sent.method, "GET");
    assert!(
        sent.query.contains("want=user&want=domain"),
        "{}",
        sent.query
    );
}

#[test]
fn paging_filters_and_sorts_are_the_servers() {
    let server = server();
    server.set_example("listaccts", &accounts(7));
    let (code, out, err) = run(&mut whm(
        Some(&server),
        &["listaccts", "--all-pages", "--page-size", "3", "-o", "json"],
    ));
    assert_eq!(code, 0, "{err}");
    let data: Value = serde_json::from_str(&out).unwrap();
    let users: Vec<&str> = data["acct"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["user"].as_str().unwrap())
        .collect();
    assert_eq!(users.len(), 7, "{users:?}");
    assert_eq!(server.request_count(), 3, "three pages");
    let (code, out, err) = run(&mut whm(
        Some(&server),
        &[
            "listaccts",
            "--filter",
            "user~user",
            "--filter",
            "domain^site1",
            "--sort",
            "-user",
            "-o",
            "json",
        ],
    ));
    assert_eq!(code, 0, "{err}");
    let data: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(data["acct"][0]["user"], "user1", "{data}");
    assert_eq!(data["acct"].as_array().unwrap().len(), 1, "{data}");
    let sent = server.requests().pop().unwrap();
    assert!(
        sent.params
            .contains(&("api.sort.a.reverse".into(), "1".into())),
        "{:?}",
        sent.params
    );
}

#[test]
fn exit_statuses_tell_failures_apart() {
    let server = server();
    server.fail("listaccts", "Sorry, that failed.");
    let (code, _, err) = run(&mut whm(Some(&server), &["listaccts"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Sorry, that failed."), "{err}");
    server.deny("version", 403);
    let (code, _, _) = run(&mut whm(Some(&server), &["version"]));
    assert_eq!(code, 3);
    // Nothing listens on a port just closed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (code, _, err) = run(whm(None, &["version"])
        .env("WHM_URL", &url)
        .env("WHM_TOKEN", credentials::TOKEN));
    assert_eq!(code, 4, "{err}");
    let (code, _, err) = run(&mut whm(None, &["version"]));
    assert_eq!(code, 2, "no server configured: {err}");
}

#[test]
fn tls_is_verified_and_a_servers_own_ca_can_be_trusted() {
    let server = FakeServer::start_in_background(true).unwrap();
    let (code, _, err) = run(&mut whm(Some(&server), &["version"]));
    assert_eq!(code, 4, "an untrusted certificate is refused: {err}");
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, server.ca_certificate_pem().unwrap()).unwrap();
    let (code, out, err) = run(&mut whm(
        Some(&server),
        &["version", "--ca", ca.to_str().unwrap(), "-o", "json"],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("version"), "{out}");
}

#[test]
fn profiles_are_read_only_from_a_private_file_and_tokens_never_shown() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let text = format!(
        "[profiles.web1]\nurl = \"{}\"\nuser = \"{}\"\ntoken = \"{}\"\n",
        server.base_url(),
        credentials::USER,
        credentials::TOKEN
    );
    write_private(&config, &text, 0o644);
    let args = [
        "--config",
        config.to_str().unwrap(),
        "--profile",
        "web1",
        "version",
    ];
    let (code, _, err) = run(&mut whm(None, &args));
    assert_eq!(code, 2);
    assert!(err.contains("chmod 600"), "{err}");
    write_private(&config, &text, 0o600);
    let (code, out, err) = run(&mut whm(
        None,
        &[&args[..], &["--verbose", "-o", "json"]].concat(),
    ));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("POST") && err.contains("/json-api/version"),
        "{err}"
    );
    assert!(
        !err.contains(credentials::TOKEN) && !out.contains(credentials::TOKEN),
        "{err}"
    );
    // A secret parameter is not shown either.
    let (_, _, err) = run(&mut whm(
        Some(&server),
        &["--verbose", "passwd", "user=bob", "password=hunter2-secret"],
    ));
    assert!(!err.contains("hunter2-secret"), "{err}");
    assert!(err.contains("password=***"), "{err}");
    let (code, _, err) = run(&mut whm(
        None,
        &[
            "--config",
            config.to_str().unwrap(),
            "--profile",
            "nope",
            "version",
        ],
    ));
    assert_eq!(code, 2);
    assert!(
        err.contains("no profile `nope`") && err.contains("web1"),
        "{err}"
    );
}

#[test]
fn a_fleet_of_fifty_reports_every_server_within_the_timeout() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let servers: Vec<FakeServer> = runtime.block_on(async {
        let mut all = Vec::new();
        for _ in 0..50 {
            all.push(FakeServer::start().await.unwrap());
        }
        all
    });
    servers[3].fail("version", "Sorry, that failed.");
    servers[17].deny("version", 403);
    servers[42].delay("*", Duration::from_secs(3600));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("servers.toml");
    let mut text = String::new();
    for (i, s) in servers.iter().enumerate() {
        text.push_str(&format!(
            "[profiles.s{i:02}]\nurl = \"{}\"\ntoken = \"{}\"\n",
            s.base_url(),
            credentials::TOKEN
        ));
    }
    write_private(&file, &text, 0o600);
    let started = Instant::now();
    let (code, out, err) = run(&mut whm(
        None,
        &[
            "version",
            "--servers",
            file.to_str().unwrap(),
            "--concurrency",
            "10",
            "--timeout",
            "2",
        ],
    ));
    let took = started.elapsed();
    assert_eq!(code, 5, "some failed: {err}");
    assert!(took < Duration::from_secs(30), "took {took:?}");
    // One line per server, each as soon as it is known.
    let mut lines = std::collections::BTreeMap::new();
    for line in out.lines() {
        let line: Value = serde_json::from_str(line).unwrap();
        let server = line["server"].as_str().unwrap().to_owned();
        assert!(lines.insert(server, line).is_none(), "reported twice");
    }
    assert_eq!(lines.len(), 50);
    let failed: Vec<&str> = lines
        .iter()
        .filter(|(_, l)| l["ok"] == false)
        .map(|(s, _)| s.as_str())
        .collect();
    assert_eq!(failed, ["s03", "s17", "s42"], "{out}");
    assert_eq!(lines["s03"]["error"]["status"], 1);
    assert_eq!(lines["s17"]["error"]["status"], 3);
    assert_eq!(lines["s42"]["error"]["status"], 4);
    assert!(
        lines["s00"]["data"]["version"].is_string(),
        "{}",
        lines["s00"]
    );
    // The one that never answers comes last.
    assert_eq!(
        out.lines().last().map(|l| l.contains("\"s42\"")),
        Some(true),
        "{out}"
    );
    assert!(err.contains("3 of 50 servers failed"), "{err}");
    drop(servers);
}

#[test]
fn doctor_compares_the_servers_functions_with_the_spec() {
    let server = server();
    let mut offered: Vec<&str> = whm_api::CATALOG
        .iter()
        .map(|f| f.name)
        .filter(|n| *n != "listaccts" && *n != "createacct")
        .collect();
    offered.extend(["brand_new_function", "another_new_one"]);
    server.set_example(
        "applist",
        &json!({"data": {"app": offered}, "metadata": {"command": "applist", "reason": "OK", "result": 1, "version": 1}}),
    );
    let (code, out, err) = run(&mut whm(Some(&server), &["doctor"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("connection: ok"), "{out}");
    assert!(out.contains("authentication: ok"), "{out}");
    assert!(
        out.contains("the spec lacks 2: another_new_one, brand_new_function"),
        "{out}"
    );
    assert!(
        out.contains("the server lacks 2: createacct, listaccts"),
        "{out}"
    );
    assert!(out.contains("regenerate the bindings"), "{out}");
    server.deny("version", 401);
    let (code, out, _) = run(&mut whm(Some(&server), &["doctor"]));
    assert_eq!(code, 3);
    assert!(out.contains("connection: failed"), "{out}");
}

#[test]
fn describe_list_and_completions_come_from_the_catalog() {
    let (code, out, _) = run(&mut whm(None, &["describe", "createacct"]));
    assert_eq!(code, 0);
    assert!(out.starts_with("createacct: "), "{out}");
    assert!(out.contains("username (required; text)"), "{out}");
    assert!(
        out.contains("Example:\n  whm createacct username="),
        "{out}"
    );
    // A parameter the API sends with every call is no function's to take,
    // though the reference documents it for this one.
    let (code, out, _) = run(&mut whm(None, &["describe", "batch_create_cphulk_records"]));
    assert_eq!(code, 0);
    assert!(out.contains("list_name (required;"), "{out}");
    assert!(!out.contains("api.version"), "{out}");
    let (code, out, _) = run(&mut whm(None, &["list", "--tag", "dns"]));
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l.starts_with("adddns ")), "{out}");
    let (code, _, err) = run(&mut whm(None, &["list", "--tag", "nope"]));
    assert_eq!(code, 2);
    assert!(err.contains("accounts"), "{err}");
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, _) = run(&mut whm(None, &["completions", shell]));
        assert_eq!(code, 0);
        assert!(
            out.contains("listaccts") && out.contains("searchtype="),
            "{shell}"
        );
        assert!(
            out.contains("describe") && out.contains("output"),
            "{shell}"
        );
    }
}

#[test]
fn a_failure_inside_a_proxied_reply_is_a_failure() {
    // WHM says the proxied call ran (`metadata.result: 1`); the UAPI or
    // API 2 reply inside it says it failed. `whm` reads each through its
    // operation's own envelope, as the typed methods do.
    let server = server();
    let cases: &[(&str, &[&str], &str, &str)] = &[
        (
            "uapi_cpanel",
            &[
                "cpanel.user=bob",
                "cpanel.module=Nosuch",
                "cpanel.function=thing",
            ],
            r#"{"data":{"uapi":{"status":0,"errors":["No such module"],"data":null,"messages":null,"warnings":null}},"metadata":{"command":"uapi_cpanel","result":1,"reason":"OK","version":1}}"#,
            "No such module",
        ),
        (
            "cpanel",
            &[
                "cpanel_jsonapi_user=bob",
                "cpanel_jsonapi_module=Email",
                "cpanel_jsonapi_func=addpop",
                "cpanel_jsonapi_apiversion=2",
                "email=info",
            ],
            r#"{"cpanelresult":{"apiversion":2,"module":"Email","func":"addpop","event":{"result":1},"data":[{"result":0,"reason":"The account info@example.com already exists!"}]}}"#,
            "already exists",
        ),
    ];
    for (function, args, body, reason) in cases {
        server.respond(function, 200, "application/json", *body);
        let mut all = vec![*function];
        all.extend_from_slice(args);
        let (code, out, err) = run(&mut whm(Some(&server), &all));
        assert_eq!(
            code, 1,
            "{function}: a failure exits 1\nout: {out}\nerr: {err}"
        );
        assert!(err.contains(reason), "{function}: {err}");
        let (code, _, err) = run(&mut whm(Some(&server), &[&["--raw"], &all[..]].concat()));
        assert_eq!(code, 1, "{function} --raw: {err}");
    }
    // And a success in API 2's envelope is one, its rows the output.
    server.respond(
        "cpanel",
        200,
        "application/json",
        r#"{"cpanelresult":{"apiversion":2,"event":{"result":1},"data":[{"result":1,"reason":"made"}]}}"#,
    );
    let (code, out, err) = run(&mut whm(
        Some(&server),
        &[
            "cpanel",
            "cpanel_jsonapi_user=bob",
            "cpanel_jsonapi_module=Email",
            "cpanel_jsonapi_func=addpop",
            "email=info",
        ],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("made"), "{out}");
}
