//! Generated code for small fixture specs, one per kind of input. The same
//! fixtures are compiled (and used) by the `whm-codegen-consumer` crate's
//! build script, so every snapshot here is code that builds.

use std::path::{Path, PathBuf};

use whm_codegen::Config;

fn fixture(name: &str) -> PathBuf {
    // Relative to the package, where cargo runs its tests: generated
    // headers name the spec as given, and snapshots must not name the
    // checkout's place.
    PathBuf::from(format!("tests/fixtures/specs/{name}.yaml"))
}

fn generate(name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let written = Config::new()
        .spec(fixture(name))
        .blocking(true)
        .testing(true)
        .generate_to(dir.path())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(written.len(), 1);
    std::fs::read_to_string(&written[0]).unwrap()
}

#[test]
fn params_snapshot() {
    insta::assert_snapshot!("params", generate("params"));
}

#[test]
fn bodies_snapshot() {
    insta::assert_snapshot!("bodies", generate("bodies"));
}

#[test]
fn hostile_names_snapshot() {
    insta::assert_snapshot!("hostile", generate("hostile"));
}

#[test]
fn recursive_types_snapshot() {
    insta::assert_snapshot!("recursive", generate("recursive"));
}

#[test]
fn common_shapes_snapshot() {
    // Bearer and header-key auth, optional and enum reply members, a list.
    insta::assert_snapshot!("modern", generate("modern"));
}

#[test]
fn unions_snapshot() {
    // Tagged by a member, told apart by kind and by members, recursive.
    insta::assert_snapshot!("unions", generate("unions"));
}

#[test]
fn own_names_snapshot() {
    // Groups, operations and a client view named as the crate's own items.
    insta::assert_snapshot!("own_names", generate("own_names"));
}

#[test]
fn names_of_the_crates_own_items_are_taken_by_nothing_else() {
    let code = generate("own_names");
    for expected in [
        "pub mod testing_2 {",  // the tag `Testing`
        "pub mod blocking_2 {", // the tag `Blocking`
        "pub mod default_2 {",  // the tag `Default`, as its feature
        "pub fn as_user(",      // the view's method keeps its name
        "pub fn as_user_2(",    // the operation goes round it
        "pub fn new_batch_2(",  // and round the batch methods
        "pub fn run_batch_2(",
        "pub fn runtime_2(",      // and round the client's own
        "pub struct UserClient<", // the view's type
    ] {
        assert!(code.contains(expected), "missing `{expected}`");
    }
}

