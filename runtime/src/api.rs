//! What a generated crate tells the runtime about its API and operations.
//!
//! Everything that differs between APIs (where replies keep their payload,
//! how success is signalled, fixed parameters, how credentials travel) is
//! data here, taken from the spec by the generator.

use serde::de::{Deserialize, DeserializeOwned};

use crate::Params;
use crate::decode::Element;
use crate::operation::Operation;
use crate::wire::{Auth, BatchSpec, Envelope};

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

impl ApiSpec {
    /// How replies to `operation` are wrapped: its own envelope when its
    /// spec gives it one, else the API's. The one place the choice is
    /// made: typed calls, raw calls, batches and the fake server all ask
    /// here, so that a call reads the same reply the same way however it
    /// was made. `None`: a function the spec does not describe.
    pub fn envelope_for(&self, operation: Option<&Operation>) -> &Envelope {
        operation.and_then(|o| o.envelope).unwrap_or(&self.envelope)
    }
}

/// A generated request type.
pub trait Request {
    /// What a successful call returns: decoded leniently at every depth
    /// (its [`Element`] decoder), or as its `Deserialize` says by
    /// [`Received::data_as`](crate::Received::data_as).
    type Data: DeserializeOwned + for<'de> Element<'de>;
    /// The API the operation belongs to.
    const API: &'static ApiSpec;
    /// The operation's description.
    const OPERATION: &'static Operation;
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
    const OPERATION: &'static Operation = R::OPERATION;

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
