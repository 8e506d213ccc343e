//! One operation lowered: its parameters, request body and reply, with
//! their names claimed and types resolved.

use std::borrow::Cow;

use serde_json::Value;

use super::types::{Hint, Module, Side, Types};
use whm_wire::{Body, Envelope, Media, Method};

use crate::ir::{Failure, Field, Location, Operation, Presence, Statuses, Style, TypeRef};
use crate::naming;
use crate::spec::extensions::{MemberExtensions, OperationExtensions, Problems, SchemaExtensions};
use crate::spec::openapi::SchemaType;
use crate::spec::openapi::{
    MediaType, Operation as SpecOperation, Parameter, ParameterLocation, ParameterOrRef,
    RequestBody, Response, Schema,
};
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
    /// A type of its own rather than its schema's: a body of bytes is
    /// bytes or text whatever its schema says.
    own_type: Option<TypeRef>,
    /// How a list or map is written, as the parameter's `style` says.
    style: Style,
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
    let input_path = path;
    let path = match &extensions.wire_path {
        Some(p) => p.0.as_str(),
        None => wire_path.unwrap_or(path),
    };
    let list = extensions.list.map(|p| p.0);
    let mut op_envelope = extensions.envelope.clone();
    let mut raw = parameters(spec, at, input_path, op)?;
    check_path_template(spec, at, path, &raw)?;
    let (body, raw_body_type) = body_fields(spec, types, at, op, &mut raw)?;
    let op_hint = Hint::new(&request);
    let fields = typed_fields(types, module, raw, (&op_hint, body == Body::Json), bound)?;

    let responses = responses(spec, at, op)?;
    let (mut data, mut data_example) = response_data(
        types,
        module,
        op_envelope.as_ref().unwrap_or(envelope),
        &responses,
        &op_hint,
    )?;
    // A success that is not JSON is its payload whole: text or bytes.
    if let (None, Some((media, example))) = (&op_envelope, plain_reply(&responses)) {
        data = match media {
            Media::Text => TypeRef::String,
            _ => TypeRef::Bytes,
        };
        data_example = Some(Value::String(example));
        op_envelope = Some(Envelope {
            media,
            ..Envelope::default()
        });
    }
    let failures = failures(types, module, &responses, &op_hint)?;
    let reply_example = responses
        .iter()
        .find(|(code, ..)| code.starts_with('2'))
        .and_then(|(_, r, _)| r.content.values().find_map(|m| m.example.clone()));
    Ok(Operation {
        id: op.operation_id.clone(),
        method,
        request,
        details_const,
        http_method: http,
        path: path.to_owned(),
        body,
        raw_body_type,
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
        failures,
    })
}

