//! Types that hold themselves, boxed.
//!
//! A struct that holds itself by value, directly (`Node { child: Node }`)
//! or through other structs (`Node { a: A }`, `A { node: Node }`), has no
//! size, and Rust refuses it. A member that closes such a cycle is held in
//! an `Option<Box<_>>` (a value that held itself for ever could not be
//! sent, so the member must end somewhere); lists and maps already hold
//! their items behind a pointer.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, TypeDef, TypePath, TypeRef, Wrapper};

/// A struct, by module and name.
type Key = (String, String);

/// Boxes every struct member that holds, by value, a struct of its own
/// cycle.
pub fn box_cycles(api: &mut Api) {
    let graph = by_value_graph(api);
    let cyclic = in_cycles(&graph);
    if cyclic.is_empty() {
        return;
    }
    for (module, def) in api.type_defs_mut() {
        let TypeDef::Struct(s) = def else { continue };
        let own = (module.to_owned(), s.name.clone());
        let Some(component) = cyclic.get(&own) else {
            continue;
        };
        for field in &mut s.fields {
            if let Some(held) = held_by_value(&field.ty)
                && cyclic.get(&key(held)) == Some(component)
            {
                field.boxed = true;
            }
        }
    }
}

/// Whether a struct still holds itself by value: what rendering must
/// never be given (it would not compile).
pub fn unboxed_cycle(api: &Api) -> Option<String> {
    let graph = by_value_graph(api);
    in_cycles(&graph)
        .keys()
        .next()
        .map(|(module, name)| format!("{module}::{name}"))
}

fn key(path: &TypePath) -> Key {
    (path.module.clone(), path.name.clone())
}

/// The struct a member holds by value: itself or as an option, not in a
/// list or map (which hold their items behind a pointer).
fn held_by_value(ty: &TypeRef) -> Option<&TypePath> {
    match ty.wrapped() {
        Some((Wrapper::Option, inner)) => held_by_value(inner),
        Some((Wrapper::List | Wrapper::Map, _)) => None,
        None => ty.named(),
    }
}

/// For each struct, the structs it holds by value through unboxed members.
fn by_value_graph(api: &Api) -> BTreeMap<Key, BTreeSet<Key>> {
    let mut graph: BTreeMap<Key, BTreeSet<Key>> = BTreeMap::new();
    for (module, def) in api.type_defs() {
        let TypeDef::Struct(s) = def else { continue };
        let edges = graph
            .entry((module.to_owned(), s.name.clone()))
            .or_default();
        for field in s.fields.iter().filter(|f| !f.boxed) {
            if let Some(held) = held_by_value(&field.ty) {
                // An alias names a struct; aliases are made later.
                edges.insert(key(held));
            }
        }
    }
    graph
}

/// The structs on a cycle, each with the number of its strongly connected
/// component (Tarjan's algorithm, iterative).
fn in_cycles(graph: &BTreeMap<Key, BTreeSet<Key>>) -> BTreeMap<Key, usize> {
    let nodes: Vec<&Key> = graph.keys().collect();
    let index_of: BTreeMap<&Key, usize> = nodes.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let edges: Vec<Vec<usize>> = nodes
        .iter()
        .map(|k| {
            graph[*k]
                .iter()
                .filter_map(|to| index_of.get(to).copied())
                .collect()
        })
        .collect();
    let n = nodes.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut component = vec![usize::MAX; n];
    let mut components = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(start, 0usize)];
        index[start] = next_index;
        low[start] = next_index;
        next_index += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if let Some(&to) = edges[node].get(*edge) {
                *edge += 1;
                if index[to] == usize::MAX {
                    index[to] = next_index;
                    low[to] = next_index;
                    next_index += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    work.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(index[to]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = components;
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    let mut sizes = vec![0usize; components];
    for c in &component {
        sizes[*c] += 1;
    }
    (0..n)
        .filter(|&i| sizes[component[i]] > 1 || edges[i].contains(&i))
        .map(|i| (nodes[i].clone(), component[i]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Role, StructDef, StructField, TypeKind};
    use crate::lower::test_ir::{self, field};

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(TypePath {
            module: "g".to_owned(),
            name: name.to_owned(),
            kind: TypeKind::Struct,
            text: false,
        })
    }

    fn reply(name: &str, fields: Vec<StructField>) -> TypeDef {
        TypeDef::Struct(StructDef {
            name: name.to_owned(),
            description: None,
            origin: String::new(),
            fields,
            role: Role::Response,
            rest: "extra".to_owned(),
            text: false,
            shared_by: Vec::new(),
        })
    }

    fn api(types: Vec<TypeDef>) -> Api {
        test_ir::api(vec![test_ir::group("g", types)])
    }

    fn boxed(api: &Api) -> Vec<String> {
        api.groups[0]
            .types
            .iter()
            .filter_map(|d| match d {
                TypeDef::Struct(s) => Some(s),
                _ => None,
            })
            .flat_map(|s| {
                s.fields
                    .iter()
                    .filter(|f| f.boxed)
                    .map(move |f| format!("{}.{}", s.name, f.wire))
            })
            .collect()
    }

    #[test]
    fn members_that_close_a_cycle_are_boxed_and_others_not() {
        let mut api = api(vec![
            reply(
                "Node",
                vec![
                    field("child", named("Node")),
                    field("maybe", TypeRef::Option(Box::new(named("Node")))),
                    field("kids", TypeRef::List(Box::new(named("Node")))),
                    field("a", named("A")),
                    field("leaf", named("Leaf")),
                ],
            ),
            reply("A", vec![field("back", named("Node"))]),
            reply("Leaf", vec![field("name", TypeRef::String)]),
        ]);
        assert!(unboxed_cycle(&api).is_some());
        box_cycles(&mut api);
        assert_eq!(
            boxed(&api),
            ["Node.child", "Node.maybe", "Node.a", "A.back"]
        );
        assert_eq!(unboxed_cycle(&api), None);
    }

    #[test]
    fn types_without_cycles_are_left_alone() {
        let mut api = api(vec![
            reply(
                "Node",
                vec![field("kids", TypeRef::List(Box::new(named("Node"))))],
            ),
            reply("A", vec![field("leaf", named("Leaf"))]),
            reply("Leaf", vec![field("name", TypeRef::String)]),
        ]);
        box_cycles(&mut api);
        assert!(boxed(&api).is_empty());
    }
}
