//! One operation lowered: its parameters, request body and reply, with
//! their names claimed and types resolved.

use serde_json::Value;

use super::types::{Hint, Module, Side, Types};
use whm_wire::{Body, Envelope, Method};

use crate::ir::{Field, Location, Operation, Presence, TypeRef};
use crate::naming;
use crate::spec::extensions::{MemberExtensions, OperationExtensions, Problems, SchemaExtensions};
use crate::spec::openapi::SchemaType;
use crate::spec::openapi::{Operation as SpecOperation, ParameterLocation, Schema};
use crate::spec::tree::escape;
use crate::spec::{Spec, SpecError};

pub(super) struct OpInput<'a> {
    pub(super) at: &'a str,
    pub(super) http: Method,
    pub(super) path: &'a str,
    pub(super) wire_path: Option<&'a str>,
    pub(super) bound: Option<&'a crate::ir::Bound>,
    pub(super) op: &'a SpecOperation,
    pub(super) extensions: OperationExtensions,
    pub(super) request: String,
    pub(super) details_const: String,
    pub(super) method: String,
}

/// A parameter or body field before naming.
pub(super) struct RawField {
    wire: String,
    schema: Schema,
    at: String,
    required: bool,
    description: Option<String>,
    deprecated: bool,
    example: Option<Value>,
    aliases: Vec<String>,
    free_form: bool,
}

pub(super) fn lower_operation(
    spec: &Spec,
    types: &mut Types<'_>,
    module: &mut Module,
    envelope: &Envelope,
    input: OpInput<'_>,
) -> Result<Operation, SpecError> {
    let OpInput {
        at,
        http,
        path,
        wire_path,
        bound,
        op,
        extensions,
        request,
        details_const,
        method,
    } = input;
    // Several operations behind one endpoint (told apart by constant
    // parameters) name it in `x-wire-path`, the operation's or the document's.
    let path = match &extensions.wire_path {
        Some(p) => p.0.as_str(),
        None => wire_path.unwrap_or(path),
    };
    let list = extensions.list.map(|p| p.0);
    let op_envelope = extensions.envelope.clone();
    let mut raw = parameters(spec, at, op)?;
    check_path_template(spec, at, path, &raw)?;
    let body = body_fields(spec, types, at, op, &mut raw)?;
    let op_hint = Hint::new(&request);
    let fields = typed_fields(types, module, raw, &op_hint, bound)?;

    let (data, data_example) = response_data(
        types,
        module,
        op_envelope.as_ref().unwrap_or(envelope),
        at,
        op,
        &op_hint,
    )?;
    let reply_example = op
        .responses
        .iter()
        .find(|(code, _)| code.starts_with('2'))
        .and_then(|(_, r)| r.content.values().find_map(|m| m.example.clone()));
    Ok(Operation {
        id: op.operation_id.clone(),
        method,
        request,
        details_const,
        http_method: http,
        path: path.to_owned(),
        body,
        envelope: op_envelope,
        list,
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated,
        tags: op.tags.clone(),
        fields,
        data,
        data_example,
        reply_example,
    })
}

