//! One call, with its options, ready to be awaited.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use crate::api::Request;
use crate::settings::CallParts;
use crate::{Client, Error, Params, Reply};

/// A call of a generated request. `.await` it for the payload, or set
/// options first:
///
/// ```no_run
/// # async fn f<R: whm_runtime::Request + Send + Sync + 'static>(client: whm_runtime::Client, request: R)
/// # -> Result<(), whm_runtime::Error> where R::Data: Send {
/// let data = client
///     .call(request)
///     .timeout(std::time::Duration::from_secs(600)) // a slow write; never retried
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'c, R> {
    client: &'c Client,
    request: R,
    timeout: Option<Duration>,
    prefer_get: bool,
    extra: Params,
}

impl<R> std::fmt::Debug for Call<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("timeout", &self.timeout)
            .field("prefer_get", &self.prefer_get)
            .finish_non_exhaustive()
    }
}

impl<'c, R: Request> Call<'c, R> {
    pub(crate) fn new(client: &'c Client, request: R) -> Self {
        Call {
            client,
            request,
            timeout: None,
            prefer_get: false,
            extra: Params::new(),
        }
    }

    /// The longest this call may take. A call that times out may still
    /// complete on the server; it is never retried.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends the parameters in the URL of a `GET` instead of a form body.
    /// Values then show in server logs: not for secrets.
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
    pub async fn reply(self) -> Result<Reply<R::Data>, Error> {
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
        self.client.execute(parts, self.timeout).await
    }

    /// Sends the call; the payload.
    pub async fn send(self) -> Result<R::Data, Error> {
        self.reply().await.map(|reply| reply.data)
    }
}

impl<'c, R> IntoFuture for Call<'c, R>
where
    R: Request + Send + 'c,
    R::Data: Send,
{
    type Output = Result<R::Data, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
