//! The OpenAPI document for a parsed reference.
//!
//! What WHM API 1 does on the wire (the reply envelope, `api.version=1` on
//! every call, form bodies accepted for every function, the `whm USER:TOKEN`
//! authorization) is written into the document as data, so the generator and
//! runtime learn it from the spec.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde_json::{Value, json};

use super::infer::{Inference, infer};
use super::kin::Kin;
use super::markdown::{self, bullet};
use super::reference::{Function, Param, ParamExample, Reference, RequestSample};
use super::schemas::{accepts, coerce, type_schema};
use super::secrets::is_secret_name;
use super::type_expr::{Alternative, Primitive};
use super::wire_facts::{
    BASIC_SCHEME, METADATA_SCHEMA, TOKEN_SCHEME, metadata_schema, requirement, security_schemes,
};
use super::{Finding, wire_facts};
use crate::spec::openapi::SchemaType;
use crate::spec::openapi::{
    AdditionalProperties, Components, Example, Extensions, Info, MediaType, OpenApi, Operation,
    Parameter, ParameterLocation, ParameterOrRef, PathItem, RequestBody, Response, Schema, Server,
    ServerVariable, Tag,
};

/// What reply inference found across the document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyedByData {
    /// Objects typed as maps because their keys are data.
    pub maps: usize,
    /// Members left out of an object's properties because their keys are data.
    pub members: usize,
}

/// Builds the document; findings collect what could not be mapped.
pub fn build(
    reference: &Reference,
    findings: &mut Vec<Finding>,
    keyed: &mut KeyedByData,
) -> OpenApi {
    let samples = reference
        .functions
        .iter()
        .filter_map(|f| f.response_sample.as_ref())
        .filter_map(|s| s.value.get("data"));
    let kin = Kin::of(samples);
    let mut builder = Builder {
        schemas: BTreeMap::new(),
        findings,
        keyed,
        kin: &kin,
    };
    builder
        .schemas
        .insert(METADATA_SCHEMA.to_owned(), metadata_schema());
    let mut paths = BTreeMap::new();
    for function in &reference.functions {
        let (method, operation) = builder.operation(reference, function);
        let item: &mut PathItem = paths.entry(format!("/{}", function.name)).or_default();
        match method {
            Method::Get => item.get = Some(operation),
            Method::Post => item.post = Some(operation),
        }
    }
    let tags = reference
        .groups
        .iter()
        .map(|g| Tag {
            name: g.path(),
            description: g.description.as_deref().map(markdown::inline),
            extensions: Extensions::from([("x-displayName".to_owned(), json!(g.title))]),
        })
        .collect();
    let mut tag_groups: IndexMap<&str, Vec<String>> = IndexMap::new();
    for g in &reference.groups {
        tag_groups.entry(g.top()).or_default().push(g.path());
    }
    let tag_groups: Vec<Value> = tag_groups
        .into_iter()
        .map(|(name, tags)| json!({"name": name, "tags": tags}))
        .collect();

    OpenApi {
        openapi: "3.0.3".to_owned(),
        info: Info {
            title: "WHM API 1".to_owned(),
            version: "1".to_owned(),
            description: Some(
                "The functions of cPanel & WHM's WHM API 1, imported from cPanel's reference by \
                 `whm-codegen import`. Every function answers in the same envelope: `metadata` says \
                 whether it succeeded (`result`) and why not (`reason`); `data`, when present, holds \
                 the function's output."
                    .to_owned(),
            ),
            extensions: Extensions::new(),
        },
        servers: vec![Server {
            url: "https://{host}:{port}/json-api".to_owned(),
            description: Some("A cPanel & WHM server. Port 2087 is WHM over TLS; 2086 is plain HTTP.".to_owned()),
            variables: IndexMap::from([
                (
                    "host".to_owned(),
                    ServerVariable {
                        default: "hostname.example.com".to_owned(),
                        description: Some("The server's hostname or IP address.".to_owned()),
                    },
                ),
                (
                    "port".to_owned(),
                    ServerVariable {
                        default: "2087".to_owned(),
                        description: Some("WHM's port.".to_owned()),
                    },
                ),
            ]),
        }],
        security: vec![requirement(TOKEN_SCHEME), requirement(BASIC_SCHEME)],
        tags,
        paths,
        components: Components {
            schemas: builder.schemas,
            security_schemes: security_schemes(),
            ..Components::default()
        },
        extensions: std::iter::once(("x-tagGroups".to_owned(), Value::Array(tag_groups)))
            .chain(wire_facts::document_extensions(|f| reference.functions.iter().any(|g| g.name == f)))
            .collect(),
    }
}

