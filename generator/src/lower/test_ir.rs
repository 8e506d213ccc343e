//! Small pieces of IR for the lowering passes' unit tests.

use crate::ir::{Api, Envelope, Group, StructField, TypeDef, TypeRef};

/// An optional member named `wire` in Rust and on the wire.
pub fn field(wire: &str, ty: TypeRef) -> StructField {
    StructField {
        wire: wire.to_owned(),
        rust: wire.to_owned(),
        ty,
        description: None,
        required: false,
        example: None,
        boxed: false,
    }
}

/// A group without operations, holding `types`.
pub fn group(module: &str, types: Vec<TypeDef>) -> Group {
    Group {
        name: module.to_owned(),
        module: module.to_owned(),
        feature: crate::naming::feature(module),
        description: None,
        operations: Vec::new(),
        types,
    }
}

/// An API of `groups` and nothing else.
pub fn api(groups: Vec<Group>) -> Api {
    Api {
        title: "t".to_owned(),
        description: None,
        version: "1".to_owned(),
        server_url: String::new(),
        base_path: String::new(),
        default_base_url: None,
        envelope: Envelope::default(),
        fixed_params: Vec::new(),
        query_as_form: false,
        auth: Vec::new(),
        output_controls: None,
        batch: None,
        bound: None,
        groups,
        shared: Vec::new(),
    }
}
