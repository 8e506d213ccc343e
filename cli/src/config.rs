//! Profiles files (the config file and `--servers` files): they hold API
//! tokens, so one is read only when it is a regular file that only its
//! owner, the user running `whm`, can read or change, in a directory that
//! no one else can write to (who could write there could swap the file).
//! A file that cannot be read says where and why, and never quotes what
//! it holds: a token may stand on the line it is about.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use whm_runtime::Secret;

use crate::servers::Server;

/// A profile as the file writes it; checked after reading, so that a
/// missing member names its profile.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    url: Option<String>,
    user: Option<String>,
    token: Option<String>,
    ca: Option<PathBuf>,
}

/// A config or servers file: `[profiles.NAME]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// The default config file: `$XDG_CONFIG_HOME/whm/config.toml`, else
/// `~/.config/whm/config.toml`.
pub fn default_config() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("whm").join("config.toml"))
}

/// Every profile in the file at `path`, in name order.
pub fn profiles(path: &Path) -> Result<Vec<Server>, String> {
    let shown = crate::terminal::visible(&path.display().to_string()).into_owned();
    let text = read_private(path, &shown)?;
    let file: File = toml::from_str(&text).map_err(|e| parse_error(&shown, &text, &e))?;
    file.profiles
        .into_iter()
        .map(|(name, p)| {
            let missing = |what: &str| {
                format!(
                    "{shown}: profile `{}` has no `{what}`",
                    crate::terminal::visible(&name)
                )
            };
            Ok(Server {
                url: p.url.ok_or_else(|| missing("url"))?,
                user: p.user.unwrap_or_else(|| "root".to_owned()),
                token: Secret::new(p.token.ok_or_else(|| missing("token"))?),
                ca: p.ca,
                max_reply: 0,
                name,
            })
        })
        .collect()
}

/// Where a file cannot be read as profiles: its line and column, and what
/// is wrong, without what the file holds there.
fn parse_error(shown: &str, text: &str, error: &toml::de::Error) -> String {
    let at = match error.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("{shown}:{line}:{column}")
        }
        None => shown.to_owned(),
    };
    format!("{at}: {}", describe(error.message()))
}

