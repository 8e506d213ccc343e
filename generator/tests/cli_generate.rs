//! `whm-codegen generate` and `diff` as users run them: the built binary,
//! in a directory of its own, on small specs (and on this repository's).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Two tags, an operation each.
const SPEC: &str = r#"openapi: 3.0.3
info: {title: Tagged API, version: "1"}
servers: [{url: "https://{host}:2087/json-api", variables: {host: {default: localhost}}}]
security: [{Token: []}]
components: {securitySchemes: {Token: {type: http, scheme: whm}}}
x-envelope: {payload: /data, success: /metadata/result, message: /metadata/reason}
paths:
  /listaccts:
    get:
      operationId: listaccts
      summary: List accounts
      tags: [Accounts]
      parameters:
        - {name: search, in: query, schema: {type: string}}
#PARAMS
      responses:
        "200":
          description: The reply.
  /listzones:
    get:
      operationId: listzones
      summary: List zones
      tags: [DNS]
      responses:
        "200":
          description: The reply.
"#;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Runs the command in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_whm-codegen"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts that the command said `text` on standard error.
fn says(out: &Output, text: &str) {
    let said = stderr(out);
    assert!(said.contains(text), "expected {text:?} in:\n{said}");
}

/// A directory holding `tagged-api-1.yaml`.
fn project(spec: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tagged-api-1.yaml"), spec).unwrap();
    dir
}

/// `generate --spec tagged-api-1.yaml --only-tag TAG`, in `dir`.
fn generate_tag(dir: &Path, tag: &str) -> Output {
    run_in(
        dir,
        &["generate", "--spec", "tagged-api-1.yaml", "--only-tag", tag],
    )
}

fn manifest(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join("generated").join(name).join("Cargo.toml")).unwrap()
}

