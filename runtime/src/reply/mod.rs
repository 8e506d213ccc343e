//! Reading a reply: classify it, check the envelope, decode the payload.
//!
//! The order follows how failures arrive: credentials refused (401/403,
//! or a refusal in the shape the API's `x-refusal` names, whatever the
//! status), then anything that is not JSON (an HTML login page, a proxy's
//! error page), then HTTP errors, then the API's own success flag, and
//! only then the payload. The payload
//! is cut out of the reply without building the rest of the tree, and
//! decoded straight into its type.

use std::borrow::Cow;

use serde::de::{Deserialize, DeserializeOwned};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::decode::payload::{Sink, Slot};
use crate::decode::{Element, Lenient};
use crate::error::{Error, FailureReader};
use crate::scrub::Scrubber;
use crate::scrub::excerpt;
use crate::wire::{ApiSpec, Envelope, Media, Refusal, Text};
use layers::{
    first_flag, first_of, flags_say_yes, reason_text, strings, succeeded, unwrap_envelopes,
};

mod layers;
pub(crate) mod one_pass;
pub(crate) mod pointer;
mod rest;

/// Characters of a reply kept in an error.
const EXCERPT: usize = 300;

/// A successful reply: the payload and what came with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply<T> {
    /// The decoded payload.
    pub data: T,
    /// Warnings that came with success.
    pub warnings: Vec<String>,
    /// Informational messages.
    pub messages: Vec<String>,
    /// The reply without its payload (WHM: `{"metadata": {...}}`).
    pub rest: Value,
    /// What the server did with output controls, when the API has them.
    pub output: Option<crate::request::controls::OutputMetadata>,
    /// Values in the payload that its type could not hold (an object where
    /// a number goes) and that no reply struct's `extra` took, because
    /// they sit in a payload that is itself a list or a map: each with its
    /// path in the payload (`some_key`, `[3]`), as the server sent it.
    /// Values inside a reply struct are in that struct's `extra`, under
    /// their path from it.
    pub unexpected: Vec<(String, Value)>,
}

impl<T> Reply<T> {
    /// The same reply with its payload turned into another.
    pub(crate) fn map_data<U>(self, f: impl FnOnce(T) -> U) -> Reply<U> {
        Reply {
            data: f(self.data),
            warnings: self.warnings,
            messages: self.messages,
            rest: self.rest,
            output: self.output,
            unexpected: self.unexpected,
        }
    }
}

/// A reply as received, before it is read.
pub(crate) struct Exchange<'a> {
    pub api: &'a ApiSpec,
    pub envelope: &'a Envelope,
    pub operation: String,
    /// Where the operation's records are in its payload, if it lists.
    pub list: Option<&'a str>,
    pub status: u16,
    pub body: bytes::Bytes,
    /// Whether `body` is a piece of the connection's read buffer (a reply
    /// that came in one piece), which it holds all of while it lives.
    pub in_buffer: bool,
    /// What never to show in errors.
    pub scrubber: Scrubber,
    /// How the request type reads an error-status reply's body.
    pub failure: Option<FailureReader>,
}

impl Exchange<'static> {
    /// A reply to `R` that came by other means than a client (saved,
    /// recorded): nothing of the call is known to keep out of errors.
    pub fn saved<R: crate::api::Request>(status: u16, body: Vec<u8>) -> Self {
        let body = body.into();
        Exchange {
            api: R::API,
            envelope: envelope_of::<R>(),
            operation: R::OPERATION.name.to_owned(),
            list: R::OPERATION.list,
            status,
            body,
            in_buffer: false,
            scrubber: Scrubber::default(),
            failure: Some(R::failure),
        }
    }
}

/// How replies to `R` are wrapped (see [`crate::wire::ApiSpec::envelope_for`]).
pub(crate) fn envelope_of<R: crate::api::Request>() -> &'static Envelope {
    R::API.envelope_for(R::OPERATION.envelope)
}

