//! What `whm` costs on what a fleet tool meets: a 1,000-server fleet at
//! `--concurrency 64` (40 servers hanging, 100 refusing, 860 answering)
//! and a 1,000,000-record reply as a table, and a 3,000,000-record one
//! (250 MB) as YAML and as a table: wall time, peak memory and peak open
//! files of the `whm` process, read from /proc while it runs.
//!
//! `cargo bench -p whm-cli --bench hostile` (the release build);
//! `WHM_BENCH_BIN=path/to/whm` measures another build of `whm` the same way.

#[path = "../tests/common/mod.rs"]
mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use whm_api::testing::credentials;

/// A run's figures.
struct Figures {
    took: Duration,
    peak_mib: u64,
    peak_fds: usize,
    status: Option<i32>,
    lines: usize,
}

fn program() -> String {
    std::env::var("WHM_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_whm").to_owned())
}

/// Runs `command`, sampling its memory high-water mark and open files.
fn measure(mut command: Command) -> Figures {
    command.stdout(Stdio::piped()).stderr(Stdio::null());
    let started = Instant::now();
    let mut child = command.spawn().expect("whm runs");
    let pid = child.id();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut lines = 0;
        let mut buf = vec![0u8; 1 << 16];
        while let Ok(n) = std::io::Read::read(&mut stdout, &mut buf) {
            if n == 0 {
                break;
            }
            lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
        }
        lines
    });
    let (mut peak_kib, mut peak_fds) = (0u64, 0usize);
    loop {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status"))
            && let Some(kib) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak_kib = peak_kib.max(kib);
        }
        if let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) {
            peak_fds = peak_fds.max(fds.count());
        }
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = child.wait().unwrap().code();
    let took = started.elapsed();
    Figures {
        took,
        peak_mib: peak_kib / 1024,
        peak_fds,
        status,
        lines: reader.join().unwrap_or(0),
    }
}

fn whm(args: &[&str]) -> Command {
    let mut command = Command::new(program());
    command.args(args);
    common::clean_env(&mut command);
    command
}

fn fleet() -> Figures {
    let fleet = common::Fleet::start(860, 40, 100);
    let args = fleet.call();
    measure(whm(&args.iter().map(String::as_str).collect::<Vec<_>>()))
}

fn listing(records: usize, format: &str) -> (Figures, usize) {
    let body = common::accounts_body(records);
    let size = body.len();
    let server = common::Hostile::answering(200, "", body);
    let mut command = whm(&["listaccts", "-o", format]);
    command
        .env("WHM_URL", &server.url)
        .env("WHM_TOKEN", credentials::TOKEN);
    (measure(command), size)
}

fn main() {
    println!("whm: {}", program());
    let f = fleet();
    println!(
        "fleet of 1,000 servers (40 hanging, 100 refusing), --concurrency 64 --timeout 3: {:.2} s, peak {} MiB, peak {} open files, {} lines, exit {:?}",
        f.took.as_secs_f64(),
        f.peak_mib,
        f.peak_fds,
        f.lines,
        f.status
    );
    for (records, format) in [
        (1_000_000, "table"),
        (3_000_000, "yaml"),
        (3_000_000, "table"),
    ] {
        let (t, size) = listing(records, format);
        println!(
            "{format} of {records} records ({:.1} MB reply): {:.2} s, peak {} MiB, {} lines, exit {:?}",
            size as f64 / 1e6,
            t.took.as_secs_f64(),
            t.peak_mib,
            t.lines,
            t.status
        );
    }
}
