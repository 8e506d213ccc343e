//! The committed WHM API 1 spec against the reference it is imported from.

use std::collections::BTreeMap;

use serde_json::Value;
use whm_codegen::import;
use whm_codegen_tests::{diff, repo_root, upstream};

const REFERENCE: &str = "whm-api-1-reference.txt";

fn import_reference(text: &str) -> import::Imported {
    import::import_text(text, REFERENCE).unwrap_or_else(|e| panic!("{REFERENCE}: {e}"))
}

fn committed_spec() -> String {
    let path = repo_root().join("spec/whm-api-1.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn operations(doc: &Value) -> BTreeMap<String, &Value> {
    let mut ops = BTreeMap::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            ops.insert(op["operationId"].as_str().unwrap().to_owned(), op);
        }
    }
    ops
}

#[test]
fn committed_spec_is_in_sync_with_the_reference() {
    let imported = import_reference(&upstream(REFERENCE));
    let fresh = import::to_yaml(&imported.document, import::REGENERATE).unwrap();
    let committed = committed_spec();
    if fresh != committed {
        let reference = whm_codegen_tests::upstream_docs().join(REFERENCE);
        panic!(
            "spec/whm-api-1.yaml is not what {reference} imports to.\n\
             - If you imported a newer reference from another place, point the tests at its \
             directory (the file named {REFERENCE}):\n\n    \
             WHM_CODEGEN_UPSTREAM_DOCS=/path/to/dir cargo test --workspace\n\n\
             - Otherwise the spec is stale; regenerate it with\n\n    \
             cargo run -p whm-codegen -- import --reference {reference} --out spec/whm-api-1.yaml\n\n{}",
            diff(&committed, &fresh, "spec/whm-api-1.yaml", 60),
            reference = reference.display(),
        );
    }
}

#[test]
fn every_function_is_imported_once() {
    let text = upstream(REFERENCE);
    let imported = import_reference(&text);
    let report = &imported.report;
    let documented = text.lines().filter(|l| *l == "Authorizations:").count();
    let twice: usize = report.documented_twice.iter().map(|d| d.2.len()).sum();
    assert_eq!(
        report.functions + twice,
        documented,
        "every documented function is imported"
    );
    let doc = serde_json::to_value(&imported.document).unwrap();
    assert_eq!(operations(&doc).len(), report.functions);
    // Every function a `whmapi1` sample names is an operation.
    let lines: Vec<&str> = text.lines().collect();
    let ops = operations(&doc);
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("whmapi1 --output=jsonpretty \\") {
            let name = lines[i + 1].split_whitespace().next().unwrap_or_default();
            assert!(
                ops.contains_key(name),
                "line {}: `{name}` is not an operation",
                i + 2
            );
        }
    }
}

#[test]
fn every_json_response_sample_is_attached() {
    let text = upstream(REFERENCE);
    let imported = import_reference(&text);
    let doc = serde_json::to_value(&imported.document).unwrap();
    let with_example = operations(&doc)
        .values()
        .filter(|op| !op["responses"]["200"]["content"]["application/json"]["example"].is_null())
        .count();
    let samples = text.lines().filter(|l| *l == "Response samples").count();
    let twice: usize = imported
        .report
        .documented_twice
        .iter()
        .map(|d| d.2.len())
        .sum();
    assert_eq!(with_example + twice, samples);
    assert_eq!(imported.report.response_samples + twice, samples);
}

/// A parameter header as a reader finds it in the text, independently of
/// the importer: an `Example: name=value` line, the attribute lines above
/// it, the type line above those, and `required` above that.
struct Header {
    line: usize,
    function: String,
    name: String,
    required: bool,
    possible_values: Option<String>,
    default: Option<String>,
    format: Option<String>,
}

