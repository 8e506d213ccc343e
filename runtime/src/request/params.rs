//! Request parameters as `name=value` pairs in order.
//!
//! What the protocol wants, whatever the value's Rust type: booleans are
//! `1` / `0`, lists repeat their key, absent values and empty lists are left
//! out, and nothing is JSON-quoted. Percent-encoding happens once, when the
//! pairs become a query string or form body, so no value can inject another
//! parameter.

use std::collections::BTreeMap;

use crate::values::limit::Limit;
use crate::values::secret::Secret;

/// The parameters that go outside the query and body: in the path, in
/// headers and in cookies, each by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placed {
    /// The path's parameters (`{petId}` of `/pets/{petId}`), each one
    /// segment.
    pub path: Params,
    /// Request headers.
    pub header: Params,
    /// Cookies, sent together in one `Cookie` header.
    pub cookie: Params,
}

impl Placed {
    /// The secret values among them.
    pub(crate) fn secret_values(&self) -> impl Iterator<Item = &str> {
        self.path
            .secret_values()
            .chain(self.header.secret_values())
            .chain(self.cookie.secret_values())
    }
}

/// Ordered `name=value` pairs.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
    /// Names of pairs whose values are secret.
    secrets: Vec<String>,
    /// Secret values inside other values (a batched call's password).
    hidden: Vec<String>,
}

impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown: Vec<(&str, &str)> = self
            .pairs
            .iter()
            .map(|(k, v)| {
                let v = if self.is_secret(k) { "***" } else { v.as_str() };
                (k.as_str(), v)
            })
            .collect();
        f.debug_list().entries(shown).finish()
    }
}

impl Params {
    /// No pairs.
    pub fn new() -> Self {
        Params::default()
    }

    /// Appends `value` under `name`, as the value's type encodes.
    pub fn push<V: ParamValue + ?Sized>(&mut self, name: &str, value: &V) {
        value.append_to(name, self);
    }

    /// Appends one pair as it is.
    pub fn push_raw(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.pairs.push((name.into(), value.into()));
    }

    /// Appends a pair whose value is a secret: it is sent, never shown.
    pub fn push_secret(&mut self, name: impl Into<String>, value: &Secret) {
        let name = name.into();
        self.secrets.push(name.clone());
        self.pairs.push((name, value.expose().to_owned()));
    }

    /// Marks a value that appears inside other values as secret.
    pub(crate) fn hide(&mut self, value: String) {
        self.hidden.push(value);
    }

    /// What `serialize` makes of a request's fields (a JSON body, an
    /// object's members), every secret serialized in it marked as one.
    pub(crate) fn noting<T>(&mut self, serialize: impl FnOnce() -> T) -> T {
        let (value, secrets) = crate::values::secret::noting(serialize);
        self.hidden.extend(secrets);
        value
    }

    /// Puts a pair in front of all others.
    pub fn push_front(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.pairs.insert(0, (name.into(), value.into()));
    }

    /// Puts `pairs` in front of the others, in their order.
    pub(crate) fn prepend(&mut self, pairs: Vec<(String, String)>) {
        self.pairs.splice(0..0, pairs);
    }

    /// The pairs in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Takes out the first pair named `name`, and its value (still kept
    /// out of anything shown when it was a secret).
    pub(crate) fn take(&mut self, name: &str) -> Option<String> {
        let at = self.pairs.iter().position(|(k, _)| k == name)?;
        let (_, value) = self.pairs.remove(at);
        if self.secrets.iter().any(|s| s == name) {
            self.hidden.push(value.clone());
        }
        Some(value)
    }

    /// Whether a pair with this name is present.
    pub fn contains(&self, name: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == name)
    }

    /// Whether pairs named `name` hold a secret.
    pub(crate) fn is_secret(&self, name: &str) -> bool {
        self.secrets.iter().any(|secret| secret == name)
    }

    /// The values of secret pairs, to scrub from anything shown.
    pub(crate) fn secret_values(&self) -> impl Iterator<Item = &str> {
        self.pairs
            .iter()
            .filter(|(k, _)| self.secrets.contains(k))
            .map(|(_, v)| v.as_str())
            .chain(self.hidden.iter().map(String::as_str))
    }

    /// `application/x-www-form-urlencoded` text of the pairs.
    pub fn to_form(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            out.append_pair(k, v);
        }
        out.finish()
    }
}

/// A value that can be sent as request parameters.
pub trait ParamValue {
    /// Appends this value under `name`.
    fn append_to(&self, name: &str, params: &mut Params);
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn append_to(&self, name: &str, params: &mut Params) {
        (**self).append_to(name, params);
    }
}

impl ParamValue for str {
    fn append_to(&self, name: &str, params: &mut Params) {
        params.push_raw(name, self);
    }
}

