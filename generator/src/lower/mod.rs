//! A loaded spec to the IR: protocol facts, groups, operations and types,
//! every Rust name decided.

#[cfg(test)]
mod any_openapi;
mod dedupe;
mod examples;
mod operation;
mod recursion;
mod selection;
#[cfg(test)]
mod test_ir;
mod text;
mod types;
mod wire;

use std::collections::BTreeMap;

use whm_wire::{Envelope, Method};

use crate::ir::{Api, Bound, Group, Operation, own};
use crate::naming::{self, CrateNames, Namespace};
use crate::spec::extensions::{DocumentExtensions, OperationExtensions, Problems};
use crate::spec::openapi::Operation as SpecOperation;
use crate::spec::tree::escape;
use crate::spec::{Spec, SpecError};

use operation::{OpInput, lower_operation};
pub use selection::{Selection, closest};
use types::{Module, Types};
pub use types::{OTHER_VARIANT, REST_FIELD, SHARED_MODULE};

/// What to do when two operations' names give one Rust name (`op_a` and
/// `OpA`, both the method `op_a`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Collisions {
    /// An error naming both operations: a newer spec adding an operation
    /// must not rename an existing method.
    #[default]
    Refuse,
    /// The operation whose operationId sorts later (byte order, within its
    /// group) gets a numbered name (`op_a_2`, `OpA2`).
    Rename,
}

/// Lowers `spec`, generating the operations `selection` picks; operation
/// names that collide are an error.
pub fn lower(spec: &Spec, selection: &Selection) -> Result<Api, SpecError> {
    lower_with(spec, selection, Collisions::Refuse)
}