/// The operation's parameters, each with where it is (a shared parameter
/// at its component): the path item's, each replaced by the operation's
/// own of the same name and place, then the operation's others.
fn parameters(
    spec: &Spec,
    at: &str,
    path: &str,
    op: &SpecOperation,
) -> Result<Vec<(RawField, Location)>, SpecError> {
    let item_at = at.rsplit_once('/').map_or(at, |(item, _)| item);
    let of_item = spec
        .document
        .paths
        .get(path)
        .map(|item| item.parameters.as_slice())
        .unwrap_or_default();
    let mut declared: Vec<(Cow<'_, Parameter>, String)> = Vec::new();
    for (list, list_at) in [(of_item, item_at), (op.parameters.as_slice(), at)] {
        for (i, p) in list.iter().enumerate() {
            let (p, p_at) = resolve_parameter(spec, p, format!("{list_at}/parameters/{i}"))?;
            match declared
                .iter_mut()
                .find(|(d, _)| d.name == p.name && d.location == p.location)
            {
                Some(slot) => *slot = (p, p_at),
                None => declared.push((p, p_at)),
            }
        }
    }
    let mut raw: Vec<(RawField, Location)> = Vec::new();
    for (p, p_at) in declared {
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
            ParameterLocation::Header => Location::Header,
            ParameterLocation::Cookie => Location::Cookie,
        };
        if matches!(location, Location::Header | Location::Cookie) {
            // OpenAPI: these headers are described elsewhere (the body's
            // media type, the security schemes), and a parameter of
            // their name is ignored.
            let described_elsewhere = ["accept", "content-type", "authorization"];
            if location == Location::Header
                && described_elsewhere.contains(&p.name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
            if !p.name.bytes().all(token) {
                return Err(spec
                    .error(
                        &format!("{p_at}/name"),
                        format!(
                            "`{}` cannot name a header or cookie: give a name of letters, digits and `-`",
                            p.name
                        ),
                    )
                    .in_parameter(&p.name));
            }
        }
        // A parameter describes its value by a `schema`, or by the
        // schema of its one media type.
        let in_content = p.content.iter().find_map(|(media, m)| {
            let at = format!("{p_at}/content/{}/schema", escape(media));
            m.schema.clone().map(|s| (s, at))
        });
        let (schema, schema_at) = match (&p.schema, in_content) {
            (Some(schema), _) => (schema.clone(), format!("{p_at}/schema")),
            (None, Some(found)) => found,
            (None, None) => (Schema::default(), p_at.clone()),
        };
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
                schema,
                at: schema_at,
                // A path has every one of its parameters (OpenAPI requires
                // them to say so).
                required: p.required || location == Location::Path,
                description: p.description.clone(),
                deprecated: p.deprecated,
                example,
                aliases: member.aliases,
                free_form,
                own_type: None,
                style: style_of(location, p.style.as_deref(), p.explode),
            },
            location,
        ));
    }
    Ok(raw)
}

/// How a parameter in `location` with `style` and `explode` writes a list
/// or a map (OpenAPI's defaults: `form`, exploded, in the query and
/// cookies; `simple` in the path and headers).
fn style_of(location: Location, style: Option<&str>, explode: Option<bool>) -> Style {
    match (location, style, explode) {
        (Location::Query, Some("spaceDelimited"), _) => Style::Delimited(' '),
        (Location::Query, Some("pipeDelimited"), _) => Style::Delimited('|'),
        (Location::Query, Some("deepObject"), _) => Style::DeepObject,
        (Location::Query | Location::Cookie, _, Some(false)) => Style::Delimited(','),
        (Location::Path | Location::Header, _, _) => Style::Delimited(','),
        _ => Style::Exploded,
    }
}

