//! YAML text, written so that every YAML reader reads it back the same.
//!
//! Documents are built as JSON values and written with yaml-rust2's emitter,
//! which quotes strings that YAML 1.1 readers would take for booleans
//! (`on`, `off`, `yes`, `n`) as well as those YAML 1.2 readers would: a
//! parameter whose values are `"on"` and `"off"` must not become `true` and
//! `false` in a Python validator.

use serde_json::Value;
use yaml_rust2::yaml::Hash;
use yaml_rust2::{Yaml, YamlEmitter};

/// `value` as a YAML document (no leading `---`), multi-line strings as
/// literal blocks.
pub fn emit(value: &Value) -> Result<String, String> {
    let yaml = to_yaml(value);
    let mut out = String::new();
    let mut emitter = YamlEmitter::new(&mut out);
    emitter.multiline_strings(true);
    emitter.dump(&yaml).map_err(|e| e.to_string())?;
    let body = out.strip_prefix("---\n").unwrap_or(&out);
    // Blank lines inside literal blocks come out indented; a line of only
    // spaces means the same there, so drop the trailing whitespace.
    let mut text = String::with_capacity(body.len() + 1);
    for line in body.lines() {
        text.push_str(if line.trim().is_empty() { "" } else { line });
        text.push('\n');
    }
    Ok(text)
}

fn to_yaml(value: &Value) -> Yaml {
    match value {
        Value::Null => Yaml::Null,
        Value::Bool(b) => Yaml::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Integer(i),
            None => Yaml::Real(n.to_string()),
        },
        Value::String(s) => Yaml::String(s.clone()),
        Value::Array(items) => Yaml::Array(items.iter().map(to_yaml).collect()),
        Value::Object(members) => {
            let mut hash = Hash::new();
            for (k, v) in members {
                hash.insert(Yaml::String(k.clone()), to_yaml(v));
            }
            Yaml::Hash(hash)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quotes_yaml_1_1_booleans_and_numeric_strings() {
        let text = emit(&json!({"enum": ["on", "off", "y", "no", "1", "true", "plain"]})).unwrap();
        for word in ["on", "off", "y", "no", "1", "true"] {
            assert!(
                text.contains(&format!("\"{word}\"")) || text.contains(&format!("'{word}'")),
                "{word} unquoted in:\n{text}"
            );
        }
        assert!(text.contains("- plain"));
    }

    #[test]
    fn keeps_key_order_and_writes_blocks() {
        let text = emit(&json!({"b": 1, "a": "two\nlines"})).unwrap();
        assert!(text.starts_with("b: 1\na: |-\n  two\n  lines"), "{text}");
        let text = emit(&json!({"a": "one\n\nthree"})).unwrap();
        assert!(text.lines().all(|l| l == l.trim_end()), "{text:?}");
    }
}
