//! The intermediate representation: an API ready for Rust.
//!
//! Lowering fills it from a spec; rendering turns it into tokens. It knows
//! nothing of YAML or OpenAPI, every Rust name in it is final, and every
//! name keeps its wire name beside it. What differs between APIs (where
//! replies keep their payload, fixed parameters, how credentials travel,
//! how parameters are sent) is data here, not code in the renderer: the
//! wire model of the `whm-wire` crate, the same types the runtime reads.

use serde_json::Value;
use whm_wire::{ApiSpec, Body, Envelope, Method};

pub use whm_wire::JsonKind;

mod decoder;
pub mod own;
mod walk;

pub use decoder::Decoder;
pub use walk::Wrapper;

/// The module that holds types shared between groups.
pub const SHARED_MODULE: &str = own::SHARED;

/// An API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// How it works on the wire (its title among it, `WHM API 1`): written
    /// into the crate as its `API` static.
    pub wire: ApiSpec,
    /// Markdown description.
    pub description: Option<String>,
    /// The spec's version.
    pub version: String,
    /// The server URL template as the spec writes it.
    pub server_url: String,
    /// The defaults of the server URL's variables, by name.
    pub server_defaults: Vec<(String, String)>,
    /// A parameter every operation takes from a bound client view
    /// (`client.as_user("bob")`): its wire name and the view's name.
    pub bound: Option<Bound>,
    /// Groups of operations, one module each, sorted by module.
    pub groups: Vec<Group>,
    /// Types shared between groups (named component schemas).
    pub shared: Vec<TypeDef>,
    /// What the spec says that the crate leaves out, each with where
    /// (`file:line:column: ...`), for the person generating it.
    pub warnings: Vec<String>,
}

/// A parameter that comes from a client view rather than each request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// The parameter's wire name (`cpanel_jsonapi_user`).
    pub wire: String,
    /// The view's name (`user`).
    pub name: String,
    /// The client's method that makes a view (`as_user`).
    pub method: String,
    /// Whether the value is sent in lowercase (cPanel usernames must be).
    pub lowercase: bool,
    /// The view's type name (`UserClient`).
    pub view: String,
}

/// A group of operations: one module and one cargo feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The group's name as the spec writes it.
    pub name: String,
    /// The module name.
    pub module: String,
    /// The cargo feature that gates it, when groups are features.
    pub feature: String,
    /// Markdown description.
    pub description: Option<String>,
    /// The operations, sorted by wire name.
    pub operations: Vec<Operation>,
    /// Types of this group: enums, request and response structs.
    pub types: Vec<TypeDef>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The wire name (operationId).
    pub id: String,
    /// The client method.
    pub method: String,
    /// The request type.
    pub request: String,
    /// The constant of its details (`whm_runtime::Details`), in its
    /// group's `details` module.
    pub details_const: String,
    /// The documented HTTP method.
    pub http_method: Method,
    /// The path under the base path.
    pub path: String,
    /// How parameters travel.
    pub body: Body,
    /// The media type of a body of bytes ([`Body::Raw`]).
    pub raw_body_type: Option<String>,
    /// How replies are wrapped, when not as the API's are.
    pub envelope: Option<Envelope>,
    /// Where in the payload a list function keeps its records.
    pub list: Option<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Markdown description.
    pub description: Option<String>,
    /// Whether the operation is deprecated.
    pub deprecated: bool,
    /// The tags it is listed under.
    pub tags: Vec<String>,
    /// Parameters in documented order.
    pub fields: Vec<Field>,
    /// The payload type.
    pub data: TypeRef,
    /// The payload of the documented response example.
    pub data_example: Option<Value>,
    /// The documented response example, whole.
    pub reply_example: Option<Value>,
    /// The types the spec gives error statuses' replies, most specific
    /// statuses first.
    pub failures: Vec<Failure>,
}

/// The type of the replies of some error statuses (an API's error object).
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// Which statuses.
    pub statuses: Statuses,
    /// The body's type.
    pub ty: TypeRef,
}

/// Statuses a response of the spec stands for, in the order they are
/// matched: a status before its class, a class before the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Statuses {
    /// One status (`404`).
    Code(u16),
    /// A class, by its hundreds (`4` of `4XX`).
    Class(u16),
    /// Every status that has no response of its own (`default`).
    Other,
}

