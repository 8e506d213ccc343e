//! YAML text, written so that every YAML reader reads it back the same.
//!
//! Documents are JSON values; this writes them as block YAML. It is our own
//! writer, deliberately: yaml-rust2's emitter drops the trailing line breaks
//! of multi-line strings beyond the first, the leading spaces of their first
//! line, and writes some control characters raw and multi-line keys as
//! blocks, none of which reads back; serde_yaml is no longer maintained.
//!
//! A string is written plain when no reader could take it for anything
//! else: not for a YAML 1.1 boolean (`on`, `off`, `yes`, `n`) any more than
//! for a YAML 1.2 one, a number, a null or a date, so that a parameter whose
//! values are `"on"` and `"off"` does not become `true` and `false` in a
//! Python validator. A multi-line string is a literal block when its text
//! survives one exactly; everything else is double-quoted with JSON's
//! escapes, which YAML shares.

use std::fmt::Write as _;

use serde_json::Value;

/// The longest key YAML readers take (the limit on implicit keys).
const MAX_KEY: usize = 1024;

/// Spaces per level.
const INDENT: usize = 2;

/// `value` as a YAML document (no leading `---`). Fails only on a key
/// longer than YAML allows, naming where it is.
pub fn emit(value: &Value) -> Result<String, String> {
    let mut out = String::new();
    match value {
        Value::Object(members) if !members.is_empty() => {
            mapping(&mut out, members, 0, &mut String::new())?
        }
        Value::Array(items) if !items.is_empty() => {
            sequence(&mut out, items, 0, &mut String::new())?
        }
        scalar_value => {
            inline(&mut out, scalar_value, 0);
            out.push('\n');
        }
    }
    Ok(out)
}

/// A mapping's entries, each on its own line at `indent`.
fn mapping(
    out: &mut String,
    members: &serde_json::Map<String, Value>,
    indent: usize,
    pointer: &mut String,
) -> Result<(), String> {
    for (i, (key, value)) in members.iter().enumerate() {
        // The first entry of a sequence item follows its `- `.
        if i > 0 || !out.ends_with("- ") {
            pad(out, indent);
        }
        let chars = key.chars().count();
        if chars > MAX_KEY {
            let at = if pointer.is_empty() { "/" } else { pointer };
            return Err(format!(
                "{at}: a key of {chars} characters; YAML keys are at most {MAX_KEY}"
            ));
        }
        if plain(key) {
            out.push_str(key);
        } else {
            quoted(out, key);
        }
        out.push(':');
        let len = pointer.len();
        pointer.push('/');
        pointer.push_str(&whm_wire::pointer::escape(key));
        match value {
            Value::Object(inner) if !inner.is_empty() => {
                out.push('\n');
                mapping(out, inner, indent + INDENT, pointer)?;
            }
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                sequence(out, items, indent + INDENT, pointer)?;
            }
            _ => {
                out.push(' ');
                inline(out, value, indent + INDENT);
                out.push('\n');
            }
        }
        pointer.truncate(len);
    }
    Ok(())
}

/// A sequence's items, each after a `- ` at `indent`.
fn sequence(
    out: &mut String,
    items: &[Value],
    indent: usize,
    pointer: &mut String,
) -> Result<(), String> {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !out.ends_with("- ") {
            pad(out, indent);
        }
        out.push_str("- ");
        let len = pointer.len();
        let _ = write!(pointer, "/{i}");
        match item {
            Value::Object(inner) if !inner.is_empty() => {
                mapping(out, inner, indent + INDENT, pointer)?;
            }
            Value::Array(inner) if !inner.is_empty() => {
                sequence(out, inner, indent + INDENT, pointer)?;
            }
            _ => {
                inline(out, item, indent + INDENT);
                out.push('\n');
            }
        }
        pointer.truncate(len);
    }
    Ok(())
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// A scalar or an empty collection, after `key: ` or `- `; a literal
/// block's lines go at `indent`.
fn inline(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Null => out.push('~'),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) if plain(s) => out.push_str(s),
        Value::String(s) if literal(s) => block(out, s, indent),
        Value::String(s) => quoted(out, s),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

/// Whether `s` can be written as it is: readers of YAML 1.1 and 1.2 alike
/// take it for this string and nothing else.
fn plain(s: &str) -> bool {
    const WORDS: [&str; 16] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan", "inf", "-inf",
        ".nan", ".inf", "-.inf",
    ];
    let Some(first) = s.chars().next() else {
        return false;
    };
    // Indicators and what starts a number, date or special value.
    let bad_start = first.is_ascii_digit() || "-?:,[]{}#&*!|>'\"%@`+.<=~ \t".contains(first);
    let bad_char = |c: char| unprintable(c) || "#:,[]{}\"'\\`".contains(c);
    !bad_start
        && !s.ends_with([' ', '\t'])
        && !s.contains(bad_char)
        && !WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
}

