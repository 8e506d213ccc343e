//! Path items written as a `$ref` to another (`#/paths/~1pets`, or 3.1's
//! `#/components/pathItems/Pets`): replaced by the item they name before
//! the document is read, so that every later stage sees whole path items.

use serde_json::{Map, Value};

use super::tree::escape;

/// How many `$ref`s one path item may go through: more is a cycle.
const MOST_STEPS: usize = 16;

/// Replaces each path item of `raw` that is a `$ref` by the item it
/// names, the item's own keys beside the `$ref` (3.1's `summary`,
/// `description`) kept over the target's. An error names the JSON
/// pointer of the `$ref` and what is wrong.
pub fn inline(raw: &mut Value) -> Result<(), (String, String)> {
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else {
        return Ok(());
    };
    let referring: Vec<String> = paths
        .iter()
        .filter(|(_, item)| item.get("$ref").is_some())
        .map(|(path, _)| path.clone())
        .collect();
    for path in referring {
        let at = format!("/paths/{}/$ref", escape(&path));
        let mut item = raw["paths"][&path].as_object().cloned().unwrap_or_default();
        let target = target(raw, &item, &at)?;
        item.remove("$ref");
        let mut whole = target;
        whole.extend(item);
        raw["paths"][&path] = Value::Object(whole);
    }
    Ok(())
}

/// The path item `item`'s `$ref` names, its own `$ref`s followed.
fn target(
    raw: &Value,
    item: &Map<String, Value>,
    at: &str,
) -> Result<Map<String, Value>, (String, String)> {
    let fail = |message: String| Err((at.to_owned(), message));
    let mut current = item.clone();
    for _ in 0..MOST_STEPS {
        let Some(reference) = current.get("$ref") else {
            return Ok(current);
        };
        let Some(reference) = reference.as_str() else {
            return fail("a `$ref` is a string: `#/paths/~1pets`".to_owned());
        };
        let Some(fragment) = reference.strip_prefix('#') else {
            return fail(format!(
                "`{reference}` is in another file: bundle the document into one first"
            ));
        };
        let pointer = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        match raw.pointer(&pointer) {
            Some(Value::Object(found)) => current = found.clone(),
            Some(_) => return fail(format!("`{reference}` names no path item")),
            None => return fail(format!("`{reference}` points at nothing in this document")),
        }
    }
    fail(format!(
        "path item `$ref`s go round in a cycle (more than {MOST_STEPS} steps)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_path_item_ref_is_the_item_it_names() {
        let mut raw = json!({"paths": {
            "/pets": {"get": {"operationId": "list"}},
            "/animals": {"$ref": "#/paths/~1pets", "summary": "Its own."},
            "/beasts": {"$ref": "#/components/pathItems/Beasts"}
        }, "components": {"pathItems": {"Beasts": {"$ref": "#/paths/~1animals"}}}});
        inline(&mut raw).unwrap();
        assert_eq!(
            raw["paths"]["/animals"],
            json!({"get": {"operationId": "list"}, "summary": "Its own."})
        );
        // Through another `$ref`, which is read as it is written.
        assert_eq!(raw["paths"]["/beasts"]["get"]["operationId"], "list");
    }

    #[test]
    fn a_ref_to_nowhere_another_file_or_round_in_a_cycle_is_refused_where_it_is() {
        for (reference, expected) in [
            ("#/paths/~1nowhere", "points at nothing"),
            ("other.yaml#/paths/~1pets", "another file"),
            ("#/paths/~1loop", "cycle"),
            ("#/openapi", "names no path item"),
        ] {
            let mut raw = json!({"openapi": "3.1.0", "paths": {
                "/p": {"$ref": reference},
                "/loop": {"$ref": "#/paths/~1loop"}
            }});
            let (at, message) = inline(&mut raw).unwrap_err();
            assert!(at.ends_with("/$ref"), "{at}");
            assert!(message.contains(expected), "{reference}: {message}");
        }
    }
}
