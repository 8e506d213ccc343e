//! Every Rust name the generator emits is decided here, once.
//!
//! Wire names (`api.version`, `BWLIMIT`, `2fa_enabled`, `type`) become
//! snake_case or UpperCamelCase identifiers; keywords become raw identifiers
//! (`r#type`), or get a trailing underscore where Rust allows no raw form
//! (`self_`); leading digits get a prefix. Two wire names that map to one
//! identifier in the same scope are a collision, resolved deterministically
//! by [`Namespace`]: the name that needed no change keeps it, the others get
//! `_2`, `_3`, ... in the order they are claimed.

use std::collections::BTreeMap;

mod crate_wide;

pub use crate_wide::{CrateNames, ViewNames};

/// Rust keywords of every edition, strict and reserved.
const KEYWORDS: [&str; 51] = [
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: [&str; 5] = ["self", "Self", "super", "crate", "_"];

/// Whether `word` is a Rust keyword.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word) || word == "gen"
}

/// The words of a wire name: split at anything not alphanumeric and at
/// camel-case humps (`InProductSurvey` → in, product, survey), keeping a
/// lone leading lowercase letter with its word (`cPanel` → cpanel).
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|c| !c.is_empty())
    {
        let chars: Vec<char> = chunk.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let hump = c.is_ascii_uppercase()
                && prev.is_some_and(|p| {
                    (p.is_ascii_lowercase() && i != 1)
                        || (p.is_ascii_digit())
                        || (p.is_ascii_uppercase()
                            && next.is_some_and(|n| n.is_ascii_lowercase())
                            && word.len() >= 2)
                });
            if hump && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            word.push(c.to_ascii_lowercase());
        }
        if !word.is_empty() {
            out.push(word);
        }
    }
    out
}

/// `snake_case` for fields, methods and modules; always a valid identifier.
pub fn snake(name: &str) -> String {
    let joined = words(name).join("_");
    let base = if joined.is_empty() {
        "value".to_owned()
    } else {
        joined
    };
    identifier(base)
}

/// The type of a client view named `name` (`user`: `UserClient`, for
/// `client.as_user(..)`).
pub fn view_type(name: &str) -> String {
    format!("{}Client", camel(name))
}

/// The cargo feature of a group's module (`ssl_certificates`:
/// `ssl-certificates`). A feature may start with a digit but not with
/// `-`: the `_` a module takes before a digit (`_1_click_apps`) is left
/// out (`1-click-apps`).
pub fn feature(module: &str) -> String {
    let module = module.trim_start_matches("r#").trim_start_matches('_');
    module.replace('_', "-")
}

/// `SCREAMING_SNAKE_CASE` for statics, from a type's name (`ListUsers`:
/// `LIST_USERS`); always a valid identifier.
pub fn screaming(name: &str) -> String {
    let joined = words(name).join("_").to_ascii_uppercase();
    match joined.chars().next() {
        None => "VALUE".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("_{joined}"),
        Some(_) => joined,
    }
}

/// `UpperCamelCase` for types and variants; always a valid identifier.
pub fn camel(name: &str) -> String {
    let mut out = String::new();
    for word in words(name) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() {
        out.push_str("Value");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// A snake-case word made safe: digits first get a leading `_`, keywords
/// become raw (`r#type`) or, where Rust allows no raw form, get `_`.
fn identifier(mut name: String) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if is_keyword(&name) {
        name.insert_str(0, "r#");
    }
    name
}

/// Names claimed in one scope (a module's types, a struct's fields, a
/// type's methods), with collisions resolved in claiming order.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeMap<String, String>,
}

impl Namespace {
    /// A scope where `reserved` names are already taken (by hand-written
    /// items such as a `Client`'s own methods).
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        let mut ns = Namespace::default();
        for name in reserved {
            ns.taken.insert(name.to_owned(), String::new());
        }
        ns
    }

    /// Claims `candidate` for `owner` (a wire name or path, for messages);
    /// returns the candidate, or the first of `candidate_2`, `candidate_3`,
    /// ... that is free. Claiming the same candidate for the same owner
    /// again returns the same name.
    pub fn claim(&mut self, candidate: &str, owner: &str) -> String {
        if let Some(existing) = self.taken.get(candidate)
            && existing == owner
            && !owner.is_empty()
        {
            return candidate.to_owned();
        }
        let name = self.first_free(candidate);
        self.taken.insert(name.clone(), owner.to_owned());
        name
    }

    /// What [`Namespace::claim`] would give `candidate` now, without
    /// claiming it: the candidate, or its first free numbered form.
    pub fn first_free(&self, candidate: &str) -> String {
        let mut name = candidate.to_owned();
        let mut n = 2;
        while self.taken.contains_key(&name) {
            let stem = candidate.strip_prefix("r#").unwrap_or(candidate);
            let separator = if stem.starts_with(|c: char| c.is_ascii_uppercase()) {
                ""
            } else {
                "_"
            };
            name = format!("{stem}{separator}{n}");
            n += 1;
        }
        name
    }

    /// Whether `name` is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains_key(name)
    }

    /// Who claimed `name`: `Some("")` for a reserved name, `None` when it
    /// is free.
    pub fn owner_of(&self, name: &str) -> Option<&str> {
        self.taken.get(name).map(String::as_str)
    }
}

