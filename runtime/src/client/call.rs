//! One call, with its options, ready to be awaited.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use crate::api::{Request, Sent};
use crate::client::Client;
use crate::error::Error;
use crate::reply::Exchange;
use crate::reply::Reply;
use crate::request::CallParts;
use crate::request::params::{Params, Placed};

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

        /// Keeps only records whose `field` (`*`: any field) passes `filter`;
        /// several filters must all pass. The server filters.
        pub fn filter(
            mut self,
            field: impl Into<String>,
            filter: $crate::request::controls::Filter,
        ) -> Self {
            self.options.controls.filters.push((field.into(), filter));
            self
        }

        /// Sorts records by `field`; a second sort breaks ties of the first.
        pub fn sort(
            mut self,
            field: impl Into<String>,
            method: $crate::request::controls::SortMethod,
            order: $crate::request::controls::Order,
        ) -> Self {
            self.options
                .controls
                .sorts
                .push((field.into(), method, order));
            self
        }

        /// Returns only these fields of each record.
        pub fn columns<I, S>(mut self, columns: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.options
                .controls
                .columns
                .extend(columns.into_iter().map(Into::into));
            self
        }

        /// Returns one page: `size` records from record `start` (1-based).
        pub fn chunk(mut self, size: u64, start: u64) -> Self {
            self.options.controls.chunk = Some((size.max(1), start.max(1)));
            self
        }
    };
}
pub(crate) use call_options;

/// The options of one call, the same for async and blocking calls.
#[derive(Debug, Default, Clone)]
pub(crate) struct CallOptions {
    pub timeout: Option<Duration>,
    pub prefer_get: bool,
    pub extra: Params,
    pub controls: crate::request::controls::OutputControls,
}

impl CallOptions {
    /// What to send for `request`: its parameters and body, then the rest
    /// (the same code for every request type).
    pub(crate) fn parts<R: Request>(&self, request: &R) -> CallParts<'static> {
        let sent = Sent::of(request);
        let mut parts = self.parts_with(R::API, R::OPERATION, sent.params, sent.json);
        parts.placed = sent.placed;
        parts.raw_body = sent.raw;
        parts.failure = Some(R::failure);
        parts
    }

    fn parts_with(
        &self,
        api: &'static crate::wire::ApiSpec,
        operation: &'static crate::operation::Operation,
        mut params: Params,
        json: Option<serde_json::Value>,
    ) -> CallParts<'static> {
        for (name, value) in self.extra.pairs() {
            params.push_raw(name.clone(), value.clone());
        }
        CallParts {
            operation: operation.name,
            api,
            method: operation.method,
            path: operation.path.into(),
            body: operation.body,
            params,
            placed: Placed::default(),
            json,
            raw_body: None,
            prefer_get: self.prefer_get,
            described: Some(operation),
            controls: self.controls.clone(),
            raw: false,
            added: self.extra.pairs().iter().map(|(k, _)| k.clone()).collect(),
            failure: None,
        }
    }
}

/// The exchange of a call in flight: sending and receiving are the same
/// code for every request type.
type Exchanging<'c> = Pin<Box<dyn Future<Output = Result<Exchange<'static>, Error>> + Send + 'c>>;

/// Sends `parts`: the exchange in flight, or the request's fault (a bad
/// URL, a header no request can carry) when it is awaited.
fn exchanging<'c>(
    client: &'c Client,
    parts: CallParts<'static>,
    timeout: Option<Duration>,
) -> Exchanging<'c> {
    match client.sending(parts, timeout) {
        Ok(sending) => Box::pin(sending),
        Err(e) => Box::pin(std::future::ready(Err(e))),
    }
}

/// A call in flight; `.await` it for its outcome.
///
/// The request and the reply's bytes travel the same way for every
/// operation; only reading the reply into its type depends on the
/// operation, which keeps what each operation compiles small.
#[must_use = "a call does nothing until it is awaited"]
pub struct Pending<'c, T> {
    exchange: Exchanging<'c>,
    finish: fn(Exchange<'static>) -> Result<T, Error>,
}

impl<T> std::fmt::Debug for Pending<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending").finish_non_exhaustive()
    }
}

