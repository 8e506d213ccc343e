//! Small pieces of IR for the lowering passes' unit tests.

use whm_wire::ApiSpec;

use crate::ir::{Api, Group, StructField, TypeDef, TypeRef};

/// An optional member named `wire` in Rust and on the wire.
pub fn field(wire: &str, ty: TypeRef) -> StructField {
    StructField {
        nullable: false,
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
        server_defaults: Vec::new(),
        warnings: Vec::new(),
        wire: ApiSpec {
            name: "t".into(),
            base_path: "".into(),
            default_base_url: None,
            envelope: Default::default(),
            refusal: Default::default(),
            fixed_params: Default::default(),
            query_as_form: false,
            auth: Default::default(),
            output_controls: None,
            batch: None,
        },
        description: None,
        version: "1".to_owned(),
        server_url: String::new(),
        bound: None,
        groups,
        shared: Vec::new(),
    }
}
