//! Client configuration, and turning a call into an HTTP request.
//!
//! Shared by the async and the blocking client: only sending differs.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use url::Url;

use crate::api::{ApiSpec, Auth, Body, Method};
use crate::{Error, Params, Secret};

/// Replies larger than this are refused unless the client allows more.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 256 * 1024 * 1024;

/// The longest a call may take, from connecting to the reply's last byte,
/// unless the client or the call says otherwise: 5 minutes. WHM answers
/// most calls in a second; slow writes (creating an account, restoring a
/// backup) can take minutes, and should set their own.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// The longest pause between two pieces of a reply, once the server has
/// started sending it (status and headers received), unless the client
/// says otherwise: 30 seconds. The wait for the reply to start is bounded
/// by the call's timeout alone, since a slow write computes before it
/// answers.
pub const DEFAULT_READ_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest connecting may take unless the client says otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Credentials a client presents.
#[derive(Clone, Default)]
pub(crate) enum Credentials {
    #[default]
    None,
    Token {
        user: String,
        token: Secret,
    },
    Basic {
        user: String,
        password: Secret,
    },
    Bearer(Secret),
    Key(Secret),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::None => f.write_str("None"),
            Credentials::Token { user, .. } => write!(f, "Token {{ user: {user:?}, token: *** }}"),
            Credentials::Basic { user, .. } => {
                write!(f, "Basic {{ user: {user:?}, password: *** }}")
            }
            Credentials::Bearer(_) => f.write_str("Bearer(***)"),
            Credentials::Key(_) => f.write_str("Key(***)"),
        }
    }
}

impl Credentials {
    /// The user and secret, as an `Authorization` header carries them.
    fn pair(&self) -> Option<(&str, &str)> {
        match self {
            Credentials::None => None,
            Credentials::Token { user, token } => Some((user, token.expose())),
            Credentials::Basic { user, password } => Some((user, password.expose())),
            Credentials::Bearer(token) => Some(("", token.expose())),
            Credentials::Key(key) => Some(("", key.expose())),
        }
    }
}

/// Everything a client is built from. Opaque: made by [`ClientBuilder`].
#[derive(Clone)]
pub struct Settings {
    pub(crate) base_url: String,
    pub(crate) credentials: Credentials,
    pub(crate) root_certificates: Vec<Vec<u8>>,
    pub(crate) accept_invalid_certs: bool,
    pub(crate) timeout: Option<Duration>,
    pub(crate) read_idle_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) user_agent: String,
    pub(crate) max_response_bytes: usize,
}

