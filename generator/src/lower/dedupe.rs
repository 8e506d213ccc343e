//! Reply structs with the same members, generated once.
//!
//! Many operations answer with the same shape (`{domain, result}` per item
//! of a mass operation, an SSL certificate's fields), and reply schemas
//! inferred from samples make a struct for each. Two reply structs are the
//! same type when they have the same description and the same fields (wire
//! name, Rust name, description and type, a nested struct counting as the
//! same when it is itself the same type). Each such set keeps one
//! definition, and every other name in it becomes an alias of it, so no
//! name a caller uses goes away.
//!
//! A set within one module keeps its definition in that module. A set that
//! spans modules (each a cargo feature) moves its definition to the shared
//! types module, which every feature compiles.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{AliasDef, Api, Role, StructDef, TypeDef, TypeKind, TypePath, TypeRef, Wrapper};
use crate::naming::Namespace;

use super::SHARED_MODULE;

/// A struct, by module and name.
type Key = (String, String);

/// Replaces every reply struct that has the same members as another by an
/// alias of one definition.
pub fn dedupe(api: &mut Api, reserved: &[&str]) {
    let structs = reply_structs(api);
    let canon = canonical(&structs);
    let mut sets: BTreeMap<&Key, Vec<&Key>> = BTreeMap::new();
    for (key, first) in &canon {
        sets.entry(first).or_default().push(key);
    }
    sets.retain(|_, members| members.len() > 1);
    let movable = movable(&structs, &canon, &sets);

    // Where each set's definition goes, and the names that become aliases.
    let mut shared_names = Namespace::with_reserved(
        reserved
            .iter()
            .copied()
            .chain(api.shared.iter().map(TypeDef::name)),
    );
    let mut target_of: BTreeMap<Key, TypePath> = BTreeMap::new();
    let mut moved: BTreeMap<Key, String> = BTreeMap::new();
    for (first, members) in &sets {
        let modules: BTreeSet<&str> = members.iter().map(|(m, _)| m.as_str()).collect();
        if modules.len() > 1 && movable.contains(*first) {
            let name = shared_names.claim(&first.1, &format!("shared {}", first.1));
            let path = path_of(structs[*first], SHARED_MODULE, &name);
            moved.insert((*first).clone(), name);
            for member in members {
                target_of.insert((*member).clone(), path.clone());
            }
        } else {
            // One definition per module: the first of the set there.
            let mut first_in: BTreeMap<&str, &Key> = BTreeMap::new();
            for member in members {
                let first = *first_in.entry(member.0.as_str()).or_insert(member);
                if first != *member {
                    let path = path_of(structs[first], &first.0, &first.1);
                    target_of.insert((*member).clone(), path);
                }
            }
        }
    }
    if target_of.is_empty() {
        return;
    }

    // Definitions moved to the shared module name their fields' types there.
    let redirect = |ty: &mut TypeRef| {
        if let Some(path) = ty.named_mut()
            && let Some(target) = target_of
                .get(&(path.module.clone(), path.name.clone()))
                .filter(|t| t.module == SHARED_MODULE)
        {
            *path = target.clone();
        }
    };
    let mut origins: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    let mut shared_defs = Vec::new();
    let mut replace = |module: &str, defs: &mut Vec<TypeDef>| {
        for def in defs.iter_mut() {
            let TypeDef::Struct(s) = def else { continue };
            let key = (module.to_owned(), s.name.clone());
            let Some(target) = target_of.get(&key) else {
                continue;
            };
            origins
                .entry((target.module.clone(), target.name.clone()))
                .or_default()
                .push(s.origin.clone());
            let alias = TypeDef::Alias(AliasDef {
                name: s.name.clone(),
                origin: s.origin.clone(),
                target: target.clone(),
            });
            let original = std::mem::replace(def, alias);
            if let (Some(name), TypeDef::Struct(mut s)) = (moved.get(&key), original) {
                s.name = name.clone();
                for field in &mut s.fields {
                    redirect(&mut field.ty);
                }
                shared_defs.push(TypeDef::Struct(s));
            }
        }
    };
    for group in &mut api.groups {
        replace(&group.module.clone(), &mut group.types);
    }
    replace(SHARED_MODULE, &mut api.shared);
    api.shared.extend(shared_defs);

    // Each definition says where else its members appear.
    let mut note = |module: &str, defs: &mut Vec<TypeDef>| {
        for def in defs.iter_mut() {
            if let TypeDef::Struct(s) = def
                && let Some(found) = origins.remove(&(module.to_owned(), s.name.clone()))
            {
                s.shared_by = found.into_iter().filter(|o| *o != s.origin).collect();
            }
        }
    };
    for group in &mut api.groups {
        note(&group.module.clone(), &mut group.types);
    }
    note(SHARED_MODULE, &mut api.shared);
}