#[test]
fn every_fixture_parses_as_rust_and_is_deterministic() {
    for name in [
        "params",
        "bodies",
        "hostile",
        "recursive",
        "modern",
        "own_names",
        "unions",
    ] {
        let first = generate(name);
        let second = generate(name);
        assert_eq!(first, second, "{name}: two runs differ");
        syn::parse_file(&first).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn hostile_names_are_resolved() {
    let code = generate("hostile");
    for expected in [
        "pub fn r#type(",        // keyword parameter: raw identifier
        "pub fn self_(",         // `self` cannot be raw
        "pub fn result(",        // `Result` as a parameter
        "pub fn api_version(",   // dotted wire name
        "pub fn _2fa_enabled(",  // leading digit
        "pub fn bwlimit(",       // the exact name keeps it
        "pub fn bwlimit_2(",     // its case-folded twin gets a suffix
        "pub fn new_2(",         // `new` is the constructor
        "pub mod self_ {",       // a group named like a keyword
        "pub mod types_2 {",     // a group named like the shared module
        "pub struct Type {",     // an operation named `type`
        "pub struct Result {",   // an operation named `Result`, with std paths in use
        "pub fn call_2(",        // `call` is the client's raw call
        "pub fn builder_2(",     // `builder` is the client's constructor
        "pub struct Client2 {",  // an operation named `Client`
        "pub enum X {",          // the first enum of a name keeps it
        "pub enum ClientTwoX {", // a same-named enum with other values
        "pub extra_2: ",         // a member named like the rest field
        "pub _2fa: ",            // a member with a leading digit
    ] {
        assert!(code.contains(expected), "missing `{expected}`");
    }
    // Enum variants from awkward values: empty, symbols, case twins, keywords.
    for variant in [
        "Value,", "Value2,", "On,", "On2,", "Type,", "Self_,", "V2048,",
    ] {
        assert!(code.contains(variant), "missing variant `{variant}`");
    }
}

fn error_for(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(&path, text).unwrap();
    match Config::new().spec(&path).generate_to(dir.path()) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n";

#[test]
fn unknown_type_names_line_operation_and_parameter() {
    let text = format!(
        "{HEAD}  /f:\n    get:\n      operationId: f\n      parameters:\n        - name: user\n          in: query\n          schema:\n            type: strng\n      responses: {{}}\n"
    );
    let e = error_for(&text);
    assert!(
        e.contains("bad.yaml:13:13: operation `f`, parameter `user`: unknown type `strng`"),
        "{e}"
    );
    assert!(
        e.contains("(at /paths/~1f/get/parameters/0/schema/type)"),
        "{e}"
    );
}

#[test]
fn dangling_reference() {
    let text = format!(
        "{HEAD}  /f:\n    get:\n      operationId: f\n      parameters:\n        - name: user\n          in: query\n          schema:\n            $ref: '#/components/schemas/Nope'\n      responses: {{}}\n"
    );
    let e = error_for(&text);
    assert!(e.contains("bad.yaml:13:13: operation `f`, parameter `user`: `$ref: #/components/schemas/Nope` points at no schema"), "{e}");
}

#[test]
fn duplicate_operation_id() {
    let text = format!(
        "{HEAD}  /a:\n    get:\n      operationId: same\n      responses: {{}}\n  /b:\n    get:\n      operationId: same\n      responses: {{}}\n"
    );
    let e = error_for(&text);
    assert!(
        e.contains(
            "bad.yaml:12:7: operation `same`: duplicate operationId (first at /paths/~1a/get)"
        ),
        "{e}"
    );
}

/// Two operations whose names give one Rust name, the second named by
/// `extra` (more keys on its operation object).
fn colliding(extra: &str) -> String {
    format!(
        "{HEAD}  /a:\n    get:\n      operationId: op_a\n      responses: {{}}\n  /b:\n    get:\n      operationId: OpA\n{extra}      responses: {{}}\n"
    )
}

/// Generates `text` into a file and returns the code.
fn generate_text(text: &str, config: Config) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("api.yaml");
    std::fs::write(&path, text).unwrap();
    let written = config
        .spec(&path)
        .generate_to(dir.path())
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::read_to_string(&written[0]).unwrap()
}

#[test]
fn colliding_operation_names_are_an_error_naming_both() {
    let e = error_for(&colliding(""));
    assert!(
        e.contains("bad.yaml:7:5: operation `op_a`: operations `OpA` and `op_a` both make the request type `OpA`"),
        "{e}"
    );
    assert!(e.contains("x-rust-name"), "says how to resolve it: {e}");
    assert!(
        e.contains("let the second be called `OpA2` (`Config::allow_renames(true)`, `generate --allow-renames`)"),
        "says how to opt in: {e}"
    );
    // An `x-rust-name` can collide as well.
    let e = error_for(&format!(
        "{HEAD}  /a:\n    get:\n      operationId: op_a\n      responses: {{}}\n  /b:\n    get:\n      operationId: opA\n      x-rust-name: other\n      responses: {{}}\n  /c:\n    get:\n      operationId: c\n      x-rust-name: OP_A\n      responses: {{}}\n"
    ));
    assert!(
        e.contains("operations `c` and `op_a` both make the request type `OpA`"),
        "{e}"
    );
}

#[test]
fn x_rust_name_settles_a_collision() {
    let code = generate_text(&colliding("      x-rust-name: op_b\n"), Config::new());
    assert!(code.contains("pub fn op_a("), "{code}");
    assert!(code.contains("pub fn op_b("), "{code}");
    assert!(code.contains("pub struct OpB {"), "{code}");
    // On the wire the operation keeps its own name.
    assert!(code.contains("\"OpA\""), "{code}");
    assert!(!code.contains("op_a_2"), "{code}");
    let e = error_for(&colliding("      x-rust-name: '--'\n"));
    assert!(
        e.contains("operation `OpA`: `x-rust-name`: must be a name"),
        "{e}"
    );
}

#[test]
fn allow_renames_suffixes_the_later_operation() {
    let code = generate_text(&colliding(""), Config::new().allow_renames(true));
    assert!(code.contains("pub fn op_a("), "{code}");
    assert!(code.contains("pub fn op_a_2("), "{code}");
    assert!(code.contains("pub struct OpA2 {"), "{code}");
}

#[test]
fn empty_parameter_and_field_names_are_rejected_with_their_place() {
    let e = error_for(&format!(
        "{HEAD}  /f:\n    get:\n      operationId: f\n      parameters:\n        - name: ''\n          in: query\n          schema: {{type: string}}\n      responses: {{}}\n"
    ));
    assert!(
        e.contains("bad.yaml:10:11: operation `f`: a parameter needs a `name`"),
        "{e}"
    );
    assert!(e.contains("/paths/~1f/get/parameters/0/name"), "{e}");
    let e = error_for(&format!(
        "{HEAD}  /f:\n    post:\n      operationId: f\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema:\n              type: object\n              properties:\n                ' ': {{type: string}}\n      responses: {{}}\n"
    ));
    assert!(
        e.contains("operation `f`: a request body field needs a name"),
        "{e}"
    );
    assert!(
        e.contains("/paths/~1f/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties"),
        "{e}"
    );
}

#[test]
fn invalid_yaml() {
    let e = error_for("openapi: 3.0.3\ninfo: {title: T\npaths: {}\n");
    assert!(e.starts_with("") && e.contains("bad.yaml:3:"), "{e}");
    assert!(e.contains("invalid YAML"), "{e}");
}

#[test]
fn wrong_shapes_and_typos() {
    let e = error_for(&format!(
        "{HEAD}  /f:\n    get:\n      operationId: f\n      responses: 3\n"
    ));
    assert!(
        e.contains("bad.yaml:9:7: invalid type: integer `3`, expected a map"),
        "{e}"
    );
    let e = error_for(&format!(
        "{HEAD}  /f:\n    get:\n      operationId: f\n      parameters:\n        - name: user\n          in: query\n          requried: true\n          schema: {{type: string}}\n      responses: {{}}\n"
    ));
    assert!(
        e.contains("parameter `user`: unknown or unsupported key `requried`"),
        "{e}"
    );
    let e = error_for("openapi: 2.0\ninfo: {title: T, version: '1'}\npaths: {}\n");
    assert!(e.contains("OpenAPI 3.0 and 3.1"), "{e}");
    let e = error_for("swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n");
    assert!(e.contains("convert a Swagger 2.0 document"), "{e}");
    let e = error_for("");
    assert!(e.contains("bad.yaml"), "{e}");
}

#[test]
fn a_failed_run_leaves_the_previous_crate_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated");
    let good = fixture("params");
    Config::new().spec(&good).generate_crates(&out).unwrap();
    let crate_dir = out.join("params");
    let before = snapshot_dir(&crate_dir);
    let bad = dir.path().join("params.yaml");
    let text = std::fs::read_to_string(&good)
        .unwrap()
        .replace("type: integer, minimum: 1", "type: integr");
    std::fs::write(&bad, text).unwrap();
    let e = Config::new().spec(&bad).generate_crates(&out).unwrap_err();
    assert!(e.to_string().contains("unknown type `integr`"), "{e}");
    assert_eq!(snapshot_dir(&crate_dir), before);
}

fn snapshot_dir(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
                let mut bytes = std::fs::read(&path).unwrap();
                bytes.extend(format!("{modified:?}").bytes());
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn sitehost_crate_snapshot() {
    // The committed crate, as `generate` makes it from the committed spec.
    // (Run from the package, so the spec and runtime are one level up.)
    let spec = Path::new("../spec/sitehost-api-1.3.yaml");
    let dir = tempfile::tempdir().unwrap();
    Config::new()
        .spec(spec)
        .runtime_dependency("{ path = \"../../runtime\" }")
        .regenerate_with("cargo run -p whm-codegen -- generate")
        .generate_crates(dir.path())
        .unwrap();
    let root = dir.path().join("sitehost-api");
    for file in [
        "Cargo.toml",
        "api-surface.json",
        "src/lib.rs",
        "src/cloud.rs",
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        insta::assert_snapshot!(format!("sitehost_{}", file.replace(['/', '.'], "_")), text);
    }
}

#[test]
fn every_problem_of_a_spec_is_reported_in_one_run() {
    let text = format!(
        "{HEAD}  /f:\n    get:\n      operationId: f\n      x-wire-path: nope\n      parameters:\n        - name: user\n          in: query\n          requried: true\n          x-aliases: 3\n          schema: {{type: strng}}\n      responses: {{}}\nx-envelope:\n  payload: data\nx-batch:\n  operation: batch\n"
    );
    let e = error_for(&text);
    let lines: Vec<&str> = e.lines().collect();
    let expected = [
        "bad.yaml:18:3: `x-envelope`: `data` is not a JSON pointer (it must be `\"\"` or start with `/`) (at /x-envelope/payload)",
        "bad.yaml:19:1: `x-batch`: missing field `command` (at /x-batch)",
        "bad.yaml:9:7: operation `f`: `x-wire-path`: must be a path starting with `/` (at /paths/~1f/get/x-wire-path)",
        "bad.yaml:13:11: operation `f`, parameter `user`: unknown or unsupported key `requried`; extensions must start with `x-` (at /paths/~1f/get/parameters/0/requried)",
        "bad.yaml:14:11: operation `f`, parameter `user`: `x-aliases`: invalid type: integer `3`, expected a sequence (at /paths/~1f/get/parameters/0/x-aliases)",
        "bad.yaml:15:20: operation `f`, parameter `user`: unknown type `strng`; expected one of string, integer, number, boolean, array, object (at /paths/~1f/get/parameters/0/schema/type)",
    ];
    assert_eq!(lines.len(), expected.len(), "{e}");
    for (line, want) in lines.iter().zip(expected) {
        assert!(
            line.ends_with(want),
            "expected `{want}`, got `{line}`\nin:\n{e}"
        );
    }
}
