//! whm-codegen: typed Rust bindings for cPanel & WHM, generated from OpenAPI.
//!
//! For a build script, [`Config`] is the whole API:
//!
//! ```no_run
//! // build.rs
//! whm_codegen::Config::new()
//!     .spec("spec/whm-api-1.yaml")
//!     .only_tags(["Accounts", "DNS"])
//!     .generate_to(std::env::var("OUT_DIR").unwrap())
//!     .unwrap();
//! // lib.rs: include!(concat!(env!("OUT_DIR"), "/whm_api.rs"));
//! ```
//!
//! The stages, with plain data between them:
//!
//! - [`import`]: cPanel's rendered WHM API 1 reference to an OpenAPI document;
//! - [`spec`]: loading a spec, with errors that name the line;
//! - [`lower`]: a spec to the [`ir`], every Rust name decided by [`naming`];
//! - [`render`]: the IR to formatted Rust files;
//! - [`mod@write`]: atomic writes, the only code that touches the disk.
//!
//! Beside them, [`surface`] records what a generated crate exposes and
//! [`diff`] compares two such records: what an API release changes for
//! callers, and the semver bump it implies.
//!
//! [`openapi`] is the OpenAPI model both directions share, and [`yaml`] writes
//! YAML that YAML 1.1 and 1.2 readers read alike.

pub mod dependency;
pub mod diff;
mod generate;
pub mod import;
pub mod ir;
pub mod lower;
pub mod naming;
pub mod openapi;
pub mod render;
pub mod spec;
mod stale;
pub mod surface;
pub mod write;
pub mod yaml;

pub use generate::{Config, DEFAULT_CRATE_VERSION, Error, Outcome, crate_name_for};
pub use stale::{Stale, describe_stale};
