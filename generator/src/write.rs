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
