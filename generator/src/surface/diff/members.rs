//! One operation's parameters and reply compared member by member: what
//! was added, removed, renamed, retyped, and what values changed.

use std::collections::{BTreeMap, BTreeSet};

use super::{Bump, Change, Kind, change};
use crate::surface::{Given, ParameterSurface, ValueSurface};

/// Whether `path` lies below one of `parents` (`a.b` below `a`, `a[].b` below `a`).
pub(super) fn below_any(path: &str, parents: &BTreeSet<&str>) -> bool {
    parents.iter().any(|p| {
        !p.is_empty()
            && path.len() > p.len()
            && path.starts_with(p)
            && matches!(path.as_bytes()[p.len()], b'.' | b'[' | b'{')
    })
}

pub(super) fn parameters(
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
pub(super) fn renames<'a>(
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
pub(super) fn fields<'a>(
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
pub(super) fn show_value(value: &Option<serde_json::Value>, absent: &str) -> String {
    value
        .as_ref()
        .map_or_else(|| absent.to_owned(), ToString::to_string)
}

/// Enum values of a parameter added and removed. Generated enums are
/// `#[non_exhaustive]`, so a new value breaks no `match`; a removed one
/// removes a variant.
pub(super) fn values(
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
pub(super) fn reply_values(
    id: &str,
    path: &str,
    old: &[String],
    new: &[String],
    out: &mut Vec<Change>,
) {
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

pub(super) fn display_path(path: &str) -> &str {
    if path.is_empty() {
        "(the payload)"
    } else {
        path
    }
}

pub(super) fn reply(
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
