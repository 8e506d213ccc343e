//! Schemas to Rust types.
//!
//! Requests and responses read the same schema differently. A request
//! knows what it sends: a string enum is a Rust enum, `0`/`1` is a `bool`.
//! A response must read whatever the server sends: an enum keeps a value it
//! does not list (in its `Other` variant), numbers may arrive as strings,
//! and every struct keeps the members it does not know. A member is an
//! `Option` when the spec says it may be missing: its object lists the
//! members that are `required`, and not this one (an object that lists
//! none, as WHM's replies inferred from samples, says nothing about
//! presence: a missing member reads as its type's default, `0` or `""`).
//! A string-or-number union is a [`TypeRef::Limit`] on both sides.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::ir::{Role, StructDef, StructField, TypeDef, TypeKind, TypePath, TypeRef};
use crate::naming::{self, Namespace};
use crate::spec::extensions::SchemaExtensions;
use crate::spec::openapi::SchemaType;
use crate::spec::openapi::{AdditionalProperties, Schema};
use crate::spec::tree::escape;
use crate::spec::{Spec, SpecError};

mod enums;

pub use crate::ir::SHARED_MODULE;

/// The field of a response struct that keeps members the spec does not name.
pub const REST_FIELD: &str = "extra";

/// The variant of a reply's enum that keeps a value the spec does not list.
pub const OTHER_VARIANT: &str = "Other";

/// Which way a schema is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    /// Sent by the caller.
    Request,
    /// Read from the server.
    Response,
}

/// The types being generated for one module.
#[derive(Debug)]
pub struct Module {
    /// The module's name.
    pub name: String,
    /// Type names taken in the module.
    pub names: Namespace,
    /// The types, in the order made.
    pub types: Vec<TypeDef>,
    /// Enums made, by name: their values, and whether open (a reply's).
    enums: BTreeMap<String, (Vec<String>, bool)>,
}

impl Module {
    /// An empty module whose names must not clash with `reserved`.
    pub fn new(name: &str, reserved: &[&str]) -> Self {
        Module {
            name: name.to_owned(),
            names: Namespace::with_reserved(reserved.iter().copied()),
            types: Vec::new(),
            enums: BTreeMap::new(),
        }
    }
}

/// Names to give types made for one value: for structs, a path-like name
/// (`ListacctsAcct`); for enums, the short name when free (`Searchtype`)
/// and the long one otherwise (`ListacctsSearchtype`).
#[derive(Debug, Clone)]
pub struct Hint {
    /// The struct name.
    pub path: String,
    /// The preferred enum name.
    pub short: String,
    /// What members' names start with (`Listaccts` for `ListacctsData`).
    pub prefix: String,
}

impl Hint {
    /// A hint whose members are named after it.
    pub fn new(name: &str) -> Hint {
        Hint {
            path: name.to_owned(),
            short: name.to_owned(),
            prefix: name.to_owned(),
        }
    }

    /// A hint for a member `key` of the value this hint names.
    pub fn member(&self, key: &str) -> Hint {
        let part = naming::camel(key);
        let path = format!("{}{part}", self.prefix);
        Hint {
            prefix: path.clone(),
            path,
            short: part,
        }
    }
}

/// Lowers schemas, sharing named component types across modules.
pub struct Types<'s> {
    spec: &'s Spec,
    shared: Module,
    lowered: BTreeMap<(String, Side), TypeRef>,
    /// Where the unnamed structs being made now are written (a struct made
    /// of several parts of an `allOf` has no name to close a cycle on).
    making: Vec<String>,
}

/// A schema with `$ref` and `allOf` resolved, and where it came from.
struct View {
    schema: Schema,
    pointer: String,
    component: Option<String>,
}

impl<'s> Types<'s> {
    /// Lowering for `spec`; shared types go in a module whose names avoid `reserved`.
    pub fn new(spec: &'s Spec, reserved: &[&str]) -> Self {
        Types {
            spec,
            shared: Module::new(SHARED_MODULE, reserved),
            lowered: BTreeMap::new(),
            making: Vec::new(),
        }
    }

    /// The shared types made so far.
    pub fn into_shared(self) -> Vec<TypeDef> {
        self.shared.types
    }

