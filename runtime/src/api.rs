//! What a generated crate's request types tell the runtime: the API and
//! operation each belongs to (the API's wire description is
//! [`ApiSpec`](crate::ApiSpec), from the shared wire model), its
//! parameters, its JSON body and its payload type.

use serde::de::{Deserialize, DeserializeOwned};

use crate::decode::Element;
use crate::operation::Operation;
use crate::request::params::{Params, Placed};
use crate::wire::ApiSpec;

/// A generated request type.
pub trait Request {
    /// What a successful call returns: decoded leniently at every depth
    /// (its [`Element`] decoder), or as its `Deserialize` says by
    /// [`Received::data_as`](crate::Received::data_as).
    type Data: DeserializeOwned + for<'de> Element<'de>;
    /// [`Data`](Self::Data) with `Cow<'a, str>` for its text, to read the
    /// payload with its text borrowed from the reply (see
    /// [`Received`](crate::Received)): strings without escapes point into
    /// the reply's body instead of being copied.
    type DataRef<'a>: Deserialize<'a> + Element<'a>;
    /// The API the operation belongs to.
    const API: &'static ApiSpec;
    /// The operation's description.
    const OPERATION: &'static Operation;
    /// The request's parameters, in documented order.
    fn params(&self, params: &mut Params);
    /// Its parameters that go in the path (`{petId}` of `/pets/{petId}`),
    /// in headers and in cookies, by name.
    fn placed_params(&self, placed: &mut Placed) {
        let _ = placed;
    }
    /// The JSON body, for operations that take one.
    fn json_body(&self) -> Option<serde_json::Value> {
        None
    }
    /// The body as bytes, with its media type, for operations whose body
    /// is neither JSON nor a form (an upload, text).
    fn raw_body(&self) -> Option<(&'static str, Vec<u8>)> {
        None
    }
    /// The body of a reply with error status `status`, decoded as the
    /// type the spec gives for that status (an API's error object), for
    /// [`Error::failure`](crate::Error::failure); `None` where it gives
    /// none.
    fn failure(status: u16, body: &str) -> Option<crate::FailureBody> {
        let _ = (status, body);
        None
    }
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
    type DataRef<'a> = R::DataRef<'a>;
    const API: &'static ApiSpec = R::API;
    const OPERATION: &'static Operation = R::OPERATION;

    fn params(&self, params: &mut Params) {
        params.push_raw(self.name, self.value.clone());
        self.request.params(params);
    }

    fn placed_params(&self, placed: &mut Placed) {
        self.request.placed_params(placed);
    }

    fn json_body(&self) -> Option<serde_json::Value> {
        self.request.json_body()
    }

    fn raw_body(&self) -> Option<(&'static str, Vec<u8>)> {
        self.request.raw_body()
    }

    fn failure(status: u16, body: &str) -> Option<crate::FailureBody> {
        R::failure(status, body)
    }
}

/// What a request sends of its own, before a call adds its options: what
/// a call sends, and what a request's `Debug` and `PartialEq` look at.
#[derive(PartialEq)]
pub(crate) struct Sent {
    pub params: Params,
    /// The parameters in the path, headers and cookies.
    pub placed: Placed,
    pub json: Option<serde_json::Value>,
    /// A body of bytes, with its media type.
    pub raw: Option<(&'static str, Vec<u8>)>,
}

impl Sent {
    pub fn of<R: Request>(request: &R) -> Sent {
        let mut params = Params::new();
        request.params(&mut params);
        // A secret in the JSON body is masked wherever the call is shown.
        let json = params.noting(|| request.json_body());
        let mut placed = Placed::default();
        request.placed_params(&mut placed);
        Sent {
            params,
            placed,
            json,
            raw: request.raw_body(),
        }
    }
}

/// API descriptions for the runtime's own tests.
#[cfg(test)]
pub(crate) mod test_support {
    use std::borrow::Cow::Borrowed;

    use crate::operation::{Details, Operation};
    use crate::wire::{ApiSpec, Auth, Body, Envelope, Held, Method, Refusal};

    /// An operation of the API's own envelope, without details.
    pub const fn operation(
        name: &'static str,
        method: Method,
        path: &'static str,
        body: Body,
    ) -> Operation {
        Operation {
            name,
            method,
            path,
            body,
            envelope: None,
            list: None,
            details: &Details::NONE,
        }
    }

    /// A `'static` list of texts, as a generated crate writes one.
    macro_rules! texts {
        ($($text:literal),* $(,)?) => {
            ::std::borrow::Cow::Borrowed(&[$(::std::borrow::Cow::Borrowed($text)),*])
        };
    }
    pub(crate) use texts;

    /// No envelope: the whole reply is the payload.
    pub const NO_ENVELOPE: Envelope = Envelope {
        payload: Borrowed(&[]),
        success: Borrowed(&[]),
        message: Borrowed(&[]),
        warnings: Borrowed(&[]),
        messages: Borrowed(&[]),
        operation: Borrowed(&[]),
        errors: Borrowed(&[]),
        failures: Borrowed(&[]),
        inner: None,
        legacy: None,
        media: crate::wire::Media::Json,
    };

    /// No refusal rules but those every API has.
    pub const NO_REFUSAL: Refusal = Refusal {
        reason: Borrowed(&[]),
        rejection: Borrowed(&[]),
        denied: Borrowed(&[]),
        login_page: Borrowed(&[]),
    };

    /// WHM API 1 as its spec declares it.
    pub static WHM: ApiSpec = ApiSpec {
        name: Borrowed("WHM API 1"),
        base_path: Borrowed("/json-api"),
        default_base_url: None,
        envelope: Envelope {
            payload: texts!["/data"],
            success: texts!["/metadata/result"],
            message: texts!["/metadata/reason"],
            warnings: texts!["/metadata/output/warnings"],
            messages: texts!["/metadata/output/messages"],
            operation: texts!["/metadata/command"],
            errors: texts!["/metadata/errors"],
            legacy: Some(Held::Static(&WHM_API_0)),
            ..NO_ENVELOPE
        },
        refusal: Refusal {
            reason: texts![
                "/cpanelresult/data/reason",
                "/cpanelresult/error",
                "/metadata/reason",
                "/error",
                "/reason",
            ],
            rejection: texts!["/cpanelresult/error", "/cpanelresult/data/reason"],
            denied: texts!["access denied"],
            login_page: texts!["tfa_login_form"],
        },
        fixed_params: Borrowed(&[(Borrowed("api.version"), Borrowed("1"))]),
        query_as_form: true,
        auth: Borrowed(&[
            Auth::Token {
                scheme: Borrowed("whm"),
            },
            Auth::Basic,
        ]),
        output_controls: Some(Borrowed("/metadata")),
        batch: None,
    };

    /// WHM API 0, as WHM API 1's spec declares it.
    pub static WHM_API_0: Envelope = Envelope {
        payload: texts!["/result/0", ""],
        success: texts!["/status", "/result/0/status"],
        message: texts!["/statusmsg", "/result/0/statusmsg"],
        ..NO_ENVELOPE
    };
}
