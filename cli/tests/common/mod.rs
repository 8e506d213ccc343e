//! What the end-to-end tests of `whm` share: the binary with a clean
//! environment, a pseudo-terminal to run it on, hostile servers that
//! answer whatever a test says, and private files.

#![allow(dead_code)]

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use whm_api::testing::{FakeServer, credentials};

/// The binary with the environment of a user of `server` (no config file).
pub fn whm(server: Option<&FakeServer>, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_whm"));
    command.args(args);
    clean_env(&mut command);
    if let Some(server) = server {
        command
            .env("WHM_URL", server.base_url())
            .env("WHM_USER", credentials::USER)
            .env("WHM_TOKEN", credentials::TOKEN);
    }
    command
}

/// No `WHM_*` setting and no config file from the machine running the tests.
pub fn clean_env(command: &mut Command) {
    for name in [
        "WHM_URL",
        "WHM_TOKEN",
        "WHM_USER",
        "WHM_CONFIG",
        "WHM_SERVERS",
        "WHM_CA",
        "XDG_CONFIG_HOME",
    ] {
        command.env_remove(name);
    }
    command.env("HOME", "/nonexistent");
}

/// Runs `command`: its exit status, standard output and error.
pub fn run(command: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("whm runs");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// Runs `command` with standard output and error on a pseudo-terminal:
/// its exit status and every byte written to the terminal.
pub fn on_terminal(mut command: Command) -> (i32, Vec<u8>) {
    let pty = nix::pty::openpty(None, None).expect("a pseudo-terminal");
    let out = pty.slave.try_clone().unwrap();
    command
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(pty.slave));
    let mut child = command.spawn().expect("whm runs");
    // The parent's copies of the terminal's ends go with the command, so
    // that reading ends when the child does.
    drop(command);
    let mut master = std::fs::File::from(pty.master);
    let mut written = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match master.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => written.extend_from_slice(&buf[..n]),
            // Linux answers EIO once every slave end is closed.
            Err(_) => break,
        }
    }
    let status = child.wait().unwrap().code().unwrap_or(-1);
    (status, written)
}

/// Fails unless `bytes` hold no control character but line ends (the
/// terminal writes `\r\n`), no C1 control, and no bidi or other invisible
/// format character.
pub fn assert_nothing_a_terminal_acts_on(bytes: &[u8], what: &str) {
    let text = String::from_utf8_lossy(bytes);
    for (i, c) in text.char_indices() {
        let code = u32::from(c);
        let control = c.is_control() && c != '\n' && c != '\r';
        let format = matches!(code, 0x200b..=0x200f | 0x202a..=0x202e | 0x2066..=0x2069 | 0xfeff | 0xe0000..=0xe007f | 0x061c | 0x00ad);
        assert!(
            !control && !format,
            "{what}: U+{code:04X} at byte {i} reached the terminal: {text:?}"
        );
    }
}

/// Text a hostile server puts in what it returns: retitling the window,
/// clearing the screen, switching the character set, writing the
/// clipboard (OSC 52), reversing what follows, and CSI and OSC as C1.
pub const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{e}SO\u{f}\u{1b}]52;c;cHduZWQ=\u{7}\u{202e}desrever\u{2066}\u{9b}31m\u{9d}x\u{200b}";

/// A private file (mode `mode`).
pub fn write_private(path: &Path, text: &str, mode: u32) {
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

/// A fake server on a runtime of its own.
pub fn server() -> FakeServer {
    FakeServer::start_in_background(false).expect("a fake server")
}

/// A request as a hostile server read it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The request line and headers.
    pub head: String,
    /// The body.
    pub body: Vec<u8>,
}

/// A server on loopback that answers every request as `answer` writes it
/// (status line, headers and body, or endless bytes): what no real WHM
/// does, but a hostile or broken server may.
pub struct Hostile {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Request>>>,
}

