//! A call as typed at a shell, in `whmapi1`'s syntax: the function's name,
//! then `key=value` words (a list by repeating its key), checked against
//! the catalog before anything is sent.

use whm_runtime::Operation as Function;
use whm_runtime::operation::{Kind, Presence};

/// A mistake in what was typed: said before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage(pub String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The `key=value` words after the function's name, in order.
pub fn pairs(words: &[String]) -> Result<Vec<(String, String)>, Usage> {
    words
        .iter()
        .map(|word| match word.split_once('=') {
            Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
            _ => Err(Usage(format!(
                "`{word}` is not a parameter: write `key=value` (a list: repeat the key)"
            ))),
        })
        .collect()
}

/// The function named `name` in `catalog`, or an error naming the closest.
pub fn function(catalog: &[&'static Function], name: &str) -> Result<&'static Function, Usage> {
    if let Some(f) = catalog.iter().find(|f| f.name == name) {
        return Ok(*f);
    }
    let closest = closest(name, catalog.iter().map(|f| f.name), 3);
    let hint = if closest.is_empty() {
        "`whm list` shows them".to_owned()
    } else {
        format!("did you mean {}?", quoted(&closest))
    };
    Err(Usage(format!(
        "`{name}` is not a function of WHM API 1: {hint} (`--raw` calls it anyway)"
    )))
}

/// A name for `--raw`: a WHM function's name is letters, digits and
/// `_`, never a path (`json-api/version` would be sent under
/// `/json-api/json-api/`).
pub fn raw_name(name: &str) -> Result<(), Usage> {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Ok(());
    }
    Err(Usage(format!(
        "`{name}` is not a function name: a WHM function is named with letters, digits and `_` (`version`, not `json-api/version`)"
    )))
}

/// Checks `pairs` against `function`: every key a parameter (or alias),
/// every value of its kind, every required parameter given.
pub fn check(function: &Function, pairs: &[(String, String)]) -> Result<(), Usage> {
    let name = function.name;
    for (key, value) in pairs {
        let Some(param) = function.param(key) else {
            // A function that takes pairs of its own callee's (API 2's
            // arguments through `cpanel`) takes any other key as one.
            if function.details.free_form {
                continue;
            }
            let names: Vec<&str> = function.details.params.iter().map(|p| p.name).collect();
            let near = closest(key, names.iter().copied(), 1);
            let valid = if names.is_empty() {
                "it takes no parameters".to_owned()
            } else if let Some(near) = near.first() {
                format!("did you mean `{near}`? It takes {}", quoted(&names))
            } else {
                format!("it takes {}", quoted(&names))
            };
            return Err(Usage(format!(
                "`{key}` is not a parameter of `{name}`: {valid}"
            )));
        };
        if let Presence::Constant(fixed) | Presence::Flag(fixed) = param.presence
            && value != fixed
        {
            return Err(Usage(format!("`{key}` of `{name}` can only be `{fixed}`")));
        }
        if let Err(why) = param.kind.check(value) {
            return Err(Usage(format!("`{key}` of `{name}`: {why}")));
        }
        let repeated = pairs.iter().filter(|(k, _)| k == key).count() > 1;
        if repeated && !matches!(param.kind, Kind::List(_)) {
            return Err(Usage(format!(
                "`{key}` of `{name}` takes one value, not a list"
            )));
        }
    }
    for param in function.details.params {
        let given = pairs
            .iter()
            .any(|(k, _)| k == param.name || param.aliases.contains(&k.as_str()));
        if matches!(param.presence, Presence::Required | Presence::Bound) && !given {
            return Err(Usage(format!(
                "`{name}` needs `{}`: {} (`whm describe {name}`)",
                param.name, param.description
            )));
        }
    }
    Ok(())
}

/// The names nearest `word`, at most `n`, closest first.
pub fn closest<'a>(word: &str, names: impl Iterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = names
        .map(|name| (strsim::jaro_winkler(word, name), name))
        .filter(|(score, _)| *score > 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(n).map(|(_, name)| name).collect()
}

fn quoted(names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use whm_runtime::operation::{Details, Param};

    const PARAMS: &[Param] = &[
        Param {
            name: "searchtype",
            aliases: &[],
            presence: Presence::Optional,
            kind: Kind::Enum(&["domain", "owner"]),
            description: "What to search.",
            default: None,
            example: None,
        },
        Param {
            name: "user",
            aliases: &["username"],
            presence: Presence::Required,
            kind: Kind::Text,
            description: "The account's username.",
            default: None,
            example: None,
        },
        Param {
            name: "quota",
            aliases: &[],
            presence: Presence::Optional,
            kind: Kind::Limit,
            description: "Disk quota.",
            default: None,
            example: None,
        },
        Param {
            name: "password",
            aliases: &[],
            presence: Presence::Optional,
            kind: Kind::Secret,
            description: "A password.",
            default: None,
            example: None,
        },
    ];
    const DETAILS: Details = Details {
        group: "accounts",
        summary: "Create an account.",
        deprecated: false,
        params: PARAMS,
        free_form: false,
    };
    const F: Function = Function {
        name: "createacct",
        method: whm_runtime::__private::Method::Get,
        path: "/createacct",
        body: whm_runtime::__private::Body::None,
        envelope: None,
        list: None,
        details: &DETAILS,
    };
    const FREE_FORM: Details = Details {
        free_form: true,
        ..DETAILS
    };

    #[test]
    fn a_free_form_function_takes_other_keys_and_still_checks_its_own() {
        let free = Function {
            details: &FREE_FORM,
            ..F
        };
        let given = |w: &[&str]| check(&free, &pairs(&words(w)).unwrap());
        assert!(given(&["username=bob", "email=info", "domain=a.example"]).is_ok());
        assert!(check(&F, &pairs(&words(&["username=bob", "email=info"])).unwrap()).is_err());
        let e = given(&["username=bob", "quota=lots", "email=info"])
            .unwrap_err()
            .0;
        assert!(e.contains("a whole number"), "{e}");
        let e = given(&["email=info"]).unwrap_err().0;
        assert!(e.contains("needs `user`"), "{e}");
    }

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn each_mistake_says_what_is_allowed() {
        let p = |w: &[&str]| check(&F, &pairs(&words(w)).unwrap()).unwrap_err().0;
        assert!(p(&["user=bob", "serchtype=x"]).contains("did you mean `searchtype`"));
        assert!(p(&["user=bob", "searchtype=user"]).contains("one of domain, owner"));
        assert!(p(&["user=bob", "quota=lots"]).contains("a whole number or `unlimited`"));
        assert!(p(&["searchtype=domain"]).contains("needs `user`: The account's username."));
        assert!(p(&["user=a", "user=b"]).contains("takes one value"));
        assert!(
            check(
                &F,
                &pairs(&words(&["username=bob", "quota=unlimited"])).unwrap()
            )
            .is_ok()
        );
        assert!(
            pairs(&words(&["user"]))
                .unwrap_err()
                .0
                .contains("key=value")
        );
        let e = function(&[&F], "createact").unwrap_err().0;
        assert!(e.contains("did you mean `createacct`"), "{e}");
    }
}
