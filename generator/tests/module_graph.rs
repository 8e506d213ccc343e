//! No two modules use each other, directly or round a longer loop: each
//! stage builds on the ones before it. Checked for the generator's and the
//! runtime's modules (their top levels and each directory), from their
//! `use` paths (`super::x`, `crate::x`, `super::{x, y}`), outside comments
//! and tests. A name the crate's root re-exports (`crate::Error`) counts as
//! a use of the module that defines it, so no loop hides behind `lib.rs`;
//! a module is a file, a directory with a `mod.rs`, or a file with a
//! directory of its own beside it (`reply.rs` and `reply/`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The modules of `dir`: a file, a directory with a `mod.rs`, or a file
/// and the directory of its submodules, with the text that belongs to it.
fn modules(dir: &Path) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            let file = dir.join(format!("{name}.rs"));
            if path.join("mod.rs").exists() || file.exists() {
                out.entry(name).or_default().push_str(&text_under(&path));
            }
        } else if path.extension().is_some_and(|e| e == "rs")
            && !["mod", "lib", "main"].contains(&name.as_str())
        {
            let code = code_of(&std::fs::read_to_string(&path).unwrap());
            out.entry(name).or_default().push_str(&code);
        }
    }
    out
}

/// The names `dir`'s root file (`lib.rs`) re-exports, each with the
/// module it comes from (`pub use reply::Reply;` names `Reply` after
/// `reply`).
fn reexports(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(dir.join("lib.rs")) else {
        return out;
    };
    let code = code_of(&text);
    for statement in code.split("pub use ").skip(1) {
        let statement = statement.split(';').next().unwrap_or_default();
        let statement: String = statement.split_whitespace().collect::<Vec<_>>().join(" ");
        let module = statement.split("::").next().unwrap_or_default().to_owned();
        let items = match statement.split_once('{') {
            Some((_, group)) => group.trim_end_matches('}').to_owned(),
            None => statement.rsplit("::").next().unwrap_or_default().to_owned(),
        };
        for item in items.split(',') {
            // `a as b` is known as `b`; `x::Y` as `Y`.
            let name = item.rsplit(" as ").next().unwrap_or_default();
            let name = name.rsplit("::").next().unwrap_or_default().trim();
            if !name.is_empty() && name != module {
                out.insert(name.to_owned(), module.clone());
            }
        }
    }
    out
}

fn text_under(dir: &Path) -> String {
    let mut text = String::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && path.file_name().is_some_and(|n| n != "tests.rs")
            {
                text.push_str(&code_of(&std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    text
}

/// A file's code: comments and its test module left out.
fn code_of(text: &str) -> String {
    let code = text
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default();
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names `text` reaches through `prefix` (`super::`, `crate::`).
fn reached(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let word = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in text.match_indices(prefix) {
        let rest = &text[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = group.split('}').next().unwrap_or_default();
            out.extend(group.split(',').map(|p| word(p.trim())));
        } else {
            out.insert(word(rest));
        }
    }
    out
}

/// Each loop among the modules of `dir`, as `a -> b -> ... -> a`.
fn loops(dir: &Path, prefix: &str) -> Vec<String> {
    let modules = modules(dir);
    let reexported = reexports(dir);
    let uses: BTreeMap<&str, BTreeSet<String>> = modules
        .iter()
        .map(|(name, text)| {
            let used = reached(text, prefix)
                .into_iter()
                .map(|m| reexported.get(&m).cloned().unwrap_or(m))
                .filter(|m| m != name && modules.contains_key(m))
                .collect();
            (name.as_str(), used)
        })
        .collect();
    let mut found = Vec::new();
    for start in uses.keys() {
        // Depth first from `start`, looking for the way back to it.
        let mut stack = vec![vec![start.to_string()]];
        let mut seen = BTreeSet::new();
        while let Some(path) = stack.pop() {
            let last = path.last().unwrap();
            for next in &uses[last.as_str()] {
                if next == start {
                    found.push(format!("{} -> {start}", path.join(" -> ")));
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push(longer);
                }
            }
        }
    }
    found
}

#[test]
fn modules_do_not_use_each_other_in_a_loop() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut found = Vec::new();
    let generator = root.join("generator/src");
    found.extend(loops(&generator, "crate::"));
    found.extend(
        loops(&root.join("runtime/src"), "crate::")
            .into_iter()
            .map(|cycle| format!("runtime: {cycle}")),
    );
    let mut dirs = vec![
        generator.join("import"),
        generator.join("ir"),
        generator.join("lower"),
        generator.join("naming"),
        generator.join("render"),
        generator.join("spec"),
        generator.join("surface"),
        root.join("runtime/src/__private"),
        root.join("runtime/src/client"),
        root.join("runtime/src/decode"),
        root.join("runtime/src/reply"),
        root.join("runtime/src/request"),
        root.join("runtime/src/settings"),
        root.join("runtime/src/testing"),
        root.join("runtime/src/values"),
        root.join("wire/src"),
    ];
    dirs.retain(|d| d.is_dir());
    assert!(dirs.len() >= 16, "the directories checked moved: {dirs:?}");
    for dir in dirs {
        // Siblings reach each other as `super::x`, or by the directory's
        // own path from the crate's root (`crate::client::x`).
        let src = dir.ancestors().find(|d| d.ends_with("src")).unwrap();
        let inner: Vec<String> = dir
            .strip_prefix(src)
            .unwrap()
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let mut cycles = loops(&dir, "super::");
        if !inner.is_empty() {
            cycles.extend(loops(&dir, &format!("crate::{}::", inner.join("::"))));
        }
        for cycle in cycles {
            found.push(format!("{}: {cycle}", dir.display()));
        }
    }
    assert!(
        found.is_empty(),
        "modules that use each other:\n{}",
        found.join("\n")
    );
}

#[test]
fn a_loop_is_found() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.rs"), "use super::{b, c};\n").unwrap();
    std::fs::write(dir.path().join("b.rs"), "use super::c::X;\n").unwrap();
    std::fs::write(
        dir.path().join("c.rs"),
        "// super::a\nfn f() { super::a::g() }\n",
    )
    .unwrap();
    let found = loops(dir.path(), "super::");
    assert!(found.contains(&"a -> c -> a".to_owned()), "{found:?}");
    assert!(
        found.iter().any(|l| l.starts_with("b -> c -> a")),
        "{found:?}"
    );
    std::fs::write(dir.path().join("c.rs"), "// super::a is a comment\n").unwrap();
    assert!(loops(dir.path(), "super::").is_empty());
}

#[test]
fn a_loop_behind_the_roots_reexports_or_in_a_directory_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "lib.rs",
        "mod a;\nmod b;\npub use a::{Alpha, x::Deep as Renamed};\npub use b::Beta;\n",
    );
    // `a` reaches `b` from a file of its directory, `b` reaches `a` by a
    // name the root re-exports.
    write("a.rs", "mod x;\npub struct Alpha;\n");
    write("a/x.rs", "pub struct Deep(crate::b::Beta);\n");
    write("b.rs", "pub struct Beta(Box<crate::Renamed>);\n");
    let found = loops(dir.path(), "crate::");
    assert!(found.contains(&"a -> b -> a".to_owned()), "{found:?}");
    write("b.rs", "pub struct Beta;\n");
    assert!(loops(dir.path(), "crate::").is_empty());
}
