//! A downstream build script compiles the generator's library alone: no
//! command-line parser among its build dependencies, and not the WHM
//! reference importer.

use std::process::Command;

use whm_codegen_tests::repo_root;

#[test]
fn build_scripts_compile_neither_clap_nor_the_importer() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(repo_root())
        .args([
            "tree",
            "--offline",
            "--locked",
            "-p",
            "whm-codegen-consumer",
            "--edges",
            "normal,build",
            "--prefix",
            "none",
            "--format",
            "{p} {f}",
        ])
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.lines().any(|l| l.starts_with("whm-codegen v")),
        "the consumer builds with the generator:\n{stdout}"
    );
    let clap: Vec<&str> = stdout.lines().filter(|l| l.starts_with("clap")).collect();
    assert!(
        clap.is_empty(),
        "clap is compiled for the build script: {clap:?}\n{stdout}"
    );
    let generator = stdout
        .lines()
        .find(|l| l.starts_with("whm-codegen v"))
        .unwrap_or_default();
    assert!(
        !generator.contains("cli"),
        "the `cli` feature is on: {generator}"
    );
    assert!(
        !generator.contains("import"),
        "the importer is compiled for the build script: {generator}"
    );
}
