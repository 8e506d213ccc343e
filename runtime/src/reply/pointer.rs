//! Values found at JSON pointers (RFC 6901) in a reply, without
//! allocating: every successful call looks up its envelope's flags and
//! messages this way, and `serde_json`'s own `Value::pointer` builds two
//! strings per token (a third of the cost of reading a small reply).

use serde_json::Value;

use crate::wire::pointer::unescape;

/// The value at `pointer` in `value` (`""`: `value` itself), as
/// `Value::pointer` finds it.
pub(crate) fn at<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let tokens = pointer.strip_prefix('/')?;
    tokens
        .split('/')
        .try_fold(value, |at, token| child(at, &unescape(token)))
}

/// The member `name` of an object, or the element a list's [`index`]
/// `name` stands for.
pub(crate) fn child<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    match value {
        Value::Object(members) => members.get(name),
        Value::Array(items) => items.get(index(name)?),
        _ => None,
    }
}

/// The list index a token stands for: digits, without a leading zero
/// (`0` itself aside) or sign.
pub(crate) fn index(token: &str) -> Option<usize> {
    let canonical = !token.starts_with('+') && (token == "0" || !token.starts_with('0'));
    token.parse().ok().filter(|_| canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_serde_json_finds() {
        let value = serde_json::json!({
            "a": {"b": [10, {"c/d": 1, "e~f": 2, "": 3}]},
            "0": "zero",
            "": {"": "empty"},
        });
        for pointer in [
            "",
            "/",
            "//",
            "/a",
            "/a/b",
            "/a/b/0",
            "/a/b/1/c~1d",
            "/a/b/1/e~0f",
            "/a/b/1/",
            "/a/b/01",
            "/a/b/+1",
            "/a/b/2",
            "/a/b/-",
            "/0",
            "/a/x",
            "a",
            "/a/b/0/x",
            "/a/b/1/c/d",
            "/a/b/18446744073709551616",
        ] {
            assert_eq!(at(&value, pointer), value.pointer(pointer), "{pointer:?}");
        }
        assert_eq!(at(&value, "/a/b/0"), Some(&serde_json::json!(10)));
        assert_eq!(at(&value, "/a/b/1/c~1d"), Some(&serde_json::json!(1)));
        assert_eq!(at(&value, "/a/b/01"), None);
    }
}
