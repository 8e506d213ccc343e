//! Output controls as the server applies them to a list: columns, then
//! filters, then sorts, then the chunk, each reported in the metadata.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::replies::set;
use crate::request::controls::{Filter, SortMethod};

/// The controls a request asks for, read from its parameters.
#[derive(Debug, Default)]
struct Asked {
    columns: Option<Vec<String>>,
    filters: Option<(Vec<(String, Filter)>, bool)>,
    sorts: Option<Vec<(String, SortMethod, bool)>>,
    chunk: Option<(usize, Option<usize>, Option<usize>)>,
}

fn asked(params: &[(String, String)]) -> Asked {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let on = |name: &str| get(name) == Some("1");
    // Ids (`a`, `b`, `za`) of a control, in the order the server takes them.
    let ids = |prefix: &str| {
        let mut ids: Vec<String> = params
            .iter()
            .filter_map(|(k, _)| k.strip_prefix(prefix))
            .filter_map(|rest| rest.split('.').next())
            .filter(|id| !id.is_empty() && *id != "enable" && *id != "verbose")
            .map(str::to_owned)
            .collect();
        ids.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
        ids.dedup();
        ids
    };
    let mut asked = Asked::default();
    if on("api.columns.enable") {
        asked.columns = Some(
            ids("api.columns.")
                .iter()
                .filter_map(|id| get(&format!("api.columns.{id}")).map(str::to_owned))
                .collect(),
        );
    }
    if on("api.filter.enable") {
        let filters = ids("api.filter.")
            .iter()
            .filter_map(|id| {
                let field = get(&format!("api.filter.{id}.field"))?.to_owned();
                let value = get(&format!("api.filter.{id}.arg0")).unwrap_or("");
                let operator = get(&format!("api.filter.{id}.type")).unwrap_or("contains");
                Some((field, Filter::from_wire(operator, value)?))
            })
            .collect();
        asked.filters = Some((filters, on("api.filter.verbose")));
    }
    if on("api.sort.enable") {
        asked.sorts = Some(
            ids("api.sort.")
                .iter()
                .filter_map(|id| {
                    let field = get(&format!("api.sort.{id}.field"))?.to_owned();
                    let method = get(&format!("api.sort.{id}.method")).unwrap_or("lexicographic");
                    Some((
                        field,
                        SortMethod::from_wire(method)?,
                        on(&format!("api.sort.{id}.reverse")),
                    ))
                })
                .collect(),
        );
    }
    if on("api.chunk.enable") {
        let number = |name: &str| get(name).and_then(|v| v.parse::<usize>().ok());
        asked.chunk = Some((
            number("api.chunk.size").unwrap_or(100).max(1),
            number("api.chunk.start"),
            number("api.chunk.select"),
        ));
    }
    asked
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn number(value: &str, unlimited_is_max: bool) -> Option<f64> {
    if unlimited_is_max && value.trim().eq_ignore_ascii_case("unlimited") {
        return Some(f64::INFINITY);
    }
    value.trim().parse().ok()
}

fn passes(value: &str, filter: &Filter) -> bool {
    let numeric = |arg: &str, unlimited: bool, cmp: fn(f64, f64) -> bool| match (
        number(value, unlimited),
        number(arg, unlimited),
    ) {
        (Some(a), Some(b)) => cmp(a, b),
        _ => false,
    };
    match filter {
        Filter::Contains(arg) => value.to_lowercase().contains(&arg.to_lowercase()),
        Filter::Begins(arg) => value.to_lowercase().starts_with(&arg.to_lowercase()),
        Filter::Equals(arg) => value == arg,
        Filter::NumberEquals(arg) => numeric(arg, false, |a, b| a == b),
        Filter::LessThan(arg) => numeric(arg, false, |a, b| a < b),
        Filter::AtMost(arg) => numeric(arg, false, |a, b| a <= b),
        Filter::GreaterThan(arg) => numeric(arg, false, |a, b| a > b),
        Filter::AtLeast(arg) => numeric(arg, false, |a, b| a >= b),
        Filter::LessThanUnlimited(arg) => numeric(arg, true, |a, b| a < b),
        Filter::GreaterThanUnlimited(arg) => numeric(arg, true, |a, b| a > b),
    }
}

fn record_passes(record: &Value, field: &str, filter: &Filter) -> bool {
    let Some(members) = record.as_object() else {
        return false;
    };
    if field == "*" {
        members.values().any(|v| passes(&text(v), filter))
    } else {
        members.get(field).is_some_and(|v| passes(&text(v), filter))
    }
}

fn compare(a: &str, b: &str, method: SortMethod) -> Ordering {
    let key = |s: &str| -> Option<f64> {
        match method {
            SortMethod::Numeric => number(s, false),
            SortMethod::NumericZeroAsMax => {
                number(s, true).map(|n| if n == 0.0 { f64::INFINITY } else { n })
            }
            SortMethod::Ipv4 => s
                .parse::<std::net::Ipv4Addr>()
                .ok()
                .map(|ip| f64::from(u32::from(ip))),
            SortMethod::Lexicographic => None,
        }
    };
    match method {
        SortMethod::Lexicographic => a.cmp(b),
        _ => key(a)
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&key(b).unwrap_or(f64::NEG_INFINITY)),
    }
}

