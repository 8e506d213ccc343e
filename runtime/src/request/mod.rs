//! A call made into an HTTP request: its URL, the credentials where the
//! API takes them, the parameters encoded as its body or query.

pub mod controls;
pub mod params;
pub(crate) mod path;
pub mod preview;

use url::Url;

use crate::error::Error;
use crate::request::params::{Params, Placed};
use crate::settings::{ApiRoot, Credentials, Derived, Settings};
use crate::values::secret::Secret;
use crate::wire::{ApiSpec, Auth, Body, Method, Text};

/// An HTTP request ready to send.
pub(crate) struct Outgoing {
    pub method: reqwest::Method,
    pub url: Url,
    /// Headers, credentials among them (hence secrets).
    pub headers: Headers,
    pub body: Option<Vec<u8>>,
    /// What never to show in errors.
    pub scrubber: crate::scrub::Scrubber,
}

/// A request's headers, by name; values are secrets (credentials are
/// among them).
type Headers = Vec<(Text, Secret)>;

/// The query parameter an API key goes in, and the key.
type KeyParam<'s> = (&'s str, &'s Secret);

/// What a call sends.
pub(crate) struct CallParts<'a> {
    pub operation: &'a str,
    pub api: &'a ApiSpec,
    pub method: Method,
    pub path: std::borrow::Cow<'a, str>,
    pub body: Body,
    pub params: Params,
    /// The parameters that go in the path, headers and cookies.
    pub placed: Placed,
    pub json: Option<serde_json::Value>,
    /// A body of bytes, with its media type.
    pub raw_body: Option<(&'static str, Vec<u8>)>,
    pub prefer_get: bool,
    /// The operation's description, when the spec has one.
    pub described: Option<&'static crate::operation::Operation>,
    /// Filter, sort, columns and chunk.
    pub controls: crate::request::controls::OutputControls,
    /// Whether the operation and its parameters are the caller's own words
    /// (a raw call), to check.
    pub raw: bool,
    /// Parameters the caller added to a generated call, to check.
    pub added: Vec<String>,
    /// How the request type reads an error-status reply's body.
    pub failure: Option<crate::error::FailureReader>,
}

impl<'a> CallParts<'a> {
    /// A call of `function` with `params` as given: as its description
    /// says, when the spec has one, else by its name alone.
    pub fn raw(
        api: &'a ApiSpec,
        function: &'a str,
        described: Option<&'static crate::operation::Operation>,
        params: Params,
    ) -> Self {
        let (method, path, body) = match described {
            Some(op) => (op.method, std::borrow::Cow::Borrowed(op.path), op.body),
            None => (
                Method::Get,
                std::borrow::Cow::Owned(format!("/{function}")),
                Body::None,
            ),
        };
        // A described function's path parameters go in its path, by name.
        let mut params = params;
        let mut placed = Placed::default();
        if described.is_some() {
            for name in path::names(&path) {
                if let Some(value) = params.take(name) {
                    placed.path.push_raw(name, value);
                }
            }
        }
        CallParts {
            operation: function,
            api,
            method,
            path,
            body,
            params,
            placed,
            json: None,
            raw_body: None,
            prefer_get: false,
            described,
            controls: Default::default(),
            raw: true,
            added: Vec::new(),
            failure: None,
        }
    }

    /// The envelope replies to this call come in.
    pub fn reply_envelope(&self) -> &'a crate::wire::Envelope {
        self.api
            .envelope_for(self.described.and_then(|o| o.envelope))
    }

    /// Where the operation's records are in its payload, if it lists.
    pub fn list(&self) -> Option<&'static str> {
        self.described.and_then(|o| o.list)
    }
}

impl Settings {
    /// The API's root URL for these settings, worked out once per client
    /// (`derived`) for the API it calls.
    fn api_root(&self, api: &ApiSpec, derived: &Derived) -> Result<Url, Error> {
        let root = derived.root.get_or_init(|| ApiRoot {
            base_path: api.base_path.to_string(),
            default_base_url: api.default_base_url.as_ref().map(ToString::to_string),
            url: self.work_out_root(api),
        });
        let same = *root.base_path == *api.base_path
            && root.default_base_url.as_deref() == api.default_base_url.as_deref();
        let url = if same {
            root.url.clone()
        } else {
            self.work_out_root(api)
        };
        url.map_err(Error::Config)
    }