/// Whether and how a parameter is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Presence {
    /// The caller must give it: an argument of `new`.
    Required,
    /// The caller may give it: a builder method.
    Optional,
    /// Always sent with this value; not a field.
    Constant(Value),
    /// Sent with this value when the caller asks: a `bool` builder method.
    Flag(Value),
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The wire name.
    pub wire: String,
    /// The field and builder-method name.
    pub rust: String,
    /// The value's type.
    pub ty: TypeRef,
    /// Whether and how it is sent.
    pub presence: Presence,
    /// Whether it stands for any number of `name=value` pairs.
    pub free_form: bool,
    /// Where it travels.
    pub location: Location,
    /// How a list or map is written among `name=value` pairs, in the
    /// path or in a header.
    pub style: Style,
    /// For a boolean sent among `name=value` pairs: whether the API takes
    /// it as `1` / `0` (its schema is an integer of those two values),
    /// rather than OpenAPI's `true` / `false`.
    pub bool_as_number: bool,
    /// Whether it comes from a bound client view, not from the request.
    pub bound: bool,
    /// For an optional member of a JSON body that the spec lets be
    /// `null`: the method that sends it as `null` (`nickname_null`).
    pub null_setter: Option<String>,
    /// Markdown description.
    pub description: Option<String>,
    /// Whether it is deprecated.
    pub deprecated: bool,
    /// Other names the server accepts.
    pub aliases: Vec<String>,
    /// The server's default.
    pub default: Option<Value>,
    /// An example value.
    pub example: Option<Value>,
}

/// How a list or map parameter is written (OpenAPI's `style` and
/// `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A list's items each under the name (`id=1&id=2`), a map's entries
    /// each under its key: OpenAPI's exploded `form`, and any value that
    /// is no list or map.
    Exploded,
    /// A list's items joined into one value by this character (`id=1,2`:
    /// `form` unexploded, `simple`, `spaceDelimited`, `pipeDelimited`).
    Delimited(char),
    /// A map's entries, or an object's members, as `name[key]=value`.
    DeepObject,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// Among the query's (or, where the API takes them so, a form body's)
    /// `name=value` pairs.
    Query,
    /// In the path, as one segment (`{petId}` of `/pets/{petId}`).
    Path,
    /// In the request body, as one of its members.
    Body,
    /// In a request header of its name.
    Header,
    /// In a cookie of its name.
    Cookie,
    /// The whole JSON body (a body that is no object of named members).
    WholeBody,
}

impl Location {
    /// Whether it goes in the query or the body, among the `name=value`
    /// pairs (or the JSON members) of the call, rather than in a place
    /// of its own.
    pub fn among_params(self) -> bool {
        matches!(self, Location::Query | Location::Body)
    }
}

/// A type in Rust terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// Text.
    String,
    /// A secret (password, token): redacted in `Debug`.
    Secret,
    /// A whole number (`i64`).
    Integer,
    /// A whole number of the width a `format` gives (`int32`: `i32`).
    Whole(Width),
    /// A number.
    Number,
    /// A flag.
    Bool,
    /// A number or a word such as `unlimited`.
    Limit,
    /// Any JSON.
    Json,
    /// Nothing (an operation without payload).
    Empty,
    /// Bytes (a request body that is an upload).
    Bytes,
    /// A generated type.
    Named(TypePath),
    /// A list.
    List(Box<TypeRef>),
    /// A map from strings.
    Map(Box<TypeRef>),
    /// A value that can be `null`.
    Option(Box<TypeRef>),
}

/// The width of a whole number that is no `i64`, as a spec's `format`
/// gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Width {
    /// `int8`.
    I8,
    /// `int16`.
    I16,
    /// `int32`.
    I32,
    /// `uint8` and `uint16` (a list of `u8` is bytes, a payload).
    U16,
    /// `uint32`.
    U32,
    /// `uint64`.
    U64,
}

impl Width {
    /// The width a `format` of an integer gives; `None` for `int64`, no
    /// format and formats of no width (an `i64`).
    pub fn of_format(format: &str) -> Option<Width> {
        Some(match format {
            "int8" => Width::I8,
            "int16" => Width::I16,
            "int32" => Width::I32,
            "uint8" | "uint16" => Width::U16,
            "uint32" => Width::U32,
            "uint64" => Width::U64,
            _ => return None,
        })
    }

    /// Whether a whole number written as `digits` fits this width.
    pub fn holds(self, digits: &str) -> bool {
        match self {
            Width::I8 => digits.parse::<i8>().is_ok(),
            Width::I16 => digits.parse::<i16>().is_ok(),
            Width::I32 => digits.parse::<i32>().is_ok(),
            Width::U16 => digits.parse::<u16>().is_ok(),
            Width::U32 => digits.parse::<u32>().is_ok(),
            Width::U64 => digits.parse::<u64>().is_ok(),
        }
    }

    /// The Rust type.
    pub const fn rust(self) -> &'static str {
        match self {
            Width::I8 => "i8",
            Width::I16 => "i16",
            Width::I32 => "i32",
            Width::U16 => "u16",
            Width::U32 => "u32",
            Width::U64 => "u64",
        }
    }
}

/// Where a generated type lives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypePath {
    /// Its module (a group's, or the shared types module).
    pub module: String,
    /// Its name.
    pub name: String,
    /// Whether it is a struct or an enum.
    pub kind: TypeKind,
    /// Whether it is a reply struct that holds text, and so takes the
    /// text type as a parameter.
    pub text: bool,
}

/// What a [`TypePath`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeKind {
    /// A [`StructDef`].
    Struct,
    /// An [`EnumDef`].
    Enum,
    /// A [`UnionDef`].
    Union,
}

