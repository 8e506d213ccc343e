//! Whole numbers of the widths a spec's `format` gives (`int32`,
//! `uint64`), read as leniently as an `i64`: from a number, a numeric
//! string, a flag, `""` or `null`. A value its type cannot hold (`-1` for
//! a `u32`) is kept as sent, as any value a decoder cannot hold is.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::scalars::{OptionOf, null};
use super::{Element, drain_map, drain_seq, keep};

/// A whole number type a reply's member may be, besides `i64`.
pub trait Whole: Copy + Default + TryFrom<i64> + TryFrom<u64> {}

macro_rules! whole {
    ($($t:ty),*) => {$(
        impl Whole for $t {}

        impl<'de> Element<'de> for $t {
            fn element<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(WholeVisitor::<$t, false>(PhantomData))
            }
        }
    )*};
}
// Not `u8`: a list of `u8` is bytes (a payload), read as such.
whole!(i8, i16, i32, u16, u32, u64);

struct WholeVisitor<N, const FIELD: bool>(PhantomData<N>);

impl<N: Whole, const FIELD: bool> WholeVisitor<N, FIELD> {
    fn from_i64<E: de::Error>(v: i64) -> Result<N, E> {
        N::try_from(v).or_else(|_| stray!(v, N::default()))
    }
}

impl<'de, N: Whole, const FIELD: bool> Visitor<'de> for WholeVisitor<N, FIELD> {
    type Value = N;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number or a numeric string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<N, E> {
        Self::from_i64(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<N, E> {
        N::try_from(v).or_else(|_| stray!(v, N::default()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<N, E> {
        match v.fract() == 0.0 && v.abs() < 9.2e18 {
            true => N::try_from(v as i64).or_else(|_| stray!(v, N::default())),
            false => stray!(v, N::default()),
        }
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<N, E> {
        Self::from_i64(i64::from(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<N, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(N::default());
        }
        let number = match (t.parse::<i64>(), t.parse::<u64>(), t.parse::<f64>()) {
            (Ok(n), _, _) => N::try_from(n).ok(),
            (_, Ok(n), _) => N::try_from(n).ok(),
            (_, _, Ok(f)) if f.fract() == 0.0 && f.abs() < 9.2e18 => N::try_from(f as i64).ok(),
            _ => None,
        };
        match number {
            Some(n) => Ok(n),
            None => stray!(v, N::default()),
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<N, E> {
        null::<FIELD, _, E>(N::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<N, E> {
        null::<FIELD, _, E>(N::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<N, D::Error> {
        d.deserialize_any(self)
    }
    keep_structures!(N::default());
}

/// A whole number of type `N` for a record's field: `null` kept, as for
/// [`super::string_field`].
pub fn whole_field<'de, N: Whole, D: Deserializer<'de>>(d: D) -> Result<N, D::Error> {
    d.deserialize_any(WholeVisitor::<N, true>(PhantomData))
}

/// A whole number of type `N`, with `null` as `None`.
pub fn opt_whole<'de, N: Whole, D: Deserializer<'de>>(d: D) -> Result<Option<N>, D::Error> {
    d.deserialize_option(OptionOf(WholeVisitor::<N, false>(PhantomData)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read<N: Whole>(value: serde_json::Value) -> N {
        whole_field(value).unwrap()
    }

    #[test]
    fn each_width_reads_what_it_can_hold() {
        assert_eq!(read::<i32>(json!("-12")), -12);
        assert_eq!(read::<i32>(json!(7.0)), 7);
        assert_eq!(read::<u64>(json!(u64::MAX)), u64::MAX);
        assert_eq!(read::<u64>(json!("18446744073709551615")), u64::MAX);
        assert_eq!(read::<u16>(json!(true)), 1);
        assert_eq!(read::<i8>(json!("")), 0);
        // Out of range, or no number: the default, the value kept.
        assert_eq!(read::<u32>(json!(-1)), 0);
        assert_eq!(read::<i16>(json!(70000)), 0);
        assert_eq!(read::<i32>(json!("ten")), 0);
        assert_eq!(opt_whole::<u32, _>(json!(null)).unwrap(), None);
        assert_eq!(opt_whole::<u32, _>(json!("5")).unwrap(), Some(5));
        assert_eq!(<Vec<u16>>::element(json!([1, "2"])).unwrap(), [1, 2]);
    }
}
