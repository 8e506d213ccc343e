//! The `whm-codegen` command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Import {
            reference,
            out,
            report_json,
        } => {
            let imported =
                whm_codegen::import::import_file(&reference, &out).map_err(|e| e.to_string())?;
            eprint!("{}", imported.report);
            eprintln!("wrote {}", out.display());
            if let Some(path) = report_json {
                let json =
                    serde_json::to_vec_pretty(&imported.report).map_err(|e| e.to_string())?;
                whm_codegen::write::write_file(&path, &json).map_err(|e| e.to_string())?;
            }
            Ok(())
        }
    }
}
