//! whm-codegen: typed Rust bindings for cPanel & WHM, generated from OpenAPI.
//!
//! The library has the stages the command line runs:
//!
//! - [`import`]: cPanel's rendered WHM API 1 reference to an OpenAPI document;
//! - [`openapi`]: the typed OpenAPI model both directions share;
//! - [`write`]: atomic writes, the only code that touches the disk;
//! - [`yaml`]: YAML text that YAML 1.1 and 1.2 readers read alike.

#![warn(missing_docs)]

mod generate;
pub mod import;
pub mod ir;
pub mod lower;
pub mod naming;
pub mod openapi;
pub mod render;
pub mod spec;
pub mod write;
pub mod yaml;

pub use generate::{Config, Error, Outcome, Stale, crate_name_for, describe_stale};
