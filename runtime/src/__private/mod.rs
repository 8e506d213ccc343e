//! What generated code uses and nothing else should: the crates it derives
//! with, lenient decoders and the API description types. Generated code
//! reaches all of its dependencies through here, so it depends on this
//! crate alone.

mod macros;
pub mod sent;

/// The lenient decoders, and the macros that implement
/// them for generated types.
pub mod de {
    pub use crate::decode::*;
    pub use crate::{__record as record_impls, __reply_enum as reply_enum, __union as union_impls};
}

pub use serde;
pub use serde_json;

pub use crate::operation::{Details, Kind, Operation, Param, Presence};
pub use crate::wire::{Auth, Body, Envelope, FailureSign, Held, Media, Method, Refusal};

use serde::Serialize;

/// Inserts `value` under `name` in a JSON body, whatever it is (`null`,
/// `[]`): the generated code calls it for what the caller gave.
pub fn json_insert<T: Serialize + ?Sized>(
    body: &mut serde_json::Map<String, serde_json::Value>,
    name: &str,
    value: &T,
) {
    // The generated types always serialize; a type of the caller's that
    // does not is left out rather than sent as something else.
    if let Ok(value) = serde_json::to_value(value) {
        body.insert(name.to_owned(), value);
    }
}

/// An operation of a generated crate, for tools and tests that go through
/// all of them.
#[derive(Debug, Clone, Copy)]
pub struct OperationInfo {
    /// The operation.
    pub operation: &'static crate::operation::Operation,
    /// Decodes a payload into the operation's type and encodes it back.
    pub roundtrip: Roundtrip,
    /// Reads a whole reply (HTTP status, body) as a client does, and gives
    /// back what it read as JSON: `data` (the payload encoded again, with
    /// what its type could not hold beside its members), `warnings`,
    /// `messages`, `rest`, and `unexpected`: what the type could not hold
    /// where the payload is not an object (a list, a map of lists), by path.
    pub read_reply: fn(u16, &[u8]) -> Result<serde_json::Value, crate::error::Error>,
}

impl OperationInfo {
    /// Every operation that `each` goes through (a generated crate's
    /// `each_operation`), with its decoders, compiled where this is called.
    pub fn all(each: fn(&mut Vec<OperationInfo>)) -> Vec<OperationInfo> {
        let mut all = Vec::new();
        each(&mut all);
        all
    }
}

impl EachOperation for Vec<OperationInfo> {
    fn operation<R: crate::api::Request>(&mut self)
    where
        R::Data: Serialize,
        for<'a> R::DataRef<'a>: Serialize,
    {
        self.push(OperationInfo {
            operation: R::OPERATION,
            roundtrip: roundtrip::<R::Data>,
            read_reply: read_reply_json::<R>,
        });
    }
}

/// Code that needs each operation's request type, to compile something
/// generic for it: a generated crate's `each_operation` calls
/// [`operation`](Self::operation) once for each of its operations.
///
/// A table of functions for every operation compiles them where the table
/// is, in every build of the crate; a visitor compiles them where it is
/// called: in the tool or test that uses them. Every reply decoder twice
/// over (owned and borrowed text) was about two thirds of a debug build of
/// a generated crate with all its features.
pub trait EachOperation {
    /// Called with each operation's request type.
    fn operation<R: crate::api::Request>(&mut self)
    where
        R::Data: Serialize,
        for<'a> R::DataRef<'a>: Serialize;
}

/// A payload decoded and encoded again, as JSON, or why it did not decode.
pub type Roundtrip = fn(&str) -> Result<serde_json::Value, String>;

