//! The wire model: how an API's requests travel and its replies are
//! wrapped (methods, bodies, credentials, envelopes, batches).
//!
//! Plain data the generator fills in from the spec's extensions; the
//! runtime reads it and knows nothing about any one API beyond it.

/// How an API runs several calls in one request (WHM's `batch`).
#[derive(Debug)]
pub struct BatchSpec {
    /// The operation that runs them (`batch`).
    pub operation: &'static str,
    /// The parameter each call goes in, as `function?args` (`command`).
    pub command: &'static str,
    /// The parameter that stops at the first failure (`abort_on_error`).
    pub abort_on_error: &'static str,
    /// Where in the batch's payload the replies are, in order (`/result`).
    pub results: &'static str,
}

/// A way of presenting credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: <scheme> USER:TOKEN` (WHM: scheme `whm`).
    Token {
        /// The authorization scheme.
        scheme: &'static str,
    },
    /// HTTP Basic authentication.
    Basic,
    /// `Authorization: Bearer TOKEN`.
    Bearer,
    /// A key sent as the first request parameter (`apikey=...`).
    KeyParam {
        /// The parameter's name.
        name: &'static str,
    },
    /// A key sent in a header of its own (`X-API-Key: ...`).
    KeyHeader {
        /// The header's name.
        name: &'static str,
    },
    /// A key sent as a cookie (`Cookie: session=...`).
    KeyCookie {
        /// The cookie's name.
        name: &'static str,
    },
}

/// Where a reply keeps its parts, as lists of JSON pointers (the first that
/// is present counts).
#[derive(Debug)]
pub struct Envelope {
    /// The payload (`/data`). Empty: the whole reply is the payload.
    pub payload: &'static [&'static str],
    /// The success flag (`/metadata/result`). Empty: HTTP success is enough.
    pub success: &'static [&'static str],
    /// The failure reason (`/metadata/reason`).
    pub message: &'static [&'static str],
    /// Warnings that can come with success.
    pub warnings: &'static [&'static str],
    /// Informational messages.
    pub messages: &'static [&'static str],
    /// The operation's name as the reply repeats it (`/metadata/command`).
    pub operation: &'static [&'static str],
    /// Further causes of a failure, a list or one text (WHM's
    /// `/metadata/errors`), carried by [`Error::Api`](crate::Error::Api).
    pub errors: &'static [&'static str],
    /// Signs of failure beside the success flag, read when the flag says
    /// success (cPanel API 2's `error`, a row's `result: 0`).
    pub failures: &'static [FailureSign],
    /// An envelope inside the payload, checked after this one: a proxied
    /// API's reply inside the proxy's (UAPI's result inside WHM's `data`).
    pub inner: Option<&'static Envelope>,
    /// An older shape of the API's replies, read when a reply has none of
    /// this envelope's success flags (WHM API 0's `status` and
    /// `statusmsg`, which a server answers when `api.version=1` is lost on
    /// the way). A reply is in it when its success flag and its reason are
    /// both present, or when its payload holds the operation's records.
    pub legacy: Option<&'static Envelope>,
}

/// A sign of failure in a reply whose success flag says success.
///
/// In its pointers `*` stands for each element of a list (or member of an
/// object): `/cpanelresult/data/*/result` is every row's `result`, and the
/// `*` of the reason is the row whose flag failed.
#[derive(Debug)]
pub struct FailureSign {
    /// A flag that says failure when false (`0`, `"0"`, `false`); `None`:
    /// a non-empty text at [`reason`](Self::reason) says it alone.
    pub flag: Option<&'static str>,
    /// The failure's reason.
    pub reason: &'static str,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

/// How an operation's parameters travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// In the query string (or, where the API allows, a form body).
    None,
    /// A form-encoded body.
    Form,
    /// A JSON body.
    Json,
}
