//! `whm-codegen import` as a user runs it: bad input fails with the line
//! and a non-zero exit, and leaves the existing spec file untouched.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PREVIOUS: &str = "# the previous spec\n";

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/reference/{name}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

/// Runs an import of `reference` text over an existing spec file.
fn run(reference: &str) -> (Output, PathBuf, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("reference.txt");
    std::fs::write(&input, reference).unwrap();
    let out = dir.path().join("spec/whm-api-1.yaml");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, PREVIOUS).unwrap();
    let output = import(&input, &out);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, out, stderr, dir)
}

fn import(input: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_whm-codegen"))
        .arg("import")
        .arg("--reference")
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

fn assert_fails_at(reference: &str, line: usize, words: &str) {
    let (output, out, stderr, _dir) = run(reference);
    assert!(!output.status.success(), "should fail: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains(&format!("reference.txt:{line}: ")),
        "expected line {line}: {stderr}"
    );
    assert!(stderr.contains(words), "expected `{words}`: {stderr}");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        PREVIOUS,
        "the spec must be untouched"
    );
    assert_eq!(
        std::fs::read_dir(out.parent().unwrap()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn success_writes_the_spec_and_reports() {
    let (output, out, stderr, _dir) = run(&fixture("alias_names"));
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("functions          1 documented, 1 distinct"),
        "{stderr}"
    );
    assert!(stderr.contains("aliases            1"), "{stderr}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("operationId: forget_id"));
}

#[test]
fn empty_file() {
    assert_fails_at("", 1, "no functions found");
    assert_fails_at("\n\n\n", 3, "no functions found");
}

#[test]
fn truncated_inside_a_sample() {
    let text = fixture("alias_names");
    let cut: String = text.lines().take(34).collect::<Vec<_>>().join("\n");
    assert_fails_at(&cut, 34, "never closes: is the file truncated?");
}

#[test]
fn truncated_before_the_sections() {
    let text = fixture("alias_names");
    let cut: String = text.lines().take(7).collect::<Vec<_>>().join("\n");
    assert_fails_at(
        &cut,
        5,
        "`Forget an ID` is not followed by `Authorizations:`",
    );
    // Also when earlier functions are complete.
    let two = format!(
        "{text}\n{}",
        text.lines().skip(4).take(3).collect::<Vec<_>>().join("\n")
    );
    assert_fails_at(&two, 43, "is the file truncated?");
}

#[test]
fn garbled_sections() {
    let text = fixture("alias_names").replace("Responses\n", "");
    assert_fails_at(
        &text,
        23,
        "expected `Responses` after the parameters, found `Request samples`",
    );
    let text = fixture("alias_names").replace("Authorizations:\n", "");
    assert_fails_at(
        &text,
        10,
        "function `Forget an ID`: expected `Authorizations:` before `query Parameters`",
    );
}

#[test]
fn function_without_a_name() {
    let text =
        fixture("url_and_response_names").replace("\"command\": \"fetch_setting\",", "\"x\": 1,");
    assert_fails_at(
        &text,
        34,
        "function `Fetch a setting`: function without a name",
    );
}

#[test]
fn unreadable_reference() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.yaml");
    let output = import(&dir.path().join("missing.txt"), &out);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read the reference"));
    assert!(!out.exists());
}
