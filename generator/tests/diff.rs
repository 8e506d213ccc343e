//! `whm-codegen diff` and the summary `generate` prints: pairs of small
//! specs, one kind of change each, and what callers are told about it.

use std::path::{Path, PathBuf};
use std::process::Command;

use whm_codegen::Config;
use whm_codegen::surface::Surface;
use whm_codegen::surface::diff::{Bump, Kind, Report, compare};

/// A small WHM-like API; each case edits it into a new version.
const BASE: &str = r#"openapi: 3.0.3
info:
  title: Diff API
  version: "11.120"
servers:
  - url: "https://{host}:2087/json-api"
    variables:
      host:
        default: localhost
security:
  - Token: []
components:
  securitySchemes:
    Token:
      type: http
      scheme: whm
x-envelope:
  payload: /data
  success: /metadata/result
  message: /metadata/reason
x-fixed-parameters:
  api.version: 1
paths:
  /createacct:
    get:
      operationId: createacct
      summary: Create an account
      tags: [Accounts]
      parameters:
        - name: username
          in: query
          required: true
          schema: {type: string}
        - name: plan
          in: query
          schema: {type: string}
        - name: quota
          in: query
          schema: {type: integer, default: 0}
        - name: searchtype
          in: query
          schema: {type: string, enum: [domain, owner, user]}
        - name: theme
          in: query
          required: true
          schema: {type: string, enum: [jupiter]}
#PARAMS
      responses:
        "200":
          description: The reply.
          content:
            application/json:
              schema:
                type: object
                properties:
                  data:
                    type: object
                    properties:
                      user: {type: string}
                      status: {type: string, enum: [active, suspended]}
                      limits:
                        type: object
                        properties:
                          disk: {type: integer}
#FIELDS
  /removeacct:
    get:
      operationId: removeacct
      summary: Remove an account
      tags: [Accounts]
      parameters:
        - name: user
          in: query
          required: true
          schema: {type: string}
      responses:
        "200":
          description: The reply.
"#;

fn surface(spec: &str) -> Surface {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diff-api-1.yaml");
    std::fs::write(&path, spec).unwrap();
    Config::new()
        .surface_of(&path)
        .unwrap_or_else(|e| panic!("{e}\n{spec}"))
}

fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "the base spec has no `{from}`");
    BASE.replacen(from, to, 1)
}

fn param(text: &str) -> String {
    edit("#PARAMS", text)
}

fn field(text: &str) -> String {
    edit("#FIELDS", text)
}

/// The report from the base spec to `new`, asserting it holds exactly one
/// change, of `kind`, about `subject`, implying `bump`.
fn one_change(new: &str, kind: Kind, subject: Option<&str>, bump: Bump) -> Report {
    let report = compare(&surface(BASE), &surface(new));
    assert_eq!(
        report.changes.len(),
        1,
        "expected one change, got:\n{}",
        report.to_text(None)
    );
    let change = &report.changes[0];
    assert_eq!(change.kind, kind, "{}", change.message);
    assert_eq!(change.subject.as_deref(), subject, "{}", change.message);
    assert_eq!(change.bump, bump, "{}", change.message);
    assert_eq!(change.breaking, bump == Bump::Major);
    assert_eq!(report.bump, Some(bump));
    report
}

#[test]
fn the_same_spec_changes_nothing() {
    let report = compare(&surface(BASE), &surface(BASE));
    assert!(report.is_empty());
    assert_eq!(report.bump, None);
    assert_eq!(report.next_version("0.3.1").unwrap(), "0.3.1");
    // Wording is not surface: a new description changes nothing.
    let reworded = BASE.replace("Create an account", "Creates a cPanel account");
    assert!(compare(&surface(BASE), &surface(&reworded)).is_empty());
}

#[test]
fn functions_added_and_removed() {
    let without = BASE.split("  /removeacct:").next().unwrap().to_owned();
    let report = one_change(&without, Kind::OperationRemoved, None, Bump::Major);
    assert_eq!(report.changes[0].operation, "removeacct");
    assert_eq!(report.new.operations, 1);
    let added = compare(&surface(&without), &surface(BASE));
    assert_eq!(added.changes.len(), 1);
    assert_eq!(added.changes[0].kind, Kind::OperationAdded);
    assert_eq!(added.bump, Some(Bump::Minor));
    assert!(added.changes[0].message.contains("feature `accounts`"));
}

