//! Keeping secrets out of errors: every form a secret can take in what a
//! server or a proxy sends back.
//!
//! A reply can echo what it was sent: the form body (where a password is
//! percent-encoded, a space as `+` or `%20`), the `Authorization` header
//! (a token as it is, a password as base64 of `user:password`), or JSON
//! (where `"`, `\`, `/` and non-ASCII letters may be escaped), and HTML
//! pages escape `&`, `<`, `>` and quotes. Every error of a call has each of
//! these forms of each of its secrets replaced by `***`, whatever the
//! secret's length.

use std::collections::BTreeSet;

use base64::Engine as _;
use serde_json::Value;

use crate::Error;

/// What replaces a secret.
const MASK: &str = "***";

/// The forms of a call's secrets, to replace in anything shown.
#[derive(Clone, Default)]
pub(crate) struct Scrubber {
    /// Every form of every secret, longest first, so that a form holding
    /// another is replaced whole.
    forms: Vec<String>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scrubber({} forms)", self.forms.len())
    }
}

impl Scrubber {
    /// A scrubber of `secrets`, and of `credentials` (user, secret) in
    /// the forms an `Authorization` header gives them.
    pub fn new<'s>(
        secrets: impl IntoIterator<Item = &'s str>,
        credentials: impl IntoIterator<Item = (&'s str, &'s str)>,
    ) -> Self {
        let mut forms = BTreeSet::new();
        for secret in secrets {
            forms.extend(forms_of(secret));
        }
        for (user, secret) in credentials {
            forms.extend(forms_of(secret));
            if !secret.is_empty() {
                let pair = format!("{user}:{secret}");
                forms.extend(base64_forms(&pair));
            }
        }
        forms.retain(|f: &String| !f.is_empty());
        let mut forms: Vec<String> = forms.into_iter().collect();
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        Scrubber { forms }
    }

    /// This scrubber and `other`'s forms together.
    pub fn with(&self, other: &Scrubber) -> Scrubber {
        let mut forms: BTreeSet<String> = self.forms.iter().cloned().collect();
        forms.extend(other.forms.iter().cloned());
        let mut forms: Vec<String> = forms.into_iter().collect();
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        Scrubber { forms }
    }

    /// `text` with every form of every secret replaced.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for form in &self.forms {
            if out.contains(form.as_str()) {
                out = out.replace(form.as_str(), MASK);
            }
        }
        out
    }

    /// Every string in `value`, and every key, scrubbed.
    pub fn value(&self, value: &mut Value) {
        if self.forms.is_empty() {
            return;
        }
        match value {
            Value::String(s) => *s = self.text(s),
            Value::Array(items) => items.iter_mut().for_each(|v| self.value(v)),
            Value::Object(members) => {
                let taken = std::mem::take(members);
                for (key, mut member) in taken {
                    self.value(&mut member);
                    members.insert(self.text(&key), member);
                }
            }
            _ => {}
        }
    }

    /// `error` with every message and every piece of the reply it carries
    /// scrubbed.
    pub fn error(&self, error: Error) -> Error {
        if self.forms.is_empty() {
            return error;
        }
        let t = |s: String| self.text(&s);
        match error {
            Error::Connect { operation, message } => Error::Connect {
                operation,
                message: t(message),
            },
            Error::Transport {
                operation,
                message,
                timed_out,
            } => Error::Transport {
                operation,
                message: t(message),
                timed_out,
            },
            Error::AccessDenied {
                operation,
                status,
                reason,
            } => Error::AccessDenied {
                operation,
                status,
                reason: t(reason),
            },
            Error::NotJson {
                operation,
                status,
                login_page,
                excerpt,
            } => Error::NotJson {
                operation,
                status,
                login_page,
                excerpt: t(excerpt),
            },
            Error::InvalidJson {
                operation,
                status,
                message,
                excerpt,
            } => Error::InvalidJson {
                operation,
                status,
                message: t(message),
                excerpt: t(excerpt),
            },
            Error::Status {
                operation,
                status,
                excerpt,
            } => Error::Status {
                operation,
                status,
                excerpt: t(excerpt),
            },
            Error::Api {
                operation,
                reason,
                warnings,
                mut data,
            } => {
                if let Some(data) = data.as_deref_mut() {
                    self.value(data);
                }
                Error::Api {
                    operation,
                    reason: t(reason),
                    warnings: warnings.into_iter().map(t).collect(),
                    data,
                }
            }
            Error::Decode {
                operation,
                path,
                message,
                excerpt,
            } => Error::Decode {
                operation,
                path: t(path),
                message: t(message),
                excerpt: t(excerpt),
            },
            Error::TooLarge { operation, limit } => Error::TooLarge { operation, limit },
            Error::Config(message) => Error::Config(t(message)),
        }
    }
}

