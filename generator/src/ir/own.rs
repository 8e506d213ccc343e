//! The names a generated crate gives its own items: what the renderer
//! emits under these names, and what lowering claims every other name
//! around (`naming::CrateNames`), so that no tag, operation or schema can
//! take one of them.

/// The module of types shared between groups.
pub const SHARED: &str = "types";
/// The blocking client's module and feature.
pub const BLOCKING: &str = "blocking";
/// The fake server's module and feature.
pub const TESTING: &str = "testing";
/// `Serialize` for reply types.
pub const SERIALIZE: &str = "serialize";
/// Every operation with its decoders.
pub const INTROSPECTION: &str = "introspection";
/// Each operation's group, summary and parameters, in its description.
pub const DETAILS: &str = "details";
/// Cargo's default features.
pub const DEFAULT: &str = "default";

/// Modules at the crate's root besides one per group.
pub const MODULES: [&str; 3] = [SHARED, BLOCKING, TESTING];
/// Cargo features besides one per group.
pub const FEATURES: [&str; 6] = [
    DEFAULT,
    BLOCKING,
    TESTING,
    SERIALIZE,
    INTROSPECTION,
    DETAILS,
];

/// The API's wire description (`static`).
pub const API: &str = "API";
/// How the API batches (`static`).
pub const BATCH: &str = "BATCH";
/// Every operation's description (`static`).
pub const CATALOG: &str = "CATALOG";
/// Calls a visitor with each operation's request type (`fn`, introspection).
pub const EACH_OPERATION: &str = "each_operation";
/// The async client.
pub const CLIENT: &str = "Client";
/// The client over any transport.
pub const CLIENT_OF: &str = "ClientOf";

/// The runtime's items every crate re-exports at its root.
pub const REEXPORTS: [&str; 11] = [
    "Call",
    "ClientBuilder",
    "Empty",
    "Error",
    "Limit",
    "Received",
    "Reply",
    "Secret",
    "Text",
    "Transport",
    "read_reply",
];
/// Re-exported by an API with output controls.
pub const OUTPUT_REEXPORTS: [&str; 5] =
    ["Filter", "Order", "OutputMetadata", "Pages", "SortMethod"];
/// Re-exported by an API that batches.
pub const BATCH_REEXPORTS: [&str; 3] = ["Batch", "BatchItem", "BatchReplies"];

/// Items at the crate's root besides modules and a client view: its
/// statics, its client and the runtime's items it re-exports.
pub fn root_items() -> impl Iterator<Item = &'static str> {
    [API, BATCH, CATALOG, EACH_OPERATION, CLIENT, CLIENT_OF]
        .into_iter()
        .chain(REEXPORTS)
        .chain(OUTPUT_REEXPORTS)
        .chain(BATCH_REEXPORTS)
}

/// The type parameter of reply types that hold text.
pub const TEXT_PARAMETER: &str = "S";
/// The type parameter of the client: its transport (async or blocking),
/// in scope in every group's module, where the client's methods are.
pub const TRANSPORT_PARAMETER: &str = "T";

/// Names a group module's types avoid: the type parameters in scope
/// there, and the root's items its documentation names.
pub const MODULE_TYPES: [&str; 11] = [
    TEXT_PARAMETER,
    TRANSPORT_PARAMETER,
    CLIENT,
    CLIENT_OF,
    "Transport",
    "Error",
    "Limit",
    "Secret",
    "Empty",
    "Reply",
    API,
];

/// Names the shared types module's types avoid: the type parameters of
/// the generic types there. Its types are named by path everywhere else
/// (`types::Error`), and its documentation links to nothing at the root,
/// so a spec's `Error` or `Limit` keeps its name there.
pub const SHARED_TYPES: [&str; 2] = [TEXT_PARAMETER, TRANSPORT_PARAMETER];

/// The client's constructor from a builder.
pub const BUILDER: &str = "builder";
/// The client around a runtime client.
pub const FROM_RUNTIME: &str = "from_runtime";
/// The runtime client inside.
pub const RUNTIME: &str = "runtime";
/// A call of a function by name.
pub const CALL: &str = "call";
/// An empty batch.
pub const NEW_BATCH: &str = "new_batch";
/// Runs a batch.
pub const RUN_BATCH: &str = "run_batch";
/// The prefix of a client view's method (`as_user`).
pub const VIEW_PREFIX: &str = "as_";

/// The client's own methods, and those of the traits it implements;
/// operations' methods avoid them.
pub const METHODS: [&str; 11] = [
    BUILDER,
    FROM_RUNTIME,
    RUNTIME,
    CALL,
    NEW_BATCH,
    RUN_BATCH,
    "call_raw",
    "into_runtime",
    "clone",
    "fmt",
    "from_settings",
];
