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
            Credentials::Key(_) => f.write_str("Key(***)"),
        }
    }
}

impl Credentials {
    fn secrets(&self) -> Vec<String> {
        match self {
            Credentials::None => Vec::new(),
            Credentials::Token { token, .. } => vec![token.expose().to_owned()],
            Credentials::Basic { password, .. } => vec![password.expose().to_owned()],
            Credentials::Key(key) => vec![key.expose().to_owned()],
        }
    }
}

/// Everything a client is built from. Opaque: made by [`ClientBuilder`].
#[derive(Debug, Clone)]
pub struct Settings {
    pub(crate) base_url: String,
    pub(crate) credentials: Credentials,
    pub(crate) root_certificates: Vec<Vec<u8>>,
    pub(crate) accept_invalid_certs: bool,
    pub(crate) timeout: Option<Duration>,
    pub(crate) connect_timeout: Duration,
    pub(crate) user_agent: String,
    pub(crate) max_response_bytes: usize,
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
                timeout: None,
                connect_timeout: Duration::from_secs(30),
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

    /// Authenticates with an API key sent as a parameter (SiteHost's `apikey`).
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

    /// The longest a call may take, unless the call sets its own.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.settings.timeout = Some(timeout);
        self
    }

    /// The longest connecting may take (30 s unless set).
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

    /// Builds the client.
    pub fn build(self) -> Result<C, Error> {
        C::from_settings(self.settings)
    }
}

/// An HTTP request ready to send.
pub(crate) struct Outgoing {
    pub method: reqwest::Method,
    pub url: Url,
    /// Headers, credentials among them (hence secrets).
    pub headers: Vec<(&'static str, Secret)>,
    pub body: Option<Vec<u8>>,
    /// Values never to show in errors.
    pub secrets: Vec<String>,
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
        let mut url = Url::parse(base)
            .map_err(|e| Error::Config(format!("invalid server URL `{base}`: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "the server URL `{base}` is not http or https"
            )));
        }
        if url.path() == "/" || url.path().is_empty() {
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
            (Credentials::Key(key), auth) => match auth.iter().find_map(|a| match a {
                Auth::KeyParam { name } => Some(*name),
                _ => None,
            }) {
                Some(name) => key_param = Some((name, key)),
                None => return Err(unsupported(api, operation, "an API key")),
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
        let mut secrets: Vec<String> = params.secret_values().map(str::to_owned).collect();
        secrets.extend(self.credentials.secrets());
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
            secrets,
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
            Auth::KeyParam { .. } => "an API key",
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
    use crate::api::Envelope;

    use crate::api::test_support::WHM;

    static KEYED: ApiSpec = ApiSpec {
        name: "Keyed",
        base_path: "/1.3",
        default_base_url: Some("https://api.example.com"),
        envelope: Envelope {
            payload: &[],
            success: &[],
            message: &[],
            warnings: &[],
            messages: &[],
            operation: &[],
            inner: None,
        },
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
        assert!(out.secrets.contains(&"TOKEN".to_owned()));
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

    #[test]
    fn an_api_key_goes_first_and_the_default_server_applies() {
        let mut params = Params::new();
        params.push("client_id", "1");
        let out = settings("", Credentials::Key(Secret::new("KEY")))
            .outgoing(parts(&KEYED, Body::Form, params, false))
            .unwrap();
        assert_eq!(out.url.as_str(), "https://api.example.com/1.3/f");
        assert_eq!(out.body.unwrap(), b"apikey=KEY&client_id=1");
        assert!(out.secrets.contains(&"KEY".to_owned()));
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
        assert!(out.secrets.contains(&"pw".to_owned()));
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
    }
}
