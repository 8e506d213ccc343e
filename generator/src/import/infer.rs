//! A schema inferred from a sample value.
//!
//! A sample shows what one reply looked like, so the inferred schema claims no
//! more than that: no property is required, an array's items merge what every
//! element showed, `null` makes a schema nullable, and values of different
//! types become `oneOf`.
//!
//! An object whose keys are data rather than names (mailboxes, domains, IP
//! addresses, versions, ACL names, the user a request named) becomes a map:
//! when every key is data, or when some key is and every member holds the
//! same kind of value. An object of named members where a few keys are data
//! (`MXCHECK-example.com` among a user's settings) keeps its named members
//! as properties; the others are left to `additionalProperties`, so that no
//! field is named after sample data.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::kin::Kin;
use crate::spec::openapi::SchemaType;
use crate::spec::openapi::{AdditionalProperties, Schema};

/// The schema of `value`, with no knowledge of the request.
pub fn infer(value: &Value) -> Schema {
    Inference::default().infer(value)
}

/// Schema inference for one function's reply: what it knows of the
/// request, and what it found.
#[derive(Debug, Default)]
pub struct Inference<'k> {
    /// Values the function's request examples send (`user=example`): a
    /// reply keyed by them is keyed by data.
    pub request_values: BTreeSet<String>,
    /// Objects typed as maps because their keys are data.
    pub maps: usize,
    /// Members left out of an object's properties because their keys are data.
    pub data_members: usize,
    /// What the rest of the reference shows of records of each kind.
    pub kin: Option<&'k Kin>,
    /// The key of the member whose value is being inferred, if any.
    container: Option<String>,
}

impl<'k> Inference<'k> {
    /// Inference for a reply to a request that sends `request_values`,
    /// knowing what `kin` shows of each kind of record.
    pub fn new(request_values: BTreeSet<String>, kin: Option<&'k Kin>) -> Self {
        Inference {
            request_values,
            kin,
            ..Inference::default()
        }
    }

    /// The schema of `value`.
    pub fn infer(&mut self, value: &Value) -> Schema {
        match value {
            Value::Null => Schema {
                nullable: true,
                ..Schema::default()
            },
            Value::Bool(_) => Schema::of_type(SchemaType::Boolean),
            Value::Number(n) if n.is_f64() => Schema::of_type(SchemaType::Number),
            Value::Number(_) => Schema::of_type(SchemaType::Integer),
            Value::String(_) => Schema::of_type(SchemaType::String),
            Value::Array(items) => Schema {
                items: Some(Box::new(
                    items
                        .iter()
                        .map(|item| {
                            self.container = None;
                            self.infer(item)
                        })
                        .reduce(merge)
                        .unwrap_or_default(),
                )),
                ..Schema::of_type(SchemaType::Array)
            },
            Value::Object(members) => self.object(members),
        }
    }

    fn object(&mut self, members: &Map<String, Value>) -> Schema {
        let container = self.container.take();
        // Under a name that says its keys are data (`users`, `domains`),
        // members alike are entries (`{"nobody": 1, "root": 1}`), whatever
        // their keys look like.
        if container.as_deref().is_some_and(names_data_keys) && alike(members) {
            self.maps += 1;
            return self.map_of(members);
        }
        let data: Vec<bool> = members
            .iter()
            .map(|(k, v)| self.is_data_key(k, v) || numbered(k, members) == Some(true))
            .collect();
        let all = !members.is_empty() && data.iter().all(|d| *d);
        // Keys that look like data, or records under names numbered from a
        // first one (`MyProfile`, `MyProfile2`; plain values named so are
        // fields, such as `nameserver`, `nameserver2`): when at least half
        // are, and the members are alike, the rest are data too (`INBOX`
        // beside `INBOX.Drafts`, `current` beside `11.30`).
        let signs = members
            .iter()
            .zip(&data)
            .filter(|((k, v), d)| **d || (v.is_object() && numbered(k, members).is_some()))
            .count();
        if all || (2 * signs >= members.len() && alike(members)) {
            self.maps += 1;
            return self.map_of(members);
        }
        let mut properties = IndexMap::new();
        let mut others = Vec::new();
        for ((key, value), data) in members.iter().zip(data) {
            if data {
                others.push(value);
                continue;
            }
            // A member shown `null` here, or in a record of this kind
            // elsewhere, is nullable, with the type shown elsewhere.
            let elsewhere = value
                .is_null()
                .then(|| self.kin.and_then(|kin| kin.value_elsewhere(members, key)))
                .flatten();
            self.container = Some(key.clone());
            let mut schema = self.infer(elsewhere.unwrap_or(value));
            if self.kin.is_some_and(|kin| kin.shown_null(members, key)) {
                schema.nullable = true;
            }
            // A member named like a secret must not show in Debug output.
            if schema.kind == Some(SchemaType::String) && super::secrets::is_secret_name(key) {
                schema.format = Some("password".to_owned());
            }
            properties.insert(key.clone(), schema);
        }
        self.data_members += others.len();
        let additional_properties = (!others.is_empty())
            .then(|| AdditionalProperties::Schema(Box::new(self.merged(others.into_iter()))));
        Schema {
            properties,
            additional_properties,
            ..Schema::of_type(SchemaType::Object)
        }
    }