/// Each operation's [`roundtrip_borrowed`], collected by a generated
/// crate's `each_operation`: [`roundtrip`] with the text borrowed must give
/// the same JSON.
#[derive(Debug, Default, Clone)]
pub struct BorrowedRoundtrips(Vec<(&'static str, Roundtrip)>);

impl BorrowedRoundtrips {
    /// The borrowed round trips of the operations `each` goes through
    /// (`whm_api::each_operation`).
    pub fn of(each: fn(&mut Self)) -> Self {
        let mut all = Self::default();
        each(&mut all);
        all
    }

    /// The borrowed round trip of the operation named `name`.
    pub fn get(&self, name: &str) -> Option<Roundtrip> {
        self.0.iter().find(|(n, _)| *n == name).map(|&(_, f)| f)
    }

    /// How many operations there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl EachOperation for BorrowedRoundtrips {
    fn operation<R: crate::api::Request>(&mut self)
    where
        R::Data: Serialize,
        for<'a> R::DataRef<'a>: Serialize,
    {
        self.0.push((R::OPERATION.name, roundtrip_borrowed::<R>));
    }
}

/// Reads a reply to `R` (HTTP `status`, `body`) exactly as a client does
/// after receiving it: the envelope checked, the payload decoded into
/// `R::Data`. Without a server, for benchmarks and fuzzing.
pub fn read_reply<R: crate::api::Request>(
    status: u16,
    body: &[u8],
) -> Result<crate::reply::Reply<R::Data>, crate::error::Error> {
    crate::read_reply::<R>(status, body)
}

/// A reply to `R` whose body is `text`, its payload as `T`.
fn read_reply_text<'de, R: crate::api::Request, T: serde::Deserialize<'de>>(
    status: u16,
    text: &'de str,
    raw: &[u8],
) -> Result<crate::reply::Reply<T>, crate::error::Error> {
    crate::reply::read_text(
        R::API,
        crate::reply::envelope_of::<R>(),
        (R::OPERATION.name, R::OPERATION.list),
        status,
        (text, raw),
        (&crate::scrub::Scrubber::default(), Some(R::failure)),
    )
}

/// [`read_reply`] with the payload's text borrowed from `body`, as
/// [`crate::client::received::Received::reply`] reads it (the body's UTF-8 check included).
/// A body that is not UTF-8 cannot lend its text: `InvalidJson`.
pub fn read_reply_borrowed<R: crate::api::Request>(
    status: u16,
    body: &[u8],
) -> Result<crate::reply::Reply<R::DataRef<'_>>, crate::error::Error> {
    let text = match crate::reply::text_of(body) {
        std::borrow::Cow::Borrowed(text) => text,
        // A payload of bytes lends nothing: it is read from `body`.
        std::borrow::Cow::Owned(_)
            if crate::reply::envelope_of::<R>().media == crate::wire::Media::Bytes =>
        {
            ""
        }
        std::borrow::Cow::Owned(_) => {
            return Err(crate::error::Error::InvalidJson {
                operation: R::OPERATION.name.to_owned(),
                status,
                message: "the body is not UTF-8".to_owned(),
                excerpt: String::new(),
            });
        }
    };
    read_reply_text::<R, de::Lenient<R::DataRef<'_>>>(status, text, body)
        .map(|reply| reply.map_data(|de::Lenient(data)| data))
}

/// [`read_reply`], as JSON (for [`OperationInfo::read_reply`]).
pub fn read_reply_json<R: crate::api::Request>(
    status: u16,
    body: &[u8],
) -> Result<serde_json::Value, crate::error::Error>
where
    R::Data: Serialize,
{
    let reply = read_reply::<R>(status, body)?;
    let data = serde_json::to_value(&reply.data);
    reply_json(R::OPERATION.name, data, reply.map_data(|_| ()))
}

/// The JSON of [`read_reply_json`], once the payload is JSON: the same
/// code for every operation.
fn reply_json(
    operation: &str,
    data: Result<serde_json::Value, serde_json::Error>,
    reply: crate::reply::Reply<()>,
) -> Result<serde_json::Value, crate::error::Error> {
    let encoding = |message: String| crate::error::Error::Decode {
        operation: operation.to_owned(),
        path: String::new(),
        message,
        excerpt: String::new(),
    };
    let mut data = data.map_err(|e| encoding(e.to_string()))?;
    let unexpected = match data {
        serde_json::Value::Object(_) => {
            beside(&mut data, reply.unexpected).map_err(encoding)?;
            serde_json::Map::new()
        }
        // A list has no members to keep them beside: they stay apart, as
        // in `Reply::unexpected`.
        _ => reply.unexpected.into_iter().collect(),
    };
    Ok(serde_json::json!({
        "data": data,
        "warnings": reply.warnings,
        "messages": reply.messages,
        "rest": reply.rest,
        "unexpected": unexpected,
    }))
}

/// Puts what a payload's type could not hold, and no struct took, beside
/// the payload's members, as a struct's `extra` would keep it.
fn beside(
    json: &mut serde_json::Value,
    unexpected: Vec<(String, serde_json::Value)>,
) -> Result<(), String> {
    for (path, kept) in unexpected {
        match json {
            serde_json::Value::Object(members) => {
                members.insert(path, kept);
            }
            _ => return Err(format!("at `{path}`: {kept} is kept outside the payload")),
        }
    }
    Ok(())
}

/// Decodes `json` as `T` and encodes the result again.
pub fn roundtrip<T: for<'de> de::Element<'de> + Serialize>(
    json: &str,
) -> Result<serde_json::Value, String> {
    roundtrip_in::<T>(json)
}

/// [`roundtrip`] of `R`'s payload with its text borrowed from `json`.
pub fn roundtrip_borrowed<R: crate::api::Request>(json: &str) -> Result<serde_json::Value, String>
where
    for<'a> R::DataRef<'a>: Serialize,
{
    roundtrip_in::<R::DataRef<'_>>(json)
}

fn roundtrip_in<'de, T: de::Element<'de> + Serialize>(
    json: &'de str,
) -> Result<serde_json::Value, String> {
    // The decoder a reply's payload goes through, path and all.
    let de::Lenient(value) =
        crate::decode::payload::decode::<de::Lenient<T>>(json).map_err(|e| {
            let path = if e.path.is_empty() {
                "."
            } else {
                e.path.as_str()
            };
            format!("at `{path}`: {}", e.message)
        })?;
    let unexpected = crate::decode::payload::strays::take_since(0);
    let mut json = serde_json::to_value(&value).map_err(|e| e.to_string())?;
    beside(&mut json, unexpected)?;
    Ok(json)
}
