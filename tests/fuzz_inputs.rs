//! Replays every input the fuzz targets keep: their seeds and each input
//! that once crashed one (`fuzz/regressions/<target>/`), through the same
//! checks the targets run. A crash found by fuzzing stays fixed.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

use whm_codegen_tests::repo_root;

/// The files in `dirs` (relative to the repository), sorted.
fn inputs(dirs: &[&str]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in dirs {
        let dir = repo_root().join(dir);
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        files.extend(
            entries
                .map(|e| e.expect("a directory entry").path())
                .filter(|p| p.is_file() && !is_placeholder(p)),
        );
    }
    files.sort();
    files
}

/// `.gitkeep` keeps an empty regressions directory in git.
fn is_placeholder(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == ".gitkeep")
}

fn replay(target: &str, seeds: &[&str], check: fn(&[u8])) {
    for dir in seeds {
        assert!(!inputs(&[dir]).is_empty(), "{target}: no seeds in {dir}");
    }
    let regressions = format!("fuzz/regressions/{target}");
    let mut dirs = vec![regressions.as_str()];
    dirs.extend_from_slice(seeds);
    let files = inputs(&dirs);
    for file in &files {
        let data = std::fs::read(file).expect("a readable input");
        // A panic here names the input; run the target on it to debug:
        // `cargo +nightly fuzz run <target> <file>` in fuzz/.
        eprintln!("{target}: {}", file.display());
        check(&data);
    }
}

#[test]
fn reference_importer_inputs() {
    replay(
        "import_reference",
        &["generator/tests/fixtures/reference"],
        checks::import_reference,
    );
}

#[test]
fn spec_loader_inputs() {
    replay(
        "load_spec",
        &["generator/tests/fixtures/specs", "spec"],
        checks::load_spec,
    );
}

#[test]
fn reply_decoder_inputs() {
    replay(
        "decode_reply",
        &["fuzz/seeds/decode_reply"],
        checks::decode_reply,
    );
}