impl ParamValue for String {
    fn append_to(&self, name: &str, params: &mut Params) {
        params.push_raw(name, self.as_str());
    }
}

impl ParamValue for bool {
    fn append_to(&self, name: &str, params: &mut Params) {
        params.push_raw(name, if *self { "1" } else { "0" });
    }
}

/// A boolean sent as `true` / `false`, as OpenAPI's parameter styles
/// write one (a bare `bool` goes as `1` / `0`, as APIs that take an
/// integer flag want).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrueFalse(pub bool);

impl ParamValue for TrueFalse {
    fn append_to(&self, name: &str, params: &mut Params) {
        params.push_raw(name, if self.0 { "true" } else { "false" });
    }
}

/// A list sent as one value, its items joined by a delimiter: OpenAPI's
/// `explode: false` (`ids=1,2,3`), `spaceDelimited`, `pipeDelimited`, and
/// the `simple` style of paths and headers. An empty list sends nothing.
#[derive(Debug, Clone, Copy)]
pub struct Delimited<'a, T: ?Sized>(pub &'a T, pub char);

impl<T: ParamValue + ?Sized> ParamValue for Delimited<'_, T> {
    fn append_to(&self, name: &str, params: &mut Params) {
        let mut items = Params::new();
        self.0.append_to(name, &mut items);
        if items.pairs.is_empty() {
            return;
        }
        let values: Vec<&str> = items.pairs.iter().map(|(_, v)| v.as_str()).collect();
        let joined = values.join(self.1.encode_utf8(&mut [0; 4]));
        // A secret item keeps the whole value out of anything shown.
        match items.secrets.is_empty() && items.hidden.is_empty() {
            true => params.push_raw(name, joined),
            false => params.push_secret(name, &Secret::new(joined)),
        }
    }
}

/// A map sent in OpenAPI's `deepObject` style: each entry as
/// `name[key]=value`.
#[derive(Debug, Clone, Copy)]
pub struct DeepObject<'a, T: ?Sized>(pub &'a T);

impl<T: ParamValue + ?Sized> ParamValue for DeepObject<'_, T> {
    fn append_to(&self, name: &str, params: &mut Params) {
        let mut entries = Params::new();
        self.0.append_to(name, &mut entries);
        let secret = |key: &String| entries.secrets.contains(key);
        for (key, value) in &entries.pairs {
            let deep = format!("{name}[{key}]");
            match secret(key) {
                true => params.push_secret(deep, &Secret::new(value.clone())),
                false => params.push_raw(deep, value.clone()),
            }
        }
    }
}

/// An object sent among `name=value` pairs as OpenAPI's `form` style
/// explodes it: each member its own pair (`name=Rex&age=3`, the object's
/// own name not sent), or, in a [`DeepObject`], `pet[name]=Rex`. A
/// boolean member is `true` / `false`, a list repeats its name, `null` is
/// left out, and a member that is itself an object goes as JSON text
/// (OpenAPI defines no deeper nesting). A value that is no object (`None`,
/// a union's string) is sent under the name, as a single value is.
#[derive(Debug, Clone, Copy)]
pub struct Members<'a, T: ?Sized>(pub &'a T);

impl<T: serde::Serialize + ?Sized> ParamValue for Members<'_, T> {
    fn append_to(&self, name: &str, params: &mut Params) {
        match as_json(self.0, params) {
            Ok(serde_json::Value::Object(members)) => {
                for (key, value) in &members {
                    form_value(key, value, params);
                }
            }
            Ok(value) => form_value(name, &value, params),
            // Generated types always serialize.
            Err(_) => {}
        }
    }
}

/// An object as one value of its members' names and values, for
/// [`Delimited`]: OpenAPI's unexploded `form` style (`color=R,100,G,200`)
/// and the `simple` style of paths and headers. A member that is `null`
/// is left out, one that is a list or an object goes as JSON text.
#[derive(Debug, Clone, Copy)]
pub struct KeysAndValues<'a, T: ?Sized>(pub &'a T);

impl<T: serde::Serialize + ?Sized> ParamValue for KeysAndValues<'_, T> {
    fn append_to(&self, name: &str, params: &mut Params) {
        use serde_json::Value;
        match as_json(self.0, params) {
            Ok(Value::Object(members)) => {
                for (key, value) in members.iter().filter(|(_, v)| !v.is_null()) {
                    params.push_raw(name, key.as_str());
                    match value {
                        Value::Array(_) | Value::Object(_) => {
                            params.push_raw(name, value.to_string())
                        }
                        value => form_value(name, value, params),
                    }
                }
            }
            Ok(value) => form_value(name, &value, params),
            Err(_) => {}
        }
    }
}

/// `value` as JSON, the secrets in it kept out of anything `params`
/// shows.
fn as_json<T: serde::Serialize + ?Sized>(
    value: &T,
    params: &mut Params,
) -> Result<serde_json::Value, serde_json::Error> {
    params.noting(|| serde_json::to_value(value))
}

