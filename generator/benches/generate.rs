//! How long generating the WHM API 1 crate takes, stage by stage.
//!
//! Run: `cargo bench -p whm-codegen --bench generate`. Prints the fastest and
//! median of several runs of loading `spec/whm-api-1.yaml`, lowering it,
//! rendering and formatting the crate, and the three together; then of the
//! whole `generate` run: every spec in `spec/` into a new directory, crates
//! written to disk. The allocator is the command's (mimalloc);
//! `--no-default-features` measures with the system allocator, as a build
//! script runs.
//!
//! `GENERATE_BENCH_SPEC=path/to/openapi.json` measures the stages on that
//! document too (a large public one: `scripts/openapi-survey.sh` fetches
//! GitHub's, 845 operations, among others).

// As the command runs it (with the `cli` feature); with
// `--no-default-features`, as a build script does, on the system allocator.
#[cfg(feature = "cli")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;
use std::time::{Duration, Instant};

use whm_codegen::lower::Selection;
use whm_codegen::render::{Gate, Layout, Options, render};

fn main() {
    let spec_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/whm-api-1.yaml");
    stages(&spec_path, "whm-api", 10);
    if let Some(other) = std::env::var_os("GENERATE_BENCH_SPEC") {
        stages(Path::new(&other), "other-api", 5);
    }
    whole_runs(10);
}

/// Load, lower and render `spec_path` `runs` times, and its surface.
fn stages(spec_path: &Path, crate_name: &str, runs: usize) {
    let options = Options {
        crate_name: crate_name.to_owned(),
        crate_path: Some(crate_name.replace('-', "_")),
        layout: Layout::Crate {
            runtime_dependency: "{ path = \"../../runtime\" }".to_owned(),
            version: "0.1.0".to_owned(),
        },
        features: true,
        blocking: Gate::Feature,
        testing: Gate::Feature,
        serialize: Gate::Feature,
        introspection: Gate::Feature,
        details: Gate::Feature,
        source: "spec/whm-api-1.yaml".to_owned(),
        regenerate: "bench".to_owned(),
    };
    let (mut load, mut lowering, mut rendering, mut total) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut bytes = 0;
    for _ in 0..runs {
        let t0 = Instant::now();
        let spec = whm_codegen::spec::load(spec_path).expect("the spec loads");
        let t1 = Instant::now();
        let mut api = whm_codegen::lower::lower_with(
            &spec,
            &Selection::default(),
            whm_codegen::lower::Collisions::Rename,
        )
        .expect("the spec lowers");
        whm_codegen::lower::share_equal_types(&mut api);
        let t2 = Instant::now();
        let rendered = render(&api, &options).expect("the crate renders");
        let t3 = Instant::now();
        bytes = rendered.files.iter().map(|f| f.contents.len()).sum();
        load.push(t1 - t0);
        lowering.push(t2 - t1);
        rendering.push(t3 - t2);
        total.push(t3 - t0);
    }
    println!(
        "generated {} KiB of Rust from {}",
        bytes / 1024,
        spec_path.display()
    );
    report("load (YAML -> model)", &mut load);
    report("lower (model -> IR)", &mut lowering);
    report("render + format", &mut rendering);
    report("load + lower + render", &mut total);
    let api = whm_codegen::lower::lower_with(
        &whm_codegen::spec::load(spec_path).expect("the spec loads"),
        &Selection::default(),
        whm_codegen::lower::Collisions::Rename,
    )
    .expect("the spec lowers");
    let mut surface = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let record = whm_codegen::surface::Surface::of(&api).to_json();
        surface.push(started.elapsed());
        assert!(!record.is_empty());
    }
    report("surface record", &mut surface);
}

/// The whole `generate` of every spec in `spec/`, `runs` times.
fn whole_runs(runs: usize) {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let mut config = whm_codegen::Config::new().regenerate_with("bench");
    let mut names: Vec<_> = std::fs::read_dir(&specs)
        .expect("spec/ lists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    names.sort();
    for spec in &names {
        config = config.spec(spec);
    }
    let mut whole = Vec::new();
    for _ in 0..runs {
        let out = tempfile::tempdir().expect("a temporary directory");
        let started = Instant::now();
        let outcomes = config.generate_crates(out.path()).expect("generate runs");
        whole.push(started.elapsed());
        assert_eq!(outcomes.len(), names.len());
    }
    report(&format!("generate ({} specs)", names.len()), &mut whole);
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    println!(
        "{what:24} min {:8.1} ms   median {:8.1} ms",
        times[0].as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e3
    );
}
