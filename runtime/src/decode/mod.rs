//! Lenient decoders for generated response fields.
//!
//! WHM's types drift: numbers arrive as numbers or numeric strings, flags as
//! `0`/`1`, `"0"`/`"1"` or booleans, empty lists as `[]`, `{}`, `null` or
//! not at all. Each decoder accepts every spelling of its type it can read
//! without losing information. A value that cannot be that type (an object
//! where a number goes) is kept whole, not a failure of the whole reply:
//! the decoder gives its default and leaves the value to the nearest
//! record's `extra` (see `payload::strays`). Only what is not JSON
//! fails.

use std::marker::PhantomData;

use crate::decode::payload::strays;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

/// What a decoder does with a value its type cannot hold: keeps it (see
/// the module's documentation) and gives `default`. A macro, not a
/// function: generic over the default's type, a function would be one
/// more copy per reply struct.
macro_rules! stray {
    ($value:expr, $default:expr) => {{
        keep($value);
        Ok($default)
    }};
}

/// Keeps `value`, made JSON out of line: the decoders' usual paths stay
/// as small as they were without it.
#[cold]
#[inline(never)]
fn keep(value: impl Into<serde_json::Value>) {
    strays::keep(value.into());
}

/// The rest of a list whose first elements are already read, as JSON.
#[cold]
#[inline(never)]
fn drain_seq<'de, A: SeqAccess<'de>>(
    mut seq: A,
    mut items: Vec<serde_json::Value>,
) -> Result<serde_json::Value, A::Error> {
    while let Some(item) = seq.next_element::<serde_json::Value>()? {
        items.push(item);
    }
    Ok(serde_json::Value::Array(items))
}

/// A leaf's answers to lists and objects, which it cannot hold: the value
/// kept, the default given.
// Out of line: these paths are rare, and inlined they would make every
// leaf's decoder (a string, a number) larger and slower on the usual path.
macro_rules! keep_structures {
    ($default:expr) => {
        #[cold]
        #[inline(never)]
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            let value = drain_seq(seq, Vec::new())?;
            stray!(value, $default)
        }
        #[cold]
        #[inline(never)]
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            let value = drain_map(map)?;
            stray!(value, $default)
        }
    };
}

/// A list where a struct goes: `[]` is an empty struct (`true`); any
/// other list is kept (`false`). Not generic over the struct, so that it
/// is compiled once per deserializer rather than once per struct.
#[cold]
#[inline(never)]
fn keep_unless_empty<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<bool, A::Error> {
    match seq.next_element::<serde_json::Value>()? {
        None => Ok(true),
        Some(first) => {
            keep(drain_seq(seq, vec![first])?);
            Ok(false)
        }
    }
}

/// An object, as JSON.
#[cold]
#[inline(never)]
fn drain_map<'de, A: MapAccess<'de>>(map: A) -> Result<serde_json::Value, A::Error> {
    Visitor::visit_map(ValueVisitor, map)
}

pub mod by;
mod collections;
pub(crate) mod payload;
mod records;
mod scalars;
pub mod text;
pub mod unions;
mod whole;

pub use collections::{Element, Lenient, dict, list, opt_element};
pub use records::{Record, object, opt_boxed, opt_object, record, records, unknown};
use scalars::ValueVisitor;
pub use scalars::{
    bool, bool_field, f64, f64_field, i64, i64_field, opt_bool, opt_f64, opt_i64, opt_string,
    string, string_field,
};
pub use whole::{Whole, opt_whole, whole_field};

// ---- where errors happen ---------------------------------------------------

/// Records, for the error passing through, that it happened in member `key`
/// (see [`crate::decode::payload::path`]: the path of a decoding error is built
/// as it travels out, so that no second deserializer has to track it).
fn at_key<E>(key: &str) -> impl FnOnce(E) -> E + '_ {
    move |e| {
        crate::decode::payload::path::push_key(key);
        e
    }
}

/// Records, for the error passing through, that it happened in element `index`.
fn at_index<E>(index: usize) -> impl FnOnce(E) -> E {
    move |e| {
        crate::decode::payload::path::push_index(index);
        e
    }
}

/// A member's key, borrowed from the body when it can be.
struct Key;

impl<'de> de::DeserializeSeed<'de> for Key {
    type Value = std::borrow::Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        string(d)
    }
}

/// Decodes the value of the member just read as `T`, the way `M` says.
pub fn next<'de, M: Decoder<'de, T>, T, A: MapAccess<'de>>(map: &mut A) -> Result<T, A::Error> {
    map.next_value_seed(By::<M, T>(PhantomData))
}

/// Decodes the next member's value, the way `M` decodes a `T`, into
/// `slot`: a record's member decoder is one such call for each field.
// Inlined into the member decoder as the assignment it replaces was.
#[inline(always)]
pub fn fill<'de, M: Decoder<'de, T>, T, A: MapAccess<'de>>(
    slot: &mut T,
    map: &mut A,
) -> Result<(), A::Error> {
    *slot = next::<M, T, A>(map)?;
    Ok(())
}

/// A way to decode a `T`: one of the decoders of this module, as a type
/// that generated code can name ([`by`]).
pub trait Decoder<'de, T> {
    /// Decodes one value.
    fn decode<D: Deserializer<'de>>(d: D) -> Result<T, D::Error>;

    /// Decodes a plain value found where a list of `T` was expected (a
    /// list of one; `None`: a list of none, the value kept as a stray).
    fn single<Er: de::Error>(value: serde_json::Value) -> Result<Option<T>, Er>
    where
        Self: Sized,
    {
        Self::decode(value).map(Some).map_err(Er::custom)
    }

    /// Decodes the next element of a list onto the end of `out`; `false`
    /// at the end of the list.
    fn push_next<A: SeqAccess<'de>>(seq: &mut A, out: &mut Vec<T>) -> Result<bool, A::Error>
    where
        Self: Sized,
    {
        match seq.next_element_seed(By::<Self, T>(PhantomData))? {
            Some(element) => {
                out.push(element);
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

struct By<M, T>(PhantomData<(M, T)>);

impl<'de, M: Decoder<'de, T>, T> de::DeserializeSeed<'de> for By<M, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        M::decode(d)
    }
}
