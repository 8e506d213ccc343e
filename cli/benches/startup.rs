//! Start-up to first byte sent: `whm version` run against a loopback
//! listener, timed from the process's spawn to the first byte of its
//! request arriving. The table of every function is static data, so no
//! start pays for reading it.
//!
//! `cargo bench -p whm-cli --bench startup` (the release build).

use std::io::Read as _;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let rounds = 31;
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_whm"))
            .args(["version", "--timeout", "5"])
            .env("WHM_URL", &url)
            .env("WHM_TOKEN", "bench-token")
            .env_remove("WHM_CONFIG")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("whm starts");
        let (mut socket, _) = listener.accept().expect("whm connects");
        let mut first = [0u8; 1];
        socket
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        socket
            .read_exact(&mut first)
            .expect("whm sends its request");
        times.push(started.elapsed());
        drop(socket);
        let _ = child.kill();
        let _ = child.wait();
    }
    times.sort();
    let median = times[rounds / 2];
    println!(
        "whm start-up to first byte sent: median {:.1} ms, fastest {:.1} ms, slowest {:.1} ms ({rounds} runs)",
        median.as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0,
        times[rounds - 1].as_secs_f64() * 1000.0,
    );
    println!(
        "target: under 50 ms: {}",
        if median < Duration::from_millis(50) {
            "met"
        } else {
            "not met"
        }
    );
}