fn headers(text: &str) -> Vec<Header> {
    let lines: Vec<&str> = text.lines().collect();
    let attribute = |l: &str| {
        [
            "Default:",
            "Possible Values:",
            "Value:",
            "Example:",
            "Deprecated",
        ]
        .iter()
        .any(|p| l.starts_with(p))
    };
    let mut out = Vec::new();
    let mut in_params = false;
    for (i, line) in lines.iter().enumerate() {
        if *line == "query Parameters" || line.starts_with("Request Body schema:") {
            in_params = true;
        } else if *line == "Responses" {
            in_params = false;
        }
        let Some(example) = line.strip_prefix("Example: ") else {
            continue;
        };
        if !in_params
            || !lines[i - 1].trim().is_empty()
                && !attribute(lines[i - 1])
                && lines[i - 1].starts_with(' ')
        {
            continue;
        }
        let mut t = i;
        while t > 0 && attribute(lines[t - 1]) {
            t -= 1;
        }
        let type_line = lines[t - 1];
        if type_line.trim().is_empty() || type_line.starts_with(' ') {
            continue; // an example inside a description
        }
        let Some((name, _)) = example.split_once('=') else {
            continue;
        };
        let header = &lines[t..i];
        let find = |label: &str| {
            header
                .iter()
                .find_map(|l| l.strip_prefix(label))
                .map(str::to_owned)
        };
        let function = (i..lines.len())
            .find(|&k| lines[k] == "Request samples")
            .map(|k| sample_function(&lines, k))
            .unwrap();
        out.push(Header {
            line: i + 1,
            function,
            name: name.split(" or ").next().unwrap().to_owned(),
            required: lines[t - 2] == "required",
            possible_values: find("Possible Values: "),
            default: find("Default: "),
            format: type_line
                .split_once(" <")
                .filter(|(_, f)| !f.starts_with('='))
                .and_then(|(_, f)| f.split_once('>'))
                .map(|(f, _)| f.to_owned()),
        });
    }
    out
}

/// The function a `Request samples` section names.
fn sample_function(lines: &[&str], k: usize) -> String {
    let first = lines[k + 2];
    if first.starts_with("whmapi1") {
        let on_first = first
            .split_whitespace()
            .find(|w| *w != "whmapi1" && !w.starts_with("--") && *w != "\\");
        let name = on_first.or_else(|| lines[k + 3].split_whitespace().next());
        return name.unwrap_or_default().to_owned();
    }
    if let Some((_, rest)) = first.split_once("/json-api/") {
        return rest.split('?').next().unwrap().to_owned();
    }
    let command = (k..lines.len())
        .find(|&j| lines[j].contains("\"command\":"))
        .unwrap();
    lines[command].split('"').nth(3).unwrap().to_owned()
}

