//! What changed between two versions of an API, for callers of the
//! generated crate: each change with the semver bump it implies.
//!
//! The comparison is of [`Surface`]s, so it speaks of what callers
//! write (methods, builder methods, `new` arguments, reply fields), not of
//! the spec's text: a reworded description is no change at all.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::surface::{Given, OperationSurface, ParameterSurface, Surface, ValueSurface};

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
                    after.module.replace('_', "-")
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
                new.module.replace('_', "-")
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

/// Whether `path` lies below one of `parents` (`a.b` below `a`, `a[].b` below `a`).
fn below_any(path: &str, parents: &BTreeSet<&str>) -> bool {
    parents.iter().any(|p| {
        !p.is_empty()
            && path.len() > p.len()
            && path.starts_with(p)
            && matches!(path.as_bytes()[p.len()], b'.' | b'[' | b'{')
    })
}

fn parameters(
    id: &str,
    old: &BTreeMap<String, ParameterSurface>,
    new: &BTreeMap<String, ParameterSurface>,
    out: &mut Vec<Change>,
) {
    let mut removed: Vec<&str> = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .map(String::as_str)
        .collect();
    let mut added: Vec<&str> = new
        .keys()
        .filter(|k| !old.contains_key(*k))
        .map(String::as_str)
        .collect();
    // Fields of a structured parameter come and go with it.
    let gone: BTreeSet<&str> = removed.iter().copied().collect();
    let came: BTreeSet<&str> = added.iter().copied().collect();
    let mut retyped = BTreeSet::new();
    removed.retain(|p| !below_any(p, &gone));
    added.retain(|p| !below_any(p, &came));

    for (old_wire, new_wire) in renames(&removed, &added, old, new) {
        let (o, n) = (&old[old_wire], &new[new_wire]);
        let accepted = if n.aliases.iter().any(|a| a == old_wire) {
            "; the server still accepts the old name"
        } else {
            ""
        };
        out.push(change(
            id,
            Kind::ParameterRenamed,
            Some(new_wire),
            Some(old_wire.to_owned()),
            Some(new_wire.to_owned()),
            if n.given == Given::Constant {
                Bump::Patch
            } else {
                Bump::Major
            },
            format!(
                "parameter `{old_wire}` renamed to `{new_wire}` (builder method `{}` is now `{}`){accepted}",
                o.rust, n.rust
            ),
        ));
        removed.retain(|p| *p != old_wire);
        added.retain(|p| *p != new_wire);
        // The rename said the builder method's new name already.
        let o = ParameterSurface {
            rust: n.rust.clone(),
            ..o.clone()
        };
        fields(id, new_wire, &o, n, &mut retyped, out);
    }
    for wire in removed {
        let p = &old[wire];
        let bump = if p.given == Given::Constant {
            Bump::Patch
        } else {
            Bump::Major
        };
        out.push(change(
            id,
            Kind::ParameterRemoved,
            Some(wire),
            Some(p.ty.clone()),
            None,
            bump,
            format!(
                "parameter `{wire}` removed (it was {})",
                p.given.describe(p.field)
            ),
        ));
    }
    for wire in added {
        let p = &new[wire];
        let bump = match p.given {
            Given::Required => Bump::Major,
            Given::Optional | Given::Flag => Bump::Minor,
            Given::Constant => Bump::Patch,
        };
        out.push(change(
            id,
            Kind::ParameterAdded,
            Some(wire),
            None,
            Some(p.ty.clone()),
            bump,
            format!(
                "parameter `{wire}` added, {}, of type `{}`",
                p.given.describe(p.field),
                p.ty
            ),
        ));
    }
    for (wire, o) in old {
        if below_any(wire, &retyped) {
            continue;
        }
        if let Some(n) = new.get(wire) {
            fields(id, wire, o, n, &mut retyped, out);
        }
    }
}