#[test]
fn parameters_added_by_how_they_are_given() {
    let required = "        - {name: owner, in: query, required: true, schema: {type: string}}";
    let optional = "        - {name: owner, in: query, schema: {type: string}}";
    let flag = "        - {name: owner, in: query, schema: {type: integer, enum: [1]}}";
    let constant =
        "        - {name: owner, in: query, required: true, schema: {type: string, enum: [root]}}";
    for (text, bump) in [
        (required, Bump::Major),
        (optional, Bump::Minor),
        (flag, Bump::Minor),
        (constant, Bump::Patch),
    ] {
        one_change(&param(text), Kind::ParameterAdded, Some("owner"), bump);
    }
}

#[test]
fn a_parameter_removed_breaks_callers() {
    let new = BASE.replacen(
        "        - name: plan\n          in: query\n          schema: {type: string}\n",
        "",
        1,
    );
    one_change(&new, Kind::ParameterRemoved, Some("plan"), Bump::Major);
}

#[test]
fn renamed_parameters_are_paired() {
    // The server still accepts the old name: the spec says so.
    let aliased = edit(
        "        - name: plan\n          in: query\n",
        "        - name: pkgname\n          in: query\n          x-aliases: [plan]\n",
    );
    let report = one_change(
        &aliased,
        Kind::ParameterRenamed,
        Some("pkgname"),
        Bump::Major,
    );
    let change = &report.changes[0];
    assert_eq!(change.before.as_deref(), Some("plan"));
    assert!(change.message.contains("still accepts the old name"));
    // A lone parameter gone and a lone one come, alike: a rename too.
    let alike = edit("        - name: plan\n", "        - name: package\n");
    one_change(&alike, Kind::ParameterRenamed, Some("package"), Bump::Major);
}

#[test]
fn required_flags_change() {
    let now_required = edit(
        "        - name: plan\n          in: query\n",
        "        - name: plan\n          in: query\n          required: true\n",
    );
    let report = one_change(
        &now_required,
        Kind::ParameterGivenChanged,
        Some("plan"),
        Bump::Major,
    );
    assert!(report.changes[0].message.contains("is now required"));
    let now_optional = edit(
        "        - name: username\n          in: query\n          required: true\n",
        "        - name: username\n          in: query\n",
    );
    one_change(
        &now_optional,
        Kind::ParameterGivenChanged,
        Some("username"),
        Bump::Major,
    );
}

#[test]
fn parameter_types_change() {
    let new = edit(
        "schema: {type: integer, default: 0}",
        "schema: {type: string, default: 0}",
    );
    let report = one_change(&new, Kind::ParameterRetyped, Some("quota"), Bump::Major);
    assert_eq!(report.changes[0].before.as_deref(), Some("i64"));
    assert_eq!(report.changes[0].after.as_deref(), Some("String"));
}

#[test]
fn enum_values_change() {
    let more = edit(
        "enum: [domain, owner, user]",
        "enum: [domain, owner, user, ip]",
    );
    let report = one_change(
        &more,
        Kind::ParameterValueAdded,
        Some("searchtype"),
        Bump::Minor,
    );
    assert_eq!(report.changes[0].after.as_deref(), Some("ip"));
    let fewer = edit("enum: [domain, owner, user]", "enum: [domain, owner]");
    one_change(
        &fewer,
        Kind::ParameterValueRemoved,
        Some("searchtype"),
        Bump::Major,
    );
}

#[test]
fn defaults_change_behaviour_only() {
    let new = edit("default: 0}", "default: 100}");
    let report = one_change(
        &new,
        Kind::ParameterDefaultChanged,
        Some("quota"),
        Bump::Patch,
    );
    assert_eq!(report.changes[0].before.as_deref(), Some("0"));
    assert_eq!(report.changes[0].after.as_deref(), Some("100"));
}