/// [`lower`], with colliding operation names settled as `collisions` says.
pub fn lower_with(
    spec: &Spec,
    selection: &Selection,
    collisions: Collisions,
) -> Result<Api, SpecError> {
    let doc = &spec.document;
    let mut problems = Problems::default();
    let extensions = DocumentExtensions::read(&doc.extensions, &mut problems);
    problems.into_result(spec)?;
    let mut warnings = Vec::new();
    let (wire, server_url) = wire::api_spec(spec, &extensions, &mut warnings)?;
    // Every name the crate defines outside its types, claimed in one place.
    let mut names = CrateNames::default();
    let bound = extensions.bound_parameter.as_ref().map(|b| {
        let view = names.view(&b.view);
        Bound {
            wire: b.name.clone(),
            name: view.name,
            method: view.method,
            view: view.ty,
            lowercase: b.lowercase,
        }
    });
    let tags = TagGroups::of(doc, &extensions);
    let (by_group, seen) = operations_by_group(spec, selection, &tags)?;
    check_selection(spec, selection, &tags, &seen)?;

    let context = Context {
        spec,
        envelope: &wire.envelope,
        wire_path: extensions.wire_path.as_ref().map(|p| p.0.as_str()),
        bound: bound.as_ref(),
        collisions,
    };
    let mut types = Types::new(spec, &own::SHARED_TYPES);
    let mut groups = Vec::new();
    for (name, ops) in by_group {
        let (module_name, feature) = names.group(&name);
        let mut module = Module::new(&module_name, &own::MODULE_TYPES);
        let operations = lower_group(
            &context,
            &mut types,
            &mut module,
            &mut names.methods,
            ops,
            &mut warnings,
        )?;
        groups.push(Group {
            description: tags.descriptions.get(&name).cloned().flatten(),
            name,
            module: module_name,
            feature,
            operations,
            types: module.types,
        });
    }
    groups.sort_by(|a, b| a.module.cmp(&b.module));
    // A view that no generated operation is called on would be an empty
    // type with a method that makes it: there is none.
    let takes_bound = |op: &Operation| op.fields.iter().any(|f| f.bound);
    let bound = bound.filter(|_| groups.iter().flat_map(|g| &g.operations).any(takes_bound));

    let mut api = Api {
        wire,
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        server_url,
        server_defaults: doc
            .servers
            .first()
            .map(|s| {
                let defaults = s.variables.iter();
                defaults
                    .map(|(k, v)| (k.clone(), v.default.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        bound,
        groups,
        shared: types.into_shared(),
        warnings,
    };
    text::mark(&mut api);
    recursion::box_cycles(&mut api);
    examples::fill(&mut api);
    Ok(api)
}

/// What lowering every operation shares.
struct Context<'a> {
    spec: &'a Spec,
    /// The document's envelope.
    envelope: &'a Envelope,
    /// The document's `x-wire-path`.
    wire_path: Option<&'a str>,
    bound: Option<&'a Bound>,
    collisions: Collisions,
}

/// Tags belong to groups (`x-tagGroups`); a tag in none is a group itself.
struct TagGroups {
    group_of_tag: BTreeMap<String, String>,
    /// The description of each group that is a tag.
    descriptions: BTreeMap<String, Option<String>>,
}

impl TagGroups {
    fn of(doc: &crate::spec::openapi::OpenApi, extensions: &DocumentExtensions) -> Self {
        let group_of_tag: BTreeMap<String, String> = extensions
            .tag_groups
            .iter()
            .flat_map(|g| g.tags.iter().map(|t| (t.clone(), g.name.clone())))
            .collect();
        let descriptions = doc
            .tags
            .iter()
            .filter(|tag| !group_of_tag.contains_key(&tag.name))
            .map(|tag| (tag.name.clone(), tag.description.clone()))
            .collect();
        TagGroups {
            group_of_tag,
            descriptions,
        }
    }

    /// The group of an operation with `tags`.
    fn group(&self, tags: &[String]) -> String {
        match tags.first() {
            Some(tag) => self.group_of_tag.get(tag).unwrap_or(tag).clone(),
            None => "operations".to_owned(),
        }
    }
}

/// An operation found in the document: where, its HTTP method, its path.
type Found<'s> = (String, Method, String, &'s SpecOperation);

/// Every selected operation, by group, sorted by path and method; and
/// every operationId with where it is (each checked to be unique).
#[allow(clippy::type_complexity)]
fn operations_by_group<'s>(
    spec: &'s Spec,
    selection: &Selection,
    tags: &TagGroups,
) -> Result<(BTreeMap<String, Vec<Found<'s>>>, BTreeMap<&'s str, String>), SpecError> {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    let mut by_group: BTreeMap<String, Vec<Found<'s>>> = BTreeMap::new();
    for (path, item) in &spec.document.paths {
        let item_at = format!("/paths/{}", escape(path));
        for (method, op) in item.operations() {
            let at = format!("{item_at}/{}", method.as_str().to_ascii_lowercase());
            if op.operation_id.is_empty() {
                return Err(spec.error(
                    &at,
                    "an operation needs an `operationId`: it names the method and types",
                ));
            }
            if let Some(first) = seen.insert(&op.operation_id, at.clone()) {
                return Err(spec
                    .error(
                        &format!("{at}/operationId"),
                        format!("duplicate operationId (first at {first})"),
                    )
                    .in_operation(&op.operation_id));
            }
            let group = tags.group(&op.tags);
            if !selection.selects(&op.operation_id, &op.tags, &group) {
                continue;
            }
            by_group
                .entry(group)
                .or_default()
                .push((at, method, path.clone(), op));
        }
    }
    Ok((by_group, seen))
}

/// The tags and operations `selection` names are the spec's.
fn check_selection(
    spec: &Spec,
    selection: &Selection,
    tags: &TagGroups,
    seen: &BTreeMap<&str, String>,
) -> Result<(), SpecError> {
    let doc = &spec.document;
    let known_tags = doc
        .tags
        .iter()
        .map(|t| t.name.as_str())
        .chain(tags.group_of_tag.keys().map(String::as_str))
        .chain(tags.group_of_tag.values().map(String::as_str))
        .chain(
            doc.paths
                .values()
                .flat_map(|item| item.operations())
                .flat_map(|(_, op)| op.tags.iter().map(String::as_str)),
        );
    selection.check_tags(&spec.name, known_tags)?;
    match selection
        .operations
        .iter()
        .find(|wanted| !seen.contains_key(wanted.as_str()))
    {
        Some(wanted) => Err(crate::spec::SpecErrorDetails {
            file: spec.name.clone(),
            position: None,
            pointer: None,
            operation: Some(wanted.clone()),
            parameter: None,
            message: "selected, but the spec has no such operation".to_owned(),
        }
        .into()),
        None => Ok(()),
    }
}

/// One group's operations, in operationId order: request types named
/// first, so that operations keep their plain names.
fn lower_group(
    context: &Context<'_>,
    types: &mut Types<'_>,
    module: &mut Module,
    methods: &mut Namespace,
    mut ops: Vec<Found<'_>>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Operation>, SpecError> {
    let spec = context.spec;
    ops.sort_by(|a, b| a.3.operation_id.cmp(&b.3.operation_id));
    let mut named = Vec::with_capacity(ops.len());
    for (at, http, path, op) in ops {
        let unsendable =
            operation::unsendable(spec, &at, op).map_err(|e| e.in_operation(&op.operation_id))?;
        if let Some(why) = unsendable {
            let text = format!("left out: {why}");
            warnings.push(
                spec.error(&at, text)
                    .in_operation(&op.operation_id)
                    .to_string(),
            );
            continue;
        }
        let mut problems = Problems::default();
        let extensions = OperationExtensions::read(&op.extensions, &at, &mut problems);
        problems
            .into_result(spec)
            .map_err(|e| e.in_operation(&op.operation_id))?;
        let base = match &extensions.rust_name {
            Some(name) => name.0.clone(),
            None => op.operation_id.clone(),
        };
        let request = claim_for_operation(
            spec,
            &mut module.names,
            &naming::camel(&base),
            (&at, op),
            "request type",
            context.collisions,
        )?;
        named.push((at, http, path, op, extensions, base, request));
    }
    // The details' constants live in a module of their own.
    let mut details = Namespace::default();
    let mut operations = Vec::new();
    for (at, http, path, op, extensions, base, request) in named {
        let details_const = details.claim(&naming::screaming(&request), &op.operation_id);
        let method = claim_for_operation(
            spec,
            methods,
            &naming::snake(&base),
            (&at, op),
            "client method",
            context.collisions,
        )?;
        let operation = lower_operation(
            spec,
            types,
            module,
            context.envelope,
            OpInput {
                at: &at,
                http,
                path: &path,
                wire_path: context.wire_path,
                bound: context.bound,
                op,
                extensions,
                request,
                details_const,
                method,
            },
        )
        .map_err(|e| e.in_operation(&op.operation_id))?;
        operations.push(operation);
    }
    Ok(operations)
}

/// A struct that still holds itself by value (a bug: lowering boxes such
/// members), which would give a crate that does not compile.
pub fn unboxed_cycle(api: &Api) -> Option<String> {
    recursion::unboxed_cycle(api)
}

/// Makes reply structs with the same members one type, every other name of
/// it an alias: what a crate compiles, not what it exposes. Two reply
/// structs are the same type when their descriptions and fields (wire and
/// Rust names, descriptions, types, nested structs compared the same way)
/// are; a set within one module keeps its definition there, a set spanning
/// modules moves it to the shared types module. Run after taking the API's
/// surface, which names each type as the spec does.
pub fn share_equal_types(api: &mut Api) {
    dedupe::dedupe(api, &own::SHARED_TYPES);
}

/// Claims `candidate` for the operation at `at`; when another operation
/// has it, an error naming both (or a suffixed name, if renames are allowed).
fn claim_for_operation(
    spec: &Spec,
    names: &mut Namespace,
    candidate: &str,
    (at, op): (&str, &SpecOperation),
    what: &str,
    collisions: Collisions,
) -> Result<String, SpecError> {
    if collisions == Collisions::Refuse
        && let Some(other) = names.owner_of(candidate)
        && !other.is_empty()
        && other != op.operation_id
    {
        let plain = candidate.trim_start_matches("r#");
        let renamed = names.first_free(candidate);
        return Err(spec
            .error(
                at,
                format!(
                    "operations `{other}` and `{}` both make the {what} `{plain}`; give one of them its own name with `x-rust-name: <name>` on the operation, or let the second be called `{renamed}` (`Config::allow_renames(true)`, `generate --allow-renames`)",
                    op.operation_id
                ),
            )
            .in_operation(&op.operation_id));
    }
    Ok(names.claim(candidate, &op.operation_id))
}
