//! Lists and maps, lenient about their elements.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::scalars::{bool, f64, i64, string};
use super::{By, Decoder, at_index, at_key, keep};
use crate::decode::payload::path::Segment;
use crate::decode::payload::strays;
use crate::decode::text::Text;

// ---- lists and maps --------------------------------------------------------

/// An element decoder, so that list and map decoders can be lenient about
/// their elements too.
pub trait Element<'de>: Sized {
    /// Decodes one element.
    fn element<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

macro_rules! element {
    ($t:ty, $f:path) => {
        impl<'de> Element<'de> for $t {
            fn element<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $f(d)
            }
        }
    };
}
// Every text type is an element: lists of text borrow like text does.
impl<'de, S: Text<'de>> Element<'de> for S {
    fn element<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        string(d)
    }
}
element!(i64, i64);
element!(f64, f64);
element!(bool, bool);
element!(serde_json::Value, serde_json::Value::deserialize);

// Containers are elements of elements: a list of maps of numbers is as
// lenient about its numbers as a field of numbers is, at any depth.
impl<'de, E: Element<'de>> Element<'de> for Option<E> {
    fn element<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        opt_element(d)
    }
}

impl<'de, E: Element<'de>> Element<'de> for Vec<E> {
    fn element<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        list(d)
    }
}

/// A payload of bytes (a file, an image): the body as received. From
/// JSON (a saved reply, a round trip), a string's bytes or a list of
/// numbers.
impl<'de> Element<'de> for Vec<u8> {
    fn element<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Bytes;
        impl<'de> Visitor<'de> for Bytes {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<u8>, E> {
                Ok(v.as_bytes().to_vec())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
                let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(byte) = seq.next_element::<u8>()? {
                    bytes.push(byte);
                }
                Ok(bytes)
            }
        }
        d.deserialize_byte_buf(Bytes)
    }
}

impl<'de, E: Element<'de>> Element<'de> for BTreeMap<String, E> {
    fn element<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        dict(d)
    }
}

/// A value decoded as [`Element`] says, as a `Deserialize` type: how a
/// generated payload is read whatever its shape (a map of strings, a list
/// of lists), with the leniency its members have.
pub struct Lenient<T>(pub T);

impl<'de, T: Element<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::element(d).map(Lenient)
    }
}

/// `null` as `None`, anything else as the element `E`.
pub fn opt_element<'de, D: Deserializer<'de>, E: Element<'de>>(
    d: D,
) -> Result<Option<E>, D::Error> {
    d.deserialize_option(OptElement::<E>(PhantomData))
}

/// `null`, or a value handed to its element decoder.
pub(super) struct OptElement<E>(PhantomData<E>);

impl<'de, E: Element<'de>> Visitor<'de> for OptElement<E> {
    type Value = Option<E>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<Er: de::Error>(self) -> Result<Self::Value, Er> {
        Ok(None)
    }
    fn visit_unit<Er: de::Error>(self) -> Result<Self::Value, Er> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        E::element(d).map(Some)
    }
}

/// Elements decoded leniently, as [`Element`] says; `by::Plain` decodes
/// them as their own `Deserialize` says (structs, enums, values).
enum AsElement {}

impl<'de, E: Element<'de>> Decoder<'de, E> for AsElement {
    fn decode<D: Deserializer<'de>>(d: D) -> Result<E, D::Error> {
        E::element(d)
    }
}

/// A list whose elements `M` decodes.
pub(super) struct ListVisitor<M, E>(pub(super) PhantomData<(M, E)>);

