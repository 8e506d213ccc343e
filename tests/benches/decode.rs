//! Decoding speed: a `listaccts` reply with 10,000 accounts.
//!
//! Run: `cargo bench -p whm-codegen-tests --bench decode`. Reads the same
//! reply four ways and reports MB/s (median of several runs):
//!
//! - `typed reply`: what the client does with a reply it received: the
//!   envelope checked (`metadata.result`), the payload decoded into
//!   `ListacctsData` with its lenient field decoders;
//! - `typed payload`: `ListacctsData` from the payload alone;
//! - `serde_json::Value`: the whole reply as an untyped tree;
//! - `IgnoredAny` (`serde::de::IgnoredAny`): the whole reply parsed and
//!   thrown away, the floor.
//!
//! Prints whether the typed reply is at least as fast as `Value` (exits 1
//! when it is not) and within 2x of `IgnoredAny`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde::de::IgnoredAny;
use serde_json::Value;
use whm_api::accounts::{Listaccts, ListacctsData};

const ACCOUNTS: usize = 10_000;
const RUNS: usize = 25;

/// The documented `listaccts` reply, its one account made into `ACCOUNTS`
/// different ones.
fn reply_with_many_accounts() -> Vec<u8> {
    let example = whm_api::testing::OPERATIONS
        .iter()
        .find(|op| op.name == "listaccts")
        .expect("listaccts is in the spec")
        .example;
    let mut reply: Value = serde_json::from_str(example).expect("the example is JSON");
    let template = reply["data"]["acct"][0].clone();
    let accounts: Vec<Value> = (0..ACCOUNTS)
        .map(|i| {
            let mut acct = template.clone();
            acct["user"] = format!("user{i}").into();
            acct["domain"] = format!("site{i}.example.com").into();
            acct["email"] = format!("owner{i}@example.com").into();
            acct["uid"] = (1000 + i).to_string().into();
            acct["diskused"] = format!("{}M", i % 977).into();
            acct["suspended"] = (i % 7 == 0).into();
            acct
        })
        .collect();
    reply["data"]["acct"] = accounts.into();
    serde_json::to_vec(&reply).expect("JSON encodes")
}

/// Median MB/s of `RUNS` runs of `decode` over `body`. Freeing what was
/// decoded is not timed (as criterion's `iter_with_large_drop`): it is the
/// allocator's work, not the decoder's, and the same for every contender.
fn measure<T>(body: &[u8], decode: impl Fn(&[u8]) -> T) -> f64 {
    drop(decode(body)); // warm up
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            let decoded = black_box(decode(body));
            let elapsed = started.elapsed();
            drop(decoded);
            elapsed
        })
        .collect();
    times.sort();
    body.len() as f64 / 1e6 / times[RUNS / 2].as_secs_f64()
}

fn main() {
    let body = reply_with_many_accounts();
    let payload = {
        let reply: Value = serde_json::from_slice(&body).expect("JSON");
        serde_json::to_vec(&reply["data"]).expect("JSON")
    };
    let decoded =
        whm_runtime::__private::read_reply::<Listaccts>(200, &body).expect("the reply decodes");
    assert_eq!(decoded.data.acct.len(), ACCOUNTS);
    assert_eq!(
        decoded.data.acct[ACCOUNTS - 1].user,
        format!("user{}", ACCOUNTS - 1)
    );

    println!(
        "decode: listaccts reply with {ACCOUNTS} accounts, {:.1} MB ({} runs, median)",
        body.len() as f64 / 1e6,
        RUNS
    );
    let typed = measure(&body, |b| {
        whm_runtime::__private::read_reply::<Listaccts>(200, b).expect("decodes")
    });
    let payload_only = measure(&payload, |b| {
        serde_json::from_slice::<ListacctsData>(b).expect("decodes")
    });
    let value = measure(&body, |b| {
        serde_json::from_slice::<Value>(b).expect("parses")
    });
    let floor = measure(&body, |b| {
        serde_json::from_slice::<IgnoredAny>(b).expect("parses")
    });
    println!("{:22} {typed:8.1} MB/s", "typed reply");
    println!("{:22} {payload_only:8.1} MB/s", "typed payload");
    println!("{:22} {value:8.1} MB/s", "serde_json::Value");
    println!("{:22} {floor:8.1} MB/s", "IgnoredAny (floor)");
    println!(
        "typed reply: {:.2}x the speed of Value, {:.2}x the time of the floor",
        typed / value,
        floor / typed
    );
    // The floor allocates nothing; a typed reply allocates every string it
    // keeps (about 300,000 here), which alone takes longer than the floor's
    // whole parse with the system allocator. BENCHMARKS.md has the details.
    let within_floor = floor / typed <= 2.0;
    println!(
        "targets: at least Value's speed: {}; within 2x of the floor: {}",
        if typed >= value { "met" } else { "MISSED" },
        if within_floor { "met" } else { "not met" }
    );
    if typed < value {
        eprintln!("decode target missed: the typed reply is slower than serde_json::Value");
        std::process::exit(1);
    }
}
