//! Output controls: filter, sort, columns and pages of a list, done by the
//! server (WHM applies columns, then filters, then sorts, then chunks).
//!
//! Several filters (ANDed) or sorts get ids `a`..`z`, then `za`, `zb`, ...

use serde::Deserialize;

use crate::decode as de;
use crate::request::params::Params;

/// How a filter compares a field with its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// The field contains the value (`contains`).
    Contains(String),
    /// The field begins with the value (`begins`).
    Begins(String),
    /// The field equals the value as text (`eq`).
    Equals(String),
    /// The field equals the value as a number (`==`).
    NumberEquals(String),
    /// The field is less than the value (`lt`).
    LessThan(String),
    /// The field is at most the value (`lt_equal`).
    AtMost(String),
    /// The field is greater than the value (`gt`).
    GreaterThan(String),
    /// The field is at least the value (`gt_equal`).
    AtLeast(String),
    /// Less than the value, `unlimited` being the largest (`lt_handle_unlimited`).
    LessThanUnlimited(String),
    /// Greater than the value, `unlimited` being the largest (`gt_handle_unlimited`).
    GreaterThanUnlimited(String),
}

macro_rules! filter_constructors {
    ($($(#[$doc:meta])* $name:ident => $variant:ident;)*) => {
        impl Filter {
            $(
                $(#[$doc])*
                pub fn $name(value: impl Into<String>) -> Filter {
                    Filter::$variant(value.into())
                }
            )*
        }
    };
}

filter_constructors! {
    /// [`Filter::Contains`].
    contains => Contains;
    /// [`Filter::Begins`].
    begins => Begins;
    /// [`Filter::Equals`].
    equals => Equals;
    /// [`Filter::NumberEquals`].
    number_equals => NumberEquals;
    /// [`Filter::LessThan`].
    less_than => LessThan;
    /// [`Filter::AtMost`].
    at_most => AtMost;
    /// [`Filter::GreaterThan`].
    greater_than => GreaterThan;
    /// [`Filter::AtLeast`].
    at_least => AtLeast;
    /// [`Filter::LessThanUnlimited`].
    less_than_unlimited => LessThanUnlimited;
    /// [`Filter::GreaterThanUnlimited`].
    greater_than_unlimited => GreaterThanUnlimited;
}

impl Filter {
    /// The operator as sent, and the value.
    pub fn wire(&self) -> (&'static str, &str) {
        match self {
            Filter::Contains(v) => ("contains", v),
            Filter::Begins(v) => ("begins", v),
            Filter::Equals(v) => ("eq", v),
            Filter::NumberEquals(v) => ("==", v),
            Filter::LessThan(v) => ("lt", v),
            Filter::AtMost(v) => ("lt_equal", v),
            Filter::GreaterThan(v) => ("gt", v),
            Filter::AtLeast(v) => ("gt_equal", v),
            Filter::LessThanUnlimited(v) => ("lt_handle_unlimited", v),
            Filter::GreaterThanUnlimited(v) => ("gt_handle_unlimited", v),
        }
    }

    /// A filter from its wire operator (`contains`, `==`, ...) and value.
    pub fn from_wire(operator: &str, value: impl Into<String>) -> Option<Filter> {
        let value = value.into();
        Some(match operator {
            "contains" => Filter::Contains(value),
            "begins" => Filter::Begins(value),
            "eq" => Filter::Equals(value),
            "==" => Filter::NumberEquals(value),
            "lt" => Filter::LessThan(value),
            "lt_equal" => Filter::AtMost(value),
            "gt" => Filter::GreaterThan(value),
            "gt_equal" => Filter::AtLeast(value),
            "lt_handle_unlimited" => Filter::LessThanUnlimited(value),
            "gt_handle_unlimited" => Filter::GreaterThanUnlimited(value),
            _ => return None,
        })
    }
}

/// How a sort compares values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortMethod {
    /// As text (`lexicographic`), the server's default.
    Lexicographic,
    /// As numbers (`numeric`); numeric fields need it.
    Numeric,
    /// As numbers with 0 as the largest (`numeric_zero_as_max`): 0 means unlimited.
    NumericZeroAsMax,
    /// As IPv4 addresses (`ipv4`).
    Ipv4,
}

impl SortMethod {
    /// The method as sent.
    pub fn wire(self) -> &'static str {
        match self {
            SortMethod::Lexicographic => "lexicographic",
            SortMethod::Numeric => "numeric",
            SortMethod::NumericZeroAsMax => "numeric_zero_as_max",
            SortMethod::Ipv4 => "ipv4",
        }
    }

    /// A method from its wire name.
    pub fn from_wire(method: &str) -> Option<SortMethod> {
        Some(match method {
            "lexicographic" => SortMethod::Lexicographic,
            "numeric" => SortMethod::Numeric,
            "numeric_zero_as_max" => SortMethod::NumericZeroAsMax,
            "ipv4" => SortMethod::Ipv4,
            _ => return None,
        })
    }
}

/// Sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Smallest first.
    Ascending,
    /// Largest first (`reverse=1`).
    Descending,
}

/// The output controls of one call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OutputControls {
    pub filters: Vec<(String, Filter)>,
    pub sorts: Vec<(String, SortMethod, Order)>,
    pub columns: Vec<String>,
    /// Records a page, and the first record (1-based).
    pub chunk: Option<(u64, u64)>,
}