/// A generated type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    /// A struct.
    Struct(StructDef),
    /// An enum of wire strings.
    Enum(EnumDef),
    /// Another name for a reply struct that has the same members as
    /// another: generated once, named wherever the spec has it.
    Alias(AliasDef),
    /// A value of one of several types (`oneOf`, `anyOf`).
    Union(UnionDef),
}

impl TypeDef {
    /// The type's name.
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
            TypeDef::Alias(a) => &a.name,
            TypeDef::Union(u) => &u.name,
        }
    }
}

impl Api {
    /// The definition of the type at `path`, aliases followed to the
    /// struct they name.
    pub fn type_def(&self, path: &TypePath) -> Option<&TypeDef> {
        let mut path = path;
        // An alias names a struct, never another alias: one step is enough,
        // and the bound keeps a malformed IR from looping.
        for _ in 0..2 {
            let defs = if path.module == SHARED_MODULE {
                self.shared.as_slice()
            } else {
                self.groups
                    .iter()
                    .find(|g| g.module == path.module)
                    .map_or(&[][..], |g| g.types.as_slice())
            };
            match defs.iter().find(|t| t.name() == path.name)? {
                TypeDef::Alias(alias) => path = &alias.target,
                def => return Some(def),
            }
        }
        None
    }
}

/// Another name for a reply struct (see [`TypeDef::Alias`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AliasDef {
    /// Its name.
    pub name: String,
    /// Where in the spec it comes from (a JSON pointer), for its docs.
    pub origin: String,
    /// The struct it names.
    pub target: TypePath,
}

/// What a struct is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Decoded from replies, leniently, keeping unknown fields.
    Response,
    /// Sent in a request body.
    Request,
}

/// A struct.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// Its name.
    pub name: String,
    /// Markdown description.
    pub description: Option<String>,
    /// Where in the spec it comes from (a JSON pointer), for its docs.
    pub origin: String,
    /// Its fields.
    pub fields: Vec<StructField>,
    /// Decoded or sent.
    pub role: Role,
    /// For responses: the field that keeps unknown members.
    pub rest: String,
    /// For responses: whether it holds text (a string, or a struct that
    /// holds one), and so takes the text type as a parameter.
    pub text: bool,
    /// For responses: other places in the spec with the same members
    /// (JSON pointers), which name this struct through an alias.
    pub shared_by: Vec<String>,
}

/// A field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct StructField {
    /// The wire name.
    pub wire: String,
    /// The field name.
    pub rust: String,
    /// The type.
    pub ty: TypeRef,
    /// Markdown description.
    pub description: Option<String>,
    /// For requests: whether the field must be sent.
    pub required: bool,
    /// An example value, from the spec or its documented reply.
    pub example: Option<Value>,
    /// Whether the value is held in a `Box`: it closes a cycle of structs
    /// that hold one another by value.
    pub boxed: bool,
    /// For requests: whether the spec lets the member be `null`, so that
    /// an optional one can be sent as `null` (`Some(None)`).
    pub nullable: bool,
}

/// An enum of wire strings.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// Its name.
    pub name: String,
    /// Markdown description.
    pub description: Option<String>,
    /// The variants in documented order.
    pub variants: Vec<Variant>,
    /// A reply's enum: it reads any value, keeping one it does not list
    /// (a newer server's) in an `Other` variant. A request's enum is closed.
    pub open: bool,
}

/// A variant of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The variant's name.
    pub rust: String,
    /// The wire value.
    pub wire: String,
    /// Markdown description.
    pub description: Option<String>,
}

/// A value of one of several types (`oneOf`, `anyOf`): a Rust enum with a
/// variant per alternative, each holding the alternative's type, told
/// apart on the wire as [`Choice`] says. A reply's union keeps a value
/// that is none of them (an unknown tag, a kind it does not list) as
/// sent.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    /// Its name.
    pub name: String,
    /// Markdown description.
    pub description: Option<String>,
    /// Where in the spec it comes from (a JSON pointer), for its docs.
    pub origin: String,
    /// Decoded or sent.
    pub role: Role,
    /// The member that names the alternative (`discriminator`), when the
    /// spec gives one.
    pub tag: Option<String>,
    /// The alternatives in the order they are tried.
    pub variants: Vec<UnionVariant>,
    /// For replies: whether an alternative holds text, and so the union
    /// takes the text type as a parameter.
    pub text: bool,
}

/// An alternative of a [`UnionDef`].
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The variant's name.
    pub rust: String,
    /// The type it holds.
    pub ty: TypeRef,
    /// How a value is known to be this one.
    pub choice: Choice,
    /// Markdown description.
    pub description: Option<String>,
}

/// How a value is known to be one alternative of a union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// The union's tag member has one of these values.
    Tag(Vec<String>),
    /// The value is of this JSON kind (the only alternative of it).
    Kind(JsonKind),
    /// The value is an object with every one of these members (the
    /// alternatives of objects are tried most members first; one with
    /// none takes any object).
    Members(Vec<String>),
}
