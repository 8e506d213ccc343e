//! The `x-` extensions whm-codegen defines, as typed values: what each one
//! may hold is written once, as the serde types that read it: here, or,
//! for the wire model (`x-envelope`, `x-refusal`, `x-batch`), in the
//! `whm-wire` crate the runtime shares (the README's extension table
//! describes them for spec authors).
//!
//! The document keeps every `x-` member as JSON (an extension another tool
//! defines is no concern of ours, and the importer writes them in its own
//! order); [`check`] reads every extension this project knows on every
//! object of a spec when it is loaded, and reports every problem at once,
//! each with its file, line and JSON pointer, before anything is lowered.
//! Lowering reads them through the same types.

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{DeserializeOwned, Error as _};
use serde_json::Value;

use whm_wire::{BatchSpec, Envelope, Refusal};

use super::ignored;
use super::tree::escape;
use super::{Spec, SpecError};
use crate::spec::openapi::{
    Extensions, MediaType, Operation, Parameter, ParameterOrRef, Schema, SchemaType,
};

/// A path on the server, starting with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsolutePath(pub String);

impl<'de> Deserialize<'de> for AbsolutePath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        slash_first(d, "must be a path starting with `/`").map(AbsolutePath)
    }
}

/// A string that starts with `/`, or `problem`.
fn slash_first<'de, D: serde::Deserializer<'de>>(
    d: D,
    problem: &'static str,
) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(p) if p.starts_with('/') => Ok(p),
        _ => Err(D::Error::custom(problem)),
    }
}

/// A value of `x-fixed-parameters`, as the wire text it is sent as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireText(pub String);

impl<'de> Deserialize<'de> for WireText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => Ok(WireText(s)),
            Value::Number(n) => Ok(WireText(n.to_string())),
            Value::Bool(b) => Ok(WireText(if b { "1" } else { "0" }.to_owned())),
            _ => Err(D::Error::custom(
                "a fixed parameter must be a string, number or boolean",
            )),
        }
    }
}

/// `x-output-controls`: the API filters, sorts and pages lists.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputControlsExtension {
    /// Where replies report what the controls did.
    pub metadata: String,
}

/// `x-bound-parameter`: a parameter taken from a client view.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoundParameterExtension {
    /// The parameter's wire name.
    pub name: String,
    /// The view's name (`user`: `client.as_user(..)`).
    #[serde(rename = "as")]
    pub view: String,
    /// Whether the value is sent in lowercase.
    #[serde(default)]
    pub lowercase: bool,
}

/// An entry of `x-tagGroups`.
#[derive(Debug, Clone, Deserialize)]
pub struct TagGroup {
    /// The group's name (a module and a feature).
    pub name: String,
    /// Its tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A name Rust items can be made from: some letter or digit in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustName(pub String);

impl<'de> Deserialize<'de> for RustName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(name) if name.chars().any(|c| c.is_ascii_alphanumeric()) => {
                Ok(RustName(name))
            }
            _ => Err(D::Error::custom(
                "must be a name (letters, digits, `_`): what the operation's method and request type are called",
            )),
        }
    }
}

/// An entry of `x-codeSamples`: how the reference calls the operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeSample {
    /// The sample's language (`Shell`, `HTTP`).
    pub lang: String,
    /// What the sample is (`whmapi1`, `URL`).
    #[serde(default)]
    pub label: Option<String>,
    /// The sample itself.
    pub source: String,
}

/// The document's extensions.
#[derive(Debug, Clone, Default)]
pub struct DocumentExtensions {
    /// `x-envelope`.
    pub envelope: Option<Envelope>,
    /// `x-refusal`.
    pub refusal: Option<Refusal>,
    /// `x-fixed-parameters`, in order.
    pub fixed_parameters: IndexMap<String, WireText>,
    /// `x-query-as-form`.
    pub query_as_form: bool,
    /// `x-output-controls`.
    pub output_controls: Option<OutputControlsExtension>,
    /// `x-batch`.
    pub batch: Option<BatchSpec>,
    /// `x-wire-path`: where every request goes.
    pub wire_path: Option<AbsolutePath>,
    /// `x-bound-parameter`.
    pub bound_parameter: Option<BoundParameterExtension>,
    /// `x-tagGroups`.
    pub tag_groups: Vec<TagGroup>,
}

/// An operation's extensions.
#[derive(Debug, Clone, Default)]
pub struct OperationExtensions {
    /// `x-envelope`, replacing the document's.
    pub envelope: Option<Envelope>,
    /// `x-wire-path`, replacing the document's.
    pub wire_path: Option<AbsolutePath>,
    /// `x-list`: where in the payload a list function keeps its records.
    pub list: Option<AbsolutePath>,
    /// `x-rust-name`.
    pub rust_name: Option<RustName>,
    /// `x-codeSamples`.
    pub code_samples: Vec<CodeSample>,
}

/// A parameter's or a property's extensions.
#[derive(Debug, Clone, Default)]
pub struct MemberExtensions {
    /// `x-aliases`: other names the server accepts.
    pub aliases: Vec<String>,
}