// The server's URL can hold a password (`https://user:pw@host`).
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("base_url", &crate::scrub::url_for_display(&self.base_url))
            .field("credentials", &self.credentials)
            .field("root_certificates", &self.root_certificates.len())
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .field("timeout", &self.timeout)
            .field("read_idle_timeout", &self.read_idle_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

impl Settings {
    /// Everything secret these settings hold, in every form it can come
    /// back in.
    pub(crate) fn scrubber(&self) -> crate::scrub::Scrubber {
        let in_url = crate::scrub::url_credentials(&self.base_url);
        let in_url = in_url.as_ref().map(|(u, p)| (u.as_str(), p.as_str()));
        crate::scrub::Scrubber::new(
            std::iter::empty(),
            self.credentials.pair().into_iter().chain(in_url),
        )
    }
}

/// A client type that can be built from [`Settings`]: the runtime's clients
/// and the clients of generated crates.
pub trait FromSettings: Sized {
    /// Builds the client.
    fn from_settings(settings: Settings) -> Result<Self, Error>;
}

/// Configures and builds a client.
///
/// Certificates are verified by default; [`ClientBuilder::add_root_certificate`]
/// trusts a server's own CA, and [`ClientBuilder::danger_accept_invalid_certs`]
/// turns verification off, for test servers only.
#[derive(Debug, Clone)]
pub struct ClientBuilder<C> {
    settings: Settings,
    client: PhantomData<fn() -> C>,
}

impl<C: FromSettings> ClientBuilder<C> {
    /// A builder for a server at `base_url` (`https://server.example.com:2087`).
    /// A URL without a path gets the API's base path (`/json-api`).
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            settings: Settings {
                base_url: base_url.into(),
                credentials: Credentials::None,
                root_certificates: Vec::new(),
                accept_invalid_certs: false,
                timeout: Some(DEFAULT_TIMEOUT),
                read_idle_timeout: DEFAULT_READ_IDLE_TIMEOUT,
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                user_agent: concat!("whm-runtime/", env!("CARGO_PKG_VERSION")).to_owned(),
                max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            },
            client: PhantomData,
        }
    }

    /// The server's URL.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.settings.base_url = base_url.into();
        self
    }

    /// Authenticates with an API token (`Authorization: whm USER:TOKEN`).
    pub fn api_token(mut self, user: impl Into<String>, token: impl Into<Secret>) -> Self {
        self.settings.credentials = Credentials::Token {
            user: user.into(),
            token: token.into(),
        };
        self
    }

    /// Authenticates with a username and password (HTTP Basic).
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.settings.credentials = Credentials::Basic {
            user: user.into(),
            password: password.into(),
        };
        self
    }

    /// Authenticates with a bearer token (`Authorization: Bearer TOKEN`).
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.settings.credentials = Credentials::Bearer(token.into());
        self
    }

    /// Authenticates with an API key, sent where the API's spec says: a
    /// parameter (SiteHost's `apikey`), a header or a cookie.
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.settings.credentials = Credentials::Key(key.into());
        self
    }

    /// Trusts the CA certificate in `pem` besides the system's roots.
    pub fn add_root_certificate(mut self, pem: impl AsRef<[u8]>) -> Result<Self, Error> {
        let pem = pem.as_ref();
        reqwest::Certificate::from_pem(pem)
            .map_err(|e| Error::Config(format!("cannot read the root certificate: {e}")))?;
        self.settings.root_certificates.push(pem.to_vec());
        Ok(self)
    }

    /// Accepts any certificate, including self-signed and expired ones.
    /// Anyone on the path can then read and change traffic, credentials
    /// included: for test servers only.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.settings.accept_invalid_certs = accept;
        self
    }

    /// The longest a call may take, from connecting to the reply's last
    /// byte, unless the call sets its own ([`DEFAULT_TIMEOUT`], 5 minutes,
    /// unless set). A call that times out may still complete on the server.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.settings.timeout = Some(timeout);
        self
    }

    /// No overall timeout: a call waits as long as the server keeps the
    /// connection open, unless the call sets a timeout of its own (the
    /// read-idle and connect timeouts still apply).
    pub fn no_timeout(mut self) -> Self {
        self.settings.timeout = None;
        self
    }

    /// The longest pause between two pieces of a reply once the server has
    /// started sending it ([`DEFAULT_READ_IDLE_TIMEOUT`], 30 s, unless set).
    pub fn read_idle_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.settings.read_idle_timeout = timeout;
        self
    }

    /// The longest connecting may take ([`DEFAULT_CONNECT_TIMEOUT`], 30 s,
    /// unless set).
    pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.settings.user_agent = user_agent.into();
        self
    }

    /// The largest reply accepted, in bytes (256 MiB unless set).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.settings.max_response_bytes = limit;
        self
    }

    /// Builds the client; an error when a setting cannot be sent (a
    /// line break or NUL in a user, token or header value).
    pub fn build(self) -> Result<C, Error> {
        self.settings.check()?;
        C::from_settings(self.settings)
    }
}

impl Settings {
    /// Refuses what an HTTP header cannot carry: it would fail at the
    /// first call, as if the request might have been sent.
    fn check(&self) -> Result<(), Error> {
        let header = |what: &str, value: &str| {
            if value.chars().any(|c| c.is_control() && c != '\t') {
                Err(Error::Config(format!(
                    "the {what} holds a line break, NUL or other control character, which an HTTP header cannot carry"
                )))
            } else {
                Ok(())
            }
        };
        match &self.credentials {
            Credentials::Token { user, token } => {
                header("user", user)?;
                header("API token", token.expose())?;
            }
            // Base64 carries any byte; the user must not hold the `:`
            // that separates it from the password.
            Credentials::Basic { user, .. } => {
                if user.contains(':') {
                    return Err(Error::Config(
                        "a username for HTTP Basic authentication cannot hold `:`".to_owned(),
                    ));
                }
            }
            Credentials::Bearer(token) => header("bearer token", token.expose())?,
            // A key may travel in a header or a cookie, depending on the API.
            Credentials::Key(key) => header("API key", key.expose())?,
            Credentials::None => {}
        }
        header("user agent", &self.user_agent)
    }
}

