//! A fake server that answers like the API, on loopback, for testing code
//! that uses a generated crate without a real server.
//!
//! It serves every operation's documented example, checks credentials and
//! the fixed parameters, refuses parameters the operation does not take and
//! missing required ones (a failure in the API's envelope, as the real
//! server answers), and lets a test script failures per operation: an API
//! failure, refused credentials (401/403 with WHM's legacy body), an HTML
//! login page, a slow reply, a truncated body, or any raw reply. With
//! [`FakeServer::start_tls`] it serves HTTPS with a certificate of its own CA.
//!
//! Generated crates wrap it with their operations (`whm_api::testing::FakeServer`).

mod controls;
mod emulation;
mod http;

use http::handle;
mod replies;
mod tls;

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::settings::{ClientBuilder, FromSettings};
use crate::wire::ApiSpec;
use crate::wire::Auth;
pub use replies::{Answer, FailureShape};
pub use tls::Certificate;

/// An operation the fake server knows: its description (path,
/// parameters, envelope, list) and its documented reply.
#[derive(Debug, Clone, Copy)]
pub struct FakeOperation {
    /// The operation, as its crate describes it.
    pub operation: &'static crate::operation::Operation,
    /// The documented reply (JSON), or `""`.
    pub example: &'static str,
}

impl FakeOperation {
    /// The operation's wire name.
    pub fn name(&self) -> &'static str {
        self.operation.name
    }

    /// How its replies are wrapped.
    fn envelope(&self, api: &'static ApiSpec) -> &'static crate::wire::Envelope {
        api.envelope_for(self.operation.envelope)
    }
}

/// The credentials the fake server accepts.
pub mod credentials {
    /// The user of tokens and passwords.
    pub const USER: &str = "root";
    /// The API token.
    pub const TOKEN: &str = "fake-whm-token";
    /// The password.
    pub const PASSWORD: &str = "fake-password";
    /// The API key.
    pub const KEY: &str = "fake-api-key";
}

/// A scripted behaviour of one operation (or of all, under `*`).
#[derive(Debug, Clone, Default)]
struct Script {
    delay: Option<Duration>,
    answer: Option<Scripted>,
}

#[derive(Debug, Clone)]
enum Scripted {
    Fail(replies::Failing),
    /// Succeed, in the envelope's older shape.
    Legacy,
    Answer(Answer),
}

/// A request the fake server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string as sent.
    pub query: String,
    /// The `Content-Type` header.
    pub content_type: String,
    /// The body as sent.
    pub body: Vec<u8>,
    /// The parameters, from the query and a form body, in order.
    pub params: Vec<(String, String)>,
    /// Whether the `Authorization` header was present.
    pub authorized_by_header: bool,
    /// The other headers, by lowercase name, in order; the credentials
    /// left out (`Authorization`, an API key's header, an API key's
    /// cookie), so that none is kept or shown.
    pub headers: Vec<(String, String)>,
}

/// How many requests are kept for [`FakeServer::requests`].
const KEPT: usize = 256;

struct Shared {
    api: &'static ApiSpec,
    operations: HashMap<&'static str, Vec<&'static FakeOperation>>,
    scripts: Mutex<HashMap<String, Script>>,
    /// Replies that replace operations' documented examples.
    examples: Mutex<HashMap<String, String>>,
    recorded: Mutex<std::collections::VecDeque<Recorded>>,
    count: AtomicU64,
    /// Connections accepted.
    connections: AtomicU64,
    /// TLS handshakes that resumed an earlier session.
    resumed: AtomicU64,
}

