//! What changed between two versions of an API, for callers of the
//! generated crate: each change with the semver bump it implies.
//!
//! The comparison is of [`Surface`]s, so it speaks of what callers
//! write (methods, builder methods, `new` arguments, reply fields), not of
//! the spec's text: a reworded description is no change at all.

use std::fmt::Write as _;

use serde::Serialize;

use crate::surface::{OperationSurface, Surface};
use members::{parameters, reply};

mod members;

/// The semver bump a change implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// No caller's code changes; behaviour may (a new default).
    Patch,
    /// Something new; existing callers still compile.
    Minor,
    /// Breaking: some callers no longer compile, or call what is gone.
    Major,
}

impl Bump {
    fn heading(self) -> &'static str {
        match self {
            Bump::Major => "breaking (major)",
            Bump::Minor => "additions (minor)",
            Bump::Patch => "behaviour only (patch)",
        }
    }
}

/// The kinds of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A function is new.
    OperationAdded,
    /// A function is gone.
    OperationRemoved,
    /// Its client method has another name.
    MethodRenamed,
    /// Its request type has another name.
    RequestTypeRenamed,
    /// It moved to another group: another module and feature.
    ModuleChanged,
    /// It is now deprecated.
    OperationDeprecated,
    /// It is no longer deprecated.
    OperationUndeprecated,
    /// A parameter is new.
    ParameterAdded,
    /// A parameter is gone.
    ParameterRemoved,
    /// A parameter has another wire name.
    ParameterRenamed,
    /// A parameter's builder method (or field) has another name.
    ParameterRustRenamed,
    /// A parameter is given another way (required, optional, flag, constant).
    ParameterGivenChanged,
    /// A parameter has another type.
    ParameterRetyped,
    /// A parameter's enum has a new value.
    ParameterValueAdded,
    /// A parameter's enum lost a value.
    ParameterValueRemoved,
    /// The server's default for a parameter changed.
    ParameterDefaultChanged,
    /// A constant or flag sends another value.
    ParameterSentValueChanged,
    /// A parameter is now deprecated.
    ParameterDeprecated,
    /// A parameter is no longer deprecated.
    ParameterUndeprecated,
    /// A reply has a new field.
    ReplyFieldAdded,
    /// A reply field is gone.
    ReplyFieldRemoved,
    /// A reply field has another type.
    ReplyFieldRetyped,
    /// A reply field's Rust name changed.
    ReplyFieldRustRenamed,
    /// A reply's enum lists a value more (a variant more).
    ReplyValueAdded,
    /// A reply's enum lists a value fewer (its variant is gone).
    ReplyValueRemoved,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The operation's wire name.
    pub operation: String,
    /// What changed.
    pub kind: Kind,
    /// The parameter's wire name or the reply field's path, when the change is to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// What it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// What it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The bump it implies.
    pub bump: Bump,
    /// Whether callers of the generated crate may break ([`Bump::Major`]).
    pub breaking: bool,
    /// The change in a sentence.
    pub message: String,
}

/// Which version of an API a side of the comparison is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// The API's title.
    pub api: String,
    /// The spec's version.
    pub version: String,
    /// How many operations it has.
    pub operations: usize,
}

/// Every change between two surfaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The old API.
    pub old: Side,
    /// The new API.
    pub new: Side,
    /// The bump the changes imply together; `None`: no change.
    pub bump: Option<Bump>,
    /// How many changes are breaking.
    pub breaking: usize,
    /// The changes, most severe first, then by operation.
    pub changes: Vec<Change>,
}

impl Report {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The version after `current` that the changes call for.
    pub fn next_version(&self, current: &str) -> Result<String, String> {
        next_version(current, self.bump)
    }

    /// The report for people: a headline, then the changes by severity.
    /// With `current`, the headline names the next version.
    pub fn to_text(&self, current: Option<&str>) -> String {
        let mut out = String::new();
        let versions = if self.old.version == self.new.version {
            format!("{} (version {})", self.new.api, self.new.version)
        } else {
            format!(
                "{} (version {} -> {})",
                self.new.api, self.old.version, self.new.version
            )
        };
        let _ = writeln!(
            out,
            "{versions}: {} change(s), {} breaking; {} -> {} operations",
            self.changes.len(),
            self.breaking,
            self.old.operations,
            self.new.operations
        );
        let bump = match self.bump {
            None => "none".to_owned(),
            Some(b) => format!("{b:?}").to_lowercase(),
        };
        match current.map(|c| (c, self.next_version(c))) {
            Some((c, Ok(next))) => {
                let _ = writeln!(out, "semver: {bump} ({c} -> {next})");
            }
            Some((_, Err(e))) => {
                let _ = writeln!(out, "semver: {bump} ({e})");
            }
            None => {
                let _ = writeln!(out, "semver: {bump}");
            }
        }
        for bump in [Bump::Major, Bump::Minor, Bump::Patch] {
            let changes: Vec<&Change> = self.changes.iter().filter(|c| c.bump == bump).collect();
            if changes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{}:", bump.heading());
            for c in changes {
                let _ = writeln!(out, "  {}: {}", c.operation, c.message);
            }
        }
        out
    }
}