/// Claims field names for wire names in one scope: a wire name that maps to
/// its identifier unchanged (`bwlimit`) keeps it before one that needed
/// changes (`BWLIMIT`), whatever the order; otherwise first come, first served.
pub fn field_names<'w>(
    wire_names: impl IntoIterator<Item = &'w str>,
    reserved: &[&str],
) -> Vec<String> {
    let wires: Vec<&str> = wire_names.into_iter().collect();
    let mut ns = Namespace::with_reserved(reserved.iter().copied());
    let mut names = vec![String::new(); wires.len()];
    let exact: Vec<bool> = wires.iter().map(|w| snake(w) == *w).collect();
    // Each field owns its name alone: one wire name twice (a query
    // parameter and a body member both `name`) gives two fields.
    for pass in [true, false] {
        for (i, wire) in wires.iter().enumerate() {
            if exact[i] == pass {
                names[i] = ns.claim(&snake(wire), &format!("{i}:{wire}"));
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statics_are_screaming_and_always_identifiers() {
        assert_eq!(screaming("Listaccts"), "LISTACCTS");
        assert_eq!(screaming("ListUsers"), "LIST_USERS");
        assert_eq!(screaming("EmailClearpopcache2"), "EMAIL_CLEARPOPCACHE2");
        assert_eq!(screaming("2faEnabled"), "_2FA_ENABLED");
        assert_eq!(screaming(""), "VALUE");
        assert_eq!(feature("r#type"), "type");
        assert_eq!(feature("ssl_certificates"), "ssl-certificates");
        assert_eq!(feature("_1_click_apps"), "1-click-apps");
        assert_eq!(feature("__private"), "private");
    }

    #[test]
    fn every_keyword_becomes_a_valid_identifier() {
        for kw in KEYWORDS.iter().chain(["gen", "_"].iter()) {
            let s = snake(kw);
            let parsed: Result<syn::Ident, _> = syn::parse_str(&s);
            assert!(parsed.is_ok(), "{kw} -> {s} is not an identifier");
            let c = camel(kw);
            let parsed: Result<syn::Ident, _> = syn::parse_str(&c);
            assert!(parsed.is_ok(), "{kw} -> {c} is not an identifier");
        }
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("crate"), "crate_");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(camel("Result"), "Result");
    }

    #[test]
    fn wire_names_to_rust() {
        assert_eq!(snake("api.version"), "api_version");
        assert_eq!(snake("BWLIMIT"), "bwlimit");
        assert_eq!(snake("MAX_EMAIL_PER_HOUR"), "max_email_per_hour");
        assert_eq!(snake("2fa_enabled"), "_2fa_enabled");
        assert_eq!(snake("acl-acct-summary"), "acl_acct_summary");
        assert_eq!(
            snake("Variable Names and Values"),
            "variable_names_and_values"
        );
        assert_eq!(snake("cPanel Market"), "cpanel_market");
        assert_eq!(snake("InProductSurvey"), "in_product_survey");
        assert_eq!(snake("Login Security (cPHulk)"), "login_security_cp_hulk");
        assert_eq!(snake("NGINX Manager"), "nginx_manager");
        assert_eq!(snake("IPv6 Address Settings"), "ipv6_address_settings");
        assert_eq!(snake(""), "value");
        assert_eq!(snake("***"), "value");
        assert_eq!(camel("listaccts"), "Listaccts");
        assert_eq!(camel("api_token_create"), "ApiTokenCreate");
        assert_eq!(camel("ea-php74"), "EaPhp74");
        assert_eq!(camel(".local"), "Local");
        assert_eq!(camel("2048"), "V2048");
        assert_eq!(camel("HTTPServer"), "HttpServer");
    }

    #[test]
    fn collisions_after_case_conversion_are_resolved_deterministically() {
        let names = field_names(["BWLIMIT", "bwlimit", "bw-limit"], &[]);
        assert_eq!(names, ["bwlimit_2", "bwlimit", "bw_limit"]);
        let names = field_names(["MAXFTP", "MaxFtp"], &[]);
        assert_eq!(names, ["maxftp", "max_ftp"]);
        let names = field_names(["extra", "EXTRA"], &["extra"]);
        assert_eq!(names, ["extra_2", "extra_3"]);
        // One wire name in two places (query and body): two fields.
        let names = field_names(["name", "id", "name"], &[]);
        assert_eq!(names, ["name", "id", "name_2"]);
    }

    #[test]
    fn namespaces_claim_in_order_and_remember_owners() {
        let mut ns = Namespace::with_reserved(["Client"]);
        assert_eq!(ns.claim("Client", "client"), "Client2");
        assert_eq!(ns.claim("Listaccts", "listaccts"), "Listaccts");
        assert_eq!(ns.claim("Listaccts", "listaccts"), "Listaccts");
        assert_eq!(ns.claim("Listaccts", "list_accts"), "Listaccts2");
        assert_eq!(ns.claim("r#type", "type"), "r#type");
        assert_eq!(ns.claim("r#type", "TYPE"), "type_2");
    }
}
