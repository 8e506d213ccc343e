//! The async client.

pub mod batch;
#[cfg(feature = "blocking")]
pub mod blocking;
pub mod call;
pub mod kinds;
pub mod raw;
pub mod received;

use std::fmt;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use crate::api::Request;
use crate::client::call::Call;
use crate::error::Error;
use crate::reply::{Exchange, Reply};
use crate::request::params::Params;
use crate::request::{CallParts, Outgoing};
use crate::settings::{ClientBuilder, FromSettings, Settings, describe};
use crate::wire::ApiSpec;

/// A client for one server. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    settings: Settings,
    /// What each call would otherwise work out again from `settings`.
    derived: crate::settings::Derived,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field(
                "base_url",
                &crate::scrub::url_for_display(&self.inner.settings.base_url),
            )
            .field("credentials", &self.inner.settings.credentials)
            .finish_non_exhaustive()
    }
}

impl FromSettings for Client {
    fn from_settings(settings: Settings) -> Result<Self, Error> {
        let http = crate::settings::http_client!(reqwest::Client::builder(), &settings);
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                settings,
                derived: Default::default(),
            }),
        })
    }
}

impl Client {
    /// What the client was built from.
    #[cfg(feature = "blocking")]
    pub(crate) fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// A builder for a client of the server at `base_url`.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder<Client> {
        ClientBuilder::new(base_url)
    }

    /// A call of a generated request; `.await` it, or set options first.
    pub fn call<R: Request>(&self, request: R) -> Call<'_, R> {
        Call::new(self, request)
    }

    /// Calls `function` of `api` with `params` as given: a function the
    /// spec describes (its [`Operation`](crate::Operation)), sent and read
    /// as its description says, or one it lacks, by name. The payload comes
    /// back as JSON.
    pub async fn call_raw(
        &self,
        api: &'static ApiSpec,
        function: impl Into<crate::client::raw::RawFunction>,
        params: Params,
    ) -> Result<Reply<serde_json::Value>, Error> {
        let function = function.into();
        let parts = CallParts::raw(api, function.name(), function.described(), params);
        self.execute(parts, None).await
    }

    pub(crate) async fn execute<T: for<'de> crate::decode::Element<'de>>(
        &self,
        parts: CallParts<'_>,
        timeout: Option<Duration>,
    ) -> Result<Reply<T>, Error> {
        self.exchange(parts, timeout).await?.interpret()
    }

    /// Runs the calls of `batch` in one request; each has its own result.
    pub async fn run_batch(
        &self,
        batch: crate::client::batch::Batch,
    ) -> Result<crate::client::batch::BatchReplies, Error> {
        let exchange = self.exchange(batch.parts(), None).await?;
        batch.replies(exchange)
    }

    /// The request `parts` would be, secrets as `***`; nothing is sent.
    pub(crate) fn preview(
        &self,
        parts: CallParts<'_>,
    ) -> Result<crate::request::preview::Preview, Error> {
        let outgoing = self
            .inner
            .settings
            .outgoing_with(&self.inner.derived, parts)?;
        Ok(crate::request::preview::Preview::of(&outgoing))
    }

    /// Sends a call; the reply as received.
    pub(crate) async fn exchange<'a>(
        &self,
        parts: CallParts<'a>,
        timeout: Option<Duration>,
    ) -> Result<Exchange<'a>, Error> {
        self.sending(parts, timeout)?.await
    }

    /// The request `parts` make, ready to send: a future that sends it
    /// and receives the reply. Making the request needs no async runtime,
    /// and the future holds only the request and what receiving its reply
    /// needs (about 850 bytes). A typed call boxes this future. Written as
    /// an `async fn`, it kept the call's parts beside everything it
    /// awaited: 2.3 KB, which glibc serves from its large bins,
    /// consolidating its fast ones on each call. Under 1 KB, glibc's
    /// per-thread cache serves it.
    pub(crate) fn sending<'a>(
        &self,
        parts: CallParts<'a>,
        timeout: Option<Duration>,
    ) -> Result<impl Future<Output = Result<Exchange<'a>, Error>> + Send + use<'_, 'a>, Error> {
        let (mut exchange, request) = self.start(parts, timeout)?;
        Ok(async move {
            let (status, (body, in_buffer)) = self
                .receive(&exchange.operation, self.inner.http.execute(request))
                .await
                .map_err(|e| exchange.scrubber.error(e))?;
            exchange.status = status;
            exchange.body = body;
            exchange.in_buffer = in_buffer;
            Ok(exchange)
        })
    }

    /// The request `parts` make, and the exchange, its reply still to
    /// come.
    fn start<'a>(
        &self,
        parts: CallParts<'a>,
        timeout: Option<Duration>,
    ) -> Result<(Exchange<'a>, reqwest::Request), Error> {
        let operation = parts.operation.to_owned();
        let envelope = parts.reply_envelope();
        let list = parts.list();
        let api = parts.api;
        let failure = parts.failure;
        let outgoing = self
            .inner
            .settings
            .outgoing_with(&self.inner.derived, parts)?;
        let Outgoing {
            method,
            url,
            headers,
            body,
            scrubber,
        } = outgoing;
        let mut request = self.inner.http.request(method, url);
        for (name, value) in headers {
            request = request.header(name.as_ref(), value.expose());
        }
        if let Some(bytes) = body {
            request = request.body(bytes);
        }
        if let Some(timeout) = timeout.or(self.inner.settings.timeout) {
            request = request.timeout(timeout);
        }
        let request = request
            .build()
            .map_err(|e| scrubber.error(transport(&operation, e)))?;
        let exchange = Exchange {
            api,
            envelope,
            operation,
            list,
            status: 0,
            body: bytes::Bytes::new(),
            in_buffer: false,
            scrubber,
            failure,
        };
        Ok((exchange, request))
    }

    /// The status and body of the reply to the request in flight.
    async fn receive(
        &self,
        operation: &str,
        pending: impl Future<Output = reqwest::Result<reqwest::Response>>,
    ) -> Result<(u16, (bytes::Bytes, bool)), Error> {
        let mut response = pending.await.map_err(|e| transport(operation, e))?;
        let status = response.status().as_u16();
        let limit = self.inner.settings.max_response_bytes;
        // A reply that says it is larger than the limit is refused before
        // any of it is read.
        if response
            .content_length()
            .is_some_and(|length| length > limit as u64)
        {
            return Err(Error::TooLarge {
                operation: operation.to_owned(),
                limit,
            });
        }
        let idle = self.inner.settings.read_idle_timeout;
        let announced = response.content_length().unwrap_or(0);
        let mut body = Body::default();
        loop {
            // The reply has started: a server that stops sending it for
            // longer than the read-idle timeout is taken for gone. A piece
            // already received is taken without starting a timer (a small
            // reply's pieces all are: its timers were 3% of a call).
            let mut chunk = std::pin::pin!(response.chunk());
            let next = match std::future::poll_fn(|cx| Poll::Ready(chunk.as_mut().poll(cx))).await {
                Poll::Ready(next) => next,
                Poll::Pending => tokio::time::timeout(idle, chunk).await.map_err(|_| {
                    Error::Transport {
                        operation: operation.to_owned(),
                        message: format!(
                            "the server stopped sending its reply for {} s (the read-idle timeout)",
                            idle.as_secs_f64()
                        ),
                        timed_out: true,
                    }
                })?,
            };
            let Some(chunk) = next.map_err(|e| transport(operation, e))? else {
                break;
            };
            if body.len() + chunk.len() > limit {
                return Err(Error::TooLarge {
                    operation: operation.to_owned(),
                    limit,
                });
            }
            body.add(chunk, announced, limit);
        }
        let body = body.whole();
        Ok((status, body))
    }
}