impl<T> Future for Pending<'_, T> {
    type Output = Result<T, Error>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let finish = self.finish;
        self.exchange
            .as_mut()
            .poll(cx)
            .map(|exchange| exchange.and_then(finish))
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
    pub fn reply(self) -> Pending<'c, Reply<R::Data>> {
        self.start(|exchange| exchange.interpret())
    }

    /// The request this call would send, every secret as `***`, without
    /// sending anything (a dry run).
    pub fn preview(&self) -> Result<crate::request::preview::Preview, Error> {
        self.client.preview(self.options.parts(&self.request))
    }

    /// Sends the call; the payload.
    pub fn send(self) -> Pending<'c, R::Data> {
        self.start(|exchange| exchange.interpret_data())
    }

    /// Sends the call and keeps the reply as received, to be read with its
    /// text borrowed from it ([`Received::reply`](crate::Received::reply)): the fast way to read a
    /// large listing.
    pub fn receive(self) -> Pending<'c, crate::client::received::Received<R>> {
        self.start(|exchange| Ok(crate::client::received::Received::new(exchange)))
    }

    /// Sends the call and decodes the payload as `T` instead of the
    /// generated type: a typed pass-through, for replies the spec does not
    /// describe (a UAPI function called through `uapi_cpanel`).
    pub fn data_as<T: serde::de::DeserializeOwned>(self) -> Pending<'c, Reply<T>> {
        self.start(|exchange| exchange.interpret_as())
    }

    /// Sends the call, to be read by `finish`.
    pub(crate) fn start<T>(
        self,
        finish: fn(Exchange<'static>) -> Result<T, Error>,
    ) -> Pending<'c, T> {
        let parts = self.options.parts(&self.request);
        Pending {
            exchange: exchanging(self.client, parts, self.options.timeout),
            finish,
        }
    }
}

impl<'c, R: Request + Clone + Send + Sync + 'c> Call<'c, R>
where
    R::Data: Send,
{
    /// Every page of a list, `size` records a page, fetched one after the
    /// other as the pages are read, with this call's filters and sorts:
    ///
    /// ```no_run
    /// # async fn f<R: whm_runtime::Request + Clone + Send + Sync + 'static>(client: whm_runtime::Client, request: R)
    /// # -> Result<(), whm_runtime::Error> where R::Data: Send + std::fmt::Debug {
    /// let mut pages = client.call(request).pages(100);
    /// while let Some(page) = pages.next().await {
    ///     println!("{:?}", page?);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages(self, size: u64) -> Pages<'c, R> {
        Pages {
            client: self.client,
            request: self.request,
            options: self.options,
            paging: Paging::new(size),
            pending: None,
        }
    }
}

/// Where a paged listing stands.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    size: u64,
    next_start: u64,
    /// Pages read so far.
    read: i64,
    done: bool,
}

impl Paging {
    pub fn new(size: u64) -> Self {
        Paging {
            size: size.max(1),
            next_start: 1,
            read: 0,
            done: false,
        }
    }

    /// The options for the next page, or `None` after the last.
    pub fn next_options(&self, options: &CallOptions) -> Option<CallOptions> {
        if self.done {
            return None;
        }
        let mut options = options.clone();
        options.controls.chunk = Some((self.size, self.next_start));
        Some(options)
    }

    /// Takes in a page's reply to `operation`: the last page, a server
    /// that does not page, or a failure ends the listing; a page other
    /// than the one asked for ends it with [`Error::Pages`] in its place.
    pub fn advance<T>(
        &mut self,
        operation: &str,
        reply: Result<Reply<T>, Error>,
    ) -> Result<Reply<T>, Error> {
        let reply = reply.inspect_err(|_| self.done = true)?;
        let chunk = reply.output.as_ref().and_then(|o| o.chunk.as_ref());
        self.advance_by(operation, chunk)?;
        Ok(reply)
    }

    /// Whether the listing ended.
    pub fn finished(&self) -> bool {
        self.done
    }

    /// Ends the listing.
    pub fn finish(&mut self) {
        self.done = true;
    }

