//! Replies as servers drift from the documentation: every documented reply
//! of every generated crate, changed one way at a time, read as a client
//! reads it. Every variant decodes (a failed call is `Error::Api`, never a
//! decode error), and every member a newer server could add is found again,
//! unchanged, in what was decoded.

use serde_json::{Value, json};
use whm_runtime::__private::OperationInfo;
use whm_runtime::Error;
use whm_runtime::testing::FakeOperation;

/// A generated crate's operations: their decoders and their documented
/// replies.
struct Crate {
    name: &'static str,
    decoders: &'static [OperationInfo],
    fakes: &'static [FakeOperation],
    api: &'static whm_runtime::ApiSpec,
}

fn crates() -> [Crate; 3] {
    [
        Crate {
            name: "whm-api",
            decoders: &whm_codegen_tests::decoders().whm_api,
            fakes: whm_api::testing::OPERATIONS,
            api: &whm_api::API,
        },
        Crate {
            name: "cpanel-api",
            decoders: &whm_codegen_tests::decoders().cpanel_api,
            fakes: cpanel_api::testing::OPERATIONS,
            api: &cpanel_api::API,
        },
        Crate {
            name: "sitehost-api",
            decoders: &whm_codegen_tests::decoders().sitehost_api,
            fakes: sitehost_api::testing::OPERATIONS,
            api: &sitehost_api::API,
        },
    ]
}

/// A step into a JSON value.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

type Path = Vec<Step>;

fn pointer_of(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => format!("/{i}"),
        })
        .collect()
}

fn steps_of(pointer: &str) -> Path {
    pointer
        .split('/')
        .skip(1)
        .map(|t| Step::Key(t.replace("~1", "/").replace("~0", "~")))
        .collect()
}

/// A path as the decoders write it in a struct's `extra` (`acct[3].uid`).
fn rendered(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn at<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, step| match (step, v) {
        (Step::Key(k), Value::Object(m)) => m.get(k),
        (Step::Index(i), Value::Array(a)) => a.get(*i),
        // A map read from a list keys its entries by position.
        (Step::Index(i), Value::Object(m)) => m.get(&i.to_string()),
        _ => None,
    })
}

fn at_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, step| match (step, v) {
        (Step::Key(k), Value::Object(m)) => m.get_mut(k),
        (Step::Index(i), Value::Array(a)) => a.get_mut(*i),
        _ => None,
    })
}

