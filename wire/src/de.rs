//! Reading the model from a spec's `x-` extensions: the checks that make
//! a pointer a pointer, said where serde reports them.

use serde::de::{Deserialize, Deserializer, Error};

use crate::{Held, Pointers, Text};

/// A JSON pointer, or a list of them where the first present counts;
/// `""` is the whole reply (RFC 6901).
pub(crate) fn pointers<'de, D: Deserializer<'de>>(d: D) -> Result<Pointers, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let list = match OneOrMany::deserialize(d)
        .map_err(|_| D::Error::custom("expected a JSON pointer or a list of them"))?
    {
        OneOrMany::One(p) => vec![p],
        OneOrMany::Many(list) => list,
    };
    match list.iter().find(|p| !p.is_empty() && !p.starts_with('/')) {
        Some(p) => Err(D::Error::custom(format!(
            "`{p}` is not a JSON pointer (it must be `\"\"` or start with `/`)"
        ))),
        None => Ok(list.into_iter().map(Text::from).collect()),
    }
}

/// One JSON pointer into a part of the reply, starting with `/`.
pub(crate) fn pointer<'de, D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
    some_pointer(d)?.ok_or_else(|| D::Error::custom(NOT_A_POINTER))
}

/// [`pointer`], where it may be left out or `null`.
pub(crate) fn some_pointer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Text>, D::Error> {
    match Option::<String>::deserialize(d) {
        Ok(None) => Ok(None),
        Ok(Some(p)) if p.starts_with('/') => Ok(Some(Text::from(p))),
        _ => Err(D::Error::custom(NOT_A_POINTER)),
    }
}

const NOT_A_POINTER: &str = "must be a JSON pointer starting with `/`";

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Held<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Held::new)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Envelope, Refusal, Text};

    fn strs(texts: &[Text]) -> Vec<&str> {
        texts.iter().map(|t| t.as_ref()).collect()
    }

    fn envelope(json: &str) -> Result<Envelope, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn an_envelope_reads_one_pointer_or_a_list_and_nests() {
        let e = envelope(
            r#"{"payload": "/data", "success": ["/metadata/result", "/result"],
                "failures": [{"flag": "/rows/*/result", "reason": "/rows/*/reason"}, {"reason": "/error"}],
                "inner": {"payload": "", "success": "/status"}}"#,
        )
        .unwrap();
        assert_eq!(strs(&e.payload), ["/data"]);
        assert_eq!(strs(&e.success), ["/metadata/result", "/result"]);
        assert_eq!(e.failures[0].flag.as_deref(), Some("/rows/*/result"));
        assert_eq!(e.failures[1].flag, None);
        let inner = e.inner.as_deref().unwrap();
        assert_eq!(strs(&inner.payload), [""]);
        assert_eq!(strs(&inner.success), ["/status"]);
        assert!(e.legacy.is_none());
    }

    #[test]
    fn what_is_not_a_pointer_is_refused_with_what_it_must_be() {
        let e = envelope(r#"{"payload": "data"}"#).unwrap_err();
        assert!(e.contains("`data` is not a JSON pointer"), "{e}");
        let e = envelope(r#"{"payload": 3}"#).unwrap_err();
        assert!(
            e.contains("expected a JSON pointer or a list of them"),
            "{e}"
        );
        let e = envelope(r#"{"failures": [{"reason": "error"}]}"#).unwrap_err();
        assert!(
            e.contains("must be a JSON pointer starting with `/`"),
            "{e}"
        );
        let e = envelope(r#"{"failures": [{"flag": "rows", "reason": "/e"}]}"#).unwrap_err();
        assert!(
            e.contains("must be a JSON pointer starting with `/`"),
            "{e}"
        );
        let e = envelope(r#"{"failures": [{"flag": null, "reason": "/e"}]}"#).unwrap();
        assert_eq!(e.failures[0].flag, None);
        let e = envelope(r#"{"payloads": "/data"}"#).unwrap_err();
        assert!(e.contains("unknown field `payloads`"), "{e}");
    }

    #[test]
    fn a_refusal_reads_its_marks_and_pointers() {
        let r: Refusal = serde_json::from_str(
            r#"{"reason": ["/error"], "rejection": "/cpanelresult/error", "denied": ["access denied"], "login-page": ["tfa_login_form"]}"#,
        )
        .unwrap();
        assert_eq!(strs(&r.rejection), ["/cpanelresult/error"]);
        assert!(r.denies("Access denied"));
        assert!(r.is_login_page("<p id=tfa_login_form>"));
    }
}