/// A reply's body as it comes: its first piece kept as it came (a small
/// reply comes in one, and is then never copied), the pieces joined in
/// one allocation once a second comes.
#[derive(Default)]
struct Body {
    first: bytes::Bytes,
    joined: Option<Vec<u8>>,
}

impl Body {
    fn len(&self) -> usize {
        self.joined.as_ref().map_or(self.first.len(), Vec::len)
    }

    /// Adds a piece; `announced` is the length the reply announced (0:
    /// none), taken up to `limit` as the room to make for it.
    fn add(&mut self, piece: bytes::Bytes, announced: u64, limit: usize) {
        if let Some(joined) = &mut self.joined {
            joined.extend_from_slice(&piece);
        } else if self.first.is_empty() {
            self.first = piece;
        } else {
            // The whole body in one allocation when its length is
            // announced, rather than grown (and copied) as it comes.
            let room = usize::try_from(announced).unwrap_or(0).min(limit);
            let mut joined = Vec::with_capacity(room.max(self.first.len() + piece.len()));
            joined.extend_from_slice(&self.first);
            joined.extend_from_slice(&piece);
            self.first = bytes::Bytes::new();
            self.joined = Some(joined);
        }
    }

    /// The body, and whether it is the first piece as it came (a piece
    /// of the connection's read buffer).
    fn whole(self) -> (bytes::Bytes, bool) {
        match self.joined {
            Some(joined) => (joined.into(), false),
            None => (self.first, true),
        }
    }
}

