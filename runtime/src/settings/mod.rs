//! Client configuration, and turning a call into an HTTP request.
//!
//! Shared by the async and the blocking client: only sending differs.

pub(crate) mod tls;

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use crate::error::Error;
use crate::values::secret::Secret;

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

/// What each call would otherwise work out again from a client's settings
/// (parsing the server's URL up to three times, copying the credentials):
/// the client's scrubber, and the root URL of the API it calls. A client
/// keeps one beside its settings; each part is made when first needed.
#[derive(Default)]
pub(crate) struct Derived {
    pub(crate) scrubber: std::sync::OnceLock<crate::scrub::Scrubber>,
    pub(crate) root: std::sync::OnceLock<ApiRoot>,
}

/// The root URL of one API at the server, and what it was worked out from
/// besides the settings (the API's base path and default server): a client
/// that calls another API works that one's out each time.
pub(crate) struct ApiRoot {
    pub(crate) base_path: String,
    pub(crate) default_base_url: Option<String>,
    /// The URL, or why the server's URL is not one.
    pub(crate) url: Result<url::Url, String>,
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
    pub(crate) settings: Settings,
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

    /// Trusts the CA certificates in `pem` besides the system's roots, and
    /// each of them as the server's own certificate when the server
    /// presents exactly it (a self-signed certificate, even one marked as
    /// a CA, as fresh cPanel servers have). An error when `pem` holds no
    /// certificate.
    pub fn add_root_certificate(mut self, pem: impl AsRef<[u8]>) -> Result<Self, Error> {
        let pem = pem.as_ref();
        crate::settings::tls::certificates(pem)?;
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

/// Builds a reqwest client (async or blocking: their builders share these
/// methods but not a type) from settings.
macro_rules! http_client {
    ($builder:expr, $settings:expr) => {{
        let settings: &$crate::settings::Settings = $settings;
        let mut builder = $builder
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(settings.connect_timeout)
            .user_agent(settings.user_agent.clone())
            .danger_accept_invalid_certs(settings.accept_invalid_certs);
        // The server's own certificates: roots, and pinned as themselves
        // (see tls.rs).
        if !settings.root_certificates.is_empty() && !settings.accept_invalid_certs {
            builder = builder.tls_backend_preconfigured($crate::settings::tls::config(
                &settings.root_certificates,
            )?);
        }
        builder.build().map_err(|e| {
            $crate::error::Error::Config(format!(
                "cannot build the HTTP client: {}",
                $crate::settings::describe(&e)
            ))
        })?
    }};
}
pub(crate) use http_client;

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

    fn settings(url: &str, credentials: Credentials) -> Settings {
        let mut s = ClientBuilder::<crate::client::Client>::new(url).settings;
        s.credentials = credentials;
        s
    }

    fn token() -> Credentials {
        Credentials::Token {
            user: "root".into(),
            token: Secret::new("TOKEN"),
        }
    }

    #[test]
    fn what_a_header_cannot_carry_is_refused_when_the_client_is_built() {
        for (user, token) in [("ro\not", "T"), ("root", "TO\r\nKEN"), ("root", "T\0")] {
            let e = ClientBuilder::<crate::client::Client>::new("https://x")
                .api_token(user, token)
                .build()
                .unwrap_err();
            assert!(matches!(e, Error::Config(_)), "{e:?}");
            assert!(!e.to_string().contains("KEN"), "{e}");
        }
        let e = ClientBuilder::<crate::client::Client>::new("https://x")
            .basic_auth("a:b", "pw")
            .build()
            .unwrap_err();
        assert!(matches!(e, Error::Config(_)));
        let ok =
            ClientBuilder::<crate::client::Client>::new("https://x").basic_auth("root", "p\nw");
        assert!(ok.build().is_ok(), "base64 carries any password");
    }

    #[test]
    fn debug_output_hides_credentials() {
        let shown = format!("{:?}", settings("https://x", token()));
        assert!(!shown.contains("TOKEN"), "{shown}");
        let shown = format!(
            "{:?}",
            ClientBuilder::<crate::client::Client>::new("https://x").basic_auth("root", "PW")
        );
        assert!(!shown.contains("PW"), "{shown}");
        // A password in the URL is a password too.
        let client = ClientBuilder::<crate::client::Client>::new("https://root:URLPW@host:2087")
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("URLPW"), "{shown}");
        assert!(shown.contains("root:***@host"), "{shown}");
    }
}