/// Reads a reply to `R` whose body is at hand, as [`Exchange::interpret`]
/// would, without copying the body.
pub(crate) fn read_saved<R: crate::api::Request>(
    status: u16,
    body: &[u8],
) -> Result<Reply<R::Data>, Error> {
    read_text::<Lenient<R::Data>>(
        R::API,
        envelope_of::<R>(),
        (R::OPERATION.name, R::OPERATION.list),
        status,
        (&text_of(body), body),
        (&Scrubber::default(), Some(R::failure)),
    )
    .map(|reply| reply.map_data(|Lenient(data)| data))
}

impl Exchange<'_> {
    /// The reply, its body its own: one kept beyond the call does not
    /// hold the connection's read buffer.
    pub fn kept(mut self) -> Self {
        if std::mem::take(&mut self.in_buffer) {
            self.body = bytes::Bytes::copy_from_slice(&self.body);
        }
        self
    }

    /// Reads the reply as a payload of type `T`, decoded leniently at
    /// every depth (see [`Element`]).
    pub fn interpret<T: for<'de> Element<'de>>(&self) -> Result<Reply<T>, Error> {
        self.interpret_text::<Lenient<T>>(&text_of(&self.body))
            .map(|reply| reply.map_data(|Lenient(data)| data))
    }

    /// Reads the reply as a payload of type `T`, decoded as its own
    /// `Deserialize` says (a type of the caller's).
    pub fn interpret_as<T: DeserializeOwned>(&self) -> Result<Reply<T>, Error> {
        self.interpret_text(&text_of(&self.body))
    }

    /// Reads the reply's payload alone as a `T`, decoded leniently (see
    /// [`Exchange::interpret`]): what came beside it (warnings, messages,
    /// the rest) is checked for success, and not kept.
    pub fn interpret_data<T: for<'de> Element<'de>>(&self) -> Result<T, Error> {
        let text = text_of(&self.body);
        let incoming = Incoming {
            keep: false,
            ..self.incoming(&text)
        };
        incoming.payload::<Lenient<T>>().map(|reply| reply.data.0)
    }

    /// Reads the reply, whose body is `text`, as a payload of type `T`,
    /// which may borrow from `text`.
    pub fn interpret_text<'de, T: Deserialize<'de>>(
        &self,
        text: &'de str,
    ) -> Result<Reply<T>, Error> {
        self.incoming(text).payload()
    }

    /// The reply, whose body is `text`, to read.
    fn incoming<'a, 'de>(&'a self, text: &'de str) -> Incoming<'a, 'de> {
        incoming(
            self.api,
            self.envelope,
            (&self.operation, self.list),
            self.status,
            (text, &self.body),
            (&self.scrubber, self.failure),
        )
    }
}

/// Reads a reply to `operation` of `api` (its name, and where its
/// records are when it lists), whose body is `text` (`raw` as received,
/// for a payload of bytes), as a payload of type
/// `T` (which may borrow from `text`), with what `scrubber` knows kept out
/// of errors, and an error status's body read by `failure`.
pub(crate) fn read_text<'de, T: Deserialize<'de>>(
    api: &ApiSpec,
    envelope: &Envelope,
    operation: (&str, Option<&str>),
    status: u16,
    text: (&'de str, &[u8]),
    errors: (&Scrubber, Option<FailureReader>),
) -> Result<Reply<T>, Error> {
    incoming(api, envelope, operation, status, text, errors).payload()
}

/// A reply to read, as [`read_text`] takes it, all of it kept.
fn incoming<'a, 'de>(
    api: &'a ApiSpec,
    envelope: &'a Envelope,
    (operation, list): (&'a str, Option<&'a str>),
    status: u16,
    (text, raw): (&'de str, &'a [u8]),
    (scrubber, failure): (&'a Scrubber, Option<FailureReader>),
) -> Incoming<'a, 'de> {
    Incoming {
        failure,
        raw,
        envelope,
        refusal: &api.refusal,
        output_controls: api.output_controls.as_deref(),
        operation,
        list,
        status,
        text,
        scrubber,
        keep: true,
    }
}

/// A body as text: itself when it is UTF-8 (the usual case, and then
/// nothing is copied), else with each bad byte sequence replaced.
pub(crate) fn text_of(body: &[u8]) -> Cow<'_, str> {
    // A SIMD check of the whole body: std's `from_utf8` took 7% of reading
    // a large reply, `from_utf8_lossy`'s chunked scan over 10%.
    match simdutf8::basic::from_utf8(body) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(body),
    }
}

