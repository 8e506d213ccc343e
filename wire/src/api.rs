//! An API as its spec describes it on the wire.

use crate::{Auth, BatchSpec, Envelope, Held, List, Refusal, Text};

/// An API as its spec describes it: where it lives, how replies are
/// wrapped, what every call sends, how credentials travel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiSpec {
    /// The API's name, for messages.
    pub name: Text,
    /// The path under the server's root where operations live (`/json-api`).
    pub base_path: Text,
    /// The server's URL when the spec fixes it (`https://api.sitehost.nz/1.3`).
    pub default_base_url: Option<Text>,
    /// How replies are wrapped.
    pub envelope: Envelope,
    /// How the server refuses a call before running it.
    pub refusal: Refusal,
    /// Parameters sent with every call (`api.version=1`).
    pub fixed_params: List<(Text, Text)>,
    /// Whether query parameters may travel as a form-encoded `POST` body.
    pub query_as_form: bool,
    /// The ways to authenticate, in order of preference.
    pub auth: List<Auth>,
    /// Where replies report what output controls did (`/metadata`), when
    /// the API has them (filter, sort, columns, chunks).
    pub output_controls: Option<Text>,
    /// How several calls go in one request, when the API can.
    pub batch: Option<Held<BatchSpec>>,
}

impl ApiSpec {
    /// How replies to an operation are wrapped: its `own` envelope when its
    /// spec gives it one, else the API's. The one place the choice is
    /// made: typed calls, raw calls, batches and the fake server all ask
    /// here, so that a call reads the same reply the same way however it
    /// was made.
    pub fn envelope_for<'a>(&'a self, own: Option<&'a Envelope>) -> &'a Envelope {
        own.unwrap_or(&self.envelope)
    }

    /// Whether `name` is a parameter the API sends with every call
    /// (`api.version`), which no call sets.
    pub fn sends_itself(&self, name: &str) -> bool {
        self.fixed_params.iter().any(|(fixed, _)| fixed == name)
    }
}
