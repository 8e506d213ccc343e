//! Replies as text: JSON, YAML, a table for lists, or the body as received.

use serde_json::Value;

/// How replies are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The payload as JSON (the default when the output is not a terminal).
    Json,
    /// The payload as YAML.
    Yaml,
    /// A table of a list's records (the default on a terminal for lists).
    Table,
    /// The body exactly as the server sent it.
    Raw,
}

/// The records of a list reply: at the function's list pointer, or the
/// payload itself when it is a list of objects.
pub fn records<'v>(data: &'v Value, list: Option<&str>) -> Option<&'v Vec<Value>> {
    let found = match list {
        Some(pointer) => data.pointer(pointer),
        None => Some(data),
    };
    match found {
        Some(Value::Array(items)) if items.iter().all(Value::is_object) => Some(items),
        _ => None,
    }
}

/// The payload as pretty JSON.
pub fn json(data: &Value) -> String {
    serde_json::to_string_pretty(data).unwrap_or_default() + "\n"
}

/// The payload as YAML.
pub fn yaml(data: &Value) -> String {
    let mut out = String::new();
    let mut emitter = yaml_rust2::YamlEmitter::new(&mut out);
    match emitter.dump(&to_yaml(data)) {
        Ok(()) => {
            let body = out.strip_prefix("---\n").unwrap_or(&out).to_owned();
            body + "\n"
        }
        Err(_) => json(data),
    }
}

fn to_yaml(value: &Value) -> yaml_rust2::Yaml {
    use yaml_rust2::Yaml;
    match value {
        Value::Null => Yaml::Null,
        Value::Bool(b) => Yaml::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Integer(i),
            None => Yaml::Real(n.to_string()),
        },
        Value::String(s) => Yaml::String(s.clone()),
        Value::Array(items) => Yaml::Array(items.iter().map(to_yaml).collect()),
        Value::Object(members) => Yaml::Hash(
            members
                .iter()
                .map(|(k, v)| (Yaml::String(k.clone()), to_yaml(v)))
                .collect(),
        ),
    }
}

/// A value as one table cell.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.replace(['\n', '\t'], " "),
        Some(other) => other.to_string(),
    }
}

/// The columns a table shows: those asked for, else the members of the
/// records that hold plain values, in the first record's order, as many
/// as fit `width`.
pub fn columns(records: &[Value], asked: &[String], width: usize) -> Vec<String> {
    if !asked.is_empty() {
        return asked.to_vec();
    }
    let Some(Value::Object(first)) = records.first() else {
        return Vec::new();
    };
    let mut chosen = Vec::new();
    let mut used = 0;
    for key in first.keys() {
        let plain = records
            .iter()
            .all(|r| !matches!(r.get(key), Some(Value::Array(_) | Value::Object(_))));
        if !plain {
            continue;
        }
        let widest = records
            .iter()
            .map(|r| cell(r.get(key)).chars().count())
            .chain([key.chars().count()])
            .max()
            .unwrap_or(0)
            .min(40);
        if !chosen.is_empty() && used + widest + 2 > width {
            break;
        }
        used += widest + 2;
        chosen.push(key.clone());
    }
    chosen
}

/// `records` as a table of `columns`, each cell cut at 40 characters.
pub fn table(records: &[Value], columns: &[String]) -> String {
    let cut = |s: String| -> String {
        if s.chars().count() > 40 {
            s.chars().take(39).collect::<String>() + "…"
        } else {
            s
        }
    };
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| columns.iter().map(|c| cut(cell(r.get(c)))).collect())
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([c.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_owned() + "\n"
    };
    let mut out = line(columns);
    for row in &rows {
        out.push_str(&line(row));
    }
    out
}

/// A payload that is no list, on a terminal: its plain members as a
/// two-column table, the rest as JSON.
pub fn key_values(data: &Value) -> String {
    match data {
        Value::Object(members) if members.values().all(|v| !v.is_object() && !v.is_array()) => {
            let width = members.keys().map(|k| k.chars().count()).max().unwrap_or(0);
            members
                .iter()
                .map(|(k, v)| format!("{k:<width$}  {}\n", cell(Some(v))))
                .collect()
        }
        _ => json(data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_become_tables_of_their_plain_columns() {
        let data = json!({"acct": [
            {"user": "bob", "domain": "bob.example", "plan": {"x": 1}, "diskused": "10M"},
            {"user": "alice", "domain": "a.example", "plan": {"x": 2}, "diskused": "2M"}
        ]});
        let found = records(&data, Some("/acct")).unwrap();
        let chosen = columns(found, &[], 200);
        assert_eq!(chosen, ["user", "domain", "diskused"]);
        let text = table(found, &chosen);
        assert_eq!(
            text,
            "user   domain       diskused\nbob    bob.example  10M\nalice  a.example    2M\n"
        );
        assert_eq!(yaml(&json!({"a": [1, "x"]})), "a:\n  - 1\n  - x\n");
        assert!(records(&json!({"version": "11"}), None).is_none());
    }
}