/// A secret as it is and as it shows when percent-encoded, JSON-escaped
/// or HTML-escaped.
fn forms_of(secret: &str) -> Vec<String> {
    if secret.is_empty() {
        return Vec::new();
    }
    let mut forms = vec![secret.to_owned()];
    // `application/x-www-form-urlencoded`: a space is `+`; other encoders
    // write `%20`, and some write hex in lower case or leave the
    // characters of RFC 3986 that need no escaping as they are.
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let spaces = form.replace('+', "%20");
    let component = percent_component(secret);
    for encoded in [form, spaces, component] {
        forms.push(lower_hex(&encoded));
        forms.push(encoded);
    }
    // JSON: with `"` and `\` escaped; with `/` escaped too (as some
    // encoders do); with every non-ASCII character as `\u` escapes.
    if let Ok(quoted) = serde_json::to_string(secret) {
        let escaped = quoted[1..quoted.len() - 1].to_owned();
        forms.push(escaped.replace('/', "\\/"));
        forms.push(ascii_json(&escaped));
        forms.push(escaped);
    }
    // HTML.
    forms.push(
        secret
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;"),
    );
    forms.extend(base64_forms(secret));
    forms
}

/// `text` base64-encoded, without its padding (which may or may not
/// follow).
fn base64_forms(text: &str) -> Vec<String> {
    vec![
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(text),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text),
    ]
}

/// Percent-encoding that leaves RFC 3986's unreserved characters and
/// JavaScript's `encodeURIComponent` exceptions (`!'()*`) as they are.
fn percent_component(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~!'()*".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `%3F` as `%3f`.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut chars = encoded.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            for _ in 0..2 {
                if let Some(h) = chars.next() {
                    out.push(h.to_ascii_lowercase());
                }
            }
        }
    }
    out
}

/// JSON-escaped text with every non-ASCII character as `\uXXXX` escapes.
fn ascii_json(escaped: &str) -> String {
    let mut out = String::new();
    for c in escaped.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// A URL with the password of its userinfo (`https://user:pw@host`)
/// replaced, for showing it.
pub(crate) fn url_for_display(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some(MASK));
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        // Not a URL: whatever stands between `//` and an `@` may be
        // credentials.
        Err(_) => match (url.find("//"), url.rfind('@')) {
            (Some(start), Some(at)) if at > start => {
                format!("{}{MASK}{}", &url[..start + 2], &url[at..])
            }
            _ => url.to_owned(),
        },
    }
}

/// The userinfo of a URL as credentials (user, password), when it has a
/// password.
pub(crate) fn url_credentials(url: &str) -> Option<(String, String)> {
    let parsed = url::Url::parse(url).ok()?;
    let password = parsed.password()?;
    let decode = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| s.to_owned())
    };
    Some((decode(parsed.username()), decode(password)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_secret_is_replaced() {
        let scrubber = Scrubber::new(["hunter2pw!?& é/\"x"], [("root", "hunter2pw!?& é/\"x")]);
        for shown in [
            "hunter2pw!?& é/\"x",
            "hunter2pw%21%3F%26+%C3%A9%2F%22x",
            "hunter2pw%21%3F%26%20%C3%A9%2F%22x",
            "hunter2pw%21%3f%26%20%c3%a9%2f%22x",
            "hunter2pw!%3F%26%20%C3%A9%2F%22x",
            "hunter2pw!?& é/\\\"x",
            "hunter2pw!?& é\\/\\\"x",
            "hunter2pw!?& \\u00e9/\\\"x",
            "hunter2pw!?&amp; é/&quot;x",
        ] {
            let text = format!("password={shown}; end");
            assert_eq!(scrubber.text(&text), "password=***; end", "{shown}");
        }
        let basic = base64::engine::general_purpose::STANDARD.encode("root:hunter2pw!?& é/\"x");
        let shown = scrubber.text(&format!("authorization: Basic {basic}"));
        assert!(!shown.contains(basic.trim_end_matches('=')), "{shown}");
    }

    #[test]
    fn short_secrets_are_replaced_too() {
        let scrubber = Scrubber::new(["pw"], []);
        assert_eq!(
            scrubber.text("user=bob&password=pw"),
            "user=bob&password=***"
        );
        assert_eq!(Scrubber::new([""], []).text("anything"), "anything");
    }

    #[test]
    fn errors_are_scrubbed_throughout() {
        let scrubber = Scrubber::new(["s3cret"], []);
        let e = scrubber.error(Error::Api {
            operation: "f".into(),
            reason: "bad s3cret".into(),
            warnings: vec!["w s3cret".into()],
            data: Some(Box::new(serde_json::json!({"s3cret": ["s3cret", 1]}))),
        });
        let shown = format!("{e:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        let e = scrubber.error(Error::Decode {
            operation: "f".into(),
            path: "data.s3cret".into(),
            message: "invalid value: s3cret".into(),
            excerpt: "s3cret".into(),
        });
        assert!(!format!("{e:?}").contains("s3cret"));
    }

    #[test]
    fn urls_show_without_their_password() {
        assert_eq!(
            url_for_display("https://root:pw@host:2087/json-api"),
            "https://root:***@host:2087/json-api"
        );
        assert_eq!(url_for_display("https://host"), "https://host");
        assert_eq!(url_for_display("not a url //x:y@z"), "not a url //***@z");
        assert_eq!(
            url_credentials("https://root:p%40ss@host"),
            Some(("root".to_owned(), "p@ss".to_owned()))
        );
        assert_eq!(url_credentials("https://root@host"), None);
    }
}