/// The operation's query parameters, each with where it is (a shared
/// parameter at its component), as fields not in the body.
fn parameters(
    spec: &Spec,
    at: &str,
    op: &SpecOperation,
) -> Result<Vec<(RawField, Location)>, SpecError> {
    let mut raw: Vec<(RawField, Location)> = Vec::new();
    for (i, p) in op.parameters.iter().enumerate() {
        let mut p_at = format!("{at}/parameters/{i}");
        let p = match p {
            crate::spec::openapi::ParameterOrRef::Parameter(p) => p,
            crate::spec::openapi::ParameterOrRef::Ref { reference } => {
                let name = reference.strip_prefix("#/components/parameters/").ok_or_else(|| {
                    spec.error(
                        &format!("{p_at}/$ref"),
                        format!("unsupported `$ref: {reference}`; only `#/components/parameters/<name>` is supported"),
                    )
                })?;
                let shared = spec
                    .document
                    .components
                    .parameters
                    .get(name)
                    .ok_or_else(|| {
                        spec.error(
                            &format!("{p_at}/$ref"),
                            format!("`$ref: {reference}` points at no parameter"),
                        )
                    })?;
                p_at = format!("/components/parameters/{}", escape(name));
                shared
            }
        };
        let mut problems = Problems::default();
        let member = MemberExtensions::read(&p.extensions, &p_at, &mut problems);
        problems
            .into_result(spec)
            .map_err(|e| e.in_parameter(&p.name))?;
        if p.name.trim().is_empty() {
            return Err(spec.error(
                &format!("{p_at}/name"),
                "a parameter needs a `name`: it is what the server reads the value as",
            ));
        }
        let location = match p.location {
            ParameterLocation::Query => Location::Query,
            ParameterLocation::Path => Location::Path,
            other => {
                return Err(spec
                    .error(
                        &format!("{p_at}/in"),
                        format!(
                            "{other:?} parameters are not supported; only query and path parameters"
                        ),
                    )
                    .in_parameter(&p.name));
            }
        };
        let schema = p.schema.as_ref().ok_or_else(|| {
            spec.error(&p_at, "a parameter needs a `schema`")
                .in_parameter(&p.name)
        })?;
        let example = p
            .example
            .clone()
            .or_else(|| p.examples.values().next().map(|e| e.value.clone()));
        let free_form = p.style.as_deref() == Some("form")
            && p.explode != Some(false)
            && schema.kind == Some(SchemaType::Object)
            && schema.properties.is_empty();
        raw.push((
            RawField {
                wire: p.name.clone(),
                schema: schema.clone(),
                at: format!("{p_at}/schema"),
                // A path has every one of its parameters (OpenAPI requires
                // them to say so).
                required: p.required || location == Location::Path,
                description: p.description.clone(),
                deprecated: p.deprecated,
                example,
                aliases: member.aliases,
                free_form,
            },
            location,
        ));
    }
    Ok(raw)
}

/// Every `{name}` of the operation's `path` is one of its path
/// parameters, and every path parameter is in the path: what the one
/// leaves out the other could never send.
fn check_path_template(
    spec: &Spec,
    at: &str,
    path: &str,
    raw: &[(RawField, Location)],
) -> Result<(), SpecError> {
    let declared: Vec<&RawField> = raw
        .iter()
        .filter(|(_, location)| *location == Location::Path)
        .map(|(f, _)| f)
        .collect();
    let named: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    if let Some(missing) = named
        .iter()
        .find(|n| !declared.iter().any(|f| f.wire == **n))
    {
        let item = at.rsplit_once('/').map_or(at, |(item, _)| item);
        return Err(spec.error(
            item,
            format!(
                "the path `{path}` names `{{{missing}}}`, which is no path parameter of the operation: declare it (`in: path`)"
            ),
        ));
    }
    if let Some(stray) = declared.iter().find(|f| !named.contains(&f.wire.as_str())) {
        return Err(spec
            .error(
                stray.at.trim_end_matches("/schema"),
                format!(
                    "the path parameter `{}` is not in the path `{path}`: name it there (`{{{}}}`) or send it another way",
                    stray.wire, stray.wire
                ),
            )
            .in_parameter(&stray.wire));
    }
    Ok(())
}

