//! The `whm-codegen` command.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

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
    Import {
        /// The rendered reference (text).
        #[arg(long, value_name = "FILE")]
        reference: PathBuf,
        /// Where to write the OpenAPI YAML.
        #[arg(long, value_name = "FILE", default_value = "spec/whm-api-1.yaml")]
        out: PathBuf,
        /// Also write the coverage report as JSON.
        #[arg(long, value_name = "FILE")]
        report_json: Option<PathBuf>,
    },
    /// Generate a crate per spec (default: every spec in `spec/` to its crate in `generated/`).
    Generate {
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
        #[arg(long = "only-tag", value_name = "TAG")]
        only_tags: Vec<String>,
        /// The `whm-runtime` dependency of generated crates, as TOML.
        #[arg(
            long,
            value_name = "TOML",
            default_value = "{ path = \"../../runtime\" }"
        )]
        runtime_dependency: String,
        /// When two operations' names give one Rust name, call the second
        /// `<name>_2` rather than fail (`x-rust-name` names one explicitly).
        #[arg(long)]
        allow_renames: bool,
    },
    /// Say what changed between two versions of an API, for callers of the
    /// generated crate, and the semver bump that implies.
    Diff {
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
    },
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
        Command::Import {
            reference,
            out,
            report_json,
        } => {
            let imported =
                whm_codegen::import::import_file(&reference, &out).map_err(|e| e.to_string())?;
            tell!("{}", imported.report);
            tell_line!("wrote {}", out.display());
            if let Some(path) = report_json {
                let json =
                    serde_json::to_vec_pretty(&imported.report).map_err(|e| e.to_string())?;
                whm_codegen::write::write_file(&path, &json).map_err(|e| e.to_string())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate {
            specs,
            out,
            check,
            only_tags,
            runtime_dependency,
            allow_renames,
        } => {
            let specs = if specs.is_empty() {
                default_specs()?
            } else {
                specs
            };
            let mut config = whm_codegen::Config::new()
                .only_tags(only_tags)
                .allow_renames(allow_renames)
                .runtime_dependency(runtime_dependency)
                .regenerate_with("cargo run -p whm-codegen -- generate");
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
                            indent(&report.to_text(Some(whm_codegen::DEFAULT_CRATE_VERSION)))
                        );
                    }
                }
                tell_line!(
                    "error: generated code is stale; run `cargo run -p whm-codegen -- generate` and commit the result"
                );
                return Ok(ExitCode::FAILURE);
            }
            let outcomes = config.generate_crates(&out).map_err(|e| e.to_string())?;
            for o in outcomes {
                let what = if o.changed { "wrote" } else { "unchanged" };
                tell_line!("{what} {}", o.dir.display());
                if let Some(report) = &o.changes {
                    tell!(
                        "{}",
                        indent(&report.to_text(Some(whm_codegen::DEFAULT_CRATE_VERSION)))
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff {
            old,
            new,
            format,
            current_version,
            deny_breaking,
            only_tags,
        } => {
            let config = whm_codegen::Config::new().only_tags(only_tags);
            let old = config.surface_of(&old).map_err(|e| e.to_string())?;
            let new = config.surface_of(&new).map_err(|e| e.to_string())?;
            let report = whm_codegen::diff::compare(&old, &new);
            if let Some(current) = &current_version {
                // A bad version is the caller's mistake, said before any output.
                report.next_version(current)?;
            }
            match format {
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
            if deny_breaking && report.breaking > 0 {
                tell_line!(
                    "error: {} breaking change(s) (--deny-breaking)",
                    report.breaking
                );
                return Ok(ExitCode::FAILURE);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
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
