//! The macros generated crates call: a reply struct's decoder, a reply
//! enum, a record's wire names.

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
                // A field whose value the server sent in a form it cannot
                // hold (`null`, an object) is written as sent, from `extra`.
                $(if !self.$rest.contains_key($crate::__record_wire!($field $(, $wire)?)) {
                    map.serialize_entry($crate::__record_wire!($field $(, $wire)?), &self.$field)?;
                })*
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
            ) -> ::std::result::Result<(), A::Error> {
                // One call an arm, the value decoded into its field there:
                // an assignment and a `?` in every arm made this the
                // costliest function of a generated crate to compile.
                match key {
                    $($crate::__record_wire!($field $(, $wire)?) => $crate::__private::de::fill::<
                        $crate::__private::de::by::$by, _, _>(&mut self.$field, map),)*
                    _ => $crate::__private::de::unknown(&mut self.$rest, key, map),
                }
            }

            #[inline]
            fn rest(
                &mut self,
            ) -> &mut ::std::collections::BTreeMap<::std::string::String, $crate::__private::serde_json::Value> {
                &mut self.$rest
            }
        }
    };
}

/// The `Debug` and `PartialEq` implementations of a generated request
/// type: both look at what the request sends ([`sent`](crate::__private::sent)).
/// Inlined, so a crate compiles them only for the requests it shows or
/// compares.
#[macro_export]
#[doc(hidden)]
macro_rules! __request {
    ($name:ident) => {
        impl ::std::fmt::Debug for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::__private::sent::debug(self, stringify!($name), f)
            }
        }

        impl ::std::cmp::PartialEq for $name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                $crate::__private::sent::same(self, other)
            }
        }
    };
}

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

/// The implementations of a generated union (`oneOf`, `anyOf`): an enum
/// with a variant per alternative.
///
/// A reply's (`reply`, optionally `serialize` as for [`__record`], the
/// name with its text type parameter, then each variant with how a value
/// is known to be it: `(tag "member" ["value", ...])`, `(kind String)` or
/// `(members ["id", ...])`, tried in order, after `boxed` when it holds
/// its value in a `Box`) reads the value whole and
/// decodes it as the first variant that takes it, or keeps it in `Other`.
/// A request's (`request`, the name, then `tag "member"` and each variant
/// with its tag value, or the variants alone) is sent as the alternative
/// it holds, with its tag.
#[macro_export]
#[doc(hidden)]
macro_rules! __union {
    (
        reply $(#[$serialize:meta])* serialize $name:ident $([$text:ident])?
        { $($variant:ident $($boxed:ident)? ($($how:tt)*)),* $(,)? }
    ) => {
        $crate::__union!(reply $name $([$text])? { $($variant $($boxed)? ($($how)*)),* });

        $(#[$serialize])*
        impl<$($text: $crate::__private::serde::Serialize)?> $crate::__private::serde::Serialize
            for $name $(<$text>)?
        {
            fn serialize<Z: $crate::__private::serde::Serializer>(
                &self,
                serializer: Z,
            ) -> ::std::result::Result<Z::Ok, Z::Error> {
                match self {
                    $(Self::$variant(value) => value.serialize(serializer),)*
                    Self::Other(value) => value.serialize(serializer),
                }
            }
        }
    };
    (
        reply $name:ident $([$text:ident])?
        { $($variant:ident $($boxed:ident)? ($($how:tt)*)),* $(,)? }
    ) => {
        impl<'de $(, $text: $crate::Text<'de>)?> $crate::__private::de::Element<'de>
            for $name $(<$text>)?
        {
            fn element<D: $crate::__private::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                use $crate::__private::de::unions;
                let value = unions::whole(d)?;
                $(if $crate::__union!(is value, $($how)*) {
                    let alternative = unions::alternative(value)?;
                    return ::std::result::Result::Ok(Self::$variant(
                        $crate::__union!(hold $($boxed)? alternative),
                    ));
                })*
                ::std::result::Result::Ok(Self::Other(value))
            }
        }

        impl<'de $(, $text: $crate::Text<'de>)?> $crate::__private::serde::Deserialize<'de>
            for $name $(<$text>)?
        {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <Self as $crate::__private::de::Element<'de>>::element(d)
            }
        }

        /// `Other(null)`: what a reply that leaves the member out reads as.
        impl $(<$text>)? ::std::default::Default for $name $(<$text>)? {
            fn default() -> Self {
                Self::Other($crate::__private::serde_json::Value::Null)
            }
        }
    };
    (hold boxed $value:ident) => {
        ::std::boxed::Box::new($value)
    };
    (hold $value:ident) => {
        $value
    };
    (is $value:ident, tag $member:literal [$($tag:literal),*]) => {
        unions::is_tag(&$value, $member, &[$($tag),*])
    };
    (is $value:ident, kind $kind:ident) => {
        unions::is_kind(&$value, unions::Kind::$kind)
    };
    (is $value:ident, members [$($member:literal),*]) => {
        unions::has_members(&$value, &[$($member),*])
    };
    (request $name:ident tag $member:literal { $($variant:ident = $tag:literal),* $(,)? }) => {
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<Z: $crate::__private::serde::Serializer>(
                &self,
                serializer: Z,
            ) -> ::std::result::Result<Z::Ok, Z::Error> {
                match self {
                    $(Self::$variant(value) => {
                        $crate::__private::de::unions::tagged(value, ($member, $tag), serializer)
                    })*
                }
            }
        }
        $crate::__union!(request_param $name);
    };
    (request $name:ident { $($variant:ident),* $(,)? }) => {
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<Z: $crate::__private::serde::Serializer>(
                &self,
                serializer: Z,
            ) -> ::std::result::Result<Z::Ok, Z::Error> {
                match self {
                    $(Self::$variant(value) => value.serialize(serializer),)*
                }
            }
        }
        $crate::__union!(request_param $name);
    };
    (request_param $name:ident) => {
        impl $crate::ParamValue for $name {
            fn append_to(&self, name: &str, params: &mut $crate::Params) {
                params.push_raw(
                    name,
                    $crate::__private::serde_json::to_string(self).unwrap_or_default(),
                );
            }
        }
    };
}
