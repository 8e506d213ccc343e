//! Replies in the shapes real servers send, beyond what the reference
//! documents: cPanel API 2's failures beside a successful event, WHM's
//! further causes, the older WHM API 0, and data where the reference shows
//! none. Each read as a user with a saved reply reads it (`read_reply`),
//! and each answered by the fake server as a user's tests would see it.

use serde_json::{Value, json};
use whm_api::Error;
use whm_api::accounts::{Listaccts, Removeacct};
use whm_api::api_development_tools::Cpanel;

/// A saved reply to `R`, read as a live one is.
fn saved<R: whm_runtime::Request>(body: &Value) -> Result<whm_runtime::Reply<R::Data>, Error> {
    whm_runtime::read_reply::<R>(200, body.to_string().as_bytes())
}

/// The reason and further causes of an API failure, or a panic.
fn api_failure<T: std::fmt::Debug>(result: Result<T, Error>) -> (String, Vec<String>, String) {
    match result {
        Err(e @ Error::Api { .. }) => {
            let shown = e.to_string();
            let Error::Api { reason, errors, .. } = e else {
                unreachable!()
            };
            (reason, errors, shown)
        }
        other => panic!("not an API failure: {other:?}"),
    }
}

/// `Email::addpop` of an account that exists, as API 2 answers it.
fn addpop_exists() -> Value {
    json!({"cpanelresult": {
        "apiversion": 2, "module": "Email", "func": "addpop",
        "event": {"result": 1},
        "error": "The account bob@example.com already exists!",
        "data": [{"result": 0, "reason": "The account bob@example.com already exists!"}],
    }})
}

/// `Park::park` of a domain already parked: the row alone says so.
fn park_configured() -> Value {
    json!({"cpanelresult": {
        "apiversion": 2, "module": "Park", "func": "park",
        "event": {"result": 1},
        "data": [{"result": 0, "reason": "example.com is already configured."}],
    }})
}

#[test]
fn cpanel_api_2_failures_beside_a_successful_event_are_failures() {
    type Clear = cpanel_api::email::EmailClearpopcache;
    let (reason, errors, shown) = api_failure(saved::<Clear>(&addpop_exists()));
    assert_eq!(reason, "The account bob@example.com already exists!");
    assert_eq!(errors, std::slice::from_ref(&reason));
    assert!(shown.contains("already exists"), "{shown}");
    let (reason, _, _) = api_failure(saved::<Clear>(&park_configured()));
    assert_eq!(reason, "example.com is already configured.");
    // The same through WHM's `cpanel` function, whose envelope says so too.
    let (reason, _, _) = api_failure(saved::<Cpanel>(&addpop_exists()));
    assert!(reason.contains("already exists"), "{reason}");
    let (reason, _, _) = api_failure(saved::<Cpanel>(&park_configured()));
    assert_eq!(reason, "example.com is already configured.");
    // What succeeded still does.
    let ok =
        json!({"cpanelresult": {"event": {"result": 1}, "data": [{"result": 1, "reason": "ok"}]}});
    assert!(saved::<Clear>(&ok).is_ok());
    assert!(saved::<Cpanel>(&ok).is_ok());
    let failure = api_failure(saved::<Cpanel>(&addpop_exists()));
    assert!(!failure.1.is_empty());
}

