//! `whm fake`: fake WHM servers on loopback, to try `whm` (and scripts
//! that use it) without a WHM server. Each answers every function of the
//! spec with its documented example, checks the token and each
//! parameter as WHM does, and filters, sorts and pages lists; `--fleet N`
//! starts N of them, some failing on purpose, and writes a servers file
//! naming them. What to set is printed as `export` lines, so that
//! `eval "$(whm fake --background)"` sets it up in a shell.

use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};

use whm_runtime::testing::{Certificate, FakeServer, credentials};

/// `whm fake`'s options.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Serve HTTPS, with a certificate of the server's own CA (its file is
    /// printed as WHM_CA).
    #[arg(long)]
    tls: bool,
    /// The loopback port (with --fleet, the first of consecutive ports)
    /// [default: any free port].
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Start N servers and write a servers file naming them (WHM_SERVERS);
    /// web2, web7, ... fail every call, web3, web8, ... refuse the token,
    /// and web4, web9, ... are not running.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1000))]
    fleet: Option<u16>,
    /// Leave the servers running in the background, print what to set and
    /// return (`kill $WHM_FAKE_PID` stops them).
    #[arg(long)]
    background: bool,
    /// The directory for the servers file and CA files [default: a new
    /// private directory, removed when the servers stop].
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Serve for a parent that runs in the foreground (`--background`).
    #[arg(long, hide = true)]
    for_parent: bool,
}

/// What a fleet's server does, by its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Answers,
    FailsEveryCall,
    RefusesTheToken,
    NotRunning,
}

fn role(number: usize, fleet: bool) -> Role {
    if !fleet {
        return Role::Answers;
    }
    match number % 5 {
        2 => Role::FailsEveryCall,
        3 => Role::RefusesTheToken,
        4 => Role::NotRunning,
        _ => Role::Answers,
    }
}

/// Runs `whm fake`; its exit status.
pub fn run(args: &Args) -> u8 {
    if args.background && !args.for_parent {
        return background(args);
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            crate::tell(&format!("whm fake: cannot start: {e}"));
            return 4;
        }
    };
    runtime.block_on(serve(args))
}

/// Starts the servers, prints what to set, and serves until interrupted.
async fn serve(args: &Args) -> u8 {
    let (dir, made) = match directory(args.dir.as_deref()) {
        Ok(found) => found,
        Err(e) => {
            crate::tell(&format!("whm fake: {e}"));
            return 2;
        }
    };
    let started = start(args, &dir).await;
    let (servers, lines) = match started {
        Ok(started) => started,
        Err(e) => {
            crate::tell(&format!("whm fake: {e}"));
            if made {
                let _ = std::fs::remove_dir_all(&dir);
            }
            return 4;
        }
    };
    let mut out = std::io::stdout().lock();
    for line in &lines {
        let _ = writeln!(out, "{line}");
    }
    if args.for_parent {
        let _ = writeln!(out, "{READY}");
    }
    let _ = out.flush();
    drop(out);
    if !args.for_parent {
        crate::tell(&format!(
            "whm fake: {} fake WHM server{} on loopback, answering {} functions; Ctrl-C stops {}",
            servers.len(),
            if servers.len() == 1 { "" } else { "s" },
            whm_api::testing::OPERATIONS.len(),
            if servers.len() == 1 { "it" } else { "them" },
        ));
    }
    stopped().await;
    drop(servers);
    if made {
        let _ = std::fs::remove_dir_all(&dir);
    }
    0
}

/// Waits for Ctrl-C, or for `kill` (SIGTERM).
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut term) = signal(SignalKind::terminate()) else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// The directory for the files: the one given, or a new private one
/// (and whether it was made here, to remove it at the end).
fn directory(given: Option<&Path>) -> Result<(PathBuf, bool), String> {
    if let Some(dir) = given {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
        return Ok((dir.to_owned(), false));
    }
    let base = std::env::temp_dir();
    for attempt in 0..100u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = base.join(format!(
            "whm-fake-{}-{:x}",
            std::process::id(),
            nanos ^ attempt
        ));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(&dir) {
            Ok(()) => return Ok((dir, true)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(format!(
                    "cannot make a directory in {}: {e}",
                    base.display()
                ));
            }
        }
    }
    Err("cannot make a directory for the servers' files".to_owned())
}

/// A file only its owner can read.
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The line that tells a parent the servers are up.
const READY: &str = "# whm fake: ready";