/// The parameter `p` (at `p_at`) is, with where it is written: itself, or
/// the shared parameter its `$ref` names.
fn resolve_parameter<'s>(
    spec: &'s Spec,
    p: &'s ParameterOrRef,
    p_at: String,
) -> Result<(Cow<'s, Parameter>, String), SpecError> {
    match p {
        ParameterOrRef::Parameter(p) => Ok((Cow::Borrowed(&**p), p_at)),
        ParameterOrRef::Ref { reference } => {
            let parameters = &spec.document.components.parameters;
            follow(spec, reference, &p_at, ("parameters", parameters))
        }
    }
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

/// How the request body is sent (and, for a body of bytes, its media
/// type), its fields added to `raw`.
fn body_fields(
    spec: &Spec,
    types: &Types<'_>,
    at: &str,
    op: &SpecOperation,
    raw: &mut Vec<(RawField, Location)>,
) -> Result<(Body, Option<String>), SpecError> {
    let mut body = Body::None;
    if let Some((request_body, body_at)) = request_body(spec, at, op)? {
        let Some((kind, content_type, media)) = sendable_body(&request_body) else {
            return Err(spec.error(
                &format!("{body_at}/content"),
                unsendable_text(&request_body),
            ));
        };
        body = kind;
        let media_at = format!("{body_at}/content/{}", escape(content_type));
        if kind == Body::Raw {
            // Text as a `String`, anything else as bytes, whatever the
            // schema (`format: binary`, or none). A range (`image/*`)
            // names no type: the bytes go as bytes.
            let essence = match essence(content_type) {
                range if range.contains('*') => "application/octet-stream".to_owned(),
                essence => essence,
            };
            let text = is_text(&essence);
            raw.push((
                RawField {
                    wire: "body".to_owned(),
                    schema: media.schema.clone().unwrap_or_default(),
                    at: media_at,
                    required: request_body.required,
                    description: Some(
                        request_body
                            .description
                            .clone()
                            .unwrap_or_else(|| format!("The request's body, sent as `{essence}`.")),
                    ),
                    deprecated: false,
                    example: None,
                    aliases: Vec::new(),
                    free_form: false,
                    own_type: Some(if text {
                        TypeRef::String
                    } else {
                        TypeRef::Bytes
                    }),
                    style: Style::Exploded,
                },
                Location::WholeBody,
            ));
            return Ok((body, Some(essence)));
        }
        if let Some(schema) = &media.schema {
            let schema_at = format!("{media_at}/schema");
            let resolved = types.resolve(schema, &schema_at)?;
            // A JSON body that is no object of named members (a list, one
            // of several shapes, a map, a bare value) is one field: the
            // body, as its schema types it.
            if kind == Body::Json && resolved.properties.is_empty() {
                raw.push((
                    RawField {
                        wire: "body".to_owned(),
                        schema: schema.clone(),
                        at: schema_at,
                        required: request_body.required,
                        description: Some(
                            request_body
                                .description
                                .clone()
                                .unwrap_or_else(|| "The request's JSON body.".to_owned()),
                        ),
                        deprecated: false,
                        example: media.example.clone(),
                        aliases: Vec::new(),
                        free_form: false,
                        own_type: None,
                        style: Style::Exploded,
                    },
                    Location::WholeBody,
                ));
                return Ok((body, None));
            }
            // A member only the server sends is not sent.
            let sent = resolved.properties.iter().filter(|(_, p)| !p.read_only);
            for (name, property) in sent {
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
                        own_type: None,
                        style: Style::Exploded,
                    },
                    Location::Body,
                ));
            }
        }
    }

    Ok((body, None))
}

/// A media type without its parameters, in lowercase (`text/plain` of
/// `Text/Plain; charset=utf-8`).
fn essence(content_type: &str) -> String {
    let essence = content_type.split(';').next().unwrap_or_default();
    essence.trim().to_ascii_lowercase()
}

/// Whether a reply in `content_type` is read as JSON (`application/json`,
/// `application/problem+json`, `text/json`): the one rule for the
/// success type, the failure types and replies of text or bytes.
fn is_json_reply(content_type: &str) -> bool {
    essence(content_type).contains("json")
}

/// Whether a body of the media type `essence` is text (a `String`):
/// `text/*` and XML; any other is bytes.
fn is_text(essence: &str) -> bool {
    essence.starts_with("text/") || essence.ends_with("xml")
}

/// Of the media types a request body is offered in, the one the client
/// sends best, and how: JSON, then forms, then bytes of any other type;
/// none when the body names no media type.
fn sendable_body(body: &RequestBody) -> Option<(Body, &String, &MediaType)> {
    let kind_of = |content_type: &str| match essence(content_type).as_str() {
        "application/json" => Some((0, Body::Json)),
        t if t.starts_with("application/") && t.ends_with("+json") => Some((0, Body::Json)),
        "application/x-www-form-urlencoded" => Some((1, Body::Form)),
        "multipart/form-data" => Some((2, Body::Form)),
        t if !t.contains('/') => None,
        // A range (`image/*`, `*/*`) last: it names no type to send.
        t if t.contains('*') => Some((4, Body::Raw)),
        _ => Some((3, Body::Raw)),
    };
    body.content
        .iter()
        .filter_map(|(content_type, media)| {
            kind_of(content_type).map(|(rank, kind)| (rank, kind, content_type, media))
        })
        .min_by_key(|(rank, ..)| *rank)
        .map(|(_, kind, content_type, media)| (kind, content_type, media))
}

