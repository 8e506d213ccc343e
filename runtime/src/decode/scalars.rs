//! Leaves: strings, numbers, flags, and their options.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{drain_map, drain_seq, keep};
use crate::decode::payload::strays;
use crate::decode::text::Text;

// ---- strings ---------------------------------------------------------------

/// Text of type `S` (`String`, or one that borrows from the body).
/// `FIELD`: a record's field, where `null` is kept as sent (the field
/// reads as empty, and its record's `extra` says it was `null`).
pub(super) struct StringVisitor<S, const FIELD: bool = false>(PhantomData<S>);

impl<'de, S: Text<'de>, const FIELD: bool> Visitor<'de> for StringVisitor<S, FIELD> {
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
        null::<FIELD, _, E>(S::borrowed(""))
    }
    fn visit_none<E: de::Error>(self) -> Result<S, E> {
        null::<FIELD, _, E>(S::borrowed(""))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<S, D::Error> {
        d.deserialize_any(self)
    }
    // A structure where text was expected is kept as it came.
    keep_structures!(S::default());
}

pub(super) struct ValueVisitor;

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
    d.deserialize_any(StringVisitor::<S>(PhantomData))
}

/// [`string`] for a record's field: `null` reads as empty and is kept
/// in the record's `extra`, so that the reply tells "not set" from "set
/// to empty".
pub fn string_field<'de, D: Deserializer<'de>, S: Text<'de>>(d: D) -> Result<S, D::Error> {
    d.deserialize_any(StringVisitor::<S, true>(PhantomData))
}

/// What `null` reads as: `empty`, and for a record's field (`FIELD`) the
/// `null` kept as sent.
#[inline(always)]
pub(super) fn null<const FIELD: bool, T, E>(empty: T) -> Result<T, E> {
    if FIELD {
        keep(serde_json::Value::Null);
    }
    Ok(empty)
}

/// Like [`string`], with `null` as `None`.
pub fn opt_string<'de, D: Deserializer<'de>, S: Text<'de>>(d: D) -> Result<Option<S>, D::Error> {
    d.deserialize_option(OptionOf(StringVisitor::<S>(PhantomData)))
}

// ---- numbers ---------------------------------------------------------------

pub(super) struct IntVisitor<const FIELD: bool = false>;

impl<'de, const FIELD: bool> Visitor<'de> for IntVisitor<FIELD> {
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
        null::<FIELD, _, E>(0)
    }
    fn visit_none<E: de::Error>(self) -> Result<i64, E> {
        null::<FIELD, _, E>(0)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<i64, D::Error> {
        d.deserialize_any(self)
    }
    keep_structures!(0);
}

/// An integer from a number, a numeric string, a boolean, `""` or `null` (0).
pub fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(IntVisitor::<false>)
}

/// [`i64()`] for a record's field: `null` kept, as for [`string_field`].
pub fn i64_field<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(IntVisitor::<true>)
}

/// Like [`i64()`], with `null` as `None`.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_option(OptionOf(IntVisitor::<false>))
}

pub(super) struct FloatVisitor<const FIELD: bool = false>;

impl<'de, const FIELD: bool> Visitor<'de> for FloatVisitor<FIELD> {
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
        null::<FIELD, _, E>(0.0)
    }
    fn visit_none<E: de::Error>(self) -> Result<f64, E> {
        null::<FIELD, _, E>(0.0)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<f64, D::Error> {
        d.deserialize_any(self)
    }
    keep_structures!(0.0);
}

/// A number from a number, a numeric string, `""` or `null` (0).
pub fn f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    d.deserialize_any(FloatVisitor::<false>)
}

/// [`f64()`] for a record's field: `null` kept, as for [`string_field`].
pub fn f64_field<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    d.deserialize_any(FloatVisitor::<true>)
}

/// Like [`f64()`], with `null` as `None`.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    d.deserialize_option(OptionOf(FloatVisitor::<false>))
}

// ---- flags -----------------------------------------------------------------

pub(super) struct BoolVisitor<const FIELD: bool = false>;

impl<'de, const FIELD: bool> Visitor<'de> for BoolVisitor<FIELD> {
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
        null::<FIELD, _, E>(false)
    }
    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        null::<FIELD, _, E>(false)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
    keep_structures!(false);
}

/// A flag from `true`/`false`, `0`/`1`, `"0"`/`"1"`, `""` or `null` (false).
pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(BoolVisitor::<false>)
}

/// [`bool()`] for a record's field: `null` kept, as for [`string_field`].
pub fn bool_field<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(BoolVisitor::<true>)
}

/// Like [`bool()`], with `null` as `None`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    d.deserialize_option(OptionOf(BoolVisitor::<false>))
}

// ---- options ---------------------------------------------------------------

pub(super) struct OptionOf<V>(pub(super) V);

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