/// Starts the servers; them, and the lines that set a shell up for them.
async fn start(args: &Args, dir: &Path) -> Result<(Vec<FakeServer>, Vec<String>), String> {
    let fleet = args.fleet.is_some();
    let count = usize::from(args.fleet.unwrap_or(1));
    let certificate = args.tls.then_some(Certificate::SignedByCa);
    let mut servers = Vec::new();
    let mut profiles = String::from(
        "# Fake WHM servers of `whm fake --fleet`: web2, web7, ... fail every call,\n\
         # web3, web8, ... refuse the token, web4, web9, ... are not running.\n",
    );
    let mut lines = Vec::new();
    for number in 1..=count {
        let port = match args.port {
            0 => 0,
            first => u16::try_from(usize::from(first) + number - 1)
                .map_err(|_| format!("no port {first} + {}", number - 1))?,
        };
        let role = role(number, fleet);
        let server = FakeServer::start_on(
            &whm_api::API,
            whm_api::testing::OPERATIONS,
            certificate,
            port,
        )
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        // `applist` lists what the server offers: every function it serves.
        let names: Vec<&str> = whm_api::testing::OPERATIONS
            .iter()
            .map(|o| o.name())
            .collect();
        server.set_example(
            "applist",
            &serde_json::json!({
                "data": {"app": names},
                "metadata": {"command": "applist", "reason": "OK", "result": 1, "version": 1},
            }),
        );
        match role {
            Role::FailsEveryCall => server.fail("*", "This fake server fails every call."),
            Role::RefusesTheToken => server.deny("*", 403),
            Role::Answers | Role::NotRunning => {}
        }
        let url = server.base_url();
        let ca = match server.ca_certificate_pem() {
            Some(pem) => {
                let name = if fleet {
                    format!("web{number}-ca.pem")
                } else {
                    "ca.pem".to_owned()
                };
                let path = dir.join(name);
                write_private(&path, pem)?;
                Some(path)
            }
            None => None,
        };
        if fleet {
            profiles.push_str(&format!(
                "\n[profiles.web{number}]\nurl = \"{url}\"\nuser = \"{}\"\ntoken = \"{}\"\n",
                credentials::USER,
                credentials::TOKEN
            ));
            if let Some(ca) = &ca {
                profiles.push_str(&format!("ca = {:?}\n", ca.display().to_string()));
            }
        } else {
            lines.push(format!("export WHM_URL={url}"));
            lines.push(format!("export WHM_USER={}", credentials::USER));
            lines.push(format!("export WHM_TOKEN={}", credentials::TOKEN));
            lines.push("unset WHM_SERVERS".to_owned());
            match &ca {
                Some(ca) => lines.push(format!("export WHM_CA={}", shell_quoted(ca))),
                None => lines.push("unset WHM_CA".to_owned()),
            }
        }
        // A server that is not running: its port is given back, so that
        // connecting to it is refused.
        if role != Role::NotRunning {
            servers.push(server);
        }
    }
    if fleet {
        let path = dir.join("servers.toml");
        write_private(&path, &profiles)?;
        lines.push(format!("export WHM_SERVERS={}", shell_quoted(&path)));
        lines.push("unset WHM_CA".to_owned());
        lines.push(format!(
            "# {count} fake servers; web2, web7, ... fail every call, web3, web8, ... refuse the token, web4, web9, ... are not running"
        ));
    }
    Ok((servers, lines))
}

/// A path as one shell word.
fn shell_quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

/// `--background`: the servers run in a process of their own, started
/// here; what to set is printed once they are up, with `WHM_FAKE_PID`.
fn background(args: &Args) -> u8 {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            crate::tell(&format!("whm fake: cannot find the whm program: {e}"));
            return 4;
        }
    };
    let mut command = std::process::Command::new(exe);
    command.arg("fake").arg("--background").arg("--for-parent");
    command.arg("--port").arg(args.port.to_string());
    if args.tls {
        command.arg("--tls");
    }
    if let Some(n) = args.fleet {
        command.arg("--fleet").arg(n.to_string());
    }
    if let Some(dir) = &args.dir {
        command.arg("--dir").arg(dir);
    }
    command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            crate::tell(&format!("whm fake: cannot start the servers: {e}"));
            return 4;
        }
    };
    let Some(stdout) = child.stdout.take() else {
        return 4;
    };
    let mut lines = Vec::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        if line == READY {
            let mut out = std::io::stdout().lock();
            for line in &lines {
                let _ = writeln!(out, "{line}");
            }
            let _ = writeln!(out, "export WHM_FAKE_PID={}", child.id());
            let _ = writeln!(out, "# stop the fake servers with: kill $WHM_FAKE_PID");
            return 0;
        }
        lines.push(line);
    }
    let _ = child.kill();
    let _ = child.wait();
    crate::tell(
        "whm fake: the servers did not start (run `whm fake` in the foreground to see why)",
    );
    4
}
