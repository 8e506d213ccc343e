//! The parts of OpenAPI 3.0 and 3.1 that whm-codegen reads, and writes
//! (the importer writes 3.0.3).
//!
//! 3.1's JSON Schema words are said in 3.0's before the document is read
//! into this model (see `dialect`); standard keywords that describe
//! nothing a call or a type needs are listed in `ignored` and accepted.
//!
//! One typed model serves both directions: the importer builds it and
//! serialises it to YAML, the spec loader deserialises it. Field order here is
//! the order in the written file. Every object keeps its `x-` extensions in a
//! flattened map, so an extension the code does not know survives a round trip.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use whm_wire::Method;

/// `x-` extensions of an object, in document order.
pub type Extensions = IndexMap<String, Value>;

/// The root of an OpenAPI document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenApi {
    /// The OpenAPI version, `3.0.x`.
    pub openapi: String,
    /// Title, version and description of the API.
    pub info: Info,
    /// Base URLs of the API.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<Server>,
    /// Security requirements that apply to every operation unless overridden.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<SecurityRequirement>,
    /// Tags with their descriptions, in display order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    /// Operations by path, sorted so that output does not depend on input order.
    #[serde(default)]
    pub paths: BTreeMap<String, PathItem>,
    /// Shared schemas and security schemes.
    #[serde(default, skip_serializing_if = "Components::is_empty")]
    pub components: Components,
    /// Document-level `x-` extensions.
    #[serde(flatten)]
    pub extensions: Extensions,
}

impl OpenApi {
    /// Gives each operation without an `operationId` one made of its
    /// method and path (`get /pets/{petId}`: `get_pets_petId`), numbered
    /// when another operation has that name already: it names the
    /// operation's method and types.
    pub fn name_unnamed_operations(&mut self) {
        let mut taken: std::collections::BTreeSet<String> = self
            .paths
            .values()
            .flat_map(|item| item.operations().map(|(_, op)| op.operation_id.clone()))
            .filter(|id| !id.is_empty())
            .collect();
        for (path, item) in &mut self.paths {
            for (method, op) in item.operations_mut() {
                if !op.operation_id.trim().is_empty() {
                    continue;
                }
                let words = format!("{} {path}", method.as_str().to_ascii_lowercase());
                let base: String = words
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join("_");
                let mut name = base.clone();
                let mut n = 1;
                while taken.contains(&name) {
                    n += 1;
                    name = format!("{base}_{n}");
                }
                taken.insert(name.clone());
                op.operation_id = name;
            }
        }
    }
}

/// The `info` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Info {
    /// The API's name.
    pub title: String,
    /// The version of this description.
    pub version: String,
    /// Markdown description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `x-` extensions.
    #[serde(flatten)]
    pub extensions: Extensions,
}

/// A server URL template with its variables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Server {
    /// URL template, `{name}` for variables.
    pub url: String,
    /// What the server is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Values for the template's variables.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub variables: IndexMap<String, ServerVariable>,
}

/// One variable of a server URL template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerVariable {
    /// The value used when the user supplies none.
    pub default: String,
    /// What the variable means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Names of security schemes with their scopes (always empty for WHM).
pub type SecurityRequirement = IndexMap<String, Vec<String>>;

/// A tag: the group an operation belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    /// The tag's name, as operations list it.
    pub name: String,
    /// Markdown description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `x-` extensions.
    #[serde(flatten)]
    pub extensions: Extensions,
}

/// The operations available on one path.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PathItem {
    /// The GET operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get: Option<Operation>,
    /// The POST operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<Operation>,
    /// The PUT operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub put: Option<Operation>,
    /// The PATCH operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch: Option<Operation>,
    /// The DELETE operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete: Option<Operation>,
    /// The HEAD operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<Operation>,
    /// The OPTIONS operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Operation>,
    /// The TRACE operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<Operation>,
    /// Parameters of every operation of the path (an operation's own
    /// parameter of the same name and place wins).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<ParameterOrRef>,
    /// `x-` extensions.
    #[serde(flatten)]
    pub extensions: Extensions,
}

impl PathItem {
    /// The operations of this path with their HTTP method, in a fixed order.
    pub fn operations(&self) -> impl Iterator<Item = (Method, &Operation)> {
        [
            (Method::Get, &self.get),
            (Method::Post, &self.post),
            (Method::Put, &self.put),
            (Method::Patch, &self.patch),
            (Method::Delete, &self.delete),
            (Method::Head, &self.head),
            (Method::Options, &self.options),
            (Method::Trace, &self.trace),
        ]
        .into_iter()
        .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
    }