    fn work_out_root(&self, api: &ApiSpec) -> Result<Url, String> {
        let base = if self.base_url.is_empty() {
            api.default_base_url.as_deref().unwrap_or_default()
        } else {
            &self.base_url
        };
        let shown = || crate::scrub::url_for_display(base);
        let mut url =
            Url::parse(base).map_err(|e| format!("invalid server URL `{}`: {e}", shown()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("the server URL `{}` is not http or https", shown()));
        }
        // A path of slashes alone (`https://host:2087//`) is no path.
        if url.path().trim_matches('/').is_empty() {
            url.set_path(&api.base_path);
        }
        Ok(url)
    }

    /// The request of `call`, everything worked out afresh.
    #[cfg(test)]
    pub(crate) fn outgoing(&self, call: CallParts<'_>) -> Result<Outgoing, Error> {
        self.outgoing_with(&Derived::default(), call)
    }

    /// The request of `call`, with what a client keeps from call to call.
    pub(crate) fn outgoing_with(
        &self,
        derived: &Derived,
        call: CallParts<'_>,
    ) -> Result<Outgoing, Error> {
        let media = call.reply_envelope().media;
        let CallParts {
            operation,
            api,
            method,
            path,
            body,
            mut params,
            placed,
            json,
            raw_body,
            prefer_get,
            controls,
            raw,
            added,
            ..
        } = call;
        let path = path::fill(&path, &placed.path)
            .map_err(|e| Error::Config(format!("{operation}: {e}")))?;
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
        let mut url = self.api_root(api, derived)?;
        // Built by hand: `format!` took a third of making a request.
        let (root, path) = (
            url.path().trim_end_matches('/'),
            path.trim_start_matches('/'),
        );
        let mut joined = String::with_capacity(root.len() + 1 + path.len());
        joined.push_str(root);
        joined.push('/');
        joined.push_str(path);
        url.set_path(&joined);

        let (mut headers, key_param) = self.credentials(api, operation, media)?;
        placed_headers(operation, &placed, &mut headers)?;

        // Fixed parameters first, then the call's in documented order; an
        // API key goes in front of everything.
        let fixed = api
            .fixed_params
            .iter()
            .filter(|(name, _)| !params.contains(name))
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        let client = derived.scrubber.get_or_init(|| self.scrubber());
        let scrubber = {
            let mut secrets = params
                .secret_values()
                .chain(placed.secret_values())
                .peekable();
            // Most calls have no secret of their own: the client's scrubber.
            match secrets.peek() {
                None => client.clone(),
                Some(_) => crate::scrub::Scrubber::new(secrets, []).with(client),
            }
        };
        params.prepend(fixed);
        if let Some((name, key)) = key_param {
            params.push_front(name, key.expose());
        }

        let how = (method, body, prefer_get);
        let (method, body) = encode(&mut url, &mut headers, api, how, params, (json, raw_body));
        Ok(Outgoing {
            method,
            url,
            headers,
            body,
            scrubber,
        })
    }