impl<'de, M: Decoder<'de, E>, E> Visitor<'de> for ListVisitor<M, E> {
    type Value = Vec<E>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list (or null, or an object of elements)")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<E>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        // Counted apart from `out`: an element kept as a stray is not in it.
        // This thread's values kept before the element being decoded.
        let mut known = strays::count();
        let mut watch = strays::watch();
        for index in 0.. {
            let (len, more) = (
                out.len(),
                M::push_next(&mut seq, &mut out).map_err(at_index(index))?,
            );
            if watch.moved() {
                watch = strays::watch();
                if strays::count() != known
                    && strays::inside(known, Segment::Index(index))
                    && out.len() > len
                {
                    out.pop();
                }
                known = strays::count();
            }
            if !more {
                break;
            }
        }
        Ok(out)
    }
    // `{}` for an empty list, or `{"0": a, "1": b}`: the values in order.
    // A member named otherwise is no element: it is kept, as a member a
    // record has no field for would be.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<E>, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if !key.bytes().all(|b| b.is_ascii_digit()) || key.is_empty() {
                let value = map.next_value::<serde_json::Value>()?;
                let before = strays::count();
                strays::keep(value);
                strays::inside(before, Segment::Key(key));
                continue;
            }
            let before = strays::count();
            let element = map
                .next_value_seed(By::<M, E>(PhantomData))
                .map_err(at_key(&key))?;
            if strays::count() == before || !strays::inside(before, Segment::Key(key)) {
                out.push(element);
            }
        }
        Ok(out)
    }
    fn visit_unit<Er: de::Error>(self) -> Result<Vec<E>, Er> {
        Ok(Vec::new())
    }
    fn visit_none<Er: de::Error>(self) -> Result<Vec<E>, Er> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<E>, D::Error> {
        d.deserialize_any(self)
    }
    // A single value where a list was expected is a list of one. Every
    // kind of value goes through one decoder (from JSON) rather than one
    // per kind: a list type compiles one copy, not five.
    fn visit_str<Er: de::Error>(self, v: &str) -> Result<Vec<E>, Er> {
        M::single(serde_json::Value::from(v)).map(Vec::from_iter)
    }
    fn visit_i64<Er: de::Error>(self, v: i64) -> Result<Vec<E>, Er> {
        M::single(serde_json::Value::from(v)).map(Vec::from_iter)
    }
    fn visit_u64<Er: de::Error>(self, v: u64) -> Result<Vec<E>, Er> {
        M::single(serde_json::Value::from(v)).map(Vec::from_iter)
    }
    fn visit_f64<Er: de::Error>(self, v: f64) -> Result<Vec<E>, Er> {
        M::single(serde_json::Value::from(v)).map(Vec::from_iter)
    }
    fn visit_bool<Er: de::Error>(self, v: bool) -> Result<Vec<E>, Er> {
        M::single(serde_json::Value::from(v)).map(Vec::from_iter)
    }
}

/// A list of lenient elements from `[...]`, `{}`, `{"0": ...}`, `null` or a
/// single value.
pub fn list<'de, D: Deserializer<'de>, E: Element<'de>>(d: D) -> Result<Vec<E>, D::Error> {
    d.deserialize_any(ListVisitor::<AsElement, E>(PhantomData))
}

/// A map whose values `M` decodes.
pub(super) struct MapVisitor<M, E>(PhantomData<(M, E)>);

impl<'de, M: Decoder<'de, E>, E> Visitor<'de> for MapVisitor<M, E> {
    type Value = BTreeMap<String, E>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object (or null, or an empty list)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let before = strays::count();
            let value = map
                .next_value_seed(By::<M, E>(PhantomData))
                .map_err(at_key(&key))?;
            if strays::count() == before || !strays::inside(before, Segment::Key(key.clone())) {
                out.insert(key, value);
            }
        }
        Ok(out)
    }
    // `[]` for an empty object, or a list: keyed by position.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        for i in 0.. {
            let before = strays::count();
            let element = seq
                .next_element_seed(By::<M, E>(PhantomData))
                .map_err(at_index(i))?;
            let itself = strays::count() != before && strays::inside(before, Segment::Index(i));
            match element {
                Some(_) if itself => {}
                Some(e) => {
                    out.insert(i.to_string(), e);
                }
                None => break,
            }
        }
        Ok(out)
    }
    // A plain value where an object goes is kept.
    fn visit_str<Er: de::Error>(self, v: &str) -> Result<Self::Value, Er> {
        stray!(v, BTreeMap::new())
    }
    fn visit_i64<Er: de::Error>(self, v: i64) -> Result<Self::Value, Er> {
        stray!(v, BTreeMap::new())
    }
    fn visit_u64<Er: de::Error>(self, v: u64) -> Result<Self::Value, Er> {
        stray!(v, BTreeMap::new())
    }
    fn visit_f64<Er: de::Error>(self, v: f64) -> Result<Self::Value, Er> {
        stray!(v, BTreeMap::new())
    }
    fn visit_bool<Er: de::Error>(self, v: bool) -> Result<Self::Value, Er> {
        stray!(v, BTreeMap::new())
    }
    fn visit_unit<Er: de::Error>(self) -> Result<Self::Value, Er> {
        Ok(BTreeMap::new())
    }
    fn visit_none<Er: de::Error>(self) -> Result<Self::Value, Er> {
        Ok(BTreeMap::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// A map of lenient values from `{...}`, `[]`, a list (keyed by position) or `null`.
pub fn dict<'de, D: Deserializer<'de>, E: Element<'de>>(
    d: D,
) -> Result<BTreeMap<String, E>, D::Error> {
    d.deserialize_any(MapVisitor::<AsElement, E>(PhantomData))
}
