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
//! Depend on it with `default-features = false`: the command line (`cli`)
//! and the WHM reference importer (`import`) are features a build script
//! does not compile. Beside `Config`, [`surface`] records what a generated
//! crate exposes and compares two such records: what an API release
//! changes for callers, and the semver bump it implies.
//!
//! The generator's stages, with plain data between them, are modules of
//! their own, public for this project's tests, benches and fuzzing but not
//! part of the API: `spec` (loading a spec into its model, with errors
//! that name the line), `lower` (a spec to the `ir`, every Rust name
//! decided by `naming`), `render` (the IR to formatted Rust files) and
//! `write` (atomic writes, the only code that touches the disk).

#[doc(hidden)]
pub mod dependency;
mod generate;
#[cfg(feature = "import")]
pub mod import;
#[doc(hidden)]
pub mod ir;
#[doc(hidden)]
pub mod lower;
#[doc(hidden)]
pub mod naming;
#[doc(hidden)]
pub mod render;
#[doc(hidden)]
pub mod spec;
pub mod surface;
#[doc(hidden)]
pub mod write;

pub use generate::{Config, DEFAULT_CRATE_VERSION, Error, Outcome, crate_name_for};
pub use render::RenderError;
pub use spec::SpecError;
pub use surface::stale::{Stale, describe_stale};
pub use write::WriteError;
