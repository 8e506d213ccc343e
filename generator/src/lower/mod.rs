//! A loaded spec to the IR: protocol facts, groups, operations and types,
//! every Rust name decided.

mod dedupe;
mod examples;
mod operation;
mod protocol;
mod recursion;
mod selection;
#[cfg(test)]
mod test_ir;
mod text;
mod types;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::ir::{Api, Group, HttpMethod};
use crate::naming::{self, Namespace};
use crate::openapi::Operation as SpecOperation;
use crate::spec::tree::escape;
use crate::spec::{Spec, SpecError};

use operation::{OpInput, lower_operation};
pub use selection::{Selection, closest};
use types::{Module, Types};
pub use types::{OTHER_VARIANT, REST_FIELD, SHARED_MODULE};

/// The type parameter of reply types that hold text.
pub const TEXT_PARAMETER: &str = "S";

/// The type parameter of the client: its transport (async or blocking),
/// in scope in every group's module, where the client's methods are.
pub const TRANSPORT_PARAMETER: &str = "T";

/// Items every generated crate defines itself; generated names avoid them.
pub const RESERVED_TYPES: [&str; 12] = [
    TEXT_PARAMETER,
    TRANSPORT_PARAMETER,
    "Client",
    "ClientOf",
    "Transport",
    "Error",
    "Limit",
    "Secret",
    "Empty",
    "Reply",
    "API",
    "OPERATIONS",
];
/// Methods of the generated client that operations must not take.
pub const RESERVED_METHODS: [&str; 9] = [
    "builder",
    "call",
    "call_raw",
    "runtime",
    "from_runtime",
    "into_runtime",
    "clone",
    "fmt",
    "from_settings",
];
/// Module names taken by the generated crate itself.
pub const RESERVED_MODULES: [&str; 3] = [SHARED_MODULE, "blocking", "client"];

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
    check_keys(
        spec,
        &doc.extensions,
        "",
        &[
            "x-tagGroups",
            "x-envelope",
            "x-fixed-parameters",
            "x-query-as-form",
        ],
    )?;
    let (server_url, base_path, default_base_url) = protocol::server(spec)?;
    let envelope = protocol::envelope(spec)?;
    let bound = bound_parameter(spec)?;
    let wire_path = match doc.extensions.get("x-wire-path") {
        Some(Value::String(path)) if path.starts_with('/') => Some(path.clone()),
        Some(_) => {
            return Err(spec.error(
                "/x-wire-path",
                "`x-wire-path` must be a path starting with `/`",
            ));
        }
        None => None,
    };

    // Tags belong to groups (`x-tagGroups`); a tag in none is a group itself.
    let mut group_of_tag: BTreeMap<String, String> = BTreeMap::new();
    let mut group_descriptions: BTreeMap<String, Option<String>> = BTreeMap::new();
    if let Some(groups) = doc.extensions.get("x-tagGroups") {
        let list = groups.as_array().ok_or_else(|| {
            spec.error(
                "/x-tagGroups",
                "`x-tagGroups` must be a list of {name, tags}",
            )
        })?;
        for (i, group) in list.iter().enumerate() {
            let at = format!("/x-tagGroups/{i}");
            let name = group
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| spec.error(&at, "a tag group needs a `name`"))?;
            for tag in group
                .get("tags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(tag) = tag.as_str() {
                    group_of_tag.insert(tag.to_owned(), name.to_owned());
                }
            }
        }
    }
    for tag in &doc.tags {
        if !group_of_tag.contains_key(&tag.name) {
            group_descriptions.insert(tag.name.clone(), tag.description.clone());
        }
    }

    // Every operation, sorted by path and method, checked for a unique id.
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    let mut by_group: BTreeMap<String, Vec<(String, HttpMethod, String, &SpecOperation)>> =
        BTreeMap::new();
    for (path, item) in &doc.paths {
        let item_at = format!("/paths/{}", escape(path));
        check_keys(spec, &item.extensions, &item_at, &[])?;
        for (method, op) in item.operations() {
            let at = format!("{item_at}/{}", method.to_ascii_lowercase());
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
            let group = match op.tags.first() {
                Some(tag) => group_of_tag
                    .get(tag)
                    .cloned()
                    .unwrap_or_else(|| tag.clone()),
                None => "operations".to_owned(),
            };
            if !selection.selects(&op.operation_id, &op.tags, &group) {
                continue;
            }
            let http = match method {
                "GET" => HttpMethod::Get,
                "POST" => HttpMethod::Post,
                "PUT" => HttpMethod::Put,
                "PATCH" => HttpMethod::Patch,
                _ => HttpMethod::Delete,
            };
            by_group
                .entry(group)
                .or_default()
                .push((at, http, path.clone(), op));
        }
    }
    let known_tags = doc
        .tags
        .iter()
        .map(|t| t.name.as_str())
        .chain(group_of_tag.keys().map(String::as_str))
        .chain(group_of_tag.values().map(String::as_str))
        .chain(
            doc.paths
                .values()
                .flat_map(|item| item.operations())
                .flat_map(|(_, op)| op.tags.iter().map(String::as_str)),
        );
    selection.check_tags(&spec.name, known_tags)?;
    for wanted in &selection.operations {
        if !seen.contains_key(wanted.as_str()) {
            return Err(crate::spec::SpecErrorDetails {
                file: spec.name.clone(),
                position: None,
                pointer: None,
                operation: Some(wanted.clone()),
                parameter: None,
                message: "selected, but the spec has no such operation".to_owned(),
            }
            .into());
        }
    }

    let mut types = Types::new(spec, &RESERVED_TYPES);
    let mut modules = Namespace::with_reserved(RESERVED_MODULES);
    let mut methods = Namespace::with_reserved(RESERVED_METHODS);
    let mut groups = Vec::new();
    for (name, mut ops) in by_group {
        ops.sort_by(|a, b| a.3.operation_id.cmp(&b.3.operation_id));
        let module_name = modules.claim(&naming::snake(&name), &name);
        let mut module = Module::new(&module_name, &RESERVED_TYPES);
        // Request types first, so that operations keep their plain names.
        let requests: Vec<String> = ops
            .iter()
            .map(|(at, _, _, op)| {
                let base = rust_name(spec, at, op)?;
                claim_for_operation(
                    spec,
                    &mut module.names,
                    &naming::camel(&base),
                    (at, op),
                    "request type",
                    collisions,
                )
            })
            .collect::<Result<_, _>>()?;
        let mut operations = Vec::new();
        for ((at, http, path, op), request) in ops.into_iter().zip(requests) {
            let base = rust_name(spec, &at, op)?;
            let method = claim_for_operation(
                spec,
                &mut methods,
                &naming::snake(&base),
                (&at, op),
                "client method",
                collisions,
            )?;
            let operation = lower_operation(
                spec,
                &mut types,
                &mut module,
                &envelope,
                OpInput {
                    at: &at,
                    http,
                    path: &path,
                    wire_path: wire_path.as_deref(),
                    bound: bound.as_ref(),
                    op,
                    request,
                    method,
                },
            )
            .map_err(|e| e.in_operation(&op.operation_id))?;
            operations.push(operation);
        }
        groups.push(Group {
            description: group_descriptions.get(&name).cloned().flatten(),
            name,
            module: module_name,
            operations,
            types: module.types,
        });
    }
    groups.sort_by(|a, b| a.module.cmp(&b.module));

    let mut api = Api {
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        server_url,
        base_path,
        default_base_url,
        envelope,
        fixed_params: protocol::fixed_params(spec)?,
        query_as_form: protocol::query_as_form(spec)?,
        auth: protocol::auth(spec)?,
        output_controls: protocol::output_controls(spec)?,
        batch: protocol::batch(spec)?,
        bound,
        groups,
        shared: types.into_shared(),
    };
    text::mark(&mut api);
    recursion::box_cycles(&mut api);
    examples::fill(&mut api);
    Ok(api)
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
    dedupe::dedupe(api, &RESERVED_TYPES);
}