/// An HTTP request ready to send.
pub(crate) struct Outgoing {
    pub method: reqwest::Method,
    pub url: Url,
    /// Headers, credentials among them (hence secrets).
    pub headers: Vec<(&'static str, Secret)>,
    pub body: Option<Vec<u8>>,
    /// What never to show in errors.
    pub scrubber: crate::scrub::Scrubber,
}

/// What a call sends.
pub(crate) struct CallParts<'a> {
    pub operation: &'a str,
    pub api: &'a ApiSpec,
    pub method: Method,
    pub path: std::borrow::Cow<'a, str>,
    pub body: Body,
    pub params: Params,
    pub json: Option<serde_json::Value>,
    pub prefer_get: bool,
    /// The operation's envelope, when not the API's.
    pub envelope: Option<&'static crate::api::Envelope>,
    /// Filter, sort, columns and chunk.
    pub controls: crate::outputs::OutputControls,
    /// Whether the operation and its parameters are the caller's own words
    /// (a raw call), to check.
    pub raw: bool,
    /// Parameters the caller added to a generated call, to check.
    pub added: Vec<String>,
}

impl<'a> CallParts<'a> {
    /// A call of `function`, which the spec may not know, with `params` as given.
    pub fn raw(api: &'a ApiSpec, function: &'a str, params: Params) -> Self {
        CallParts {
            operation: function,
            api,
            method: Method::Get,
            path: std::borrow::Cow::Owned(format!("/{function}")),
            body: Body::None,
            params,
            json: None,
            prefer_get: false,
            envelope: None,
            controls: Default::default(),
            raw: true,
            added: Vec::new(),
        }
    }

    /// The envelope replies to this call come in.
    pub fn reply_envelope(&self) -> &'a crate::api::Envelope {
        self.envelope.unwrap_or(&self.api.envelope)
    }
}

