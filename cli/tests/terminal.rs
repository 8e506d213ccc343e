//! Nothing a server sends reaches a terminal as a control sequence: the
//! exact bytes `whm` writes to a pseudo-terminal, for a table, `doctor`,
//! an API failure, a fleet table and a raw body, hold no ESC, BEL, SO, SI,
//! C1 control or bidi override, while what the server sent is shown as
//! visible escapes. JSON and YAML stay valid, with the same escaped.

mod common;

use common::{HOSTILE, assert_nothing_a_terminal_acts_on, on_terminal, reply, run, server, whm};
use serde_json::{Value, json};
use whm_api::testing::{FakeServer, credentials};

fn hostile_accounts() -> Value {
    reply(
        "listaccts",
        json!({"acct": [
            {"user": format!("bob{HOSTILE}"), "domain": "bob.example", "plan": "日本語プラン"},
            {"user": "alice", "domain": format!("{HOSTILE}.example"), "plan": "e\u{301}"},
        ]}),
    )
}

#[test]
fn a_table_on_a_terminal_shows_escapes_not_sequences() {
    let server = server();
    server.set_example("listaccts", &hostile_accounts());
    let (code, written) = on_terminal(whm(
        Some(&server),
        &["listaccts", "--columns", "user,domain,plan"],
    ));
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&written));
    assert_nothing_a_terminal_acts_on(&written, "table");
    let text = String::from_utf8_lossy(&written);
    assert!(text.contains("bob\\e]0;pwned\\x07\\e[2J\\x0eSO"), "{text}");
    assert!(text.contains("\\e]52;c"), "{text}");
    // The columns hold: `domain` starts at the same terminal column in
    // every row, the wide and combining characters and the escapes
    // counted as they show.
    let rows: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    let at = |row: &str, word: &str| {
        let i = row.find(word).unwrap();
        unicode_width::UnicodeWidthStr::width(&row[..i])
    };
    assert_eq!(at(rows[0], "domain"), at(rows[1], "bob.example"), "{text}");
}

#[test]
fn doctor_shows_the_servers_version_and_functions_escaped() {
    let server = server();
    server.set_example(
        "version",
        &reply("version", json!({"version": format!("11.130{HOSTILE}")})),
    );
    server.set_example(
        "applist",
        &reply(
            "applist",
            json!({"app": ["listaccts", format!("evil\u{1b}[2J{HOSTILE}")]}),
        ),
    );
    let (code, written) = on_terminal(whm(Some(&server), &["doctor"]));
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&written));
    assert_nothing_a_terminal_acts_on(&written, "doctor");
    let text = String::from_utf8_lossy(&written);
    assert!(text.contains("version: 11.130\\e]0;pwned\\x07"), "{text}");
    assert!(text.contains("evil\\e[2J"), "{text}");
}

#[test]
fn a_failure_reason_is_shown_escaped() {
    let server = server();
    server.fail("listaccts", &format!("Sorry{HOSTILE}"));
    let (code, written) = on_terminal(whm(Some(&server), &["listaccts"]));
    assert_eq!(code, 1);
    assert_nothing_a_terminal_acts_on(&written, "failure");
    let text = String::from_utf8_lossy(&written);
    assert!(text.contains("Sorry\\e]0;pwned\\x07"), "{text}");
}

