//! What a generated client is built on: the async [`Client`](crate::Client)
//! or, with the `blocking` feature, the blocking one.
//!
//! A generated crate defines each operation's method once, for any
//! transport, and names its two clients after the transports
//! (`whm_api::Client` and `whm_api::blocking::Client`): one definition to
//! compile, whichever client a program uses.

use crate::api::Request;
use crate::settings::FromSettings;

/// A client that generated clients are built on.
///
/// Implemented by [`Client`](crate::Client) (calls are `.await`ed) and
/// `blocking::Client` (calls are `.send()`); not meant to be implemented
/// elsewhere.
pub trait Transport:
    Clone + std::fmt::Debug + FromSettings + Send + Sync + 'static + sealed::Sealed
{
    /// One call of a request `R`, with its options: [`Call`](crate::Call)
    /// or `blocking::Call`.
    type Call<'c, R: Request>
    where
        Self: 'c;

    /// A call of `request`, to send with this client.
    fn call<R: Request>(&self, request: R) -> Self::Call<'_, R>;
}

impl Transport for crate::client::Client {
    type Call<'c, R: Request> = crate::client::call::Call<'c, R>;

    fn call<R: Request>(&self, request: R) -> crate::client::call::Call<'_, R> {
        crate::client::Client::call(self, request)
    }
}

#[cfg(feature = "blocking")]
impl Transport for crate::client::blocking::Client {
    type Call<'c, R: Request> = crate::client::blocking::Call<'c, R>;

    fn call<R: Request>(&self, request: R) -> crate::client::blocking::Call<'_, R> {
        crate::client::blocking::Client::call(self, request)
    }
}

mod sealed {
    /// Only this crate's clients are transports.
    pub trait Sealed {}

    impl Sealed for crate::client::Client {}

    #[cfg(feature = "blocking")]
    impl Sealed for crate::client::blocking::Client {}
}