    /// The schema `$ref: reference` (at `at`) names, where it is, and the
    /// name its type takes: a component's name, or, for a schema anywhere
    /// else in the document (`#/components/schemas/Pet/properties/owner`),
    /// one made of its pointer.
    fn component(&self, reference: &str, at: &str) -> Result<(Schema, String, String), SpecError> {
        let named = reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| self.spec.document.components.schemas.get_key_value(name));
        if let Some((name, schema)) = named {
            let pointer = format!("/components/schemas/{}", escape(name));
            return Ok((schema.clone(), pointer, name.clone()));
        }
        match self.spec.local_ref::<Schema>(reference) {
            Some((Ok(schema), pointer)) => {
                let name = pointer
                    .trim_start_matches("/components/schemas/")
                    .trim_start_matches('/')
                    .to_owned();
                Ok((schema, pointer, name))
            }
            Some((Err(problem), _)) => Err(self.spec.error(
                at,
                format!("`$ref: {reference}` points at no schema: {problem}"),
            )),
            None if reference.starts_with('#') => Err(self
                .spec
                .error(at, format!("`$ref: {reference}` points at no schema"))),
            None => Err(self.spec.error(
                at,
                format!("unsupported `$ref: {reference}`: only references within the document (`#/...`) are supported; bundle the document first"),
            )),
        }
    }

    /// `schema` with references followed and `allOf` merged in.
    fn view(&self, schema: &Schema, pointer: &str) -> Result<View, SpecError> {
        let mut current = View {
            schema: schema.clone(),
            pointer: pointer.to_owned(),
            component: None,
        };
        for _ in 0..32 {
            if let Some(reference) = current.schema.reference.clone() {
                let (target, at, name) =
                    self.component(&reference, &format!("{}/$ref", current.pointer))?;
                current = View {
                    schema: target,
                    pointer: at,
                    component: Some(name),
                };
                continue;
            }
            if current.schema.all_of.is_empty() {
                return Ok(current);
            }
            let outer = std::mem::take(&mut current.schema);
            let mut merged: Option<View> = None;
            // Parts that only document (`{description: ...}` beside a
            // `$ref`) leave the other part's type as it is, named.
            let any_typed = outer.all_of.iter().any(says_a_type);
            let parts = outer
                .all_of
                .iter()
                .enumerate()
                .filter(|(_, s)| !any_typed || says_a_type(s));
            for (i, part) in parts {
                let at = format!("{}/allOf/{i}", current.pointer);
                let part = self.view(part, &at)?;
                merged = Some(match merged {
                    None => part,
                    Some(acc) => View {
                        schema: merge_all_of(acc.schema, part.schema),
                        pointer: acc.pointer,
                        component: None,
                    },
                });
            }
            let mut base = merged.unwrap_or(View {
                schema: Schema::default(),
                pointer: current.pointer.clone(),
                component: None,
            });
            // A named schema made of parts (`Dog: allOf: [Pet, ...]`) is
            // still that one named type: one struct, shared, and a cycle
            // through it closes on its name.
            if current.component.is_some() {
                base.component = current.component.clone();
            }
            // What the outer schema says about this use wins.
            if outer.enumeration.is_some() {
                base.schema.enumeration = outer.enumeration.clone();
            }
            if outer.default.is_some() {
                base.schema.default = outer.default.clone();
            }
            base.schema.nullable |= outer.nullable;
            if outer.description.is_some() {
                base.schema.description = outer.description.clone();
            }
            base.schema.extensions.extend(outer.extensions.clone());
            current = base;
        }
        Err(self.spec.error(
            pointer,
            "`$ref` / `allOf` nest more than 32 deep: is there a cycle?",
        ))
    }

    /// The resolved schema at `pointer`, for callers that read attributes
    /// (enum, default) of a parameter's type.
    pub fn resolve(&self, schema: &Schema, pointer: &str) -> Result<Schema, SpecError> {
        Ok(self.view(schema, pointer)?.schema)
    }

    /// The Rust type of `schema` read on `side`. Named types are made in
    /// `module` (or the shared module, for named components).
    pub fn lower(
        &mut self,
        schema: &Schema,
        pointer: &str,
        side: Side,
        hint: &Hint,
        module: &mut Module,
    ) -> Result<TypeRef, SpecError> {
        let view = self.view(schema, pointer)?;
        // Loading refused unknown types; lowering refuses them too rather
        // than lower a guess.
        if let Some(problem) = view.schema.kind.as_ref().and_then(SchemaType::problem) {
            return Err(self.spec.error(&format!("{}/type", view.pointer), problem));
        }
        let mut nullable = view.schema.nullable;
        let base = match (view.component.clone(), only_alternative(&view.schema)) {
            // `oneOf: [{$ref: Pet}, {type: "null"}]`: a nullable `Pet`.
            (_, Some((key, i, alternative))) => {
                nullable |= view.schema.one_of.len() + view.schema.any_of.len() > 1;
                let at = format!("{}/{key}/{i}", view.pointer);
                self.lower(alternative, &at, side, hint, module)?
            }
            (Some(component), None) if is_struct(&view.schema) => {
                match self.polymorphic(&view, side, hint, module)? {
                    Some(union) => union,
                    None => self.shared_struct(&component, &view, side, module)?,
                }
            }
            _ => self.lower_view(&view, side, hint, module)?,
        };
        Ok(match (side, nullable, &base) {
            (
                Side::Response,
                true,
                TypeRef::List(_) | TypeRef::Map(_) | TypeRef::Json | TypeRef::Option(_),
            ) => base,
            (Side::Response, true, _) => TypeRef::Option(Box::new(base)),
            _ => base,
        })
    }

    /// The struct of a named component, made once in the shared module.
    /// `module` is where the current type is being made: the shared module
    /// itself when a shared struct holds another.
    fn shared_struct(
        &mut self,
        component: &str,
        view: &View,
        side: Side,
        module: &mut Module,
    ) -> Result<TypeRef, SpecError> {
        let (found, path) = self.claim_shared(component, side, TypeKind::Struct, module);
        if !found {
            let hint = Hint::new(&path.name);
            let name = Some(path.name.clone());
            self.in_shared(module, |types, shared| {
                types.make_struct(view, side, &hint, name, shared)
            })?;
        }
        Ok(TypeRef::Named(path))
    }

    /// The path of the type of a named component read on `side`, and
    /// whether it was made before: claimed in the shared module (through
    /// `module` when that is the one being made) the first time.
    fn claim_shared(
        &mut self,
        component: &str,
        side: Side,
        kind: TypeKind,
        module: &mut Module,
    ) -> (bool, TypePath) {
        let key = (component.to_owned(), side);
        if let Some(TypeRef::Named(found)) = self.lowered.get(&key) {
            return (true, found.clone());
        }
        let base = naming::camel(component);
        let candidate = match side {
            Side::Response => base,
            Side::Request => format!("{base}Input"),
        };
        let names = if module.name == SHARED_MODULE {
            &mut module.names
        } else {
            &mut self.shared.names
        };
        let name = names.claim(&candidate, &format!("{component}:{side:?}"));
        let path = TypePath {
            module: SHARED_MODULE.to_owned(),
            name,
            kind,
            text: false,
        };
        self.lowered.insert(key, TypeRef::Named(path.clone()));
        (false, path)
    }

    /// Runs `make` on the shared module: `module` itself when a shared
    /// type is being made in it (one shared type holding another).
    fn in_shared<T>(
        &mut self,
        module: &mut Module,
        make: impl FnOnce(&mut Self, &mut Module) -> Result<T, SpecError>,
    ) -> Result<T, SpecError> {
        if module.name == SHARED_MODULE {
            return make(self, module);
        }
        let mut shared = std::mem::replace(&mut self.shared, Module::new(SHARED_MODULE, &[]));
        let result = make(self, &mut shared);
        self.shared = shared;
        result
    }

    fn lower_view(
        &mut self,
        view: &View,
        side: Side,
        hint: &Hint,
        module: &mut Module,
    ) -> Result<TypeRef, SpecError> {
        let s = &view.schema;
        // Each value once: a spec may list one twice (`[a, a]`).
        let mut values: Vec<&Value> = Vec::new();
        for value in s.enumeration.iter().flatten().filter(|v| !v.is_null()) {
            if !values.contains(&value) {
                values.push(value);
            }
        }
        if !values.is_empty() {
            let ints: Vec<i64> = values.iter().filter_map(|v| v.as_i64()).collect();
            let numeric = matches!(
                s.kind.as_ref(),
                Some(SchemaType::Integer | SchemaType::Number)
            );
            if side == Side::Request
                && numeric
                && values.len() == 2
                && ints.contains(&0)
                && ints.contains(&1)
            {
                return Ok(TypeRef::Bool);
            }
            let textual = s.kind.as_ref().is_none_or(|k| *k == SchemaType::String);
            if textual && values.len() > 1 && values.iter().all(|v| v.is_string()) {
                let wires: Vec<String> = values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                // A reply's enum is open: a value a newer server sends
                // is kept, not an error.
                let open = side == Side::Response;
                return Ok(self.make_enum(view, (wires, open), hint, module));
            }
        }
        if !s.one_of.is_empty() || !s.any_of.is_empty() {
            return self.union(view, side, hint, module);
        }
        match s.kind.as_ref() {
            Some(SchemaType::String) => Ok(if is_secret(s) {
                TypeRef::Secret
            } else {
                TypeRef::String
            }),
            Some(SchemaType::Integer) => Ok(
                match s.format.as_deref().and_then(crate::ir::Width::of_format) {
                    Some(width) => TypeRef::Whole(width),
                    None => TypeRef::Integer,
                },
            ),
            Some(SchemaType::Number) => Ok(TypeRef::Number),
            Some(SchemaType::Boolean) => Ok(TypeRef::Bool),
            Some(SchemaType::Array) => {
                let item = match &s.items {
                    Some(items) => self.lower(
                        items,
                        &format!("{}/items", view.pointer),
                        side,
                        hint,
                        module,
                    )?,
                    None => TypeRef::Json,
                };
                Ok(TypeRef::List(Box::new(item)))
            }
            // An unnamed struct that holds itself (through an `allOf` of
            // several parts) is any JSON value where it holds itself.
            Some(SchemaType::Object) | None if !s.properties.is_empty() => {
                if self.making.contains(&view.pointer) {
                    return Ok(TypeRef::Json);
                }
                self.making.push(view.pointer.clone());
                let made = self.make_struct(view, side, hint, None, module);
                self.making.pop();
                made
            }
            Some(SchemaType::Object) | None => match &s.additional_properties {
                Some(AdditionalProperties::Schema(values)) => {
                    let at = format!("{}/additionalProperties", view.pointer);
                    let value = self.lower(values, &at, side, &hint.member("Value"), module)?;
                    Ok(TypeRef::Map(Box::new(value)))
                }
                _ => Ok(TypeRef::Json),
            },
            Some(_) => Ok(TypeRef::Json),
        }
    }

    fn make_struct(
        &mut self,
        view: &View,
        side: Side,
        hint: &Hint,
        fixed_name: Option<String>,
        module: &mut Module,
    ) -> Result<TypeRef, SpecError> {
        let name = match fixed_name {
            Some(name) => name,
            None => module.names.claim(
                &naming::camel(&hint.path),
                &format!("struct {}", view.pointer),
            ),
        };
        let s = &view.schema;
        let reserved: &[&str] = match side {
            Side::Response => &[REST_FIELD],
            Side::Request => &[],
        };
        // A member only the server sends is no member of a request.
        let properties: Vec<(&String, &Schema)> = s
            .properties
            .iter()
            .filter(|(_, p)| side == Side::Response || !p.read_only)
            .collect();
        let names = naming::field_names(properties.iter().map(|(k, _)| k.as_str()), reserved);
        let mut fields = Vec::with_capacity(names.len());
        for ((wire, property), rust) in properties.into_iter().zip(names) {
            let at = format!("{}/properties/{}", view.pointer, escape(wire));
            let ty = self.lower(property, &at, side, &hint.member(wire), module)?;
            let ty = match (side, &ty) {
                (Side::Response, TypeRef::Option(_) | TypeRef::Json | TypeRef::Empty) => ty,
                (Side::Response, _) if !s.required.is_empty() && !s.required.contains(wire) => {
                    TypeRef::Option(Box::new(ty))
                }
                _ => ty,
            };
            // A JSON value sends `null` as itself.
            let nullable = side == Side::Request
                && ty != TypeRef::Json
                && self.view(property, &at)?.schema.nullable;
            fields.push(StructField {
                wire: wire.clone(),
                rust,
                ty,
                description: property.description.clone(),
                required: s.required.contains(wire),
                example: property.example.clone(),
                boxed: false,
                nullable,
            });
        }
        module.types.push(TypeDef::Struct(StructDef {
            name: name.clone(),
            description: s.description.clone(),
            origin: view.pointer.clone(),
            fields,
            role: match side {
                Side::Response => Role::Response,
                Side::Request => Role::Request,
            },
            rest: REST_FIELD.to_owned(),
            text: false,
            shared_by: Vec::new(),
        }));
        Ok(TypeRef::Named(TypePath {
            module: module.name.clone(),
            name,
            kind: TypeKind::Struct,
            text: false,
        }))
    }
}