enum Method {
    Get,
    Post,
}

struct Builder<'f> {
    schemas: BTreeMap<String, Schema>,
    findings: &'f mut Vec<Finding>,
    keyed: &'f mut KeyedByData,
    /// What every sample shows of records of each kind.
    kin: &'f Kin,
}

impl Builder<'_> {
    fn note(&mut self, line: usize, function: &str, message: impl std::fmt::Display) {
        self.findings.push(Finding::new(
            line,
            format!("function `{function}`: {message}"),
        ));
    }

    fn operation(&mut self, reference: &Reference, f: &Function) -> (Method, Operation) {
        for scheme in &f.authorizations {
            if scheme != BASIC_SCHEME && scheme != TOKEN_SCHEME {
                self.note(
                    f.line,
                    &f.name,
                    format!("unknown authorization `{scheme}`; the document's schemes apply"),
                );
            }
        }
        let parameters = f
            .query
            .iter()
            .map(|p| ParameterOrRef::Parameter(Box::new(self.parameter(&f.name, p))))
            .collect::<Vec<_>>();
        let request_body = f.body.as_ref().map(|body| {
            let mut schema = Schema::of_type(SchemaType::Object);
            for field in &body.fields {
                let mut property = self.schema(&f.name, field);
                if let RequestSample::Body(sample) = &f.request_sample
                    && let Some(value) = sample.value.get(&field.name)
                {
                    refine_from_sample(&mut property, value);
                }
                property.description = paragraphs(
                    markdown::to_markdown(&field.description),
                    property.description.take(),
                );
                property.deprecated = field.deprecated;
                if let Some(example) = examples(field, &property).into_iter().next() {
                    property.example = Some(example.value);
                }
                if !field.aliases.is_empty() {
                    property
                        .extensions
                        .insert("x-aliases".to_owned(), json!(field.aliases));
                }
                if field.required {
                    schema.required.push(field.name.clone());
                }
                schema.properties.insert(field.name.clone(), property);
            }
            let example = match &f.request_sample {
                RequestSample::Body(sample) if sample.content_type == body.content_type => {
                    Some(sample.value.clone())
                }
                _ => None,
            };
            RequestBody {
                reference: None,
                description: markdown::to_markdown(&body.description),
                required: body.required,
                content: IndexMap::from([(
                    body.content_type.clone(),
                    MediaType {
                        schema: Some(schema),
                        example,
                    },
                )]),
            }
        });
        let mut extensions =
            wire_facts::operation_extensions(&f.name, f.response_sample.as_ref().map(|s| &s.value));
        match &f.request_sample {
            RequestSample::CommandLine { source, .. } => {
                extensions.insert(
                    "x-codeSamples".to_owned(),
                    json!([{"lang": "Shell", "label": "whmapi1", "source": source}]),
                );
            }
            RequestSample::Url { source, .. } => {
                extensions.insert(
                    "x-codeSamples".to_owned(),
                    json!([{"lang": "HTTP", "label": "URL", "source": source}]),
                );
            }
            RequestSample::Body(_) => {}
        }
        let method = if request_body.is_some() {
            Method::Post
        } else {
            Method::Get
        };
        let operation = Operation {
            operation_id: f.name.clone(),
            tags: f
                .groups
                .iter()
                .map(|&g| reference.groups[g].path())
                .collect(),
            summary: Some(f.summary.clone()),
            description: markdown::to_markdown(&f.description),
            deprecated: f.deprecated,
            parameters,
            request_body,
            responses: IndexMap::from([("200".to_owned(), self.response(f))]),
            security: None,
            extensions,
        };
        (method, operation)
    }

    /// The schema of a function's reply `data`, knowing what its request
    /// examples send: a reply keyed by a name the request gave (`user=bob`
    /// answered by `{"bob": {...}}`) is keyed by data.
    fn infer_reply(&mut self, f: &Function, data: &Value) -> Schema {
        let body = f.body.iter().flat_map(|b| b.fields.iter());
        let request_values = f
            .query
            .iter()
            .chain(body)
            .flat_map(|p| p.examples.iter().flat_map(|e| e.values.iter()))
            .filter(|v| !v.is_empty())
            .cloned()
            .collect();
        let mut inference = Inference::new(request_values, Some(self.kin));
        let schema = inference.infer(data);
        self.keyed.maps += inference.maps;
        self.keyed.members += inference.data_members;
        schema
    }

    fn response(&mut self, f: &Function) -> Response {
        let description = f
            .response_description
            .clone()
            .or_else(|| f.response_sample.as_ref().and_then(|s| s.caption.clone()))
            .unwrap_or_else(|| "The function's reply.".to_owned());
        let mut properties = IndexMap::new();
        let example = f.response_sample.as_ref().map(|s| s.value.clone());
        match f.response_sample.as_ref().map(|s| (s, &s.value)) {
            Some((sample, Value::Object(root))) if !root.is_empty() => {
                if !root.contains_key("metadata") {
                    self.note(
                        sample.line,
                        &f.name,
                        "the response sample has no `metadata` envelope; its `data` is used as shown",
                    );
                }
                if let Some(data) = root.get("data") {
                    properties.insert("data".to_owned(), self.infer_reply(f, data));
                }
            }
            Some((sample, Value::Object(_))) => {
                self.note(
                    sample.line,
                    &f.name,
                    "the response sample is empty; `data` left untyped",
                );
                properties.insert("data".to_owned(), Schema::default());
            }
            Some((sample, _)) => {
                self.note(
                    sample.line,
                    &f.name,
                    "the response sample is not an object; `data` left untyped",
                );
                properties.insert("data".to_owned(), Schema::default());
            }
            None => {
                self.note(f.line, &f.name, "no response sample; `data` left untyped");
                properties.insert("data".to_owned(), Schema::default());
            }
        }
        properties.insert("metadata".to_owned(), Schema::reference_to(METADATA_SCHEMA));
        Response {
            reference: None,
            description,
            content: IndexMap::from([(
                "application/json".to_owned(),
                MediaType {
                    schema: Some(Schema {
                        properties,
                        ..Schema::of_type(SchemaType::Object)
                    }),
                    example,
                },
            )]),
        }
    }

    fn parameter(&mut self, function: &str, p: &Param) -> Parameter {
        let mut extensions = Extensions::new();
        if !p.aliases.is_empty() {
            extensions.insert("x-aliases".to_owned(), json!(p.aliases));
        }
        let (schema, style, explode) = if p.free_form {
            // The declared type is that of each value.
            let values = self.schema(function, p);
            (
                Schema {
                    additional_properties: Some(AdditionalProperties::Schema(Box::new(values))),
                    ..Schema::of_type(SchemaType::Object)
                },
                Some("form".to_owned()),
                Some(true),
            )
        } else {
            (self.schema(function, p), None, None)
        };
        let mut schema = schema;
        let description = paragraphs(
            markdown::to_markdown(&p.description),
            schema.description.take(),
        );
        let mut examples = examples(p, &schema);
        let (example, examples) = if examples.len() == 1 {
            (examples.pop().map(|e| e.value), IndexMap::new())
        } else {
            let named = examples
                .into_iter()
                .enumerate()
                .map(|(i, e)| (format!("example{}", i + 1), e))
                .collect();
            (None, named)
        };
        Parameter {
            name: p.name.clone(),
            location: ParameterLocation::Query,
            description,
            required: p.required,
            deprecated: p.deprecated,
            style,
            explode,
            schema: Some(schema),
            content: IndexMap::new(),
            example,
            examples,
            extensions,
        }
    }

    /// The schema of a parameter: its type line plus its attributes.
    fn schema(&mut self, function: &str, p: &Param) -> Schema {
        let mut base = type_schema(&p.ty);
        mark_secret(&mut base, &p.name);
        let nullable =
            p.ty.alternatives
                .contains(&Alternative::Single(Primitive::Null));
        let mut extras = Schema::default();
        let values = p
            .constant
            .clone()
            .map(|c| vec![c])
            .or_else(|| p.possible_values.clone());
        if let Some(values) = values {
            let values: Vec<Value> = values.into_iter().map(|v| coerce(&base, v)).collect();
            let described = enum_descriptions(p, &values);
            if described.iter().any(|d| !d.is_empty()) {
                extras
                    .extensions
                    .insert("x-enum-descriptions".to_owned(), json!(described));
            }
            let mut values = values;
            if nullable && !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
            extras.enumeration = Some(values);
        }
        let constrained = Schema {
            enumeration: extras.enumeration.clone(),
            ..base.clone()
        };
        match p.default.clone().map(|d| coerce(&base, d)) {
            // `Default: null` on a type without null means "no default".
            Some(Value::Null) if !nullable => {}
            Some(default) if accepts(&constrained, nullable, &default) => {
                extras.default = Some(default)
            }
            Some(default) => {
                self.note(
                    p.line,
                    function,
                    format!(
                        "parameter `{}`: default {default} is not a value its type allows; stated in the description instead",
                        p.name
                    ),
                );
                let shown = match &default {
                    Value::String(s) if !s.trim().is_empty() => markdown::inline(s),
                    other => format!("`{other}`"),
                };
                extras.description = Some(format!("Default: {shown}."));
            }
            None => {}
        }
        let Some(name) = &p.ty.name else {
            return inline(base, extras);
        };
        // A named schema is shared; what is particular to this parameter
        // sits beside a reference to it.
        match self.schemas.get(name) {
            Some(existing) if *existing != base => {
                self.note(
                    p.line,
                    function,
                    format!("parameter `{}`: schema `{name}` differs from its earlier use; written inline", p.name),
                );
                return inline(base, extras);
            }
            Some(_) => {}
            None => {
                self.schemas.insert(name.clone(), base);
            }
        }
        let reference = Schema::reference_to(name);
        if extras == Schema::default() {
            reference
        } else {
            Schema {
                all_of: vec![reference],
                ..extras
            }
        }
    }
}

