//! The blocking client: the async client's surface, for code without an
//! async runtime. Do not use it inside one.

use std::fmt;
use std::io::Read as _;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::api::{ApiSpec, Body, Method, Request};
use crate::reply::{Reply, interpret};
use crate::settings::{
    Authorization, CallParts, ClientBuilder, FromSettings, Outgoing, Settings, describe,
};
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
        let mut builder = reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(settings.connect_timeout)
            .timeout(None)
            .user_agent(settings.user_agent.clone())
            .danger_accept_invalid_certs(settings.accept_invalid_certs);
        for pem in &settings.root_certificates {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|e| Error::Config(format!("cannot read the root certificate: {e}")))?;
            builder = builder.add_root_certificate(cert);
        }
        let http = builder.build().map_err(|e| {
            Error::Config(format!("cannot build the HTTP client: {}", describe(&e)))
        })?;
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
            timeout: None,
            prefer_get: false,
            extra: Params::new(),
        }
    }

    /// Calls `function` of `api` with `params`, for functions a spec lacks.
    pub fn call_raw(
        &self,
        api: &'static ApiSpec,
        function: &str,
        params: Params,
    ) -> Result<Reply<serde_json::Value>, Error> {
        let path = format!("/{function}");
        self.execute(
            CallParts {
                operation: function,
                api,
                method: Method::Get,
                path: &path,
                body: Body::None,
                params,
                json: None,
                prefer_get: false,
            },
            None,
        )
    }

    fn execute<T: DeserializeOwned>(
        &self,
        parts: CallParts<'_>,
        timeout: Option<Duration>,
    ) -> Result<Reply<T>, Error> {
        let operation = parts.operation.to_owned();
        let api = parts.api;
        let outgoing = self.inner.settings.outgoing(parts)?;
        let secrets = outgoing.secrets.clone();
        let (status, body) = self.send(&operation, outgoing, timeout)?;
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        interpret(api, &operation, status, &body, &secrets)
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
            authorization,
            body,
            ..
        } = out;
        let mut request = self
            .inner
            .http
            .request(method, url)
            .header("Accept", "application/json");
        match authorization {
            Authorization::None => {}
            Authorization::Header(value) => {
                request = request.header("Authorization", value.expose())
            }
            Authorization::Basic { user, password } => {
                request = request.basic_auth(user, Some(password.expose()))
            }
        }
        if let Some((content_type, bytes)) = body {
            request = request.header("Content-Type", content_type).body(bytes);
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
    timeout: Option<Duration>,
    prefer_get: bool,
    extra: Params,
}

impl<R> fmt::Debug for Call<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Call")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<R: Request> Call<'_, R> {
    /// The longest this call may take; it is never retried.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends the parameters in the URL of a `GET` instead of a form body.
    pub fn via_get(mut self) -> Self {
        self.prefer_get = true;
        self
    }

    /// Adds a parameter the generated request does not have.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.push_raw(name, value);
        self
    }

    /// Sends the call; the payload and what came with it.
    pub fn reply(self) -> Result<Reply<R::Data>, Error> {
        let mut params = Params::new();
        self.request.params(&mut params);
        for (name, value) in self.extra.pairs() {
            params.push_raw(name.clone(), value.clone());
        }
        let operation = R::OPERATION;
        let parts = CallParts {
            operation: operation.name,
            api: R::API,
            method: operation.method,
            path: operation.path,
            body: operation.body,
            params,
            json: self.request.json_body(),
            prefer_get: self.prefer_get,
        };
        self.client.execute(parts, self.timeout)
    }

    /// Sends the call; the payload.
    pub fn send(self) -> Result<R::Data, Error> {
        self.reply().map(|reply| reply.data)
    }
}