fn unsendable_text(body: &RequestBody) -> String {
    let offered: Vec<&str> = body.content.keys().map(String::as_str).collect();
    format!(
        "unsupported request body type ({}); supported: JSON, forms, and bytes of a named media type",
        match offered.is_empty() {
            true => "none given".to_owned(),
            false => offered.join(", "),
        }
    )
}

/// Why the client cannot send the operation at `at`, if it cannot: a
/// request body in none of the media types it sends (an upload of raw
/// bytes), which leaves the operation out rather than the whole API.
pub(super) fn unsendable(
    spec: &Spec,
    at: &str,
    op: &SpecOperation,
) -> Result<Option<String>, SpecError> {
    let body = request_body(spec, at, op)?;
    Ok(body.and_then(|(body, _)| {
        sendable_body(&body)
            .is_none()
            .then(|| unsendable_text(&body))
    }))
}

/// The operation's request body, its `$ref` followed, with where it is
/// written.
fn request_body<'s>(
    spec: &'s Spec,
    at: &str,
    op: &'s SpecOperation,
) -> Result<Option<(Cow<'s, RequestBody>, String)>, SpecError> {
    let Some(body) = &op.request_body else {
        return Ok(None);
    };
    let components = &spec.document.components.request_bodies;
    let at = format!("{at}/requestBody");
    component(
        spec,
        body,
        body.reference.as_deref(),
        at,
        ("requestBodies", components),
    )
    .map(Some)
}

/// `value` (written at `at`), or, when it is a `$ref` (`reference`), the
/// component of `kind` it names, with where that is written.
fn component<'s, T: Clone + serde::de::DeserializeOwned>(
    spec: &Spec,
    value: &'s T,
    reference: Option<&str>,
    at: String,
    kind: (&str, &'s std::collections::BTreeMap<String, T>),
) -> Result<(Cow<'s, T>, String), SpecError> {
    match reference {
        None => Ok((Cow::Borrowed(value), at)),
        Some(reference) => follow(spec, reference, &at, kind),
    }
}

/// What `$ref: reference` (in the object at `at`) names: a component of
/// `kind`, or an object of that kind anywhere else in the document (another
/// operation's), with where it is.
fn follow<'s, T: Clone + serde::de::DeserializeOwned>(
    spec: &Spec,
    reference: &str,
    at: &str,
    (kind, components): (&str, &'s std::collections::BTreeMap<String, T>),
) -> Result<(Cow<'s, T>, String), SpecError> {
    let prefix = format!("#/components/{kind}/");
    let found = reference.strip_prefix(&prefix).and_then(|name| {
        components
            .get(&crate::spec::tree::unescape(name))
            .map(|c| (c, name))
    });
    if let Some((component, name)) = found {
        return Ok((
            Cow::Borrowed(component),
            format!("/components/{kind}/{name}"),
        ));
    }
    // Anywhere else in the document (another operation's).
    match spec.local_ref::<T>(reference) {
        Some((Ok(found), pointer)) => Ok((Cow::Owned(found), pointer)),
        Some((Err(problem), _)) => Err(spec.error(
            &format!("{at}/$ref"),
            format!("`$ref: {reference}` points at no {kind} entry: {problem}"),
        )),
        None => Err(spec.error(
            &format!("{at}/$ref"),
            format!("`$ref: {reference}` points at nothing: give `{prefix}<name>` of a {kind} entry the document has"),
        )),
    }
}

/// A response by its status code, with where it is written.
type Reply<'s> = (&'s str, Cow<'s, Response>, String);

/// The operation's responses, each `$ref` followed, with where each is
/// written.
fn responses<'s>(
    spec: &'s Spec,
    at: &str,
    op: &'s SpecOperation,
) -> Result<Vec<Reply<'s>>, SpecError> {
    op.responses
        .iter()
        .map(|(code, response)| {
            let (response, response_at) = component(
                spec,
                response,
                response.reference.as_deref(),
                format!("{at}/responses/{}", escape(code)),
                ("responses", &spec.document.components.responses),
            )?;
            Ok((code.as_str(), response, response_at))
        })
        .collect()
}

