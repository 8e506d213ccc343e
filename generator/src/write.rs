//! The only code that touches the disk, and always all or nothing.
//!
//! A file is written to a temporary file beside it and renamed over it, so a
//! reader sees the old file or the new one, never half of one. A file whose
//! content would not change is not rewritten, so build systems that watch
//! timestamps do not rebuild for nothing.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// A write that failed; the target is as it was.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct WriteError {
    /// The file or directory that could not be written.
    pub path: PathBuf,
    /// The I/O error.
    pub source: std::io::Error,
}

fn err(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError {
        path: path.to_owned(),
        source,
    }
}

/// Writes `contents` to `path` atomically; returns whether the file changed.
pub fn write_file(path: &Path, contents: &[u8]) -> Result<bool, WriteError> {
    if std::fs::read(path).is_ok_and(|existing| existing == contents) {
        return Ok(false);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(err(dir))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".whm-codegen-")
        .tempfile_in(dir)
        .map_err(err(dir))?;
    temp.write_all(contents).map_err(err(path))?;
    // A temporary file is private; the result gets the old file's
    // permissions, or the usual ones for a new source file.
    let permissions = match std::fs::metadata(path) {
        Ok(meta) => Some(meta.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(permissions) = permissions {
        temp.as_file()
            .set_permissions(permissions)
            .map_err(err(path))?;
    }
    temp.as_file().sync_all().map_err(err(path))?;
    temp.persist(path).map_err(|e| WriteError {
        path: path.to_owned(),
        source: e.error,
    })?;
    Ok(true)
}

/// Permissions for a new file: readable by all, as source files usually are.
#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt as _;
    Some(std::fs::Permissions::from_mode(0o644))
}

/// Elsewhere the temporary file's permissions are already the usual ones.
#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_skips_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.yaml");
        assert!(write_file(&path, b"one").unwrap());
        assert!(!write_file(&path, b"one").unwrap());
        assert!(write_file(&path, b"two").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn failure_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"x").unwrap();
        let e = write_file(&blocker.join("child.yaml"), b"x").unwrap_err();
        assert!(e.to_string().contains("file"), "{e}");
    }
}

/// One file of a directory's new contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// Path relative to the directory, `/`-separated.
    pub path: String,
    /// The contents.
    pub contents: Vec<u8>,
}

/// How a directory differs from what should be in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirDiff {
    /// Files to add.
    pub missing: Vec<String>,
    /// Files that should not be there.
    pub extra: Vec<String>,
    /// Files whose contents differ: (path, current text).
    pub changed: Vec<(String, String)>,
}

impl DirDiff {
    /// Whether the directory is as it should be.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.changed.is_empty()
    }
}

/// Every file under `dir`, as `/`-separated relative paths.
fn list(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// How `dir` differs from `files`.
pub fn compare_dir(dir: &Path, files: &[NewFile]) -> Result<DirDiff, WriteError> {
    let mut diff = DirDiff::default();
    let present = if dir.exists() {
        list(dir).map_err(err(dir))?
    } else {
        Vec::new()
    };
    for file in files {
        let path = dir.join(&file.path);
        match std::fs::read(&path) {
            Ok(existing) if existing == file.contents => {}
            Ok(existing) => diff.changed.push((
                file.path.clone(),
                String::from_utf8_lossy(&existing).into_owned(),
            )),
            Err(_) => diff.missing.push(file.path.clone()),
        }
    }
    for path in present {
        if !files.iter().any(|f| f.path == path) {
            diff.extra.push(path);
        }
    }
    Ok(diff)
}

/// Makes `dir` hold exactly `files`, all at once, and safely at every
/// instant: the new contents are written aside and swapped in, so a
/// failure leaves the old directory as it was, and an interrupted run (a
/// signal, a crash, a power cut) leaves either the old directory or the
/// new one in place, with nothing where a build tool looks for crates.
/// Returns whether anything changed.
///
/// The new contents are staged beside `dir`'s parent, not in it: a
/// workspace whose members are `generated/*` would take a directory staged
/// in `generated/` for a crate. On Linux the swap is one atomic exchange;
/// elsewhere the old directory is moved aside, then the new one in, and
/// if a run stops between the two, the next run puts the old one back. A
/// run first removes what an interrupted run left.
pub fn replace_dir(dir: &Path, files: &[NewFile]) -> Result<bool, WriteError> {
    match replace_dir_in_steps(dir, files, Swap::best(), &mut |_| true)? {
        Outcome::Unchanged => Ok(false),
        Outcome::Replaced | Outcome::Stopped(_) => Ok(true),
    }
}

/// The steps of [`replace_dir`], where an interrupted run can stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The staging directory exists, empty.
    Staged,
    /// The new contents are written in it.
    Written,
    /// The old directory is in the staging directory (two-rename swap).
    OldAside,
    /// The new contents are in place (two-rename swap), or swapped with
    /// the old ones (exchange).
    NewInPlace,
    /// The staging directory is removed.
    Cleaned,
}