    /// A map of `members`' values.
    fn map_of(&mut self, members: &Map<String, Value>) -> Schema {
        Schema {
            additional_properties: Some(AdditionalProperties::Schema(Box::new(
                self.merged(members.values()),
            ))),
            ..Schema::of_type(SchemaType::Object)
        }
    }

    /// The schema of values that stand for one kind of value.
    fn merged<'v>(&mut self, values: impl Iterator<Item = &'v Value>) -> Schema {
        values
            .map(|v| {
                self.container = None;
                self.infer(v)
            })
            .reduce(merge)
            .unwrap_or_default()
    }

    /// A key that is a value (a domain, address, path, version, ACL or
    /// header name, an identifier), not a field name; or a name the request
    /// sent, keying a record (`user=bob` answered by `{"bob": {...}}`; a
    /// plain member named like a request value, such as `domain` beside
    /// `searchtype=domain`, is a field).
    fn is_data_key(&self, key: &str, value: &Value) -> bool {
        is_data_key(key) || (value.is_object() && self.request_values.contains(key))
    }
}

/// A key that reads as a value rather than a field name: one starting with
/// a digit (addresses, versions), holding `@`, `/`, `:`, a space or `*`
/// (mail addresses, paths, placeholders such as `key name`), `-` (ACL,
/// header, package and token names: WHM names its fields with `_`), a dot
/// outside a `part.camelCase` field path (domains, mailboxes), or a long
/// mixed-case identifier (generated ids).
fn is_data_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_digit())
        || key.contains(['@', '/', ':', ' ', '*', '-'])
        || (key.contains('.') && !is_field_path(key))
        || is_generated_id(key)
}

/// Whether a member's name says that the keys of the object it holds are
/// data: user and group names, domains, hosts, addresses, versions, paths
/// (`users`, `local_domains`, `ip_addresses`).
fn names_data_keys(name: &str) -> bool {
    const KINDS: [&str; 15] = [
        "users",
        "groups",
        "owners",
        "accounts",
        "domains",
        "hosts",
        "hostnames",
        "servers",
        "ips",
        "addresses",
        "versions",
        "paths",
        "files",
        "directories",
        "mailboxes",
    ];
    let name = name.to_ascii_lowercase();
    KINDS
        .iter()
        .any(|kind| name == *kind || name.ends_with(&format!("_{kind}")))
}

