//! How an API runs several calls in one request (`x-batch`).

use crate::Text;

/// How an API runs several calls in one request (WHM's `batch`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct BatchSpec {
    /// The operation that runs them (`batch`).
    pub operation: Text,
    /// The parameter each call goes in, as `function?args` (`command`).
    pub command: Text,
    /// The parameter that stops at the first failure (`abort_on_error`).
    #[cfg_attr(feature = "serde", serde(rename = "abort-on-error"))]
    pub abort_on_error: Text,
    /// Where in the batch's payload the replies are, in order (`/result`).
    pub results: Text,
}
