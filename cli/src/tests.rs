//! Property tests: no command line, and no reply a server could send,
//! makes `whm` panic, and what it prints for a person never holds what a
//! terminal acts on.

use std::ffi::OsString;

use proptest::prelude::*;

use super::*;

/// Words a person might type: flags, `key=value`, functions, noise, and
/// bytes that are not UTF-8.
fn word() -> impl Strategy<Value = OsString> {
    use std::os::unix::ffi::OsStringExt as _;
    prop_oneof![
        Just(OsString::from("--output")),
        Just(OsString::from("-o")),
        Just(OsString::from("--filter")),
        Just(OsString::from("--sort")),
        Just(OsString::from("--all-pages")),
        Just(OsString::from("--concurrency")),
        Just(OsString::from("--timeout")),
        Just(OsString::from("18446744073709551615")),
        Just(OsString::from("2305843009213693952")),
        Just(OsString::from("--")),
        Just(OsString::from("--raw")),
        Just(OsString::from("list")),
        Just(OsString::from("listaccts")),
        Just(OsString::from("createacct")),
        "[a-z_]{1,12}=[ -~]{0,12}".prop_map(OsString::from),
        "-{0,2}[a-z~^=<>:-]{0,10}".prop_map(OsString::from),
        any::<String>().prop_map(OsString::from),
        proptest::collection::vec(any::<u8>(), 0..12).prop_map(OsString::from_vec),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn no_command_line_makes_it_panic(words in proptest::collection::vec(word(), 0..8)) {
        let mut args = vec![OsString::from("whm")];
        args.extend(words);
        let args = reorder(args);
        if let Ok(cli) = Cli::try_parse_from(args)
            && let Command::Call(words) = cli.command
            && let Some((name, rest)) = words.split_first()
        {
            let _ = prepare(&cli.options, name, rest);
        }
    }
}

/// Text a hostile server might put anywhere.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,16}",
        any::<String>(),
        Just("\u{1b}]0;pwned\u{7}".to_owned()),
        Just("\u{1b}[2J\u{e}\u{f}\u{9b}\u{202e}\u{2066}\u{200b}".to_owned()),
        Just("日本語\u{301}".to_owned()),
    ]
}

/// JSON values, nested a little, with hostile text.
fn value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((text(), inner), 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A reply body: WHM's envelope around anything, or anything at all.
fn body() -> impl Strategy<Value = Vec<u8>> {
    use serde_json::json;
    prop_oneof![
        (value(), value(), any::<bool>()).prop_map(|(acct, reason, ok)| json!({
            "data": {"acct": acct},
            "metadata": {"result": i32::from(ok), "reason": reason, "command": "listaccts"},
        })
        .to_string()
        .into_bytes()),
        proptest::collection::vec(value(), 0..20).prop_map(|records| json!({
            "data": {"acct": records},
            "metadata": {"result": 1, "command": "listaccts"},
        })
        .to_string()
        .into_bytes()),
        value().prop_map(|v| v.to_string().into_bytes()),
        proptest::collection::vec(any::<u8>(), 0..64),
        (1usize..3000).prop_map(|depth| format!(
            "{{\"data\":{{\"acct\":{}{}}},\"metadata\":{{\"result\":1}}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        )
        .into_bytes()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn no_reply_makes_it_panic_or_reach_a_terminal_raw(
        body in body(),
        status in prop_oneof![Just(200u16), Just(403), Just(500), 100u16..600],
        format in prop_oneof![Just(Format::Json), Just(Format::Yaml), Just(Format::Table), Just(Format::Raw)],
        terminal in any::<bool>(),
    ) {
        let reply = whm_runtime::RawReply::from_saved(&whm_api::API, "listaccts", status, body);
        let how = Printing {
            format: Some(format),
            columns: &[],
            terminal,
            list: Some(vec!["acct".to_owned()]),
            width: 160,
        };
        let mut out = Vec::new();
        let mut printed = false;
        let shown = match reply.data_as::<serde::de::IgnoredAny>() {
            Ok(_) => match output::print(&mut out, &reply, &mut || None, &how) {
                Ok(()) => {
                    printed = true;
                    String::from_utf8_lossy(&out).into_owned()
                }
                // What was written before the payload turned out unreadable
                // (too deep), and the message.
                Err(output::events::Stop::Read(message, _)) => {
                    String::from_utf8_lossy(&out).into_owned() + &terminal::visible_lines(&message)
                }
                Err(output::events::Stop::Write) => String::new(),
            },
            Err(error) => terminal::visible_lines(&Failure::Call(error, None).message()),
        };
        // What a person sees (a table, a raw body on a terminal, JSON,
        // YAML, a failure) holds nothing a terminal acts on.
        if terminal || format != Format::Raw {
            let bad = shown.chars().find(|&c| c != '\n' && terminal::is_unsafe(c));
            prop_assert!(bad.is_none(), "{bad:?} in {shown:?}");
        }
        if format == Format::Json && printed {
            prop_assert!(serde_json::from_slice::<serde_json::Value>(&out).is_ok());
        }
    }
}
