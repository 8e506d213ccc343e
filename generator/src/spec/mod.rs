//! Loading a spec: YAML (or JSON) text to the typed OpenAPI model, with
//! errors that say where.
//!
//! [`load`] is the only way specs are read, so the YAML library behind it
//! can change without touching anything else.

mod dialect;
pub mod extensions;
mod ignored;
mod json;
pub mod openapi;
mod path_refs;
pub mod tree;

use std::fmt;
use std::path::Path;

use openapi::OpenApi;

/// A loaded spec: the typed document, the raw tree and positions.
#[derive(Debug, Clone)]
pub struct Spec {
    /// How to name the file in messages.
    pub name: String,
    /// The typed document.
    pub document: OpenApi,
    /// The document as JSON, for extensions and pointers.
    pub raw: serde_json::Value,
    /// The text, for finding where a node is when an error needs it.
    text: std::sync::Arc<str>,
    /// Where each node is, noted by the YAML reader when an error first
    /// needs a place (never for a spec read as JSON, whose text is scanned
    /// for the one node).
    positions: std::sync::OnceLock<std::collections::BTreeMap<String, tree::Position>>,
    /// Whether the text was read as YAML.
    yaml: bool,
}

impl Spec {
    /// The position of the node at `pointer`, or of its nearest ancestor
    /// that has one.
    pub fn position(&self, pointer: &str) -> Option<tree::Position> {
        // A JSON spec is scanned for the one node; a YAML one is read
        // again, noting where each node is, the first time one is needed.
        if !self.yaml {
            return json::position(&self.text, pointer);
        }
        let positions = self.positions.get_or_init(|| {
            tree::parse(&self.text)
                .map(|tree| tree.positions)
                .unwrap_or_default()
        });
        let mut p = pointer;
        loop {
            if let Some(found) = positions.get(p) {
                return Some(*found);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }

    /// What the local `$ref` `reference` (`#/a/b`, percent-encoded as a
    /// URI fragment may be) points at in the document, read as a `T`, with
    /// its JSON pointer; `None` when it is no local reference or points at
    /// nothing, `Some(Err)` when what it points at is no `T`.
    pub fn local_ref<T: serde::de::DeserializeOwned>(
        &self,
        reference: &str,
    ) -> Option<(Result<T, String>, String)> {
        let fragment = reference.strip_prefix('#')?;
        let pointer = percent_encoding::percent_decode_str(fragment)
            .decode_utf8()
            .ok()?
            .into_owned();
        let value = self.raw.pointer(&pointer)?;
        let read = serde_json::from_value(value.clone()).map_err(|e| e.to_string());
        Some((read, pointer))
    }

    /// An error at `pointer`.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> SpecError {
        SpecErrorDetails {
            file: self.name.clone(),
            position: self.position(pointer),
            pointer: Some(pointer.to_owned()),
            operation: None,
            parameter: None,
            message: message.into(),
        }
        .into()
    }
}

/// What is wrong with a spec, and where: file, line and column, JSON
/// pointer, operation and parameter, as far as known; and, when loading
/// found several problems, the others after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError(Box<SpecErrorDetails>, Vec<SpecError>);

/// The parts of a [`SpecError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrorDetails {
    /// The spec file.
    pub file: String,
    /// 1-based line and column.
    pub position: Option<tree::Position>,
    /// The JSON pointer of the node.
    pub pointer: Option<String>,
    /// The operation (operationId), when the error is in one.
    pub operation: Option<String>,
    /// The parameter or field, when the error is in one.
    pub parameter: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl std::ops::Deref for SpecError {
    type Target = SpecErrorDetails;
    fn deref(&self) -> &SpecErrorDetails {
        &self.0
    }
}

impl From<SpecErrorDetails> for SpecError {
    fn from(details: SpecErrorDetails) -> Self {
        SpecError(Box::new(details), Vec::new())
    }
}

impl SpecError {
    /// The same error, in `operation`.
    pub fn in_operation(mut self, operation: &str) -> Self {
        self.0.operation.get_or_insert_with(|| operation.to_owned());
        self
    }

    /// The same error, followed by `others` found in the same run.
    pub fn with_others(mut self, others: Vec<SpecError>) -> Self {
        self.1.extend(others);
        self
    }

    /// The other problems found in the same run, after this one.
    pub fn others(&self) -> &[SpecError] {
        &self.1
    }