/// How the request body is sent, its fields added to `raw`.
fn body_fields(
    spec: &Spec,
    types: &Types<'_>,
    at: &str,
    op: &SpecOperation,
    raw: &mut Vec<(RawField, Location)>,
) -> Result<Body, SpecError> {
    let mut body = Body::None;
    if let Some(request_body) = &op.request_body {
        let (content_type, media) = request_body.content.iter().next().ok_or_else(|| {
            spec.error(
                &format!("{at}/requestBody"),
                "a request body needs a `content` entry",
            )
        })?;
        let media_at = format!("{at}/requestBody/content/{}", escape(content_type));
        body = match content_type.as_str() {
            "application/json" => Body::Json,
            "application/x-www-form-urlencoded" | "multipart/form-data" => Body::Form,
            other => {
                return Err(spec.error(
                    &format!("{at}/requestBody/content"),
                    format!("unsupported request body type `{other}`; supported: JSON and forms"),
                ));
            }
        };
        if let Some(schema) = &media.schema {
            let schema_at = format!("{media_at}/schema");
            let resolved = types.resolve(schema, &schema_at)?;
            for (name, property) in &resolved.properties {
                if name.trim().is_empty() {
                    return Err(spec.error(
                        &format!("{schema_at}/properties"),
                        "a request body field needs a name: it is what the server reads the value as",
                    ));
                }
                raw.push((
                    RawField {
                        wire: name.clone(),
                        schema: property.clone(),
                        at: format!("{schema_at}/properties/{}", escape(name)),
                        required: resolved.required.contains(name),
                        description: property.description.clone(),
                        deprecated: property.deprecated,
                        example: property.example.clone(),
                        aliases: SchemaExtensions::of(property).aliases,
                        free_form: false,
                    },
                    Location::Body,
                ));
            }
        }
    }

    Ok(body)
}

/// The fields, named once for the request type (`new` is taken) and typed.
fn typed_fields(
    types: &mut Types<'_>,
    module: &mut Module,
    raw: Vec<(RawField, Location)>,
    op_hint: &Hint,
    bound: Option<&crate::ir::Bound>,
) -> Result<Vec<Field>, SpecError> {
    let names = naming::field_names(raw.iter().map(|(f, _)| f.wire.as_str()), &["new"]);
    let mut fields = Vec::with_capacity(raw.len());
    for ((f, location), rust) in raw.into_iter().zip(names) {
        let resolved = types
            .resolve(&f.schema, &f.at)
            .map_err(|e| e.in_parameter(&f.wire))?;
        let values: Vec<Value> = resolved
            .enumeration
            .iter()
            .flatten()
            .filter(|v| !v.is_null())
            .cloned()
            .collect();
        let presence = match (values.as_slice(), f.required) {
            ([only], true) => Presence::Constant(only.clone()),
            ([only], false) => Presence::Flag(only.clone()),
            (_, true) => Presence::Required,
            (_, false) => Presence::Optional,
        };
        let hint = op_hint.member(&f.wire);
        let ty = match &presence {
            Presence::Constant(_) | Presence::Flag(_) => TypeRef::Bool,
            _ => types
                .lower(&f.schema, &f.at, Side::Request, &hint, module)
                .map_err(|e| e.in_parameter(&f.wire))?,
        };
        fields.push(Field {
            bound: bound.is_some_and(|b| b.wire == f.wire),
            wire: f.wire,
            rust,
            ty,
            presence,
            free_form: f.free_form,
            location,
            description: f.description,
            deprecated: f.deprecated,
            aliases: f.aliases,
            default: resolved.default.clone(),
            example: f.example,
        });
    }

    Ok(fields)
}