fn is_struct(s: &Schema) -> bool {
    matches!(s.kind.as_ref(), Some(SchemaType::Object) | None) && !s.properties.is_empty()
}

/// Whether a string holds a secret: `format: password`, or `x-sensitive: true`.
pub fn is_secret(s: &Schema) -> bool {
    s.format.as_deref() == Some("password") || SchemaExtensions::of(s).sensitive
}

/// The one alternative of a `oneOf` or `anyOf` that says a type, when the
/// others say none (`{}`, or `null` alone) and the schema says nothing
/// else of its own: with its keyword and place.
fn only_alternative(s: &Schema) -> Option<(&'static str, usize, &Schema)> {
    let (list, key) = match (s.one_of.is_empty(), s.any_of.is_empty()) {
        (false, true) => (&s.one_of, "oneOf"),
        (true, false) => (&s.any_of, "anyOf"),
        _ => return None,
    };
    if s.kind.is_some() || !s.properties.is_empty() || s.enumeration.is_some() {
        return None;
    }
    let mut typed = list.iter().enumerate().filter(|(_, a)| says_a_type(a));
    match (typed.next(), typed.next()) {
        (Some((i, only)), None) => Some((key, i, only)),
        _ => None,
    }
}

/// Whether `s` says what type a value has, rather than only documenting
/// one.
fn says_a_type(s: &Schema) -> bool {
    s.reference.is_some()
        || s.kind.is_some()
        || !s.properties.is_empty()
        || s.items.is_some()
        || s.enumeration.is_some()
        || s.additional_properties.is_some()
        || !(s.all_of.is_empty() && s.one_of.is_empty() && s.any_of.is_empty())
}

