//! Reply structs, decoded member by member in place, and objects where a
//! value of one shape goes.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::collections::ListVisitor;
use super::scalars::OptionOf;
use super::{Decoder, Key, at_key, keep, keep_unless_empty};
use crate::decode::payload::path::Segment;
use crate::decode::payload::strays;

// ---- records ---------------------------------------------------------------

/// A generated reply struct, decoded member by member: each known member
/// by its field's decoder, every other member kept as JSON.
///
/// Written out rather than derived because serde's `flatten`, which would
/// keep the unknown members, makes every member's key go through a
/// buffered enum: about a sixth of decoding a large listing.
pub trait Record<'de>: Default {
    /// What the record is, for errors (`a ListacctsAcct object`).
    const EXPECTING: &'static str;
    /// Decodes the value of member `key` into its field, or keeps it in
    /// [`rest`](Record::rest) ([`unknown`]) when no field has that wire
    /// name.
    // One pointer back (`Ok` or the error), not a flag beside it: the
    // flag came back through memory, two loads and a branch more for
    // every member of a large listing.
    fn member<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
    /// Where members the spec does not describe go.
    fn rest(&mut self) -> &mut BTreeMap<String, serde_json::Value>;
}

/// A [`Record`] from a JSON object.
pub fn record<'de, D: Deserializer<'de>, R: Record<'de>>(d: D) -> Result<R, D::Error> {
    let mut record = R::default();
    d.deserialize_any(RecordVisitor(&mut record))?;
    Ok(record)
}

/// Fills a record where it is stored: a listing's records are decoded
/// in their list's buffer rather than built aside and moved in (a record
/// is hundreds of bytes; the moves were about 3% of decoding a large
/// listing).
pub(super) struct RecordVisitor<'r, R>(pub(super) &'r mut R);

/// Whether the value was a record (an object, or `[]` for an empty one);
/// anything else is kept as a stray and leaves the record as it was.
impl<'de, R: Record<'de>> Visitor<'de> for RecordVisitor<'_, R> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(R::EXPECTING)
    }
    // Not inlined into the deserializer's dispatch on the kind of value,
    // which would make this loop, run for every member, slower.
    #[inline(never)]
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let record = self.0;
        // Each member's kept values are taken before the next member, so
        // this is the count before every member.
        let start = strays::count();
        // One look for every member, not one before and one after: a
        // member that keeps nothing leaves the generation as it was.
        let mut watch = strays::watch();
        while let Some(key) = map.next_key_seed(Key)? {
            record.member(&key, &mut map).map_err(at_key(&key))?;
            // An unknown member, kept whole by `unknown`, keeps no stray:
            // the look finds the generation as it was.
            if watch.moved() {
                watch = strays::watch();
                if strays::count() != start {
                    take_strays(record.rest(), start, &key);
                }
            }
        }
        Ok(true)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
        keep_unless_empty(seq)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        stray!(v, false)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        stray!(v, false)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        stray!(v, false)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        stray!(v, false)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        stray!(v, false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        stray!(serde_json::Value::Null, false)
    }
}

/// A member no field of the record has: kept whole, as JSON, under its key.
pub fn unknown<'de, A: MapAccess<'de>>(
    rest: &mut BTreeMap<String, serde_json::Value>,
    key: &str,
    map: &mut A,
) -> Result<(), A::Error> {
    let value = map.next_value::<serde_json::Value>()?;
    rest.insert(key.to_owned(), value);
    Ok(())
}

/// What a member's type could not hold, kept in its record's `extra`
/// under its path from the record.
#[cold]
#[inline(never)]
fn take_strays(rest: &mut BTreeMap<String, serde_json::Value>, start: usize, key: &str) {
    strays::inside(start, Segment::Key(key.to_owned()));
    rest.extend(strays::take_since(start));
}

impl<'de, R: Record<'de>> de::DeserializeSeed<'de> for RecordVisitor<'_, R> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

/// A list of [`Record`]s, each decoded in place where the list keeps it.
pub fn records<'de, D: Deserializer<'de>, R: Record<'de>>(d: D) -> Result<Vec<R>, D::Error> {
    d.deserialize_any(ListVisitor::<AsRecord, R>(PhantomData))
}

/// Records as list elements, decoded where the list keeps them.
enum AsRecord {}

impl<'de, R: Record<'de>> Decoder<'de, R> for AsRecord {
    fn decode<D: Deserializer<'de>>(d: D) -> Result<R, D::Error> {
        record(d)
    }
    // A plain value is never a record: it is kept.
    fn single<Er: de::Error>(value: serde_json::Value) -> Result<Option<R>, Er> {
        stray!(value, None)
    }
    // Inlined into the list's loop: a call per element cost about 0.9
    // million instructions in a 10,000-account listing.
    #[inline(always)]
    fn push_next<A: SeqAccess<'de>>(seq: &mut A, out: &mut Vec<R>) -> Result<bool, A::Error> {
        // Built where it is kept: `push` builds the record aside and then
        // copies it in.
        out.resize_with(out.len() + 1, R::default);
        let place = out.last_mut().expect("just pushed");
        match seq.next_element_seed(RecordVisitor(place))? {
            Some(true) => Ok(true),
            // Not a record: kept as a stray, not in the list.
            Some(false) => {
                out.pop();
                Ok(true)
            }
            None => {
                out.pop();
                Ok(false)
            }
        }
    }
}

pub(super) struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Record<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object (or null, an empty list or an empty string)")
    }
    // Straight into the record: no deserializer around the map, and so no
    // second copy of the record's decoder.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let mut record = T::default();
        RecordVisitor(&mut record).visit_map(map)?;
        Ok(record)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        keep_unless_empty(seq).map(|_| T::default())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        if v.is_empty() {
            Ok(T::default())
        } else {
            stray!(v, T::default())
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        stray!(v, T::default())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        stray!(v, T::default())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        stray!(v, T::default())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        stray!(v, T::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
}

/// A reply struct from an object; `null`, `[]` and `""` (how WHM writes
/// "nothing") give the struct's default.
pub fn object<'de, D: Deserializer<'de>, T: Record<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(ObjectVisitor::<T>(PhantomData))
}

/// Like [`object`], with `null` as `None`.
pub fn opt_object<'de, D: Deserializer<'de>, T: Record<'de>>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_option(OptionOf(ObjectVisitor::<T>(PhantomData)))
}

/// [`opt_object`], in a `Box`: a member that closes a cycle of structs.
pub fn opt_boxed<'de, D: Deserializer<'de>, T: Record<'de>>(
    d: D,
) -> Result<Option<Box<T>>, D::Error> {
    opt_object(d).map(|o| o.map(Box::new))
}