/// Interprets a reply to `operation` with HTTP `status` and `body`, in
/// `envelope`, refused as `refusal` says.
pub(crate) fn interpret<T: DeserializeOwned>(
    (envelope, refusal): (&Envelope, &Refusal),
    operation: &str,
    status: u16,
    body: &[u8],
    scrubber: &Scrubber,
) -> Result<Reply<T>, Error> {
    let text = text_of(body);
    Incoming {
        envelope,
        refusal,
        output_controls: None,
        operation,
        list: None,
        status,
        text: &text,
        raw: body,
        scrubber,
        failure: None,
        keep: true,
    }
    .payload()
}

/// Whether the first success flag present in `rest` says success (see
/// [`succeeded`]).
fn rest_succeeded(rest: &rest::Rest<'_>, pointers: &[Text]) -> bool {
    flags_say_yes(pointers.iter().filter_map(|p| rest.value_at(p)))
}

/// What a successful reply holds besides its payload.
#[derive(Default)]
struct Parts {
    warnings: Vec<String>,
    messages: Vec<String>,
    rest: Value,
    output: Option<crate::request::controls::OutputMetadata>,
}

impl Parts {
    /// The reply, with the payload `read` decoded.
    fn with<T>(self, payload: Slot<T>, operation: &str) -> Result<Reply<T>, Error> {
        let data = payload.0.ok_or_else(|| Error::Decode {
            operation: operation.to_owned(),
            path: String::new(),
            message: "the payload was not decoded".to_owned(),
            excerpt: String::new(),
        })?;
        Ok(Reply {
            data,
            warnings: self.warnings,
            messages: self.messages,
            rest: self.rest,
            output: self.output,
            unexpected: crate::decode::payload::strays::take_since(0),
        })
    }
}

/// A reply as it came, to read.
#[derive(Clone, Copy)]
struct Incoming<'a, 'de> {
    /// How it is wrapped.
    envelope: &'a Envelope,
    /// How the server refuses a call.
    refusal: &'a Refusal,
    /// Where it reports what output controls did, when the API has them.
    output_controls: Option<&'a str>,
    /// The operation it answers.
    operation: &'a str,
    /// Where the operation's records are in its payload, if it lists.
    list: Option<&'a str>,
    /// Its HTTP status.
    status: u16,
    /// Its body.
    text: &'de str,
    /// Its body as received (for a payload of bytes: `text` is it with
    /// any bytes that are not UTF-8 replaced).
    raw: &'a [u8],
    /// What must not show in errors (the call's secrets).
    scrubber: &'a Scrubber,
    /// How the request type reads an error status's body.
    failure: Option<FailureReader>,
    /// Whether what came beside the payload (warnings, messages, the
    /// rest, output controls) is kept: a call awaited for its payload
    /// alone needs only its success.
    keep: bool,
}

/// Reads a reply as it came: its payload into `payload`, the rest
/// returned. The same code for every payload type. Every error has what
/// the scrubber knows replaced, in every field. `one_pass`: whether a
/// usual reply may take the one-pass path (the tests compare both).
fn read<'de>(
    incoming: Incoming<'_, 'de>,
    payload: &mut dyn Sink<'de>,
    one_pass: bool,
) -> Result<Parts, Error> {
    let scrubber = incoming.scrubber;
    let mut parts = read_as_sent(incoming, payload, one_pass).map_err(|e| scrubber.error(e))?;
    if !incoming.keep {
        // The general path has built what came beside the payload anyway.
        return Ok(Parts::default());
    }
    if let Some(at) = incoming.output_controls {
        parts.output =
            pointer::at(&parts.rest, at).and_then(|m| serde::Deserialize::deserialize(m).ok());
    }
    Ok(parts)
}

impl<'de> Incoming<'_, 'de> {
    /// The reply's payload as a `T`, with what came beside it: the one
    /// reader every way of reading a reply goes through (a call's, a raw
    /// call's, a saved reply's, a batch item's).
    fn payload<T: Deserialize<'de>>(self) -> Result<Reply<T>, Error> {
        let mut payload = Slot(None);
        let operation = self.operation;
        read(self, &mut payload, true)?.with(payload, operation)
    }
}