    /// [`operations`](Self::operations), to change.
    pub fn operations_mut(&mut self) -> impl Iterator<Item = (Method, &mut Operation)> {
        [
            (Method::Get, &mut self.get),
            (Method::Post, &mut self.post),
            (Method::Put, &mut self.put),
            (Method::Patch, &mut self.patch),
            (Method::Delete, &mut self.delete),
            (Method::Head, &mut self.head),
            (Method::Options, &mut self.options),
            (Method::Trace, &mut self.trace),
        ]
        .into_iter()
        .filter_map(|(method, op)| op.as_mut().map(|op| (method, op)))
    }
}

/// One API operation (for WHM: one function).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// Unique name of the operation; for WHM the function name. (Read as
    /// empty when missing, so that lowering can say what to do about it.)
    #[serde(default)]
    pub operation_id: String,
    /// Groups the operation belongs to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// One-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Markdown description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the operation should no longer be used.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Query, header and path parameters, or references to shared ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<ParameterOrRef>,
    /// The request body, for operations that take one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_body: Option<RequestBody>,
    /// Responses by status code (`200`, `default`, `4XX`, ...).
    #[serde(default)]
    pub responses: IndexMap<String, Response>,
    /// Security requirements replacing the document's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<Vec<SecurityRequirement>>,
    /// `x-` extensions.
    #[serde(flatten)]
    pub extensions: Extensions,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParameterLocation {
    /// In the query string (or, for WHM, equally in a form body).
    Query,
    /// In an HTTP header.
    Header,
    /// In the URL path.
    Path,
    /// In a cookie.
    Cookie,
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    /// The name on the wire.
    pub name: String,
    /// Where the parameter travels.
    #[serde(rename = "in")]
    pub location: ParameterLocation,
    /// Markdown description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the caller must supply it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Whether the parameter should no longer be used.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Serialisation style (`form` for query parameters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
    /// Whether arrays and objects expand into several key=value pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explode: Option<bool>,
    /// The value's type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    /// The value's type by media type, instead of `schema`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub content: IndexMap<String, MediaType>,
    /// One example value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// Several named example values.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub examples: IndexMap<String, Example>,
    /// `x-` extensions.
    #[serde(flatten)]
    pub extensions: Extensions,
}

/// A parameter, or a `$ref` to one in `components.parameters`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ParameterOrRef {
    /// `$ref: '#/components/parameters/<name>'`.
    Ref {
        /// The reference.
        #[serde(rename = "$ref")]
        reference: String,
    },
    /// A parameter written in place.
    Parameter(Box<Parameter>),
}

impl<'de> Deserialize<'de> for ParameterOrRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A `$ref` decides which it is; otherwise the parameter's own errors
        // (a missing `in`) are the ones worth reporting.
        let value = Value::deserialize(deserializer)?;
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => Ok(ParameterOrRef::Ref {
                reference: reference.to_owned(),
            }),
            None => Parameter::deserialize(value)
                .map(|p| ParameterOrRef::Parameter(Box::new(p)))
                .map_err(serde::de::Error::custom),
        }
    }
}

/// A named example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// Short description of the example.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The example value (none when the example is only linked).
    #[serde(default)]
    pub value: Value,
}

/// A request body, or a `$ref` to one in `components.requestBodies`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestBody {
    /// `#/components/requestBodies/<name>`: the body is that one.
    #[serde(default, rename = "$ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Markdown description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the body must be sent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// The body by media type.
    #[serde(default)]
    pub content: IndexMap<String, MediaType>,
}

/// A response, or a `$ref` to one in `components.responses`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// `#/components/responses/<name>`: the response is that one.
    #[serde(default, rename = "$ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// What the response means (required by OpenAPI, left out by many
    /// documents).
    #[serde(default)]
    pub description: String,
    /// The body by media type.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub content: IndexMap<String, MediaType>,
}

/// A body of one media type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaType {
    /// The body's type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    /// One example body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
}

/// Shared definitions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Components {
    /// Named schemas, referenced as `#/components/schemas/<name>`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub schemas: BTreeMap<String, Schema>,
    /// Named security schemes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub security_schemes: BTreeMap<String, SecurityScheme>,
    /// Named parameters, referenced as `#/components/parameters/<name>`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, Parameter>,
    /// Named responses, referenced as `#/components/responses/<name>`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub responses: BTreeMap<String, Response>,
    /// Named request bodies, referenced as `#/components/requestBodies/<name>`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub request_bodies: BTreeMap<String, RequestBody>,
}

impl Components {
    /// True when there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
            && self.security_schemes.is_empty()
            && self.parameters.is_empty()
            && self.responses.is_empty()
            && self.request_bodies.is_empty()
    }
}