/// One member of a [`Members`] object.
fn form_value(name: &str, value: &serde_json::Value, params: &mut Params) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Bool(b) => TrueFalse(*b).append_to(name, params),
        Value::Number(n) => params.push_raw(name, n.to_string()),
        Value::String(s) => params.push_raw(name, s.as_str()),
        Value::Array(items) => items.iter().for_each(|item| match item {
            Value::Array(_) | Value::Object(_) => params.push_raw(name, item.to_string()),
            item => form_value(name, item, params),
        }),
        Value::Object(_) => params.push_raw(name, value.to_string()),
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn append_to(&self, name: &str, params: &mut Params) {
                params.push_raw(name, self.to_string());
            }
        }
    )*};
}
display_param!(i8, i16, i32, i64, u8, u16, u32, u64, usize, f32, f64, Limit);

impl ParamValue for Secret {
    fn append_to(&self, name: &str, params: &mut Params) {
        params.push_secret(name, self);
    }
}

impl<T: ParamValue> ParamValue for Option<T> {
    fn append_to(&self, name: &str, params: &mut Params) {
        if let Some(value) = self {
            value.append_to(name, params);
        }
    }
}

impl<T: ParamValue> ParamValue for [T] {
    fn append_to(&self, name: &str, params: &mut Params) {
        for value in self {
            value.append_to(name, params);
        }
    }
}

impl<T: ParamValue> ParamValue for Vec<T> {
    fn append_to(&self, name: &str, params: &mut Params) {
        self.as_slice().append_to(name, params);
    }
}

/// A map stands for free-form parameters: each entry is one `key=value`,
/// and the map's own name is not sent.
impl<V: ParamValue> ParamValue for BTreeMap<String, V> {
    fn append_to(&self, _name: &str, params: &mut Params) {
        for (key, value) in self {
            value.append_to(key, params);
        }
    }
}

/// Strings go as they are, numbers as written, booleans as `1` / `0`,
/// arrays repeat the key, `null` is left out, objects go as JSON text.
impl ParamValue for serde_json::Value {
    fn append_to(&self, name: &str, params: &mut Params) {
        use serde_json::Value;
        match self {
            Value::Null => {}
            Value::Bool(b) => b.append_to(name, params),
            Value::Number(n) => params.push_raw(name, n.to_string()),
            Value::String(s) => params.push_raw(name, s.as_str()),
            Value::Array(items) => items.as_slice().append_to(name, params),
            Value::Object(_) => params.push_raw(name, self.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_the_protocol_wants() {
        let mut p = Params::new();
        p.push("yes", &true);
        p.push("no", &false);
        p.push("acl", &vec!["a".to_owned(), "b".to_owned()]);
        p.push("none", &None::<String>);
        p.push("empty", &Vec::<String>::new());
        p.push("maxftp", &Limit::Unlimited);
        p.push("n", &5u32);
        p.push("evil", "x&api.version=0");
        assert_eq!(
            p.to_form(),
            "yes=1&no=0&acl=a&acl=b&maxftp=unlimited&n=5&evil=x%26api.version%3D0"
        );
    }

    #[test]
    fn free_form_maps_send_their_entries() {
        let mut p = Params::new();
        let map = BTreeMap::from([("domain".to_owned(), "example.com".to_owned())]);
        p.push("ignored", &map);
        assert_eq!(p.to_form(), "domain=example.com");
    }

    #[test]
    fn an_object_sends_its_members_as_pairs_of_their_own() {
        let object = serde_json::json!({
            "name": "Rex", "tame": true, "age": 3, "tags": ["a", "b"],
            "owner": {"id": 1}, "gone": null
        });
        let mut p = Params::new();
        p.push("pet", &Members(&object));
        p.push(
            "range",
            &DeepObject(&Members(&serde_json::json!({"from": 1}))),
        );
        p.push("none", &Members(&None::<serde_json::Value>));
        p.push("word", &Members(&"one"));
        let color = serde_json::json!({"R": 100, "G": 200, "B": null});
        p.push("color", &Delimited(&KeysAndValues(&color), ','));
        assert_eq!(
            p.to_form(),
            "name=Rex&tame=true&age=3&tags=a&tags=b&owner=%7B%22id%22%3A1%7D\
             &range%5Bfrom%5D=1&word=one&color=R%2C100%2CG%2C200"
        );
    }

    #[test]
    fn secrets_are_sent_but_not_shown() {
        let mut p = Params::new();
        p.push("user", "bob");
        p.push("password", &Secret::new("hunter2"));
        assert_eq!(p.to_form(), "user=bob&password=hunter2");
        let shown = format!("{p:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("***"));
    }
}