/// How the new contents take the old ones' place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Swap {
    /// One atomic exchange of the two directories (Linux).
    Exchange,
    /// The old directory aside, then the new one in.
    TwoRenames,
}

impl Swap {
    fn best() -> Swap {
        if cfg!(target_os = "linux") {
            Swap::Exchange
        } else {
            Swap::TwoRenames
        }
    }
}

/// What [`replace_dir_in_steps`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Unchanged,
    Replaced,
    /// Stopped after this step, as an interrupted run would: nothing
    /// cleaned up.
    Stopped(Step),
}

/// The prefix of staging directories; the directory's own name follows.
const STAGING_PREFIX: &str = ".whm-codegen-staging-";
/// What earlier versions staged in the directory's parent.
const LEGACY_STAGING_PREFIX: &str = ".whm-codegen-new-";

/// [`replace_dir`], asking `go_on` after each step whether to go on (the
/// tests stop there, as a signal would).
fn replace_dir_in_steps(
    dir: &Path,
    files: &[NewFile],
    swap: Swap,
    go_on: &mut dyn FnMut(Step) -> bool,
) -> Result<Outcome, WriteError> {
    recover(dir)?;
    if compare_dir(dir, files)?.is_empty() {
        return Ok(Outcome::Unchanged);
    }
    let parent = parent_of(dir);
    std::fs::create_dir_all(&parent).map_err(err(&parent))?;
    let staging = new_staging(dir)?;
    if !go_on(Step::Staged) {
        return Ok(Outcome::Stopped(Step::Staged));
    }
    let fresh = staging.join("crate");
    for file in files {
        let path = fresh.join(&file.path);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(err(p))?;
        }
        std::fs::write(&path, &file.contents).map_err(err(&path))?;
        if let Some(permissions) = default_permissions() {
            std::fs::set_permissions(&path, permissions).map_err(err(&path))?;
        }
    }
    if !go_on(Step::Written) {
        return Ok(Outcome::Stopped(Step::Written));
    }
    let failed = |source: std::io::Error| {
        // The old directory is in place: the staging directory is only in
        // the way.
        let _ = std::fs::remove_dir_all(&staging);
        WriteError {
            path: dir.to_owned(),
            source,
        }
    };
    match (swap, dir.exists()) {
        (_, false) => std::fs::rename(&fresh, dir).map_err(failed)?,
        (Swap::Exchange, true) => exchange(&fresh, dir).map_err(failed)?,
        (Swap::TwoRenames, true) => {
            let old = staging.join("old");
            std::fs::rename(dir, &old).map_err(failed)?;
            if !go_on(Step::OldAside) {
                return Ok(Outcome::Stopped(Step::OldAside));
            }
            if let Err(source) = std::fs::rename(&fresh, dir) {
                // Put the old directory back; the error is the one that matters.
                let _ = std::fs::rename(&old, dir);
                return Err(failed(source));
            }
        }
    }
    if !go_on(Step::NewInPlace) {
        return Ok(Outcome::Stopped(Step::NewInPlace));
    }
    std::fs::remove_dir_all(&staging).map_err(err(&staging))?;
    if !go_on(Step::Cleaned) {
        return Ok(Outcome::Stopped(Step::Cleaned));
    }
    Ok(Outcome::Replaced)
}

