//! A value reached through a `'static` reference or owned: what a
//! [`Cow`](std::borrow::Cow) would be for a type that holds itself (an
//! envelope inside an envelope), which a `Cow` cannot, since its owned
//! form would be inline.

use std::fmt;
use std::ops::Deref;

/// A `T` in a `static` of a generated crate, or owned by the generator.
pub enum Held<T: 'static> {
    /// Another `static`.
    Static(&'static T),
    /// Read from a spec.
    Owned(Box<T>),
}

impl<T> Held<T> {
    /// An owned `value`.
    pub fn new(value: T) -> Self {
        Held::Owned(Box::new(value))
    }
}

impl<T> Deref for Held<T> {
    type Target = T;

    fn deref(&self) -> &T {
        match self {
            Held::Static(value) => value,
            Held::Owned(value) => value,
        }
    }
}

impl<T: Clone> Clone for Held<T> {
    fn clone(&self) -> Self {
        match self {
            Held::Static(value) => Held::Static(value),
            Held::Owned(value) => Held::Owned(value.clone()),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Held<T> {
    // As the value itself: where it is held says nothing about it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: PartialEq> PartialEq for Held<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Eq> Eq for Held<T> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_values_compare_and_show_as_the_value_wherever_they_are() {
        static FIVE: u8 = 5;
        let (borrowed, owned) = (Held::Static(&FIVE), Held::new(5u8));
        assert_eq!(borrowed, owned);
        assert_ne!(borrowed, Held::new(6));
        assert_eq!(format!("{owned:?}"), "5");
        assert_eq!(*owned.clone(), 5);
    }
}
