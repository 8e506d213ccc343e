//! Schemas of several shapes (`oneOf`, `anyOf`) as Rust enums of their
//! variants, and enumerated values as enums with an `Other` for the rest.

use super::{Hint, Module, OTHER_VARIANT, Side, Types, View, says_a_type};
use crate::ir::{
    Choice, EnumDef, JsonKind, Role, TypeDef, TypeKind, TypePath, TypeRef, UnionDef, UnionVariant,
    Variant,
};
use crate::naming::{self, Namespace};
use crate::spec::SpecError;
use crate::spec::extensions::SchemaExtensions;
use crate::spec::openapi::{Schema, SchemaType};

/// An alternative of a union, read but not yet lowered.
struct Alternative {
    /// Where it is.
    at: String,
    /// The variant's name.
    name: String,
    /// How a value is known to be this one.
    choice: Choice,
    /// As the union writes it (a `$ref` stays one: the shared type).
    schema: Schema,
    description: Option<String>,
}

impl Types<'_> {
    /// `oneOf` / `anyOf`: a string-or-number is a limit, a string-or-list
    /// of strings is a list, alternatives of one kind are that kind;
    /// alternatives a value can be told apart by (a `discriminator`, or
    /// each of its own JSON kind, or objects each with members the others
    /// lack) are a Rust enum; anything else is JSON.
    pub(super) fn union(
        &mut self,
        view: &View,
        side: Side,
        hint: &Hint,
        module: &mut Module,
    ) -> Result<TypeRef, SpecError> {
        let simple = self.scalar_union(view)?;
        if simple != TypeRef::Json {
            return Ok(simple);
        }
        let Some((alternatives, nullable)) = self.alternatives(view)? else {
            return Ok(TypeRef::Json);
        };
        let ty = self.make_union(view, side, hint, alternatives, module)?;
        Ok(match side == Side::Response && nullable {
            true => TypeRef::Option(Box::new(ty)),
            false => ty,
        })
    }

    /// A named schema with a `discriminator` and no alternatives of its
    /// own, that others extend (`Cat: allOf: [$ref: Pet, ...]`): a value
    /// of it is one of them, told apart by the tag, so it is their union.
    /// `None` when it is no such schema, or its extensions cannot be told
    /// apart (then it is the struct it describes).
    pub(super) fn polymorphic(
        &mut self,
        view: &View,
        side: Side,
        hint: &Hint,
        module: &mut Module,
    ) -> Result<Option<TypeRef>, SpecError> {
        let Some(component) = view.component.as_deref() else {
            return Ok(None);
        };
        let schemas = &self.spec.document.components.schemas;
        // The schema as written: an extension's merged view carries its
        // base's discriminator too, and is no union.
        let Some(written) = schemas.get(component) else {
            return Ok(None);
        };
        let Some(discriminator) = written.discriminator.clone() else {
            return Ok(None);
        };
        if !(written.one_of.is_empty() && written.any_of.is_empty()) {
            return Ok(None);
        }
        let base = format!("#/components/schemas/{component}");
        let extensions: Vec<Schema> = schemas
            .iter()
            .filter(|(_, s)| {
                s.all_of
                    .iter()
                    .any(|part| part.reference.as_deref() == Some(&base))
            })
            .map(|(name, _)| Schema::reference_to(name))
            .collect();
        let union = View {
            schema: Schema {
                one_of: extensions,
                discriminator: Some(discriminator),
                description: written.description.clone(),
                ..Schema::default()
            },
            pointer: view.pointer.clone(),
            component: view.component.clone(),
        };
        match self.alternatives(&union)? {
            Some((alternatives, _)) => {
                let ty = self.make_union(&union, side, hint, alternatives, module)?;
                Ok(Some(ty))
            }
            None => Ok(None),
        }
    }

    /// The alternatives of a union, each with how a value is known to be
    /// it, in the order they are tried, and whether `null` is one of
    /// them; `None` when values cannot be told apart.
    fn alternatives(&self, view: &View) -> Result<Option<(Vec<Alternative>, bool)>, SpecError> {
        let s = &view.schema;
        let (list, key) = if s.one_of.is_empty() {
            (&s.any_of, "anyOf")
        } else {
            (&s.one_of, "oneOf")
        };
        let mut nullable = false;
        let mut read = Vec::new();
        for (i, alternative) in list.iter().enumerate() {
            if !says_a_type(alternative) {
                // `{type: "null"}` (3.1) allows `null`; `{}` allows anything,
                // which the union's `Other` keeps.
                nullable |= alternative.nullable;
                continue;
            }
            let at = format!("{}/{key}/{i}", view.pointer);
            let alt = self.view(alternative, &at)?;
            let Some(kind) = json_kind(&alt.schema) else {
                return Ok(None);
            };
            let name = match (&alt.component, &alt.schema.title) {
                (Some(component), _) => naming::camel(component.rsplit('/').next().unwrap_or("")),
                (None, Some(title)) => naming::camel(title),
                (None, None) => kind.name().to_owned(),
            };
            read.push((at, alternative, alt, kind, name));
        }
        if read.len() < 2 {
            return Ok(None);
        }
        let tagged = s.discriminator.as_ref().and_then(|d| {
            read.iter()
                .map(|(_, written, alt, kind, _)| {
                    let values = tag_values(d, written, &alt.schema, alt.component.as_deref());
                    (*kind == JsonKind::Object && !values.is_empty()).then_some(Choice::Tag(values))
                })
                .collect::<Option<Vec<Choice>>>()
        });
        let choices = match tagged {
            Some(tags) => tags,
            None => match by_shape(&read) {
                Some(choices) => choices,
                None => return Ok(None),
            },
        };
        let mut alternatives: Vec<Alternative> = read
            .into_iter()
            .zip(choices)
            .map(|((at, written, alt, _, name), choice)| Alternative {
                at,
                name,
                choice,
                description: alt.schema.description,
                schema: written.clone(),
            })
            .collect();
        // Tried in order: kinds before objects, objects with more members
        // first (one with none takes any object), a whole number before
        // any number.
        alternatives.sort_by_key(|a| match &a.choice {
            Choice::Tag(_) => (0, 0),
            Choice::Kind(kind) => (*kind as usize, 0),
            Choice::Members(members) => (JsonKind::Object as usize, usize::MAX - members.len()),
        });
        Ok(Some((alternatives, nullable)))
    }

    /// The enum of a union's alternatives: a named component's in the
    /// shared module, once per side.
    fn make_union(
        &mut self,
        view: &View,
        side: Side,
        hint: &Hint,
        alternatives: Vec<Alternative>,
        module: &mut Module,
    ) -> Result<TypeRef, SpecError> {
        let Some(component) = view.component.clone() else {
            let name = module.names.claim(
                &naming::camel(&hint.path),
                &format!("union {}", view.pointer),
            );
            let path = TypePath {
                module: module.name.clone(),
                name,
                kind: TypeKind::Union,
                text: false,
            };
            self.union_into(view, side, &path, alternatives, module)?;
            return Ok(TypeRef::Named(path));
        };
        let (found, path) = self.claim_shared(&component, side, TypeKind::Union, module);
        if found {
            return Ok(TypeRef::Named(path));
        }
        self.in_shared(module, |types, shared| {
            types.union_into(view, side, &path, alternatives, shared)
        })?;
        Ok(TypeRef::Named(path))
    }

    /// Lowers the alternatives into the union `path` names, in `module`.
    fn union_into(
        &mut self,
        view: &View,
        side: Side,
        path: &TypePath,
        alternatives: Vec<Alternative>,
        module: &mut Module,
    ) -> Result<(), SpecError> {
        let reserved: &[&str] = match side {
            Side::Response => &[OTHER_VARIANT],
            Side::Request => &[],
        };
        let mut names = Namespace::with_reserved(reserved.iter().copied());
        let mut variants = Vec::with_capacity(alternatives.len());
        for a in alternatives {
            let rust = names.claim(&a.name, &a.at);
            // Types made for an alternative are named after the union and
            // it (`ShapeCircle`), never after a kind alone (`String`).
            let hint = Hint::new(&format!("{}{rust}", path.name));
            let ty = self.lower(&a.schema, &a.at, side, &hint, module)?;
            // `null` is the union's own: an alternative is its value.
            let ty = match ty {
                TypeRef::Option(inner) => *inner,
                ty => ty,
            };
            variants.push(UnionVariant {
                rust,
                ty,
                choice: a.choice,
                description: a.description,
            });
        }
        module.types.push(TypeDef::Union(UnionDef {
            name: path.name.clone(),
            description: view.schema.description.clone(),
            origin: view.pointer.clone(),
            role: match side {
                Side::Response => Role::Response,
                Side::Request => Role::Request,
            },
            tag: view
                .schema
                .discriminator
                .as_ref()
                .filter(|_| variants.iter().all(|v| matches!(v.choice, Choice::Tag(_))))
                .map(|d| d.property_name.clone()),
            variants,
            text: false,
        }));
        Ok(())
    }

    /// `oneOf` / `anyOf` of scalars: a string-or-number is a limit, a
    /// string-or-list of strings is a list, alternatives of one kind are
    /// that kind, and anything else is JSON.
    fn scalar_union(&mut self, view: &View) -> Result<TypeRef, SpecError> {
        let s = &view.schema;
        let (list, key) = if s.one_of.is_empty() {
            (&s.any_of, "anyOf")
        } else {
            (&s.one_of, "oneOf")
        };
        let mut kinds: Vec<String> = Vec::new();
        let mut item_kinds: Vec<String> = Vec::new();
        for (i, alternative) in list.iter().enumerate() {
            let at = format!("{}/{key}/{i}", view.pointer);
            let alt = self.view(alternative, &at)?.schema;
            let kind = match alt.kind.as_ref() {
                // `{}` (anything) narrows nothing.
                None if alt.properties.is_empty()
                    && alt.one_of.is_empty()
                    && alt.any_of.is_empty() =>
                {
                    continue;
                }
                None => "object".to_owned(),
                Some(k) => match k.problem() {
                    Some(problem) => return Err(self.spec.error(&format!("{at}/type"), problem)),
                    None => k.as_str().to_owned(),
                },
            };
            if kind == "array" {
                item_kinds.push(
                    alt.items
                        .and_then(|i| i.kind)
                        .map(|k| k.as_str().to_owned())
                        .unwrap_or_default(),
                );
            }
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        kinds.sort();
        let is = |set: &[&str]| kinds == set;
        Ok(
            if is(&["integer", "string"])
                || is(&["number", "string"])
                || is(&["integer", "number", "string"])
            {
                TypeRef::Limit
            } else if is(&["array", "string"]) && item_kinds.iter().all(|k| k == "string") {
                TypeRef::List(Box::new(TypeRef::String))
            } else if is(&["string"]) {
                TypeRef::String
            } else if is(&["integer"]) {
                TypeRef::Integer
            } else if is(&["integer", "number"]) || is(&["number"]) {
                TypeRef::Number
            } else if is(&["boolean"]) {
                TypeRef::Bool
            } else {
                TypeRef::Json
            },
        )
    }

    pub(super) fn make_enum(
        &mut self,
        view: &View,
        (wires, open): (Vec<String>, bool),
        hint: &Hint,
        module: &mut Module,
    ) -> TypeRef {
        // The same name with the same values is the same type; with other
        // values, it is another type under the longer name.
        let reuse = |name: &str, module: &Module| {
            module
                .enums
                .get(name)
                .is_some_and(|(w, o)| *w == wires && *o == open)
        };
        let name = if reuse(&hint.short, module) {
            hint.short.clone()
        } else if reuse(&hint.path, module) {
            hint.path.clone()
        } else {
            let preferred = if module.names.is_taken(&hint.short) {
                &hint.path
            } else {
                &hint.short
            };
            let name = module
                .names
                .claim(preferred, &format!("enum {}", view.pointer));
            let descriptions = SchemaExtensions::of(&view.schema).enum_descriptions;
            // An open enum's own variant for values it does not list.
            let mut names = if open {
                Namespace::with_reserved([OTHER_VARIANT])
            } else {
                Namespace::default()
            };
            let variants = wires
                .iter()
                .enumerate()
                .map(|(i, wire)| Variant {
                    rust: names.claim(&naming::camel(wire), wire),
                    wire: wire.clone(),
                    description: descriptions
                        .get(i)
                        .map(String::as_str)
                        .filter(|d| !d.is_empty())
                        .map(str::to_owned),
                })
                .collect();
            module.types.push(TypeDef::Enum(EnumDef {
                name: name.clone(),
                description: None,
                variants,
                open,
            }));
            module.enums.insert(name.clone(), (wires.clone(), open));
            name
        };
        TypeRef::Named(TypePath {
            module: module.name.clone(),
            name,
            kind: TypeKind::Enum,
            text: false,
        })
    }
}

