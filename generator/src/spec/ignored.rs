//! Standard OpenAPI and JSON Schema keywords that describe nothing a call
//! or a generated type needs: accepted wherever OpenAPI allows them, and
//! otherwise ignored (the README's support table lists them). Any other
//! key that is no `x-` extension is refused as a typo of a keyword the
//! generator reads.

/// At a document's root.
pub const DOCUMENT: &[&str] = &["externalDocs", "webhooks", "jsonSchemaDialect"];

/// On a path item.
pub const PATH_ITEM: &[&str] = &["summary", "description", "servers"];

/// On an operation.
pub const OPERATION: &[&str] = &["externalDocs", "callbacks", "servers"];

/// On a parameter.
pub const PARAMETER: &[&str] = &["allowEmptyValue", "allowReserved"];

/// In a schema: validation the server does, documentation, and JSON
/// Schema's vocabulary for what Rust's types cannot say.
pub const SCHEMA: &[&str] = &[
    "pattern",
    "const",
    "examples",
    "writeOnly",
    "xml",
    "externalDocs",
    "not",
    "multipleOf",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$defs",
    "$dynamicRef",
    "$dynamicAnchor",
    "$vocabulary",
    "definitions",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "if",
    "then",
    "else",
    "prefixItems",
    "patternProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
];