impl Settings {
    /// The API's root URL for these settings.
    fn api_root(&self, api: &ApiSpec) -> Result<Url, Error> {
        let base = if self.base_url.is_empty() {
            api.default_base_url.unwrap_or_default()
        } else {
            &self.base_url
        };
        let shown = crate::scrub::url_for_display(base);
        let mut url = Url::parse(base)
            .map_err(|e| Error::Config(format!("invalid server URL `{shown}`: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "the server URL `{shown}` is not http or https"
            )));
        }
        // A path of slashes alone (`https://host:2087//`) is no path.
        if url.path().trim_matches('/').is_empty() {
            url.set_path(api.base_path);
        }
        Ok(url)
    }

    pub(crate) fn outgoing(&self, call: CallParts<'_>) -> Result<Outgoing, Error> {
        let CallParts {
            operation,
            api,
            method,
            path,
            body,
            mut params,
            json,
            prefer_get,
            controls,
            raw,
            added,
            ..
        } = call;
        if !controls.is_empty() {
            if api.output_controls.is_none() {
                return Err(Error::Config(format!(
                    "{operation}: {} has no output controls (filter, sort, columns, chunks)",
                    api.name
                )));
            }
            controls.encode(&mut params);
        }
        if raw {
            check_function_name(api, operation)?;
            check_not_fixed(api, operation, params.pairs().iter().map(|(k, _)| k))?;
        }
        check_not_fixed(api, operation, added.iter())?;
        let mut url = self.api_root(api)?;
        let joined = format!(
            "{}/{}",
            url.path().trim_end_matches('/'),
            path.trim_start_matches('/')
        );
        url.set_path(&joined);

        let mut headers = vec![("Accept", Secret::new("application/json"))];
        let mut key_param = None;
        match (&self.credentials, api.auth) {
            (Credentials::None, _) => {}
            (Credentials::Token { user, token }, auth) => match auth.iter().find_map(|a| match a {
                Auth::Token { scheme } => Some(*scheme),
                _ => None,
            }) {
                Some(scheme) => headers.push((
                    "Authorization",
                    Secret::new(format!("{scheme} {user}:{}", token.expose())),
                )),
                None => return Err(unsupported(api, operation, "an API token")),
            },
            (Credentials::Basic { user, password }, auth) => {
                if !auth.contains(&Auth::Basic) {
                    return Err(unsupported(api, operation, "a username and password"));
                }
                use base64::Engine as _;
                let pair = format!("{user}:{}", password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                headers.push(("Authorization", Secret::new(format!("Basic {encoded}"))));
            }
            (Credentials::Bearer(token), auth) => {
                if !auth.contains(&Auth::Bearer) {
                    return Err(unsupported(api, operation, "a bearer token"));
                }
                let value = format!("Bearer {}", token.expose());
                headers.push(("Authorization", Secret::new(value)));
            }
            (Credentials::Key(key), auth) => match auth.iter().find(|a| {
                matches!(
                    a,
                    Auth::KeyParam { .. } | Auth::KeyHeader { .. } | Auth::KeyCookie { .. }
                )
            }) {
                Some(Auth::KeyParam { name }) => key_param = Some((*name, key)),
                Some(Auth::KeyHeader { name }) => headers.push((name, key.clone())),
                Some(Auth::KeyCookie { name }) => {
                    if key.expose().contains([';', ',', ' ', '"', '\\']) {
                        return Err(Error::Config(format!(
                            "{operation}: the API key goes in the `{name}` cookie, which cannot carry `;`, `,`, spaces, quotes or backslashes"
                        )));
                    }
                    let cookie = format!("{name}={}", key.expose());
                    headers.push(("Cookie", Secret::new(cookie)));
                }
                _ => return Err(unsupported(api, operation, "an API key")),
            },
        }

        // Fixed parameters first, then the call's in documented order; an
        // API key goes in front of everything.
        let mut fixed = Params::new();
        for (name, value) in api.fixed_params {
            if !params.contains(name) {
                fixed.push_raw(*name, *value);
            }
        }
        let mut all = fixed;
        for (name, value) in params.pairs() {
            all.push_raw(name.clone(), value.clone());
        }
        let scrubber =
            crate::scrub::Scrubber::new(params.secret_values(), []).with(&self.scrubber());
        params = all;
        if let Some((name, key)) = key_param {
            params.push_front(name, key.expose());
        }

        let http_method = |m: Method| match m {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let form = "application/x-www-form-urlencoded";
        let (method, body) = match body {
            Body::Json => {
                url.set_query(non_empty(params.to_form()).as_deref());
                let text = json
                    .unwrap_or(serde_json::Value::Object(Default::default()))
                    .to_string();
                (
                    http_method(method),
                    Some(("application/json", text.into_bytes())),
                )
            }
            Body::Form => (
                http_method(method),
                Some((form, params.to_form().into_bytes())),
            ),
            Body::None if api.query_as_form && !prefer_get => (
                reqwest::Method::POST,
                Some((form, params.to_form().into_bytes())),
            ),
            Body::None => {
                url.set_query(non_empty(params.to_form()).as_deref());
                let method = if prefer_get { Method::Get } else { method };
                (http_method(method), None)
            }
        };
        let body = body.map(|(content_type, bytes)| {
            headers.push(("Content-Type", Secret::new(content_type)));
            bytes
        });
        Ok(Outgoing {
            method,
            url,
            headers,
            body,
            scrubber,
        })
    }
}

/// Builds a reqwest client (async or blocking: their builders share these
/// methods but not a type) from settings.
macro_rules! http_client {
    ($builder:expr, $settings:expr) => {{
        let settings: &$crate::Settings = $settings;
        let mut builder = $builder
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(settings.connect_timeout)
            .user_agent(settings.user_agent.clone())
            .danger_accept_invalid_certs(settings.accept_invalid_certs);
        for pem in &settings.root_certificates {
            let cert = reqwest::Certificate::from_pem(pem).map_err(|e| {
                $crate::Error::Config(format!("cannot read the root certificate: {e}"))
            })?;
            builder = builder.add_root_certificate(cert);
        }
        builder.build().map_err(|e| {
            $crate::Error::Config(format!(
                "cannot build the HTTP client: {}",
                $crate::settings::describe(&e)
            ))
        })?
    }};
}
pub(crate) use http_client;

/// A raw call names a function: `listaccts`, or a path of such names for
/// an API whose operations are paths (`cloud/stack/purge_cache.json`);
/// never a path that leaves the API (`../`), an empty name or a URL.
fn check_function_name(api: &ApiSpec, name: &str) -> Result<(), Error> {
    let segment_ok = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    if name.split('/').all(segment_ok) {
        return Ok(());
    }
    Err(Error::Config(format!(
        "`{}` is not a function name of {}: use letters, digits and `_` (and `/`, `.`, `-` between them for an API whose operations are paths)",
        name.escape_debug(),
        api.name
    )))
}

/// A parameter the API sends with every call (`api.version`) is not the
/// caller's to set: without it, WHM answers in another format.
fn check_not_fixed<'p>(
    api: &ApiSpec,
    operation: &str,
    mut names: impl Iterator<Item = &'p String>,
) -> Result<(), Error> {
    match names.find_map(|given| api.fixed_params.iter().find(|(name, _)| given == name)) {
        Some((name, value)) => Err(Error::Config(format!(
            "{operation}: `{name}` is sent by {} itself ({name}={value}); a call cannot set it",
            api.name
        ))),
        None => Ok(()),
    }
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn unsupported(api: &ApiSpec, operation: &str, what: &str) -> Error {
    let takes: Vec<&str> = api
        .auth
        .iter()
        .map(|a| match a {
            Auth::Token { .. } => "an API token",
            Auth::Basic => "a username and password",
            Auth::Bearer => "a bearer token",
            Auth::KeyParam { .. } | Auth::KeyHeader { .. } | Auth::KeyCookie { .. } => "an API key",
        })
        .collect();
    Error::Config(format!(
        "{operation}: {} takes {}, but the client was given {what}",
        api.name,
        takes.join(" or ")
    ))
}

/// The message of an HTTP library error, without the URL (it can carry
/// parameters) and with its causes, which say which TLS check failed.
pub(crate) fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::api::test_support::{NO_ENVELOPE, WHM};

    static KEYED: ApiSpec = KEYED_SPEC;
    const KEYED_SPEC: ApiSpec = ApiSpec {
        name: "Keyed",
        base_path: "/1.3",
        default_base_url: Some("https://api.example.com"),
        envelope: NO_ENVELOPE,
        fixed_params: &[],
        query_as_form: false,
        auth: &[Auth::KeyParam { name: "apikey" }],
        output_controls: None,
        batch: None,
    };

    fn settings(url: &str, credentials: Credentials) -> Settings {
        let mut s = ClientBuilder::<crate::Client>::new(url).settings;
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
            json: None,
            prefer_get,
            envelope: None,
            controls: Default::default(),
            raw: false,
            added: Vec::new(),
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
        ApiSpec { auth, ..KEYED_SPEC }
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

        let in_header = keyed(&[Auth::KeyHeader { name: "X-API-Key" }]);
        let out = send(&in_header, Credentials::Key(Secret::new("HKEY"))).unwrap();
        assert_eq!(header(&out, "X-API-Key").as_deref(), Some("HKEY"));
        assert_eq!(out.scrubber.text("HKEY"), "***");
        assert_eq!(out.url.query(), None);

        let in_cookie = keyed(&[Auth::KeyCookie { name: "session" }]);
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
        let e = settings("https://x", token()).outgoing(parts(
            &KEYED,
            Body::Form,
            Params::new(),
            false,
        ));
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
    fn what_a_header_cannot_carry_is_refused_when_the_client_is_built() {
        for (user, token) in [("ro\not", "T"), ("root", "TO\r\nKEN"), ("root", "T\0")] {
            let e = ClientBuilder::<crate::Client>::new("https://x")
                .api_token(user, token)
                .build()
                .unwrap_err();
            assert!(matches!(e, Error::Config(_)), "{e:?}");
            assert!(!e.to_string().contains("KEN"), "{e}");
        }
        let e = ClientBuilder::<crate::Client>::new("https://x")
            .basic_auth("a:b", "pw")
            .build()
            .unwrap_err();
        assert!(matches!(e, Error::Config(_)));
        let ok = ClientBuilder::<crate::Client>::new("https://x").basic_auth("root", "p\nw");
        assert!(ok.build().is_ok(), "base64 carries any password");
    }

    #[test]
    fn raw_calls_name_functions_and_leave_fixed_parameters_alone() {
        let raw = |function: &'static str, params: Params| {
            settings("https://host:2087", token()).outgoing(CallParts::raw(&WHM, function, params))
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
    fn debug_output_hides_credentials() {
        let shown = format!("{:?}", settings("https://x", token()));
        assert!(!shown.contains("TOKEN"), "{shown}");
        let shown = format!(
            "{:?}",
            ClientBuilder::<crate::Client>::new("https://x").basic_auth("root", "PW")
        );
        assert!(!shown.contains("PW"), "{shown}");
        // A password in the URL is a password too.
        let client = ClientBuilder::<crate::Client>::new("https://root:URLPW@host:2087")
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("URLPW"), "{shown}");
        assert!(shown.contains("root:***@host"), "{shown}");
    }
}
