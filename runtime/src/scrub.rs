//! Keeping secrets out of errors: every form a secret can take in what a
//! server or a proxy sends back.
//!
//! A reply can echo what it was sent: the form body (where a password is
//! percent-encoded by one encoder or another: a space as `+` or `%20`, hex
//! in either case, with `/` or `~` left as they are or not, or every byte
//! encoded), the `Authorization` header (a token as it is, a password as
//! base64 of `user:password`), or JSON (where `"`, `\`, `/` and non-ASCII
//! letters may be escaped), and HTML pages escape `&`, `<`, `>` and quotes.
//! Every error of a call has each of these forms of each of its secrets
//! replaced by `***`, whatever the secret's length.
//!
//! The forms are worked out, and one automaton built for all of them, only
//! when something is first scrubbed: most calls succeed and never are.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use base64::Engine as _;
use serde_json::Value;

use crate::error::Error;

/// What replaces a secret.
const MASK: &str = "***";

/// The secrets of a call, to replace in anything shown.
#[derive(Clone, Default)]
pub(crate) struct Scrubber {
    /// Secrets on their own.
    secrets: Arc<Vec<String>>,
    /// Credentials: (user, secret), as an `Authorization` header carries them.
    credentials: Arc<Vec<(String, String)>>,
    /// Every form of every secret, matched at once; made when first needed.
    finder: Arc<OnceLock<Option<AhoCorasick>>>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Scrubber({} secrets)",
            self.secrets.len() + self.credentials.len()
        )
    }
}

