//! How a decoded reply holds its text.
//!
//! Reply types generated for text-bearing payloads take the text type as a
//! parameter, `String` unless said otherwise. A reply decoded with
//! [`Cow<'a, str>`](std::borrow::Cow) borrows every string that needs no
//! unescaping from the reply's body instead of allocating it: several
//! times fewer allocations for a large listing (see `Received`).

use std::borrow::Cow;

use serde::Deserialize;

/// A type that holds a string decoded from a reply whose body lives for
/// `'de`; its `Default` is the empty text (a field the reply leaves out).
///
/// Implemented for `String`, `Cow<'de, str>` (which borrows whatever it
/// can) and `Box<str>`; implement it for a string type of your own (an
/// interned or inline string) to decode replies into that. Its own
/// `Deserialize` serves text nested in lists of lists, which are decoded
/// as they are written.
pub trait Text<'de>: Sized + Default + Deserialize<'de> {
    /// Text borrowed from the body for `'de`.
    fn borrowed(text: &'de str) -> Self {
        Self::copied(text)
    }
    /// Text that lives only for this call (it had escapes, or the body is
    /// not kept).
    fn copied(text: &str) -> Self;
    /// Text already owned (a number or structure written as text).
    fn owned(text: String) -> Self {
        Self::copied(&text)
    }
}

impl<'de> Text<'de> for String {
    fn copied(text: &str) -> Self {
        text.to_owned()
    }
    fn owned(text: String) -> Self {
        text
    }
}

impl<'de> Text<'de> for Cow<'de, str> {
    fn borrowed(text: &'de str) -> Self {
        Cow::Borrowed(text)
    }
    fn copied(text: &str) -> Self {
        Cow::Owned(text.to_owned())
    }
    fn owned(text: String) -> Self {
        Cow::Owned(text)
    }
}

impl<'de> Text<'de> for Box<str> {
    fn copied(text: &str) -> Self {
        text.into()
    }
    fn owned(text: String) -> Self {
        text.into_boxed_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cow_borrows_what_it_is_lent_and_owns_the_rest() {
        let body = String::from("abc");
        assert!(matches!(
            <Cow<'_, str> as Text>::borrowed(&body),
            Cow::Borrowed("abc")
        ));
        assert!(matches!(
            <Cow<'_, str> as Text>::copied("x"),
            Cow::Owned(s) if s == "x"
        ));
        assert_eq!(<Box<str> as Text>::owned("y".into()), "y".into());
        assert_eq!(&*<Box<str> as Text>::borrowed("z"), "z");
    }
}
