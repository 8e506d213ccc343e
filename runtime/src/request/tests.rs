use super::*;
use crate::settings::ClientBuilder;

use std::borrow::Cow::Borrowed;

use crate::api::test_support::{NO_ENVELOPE, NO_REFUSAL, WHM, operation};

static KEYED: ApiSpec = KEYED_SPEC;
const KEYED_SPEC: ApiSpec = ApiSpec {
    name: Borrowed("Keyed"),
    base_path: Borrowed("/1.3"),
    default_base_url: Some(Borrowed("https://api.example.com")),
    envelope: NO_ENVELOPE,
    refusal: NO_REFUSAL,
    fixed_params: Borrowed(&[]),
    query_as_form: false,
    auth: Borrowed(&[Auth::KeyParam {
        name: Borrowed("apikey"),
    }]),
    output_controls: None,
    batch: None,
};

fn settings(url: &str, credentials: Credentials) -> Settings {
    let mut s = ClientBuilder::<crate::client::Client>::new(url).settings;
    s.credentials = credentials;
    s
}

fn parts<'a>(api: &'a ApiSpec, body: Body, params: Params, prefer_get: bool) -> CallParts<'a> {
    CallParts {
        operation: "f",
        api,
        method: Method::Get,
        path: "/f".into(),
        body,
        params,
        placed: Placed::default(),
        json: None,
        raw_body: None,
        prefer_get,
        described: None,
        controls: Default::default(),
        raw: false,
        added: Vec::new(),
        failure: None,
    }
}

fn token() -> Credentials {
    Credentials::Token {
        user: "root".into(),
        token: Secret::new("TOKEN"),
    }
}

#[test]
fn whm_calls_are_form_posts_with_the_api_version_first() {
    let mut params = Params::new();
    params.push("user", "bob");
    let out = settings("https://host:2087", token())
        .outgoing(parts(&WHM, Body::None, params, false))
        .unwrap();
    assert_eq!(out.method, reqwest::Method::POST);
    assert_eq!(out.url.as_str(), "https://host:2087/json-api/f");
    assert_eq!(out.body.unwrap(), b"api.version=1&user=bob");
    let header = |name: &str| {
        out.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.expose().to_owned())
    };
    assert_eq!(
        header("Content-Type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(header("Authorization").as_deref(), Some("whm root:TOKEN"));
    assert_eq!(out.scrubber.text("a TOKEN"), "a ***");
}

#[test]
fn via_get_puts_parameters_in_the_url() {
    let mut params = Params::new();
    params.push("user", "bob smith");
    let out = settings("https://host:2087/", Credentials::None)
        .outgoing(parts(&WHM, Body::None, params, true))
        .unwrap();
    assert_eq!(out.method, reqwest::Method::GET);
    assert_eq!(
        out.url.as_str(),
        "https://host:2087/json-api/f?api.version=1&user=bob+smith"
    );
    assert!(out.body.is_none());
}

#[test]
fn a_url_with_a_path_is_used_as_given() {
    let out = settings("https://host:2087/cpsess123/json-api", Credentials::None)
        .outgoing(parts(&WHM, Body::None, Params::new(), true))
        .unwrap();
    assert_eq!(out.url.path(), "/cpsess123/json-api/f");
}

/// [`KEYED`] with other ways to authenticate.
fn keyed(auth: &'static [Auth]) -> ApiSpec {
    ApiSpec {
        auth: Borrowed(auth),
        ..KEYED_SPEC
    }
}

#[test]
fn bearer_tokens_and_keys_in_headers_and_cookies_are_sent_and_hidden() {
    let header = |out: &Outgoing, name: &str| {
        out.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.expose().to_owned())
    };
    let send = |api: &ApiSpec, credentials: Credentials| {
        settings("", credentials).outgoing(parts(api, Body::None, Params::new(), true))
    };
    let refused = |api: &ApiSpec, credentials: Credentials| match send(api, credentials) {
        Ok(_) => panic!("sent"),
        Err(e) => e.to_string(),
    };
    let bearer = keyed(&[Auth::Bearer]);
    let out = send(&bearer, Credentials::Bearer(Secret::new("BEARER-T"))).unwrap();
    assert_eq!(
        header(&out, "Authorization").as_deref(),
        Some("Bearer BEARER-T")
    );
    assert_eq!(out.scrubber.text("got BEARER-T"), "got ***");
    assert_eq!(out.url.query(), None, "nothing in the URL");

    let in_header = keyed(&[Auth::KeyHeader {
        name: Borrowed("X-API-Key"),
    }]);
    let out = send(&in_header, Credentials::Key(Secret::new("HKEY"))).unwrap();
    assert_eq!(header(&out, "X-API-Key").as_deref(), Some("HKEY"));
    assert_eq!(out.scrubber.text("HKEY"), "***");
    assert_eq!(out.url.query(), None);

    let in_cookie = keyed(&[Auth::KeyCookie {
        name: Borrowed("session"),
    }]);
    let out = send(&in_cookie, Credentials::Key(Secret::new("CKEY"))).unwrap();
    assert_eq!(header(&out, "Cookie").as_deref(), Some("session=CKEY"));
    assert_eq!(out.scrubber.text("session=CKEY"), "session=***");
    let error = refused(&in_cookie, Credentials::Key(Secret::new("a;b")));
    assert!(error.contains("`session` cookie"), "{error}");

    // The wrong kind of credentials says what the API takes.
    let error = refused(&bearer, Credentials::Key(Secret::new("K")));
    assert!(error.contains("takes a bearer token"), "{error}");
    let error = refused(&in_header, token());
    assert!(error.contains("takes an API key"), "{error}");
    let debug = format!("{:?}", Credentials::Bearer(Secret::new("BEARER-T")));
    assert!(!debug.contains("BEARER-T"), "{debug}");
}

