//! Path parameters: an operation's path template (`/pets/{petId}`) with
//! each `{name}` replaced by its value, encoded as one segment, so that no
//! value can add a segment (`/`), climb out of the API's path (`..`), or
//! end the path early (`?`, `#`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::params::Params;

/// What a segment keeps as it is: RFC 3986's unreserved characters.
pub(crate) const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The names a path template leaves to fill in (`petId` of
/// `/pets/{petId}`), in order.
pub(crate) fn names(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

/// `template` with each `{name}` replaced by the value `values` has for
/// it; an error, saying which, when one has none or one that cannot be a
/// segment (empty, `.` or `..`).
pub(crate) fn fill(template: &str, values: &Params) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        let value = values
            .pairs()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| format!("the path parameter `{name}` has no value"))?;
        if matches!(value, "" | "." | "..") {
            return Err(format!(
                "the path parameter `{name}` cannot be `{value}`: it is one segment of the path"
            ));
        }
        out.extend(utf8_percent_encode(value, SEGMENT));
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> Params {
        let mut params = Params::new();
        for (k, v) in pairs {
            params.push_raw(*k, *v);
        }
        params
    }

    #[test]
    fn each_value_is_one_segment_whatever_it_holds() {
        let template = "/repos/{owner}/{repo}/pulls";
        assert_eq!(
            fill(
                template,
                &values(&[("owner", "bob"), ("repo", "a.b-c_d~e")])
            )
            .unwrap(),
            "/repos/bob/a.b-c_d~e/pulls"
        );
        let hostile = values(&[("owner", "../admin"), ("repo", "x/y?z=1#f %2e")]);
        assert_eq!(
            fill(template, &hostile).unwrap(),
            "/repos/..%2Fadmin/x%2Fy%3Fz%3D1%23f%20%252e/pulls"
        );
        assert_eq!(fill("/p/{n}", &values(&[("n", "é")])).unwrap(), "/p/%C3%A9");
    }

    #[test]
    fn a_missing_or_dot_value_is_refused() {
        let e = fill("/pets/{petId}", &Params::new()).unwrap_err();
        assert!(e.contains("`petId` has no value"), "{e}");
        for dots in ["", ".", ".."] {
            let e = fill("/pets/{petId}", &values(&[("petId", dots)])).unwrap_err();
            assert!(e.contains("one segment"), "{e}");
        }
        assert_eq!(names("/a/{b}/c/{d}").collect::<Vec<_>>(), ["b", "d"]);
        assert_eq!(fill("/plain", &Params::new()).unwrap(), "/plain");
    }
}