/// Swaps two directories in one atomic step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Elsewhere there is no atomic exchange: [`Swap::best`] does not choose it.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "no atomic exchange of directories here",
    ))
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Where `dir` is staged: beside its parent (outside a `parent/*` glob of
/// workspace members).
fn staging_root(dir: &Path) -> PathBuf {
    let parent = parent_of(dir);
    match std::fs::canonicalize(&parent) {
        Ok(canonical) => canonical.parent().map_or(canonical.clone(), Path::to_owned),
        Err(_) => parent,
    }
}

fn dir_name(dir: &Path) -> String {
    dir.file_name()
        .map_or_else(|| "crate".to_owned(), |n| n.to_string_lossy().into_owned())
}

/// A new, empty staging directory for `dir`.
fn new_staging(dir: &Path) -> Result<PathBuf, WriteError> {
    let root = staging_root(dir);
    let name = dir_name(dir);
    for attempt in 0u32.. {
        let staging = root.join(format!(
            "{STAGING_PREFIX}{name}-{}-{attempt}",
            std::process::id()
        ));
        match std::fs::create_dir(&staging) {
            Ok(()) => return Ok(staging),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 1000 => {}
            Err(e) => return Err(err(&staging)(e)),
        }
    }
    unreachable!("the loop returns")
}

/// Finishes what an interrupted run left for `dir`: a directory moved
/// aside and not replaced is put back, and staging directories are
/// removed (also those earlier versions left in the parent).
fn recover(dir: &Path) -> Result<(), WriteError> {
    let name = dir_name(dir);
    let ours = format!("{STAGING_PREFIX}{name}-");
    for staging in entries_starting_with(&staging_root(dir), &ours) {
        let old = staging.join("old");
        if !dir.exists() && old.is_dir() {
            std::fs::rename(&old, dir).map_err(err(dir))?;
        }
        std::fs::remove_dir_all(&staging).map_err(err(&staging))?;
    }
    let parent = parent_of(dir);
    for staging in entries_starting_with(&parent, LEGACY_STAGING_PREFIX) {
        // An earlier version staged every crate of the parent alike: its
        // `old` is this crate's only if its manifest says so.
        let old = staging.join("old");
        if old.is_dir() {
            let owner = std::fs::read_to_string(old.join("Cargo.toml"))
                .ok()
                .and_then(|m| package_name(&m));
            match owner {
                Some(owner) if owner == name && !dir.exists() => {
                    std::fs::rename(&old, dir).map_err(err(dir))?;
                }
                Some(owner) if !parent.join(&owner).exists() => continue,
                None => continue,
                Some(_) => {}
            }
        }
        std::fs::remove_dir_all(&staging).map_err(err(&staging))?;
    }
    Ok(())
}

/// The entries of `dir` whose names start with `prefix`.
fn entries_starting_with(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// `name = "..."` of a manifest's `[package]`.
fn package_name(manifest: &str) -> Option<String> {
    manifest
        .lines()
        .skip_while(|l| l.trim() != "[package]")
        .find_map(|l| {
            let value = l.trim().strip_prefix("name")?.trim().strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        })
}

#[cfg(test)]
mod dir_tests {
    use super::*;

    fn file(path: &str, text: &str) -> NewFile {
        NewFile {
            path: path.to_owned(),
            contents: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_compares_and_skips_unchanged() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("crate");
        let v1 = [file("Cargo.toml", "a"), file("src/lib.rs", "b")];
        assert!(replace_dir(&dir, &v1).unwrap());
        assert!(compare_dir(&dir, &v1).unwrap().is_empty());
        assert!(!replace_dir(&dir, &v1).unwrap());
        let v2 = [file("Cargo.toml", "a"), file("src/other.rs", "c")];
        let diff = compare_dir(&dir, &v2).unwrap();
        assert_eq!(diff.missing, ["src/other.rs"]);
        assert_eq!(diff.extra, ["src/lib.rs"]);
        assert!(replace_dir(&dir, &v2).unwrap());
        assert!(!dir.join("src/lib.rs").exists(), "stale files are removed");
        let names: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["crate"], "no staging directory is left");
    }

    /// Whether `dir` holds exactly `files`.
    fn holds(dir: &Path, files: &[NewFile]) -> bool {
        dir.exists() && compare_dir(dir, files).unwrap().is_empty()
    }

    /// The entries of `dir`, by name.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_run_stopped_after_any_step_leaves_a_whole_crate_and_the_next_run_finishes() {
        let v1 = [
            file("Cargo.toml", "[package]\nname = \"api\"\n"),
            file("src/lib.rs", "one"),
        ];
        let v2 = [
            file("Cargo.toml", "[package]\nname = \"api\"\n"),
            file("src/lib.rs", "two"),
        ];
        for swap in [Swap::best(), Swap::TwoRenames] {
            for stop in [
                Step::Staged,
                Step::Written,
                Step::OldAside,
                Step::NewInPlace,
                Step::Cleaned,
            ] {
                let root = tempfile::tempdir().unwrap();
                let members = root.path().join("generated");
                let dir = members.join("api");
                replace_dir(&dir, &v1).unwrap();
                let outcome =
                    replace_dir_in_steps(&dir, &v2, swap, &mut |step| step != stop).unwrap();
                let label = format!("{swap:?}, stopped after {stop:?} ({outcome:?})");
                // Nothing but crates where the workspace looks for them.
                assert!(
                    names(&members).iter().all(|n| n == "api"),
                    "{label}: {:?}",
                    names(&members)
                );
                // With an exchange, a whole crate is in place at every step.
                if swap == Swap::Exchange || stop != Step::OldAside {
                    assert!(holds(&dir, &v1) || holds(&dir, &v2), "{label}");
                }
                // The next run puts things right and leaves no staging.
                replace_dir(&dir, &v2).unwrap();
                assert!(holds(&dir, &v2), "{label}");
                assert_eq!(names(root.path()), ["generated"], "{label}");
                assert_eq!(names(&members), ["api"], "{label}");
            }
        }
    }

    #[test]
    fn a_crate_moved_aside_by_an_interrupted_run_is_put_back() {
        let v1 = [
            file("Cargo.toml", "[package]\nname = \"api\"\n"),
            file("src/lib.rs", "one"),
        ];
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("generated/api");
        replace_dir(&dir, &v1).unwrap();
        let outcome = replace_dir_in_steps(
            &dir,
            &[file("Cargo.toml", "x")],
            Swap::TwoRenames,
            &mut |step| step != Step::OldAside,
        )
        .unwrap();
        assert_eq!(outcome, Outcome::Stopped(Step::OldAside));
        assert!(!dir.exists());
        // Every run begins by recovering.
        recover(&dir).unwrap();
        assert!(holds(&dir, &v1));
        assert_eq!(names(root.path()), ["generated"]);
    }

    #[test]
    fn staging_left_by_earlier_versions_in_the_parent_is_cleaned_up() {
        let v1 = [file("Cargo.toml", "[package]\nname = \"api\"\n")];
        let root = tempfile::tempdir().unwrap();
        let members = root.path().join("generated");
        // An old-style staging directory holding this crate, moved aside.
        let legacy = members.join(".whm-codegen-new-abc123");
        std::fs::create_dir_all(legacy.join("old")).unwrap();
        std::fs::write(legacy.join("old/Cargo.toml"), "[package]\nname = \"api\"\n").unwrap();
        let dir = members.join("api");
        recover(&dir).unwrap();
        assert!(holds(&dir, &v1), "the crate is put back");
        assert_eq!(names(&members), ["api"]);
    }
}
