//! What a generated crate knows about each of its operations, as data:
//! one description per operation, its request type's
//! [`Request::OPERATION`], that every part of the crate refers to: typed
//! calls, raw calls of known functions, batches, the fake server, the
//! crate's `CATALOG` (for tools that call functions by name, such as the
//! `whm` command) and its introspection tables.
//!
//! A description has two parts: how the operation goes on the wire (what
//! every call needs), and its [`Details`] (summary, parameters), which
//! only tools and the fake server read. A generated crate compiles the
//! details with the features that read them (`testing`, `introspection`)
//! and is built faster without them.
//!
//! [`Request::OPERATION`]: crate::api::Request::OPERATION

use std::fmt;

use crate::wire::{Body, Envelope, Method};

/// An operation of an API: how it goes on the wire and what it takes.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// Its wire name (`listaccts`).
    pub name: &'static str,
    /// The documented HTTP method.
    pub method: Method,
    /// The path under the API's base path (`/listaccts`).
    pub path: &'static str,
    /// How parameters travel.
    pub body: Body,
    /// How its replies are wrapped, when not as the API's are (see
    /// [`ApiSpec::envelope_for`](crate::ApiSpec::envelope_for)).
    pub envelope: Option<&'static Envelope>,
    /// Where in the payload a list function keeps its records (`/acct`).
    pub list: Option<&'static str>,
    /// What tools and the fake server read of it: [`Details::NONE`] in a
    /// generated crate built without its `details` feature (which
    /// `testing` and `introspection` turn on).
    pub details: &'static Details,
}

/// What an [`Operation`] is for and what it takes, for tools that call
/// operations by name and for the fake server's checks.
#[derive(Debug, Clone, Copy)]
pub struct Details {
    /// The group (module and feature) it is generated in.
    pub group: &'static str,
    /// One line on what it does.
    pub summary: &'static str,
    /// Whether the API deprecates it.
    pub deprecated: bool,
    /// Its parameters, in documented order, without those the API sends
    /// with every call (`api.version`).
    pub params: &'static [Param],
    /// Whether it takes any parameter besides these (free-form
    /// `name=value` pairs).
    pub free_form: bool,
}

impl Details {
    /// No details: an operation of a crate built without the features
    /// that read them.
    pub const NONE: Details = Details {
        group: "",
        summary: "",
        deprecated: false,
        params: &[],
        free_form: false,
    };
}

/// A parameter of an [`Operation`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    /// Its wire name.
    pub name: &'static str,
    /// Other names the server accepts.
    pub aliases: &'static [&'static str],
    /// Whether a call must give it.
    pub presence: Presence,
    /// What values it takes.
    pub kind: Kind,
    /// Its documentation's first sentence.
    pub description: &'static str,
    /// The value the server assumes when it is not given.
    pub default: Option<&'static str>,
    /// A documented value.
    pub example: Option<&'static str>,
}

/// Whether a [`Param`] must be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Every call gives it.
    Required,
    /// A call may give it.
    Optional,
    /// Every call sends this value (the generated method sends it itself).
    Constant(&'static str),
    /// A switch: given, it is this value.
    Flag(&'static str),
    /// Taken from a client view (`client.as_user("bob")`), not from the
    /// request; a call by name gives it like a required one.
    Bound,
}

/// The values a [`Param`] takes, as text on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Any text.
    Text,
    /// Text that is a secret (a password, a token).
    Secret,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// A flag: `1` or `0`.
    Bool,
    /// A whole number or `unlimited`.
    Limit,
    /// One of these values.
    Enum(&'static [&'static str]),
    /// Several values (the key repeated), each of this kind.
    List(&'static Kind),
    /// Any key and value pairs.
    Map,
    /// A JSON document.
    Json,
}

impl Kind {
    /// Whether `value` (as typed at a shell) is one of this kind's values;
    /// if not, what the kind allows.
    pub fn check(&self, value: &str) -> Result<(), String> {
        let ok = match self {
            Kind::Text | Kind::Secret | Kind::Map => true,
            Kind::Integer => value.trim().parse::<i64>().is_ok(),
            Kind::Number => value.trim().parse::<f64>().is_ok_and(f64::is_finite),
            Kind::Bool => matches!(value, "0" | "1"),
            Kind::Limit => {
                value.eq_ignore_ascii_case("unlimited") || value.trim().parse::<i64>().is_ok()
            }
            Kind::Enum(values) => values.contains(&value),
            Kind::List(item) => return item.check(value),
            Kind::Json => serde_json::from_str::<serde_json::Value>(value).is_ok(),
        };
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not {self}"))
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::Text => f.write_str("text"),
            Kind::Secret => f.write_str("a secret"),
            Kind::Integer => f.write_str("a whole number"),
            Kind::Number => f.write_str("a number"),
            Kind::Bool => f.write_str("a flag (1 or 0)"),
            Kind::Limit => f.write_str("a whole number or `unlimited`"),
            Kind::Enum(values) => write!(f, "one of {}", values.join(", ")),
            Kind::List(item) => write!(f, "a list (repeat the key) of {item}"),
            Kind::Map => f.write_str("key and value pairs"),
            Kind::Json => f.write_str("a JSON document"),
        }
    }
}

impl Operation {
    /// The parameter a call names `key`: by its name or an alias.
    pub fn param(&self, key: &str) -> Option<&'static Param> {
        self.details
            .params
            .iter()
            .find(|p| p.name == key || p.aliases.contains(&key))
    }

    /// The parameters with one possible value, as `(name, value)`: among
    /// operations behind one path, they tell which is called.
    pub fn constants(&self) -> impl Iterator<Item = (&'static str, &'static str)> {
        self.details.params.iter().filter_map(|p| match p.presence {
            Presence::Constant(value) => Some((p.name, value)),
            _ => None,
        })
    }
}

impl Param {
    /// Whether every call sends it (given by the caller, a constant, or
    /// from a client view).
    pub fn always_sent(&self) -> bool {
        !matches!(self.presence, Presence::Optional | Presence::Flag(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_against_their_kind() {
        assert!(Kind::Integer.check("12").is_ok());
        assert_eq!(
            Kind::Integer.check("twelve").unwrap_err(),
            "`twelve` is not a whole number"
        );
        assert!(Kind::Limit.check("unlimited").is_ok());
        assert!(Kind::Limit.check("10").is_ok());
        assert!(Kind::Limit.check("lots").is_err());
        assert!(Kind::Bool.check("1").is_ok());
        assert!(Kind::Bool.check("yes").is_err());
        let e = Kind::Enum(&["domain", "owner"]).check("user").unwrap_err();
        assert_eq!(e, "`user` is not one of domain, owner");
        assert!(Kind::List(&Kind::Integer).check("3").is_ok());
        assert!(Kind::Json.check("{\"a\":1}").is_ok());
        assert!(Kind::Json.check("{").is_err());
        assert!(Kind::Number.check("NaN").is_err());
    }
}
