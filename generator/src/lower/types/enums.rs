//! Schemas of several shapes (`oneOf`, `anyOf`) as Rust enums of their
//! variants, and enumerated values as enums with an `Other` for the rest.

use super::{Hint, Module, OTHER_VARIANT, Types, View};
use crate::ir::{EnumDef, TypeDef, TypeKind, TypePath, TypeRef, Variant};
use crate::naming::{self, Namespace};
use crate::spec::SpecError;
use crate::spec::extensions::SchemaExtensions;

impl Types<'_> {
    /// `oneOf` / `anyOf`: a string-or-number is a limit, a string-or-list
    /// of strings is a list, alternatives of one kind are that kind, and
    /// anything else is JSON.
    pub(super) fn union(&mut self, view: &View) -> Result<TypeRef, SpecError> {
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
