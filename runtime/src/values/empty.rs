//! The payload of operations that return none.

use serde::de::{Deserialize, Deserializer};
use serde::{Serialize, Serializer};

/// What an operation documented to return nothing returns. Servers send
/// data for some of them all the same (`removeacct`, `sethostname`,
/// `delip`): anything but an empty payload (`null`, `{}`, `[]`, `""`) is
/// kept, whole, in [`Reply::unexpected`](crate::Reply::unexpected) under
/// the path `""`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Empty;

impl<'de> Deserialize<'de> for Empty {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let empty = match &value {
            serde_json::Value::Null => true,
            serde_json::Value::String(s) => s.is_empty(),
            serde_json::Value::Array(items) => items.is_empty(),
            serde_json::Value::Object(members) => members.is_empty(),
            _ => false,
        };
        if !empty {
            crate::decode::payload::strays::keep(value);
        }
        Ok(Empty)
    }
}

impl<'de> crate::decode::Element<'de> for Empty {
    fn element<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Empty::deserialize(d)
    }
}

impl Serialize for Empty {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}