/// A fake server on an ephemeral loopback port; it stops when dropped.
pub struct FakeServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    ca: Option<String>,
    stop: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeServer")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl FakeServer {
    /// Starts a plain-HTTP server on the current tokio runtime.
    pub async fn start(
        api: &'static ApiSpec,
        operations: &'static [FakeOperation],
    ) -> std::io::Result<FakeServer> {
        Self::launch(api, operations, None).await
    }

    /// Starts an HTTPS server whose certificate is signed by a CA of its
    /// own: clients refuse it until they trust [`FakeServer::ca_certificate_pem`].
    pub async fn start_tls(
        api: &'static ApiSpec,
        operations: &'static [FakeOperation],
    ) -> std::io::Result<FakeServer> {
        Self::launch(api, operations, Some(tls::Certificate::SignedByCa)).await
    }

    /// Starts an HTTPS server whose certificate signs itself and is marked
    /// as a CA, as a fresh cPanel server's is: clients refuse it until they
    /// trust [`FakeServer::ca_certificate_pem`], which is that certificate.
    pub async fn start_tls_self_signed(
        api: &'static ApiSpec,
        operations: &'static [FakeOperation],
    ) -> std::io::Result<FakeServer> {
        Self::launch(api, operations, Some(tls::Certificate::SelfSignedCa)).await
    }

    /// Starts a server on a runtime of its own, for tests of blocking code.
    pub fn start_in_background(
        api: &'static ApiSpec,
        operations: &'static [FakeOperation],
        tls: bool,
    ) -> std::io::Result<FakeServer> {
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = sender.send(Err(e));
                    return;
                }
            };
            runtime.block_on(async move {
                let tls = tls.then_some(tls::Certificate::SignedByCa);
                match Self::launch(api, operations, tls).await {
                    Ok(mut server) => {
                        let mut stop = server.stop.subscribe();
                        server.thread = None;
                        let _ = sender.send(Ok(server));
                        let _ = stop.wait_for(|stopped| *stopped).await;
                    }
                    Err(e) => {
                        let _ = sender.send(Err(e));
                    }
                }
            });
        });
        let mut server = receiver.recv().map_err(std::io::Error::other)??;
        server.thread = Some(thread);
        Ok(server)
    }

    async fn launch(
        api: &'static ApiSpec,
        operations: &'static [FakeOperation],
        tls: Option<tls::Certificate>,
    ) -> std::io::Result<FakeServer> {
        Self::start_on(api, operations, tls, 0).await
    }

    /// Starts a server on the current tokio runtime, on loopback port
    /// `port` (0: any free one), plain HTTP or HTTPS with a certificate of
    /// `tls`'s kind.
    pub async fn start_on(
        api: &'static ApiSpec,
        operations: &'static [FakeOperation],
        tls: Option<Certificate>,
        port: u16,
    ) -> std::io::Result<FakeServer> {
        let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let (acceptor, ca) = match tls {
            Some(kind) => {
                let (acceptor, ca) = tls::acceptor(kind)?;
                (Some(acceptor), Some(ca))
            }
            None => (None, None),
        };
        let shared = Arc::new(Shared {
            api,
            operations: operations.iter().fold(HashMap::new(), |mut by_path, op| {
                by_path
                    .entry(op.operation.path)
                    .or_insert_with(Vec::new)
                    .push(op);
                by_path
            }),
            scripts: Mutex::new(HashMap::new()),
            examples: Mutex::new(HashMap::new()),
            recorded: Mutex::new(std::collections::VecDeque::new()),
            count: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            resumed: AtomicU64::new(0),
        });
        let (stop, mut stopped) = watch::channel(false);
        let serving = shared.clone();
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    accepted = listener.accept() => accepted,
                    _ = stopped.changed() => return,
                };
                let Ok((stream, _)) = accepted else { continue };
                serving.connections.fetch_add(1, Ordering::Relaxed);
                let shared = serving.clone();
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let counts = shared.clone();
                    let service = service_fn(move |request| {
                        let shared = shared.clone();
                        async move { Ok::<_, Infallible>(handle(&shared, request).await) }
                    });
                    match acceptor {
                        Some(acceptor) => {
                            // A client that refuses the certificate ends the handshake here.
                            if let Ok(tls) = acceptor.accept(stream).await {
                                let kind = tls.get_ref().1.handshake_kind();
                                if kind == Some(rustls::HandshakeKind::Resumed) {
                                    counts.resumed.fetch_add(1, Ordering::Relaxed);
                                }
                                let _ = http1::Builder::new()
                                    .serve_connection(TokioIo::new(tls), service)
                                    .await;
                            }
                        }
                        None => {
                            let _ = http1::Builder::new()
                                .serve_connection(TokioIo::new(stream), service)
                                .await;
                        }
                    }
                });
            }
        });
        Ok(FakeServer {
            shared,
            addr,
            ca,
            stop,
            thread: None,
        })
    }

    /// The server's root URL (`http://127.0.0.1:PORT` or `https://...`).
    pub fn base_url(&self) -> String {
        let scheme = if self.ca.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// The PEM of the CA that signed an HTTPS server's certificate.
    pub fn ca_certificate_pem(&self) -> Option<&str> {
        self.ca.as_deref()
    }

    /// A client builder for this server: its URL, accepted credentials
    /// (the API's first way to authenticate) and, for HTTPS, its CA.
    pub fn client_builder<C: FromSettings>(&self) -> ClientBuilder<C> {
        let mut builder = ClientBuilder::new(self.base_url());
        builder = match self.shared.api.auth.first() {
            Some(Auth::Token { .. }) => builder.api_token(credentials::USER, credentials::TOKEN),
            Some(Auth::Basic) => builder.basic_auth(credentials::USER, credentials::PASSWORD),
            Some(Auth::Bearer) => builder.bearer_token(credentials::TOKEN),
            Some(Auth::KeyParam { .. } | Auth::KeyHeader { .. } | Auth::KeyCookie { .. }) => {
                builder.api_key(credentials::KEY)
            }
            None => builder,
        };
        match &self.ca {
            // The PEM was made above; it always parses.
            Some(pem) => builder
                .add_root_certificate(pem)
                .unwrap_or_else(|_| ClientBuilder::new(self.base_url())),
            None => builder,
        }
    }

    fn script(&self, operation: &str, change: impl FnOnce(&mut Script)) {
        let mut scripts = self
            .shared
            .scripts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        change(scripts.entry(operation.to_owned()).or_default());
    }

    /// Makes `operation` (`*`: every operation) fail in the API's envelope with `reason`.
    pub fn fail(&self, operation: &str, reason: &str) {
        self.fail_as(operation, FailureShape::Flag, reason, &[]);
    }

    /// Makes `operation` (`*`: every operation) fail with `reason` in one
    /// of the shapes real servers use, as the envelope describes them
    /// (see [`FailureShape`]), with `errors` as its further causes where
    /// the envelope keeps them (WHM's `metadata.errors`).
    pub fn fail_as(&self, operation: &str, shape: FailureShape, reason: &str, errors: &[&str]) {
        let failing = replies::Failing {
            shape,
            reason: reason.to_owned(),
            errors: errors.iter().map(|e| (*e).to_owned()).collect(),
        };
        self.script(operation, |s| s.answer = Some(Scripted::Fail(failing)));
    }

    /// Makes `operation` (`*`: every operation) succeed in the envelope's
    /// older shape, as a server answers when `api.version=1` is lost on
    /// the way (WHM API 0: the payload's members beside `status` and
    /// `statusmsg`, and a listing's records bare). Nothing changes for an
    /// API without one.
    pub fn answer_legacy(&self, operation: &str) {
        self.script(operation, |s| s.answer = Some(Scripted::Legacy));
    }

    /// Makes `operation` refuse credentials with `status` (401 or 403) and
    /// a body in the shape the API's refusals take (WHM's: its legacy
    /// `cpanelresult` body, served as text).
    pub fn deny(&self, operation: &str, status: u16) {
        let api = self.shared.api;
        self.script(operation, |s| {
            s.answer = Some(Scripted::Answer(replies::denied(api, status)))
        });
    }

    /// Makes `operation` answer with the HTML login page of a two-factor account.
    pub fn login_page(&self, operation: &str) {
        let api = self.shared.api;
        self.script(operation, |s| {
            s.answer = Some(Scripted::Answer(replies::login_page(api)))
        });
    }

    /// Makes `operation` answer only after `delay`.
    pub fn delay(&self, operation: &str, delay: Duration) {
        self.script(operation, |s| s.delay = Some(delay));
    }

    /// Makes `operation` send half its reply and close the connection.
    pub fn truncate(&self, operation: &str) {
        let operations = self.shared.operations.clone();
        let api = self.shared.api;
        self.script(operation, |s| {
            let fake = operations
                .values()
                .flatten()
                .find(|op| op.name() == operation);
            let example = fake.map_or("", |op| op.example);
            let envelope = api.envelope_for(fake.and_then(|op| op.operation.envelope));
            let mut answer = Answer::json(&replies::success(envelope, operation, example));
            answer.truncated = true;
            s.answer = Some(Scripted::Answer(answer));
        });
    }

    /// Makes `operation` answer with exactly this.
    pub fn respond(
        &self,
        operation: &str,
        status: u16,
        content_type: &'static str,
        body: impl Into<Vec<u8>>,
    ) {
        let answer = Answer {
            status,
            content_type,
            body: body.into(),
            truncated: false,
        };
        self.script(operation, |s| s.answer = Some(Scripted::Answer(answer)));
    }

    /// Makes `reply` (JSON) the documented reply of `operation`: served,
    /// checked and, for a list, filtered, sorted and paged like the example.
    pub fn set_example(&self, operation: &str, reply: &Value) {
        let mut examples = self
            .shared
            .examples
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        examples.insert(operation.to_owned(), reply.to_string());
    }

    /// Removes what was scripted for `operation`.
    pub fn reset(&self, operation: &str) {
        self.shared
            .scripts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(operation);
    }

    /// The last requests received (up to 256), oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared
            .recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }

    /// How many requests the server has received.
    pub fn request_count(&self) -> u64 {
        self.shared.count.load(Ordering::Relaxed)
    }

    /// How many connections the server has accepted: a client that keeps
    /// its connections alive opens about as many as it has calls in flight.
    pub fn connection_count(&self) -> u64 {
        self.shared.connections.load(Ordering::Relaxed)
    }

    /// How many of an HTTPS server's TLS handshakes resumed an earlier
    /// session (a client's new connection to a server it has talked to)
    /// rather than doing the whole handshake again.
    pub fn resumed_sessions(&self) -> u64 {
        self.shared.resumed.load(Ordering::Relaxed)
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// An operation of a generated crate called with example values, through
/// its typed method: what tests use to exercise every operation. A table
/// of these is data: each entry builds its request from the documented
/// examples, and every call then goes through [`as_json`].
#[derive(Debug, Clone, Copy)]
pub struct ExampleCall<C: 'static> {
    /// The operation.
    pub operation: &'static crate::operation::Operation,
    /// Calls it on a client.
    pub call: for<'a> fn(&'a C) -> crate::client::call::Pending<'a, Value>,
}

