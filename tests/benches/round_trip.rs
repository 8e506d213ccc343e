//! Round trip: what the typed client costs per call beside a bare HTTP
//! client doing the same request.
//!
//! Run: `cargo bench -p whm-codegen-tests --bench round_trip`. The same
//! 1,000 `listaccts` calls go over loopback to a minimal HTTP/1.1 server
//! (a fixed reply and no work of its own, on a thread of its own, so that
//! the clients' costs show) through
//! - (a) the generated client, decoding the typed reply, and
//! - (b) bare reqwest, sending the same request (the typed client's
//!   preview: method, URL, headers, body), reading the body and parsing
//!   it with `serde_json::from_slice::<IgnoredAny>` (the least a client
//!   can do),
//!
//! with a small reply (one account) and a 1 MB one (700 accounts), one
//! call at a time and 64 at once. The two run in alternation, `ROUNDS`
//! times, and the best round of each is reported: calls per second,
//! median and p99 latency. Each contender has a server of its own, which
//! counts the connections it accepts: keep-alive reuses them, so a loop
//! of calls one at a time opens one or two, and 64 at a time about as
//! many as are in flight (the pool opens one more where a call starts
//! just before another's connection is back). A further round of each,
//! with the allocator counting, gives the memory held at the peak per
//! call in flight. Exits 1 when a call fails, or when a contender opens
//! more than four times as many connections as it has calls in flight (a
//! pool that kept none would open one per call: 3,000).
//! `ROUND_TRIP_REPLY=small` or `=large` runs one of the two replies alone,
//! and `ROUND_TRIP_CONTENDER=typed` or `=bare` one contender alone (to
//! count what each costs: `perf stat -e instructions:u`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::Bytes;
use serde::de::IgnoredAny;
use whm_api::accounts::Listaccts;

const CALLS: usize = 1_000;
const ROUNDS: usize = 3;
const TOKEN: &str = "ROUNDTRIPTOKEN";

/// The system allocator, counting the bytes held now and at the peak
/// while `COUNTING` is on. It is off for the timed rounds: counters that
/// every thread writes would slow the contender that allocates most.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
// Signed: memory allocated before counting began may be freed during it.
static HELD: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn count(change: isize) {
    if COUNTING.load(Ordering::Relaxed) {
        let held = HELD.fetch_add(change, Ordering::Relaxed) + change;
        PEAK.fetch_max(held, Ordering::Relaxed);
    }
}

// SAFETY: every call goes to the system allocator as it came; the
// counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promised for `layout`.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` with this `layout`.
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as the caller promised for `ptr`, `layout`, `new_size`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A server on loopback, on a thread and runtime of its own, that
/// answers every request with `body` and counts the connections it
/// accepts.
fn serve(body: Bytes, connections: Arc<AtomicUsize>) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    listener
        .set_nonblocking(true)
        .expect("a non-blocking socket");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("the server's runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a listener");
            while let Ok((stream, _)) = listener.accept().await {
                connections.fetch_add(1, Ordering::Relaxed);
                let body = body.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |_request| {
                        let mut reply = hyper::Response::new(Full::new(body.clone()));
                        reply.headers_mut().insert(
                            hyper::header::CONTENT_TYPE,
                            hyper::header::HeaderValue::from_static("application/json"),
                        );
                        async move { Ok::<_, Infallible>(reply) }
                    });
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
    });
    address
}

/// The request (a) sends, for (b) to send as it is.
struct BareRequest {
    method: reqwest::Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

impl BareRequest {
    /// What `typed` sends for `listaccts` (its preview), to `base`: the
    /// same method, path, headers and body, the token (masked in a
    /// preview) put back.
    fn as_sent_by(typed: &whm_api::Client, typed_base: &str, base: &str) -> Self {
        let preview = typed
            .listaccts(Listaccts::new())
            .preview()
            .expect("a preview");
        let headers = preview
            .headers
            .into_iter()
            .map(|(name, value)| {
                let value = if name.eq_ignore_ascii_case("authorization") {
                    value.replace("***", TOKEN)
                } else {
                    value
                };
                (name, value)
            })
            .collect();
        BareRequest {
            method: preview.method.parse().expect("a method"),
            url: preview.url.replacen(typed_base, base, 1),
            headers,
            body: preview.body,
        }
    }
}

/// One way of making the call (each with a server of its own).
#[derive(Clone)]
enum Contender {
    Typed(Arc<whm_api::Client>),
    Bare(reqwest::Client, Arc<BareRequest>),
}

impl Contender {
    fn name(&self) -> &'static str {
        match self {
            Contender::Typed(_) => "(a) typed client",
            Contender::Bare(..) => "(b) bare reqwest",
        }
    }

    /// One call; whether it succeeded.
    async fn call(&self) -> bool {
        match self {
            Contender::Typed(client) => client
                .listaccts(Listaccts::new())
                .await
                .is_ok_and(|data| !data.acct.is_empty()),
            Contender::Bare(client, request) => {
                let mut builder = client.request(request.method.clone(), &request.url);
                for (name, value) in &request.headers {
                    builder = builder.header(name, value);
                }
                if let Some(body) = &request.body {
                    builder = builder.body(body.clone());
                }
                let sent = builder.send().await;
                let Ok(response) = sent else { return false };
                if !response.status().is_success() {
                    return false;
                }
                match response.bytes().await {
                    Ok(body) => serde_json::from_slice::<IgnoredAny>(&body).is_ok(),
                    Err(_) => false,
                }
            }
        }
    }
}

/// What one round measured.
struct Round {
    rate: f64,
    p50: Duration,
    p99: Duration,
    errors: usize,
}

