//! What a generated crate exposes, and how that changes.
//!
//! Callers of a generated crate depend on its functions, their parameters
//! and the fields of their replies, not on the spec's wording. This module
//! takes that much out of the [`ir`](crate::ir) as plain data (a
//! [`Surface`], which a generated crate keeps as `api-surface.json`), so
//! that two versions of an API can be compared ([`diff`]: what changed for
//! callers, and the semver bump it implies), and so that a committed crate
//! that is not what its spec generates can be told apart ([`stale`]).
//!
//! Every collection is a sorted map, so the same API gives the same bytes.

pub mod diff;
pub mod stale;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ir::{Api, Presence, Role, TypeDef, TypePath, TypeRef, Wrapper};
use crate::lower::Selection;

/// The file name of the surface record inside a generated crate.
pub const FILE_NAME: &str = "api-surface.json";

/// The record's format; a reader refuses others.
pub const FORMAT: u32 = 1;

/// What a generated crate exposes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Surface {
    /// The record's format ([`FORMAT`]).
    pub whm_codegen_surface: u32,
    /// The API's title.
    pub api: String,
    /// The spec's version of the API.
    pub version: String,
    /// The operations, by wire name.
    pub operations: BTreeMap<String, OperationSurface>,
}

/// What callers see of one operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationSurface {
    /// The module, and cargo feature, it is in.
    pub module: String,
    /// Its tag group as the spec names it (its first tag's group, or that
    /// tag): what `--only-tag` selects by, with [`tags`](Self::tags).
    #[serde(default)]
    pub group: String,
    /// Its tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The client method.
    pub method: String,
    /// The request type.
    pub request: String,
    /// Whether it is deprecated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Its parameters by wire name; fields of a structured parameter are
    /// listed as `parameter.field` (`records[].ip`: the `ip` of each item).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, ParameterSurface>,
    /// The reply's payload: its type at `""`, and every field below it by
    /// path (`acct[].user`: the `user` field of each item of `acct`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reply: BTreeMap<String, ValueSurface>,
}

/// How a parameter is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Given {
    /// An argument of the request's `new`.
    Required,
    /// A builder method.
    Optional,
    /// A `bool` builder method that sends a fixed value.
    Flag,
    /// Always sent; callers do not see it.
    Constant,
}

impl Given {
    /// How callers see a parameter, for messages: a parameter of the
    /// request is set through `new` or a builder method, a `field` of a
    /// structured one (`records[].ip`) is a struct field.
    pub fn describe(self, field: bool) -> &'static str {
        match (self, field) {
            (Given::Required, false) => "required (an argument of `new`)",
            (Given::Optional, false) => "optional (a builder method)",
            (Given::Required, true) => "required",
            (Given::Optional, true) => "optional",
            (Given::Flag, _) => "a flag (a `bool` builder method)",
            (Given::Constant, _) => "a constant (always sent, not settable)",
        }
    }
}

/// What callers see of one parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterSurface {
    /// The field and builder-method name.
    pub rust: String,
    /// The type, in Rust terms (`String`, `Vec<i64>`, `Plan`).
    #[serde(rename = "type")]
    pub ty: String,
    /// How it is given.
    pub given: Given,
    /// The value sent, for constants and flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// For enums: the wire values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// The server's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Other names the server accepts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Whether it is deprecated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Whether it is a field of a structured parameter (`records[].ip`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub field: bool,
}

/// What callers see of one value in a reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueSurface {
    /// The type, in Rust terms.
    #[serde(rename = "type")]
    pub ty: String,
    /// The field's name in Rust, when it is a field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust: Option<String>,
    /// The values of its enum (a reply's enum has a variant for each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Why a surface record cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ReadError {
    /// The file.
    pub path: String,
    /// What is wrong, and what to do.
    pub message: String,
}

impl Surface {
    /// The surface of `api`.
    pub fn of(api: &Api) -> Surface {
        let types = Types::of(api);
        let mut operations = BTreeMap::new();
        for group in &api.groups {
            for op in &group.operations {
                let mut parameters = BTreeMap::new();
                for field in op.fields.iter().filter(|f| !f.bound) {
                    let (given, value) = match &field.presence {
                        Presence::Required => (Given::Required, None),
                        Presence::Optional => (Given::Optional, None),
                        Presence::Flag(v) => (Given::Flag, Some(v.clone())),
                        Presence::Constant(v) => (Given::Constant, Some(v.clone())),
                    };
                    let ty = if field.free_form {
                        "free-form name=value pairs".to_owned()
                    } else {
                        types.describe(&field.ty)
                    };
                    parameters.insert(
                        field.wire.clone(),
                        ParameterSurface {
                            rust: field.rust.clone(),
                            ty,
                            given,
                            value,
                            values: types.values(&field.ty),
                            default: field.default.clone(),
                            aliases: field.aliases.clone(),
                            deprecated: field.deprecated,
                            field: false,
                        },
                    );
                    if given != Given::Constant {
                        types.request_fields(&field.wire, &field.ty, &mut parameters);
                    }
                }
                let mut reply = BTreeMap::new();
                types.reply_values("", None, &op.data, &mut Vec::new(), &mut reply);
                operations.insert(
                    op.id.clone(),
                    OperationSurface {
                        module: group.module.trim_start_matches("r#").to_owned(),
                        group: group.name.clone(),
                        tags: op.tags.clone(),
                        method: op.method.clone(),
                        request: op.request.clone(),
                        deprecated: op.deprecated,
                        parameters,
                        reply,
                    },
                );
            }
        }
        Surface {
            whm_codegen_surface: FORMAT,
            api: api.wire.name.to_string(),
            version: api.version.clone(),
            operations,
        }
    }

