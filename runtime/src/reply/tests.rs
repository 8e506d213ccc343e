use super::*;

use std::borrow::Cow::Borrowed;

use crate::api::test_support::{WHM, texts};
use crate::wire::Held;

#[derive(Debug, Default, PartialEq)]
struct Data {
    acct: Vec<Acct>,
    extra: std::collections::BTreeMap<String, Value>,
}
crate::__private::de::record_impls!(Data, extra, (acct, Records));

#[derive(Debug, Default, PartialEq)]
struct Acct {
    uid: i64,
    extra: std::collections::BTreeMap<String, Value>,
}
crate::__private::de::record_impls!(Acct, extra, (uid = "uid", I64));

/// A payload type of a caller's own, decoded as its `Deserialize` says.
#[derive(Debug, serde::Deserialize)]
struct TheirData {
    #[allow(dead_code)]
    acct: Vec<TheirAcct>,
}

#[derive(Debug, serde::Deserialize)]
struct TheirAcct {
    #[allow(dead_code)]
    uid: i64,
}

fn interpret_as_theirs(body: &str) -> Result<Reply<TheirData>, Error> {
    interpret::<TheirData>(
        (&WHM.envelope, &WHM.refusal),
        "listaccts",
        200,
        body.as_bytes(),
        &Scrubber::default(),
    )
}

fn run(status: u16, body: &str) -> Result<Reply<Data>, Error> {
    interpret::<Data>(
        (&WHM.envelope, &WHM.refusal),
        "listaccts",
        status,
        body.as_bytes(),
        &Scrubber::new(["s3cret"], []),
    )
}

/// A reply with `status` and `body` to a listing function (its records
/// at `/acct`) in `envelope`, to read.
fn listing<'a>(
    envelope: &'a Envelope,
    status: u16,
    body: &'a str,
    scrubber: &'a Scrubber,
    keep: bool,
) -> Incoming<'a, 'a> {
    Incoming {
        envelope,
        refusal: &WHM.refusal,
        output_controls: None,
        operation: "f",
        list: Some("/acct"),
        status,
        text: body,
        raw: body.as_bytes(),
        scrubber,
        failure: None,
        keep,
    }
}