/// The payload type: the success response's schema followed along the
/// envelope's payload pointer.
pub(super) fn response_data(
    types: &mut Types<'_>,
    module: &mut Module,
    envelope: &Envelope,
    at: &str,
    op: &SpecOperation,
    op_hint: &Hint,
) -> Result<(TypeRef, Option<Value>), SpecError> {
    let success = op
        .responses
        .iter()
        .find(|(code, _)| code.starts_with('2'))
        .or_else(|| op.responses.iter().find(|(code, _)| *code == "default"));
    let Some((code, response)) = success else {
        return Ok((TypeRef::Empty, None));
    };
    let Some((content_type, media)) = response.content.iter().find(|(ct, _)| ct.contains("json"))
    else {
        return Ok((TypeRef::Empty, None));
    };
    let Some(schema) = &media.schema else {
        return Ok((TypeRef::Json, None));
    };
    let mut pointer = format!(
        "{at}/responses/{code}/content/{}/schema",
        escape(content_type)
    );
    let mut unresolved = schema.clone();
    let mut example = media.example.clone();
    // Each envelope layer in turn; of a layer's payload pointers, the first
    // the schema has.
    let mut layer = Some(envelope);
    while let Some(current_layer) = layer {
        layer = current_layer.inner.as_deref();
        if current_layer.payload.is_empty() {
            continue;
        }
        let mut found = None;
        for payload in current_layer.payload.iter() {
            let mut at = pointer.clone();
            let mut schema = unresolved.clone();
            let mut value = example.clone();
            let mut ok = true;
            for key in whm_wire::pointer::tokens(payload) {
                let key = key.as_ref();
                value = value.and_then(|e| e.get(key).cloned());
                let current = types.resolve(&schema, &at)?;
                match current.properties.get(key) {
                    Some(member) => {
                        at = format!("{at}/properties/{}", escape(key));
                        schema = member.clone();
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                found = Some((at, schema, value));
                break;
            }
        }
        match found {
            Some((at, schema, value)) => {
                pointer = at;
                unresolved = schema;
                example = value;
            }
            None => return Ok((TypeRef::Empty, None)),
        }
    }
    if types.resolve(&unresolved, &pointer)? == Schema::default() {
        return Ok((TypeRef::Json, example));
    }
    let hint = Hint {
        path: format!("{}Data", op_hint.path),
        short: format!("{}Data", op_hint.path),
        prefix: op_hint.path.clone(),
    };
    let data = types.lower(&unresolved, &pointer, Side::Response, &hint, module)?;
    Ok((data, example))
}

#[cfg(test)]
mod path_parameters {
    use crate::ir::{Api, Location, Presence};
    use crate::lower::{Selection, lower};
    use crate::spec::SpecError;

    fn lowered(paths: &str) -> Result<Api, SpecError> {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\nservers: [{{url: 'https://t.example/v1'}}]\npaths:\n{paths}"
        );
        let spec = crate::spec::parse(&text, "t.yaml")?;
        lower(&spec, &Selection::default())
    }

    const PET: &str = "  /pets/{petId}:
    get:
      operationId: show_pet
      parameters:
        - {name: petId, in: path, schema: {type: integer}}
        - {name: fields, in: query, schema: {type: string}}
      responses:
        '200': {description: The pet.}
";

    #[test]
    fn a_path_parameter_is_a_required_field_sent_in_the_path() {
        let api = lowered(PET).unwrap();
        let op = &api.groups[0].operations[0];
        assert_eq!(op.path, "/pets/{petId}");
        let pet = op.fields.iter().find(|f| f.wire == "petId").unwrap();
        // Required though the spec forgot to say so: a path has them all.
        assert_eq!(
            (pet.location, &pet.presence),
            (Location::Path, &Presence::Required)
        );
        let fields = op.fields.iter().find(|f| f.wire == "fields").unwrap();
        assert_eq!(fields.location, Location::Query);
    }

    #[test]
    fn a_path_and_its_parameters_must_agree() {
        let undeclared = PET.replace("{petId}:", "{petId}/{kind}:");
        let e = lowered(&undeclared).unwrap_err();
        assert!(e.message.contains("names `{kind}`"), "{}", e.message);
        assert_eq!(e.pointer.as_deref(), Some("/paths/~1pets~1{petId}~1{kind}"));
        assert_eq!(e.operation.as_deref(), Some("show_pet"));
        let unnamed = PET.replace("/pets/{petId}:", "/pets:");
        let e = lowered(&unnamed).unwrap_err();
        assert!(
            e.message.contains("`petId` is not in the path"),
            "{}",
            e.message
        );
        assert_eq!(e.parameter.as_deref(), Some("petId"));
        assert!(e.position.is_some(), "said where: {e}");
    }
}