/// `issuer.commonName`: identifiers joined by dots, one of them camelCase.
fn is_field_path(key: &str) -> bool {
    let parts: Vec<&str> = key.split('.').collect();
    let identifier = |p: &&str| {
        p.starts_with(|c: char| c.is_ascii_alphabetic())
            && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let camel = |p: &&str| {
        p.chars().skip(1).any(|c| c.is_ascii_uppercase())
            && p.chars().any(|c| c.is_ascii_lowercase())
    };
    parts.iter().all(identifier) && parts.iter().any(camel)
}

/// `nN04BhzirlJUNSLSBXSMBEYG`: long, letters and digits, both cases.
fn is_generated_id(key: &str) -> bool {
    key.len() >= 16
        && key.chars().all(|c| c.is_ascii_alphanumeric())
        && key.chars().any(|c| c.is_ascii_digit())
        && key.chars().any(|c| c.is_ascii_uppercase())
        && key.chars().any(|c| c.is_ascii_lowercase())
}

/// Whether `key` is one of several keys numbered alike: `Some(true)` for
/// placeholders numbered 1, 2, ... (`property1` beside `property2`, a
/// rendered page's way of showing "any number of these"), `Some(false)`
/// for a name followed by numbered ones (`MyProfile`, `MyProfile2`; also
/// how fields such as `CONTACTEMAIL2` are named, so only a sign), `None`
/// otherwise.
fn numbered(key: &str, members: &Map<String, Value>) -> Option<bool> {
    let (stem, _) = split_number(key);
    if stem.is_empty() {
        return None;
    }
    let mut numbers: Vec<u64> = Vec::new();
    let mut bare = false;
    for other in members.keys() {
        match split_number(other) {
            (s, Some(n)) if s == stem => numbers.push(n),
            (s, None) if s == stem => bare = true,
            _ => {}
        }
    }
    numbers.sort_unstable();
    let from = |first: u64| {
        numbers
            .iter()
            .zip(first..)
            .all(|(n, expected)| *n == expected)
    };
    if bare {
        (!numbers.is_empty() && from(2)).then_some(false)
    } else {
        (numbers.len() >= 2 && from(1)).then_some(true)
    }
}

fn split_number(key: &str) -> (&str, Option<u64>) {
    let stem = key.trim_end_matches(|c: char| c.is_ascii_digit());
    (stem, key[stem.len()..].parse().ok())
}

/// Whether every member holds the same kind of value: objects with the
/// same keys, or values of one JSON type (`null` goes with any).
fn alike(members: &Map<String, Value>) -> bool {
    let kinds: BTreeSet<String> = members
        .values()
        .filter(|v| !v.is_null())
        .map(|v| match v {
            Value::Object(m) => format!("{:?}", m.keys().collect::<BTreeSet<_>>()),
            Value::Array(_) => "array".to_owned(),
            Value::String(_) => "string".to_owned(),
            Value::Number(_) => "number".to_owned(),
            Value::Bool(_) => "boolean".to_owned(),
            Value::Null => "null".to_owned(),
        })
        .collect();
    members.len() >= 2 && kinds.len() <= 1
}

fn is_unknown(s: &Schema) -> bool {
    s.kind.is_none() && s.one_of.is_empty() && s.reference.is_none()
}

/// The schema that accepts what both accept.
pub fn merge(a: Schema, b: Schema) -> Schema {
    if a == b {
        return a;
    }
    if is_unknown(&a) {
        return Schema {
            nullable: a.nullable || b.nullable,
            ..b
        };
    }
    if is_unknown(&b) {
        return Schema {
            nullable: a.nullable || b.nullable,
            ..a
        };
    }
    let nullable = a.nullable || b.nullable;
    match (a.kind.as_ref(), b.kind.as_ref()) {
        (Some(SchemaType::Object), Some(SchemaType::Object)) => merge_objects(a, b, nullable),
        (Some(SchemaType::Array), Some(SchemaType::Array)) => {
            let items = merge(
                a.items.map(|i| *i).unwrap_or_default(),
                b.items.map(|i| *i).unwrap_or_default(),
            );
            Schema {
                items: Some(Box::new(items)),
                nullable,
                ..Schema::of_type(SchemaType::Array)
            }
        }
        (Some(SchemaType::Integer), Some(SchemaType::Number))
        | (Some(SchemaType::Number), Some(SchemaType::Integer)) => Schema {
            nullable,
            ..Schema::of_type(SchemaType::Number)
        },
        (Some(x), Some(y)) if x == y => Schema { nullable, ..a },
        _ => {
            let mut one_of = Vec::new();
            for s in [a, b] {
                let parts = if s.one_of.is_empty() {
                    vec![s]
                } else {
                    s.one_of
                };
                for mut part in parts {
                    part.nullable = false;
                    match one_of.iter().position(|o: &Schema| o.kind == part.kind) {
                        Some(i) => {
                            let existing = std::mem::take(&mut one_of[i]);
                            one_of[i] = merge(existing, part);
                        }
                        None => one_of.push(part),
                    }
                }
            }
            Schema {
                one_of,
                nullable,
                ..Schema::default()
            }
        }
    }
}

fn merge_objects(a: Schema, b: Schema, nullable: bool) -> Schema {
    // What members the keys-as-data part holds, merged; named members
    // merged one by one.
    let additional_properties = match (a.additional_properties, b.additional_properties) {
        (Some(AdditionalProperties::Schema(x)), Some(AdditionalProperties::Schema(y))) => {
            Some(AdditionalProperties::Schema(Box::new(merge(*x, *y))))
        }
        (x, y) => x.or(y),
    };
    let mut properties: IndexMap<String, Schema> = a.properties;
    for (key, schema) in b.properties {
        match properties.get_mut(&key) {
            Some(existing) => {
                let taken = std::mem::take(existing);
                *existing = merge(taken, schema);
            }
            None => {
                properties.insert(key, schema);
            }
        }
    }
    Schema {
        properties,
        additional_properties,
        nullable,
        ..Schema::of_type(SchemaType::Object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kind(s: &Schema) -> Option<SchemaType> {
        s.kind.clone()
    }

    #[test]
    fn scalars() {
        assert_eq!(kind(&infer(&json!("a"))), Some(SchemaType::String));
        assert_eq!(kind(&infer(&json!(1))), Some(SchemaType::Integer));
        assert_eq!(kind(&infer(&json!(1.5))), Some(SchemaType::Number));
        assert_eq!(kind(&infer(&json!(true))), Some(SchemaType::Boolean));
        assert!(infer(&json!(null)).nullable);
    }

    #[test]
    fn arrays_merge_their_elements() {
        let s = infer(&json!([{"a": 1}, {"a": null, "b": "x"}]));
        let items = s.items.unwrap();
        assert_eq!(items.properties.len(), 2);
        assert_eq!(kind(&items.properties["a"]), Some(SchemaType::Integer));
        assert!(items.properties["a"].nullable);
        assert!(
            items.required.is_empty(),
            "a sample proves nothing required"
        );
    }

    #[test]
    fn mixed_types_become_one_of() {
        let s = infer(&json!([1, "unlimited", 2]));
        let items = s.items.unwrap();
        let kinds: Vec<_> = items.one_of.iter().map(|s| kind(s).unwrap()).collect();
        assert_eq!(kinds, [SchemaType::Integer, SchemaType::String]);
    }

    #[test]
    fn integer_and_number_widen() {
        let s = infer(&json!([1, 2.5]));
        assert_eq!(kind(&s.items.unwrap()), Some(SchemaType::Number));
    }

    #[test]
    fn empty_array_has_unknown_items() {
        let s = infer(&json!([]));
        assert_eq!(s.items.unwrap().kind, None);
    }

    #[test]
    fn secret_members_are_marked() {
        let s = infer(&json!({"token": "abc", "token_name": "x", "password": "p", "count": 1}));
        assert_eq!(s.properties["token"].format.as_deref(), Some("password"));
        assert_eq!(s.properties["password"].format.as_deref(), Some("password"));
        assert_eq!(s.properties["token_name"].format, None);
        assert_eq!(s.properties["count"].format, None);
    }

    fn map_values(s: &Schema) -> &Schema {
        match &s.additional_properties {
            Some(AdditionalProperties::Schema(values)) => values,
            other => panic!("expected a map, got {other:?} in {s:?}"),
        }
    }

    #[test]
    fn keys_that_are_data_among_alike_members_make_a_map() {
        // Mailboxes: `INBOX` is a name, but its siblings are data.
        let s = infer(&json!({
            "INBOX": {"guid": "a", "messages": 1},
            "INBOX.Drafts": {"guid": "b", "messages": 2},
            "INBOX.bob@example_com": {"guid": "c", "messages": 3}
        }));
        assert!(s.properties.is_empty());
        assert_eq!(
            kind(&map_values(&s).properties["messages"]),
            Some(SchemaType::Integer)
        );
        // Versions, and named tiers beside them.
        let s = infer(&json!({"11.30": "11.30.8.0", "11.32": "11.32.7.3", "current": "11.32.7.3"}));
        assert_eq!(kind(map_values(&s)), Some(SchemaType::String));
        // Placeholders numbered 1, 2, ...
        let s = infer(&json!({"property1": {"a": 1}, "property2": {"a": 2}}));
        assert!(s.properties.is_empty());
        // ACL names, and a placeholder with a space whose sibling is `null`.
        let s = infer(&json!({"create-acct": 0, "list-accts": 1}));
        assert_eq!(kind(map_values(&s)), Some(SchemaType::Integer));
        let s = infer(&json!({"key name": "512", "mail_process_size": null}));
        assert!(s.properties.is_empty());
    }

    #[test]
    fn a_few_data_keys_among_named_members_are_left_out() {
        let s = infer(&json!({
            "BWLIMIT": "unlimited",
            "CONTACTEMAIL": "a@example.com",
            "CONTACTEMAIL2": "",
            "MXCHECK-example.com": 0,
            "issuer.commonName": "CA",
            "ipv4": 1,
            "ipv6": 0
        }));
        let names: Vec<&str> = s.properties.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "BWLIMIT",
                "CONTACTEMAIL",
                "CONTACTEMAIL2",
                "issuer.commonName",
                "ipv4",
                "ipv6"
            ]
        );
        assert_eq!(kind(map_values(&s)), Some(SchemaType::Integer));
        // Records of such objects keep their named members.
        let s = infer(&json!([
            {"BWLIMIT": "1", "MXCHECK-a.com": "x", "DEMO": 0},
            {"BWLIMIT": "2", "MXCHECK-b.com": "y", "DEMO": "0", "PLAN": "p"}
        ]));
        let items = s.items.unwrap();
        let names: Vec<&str> = items.properties.keys().map(String::as_str).collect();
        assert_eq!(names, ["BWLIMIT", "DEMO", "PLAN"]);
        assert_eq!(kind(map_values(&items)), Some(SchemaType::String));
        // Placeholders numbered 1, 2 among named members are left out too.
        let s = infer(&json!({"name": "t", "count": 1, "property1": null, "property2": null}));
        assert_eq!(s.properties.keys().collect::<Vec<_>>(), ["name", "count"]);
    }

    #[test]
    fn names_numbered_from_a_first_one_are_a_sign_of_data() {
        let s = infer(&json!({
            "MyProfile": {"host": "a"},
            "MyProfile2": {"host": "b"},
            "localhost": {"host": "c"}
        }));
        assert!(s.properties.is_empty());
        assert_eq!(
            kind(&map_values(&s).properties["host"]),
            Some(SchemaType::String)
        );
        // Plain values so named are fields.
        let s = infer(&json!({
            "ip": "192.0.2.0",
            "nameserver": "ns1.example.com",
            "nameserver2": "ns2.example.com",
            "nameservera": "192.0.2.1",
            "nameservera2": "192.0.2.2"
        }));
        assert_eq!(s.properties.len(), 5);
    }

    #[test]
    fn alike_members_under_a_name_for_data_keys_are_entries() {
        let s = infer(&json!({"local": {
            "users": {"nobody": 1, "root": 1},
            "ip_addresses": {"lo": "127.0.0.1", "eth0": "192.0.2.1"},
            "limits": {"cpu": 1, "memory": 2},
            "hosts": {"name": "a", "count": 2},
        }}));
        let local = &s.properties["local"];
        for map in ["users", "ip_addresses"] {
            assert!(local.properties[map].properties.is_empty(), "{map}");
            assert!(
                local.properties[map].additional_properties.is_some(),
                "{map}"
            );
        }
        // Another name, or members unlike each other: fields.
        assert_eq!(local.properties["limits"].properties.len(), 2);
        assert_eq!(local.properties["hosts"].properties.len(), 2);
    }

    #[test]
    fn names_the_request_sent_and_generated_ids_are_data() {
        let mut inference = Inference {
            request_values: ["example".to_owned()].into(),
            ..Inference::default()
        };
        let s = inference.infer(&json!({"example": {"is_enabled": 0}}));
        assert!(s.properties.is_empty());
        let s = inference.infer(&json!({"nN04BhzirlJUNSLSBXSMBEYG": {"janedoe": ["2020"]}}));
        assert!(s.properties.is_empty());
        assert_eq!(inference.maps, 2);
        // Without the request, a lone `example` member is a field; with it,
        // a plain value named like what the request sent is a field too.
        assert_eq!(infer(&json!({"example": {"a": 1}})).properties.len(), 1);
        assert_eq!(
            inference
                .infer(&json!({"example": "x", "user": "y"}))
                .properties
                .len(),
            2
        );
        // Names alike in shape but with no sign of data stay fields, and
        // so do named members alike in type with a few data keys among them.
        assert_eq!(
            infer(&json!({"default": {"a": 1}, "system": {"a": 2}}))
                .properties
                .len(),
            2
        );
        let s = infer(&json!({"BWLIMIT": "1", "DNS": "a", "PLAN": "b", "MXCHECK-x.com": "0"}));
        assert_eq!(s.properties.len(), 3);
    }

    #[test]
    fn data_keys_make_a_map() {
        let s =
            infer(&json!({"example.com": {"ip": "192.0.2.1"}, "example.net": {"ip": "192.0.2.2"}}));
        assert!(s.properties.is_empty());
        let Some(AdditionalProperties::Schema(values)) = s.additional_properties else {
            panic!("expected a map");
        };
        assert_eq!(kind(&values.properties["ip"]), Some(SchemaType::String));
    }
}
