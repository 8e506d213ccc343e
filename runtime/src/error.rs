//! One error type for every way a call can fail.

/// Why a call failed. Every variant names the operation; none shows a
/// credential or secret parameter.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request never reached the server (DNS, refused connection, TLS).
    #[error("{operation}: cannot reach the server: {message}")]
    Connect {
        /// The operation.
        operation: String,
        /// What failed, including which TLS check when it is TLS.
        message: String,
    },
    /// The connection failed after the request was sent, or timed out: the
    /// request may have reached the server, and a write may have happened.
    #[error("{operation}: {message}; the request may have reached the server")]
    Transport {
        /// The operation.
        operation: String,
        /// What failed.
        message: String,
        /// Whether it was the call's timeout.
        timed_out: bool,
    },
    /// Credentials refused or the token lacks the ACL (HTTP 401 or 403).
    #[error("{operation}: access denied (HTTP {status}): {reason}")]
    AccessDenied {
        /// The operation.
        operation: String,
        /// The HTTP status.
        status: u16,
        /// The server's reason.
        reason: String,
    },
    /// The reply is not JSON: an HTML page (a login form when two-factor
    /// authentication is required), or something from a proxy.
    #[error("{operation}: the reply is not JSON (HTTP {status}){}: {excerpt}", if *.login_page { ", it is a login page" } else { "" })]
    NotJson {
        /// The operation.
        operation: String,
        /// The HTTP status.
        status: u16,
        /// Whether the reply is a login form (two-factor authentication, expired session).
        login_page: bool,
        /// The start of the reply.
        excerpt: String,
    },
    /// The reply is JSON, but not in the API's envelope: no success flag
    /// where the API keeps one (`"hello"`, `42`, an object without WHM's
    /// `metadata`). Something else answered: another service on the port,
    /// a proxy, a server of another API.
    #[error(
        "{operation}: the reply is not this API's (HTTP {status}): it is JSON without `{expected}`: {excerpt}"
    )]
    NotApiReply {
        /// The operation.
        operation: String,
        /// The HTTP status.
        status: u16,
        /// Where the API keeps its success flag (`/metadata/result`).
        expected: String,
        /// The start of the reply.
        excerpt: String,
    },
    /// The reply starts like JSON but is not (truncated, garbled).
    #[error("{operation}: the reply is not valid JSON (HTTP {status}): {message}: {excerpt}")]
    InvalidJson {
        /// The operation.
        operation: String,
        /// The HTTP status.
        status: u16,
        /// The parser's message.
        message: String,
        /// The start of the reply.
        excerpt: String,
    },
    /// An HTTP error status with a reply that is not an API failure.
    #[error("{operation}: HTTP {status}: {excerpt}")]
    Status {
        /// The operation.
        operation: String,
        /// The HTTP status.
        status: u16,
        /// The start of the reply.
        excerpt: String,
        /// The reply decoded as the type the spec gives for this status
        /// (an API's error object), when it gives one and the reply is
        /// one: read it with [`Error::failure`].
        body: Option<FailureBody>,
    },
    /// The server ran the operation and it failed (WHM: `metadata.result`
    /// is 0; proxied APIs: their own failure flag; cPanel API 2: also an
    /// `error`, or a row's `result: 0`, beside a success flag). Everything
    /// the reply held is here: the reason, the further causes, the
    /// payload and the rest of the reply.
    #[error("{operation} failed: {}", cause(reason, errors))]
    Api {
        /// The operation.
        operation: String,
        /// The server's reason.
        reason: String,
        /// Further causes the server lists (WHM's `metadata.errors`,
        /// UAPI's `errors`, every failed row of cPanel API 2).
        errors: Vec<String>,
        /// Warnings the server sent along.
        warnings: Vec<String>,
        /// The reply's payload, when it had one (per-item results of mass operations).
        data: Option<Box<serde_json::Value>>,
        /// The reply without its payload (WHM: its `metadata`, with its
        /// `output.raw` log and messages), when it had more.
        rest: Option<Box<serde_json::Value>>,
    },
    /// The reply's payload does not fit the generated type.
    #[error("{operation}: cannot decode the reply at `{path}`: {message}")]
    Decode {
        /// The operation.
        operation: String,
        /// Where in the reply (`data.acct[3].uid`).
        path: String,
        /// What did not fit.
        message: String,
        /// The start of the reply.
        excerpt: String,
    },
    /// A paged listing stopped because the server answered another page
    /// than the one asked for: it ignores where a page starts, and would
    /// repeat its records without end.
    #[error(
        "{operation}: page {asked} was asked for and the server answered page {answered}: its pages do not advance, so the listing stopped"
    )]
    Pages {
        /// The operation.
        operation: String,
        /// The page asked for (1-based).
        asked: i64,
        /// The page the server says it answered.
        answered: i64,
    },
    /// The reply is larger than the client accepts.
    #[error("{operation}: the reply is larger than {limit} bytes")]
    TooLarge {
        /// The operation.
        operation: String,
        /// The limit set on the client.
        limit: usize,
    },
    /// The client or the request cannot be used as configured.
    #[error("{0}")]
    Config(String),
}