fn words(list: &str) -> Vec<String> {
    let values: Result<Vec<Value>, _> = serde_json::Deserializer::from_str(list)
        .into_iter()
        .collect();
    values
        .unwrap()
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn every_documented_parameter_is_in_the_spec_as_written() {
    let text = upstream(REFERENCE);
    let imported = import_reference(&text);
    let doc = serde_json::to_value(&imported.document).unwrap();
    let ops = operations(&doc);
    let headers = headers(&text);
    assert!(headers.len() > 1100, "found {} headers", headers.len());
    let mut problems = Vec::new();
    for h in &headers {
        let Some(op) = ops.get(&h.function) else {
            problems.push(format!("line {}: no operation `{}`", h.line, h.function));
            continue;
        };
        let query = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == h.name);
        // A free-form parameter's attributes describe each of its values.
        let query = query.map(|p| match p["style"].as_str() {
            Some("form") => (p, &p["schema"]["additionalProperties"]),
            _ => (p, &p["schema"]),
        });
        let body = op["requestBody"]["content"]
            .as_object()
            .and_then(|c| c.values().next())
            .map(|m| &m["schema"]);
        let (schema, required, description) = match (query, body) {
            (Some((p, schema)), _) => (schema, p["required"] == true, p["description"].as_str()),
            (None, Some(b)) if b["properties"].get(&h.name).is_some() => (
                &b["properties"][&h.name],
                b["required"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|n| *n == h.name)),
                b["properties"][&h.name]["description"].as_str(),
            ),
            _ => {
                problems.push(format!(
                    "line {}: {}: `{}` missing",
                    h.line, h.function, h.name
                ));
                continue;
            }
        };
        if required != h.required {
            problems.push(format!(
                "line {}: {}: `{}` required should be {}",
                h.line, h.function, h.name, h.required
            ));
        }
        if let Some(list) = &h.possible_values {
            let mut expected = words(list);
            let mut actual: Vec<String> = schema["enum"]
                .as_array()
                .map(|e| e.iter().filter(|v| !v.is_null()).map(plain).collect())
                .unwrap_or_default();
            expected.sort();
            actual.sort();
            if expected != actual {
                problems.push(format!(
                    "line {}: {}: `{}` enum {actual:?} != {expected:?}",
                    h.line, h.function, h.name
                ));
            }
        }
        if let Some(default) = &h.default {
            let written: Value = serde_json::from_str(default).unwrap();
            let empty_list = written == "" && schema["default"] == serde_json::json!([]);
            let kept = schema.get("default").map(plain) == Some(plain(&written))
                || schema["default"] == written
                || empty_list;
            let explained = description.is_some_and(|d| d.contains("Default:"));
            if !kept && !explained && !written.is_null() {
                problems.push(format!(
                    "line {}: {}: `{}` default {default} lost",
                    h.line, h.function, h.name
                ));
            }
        }
        if let Some(format) = &h.format {
            let schema_text = format!("{schema}{}", doc["components"]);
            if !schema_text.contains(&format!("\"format\":\"{format}\"")) {
                problems.push(format!(
                    "line {}: {}: `{}` format {format} lost",
                    h.line, h.function, h.name
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The byte offset where line `line` (1-based) starts.
fn offset_of_line(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

/// A deterministic stream of numbers (xorshift), for cuts that are the
/// same on every run.
fn numbers(mut state: u64) -> impl Iterator<Item = u64> {
    std::iter::from_fn(move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        Some(state)
    })
}

#[test]
fn a_reference_cut_anywhere_fails_with_a_line_or_imports_every_whole_function() {
    let text = upstream(REFERENCE);
    let reference = import::parse_reference(&text).unwrap();
    // Where each function starts and ends in the text, and its name (a
    // function documented twice counts once, where it ends first).
    let mut spans: Vec<(usize, usize, &str)> = reference
        .functions
        .iter()
        .map(|f| {
            (
                offset_of_line(&text, f.line),
                offset_of_line(&text, f.end_line + 1),
                f.name.as_str(),
            )
        })
        .collect();
    spans.sort();
    // Cuts at random, and at the edges of functions: just before and just
    // after one ends, and inside its first line.
    let mut cuts: Vec<usize> = numbers(0x5eed_1234_u64)
        .take(40)
        .map(|n| (n % text.len() as u64) as usize)
        .collect();
    for (start, end, _) in spans.iter().step_by(37) {
        cuts.extend([*start + 3, end.saturating_sub(2), *end]);
    }
    let (mut failed, mut imported) = (0, 0);
    for cut in cuts {
        let mut cut = cut.min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let whole: std::collections::BTreeSet<&str> = spans
            .iter()
            .filter(|(_, end, _)| *end <= cut)
            .map(|(_, _, name)| *name)
            .collect();
        match import::import_text(&text[..cut], REFERENCE) {
            Ok(result) => {
                assert_eq!(
                    result.report.functions,
                    whole.len(),
                    "cut at byte {cut}: imported {} functions, but {} stand wholly before the cut",
                    result.report.functions,
                    whole.len()
                );
                imported += 1;
            }
            Err(e) => {
                assert!(
                    e.line >= 1,
                    "cut at byte {cut}: an error without a line: {e}"
                );
                failed += 1;
            }
        }
    }
    println!("{failed} cuts failed with a line, {imported} imported every whole function");
    assert!(failed > 0 && imported > 0, "both outcomes are exercised");
}