#[test]
fn a_fleet_table_and_its_progress_hold_no_sequence() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let servers: Vec<FakeServer> = runtime.block_on(async {
        let mut all = Vec::new();
        for _ in 0..4 {
            all.push(FakeServer::start().await.unwrap());
        }
        all
    });
    servers[1].fail("version", &format!("broken{HOSTILE}"));
    servers[2].set_example("version", &reply("version", json!({"version": HOSTILE})));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("servers.toml");
    let mut text = String::new();
    for (i, s) in servers.iter().enumerate() {
        text.push_str(&format!(
            "[profiles.\"web{i}{}\"]\nurl = \"{}\"\ntoken = \"{}\"\n",
            if i == 3 { "\\u001b[2J" } else { "" },
            s.base_url(),
            credentials::TOKEN
        ));
    }
    common::write_private(&file, &text, 0o600);
    let (code, written) = on_terminal(whm(None, &["version", "--servers", file.to_str().unwrap()]));
    assert_eq!(code, 5, "{}", String::from_utf8_lossy(&written));
    assert_nothing_a_terminal_acts_on(&written, "fleet table");
    let shown = String::from_utf8_lossy(&written);
    assert!(shown.contains("broken\\e]0;pwned\\x07"), "{shown}");
    assert!(shown.contains("web3\\e[2J"), "{shown}");
    // The payload is shown as JSON, its control characters as escapes.
    assert!(shown.contains("\\u001b]0;pwned\\u0007"), "{shown}");
    assert!(shown.contains("1 of 4 servers failed"), "{shown}");
    drop(servers);
}

#[test]
fn a_raw_body_reaches_a_terminal_escaped_and_a_pipe_as_sent() {
    let server = server();
    let body = reply("version", json!({"version": HOSTILE}));
    let sent = format!("{body}\n{HOSTILE}\n");
    server.respond("version", 200, "application/json", sent.clone());
    let (code, written) = on_terminal(whm(Some(&server), &["version", "-o", "raw"]));
    // A body with text after its JSON is not valid JSON: a failure, and
    // -o raw prints the body all the same.
    assert_eq!(code, 4, "{}", String::from_utf8_lossy(&written));
    assert_nothing_a_terminal_acts_on(&written, "raw");
    let shown = String::from_utf8_lossy(&written);
    assert!(shown.contains("\\e]0;pwned\\x07"), "{shown}");
    let ok = reply("version", json!({"version": HOSTILE})).to_string();
    server.respond("version", 200, "application/json", ok.clone());
    let (code, written) = on_terminal(whm(Some(&server), &["version", "-o", "raw"]));
    assert_eq!(code, 0);
    assert_nothing_a_terminal_acts_on(&written, "raw");
    assert!(
        String::from_utf8_lossy(&written).contains("shown escaped"),
        "stderr says so"
    );
    // To a pipe, the body as sent, byte for byte.
    let output = whm(Some(&server), &["version", "-o", "raw"])
        .output()
        .unwrap();
    assert_eq!(output.stdout, format!("{ok}\n").into_bytes());
}

#[test]
fn json_and_yaml_stay_valid_with_the_same_escaped() {
    let server = server();
    let example = hostile_accounts();
    server.set_example("listaccts", &example);
    let (code, out, err) = run(&mut whm(Some(&server), &["listaccts", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    assert_nothing_a_terminal_acts_on(out.as_bytes(), "json");
    let data: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(data, example["data"]);
    assert!(out.contains("\\u001b]0;pwned\\u0007"), "{out}");
    assert!(out.contains("\\u202e"), "{out}");

    let (code, out, err) = run(&mut whm(Some(&server), &["listaccts", "-o", "yaml"]));
    assert_eq!(code, 0, "{err}");
    assert_nothing_a_terminal_acts_on(out.as_bytes(), "yaml");
    assert!(out.contains("\\e]0;pwned\\a"), "{out}");
    let docs = yaml_rust2::YamlLoader::load_from_str(&out).unwrap();
    let user = docs[0]["acct"][0]["user"].as_str().unwrap();
    assert_eq!(user, format!("bob{HOSTILE}"));
}

#[test]
fn describe_shows_the_specs_text_made_visible() {
    // The spec is this project's, but what it says came from a reference
    // document: it goes through the same function.
    let (code, written) = on_terminal(whm(None, &["describe", "createacct"]));
    assert_eq!(code, 0);
    assert_nothing_a_terminal_acts_on(&written, "describe");
    let (code, written) = on_terminal(whm(None, &["list"]));
    assert_eq!(code, 0);
    assert_nothing_a_terminal_acts_on(&written, "list");
}
