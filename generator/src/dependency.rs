//! The `whm-runtime` dependency a generated crate's `Cargo.toml` names
//! when its caller does not: a path from the crate to the runtime that
//! was built with this generator, so that a crate written anywhere builds.

use std::path::{Component, Path, PathBuf};

/// The runtime this generator was built with: `runtime/` beside its
/// `generator/` directory, in this repository or a checkout of it
/// (`cargo install --git` keeps one).
pub fn runtime_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()?
        .join("runtime");
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    manifest
        .lines()
        .any(|line| line.trim() == "name = \"whm-runtime\"")
        .then(|| dir.canonicalize().ok())
        .flatten()
}

/// The TOML of the dependency for a crate in `crate_dir`: a path relative
/// to it (`{ path = "../../runtime" }`), or an error that says what to give
/// instead when the runtime is not where it was built.
pub fn for_crate_in(crate_dir: &Path) -> Result<String, String> {
    let runtime = runtime_dir().ok_or_else(|| {
        format!(
            "cannot find the whm-runtime crate this generator was built with (in {}); give the dependency, e.g. `--runtime-dependency '{{ git = \"...\" }}'` or `Config::runtime_dependency`",
            Path::new(env!("CARGO_MANIFEST_DIR")).display()
        )
    })?;
    let from =
        resolved(crate_dir).map_err(|e| format!("cannot resolve {}: {e}", crate_dir.display()))?;
    let path = relative(&from, &runtime);
    Ok(format!("{{ path = \"{}\" }}", path.replace('\\', "/")))
}

/// `path` made absolute, through symbolic links as far as it exists (the
/// crate's directory may not exist yet).
fn resolved(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return Ok(out);
        }
        let Some(parent) = existing.parent() else {
            return Ok(absolute);
        };
        rest.push(
            existing
                .components()
                .next_back()
                .unwrap_or(Component::CurDir),
        );
        existing = parent;
    }
}

/// The path from directory `from` to `to`, both absolute and resolved.
fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_then_descend() {
        assert_eq!(
            relative(
                Path::new("/w/repo/generated/whm-api"),
                Path::new("/w/repo/runtime")
            ),
            "../../runtime"
        );
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/b")), ".");
        assert_eq!(
            relative(Path::new("/tmp/x/out/c"), Path::new("/w/runtime")),
            "../../../../w/runtime"
        );
    }

    #[test]
    fn a_crate_anywhere_reaches_this_runtime() {
        let dir = tempfile::tempdir().unwrap();
        let crate_dir = dir.path().join("not-yet").join("my-api");
        let toml = for_crate_in(&crate_dir).unwrap();
        let path = toml
            .strip_prefix("{ path = \"")
            .and_then(|t| t.strip_suffix("\" }"))
            .unwrap();
        std::fs::create_dir_all(&crate_dir).unwrap();
        let manifest = std::fs::read_to_string(crate_dir.join(path).join("Cargo.toml")).unwrap();
        assert!(manifest.contains("name = \"whm-runtime\""));
    }
}