    /// Takes in what a page's reply says of its chunk.
    pub fn advance_by(
        &mut self,
        operation: &str,
        chunk: Option<&crate::request::controls::ChunkMetadata>,
    ) -> Result<(), Error> {
        self.read += 1;
        let Some(chunk) = chunk else {
            self.done = true;
            return Ok(());
        };
        // No records: no pages (a server may number the one it sent 0).
        if chunk.records <= 0 || chunk.chunks <= 0 {
            self.done = true;
            return Ok(());
        }
        // A server that ignores where a page starts answers the first
        // page again and again, and says there are more.
        if chunk.current != self.read {
            self.done = true;
            return Err(Error::Pages {
                operation: operation.to_owned(),
                asked: self.read,
                answered: chunk.current,
            });
        }
        if chunk.current < chunk.chunks && chunk.records > 0 {
            self.next_start += self.size;
        } else {
            self.done = true;
        }
        Ok(())
    }
}

/// The pages of a list call, as a [`Stream`](futures_core::Stream) or with
/// [`Pages::next`].
#[must_use = "pages are fetched as they are read"]
pub struct Pages<'c, R: Request> {
    client: &'c Client,
    request: R,
    options: CallOptions,
    paging: Paging,
    pending: Option<Pending<'c, Reply<R::Data>>>,
}

// Nothing in `Pages` is ever pinned in place (the page future is boxed), so
// it can move whatever `R` is.
impl<R: Request> Unpin for Pages<'_, R> {}

impl<R: Request> std::fmt::Debug for Pages<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("paging", &self.paging)
            .finish_non_exhaustive()
    }
}

impl<'c, R: Request + Clone + Send + Sync + 'c> Pages<'c, R>
where
    R::Data: Send,
{
    /// The next page, or `None` after the last.
    pub async fn next(&mut self) -> Option<Result<R::Data, Error>> {
        std::future::poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut *self), cx)).await
    }
}

impl<'c, R: Request + Clone + Send + Sync + 'c> futures_core::Stream for Pages<'c, R>
where
    R::Data: Send,
{
    type Item = Result<R::Data, Error>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.pending.is_none() {
            let Some(options) = this.paging.next_options(&this.options) else {
                return std::task::Poll::Ready(None);
            };
            let parts = options.parts(&this.request);
            this.pending = Some(Pending {
                exchange: exchanging(this.client, parts, options.timeout),
                finish: |exchange| exchange.interpret(),
            });
        }
        let Some(pending) = this.pending.as_mut() else {
            return std::task::Poll::Ready(None);
        };
        match Pin::new(pending).poll(cx) {
            std::task::Poll::Pending => std::task::Poll::Pending,
            std::task::Poll::Ready(reply) => {
                this.pending = None;
                let reply = this.paging.advance(R::OPERATION.name, reply);
                std::task::Poll::Ready(Some(reply.map(|r| r.data)))
            }
        }
    }
}

impl<'c, R: Request> IntoFuture for Call<'c, R> {
    type Output = Result<R::Data, Error>;
    type IntoFuture = Pending<'c, R::Data>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::controls::ChunkMetadata;

    fn chunk(current: i64, chunks: i64, records: i64) -> ChunkMetadata {
        ChunkMetadata {
            start: 1,
            size: 10,
            records,
            current,
            chunks,
        }
    }

    #[test]
    fn a_listing_ends_at_its_last_page_or_when_pages_do_not_advance() {
        let mut paging = Paging::new(10);
        paging.advance_by("f", Some(&chunk(1, 3, 25))).unwrap();
        paging.advance_by("f", Some(&chunk(2, 3, 25))).unwrap();
        assert!(!paging.finished());
        paging.advance_by("f", Some(&chunk(3, 3, 25))).unwrap();
        assert!(paging.finished());
        // The first page again, "more to come": stopped with an error.
        let mut paging = Paging::new(10);
        paging.advance_by("f", Some(&chunk(1, 3, 25))).unwrap();
        let e = paging.advance_by("f", Some(&chunk(1, 3, 25))).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Pages {
                    asked: 2,
                    answered: 1,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(paging.finished());
        // No records: no pages, whatever the page's number.
        let mut paging = Paging::new(10);
        paging.advance_by("f", Some(&chunk(0, 0, 0))).unwrap();
        assert!(paging.finished());
        // A server that does not page.
        let mut paging = Paging::new(10);
        paging.advance_by("f", None).unwrap();
        assert!(paging.finished());
    }
}