/// The kind of JSON value a schema describes, when it is one.
fn json_kind(s: &Schema) -> Option<JsonKind> {
    if !(s.one_of.is_empty() && s.any_of.is_empty()) {
        return None;
    }
    match s.kind.as_ref() {
        Some(SchemaType::String) => Some(JsonKind::String),
        Some(SchemaType::Integer) => Some(JsonKind::Integer),
        Some(SchemaType::Number) => Some(JsonKind::Number),
        Some(SchemaType::Boolean) => Some(JsonKind::Bool),
        Some(SchemaType::Array) => Some(JsonKind::List),
        Some(SchemaType::Object) => Some(JsonKind::Object),
        Some(SchemaType::Unknown(_)) => None,
        None if !s.properties.is_empty() || s.additional_properties.is_some() => {
            Some(JsonKind::Object)
        }
        None => {
            let values = s.enumeration.as_deref().unwrap_or_default();
            (!values.is_empty() && values.iter().all(|v| v.is_string())).then_some(JsonKind::String)
        }
    }
}

/// The values of a discriminator's member that choose an alternative
/// (`written`, as the union writes it; `schema`, resolved; `component`,
/// the name it refers to): those its mapping gives it, else the one value
/// its own member allows, else its component's name.
fn tag_values(
    d: &crate::spec::openapi::Discriminator,
    written: &Schema,
    schema: &Schema,
    component: Option<&str>,
) -> Vec<String> {
    let reference = written.reference.as_deref();
    let mapped: Vec<String> = d
        .mapping
        .iter()
        .filter(|(_, target)| {
            Some(target.as_str()) == reference
                || component
                    .is_some_and(|c| target.as_str() == c || target.rsplit('/').next() == Some(c))
        })
        .map(|(value, _)| value.clone())
        .collect();
    if !mapped.is_empty() {
        return mapped;
    }
    let own = schema
        .properties
        .get(&d.property_name)
        .and_then(|p| p.enumeration.as_deref())
        .and_then(|values| match values {
            [serde_json::Value::String(only)] => Some(only.clone()),
            _ => None,
        });
    own.or_else(|| component.map(|c| c.rsplit('/').next().unwrap_or(c).to_owned()))
        .into_iter()
        .collect()
}

/// How values tell apart alternatives without a tag, when they can: each
/// of a kind of its own, a whole number and a number allowed together,
/// and objects by the members each requires (no two requiring the same,
/// at most one requiring none).
fn by_shape(read: &[(String, &Schema, View, JsonKind, String)]) -> Option<Vec<Choice>> {
    let objects = read.iter().filter(|r| r.3 == JsonKind::Object).count();
    let mut seen_kinds = Vec::new();
    let mut seen_members: Vec<Vec<String>> = Vec::new();
    let mut choices = Vec::with_capacity(read.len());
    for (_, _, alt, kind, _) in read {
        let choice = match kind {
            JsonKind::Object if objects > 1 => {
                let mut members = alt.schema.required.clone();
                members.sort();
                members.dedup();
                if seen_members.contains(&members) {
                    return None;
                }
                seen_members.push(members.clone());
                Choice::Members(members)
            }
            kind => {
                if seen_kinds.contains(kind) {
                    return None;
                }
                seen_kinds.push(*kind);
                Choice::Kind(*kind)
            }
        };
        choices.push(choice);
    }
    Some(choices)
}