/// Pairs of a removed and an added parameter that are one parameter
/// renamed: the new one lists the old name as an alias, or a lone removed
/// and a lone added parameter have the same type and are given alike.
fn renames<'a>(
    removed: &[&'a str],
    added: &[&'a str],
    old: &BTreeMap<String, ParameterSurface>,
    new: &BTreeMap<String, ParameterSurface>,
) -> Vec<(&'a str, &'a str)> {
    let mut pairs = Vec::new();
    for a in added {
        if let Some(r) = removed
            .iter()
            .find(|r| new[*a].aliases.iter().any(|alias| alias == *r))
        {
            pairs.push((*r, *a));
        }
    }
    if pairs.is_empty() && removed.len() == 1 && added.len() == 1 {
        let (r, a) = (removed[0], added[0]);
        let (o, n) = (&old[r], &new[a]);
        if o.ty == n.ty && o.given == n.given && !o.field && !n.field {
            pairs.push((r, a));
        }
    }
    pairs
}

/// The changes to one parameter that kept its wire name (or was renamed).
fn fields<'a>(
    id: &str,
    wire: &'a str,
    o: &ParameterSurface,
    n: &ParameterSurface,
    retyped: &mut BTreeSet<&'a str>,
    out: &mut Vec<Change>,
) {
    let subject = Some(wire);
    let hidden = o.given == Given::Constant && n.given == Given::Constant;
    let push = |out: &mut Vec<Change>, kind, before: String, after: String, bump, message| {
        out.push(change(
            id,
            kind,
            subject,
            Some(before),
            Some(after),
            bump,
            message,
        ))
    };
    if o.rust != n.rust && !hidden {
        push(
            out,
            Kind::ParameterRustRenamed,
            o.rust.clone(),
            n.rust.clone(),
            Bump::Major,
            format!(
                "parameter `{wire}`: builder method `{}` renamed to `{}`",
                o.rust, n.rust
            ),
        );
    }
    if o.given != n.given {
        let bump = match (o.given, n.given) {
            (Given::Constant, Given::Optional | Given::Flag) => Bump::Minor,
            _ => Bump::Major,
        };
        push(
            out,
            Kind::ParameterGivenChanged,
            format!("{:?}", o.given).to_lowercase(),
            format!("{:?}", n.given).to_lowercase(),
            bump,
            format!(
                "parameter `{wire}` is now {}; it was {}",
                n.given.describe(n.field),
                o.given.describe(o.field)
            ),
        );
    }
    if o.ty != n.ty {
        retyped.insert(wire);
        push(
            out,
            Kind::ParameterRetyped,
            o.ty.clone(),
            n.ty.clone(),
            if hidden { Bump::Patch } else { Bump::Major },
            format!(
                "parameter `{wire}` changed type from `{}` to `{}`",
                o.ty, n.ty
            ),
        );
    } else {
        values(id, wire, &o.values, &n.values, hidden, out);
    }
    if o.default != n.default {
        let show = |v| show_value(v, "none");
        push(
            out,
            Kind::ParameterDefaultChanged,
            show(&o.default),
            show(&n.default),
            Bump::Patch,
            format!(
                "parameter `{wire}`: the server's default changed from {} to {} (calls that leave it unset behave differently)",
                show(&o.default),
                show(&n.default)
            ),
        );
    }
    if o.given == n.given && o.value != n.value {
        let show = |v| show_value(v, "nothing");
        push(
            out,
            Kind::ParameterSentValueChanged,
            show(&o.value),
            show(&n.value),
            Bump::Patch,
            format!(
                "parameter `{wire}` now sends {} instead of {}",
                show(&n.value),
                show(&o.value)
            ),
        );
    }
    if o.deprecated != n.deprecated && !hidden {
        let (kind, bump, what) = if n.deprecated {
            (Kind::ParameterDeprecated, Bump::Minor, "deprecated")
        } else {
            (
                Kind::ParameterUndeprecated,
                Bump::Patch,
                "no longer deprecated",
            )
        };
        push(
            out,
            kind,
            o.deprecated.to_string(),
            n.deprecated.to_string(),
            bump,
            format!("parameter `{wire}` {what}"),
        );
    }
}

/// A value as JSON, or `absent` when there is none.
fn show_value(value: &Option<serde_json::Value>, absent: &str) -> String {
    value
        .as_ref()
        .map_or_else(|| absent.to_owned(), ToString::to_string)
}

/// Enum values of a parameter added and removed. Generated enums are
/// `#[non_exhaustive]`, so a new value breaks no `match`; a removed one
/// removes a variant.
fn values(
    id: &str,
    subject: &str,
    old: &[String],
    new: &[String],
    hidden: bool,
    out: &mut Vec<Change>,
) {
    let what = format!("parameter `{subject}`");
    for v in new.iter().filter(|v| !old.contains(v)) {
        out.push(change(
            id,
            Kind::ParameterValueAdded,
            Some(subject),
            None,
            Some(v.clone()),
            if hidden { Bump::Patch } else { Bump::Minor },
            format!("{what} gained the value `{v}`"),
        ));
    }
    for v in old.iter().filter(|v| !new.contains(v)) {
        out.push(change(
            id,
            Kind::ParameterValueRemoved,
            Some(subject),
            Some(v.clone()),
            None,
            if hidden { Bump::Patch } else { Bump::Major },
            format!("{what} lost the value `{v}` (its variant is gone)"),
        ));
    }
}

