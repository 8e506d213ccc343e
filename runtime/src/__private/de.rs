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

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use crate::payload::path::Segment;
use crate::payload::strays;
use crate::text::Text;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

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

// ---- strings ---------------------------------------------------------------

/// Text of type `S` (`String`, or one that borrows from the body).
struct StringVisitor<S>(PhantomData<S>);

impl<'de, S: Text<'de>> Visitor<'de> for StringVisitor<S> {
    type Value = S;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<S, E> {
        Ok(S::borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<S, E> {
        Ok(S::copied(v))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<S, E> {
        Ok(S::owned(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<S, E> {
        Ok(S::owned(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<S, E> {
        Ok(S::owned(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<S, E> {
        Ok(S::owned(
            serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string()),
        ))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<S, E> {
        Ok(S::borrowed(if v { "true" } else { "false" }))
    }
    fn visit_unit<E: de::Error>(self) -> Result<S, E> {
        Ok(S::borrowed(""))
    }
    fn visit_none<E: de::Error>(self) -> Result<S, E> {
        Ok(S::borrowed(""))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<S, D::Error> {
        d.deserialize_any(self)
    }
    // A structure where text was expected is kept as it came.
    keep_structures!(S::default());
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = serde_json::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<serde_json::Value, A::Error> {
        serde::Deserialize::deserialize(de::value::SeqAccessDeserializer::new(seq))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<serde_json::Value, A::Error> {
        serde::Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))
    }
}

/// Text from a string, number, boolean or `null` (empty).
pub fn string<'de, D: Deserializer<'de>, S: Text<'de>>(d: D) -> Result<S, D::Error> {
    d.deserialize_any(StringVisitor(PhantomData))
}

/// Like [`string`], with `null` as `None`.
pub fn opt_string<'de, D: Deserializer<'de>, S: Text<'de>>(d: D) -> Result<Option<S>, D::Error> {
    d.deserialize_option(OptionOf(StringVisitor(PhantomData)))
}

// ---- numbers ---------------------------------------------------------------

struct IntVisitor;

impl<'de> Visitor<'de> for IntVisitor {
    type Value = i64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a numeric string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).or_else(|_| stray!(v, 0))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if v.fract() == 0.0 && v.abs() < 9.2e18 {
            Ok(v as i64)
        } else {
            stray!(v, 0)
        }
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<i64, E> {
        Ok(i64::from(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(0);
        }
        if let Ok(n) = t.parse::<i64>() {
            return Ok(n);
        }
        match t.parse::<f64>() {
            Ok(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Ok(f as i64),
            _ => stray!(v, 0),
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<i64, E> {
        Ok(0)
    }
    fn visit_none<E: de::Error>(self) -> Result<i64, E> {
        Ok(0)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<i64, D::Error> {
        d.deserialize_any(self)
    }
    keep_structures!(0);
}

/// An integer from a number, a numeric string, a boolean, `""` or `null` (0).
pub fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(IntVisitor)
}

/// Like [`i64()`], with `null` as `None`.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_option(OptionOf(IntVisitor))
}

struct FloatVisitor;

impl<'de> Visitor<'de> for FloatVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a numeric string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<f64, E> {
        Ok(if v { 1.0 } else { 0.0 })
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(0.0);
        }
        match t.parse() {
            Ok(f) => Ok(f),
            Err(_) => stray!(v, 0.0),
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<f64, E> {
        Ok(0.0)
    }
    fn visit_none<E: de::Error>(self) -> Result<f64, E> {
        Ok(0.0)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<f64, D::Error> {
        d.deserialize_any(self)
    }
    keep_structures!(0.0);
}

/// A number from a number, a numeric string, `""` or `null` (0).
pub fn f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    d.deserialize_any(FloatVisitor)
}

/// Like [`f64()`], with `null` as `None`.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    d.deserialize_option(OptionOf(FloatVisitor))
}

// ---- flags -----------------------------------------------------------------

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, 0, 1, \"0\" or \"1\"")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        Ok(v != 0)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        Ok(v != 0)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        Ok(v != 0.0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "y" | "on" => Ok(true),
            "0" | "false" | "no" | "n" | "off" | "" => Ok(false),
            _ => stray!(v, false),
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
    keep_structures!(false);
}

/// A flag from `true`/`false`, `0`/`1`, `"0"`/`"1"`, `""` or `null` (false).
pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(BoolVisitor)
}

/// Like [`bool()`], with `null` as `None`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    d.deserialize_option(OptionOf(BoolVisitor))
}

// ---- options ---------------------------------------------------------------

struct OptionOf<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for OptionOf<V> {
    type Value = Option<V::Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)?;
        f.write_str(" or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    // A value kept as a stray is absent here, not its type's default.
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let before = strays::count();
        let value = d.deserialize_any(self.0)?;
        Ok((strays::count() == before).then_some(value))
    }
}

// ---- where errors happen ---------------------------------------------------

/// Records, for the error passing through, that it happened in member `key`
/// (see [`crate::payload::path`]: the path of a decoding error is built
/// as it travels out, so that no second deserializer has to track it).
fn at_key<E>(key: &str) -> impl FnOnce(E) -> E + '_ {
    move |e| {
        crate::payload::path::push_key(key);
        e
    }
}

/// Records, for the error passing through, that it happened in element `index`.
fn at_index<E>(index: usize) -> impl FnOnce(E) -> E {
    move |e| {
        crate::payload::path::push_index(index);
        e
    }
}

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
element!(crate::Limit, crate::Limit::deserialize);
element!(crate::Empty, crate::Empty::deserialize);
element!(serde_json::Value, serde_json::Value::deserialize);

impl<'de> Element<'de> for crate::Secret {
    fn element<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        string::<D, String>(d).map(crate::Secret::new)
    }
}

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
struct OptElement<E>(PhantomData<E>);

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
struct ListVisitor<M, E>(PhantomData<(M, E)>);

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
struct MapVisitor<M, E>(PhantomData<(M, E)>);

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

struct ObjectVisitor<T>(PhantomData<T>);

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
    /// Decodes the value of member `key` into its field; `false` when no
    /// field has that wire name (the value is then still to be read).
    fn member<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;
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
struct RecordVisitor<'r, R>(&'r mut R);

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
            if !record.member(&key, &mut map).map_err(at_key(&key))? {
                let value = map
                    .next_value::<serde_json::Value>()
                    .map_err(at_key(&key))?;
                record.rest().insert(key.into_owned(), value);
            } else if watch.moved() {
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
    fn push_next<A: SeqAccess<'de>>(seq: &mut A, out: &mut Vec<R>) -> Result<bool, A::Error> {
        out.push(R::default());
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

/// The decoders as types, for [`next`].
pub mod by {
    use serde::de::{Deserialize, Deserializer};

    use super::{Decoder, Element};
    use crate::text::Text;

    macro_rules! decoders {
        ($($(#[$doc:meta])* $name:ident [$($g:tt)*] $t:ty => $f:path;)*) => {$(
            $(#[$doc])*
            #[derive(Debug)]
            pub enum $name {}

            impl<'de, $($g)*> Decoder<'de, $t> for $name {
                fn decode<D: Deserializer<'de>>(d: D) -> ::std::result::Result<$t, D::Error> {
                    $f(d)
                }
            }
        )*};
    }

    decoders! {
        /// [`super::string`].
        String [S: Text<'de>] S => super::string;
        /// [`super::opt_string`].
        OptString [S: Text<'de>] ::std::option::Option<S> => super::opt_string;
        /// [`super::i64()`].
        I64 [] i64 => super::i64;
        /// [`super::opt_i64`].
        OptI64 [] ::std::option::Option<i64> => super::opt_i64;
        /// [`super::f64()`].
        F64 [] f64 => super::f64;
        /// [`super::opt_f64`].
        OptF64 [] ::std::option::Option<f64> => super::opt_f64;
        /// [`super::bool()`].
        Bool [] bool => super::bool;
        /// [`super::opt_bool`].
        OptBool [] ::std::option::Option<bool> => super::opt_bool;
        /// [`super::list`].
        List [E: Element<'de>] ::std::vec::Vec<E> => super::list;
        /// [`super::records`].
        Records [R: super::Record<'de>] ::std::vec::Vec<R> => super::records;
        /// [`super::dict`].
        Dict [E: Element<'de>] ::std::collections::BTreeMap<::std::string::String, E> => super::dict;
        /// [`super::object`].
        Object [T: super::Record<'de>] T => super::object;
        /// [`super::opt_object`].
        OptObject [T: super::Record<'de>] ::std::option::Option<T> => super::opt_object;
        /// [`super::opt_boxed`].
        OptBoxed [T: super::Record<'de>] ::std::option::Option<::std::boxed::Box<T>> => super::opt_boxed;
        /// [`super::opt_element`].
        Opt [E: Element<'de>] ::std::option::Option<E> => super::opt_element;
        /// The value's own [`Element`] decoder.
        Lenient [E: Element<'de>] E => E::element;
        /// The type's own `Deserialize`.
        Plain [T: Deserialize<'de>] T => T::deserialize;
    }
}

/// The [`Record`] and `Deserialize` implementations of a generated reply
/// struct, and its `Serialize` implementation when asked: optionally
/// `serialize` (after the attributes of that implementation, such as a
/// `cfg` that puts it behind a feature), the struct's name (with its text
/// type parameter, `Name[S]`, when it has one), the field that keeps other
/// members, then each field with its wire name where that differs from the
/// field's (`r#type = "type"`) and its decoder (a type of [`by`]). A macro
/// keeps generated crates small: the code is written once, here.
#[macro_export]
#[doc(hidden)]
macro_rules! __record {
    (
        $(#[$serialize:meta])* serialize
        $name:ident $([$text:ident])?, $rest:ident
        $(, ($field:ident $(= $wire:literal)?, $by:ident))* $(,)?
    ) => {
        $crate::__record!($name $([$text])?, $rest $(, ($field $(= $wire)?, $by))*);

        // The reply as the server sent it: known members under their wire
        // names, then the others as they came.
        $(#[$serialize])*
        impl<$($text: $crate::__private::serde::Serialize)?> $crate::__private::serde::Serialize
            for $name $(<$text>)?
        {
            fn serialize<Z: $crate::__private::serde::Serializer>(
                &self,
                serializer: Z,
            ) -> ::std::result::Result<Z::Ok, Z::Error> {
                use $crate::__private::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                $(map.serialize_entry($crate::__record_wire!($field $(, $wire)?), &self.$field)?;)*
                for (key, value) in &self.$rest {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    };
    (
        $name:ident $([$text:ident])?, $rest:ident
        $(, ($field:ident $(= $wire:literal)?, $by:ident))* $(,)?
    ) => {
        impl<'de $(, $text: $crate::Text<'de>)?> $crate::__private::serde::Deserialize<'de>
            for $name $(<$text>)?
        {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::de::record(d)
            }
        }

        impl<'de $(, $text: $crate::Text<'de>)?> $crate::__private::de::Element<'de>
            for $name $(<$text>)?
        {
            fn element<D: $crate::__private::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::de::object(d)
            }
        }

        impl<'de $(, $text: $crate::Text<'de>)?> $crate::__private::de::Record<'de>
            for $name $(<$text>)?
        {
            const EXPECTING: &'static str = concat!("a `", stringify!($name), "` object");

            fn member<A: $crate::__private::serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> ::std::result::Result<bool, A::Error> {
                let _ = &map; // a struct without fields reads none
                ::std::result::Result::Ok(match key {
                    $($crate::__record_wire!($field $(, $wire)?) => {
                        self.$field = $crate::__private::de::next::<
                            $crate::__private::de::by::$by, _, _>(map)?;
                        true
                    })*
                    _ => false,
                })
            }

            fn rest(
                &mut self,
            ) -> &mut ::std::collections::BTreeMap<::std::string::String, $crate::__private::serde_json::Value> {
                &mut self.$rest
            }
        }
    };
}
pub use crate::__record as record_impls;

/// The implementations of a generated reply enum (documented values, and
/// `Other(String)` for any other): read wherever text goes, as leniently as
/// a text field (a number or flag as its text), written as its text.
#[doc(hidden)]
#[macro_export]
macro_rules! __reply_enum {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as sent.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Other(text) => text,
                }
            }
        }

        /// `Other("")`: what a reply that leaves the member out reads as.
        impl ::std::default::Default for $name {
            fn default() -> Self {
                Self::Other(::std::string::String::new())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $($wire => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl<'de> $crate::__private::de::Element<'de> for $name {
            fn element<D: $crate::__private::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let text: ::std::borrow::Cow<'de, str> = $crate::__private::de::string(d)?;
                ::std::result::Result::Ok(Self::from(&*text))
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <Self as $crate::__private::de::Element<'de>>::element(d)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<Z: $crate::__private::serde::Serializer>(
                &self,
                serializer: Z,
            ) -> ::std::result::Result<Z::Ok, Z::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}
pub use crate::__reply_enum as reply_enum;

/// A field's wire name: the one given, or the field's own name.
#[macro_export]
#[doc(hidden)]
macro_rules! __record_wire {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident, $wire:literal) => {
        $wire
    };
}
