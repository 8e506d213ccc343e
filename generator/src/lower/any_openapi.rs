//! Lowering documents as others write them: OpenAPI 3.1, standard
//! keywords the generator does not use, parameters of the path item, in
//! headers and cookies, `$ref`'d responses and bodies, and what the
//! client cannot send left out with a warning instead of refusing the
//! document.

use whm_wire::{Auth, Body, Method};

use crate::ir::{Api, Location, Operation, Presence, TypeRef};
use crate::lower::{Selection, lower};
use crate::spec::SpecError;

fn lowered(version: &str, rest: &str) -> Result<Api, SpecError> {
    let text = format!("openapi: {version}\ninfo: {{title: T, version: '1'}}\n{rest}");
    let spec = crate::spec::parse(&text, "t.yaml")?;
    lower(&spec, &Selection::default())
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.groups
        .iter()
        .flat_map(|g| &g.operations)
        .find(|op| op.id == id)
        .unwrap_or_else(|| panic!("no operation `{id}`"))
}

/// The variants of the union `name`, each with how a value is known to be it.
fn union_choices<'a>(api: &'a Api, name: &str) -> Vec<(&'a str, &'a crate::ir::Choice)> {
    let union = api
        .type_defs()
        .find_map(|(_, d)| match d {
            crate::ir::TypeDef::Union(u) if u.name == name => Some(u),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no union {name}"));
    union
        .variants
        .iter()
        .map(|v| (v.rust.as_str(), &v.choice))
        .collect()
}

const PETS: &str = "externalDocs: {url: 'https://docs.example'}
servers: [{url: '/api/{version}', variables: {version: {default: v3}}}]
paths:
  /pets/{petId}:
    summary: One pet.
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
      - {name: X-Trace, in: header, schema: {type: string}}
    get:
      externalDocs: {url: 'https://docs.example/pets'}
      parameters:
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: Accept, in: header, schema: {type: string}}
      responses:
        '200': {$ref: '#/components/responses/Pet'}
    put:
      requestBody: {$ref: '#/components/requestBodies/Pet'}
      responses:
        '204': {description: Stored.}
    head:
      responses:
        '200': {}
components:
  responses:
    Pet:
      description: A pet.
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Pet'}
  requestBodies:
    Pet:
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Pet'}
  schemas:
    Pet:
      type: object
      xml: {name: pet}
      discriminator: {propertyName: kind}
      required: [name]
      properties:
        name: {type: string, pattern: '^[a-z]+$', readOnly: false}
        kind:
          allOf:
            - {$ref: '#/components/schemas/Kind'}
            - {description: What the pet is.}
    Kind: {type: string, enum: [dog, cat]}
";

#[test]
fn a_document_as_others_write_it_lowers_whole() {
    let api = lowered("3.0.3", PETS).unwrap();
    assert_eq!(api.wire.base_path.as_ref(), "/api/v3");
    assert_eq!(api.wire.default_base_url, None, "a relative server URL");
    // No operationId: named after method and path.
    let get = operation(&api, "get_pets_petId");
    let places: Vec<(&str, Location, &Presence)> = get
        .fields
        .iter()
        .map(|f| (f.wire.as_str(), f.location, &f.presence))
        .collect();
    // The path item's parameters first, the operation's own winning;
    // `Accept` is the media type's to say.
    assert_eq!(
        places,
        [
            ("petId", Location::Path, &Presence::Required),
            ("X-Trace", Location::Header, &Presence::Required),
            ("session", Location::Cookie, &Presence::Optional),
        ]
    );
    assert!(
        matches!(&get.data, TypeRef::Named(p) if p.name == "Pet"),
        "{:?}",
        get.data
    );
    let put = operation(&api, "put_pets_petId");
    assert_eq!(put.body, Body::Json);
    assert!(
        put.fields
            .iter()
            .any(|f| f.wire == "name" && f.location == Location::Body)
    );
    let kind = put.fields.iter().find(|f| f.wire == "kind").unwrap();
    assert!(
        matches!(&kind.ty, TypeRef::Named(p) if p.name == "Kind"),
        "a documenting `allOf` part keeps the named type: {:?}",
        kind.ty
    );
    assert_eq!(operation(&api, "head_pets_petId").http_method, Method::Head);
    assert!(api.warnings.is_empty(), "{:?}", api.warnings);
}

#[test]
fn openapi_3_1_reads_as_3_0() {
    let doc = "paths:
  /things:
    get:
      operationId: things
      parameters:
        - {name: limit, in: query, schema: {type: [integer, 'null'], exclusiveMinimum: 0}}
      responses:
        '200':
          content:
            application/json:
              schema:
                type: object
                properties:
                  next: {type: [string, 'null']}
                  kind: {const: things}
webhooks:
  newThing: {post: {responses: {'200': {description: ok}}}}
";
    let api = lowered("3.1.0", doc).unwrap();
    let op = operation(&api, "things");
    assert_eq!(op.fields[0].presence, Presence::Optional);
}

#[test]
fn what_the_client_cannot_send_is_left_out_with_a_warning() {
    let doc = "security: [{oauth: []}, {mtls: []}]
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        content: {}
      responses: {'200': {description: ok}}
  /list:
    get:
      operationId: list
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    oauth: {type: oauth2, flows: {}}
    mtls: {type: mutualTLS}
";
    let api = lowered("3.0.3", doc).unwrap();
    let ids: Vec<&str> = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(ids, ["list"]);
    // An OAuth 2 access token is a bearer token.
    assert_eq!(&*api.wire.auth, [Auth::Bearer]);
    assert_eq!(api.warnings.len(), 2, "{:?}", api.warnings);
    assert!(
        api.warnings[0].contains("`mtls`") && api.warnings[0].contains("t.yaml:"),
        "{}",
        api.warnings[0]
    );
    assert!(
        api.warnings[1]
            .contains("operation `upload`: left out: unsupported request body type (none given)"),
        "{}",
        api.warnings[1]
    );
}

#[test]
fn a_reference_to_nowhere_is_still_refused_with_where() {
    let doc = "paths:
  /p:
    get:
      operationId: p
      responses:
        '200': {$ref: '#/components/responses/Missing'}
";
    let e = lowered("3.0.3", doc).unwrap_err();
    assert!(e.message.contains("points at nothing"), "{e}");
    assert_eq!(
        e.pointer.as_deref(),
        Some("/paths/~1p/get/responses/200/$ref")
    );
    assert_eq!(e.operation.as_deref(), Some("p"));
    let typo = "paths:\n  /p:\n    get:\n      operationId: p\n      respones: {}\n";
    let e = lowered("3.0.3", typo).unwrap_err();
    assert!(
        e.message.contains("unknown or unsupported key `respones`"),
        "{e}"
    );
}

#[test]
fn a_body_that_is_no_object_is_one_field_and_a_lone_alternative_is_its_type() {
    let doc = "paths:
  /pets:
    post:
      operationId: add_pets
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
      responses:
        '200':
          content:
            application/json:
              schema:
                oneOf: [{$ref: '#/components/schemas/Pet'}, {type: 'null'}]
    get:
      operationId: find_pets
      parameters:
        - {name: tame, in: query, schema: {type: boolean}}
        - {name: verbose, in: query, schema: {type: integer, enum: [0, 1]}}
      responses: {'200': {description: ok}}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
";
    let api = lowered("3.1.0", doc).unwrap();
    let add = operation(&api, "add_pets");
    let body = &add.fields[0];
    assert_eq!(
        (body.wire.as_str(), body.location),
        ("body", Location::WholeBody)
    );
    assert_eq!(body.presence, Presence::Required);
    assert!(
        matches!(&body.ty, TypeRef::List(item) if matches!(&**item, TypeRef::Named(p) if p.name == "PetInput")),
        "{:?}",
        body.ty
    );
    assert!(
        matches!(&add.data, TypeRef::Option(inner) if matches!(&**inner, TypeRef::Named(p) if p.name == "Pet")),
        "{:?}",
        add.data
    );
    // A boolean goes as OpenAPI writes it; an integer of 0 and 1 as one.
    let find = operation(&api, "find_pets");
    let as_number: Vec<(&str, bool)> = find
        .fields
        .iter()
        .map(|f| (f.wire.as_str(), f.bool_as_number))
        .collect();
    assert_eq!(as_number, [("tame", false), ("verbose", true)]);
    assert!(find.fields.iter().all(|f| f.ty == TypeRef::Bool));
}

#[test]
fn a_named_schema_made_of_parts_is_one_named_type() {
    // Each `User` holds its manager, another `User`, through `allOf`: a
    // cycle that closes on the name (not lowered again and again).
    let doc = "paths:
  /me:
    get:
      operationId: me
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/User'}
components:
  schemas:
    Entity: {type: object, properties: {id: {type: string}}}
    User:
      allOf:
        - {$ref: '#/components/schemas/Entity'}
        - type: object
          properties:
            manager:
              anyOf: [{$ref: '#/components/schemas/User'}, {type: 'null'}]
";
    let api = lowered("3.1.0", doc).unwrap();
    let me = operation(&api, "me");
    assert!(
        matches!(&me.data, TypeRef::Named(p) if p.name == "User"),
        "{:?}",
        me.data
    );
    let users = api
        .shared
        .iter()
        .filter(|t| matches!(t, crate::ir::TypeDef::Struct(s) if s.name.starts_with("User")))
        .count();
    assert_eq!(users, 1, "{:#?}", api.shared);
}

#[test]
fn a_reference_may_point_anywhere_in_the_document() {
    // To a property of a component, and to another operation's parameter
    // and response (its pointer percent-encoded, as a URI fragment is).
    let doc = "paths:
  /owners/{id}:
    get:
      operationId: owner
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet/properties/owner'}
  /owners/{id}/again:
    get:
      operationId: owner_again
      parameters:
        - $ref: '#/paths/~1owners~1%7Bid%7D/get/parameters/0'
      responses:
        '200': {$ref: '#/paths/~1owners~1%7Bid%7D/get/responses/200'}
components:
  schemas:
    Pet:
      type: object
      properties:
        owner:
          type: object
          properties: {name: {type: string}}
";
    let api = lowered("3.0.3", doc).unwrap();
    let again = operation(&api, "owner_again");
    assert_eq!(again.fields[0].wire, "id");
    assert_eq!(again.fields[0].location, Location::Path);
    let owner = operation(&api, "owner");
    assert!(matches!(&owner.data, TypeRef::Named(_)), "{:?}", owner.data);
    assert_eq!(owner.data, again.data, "one type for one schema");
}

#[test]
fn a_type_made_of_parts_that_holds_itself_ends_in_json() {
    // `next` is an unnamed merge of `Node` and `Extra`, holding `next`
    // again: typed once, then any JSON value where it repeats.
    let doc = "paths:
  /node:
    get:
      operationId: node
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
components:
  schemas:
    Node:
      type: object
      properties:
        name: {type: string}
        next:
          allOf: [{$ref: '#/components/schemas/Node'}, {$ref: '#/components/schemas/Extra'}]
    Extra: {type: object, properties: {note: {type: string}}}
";
    let api = lowered("3.0.3", doc).unwrap();
    assert!(matches!(&operation(&api, "node").data, TypeRef::Named(p) if p.name == "Node"));
    let next_types: Vec<&TypeRef> = api
        .shared
        .iter()
        .chain(api.groups.iter().flat_map(|g| &g.types))
        .filter_map(|t| match t {
            crate::ir::TypeDef::Struct(s) => s.fields.iter().find(|f| f.wire == "next"),
            _ => None,
        })
        .map(|f| &f.ty)
        .collect();
    assert!(next_types.contains(&&TypeRef::Json), "{next_types:?}");
}

#[test]
fn error_statuses_are_typed_most_specific_first() {
    use crate::ir::{Failure, Statuses};
    let api = lowered(
        "3.0.3",
        "paths:
  /pets/{id}:
    get:
      operationId: pet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        default: {description: Other, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
        '5XX': {description: Down, content: {application/json: {schema: {type: array, items: {type: string}}}}}
        '404': {description: Gone, content: {application/json: {schema: {type: object, properties: {why: {type: string}}}}}}
        '400': {description: Bad, content: {text/plain: {schema: {type: string}}}}
        '200': {description: A pet, content: {application/json: {schema: {type: object}}}}
  /ping:
    get:
      operationId: ping
      responses:
        default: {description: Pong, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
components:
  schemas:
    Problem: {type: object, properties: {title: {type: string}}}
",
    )
    .unwrap();
    let failures = &operation(&api, "pet").failures;
    let statuses: Vec<Statuses> = failures.iter().map(|f| f.statuses).collect();
    // 400's reply is not JSON: not typed.
    assert_eq!(
        statuses,
        [Statuses::Code(404), Statuses::Class(5), Statuses::Other]
    );
    assert!(
        matches!(&failures[0].ty, TypeRef::Named(p) if p.name == "PetFailure404"),
        "{:?}",
        failures[0].ty
    );
    assert_eq!(
        failures[1],
        Failure {
            statuses: Statuses::Class(5),
            ty: TypeRef::List(Box::new(TypeRef::String))
        }
    );
    assert!(matches!(&failures[2].ty, TypeRef::Named(p) if p.name == "Problem"));
    // A `default` that is the only response is success, not failure.
    let ping = operation(&api, "ping");
    assert!(ping.failures.is_empty());
    assert!(matches!(&ping.data, TypeRef::Named(p) if p.name == "Problem"));
}

#[test]
fn a_body_of_another_media_type_is_bytes_or_text() {
    let doc = "paths:
  /upload:
    put:
      operationId: upload
      parameters: [{name: tag, in: query, schema: {type: string}}]
      requestBody:
        required: true
        content:
          image/png: {schema: {type: string, format: binary}}
      responses: {'204': {description: Stored.}}
  /note:
    post:
      operationId: note
      requestBody:
        content:
          text/plain; charset=utf-8: {}
          application/xml: {}
      responses: {'204': {description: Stored.}}
  /any:
    post:
      operationId: any
      requestBody:
        content: {'*/*': {}}
      responses: {'204': {description: Stored.}}
  /both:
    post:
      operationId: both
      requestBody:
        content:
          application/octet-stream: {}
          application/json: {schema: {type: object, properties: {a: {type: string}}}}
      responses: {'204': {description: Stored.}}
";
    let api = lowered("3.0.3", doc).unwrap();
    assert!(api.warnings.is_empty(), "{:?}", api.warnings);
    let body = |op: &Operation| {
        let f = op.fields.iter().find(|f| f.location == Location::WholeBody);
        f.map(|f| (f.ty.clone(), f.presence.clone()))
    };
    let upload = operation(&api, "upload");
    assert_eq!(
        (upload.body, upload.raw_body_type.as_deref()),
        (Body::Raw, Some("image/png"))
    );
    assert_eq!(body(upload), Some((TypeRef::Bytes, Presence::Required)));
    assert_eq!(
        upload.fields[0].location,
        Location::Query,
        "beside it, in the query"
    );
    let note = operation(&api, "note");
    assert_eq!(
        note.raw_body_type.as_deref(),
        Some("text/plain"),
        "the first offered, its essence"
    );
    assert_eq!(body(note), Some((TypeRef::String, Presence::Optional)));
    // A range names no type: bytes, as bytes.
    let any = operation(&api, "any");
    assert_eq!(
        any.raw_body_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(body(any).map(|(ty, _)| ty), Some(TypeRef::Bytes));
    // JSON is preferred where it is offered.
    let both = operation(&api, "both");
    assert_eq!(
        (both.body, both.raw_body_type.as_deref()),
        (Body::Json, None)
    );
}

#[test]
fn members_only_the_server_sends_are_not_in_requests() {
    let doc = "paths:
  /pets:
    post:
      operationId: add
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        owner:
          type: object
          required: [since]
          properties:
            since: {type: string, readOnly: true}
            email: {type: string}
";
    let api = lowered("3.0.3", doc).unwrap();
    let add = operation(&api, "add");
    let sent: Vec<&str> = add.fields.iter().map(|f| f.wire.as_str()).collect();
    assert_eq!(sent, ["name", "owner"]);
    let members = |ty: &TypeRef| -> Vec<String> {
        let path = ty.named().expect("a struct");
        match api.type_def(path) {
            Some(crate::ir::TypeDef::Struct(s)) => {
                s.fields.iter().map(|f| f.wire.clone()).collect()
            }
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(members(&add.fields[1].ty), ["email"]);
    // The reply has them all.
    assert_eq!(members(&add.data), ["id", "name", "owner"]);
}

#[test]
fn a_reply_that_is_not_json_is_text_or_bytes() {
    use whm_wire::Media;
    let doc = "paths:
  /report:
    get:
      operationId: report
      responses:
        '200': {description: A report, content: {text/xml: {example: '<r/>'}}}
  /invoice:
    get:
      operationId: invoice
      responses:
        '200': {description: A PDF, content: {application/pdf: {schema: {type: string, format: binary}}}}
  /anything:
    get:
      operationId: anything
      responses:
        '200': {description: Something, content: {'*/*': {}}}
  /both:
    get:
      operationId: both
      responses:
        '200': {description: Either, content: {application/xml: {}, application/json: {schema: {type: object, properties: {a: {type: string}}}}}}
";
    let api = lowered("3.0.3", doc).unwrap();
    let reply = |id: &str| {
        let op = operation(&api, id);
        let media = op.envelope.as_ref().map(|e| e.media);
        (op.data.clone(), media, op.data_example.clone())
    };
    let text = serde_json::Value::from("<r/>");
    assert_eq!(
        reply("report"),
        (TypeRef::String, Some(Media::Text), Some(text))
    );
    let empty = serde_json::Value::from("");
    assert_eq!(
        reply("invoice"),
        (TypeRef::Bytes, Some(Media::Bytes), Some(empty.clone()))
    );
    assert_eq!(
        reply("anything"),
        (TypeRef::Bytes, Some(Media::Bytes), Some(empty))
    );
    // JSON where it is offered.
    let (data, media, _) = reply("both");
    assert!(matches!(data, TypeRef::Named(_)), "{data:?}");
    assert_eq!(media, None);
}

#[test]
fn a_path_item_written_as_a_ref_has_the_operations_it_names() {
    let doc = "paths:
  /pets/{id}:
    $ref: '#/components/pathItems/Pet'
components:
  pathItems:
    Pet:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      get:
        operationId: pet
        responses: {'200': {description: ok}}
";
    let api = lowered("3.1.0", doc).unwrap();
    let pet = operation(&api, "pet");
    assert_eq!(pet.path, "/pets/{id}");
    assert_eq!(pet.fields[0].location, Location::Path);
}

#[test]
fn unions_are_enums_where_values_tell_their_alternatives_apart() {
    use crate::ir::{Choice, JsonKind, TypeDef, UnionDef};
    let doc = "paths:
  /shapes:
    get:
      operationId: get_shapes
      responses:
        '200':
          content:
            application/json:
              schema:
                type: object
                properties:
                  shape: {$ref: '#/components/schemas/Shape'}
                  either: {anyOf: [{$ref: '#/components/schemas/Circle'}, {$ref: '#/components/schemas/Square'}]}
                  value:
                    oneOf:
                      - {type: object, required: [id], properties: {id: {type: integer}}}
                      - {type: array, items: {type: integer}}
                      - {type: string, enum: [a, b]}
                      - {type: number}
                      - {type: integer}
                  lists: {oneOf: [{type: array, items: {type: string}}, {type: array, items: {type: integer}}]}
components:
  schemas:
    Shape:
      oneOf: [{$ref: '#/components/schemas/Circle'}, {$ref: '#/components/schemas/Square'}]
      discriminator: {propertyName: kind}
    Circle:
      type: object
      required: [kind, id]
      properties: {kind: {const: round}, id: {type: integer}, radius: {type: number}}
    Square:
      type: object
      required: [kind, id]
      properties: {kind: {type: string}, id: {type: integer}, side: {type: number}}
";
    let api = lowered("3.1.0", doc).unwrap();
    let union = |name: &str| -> &UnionDef {
        api.type_defs()
            .find_map(|(_, d)| match d {
                TypeDef::Union(u) if u.name == name => Some(u),
                _ => None,
            })
            .unwrap_or_else(|| {
                panic!(
                    "no union {name} in {:?}",
                    api.type_defs().map(|(_, d)| d.name()).collect::<Vec<_>>()
                )
            })
    };
    // Tagged: the one value a member allows, else the component's name.
    let shape = union("Shape");
    assert_eq!(shape.tag.as_deref(), Some("kind"));
    let tags = union_choices(&api, "Shape");
    assert_eq!(
        tags,
        [
            ("Circle", &Choice::Tag(vec!["round".into()])),
            ("Square", &Choice::Tag(vec!["Square".into()]))
        ]
    );
    // Kinds: a whole number tried before any number, objects last.
    let value = union("GetShapesValue");
    let choices: Vec<(&str, &Choice)> = value
        .variants
        .iter()
        .map(|v| (v.rust.as_str(), &v.choice))
        .collect();
    assert_eq!(
        choices,
        [
            ("String", &Choice::Kind(JsonKind::String)),
            ("Integer", &Choice::Kind(JsonKind::Integer)),
            ("Number", &Choice::Kind(JsonKind::Number)),
            ("List", &Choice::Kind(JsonKind::List)),
            ("Object", &Choice::Kind(JsonKind::Object)),
        ]
    );
    assert!(
        matches!(&value.variants[0].ty, TypeRef::Named(p) if p.kind == crate::ir::TypeKind::Enum)
    );
    // Objects that require the same members, lists of two item types:
    // nothing tells them apart, so any JSON value.
    let Some(TypeDef::Struct(data)) = api
        .type_defs()
        .map(|(_, d)| d)
        .find(|d| d.name() == "GetShapesData")
    else {
        panic!("no reply struct")
    };
    let ty = |wire: &str| &data.fields.iter().find(|f| f.wire == wire).unwrap().ty;
    assert_eq!(ty("either"), &TypeRef::Json);
    assert_eq!(ty("lists"), &TypeRef::Json);
    assert!(matches!(ty("shape"), TypeRef::Named(p) if p.name == "Shape"));
}

#[test]
fn a_base_that_others_extend_is_the_union_of_them() {
    use crate::ir::{Choice, TypeDef};
    let doc = "paths:
  /pets:
    get:
      operationId: list_pets
      responses:
        '200':
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
  /lonely:
    get:
      operationId: get_lonely
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Lonely'}
components:
  schemas:
    Pet:
      type: object
      required: [petType]
      properties: {petType: {type: string}, name: {type: string}}
      discriminator: {propertyName: petType, mapping: {kitty: '#/components/schemas/Cat'}}
    Cat:
      allOf: [{$ref: '#/components/schemas/Pet'}, {type: object, properties: {lives: {type: integer}}}]
    Dog:
      allOf: [{$ref: '#/components/schemas/Pet'}, {type: object, properties: {good: {type: boolean}}}]
    Lonely:
      type: object
      properties: {kind: {type: string}}
      discriminator: {propertyName: kind}
";
    let api = lowered("3.0.3", doc).unwrap();
    let pets = &operation(&api, "list_pets").data;
    assert!(
        matches!(pets, TypeRef::List(item) if matches!(&**item, TypeRef::Named(p) if p.name == "Pet" && p.kind == crate::ir::TypeKind::Union)),
        "{pets:?}"
    );
    let variants = union_choices(&api, "Pet");
    assert_eq!(
        variants,
        [
            ("Cat", &Choice::Tag(vec!["kitty".into()])),
            ("Dog", &Choice::Tag(vec!["Dog".into()]))
        ]
    );
    // Each extension is a struct with its base's members and its own.
    let Some(TypeDef::Struct(cat)) = api.type_defs().map(|(_, d)| d).find(|d| d.name() == "Cat")
    else {
        panic!("no struct Cat")
    };
    let members: Vec<&str> = cat.fields.iter().map(|f| f.wire.as_str()).collect();
    assert_eq!(members, ["petType", "name", "lives"]);
    // A discriminator that nothing extends leaves its schema a struct.
    let lonely = &operation(&api, "get_lonely").data;
    assert!(
        matches!(lonely, TypeRef::Named(p) if p.name == "Lonely" && p.kind == crate::ir::TypeKind::Struct),
        "{lonely:?}"
    );
}
