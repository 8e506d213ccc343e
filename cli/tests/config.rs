//! Profiles files hold API tokens: `whm` reads one only when it is a
//! regular file that its user owns and no one else can read or change, in
//! a directory no one else can write to, and never quotes what it holds.

mod common;

use std::os::unix::fs::{PermissionsExt as _, symlink};
use std::path::Path;
use std::time::{Duration, Instant};

use common::{run, whm, write_private};
use whm_api::testing::credentials;

fn profile(url: &str) -> String {
    format!(
        "[profiles.default]\nurl = \"{url}\"\nuser = \"{}\"\ntoken = \"{}\"\n",
        credentials::USER,
        credentials::TOKEN
    )
}

fn with_config(path: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["--config", path.to_str().unwrap()];
    all.extend_from_slice(args);
    run(&mut whm(None, &all))
}

#[test]
fn a_file_others_can_read_or_change_is_refused_with_who_can() {
    let server = common::server();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    for (mode, said) in [
        (0o644, "its group can read it and everyone can read it"),
        (0o640, "its group can read it"),
        (0o602, "everyone can change it"),
        (0o620, "its group can change it"),
        (0o606, "everyone can read and change it"),
    ] {
        write_private(&config, &profile(&server.base_url()), mode);
        let (code, _, err) = with_config(&config, &["version"]);
        assert_eq!(code, 2, "{mode:o}: {err}");
        assert!(err.contains(said), "{mode:o}: {err}");
        assert!(err.contains("chmod 600"), "{err}");
    }
    write_private(&config, &profile(&server.base_url()), 0o600);
    let (code, _, err) = with_config(&config, &["version"]);
    assert_eq!(code, 0, "{err}");

    // Through a symlink, the file it points to is what counts.
    let open = dir.path().join("open.toml");
    write_private(&open, &profile(&server.base_url()), 0o644);
    let link = dir.path().join("link.toml");
    symlink(&open, &link).unwrap();
    let (code, _, err) = with_config(&link, &["version"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("everyone can read it"), "{err}");
    let private_link = dir.path().join("private-link.toml");
    symlink(&config, &private_link).unwrap();
    let (code, _, err) = with_config(&private_link, &["version"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        server.request_count(),
        2,
        "only the private files were used"
    );
}

#[test]
fn the_directory_and_the_owner_count_too() {
    let server = common::server();
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let config = shared.join("config.toml");
    write_private(&config, &profile(&server.base_url()), 0o600);
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o770)).unwrap();
    let (code, _, err) = with_config(&config, &["version"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("its group can add and remove files"), "{err}");
    assert!(err.contains("chmod go-w"), "{err}");
    // A sticky directory (as /tmp is) lets no one replace another's file.
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let (code, _, err) = with_config(&config, &["version"]);
    assert_eq!(code, 0, "{err}");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o700)).unwrap();

    // A file of another user: made so when the tests run as root, else
    // one of root's.
    let me = nix::unistd::geteuid();
    let theirs = if me.is_root() {
        let theirs = dir.path().join("theirs.toml");
        write_private(&theirs, &profile(&server.base_url()), 0o600);
        nix::unistd::chown(&theirs, Some(nix::unistd::Uid::from_raw(4242)), None).unwrap();
        theirs
    } else {
        Path::new("/etc/passwd").to_owned()
    };
    let (code, _, err) = with_config(&theirs, &["version"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("belongs to another user"), "{err}");
}

#[test]
fn what_is_not_a_file_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = with_config(dir.path(), &["version"]);
    assert_eq!(code, 2);
    assert!(err.contains("is a directory"), "{err}");
    let fifo = dir.path().join("fifo");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
    let started = Instant::now();
    let (code, _, err) = with_config(&fifo, &["version"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "no wait for a writer"
    );
}

#[test]
fn a_malformed_file_says_where_without_quoting_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let secret = "s3cret-token-value";
    for (text, line, column) in [
        // An unclosed string: where it ends.
        (
            format!("[profiles.default]\nurl = \"http://x\"\ntoken = \"{secret}\n"),
            3,
            28,
        ),
        (
            format!("[profiles.default]\nurl = \"http://x\"\ntoken = {secret}\n"),
            3,
            9,
        ),
        (
            format!("[profiles.default]\nurl = \"http://x\"\ntoken = [\"{secret}\"]\n"),
            3,
            9,
        ),
        (
            format!("[profiles.default]\nurl = \"http://x\"\ntokn = \"{secret}\"\n"),
            3,
            1,
        ),
    ] {
        write_private(&config, &text, 0o600);
        let (code, out, err) = with_config(&config, &["version"]);
        assert_eq!(code, 2, "{text}: {err}");
        assert!(!err.contains(secret) && !out.contains(secret), "{err}");
        let at = format!("config.toml:{line}:{column}:");
        assert!(err.contains(&at), "{text}: wanted {at} in {err}");
    }
    // A profile without a token says which.
    write_private(
        &config,
        "[profiles.default]\nurl = \"http://x\"\n[profiles.web2]\nurl = \"http://y\"\n",
        0o600,
    );
    let (code, _, err) = with_config(&config, &["--profile", "web2", "version"]);
    assert_eq!(code, 2);
    assert!(err.contains("profile `default` has no `token`"), "{err}");
}
