//! `whm-codegen import`: cPanel's rendered WHM API 1 reference to OpenAPI.
//!
//! Three steps with plain data between them: parsing reads the text into a
//! [`reference::Reference`], a builder makes the OpenAPI document from it,
//! and a [`Report`] counts what was imported and lists what could not be
//! mapped. Nothing is dropped silently: a function that cannot be imported
//! fails the run with `file:line: function: what is wrong`, and smaller items
//! that could not be mapped are listed with their lines.

mod document;
mod infer;
mod json_sample;
mod kin;
pub mod markdown;
mod params;
mod parse;
pub mod reference;
mod report;
mod schemas;
mod secrets;
pub mod type_expr;
mod wire_facts;
mod yaml;

use std::fmt;
use std::path::{Path, PathBuf};

pub use report::Report;

use crate::spec::openapi::OpenApi;
use crate::write;

/// Something the importer noticed and could not map, with its line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// 1-based line in the reference.
    pub line: usize,
    /// What could not be mapped and what was done instead.
    pub message: String,
}

impl Finding {
    fn new(line: usize, message: impl Into<String>) -> Self {
        Finding {
            line,
            message: message.into(),
        }
    }
}

/// Why a function could not be imported: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line in the reference.
    pub line: usize,
    /// The function (its name, or its summary when the name is unknown).
    pub function: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl ParseError {
    fn at(line: usize, message: impl Into<String>) -> Self {
        ParseError {
            line,
            function: None,
            message: message.into(),
        }
    }

    fn in_function(mut self, function: &str) -> Self {
        if self.function.is_none() && !function.is_empty() {
            self.function = Some(function.to_owned());
        }
        self
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: ", self.line)?;
        if let Some(function) = &self.function {
            write!(f, "function `{function}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// An import that failed; the output file is untouched.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The reference could not be read.
    #[error("cannot read the reference {}: {source}", path.display())]
    Read {
        /// The reference's path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The reference is not in the expected format.
    #[error("{}:{}: {}{}", path.display(), error.line, error.function.as_ref().map(|f| format!("function `{f}`: ")).unwrap_or_default(), error.message)]
    Parse {
        /// The reference's path.
        path: PathBuf,
        /// Where and what.
        error: ParseError,
    },
    /// The spec could not be written.
    #[error(transparent)]
    Write(#[from] write::WriteError),
    /// The document could not be serialised (a bug, reported rather than panicked on).
    #[error("cannot serialise the OpenAPI document: {0}")]
    Serialize(String),
}

/// The result of importing a reference text.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The OpenAPI document.
    pub document: OpenApi,
    /// What was imported and what was not.
    pub report: Report,
}

/// The functions and groups of reference text, parsed, before they
/// become an OpenAPI document.
pub fn parse_reference(text: &str) -> Result<reference::Reference, ParseError> {
    parse::parse(text).map(|(reference, _)| reference)
}

/// Imports reference text. `source` names it in the report.
pub fn import_text(text: &str, source: &str) -> Result<Imported, ParseError> {
    // Control characters mean nothing in a rendered page, and YAML cannot
    // hold most of them unescaped; lines stay where they were.
    let text: std::borrow::Cow<'_, str> = if text.contains(is_stray_control) {
        text.chars().filter(|c| !is_stray_control(*c)).collect()
    } else {
        text.into()
    };
    let (reference, mut findings) = parse::parse(&text)?;
    let mut keyed = document::KeyedByData::default();
    let document = document::build(&reference, &mut findings, &mut keyed);
    findings.sort_by_key(|f| f.line);
    let mut report = Report::new(source, &reference, findings);
    report.maps_keyed_by_data = keyed.maps;
    report.members_keyed_by_data = keyed.members;
    Ok(Imported { document, report })
}

fn is_stray_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// How to regenerate an imported spec, as its header says.
pub const REGENERATE: &str =
    "whm-codegen import --reference <WHM API 1 reference.txt> --out <this file>";

/// The YAML text of a document, with a header saying how to regenerate it.
pub fn to_yaml(document: &OpenApi, regenerate_with: &str) -> Result<String, ImportError> {
    let value =
        serde_json::to_value(document).map_err(|e| ImportError::Serialize(e.to_string()))?;
    let body = yaml::emit(&value).map_err(ImportError::Serialize)?;
    Ok(format!(
        "# Generated by `whm-codegen import` from cPanel's WHM API 1 reference. Do not edit.\n\
         # Regenerate with: {regenerate_with}\n{body}"
    ))
}

/// Reads the reference at `reference`, imports it and writes the YAML spec
/// to `out` atomically (a failed run leaves `out` as it was).
pub fn import_file(reference: &Path, out: &Path) -> Result<Imported, ImportError> {
    let text = std::fs::read_to_string(reference).map_err(|source| ImportError::Read {
        path: reference.to_owned(),
        source,
    })?;
    let imported = import_text(&text, &reference.display().to_string()).map_err(|error| {
        ImportError::Parse {
            path: reference.to_owned(),
            error,
        }
    })?;
    let yaml = to_yaml(&imported.document, REGENERATE)?;
    write::write_file(out, yaml.as_bytes())?;
    Ok(imported)
}