/// Every reply struct, by module and name.
fn reply_structs(api: &Api) -> BTreeMap<Key, &StructDef> {
    api.type_defs()
        .filter_map(|(module, def)| match def {
            TypeDef::Struct(s) if s.role == Role::Response => {
                Some(((module.to_owned(), s.name.clone()), s))
            }
            _ => None,
        })
        .collect()
}

/// The first struct (by module and name) of each struct's set of equals.
///
/// Starting from every struct on its own, structs whose members are equal,
/// nested structs compared by their set, join one set, until no set
/// changes: nested sets settle first, then those that hold them.
fn canonical(structs: &BTreeMap<Key, &StructDef>) -> BTreeMap<Key, Key> {
    let mut canon: BTreeMap<Key, Key> = structs.keys().map(|k| (k.clone(), k.clone())).collect();
    loop {
        let mut by_shape: BTreeMap<String, &Key> = BTreeMap::new();
        let mut next = BTreeMap::new();
        for (key, s) in structs {
            let first = *by_shape.entry(shape(s, &canon)).or_insert(key);
            next.insert(key.clone(), first.clone());
        }
        if next == canon {
            return canon;
        }
        canon = next;
    }
}

/// What makes two reply structs the same type, as text.
fn shape(s: &StructDef, canon: &BTreeMap<Key, Key>) -> String {
    // Members in any order: a reply is read member by member, by name.
    let mut fields: Vec<String> = s
        .fields
        .iter()
        .map(|f| {
            format!(
                "|{}:{}:{:?}:{}:{}",
                f.wire,
                f.rust,
                f.description,
                f.boxed,
                type_shape(&f.ty, canon)
            )
        })
        .collect();
    fields.sort();
    format!(
        "{}|{:?}|{}{}",
        s.text,
        s.description,
        s.rest,
        fields.concat()
    )
}

fn type_shape(ty: &TypeRef, canon: &BTreeMap<Key, Key>) -> String {
    if let Some((wrapper, inner)) = ty.wrapped() {
        let inner = type_shape(inner, canon);
        return match wrapper {
            Wrapper::List => format!("[{inner}]"),
            Wrapper::Map => format!("{{{inner}}}"),
            Wrapper::Option => format!("?{inner}"),
        };
    }
    match ty.named() {
        Some(path) => {
            let key = (path.module.clone(), path.name.clone());
            let (module, name) = canon.get(&key).unwrap_or(&key);
            format!("{module}::{name}")
        }
        // A scalar is its own shape.
        None => format!("{ty:?}"),
    }
}

/// The sets spanning modules whose definition can move to the shared
/// module: every struct it names must be shared too (or move there),
/// since the shared module cannot name a type of a module behind a
/// feature.
fn movable<'k>(
    structs: &BTreeMap<Key, &StructDef>,
    canon: &BTreeMap<Key, Key>,
    sets: &BTreeMap<&'k Key, Vec<&Key>>,
) -> BTreeSet<&'k Key> {
    let spans = |members: &[&Key]| {
        let first = members.first().map(|k| &k.0);
        members.iter().any(|k| Some(&k.0) != first)
    };
    let mut movable: BTreeSet<&Key> = sets
        .iter()
        .filter(|(_, members)| spans(members))
        .map(|(first, _)| *first)
        .collect();
    loop {
        let stuck: Vec<&Key> = movable
            .iter()
            .copied()
            .filter(|first| {
                let mut ok = true;
                for path in structs[*first].fields.iter().filter_map(|f| f.ty.named()) {
                    let key = (path.module.clone(), path.name.clone());
                    let shared = path.module == SHARED_MODULE;
                    let set = canon.get(&key).unwrap_or(&key);
                    ok &= shared || movable.contains(set);
                }
                !ok
            })
            .collect();
        if stuck.is_empty() {
            return movable;
        }
        for first in stuck {
            movable.remove(first);
        }
    }
}

