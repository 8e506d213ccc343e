//! The README's shell walkthrough, run as written: its block of commands
//! in bash, with the built `whm` first on the `PATH`, against the fake
//! servers the walkthrough itself starts with `whm fake`.

mod common;

use std::process::Command;

/// The block after the README's walkthrough marker.
fn walkthrough() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("the README");
    let marker = "<!-- walkthrough: cli/tests/walkthrough.rs runs the block below -->";
    let after = &readme[readme.find(marker).expect("the walkthrough's marker") + marker.len()..];
    let start = after.find("```sh\n").expect("a sh block") + "```sh\n".len();
    let end = after[start..].find("\n```").expect("the block's end");
    after[start..start + end].to_owned()
}

#[test]
fn the_readme_walkthrough_runs_as_written() {
    let script = walkthrough();
    assert!(
        script.starts_with("eval \"$(whm fake --background)\""),
        "{script}"
    );
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_whm"))
        .parent()
        .unwrap()
        .to_owned();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("bash");
    command
        .arg("-e")
        .arg("-o")
        .arg("pipefail")
        .arg("-c")
        .arg(format!(
            "set -x\n{script}\necho \"fake pid: $WHM_FAKE_PID\""
        ));
    common::clean_env(&mut command);
    command.env("PATH", path);
    let (code, out, err) = common::run(&mut command);
    assert_eq!(code, 0, "{out}\n{err}");
    // Each step did what the walkthrough says.
    for wanted in [
        "connection: ok",
        "the same functions: the bindings match this server",
        "createacct: ",
        "user",
        "Authorization: whm root:***",
        "\"acct\"",
        "exit status 5: some servers failed, on purpose",
        "\"server\":\"web2\",\"ok\":false",
    ] {
        assert!(out.contains(wanted), "{wanted:?} not in:\n{out}\n{err}");
    }
    // The fake servers stopped when told to.
    let pid = out
        .lines()
        .find_map(|l| l.strip_prefix("fake pid: "))
        .and_then(|p| p.trim().parse::<i32>().ok())
        .expect("the last fake's pid");
    let mut gone = false;
    for _ in 0..50 {
        let alive = std::path::Path::new(&format!("/proc/{pid}")).exists()
            && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .unwrap_or_default()
                .contains(") Z ");
        if !alive {
            gone = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(gone, "the fake servers still run after `kill`");
}

/// `whm fake` in the foreground: its `export` lines, until Ctrl-C.
fn foreground(args: &[&str]) -> (std::process::Child, Vec<(String, String)>) {
    use std::io::BufRead as _;
    let mut command = common::whm(None, &[&["fake"], args].concat());
    command.stdout(std::process::Stdio::piped());
    command.stderr(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut exports = Vec::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(set) = line.strip_prefix("export ") {
            let (name, value) = set.split_once('=').unwrap();
            exports.push((name.to_owned(), value.trim_matches('\'').to_owned()));
        }
        if line.starts_with("unset WHM_CA") || line.starts_with("export WHM_CA") {
            break;
        }
    }
    (child, exports)
}

#[test]
fn whm_fake_serves_https_and_fleets_until_interrupted() {
    let (mut child, exports) = foreground(&["--tls"]);
    let get = |name: &str| {
        exports
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {name} in {exports:?}"))
    };
    assert!(get("WHM_URL").starts_with("https://127.0.0.1:"));
    let ca = get("WHM_CA");
    let mut call = common::whm(None, &["version", "-o", "json"]);
    for (name, value) in &exports {
        call.env(name, value);
    }
    let (code, out, err) = common::run(&mut call);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"version\""), "{out}");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    assert!(child.wait().unwrap().success());
    assert!(!std::path::Path::new(&ca).exists(), "its files removed");

    let dir = tempfile::tempdir().unwrap();
    let (mut child, exports) = foreground(&["--fleet", "5", "--dir", dir.path().to_str().unwrap()]);
    let servers = exports
        .iter()
        .find(|(n, _)| n == "WHM_SERVERS")
        .map(|(_, v)| v.clone())
        .unwrap();
    let (code, out, err) = common::run(&mut common::whm(None, &["version", "--servers", &servers]));
    assert_eq!(code, 5, "{err}");
    let failed: std::collections::BTreeMap<String, u64> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|l| l["ok"] == false)
        .map(|l| {
            (
                l["server"].as_str().unwrap().to_owned(),
                l["error"]["status"].as_u64().unwrap(),
            )
        })
        .collect();
    // web2 fails every call, web3 refuses the token, web4 is not running.
    assert_eq!(
        failed.into_iter().collect::<Vec<_>>(),
        [
            ("web2".to_owned(), 1),
            ("web3".to_owned(), 3),
            ("web4".to_owned(), 4)
        ]
    );
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    assert!(child.wait().unwrap().success());
    assert!(
        std::path::Path::new(&servers).exists(),
        "a --dir of the user's stays"
    );
}
