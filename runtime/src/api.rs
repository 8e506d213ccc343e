//! What a generated crate tells the runtime about its API and operations.
//!
//! Everything that differs between APIs (where replies keep their payload,
//! how success is signalled, fixed parameters, how credentials travel) is
//! data here, taken from the spec by the generator.

use serde::de::DeserializeOwned;

use crate::Params;

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
    /// A key sent as the first request parameter (`apikey=...`).
    KeyParam {
        /// The parameter's name.
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
}

/// A generated request type.
pub trait Request {
    /// What a successful call returns.
    type Data: DeserializeOwned;
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

/// API descriptions for the runtime's own tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{ApiSpec, Auth, Envelope};

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
        },
        fixed_params: &[("api.version", "1")],
        query_as_form: true,
        auth: &[Auth::Token { scheme: "whm" }, Auth::Basic],
    };
}