/// Every place in `value`: objects, their members, and scalars.
fn walk(value: &Value, path: &mut Path, visit: &mut dyn FnMut(&Path, &Value)) {
    visit(path, value);
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                path.push(Step::Key(k.clone()));
                walk(v, path, visit);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(Step::Index(i));
                walk(v, path, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Numbers as numeric strings, or numeric strings as numbers, throughout.
fn respell(value: &mut Value, numbers_to_strings: bool) {
    match value {
        Value::Number(n) if numbers_to_strings => *value = Value::String(n.to_string()),
        Value::String(s) if !numbers_to_strings && !s.is_empty() && s.len() < 16 => {
            if s.bytes().all(|b| b.is_ascii_digit())
                && let Ok(n) = s.parse::<i64>()
            {
                *value = json!(n);
            }
        }
        Value::Object(m) => m.values_mut().for_each(|v| respell(v, numbers_to_strings)),
        Value::Array(a) => a.iter_mut().for_each(|v| respell(v, numbers_to_strings)),
        _ => {}
    }
}

/// Sets `pointer` in `value` to `new` (making objects on the way), or
/// removes it when `new` is `None`.
fn set(value: &mut Value, pointer: &str, new: Option<Value>) {
    let steps = steps_of(pointer);
    let Some((last, parents)) = steps.split_last() else {
        return;
    };
    let mut node = value;
    for step in parents {
        let Step::Key(k) = step else { return };
        let Value::Object(m) = node else { return };
        node = m.entry(k.clone()).or_insert_with(|| json!({}));
    }
    let (Step::Key(k), Value::Object(m)) = (last, node) else {
        return;
    };
    match new {
        Some(v) => {
            m.insert(k.clone(), v);
        }
        None => {
            m.remove(k);
        }
    }
}

/// A changed reply and what reading it must give.
struct Variant {
    what: String,
    reply: Value,
    /// The change touched the success flag: a failed call is right too.
    may_fail: bool,
    /// A member added: where (the object's path), its name and value.
    added: Option<(Path, String, Value)>,
    /// Warnings the reply must come with.
    warnings: Option<Vec<String>>,
}

/// Every variant of `reply`, as the module's documentation lists them.
fn variants(reply: &Value, envelope: &whm_runtime::__private::Envelope) -> Vec<Variant> {
    // The success flags of every envelope level, from the reply's root.
    let mut success: Vec<Path> = Vec::new();
    let (mut layer, mut base, mut current) = (Some(envelope), Vec::new(), reply);
    while let Some(e) = layer {
        success.extend(
            e.success
                .iter()
                .map(|p| [base.clone(), steps_of(p)].concat()),
        );
        let Some(pointer) = e.payload.iter().find(|p| current.pointer(p).is_some()) else {
            break;
        };
        base.extend(steps_of(pointer));
        current = current.pointer(pointer).unwrap();
        layer = e.inner.as_deref();
    }
    // Whether a change at `path` can change whether the call succeeded.
    // (The changes of the envelope as a whole, given the empty path, may not.)
    let touches_success = |path: &Path| {
        !path.is_empty()
            && success
                .iter()
                .any(|s| s.starts_with(path) || path.starts_with(s))
    };
    let plain = |what: String, reply: Value, path: &Path| Variant {
        what,
        reply,
        may_fail: touches_success(path),
        added: None,
        warnings: None,
    };
    let mut out = Vec::new();
    for numbers_to_strings in [true, false] {
        let mut changed = reply.clone();
        respell(&mut changed, numbers_to_strings);
        let what = if numbers_to_strings {
            "numbers as strings"
        } else {
            "numeric strings as numbers"
        };
        out.push(plain(what.to_owned(), changed, &Vec::new()));
    }
    let mut places = Vec::new();
    walk(reply, &mut Vec::new(), &mut |path, value| {
        places.push((path.clone(), value.clone()))
    });
    for (path, value) in &places {
        let Some((last, parent)) = path.split_last() else {
            continue;
        };
        // Each scalar null.
        if !value.is_object() && !value.is_array() && !value.is_null() {
            let mut changed = reply.clone();
            *at_mut(&mut changed, path).unwrap() = Value::Null;
            out.push(plain(format!("{} null", pointer_of(path)), changed, path));
        }
        // Each member missing.
        if let Step::Key(k) = last {
            let mut changed = reply.clone();
            if let Some(Value::Object(m)) = at_mut(&mut changed, parent) {
                m.remove(k);
            }
            out.push(plain(
                format!("{} missing", pointer_of(path)),
                changed,
                path,
            ));
        }
    }
    // An unknown member at every object, of each kind of value.
    for (path, _) in places.iter().filter(|(_, v)| v.is_object()) {
        for added in [
            json!("drift-1"),
            json!([1, "two", null]),
            json!({"drift": {"deep": true}}),
        ] {
            let name = "x_drift_member".to_owned();
            let mut changed = reply.clone();
            if let Some(Value::Object(m)) = at_mut(&mut changed, path) {
                m.insert(name.clone(), added.clone());
            }
            out.push(Variant {
                what: format!("{}/{name} = {added}", pointer_of(path)),
                reply: changed,
                may_fail: false,
                added: Some((path.clone(), name, added)),
                warnings: None,
            });
        }
    }
    // The envelope: the success flag as a string, warnings and messages as
    // a string and as a list, and the payload empty in every spelling.
    if let Some(flag) = envelope.success.iter().find(|p| reply.pointer(p).is_some()) {
        let mut changed = reply.clone();
        let text = match reply.pointer(flag).unwrap() {
            Value::String(s) => s.clone(),
            Value::Bool(b) => u8::from(*b).to_string(),
            other => other.to_string(),
        };
        set(&mut changed, flag, Some(Value::String(text)));
        out.push(plain(format!("{flag} as a string"), changed, &Vec::new()));
    }
    for (pointers, is_warnings) in [(&envelope.warnings, true), (&envelope.messages, false)] {
        let Some(pointer) = pointers.first() else {
            continue;
        };
        for spelled in [json!("drift note"), json!(["drift note"])] {
            let mut changed = reply.clone();
            set(&mut changed, pointer, Some(spelled.clone()));
            if changed.pointer(pointer) != Some(&spelled) {
                // Something on the way is not an object (WHM's `output`
                // is text in some replies): nowhere to put them.
                continue;
            }
            let mut variant = plain(format!("{pointer} = {spelled}"), changed, &Vec::new());
            variant.may_fail = false;
            if is_warnings {
                variant.warnings = Some(vec!["drift note".to_owned()]);
            }
            out.push(variant);
        }
    }
    if let Some(payload) = envelope.payload.iter().find(|p| reply.pointer(p).is_some()) {
        for empty in [Some(json!([])), Some(json!({})), Some(Value::Null), None] {
            let mut changed = reply.clone();
            set(&mut changed, payload, empty.clone());
            let what = match &empty {
                Some(v) => format!("{payload} = {v}"),
                None => format!("{payload} absent"),
            };
            // (An inner envelope's flag goes with the payload.)
            out.push(plain(what, changed, &steps_of(payload)));
        }
    }
    out
}

/// Whether `value`, added as member `name` of the object at `path`, is in
/// what was read, every piece of it unchanged.
fn found_again(read: &Value, path: &[Step], name: &str, value: &Value) -> bool {
    let mut full = path.to_vec();
    full.push(Step::Key(name.to_owned()));
    holds(read, &full, value)
}

/// Whether what was read holds `value`, sent at `path`: in its place, or
/// where a type could not hold it, in the `extra` of a struct around it
/// (under its path from there); an object member by member, a list element
/// by element (where a list reads as a struct, its elements are kept as
/// the struct's own). `null` and empty values carry nothing to lose.
fn holds(read: &Value, path: &[Step], value: &Value) -> bool {
    let empty = match value {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    };
    if empty || kept_whole(read, path, value) {
        return true;
    }
    match value {
        Value::Object(members) => members.iter().all(|(k, v)| {
            let mut inner = path.to_vec();
            inner.push(Step::Key(k.clone()));
            holds(read, &inner, v)
        }),
        Value::Array(items) => items.iter().enumerate().all(|(i, v)| {
            let mut inner = path.to_vec();
            inner.push(Step::Index(i));
            holds(read, &inner, v)
        }),
        _ => false,
    }
}

/// Whether `value` is at `path` in `read` as it was sent (a scalar may be
/// respelled: `1` as `"1"`), or kept whole in a struct around it.
fn kept_whole(read: &Value, path: &[Step], value: &Value) -> bool {
    if at(read, path).is_some_and(|found| same(found, value)) {
        return true;
    }
    (0..path.len()).any(|holder_depth| {
        let Some(Value::Object(holder)) = at(read, &path[..holder_depth]) else {
            return false;
        };
        (holder_depth + 1..=path.len()).any(|end| {
            holder
                .get(&rendered(&path[holder_depth..end]))
                .and_then(|kept| at(kept, &path[end..]))
                .is_some_and(|found| same(found, value))
        })
    })
}

/// Equal, or the same scalar spelled another way (`1`, `"1"`).
fn same(found: &Value, sent: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    found == sent
        || (text(found).is_some() && text(found) == text(sent))
        // A value where a list goes reads as a list of one.
        || matches!(found, Value::Array(items) if items.len() == 1 && same(&items[0], sent))
}

/// Where an added member is read back: in the payload (relative to it) or
/// in the rest of the reply.
fn read_back(
    read: &Value,
    envelope: &whm_runtime::__private::Envelope,
    reply: &Value,
    path: &Path,
    name: &str,
    value: &Value,
) -> bool {
    // The payload's path, through the nested envelopes.
    let mut payload_path: Path = Vec::new();
    let mut layer = Some(envelope);
    let mut current = reply;
    while let Some(e) = layer {
        let Some(pointer) = e.payload.iter().find(|p| current.pointer(p).is_some()) else {
            break;
        };
        payload_path.extend(steps_of(pointer));
        current = current.pointer(pointer).unwrap();
        layer = e.inner.as_deref();
    }
    match path.strip_prefix(payload_path.as_slice()) {
        Some(inside) if !payload_path.is_empty() || envelope.payload.is_empty() => {
            found_again(&read["data"], inside, name, value)
        }
        _ => found_again(&read["rest"], path, name, value),
    }
}

#[test]
fn documented_replies_decode_however_servers_drift() {
    let mut report = Vec::new();
    let mut failures = Vec::new();
    let (mut total, mut failed_calls, mut added, mut samples) = (0, 0, 0, 0);
    for krate in crates() {
        let (mut crate_variants, mut crate_samples) = (0, 0);
        for fake in krate.fakes {
            let Ok(reply) = serde_json::from_str::<Value>(fake.example) else {
                continue;
            };
            let info = krate
                .decoders
                .iter()
                .find(|o| o.operation.name == fake.operation.name)
                .unwrap_or_else(|| panic!("{}: {} has no decoder", krate.name, fake.name()));
            let envelope = krate.api.envelope_for(fake.operation.envelope);
            // A documented failure stays a failure in every variant.
            let documented = (info.read_reply)(200, fake.example.as_bytes());
            let fails = match &documented {
                Ok(_) => false,
                // (`{}` where the reference shows no reply is no WHM reply.)
                Err(Error::Api { .. } | Error::NotApiReply { .. }) => true,
                Err(e) => {
                    failures.push(format!(
                        "{} {}: the documented reply: {e}",
                        krate.name,
                        fake.name()
                    ));
                    continue;
                }
            };
            crate_samples += 1;
            for variant in variants(&reply, envelope) {
                crate_variants += 1;
                let body = serde_json::to_vec(&variant.reply).unwrap();
                match (info.read_reply)(200, &body) {
                    Ok(read) => {
                        if let Some((path, name, value)) = &variant.added {
                            added += 1;
                            if !read_back(&read, envelope, &variant.reply, path, name, value) {
                                failures.push(format!(
                                    "{} {}: {}: the added member is not in what was read: {read}",
                                    krate.name,
                                    fake.name(),
                                    variant.what
                                ));
                            }
                        }
                        if let Some(warnings) = &variant.warnings
                            && read["warnings"] != json!(warnings)
                        {
                            failures.push(format!(
                                "{} {}: {}: warnings read as {}",
                                krate.name,
                                fake.name(),
                                variant.what,
                                read["warnings"]
                            ));
                        }
                    }
                    // Without its success flag a reply is not the API's
                    // at all: a failure of another kind, as right.
                    Err(Error::Api { .. } | Error::NotApiReply { .. })
                        if fails || variant.may_fail =>
                    {
                        failed_calls += 1
                    }
                    Err(e) => failures.push(format!(
                        "{} {}: {}: {e}",
                        krate.name,
                        fake.name(),
                        variant.what
                    )),
                }
            }
        }
        report.push(format!(
            "{}: {crate_samples} documented replies, {crate_variants} variants",
            krate.name
        ));
        total += crate_variants;
        samples += crate_samples;
    }
    println!(
        "drift corpus: {samples} documented replies, {total} variants; {} decoded, {failed_calls} read as failed calls (Error::Api, Error::NotApiReply), {} failures; {added} added members looked for",
        total - failed_calls - failures.len(),
        failures.len()
    );
    for line in &report {
        println!("  {line}");
    }
    assert!(samples >= 400, "only {samples} documented replies");
    assert!(
        failures.is_empty(),
        "{} of {total} variants fail:\n{}",
        failures.len(),
        failures
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_variants_are_the_ones_described() {
    let envelope = &whm_api::API.envelope;
    let reply =
        json!({"data": {"n": 1, "list": [{"a": "2"}]}, "metadata": {"result": 1, "reason": "OK"}});
    let all = variants(&reply, envelope);
    let whats: Vec<&str> = all.iter().map(|v| v.what.as_str()).collect();
    for expected in [
        "numbers as strings",
        "numeric strings as numbers",
        "/data/n null",
        "/data/list/0/a missing",
        "/data/list/0/x_drift_member = \"drift-1\"",
        "/metadata/result as a string",
        "/metadata/output/warnings = \"drift note\"",
        "/data = []",
        "/data absent",
    ] {
        assert!(whats.contains(&expected), "no `{expected}` in {whats:#?}");
    }
    let numbers = &all[0].reply;
    assert_eq!(numbers["data"]["n"], json!("1"));
    assert_eq!(all[1].reply["data"]["list"][0]["a"], json!(2));
    // The success flag's changes may make a failed call; others may not.
    let result_null = all
        .iter()
        .find(|v| v.what == "/metadata/result null")
        .unwrap();
    assert!(result_null.may_fail);
    assert!(
        !all.iter()
            .find(|v| v.what == "/data/n null")
            .unwrap()
            .may_fail
    );
}

#[test]
fn added_members_are_looked_for_where_they_can_be_kept() {
    let read = json!({"user": "bob", "extra_list[0].x": {"deep": 1}, "n": {"k": "v"}});
    // In place.
    assert!(found_again(
        &read,
        &[Step::Key("n".into())],
        "k",
        &json!("v")
    ));
    // In a struct's `extra`, under the path from it, inside a value kept whole.
    assert!(found_again(
        &read,
        &[Step::Key("extra_list".into()), Step::Index(0)],
        "x",
        &json!({"deep": 1})
    ));
    assert!(found_again(
        &read,
        &[
            Step::Key("extra_list".into()),
            Step::Index(0),
            Step::Key("x".into())
        ],
        "deep",
        &json!(1)
    ));
    // Not there, or changed: not found.
    assert!(!found_again(&read, &[], "k", &json!("v")));
    assert!(!found_again(
        &read,
        &[Step::Key("n".into())],
        "k",
        &json!("w")
    ));
}

/// A WHM reply around `data`, read as the function `R`'s reply.
fn read<R: whm_runtime::Request>(data: Value) -> whm_runtime::Reply<R::Data> {
    let body = json!({"data": data, "metadata": {"result": 1, "reason": "OK", "version": 1}});
    whm_runtime::read_reply::<R>(200, body.to_string().as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn nested_values_are_as_lenient_as_fields() {
    use whm_api::cpanel_market::GetAdjustedMarketProvidersProducts;
    use whm_api::hosting_plans::UpdateFeaturelist;
    use whm_api::mail::SetManualMxRedirects;
    use whm_api::server_administration::LeikaGetConfig;
    use whm_runtime::Limit;

    // A list of maps of integers: a numeric string inside is a number.
    let reply = read::<UpdateFeaturelist>(json!({
        "invalid_features": [{"some feature": "1", "other": 2}]
    }));
    assert_eq!(reply.data.invalid_features[0]["some feature"], 1);
    assert_eq!(reply.data.invalid_features[0]["other"], 2);

    // A payload that is itself a map of strings: `null` is empty text, and
    // what text cannot hold is kept beside it.
    let reply = read::<LeikaGetConfig>(json!({"a": "x", "b": null, "c": 3, "d": {"deep": 1}}));
    assert_eq!(reply.data["a"], "x");
    assert_eq!(reply.data["b"], "");
    assert_eq!(reply.data["c"], "3");
    assert!(!reply.data.contains_key("d"));
    assert_eq!(reply.unexpected, [("d".to_owned(), json!({"deep": 1}))]);

    // Lists of lists with nulls, and lists of limits with nulls.
    let reply = read::<GetAdjustedMarketProvidersProducts>(json!({
        "products": [{
            "x_certificate_term": [1, null, "unlimited", "year"],
            "x_identity_verification": [{"options": [["a", null], [], "b"]}]
        }]
    }));
    let product = &reply.data.products[0];
    assert_eq!(
        product.x_certificate_term,
        [
            Some(Limit::Limited(1)),
            None,
            Some(Limit::Unlimited),
            Some(Limit::Other("year".to_owned()))
        ]
    );
    let options = &product.x_identity_verification[0].options;
    assert_eq!(options[0], ["a", ""]);
    assert!(options[1].is_empty());
    // A single value where a list goes is a list of one.
    assert_eq!(options[2], ["b"]);

    // A map of optional text: an object value is kept in the struct's
    // `extra` under its path, not a failure.
    let reply = read::<SetManualMxRedirects>(json!({
        "payload": {"example.com": "mx.example.com", "example.org": null, "odd.example": {"v": 1}}
    }));
    let payload = &reply.data.payload;
    assert_eq!(payload["example.com"].as_deref(), Some("mx.example.com"));
    assert_eq!(payload["example.org"], None);
    assert!(!payload.contains_key("odd.example"));
    assert_eq!(reply.data.extra["payload.odd.example"], json!({"v": 1}));
}

#[test]
fn a_saved_reply_reads_as_a_live_one() {
    use whm_api::accounts::Listaccts;
    let saved = br#"{"data":{"acct":[{"user":"bob","uid":"1001"}]},"metadata":{"result":1,"reason":"OK","version":1}}"#;
    let reply = whm_runtime::read_reply::<Listaccts>(200, saved).unwrap();
    assert_eq!(reply.data.acct[0].user, "bob");
    // Borrowed, from a kept body.
    let received = whm_runtime::Received::<Listaccts>::from_saved(200, saved.to_vec());
    assert_eq!(received.reply().unwrap().data.acct[0].user, "bob");
    assert_eq!(received.reply_owned().unwrap().data.acct[0].uid, 1001);
    // The same errors as a live call.
    let failed = br#"{"data":null,"metadata":{"result":0,"reason":"No such user."}}"#;
    match whm_runtime::read_reply::<Listaccts>(200, failed) {
        Err(Error::Api {
            operation, reason, ..
        }) => {
            assert_eq!(operation, "listaccts");
            assert_eq!(reason, "No such user.");
        }
        other => panic!("{other:?}"),
    }
    let login = b"<html><form id=\"tfa_login_form\"></form></html>";
    assert!(matches!(
        whm_runtime::read_reply::<Listaccts>(200, login),
        Err(Error::NotJson {
            login_page: true,
            ..
        })
    ));
    assert!(matches!(
        whm_runtime::read_reply::<Listaccts>(403, b"Access denied"),
        Err(Error::AccessDenied { .. })
    ));
}
