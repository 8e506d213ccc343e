//! The kinds of JSON value that tell the alternatives of a union apart.

/// A kind of JSON value: the generator chooses a union's alternative by
/// it, and the generated code names it to the runtime, which tests a value
/// for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JsonKind {
    /// A string.
    String,
    /// A whole number.
    Integer,
    /// Any number (tried after a whole number, where a union has both).
    Number,
    /// `true` or `false`.
    Bool,
    /// A list.
    List,
    /// An object.
    Object,
}

impl JsonKind {
    /// Its variant's name, as generated code names it.
    pub const fn name(self) -> &'static str {
        match self {
            JsonKind::String => "String",
            JsonKind::Integer => "Integer",
            JsonKind::Number => "Number",
            JsonKind::Bool => "Bool",
            JsonKind::List => "List",
            JsonKind::Object => "Object",
        }
    }
}