#[test]
fn the_one_pass_path_reads_replies_as_the_general_path_does() {
    let whm = [
        r#"{"data":{"acct":[{"uid":"1001"},{"uid":7}]},"metadata":{"result":1,"reason":"OK","output":{"warnings":["w"],"messages":"m1\nm2"}}}"#,
        r#"{"metadata":{"result":1},"data":{"acct":[]}}"#,
        r#"{"data":null,"metadata":{"result":1}}"#,
        r#"{"data":[],"metadata":{"result":"1"}}"#,
        r#"{"data":{"acct":[{"uid":"x"}]},"metadata":{"result":1}}"#,
        r#"{"data":{"acct":[]},"metadata":{"result":0,"reason":"No s3cret"}}"#,
        r#"{"data":{"acct":[]},"metadata":{"result":true,"result":0}}"#,
        r#"{"data":{"acct":[]},"metadata":{"result":[1]}}"#,
        r#"{"data":{"acct":[]},"metadata":{"reason":"no flag"}}"#,
        r#"{"data":{"acct":[]},"metadata":"result"}"#,
        r#"{"data":{"acct":[]},"metadata":{"result":1,"output":{"warnings":["a"],"warnings":"b\nc"}},"metadata":{"result":1}}"#,
        r#"{"data":{"acct":[]},"data":{"acct":[{"uid":1}]},"metadata":{"result":1}}"#,
        r#"{"data":{"acct":[]},"result":1}"#,
        r#"{"result":1,"reason":"flat"}"#,
        r#"{"data":{"acct":[]}"#,
        r#"[{"data":{}}]"#,
    ];
    // A payload inside an object that also holds the flag (UAPI's shape).
    let nested = Envelope {
        payload: texts!["/result/data"],
        success: texts!["/result/status"],
        warnings: texts!["/result/warnings"],
        messages: texts!["/result/messages"],
        ..WHM.envelope.clone()
    };
    let uapi = [
        r#"{"result":{"status":1,"data":{"acct":[{"uid":2}]},"warnings":["w"],"messages":null},"apiversion":3}"#,
        r#"{"result":{"data":{"acct":[]},"status":0,"errors":["no"]}}"#,
        r#"{"result":{"data":{"acct":[]}},"status":1}"#,
        r#"{"result":{"status":1,"status":0,"data":{"acct":[]}}}"#,
        r#"{"result":{"status":"1","data":{}},"result":{"status":1}}"#,
    ];
    let cases = whm
        .iter()
        .map(|body| (&WHM.envelope, *body))
        .chain(uapi.iter().map(|body| (&nested, *body)));
    for (envelope, body) in cases {
        for status in [200, 500] {
            let show = |r: Result<Reply<Data>, Error>| format!("{r:?}");
            let scrubber = Scrubber::new(["s3cret"], []);
            let read_with = |one_pass, keep| {
                let mut payload = Slot::<Data>(None);
                let incoming = listing(envelope, status, body, &scrubber, keep);
                read(incoming, &mut payload, one_pass).and_then(|parts| parts.with(payload, "f"))
            };
            // The same reply (the rest's members may come in another
            // order: JSON objects compare without it) or the same failure.
            match (read_with(true, true), read_with(false, true)) {
                (Ok(one), Ok(general)) => assert_eq!(one, general, "{status} {body}"),
                (one, general) => assert_eq!(show(one), show(general), "{status} {body}"),
            }
            // The payload alone: the same payload or the same failure.
            let (kept, alone) = (read_with(true, true), read_with(true, false));
            match (kept, alone) {
                (Ok(kept), Ok(alone)) => {
                    assert_eq!(kept.data, alone.data, "{status} {body}");
                    assert!(alone.warnings.is_empty() && alone.rest.is_null());
                }
                (kept, alone) => assert_eq!(show(kept), show(alone), "{status} {body}"),
            }
        }
    }
}

/// A payload sink that counts how often the payload is decoded.
struct Counting<'c> {
    slot: Slot<Data>,
    decoded: &'c std::cell::Cell<usize>,
}

impl<'de> Sink<'de> for Counting<'_> {
    fn decode_prefix(&mut self, text: &'de str) -> Option<usize> {
        self.decoded.set(self.decoded.get() + 1);
        self.slot.decode_prefix(text)
    }
    fn decode_whole(&mut self, text: &'de str) -> Result<(), crate::decode::payload::Failure> {
        self.decoded.set(self.decoded.get() + 1);
        self.slot.decode_whole(text)
    }
    fn decode_plain(
        &mut self,
        media: crate::wire::Media,
        text: &'de str,
        raw: &[u8],
    ) -> Result<(), crate::decode::payload::Failure> {
        self.slot.decode_plain(media, text, raw)
    }
}

#[test]
fn a_usual_reply_is_read_in_one_pass_whether_or_not_the_rest_is_kept() {
    let nested = Envelope {
        payload: texts!["/result/data"],
        success: texts!["/result/status"],
        ..WHM.envelope.clone()
    };
    let cases = [
        (
            &WHM.envelope,
            r#"{"data":{"acct":[{"uid":1}]},"metadata":{"result":1,"reason":"OK","output":{"warnings":["w"]}}}"#,
        ),
        (
            &nested,
            r#"{"result":{"status":1,"data":{"acct":[{"uid":1}]},"messages":[]},"apiversion":3}"#,
        ),
    ];
    for (envelope, body) in cases {
        for keep in [true, false] {
            let decoded = std::cell::Cell::new(0);
            let mut payload = Counting {
                slot: Slot(None),
                decoded: &decoded,
            };
            let scrubber = Scrubber::default();
            let incoming = listing(envelope, 200, body, &scrubber, keep);
            let parts = read(incoming, &mut payload, true).unwrap();
            assert_eq!(decoded.get(), 1, "decoded once: {keep} {body}");
            assert_eq!(payload.slot.0.unwrap().acct[0].uid, 1);
            assert_eq!(parts.rest.is_null(), !keep, "{body}");
        }
    }
}