/// Applies the controls `params` ask for to the list at `list` in `reply`,
/// reporting in the metadata at `metadata`.
pub fn apply(reply: &mut Value, list: &str, metadata: &str, params: &[(String, String)]) {
    let asked = asked(params);
    let Some(Value::Array(records)) = reply.pointer_mut(list) else {
        return;
    };
    let mut report: BTreeMap<&str, Value> = BTreeMap::new();

    if let Some(columns) = &asked.columns {
        let known = |c: &String| records.iter().any(|r| r.get(c.as_str()).is_some());
        let invalid: Vec<&String> = columns.iter().filter(|c| !known(c)).collect();
        for record in records.iter_mut() {
            if let Value::Object(members) = record {
                members.retain(|k, _| columns.contains(k));
            }
        }
        let message = if invalid.is_empty() {
            String::new()
        } else {
            format!(
                "One or more of the given columns are not valid: {}",
                invalid
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        report.insert(
            "columns",
            json!({"invalid": invalid, "invalid_msg": message}),
        );
    }
    if let Some((filters, verbose)) = &asked.filters {
        let before = records.len();
        records.retain(|r| {
            filters
                .iter()
                .all(|(field, filter)| record_passes(r, field, filter))
        });
        if *verbose {
            report.insert("filter", json!({"filtered": before}));
        }
    }
    if let Some(sorts) = &asked.sorts {
        records.sort_by(|a, b| {
            for (field, method, reverse) in sorts {
                let (x, y) = (
                    text(a.get(field.as_str()).unwrap_or(&Value::Null)),
                    text(b.get(field.as_str()).unwrap_or(&Value::Null)),
                );
                let order = compare(&x, &y, *method);
                let order = if *reverse { order.reverse() } else { order };
                if order != Ordering::Equal {
                    return order;
                }
            }
            Ordering::Equal
        });
        report.insert("sort", json!({"sorted": records.len()}));
    }
    if let Some((size, start, select)) = asked.chunk {
        let total = records.len();
        let start = match (start, select) {
            (Some(start), _) => start.max(1),
            (None, Some(page)) => (page.max(1) - 1) * size + 1,
            (None, None) => 1,
        };
        let page: Vec<Value> = records.iter().skip(start - 1).take(size).cloned().collect();
        *records = page;
        let chunks = total.div_ceil(size);
        let current = if total == 0 {
            0
        } else {
            (start - 1) / size + 1
        };
        report.insert(
            "chunk",
            json!({"start": start, "size": size, "records": total, "current": current, "chunks": chunks}),
        );
    }
    for (name, value) in report {
        set(reply, &format!("{metadata}/{name}"), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(n: usize) -> Value {
        let accounts: Vec<Value> = (1..=n)
            .map(|i| json!({"user": format!("user{i:03}"), "domain": format!("shop{i}.example"), "diskused": format!("{}M", i * 7 % 50), "ip": format!("192.0.2.{}", 250 - i)}))
            .collect();
        json!({"data": {"acct": accounts}, "metadata": {"result": 1}})
    }

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn columns_then_filter_then_sort_then_chunk() {
        let mut r = reply(30);
        apply(
            &mut r,
            "/data/acct",
            "/metadata",
            &params(&[
                ("api.columns.enable", "1"),
                ("api.columns.a", "user"),
                ("api.columns.b", "ip"),
                ("api.columns.c", "nope"),
                ("api.filter.enable", "1"),
                ("api.filter.verbose", "1"),
                ("api.filter.a.field", "user"),
                ("api.filter.a.arg0", "user01"),
                ("api.filter.a.type", "begins"),
                ("api.sort.enable", "1"),
                ("api.sort.a.field", "ip"),
                ("api.sort.a.method", "ipv4"),
                ("api.chunk.enable", "1"),
                ("api.chunk.size", "4"),
                ("api.chunk.start", "5"),
            ]),
        );
        let records = r["data"]["acct"].as_array().unwrap();
        // user010..user019 begin with user01; sorted by IP (ascending) they
        // run user019 .. user010; records 5-8 are user015 .. user012.
        let users: Vec<&str> = records
            .iter()
            .map(|r| r["user"].as_str().unwrap())
            .collect();
        assert_eq!(users, ["user015", "user014", "user013", "user012"]);
        assert!(
            records[0].get("domain").is_none(),
            "columns drop other fields"
        );
        assert_eq!(r["metadata"]["filter"]["filtered"], 30);
        assert_eq!(
            r["metadata"]["chunk"],
            json!({"start": 5, "size": 4, "records": 10, "current": 2, "chunks": 3})
        );
        assert_eq!(r["metadata"]["columns"]["invalid"], json!(["nope"]));
    }

    #[test]
    fn numeric_filters_and_unlimited() {
        let mut r = json!({"data": {"acct": [{"q": "unlimited"}, {"q": "5"}, {"q": "50"}]}});
        apply(
            &mut r,
            "/data/acct",
            "/metadata",
            &params(&[
                ("api.filter.enable", "1"),
                ("api.filter.a.field", "q"),
                ("api.filter.a.arg0", "10"),
                ("api.filter.a.type", "gt_handle_unlimited"),
            ]),
        );
        assert_eq!(r["data"]["acct"], json!([{"q": "unlimited"}, {"q": "50"}]));
        let mut r = json!({"data": {"acct": [{"q": "0"}, {"q": "5"}, {"q": "50"}]}});
        apply(
            &mut r,
            "/data/acct",
            "/metadata",
            &params(&[
                ("api.sort.enable", "1"),
                ("api.sort.a.field", "q"),
                ("api.sort.a.method", "numeric_zero_as_max"),
                ("api.sort.a.reverse", "1"),
            ]),
        );
        assert_eq!(
            r["data"]["acct"],
            json!([{"q": "0"}, {"q": "50"}, {"q": "5"}])
        );
    }
}
