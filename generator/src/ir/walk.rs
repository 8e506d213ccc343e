//! The one walk of the IR's types that every pass uses: what a type wraps,
//! what it names, and every type definition and reference of an API. Each
//! match here names every kind of type, so that a new kind is a compile
//! error here, and nowhere is one skipped without a word.

use super::{Api, SHARED_MODULE, TypeDef, TypePath, TypeRef};

/// How a type holds the one it wraps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrapper {
    /// A list's items.
    List,
    /// A map's values.
    Map,
    /// An option's value.
    Option,
}

impl TypeRef {
    /// The type this one wraps, and how; `None` for a scalar or a
    /// generated type.
    pub fn wrapped(&self) -> Option<(Wrapper, &TypeRef)> {
        match self {
            TypeRef::List(inner) => Some((Wrapper::List, inner)),
            TypeRef::Map(inner) => Some((Wrapper::Map, inner)),
            TypeRef::Option(inner) => Some((Wrapper::Option, inner)),
            TypeRef::String
            | TypeRef::Secret
            | TypeRef::Integer
            | TypeRef::Whole(_)
            | TypeRef::Number
            | TypeRef::Bool
            | TypeRef::Limit
            | TypeRef::Json
            | TypeRef::Empty
            | TypeRef::Bytes
            | TypeRef::Named(_) => None,
        }
    }

    /// [`wrapped`](Self::wrapped), to change it.
    pub fn wrapped_mut(&mut self) -> Option<&mut TypeRef> {
        match self {
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => Some(inner),
            TypeRef::String
            | TypeRef::Secret
            | TypeRef::Integer
            | TypeRef::Whole(_)
            | TypeRef::Number
            | TypeRef::Bool
            | TypeRef::Limit
            | TypeRef::Json
            | TypeRef::Empty
            | TypeRef::Bytes
            | TypeRef::Named(_) => None,
        }
    }

    /// The type under every wrapper (`String` of `Option<Vec<String>>`).
    pub fn innermost(&self) -> &TypeRef {
        match self.wrapped() {
            Some((_, inner)) => inner.innermost(),
            None => self,
        }
    }

    /// The generated type it names, itself or through its wrappers.
    pub fn named(&self) -> Option<&TypePath> {
        match self.innermost() {
            TypeRef::Named(path) => Some(path),
            _ => None,
        }
    }

    /// Whether it is an object of members: a generated struct or union,
    /// itself or optional (not in a list or map). Among `name=value`
    /// pairs such a value is sent as its members, as OpenAPI's styles
    /// send an object.
    pub fn is_object(&self) -> bool {
        let bare = match self {
            TypeRef::Option(inner) => inner,
            ty => ty,
        };
        matches!(bare, TypeRef::Named(p) if p.kind != super::TypeKind::Enum)
    }

    /// [`named`](Self::named), to change it.
    pub fn named_mut(&mut self) -> Option<&mut TypePath> {
        if let TypeRef::Named(path) = self {
            return Some(path);
        }
        self.wrapped_mut()?.named_mut()
    }
}

impl TypeDef {
    /// The type references it holds: a struct's fields' types, a
    /// union's alternatives.
    pub fn type_refs_mut(&mut self) -> Box<dyn Iterator<Item = &mut TypeRef> + '_> {
        match self {
            TypeDef::Struct(s) => Box::new(s.fields.iter_mut().map(|f| &mut f.ty)),
            TypeDef::Union(u) => Box::new(u.variants.iter_mut().map(|v| &mut v.ty)),
            // An enum holds wire strings; an alias names a struct by path.
            TypeDef::Enum(_) | TypeDef::Alias(_) => Box::new(std::iter::empty()),
        }
    }

    /// The type references it holds, to read.
    pub fn type_refs(&self) -> Box<dyn Iterator<Item = &TypeRef> + '_> {
        match self {
            TypeDef::Struct(s) => Box::new(s.fields.iter().map(|f| &f.ty)),
            TypeDef::Union(u) => Box::new(u.variants.iter().map(|v| &v.ty)),
            TypeDef::Enum(_) | TypeDef::Alias(_) => Box::new(std::iter::empty()),
        }
    }
}

impl Api {
    /// Every type definition, with the module it is in: each group's, in
    /// order, then the shared ones.
    pub fn type_defs(&self) -> impl Iterator<Item = (&str, &TypeDef)> {
        let grouped = self
            .groups
            .iter()
            .flat_map(|g| g.types.iter().map(move |d| (g.module.as_str(), d)));
        grouped.chain(self.shared.iter().map(|d| (SHARED_MODULE, d)))
    }

    /// [`type_defs`](Self::type_defs), to change them.
    pub fn type_defs_mut(&mut self) -> impl Iterator<Item = (&str, &mut TypeDef)> {
        let grouped = self.groups.iter_mut().flat_map(|g| {
            let (module, types) = (g.module.as_str(), &mut g.types);
            types.iter_mut().map(move |d| (module, d))
        });
        grouped.chain(self.shared.iter_mut().map(|d| (SHARED_MODULE, d)))
    }

    /// Every type reference of the API, to change: each group's
    /// operations' parameters, payloads and failure bodies and its types'
    /// fields, then the shared types'.
    pub fn type_refs_mut(&mut self) -> impl Iterator<Item = &mut TypeRef> {
        let mut refs = Vec::new();
        for group in &mut self.groups {
            for op in &mut group.operations {
                refs.extend(op.fields.iter_mut().map(|f| &mut f.ty));
                refs.push(&mut op.data);
                refs.extend(op.failures.iter_mut().map(|f| &mut f.ty));
            }
            refs.extend(group.types.iter_mut().flat_map(TypeDef::type_refs_mut));
        }
        refs.extend(self.shared.iter_mut().flat_map(TypeDef::type_refs_mut));
        refs.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::TypeKind;

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(TypePath {
            module: "m".into(),
            name: name.into(),
            kind: TypeKind::Struct,
            text: false,
        })
    }

    #[test]
    fn a_named_type_is_found_through_every_wrapper() {
        let deep = TypeRef::Option(Box::new(TypeRef::List(Box::new(TypeRef::Map(Box::new(
            named("Row"),
        ))))));
        assert_eq!(deep.named().map(|p| p.name.as_str()), Some("Row"));
        assert_eq!(deep.wrapped().map(|(w, _)| w), Some(Wrapper::Option));
        assert_eq!(TypeRef::Limit.named(), None);
        let mut deep = deep;
        deep.named_mut().unwrap().name = "Other".into();
        assert_eq!(deep.innermost(), &named("Other"));
    }
}
