//! A reply kept as received, read later, possibly borrowing from it.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::Deserialize;

use crate::api::Request;
use crate::decode::Lenient;
use crate::error::Error;
use crate::reply::{Exchange, Reply, text_of};

/// The reply to a call of `R`, as received: its body is kept, so its
/// payload can be read with text borrowed from it rather than copied.
///
/// For large listings this is the fast way to read a reply (a 10 MB
/// `listaccts` decodes about 1.3 times faster, with a tenth of the
/// allocations; see `BENCHMARKS.md`):
///
/// ```no_run
/// # async fn f<R: whm_runtime::Request>(client: whm_runtime::Client, request: R)
/// # -> Result<(), whm_runtime::Error> where for<'a> R::DataRef<'a>: std::fmt::Debug {
/// let received = client.call(request).receive().await?;
/// let reply = received.reply()?; // borrows from `received`
/// println!("{:?}", reply.data);
/// # Ok(()) }
/// ```
///
/// A body that is not UTF-8 is kept with each bad sequence replaced, as
/// the other ways of reading a reply do.
pub struct Received<R> {
    /// The reply; its body is UTF-8 (made so when it came otherwise),
    /// but for a payload of bytes.
    exchange: Exchange<'static>,
    request: PhantomData<fn() -> R>,
}

impl<R: Request> Received<R> {
    pub(crate) fn new(exchange: Exchange<'static>) -> Self {
        let mut exchange = exchange.kept();
        // A payload of bytes is kept as it came.
        let bytes = exchange.envelope.media == crate::wire::Media::Bytes;
        if let (false, Cow::Owned(replaced)) = (bytes, text_of(&exchange.body)) {
            exchange.body = replaced.into_bytes().into();
        }
        Received {
            exchange,
            request: PhantomData,
        }
    }

    /// A reply to `R` saved earlier (recorded, cached, or received by
    /// other means): the HTTP status and body as the server sent them.
    /// Reading it ([`Received::reply`], [`Received::reply_owned`]) makes
    /// the checks a live call makes, with the same errors: `result: 0` is
    /// [`Error::Api`], a login page [`Error::NotJson`], and so on.
    ///
    /// ```
    /// # fn f<R: whm_runtime::Request>(saved: Vec<u8>) -> Result<(), whm_runtime::Error> {
    /// let received = whm_runtime::Received::<R>::from_saved(200, saved);
    /// let reply = received.reply()?; // the payload, borrowing from `received`
    /// # let _ = reply; Ok(()) }
    /// ```
    pub fn from_saved(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Received::new(Exchange::saved::<R>(status, body.into()))
    }

    /// The payload and what came with it, owning its text; the same
    /// checks and errors as [`Call::reply`](crate::Call::reply).
    pub fn reply_owned(&self) -> Result<Reply<R::Data>, Error> {
        self.exchange.interpret()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.exchange.status
    }

    /// The body, as text.
    pub fn body(&self) -> &str {
        // Checked again rather than kept as a `String`: this SIMD check is
        // several times faster than the one `String::from_utf8` makes.
        // `new` made the body UTF-8, so the first arm is always taken.
        match text_of(&self.exchange.body) {
            Cow::Borrowed(text) => text,
            Cow::Owned(_) => "",
        }
    }

    /// The payload and what came with it, the payload's text borrowed from
    /// this reply where it needs no unescaping; the same checks and errors
    /// as [`Call::reply`](crate::Call::reply).
    pub fn reply(&self) -> Result<Reply<R::DataRef<'_>>, Error>
    where
        R: Request,
    {
        self.data_as::<Lenient<R::DataRef<'_>>>()
            .map(|reply| reply.map_data(|Lenient(data)| data))
    }

    /// The payload decoded as `T`, which may borrow from this reply: the
    /// generated type with a text type of your choice
    /// (`ListacctsData<Box<str>>`), or a type of your own.
    pub fn data_as<'a, T: Deserialize<'a>>(&'a self) -> Result<Reply<T>, Error> {
        self.exchange.interpret_text(self.body())
    }
}

// The body may echo a secret that was sent: only its size is shown.
impl<R> fmt::Debug for Received<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Received")
            .field("operation", &self.exchange.operation)
            .field("status", &self.exchange.status)
            .field("body_bytes", &self.exchange.body.len())
            .finish()
    }
}
