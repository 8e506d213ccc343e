//! The decoders as types, for [`next`](super::next).

use serde::de::{Deserialize, Deserializer};

use super::{Decoder, Element};
use crate::decode::text::Text;

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
    /// [`super::string_field`].
    String [S: Text<'de>] S => super::string_field;
    /// [`super::opt_string`].
    OptString [S: Text<'de>] ::std::option::Option<S> => super::opt_string;
    /// [`super::i64_field`].
    I64 [] i64 => super::i64_field;
    /// [`super::opt_i64`].
    OptI64 [] ::std::option::Option<i64> => super::opt_i64;
    /// [`super::whole_field`].
    Whole [N: super::Whole] N => super::whole_field;
    /// [`super::opt_whole`].
    OptWhole [N: super::Whole] ::std::option::Option<N> => super::opt_whole;
    /// [`super::f64_field`].
    F64 [] f64 => super::f64_field;
    /// [`super::opt_f64`].
    OptF64 [] ::std::option::Option<f64> => super::opt_f64;
    /// [`super::bool_field`].
    Bool [] bool => super::bool_field;
    /// [`super::opt_bool`].
    OptBool [] ::std::option::Option<bool> => super::opt_bool;
    /// [`super::list`].
    List [E: Element<'de>] ::std::vec::Vec<E> => super::list;
    /// [`super::records()`].
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
