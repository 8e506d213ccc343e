//! The value types replies and requests hold: a number or `unlimited`, a
//! secret that never shows, and nothing at all; each decodes itself
//! leniently (its `Element`).

pub mod empty;
pub mod limit;
pub mod secret;