/// Values of a reply's enum added and removed. A value a spec adds was
/// read as `Other(value)` before and is its own variant now (a `match` on
/// `Other` no longer sees it); a value removed takes its variant away.
fn reply_values(id: &str, path: &str, old: &[String], new: &[String], out: &mut Vec<Change>) {
    let field = display_path(path);
    for v in new.iter().filter(|v| !old.contains(v)) {
        out.push(change(
            id,
            Kind::ReplyValueAdded,
            Some(path),
            None,
            Some(v.clone()),
            Bump::Minor,
            format!("reply field `{field}` gained the value `{v}` (a variant; it read as `Other` before)"),
        ));
    }
    for v in old.iter().filter(|v| !new.contains(v)) {
        out.push(change(
            id,
            Kind::ReplyValueRemoved,
            Some(path),
            Some(v.clone()),
            None,
            Bump::Major,
            format!("reply field `{field}` lost the value `{v}` (its variant is gone)"),
        ));
    }
}

fn display_path(path: &str) -> &str {
    if path.is_empty() {
        "(the payload)"
    } else {
        path
    }
}

fn reply(
    id: &str,
    old: &BTreeMap<String, ValueSurface>,
    new: &BTreeMap<String, ValueSurface>,
    out: &mut Vec<Change>,
) {
    let gone: BTreeSet<&str> = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .map(String::as_str)
        .collect();
    let came: BTreeSet<&str> = new
        .keys()
        .filter(|k| !old.contains_key(*k))
        .map(String::as_str)
        .collect();
    let retyped: BTreeSet<&str> = old
        .iter()
        .filter(|(k, o)| new.get(*k).is_some_and(|n| n.ty != o.ty))
        .map(|(k, _)| k.as_str())
        .collect();
    // A field below one that came, went or changed type is part of that change.
    let covered =
        |path: &str| below_any(path, &gone) || below_any(path, &came) || below_any(path, &retyped);
    for path in &gone {
        if !covered(path) {
            out.push(change(
                id,
                Kind::ReplyFieldRemoved,
                Some(path),
                Some(old[*path].ty.clone()),
                None,
                Bump::Major,
                format!("reply field `{path}` removed (it was `{}`)", old[*path].ty),
            ));
        }
    }
    for path in &came {
        if !covered(path) {
            out.push(change(
                id,
                Kind::ReplyFieldAdded,
                Some(path),
                None,
                Some(new[*path].ty.clone()),
                Bump::Minor,
                format!("reply field `{path}` added, of type `{}`", new[*path].ty),
            ));
        }
    }
    for (path, o) in old {
        let Some(n) = new.get(path) else { continue };
        if covered(path) {
            continue;
        }
        if o.ty != n.ty {
            out.push(change(
                id,
                Kind::ReplyFieldRetyped,
                Some(path),
                Some(o.ty.clone()),
                Some(n.ty.clone()),
                Bump::Major,
                format!(
                    "reply field `{}` changed type from `{}` to `{}`",
                    display_path(path),
                    o.ty,
                    n.ty
                ),
            ));
            continue;
        }
        if o.rust != n.rust {
            out.push(change(
                id,
                Kind::ReplyFieldRustRenamed,
                Some(path),
                o.rust.clone(),
                n.rust.clone(),
                Bump::Major,
                format!(
                    "reply field `{path}`: Rust field `{}` renamed to `{}`",
                    o.rust.as_deref().unwrap_or_default(),
                    n.rust.as_deref().unwrap_or_default()
                ),
            ));
        }
        reply_values(id, path, &o.values, &n.values, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_below_one_bump_minor_for_breaking_changes() {
        assert_eq!(next_version("0.3.1", Some(Bump::Major)).unwrap(), "0.4.0");
        assert_eq!(next_version("0.3.1", Some(Bump::Minor)).unwrap(), "0.3.2");
        assert_eq!(next_version("0.3.1", Some(Bump::Patch)).unwrap(), "0.3.2");
        assert_eq!(next_version("1.3.1", Some(Bump::Major)).unwrap(), "2.0.0");
        assert_eq!(next_version("1.3.1", Some(Bump::Minor)).unwrap(), "1.4.0");
        assert_eq!(next_version("1.3.1", Some(Bump::Patch)).unwrap(), "1.3.2");
        assert_eq!(next_version("1.3.1", None).unwrap(), "1.3.1");
        for bad in ["1.3", "1.3.1-rc.1", "v1.0.0", ""] {
            assert!(next_version(bad, Some(Bump::Patch)).is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_below_others() {
        let parents: BTreeSet<&str> = ["acct", "limits"].into();
        assert!(below_any("acct[].user", &parents));
        assert!(below_any("acct.user", &parents));
        assert!(below_any("limits{}.disk", &parents));
        assert!(!below_any("acct", &parents));
        assert!(!below_any("accts.user", &parents));
        assert!(!below_any("user", &BTreeSet::from([""])));
    }
}