fn path_of(s: &StructDef, module: &str, name: &str) -> TypePath {
    TypePath {
        module: module.to_owned(),
        name: name.to_owned(),
        kind: TypeKind::Struct,
        text: s.text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::StructField;
    use crate::lower::test_ir::{api, field, group};

    fn reply(name: &str, origin: &str, fields: Vec<StructField>) -> TypeDef {
        TypeDef::Struct(StructDef {
            name: name.to_owned(),
            description: None,
            origin: origin.to_owned(),
            fields,
            role: Role::Response,
            rest: "extra".to_owned(),
            text: true,
            shared_by: Vec::new(),
        })
    }

    fn named(module: &str, name: &str) -> TypeRef {
        TypeRef::Named(TypePath {
            module: module.to_owned(),
            name: name.to_owned(),
            kind: TypeKind::Struct,
            text: true,
        })
    }

    fn kinds(defs: &[TypeDef]) -> Vec<String> {
        defs.iter()
            .map(|d| match d {
                TypeDef::Struct(s) => format!("struct {}", s.name),
                TypeDef::Alias(a) => format!("{} = {}::{}", a.name, a.target.module, a.target.name),
                TypeDef::Enum(e) => format!("enum {}", e.name),
                TypeDef::Union(u) => format!("union {}", u.name),
            })
            .collect()
    }

    #[test]
    fn equal_structs_in_one_module_keep_the_first_definition() {
        let item = || {
            vec![
                field("domain", TypeRef::String),
                field("result", TypeRef::Integer),
            ]
        };
        let mut api = api(vec![group(
            "mail",
            vec![
                reply("BPayload", "/b", item()),
                reply("APayload", "/a", item()),
                reply("COther", "/c", vec![field("domain", TypeRef::String)]),
            ],
        )]);
        dedupe(&mut api, &[]);
        assert_eq!(
            kinds(&api.groups[0].types),
            [
                "BPayload = mail::APayload",
                "struct APayload",
                "struct COther"
            ]
        );
        let TypeDef::Struct(a) = &api.groups[0].types[1] else {
            panic!()
        };
        assert_eq!(a.shared_by, ["/b"]);
    }

    #[test]
    fn nested_structs_compare_by_their_own_sets_and_move_to_the_shared_module() {
        let mut api = api(vec![
            group(
                "dns",
                vec![
                    reply("DnsRow", "/dns/row", vec![field("name", TypeRef::String)]),
                    reply(
                        "DnsData",
                        "/dns",
                        vec![field(
                            "rows",
                            TypeRef::List(Box::new(named("dns", "DnsRow"))),
                        )],
                    ),
                ],
            ),
            group(
                "ssl",
                vec![
                    reply("SslRow", "/ssl/row", vec![field("name", TypeRef::String)]),
                    reply(
                        "SslData",
                        "/ssl",
                        vec![field(
                            "rows",
                            TypeRef::List(Box::new(named("ssl", "SslRow"))),
                        )],
                    ),
                ],
            ),
        ]);
        dedupe(&mut api, &[]);
        assert_eq!(
            kinds(&api.groups[0].types),
            ["DnsRow = types::DnsRow", "DnsData = types::DnsData"]
        );
        assert_eq!(
            kinds(&api.groups[1].types),
            ["SslRow = types::DnsRow", "SslData = types::DnsData"]
        );
        assert_eq!(kinds(&api.shared), ["struct DnsRow", "struct DnsData"]);
        // The moved definition names its nested type where it now is.
        let TypeDef::Struct(data) = &api.shared[1] else {
            panic!()
        };
        assert_eq!(
            data.fields[0].ty,
            TypeRef::List(Box::new(named("types", "DnsRow")))
        );
        assert_eq!(data.shared_by, ["/ssl"]);
    }

    #[test]
    fn members_in_another_order_are_the_same_type() {
        let (a, b) = (field("a", TypeRef::String), field("b", TypeRef::Integer));
        let mut api = api(vec![group(
            "g",
            vec![
                reply("X", "/x", vec![a.clone(), b.clone()]),
                reply("Y", "/y", vec![b, a]),
            ],
        )]);
        dedupe(&mut api, &[]);
        assert_eq!(kinds(&api.groups[0].types), ["struct X", "Y = g::X"]);
    }

    #[test]
    fn a_different_field_or_description_is_another_type() {
        let mut described = field("name", TypeRef::String);
        described.description = Some("The name.".to_owned());
        let mut api = api(vec![group(
            "g",
            vec![
                reply("A", "/a", vec![field("name", TypeRef::String)]),
                reply("B", "/b", vec![described]),
                reply("C", "/c", vec![field("name", TypeRef::Integer)]),
            ],
        )]);
        dedupe(&mut api, &[]);
        assert_eq!(
            kinds(&api.groups[0].types),
            ["struct A", "struct B", "struct C"]
        );
    }

    #[test]
    fn a_set_that_names_a_module_only_type_stays_in_each_module() {
        // `Row`s differ, so each `Data` names a type of its own module: the
        // `Data`s are equal only if their rows are, and they are not.
        let mut api = api(vec![
            group(
                "a",
                vec![
                    reply("ARow", "/a/row", vec![field("x", TypeRef::String)]),
                    reply("AData", "/a", vec![field("row", named("a", "ARow"))]),
                    reply("AData2", "/a2", vec![field("row", named("a", "ARow"))]),
                ],
            ),
            group(
                "b",
                vec![reply("BRow", "/b/row", vec![field("y", TypeRef::String)])],
            ),
        ]);
        dedupe(&mut api, &[]);
        assert_eq!(
            kinds(&api.groups[0].types),
            ["struct ARow", "struct AData", "AData2 = a::AData"]
        );
        assert!(api.shared.is_empty());
    }
}