#[test]
fn a_whm_failure_carries_its_further_causes_and_the_rest_of_the_reply() {
    let body = json!({
        "metadata": {
            "command": "createacct", "result": 0, "version": 1,
            "reason": "Sorry, the password is too weak.",
            "errors": ["(XID kv75bw) The given password is too weak. Use a password with a strength rating of 65 or higher."],
            "output": {"raw": "Validating password..."},
        },
    });
    let e = saved::<whm_api::accounts::Createacct>(&body).unwrap_err();
    let shown = e.to_string();
    assert!(
        shown.contains("Sorry, the password is too weak."),
        "{shown}"
    );
    assert!(shown.contains("(XID kv75bw) The given password"), "{shown}");
    let Error::Api { errors, rest, .. } = e else {
        panic!("{e:?}")
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(
        rest.unwrap()["metadata"]["output"]["raw"],
        "Validating password..."
    );
}

#[test]
fn whm_api_0_replies_read_as_they_mean() {
    // Success and failure, flat.
    let removed = json!({"status": 1, "statusmsg": "bob account removed"});
    let reply = saved::<Removeacct>(&removed).unwrap();
    assert_eq!(reply.unexpected, [("".to_owned(), removed.clone())]);
    let (reason, _, _) = api_failure(saved::<Removeacct>(
        &json!({"status": 0, "statusmsg": "Sorry, bob is not a user."}),
    ));
    assert_eq!(reason, "Sorry, bob is not a user.");
    // In a `result` list.
    let listed =
        json!({"result": [{"status": 1, "statusmsg": "Account Removed", "rawout": "log"}]});
    let reply = saved::<Removeacct>(&listed).unwrap();
    assert_eq!(reply.unexpected[0].1["rawout"], "log");
    let (reason, _, _) = api_failure(saved::<Removeacct>(
        &json!({"result": [{"status": 0, "statusmsg": "Account is busy."}]}),
    ));
    assert_eq!(reason, "Account is busy.");
    // A listing: bare, and with its flag.
    for body in [
        json!({"acct": [{"user": "bob", "uid": "1001"}]}),
        json!({"acct": [{"user": "bob", "uid": 1001}], "status": 1, "statusmsg": "Ok"}),
    ] {
        let reply = saved::<Listaccts>(&body).unwrap();
        assert_eq!(reply.data.acct[0].user, "bob", "{body}");
        assert_eq!(reply.data.acct[0].uid, 1001, "{body}");
    }
    // JSON that is neither shape is still nobody's reply.
    assert!(matches!(
        saved::<Listaccts>(&json!({"pkg": [{"name": "x"}]})),
        Err(Error::NotApiReply { .. })
    ));
}

#[test]
fn payloads_of_functions_documented_as_returning_nothing_are_kept() {
    use whm_api::dns::{Killdns, Setresolvers};
    use whm_api::ip_address_management::Delip;
    use whm_api::resellers::Saveacllist;
    use whm_api::system_information::{Reboot, Sethostname};
    let data = json!({"ip": "192.0.2.7", "rawout": "removed 192.0.2.7 from eth0"});
    let body = json!({"data": data, "metadata": {"result": 1, "reason": "OK", "version": 1}});
    let kept = [
        saved::<Delip>(&body).unwrap().unexpected,
        saved::<Sethostname>(&body).unwrap().unexpected,
        saved::<Reboot>(&body).unwrap().unexpected,
        saved::<Removeacct>(&body).unwrap().unexpected,
        saved::<Killdns>(&body).unwrap().unexpected,
        saved::<Saveacllist>(&body).unwrap().unexpected,
        saved::<Setresolvers>(&body).unwrap().unexpected,
        saved::<whm_api::accounts::Changepackage>(&body)
            .unwrap()
            .unexpected,
    ];
    for unexpected in kept {
        assert_eq!(unexpected, [("".to_owned(), data.clone())]);
    }
    // Nothing, in any spelling, is nothing.
    for empty in [json!(null), json!({}), json!([]), json!("")] {
        let body = json!({"data": empty, "metadata": {"result": 1}});
        assert!(saved::<Delip>(&body).unwrap().unexpected.is_empty());
    }
}

mod the_fake_server {
    use super::*;
    use whm_api::testing::{FailureShape, FakeServer};

    #[tokio::test]
    async fn answers_in_each_shape_of_failure() {
        let server = cpanel_api::testing::FakeServer::start().await.unwrap();
        let client = server.client().unwrap();
        let clear = || {
            client
                .as_user("bob")
                .email_clearpopcache(cpanel_api::email::EmailClearpopcache::new("bob"))
        };
        for (shape, at) in [
            (FailureShape::Sign(0), "/cpanelresult/error"),
            (FailureShape::Sign(1), "/cpanelresult/data/0/reason"),
            (FailureShape::Flag, "/cpanelresult/error"),
        ] {
            server.fail_as("Email::clearpopcache", shape, "No such account.", &[]);
            let (reason, _, _) = api_failure(clear().await);
            assert_eq!(reason, "No such account.", "{shape:?}");
            // The reply is in that shape: the event's flag says success
            // beside a sign of failure, or says failure itself.
            let mut params = whm_runtime::Params::new();
            for (name, value) in [
                ("cpanel_jsonapi_user", "bob"),
                ("cpanel_jsonapi_module", "Email"),
                ("cpanel_jsonapi_func", "clearpopcache"),
                ("username", "bob"),
            ] {
                params.push_raw(name, value.to_owned());
            }
            let raw = client
                .runtime()
                .raw_call(&cpanel_api::API, "cpanel", params)
                .receive()
                .await
                .unwrap();
            let body: Value = serde_json::from_slice(raw.bytes()).unwrap();
            assert_eq!(body.pointer(at), Some(&json!("No such account.")), "{body}");
            let event = body.pointer("/cpanelresult/event/result");
            let expected = if shape == FailureShape::Flag { 0 } else { 1 };
            assert_eq!(event, Some(&json!(expected)), "{shape:?}: {body}");
        }
    }

    #[tokio::test]
    async fn answers_with_further_causes_and_in_the_older_shape() {
        let server = FakeServer::start().await.unwrap();
        let client = server.client().unwrap();
        server.fail_as(
            "listaccts",
            FailureShape::Flag,
            "Sorry.",
            &["(XID 1) first", "(XID 2) second"],
        );
        let (reason, errors, shown) = api_failure(client.listaccts(Listaccts::new()).await);
        assert_eq!(reason, "Sorry.");
        assert_eq!(errors, ["(XID 1) first", "(XID 2) second"]);
        assert!(
            shown.ends_with("Sorry.; (XID 1) first; (XID 2) second"),
            "{shown}"
        );
        server.fail_as("removeacct", FailureShape::Legacy, "Sorry, busy.", &[]);
        let (reason, _, _) = api_failure(client.removeacct(Removeacct::new("bob")).await);
        assert_eq!(reason, "Sorry, busy.");
        // Success in the older shape: a listing bare, another beside its flag.
        server.reset("listaccts");
        server.answer_legacy("listaccts");
        let accounts = client.listaccts(Listaccts::new()).await.unwrap();
        assert!(!accounts.acct.is_empty());
        server.reset("removeacct");
        server.answer_legacy("removeacct");
        client.removeacct(Removeacct::new("bob")).await.unwrap();
    }
}

#[test]
fn members_shown_null_are_options_and_a_null_elsewhere_is_told() {
    // `accountsummary` shows `suspendtime: null`: in `listaccts`' accounts
    // too it is `None` when null, not a `0` to mistake for a time.
    let body = |suspendtime: Value| json!({"data": {"acct": [{"user": "bob", "suspendtime": suspendtime}]}, "metadata": {"result": 1}});
    let reply = saved::<Listaccts>(&body(Value::Null)).unwrap();
    assert_eq!(reply.data.acct[0].suspendtime, None);
    let reply = saved::<Listaccts>(&body(json!(1594040856))).unwrap();
    assert_eq!(reply.data.acct[0].suspendtime, Some(1594040856));
    let reply = saved::<whm_api::accounts::Accountsummary>(&body(json!("1594040856"))).unwrap();
    assert_eq!(reply.data.acct[0].suspendtime, Some(1594040856));
    // Where the reference shows no `null`, the field keeps its lenient
    // default and the record's `extra` tells that the server sent `null`.
    let records = |zone: Value| json!({"data": {"records": [{"domain": "example.com", "local_authority": 1, "zone": zone}]}, "metadata": {"result": 1}});
    let reply = saved::<whm_api::dns::HasLocalAuthority>(&records(Value::Null)).unwrap();
    let record = &reply.data.records[0];
    assert_eq!(record.zone, "");
    assert_eq!(record.extra.get("zone"), Some(&Value::Null));
    // Written back out, the member is as the server sent it, once.
    let written = serde_json::to_string(record).unwrap();
    assert_eq!(written.matches("\"zone\"").count(), 1, "{written}");
    assert_eq!(
        serde_json::from_str::<Value>(&written).unwrap()["zone"],
        Value::Null
    );
    let reply = saved::<whm_api::dns::HasLocalAuthority>(&records(json!(""))).unwrap();
    assert!(
        reply.data.records[0].extra.is_empty(),
        "set to empty is not null"
    );
    let reply = saved::<whm_api::dns::HasLocalAuthority>(&records(json!("example.com"))).unwrap();
    assert_eq!(reply.data.records[0].zone, "example.com");
}

#[test]
fn objects_keyed_by_user_names_are_maps() {
    use whm_api::transfers::RetrieveTransferSessionRemoteAnalysis as Analysis;
    let body = json!({"data": {"local": {
        "users": {"nobody": 1, "root": 1, "alice": 1},
        "groups": {"bin": 1, "wheel": 1},
    }}, "metadata": {"result": 1}});
    let reply = saved::<Analysis>(&body).unwrap();
    let users: Vec<&str> = reply.data.local.users.keys().map(String::as_str).collect();
    assert_eq!(users, ["alice", "nobody", "root"]);
    assert_eq!(reply.data.local.groups["wheel"], 1);
    assert!(reply.data.local.extra.is_empty());
}
