//! Calls of functions by name, with the options of a generated call and
//! the reply as received: for tools that call what a person types (the
//! `whm` command), where no request type exists.

use std::borrow::Cow;

use crate::client::Client;
use crate::client::call::{CallOptions, Paging};
use crate::error::Error;
use crate::operation::Operation;
use crate::reply::Reply;
use crate::reply::text_of;
use crate::request::CallParts;
use crate::request::params::Params;
use crate::scrub::Scrubber;
use crate::wire::ApiSpec;
use crate::wire::Envelope;

/// The function a raw call calls: one its spec describes, sent and read
/// as the description says (its path, method, envelope and list), or one
/// named by the caller alone, which the spec may not know.
#[derive(Debug, Clone)]
pub enum RawFunction {
    /// A function the spec describes.
    Described(&'static Operation),
    /// A function by name alone: sent to `/{name}`, its replies read with
    /// the API's envelope.
    Named(String),
}

impl RawFunction {
    /// The function's wire name.
    pub fn name(&self) -> &str {
        match self {
            RawFunction::Described(op) => op.name,
            RawFunction::Named(name) => name,
        }
    }

    /// The function named `name`: described by its entry of `catalog`
    /// (a generated crate's `CATALOG`) when it has one, else by name alone.
    pub fn from_catalog(catalog: &[&'static Operation], name: &str) -> Self {
        match catalog.iter().find(|op| op.name == name) {
            Some(op) => RawFunction::Described(op),
            None => RawFunction::Named(name.to_owned()),
        }
    }

    /// Its description, when the spec has one.
    pub fn described(&self) -> Option<&'static Operation> {
        match self {
            RawFunction::Described(op) => Some(op),
            RawFunction::Named(_) => None,
        }
    }
}

impl From<&'static Operation> for RawFunction {
    fn from(operation: &'static Operation) -> Self {
        RawFunction::Described(operation)
    }
}

impl From<&str> for RawFunction {
    fn from(name: &str) -> Self {
        RawFunction::Named(name.to_owned())
    }
}

impl From<String> for RawFunction {
    fn from(name: String) -> Self {
        RawFunction::Named(name)
    }
}

/// A call of a function by name. [`RawCall::receive`] sends it.
#[must_use = "a call does nothing until it is received"]
pub struct RawCall<'c> {
    client: &'c Client,
    api: &'static ApiSpec,
    function: RawFunction,
    params: Params,
    options: CallOptions,
}

impl std::fmt::Debug for RawCall<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The parameters can hold secrets.
        f.debug_struct("RawCall")
            .field("api", &self.api.name)
            .field("function", &self.function.name())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A call of `function` of `api` with `params` as given: a function
    /// its spec describes (an [`Operation`]), sent and read as the
    /// description says, or one named alone. The function and its
    /// parameters are checked only as [`Client::call_raw`] checks them (a
    /// function name, no fixed parameter set).
    pub fn raw_call(
        &self,
        api: &'static ApiSpec,
        function: impl Into<RawFunction>,
        params: Params,
    ) -> RawCall<'_> {
        RawCall {
            client: self,
            api,
            function: function.into(),
            params,
            options: CallOptions::default(),
        }
    }
}

impl RawCall<'_> {
    crate::client::call::call_options!();

    /// What the call sends.
    fn parts(&self) -> CallParts<'_> {
        self.parts_with(&self.options)
    }

    /// What the call sends with `options`.
    fn parts_with(&self, options: &CallOptions) -> CallParts<'_> {
        let mut parts = CallParts::raw(
            self.api,
            self.function.name(),
            self.function.described(),
            self.params.clone(),
        );
        parts.prefer_get = options.prefer_get;
        parts.controls = options.controls.clone();
        for (name, value) in options.extra.pairs() {
            parts.params.push_raw(name.clone(), value.clone());
        }
        parts
    }

    /// The request this call would send, every secret as `***`, without
    /// sending anything (a dry run); the same errors as sending it for a
    /// call that cannot be sent.
    pub fn preview(&self) -> Result<crate::request::preview::Preview, Error> {
        self.client.preview(self.parts())
    }

    /// Sends the call; the reply as received (a reply that reports a
    /// failure is still a reply: [`RawReply::reply`] reads it).
    pub async fn receive(self) -> Result<RawReply, Error> {
        let exchange = self
            .client
            .exchange(self.parts(), self.options.timeout)
            .await?
            .kept();
        Ok(RawReply::new(
            self.api,
            self.function.described(),
            exchange.operation,
            (exchange.status, exchange.body),
            exchange.scrubber,
        ))
    }
}

impl<'c> RawCall<'c> {
    /// Every page of a list, `size` records a page, each fetched when
    /// [`RawPages::next`] reaches it, with this call's filters and sorts.
    pub fn pages(self, size: u64) -> RawPages<'c> {
        RawPages {
            call: self,
            paging: Paging::new(size),
        }
    }
}

/// The pages of a [`RawCall`], each reply as received.
#[must_use = "pages are fetched as they are read"]
pub struct RawPages<'c> {
    call: RawCall<'c>,
    paging: Paging,
}