/// Two parts of an `allOf` as one schema: an object with the properties
/// of both, or a value of the one type they give, with what either says
/// of it (a part that only documents, `{description: ...}`, adds its
/// words). Parts of different types can be no one Rust type: any JSON
/// value.
fn merge_all_of(mut a: Schema, b: Schema) -> Schema {
    match (&a.kind, &b.kind) {
        (Some(x), Some(y)) if x != y => {
            return Schema {
                description: a.description.or(b.description),
                ..Schema::default()
            };
        }
        (None, Some(_)) => a.kind = b.kind,
        _ => {}
    }
    if a.kind.is_none() && !a.properties.is_empty() {
        a.kind = Some(SchemaType::Object);
    }
    a.properties.extend(b.properties);
    a.required.extend(b.required);
    a.format = a.format.or(b.format);
    a.title = a.title.or(b.title);
    a.description = a.description.or(b.description);
    a.nullable |= b.nullable;
    a.deprecated |= b.deprecated;
    a.enumeration = a.enumeration.or(b.enumeration);
    a.default = a.default.or(b.default);
    a.items = a.items.or(b.items);
    a.additional_properties = a.additional_properties.or(b.additional_properties);
    a.example = a.example.or(b.example);
    if a.one_of.is_empty() {
        a.one_of = b.one_of;
    }
    if a.any_of.is_empty() {
        a.any_of = b.any_of;
    }
    for (key, value) in b.extensions {
        a.extensions.entry(key).or_insert(value);
    }
    a
}