/// Fills in the members of an `object` (or of an array's `object` items)
/// that the type line leaves open, from a sample value of the field.
fn refine_from_sample(schema: &mut Schema, value: &Value) {
    let open_object = |s: &Schema| s.kind == Some(SchemaType::Object) && s.properties.is_empty();
    let inferred = infer(value);
    match schema.kind.as_ref() {
        Some(SchemaType::Array) if schema.items.as_deref().is_some_and(open_object) => {
            if let Some(items) = inferred
                .items
                .filter(|i| i.kind == Some(SchemaType::Object))
            {
                schema.items = Some(items);
            }
        }
        Some(SchemaType::Object)
            if open_object(schema) && inferred.kind == Some(SchemaType::Object) =>
        {
            schema.properties = inferred.properties;
            schema.additional_properties = inferred.additional_properties;
        }
        _ => {}
    }
}

/// Marks a string schema whose name says it holds a secret with
/// `format: password`, the OpenAPI hint that its value must not be shown.
fn mark_secret(schema: &mut Schema, name: &str) {
    if schema.kind == Some(SchemaType::String) && schema.format.is_none() && is_secret_name(name) {
        schema.format = Some("password".to_owned());
    }
}

/// A type's schema with a parameter's attributes added.
fn inline(base: Schema, extras: Schema) -> Schema {
    let mut extensions = base.extensions.clone();
    extensions.extend(extras.extensions);
    Schema {
        enumeration: extras.enumeration,
        default: extras.default,
        description: extras.description,
        extensions,
        ..base
    }
}

