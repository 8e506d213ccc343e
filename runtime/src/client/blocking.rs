//! The blocking client: the async client's surface, for code without an
//! async runtime. Do not use it inside one.
//!
//! It is the async client on a runtime of its own, which each call drives
//! until the call is done: the same requests, replies, errors and
//! timeouts, from the same code.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::api::Request;
use crate::client::call::CallOptions;
use crate::error::Error;
use crate::reply::{Exchange, Reply};
use crate::request::CallParts;
use crate::request::params::Params;
use crate::settings::{ClientBuilder, FromSettings, Settings};
use crate::wire::ApiSpec;

/// A blocking client for one server. Cheap to clone; clones share
/// connections.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    client: crate::client::Client,
    runtime: tokio::runtime::Runtime,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings = self.inner.client.settings();
        f.debug_struct("blocking::Client")
            .field(
                "base_url",
                &crate::scrub::url_for_display(&settings.base_url),
            )
            .field("credentials", &settings.credentials)
            .finish_non_exhaustive()
    }
}

impl FromSettings for Client {
    fn from_settings(settings: Settings) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                Error::Config(format!("cannot start the blocking client's runtime: {e}"))
            })?;
        // The client's connections and timers belong to that runtime.
        let client = {
            let _entered = runtime.enter();
            crate::client::Client::from_settings(settings)?
        };
        Ok(Client {
            inner: Arc::new(Inner { client, runtime }),
        })
    }
}

impl Client {
    /// A builder for a blocking client of the server at `base_url`.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder<Client> {
        ClientBuilder::new(base_url)
    }

    /// A call of a generated request; [`Call::send`] it.
    pub fn call<R: Request>(&self, request: R) -> Call<'_, R> {
        Call {
            client: self,
            request,
            options: CallOptions::default(),
        }
    }

    /// Calls `function` of `api` with `params` as given:
    /// [`crate::client::Client::call_raw`], waited for.
    pub fn call_raw(
        &self,
        api: &'static ApiSpec,
        function: impl Into<crate::client::raw::RawFunction>,
        params: Params,
    ) -> Result<Reply<serde_json::Value>, Error> {
        let call = self.inner.client.call_raw(api, function, params);
        self.inner.runtime.block_on(call)
    }

    pub(crate) fn execute<T: for<'de> crate::decode::Element<'de>>(
        &self,
        parts: CallParts<'_>,
        timeout: Option<Duration>,
    ) -> Result<Reply<T>, Error> {
        self.exchange(parts, timeout)?.interpret()
    }

    /// Runs the calls of `batch` in one request; each has its own result.
    pub fn run_batch(
        &self,
        batch: crate::client::batch::Batch,
    ) -> Result<crate::client::batch::BatchReplies, Error> {
        let exchange = self.exchange(batch.parts(), None)?;
        batch.replies(exchange)
    }

    /// Sends a call and waits for the reply as received.
    pub(crate) fn exchange<'a>(
        &self,
        parts: CallParts<'a>,
        timeout: Option<Duration>,
    ) -> Result<Exchange<'a>, Error> {
        self.inner
            .runtime
            .block_on(self.inner.client.exchange(parts, timeout))
    }
}

/// A blocking call of a generated request, sent by [`Call::send`].
#[must_use = "a call does nothing until it is sent"]
pub struct Call<'c, R> {
    client: &'c Client,
    request: R,
    options: CallOptions,
}

impl<R> fmt::Debug for Call<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Call")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<R: Request> Call<'_, R> {
    crate::client::call::call_options!();

    /// Sends the call; the payload and what came with it.
    pub fn reply(self) -> Result<Reply<R::Data>, Error> {
        let parts = self.options.parts(&self.request);
        self.client.execute(parts, self.options.timeout)
    }

    /// Sends the call; the payload.
    pub fn send(self) -> Result<R::Data, Error> {
        let parts = self.options.parts(&self.request);
        self.client
            .exchange(parts, self.options.timeout)?
            .interpret_data()
    }

    /// Sends the call and keeps the reply as received, to be read with its
    /// text borrowed from it ([`Received::reply`](crate::Received::reply)).
    pub fn receive(self) -> Result<crate::client::received::Received<R>, Error> {
        let parts = self.options.parts(&self.request);
        let exchange = self.client.exchange(parts, self.options.timeout)?;
        Ok(crate::client::received::Received::new(exchange))
    }

    /// Sends the call and decodes the payload as `T` instead of the
    /// generated type (a typed pass-through).
    pub fn data_as<T: serde::de::DeserializeOwned>(self) -> Result<Reply<T>, Error> {
        let parts = self.options.parts(&self.request);
        self.client
            .exchange(parts, self.options.timeout)?
            .interpret_as()
    }
}

impl<'c, R: Request + Clone> Call<'c, R> {
    /// Every page of a list, `size` records a page, as an iterator that
    /// fetches each page when it is reached.
    pub fn pages(self, size: u64) -> Pages<'c, R> {
        Pages {
            client: self.client,
            request: self.request,
            options: self.options,
            paging: crate::client::call::Paging::new(size),
        }
    }
}

/// The pages of a list call, fetched as the iterator reaches them.
#[must_use = "pages are fetched as they are read"]
pub struct Pages<'c, R> {
    client: &'c Client,
    request: R,
    options: CallOptions,
    paging: crate::client::call::Paging,
}

impl<R> fmt::Debug for Pages<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Pages")
            .field("paging", &self.paging)
            .finish_non_exhaustive()
    }
}

impl<R: Request + Clone> Iterator for Pages<'_, R> {
    type Item = Result<R::Data, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let options = self.paging.next_options(&self.options)?;
        let parts = options.parts(&self.request);
        let reply = self.client.execute(parts, options.timeout);
        let reply = self.paging.advance(R::OPERATION.name, reply);
        Some(reply.map(|r| r.data))
    }
}
