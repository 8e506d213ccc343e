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
    options: CallOptions,
}

/// The option setters of async and blocking calls alike.
macro_rules! call_options {
    () => {
        /// The longest this call may take. A call that times out may still
        /// complete on the server; it is never retried.
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.options.timeout = Some(timeout);
            self
        }

        /// Sends the parameters in the URL of a `GET` instead of a form body.
        /// Values then show in server logs: not for secrets.
        pub fn via_get(mut self) -> Self {
            self.options.prefer_get = true;
            self
        }

        /// Adds a parameter the generated request does not have.
        pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            self.options.extra.push_raw(name, value);
            self
        }
    };
}
pub(crate) use call_options;

/// The options of one call, the same for async and blocking calls.
#[derive(Debug, Default)]
pub(crate) struct CallOptions {
    pub timeout: Option<Duration>,
    pub prefer_get: bool,
    pub extra: Params,
}

impl CallOptions {
    /// What to send for `request`.
    pub(crate) fn parts<R: Request>(&self, request: &R) -> CallParts<'static> {
        let mut params = Params::new();
        request.params(&mut params);
        for (name, value) in self.extra.pairs() {
            params.push_raw(name.clone(), value.clone());
        }
        let operation = R::OPERATION;
        CallParts {
            operation: operation.name,
            api: R::API,
            method: operation.method,
            path: operation.path.into(),
            body: operation.body,
            params,
            json: request.json_body(),
            prefer_get: self.prefer_get,
        }
    }
}

impl<R> std::fmt::Debug for Call<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'c, R: Request> Call<'c, R> {
    pub(crate) fn new(client: &'c Client, request: R) -> Self {
        Call {
            client,
            request,
            options: CallOptions::default(),
        }
    }

    call_options!();

    /// Sends the call; the payload and what came with it.
    pub async fn reply(self) -> Result<Reply<R::Data>, Error> {
        let parts = self.options.parts(&self.request);
        self.client.execute(parts, self.options.timeout).await
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