/// The id of the `n`th filter or sort: `a`..`z`, then `za`, `zb`, ...
pub fn id(n: usize) -> String {
    let letter = |i: usize| char::from(b'a' + i as u8);
    if n < 26 {
        letter(n).to_string()
    } else {
        format!("z{}", id(n - 26))
    }
}

impl OutputControls {
    pub fn is_empty(&self) -> bool {
        *self == OutputControls::default()
    }

    /// Appends the controls' parameters.
    pub fn encode(&self, params: &mut Params) {
        if !self.columns.is_empty() {
            params.push_raw("api.columns.enable", "1");
            for (i, column) in self.columns.iter().enumerate() {
                params.push_raw(format!("api.columns.{}", id(i)), column.clone());
            }
        }
        if !self.filters.is_empty() {
            params.push_raw("api.filter.enable", "1");
            params.push_raw("api.filter.verbose", "1");
            for (i, (field, filter)) in self.filters.iter().enumerate() {
                let (operator, value) = filter.wire();
                let id = id(i);
                params.push_raw(format!("api.filter.{id}.field"), field.clone());
                params.push_raw(format!("api.filter.{id}.arg0"), value);
                params.push_raw(format!("api.filter.{id}.type"), operator);
            }
        }
        if !self.sorts.is_empty() {
            params.push_raw("api.sort.enable", "1");
            for (i, (field, method, order)) in self.sorts.iter().enumerate() {
                let id = id(i);
                params.push_raw(format!("api.sort.{id}.field"), field.clone());
                params.push_raw(format!("api.sort.{id}.method"), method.wire());
                if *order == Order::Descending {
                    params.push_raw(format!("api.sort.{id}.reverse"), "1");
                }
            }
        }
        if let Some((size, start)) = self.chunk {
            params.push_raw("api.chunk.enable", "1");
            params.push_raw("api.chunk.verbose", "1");
            params.push_raw("api.chunk.size", size.to_string());
            params.push_raw("api.chunk.start", start.to_string());
        }
    }
}

/// What the server says it did with the output controls.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct OutputMetadata {
    /// Filtering, when filters were sent.
    pub filter: Option<FilterMetadata>,
    /// Pagination, when a chunk was asked for.
    pub chunk: Option<ChunkMetadata>,
    /// Columns, when columns were asked for.
    pub columns: Option<ColumnsMetadata>,
}

/// `metadata.filter`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct FilterMetadata {
    /// How many records there were before filtering.
    #[serde(deserialize_with = "de::i64")]
    pub filtered: i64,
}

/// `metadata.chunk`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ChunkMetadata {
    /// The first record of this page (1-based).
    #[serde(deserialize_with = "de::i64")]
    pub start: i64,
    /// Records a page.
    #[serde(deserialize_with = "de::i64")]
    pub size: i64,
    /// Records in all pages (after filtering).
    #[serde(deserialize_with = "de::i64")]
    pub records: i64,
    /// This page's number (1-based).
    #[serde(deserialize_with = "de::i64")]
    pub current: i64,
    /// How many pages there are.
    #[serde(deserialize_with = "de::i64")]
    pub chunks: i64,
}

/// `metadata.columns`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ColumnsMetadata {
    /// Columns the server does not know.
    #[serde(deserialize_with = "de::list")]
    pub invalid: Vec<String>,
    /// The server's message about them.
    #[serde(deserialize_with = "de::string")]
    pub invalid_msg: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_run_a_to_z_then_za() {
        assert_eq!(id(0), "a");
        assert_eq!(id(25), "z");
        assert_eq!(id(26), "za");
        assert_eq!(id(27), "zb");
        assert_eq!(id(52), "zza");
    }

    #[test]
    fn controls_encode_in_documented_parameters() {
        let controls = OutputControls {
            filters: vec![
                ("domain".into(), Filter::Contains("shop".into())),
                ("*".into(), Filter::NumberEquals("0".into())),
            ],
            sorts: vec![("diskused".into(), SortMethod::Numeric, Order::Descending)],
            columns: vec!["user".into(), "domain".into()],
            chunk: Some((100, 201)),
        };
        let mut params = Params::new();
        controls.encode(&mut params);
        assert_eq!(
            params.to_form(),
            "api.columns.enable=1&api.columns.a=user&api.columns.b=domain\
             &api.filter.enable=1&api.filter.verbose=1\
             &api.filter.a.field=domain&api.filter.a.arg0=shop&api.filter.a.type=contains\
             &api.filter.b.field=*&api.filter.b.arg0=0&api.filter.b.type=%3D%3D\
             &api.sort.enable=1&api.sort.a.field=diskused&api.sort.a.method=numeric&api.sort.a.reverse=1\
             &api.chunk.enable=1&api.chunk.verbose=1&api.chunk.size=100&api.chunk.start=201"
        );
    }

    #[test]
    fn operators_and_methods_round_trip() {
        for op in [
            "contains",
            "begins",
            "eq",
            "==",
            "lt",
            "lt_equal",
            "gt",
            "gt_equal",
            "lt_handle_unlimited",
            "gt_handle_unlimited",
        ] {
            assert_eq!(Filter::from_wire(op, "x").unwrap().wire().0, op);
        }
        for m in ["lexicographic", "numeric", "numeric_zero_as_max", "ipv4"] {
            assert_eq!(SortMethod::from_wire(m).unwrap().wire(), m);
        }
    }
}
