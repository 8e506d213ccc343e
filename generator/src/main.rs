//! The `whm-codegen` command.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

// Generating allocates millions of small tokens and strings; with glibc's
// malloc, allocating and freeing them takes a third of the run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Typed Rust bindings for cPanel & WHM, generated from OpenAPI descriptions.
#[derive(Debug, Parser)]
#[command(name = "whm-codegen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import cPanel's rendered WHM API 1 reference into an OpenAPI spec.
    Import(ImportArgs),
    /// Generate a crate per spec (default: every spec in `spec/` to its crate in `generated/`).
    Generate(GenerateArgs),
    /// Say what changed between two versions of an API, for callers of the
    /// generated crate, and the semver bump that implies.
    Diff(DiffArgs),
}

/// The arguments of `import`.
#[derive(Debug, Args)]
struct ImportArgs {
    /// The rendered reference (text).
    #[arg(long, value_name = "FILE")]
    reference: PathBuf,
    /// Where to write the OpenAPI YAML.
    #[arg(long, value_name = "FILE", default_value = "spec/whm-api-1.yaml")]
    out: PathBuf,
    /// Also write the coverage report as JSON.
    #[arg(long, value_name = "FILE")]
    report_json: Option<PathBuf>,
}

/// The arguments of `generate`.
#[derive(Debug, Args)]
struct GenerateArgs {
    /// A spec to generate; repeat for several. Default: every `*.yaml` in `spec/`.
    #[arg(long = "spec", value_name = "FILE")]
    specs: Vec<PathBuf>,
    /// The directory that holds the crates.
    #[arg(long, value_name = "DIR", default_value = "generated")]
    out: PathBuf,
    /// Generate nothing; exit 1 with a diff when a crate is stale.
    #[arg(long)]
    check: bool,
    /// Only operations under this tag or tag group; repeat for several.
    /// Needs `--spec`: a selection belongs to the spec it names.
    #[arg(long = "only-tag", value_name = "TAG", requires = "specs")]
    only_tags: Vec<String>,
    /// The crate's name, instead of one from the spec's file name
    /// (`whm-api-1.yaml` -> `whm-api`). Needs exactly one `--spec`.
    #[arg(long, value_name = "NAME", requires = "specs")]
    crate_name: Option<String>,
    /// The crates' version. Default: the version a crate has now
    /// (0.1.0 for a new one).
    #[arg(long, value_name = "VERSION", conflicts_with = "bump")]
    crate_version: Option<String>,
    /// Give each crate whose API changed the next version the changes
    /// call for (the one `generate` and `diff` propose).
    #[arg(long)]
    bump: bool,
    /// The `whm-runtime` dependency of generated crates, as TOML.
    /// Default: a path to the runtime of this checkout (the `runtime/`
    /// directory beside `generator/`), relative to each crate.
    #[arg(long, value_name = "TOML")]
    runtime_dependency: Option<String>,
    /// When two operations' names give one Rust name, call the second
    /// `<name>_2` rather than fail (`x-rust-name` names one explicitly).
    #[arg(long)]
    allow_renames: bool,
}

/// The arguments of `diff`.
#[derive(Debug, Args)]
struct DiffArgs {
    /// The old version: a spec, a generated crate's directory, or its `api-surface.json`.
    old: PathBuf,
    /// The new version, in any of the same forms.
    new: PathBuf,
    /// Text for people or JSON for tools.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The generated crate's current version, to name the next one.
    #[arg(long, value_name = "VERSION")]
    current_version: Option<String>,
    /// Exit 1 when a change is breaking.
    #[arg(long)]
    deny_breaking: bool,
    /// Only operations under this tag or tag group; repeat for several.
    #[arg(long = "only-tag", value_name = "TAG")]
    only_tags: Vec<String>,
}

/// Writes to standard output. A reader that has gone (`| head -1`) ends the
/// output quietly, as command-line tools do, rather than in a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

