//! Records of one kind across the reference: what one function's sample
//! shows of a member tells about the same member of the same kind of
//! record in another's.
//!
//! The reference documents replies by sample alone. A sample that shows a
//! member as `null` (`accountsummary`'s `suspendtime` of an account not
//! suspended) says that servers send `null` there, and so in every record
//! of that kind (`listaccts`' accounts, whose sample shows a number): such
//! a member is nullable wherever a record of its kind has it, with the type
//! another sample shows. Two records are of one kind when they share at
//! least three members and at least half of the smaller one's.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// The members some sample shows as `null`, and what the records of their
/// kind hold there elsewhere.
#[derive(Debug, Default)]
pub struct Kin {
    /// By member name: the members of each record showing it `null`.
    nulls: BTreeMap<String, Vec<BTreeSet<String>>>,
    /// By member name (of those above): the members of each record showing
    /// it with a value, and that value.
    values: BTreeMap<String, Vec<(BTreeSet<String>, Value)>>,
}

impl Kin {
    /// What `samples` show.
    pub fn of<'v>(samples: impl Iterator<Item = &'v Value> + Clone) -> Kin {
        let mut kin = Kin::default();
        for sample in samples.clone() {
            objects(sample, &mut |members| {
                for (name, value) in members {
                    if value.is_null() {
                        kin.nulls
                            .entry(name.clone())
                            .or_default()
                            .push(members.keys().cloned().collect());
                    }
                }
            });
        }
        for sample in samples {
            objects(sample, &mut |members| {
                for (name, value) in members {
                    if !value.is_null() && kin.nulls.contains_key(name) {
                        kin.values
                            .entry(name.clone())
                            .or_default()
                            .push((members.keys().cloned().collect(), value.clone()));
                    }
                }
            });
        }
        kin
    }

    /// Whether a record of the kind of `members` is shown with member
    /// `name` as `null` somewhere.
    pub fn shown_null(&self, members: &Map<String, Value>, name: &str) -> bool {
        let keys: BTreeSet<&str> = members.keys().map(String::as_str).collect();
        self.nulls
            .get(name)
            .is_some_and(|records| records.iter().any(|other| alike(&keys, other)))
    }

    /// A value a record of the kind of `members` holds at `name`, shown
    /// elsewhere: the first in the reference's order.
    pub fn value_elsewhere(&self, members: &Map<String, Value>, name: &str) -> Option<&Value> {
        let keys: BTreeSet<&str> = members.keys().map(String::as_str).collect();
        self.values
            .get(name)?
            .iter()
            .find(|(other, _)| alike(&keys, other))
            .map(|(_, value)| value)
    }
}

/// Whether two records are of one kind.
fn alike(keys: &BTreeSet<&str>, other: &BTreeSet<String>) -> bool {
    let shared = other.iter().filter(|k| keys.contains(k.as_str())).count();
    shared >= 3 && 2 * shared >= keys.len().min(other.len())
}

/// Every object in `value`, outermost first.
fn objects(value: &Value, visit: &mut dyn FnMut(&Map<String, Value>)) {
    match value {
        Value::Object(members) => {
            visit(members);
            for member in members.values() {
                objects(member, visit);
            }
        }
        Value::Array(items) => {
            for item in items {
                objects(item, visit);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_member_shown_null_is_so_in_every_record_of_its_kind() {
        let summary =
            json!({"acct": [{"user": "a", "domain": "d", "uid": 1, "suspendtime": null}]});
        let list =
            json!({"acct": [{"user": "b", "domain": "e", "uid": 2, "suspendtime": 1594040856}]});
        let other = json!({"job": {"id": 1, "suspendtime": "x"}});
        let kin = Kin::of([&summary, &list, &other].into_iter());
        let record = |v: &Value| v["acct"][0].as_object().unwrap().clone();
        assert!(kin.shown_null(&record(&list), "suspendtime"));
        assert!(!kin.shown_null(&record(&list), "uid"));
        assert_eq!(
            kin.value_elsewhere(&record(&summary), "suspendtime"),
            Some(&json!(1594040856))
        );
        // Another kind of record, with too few members in common.
        let job = other["job"].as_object().unwrap().clone();
        assert!(!kin.shown_null(&job, "suspendtime"));
    }
}