impl std::fmt::Debug for RawPages<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawPages")
            .field("call", &self.call)
            .field("paging", &self.paging)
            .finish()
    }
}

impl RawPages<'_> {
    /// Whether the last page was read.
    pub fn finished(&self) -> bool {
        self.paging.finished()
    }

    /// The next page's reply, or `None` after the last. A reply that
    /// reports a failure is the last; a page other than the one asked
    /// for ends the listing with [`Error::Pages`].
    pub async fn next(&mut self) -> Option<Result<RawReply, Error>> {
        let options = self.paging.next_options(&self.call.options)?;
        let exchange = self
            .call
            .client
            .exchange(self.call.parts_with(&options), options.timeout)
            .await;
        let exchange = match exchange {
            Ok(exchange) => exchange.kept(),
            Err(e) => {
                self.paging.finish();
                return Some(Err(e));
            }
        };
        let reply = RawReply::new(
            self.call.api,
            self.call.function.described(),
            exchange.operation,
            (exchange.status, exchange.body),
            exchange.scrubber,
        );
        match reply.data_as::<serde::de::IgnoredAny>() {
            Ok(read) => {
                let chunk = read.output.as_ref().and_then(|o| o.chunk.as_ref());
                if let Err(e) = self.paging.advance_by(self.call.function.name(), chunk) {
                    return Some(Err(e));
                }
            }
            Err(_) => self.paging.finish(),
        }
        Some(Ok(reply))
    }
}

/// A reply to a [`RawCall`], as received: the body exactly as it came,
/// read as often as needed without being copied.
pub struct RawReply {
    api: &'static ApiSpec,
    /// How its replies are wrapped (see [`ApiSpec::envelope_for`]).
    envelope: &'static Envelope,
    /// Where its records are in the payload, if it lists.
    list: Option<&'static str>,
    operation: String,
    status: u16,
    body: bytes::Bytes,
    /// The body as text when it is not UTF-8 (each bad sequence replaced).
    lossy: Option<String>,
    scrubber: Scrubber,
}

impl std::fmt::Debug for RawReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawReply")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("bytes", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl RawReply {
    fn new(
        api: &'static ApiSpec,
        described: Option<&'static Operation>,
        operation: String,
        (status, body): (u16, bytes::Bytes),
        scrubber: Scrubber,
    ) -> Self {
        let lossy = match text_of(&body) {
            Cow::Owned(text) => Some(text),
            Cow::Borrowed(_) => None,
        };
        RawReply {
            api,
            envelope: api.envelope_for(described.and_then(|o| o.envelope)),
            list: described.and_then(|o| o.list),
            operation,
            status,
            body,
            lossy,
            scrubber,
        }
    }

    /// A reply to `function` of `api` that came by other means than a
    /// call (saved, recorded): read with the checks and errors of a live
    /// call's reply (and, for a function the spec describes, as its
    /// description says).
    pub fn from_saved(
        api: &'static ApiSpec,
        function: impl Into<RawFunction>,
        status: u16,
        body: impl Into<Vec<u8>>,
    ) -> Self {
        let function = function.into();
        RawReply::new(
            api,
            function.described(),
            function.name().to_owned(),
            (status, bytes::Bytes::from(body.into())),
            Scrubber::default(),
        )
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.text())
    }

    /// The body exactly as it came.
    pub fn bytes(&self) -> &[u8] {
        &self.body
    }

    fn text(&self) -> &str {
        match &self.lossy {
            Some(text) => text,
            // `new` kept a text when the body is not UTF-8.
            None => std::str::from_utf8(&self.body).unwrap_or_default(),
        }
    }

    /// The reply read as a client reads it: the envelope checked (a
    /// failure is [`Error::Api`], a login page [`Error::NotJson`], ...),
    /// the payload as JSON.
    pub fn reply(&self) -> Result<Reply<serde_json::Value>, Error> {
        self.data_as::<crate::decode::Lenient<serde_json::Value>>()
            .map(|reply| reply.map_data(|crate::decode::Lenient(data)| data))
    }

    /// The reply read with the same checks, its payload decoded as `T`,
    /// which may borrow from this reply (`&serde_json::value::RawValue`
    /// reads nothing of the payload but where it is).
    pub fn data_as<'a, T: serde::Deserialize<'a>>(&'a self) -> Result<Reply<T>, Error> {
        crate::reply::read_text(
            self.api,
            self.envelope,
            (&self.operation, self.list),
            self.status,
            (self.text(), &self.body),
            (&self.scrubber, None),
        )
    }

    /// `text` with every form of the call's secrets (credentials, secret
    /// parameters) replaced by `***`: for showing what a server sent,
    /// which may echo them.
    pub fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.scrubber.clean(text)
    }

    /// [`RawReply::redact`] for bytes (a body that may not be UTF-8).
    pub fn redact_bytes<'t>(&self, bytes: &'t [u8]) -> Cow<'t, [u8]> {
        self.scrubber.clean_bytes(bytes)
    }
}