/// A transport error, told apart by whether the request could have arrived.
pub(crate) fn transport(operation: &str, error: reqwest::Error) -> Error {
    let error = error.without_url();
    let message = describe(&error);
    if error.is_connect() {
        Error::Connect {
            operation: operation.to_owned(),
            message,
        }
    } else {
        Error::Transport {
            operation: operation.to_owned(),
            timed_out: error.is_timeout(),
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Body;

    #[test]
    fn the_future_a_typed_call_boxes_fits_the_allocators_per_thread_cache() {
        // Made outside any async runtime: making the request needs none.
        let client = crate::settings::ClientBuilder::<super::Client>::new("http://127.0.0.1:1")
            .api_token("root", "TOKEN")
            .build()
            .unwrap();
        let parts = crate::request::CallParts::raw(
            &crate::api::test_support::WHM,
            "listaccts",
            None,
            crate::request::params::Params::new(),
        );
        let sending = client.sending(parts, None).unwrap();
        // glibc's per-thread cache serves blocks of up to 1,032 bytes;
        // larger ones come from its bins, consolidating free blocks first.
        let size = std::mem::size_of_val(&sending);
        assert!(size <= 1_000, "{size} bytes");
    }

    #[test]
    fn a_body_in_one_piece_is_kept_as_it_came_and_pieces_are_joined_in_order() {
        let piece = bytes::Bytes::from_static(b"{\"data\":1}");
        let mut one = Body::default();
        one.add(piece.clone(), 10, 100);
        let (whole, in_buffer) = one.whole();
        assert_eq!(whole.as_ptr(), piece.as_ptr(), "not copied");
        assert!(in_buffer);
        let mut three = Body::default();
        for part in ["{\"da", "ta\":", "1}"] {
            three.add(bytes::Bytes::from_static(part.as_bytes()), 0, 100);
        }
        assert_eq!(three.len(), 10);
        assert_eq!(
            three.whole(),
            (bytes::Bytes::from_static(b"{\"data\":1}"), false)
        );
        // Room for an announced length, never more than the limit.
        let mut announced = Body::default();
        announced.add(bytes::Bytes::from_static(b"ab"), 1 << 40, 64);
        announced.add(bytes::Bytes::from_static(b"cd"), 1 << 40, 64);
        assert_eq!(announced.joined.as_ref().map(Vec::capacity), Some(64));
        assert_eq!(&announced.whole().0[..], b"abcd");
        assert!(Body::default().whole().0.is_empty());
    }
}
