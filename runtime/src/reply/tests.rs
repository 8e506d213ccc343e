use super::*;

use crate::api::test_support::WHM;

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
        &WHM.envelope,
        "listaccts",
        200,
        body.as_bytes(),
        &Scrubber::default(),
    )
}

fn run(status: u16, body: &str) -> Result<Reply<Data>, Error> {
    interpret::<Data>(
        &WHM.envelope,
        "listaccts",
        status,
        body.as_bytes(),
        &Scrubber::new(["s3cret"], []),
    )
}

#[test]
fn the_one_pass_path_reads_replies_as_the_general_path_does() {
    let bodies = [
        r#"{"data":{"acct":[{"uid":"1001"},{"uid":7}]},"metadata":{"result":1,"reason":"OK","output":{"warnings":["w"],"messages":"m1\nm2"}}}"#,
        r#"{"metadata":{"result":1},"data":{"acct":[]}}"#,
        r#"{"data":null,"metadata":{"result":1}}"#,
        r#"{"data":[],"metadata":{"result":"1"}}"#,
        r#"{"data":{"acct":[{"uid":"x"}]},"metadata":{"result":1}}"#,
        r#"{"data":{"acct":[]},"metadata":{"result":0,"reason":"No s3cret"}}"#,
        r#"{"data":{"acct":[]},"data":{"acct":[{"uid":1}]},"metadata":{"result":1}}"#,
        r#"{"data":{"acct":[]},"result":1}"#,
        r#"{"result":1,"reason":"flat"}"#,
        r#"{"data":{"acct":[]}"#,
        r#"[{"data":{}}]"#,
    ];
    for body in bodies {
        for status in [200, 500] {
            let show = |r: Result<Reply<Data>, Error>| format!("{r:?}");
            let read_with = |one_pass| {
                let mut payload = Slot::<Data>(None);
                let incoming = Incoming {
                    envelope: &WHM.envelope,
                    operation: "f",
                    status,
                    text: body,
                    scrubber: &Scrubber::new(["s3cret"], []),
                };
                read(incoming, &mut payload, one_pass).and_then(|parts| parts.with(payload, "f"))
            };
            let (one, general) = (read_with(true), read_with(false));
            assert_eq!(show(one), show(general), "{status} {body}");
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

mod nested_envelopes {
    use super::*;

    static INNER: Envelope = Envelope {
        payload: &["/uapi/data"],
        success: &["/uapi/status"],
        message: &["/uapi/errors"],
        warnings: &["/uapi/warnings"],
        messages: &[],
        operation: &[],
        inner: None,
    };

    static OUTER: Envelope = Envelope {
        payload: &["/data"],
        success: &["/metadata/result"],
        message: &["/metadata/reason"],
        warnings: &[],
        messages: &[],
        operation: &[],
        inner: Some(&INNER),
    };

    #[test]
    fn every_level_keeps_its_other_members_in_the_rest() {
        let body = r#"{"data":{"uapi":{"data":{"n":1},"status":1,"errors":null,"metadata":{"transformed":1,"new_meta":"m"},"warnings":["w"],"added":[1]},"beside_uapi":"b"},"metadata":{"result":1,"version":1,"new":true}}"#;
        let reply =
            interpret::<Value>(&OUTER, "f", 200, body.as_bytes(), &Scrubber::default()).unwrap();
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
        &crate::api::test_support::NO_ENVELOPE,
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