#[test]
fn an_api_key_goes_first_and_the_default_server_applies() {
    let mut params = Params::new();
    params.push("client_id", "1");
    let out = settings("", Credentials::Key(Secret::new("KEY")))
        .outgoing(parts(&KEYED, Body::Form, params, false))
        .unwrap();
    assert_eq!(out.url.as_str(), "https://api.example.com/1.3/f");
    assert_eq!(out.body.unwrap(), b"apikey=KEY&client_id=1");
    assert_eq!(out.scrubber.text("KEY"), "***");
}

#[test]
fn an_api_key_leads_the_query_of_a_get() {
    let mut params = Params::new();
    params.push("client_id", "1");
    let out = settings(
        "https://other.example/1.3",
        Credentials::Key(Secret::new("KEY")),
    )
    .outgoing(parts(&KEYED, Body::None, params, true))
    .unwrap();
    assert_eq!(out.method, reqwest::Method::GET);
    assert_eq!(
        out.url.as_str(),
        "https://other.example/1.3/f?apikey=KEY&client_id=1"
    );
    assert!(out.body.is_none());
}

#[test]
fn credentials_the_api_does_not_take_are_refused() {
    let e =
        settings("https://x", token()).outgoing(parts(&KEYED, Body::Form, Params::new(), false));
    let message = e.err().unwrap().to_string();
    assert!(message.contains("takes an API key"), "{message}");
    assert!(!message.contains("TOKEN"));
    let e = settings("not a url", Credentials::None).outgoing(parts(
        &WHM,
        Body::None,
        Params::new(),
        false,
    ));
    assert!(matches!(e, Err(Error::Config(_))));
}

#[test]
fn basic_credentials_are_encoded() {
    let basic = Credentials::Basic {
        user: "root".into(),
        password: Secret::new("pw"),
    };
    let out = settings("https://x", basic)
        .outgoing(parts(&WHM, Body::None, Params::new(), false))
        .unwrap();
    let auth = out
        .headers
        .iter()
        .find(|(n, _)| *n == "Authorization")
        .unwrap();
    assert_eq!(auth.1.expose(), "Basic cm9vdDpwdw==");
    assert_eq!(out.scrubber.text("pw cm9vdDpwdw=="), "*** ***==");
}

#[test]
fn a_base_url_of_slashes_gets_the_api_path() {
    for base in [
        "https://host:2087//",
        "https://host:2087///",
        "https://host:2087",
    ] {
        let out = settings(base, Credentials::None)
            .outgoing(parts(&WHM, Body::None, Params::new(), true))
            .unwrap();
        assert_eq!(out.url.path(), "/json-api/f", "{base}");
    }
}

#[test]
fn raw_calls_name_functions_and_leave_fixed_parameters_alone() {
    let raw = |function: &'static str, params: Params| {
        settings("https://host:2087", token())
            .outgoing(CallParts::raw(&WHM, function, None, params))
    };
    for bad in [
        "../../etc/passwd",
        "",
        "/abs",
        "a//b",
        "a b",
        "a?b=1",
        "x/../y",
        ".",
    ] {
        let e = raw(bad, Params::new()).err().unwrap();
        assert!(matches!(e, Error::Config(_)), "{bad}: {e:?}");
    }
    for good in [
        "listaccts",
        "some_plugin_function",
        "cloud/stack/purge_cache.json",
    ] {
        assert!(raw(good, Params::new()).is_ok(), "{good}");
    }
    let mut params = Params::new();
    params.push_raw("api.version", "0");
    let e = raw("listaccts", params).err().unwrap();
    assert!(e.to_string().contains("api.version"), "{e}");
    // Nor can a parameter added to a generated call.
    let mut call = parts(&WHM, Body::None, Params::new(), false);
    call.added = vec!["api.version".to_owned()];
    let mut params = Params::new();
    params.push_raw("api.version", "0");
    call.params = params;
    let e = settings("https://host:2087", token())
        .outgoing(call)
        .err()
        .unwrap();
    assert!(matches!(e, Error::Config(_)), "{e:?}");
}