/// A schema's extensions.
#[derive(Debug, Clone, Default)]
pub struct SchemaExtensions {
    /// `x-sensitive`: the value is a secret.
    pub sensitive: bool,
    /// `x-enum-descriptions`: one per `enum` value, in order.
    pub enum_descriptions: Vec<String>,
    /// `x-aliases`, when the schema is a property.
    pub aliases: Vec<String>,
}

/// What is wrong with an object's extensions, each at its JSON pointer.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

/// One problem: where, what, and in which operation and parameter.
#[derive(Debug)]
struct Problem {
    at: String,
    message: String,
    operation: Option<String>,
    parameter: Option<String>,
}

impl Problems {
    /// The extension `key` of `extensions` (at `at`) as a `T`; `None`, and
    /// a problem noted, when it does not read as one.
    fn read<T: DeserializeOwned>(
        &mut self,
        extensions: &Extensions,
        at: &str,
        key: &str,
    ) -> Option<T> {
        let value = extensions.get(key)?;
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(v) => Some(v),
            Err(e) => {
                let inside = super::pointer_of(e.path());
                let message = e.inner().to_string();
                self.push(
                    format!("{at}/{}{inside}", escape(key)),
                    format!("`{key}`: {message}"),
                );
                None
            }
        }
    }

    /// Keys that are neither an `x-` extension nor a standard keyword
    /// of `ignored`: typos of a keyword the model already read
    /// (`requried`), which would otherwise be lost.
    fn typos(&mut self, extensions: &Extensions, at: &str, what: &str, ignored: &[&str]) {
        let typos = extensions
            .keys()
            .filter(|k| !k.starts_with("x-") && !ignored.contains(&k.as_str()));
        for key in typos {
            self.push(
                format!("{at}/{}", escape(key)),
                format!("unknown or unsupported {what} `{key}`; extensions must start with `x-`"),
            );
        }
    }

    fn push(&mut self, at: String, message: String) {
        self.0.push(Problem {
            at,
            message,
            operation: None,
            parameter: None,
        });
    }

    /// Says of the problems from the `start`th on that they are in
    /// `operation` or about `parameter`, unless they say already.
    fn within(&mut self, start: usize, operation: Option<&str>, parameter: Option<&str>) {
        for problem in self.0.iter_mut().skip(start) {
            if problem.operation.is_none() {
                problem.operation = operation.map(str::to_owned);
            }
            if problem.parameter.is_none() {
                problem.parameter = parameter.map(str::to_owned);
            }
        }
    }

    /// Each problem as an error of `spec`.
    fn errors(self, spec: &Spec) -> impl Iterator<Item = SpecError> + '_ {
        self.0.into_iter().map(|p| {
            let mut e = spec.error(&p.at, p.message);
            if let Some(o) = &p.operation {
                e = e.in_operation(o);
            }
            if let Some(name) = &p.parameter {
                e = e.in_parameter(name);
            }
            e
        })
    }

    /// The first problem as an error of `spec` (lowering reads what
    /// loading checked, so there is none there unless the spec was made
    /// in memory).
    pub fn into_result(self, spec: &Spec) -> Result<(), SpecError> {
        match self.errors(spec).next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl DocumentExtensions {
    /// Reads the document-level extensions.
    pub fn read(extensions: &Extensions, problems: &mut Problems) -> Self {
        DocumentExtensions {
            envelope: problems.read(extensions, "", "x-envelope"),
            refusal: problems.read(extensions, "", "x-refusal"),
            fixed_parameters: problems
                .read(extensions, "", "x-fixed-parameters")
                .unwrap_or_default(),
            query_as_form: problems
                .read(extensions, "", "x-query-as-form")
                .unwrap_or_default(),
            output_controls: problems.read(extensions, "", "x-output-controls"),
            batch: problems.read(extensions, "", "x-batch"),
            wire_path: problems.read(extensions, "", "x-wire-path"),
            bound_parameter: problems.read(extensions, "", "x-bound-parameter"),
            tag_groups: problems
                .read(extensions, "", "x-tagGroups")
                .unwrap_or_default(),
        }
    }
}

impl OperationExtensions {
    /// Reads the extensions of the operation at `at`.
    pub fn read(extensions: &Extensions, at: &str, problems: &mut Problems) -> Self {
        problems.typos(extensions, at, "key", ignored::OPERATION);
        OperationExtensions {
            envelope: problems.read(extensions, at, "x-envelope"),
            wire_path: problems.read(extensions, at, "x-wire-path"),
            list: problems.read(extensions, at, "x-list"),
            rust_name: problems.read(extensions, at, "x-rust-name"),
            code_samples: problems
                .read(extensions, at, "x-codeSamples")
                .unwrap_or_default(),
        }
    }
}

impl MemberExtensions {
    /// Reads the extensions of the parameter at `at`.
    pub fn read(extensions: &Extensions, at: &str, problems: &mut Problems) -> Self {
        problems.typos(extensions, at, "key", ignored::PARAMETER);
        MemberExtensions {
            aliases: problems
                .read(extensions, at, "x-aliases")
                .unwrap_or_default(),
        }
    }
}

impl SchemaExtensions {
    /// Reads the extensions of the schema at `at`.
    pub fn read(extensions: &Extensions, at: &str, problems: &mut Problems) -> Self {
        problems.typos(extensions, at, "schema keyword", ignored::SCHEMA);
        SchemaExtensions {
            sensitive: problems
                .read(extensions, at, "x-sensitive")
                .unwrap_or_default(),
            enum_descriptions: problems
                .read(extensions, at, "x-enum-descriptions")
                .unwrap_or_default(),
            aliases: problems
                .read(extensions, at, "x-aliases")
                .unwrap_or_default(),
        }
    }

    /// The extensions of a schema lowering meets, which loading checked.
    pub fn of(schema: &Schema) -> Self {
        Self::read(&schema.extensions, "", &mut Problems::default())
    }
}

/// Every problem with the extensions and keys of `spec`, as one error
/// listing them in document order; `Ok` when there is none.
pub fn check(spec: &Spec) -> Result<(), SpecError> {
    let mut problems = Problems::default();
    let doc = &spec.document;
    problems.typos(&doc.extensions, "", "key", ignored::DOCUMENT);
    DocumentExtensions::read(&doc.extensions, &mut problems);
    for (name, schema) in &doc.components.schemas {
        check_schema(
            schema,
            &format!("/components/schemas/{}", escape(name)),
            &mut problems,
        );
    }
    for (name, parameter) in &doc.components.parameters {
        let at = format!("/components/parameters/{}", escape(name));
        check_parameter(parameter, &at, &mut problems);
    }
    for (name, body) in &doc.components.request_bodies {
        let at = format!("/components/requestBodies/{}", escape(name));
        check_content(&body.content, &at, &mut problems);
    }
    for (name, response) in &doc.components.responses {
        let at = format!("/components/responses/{}", escape(name));
        check_content(&response.content, &at, &mut problems);
    }
    for (path, item) in &doc.paths {
        let item_at = format!("/paths/{}", escape(path));
        problems.typos(&item.extensions, &item_at, "key", ignored::PATH_ITEM);
        for (i, p) in item.parameters.iter().enumerate() {
            if let ParameterOrRef::Parameter(p) = p {
                check_parameter(p, &format!("{item_at}/parameters/{i}"), &mut problems);
            }
        }
        for (method, op) in item.operations() {
            let at = format!("{item_at}/{}", method.as_str().to_ascii_lowercase());
            check_operation(op, &at, &mut problems);
        }
    }
    let mut errors = problems.errors(spec);
    match errors.next() {
        None => Ok(()),
        Some(first) => Err(first.with_others(errors.collect())),
    }
}

fn check_operation(op: &Operation, at: &str, problems: &mut Problems) {
    let start = problems.0.len();
    OperationExtensions::read(&op.extensions, at, problems);
    for (i, p) in op.parameters.iter().enumerate() {
        if let ParameterOrRef::Parameter(p) = p {
            check_parameter(p, &format!("{at}/parameters/{i}"), problems);
        }
    }
    if let Some(body) = &op.request_body {
        check_content(&body.content, &format!("{at}/requestBody"), problems);
    }
    for (code, response) in &op.responses {
        let response_at = format!("{at}/responses/{}", escape(code));
        check_content(&response.content, &response_at, problems);
    }
    problems.within(start, Some(&op.operation_id), None);
}

/// The schemas of the `content` of the body or response at `at`.
fn check_content(content: &IndexMap<String, MediaType>, at: &str, problems: &mut Problems) {
    for (kind, media) in content {
        if let Some(schema) = &media.schema {
            let media_at = format!("{at}/content/{}/schema", escape(kind));
            check_schema(schema, &media_at, problems);
        }
    }
}

fn check_parameter(p: &Parameter, at: &str, problems: &mut Problems) {
    let start = problems.0.len();
    MemberExtensions::read(&p.extensions, at, problems);
    if let Some(schema) = &p.schema {
        check_schema(schema, &format!("{at}/schema"), problems);
    }
    check_content(&p.content, at, problems);
    problems.within(start, None, Some(&p.name));
}

fn check_schema(schema: &Schema, at: &str, problems: &mut Problems) {
    SchemaExtensions::read(&schema.extensions, at, problems);
    if let Some(problem) = schema.kind.as_ref().and_then(SchemaType::problem) {
        problems.push(format!("{at}/type"), problem);
    }
    if let Some(items) = &schema.items {
        check_schema(items, &format!("{at}/items"), problems);
    }
    for (name, property) in &schema.properties {
        check_schema(
            property,
            &format!("{at}/properties/{}", escape(name)),
            problems,
        );
    }
    if let Some(crate::spec::openapi::AdditionalProperties::Schema(inner)) =
        &schema.additional_properties
    {
        check_schema(inner, &format!("{at}/additionalProperties"), problems);
    }
    for (list, key) in [
        (&schema.one_of, "oneOf"),
        (&schema.any_of, "anyOf"),
        (&schema.all_of, "allOf"),
    ] {
        for (i, s) in list.iter().enumerate() {
            check_schema(s, &format!("{at}/{key}/{i}"), problems);
        }
    }
}