/// Code that calls every operation of a generated crate with example
/// values: its `testing::each_example` calls [`example`](Self::example)
/// once for each operation, with a call of it through its typed method.
/// The calls (and the reply decoders behind them) are compiled where
/// `each_example` is called, not in every build of the crate.
pub trait EachExample<C: 'static> {
    /// Called with each operation and a call of it on a client `C`.
    fn example(
        &mut self,
        operation: &'static crate::operation::Operation,
        call: for<'a> fn(&'a C) -> crate::client::call::Pending<'a, Value>,
    );
}

impl<C: 'static> EachExample<C> for Vec<ExampleCall<C>> {
    fn example(
        &mut self,
        operation: &'static crate::operation::Operation,
        call: for<'a> fn(&'a C) -> crate::client::call::Pending<'a, Value>,
    ) {
        self.push(ExampleCall { operation, call });
    }
}

impl<C: 'static> ExampleCall<C> {
    /// Every example call that `each` goes through (a generated crate's
    /// `testing::each_example`).
    pub fn all(each: fn(&mut Vec<ExampleCall<C>>)) -> Vec<ExampleCall<C>> {
        let mut all = Vec::new();
        each(&mut all);
        all
    }
}

/// Sends `call`; its payload re-encoded as JSON, for comparing with the
/// documented example.
pub fn as_json<R: crate::api::Request>(
    call: crate::client::call::Call<'_, R>,
) -> crate::client::call::Pending<'_, Value>
where
    R::Data: serde::Serialize,
{
    call.start(|exchange| {
        exchange
            .interpret()
            .map(|reply: crate::reply::Reply<R::Data>| to_json(&reply.data))
    })
}

/// A payload as JSON, for comparing with the documented example.
pub fn to_json<T: serde::Serialize>(data: &T) -> Value {
    serde_json::to_value(data).unwrap_or(Value::Null)
}
