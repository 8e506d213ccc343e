//! How long importing the full WHM API 1 reference takes.
//!
//! Run: `cargo bench -p whm-codegen --bench import`. Reads the reference
//! from `../shared/upstream-docs` (or `$WHM_CODEGEN_UPSTREAM_DOCS`) and
//! prints the fastest and median of several runs: parse + build the document,
//! and the YAML text on top.

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let dir = std::env::var_os("WHM_CODEGEN_UPSTREAM_DOCS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../shared/upstream-docs"
            ))
        });
    let path = dir.join("whm-api-1-reference.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let runs = 20;
    let mut import = Vec::with_capacity(runs);
    let mut with_yaml = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let imported =
            whm_codegen::import::import_text(&text, "reference").expect("the reference imports");
        import.push(start.elapsed());
        let yaml = whm_codegen::import::to_yaml(&imported.document, "bench").expect("YAML");
        with_yaml.push(start.elapsed());
        std::hint::black_box(yaml);
    }
    report("import (parse + document)", &mut import, text.len());
    report("import + YAML text", &mut with_yaml, text.len());
}

fn report(what: &str, times: &mut [Duration], bytes: usize) {
    times.sort();
    let min = times[0];
    let median = times[times.len() / 2];
    let mb_s = bytes as f64 / 1e6 / median.as_secs_f64();
    println!(
        "{what:28} min {:7.1} ms   median {:7.1} ms   ({mb_s:.1} MB/s of reference text)",
        min.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3
    );
}