/// The fields, named once for the request type (`new` is taken) and typed.
fn typed_fields(
    types: &mut Types<'_>,
    module: &mut Module,
    raw: Vec<(RawField, Location)>,
    (op_hint, json): (&Hint, bool),
    bound: Option<&crate::ir::Bound>,
) -> Result<Vec<Field>, SpecError> {
    let names = naming::field_names(raw.iter().map(|(f, _)| f.wire.as_str()), &["new"]);
    // The methods that send a member as `null` go round the setters.
    let mut methods = naming::Namespace::with_reserved(
        names
            .iter()
            .map(|n| n.trim_start_matches("r#"))
            .chain(["new"]),
    );
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
            _ if f.own_type.is_some() => f.own_type.clone().unwrap_or(TypeRef::Bytes),
            Presence::Constant(_) | Presence::Flag(_) => TypeRef::Bool,
            _ => types
                .lower(&f.schema, &f.at, Side::Request, &hint, module)
                .map_err(|e| e.in_parameter(&f.wire))?,
        };
        let bool_as_number = matches!(
            resolved.kind,
            Some(SchemaType::Integer | SchemaType::Number)
        );
        // A style says how lists, maps and objects go; any other value
        // goes alone.
        let bare = match &ty {
            TypeRef::Option(inner) => inner.as_ref(),
            ty => ty,
        };
        let style = match (f.style, bare) {
            (Style::Delimited(c), TypeRef::List(_)) => Style::Delimited(c),
            (Style::Delimited(c), _) if ty.is_object() => Style::Delimited(c),
            (Style::DeepObject, TypeRef::Map(_)) => Style::DeepObject,
            (Style::DeepObject, _) if ty.is_object() => Style::DeepObject,
            _ => Style::Exploded,
        };
        let null_setter = (json
            && location == Location::Body
            && matches!(presence, Presence::Optional | Presence::Required)
            && !matches!(ty, TypeRef::Json | TypeRef::Map(_))
            && resolved.nullable)
            .then(|| {
                let plain = rust.trim_start_matches("r#");
                methods.claim(&format!("{plain}_null"), &f.wire)
            });
        fields.push(Field {
            null_setter,
            bool_as_number,
            bound: bound.is_some_and(|b| b.wire == f.wire),
            wire: f.wire,
            rust,
            ty,
            presence,
            free_form: f.free_form,
            location,
            style,
            description: f.description,
            deprecated: f.deprecated,
            aliases: f.aliases,
            default: resolved.default.clone(),
            example: f.example,
        });
    }

    Ok(fields)
}

/// The response that describes success: the first of the 2xx, else
/// `default`.
fn success<'r, 's>(responses: &'r [Reply<'s>]) -> Option<&'r Reply<'s>> {
    responses
        .iter()
        .find(|(code, ..)| code.starts_with('2'))
        .or_else(|| responses.iter().find(|(code, ..)| *code == "default"))
}

/// The statuses a response's key stands for, when they are error
/// statuses (`404`, `4XX`, `default` beside a 2xx success).
fn error_statuses(code: &str, success: Option<&str>) -> Option<Statuses> {
    if code == "default" {
        return (success != Some("default")).then_some(Statuses::Other);
    }
    let class = code
        .as_bytes()
        .first()
        .map(|b| u16::from(b.wrapping_sub(b'0')))?;
    if !(1..=5).contains(&class) || class == 2 || code.len() != 3 {
        return None;
    }
    if code[1..].eq_ignore_ascii_case("XX") {
        return Some(Statuses::Class(class));
    }
    code.parse().ok().map(Statuses::Code)
}

