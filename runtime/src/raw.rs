//! Calls of functions by name, with the options of a generated call and
//! the reply as received: for tools that call what a person types (the
//! `whm` command), where no request type exists.

use std::borrow::Cow;

use crate::call::CallOptions;
use crate::outgoing::CallParts;
use crate::reply::{Exchange, text_of};
use crate::scrub::Scrubber;
use crate::{ApiSpec, Client, Error, Params, Reply};

/// A call of a function by name. [`RawCall::receive`] sends it.
#[must_use = "a call does nothing until it is received"]
pub struct RawCall<'c> {
    client: &'c Client,
    api: &'static ApiSpec,
    function: String,
    params: Params,
    options: CallOptions,
}

impl std::fmt::Debug for RawCall<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The parameters can hold secrets.
        f.debug_struct("RawCall")
            .field("api", &self.api.name)
            .field("function", &self.function)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A call of `function` of `api` with `params` as given; the function
    /// and its parameters are checked only as [`Client::call_raw`] checks
    /// them (a function name, no fixed parameter set).
    pub fn raw_call(
        &self,
        api: &'static ApiSpec,
        function: impl Into<String>,
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
    crate::call::call_options!();

    /// Sends the call; the reply as received (a reply that reports a
    /// failure is still a reply: [`RawReply::reply`] reads it).
    pub async fn receive(self) -> Result<RawReply, Error> {
        let mut parts = CallParts::raw(self.api, &self.function, self.params);
        parts.prefer_get = self.options.prefer_get;
        parts.controls = self.options.controls;
        for (name, value) in self.options.extra.pairs() {
            parts.params.push_raw(name.clone(), value.clone());
        }
        let exchange = self.client.exchange(parts, self.options.timeout).await?;
        Ok(RawReply {
            api: self.api,
            operation: exchange.operation,
            status: exchange.status,
            body: exchange.body,
            scrubber: exchange.scrubber,
        })
    }
}

/// A reply to a [`RawCall`], as received.
pub struct RawReply {
    api: &'static ApiSpec,
    operation: String,
    status: u16,
    body: Vec<u8>,
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
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body(&self) -> Cow<'_, str> {
        text_of(&self.body)
    }

    /// The reply read as a client reads it: the envelope checked (a
    /// failure is [`Error::Api`], a login page [`Error::NotJson`], ...),
    /// the payload as JSON.
    pub fn reply(&self) -> Result<Reply<serde_json::Value>, Error> {
        Exchange {
            api: self.api,
            envelope: &self.api.envelope,
            operation: self.operation.clone(),
            status: self.status,
            body: self.body.clone(),
            scrubber: self.scrubber.clone(),
        }
        .interpret()
    }
}