#[test]
fn a_preview_shows_the_request_with_every_secret_masked() {
    let client = ClientBuilder::<crate::client::Client>::new("https://host:2087")
        .api_token("root", "TOKEN-xyz")
        .build()
        .unwrap();
    let mut params = Params::new();
    params.push("user", "bob");
    params.push_secret("password", &Secret::new("hunter2 /pw"));
    let preview = client
        .raw_call(&WHM, "passwd", params.clone())
        .preview()
        .unwrap();
    assert_eq!(preview.method, "POST");
    assert_eq!(preview.url, "https://host:2087/json-api/passwd");
    assert!(
        preview
            .headers
            .contains(&("Authorization".to_owned(), "whm root:***".to_owned())),
        "{preview:?}"
    );
    assert_eq!(
        preview.body.as_deref(),
        Some("api.version=1&user=bob&password=***")
    );
    assert_eq!(
        preview.line(),
        "POST https://host:2087/json-api/passwd (Authorization: whm root:***) api.version=1&user=bob&password=***"
    );
    let shown = preview.to_string();
    assert!(
        shown.starts_with("POST https://host:2087/json-api/passwd\nAccept: application/json\n"),
        "{shown}"
    );
    // In the URL of a GET, the secret is masked too.
    let preview = client
        .raw_call(&WHM, "passwd", params)
        .via_get()
        .preview()
        .unwrap();
    assert_eq!(preview.method, "GET");
    assert_eq!(
        preview.url,
        "https://host:2087/json-api/passwd?api.version=1&user=bob&password=***"
    );
    assert!(!format!("{preview:?}").contains("hunter2"));
    assert!(!format!("{preview:?}").contains("TOKEN-xyz"));
}

#[test]
fn lists_and_maps_go_in_the_parameter_styles_openapi_names() {
    use crate::request::params::{DeepObject, Delimited};
    let mut params = Params::new();
    params.push("ids", &Delimited(&vec![1_i64, 2, 3], ','));
    params.push(
        "tags",
        &Delimited(&["a b".to_owned(), "c".to_owned()][..], ' '),
    );
    params.push("none", &Delimited(&Vec::<i64>::new(), ','));
    let filter: std::collections::BTreeMap<String, String> = [
        ("color".to_owned(), "red".to_owned()),
        ("size".to_owned(), "9".to_owned()),
    ]
    .into();
    params.push("filter", &DeepObject(&filter));
    let keys = vec![Secret::new("k1"), Secret::new("k2")];
    params.push("keys", &Delimited(&keys, '|'));
    assert_eq!(
        params.pairs(),
        [
            ("ids".to_owned(), "1,2,3".to_owned()),
            ("tags".to_owned(), "a b c".to_owned()),
            ("filter[color]".to_owned(), "red".to_owned()),
            ("filter[size]".to_owned(), "9".to_owned()),
            ("keys".to_owned(), "k1|k2".to_owned()),
        ]
    );
    // A list of secrets is one secret.
    assert!(!format!("{params:?}").contains("k1"), "{params:?}");
}

#[test]
fn a_client_keeps_the_root_of_the_api_it_calls_and_works_out_others_afresh() {
    let s = settings("https://host:2087", Credentials::None);
    let derived = Derived::default();
    let url = |api: &ApiSpec| {
        let call = parts(api, Body::None, Params::new(), true);
        s.outgoing_with(&derived, call).unwrap().url.to_string()
    };
    assert_eq!(url(&WHM), "https://host:2087/json-api/f?api.version=1");
    assert!(derived.root.get().is_some());
    // Another API at the same server: its own base path, not the kept one.
    assert_eq!(url(&KEYED), "https://host:2087/1.3/f");
    assert_eq!(url(&WHM), "https://host:2087/json-api/f?api.version=1");
    // An API described at run time, whose base path differs from the kept
    // one's, gets its own root too.
    let moved = ApiSpec {
        base_path: Borrowed("/v2"),
        ..KEYED_SPEC
    };
    assert_eq!(url(&moved), "https://host:2087/v2/f");
}