/// [`read`], its errors as read.
fn read_as_sent<'de>(
    incoming: Incoming<'_, 'de>,
    payload: &mut dyn Sink<'de>,
    one_pass: bool,
) -> Result<Parts, Error> {
    let Incoming {
        envelope,
        refusal,
        output_controls: _,
        operation,
        list,
        status,
        text,
        raw,
        scrubber,
        failure,
        keep,
    } = incoming;
    let show = |t: &str| excerpt(t, scrubber, EXCERPT);
    // A reply of text or bytes is its payload whole, when it is success;
    // a failure is read as any other.
    if envelope.media != Media::Json && (200..300).contains(&status) {
        payload
            .decode_plain(envelope.media, text, raw)
            .map_err(|failure| Error::Decode {
                operation: operation.to_owned(),
                path: String::new(),
                message: failure.message,
                excerpt: show(text),
            })?;
        return Ok(Parts {
            warnings: Vec::new(),
            messages: Vec::new(),
            rest: Value::Null,
            output: None,
        });
    }
    if let Some(refused) = refused((envelope, refusal), operation, status, text, &show) {
        return Err(refused);
    }
    if one_pass
        && (200..300).contains(&status)
        && envelope.failures.is_empty()
        && let Some(rest) = crate::reply::one_pass::split(text, envelope, payload)
    {
        let no_flag = envelope.success.is_empty();
        if !keep {
            if no_flag || rest_succeeded(&rest, &envelope.success) {
                return Ok(Parts::default());
            }
        } else {
            // Kept: made JSON once, and looked into there.
            let rest = rest.to_value();
            if no_flag || succeeded(&rest, &envelope.success) {
                return Ok(Parts {
                    warnings: strings(&rest, &envelope.warnings),
                    messages: strings(&rest, &envelope.messages),
                    rest,
                    output: None,
                });
            }
        }
    }
    // Everything else, step by step, so that a failure says what it is.
    let invalid = |e: serde_json::Error| Error::InvalidJson {
        operation: operation.to_owned(),
        status,
        message: e.to_string(),
        excerpt: show(text),
    };
    let root: &RawValue = serde_json::from_str(text).map_err(invalid)?;
    // Refused credentials in the shape the API names (cPanel's
    // `cpanelresult` saying "Access denied"), whatever the status: some
    // servers send it with 200.
    let root_value = || serde_json::from_str::<Value>(text).ok();
    let rejection = || root_value().and_then(|v| texts_at(&v, &refusal.rejection).next());
    let denial = match refusal.denied.is_empty() {
        true => None,
        false => {
            root_value().and_then(|v| texts_at(&v, &refusal.rejection).find(|r| refusal.denies(r)))
        }
    };
    if let Some(reason) = denial {
        return Err(Error::AccessDenied {
            operation: operation.to_owned(),
            status,
            reason,
        });
    }
    if !(200..300).contains(&status) {
        let mut error = status_failure(envelope, operation, status, text, &show);
        if let (Error::Status { body, .. }, Some(read)) = (&mut error, failure) {
            // Decoded from what errors may show: a secret the server
            // echoed is masked in the body too.
            *body = read(status, &scrubber.clean(text));
        }
        return Err(error);
    }
    // No success flag: a failure the server gave before running the call
    // (cPanel's unknown user, before WHM dispatched it), where the API
    // keeps one, else not this API's reply.
    let not_reply = || match rejection() {
        Some(reason) => Error::api(operation, reason),
        None => Error::NotApiReply {
            operation: operation.to_owned(),
            status,
            expected: envelope
                .success
                .first()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            excerpt: show(text),
        },
    };
    let found = unwrap_envelopes(envelope, operation, list, root, &invalid, &not_reply)?;
    decode(found.payload, &found.pointer, payload).map_err(|(path, message)| Error::Decode {
        operation: operation.to_owned(),
        path,
        message,
        excerpt: show(text),
    })?;
    Ok(Parts {
        warnings: found.warnings,
        messages: found.messages,
        rest: found.rest,
        output: None,
    })
}

