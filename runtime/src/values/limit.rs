//! A number, or a word such as `unlimited`: how WHM writes limits.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A limit as WHM sends and takes it: `unlimited`, a number, or another
/// word. Decodes from numbers, numeric strings and words alike; encodes
/// as the server writes it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Limit {
    /// No limit (`unlimited`).
    Unlimited,
    /// A number.
    Limited(i64),
    /// Anything else the server sends, kept as written (`14M`, `""`).
    Other(String),
}

impl Limit {
    /// The number, for a numeric limit.
    pub fn value(&self) -> Option<i64> {
        match self {
            Limit::Limited(n) => Some(*n),
            _ => None,
        }
    }

    /// Whether this is [`Limit::Unlimited`].
    pub fn is_unlimited(&self) -> bool {
        matches!(self, Limit::Unlimited)
    }

    fn from_word(word: &str) -> Limit {
        let trimmed = word.trim();
        if trimmed.eq_ignore_ascii_case("unlimited") {
            return Limit::Unlimited;
        }
        match trimmed.parse::<i64>() {
            Ok(n) => Limit::Limited(n),
            Err(_) => Limit::Other(word.to_owned()),
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Unlimited => f.write_str("unlimited"),
            Limit::Limited(n) => write!(f, "{n}"),
            Limit::Other(s) => f.write_str(s),
        }
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Limit {
            fn from(n: $t) -> Self {
                Limit::Limited(i64::from(n))
            }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32);

impl From<&str> for Limit {
    fn from(word: &str) -> Self {
        Limit::from_word(word)
    }
}

impl From<String> for Limit {
    fn from(word: String) -> Self {
        Limit::from_word(&word)
    }
}

impl Serialize for Limit {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Limit::Unlimited => serializer.serialize_str("unlimited"),
            Limit::Limited(n) => serializer.serialize_i64(*n),
            Limit::Other(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> crate::decode::Element<'de> for Limit {
    fn element<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Limit::deserialize(d)
    }
}

impl<'de> Deserialize<'de> for Limit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LimitVisitor;
        impl<'de> Visitor<'de> for LimitVisitor {
            type Value = Limit;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a word such as \"unlimited\"")
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Limit, E> {
                Ok(Limit::Limited(n))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Limit, E> {
                Ok(i64::try_from(n).map_or_else(|_| Limit::Other(n.to_string()), Limit::Limited))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Limit, E> {
                if n.fract() == 0.0 && n.abs() < 9.0e15 {
                    Ok(Limit::Limited(n as i64))
                } else {
                    Ok(Limit::Other(n.to_string()))
                }
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Limit, E> {
                Ok(Limit::from_word(s))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Limit, E> {
                Ok(Limit::Limited(i64::from(b)))
            }
            // A structure is no limit a server documents: kept as its JSON.
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Limit, A::Error> {
                let value: serde_json::Value =
                    Deserialize::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(Limit::Other(value.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Limit, A::Error> {
                let value: serde_json::Value =
                    Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Limit::Other(value.to_string()))
            }
        }
        deserializer.deserialize_any(LimitVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_whm_sends() {
        let cases = [
            ("\"unlimited\"", Limit::Unlimited),
            ("\"Unlimited\"", Limit::Unlimited),
            ("0", Limit::Limited(0)),
            ("\"250\"", Limit::Limited(250)),
            ("250.0", Limit::Limited(250)),
            ("\"14M\"", Limit::Other("14M".into())),
        ];
        for (json, expected) in cases {
            assert_eq!(
                serde_json::from_str::<Limit>(json).unwrap(),
                expected,
                "{json}"
            );
        }
    }

    #[test]
    fn encodes_as_written() {
        assert_eq!(
            serde_json::to_string(&Limit::Unlimited).unwrap(),
            "\"unlimited\""
        );
        assert_eq!(serde_json::to_string(&Limit::from(5)).unwrap(), "5");
        assert_eq!(Limit::from("unlimited").to_string(), "unlimited");
    }
}
