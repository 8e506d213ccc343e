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

/// Makes `dir` hold exactly `files`, all at once: the new contents are
/// written beside it and swapped in, so a failure leaves the old directory
/// as it was. Returns whether anything changed.
pub fn replace_dir(dir: &Path, files: &[NewFile]) -> Result<bool, WriteError> {
    if compare_dir(dir, files)?.is_empty() {
        return Ok(false);
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(err(&parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".whm-codegen-new-")
        .tempdir_in(&parent)
        .map_err(err(&parent))?;
    let fresh = staging.path().join("crate");
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
    let old = staging.path().join("old");
    let had_old = dir.exists();
    if had_old {
        std::fs::rename(dir, &old).map_err(err(dir))?;
    }
    if let Err(source) = std::fs::rename(&fresh, dir) {
        if had_old {
            // Put the old directory back; the error is the one that matters.
            let _ = std::fs::rename(&old, dir);
        }
        return Err(WriteError {
            path: dir.to_owned(),
            source,
        });
    }
    Ok(true)
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
}