impl Hostile {
    pub fn start(answer: impl Fn(&Request, &mut TcpStream) + Send + Sync + 'static) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let kept = requests.clone();
        let answer = Arc::new(answer);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let (kept, answer) = (kept.clone(), answer.clone());
                std::thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                    while let Some(request) = read_request(&mut stream) {
                        kept.lock().unwrap().push(request.clone());
                        answer(&request, &mut stream);
                    }
                });
            }
        });
        Hostile { url, requests }
    }

    /// A server whose every reply is `status` with `body` (JSON).
    pub fn answering(status: u16, headers: &'static str, body: Vec<u8>) -> Hostile {
        Hostile::start(move |_, stream| {
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{headers}\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        })
    }

    pub fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    Some(Request { head, body })
}

/// `whm` pointed at `url` with the fake server's credentials.
pub fn whm_at(url: &str, args: &[&str]) -> Command {
    let mut command = whm(None, args);
    command
        .env("WHM_URL", url)
        .env("WHM_USER", credentials::USER)
        .env("WHM_TOKEN", credentials::TOKEN);
    command
}

/// A WHM API 1 reply of `command` with `data`.
pub fn reply(command: &str, data: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"data": data, "metadata": {"command": command, "reason": "OK", "result": 1, "version": 1}})
}

/// A `listaccts` reply of `n` records, as bytes.
pub fn accounts_body(n: usize) -> Vec<u8> {
    let mut body = String::from("{\"data\":{\"acct\":[");
    for i in 0..n {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            "{{\"user\":\"user{i}\",\"domain\":\"site{i}.example\",\"diskused\":\"{}M\",\"suspended\":0}}",
            i % 1000
        ));
    }
    body.push_str(
        "]},\"metadata\":{\"command\":\"listaccts\",\"reason\":\"OK\",\"result\":1,\"version\":1}}",
    );
    body.into_bytes()
}

/// A fleet on loopback: servers that answer, servers that take the
/// connection and never answer, ports where nothing listens; named in a
/// servers file in an order that mixes them.
pub struct Fleet {
    answering: Vec<FakeServer>,
    hanging: Vec<TcpListener>,
    dir: tempfile::TempDir,
    /// Each server's name and whether it answers.
    pub expected: std::collections::BTreeMap<String, bool>,
    _runtime: tokio::runtime::Runtime,
}

impl Fleet {
    pub fn start(answering: usize, hanging: usize, refusing: usize) -> Fleet {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let fakes: Vec<FakeServer> = runtime.block_on(async {
            let mut all = Vec::new();
            for _ in 0..answering {
                all.push(FakeServer::start().await.unwrap());
            }
            all
        });
        let hanging: Vec<TcpListener> = (0..hanging)
            .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
            .collect();
        let mut urls: Vec<(String, bool)> = fakes.iter().map(|s| (s.base_url(), true)).collect();
        urls.extend(
            hanging
                .iter()
                .map(|l| (format!("http://{}", l.local_addr().unwrap()), false)),
        );
        for _ in 0..refusing {
            let closed = TcpListener::bind("127.0.0.1:0").unwrap();
            urls.push((format!("http://{}", closed.local_addr().unwrap()), false));
        }
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::new();
        let mut expected = std::collections::BTreeMap::new();
        for n in 0..urls.len() {
            // 7919 is prime: every wave meets every kind.
            let (url, answers) = &urls[(n * 7919) % urls.len()];
            let name = format!("s{n:04}");
            text.push_str(&format!(
                "[profiles.{name}]\nurl = \"{url}\"\ntoken = \"{}\"\n",
                credentials::TOKEN
            ));
            expected.insert(name, *answers);
        }
        write_private(&dir.path().join("servers.toml"), &text, 0o600);
        Fleet {
            answering: fakes,
            hanging,
            dir,
            expected,
            _runtime: runtime,
        }
    }

    /// The servers file.
    pub fn file(&self) -> String {
        self.dir.path().join("servers.toml").display().to_string()
    }

    /// `whm version` on every server, 64 at a time, 3 s each.
    pub fn call(&self) -> Vec<String> {
        let file = self.file();
        [
            "version",
            "--servers",
            &file,
            "--concurrency",
            "64",
            "--timeout",
            "3",
        ]
        .map(str::to_owned)
        .to_vec()
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        // The servers stop before their runtime does.
        self.answering.clear();
        self.hanging.clear();
    }
}
