//! One operation of each public OpenAPI document of
//! `../shared/openapi-corpus/` (written by others, kept unchanged), as
//! generated: its request type and how it goes on the wire. That each
//! whole crate builds without a warning and passes clippy is checked by
//! the workspace's `downstream` test.

use std::path::PathBuf;

use whm_codegen::Config;

/// Each document, and the request type of the operation shown.
const SHOWN: [(&str, &str); 7] = [
    // No parameters, an undocumented reply.
    ("oai-api-with-examples", "ListVersionsv2"),
    // A JSON body, a query parameter, callbacks ignored.
    ("oai-callback-example", "PostStreams"),
    // Path parameters, links ignored.
    ("oai-link-example", "GetPullRequestsById"),
    // A path parameter, a typed reply.
    ("oai-petstore", "ShowPetById"),
    // A JSON body of a composed (`allOf`) schema.
    ("oai-petstore-expanded", "AddPet"),
    // A form body and path parameters.
    ("oai-uspto", "PerformSearch"),
    // A JSON body that is a list, beside XML offered too.
    ("swagger-petstore3", "CreateUsersWithListInput"),
];

fn document(name: &str) -> PathBuf {
    // Relative to the package, as cargo runs its tests: generated headers
    // name the spec as given.
    PathBuf::from(format!("../../shared/openapi-corpus/{name}.yaml"))
}

/// The request type `request` of the generated `code`: its documentation,
/// definition, methods and `Request` implementation.
fn operation_source(code: &str, request: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let start_at = |prefix: &str| {
        lines
            .iter()
            .position(|l| l.trim_start().starts_with(prefix))
    };
    let definition = start_at(&format!("pub struct {request} "))
        .unwrap_or_else(|| panic!("no `pub struct {request}`"));
    // Back over its documentation and attributes.
    let mut first = definition;
    while first > 0 && {
        let above = lines[first - 1].trim_start();
        above.starts_with("///") || above.starts_with("#[")
    } {
        first -= 1;
    }
    let implementation = start_at(&format!("impl ::whm_runtime::Request for {request} "))
        .unwrap_or_else(|| panic!("no `Request` implementation of {request}"));
    let indent = lines[implementation].len() - lines[implementation].trim_start().len();
    let closing = format!("{}}}", " ".repeat(indent));
    let last = (implementation..lines.len())
        .find(|&i| lines[i] == closing)
        .unwrap_or_else(|| panic!("the implementation of {request} does not end"));
    lines[first..=last].join("\n")
}

#[test]
fn one_operation_of_each_public_document() {
    for (name, request) in SHOWN {
        let dir = tempfile::tempdir().unwrap();
        let written = Config::new()
            .spec(document(name))
            .generate_to(dir.path())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let code = std::fs::read_to_string(&written[0]).unwrap();
        insta::assert_snapshot!(name, operation_source(&code, request));
    }
}