    /// The record as committed: pretty JSON, keys sorted, a final newline.
    pub fn to_json(&self) -> String {
        // Cannot fail: every map has string keys and every value is JSON.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a record written by [`Surface::to_json`]; `path` names it in errors.
    pub fn from_json(text: &str, path: &str) -> Result<Surface, ReadError> {
        let error = |message: String| ReadError {
            path: path.to_owned(),
            message,
        };
        let value: Value = serde_json::from_str(text).map_err(|e| {
            error(format!(
                "not JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ))
        })?;
        match value.get("whm_codegen_surface").and_then(Value::as_u64) {
            Some(f) if f == u64::from(FORMAT) => {}
            Some(f) => {
                return Err(error(format!(
                    "surface format {f}, but this whm-codegen reads format {FORMAT}; regenerate the crate with this version"
                )));
            }
            None => {
                return Err(error(
                    "not a surface record (no `whm_codegen_surface` member); give a spec or a generated crate's api-surface.json".to_owned(),
                ));
            }
        }
        serde_json::from_value(value).map_err(|e| error(format!("malformed surface record: {e}")))
    }

    /// Only the operations `selection` selects, as a spec lowered with it
    /// would have; `path` names the record in errors. A tag the record
    /// does not know is an error, as it is for a spec.
    pub fn select(mut self, selection: &Selection, path: &str) -> Result<Surface, ReadError> {
        let known = self.operations.values().flat_map(|op| {
            std::iter::once(op.group.as_str()).chain(op.tags.iter().map(String::as_str))
        });
        selection.check_tags(path, known).map_err(|e| ReadError {
            path: path.to_owned(),
            message: e.message.clone(),
        })?;
        self.operations
            .retain(|id, op| selection.selects(id, &op.tags, &op.group));
        Ok(self)
    }

    /// Whether `text` looks like a surface record rather than a spec.
    pub fn is_record(text: &str) -> bool {
        let start = text.trim_start();
        start.starts_with('{') && start[..start.len().min(200)].contains("\"whm_codegen_surface\"")
    }
}

/// The generated types of an API, by where they live.
/// The most values one operation's request or reply records. A reply's
/// values are recorded by path, each struct under every path that reaches
/// it, which for types that share many others (an office document's
/// schema: each part holding several others) grows beyond any memory; past
/// this many, deeper values are left out of the record.
const MOST_PATHS: usize = 20_000;

struct Types<'a> {
    api: &'a Api,
}

impl<'a> Types<'a> {
    fn of(api: &'a Api) -> Types<'a> {
        Types { api }
    }

    /// The type at `path`; an alias gives the struct it names.
    fn get(&self, path: &TypePath) -> Option<&'a TypeDef> {
        self.api.type_def(path)
    }

    /// A type as callers write it.
    fn describe(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::String => "String".to_owned(),
            TypeRef::Secret => "Secret".to_owned(),
            TypeRef::Integer => "i64".to_owned(),
            TypeRef::Whole(width) => width.rust().to_owned(),
            TypeRef::Number => "f64".to_owned(),
            TypeRef::Bool => "bool".to_owned(),
            TypeRef::Limit => "Limit".to_owned(),
            TypeRef::Json => "Value".to_owned(),
            TypeRef::Empty => "()".to_owned(),
            TypeRef::Bytes => "Vec<u8>".to_owned(),
            TypeRef::Named(path) => path.name.clone(),
            TypeRef::List(item) => format!("Vec<{}>", self.describe(item)),
            TypeRef::Map(value) => format!("Map<String, {}>", self.describe(value)),
            TypeRef::Option(inner) => format!("Option<{}>", self.describe(inner)),
        }
    }

    /// The wire values of an enum, looking through lists and options.
    fn values(&self, ty: &TypeRef) -> Vec<String> {
        match ty.named().and_then(|path| self.get(path)) {
            Some(TypeDef::Enum(e)) => e.variants.iter().map(|v| v.wire.clone()).collect(),
            Some(TypeDef::Struct(_) | TypeDef::Alias(_) | TypeDef::Union(_)) | None => Vec::new(),
        }
    }

    /// The fields of a structured (JSON body) parameter, as `wire.field`.
    fn request_fields(
        &self,
        prefix: &str,
        ty: &TypeRef,
        out: &mut BTreeMap<String, ParameterSurface>,
    ) {
        let path = match ty.wrapped() {
            Some((Wrapper::List, item)) => {
                return self.request_fields(&format!("{prefix}[]"), item, out);
            }
            Some((Wrapper::Option, inner)) => return self.request_fields(prefix, inner, out),
            // A map's keys are the caller's: no fields to name.
            Some((Wrapper::Map, _)) => return,
            None => match ty.named() {
                Some(path) => path,
                None => return,
            },
        };
        let Some(TypeDef::Struct(s)) = self.get(path) else {
            return;
        };
        if s.role != Role::Request {
            return;
        }
        for f in &s.fields {
            let wire = format!("{prefix}.{}", f.wire);
            out.insert(
                wire.clone(),
                ParameterSurface {
                    rust: f.rust.clone(),
                    ty: self.describe(&f.ty),
                    given: if f.required {
                        Given::Required
                    } else {
                        Given::Optional
                    },
                    value: None,
                    values: self.values(&f.ty),
                    default: None,
                    aliases: Vec::new(),
                    deprecated: false,
                    field: true,
                },
            );
            // Request bodies nest only as deep as their spec; recursion
            // through a struct already on the path would not end.
            if !prefix
                .split('.')
                .any(|p| p.trim_end_matches("[]") == f.wire)
                && out.len() < MOST_PATHS
            {
                self.request_fields(&wire, &f.ty, out);
            }
        }
    }

    /// Every value of a reply below `path`, `chain` holding the structs on
    /// the way (a recursive type is described once, not unrolled).
    fn reply_values(
        &self,
        path: &str,
        rust: Option<&str>,
        ty: &'a TypeRef,
        chain: &mut Vec<(&'a str, &'a str)>,
        out: &mut BTreeMap<String, ValueSurface>,
    ) {
        out.insert(
            path.to_owned(),
            ValueSurface {
                ty: self.describe(ty),
                rust: rust.map(str::to_owned),
                values: self.values(ty),
            },
        );
        self.below(path, ty, chain, out);
    }

    fn below(
        &self,
        path: &str,
        ty: &'a TypeRef,
        chain: &mut Vec<(&'a str, &'a str)>,
        out: &mut BTreeMap<String, ValueSurface>,
    ) {
        if let Some((wrapper, inner)) = ty.wrapped() {
            let path = match wrapper {
                Wrapper::List => format!("{path}[]"),
                Wrapper::Map => format!("{path}{{}}"),
                Wrapper::Option => path.to_owned(),
            };
            return self.below(&path, inner, chain, out);
        }
        // A scalar has nothing below it.
        let Some(type_path) = ty.named() else {
            return;
        };
        let Some(TypeDef::Struct(s)) = self.get(type_path) else {
            return;
        };
        let key = (type_path.module.as_str(), type_path.name.as_str());
        if chain.contains(&key) || out.len() >= MOST_PATHS {
            return;
        }
        chain.push(key);
        for f in &s.fields {
            let child = if path.is_empty() {
                f.wire.clone()
            } else {
                format!("{path}.{}", f.wire)
            };
            self.reply_values(&child, Some(&f.rust), &f.ty, chain, out);
        }
        chain.pop();
    }
}

#[cfg(test)]
mod tests {
    /// `L0` holds two `L1`, each two `L2`, ...: 2^24 paths to the
    /// deepest values. The crate's record of its surface stays bounded.
    #[test]
    fn a_reply_of_types_that_share_many_others_has_a_bounded_record() {
        let mut doc = String::from(
            "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /deep:
    get:
      operationId: deep
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/L0'}
components:
  schemas:
    L24: {type: object, properties: {v: {type: string}}}
",
        );
        for level in 0..24 {
            let next = level + 1;
            doc.push_str(&format!(
                "    L{level}:\n      type: object\n      properties:\n        a: {{$ref: '#/components/schemas/L{next}'}}\n        b: {{$ref: '#/components/schemas/L{next}'}}\n"
            ));
        }
        let spec = crate::spec::parse(&doc, "t.yaml").unwrap();
        let api = crate::lower::lower(&spec, &crate::lower::Selection::default()).unwrap();
        let surface = super::Surface::of(&api);
        let reply = &surface.operations["deep"].reply;
        // (The struct being recorded when the bound is reached is finished.)
        assert!(reply.len() < 20_100, "{}", reply.len());
        assert!(
            reply.contains_key("a.a.a.b"),
            "the first levels are recorded"
        );
    }
}