/// The name an operation's Rust names are made from: its `x-rust-name`,
/// or its operationId.
fn rust_name(spec: &Spec, at: &str, op: &SpecOperation) -> Result<String, SpecError> {
    match op.extensions.get("x-rust-name") {
        None => Ok(op.operation_id.clone()),
        Some(Value::String(name)) if name.chars().any(|c| c.is_ascii_alphanumeric()) => {
            Ok(name.clone())
        }
        Some(_) => Err(spec
            .error(
                &format!("{at}/x-rust-name"),
                "`x-rust-name` must be a name (letters, digits, `_`): what the operation's method and request type are called",
            )
            .in_operation(&op.operation_id)),
    }
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

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// `x-bound-parameter`: a parameter every operation takes from a client
/// view (`{name: cpanel_jsonapi_user, as: user}` gives `client.as_user(..)`).
fn bound_parameter(spec: &Spec) -> Result<Option<crate::ir::Bound>, SpecError> {
    let Some(value) = spec.document.extensions.get("x-bound-parameter") else {
        return Ok(None);
    };
    let field = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| {
                spec.error(
                    &format!("/x-bound-parameter/{key}"),
                    format!("`x-bound-parameter` needs `{key}`"),
                )
            })
    };
    Ok(Some(crate::ir::Bound {
        wire: field("name")?,
        name: naming::snake(&field("as")?),
        lowercase: value
            .get("lowercase")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }))
}

/// Unknown keys of an object that are neither `x-` extensions nor `allowed`.
fn check_keys(
    spec: &Spec,
    extensions: &crate::openapi::Extensions,
    at: &str,
    allowed: &[&str],
) -> Result<(), SpecError> {
    for key in extensions.keys() {
        if !key.starts_with("x-") && !allowed.contains(&key.as_str()) {
            return Err(spec.error(
                &format!("{at}/{}", escape(key)),
                format!("unknown or unsupported key `{key}`; extensions must start with `x-`"),
            ));
        }
    }
    Ok(())
}