#[test]
fn constants_change_behaviour_only() {
    let new = edit("enum: [jupiter]", "enum: [paper_lantern]");
    one_change(
        &new,
        Kind::ParameterSentValueChanged,
        Some("theme"),
        Bump::Patch,
    );
}

#[test]
fn deprecation_is_an_addition() {
    let new = edit(
        "      summary: Remove an account\n",
        "      summary: Remove an account\n      deprecated: true\n",
    );
    one_change(&new, Kind::OperationDeprecated, None, Bump::Minor);
}

#[test]
fn moving_a_function_to_another_group_breaks_its_path() {
    let new = BASE.replacen(
        "      summary: Remove an account\n      tags: [Accounts]",
        "      summary: Remove an account\n      tags: [Account Removal]",
        1,
    );
    let report = one_change(&new, Kind::ModuleChanged, None, Bump::Major);
    assert_eq!(report.changes[0].after.as_deref(), Some("account_removal"));
}

#[test]
fn reply_fields_added_removed_and_retyped() {
    let added = field("                      plan: {type: string}");
    let report = one_change(&added, Kind::ReplyFieldAdded, Some("plan"), Bump::Minor);
    assert_eq!(report.changes[0].after.as_deref(), Some("String"));

    let retyped = edit("user: {type: string}", "user: {type: integer}");
    one_change(&retyped, Kind::ReplyFieldRetyped, Some("user"), Bump::Major);

    // An object removed is one change, not one per field below it.
    let removed = edit(
        "                      limits:\n                        type: object\n                        properties:\n                          disk: {type: integer}\n",
        "",
    );
    one_change(
        &removed,
        Kind::ReplyFieldRemoved,
        Some("limits"),
        Bump::Major,
    );

    let nested = edit(
        "disk: {type: integer}",
        "disk: {type: integer}\n                          inodes: {type: integer}",
    );
    one_change(
        &nested,
        Kind::ReplyFieldAdded,
        Some("limits.inodes"),
        Bump::Minor,
    );
}

#[test]
fn reply_enum_values_are_variants() {
    // A reply's enum keeps any value (`Other`), so a value more adds a
    // variant; a value fewer takes one away.
    let more = edit(
        "enum: [active, suspended]",
        "enum: [active, suspended, locked]",
    );
    one_change(&more, Kind::ReplyValueAdded, Some("status"), Bump::Minor);
    let fewer = edit("enum: [active, suspended]", "enum: [active, locked]");
    let report = compare(&surface(BASE), &surface(&fewer));
    assert_eq!(report.bump, Some(Bump::Major));
    let kinds: Vec<Kind> = report.changes.iter().map(|c| c.kind).collect();
    assert!(kinds.contains(&Kind::ReplyValueRemoved), "{kinds:?}");
    assert!(kinds.contains(&Kind::ReplyValueAdded), "{kinds:?}");
}

#[test]
fn the_bump_is_the_largest_change() {
    let new = param("        - {name: owner, in: query, schema: {type: string}}")
        .replace("default: 0}", "default: 5}");
    let report = compare(&surface(BASE), &surface(&new));
    assert_eq!(report.changes.len(), 2);
    assert_eq!(report.bump, Some(Bump::Minor));
    assert_eq!(report.breaking, 0);
    assert_eq!(report.next_version("0.4.2").unwrap(), "0.4.3");
    assert_eq!(report.next_version("2.4.2").unwrap(), "2.5.0");
    // Most severe first.
    assert_eq!(report.changes[0].bump, Bump::Minor);
}

/// Several changes at once, as people read them.
#[test]
fn text_report_snapshot() {
    let new = BASE
        .split("  /removeacct:")
        .next()
        .unwrap()
        .replace(
            "info:\n  title: Diff API\n  version: \"11.120\"",
            "info:\n  title: Diff API\n  version: \"11.122\"",
        )
        .replace(
            "enum: [domain, owner, user]",
            "enum: [domain, owner, user, ip]",
        )
        .replace("default: 0}", "default: 100}")
        .replace(
            "#PARAMS",
            "        - {name: owner, in: query, required: true, schema: {type: string}}",
        )
        .replace("user: {type: string}", "user: {type: integer}");
    let report = compare(&surface(BASE), &surface(&new));
    assert_eq!(report.breaking, 3);
    insta::assert_snapshot!("diff_text", report.to_text(Some("0.1.0")));
}