/// A reply that is no answer at all: refused credentials (401, 403), or a
/// body that is not JSON (a login page, a proxy's error page).
fn refused(
    (envelope, refusal): (&Envelope, &Refusal),
    operation: &str,
    status: u16,
    text: &str,
    show: &dyn Fn(&str) -> String,
) -> Option<Error> {
    let first = text.trim_start().chars().next();
    // A string, number, boolean or `null` is JSON too: an API without an
    // envelope may answer with one; an API with one never does.
    let scalar = || serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok();
    let looks_json = matches!(first, Some('{' | '['));
    if !looks_json && !(400..600).contains(&status) && scalar() {
        let expected = envelope.success.first()?;
        return Some(Error::NotApiReply {
            operation: operation.to_owned(),
            status,
            expected: expected.to_string(),
            excerpt: show(text),
        });
    }
    if status == 401 || status == 403 {
        // Where the API keeps a refusal's reason, else a failure's.
        let pointers = match refusal.reason.is_empty() {
            true => &envelope.message,
            false => &refusal.reason,
        };
        let reason = looks_json
            .then(|| serde_json::from_str::<Value>(text).ok())
            .flatten()
            .and_then(|v| texts_at(&v, pointers).next())
            .unwrap_or_else(|| show(text));
        return Some(Error::AccessDenied {
            operation: operation.to_owned(),
            status,
            reason,
        });
    }
    if !looks_json {
        return Some(Error::NotJson {
            operation: operation.to_owned(),
            status,
            login_page: refusal.is_login_page(text),
            excerpt: show(text),
        });
    }
    None
}

/// The error for a JSON reply with an error status: the API's own reason
/// when its envelope gives one (a success flag present and false), else
/// the status.
fn status_failure(
    envelope: &Envelope,
    operation: &str,
    status: u16,
    text: &str,
    show: &dyn Fn(&str) -> String,
) -> Error {
    let reason = serde_json::from_str::<Value>(text).ok().and_then(|v| {
        let flag = first_flag(&v, &envelope.success)?;
        let failed = !succeeded(&v, &envelope.success) && !flag.is_null();
        failed.then(|| {
            first_of(&v, &envelope.message)
                .map(reason_text)
                .unwrap_or_default()
        })
    });
    match reason {
        Some(reason) if !reason.is_empty() => Error::api(operation, reason),
        _ => Error::Status {
            operation: operation.to_owned(),
            status,
            excerpt: show(text),
            body: None,
        },
    }
}

/// The texts at `pointers` in `value`, in order, where they are text.
fn texts_at<'v>(value: &'v Value, pointers: &'v [Text]) -> impl Iterator<Item = String> + 'v {
    pointers
        .iter()
        .filter_map(|p| pointer::at(value, p).and_then(Value::as_str))
        .map(str::to_owned)
}

/// Decodes the payload found at `pointer` into `payload`; a missing,
/// `null`, `[]` or `""` payload is read as an empty object or list when the
/// type takes one. Errors carry the JSON path (`data.acct[3].uid`).
fn decode<'de>(
    found: Option<&'de RawValue>,
    pointer: &str,
    payload: &mut dyn Sink<'de>,
) -> Result<(), (String, String)> {
    let prefix = pointer.trim_start_matches('/').replace('/', ".");
    let text = found.map_or("null", RawValue::get);
    let Err(first) = payload.decode_whole(text) else {
        return Ok(());
    };
    // "Nothing" has many spellings; the type takes the one it can.
    let empty = matches!(text.trim(), "null" | "[]" | "\"\"" | "{}");
    if empty
        && ["{}", "[]"]
            .into_iter()
            .any(|t| payload.decode_whole(t).is_ok())
    {
        return Ok(());
    }
    let path = match (prefix.is_empty(), first.path.as_str()) {
        (true, "") => ".".to_owned(),
        (true, inner) => inner.to_owned(),
        (false, "") => prefix,
        (false, inner) if inner.starts_with('[') => format!("{prefix}{inner}"),
        (false, inner) => format!("{prefix}.{inner}"),
    };
    Err((path, first.message))
}

#[cfg(test)]
mod tests;
