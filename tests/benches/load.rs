//! Load check: many calls, many at once, against the fake WHM server.
//!
//! Run: `cargo bench -p whm-codegen-tests --bench load`. Makes 10,000
//! `listaccts` calls, 64 at a time (and then one at a time), through the
//! generated client over HTTP on 127.0.0.1, and reports calls per second
//! and memory. Fails (exit 1) on any error, or when memory grows by more
//! than 32 MiB between the first and the last round: it must stay flat.

use std::sync::Arc;
use std::time::Instant;

use whm_api::accounts::Listaccts;
use whm_api::testing::FakeServer;

const CALLS: usize = 10_000;
const ROUNDS: usize = 5;

fn memory_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

async fn round(client: &Arc<whm_api::Client>, calls: usize, concurrency: usize) -> (f64, usize) {
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..concurrency {
        let client = client.clone();
        let share = calls / concurrency + usize::from(worker < calls % concurrency);
        workers.spawn(async move {
            let mut errors = 0;
            for _ in 0..share {
                match client.listaccts(Listaccts::new()).await {
                    Ok(data) if !data.acct.is_empty() => {}
                    _ => errors += 1,
                }
            }
            errors
        });
    }
    let mut errors = 0;
    while let Some(result) = workers.join_next().await {
        errors += result.unwrap_or(1);
    }
    (calls as f64 / started.elapsed().as_secs_f64(), errors)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let failed = runtime.block_on(async {
        let server = FakeServer::start().await.expect("the fake server starts");
        let client = Arc::new(server.client().expect("a client"));
        println!("load check: {CALLS} listaccts calls per round against the fake server on {}", server.base_url());
        let mut first_rss = 0;
        let mut last_rss = 0;
        let mut total_errors = 0;
        for r in 1..=ROUNDS {
            let (rate, errors) = round(&client, CALLS, 64).await;
            total_errors += errors;
            let rss = memory_kib("VmRSS:");
            if r == 1 {
                first_rss = rss;
            }
            last_rss = rss;
            println!("  round {r}: 64 concurrent  {rate:8.0} calls/s  errors {errors}  RSS {:5} MiB", rss / 1024);
        }
        let (rate, errors) = round(&client, CALLS / 5, 1).await;
        total_errors += errors;
        println!("  sequential:    1 at a time  {rate:8.0} calls/s  errors {errors}");
        let peak = memory_kib("VmHWM:");
        let growth = last_rss.saturating_sub(first_rss);
        println!(
            "peak RSS {} MiB; RSS after round 1 {} MiB, after round {ROUNDS} {} MiB (growth {} KiB); {} requests served",
            peak / 1024,
            first_rss / 1024,
            last_rss / 1024,
            growth,
            server.request_count()
        );
        let mut failed = false;
        if total_errors > 0 {
            println!("FAIL: {total_errors} calls failed");
            failed = true;
        }
        if growth > 32 * 1024 {
            println!("FAIL: memory grew by {} MiB over {} calls", growth / 1024, CALLS * (ROUNDS - 1));
            failed = true;
        }
        failed
    });
    if failed {
        std::process::exit(1);
    }
}