/// The version after `current` for `bump`. Below 1.0, a breaking change
/// bumps the minor number and anything else the patch number, as cargo
/// reads `0.y.z`.
pub fn next_version(current: &str, bump: Option<Bump>) -> Result<String, String> {
    let parts: Vec<u64> = current
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{current}` is not a version like 1.2.3"))?;
    let [major, minor, patch] = parts[..] else {
        return Err(format!("`{current}` is not a version like 1.2.3"));
    };
    let (major, minor, patch) = match (bump, major) {
        (None, _) => (major, minor, patch),
        (Some(Bump::Major), 0) => (0, minor + 1, 0),
        (Some(_), 0) => (0, minor, patch + 1),
        (Some(Bump::Major), _) => (major + 1, 0, 0),
        (Some(Bump::Minor), _) => (major, minor + 1, 0),
        (Some(Bump::Patch), _) => (major, minor, patch + 1),
    };
    Ok(format!("{major}.{minor}.{patch}"))
}

/// Compares two surfaces.
pub fn compare(old: &Surface, new: &Surface) -> Report {
    let mut changes = Vec::new();
    for (id, before) in &old.operations {
        match new.operations.get(id) {
            None => changes.push(change(
                id,
                Kind::OperationRemoved,
                None,
                Some(format!("{}::{}", before.module, before.method)),
                None,
                Bump::Major,
                format!(
                    "function removed (the `{}` method and `{}::{}`)",
                    before.method, before.module, before.request
                ),
            )),
            Some(after) => operation(id, before, after, &mut changes),
        }
    }
    for (id, after) in &new.operations {
        if !old.operations.contains_key(id) {
            changes.push(change(
                id,
                Kind::OperationAdded,
                None,
                None,
                Some(format!("{}::{}", after.module, after.method)),
                Bump::Minor,
                format!(
                    "function added: the `{}` method and `{}::{}` (feature `{}`)",
                    after.method,
                    after.module,
                    after.request,
                    crate::naming::feature(&after.module)
                ),
            ));
        }
    }
    changes.sort_by(|a, b| {
        (b.bump, &a.operation, a.kind, &a.subject).cmp(&(a.bump, &b.operation, b.kind, &b.subject))
    });
    let side = |s: &Surface| Side {
        api: s.api.clone(),
        version: s.version.clone(),
        operations: s.operations.len(),
    };
    Report {
        old: side(old),
        new: side(new),
        bump: changes.iter().map(|c| c.bump).max(),
        breaking: changes.iter().filter(|c| c.breaking).count(),
        changes,
    }
}

fn change(
    operation: &str,
    kind: Kind,
    subject: Option<&str>,
    before: Option<String>,
    after: Option<String>,
    bump: Bump,
    message: String,
) -> Change {
    Change {
        operation: operation.to_owned(),
        kind,
        subject: subject.map(str::to_owned),
        before,
        after,
        bump,
        breaking: bump == Bump::Major,
        message,
    }
}

fn operation(id: &str, old: &OperationSurface, new: &OperationSurface, out: &mut Vec<Change>) {
    let renamed = |kind, what: &str, before: &str, after: &str| {
        change(
            id,
            kind,
            None,
            Some(before.to_owned()),
            Some(after.to_owned()),
            Bump::Major,
            format!("{what} renamed from `{before}` to `{after}`"),
        )
    };
    if old.method != new.method {
        out.push(renamed(
            Kind::MethodRenamed,
            "client method",
            &old.method,
            &new.method,
        ));
    }
    if old.request != new.request {
        out.push(renamed(
            Kind::RequestTypeRenamed,
            "request type",
            &old.request,
            &new.request,
        ));
    }
    if old.module != new.module {
        out.push(change(
            id,
            Kind::ModuleChanged,
            None,
            Some(old.module.clone()),
            Some(new.module.clone()),
            Bump::Major,
            format!(
                "moved from module `{}` to `{}` (enable feature `{}`)",
                old.module,
                new.module,
                crate::naming::feature(&new.module)
            ),
        ));
    }
    match (old.deprecated, new.deprecated) {
        (false, true) => out.push(change(
            id,
            Kind::OperationDeprecated,
            None,
            None,
            None,
            Bump::Minor,
            "function deprecated (calls now warn)".to_owned(),
        )),
        (true, false) => out.push(change(
            id,
            Kind::OperationUndeprecated,
            None,
            None,
            None,
            Bump::Patch,
            "function no longer deprecated".to_owned(),
        )),
        _ => {}
    }
    parameters(id, &old.parameters, &new.parameters, out);
    reply(id, &old.reply, &new.reply, out);
}

#[cfg(test)]
mod tests;
