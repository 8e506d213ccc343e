//! Generates bindings the way a downstream crate does: `Config` in build.rs,
//! `include!` in the library.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let fixtures = root.join("generator/tests/fixtures/specs");
    for name in [
        "params",
        "bodies",
        "hostile",
        "recursive",
        "modern",
        "own_names",
        "unions",
    ] {
        let spec = fixtures.join(format!("{name}.yaml"));
        println!("cargo:rerun-if-changed={}", spec.display());
        whm_codegen::Config::new()
            .spec(&spec)
            .blocking(true)
            .testing(true)
            .introspection(true)
            .generate_to(&out)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    // Documents written by others, as they are published.
    let corpus = root.join("../shared/openapi-corpus");
    for name in ["oai-petstore", "swagger-petstore3"] {
        let spec = corpus.join(format!("{name}.yaml"));
        println!("cargo:rerun-if-changed={}", spec.display());
        whm_codegen::Config::new()
            .spec(&spec)
            .testing(true)
            .generate_to(&out)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    // A subset of the real API, selected by tag group.
    let whm = root.join("spec/whm-api-1.yaml");
    println!("cargo:rerun-if-changed={}", whm.display());
    whm_codegen::Config::new()
        .spec(&whm)
        .only_tags(["Accounts", "DNS"])
        .crate_name("whm_subset")
        .introspection(true)
        .generate_to(&out)
        .unwrap_or_else(|e| panic!("{e}"));
    // The details alone, for a tool that calls functions by name; and
    // the descriptions without them.
    for (name, details) in [("whm_details", true), ("whm_wire_only", false)] {
        whm_codegen::Config::new()
            .spec(&whm)
            .only_tags(["DNS"])
            .crate_name(name)
            .details(details)
            .generate_to(&out)
            .unwrap_or_else(|e| panic!("{e}"));
    }
}