impl Scrubber {
    /// A scrubber of `secrets`, and of `credentials` (user, secret) in
    /// the forms an `Authorization` header gives them.
    pub fn new<'s>(
        secrets: impl IntoIterator<Item = &'s str>,
        credentials: impl IntoIterator<Item = (&'s str, &'s str)>,
    ) -> Self {
        let secrets: Vec<String> = secrets
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let credentials: Vec<(String, String)> = credentials
            .into_iter()
            .filter(|(_, s)| !s.is_empty())
            .map(|(u, s)| (u.to_owned(), s.to_owned()))
            .collect();
        Scrubber {
            secrets: Arc::new(secrets),
            credentials: Arc::new(credentials),
            finder: Arc::default(),
        }
    }

    /// This scrubber and `other`'s secrets together.
    pub fn with(&self, other: &Scrubber) -> Scrubber {
        if other.is_empty() {
            return self.clone();
        }
        if self.is_empty() {
            return other.clone();
        }
        let secrets = self.secrets.iter().chain(other.secrets.iter());
        let credentials = self.credentials.iter().chain(other.credentials.iter());
        Scrubber::new(
            secrets.map(String::as_str),
            credentials.map(|(u, s)| (u.as_str(), s.as_str())),
        )
    }

    fn is_empty(&self) -> bool {
        self.secrets.is_empty() && self.credentials.is_empty()
    }

    /// The automaton that finds every form, the longest where several
    /// overlap; `None` when there is nothing to find.
    fn finder(&self) -> Option<&AhoCorasick> {
        self.finder
            .get_or_init(|| {
                let mut forms = BTreeSet::new();
                for secret in self.secrets.iter() {
                    forms.extend(forms_of(secret));
                }
                for (user, secret) in self.credentials.iter() {
                    forms.extend(forms_of(secret));
                    forms.extend(base64_forms(&format!("{user}:{secret}")));
                }
                forms.retain(|f: &String| !f.is_empty());
                if forms.is_empty() {
                    return None;
                }
                // Hex digits come in either case, and mixed; a secret
                // that differs from text only in case is masked too,
                // which shows less, never more.
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .ascii_case_insensitive(true)
                    .build(&forms)
                    .ok()
            })
            .as_ref()
    }

    /// `text` with every form of every secret replaced.
    pub fn text(&self, text: &str) -> String {
        self.clean(text).into_owned()
    }

    /// `text` with every form of every secret replaced; borrowed when it
    /// holds none.
    pub fn clean<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match self.finder() {
            Some(finder) if finder.is_match(text) => {
                let mut out = String::with_capacity(text.len());
                finder.replace_all_with(text, &mut out, |_, _, out| {
                    out.push_str(MASK);
                    true
                });
                Cow::Owned(out)
            }
            _ => Cow::Borrowed(text),
        }
    }

    /// `bytes` (a body, UTF-8 or not) with every form of every secret
    /// replaced; borrowed when they hold none.
    pub fn clean_bytes<'t>(&self, bytes: &'t [u8]) -> Cow<'t, [u8]> {
        match self.finder() {
            Some(finder) if finder.is_match(bytes) => {
                let mut out = Vec::with_capacity(bytes.len());
                finder.replace_all_with_bytes(bytes, &mut out, |_, _, out| {
                    out.extend_from_slice(MASK.as_bytes());
                    true
                });
                Cow::Owned(out)
            }
            _ => Cow::Borrowed(bytes),
        }
    }

    /// Every string in `value`, and every key, scrubbed.
    pub fn value(&self, value: &mut Value) {
        if self.is_empty() {
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
        if self.is_empty() {
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
            Error::NotApiReply {
                operation,
                status,
                expected,
                excerpt,
            } => Error::NotApiReply {
                operation,
                status,
                expected,
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
                body,
            } => Error::Status {
                operation,
                status,
                excerpt: t(excerpt),
                // Decoded from the scrubbed reply (see `reply::read`).
                body,
            },
            Error::Api {
                operation,
                reason,
                errors,
                warnings,
                mut data,
                mut rest,
            } => {
                for value in [data.as_deref_mut(), rest.as_deref_mut()]
                    .into_iter()
                    .flatten()
                {
                    self.value(value);
                }
                Error::Api {
                    operation,
                    reason: t(reason),
                    errors: errors.into_iter().map(t).collect(),
                    warnings: warnings.into_iter().map(t).collect(),
                    data,
                    rest,
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
            Error::Pages { .. } => error,
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
    // Percent-encoding as encoders do it, each leaving other characters
    // as they are: `application/x-www-form-urlencoded` (the url crate,
    // and with `%20` for a space), JavaScript's `encodeURIComponent`,
    // Python's `quote` (which keeps `/`) and `quote_plus`, RFC 3986's
    // unreserved characters alone, and every byte encoded. Hex case is
    // left to the matcher.
    const ENCODERS: [(&[u8], bool); 6] = [
        (b"*-._", true),
        (b"-_.~!'()*", false),
        (b"_.-~/", false),
        (b"_.-~", true),
        (b"-._~", false),
        (b"", false),
    ];
    for (keep, plus) in ENCODERS {
        let encoded = percent(secret, keep, plus);
        if plus {
            forms.push(encoded.replace('+', "%20"));
        }
        forms.push(encoded);
    }
    forms.push(percent_all(secret));
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

/// Percent-encoding that leaves ASCII letters, digits and the bytes of
/// `keep` as they are, and writes a space as `+` when `plus`.
fn percent(text: &str, keep: &[u8], plus: bool) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || keep.contains(&byte) {
            out.push(char::from(byte));
        } else if plus && byte == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Every byte of `text` percent-encoded, letters and digits too.
fn percent_all(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
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

/// Up to `max` characters of `text` on one line, with every secret
/// replaced (before it is cut, so that no part of one is left at the cut).
pub(crate) fn excerpt(text: &str, scrubber: &Scrubber, max: usize) -> String {
    let scrubbed = scrubber.text(text);
    let one_line: String = scrubbed.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max).collect();
    format!("{cut}...")
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
    fn every_encoders_form_of_a_secret_is_replaced() {
        let secret = "to/ken~ é*";
        let scrubber = Scrubber::new([], [("root", secret)]);
        let every_byte: String = secret.bytes().map(|b| format!("%{b:02X}")).collect();
        for shown in [
            every_byte.clone(),
            every_byte.to_lowercase(),
            // Python's `quote` keeps `/` and `~`; `quote_plus` neither.
            "to/ken~%20%C3%A9%2A".to_owned(),
            "to%2Fken~+%C3%A9%2A".to_owned(),
            "to%2fken%7E+%c3%A9*".to_owned(),
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(format!("root:{secret}")),
        ] {
            let text = format!("echo [{shown}] echo");
            assert_eq!(scrubber.text(&text), "echo [***] echo", "{shown}");
            assert_eq!(
                scrubber.clean_bytes(text.as_bytes()).as_ref(),
                b"echo [***] echo"
            );
        }
        // Nothing to replace: nothing copied.
        assert!(matches!(scrubber.clean("plain"), Cow::Borrowed(_)));
        assert!(matches!(
            scrubber.clean_bytes(b"\xff\xfe"),
            Cow::Borrowed(_)
        ));
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
            errors: vec!["e s3cret".into()],
            warnings: vec!["w s3cret".into()],
            data: Some(Box::new(serde_json::json!({"s3cret": ["s3cret", 1]}))),
            rest: Some(Box::new(serde_json::json!({"metadata": {"raw": "s3cret"}}))),
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

    #[test]
    fn excerpts_are_short_single_lines_without_secrets() {
        let text = "<html>\n  <body>token abc123 here</body>\n</html>";
        let scrubber = Scrubber::new(["abc123"], []);
        assert_eq!(
            excerpt(text, &scrubber, 200),
            "<html> <body>token *** here</body> </html>"
        );
        let none = Scrubber::default();
        assert_eq!(excerpt("x".repeat(10).as_str(), &none, 4), "xxxx...");
        // A secret across the cut is replaced before cutting.
        assert_eq!(excerpt("ab abc123", &scrubber, 5), "ab **...");
    }
}
