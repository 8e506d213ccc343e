//! A committed crate that is not what its spec generates: what differs,
//! and the account `generate --check` prints of it.

use std::path::PathBuf;

use crate::surface::diff::Report;
use crate::write::{DirDiff, NewFile};

/// How one committed crate differs from what its spec generates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// The crate's directory.
    pub dir: PathBuf,
    /// The difference.
    pub diff: DirDiff,
    /// The generated files, to show what they should be.
    pub expected: Vec<NewFile>,
    /// What regenerating would change for callers, when the crate has a
    /// surface record and its surface would change.
    pub changes: Option<Report>,
    /// The crate's version on disk, if it exists.
    pub previous_version: Option<String>,
}

/// A readable account of a stale crate: which files are missing, extra or
/// changed, with a unified diff of each change cut to `max_lines`.
pub fn describe_stale(stale: &Stale, max_lines: usize) -> String {
    let mut out = format!("{} is stale:\n", stale.dir.display());
    for path in &stale.diff.missing {
        out.push_str(&format!("  missing: {path}\n"));
    }
    for path in &stale.diff.extra {
        out.push_str(&format!("  not generated (remove it): {path}\n"));
    }
    for (path, current) in &stale.diff.changed {
        let expected = stale
            .expected
            .iter()
            .find(|f| &f.path == path)
            .map(|f| String::from_utf8_lossy(&f.contents).into_owned())
            .unwrap_or_default();
        out.push_str(&format!("  changed: {path}\n"));
        let diff = similar::TextDiff::from_lines(current.as_str(), expected.as_str());
        let text = diff
            .unified_diff()
            .context_radius(2)
            .header(&format!("{path} (on disk)"), &format!("{path} (generated)"))
            .to_string();
        for line in text.lines().take(max_lines) {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
        let total = text.lines().count();
        if total > max_lines {
            out.push_str(&format!("    ... {} more diff lines\n", total - max_lines));
        }
    }
    out
}