/// Two Markdown texts as paragraphs of one.
fn paragraphs(first: Option<String>, second: Option<String>) -> Option<String> {
    match (first, second) {
        (Some(a), Some(b)) => Some(format!("{a}\n\n{b}")),
        (a, b) => a.or(b),
    }
}

/// The parameter's examples, typed like the parameter.
fn examples(p: &Param, schema: &Schema) -> Vec<Example> {
    p.examples
        .iter()
        .map(|ParamExample { values, summary }| {
            let value = if values.len() > 1 {
                Value::Array(values.iter().map(|v| Value::String(v.clone())).collect())
            } else {
                let one = values.first().cloned().unwrap_or_default();
                coerce(schema, Value::String(one))
            };
            Example {
                summary: summary.clone(),
                value,
            }
        })
        .collect()
}

/// For each enum value, the text of a description bullet `VALUE — text`.
fn enum_descriptions(p: &Param, values: &[Value]) -> Vec<String> {
    let mut found: Vec<String> = vec![String::new(); values.len()];
    for line in &p.description.lines {
        let Some((0, item)) = bullet(line) else {
            continue;
        };
        let Some((key, text)) = item.split_once(" — ").or_else(|| item.split_once(" - ")) else {
            continue;
        };
        let key = key.trim();
        if let Some(i) = values.iter().position(|v| plain(v) == key)
            && found[i].is_empty()
        {
            found[i] = markdown::inline(text);
        }
    }
    found
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
