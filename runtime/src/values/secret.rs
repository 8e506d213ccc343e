//! Secrets that never show in `Debug` output, errors or logs.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A password, API token or key. Its `Debug` output is `Secret(***)`; the
/// value is only read through [`Secret::expose`], where it is sent.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for sending it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl From<&String> for Secret {
    fn from(value: &String) -> Self {
        Secret(value.clone())
    }
}

impl Serialize for Secret {
    /// The value itself (it is sent), noted while a request is made into
    /// what it sends (see `noting`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        NOTED.with(|noted| {
            if let Some(noted) = noted.borrow_mut().as_mut() {
                noted.push(self.0.clone());
            }
        });
        serializer.serialize_str(&self.0)
    }
}

thread_local! {
    /// The secrets serialized on this thread while [`noting`] runs.
    static NOTED: std::cell::RefCell<Option<Vec<String>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `serialize`, and the secrets it serialized: a value made of a
/// request's fields (a JSON body, an object's members as parameters) no
/// longer says which of its text is secret, and must be masked wherever
/// the request is shown.
pub(crate) fn noting<T>(serialize: impl FnOnce() -> T) -> (T, Vec<String>) {
    /// Puts back what an outer `noting` noted, even when `serialize`
    /// panics.
    struct Restore(Option<Option<Vec<String>>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(outer) = self.0.take() {
                NOTED.with(|noted| noted.replace(outer));
            }
        }
    }
    let mut restore = Restore(Some(NOTED.with(|noted| noted.replace(Some(Vec::new())))));
    let value = serialize();
    let outer = restore.0.take().unwrap_or_default();
    let inner = NOTED.with(|noted| noted.replace(outer));
    (value, inner.unwrap_or_default())
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::decode::string(deserializer).map(Secret)
    }
}

impl<'de> crate::decode::Element<'de> for Secret {
    fn element<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::decode::string::<D, String>(d).map(Secret::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(format!("{:?}", Some(&s)), "Some(Secret(***))");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn secrets_serialized_while_noting_are_noted_each_by_its_own_noting() {
        let a = Secret::new("a-secret");
        let b = Secret::new("b-secret");
        // Not noting: nothing kept.
        let _ = serde_json::to_string(&a);
        let ((outer_json, inner), noted) = noting(|| {
            let json = serde_json::to_string(&[&a]).unwrap();
            (json, noting(|| serde_json::to_string(&b).unwrap()))
        });
        assert_eq!(outer_json, r#"["a-secret"]"#);
        assert_eq!(noted, ["a-secret"]);
        assert_eq!(
            inner,
            (r#""b-secret""#.to_owned(), vec!["b-secret".to_owned()])
        );
        // A panic inside leaves no noting behind.
        let caught = std::panic::catch_unwind(|| noting(|| panic!("in serialize")));
        assert!(caught.is_err());
        NOTED.with(|noted| assert!(noted.borrow().is_none()));
    }
}
