//! Which reply types hold text, and so take the text type as a parameter.
//!
//! A reply struct holding a string, itself or in a struct it holds, is
//! generic over how it keeps text (`String` by default, `Cow<'a, str>` to
//! borrow from the reply). Decided once here, for the whole API, so that
//! every use of such a type can say `Name<S>`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Role, TypeDef, TypePath, TypeRef};

/// Marks every text-holding reply struct and every reference to one.
pub fn mark(api: &mut Api) {
    let text = text_types(api);
    let is_text = |p: &TypePath| text.contains(&(p.module.clone(), p.name.clone()));
    let mut visit = |ty: &mut TypeRef| set_paths(ty, &is_text);
    for group in &mut api.groups {
        let module = group.module.clone();
        for def in &mut group.types {
            mark_def(def, &module, &text, &mut visit);
        }
        for op in &mut group.operations {
            visit(&mut op.data);
            for field in &mut op.fields {
                visit(&mut field.ty);
            }
        }
    }
    for def in &mut api.shared {
        mark_def(def, super::SHARED_MODULE, &text, &mut visit);
    }
}

fn mark_def(
    def: &mut TypeDef,
    module: &str,
    text: &BTreeSet<(String, String)>,
    visit: &mut impl FnMut(&mut TypeRef),
) {
    if let TypeDef::Struct(s) = def {
        s.text = text.contains(&(module.to_owned(), s.name.clone()));
        for field in &mut s.fields {
            visit(&mut field.ty);
        }
    }
}

/// The (module, name) of every reply struct that holds text: those with a
/// string field, then, until nothing changes, those holding one of them.
fn text_types(api: &Api) -> BTreeSet<(String, String)> {
    let shared = api.shared.iter().map(|d| (super::SHARED_MODULE, d));
    let grouped = api
        .groups
        .iter()
        .flat_map(|g| g.types.iter().map(move |d| (g.module.as_str(), d)));
    let structs: BTreeMap<(String, String), Vec<&TypeRef>> = shared
        .chain(grouped)
        .filter_map(|(module, def)| match def {
            TypeDef::Struct(s) if s.role == Role::Response => Some((
                (module.to_owned(), s.name.clone()),
                s.fields.iter().map(|f| &f.ty).collect(),
            )),
            _ => None,
        })
        .collect();
    let mut text = BTreeSet::new();
    loop {
        let before = text.len();
        for (key, fields) in &structs {
            if !text.contains(key) && fields.iter().any(|ty| holds_text(ty, &text)) {
                text.insert(key.clone());
            }
        }
        if text.len() == before {
            return text;
        }
    }
}

fn holds_text(ty: &TypeRef, text: &BTreeSet<(String, String)>) -> bool {
    match ty {
        TypeRef::String => true,
        TypeRef::Named(p) => text.contains(&(p.module.clone(), p.name.clone())),
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => {
            holds_text(inner, text)
        }
        TypeRef::Secret
        | TypeRef::Integer
        | TypeRef::Number
        | TypeRef::Bool
        | TypeRef::Limit
        | TypeRef::Json
        | TypeRef::Empty => false,
    }
}

fn set_paths(ty: &mut TypeRef, is_text: &impl Fn(&TypePath) -> bool) {
    match ty {
        TypeRef::Named(p) => p.text = is_text(p),
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => {
            set_paths(inner, is_text)
        }
        _ => {}
    }
}
