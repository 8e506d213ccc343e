//! No two modules use each other, directly or round a longer loop: each
//! stage builds on the ones before it. Checked for the generator's and the
//! runtime's modules (their top levels and each directory), from their
//! `use` paths (`super::x`, `crate::x`, `super::{x, y}`), outside comments
//! and tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The modules of `dir`: a file, or a directory with a `mod.rs`, with the
/// text that belongs to it.
fn modules(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() && path.join("mod.rs").exists() {
            out.insert(name, text_under(&path));
        } else if path.extension().is_some_and(|e| e == "rs")
            && !["mod", "lib", "main"].contains(&name.as_str())
        {
            out.insert(name, code_of(&std::fs::read_to_string(&path).unwrap()));
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
    let uses: BTreeMap<&str, BTreeSet<String>> = modules
        .iter()
        .map(|(name, text)| {
            let used = reached(text, prefix)
                .into_iter()
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
        generator.join("lower"),
        generator.join("render"),
        generator.join("spec"),
        root.join("runtime/src/__private"),
        root.join("runtime/src/decode"),
        root.join("runtime/src/testing"),
    ];
    dirs.retain(|d| d.is_dir());
    assert!(dirs.len() >= 5, "the directories checked moved: {dirs:?}");
    for dir in dirs {
        for cycle in loops(&dir, "super::") {
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