#[test]
fn a_kept_root_that_is_no_url_fails_every_call_alike() {
    let s = settings("not a url", Credentials::None);
    let derived = Derived::default();
    for _ in 0..2 {
        let call = parts(&WHM, Body::None, Params::new(), false);
        let Err(Error::Config(message)) = s.outgoing_with(&derived, call) else {
            panic!("a bad server URL is a configuration error");
        };
        assert!(
            message.starts_with("invalid server URL `not a url`"),
            "{message}"
        );
    }
}

/// A request of the shape a generated one has when a secret sits inside
/// an object parameter or a JSON body.
#[derive(Clone)]
struct Nested {
    form: bool,
}

#[derive(serde::Serialize)]
struct Login {
    user: &'static str,
    password: Secret,
}

impl crate::api::Request for Nested {
    type Data = serde_json::Value;
    type DataRef<'a> = serde_json::Value;
    const API: &'static ApiSpec = &WHM;
    const OPERATION: &'static crate::operation::Operation =
        &operation("login", Method::Post, "/login", Body::Json);
    fn params(&self, params: &mut Params) {
        if self.form {
            params.push("login", &crate::request::params::Members(&Self::login()));
        }
    }
    fn json_body(&self) -> Option<serde_json::Value> {
        let mut body = serde_json::Map::new();
        if !self.form {
            crate::__private::json_insert(&mut body, "login", &Self::login());
        }
        Some(serde_json::Value::Object(body))
    }
}

impl Nested {
    fn login() -> Login {
        Login {
            user: "bob",
            password: Secret::new("hunter2 \"pw\""),
        }
    }
}

#[test]
fn a_secret_inside_an_object_or_a_json_body_is_masked_too() {
    let client = ClientBuilder::<crate::client::Client>::new("https://host:2087")
        .api_token("root", "TOKEN-xyz")
        .build()
        .unwrap();
    for form in [false, true] {
        let preview = client.call(Nested { form }).preview().unwrap();
        let shown = format!("{preview} {preview:?} {}", preview.line());
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("bob"), "{shown}");
        let masked = match form {
            // An object's members go as parameters (in the query, beside
            // a JSON body).
            true => preview.url.contains("&user=bob&password=***"),
            false => {
                preview.body.as_deref() == Some(r#"{"login":{"user":"bob","password":"***"}}"#)
            }
        };
        assert!(masked, "{shown}");
    }
}

crate::__request!(Nested);

#[test]
fn a_request_shows_what_it_sends_with_its_secrets_masked() {
    assert_eq!(
        format!("{:?}", Nested { form: false }),
        r#"Nested { body: {"login":{"user":"bob","password":"***"}} }"#
    );
    // An object's members go as parameters; the secret among them is
    // masked as a value, wherever it shows.
    let shown = format!("{:?} {:#?}", Nested { form: true }, Nested { form: true });
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains(r#"user: "bob""#), "{shown}");
}

#[test]
fn requests_are_equal_when_they_send_the_same() {
    assert_eq!(Nested { form: true }, Nested { form: true });
    assert_ne!(Nested { form: true }, Nested { form: false });
}

/// A request with a parameter in each place and a body of bytes.
#[derive(Clone)]
struct Upload {
    name: &'static str,
}

impl crate::api::Request for Upload {
    type Data = serde_json::Value;
    type DataRef<'a> = serde_json::Value;
    const API: &'static ApiSpec = &WHM;
    const OPERATION: &'static crate::operation::Operation =
        &operation("upload", Method::Put, "/files/{name}", Body::Raw);
    fn params(&self, params: &mut Params) {
        params.push("overwrite", &true);
    }
    fn placed_params(&self, placed: &mut Placed) {
        placed.path.push("name", self.name);
        placed
            .header
            .push_secret("X-Upload-Key", &Secret::new("KEY-123"));
        placed.cookie.push("session", "s1");
    }
    fn raw_body(&self) -> Option<(&'static str, Vec<u8>)> {
        Some(("application/octet-stream", vec![0; 5]))
    }
}

crate::__request!(Upload);

#[test]
fn a_request_shows_each_place_s_parameters_and_a_body_by_its_length() {
    assert_eq!(
        format!("{:?}", Upload { name: "a b" }),
        r#"Upload { overwrite: "1", name: "a b", X-Upload-Key: ***, session: "s1", body: <5 bytes of application/octet-stream> }"#
    );
    assert_eq!(Upload { name: "a" }, Upload { name: "a" });
    assert_ne!(Upload { name: "a" }, Upload { name: "b" });
}
