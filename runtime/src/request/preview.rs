//! A request as it would be sent, every secret in it shown as `***`: what
//! a dry run prints and a log may keep.

use crate::request::Outgoing;

/// A request as it would be sent (method, URL, headers, body), with every
/// form of every secret (credentials, secret parameters) replaced by
/// `***`. Made by [`RawCall::preview`](crate::RawCall::preview) and
/// [`Call::preview`](crate::Call::preview); nothing is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The URL, its query included.
    pub url: String,
    /// The headers the call sets, in order (the HTTP library adds
    /// `Host`, `User-Agent` and `Content-Length`).
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: Option<String>,
}

impl Preview {
    pub(crate) fn of(outgoing: &Outgoing) -> Preview {
        let scrubber = &outgoing.scrubber;
        let url = crate::scrub::url_for_display(outgoing.url.as_str());
        Preview {
            method: outgoing.method.to_string(),
            url: scrubber.text(&url),
            headers: outgoing
                .headers
                .iter()
                .map(|(name, value)| (name.to_string(), scrubber.text(value.expose())))
                .collect(),
            body: outgoing
                .body
                .as_deref()
                .map(|b| scrubber.text(&String::from_utf8_lossy(b))),
        }
    }

    /// The request on one line: `POST https://host:2087/json-api/listaccts
    /// (Authorization: whm root:***) api.version=1&search=bob`.
    pub fn line(&self) -> String {
        let credentials: Vec<String> = self
            .headers
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "Accept" | "Content-Type"))
            .map(|(name, value)| format!("{name}: {value}"))
            .collect();
        let mut line = format!("{} {}", self.method, self.url);
        if !credentials.is_empty() {
            line.push_str(&format!(" ({})", credentials.join(", ")));
        }
        if let Some(body) = self.body.as_deref().filter(|b| !b.is_empty()) {
            line.push(' ');
            line.push_str(body);
        }
        line
    }
}

impl std::fmt::Display for Preview {
    /// The request as HTTP writes it: the request line, the headers, a
    /// blank line and the body.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} {}", self.method, self.url)?;
        for (name, value) in &self.headers {
            writeln!(f, "{name}: {value}")?;
        }
        if let Some(body) = &self.body {
            writeln!(f)?;
            writeln!(f, "{body}")?;
        }
        Ok(())
    }
}