#[test]
fn a_tag_filter_applies_to_a_crate_directory_too() {
    let root = repository();
    let out = run_in(
        &root,
        &[
            "diff",
            "generated/whm-api",
            "spec/whm-api-1.yaml",
            "--only-tag",
            "Accounts",
            "--deny-breaking",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(": 0 change(s), 0 breaking"), "{text}");
    // The same selection on both sides: Accounts' operations, not all.
    let (_, counts) = text.split_once("breaking; ").unwrap();
    let before: usize = counts.split(' ').next().unwrap().parse().unwrap();
    assert!(before > 10 && before < 200, "{text}");
}

#[test]
fn unknown_tags_are_errors_and_write_nothing() {
    let dir = project(SPEC);
    let first = run_in(dir.path(), &["generate", "--spec", "tagged-api-1.yaml"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let crate_dir = dir.path().join("generated/tagged-api");
    let before = std::fs::read_to_string(crate_dir.join("src/lib.rs")).unwrap();

    let out = generate_tag(dir.path(), "Acounts");
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(message.contains("`Acounts` is not a tag"), "{message}");
    assert!(message.contains("did you mean `Accounts`"), "{message}");
    assert_eq!(
        std::fs::read_to_string(crate_dir.join("src/lib.rs")).unwrap(),
        before
    );

    // A selection without the spec it belongs to is refused before any work.
    let out = run_in(dir.path(), &["generate", "--only-tag", "Accounts"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    says(&out, "--spec");

    // build.rs: the same error, as readable through `.unwrap()` (Debug).
    let error = whm_codegen::Config::new()
        .spec(dir.path().join("tagged-api-1.yaml"))
        .only_tags(["Nope"])
        .generate_to(dir.path())
        .unwrap_err();
    assert!(error.to_string().contains("`Nope` is not a tag"), "{error}");
    assert_eq!(format!("{error:?}"), error.to_string());

    // diff, on a spec and on a crate's record.
    for old in ["tagged-api-1.yaml", "generated/tagged-api"] {
        let out = run_in(
            dir.path(),
            &["diff", old, "tagged-api-1.yaml", "--only-tag", "Nope"],
        );
        assert_eq!(out.status.code(), Some(1), "{old}");
        says(&out, "`Nope` is not a tag");
    }

    // A known tag selects its operations only.
    let out = generate_tag(dir.path(), "dns");
    assert!(out.status.success(), "{}", stderr(&out));
    let surface = std::fs::read_to_string(crate_dir.join("api-surface.json")).unwrap();
    assert!(surface.contains("\"listzones\""));
    assert!(!surface.contains("\"listaccts\""));
}

#[test]
fn versions_are_kept_set_or_bumped() {
    let dir = project(SPEC);
    let generate = |extra: &[&str]| {
        let mut args = vec!["generate", "--spec", "tagged-api-1.yaml"];
        args.extend_from_slice(extra);
        let out = run_in(dir.path(), &args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stderr(&out)
    };
    generate(&[]);
    assert!(manifest(dir.path(), "tagged-api").contains("version = \"0.1.0\""));

    // A version set by hand is the crate's version from then on.
    let path = dir.path().join("generated/tagged-api/Cargo.toml");
    let edited =
        manifest(dir.path(), "tagged-api").replace("version = \"0.1.0\"", "version = \"0.3.1\"");
    std::fs::write(&path, edited).unwrap();
    let check = run_in(
        dir.path(),
        &["generate", "--spec", "tagged-api-1.yaml", "--check"],
    );
    assert!(check.status.success(), "{}", stderr(&check));

    // A breaking change proposes 0.4.0 and keeps 0.3.1 until asked.
    let breaking = SPEC.replace(
        "#PARAMS",
        "        - {name: owner, in: query, required: true, schema: {type: string}}",
    );
    std::fs::write(dir.path().join("tagged-api-1.yaml"), &breaking).unwrap();
    let said = generate(&[]);
    assert!(said.contains("semver: major (0.3.1 -> 0.4.0)"), "{said}");
    assert!(said.contains("--bump"), "{said}");
    assert!(manifest(dir.path(), "tagged-api").contains("version = \"0.3.1\""));

    std::fs::write(dir.path().join("tagged-api-1.yaml"), SPEC).unwrap();
    generate(&[]);
    std::fs::write(dir.path().join("tagged-api-1.yaml"), &breaking).unwrap();
    let said = generate(&["--bump"]);
    assert!(said.contains("(version 0.4.0)"), "{said}");
    assert!(manifest(dir.path(), "tagged-api").contains("version = \"0.4.0\""));

    generate(&["--crate-version", "1.2.3", "--crate-name", "my-api"]);
    let named = manifest(dir.path(), "my-api");
    assert!(named.contains("name = \"my-api\""), "{named}");
    assert!(named.contains("version = \"1.2.3\""), "{named}");
}

#[test]
fn a_crate_written_anywhere_names_the_runtime_and_its_command() {
    let dir = project(SPEC);
    let out = run_in(
        dir.path(),
        &[
            "generate",
            "--spec",
            "./tagged-api-1.yaml",
            "--out",
            "deep/er/crates",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let crate_dir = dir.path().join("deep/er/crates/tagged-api");
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    let path = manifest
        .lines()
        .find_map(|l| l.strip_prefix("whm-runtime = { path = \""))
        .and_then(|l| l.split('"').next())
        .unwrap_or_else(|| panic!("no runtime path: {manifest}"));
    let runtime = std::fs::read_to_string(crate_dir.join(path).join("Cargo.toml")).unwrap();
    assert!(runtime.contains("name = \"whm-runtime\""));
    // The header names the spec as given and a command that works here.
    assert!(
        manifest.starts_with("# @generated by whm-codegen from tagged-api-1.yaml."),
        "{manifest}"
    );
    assert!(
        manifest.contains(
            "# Regenerate with: whm-codegen generate --spec ./tagged-api-1.yaml --out deep/er/crates\n"
        ),
        "{manifest}"
    );
}

#[test]
fn comparing_two_apis_warns() {
    let dir = project(SPEC);
    let other = SPEC.replace("title: Tagged API", "title: Other API");
    std::fs::write(dir.path().join("other.yaml"), other).unwrap();
    let out = run_in(dir.path(), &["diff", "tagged-api-1.yaml", "other.yaml"]);
    assert!(out.status.success());
    says(&out, "warning: comparing two different APIs");
    let same = run_in(
        dir.path(),
        &["diff", "tagged-api-1.yaml", "tagged-api-1.yaml"],
    );
    assert!(!stderr(&same).contains("warning"), "{}", stderr(&same));
}