/// [`say!`], for standard error.
macro_rules! tell {
    ($($arg:tt)*) => {{
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

/// [`tell!`], then a line break.
macro_rules! tell_line {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// How `diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For people.
    Text,
    /// For tools: the whole report as one JSON object.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(message) => {
            tell_line!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Import(args) => import(args),
        Command::Generate(args) => generate(args),
        Command::Diff(args) => diff(args),
    }
}

/// Imports a reference into a spec.
fn import(args: ImportArgs) -> Result<ExitCode, String> {
    let ImportArgs {
        reference,
        out,
        report_json,
    } = args;
    let imported = whm_codegen::import::import_file(&reference, &out).map_err(|e| e.to_string())?;
    tell!("{}", imported.report);
    tell_line!("wrote {}", out.display());
    if let Some(path) = report_json {
        let json = serde_json::to_vec_pretty(&imported.report).map_err(|e| e.to_string())?;
        whm_codegen::write::write_file(&path, &json).map_err(|e| e.to_string())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Generates (or checks) the crates of the specs.
fn generate(args: GenerateArgs) -> Result<ExitCode, String> {
    let GenerateArgs {
        specs,
        out,
        check,
        only_tags,
        crate_name,
        crate_version,
        bump,
        runtime_dependency,
        allow_renames,
    } = args;
    let regenerate = regenerate_command(&specs, &out, &only_tags, crate_name.as_deref());
    let specs = if specs.is_empty() {
        default_specs()?
    } else {
        specs
    };
    let mut config = whm_codegen::Config::new()
        .only_tags(only_tags)
        .allow_renames(allow_renames)
        .bump_version(bump)
        .regenerate_with(&regenerate);
    if let Some(toml) = runtime_dependency {
        config = config.runtime_dependency(toml);
    }
    if let Some(name) = crate_name {
        config = config.crate_name(name);
    }
    if let Some(version) = crate_version {
        config = config.crate_version(version);
    }
    for spec in &specs {
        config = config.spec(spec);
    }
    if check {
        let stale = config.check_crates(&out).map_err(|e| e.to_string())?;
        if stale.is_empty() {
            tell_line!("up to date: {} crate(s) in {}", specs.len(), out.display());
            return Ok(ExitCode::SUCCESS);
        }
        for s in &stale {
            tell!("{}", whm_codegen::describe_stale(s, 40));
            if let Some(report) = &s.changes {
                tell!(
                    "\nfor callers of {}, regenerating means:\n{}",
                    s.dir.display(),
                    indent(&report.to_text(Some(current_version(&s.previous_version))))
                );
            }
        }
        tell_line!("error: generated code is stale; run `{regenerate}` and commit the result");
        return Ok(ExitCode::FAILURE);
    }
    let outcomes = config.generate_crates(&out).map_err(|e| e.to_string())?;
    for o in outcomes {
        for warning in &o.warnings {
            tell_line!("warning: {warning}");
        }
        let what = if o.changed { "wrote" } else { "unchanged" };
        tell_line!("{what} {} (version {})", o.dir.display(), o.version);
        if let Some(report) = &o.changes {
            let previous = current_version(&o.previous_version);
            tell!("{}", indent(&report.to_text(Some(previous))));
            if !bump && report.bump.is_some() && o.version == previous {
                tell_line!(
                    "    the version stays {previous}: `--bump` gives the one proposed, `--crate-version` any"
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Compares two versions of an API.
fn diff(args: DiffArgs) -> Result<ExitCode, String> {
    let config = whm_codegen::Config::new().only_tags(args.only_tags);
    let old = config.surface_of(&args.old).map_err(|e| e.to_string())?;
    let new = config.surface_of(&args.new).map_err(|e| e.to_string())?;
    let current_version = args.current_version;
    if old.api != new.api {
        tell_line!(
            "warning: comparing two different APIs (`{}` and `{}`): every operation of each is reported as removed or added",
            old.api,
            new.api
        );
    }
    let report = whm_codegen::surface::diff::compare(&old, &new);
    if let Some(current) = &current_version {
        // A bad version is the caller's mistake, said before any output.
        report.next_version(current)?;
    }
    match args.format {
        Format::Text => say!("{}", report.to_text(current_version.as_deref())),
        Format::Json => {
            let mut json = serde_json::to_value(&report).map_err(|e| e.to_string())?;
            if let Some(current) = &current_version {
                json["current_version"] = current.clone().into();
                json["next_version"] = report.next_version(current)?.into();
            }
            let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
            say!("{text}\n");
        }
    }
    if args.deny_breaking && report.breaking > 0 {
        tell_line!(
            "error: {} breaking change(s) (--deny-breaking)",
            report.breaking
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// The version a crate had, for a report's headline.
fn current_version(previous: &Option<String>) -> &str {
    previous
        .as_deref()
        .unwrap_or(whm_codegen::DEFAULT_CRATE_VERSION)
}

/// The command generated headers name to regenerate: this run's, with
/// what it selected, so that it does the same again from where it ran.
fn regenerate_command(
    specs: &[PathBuf],
    out: &std::path::Path,
    only_tags: &[String],
    crate_name: Option<&str>,
) -> String {
    let mut command = if in_this_repository() {
        // This repository's own crates, as its README says to regenerate them.
        "cargo run -p whm-codegen -- generate".to_owned()
    } else {
        "whm-codegen generate".to_owned()
    };
    for spec in specs {
        command.push_str(&format!(" --spec {}", spec.display()));
    }
    if out != std::path::Path::new("generated") {
        command.push_str(&format!(" --out {}", out.display()));
    }
    for tag in only_tags {
        command.push_str(&format!(" --only-tag '{tag}'"));
    }
    if let Some(name) = crate_name {
        command.push_str(&format!(" --crate-name {name}"));
    }
    command
}

/// Whether the command runs at the root of the repository it was built
/// from, where `cargo run -p whm-codegen` is the way to run it.
fn in_this_repository() -> bool {
    let here = std::path::Path::new("generator").canonicalize();
    let built = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize();
    matches!((here, built), (Ok(a), Ok(b)) if a == b)
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                "\n".to_owned()
            } else {
                format!("    {line}\n")
            }
        })
        .collect()
}

/// Every `*.yaml` and `*.json` in `spec/`, sorted.
fn default_specs() -> Result<Vec<PathBuf>, String> {
    let dir = PathBuf::from("spec");
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        format!(
            "cannot list {}: {e}; run from the repository root or pass --spec",
            dir.display()
        )
    })?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!("no specs in {}", dir.display()));
    }
    Ok(specs)
}