/// `CALLS` calls, `concurrency` at a time.
async fn round(contender: &Contender, concurrency: usize) -> Round {
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..concurrency {
        let contender = contender.clone();
        let share = CALLS / concurrency + usize::from(worker < CALLS % concurrency);
        workers.spawn(async move {
            let mut latencies = Vec::with_capacity(share);
            let mut errors = 0;
            for _ in 0..share {
                let call = Instant::now();
                if !contender.call().await {
                    errors += 1;
                }
                latencies.push(call.elapsed());
            }
            (latencies, errors)
        });
    }
    let mut latencies = Vec::with_capacity(CALLS);
    let mut errors = 0;
    while let Some(done) = workers.join_next().await {
        let (mut some, failed) = done.unwrap_or_default();
        latencies.append(&mut some);
        errors += failed;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    Round {
        rate: CALLS as f64 / elapsed.as_secs_f64(),
        p50: at(0.5),
        p99: at(0.99),
        errors: errors + CALLS - latencies.len(),
    }
}

/// The memory a round holds at its peak beyond what it started with, per
/// call in flight, counted by the allocator.
async fn peak_per_call(contender: &Contender, concurrency: usize) -> isize {
    COUNTING.store(true, Ordering::SeqCst);
    let baseline = HELD.load(Ordering::SeqCst);
    PEAK.store(baseline, Ordering::SeqCst);
    let _ = round(contender, concurrency).await;
    COUNTING.store(false, Ordering::SeqCst);
    (PEAK.load(Ordering::SeqCst) - baseline) / concurrency as isize
}

/// The bytes a decoded reply of `body` holds.
fn decoded_size(body: &[u8]) -> isize {
    COUNTING.store(true, Ordering::SeqCst);
    let before = HELD.load(Ordering::SeqCst);
    let reply = whm_runtime::__private::read_reply::<Listaccts>(200, body).expect("decodes");
    let held = HELD.load(Ordering::SeqCst) - before;
    COUNTING.store(false, Ordering::SeqCst);
    drop(reply);
    held
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut failed = false;
    runtime.block_on(async {
        // `ROUND_TRIP_REPLY=small` (or `large`) runs one size alone, to profile.
        let only = std::env::var("ROUND_TRIP_REPLY").ok();
        let sizes = [("small", "small reply", 1), ("large", "1 MB reply", 700)];
        for (_, label, accounts) in sizes
            .into_iter()
            .filter(|(name, ..)| only.as_deref().is_none_or(|o| o == *name))
        {
            let body = whm_codegen_tests::listaccts_reply(accounts);
            let connections = [Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0))];
            let [typed_base, bare_base] = connections.clone().map(|accepted| {
                format!("http://{}", serve(Bytes::from(body.clone()), accepted))
            });
            let typed = whm_runtime::ClientBuilder::<whm_api::Client>::new(&*typed_base)
                .api_token("root", TOKEN)
                .build()
                .expect("a client");
            let request = Arc::new(BareRequest::as_sent_by(&typed, &typed_base, &bare_base));
            let alone = std::env::var("ROUND_TRIP_CONTENDER").ok();
            // Each contender with the count of connections its server accepted.
            let contenders: Vec<(Contender, Arc<AtomicUsize>)> = [
                Contender::Typed(Arc::new(typed)),
                Contender::Bare(reqwest::Client::new(), request),
            ]
            .into_iter()
            .zip(connections)
            .filter(|(c, _)| alone.as_deref().is_none_or(|a| c.name().contains(a)))
            .collect();
            println!(
                "{label}: {} bytes, {accounts} account(s), {} KiB decoded; {CALLS} calls a round, best of {ROUNDS}",
                body.len(),
                decoded_size(&body) / 1024
            );
            for concurrency in [1, 64] {
                let accepted_before: Vec<usize> =
                    contenders.iter().map(|(_, c)| c.load(Ordering::Relaxed)).collect();
                let mut best: Vec<Option<Round>> = contenders.iter().map(|_| None).collect();
                for _ in 0..ROUNDS {
                    for ((contender, _), best) in contenders.iter().zip(&mut best) {
                        let measured = round(contender, concurrency).await;
                        failed |= measured.errors > 0;
                        if best.as_ref().is_none_or(|b| measured.rate > b.rate) {
                            *best = Some(measured);
                        }
                    }
                }
                for (((contender, accepted), r), before) in
                    contenders.iter().zip(best.iter().flatten()).zip(&accepted_before)
                {
                    let opened = accepted.load(Ordering::Relaxed) - before;
                    let peak = peak_per_call(contender, concurrency).await;
                    println!(
                        "  {concurrency:2} at a time  {:16} {:7.0} calls/s  p50 {:7.3} ms  p99 {:7.3} ms  \
                         peak {:5} KiB per call in flight  {opened:3} connections for {} calls",
                        contender.name(),
                        r.rate,
                        r.p50.as_secs_f64() * 1e3,
                        r.p99.as_secs_f64() * 1e3,
                        peak / 1024,
                        CALLS * ROUNDS
                    );
                    failed |= opened > 4 * concurrency.max(2);
                }
                if let [Some(typed), Some(bare)] = &best[..] {
                    println!(
                        "  {concurrency:2} at a time  typed / bare: {:.2}x the calls/s, {:.2}x the p99",
                        typed.rate / bare.rate,
                        typed.p99.as_secs_f64() / bare.p99.as_secs_f64()
                    );
                }
            }
        }
    });
    if failed {
        eprintln!("round trip: a call failed, or calls did not share connections");
        std::process::exit(1);
    }
}
