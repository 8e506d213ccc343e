//! How a request goes out: its HTTP method and how its parameters travel.

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
    /// `HEAD`.
    Head,
    /// `OPTIONS`.
    Options,
    /// `TRACE`.
    Trace,
}

impl Method {
    /// Every method, in the order a spec's path item lists them.
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
        Method::Options,
        Method::Trace,
    ];

    /// The method as HTTP writes it (`GET`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }

    /// The method a path item's key names (`get`, as OpenAPI writes it).
    pub fn from_key(key: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(key))
    }
}

/// How an operation's parameters travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Body {
    /// In the query string (or, where the API allows, a form body).
    None,
    /// A form-encoded body.
    Form,
    /// A JSON body.
    Json,
    /// The request's own bytes (an upload, text), with the media type it
    /// names; parameters in the query string.
    Raw,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_read_from_path_item_keys_and_write_as_http_does() {
        for method in Method::ALL {
            let key = method.as_str().to_ascii_lowercase();
            assert_eq!(Method::from_key(&key), Some(method));
        }
        assert_eq!(Method::from_key("trace"), Some(Method::Trace));
        assert_eq!(Method::from_key("connect"), None);
    }
}