/// A parser's message without the values it quotes: what stands in
/// quotes or backticks is kept only when it is a member's name (the names
/// whm knows; the key a "unknown field", "missing field" or "duplicate
/// key" message is about) or a piece of TOML's syntax (`=`, `"`); serde's
/// "invalid type: string \"...\"" keeps its kinds alone.
fn describe(message: &str) -> String {
    const NAMES: [&str; 5] = ["profiles", "url", "user", "token", "ca"];
    let first = message.lines().next().unwrap_or_default().trim();
    let about_a_key = ["unknown field", "missing field", "duplicate key"]
        .iter()
        .any(|m| first.starts_with(m));
    let mut out = String::new();
    let mut rest = first;
    let mut segment = 0;
    while let Some(open) = rest.find(['`', '"', '\'']) {
        let quote = rest[open..].chars().next().unwrap_or('`');
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find(quote) else {
            rest = "";
            break;
        };
        let inside = &after[..close];
        segment += 1;
        let syntax = inside.chars().count() <= 3 && !inside.chars().any(char::is_alphanumeric);
        if NAMES.contains(&inside) || syntax || (about_a_key && segment == 1) {
            out.push_str(&format!("`{inside}`"));
        } else {
            out.push_str("(value not shown)");
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    crate::terminal::visible(out.trim()).into_owned()
}

/// The text of the file at `path`, once it is known to be private.
#[cfg(unix)]
fn read_private(path: &Path, shown: &str) -> Result<String, String> {
    use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _};
    // Opened without waiting (a FIFO would block until written to), and
    // checked as opened: the file read is the file checked.
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    if meta.is_dir() {
        return Err(format!(
            "{shown} is a directory: name the profiles file in it"
        ));
    }
    if !meta.is_file() {
        return Err(format!(
            "{shown} is not a regular file (a FIFO, a device or a socket): profiles are read from a file"
        ));
    }
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me {
        return Err(format!(
            "{shown} holds API tokens but belongs to another user (uid {}): use a file of your own",
            meta.uid()
        ));
    }
    if let Some(who) = others_may(meta.mode(), false) {
        return Err(format!(
            "{shown} holds API tokens but {who} (mode {:04o}): run `chmod 600 {shown}`",
            meta.mode() & 0o7777
        ));
    }
    check_directory(path, shown)?;
    let mut text = String::new();
    file.read_to_string(&mut text)
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    Ok(text)
}

/// The directory the file really is in may not be writable by others:
/// whoever can write there can put another file in its place.
#[cfg(unix)]
fn check_directory(path: &Path, shown: &str) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt as _;
    let real = std::fs::canonicalize(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let Some(dir) = real.parent() else {
        return Ok(());
    };
    let dir_shown = crate::terminal::visible(&dir.display().to_string()).into_owned();
    let meta = std::fs::metadata(dir).map_err(|e| format!("cannot read {dir_shown}: {e}"))?;
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me && meta.uid() != 0 {
        return Err(format!(
            "{shown} is in {dir_shown}, which belongs to another user (uid {}), who could replace it: keep it in a directory of your own",
            meta.uid()
        ));
    }
    // A sticky directory (`/tmp`) lets no one replace another's file.
    let sticky = meta.mode() & 0o1000 != 0;
    if !sticky && let Some(who) = others_may(meta.mode(), true) {
        return Err(format!(
            "{shown} is in {dir_shown}, where {who} (mode {:04o}), and so could replace it: run `chmod go-w {dir_shown}`",
            meta.mode() & 0o7777
        ));
    }
    Ok(())
}

/// Who else may read or change a file (or, for a directory, only change
/// it) with this mode, in words; `None` when no one.
#[cfg(unix)]
fn others_may(mode: u32, directory: bool) -> Option<String> {
    let mut said = Vec::new();
    for (who, shift) in [("its group", 3), ("everyone", 0)] {
        let bits = (mode >> shift) & 0o7;
        let read = bits & 0o4 != 0 && !directory;
        let write = bits & 0o2 != 0;
        let verb = match (read, write) {
            (true, true) => "read and change it",
            (true, false) => "read it",
            (false, true) if directory => "add and remove files",
            (false, true) => "change it",
            (false, false) => continue,
        };
        said.push(format!("{who} can {verb}"));
    }
    (!said.is_empty()).then(|| said.join(" and "))
}

#[cfg(not(unix))]
fn read_private(path: &Path, shown: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_names_and_drop_values() {
        assert_eq!(
            describe("invalid type: string \"s3cret\", expected a sequence"),
            "invalid type: string (value not shown), expected a sequence"
        );
        assert_eq!(
            describe("unknown field `tokn`, expected one of `url`, `user`, `token`, `ca`"),
            "unknown field `tokn`, expected one of `url`, `user`, `token`, `ca`"
        );
        assert_eq!(
            describe("invalid basic string\nmore"),
            "invalid basic string"
        );
        assert_eq!(describe("expected `=`, `.`"), "expected `=`, `.`");
        assert_eq!(
            describe("invalid value: string \"abc\", expected u64"),
            "invalid value: string (value not shown), expected u64"
        );
        assert_eq!(describe("a \"dangling quote s3cret"), "a");
    }

    #[cfg(unix)]
    #[test]
    fn who_else_may_read_or_change_it_in_words() {
        assert_eq!(others_may(0o600, false), None);
        assert_eq!(others_may(0o640, false).unwrap(), "its group can read it");
        assert_eq!(others_may(0o602, false).unwrap(), "everyone can change it");
        assert_eq!(others_may(0o620, false).unwrap(), "its group can change it");
        assert_eq!(
            others_may(0o666, false).unwrap(),
            "its group can read and change it and everyone can read and change it"
        );
        assert_eq!(others_may(0o755, true), None);
        assert_eq!(
            others_may(0o777, true).unwrap(),
            "its group can add and remove files and everyone can add and remove files"
        );
    }
}
