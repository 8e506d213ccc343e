//! Memory and file descriptors stay bounded whatever a server sends:
//! a table of a million records streams, a reply past the size cap stops
//! there, and a fleet of a thousand servers (some hanging, some refusing)
//! holds only the calls in flight.
//!
//! One test, its cases in turn: a process's peak memory is read from
//! `getrusage(RUSAGE_CHILDREN)`, the largest of the children waited for
//! so far, so each case is checked against a bound no lower than the
//! cases' before it, and nothing else in this test binary starts a child.

mod common;

use std::io::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Hostile, clean_env, run};
use whm_api::testing::credentials;

/// The largest peak memory of the children waited for so far, in MiB.
fn peak_mib() -> u64 {
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage");
    // Linux gives kilobytes.
    u64::try_from(usage.max_rss()).unwrap_or(0) / 1024
}

/// `whm` with at most `fds` open files, pointed at `url` (if any).
fn limited(fds: u32, url: Option<&str>, args: &[&str]) -> Command {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit -n {fds} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_whm"))
        .args(args);
    clean_env(&mut command);
    if let Some(url) = url {
        command
            .env("WHM_URL", url)
            .env("WHM_TOKEN", credentials::TOKEN);
    }
    command
}

#[test]
fn memory_and_descriptors_stay_bounded() {
    // A reply that says it is 500 MB: refused before it is read.
    let declared = Hostile::start(|_, stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 524288000\r\n\r\n{",
        );
        std::thread::sleep(Duration::from_secs(30));
    });
    let (code, _, err) = run(&mut limited(64, Some(&declared.url), &["version"]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("larger than"), "{err}");
    let peak = peak_mib();
    assert!(peak < 60, "a refused reply: {peak} MiB");

    fleet_of_a_thousand();
    let peak = peak_mib();
    assert!(peak < 250, "a fleet of 1,000 servers: {peak} MiB");

    // A million records as a table, written as they are read: the body
    // (about 80 MB) and little more.
    let body = common::accounts_body(1_000_000);
    let size = body.len();
    let table = Hostile::answering(200, "", body);
    let started = Instant::now();
    let output = limited(64, Some(&table.url), &["listaccts", "-o", "table"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        output.stdout.iter().filter(|&&b| b == b'\n').count(),
        1_000_001,
        "a header and a row per record"
    );
    let lines: Vec<&[u8]> = output.stdout.split(|&b| b == b'\n').collect();
    // The columns were settled on the first thousand records: longer
    // cells later are cut to them.
    assert_eq!(
        String::from_utf8_lossy(lines[1_000_000]),
        "user99…  site999999.exa…  999M      0"
    );
    let peak = peak_mib();
    assert!(
        peak < 300,
        "a table of 1,000,000 records ({} MB): {peak} MiB, {:?}",
        size / 1_000_000,
        started.elapsed()
    );

    // Endless chunks: read up to the cap (256 MiB), then stopped.
    let endless = Hostile::start(|_, stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        );
        let chunk = format!("{:x}\r\n{}\r\n", 1 << 20, "7".repeat(1 << 20));
        while stream.write_all(chunk.as_bytes()).is_ok() {}
    });
    let (code, _, err) = run(&mut limited(64, Some(&endless.url), &["version"]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("larger than 268435456 bytes"), "{err}");
    let peak = peak_mib();
    assert!(peak < 450, "endless chunks: {peak} MiB");
}

/// 1,000 servers at 64 at a time, with at most 256 open files: 40 never
/// answer, 100 refuse connections, the rest answer; done within the
/// per-server timeout plus a margin, each reported exactly once.
fn fleet_of_a_thousand() {
    let fleet = common::Fleet::start(860, 40, 100);
    let args = fleet.call();
    let started = Instant::now();
    let output = limited(
        256,
        None,
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
    )
    .output()
    .unwrap();
    let took = started.elapsed();
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(5), "{err}");
    // 3 s timeout, 5 s grace: the hanging 40 fit in one wave (one after
    // another they would take 120 s). The margin is for a debug build on a
    // loaded machine; `cargo bench -p whm-cli --bench hostile` measures it.
    assert!(took < Duration::from_secs(60), "took {took:?}");
    let mut seen = std::collections::BTreeMap::new();
    for line in out.lines() {
        let line: serde_json::Value = serde_json::from_str(line).unwrap();
        let server = line["server"].as_str().unwrap().to_owned();
        let ok = line["ok"] == true;
        assert!(seen.insert(server, ok).is_none(), "reported twice");
    }
    assert_eq!(seen, fleet.expected, "every server, once, as it is");
    assert!(err.contains("140 of 1000 servers failed"), "{err}");
}