fn write_spec(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn whm_codegen(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_whm-codegen"))
        .args(args)
        .output()
        .unwrap()
}

/// The base spec, and a version that adds a required parameter, in `dir`.
fn old_and_new(dir: &Path) -> (PathBuf, PathBuf) {
    let old = write_spec(dir, "old.yaml", BASE);
    let new = write_spec(
        dir,
        "new.yaml",
        &param("        - {name: owner, in: query, required: true, schema: {type: string}}"),
    );
    (old, new)
}

#[test]
fn the_command_prints_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = old_and_new(dir.path());
    let out = whm_codegen(&["diff".as_ref(), old.as_os_str(), new.as_os_str()]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("semver: major"), "{text}");
    assert!(
        text.contains("createacct: parameter `owner` added, required"),
        "{text}"
    );

    let out = whm_codegen(&[
        "diff".as_ref(),
        old.as_os_str(),
        new.as_os_str(),
        "--format=json".as_ref(),
        "--current-version=0.3.1".as_ref(),
        "--deny-breaking".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(1), "breaking changes are denied");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["bump"], "major");
    assert_eq!(json["next_version"], "0.4.0");
    assert_eq!(json["breaking"], 1);
    assert_eq!(json["changes"][0]["kind"], "parameter_added");
    assert_eq!(json["changes"][0]["operation"], "createacct");
    assert_eq!(json["changes"][0]["subject"], "owner");
    assert_eq!(json["changes"][0]["breaking"], true);

    // A bad version is said plainly, and a bad spec names its line.
    let out = whm_codegen(&[
        "diff".as_ref(),
        old.as_os_str(),
        new.as_os_str(),
        "--current-version=next".as_ref(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("`next` is not a version"));
    let broken = write_spec(dir.path(), "broken.yaml", "openapi: 3.0.3\ninfo: [\n");
    let out = whm_codegen(&["diff".as_ref(), old.as_os_str(), broken.as_os_str()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.yaml"), "{stderr}");
}

#[test]
fn generate_says_what_regenerating_changed() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("diff-api-1.yaml");
    let out = dir.path().join("generated");
    std::fs::write(&spec, BASE).unwrap();
    let config = Config::new().spec(&spec);
    let first = config.generate_crates(&out).unwrap();
    assert!(first[0].changed);
    assert!(first[0].changes.is_none(), "nothing to compare with yet");
    let record = out.join("diff-api").join("api-surface.json");
    assert!(record.exists());

    std::fs::write(
        &spec,
        param("        - {name: owner, in: query, required: true, schema: {type: string}}"),
    )
    .unwrap();
    let stale = config.check_crates(&out).unwrap();
    let report = stale[0]
        .changes
        .as_ref()
        .expect("the check says what would change");
    assert_eq!(report.changes[0].kind, Kind::ParameterAdded);

    let second = config.generate_crates(&out).unwrap();
    let report = second[0].changes.as_ref().expect("a summary");
    assert_eq!(report.bump, Some(Bump::Major));
    assert_eq!(report.changes[0].subject.as_deref(), Some("owner"));

    // The committed record is a side of a diff too: crate against spec.
    let crate_dir = out.join("diff-api");
    let same = compare(
        &config.surface_of(&crate_dir).unwrap(),
        &config.surface_of(&spec).unwrap(),
    );
    assert!(same.is_empty());
    let third = config.generate_crates(&out).unwrap();
    assert!(!third[0].changed);
    assert!(third[0].changes.is_none());

    // The command prints the summary under the crate it wrote.
    std::fs::write(&spec, BASE).unwrap();
    let cli = whm_codegen(&[
        "generate".as_ref(),
        "--spec".as_ref(),
        spec.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(cli.status.success(), "{cli:?}");
    let stderr = String::from_utf8_lossy(&cli.stderr);
    assert!(stderr.contains("parameter `owner` removed"), "{stderr}");
    assert!(
        stderr.contains("semver: major (0.1.0 -> 0.2.0)"),
        "{stderr}"
    );
}

#[test]
fn surface_records_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let other = write_spec(
        dir.path(),
        "future.json",
        r#"{"whm_codegen_surface": 99, "operations": {}}"#,
    );
    let error = Config::new().surface_of(&other).unwrap_err().to_string();
    assert!(error.contains("future.json"), "{error}");
    assert!(error.contains("format 99"), "{error}");
    // A record round-trips through its JSON.
    let surface = surface(BASE);
    let again = Surface::from_json(&surface.to_json(), "record").unwrap();
    assert_eq!(surface, again);
}

#[test]
fn fields_of_a_json_body_are_parameters_too() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/specs/bodies.yaml");
    let base = std::fs::read_to_string(path).unwrap();
    let old = surface(&base);
    let params = &old.operations["add_records"].parameters;
    assert_eq!(
        params["records[].ip"].given,
        whm_codegen::surface::Given::Required
    );
    assert_eq!(params["options.validate_only"].ty, "bool");

    let new = base.replacen("required: [ip]", "required: [ip, comment]", 1);
    let report = compare(&old, &surface(&new));
    assert_eq!(report.changes.len(), 1, "{}", report.to_text(None));
    assert_eq!(report.changes[0].kind, Kind::ParameterGivenChanged);
    assert_eq!(
        report.changes[0].subject.as_deref(),
        Some("records[].comment")
    );
    assert!(report.changes[0].breaking);
}

/// Runs the command with standard output and error going into pipes that
/// nobody reads (`| head -1` after `head` has left): every write fails
/// with a broken pipe.
#[cfg(target_os = "linux")]
fn whm_codegen_into_closed_pipes(args: &[&std::ffi::OsStr]) -> std::process::ExitStatus {
    let (reader, out) = rustix::pipe::pipe().unwrap();
    let (reader_2, err) = rustix::pipe::pipe().unwrap();
    drop((reader, reader_2));
    Command::new(env!("CARGO_BIN_EXE_whm-codegen"))
        .args(args)
        .stdout(out)
        .stderr(err)
        .status()
        .unwrap()
}

#[test]
#[cfg(target_os = "linux")]
fn a_closed_pipe_ends_the_output_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = old_and_new(dir.path());
    // 101 is how Rust exits on a panic, which a failed `println!` is.
    let status =
        whm_codegen_into_closed_pipes(&["diff".as_ref(), old.as_os_str(), new.as_os_str()]);
    assert_eq!(status.code(), Some(0), "diff: {status}");
    let status = whm_codegen_into_closed_pipes(&[
        "diff".as_ref(),
        old.as_os_str(),
        new.as_os_str(),
        "--format=json".as_ref(),
    ]);
    assert_eq!(status.code(), Some(0), "diff --format=json: {status}");
    // A stale crate: the check prints its diff and fails, without a panic.
    let spec = dir.path().join("diff-api-1.yaml");
    let out = dir.path().join("generated");
    std::fs::write(&spec, BASE).unwrap();
    Config::new().spec(&spec).generate_crates(&out).unwrap();
    std::fs::write(&spec, std::fs::read_to_string(&new).unwrap()).unwrap();
    let args = [
        "generate".as_ref(),
        "--spec".as_ref(),
        spec.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    let mut check = args.to_vec();
    check.push("--check".as_ref());
    let status = whm_codegen_into_closed_pipes(&check);
    assert_eq!(status.code(), Some(1), "generate --check: {status}");
    let status = whm_codegen_into_closed_pipes(&args);
    assert_eq!(status.code(), Some(0), "generate: {status}");
    // The new required parameter is sent by its request type.
    let sources = std::fs::read_dir(out.join("diff-api/src")).unwrap();
    let written = sources
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .any(|text| text.contains("params.push(\"owner\""));
    assert!(
        written,
        "the crate is written though nobody reads what is said about it"
    );
}