/// Whether a literal block keeps `s` exactly: lines of printable text, the
/// first not indented (a reader takes the block's indentation from it), no
/// line of spaces alone (a reader cannot tell it from a blank line).
fn literal(s: &str) -> bool {
    let body = s.trim_end_matches('\n');
    s.contains('\n')
        && !body.is_empty()
        && !body.starts_with([' ', '\t', '\n'])
        && !s.contains(|c: char| unprintable(c) && c != '\n' && c != '\t')
        && body
            .split('\n')
            .all(|line| line.is_empty() || !line.trim().is_empty())
}

/// A literal block: `|-` without a final line break, `|` with one, `|+`
/// with several (kept as they are).
fn block(out: &mut String, s: &str, indent: usize) {
    let body = s.trim_end_matches('\n');
    out.push_str(match s.len() - body.len() {
        0 => "|-",
        1 => "|",
        _ => "|+",
    });
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
    }
    // `|+` keeps every line break after the text: all but the last, which
    // ends the block's final line, are blank lines.
    for _ in 1..(s.len() - body.len()) {
        out.push('\n');
    }
}

/// Characters a YAML reader may not take as written: controls, the byte
/// order mark, non-characters, and the separators YAML 1.1 reads as breaks.
fn unprintable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}'
        )
}

/// A double-quoted string with JSON's escapes, and the controls JSON leaves
/// raw (DEL, C1) escaped too.
fn quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if unprintable(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use yaml_rust2::{Yaml, YamlLoader};

    /// `value` as yaml-rust2 reads it.
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
            Value::Object(members) => Yaml::Hash(
                members
                    .iter()
                    .map(|(k, v)| (Yaml::String(k.clone()), to_yaml(v)))
                    .collect(),
            ),
        }
    }

    fn reads_back(value: Value) -> String {
        let text = emit(&value).unwrap();
        let back = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back[0], to_yaml(&value), "{text}");
        text
    }

    #[test]
    fn quotes_yaml_1_1_booleans_and_numeric_strings() {
        let text = reads_back(
            json!({"enum": ["on", "off", "y", "No", "1", "true", "1.5", ".5",
            "0x1f", "2001-12-14", "null", "~", "", " x", "x ", "a: b", "a #b", "-x", "plain",
            "/paths/x", "$ref", "It's"]}),
        );
        for word in [
            "on",
            "off",
            "y",
            "No",
            "1",
            "true",
            "1.5",
            "0x1f",
            "2001-12-14",
            "null",
        ] {
            assert!(
                text.contains(&format!("\"{word}\"")),
                "{word} unquoted in:\n{text}"
            );
        }
        for word in ["plain", "/paths/x", "$ref"] {
            assert!(
                text.contains(&format!("- {word}\n")),
                "{word} quoted in:\n{text}"
            );
        }
    }

    #[test]
    fn keeps_key_order_and_writes_blocks() {
        let text = reads_back(json!({"b": 1, "a": "two\nlines"}));
        assert!(text.starts_with("b: 1\na: |-\n  two\n  lines"), "{text}");
        let text = reads_back(json!({"a": "one\n\nthree"}));
        assert!(text.lines().all(|l| l == l.trim_end()), "{text:?}");
    }

    #[test]
    fn strings_read_back_exactly() {
        for s in [
            "one line\n",
            "ends with three\n\n\n",
            "  indented first\nline",
            "a\n  \nline of spaces",
            "\nleading break",
            "tab\tinside\nblock",
            "bell\u{7} and escape\u{1b}\nand more",
            "carriage\r\nreturn",
            "del\u{7f} c1\u{85} bom\u{feff} nonchar\u{fffe} sep\u{2028}",
            "quote \" and backslash \\",
            "trailing space \nline",
            "\n",
            "\n\n",
        ] {
            let text = reads_back(json!({ "k": s, "list": [s, {"k": s}] }));
            assert!(!text.contains('\u{7}'), "{text:?}");
        }
    }

    #[test]
    fn nesting_empty_collections_and_odd_keys() {
        reads_back(json!({
            "paths": {"/a\nb": {"description": "x\ny"}, "/c": 1, "": 2, "on": 3, "k: v": 4},
            "list": [[1, [2, 3]], [], {}, [{"a": [{}]}], null, true, 1.5, -3],
            "empty": {}, "none": [],
        }));
        reads_back(json!([{"a": 1, "b": {"c": [1]}}, "x"]));
        reads_back(json!("just a string"));
    }

    #[test]
    fn keys_longer_than_yaml_allows_are_refused_with_their_place() {
        let long = "k".repeat(MAX_KEY + 1);
        let error = emit(&json!({"paths": {long: 1}})).unwrap_err();
        assert!(
            error.starts_with("/paths: a key of 1025 characters"),
            "{error}"
        );
        reads_back(json!({ "k".repeat(MAX_KEY): 1 }));
    }
}
