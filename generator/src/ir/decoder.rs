//! The lenient decoder each reply field is read with: one of the
//! runtime's `__private::de::by` types. Chosen here from the field's type,
//! as a value the renderer names, and checked against the runtime's list
//! by a test, so that neither side can name a decoder the other lacks.

use super::{TypeKind, TypeRef};

/// A decoder of the runtime's `__private::de::by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoder {
    /// Text, from any scalar.
    String,
    /// Text or nothing.
    OptString,
    /// A whole number, from a number or numeric text.
    I64,
    /// A whole number or nothing.
    OptI64,
    /// A whole number of another width, as leniently as `I64`.
    Whole,
    /// A whole number of another width or nothing.
    OptWhole,
    /// A number, from a number or numeric text.
    F64,
    /// A number or nothing.
    OptF64,
    /// A flag, from `0`/`1`, `"0"`/`"1"`, booleans.
    Bool,
    /// A flag or nothing.
    OptBool,
    /// A list whose elements read themselves.
    List,
    /// A list of reply structs, built in place.
    Records,
    /// A map from strings whose values read themselves.
    Dict,
    /// A reply struct.
    Object,
    /// A reply struct or nothing.
    OptObject,
    /// A boxed reply struct or nothing (a field that closes a cycle).
    OptBoxed,
    /// Anything that reads itself, or nothing.
    Opt,
    /// The value's own lenient decoder (enums, limits, secrets).
    Lenient,
    /// The type's own `Deserialize` (JSON values).
    Plain,
}

impl Decoder {
    /// Every decoder.
    pub const ALL: [Decoder; 19] = [
        Decoder::String,
        Decoder::OptString,
        Decoder::I64,
        Decoder::OptI64,
        Decoder::Whole,
        Decoder::OptWhole,
        Decoder::F64,
        Decoder::OptF64,
        Decoder::Bool,
        Decoder::OptBool,
        Decoder::List,
        Decoder::Records,
        Decoder::Dict,
        Decoder::Object,
        Decoder::OptObject,
        Decoder::OptBoxed,
        Decoder::Opt,
        Decoder::Lenient,
        Decoder::Plain,
    ];

    /// The decoder of a reply field whose type is `ty` as the struct
    /// holds it; `boxed`: the field closes a cycle of structs. Lists, maps
    /// and options hand their elements to the elements' own decoders, at
    /// any depth.
    pub fn of(ty: &TypeRef, boxed: bool) -> Decoder {
        let decoder = match ty {
            TypeRef::String => Decoder::String,
            TypeRef::Integer => Decoder::I64,
            TypeRef::Whole(_) => Decoder::Whole,
            TypeRef::Number => Decoder::F64,
            TypeRef::Bool => Decoder::Bool,
            // A reply's enum or union reads itself, as an element does.
            TypeRef::Named(p) if p.kind != TypeKind::Struct => Decoder::Lenient,
            TypeRef::Named(_) => Decoder::Object,
            // Reply structs in a list are decoded where the list keeps them.
            TypeRef::List(item) if matches!(&**item, TypeRef::Named(p) if p.kind == TypeKind::Struct) => {
                Decoder::Records
            }
            TypeRef::List(_) => Decoder::List,
            TypeRef::Map(_) => Decoder::Dict,
            TypeRef::Option(inner) => match &**inner {
                TypeRef::String => Decoder::OptString,
                TypeRef::Integer => Decoder::OptI64,
                TypeRef::Whole(_) => Decoder::OptWhole,
                TypeRef::Number => Decoder::OptF64,
                TypeRef::Bool => Decoder::OptBool,
                TypeRef::Named(p) if p.kind == TypeKind::Struct => Decoder::OptObject,
                _ => Decoder::Opt,
            },
            TypeRef::Secret | TypeRef::Limit => Decoder::Lenient,
            // Bytes are never in a reply; as sent, they would be JSON.
            TypeRef::Json | TypeRef::Empty | TypeRef::Bytes => Decoder::Plain,
        };
        match (decoder, boxed) {
            (Decoder::Object | Decoder::OptObject, true) => Decoder::OptBoxed,
            (decoder, _) => decoder,
        }
    }

    /// Its name among the runtime's decoders.
    pub const fn name(self) -> &'static str {
        match self {
            Decoder::String => "String",
            Decoder::OptString => "OptString",
            Decoder::I64 => "I64",
            Decoder::OptI64 => "OptI64",
            Decoder::Whole => "Whole",
            Decoder::OptWhole => "OptWhole",
            Decoder::F64 => "F64",
            Decoder::OptF64 => "OptF64",
            Decoder::Bool => "Bool",
            Decoder::OptBool => "OptBool",
            Decoder::List => "List",
            Decoder::Records => "Records",
            Decoder::Dict => "Dict",
            Decoder::Object => "Object",
            Decoder::OptObject => "OptObject",
            Decoder::OptBoxed => "OptBoxed",
            Decoder::Opt => "Opt",
            Decoder::Lenient => "Lenient",
            Decoder::Plain => "Plain",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runtime's decoders, as its `decoders!` list declares them.
    fn runtime_decoders() -> Vec<&'static str> {
        let by = include_str!("../../../runtime/src/decode/by.rs");
        let list = by
            .split("decoders! {")
            .nth(1)
            .expect("by.rs lists its decoders in `decoders! {`");
        list.lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("///") && l.contains(" ["))
            .filter_map(|l| l.split_whitespace().next())
            .collect()
    }

    #[test]
    fn the_generator_and_the_runtime_name_the_same_decoders() {
        let named: Vec<&str> = Decoder::ALL.iter().map(|d| d.name()).collect();
        assert_eq!(named, runtime_decoders());
    }

    #[test]
    fn a_field_closing_a_cycle_is_read_boxed() {
        let node = TypeRef::Named(crate::ir::TypePath {
            module: "m".into(),
            name: "Node".into(),
            kind: TypeKind::Struct,
            text: false,
        });
        assert_eq!(Decoder::of(&node, false), Decoder::Object);
        assert_eq!(Decoder::of(&node, true), Decoder::OptBoxed);
        let maybe = TypeRef::Option(Box::new(node.clone()));
        assert_eq!(Decoder::of(&maybe, true), Decoder::OptBoxed);
        let rows = TypeRef::List(Box::new(node));
        assert_eq!(Decoder::of(&rows, true), Decoder::Records);
        assert_eq!(Decoder::of(&TypeRef::Limit, false), Decoder::Lenient);
    }
}
