//! OpenAPI 3.1's schema words said as 3.0 says them, so that one model
//! reads both versions. 3.1 schemas are JSON Schema 2020-12: a nullable
//! string is `type: [string, "null"]` where 3.0 writes `nullable: true`,
//! one allowed value is `const`, an exclusive bound is the bound itself
//! and examples are a list. Each is rewritten in place, at the same JSON
//! pointer, so that errors still point at the document's own lines.

use serde_json::{Map, Value};

/// Rewrites every schema of the document `doc` (the root mapping).
pub fn to_3_0(doc: &mut Value) {
    let Some(doc) = doc.as_object_mut() else {
        return;
    };
    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
        each_value(components.get_mut("schemas"), schema);
        each_value(components.get_mut("parameters"), parameter);
        each_value(components.get_mut("headers"), parameter);
        each_value(components.get_mut("requestBodies"), with_content);
        each_value(components.get_mut("responses"), response);
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for (key, value) in item.iter_mut() {
            if key == "parameters" {
                each_item(Some(value), parameter);
            } else if let Some(op) = value.as_object_mut() {
                operation(op);
            }
        }
    }
}

fn operation(op: &mut Map<String, Value>) {
    each_item(op.get_mut("parameters"), parameter);
    if let Some(body) = op.get_mut("requestBody") {
        with_content(body);
    }
    each_value(op.get_mut("responses"), response);
}

fn response(response: &mut Value) {
    with_content(response);
    if let Some(headers) = response.get_mut("headers") {
        each_value(Some(headers), parameter);
    }
}

/// A parameter or a header: its `schema`, or the schemas of its `content`.
fn parameter(p: &mut Value) {
    if let Some(s) = p.get_mut("schema") {
        schema(s);
    }
    with_content(p);
}

fn with_content(holder: &mut Value) {
    let media = holder
        .get_mut("content")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|content| content.values_mut());
    for m in media {
        if let Some(s) = m.get_mut("schema") {
            schema(s);
        }
    }
}

fn schema(s: &mut Value) {
    // JSON Schema's `true` allows any value, `false` none.
    if let Value::Bool(allowed) = *s {
        *s = match allowed {
            true => Value::Object(Map::new()),
            false => serde_json::json!({"not": {}}),
        };
    }
    let Some(map) = s.as_object_mut() else {
        return;
    };
    type_list(map);
    if !map.contains_key("enum") {
        if let Some(only) = map.remove("const") {
            map.insert("enum".to_owned(), Value::Array(vec![only]));
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(n)) = map.get(exclusive).cloned() {
            map.insert(bound.to_owned(), Value::Number(n));
            map.insert(exclusive.to_owned(), Value::Bool(true));
        }
    }
    if !map.contains_key("example") {
        let first = map
            .get("examples")
            .and_then(Value::as_array)
            .and_then(|e| e.first());
        if let Some(first) = first.cloned() {
            map.insert("example".to_owned(), first);
        }
    }
    each_value(map.get_mut("properties"), schema);
    // `additionalProperties: false` keeps its meaning (no others).
    for key in ["items", "additionalProperties", "not"] {
        match map.get_mut(key) {
            Some(Value::Bool(_)) if key == "additionalProperties" => {}
            Some(inner) => schema(inner),
            None => {}
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        each_item(map.get_mut(key), schema);
    }
}

/// `type: [string, "null"]` as `type: string, nullable: true`; a list of
/// several types leaves the type open (any JSON value).
fn type_list(map: &mut Map<String, Value>) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(one)) if one == "null" => vec![one.clone()],
        _ => return,
    };
    let (null, rest): (Vec<String>, Vec<String>) = types.into_iter().partition(|t| t == "null");
    if !null.is_empty() {
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
    match <[String; 1]>::try_from(rest) {
        Ok([one]) => map.insert("type".to_owned(), Value::String(one)),
        Err(_) => map.remove("type"),
    };
}

fn each_value(holder: Option<&mut Value>, f: fn(&mut Value)) {
    if let Some(Value::Object(map)) = holder {
        map.values_mut().for_each(f);
    }
}

fn each_item(holder: Option<&mut Value>, f: fn(&mut Value)) {
    if let Some(Value::Array(list)) = holder {
        list.iter_mut().for_each(f);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn a_3_1_schema_reads_as_3_0_says_it() {
        let mut doc = json!({"components": {"schemas": {"Pet": {
            "type": "object",
            "properties": {
                "name": {"type": ["string", "null"], "examples": ["Rex"]},
                "kind": {"const": "dog"},
                "age": {"type": "integer", "exclusiveMinimum": 0},
                "any": {"type": ["string", "integer"]},
                "tags": {"type": "array", "items": {"type": ["integer", "null"]}}
            }
        }}}});
        super::to_3_0(&mut doc);
        let p = &doc["components"]["schemas"]["Pet"]["properties"];
        assert_eq!(
            p["name"],
            json!({"type": "string", "nullable": true, "examples": ["Rex"], "example": "Rex"})
        );
        assert_eq!(p["kind"], json!({"enum": ["dog"]}));
        assert_eq!(
            p["age"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(p["any"], json!({}));
        assert_eq!(
            p["tags"]["items"],
            json!({"type": "integer", "nullable": true})
        );
    }

    #[test]
    fn schemas_of_operations_are_rewritten_too() {
        let mut doc = json!({"paths": {"/p": {
            "parameters": [{"name": "a", "in": "query", "schema": {"type": ["null", "boolean"]}}],
            "post": {
                "requestBody": {"content": {"application/json": {"schema": {"type": "null"}}}},
                "responses": {"200": {"content": {"application/json": {"schema": {"const": 1}}}}}
            }
        }}});
        super::to_3_0(&mut doc);
        let item = &doc["paths"]["/p"];
        assert_eq!(
            item["parameters"][0]["schema"],
            json!({"type": "boolean", "nullable": true})
        );
        let body = &item["post"]["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(body, &json!({"nullable": true}));
        let reply = &item["post"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(reply, &json!({"enum": [1]}));
    }
}
