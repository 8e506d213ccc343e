//! Which reply types hold text, and so take the text type as a parameter.
//!
//! A reply struct (or union) holding a string, itself or in a type it holds, is
//! generic over how it keeps text (`String` by default, `Cow<'a, str>` to
//! borrow from the reply). Decided once here, for the whole API, so that
//! every use of such a type can say `Name<S>`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Role, TypeDef, TypeRef};

/// Marks every text-holding reply struct and every reference to one.
pub fn mark(api: &mut Api) {
    let text = text_types(api);
    let is_text = |module: &str, name: &str| text.contains(&(module.to_owned(), name.to_owned()));
    for (module, def) in api.type_defs_mut() {
        match def {
            TypeDef::Struct(s) => s.text = is_text(module, &s.name),
            TypeDef::Union(u) => u.text = is_text(module, &u.name),
            TypeDef::Enum(_) | TypeDef::Alias(_) => {}
        }
    }
    for ty in api.type_refs_mut() {
        if let Some(p) = ty.named_mut() {
            p.text = is_text(&p.module, &p.name);
        }
    }
}

/// The (module, name) of every reply struct or union that holds text:
/// those with a string field (or alternative), then, until nothing
/// changes, those holding one of them.
fn text_types(api: &Api) -> BTreeSet<(String, String)> {
    let structs: BTreeMap<(String, String), Vec<&TypeRef>> = api
        .type_defs()
        .filter_map(|(module, def)| match def {
            TypeDef::Struct(s) if s.role == Role::Response => Some((
                (module.to_owned(), s.name.clone()),
                def.type_refs().collect(),
            )),
            TypeDef::Union(u) if u.role == Role::Response => Some((
                (module.to_owned(), u.name.clone()),
                def.type_refs().collect(),
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
    match ty.innermost() {
        TypeRef::String => true,
        TypeRef::Named(p) => text.contains(&(p.module.clone(), p.name.clone())),
        TypeRef::Secret
        | TypeRef::Integer
        | TypeRef::Whole(_)
        | TypeRef::Number
        | TypeRef::Bool
        | TypeRef::Limit
        | TypeRef::Json
        | TypeRef::Empty
        | TypeRef::Bytes => false,
        // `innermost` went through every wrapper.
        TypeRef::List(_) | TypeRef::Map(_) | TypeRef::Option(_) => false,
    }
}
