//! The wire model of an API: how its requests travel and its replies are
//! wrapped (methods, bodies, credentials, envelopes, batches, refusals).
//!
//! Defined once, here, for both sides of the line: whm-codegen reads it
//! from a spec's `x-` extensions and security schemes (with the `serde`
//! feature), carries it in its intermediate representation and writes it
//! into each generated crate as `static` data; the runtime reads that data
//! and knows nothing about any one API beyond it.
//!
//! Text and lists are [`Cow`]s: a generated crate's statics borrow
//! `'static` text (`Cow::Borrowed`, [`Held::Static`]), while the generator
//! owns what it read from a spec.

mod api;
mod auth;
mod batch;
#[cfg(feature = "serde")]
mod de;
mod envelope;
mod held;
mod kind;
pub mod pointer;
mod refusal;
mod request;

use std::borrow::Cow;

pub use api::ApiSpec;
pub use auth::Auth;
pub use batch::BatchSpec;
pub use envelope::{Envelope, FailureSign, Media};
pub use held::Held;
pub use kind::JsonKind;
pub use refusal::Refusal;
pub use request::{Body, Method};

/// Text: `'static` in a generated crate, owned in the generator.
pub type Text = Cow<'static, str>;

/// A list: `'static` in a generated crate, owned in the generator.
pub type List<T> = Cow<'static, [T]>;

/// JSON pointers into a reply; the first that is present counts. `""`
/// is the whole reply (RFC 6901).
pub type Pointers = List<Text>;
