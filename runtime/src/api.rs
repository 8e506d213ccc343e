//! What a generated crate tells the runtime about its API and operations.
//!
//! Everything that differs between APIs (where replies keep their payload,
//! how success is signalled, fixed parameters, how credentials travel) is
//! data here, taken from the spec by the generator.

use serde::de::{Deserialize, DeserializeOwned};

use crate::Params;
use crate::decode::Element;

/// An API as its spec describes it.
#[derive(Debug)]
pub struct ApiSpec {
    /// The API's name, for messages.
    pub name: &'static str,
    /// The path under the server's root where operations live (`/json-api`).
    pub base_path: &'static str,
    /// The server's URL when the spec fixes it (`https://api.sitehost.nz/1.3`).
    pub default_base_url: Option<&'static str>,
    /// How replies are wrapped.
    pub envelope: Envelope,
    /// Parameters sent with every call (`api.version=1`).
    pub fixed_params: &'static [(&'static str, &'static str)],
    /// Whether query parameters may travel as a form-encoded `POST` body.
    pub query_as_form: bool,
    /// The ways to authenticate, in order of preference.
    pub auth: &'static [Auth],
    /// Where replies report what output controls did (`/metadata`), when
    /// the API has them (filter, sort, columns, chunks).
    pub output_controls: Option<&'static str>,
    /// How several calls go in one request, when the API can.
    pub batch: Option<&'static BatchSpec>,
}

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

/// One operation.
#[derive(Debug)]
pub struct OperationSpec {
    /// The operation's name (the WHM function).
    pub name: &'static str,
    /// The documented HTTP method.
    pub method: Method,
    /// The path under the API's base path (`/listaccts`).
    pub path: &'static str,
    /// How parameters travel.
    pub body: Body,
    /// How this operation's replies are wrapped, when not as the API's are.
    pub envelope: Option<&'static Envelope>,
    /// Where in the payload a list function keeps its records (`/acct`).
    pub list: Option<&'static str>,
}

/// A generated request type.
pub trait Request {
    /// What a successful call returns: decoded leniently at every depth
    /// (its [`Element`] decoder), or as its `Deserialize` says by
    /// [`Received::data_as`](crate::Received::data_as).
    type Data: DeserializeOwned + for<'de> Element<'de>;
    /// The API the operation belongs to.
    const API: &'static ApiSpec;
    /// The operation.
    const OPERATION: &'static OperationSpec;
    /// The request's parameters, in documented order.
    fn params(&self, params: &mut Params);
    /// The JSON body, for operations that take one.
    fn json_body(&self) -> Option<serde_json::Value> {
        None
    }
}

/// A generated request whose payload can be read with its text borrowed
/// from the reply (see [`Received`](crate::Received)).
pub trait BorrowData: Request {
    /// [`Request::Data`] with `Cow<'a, str>` for its text: strings without
    /// escapes point into the reply's body instead of being copied.
    type DataRef<'a>: Deserialize<'a> + Element<'a>;
}

/// A request with a parameter taken from a client view rather than from
/// the request itself (the user of `client.as_user("bob")`).
#[derive(Debug, Clone)]
pub struct Bound<R> {
    request: R,
    name: &'static str,
    value: String,
}

impl<R> Bound<R> {
    /// `request`, sent with `name=value` first.
    pub fn new(request: R, name: &'static str, value: impl Into<String>) -> Self {
        Bound {
            request,
            name,
            value: value.into(),
        }
    }
}

impl<R: Request> Request for Bound<R> {
    type Data = R::Data;
    const API: &'static ApiSpec = R::API;
    const OPERATION: &'static OperationSpec = R::OPERATION;

    fn params(&self, params: &mut Params) {
        params.push_raw(self.name, self.value.clone());
        self.request.params(params);
    }

    fn json_body(&self) -> Option<serde_json::Value> {
        self.request.json_body()
    }
}

impl<R: BorrowData> BorrowData for Bound<R> {
    type DataRef<'a> = R::DataRef<'a>;
}

/// API descriptions for the runtime's own tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{ApiSpec, Auth, Envelope};

    /// No envelope: the whole reply is the payload.
    pub const NO_ENVELOPE: Envelope = Envelope {
        payload: &[],
        success: &[],
        message: &[],
        warnings: &[],
        messages: &[],
        operation: &[],
        errors: &[],
        failures: &[],
        inner: None,
        legacy: None,
    };

    /// WHM API 1 as its spec declares it.
    pub static WHM: ApiSpec = ApiSpec {
        name: "WHM API 1",
        base_path: "/json-api",
        default_base_url: None,
        envelope: Envelope {
            payload: &["/data"],
            success: &["/metadata/result"],
            message: &["/metadata/reason"],
            warnings: &["/metadata/output/warnings"],
            messages: &["/metadata/output/messages"],
            operation: &["/metadata/command"],
            errors: &["/metadata/errors"],
            failures: &[],
            inner: None,
            legacy: Some(&WHM_API_0),
        },
        fixed_params: &[("api.version", "1")],
        query_as_form: true,
        auth: &[Auth::Token { scheme: "whm" }, Auth::Basic],
        output_controls: Some("/metadata"),
        batch: None,
    };

    /// WHM API 0, as WHM API 1's spec declares it.
    pub static WHM_API_0: Envelope = Envelope {
        payload: &["/result/0", ""],
        success: &["/status", "/result/0/status"],
        message: &["/statusmsg", "/result/0/statusmsg"],
        warnings: &[],
        messages: &[],
        operation: &[],
        errors: &[],
        failures: &[],
        inner: None,
        legacy: None,
    };
}