/// The types of the error statuses' replies that the spec gives a JSON
/// schema: each decoded whole (an error reply is not in the success
/// envelope), most specific statuses first.
fn failures(
    types: &mut Types<'_>,
    module: &mut Module,
    responses: &[Reply<'_>],
    op_hint: &Hint,
) -> Result<Vec<Failure>, SpecError> {
    let success = success(responses).map(|(code, ..)| *code);
    let mut failures = Vec::new();
    for (code, response, response_at) in responses {
        let Some(statuses) = error_statuses(code, success) else {
            continue;
        };
        let json = response.content.iter().find(|(ct, _)| is_json_reply(ct));
        let Some((
            content_type,
            MediaType {
                schema: Some(schema),
                ..
            },
        )) = json
        else {
            continue;
        };
        let at = format!("{response_at}/content/{}/schema", escape(content_type));
        let ty = if types.resolve(schema, &at)? == Schema::default() {
            TypeRef::Json
        } else {
            let name = match statuses {
                Statuses::Code(code) => format!("{}Failure{code}", op_hint.path),
                Statuses::Class(class) => format!("{}Failure{class}xx", op_hint.path),
                Statuses::Other => format!("{}Failure", op_hint.path),
            };
            types.lower(schema, &at, Side::Response, &Hint::new(&name), module)?
        };
        failures.push(Failure { statuses, ty });
    }
    failures.sort_by_key(|f| f.statuses);
    Ok(failures)
}

/// What the success reply is when it is offered in no JSON media type:
/// text (`text/*`, XML) or bytes (anything else: `application/pdf`,
/// `image/png`, `*/*`), with its documented text (empty when none).
fn plain_reply(responses: &[Reply<'_>]) -> Option<(Media, String)> {
    let (_, response, _) = success(responses)?;
    if response.content.keys().any(|t| is_json_reply(t)) {
        return None;
    }
    let (first, media) = response.content.iter().next()?;
    let first = essence(first);
    let text = is_text(&first);
    let example = match &media.example {
        Some(Value::String(example)) if text => example.clone(),
        _ => String::new(),
    };
    Some((if text { Media::Text } else { Media::Bytes }, example))
}

/// The payload type: the success response's schema followed along the
/// envelope's payload pointer.
pub(super) fn response_data(
    types: &mut Types<'_>,
    module: &mut Module,
    envelope: &Envelope,
    responses: &[Reply<'_>],
    op_hint: &Hint,
) -> Result<(TypeRef, Option<Value>), SpecError> {
    let Some((_, response, response_at)) = success(responses) else {
        return Ok((TypeRef::Empty, None));
    };
    let Some((content_type, media)) = response.content.iter().find(|(ct, _)| is_json_reply(ct))
    else {
        return Ok((TypeRef::Empty, None));
    };
    let Some(schema) = &media.schema else {
        return Ok((TypeRef::Json, None));
    };
    let mut pointer = format!("{response_at}/content/{}/schema", escape(content_type));
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

#[cfg(test)]
mod styles {
    use super::{Location, Style, style_of};

    #[test]
    fn each_place_has_openapi_s_default_style_and_the_spec_can_change_it() {
        let cases = [
            (Location::Query, None, None, Style::Exploded),
            (Location::Query, Some("form"), Some(true), Style::Exploded),
            (
                Location::Query,
                Some("form"),
                Some(false),
                Style::Delimited(','),
            ),
            (
                Location::Query,
                Some("spaceDelimited"),
                None,
                Style::Delimited(' '),
            ),
            (
                Location::Query,
                Some("pipeDelimited"),
                Some(false),
                Style::Delimited('|'),
            ),
            (
                Location::Query,
                Some("deepObject"),
                Some(true),
                Style::DeepObject,
            ),
            (Location::Cookie, None, None, Style::Exploded),
            (Location::Cookie, None, Some(false), Style::Delimited(',')),
            (Location::Path, None, None, Style::Delimited(',')),
            (
                Location::Header,
                Some("simple"),
                Some(true),
                Style::Delimited(','),
            ),
        ];
        for (location, style, explode, expected) in cases {
            assert_eq!(
                style_of(location, style, explode),
                expected,
                "{location:?} {style:?} {explode:?}"
            );
        }
    }
}