#[test]
fn success_decodes_the_payload_and_keeps_the_rest() {
    let reply = run(
        200,
        r#"{"data":{"acct":[{"uid":"1001"}]},"metadata":{"result":1,"reason":"OK","output":{"warnings":"a\nb"}}}"#,
    )
    .unwrap();
    assert_eq!(reply.data.acct[0].uid, 1001);
    assert_eq!(reply.warnings, ["a", "b"]);
    assert_eq!(reply.rest["metadata"]["reason"], "OK");
    assert!(reply.rest.get("data").is_none());
}

#[test]
fn result_zero_is_an_api_error() {
    let e = run(200, r#"{"metadata":{"result":0,"reason":"No such user"}}"#).unwrap_err();
    assert!(
        matches!(e, Error::Api { ref reason, .. } if reason == "No such user"),
        "{e:?}"
    );
    let e = run(200, r#"{"metadata":{"result":"1","reason":"OK"}}"#);
    assert!(e.is_ok(), "the string \"1\" is success");
}

#[test]
fn legacy_access_denied() {
    let body = r#"{"cpanelresult":{"error":"Access denied","data":{"reason":"Access denied","result":"0"}}}"#;
    let e = run(403, body).unwrap_err();
    assert!(
        matches!(e, Error::AccessDenied { status: 403, ref reason, .. } if reason == "Access denied")
    );
}

#[test]
fn a_legacy_refusal_with_status_200_is_access_denied() {
    let body = r#"{"cpanelresult":{"apiversion":"2","error":"Access denied","data":{"reason":"Access denied","result":"0"},"type":"text"}}"#;
    let e = run(200, body).unwrap_err();
    assert!(
        matches!(e, Error::AccessDenied { status: 200, ref reason, .. } if reason == "Access denied"),
        "{e:?}"
    );
    // Another cpanelresult failure is the API's own.
    let body = r#"{"cpanelresult":{"error":"No such user","data":{"reason":"No such user"}}}"#;
    assert!(matches!(run(200, body), Err(Error::Api { .. })));
}

/// Refusals are the API's data (`x-refusal`), not the reader's code: an
/// API that names none gives a `cpanelresult` body no meaning, and one
/// that names its own shape is read in it.
mod refusals_as_data {
    use super::*;
    use crate::api::test_support::NO_REFUSAL;
    use crate::wire::Refusal;

    fn read(refusal: &Refusal, status: u16, body: &str) -> Result<Reply<Value>, Error> {
        interpret::<Value>(
            (&WHM.envelope, refusal),
            "f",
            status,
            body.as_bytes(),
            &Scrubber::default(),
        )
    }

    const FAULTS: Refusal = Refusal {
        reason: texts!["/fault/detail"],
        rejection: texts!["/fault/text"],
        denied: texts!["forbidden"],
        login_page: texts!["sso-signin"],
    };

    #[test]
    fn without_rules_a_cpanelresult_refusal_is_no_reply_of_the_api() {
        let body =
            r#"{"cpanelresult":{"error":"Access denied","data":{"reason":"Access denied"}}}"#;
        let e = read(&NO_REFUSAL, 200, body).unwrap_err();
        assert!(matches!(e, Error::NotApiReply { .. }), "{e:?}");
        // A 403's reason is where the envelope keeps a failure's.
        let e = read(
            &NO_REFUSAL,
            403,
            r#"{"metadata":{"reason":"Token revoked"}}"#,
        )
        .unwrap_err();
        assert!(
            matches!(e, Error::AccessDenied { ref reason, .. } if reason == "Token revoked"),
            "{e:?}"
        );
        let e = read(&NO_REFUSAL, 200, "<p id=tfa_login_form>").unwrap_err();
        assert!(
            matches!(
                e,
                Error::NotJson {
                    login_page: false,
                    ..
                }
            ),
            "{e:?}"
        );
    }

    #[test]
    fn an_apis_own_refusal_shape_is_read_as_it_says() {
        let e = read(
            &FAULTS,
            200,
            r#"{"fault":{"text":"FORBIDDEN: key revoked"}}"#,
        )
        .unwrap_err();
        assert!(
            matches!(e, Error::AccessDenied { status: 200, ref reason, .. } if reason == "FORBIDDEN: key revoked"),
            "{e:?}"
        );
        let e = read(&FAULTS, 200, r#"{"fault":{"text":"No such account"}}"#).unwrap_err();
        assert!(
            matches!(e, Error::Api { ref reason, .. } if reason == "No such account"),
            "{e:?}"
        );
        let e = read(&FAULTS, 401, r#"{"fault":{"detail":"Expired"}}"#).unwrap_err();
        assert!(
            matches!(e, Error::AccessDenied { status: 401, ref reason, .. } if reason == "Expired"),
            "{e:?}"
        );
        let e = read(&FAULTS, 200, "<div class=SSO-SIGNIN>").unwrap_err();
        assert!(
            matches!(
                e,
                Error::NotJson {
                    login_page: true,
                    ..
                }
            ),
            "{e:?}"
        );
        // WHM's shapes mean nothing to it.
        let body = r#"{"cpanelresult":{"error":"Access denied"}}"#;
        assert!(matches!(
            read(&FAULTS, 200, body),
            Err(Error::NotApiReply { .. })
        ));
    }
}

#[test]
fn html_login_page() {
    let e = run(
        200,
        "<html><form id=\"tfa_login_form\">s3cret</form></html>",
    )
    .unwrap_err();
    match e {
        Error::NotJson {
            login_page,
            excerpt,
            ..
        } => {
            assert!(login_page);
            assert!(!excerpt.contains("s3cret"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn truncated_and_bad_payloads() {
    let e = run(200, r#"{"data":{"acct":[{"uid":1"#).unwrap_err();
    assert!(matches!(e, Error::InvalidJson { .. }), "{e:?}");
    // What the payload's type cannot hold is kept, not an error.
    let reply = run(
        200,
        r#"{"data":{"acct":[{"uid":1},{"uid":"x"}]},"metadata":{"result":1}}"#,
    )
    .unwrap();
    assert_eq!(reply.data.acct[1].extra["uid"], "x");
    // A type of the caller's own still fails, and says where.
    let e =
        interpret_as_theirs(r#"{"data":{"acct":[{"uid":1},{"uid":"x"}]},"metadata":{"result":1}}"#)
            .unwrap_err();
    match e {
        Error::Decode { path, .. } => assert_eq!(path, "data.acct[1].uid"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn empty_payload_spellings_decode_as_empty() {
    for data in ["[]", "null", "\"\""] {
        let body = format!(r#"{{"data":{data},"metadata":{{"result":1}}}}"#);
        assert!(run(200, &body).unwrap().data.acct.is_empty(), "{data}");
    }
    assert!(
        run(200, r#"{"metadata":{"result":1}}"#)
            .unwrap()
            .data
            .acct
            .is_empty()
    );
}

#[test]
fn http_errors_keep_an_excerpt() {
    let e = run(500, r#"{"oops":true}"#).unwrap_err();
    assert!(matches!(e, Error::Status { status: 500, .. }));
}

#[test]
fn an_error_status_body_is_read_as_the_request_type_says() {
    /// As a generated request reads its failures: an `Acct` on 404, a
    /// JSON value on any other error status.
    fn failure(status: u16, body: &str) -> Option<crate::FailureBody> {
        match status {
            404 => crate::FailureBody::object::<Acct>(body),
            _ => crate::FailureBody::decode::<Value>(body),
        }
    }
    let read = |status: u16, body: &str| {
        read_text::<Lenient<Data>>(
            &WHM,
            &WHM.envelope,
            ("listaccts", None),
            status,
            (body, body.as_bytes()),
            (&Scrubber::new(["s3cret"], []), Some(failure)),
        )
        .map(|_| ())
        .unwrap_err()
    };
    let e = read(404, r#"{"uid": 7, "why": "gone"}"#);
    let acct = e.failure::<Acct>().expect("typed");
    assert_eq!(acct.uid, 7);
    assert_eq!(acct.extra["why"], "gone");
    assert!(e.failure::<Value>().is_none(), "only as its own type");
    // Not an object: no error object, though leniency would make one.
    assert!(read(404, "[1]").failure::<Acct>().is_none());
    // What the server echoes of a secret is masked in the body too.
    let e = read(500, r#"{"echo": "pass=s3cret"}"#);
    assert_eq!(
        e.failure::<Value>(),
        Some(&serde_json::json!({"echo": "pass=***"}))
    );
    assert!(!format!("{e:?}").contains("s3cret"), "{e:?}");
    // A reply read without the request type has no typed body.
    let e = run(404, r#"{"uid": 7}"#).unwrap_err();
    assert!(matches!(e, Error::Status { body: None, .. }), "{e:?}");
}

mod nested_envelopes {
    use super::*;

    static INNER: Envelope = Envelope {
        payload: texts!["/uapi/data"],
        success: texts!["/uapi/status"],
        message: texts!["/uapi/errors"],
        warnings: texts!["/uapi/warnings"],
        ..crate::api::test_support::NO_ENVELOPE
    };

    static OUTER: Envelope = Envelope {
        payload: texts!["/data"],
        success: texts!["/metadata/result"],
        message: texts!["/metadata/reason"],
        inner: Some(Held::Static(&INNER)),
        ..crate::api::test_support::NO_ENVELOPE
    };

    #[test]
    fn every_level_keeps_its_other_members_in_the_rest() {
        let body = r#"{"data":{"uapi":{"data":{"n":1},"status":1,"errors":null,"metadata":{"transformed":1,"new_meta":"m"},"warnings":["w"],"added":[1]},"beside_uapi":"b"},"metadata":{"result":1,"version":1,"new":true}}"#;
        let reply = interpret::<Value>(
            (&OUTER, &WHM.refusal),
            "f",
            200,
            body.as_bytes(),
            &Scrubber::default(),
        )
        .unwrap();
        assert_eq!(reply.data, serde_json::json!({"n": 1}));
        assert_eq!(reply.warnings, ["w"]);
        assert_eq!(
            reply.rest,
            serde_json::json!({
                "metadata": {"result": 1, "version": 1, "new": true},
                "data": {
                    "beside_uapi": "b",
                    "uapi": {
                        "status": 1,
                        "errors": null,
                        "metadata": {"transformed": 1, "new_meta": "m"},
                        "warnings": ["w"],
                        "added": [1]
                    }
                }
            })
        );
    }
}

#[test]
fn json_that_is_not_the_apis_reply_says_so() {
    for body in [
        r#""hello""#,
        "null",
        "42",
        "true",
        r#"{"status": 1, "other": "s3cret"}"#,
        "[1, 2]",
        r#"{"metadata": {"version": 1}}"#,
    ] {
        match run(200, body) {
            Err(Error::NotApiReply {
                expected, excerpt, ..
            }) => {
                assert_eq!(expected, "/metadata/result", "{body}");
                assert!(!excerpt.contains("s3cret"), "{excerpt}");
            }
            other => panic!("{body}: {other:?}"),
        }
    }
    // An API without an envelope may answer with a bare value.
    let bare = interpret::<Value>(
        (
            &crate::api::test_support::NO_ENVELOPE,
            &crate::api::test_support::NO_REFUSAL,
        ),
        "f",
        200,
        b"42",
        &Scrubber::default(),
    )
    .unwrap();
    assert_eq!(bare.data, 42);
    // No flag, but a reason where the API keeps one: the API's failure.
    assert!(
        matches!(run(200, r#"{"metadata": {"reason": "No such user"}}"#), Err(Error::Api { ref reason, .. }) if reason == "No such user")
    );
    // An error status is still the status.
    assert!(matches!(run(500, "42"), Err(Error::NotJson { .. })));
}

/// A reply to WHM's `listaccts` (which lists under `/acct`), as saved.
fn listaccts(body: &str) -> Result<Reply<Data>, Error> {
    read_text::<Lenient<Data>>(
        &WHM,
        &WHM.envelope,
        ("listaccts", Some("/acct")),
        200,
        (body, body.as_bytes()),
        (&Scrubber::default(), None),
    )
    .map(|reply| reply.map_data(|Lenient(data)| data))
}

mod whm_failures {
    use super::*;

    #[test]
    fn an_api_error_carries_every_cause_and_the_rest_of_the_reply() {
        let body = r#"{"metadata":{"result":0,"reason":"Sorry, the password may not contain the username.","errors":["(XID kv75bw) The given password is too weak. Use a password with a strength rating of 65 or higher."],"output":{"raw":"log line","messages":["m"]}},"data":{"payload":[{"user":"bob"}]}}"#;
        let e = listaccts(body).unwrap_err();
        let shown = e.to_string();
        assert!(shown.contains("may not contain the username"), "{shown}");
        assert!(
            shown.contains("(XID kv75bw) The given password is too weak"),
            "{shown}"
        );
        match e {
            Error::Api {
                errors, data, rest, ..
            } => {
                assert_eq!(errors.len(), 1);
                assert_eq!(data.unwrap()["payload"][0]["user"], "bob");
                assert_eq!(rest.unwrap()["metadata"]["output"]["raw"], "log line");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_cause_the_reason_already_says_is_not_repeated() {
        let body = r#"{"metadata":{"result":0,"reason":"(XID a) bad","errors":"(XID a) bad"}}"#;
        let e = listaccts(body).unwrap_err();
        assert_eq!(e.to_string(), "listaccts failed: (XID a) bad");
    }
}

mod whm_api_0 {
    use super::*;

    #[test]
    fn a_flat_status_reads_as_success_or_failure() {
        let reply = listaccts(r#"{"status":1,"statusmsg":"Account Suspended"}"#).unwrap();
        // The payload is the reply itself: the flag and reason are kept.
        assert_eq!(reply.data.extra["statusmsg"], "Account Suspended");
        let e = listaccts(r#"{"status":0,"statusmsg":"No such user “bob”."}"#).unwrap_err();
        assert!(
            matches!(e, Error::Api { ref reason, .. } if reason == "No such user “bob”."),
            "{e:?}"
        );
        // The string flags of old servers too.
        assert!(listaccts(r#"{"status":"0","statusmsg":"no"}"#).is_err());
        assert!(listaccts(r#"{"status":"1","statusmsg":"ok"}"#).is_ok());
    }

    #[test]
    fn a_result_list_reads_its_first_item() {
        let reply = listaccts(
            r#"{"result":[{"status":1,"statusmsg":"Account Removed","rawout":"removed","acct":[{"uid":5}]}]}"#,
        )
        .unwrap();
        assert_eq!(reply.data.acct[0].uid, 5);
        assert_eq!(reply.data.extra["rawout"], "removed");
        let e = listaccts(r#"{"result":[{"status":0,"statusmsg":"Sorry, the user is busy."}]}"#)
            .unwrap_err();
        match e {
            Error::Api { reason, data, .. } => {
                assert_eq!(reason, "Sorry, the user is busy.");
                assert_eq!(data.unwrap()["statusmsg"], "Sorry, the user is busy.");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_bare_listing_reads_as_its_records() {
        let reply = listaccts(r#"{"acct":[{"uid":"1001"},{"uid":7}]}"#).unwrap();
        assert_eq!(reply.data.acct.len(), 2);
        assert_eq!(reply.data.acct[0].uid, 1001);
        let reply = listaccts(r#"{"acct":[{"uid":3}],"status":1,"statusmsg":"Ok"}"#).unwrap();
        assert_eq!(reply.data.acct[0].uid, 3);
        // Without the operation's records it is no reply of this API.
        assert!(matches!(
            listaccts(r#"{"pkg":[{"uid":3}]}"#),
            Err(Error::NotApiReply { .. })
        ));
        assert!(matches!(
            listaccts(r#"{"status": 1, "other": 2}"#),
            Err(Error::NotApiReply { .. })
        ));
    }
}

mod cpanel_api_2 {
    use super::*;
    use crate::wire::FailureSign;

    /// API 2's envelope, as its spec declares it.
    static API_2: Envelope = Envelope {
        payload: texts!["/cpanelresult/data", "/data"],
        success: texts!["/cpanelresult/event/result", "/metadata/result"],
        message: texts!["/cpanelresult/error", "/error", "/data/reason"],
        failures: Borrowed(&[
            FailureSign {
                flag: None,
                reason: Borrowed("/cpanelresult/error"),
            },
            FailureSign {
                flag: Some(Borrowed("/cpanelresult/data/*/result")),
                reason: Borrowed("/cpanelresult/data/*/reason"),
            },
        ]),
        ..crate::api::test_support::NO_ENVELOPE
    };

    fn run(body: &str) -> Result<Reply<Value>, Error> {
        interpret::<Value>(
            (&API_2, &WHM.refusal),
            "Email::addpop",
            200,
            body.as_bytes(),
            &Scrubber::default(),
        )
    }

    #[test]
    fn an_error_beside_a_successful_event_is_a_failure() {
        let body = r#"{"cpanelresult":{"apiversion":2,"module":"Email","func":"addpop","event":{"result":1},"error":"The account bob@example.com already exists!","data":[{"result":0,"reason":"The account bob@example.com already exists!"}]}}"#;
        match run(body).unwrap_err() {
            Error::Api {
                reason,
                errors,
                data,
                rest,
                ..
            } => {
                assert_eq!(reason, "The account bob@example.com already exists!");
                assert_eq!(errors, std::slice::from_ref(&reason));
                assert_eq!(data.unwrap()[0]["result"], 0);
                assert_eq!(rest.unwrap()["cpanelresult"]["func"], "addpop");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_failed_row_is_a_failure_with_every_rows_reason() {
        let body = r#"{"cpanelresult":{"event":{"result":1},"data":[{"result":1,"reason":"fine"},{"result":"0","reason":"example.com is already configured."},{"result":0}]}}"#;
        match run(body).unwrap_err() {
            Error::Api { reason, errors, .. } => {
                assert_eq!(reason, "example.com is already configured.");
                assert_eq!(
                    errors,
                    [
                        "example.com is already configured.",
                        "the server gives no reason"
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rows_that_succeeded_or_say_nothing_are_success() {
        for body in [
            r#"{"cpanelresult":{"event":{"result":1},"data":[{"result":1,"reason":"OK"}]}}"#,
            r#"{"cpanelresult":{"event":{"result":1},"data":[{"email":"a@b"}],"error":""}}"#,
            r#"{"cpanelresult":{"event":{"result":1},"data":[{"result":null}]}}"#,
            r#"{"cpanelresult":{"event":{"result":1},"data":{"result":0}}}"#,
        ] {
            assert!(run(body).is_ok(), "{body}");
        }
        // The event's own failure keeps its reason.
        let e = run(r#"{"cpanelresult":{"event":{"result":0},"error":"No such module"}}"#);
        assert!(matches!(e, Err(Error::Api { ref reason, .. }) if reason == "No such module"));
    }
}
