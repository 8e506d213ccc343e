//! The README's "Updating to a new cPanel release", followed as written
//! with a newer reference, in a copy of this repository's specs and crates:
//! import, diff, generate, and the in-sync check pointed at the new
//! reference, all green, with no code changed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const REFERENCE: &str = "whm-api-1-reference.txt";

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The upstream documents, where the repository's tests find them.
fn upstream_docs() -> PathBuf {
    match std::env::var_os("WHM_CODEGEN_UPSTREAM_DOCS") {
        Some(dir) => PathBuf::from(dir),
        None => repository().join("../shared/upstream-docs"),
    }
}

/// A later release of the reference: one function more in a new group, an
/// enum value more, a parameter fewer.
fn newer_reference() -> String {
    let path = upstream_docs().join(REFERENCE);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let added = "\nRelease Tools\n\nServer Administration / Release Tools\n\nReturn release notes\n\n\
        This function returns the release notes.\n\nAuthorizations:\nBasicAuth\nquery Parameters\nversion\n\
        required\nstring\nExample: version=11.130\n\nThe release.\n\nResponses\n\nResponse Schema: application/json\n\
        object\n\nRequest samples\n\nwhmapi1 --output=jsonpretty \\\n  release_notes \\\n  version='11.130'\n\n\
        Response samples\n\nContent type\napplication/json\n{\n  • \"data\": {\n    • \"notes\": \"New.\"\n    },\n  \
        • \"metadata\": {\n    • \"command\": \"release_notes\",\n    • \"reason\": \"OK\",\n    • \"result\": 1,\n    \
        • \"version\": 1\n    }\n}\n";
    let newer = format!("{text}{added}")
        .replacen(
            "Possible Values: \"exact\" \"regex\"",
            "Possible Values: \"exact\" \"regex\" \"glob\"",
            1,
        )
        .replacen("want\nstring\nExample: want=domain,diskused\n", "", 1);
    assert_ne!(newer.len(), text.len() + added.len(), "both edits apply");
    newer
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `cargo run -p whm-codegen -- ARGS`, from `dir`.
fn whm_codegen(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_whm-codegen"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn the_update_walkthrough_ends_green_with_a_newer_reference() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path();
    copy_dir(&repository().join("spec"), &root.join("spec"));
    for name in ["whm-api", "cpanel-api", "sitehost-api"] {
        copy_dir(
            &repository().join("generated").join(name),
            &root.join("generated").join(name),
        );
    }
    // The new reference, in a directory of its own.
    let docs = root.join("new-docs");
    std::fs::create_dir_all(&docs).unwrap();
    let reference = docs.join(REFERENCE);
    std::fs::write(&reference, newer_reference()).unwrap();
    let reference = reference.to_str().unwrap();

    // 1. Import.
    whm_codegen(
        root,
        &[
            "import",
            "--reference",
            reference,
            "--out",
            "spec/whm-api-1.yaml",
        ],
    );
    let spec = std::fs::read_to_string(root.join("spec/whm-api-1.yaml")).unwrap();
    let doc: Value = yaml_value(&spec);
    assert_eq!(
        doc["paths"]["/release_notes"]["get"]["tags"][0],
        "Server Administration / Release Tools"
    );
    let listaccts = doc["paths"]["/listaccts"]["get"]["parameters"]
        .as_array()
        .unwrap();
    assert!(!listaccts.iter().any(|p| p["name"] == "want"));
    let searchmethod = listaccts
        .iter()
        .find(|p| p["name"] == "searchmethod")
        .unwrap();
    assert_eq!(
        searchmethod["schema"]["enum"],
        serde_json::json!(["exact", "regex", "glob"])
    );

    // 2. Diff: what callers had against what they will get.
    let out = whm_codegen(
        root,
        &[
            "diff",
            "generated/whm-api",
            "spec/whm-api-1.yaml",
            "--current-version",
            "0.1.0",
        ],
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("semver: major (0.1.0 -> 0.2.0)"),
        "{report}"
    );
    assert!(report.contains("release_notes: function added"), "{report}");
    assert!(
        report.contains("listaccts: parameter `want` removed"),
        "{report}"
    );
    assert!(report.contains("gained the value `glob`"), "{report}");

    // 3. Generate, with the version the changes call for; then in sync.
    let out = whm_codegen(root, &["generate", "--bump"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("wrote generated/whm-api (version 0.2.0)"),
        "{said}"
    );
    whm_codegen(root, &["generate", "--check"]);
    let lib = std::fs::read_to_string(root.join("generated/whm-api/src/server_administration.rs"))
        .unwrap();
    assert!(
        lib.contains("pub struct ReleaseNotes"),
        "the new function is generated"
    );

    // 4. Test: the in-sync check, pointed at the new reference's directory
    // (`WHM_CODEGEN_UPSTREAM_DOCS`), finds the spec it imports to.
    let fresh = whm_codegen::import::import_text(&newer_reference_in(&docs), REFERENCE).unwrap();
    let fresh =
        whm_codegen::import::to_yaml(&fresh.document, whm_codegen::import::REGENERATE).unwrap();
    assert_eq!(fresh, spec, "the imported spec is what the check expects");
}

/// The reference in `docs`, as the in-sync check reads it.
fn newer_reference_in(docs: &Path) -> String {
    std::fs::read_to_string(docs.join(REFERENCE)).unwrap()
}

fn yaml_value(text: &str) -> Value {
    let spec = whm_codegen::spec::parse(text, "spec/whm-api-1.yaml").unwrap();
    serde_json::to_value(&spec.document).unwrap()
}