/// A way to authenticate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityScheme {
    /// `http`, `apiKey`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// For `http`: the `Authorization` scheme (`basic`, `whm`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// For `apiKey`: the parameter or header name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// For `apiKey`: where the key travels.
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Markdown description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `x-` extensions.
    #[serde(flatten)]
    pub extensions: Extensions,
}

/// `additionalProperties`: a flag or a schema for the values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AdditionalProperties {
    /// `true` allows any extra property, `false` none.
    Allowed(bool),
    /// Extra properties must match this schema.
    Schema(Box<Schema>),
}

/// A schema's `type`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SchemaType {
    /// `string`.
    String,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `array`.
    Array,
    /// `object`.
    Object,
    /// A type OpenAPI 3.0 does not have (`strng`): kept so that loading
    /// can report it with every other problem of the spec, and refused
    /// there.
    Unknown(String),
}

impl SchemaType {
    /// The types OpenAPI 3.0 has, by name.
    pub const KNOWN: [SchemaType; 6] = [
        SchemaType::String,
        SchemaType::Integer,
        SchemaType::Number,
        SchemaType::Boolean,
        SchemaType::Array,
        SchemaType::Object,
    ];

    /// The type's name in a spec.
    pub fn as_str(&self) -> &str {
        match self {
            SchemaType::String => "string",
            SchemaType::Integer => "integer",
            SchemaType::Number => "number",
            SchemaType::Boolean => "boolean",
            SchemaType::Array => "array",
            SchemaType::Object => "object",
            SchemaType::Unknown(name) => name,
        }
    }

    /// What is wrong with the type, when it is none OpenAPI 3.0 has.
    pub fn problem(&self) -> Option<String> {
        let SchemaType::Unknown(name) = self else {
            return None;
        };
        let known: Vec<&str> = Self::KNOWN.iter().map(SchemaType::as_str).collect();
        Some(format!(
            "unknown type `{name}`; expected one of {}",
            known.join(", ")
        ))
    }

    /// The type named `name`.
    pub fn named(name: &str) -> SchemaType {
        Self::KNOWN
            .into_iter()
            .find(|t| t.as_str() == name)
            .unwrap_or_else(|| SchemaType::Unknown(name.to_owned()))
    }
}

impl Serialize for SchemaType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SchemaType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|name| SchemaType::named(&name))
    }
}

/// A JSON Schema object as OpenAPI 3.0 defines it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// A reference to a shared schema; other fields are then ignored.
    #[serde(default, rename = "$ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// `string`, `integer`, `number`, `boolean`, `array` or `object`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<SchemaType>,
    /// Refinement of the type (`email`, `int64`, `unix_timestamp`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Short name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Markdown description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether `null` is a valid value.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    /// Whether the field should no longer be used.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// The allowed values.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enumeration: Option<Vec<Value>>,
    /// The value the server uses when none is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Smallest allowed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<serde_json::Number>,
    /// Largest allowed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<serde_json::Number>,
    /// Whether `minimum` itself is excluded.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_minimum: bool,
    /// Whether `maximum` itself is excluded.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_maximum: bool,
    /// Shortest allowed string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// Longest allowed string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// Fewest array items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// Most array items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    /// The type of an array's items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Schema>>,
    /// Properties that must be present.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    /// An object's known properties, in document order.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub properties: IndexMap<String, Schema>,
    /// An object's other properties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_properties: Option<AdditionalProperties>,
    /// Exactly one of these must match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<Schema>,
    /// At least one of these must match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<Schema>,
    /// All of these must match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub all_of: Vec<Schema>,
    /// Sent by the server only (an object's `id`): never in a request.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// The member whose value says which alternative of a `oneOf` or
    /// `anyOf` a value is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<Discriminator>,
    /// An example value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// `x-` extensions.
    #[serde(flatten)]
    pub extensions: Extensions,
}

/// The member that tells the alternatives of a union apart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Discriminator {
    /// The member's name.
    pub property_name: String,
    /// Its values, each with the schema (`$ref`, or a component's name)
    /// it chooses. A value not listed is a component's name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub mapping: IndexMap<String, String>,
}

impl Schema {
    /// A schema of one primitive type.
    pub fn of_type(kind: SchemaType) -> Self {
        Schema {
            kind: Some(kind),
            ..Schema::default()
        }
    }

    /// A `$ref` to a component schema.
    pub fn reference_to(component: &str) -> Self {
        Schema {
            reference: Some(format!("#/components/schemas/{component}")),
            ..Schema::default()
        }
    }
}
