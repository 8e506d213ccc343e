//! Where a reply keeps its parts (`x-envelope`): payload, success flag,
//! reason, warnings, messages, further causes, signs of failure, and the
//! envelopes nested in it or standing for it.

use crate::{Held, List, Pointers, Text};

/// Where a reply keeps its parts, as lists of JSON pointers (the first that
/// is present counts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Envelope {
    /// The payload (`/data`). Empty: the whole reply is the payload.
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::de::pointers")
    )]
    pub payload: Pointers,
    /// The success flag (`/metadata/result`). Empty: HTTP success is enough.
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::de::pointers")
    )]
    pub success: Pointers,
    /// The failure reason (`/metadata/reason`).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::de::pointers")
    )]
    pub message: Pointers,
    /// Warnings that can come with success.
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::de::pointers")
    )]
    pub warnings: Pointers,
    /// Informational messages.
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::de::pointers")
    )]
    pub messages: Pointers,
    /// The operation's name as the reply repeats it (`/metadata/command`).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::de::pointers")
    )]
    pub operation: Pointers,
    /// Further causes of a failure, a list or one text (WHM's
    /// `/metadata/errors`).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::de::pointers")
    )]
    pub errors: Pointers,
    /// Signs of failure beside the success flag, read when the flag says
    /// success (cPanel API 2's `error`, a row's `result: 0`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub failures: List<FailureSign>,
    /// An envelope inside the payload, checked after this one: a proxied
    /// API's reply inside the proxy's (UAPI's result inside WHM's `data`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub inner: Option<Held<Envelope>>,
    /// An older shape of the API's replies, read when a reply has none of
    /// this envelope's success flags (WHM API 0's `status` and
    /// `statusmsg`, which a server answers when `api.version=1` is lost on
    /// the way). A reply is in it when its success flag and its reason are
    /// both present, or when its payload holds the operation's records.
    #[cfg_attr(feature = "serde", serde(default))]
    pub legacy: Option<Held<Envelope>>,
    /// What the body of a successful reply is: JSON (in this envelope),
    /// or text or bytes that are the payload whole.
    #[cfg_attr(feature = "serde", serde(default))]
    pub media: Media,
}

/// What the body of a successful reply is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Media {
    /// JSON, read in the envelope.
    #[default]
    Json,
    /// Text (`text/plain`, `text/csv`, XML): the payload is the text.
    Text,
    /// Anything else (`application/octet-stream`, a PDF, an image): the
    /// payload is the bytes.
    Bytes,
}

/// A sign of failure in a reply whose success flag says success.
///
/// In its pointers `*` stands for each element of a list (or member of an
/// object): `/cpanelresult/data/*/result` is every row's `result`, and the
/// `*` of the reason is the row whose flag failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct FailureSign {
    /// A flag that says failure when false (`0`, `"0"`, `false`); `None`:
    /// a non-empty text at [`reason`](Self::reason) says it alone.
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::de::some_pointer")
    )]
    pub flag: Option<Text>,
    /// The failure's reason.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::de::pointer"))]
    pub reason: Text,
}