    /// The headers that carry the client's credentials (and `Accept`, for
    /// replies of `media`), or the query parameter an API key goes in,
    /// where `api` takes them.
    fn credentials<'s>(
        &'s self,
        api: &'s ApiSpec,
        operation: &str,
        media: crate::wire::Media,
    ) -> Result<(Headers, Option<KeyParam<'s>>), Error> {
        // An operation whose success is text or bytes takes what comes: a
        // server may refuse (406) to answer `application/json` with them.
        let accept = match media {
            crate::wire::Media::Json => "application/json",
            crate::wire::Media::Text | crate::wire::Media::Bytes => "*/*",
        };
        let mut headers = vec![(Text::from("Accept"), Secret::new(accept))];
        let mut key_param = None;
        match (&self.credentials, &*api.auth) {
            (Credentials::None, _) => {}
            (Credentials::Token { user, token }, auth) => match auth.iter().find_map(|a| match a {
                Auth::Token { scheme } => Some(scheme),
                _ => None,
            }) {
                Some(scheme) => {
                    let token = token.expose();
                    let mut value =
                        String::with_capacity(scheme.len() + user.len() + token.len() + 2);
                    for part in [scheme, " ", user, ":", token] {
                        value.push_str(part);
                    }
                    headers.push((Text::from("Authorization"), Secret::new(value)));
                }
                None => return Err(unsupported(api, operation, "an API token")),
            },
            (Credentials::Basic { user, password }, auth) => {
                if !auth.contains(&Auth::Basic) {
                    return Err(unsupported(api, operation, "a username and password"));
                }
                use base64::Engine as _;
                let pair = format!("{user}:{}", password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                let value = Secret::new(format!("Basic {encoded}"));
                headers.push((Text::from("Authorization"), value));
            }
            (Credentials::Bearer(token), auth) => {
                if !auth.contains(&Auth::Bearer) {
                    return Err(unsupported(api, operation, "a bearer token"));
                }
                let value = format!("Bearer {}", token.expose());
                headers.push((Text::from("Authorization"), Secret::new(value)));
            }
            (Credentials::Key(key), auth) => match auth.iter().find(|a| {
                matches!(
                    a,
                    Auth::KeyParam { .. } | Auth::KeyHeader { .. } | Auth::KeyCookie { .. }
                )
            }) {
                Some(Auth::KeyParam { name }) => key_param = Some((name.as_ref(), key)),
                Some(Auth::KeyHeader { name }) => headers.push((name.clone(), key.clone())),
                Some(Auth::KeyCookie { name }) => {
                    if key.expose().contains([';', ',', ' ', '"', '\\']) {
                        return Err(Error::Config(format!(
                            "{operation}: the API key goes in the `{name}` cookie, which cannot carry `;`, `,`, spaces, quotes or backslashes"
                        )));
                    }
                    let cookie = format!("{name}={}", key.expose());
                    headers.push((Text::from("Cookie"), Secret::new(cookie)));
                }
                _ => return Err(unsupported(api, operation, "an API key")),
            },
        }
        Ok((headers, key_param))
    }
}

/// The operation's header parameters as headers, and its cookie
/// parameters in the `Cookie` header (beside an API key's cookie). A value
/// a header cannot carry (a line break, a control character) is refused
/// rather than sent cut or mangled; cookie values are percent-encoded, so
/// that none can end its cookie or add another.
fn placed_headers(operation: &str, placed: &Placed, headers: &mut Headers) -> Result<(), Error> {
    for (name, value) in placed.header.pairs() {
        let fits = |b: u8| b == b'\t' || (b' '..=b'~').contains(&b) || b >= 0x80;
        if !value.bytes().all(fits) {
            return Err(Error::Config(format!(
                "{operation}: the `{name}` header cannot carry line breaks or control characters"
            )));
        }
        headers.push((Text::from(name.clone()), Secret::new(value.clone())));
    }
    if placed.cookie.pairs().is_empty() {
        return Ok(());
    }
    let mut cookies: Vec<String> = placed
        .cookie
        .pairs()
        .iter()
        .map(|(name, value)| {
            format!(
                "{name}={}",
                percent_encoding::utf8_percent_encode(value, path::SEGMENT)
            )
        })
        .collect();
    // An API key's cookie is in a `Cookie` header already: one header
    // holds them all.
    if let Some(i) = headers
        .iter()
        .position(|(n, _)| n.eq_ignore_ascii_case("cookie"))
    {
        let (_, key) = headers.remove(i);
        cookies.insert(0, key.expose().to_owned());
    }
    headers.push((Text::from("Cookie"), Secret::new(cookies.join("; "))));
    Ok(())
}

/// The call's parameters as its body (form or JSON, with its
/// `Content-Type`) or as the URL's query (beside a body of bytes, when
/// the request has one), and the HTTP method that goes with that.
fn encode(
    url: &mut Url,
    headers: &mut Headers,
    api: &ApiSpec,
    (method, body, prefer_get): (Method, Body, bool),
    params: Params,
    (json, raw_body): (Option<serde_json::Value>, Option<(&'static str, Vec<u8>)>),
) -> (reqwest::Method, Option<Vec<u8>>) {
    let http_method = |m: Method| match m {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
        Method::Head => reqwest::Method::HEAD,
        Method::Options => reqwest::Method::OPTIONS,
        Method::Trace => reqwest::Method::TRACE,
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
        Body::Raw => {
            url.set_query(non_empty(params.to_form()).as_deref());
            (http_method(method), raw_body)
        }
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
        headers.push((Text::from("Content-Type"), Secret::new(content_type)));
        bytes
    });
    (method, body)
}

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

#[cfg(test)]
mod tests;