    /// The same error, about `parameter`.
    pub fn in_parameter(mut self, parameter: &str) -> Self {
        self.0.parameter.get_or_insert_with(|| parameter.to_owned());
        self
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        f.write_str(": ")?;
        match (&self.operation, &self.parameter) {
            (Some(o), Some(p)) => write!(f, "operation `{o}`, parameter `{p}`: ")?,
            (Some(o), None) => write!(f, "operation `{o}`: ")?,
            (None, Some(p)) => write!(f, "`{p}`: ")?,
            (None, None) => {}
        }
        f.write_str(&self.message)?;
        if let Some(pointer) = &self.pointer
            && !pointer.is_empty()
        {
            write!(f, " (at {pointer})")?;
        }
        for other in &self.1 {
            write!(f, "\n{other}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

/// Reads and parses the spec at `path`.
pub fn load(path: &Path) -> Result<Spec, SpecError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| SpecErrorDetails {
            file: name.clone(),
            position: None,
            pointer: None,
            operation: None,
            parameter: None,
            message: format!("cannot read the spec: {e}"),
        })
        .map_err(SpecError::from)?;
    parse(&text, &name)
}

/// Parses spec text; `name` names it in errors.
pub fn parse(text: &str, name: &str) -> Result<Spec, SpecError> {
    // JSON is read fast; YAML (and JSON with a problem) by the YAML
    // reader. Where nodes are is found only if an error needs it.
    let json = json::parse(text);
    let yaml = json.is_none();
    let raw = match json {
        Some(value) => value,
        None => tree::parse_value(text)
            .map_err(|e| SpecErrorDetails {
                file: name.to_owned(),
                position: Some(e.position),
                pointer: None,
                operation: None,
                parameter: None,
                message: format!("invalid YAML: {}", e.message),
            })
            .map_err(SpecError::from)?,
    };
    let partial = Spec {
        name: name.to_owned(),
        document: empty_document(),
        raw,
        text: std::sync::Arc::from(text),
        positions: std::sync::OnceLock::new(),
        yaml,
    };
    if !partial.raw.is_object() {
        return Err(partial.error(
            "",
            "a spec must be a mapping with `openapi`, `info` and `paths`",
        ));
    }
    let version = partial
        .raw
        .get("openapi")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    if !(version.starts_with("3.0") || version.starts_with("3.1")) {
        return Err(partial.error(
            "/openapi",
            format!(
                "unsupported `openapi: {version}`: whm-codegen reads OpenAPI 3.0 and 3.1 documents (convert a Swagger 2.0 document first)"
            ),
        ));
    }
    let mut partial = partial;
    dialect::to_3_0(&mut partial.raw);
    path_refs::inline(&mut partial.raw).map_err(|(at, message)| partial.error(&at, message))?;
    let mut document: OpenApi = serde_path_to_error::deserialize(&partial.raw).map_err(|e| {
        let pointer = pointer_of(e.path());
        partial.error(&pointer, e.inner().to_string())
    })?;
    document.name_unnamed_operations();
    let spec = Spec {
        document,
        ..partial
    };
    extensions::check(&spec)?;
    Ok(spec)
}

fn empty_document() -> OpenApi {
    OpenApi {
        openapi: String::new(),
        info: crate::spec::openapi::Info {
            title: String::new(),
            version: String::new(),
            description: None,
            extensions: Default::default(),
        },
        servers: Vec::new(),
        security: Vec::new(),
        tags: Vec::new(),
        paths: Default::default(),
        components: Default::default(),
        extensions: Default::default(),
    }
}

/// A serde path as a JSON pointer.
pub(crate) fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => pointer.push_str(&format!("/{}", tree::escape(key))),
            Segment::Enum { variant } => pointer.push_str(&format!("/{}", tree::escape(variant))),
            Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths: {}\n";

    #[test]
    fn loads_a_minimal_spec() {
        let spec = parse(MINIMAL, "t.yaml").unwrap();
        assert_eq!(spec.document.info.title, "T");
    }

    #[test]
    fn invalid_yaml_names_the_line() {
        let e = parse("openapi: 3.0.3\ninfo: [\n", "t.yaml").unwrap_err();
        assert!(e.to_string().starts_with("t.yaml:"), "{e}");
        assert!(e.to_string().contains("invalid YAML"), "{e}");
    }

    #[test]
    fn type_errors_name_the_line_and_pointer() {
        let text = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n  /f:\n    get:\n      operationId: f\n      responses: 7\n";
        let e = parse(text, "t.yaml").unwrap_err();
        assert_eq!(e.position, Some((9, 7)), "{e}");
        assert_eq!(e.pointer.as_deref(), Some("/paths/~1f/get/responses"));
    }

    #[test]
    fn a_json_spec_read_fast_still_says_where_its_errors_are() {
        let text = "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"T\", \"version\": \"1\"},\n  \"paths\": {\"/f\": {\"get\": {\"operationId\": \"f\", \"responses\": 7}}}\n}\n";
        let e = parse(text, "t.json").unwrap_err();
        assert_eq!(e.position, Some((4, 48)), "{e}");
        assert_eq!(e.pointer.as_deref(), Some("/paths/~1f/get/responses"));
        // A key given twice is refused, where it is, as in YAML.
        let e = parse(
            "{\"openapi\": \"3.0.3\",\n\"openapi\": \"3.1.0\"}",
            "t.json",
        )
        .unwrap_err();
        assert!(e.message.contains("duplicate key `openapi`"), "{e}");
        assert_eq!(e.position.map(|p| p.0), Some(2), "{e}");
    }

    #[test]
    fn wrong_version() {
        let e = parse("openapi: 2.0\n", "t.yaml").unwrap_err();
        assert!(e.message.contains("OpenAPI 3.0 and 3.1"), "{e}");
    }
}