/// A failure's reason with the causes it does not already say.
fn cause(reason: &str, errors: &[String]) -> String {
    let mut text = reason.to_owned();
    for error in errors {
        if !reason.contains(error.as_str()) {
            text.push_str(if text.is_empty() { "" } else { "; " });
            text.push_str(error);
        }
    }
    text
}

impl Error {
    /// The API's failure of `operation` for `reason`, with nothing else.
    pub(crate) fn api(operation: &str, reason: String) -> Error {
        Error::Api {
            operation: operation.to_owned(),
            reason,
            errors: Vec::new(),
            warnings: Vec::new(),
            data: None,
            rest: None,
        }
    }

    /// The operation the error is about, when it is about one.
    pub fn operation(&self) -> Option<&str> {
        match self {
            Error::Connect { operation, .. }
            | Error::Transport { operation, .. }
            | Error::AccessDenied { operation, .. }
            | Error::NotJson { operation, .. }
            | Error::NotApiReply { operation, .. }
            | Error::InvalidJson { operation, .. }
            | Error::Status { operation, .. }
            | Error::Api { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Pages { operation, .. }
            | Error::TooLarge { operation, .. } => Some(operation),
            Error::Config(_) => None,
        }
    }

    /// The body of an error-status reply as the type the spec gives for
    /// that status, when it is a `T`: `error.failure::<types::Error>()`.
    /// Each request type's documentation names the types its failures
    /// come in. `None` for any other error, and for a reply that was not
    /// one (a proxy's page where the API's error object was expected).
    pub fn failure<T: 'static>(&self) -> Option<&T> {
        match self {
            Error::Status {
                body: Some(body), ..
            } => body.get(),
            _ => None,
        }
    }

    /// Whether a retry could help: the request never reached the server.
    /// A write that failed any other way may have happened.
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Connect { .. })
    }
}

/// The body of an error-status reply, decoded as the type the API's spec
/// gives for that status (see [`Error::failure`]). Its `Debug` is the
/// decoded value's.
pub struct FailureBody(Box<dyn Failure>);

/// What a failure body can be: any decoded type, kept behind one box so
/// that [`Error`] stays one type for every operation.
trait Failure: std::any::Any + std::fmt::Debug + Send + Sync {
    fn as_any(&self) -> &dyn std::any::Any;
}

impl<T: std::any::Any + std::fmt::Debug + Send + Sync> Failure for T {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl FailureBody {
    /// `text` decoded leniently as a `T`, as payloads are; `None` when it
    /// is not one.
    pub fn decode<T>(text: &str) -> Option<FailureBody>
    where
        T: for<'de> crate::decode::Element<'de> + std::fmt::Debug + Send + Sync + 'static,
    {
        let crate::decode::Lenient(body) =
            serde_json::from_str::<crate::decode::Lenient<T>>(text).ok()?;
        Some(FailureBody(Box::new(body)))
    }

    /// [`decode`](Self::decode) for a struct: `None` unless `text` is a
    /// JSON object. Leniency reads a list or a word as an empty struct,
    /// which a payload may be, and an error object would only seem to be.
    pub fn object<T>(text: &str) -> Option<FailureBody>
    where
        T: for<'de> crate::decode::Element<'de> + std::fmt::Debug + Send + Sync + 'static,
    {
        match text.trim_start().starts_with('{') {
            true => Self::decode::<T>(text),
            false => None,
        }
    }

    /// The body, when it is a `T`.
    pub fn get<T: 'static>(&self) -> Option<&T> {
        // Through the box: the box is itself a `Failure`, and would
        // answer as itself.
        (*self.0).as_any().downcast_ref()
    }
}

impl std::fmt::Debug for FailureBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// How a request type reads the body of an error-status reply: its
/// [`Request::failure`](crate::Request::failure).
pub(crate) type FailureReader = fn(u16, &str) -> Option<FailureBody>;
