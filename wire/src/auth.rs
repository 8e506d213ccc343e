//! How a client presents its credentials.

use crate::Text;

/// A way of presenting credentials, from the spec's security schemes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: <scheme> USER:TOKEN` (WHM: scheme `whm`).
    Token {
        /// The authorization scheme.
        scheme: Text,
    },
    /// HTTP Basic authentication.
    Basic,
    /// `Authorization: Bearer TOKEN`.
    Bearer,
    /// A key sent as the first request parameter (`apikey=...`).
    KeyParam {
        /// The parameter's name.
        name: Text,
    },
    /// A key sent in a header of its own (`X-API-Key: ...`).
    KeyHeader {
        /// The header's name.
        name: Text,
    },
    /// A key sent as a cookie (`Cookie: session=...`).
    KeyCookie {
        /// The cookie's name.
        name: Text,
    },
}
