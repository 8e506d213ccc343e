//! JSON pointers (RFC 6901), as the wire model writes where a reply keeps
//! its parts: the one place their tokens are escaped and read.

use std::borrow::Cow;

/// The reference tokens of `pointer`, unescaped: `/a~1b/c` gives `a/b` and
/// `c`; `""` (the whole document) gives none.
pub fn tokens(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> {
    pointer.split('/').skip(1).map(unescape)
}

/// A member's name as a pointer's token: `~` as `~0`, `/` as `~1`.
pub fn escape(name: &str) -> Cow<'_, str> {
    if name.contains(['~', '/']) {
        Cow::Owned(name.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(name)
    }
}

/// A pointer's token as the member's name it stands for.
pub fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        // `~1` first: `~01` is the name `~1`, not `/`.
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_escaped_and_read_as_rfc_6901_says() {
        let read: Vec<_> = tokens("/a~1b/c~0d/~01/").collect();
        assert_eq!(read, ["a/b", "c~d", "~1", ""]);
        assert_eq!(tokens("").count(), 0);
        for name in ["plain", "a/b", "~", "~1", "/~0/"] {
            assert_eq!(unescape(&escape(name)), name);
        }
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
    }
}
