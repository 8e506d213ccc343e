//! The blocking client: the async client's surface, for code without an
//! async runtime. Do not use it inside one.

use std::fmt;
use std::io::Read as _;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::api::{ApiSpec, Request};
use crate::call::CallOptions;
use crate::reply::{Exchange, Reply};
use crate::settings::{CallParts, ClientBuilder, FromSettings, Outgoing, Settings, describe};
use crate::{Error, Params};

/// A blocking client for one server. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::blocking::Client,
    settings: Settings,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client")
            .field("base_url", &self.inner.settings.base_url)
            .field("credentials", &self.inner.settings.credentials)
            .finish_non_exhaustive()
    }
}

impl FromSettings for Client {
    fn from_settings(settings: Settings) -> Result<Self, Error> {
        let http = crate::settings::http_client!(
            reqwest::blocking::Client::builder().timeout(None),
            &settings
        );
        Ok(Client {
            inner: Arc::new(Inner { http, settings }),
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

    /// Calls `function` of `api` with `params`, for functions a spec lacks.
    pub fn call_raw(
        &self,
        api: &'static ApiSpec,
        function: &str,
        params: Params,
    ) -> Result<Reply<serde_json::Value>, Error> {
        self.execute(CallParts::raw(api, function, params), None)
    }

    pub(crate) fn execute<T: DeserializeOwned>(
        &self,
        parts: CallParts<'_>,
        timeout: Option<Duration>,
    ) -> Result<Reply<T>, Error> {
        self.exchange(parts, timeout)?.interpret()
    }

    /// Runs the calls of `batch` in one request; each has its own result.
    pub fn run_batch(&self, batch: crate::Batch) -> Result<crate::BatchReplies, Error> {
        let exchange = self.exchange(batch.parts(), None)?;
        batch.replies(exchange)
    }

    /// Sends a call; the reply as received.
    pub(crate) fn exchange<'a>(
        &self,
        parts: CallParts<'a>,
        timeout: Option<Duration>,
    ) -> Result<Exchange<'a>, Error> {
        let operation = parts.operation.to_owned();
        let envelope = parts.reply_envelope();
        let api = parts.api;
        let outgoing = self.inner.settings.outgoing(parts)?;
        let secrets = outgoing.secrets.clone();
        let (status, body) = self.send(&operation, outgoing, timeout)?;
        Ok(Exchange {
            api,
            envelope,
            operation,
            status,
            body,
            secrets,
        })
    }

    fn send(
        &self,
        operation: &str,
        out: Outgoing,
        timeout: Option<Duration>,
    ) -> Result<(u16, Vec<u8>), Error> {
        let Outgoing {
            method,
            url,
            headers,
            body,
            ..
        } = out;
        let mut request = self.inner.http.request(method, url);
        for (name, value) in headers {
            request = request.header(name, value.expose());
        }
        if let Some(bytes) = body {
            request = request.body(bytes);
        }
        if let Some(timeout) = timeout.or(self.inner.settings.timeout) {
            request = request.timeout(timeout);
        }
        let response = request
            .send()
            .map_err(|e| crate::client::transport(operation, e))?;
        let status = response.status().as_u16();
        let limit = self.inner.settings.max_response_bytes;
        let mut body = Vec::new();
        response
            .take(limit as u64 + 1)
            .read_to_end(&mut body)
            .map_err(|e| Error::Transport {
                operation: operation.to_owned(),
                message: describe(&e),
                timed_out: e.kind() == std::io::ErrorKind::TimedOut,
            })?;
        if body.len() > limit {
            return Err(Error::TooLarge {
                operation: operation.to_owned(),
                limit,
            });
        }
        Ok((status, body))
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
    crate::call::call_options!();

    /// Sends the call; the payload and what came with it.
    pub fn reply(self) -> Result<Reply<R::Data>, Error> {
        let parts = self.options.parts(&self.request);
        self.client.execute(parts, self.options.timeout)
    }

    /// Sends the call; the payload.
    pub fn send(self) -> Result<R::Data, Error> {
        self.reply().map(|reply| reply.data)
    }

    /// Sends the call and keeps the reply as received, to be read with its
    /// text borrowed from it ([`Received::reply`](crate::Received::reply)).
    pub fn receive(self) -> Result<crate::Received<R>, Error> {
        let parts = self.options.parts(&self.request);
        let exchange = self.client.exchange(parts, self.options.timeout)?;
        Ok(crate::Received::new(exchange))
    }

    /// Sends the call and decodes the payload as `T` instead of the
    /// generated type (a typed pass-through).
    pub fn data_as<T: serde::de::DeserializeOwned>(self) -> Result<Reply<T>, Error> {
        let parts = self.options.parts(&self.request);
        self.client
            .exchange(parts, self.options.timeout)?
            .interpret()
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
            paging: crate::call::Paging::new(size),
        }
    }
}

/// The pages of a list call, fetched as the iterator reaches them.
#[must_use = "pages are fetched as they are read"]
pub struct Pages<'c, R> {
    client: &'c Client,
    request: R,
    options: CallOptions,
    paging: crate::call::Paging,
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
        self.paging.advance(&reply);
        Some(reply.map(|r| r.data))
    }
}
