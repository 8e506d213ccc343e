//! The committed `generated/` crates against their specs.

use std::path::PathBuf;

use serde_json::Value;
use whm_codegen::Config;
use whm_codegen_tests::repo_root;

fn all_specs() -> Config {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(repo_root().join("spec"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    let mut config = Config::new().regenerate_with("cargo run -p whm-codegen -- generate");
    for spec in specs {
        config = config.spec(spec);
    }
    config
}

#[test]
fn committed_crates_are_fresh() {
    let stale = all_specs()
        .check_crates(repo_root().join("generated"))
        .unwrap();
    if !stale.is_empty() {
        let report: String = stale
            .iter()
            .map(|s| whm_codegen::describe_stale(s, 40))
            .collect();
        panic!(
            "{report}\nRegenerate with `cargo run -p whm-codegen -- generate` and commit the result."
        );
    }
}

#[test]
fn generating_twice_gives_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    all_specs().generate_crates(a.path()).unwrap();
    all_specs().generate_crates(b.path()).unwrap();
    let read = |root: &std::path::Path| {
        let mut files = Vec::new();
        let mut stack = vec![root.to_owned()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.push((
                        path.strip_prefix(root).unwrap().to_owned(),
                        std::fs::read(&path).unwrap(),
                    ));
                }
            }
        }
        files.sort();
        files
    };
    let (first, second) = (read(a.path()), read(b.path()));
    assert!(first.len() > 10);
    assert_eq!(first, second);
}

/// Paths of members in `original` that `reencoded` lacks.
fn lost(original: &Value, reencoded: &Value, path: String, out: &mut Vec<String>) {
    match (original, reencoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => lost(value, other, format!("{path}.{key}"), out),
                    None => out.push(format!("{path}.{key}")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, value) in a.iter().enumerate() {
                match b.get(i) {
                    Some(other) => lost(value, other, format!("{path}[{i}]"), out),
                    None => out.push(format!("{path}[{i}]")),
                }
            }
        }
        // Empty containers may come back as empty containers of another
        // spelling (`{}` for a list); scalars may come back normalised
        // (`"1001"` as 1001). Neither loses data.
        (Value::Object(a), _) if a.is_empty() => {}
        (Value::Array(a), _) if a.is_empty() => {}
        // A structure read into a text field must keep its JSON text.
        (Value::Object(_) | Value::Array(_), other)
            if !other.is_object()
                && !other.is_array()
                && other
                    .as_str()
                    .and_then(|s| serde_json::from_str::<Value>(s).ok())
                    .as_ref()
                    != Some(original) =>
        {
            out.push(format!("{path} (structure became {other})"));
        }
        _ => {}
    }
}

#[test]
fn every_response_example_decodes_into_its_type_and_back_without_loss() {
    let spec = whm_codegen::spec::load(&repo_root().join("spec/whm-api-1.yaml")).unwrap();
    let decoders = whm_codegen_tests::decoders();
    let mut checked = 0;
    let mut failures = Vec::new();
    for item in spec.document.paths.values() {
        for (_, op) in item.operations() {
            let info = decoders
                .whm_api
                .iter()
                .find(|o| o.operation.name == op.operation_id)
                .unwrap_or_else(|| panic!("{} is not generated", op.operation_id));
            let example = op
                .responses
                .get("200")
                .and_then(|r| r.content.get("application/json"))
                .and_then(|m| m.example.as_ref());
            // The payload is where the operation's envelopes keep it.
            let mut envelope = Some(whm_api::API.envelope_for(info.operation.envelope));
            let mut payload = example.cloned();
            while let (Some(e), Some(value)) = (envelope, payload.clone()) {
                payload = e.payload.iter().find_map(|p| value.pointer(p)).cloned();
                envelope = e.inner.as_deref();
            }
            let Some(payload) = payload.as_ref() else {
                continue;
            };
            let text = payload.to_string();
            match (info.roundtrip)(&text) {
                Ok(reencoded) => {
                    let mut missing = Vec::new();
                    lost(payload, &reencoded, "data".to_owned(), &mut missing);
                    if !missing.is_empty() {
                        failures.push(format!("{}: lost {missing:?}", op.operation_id));
                    }
                    // Borrowed text must decode to exactly the same payload.
                    let roundtrip_borrowed = decoders
                        .whm_api_borrowed
                        .get(info.operation.name)
                        .unwrap_or_else(|| {
                            panic!("{} has no borrowed round trip", op.operation_id)
                        });
                    match roundtrip_borrowed(&text) {
                        Ok(borrowed) if borrowed == reencoded => {}
                        Ok(borrowed) => failures.push(format!(
                            "{}: borrowed text decodes differently: {borrowed} vs {reencoded}",
                            op.operation_id
                        )),
                        Err(e) => failures.push(format!("{}: borrowed: {e}", op.operation_id)),
                    }
                }
                Err(e) => failures.push(format!("{}: {e}", op.operation_id)),
            }
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} examples fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 400, "only {checked} examples checked");
    assert_eq!(decoders.whm_api.len(), spec.document.paths.len());
    assert_eq!(decoders.whm_api_borrowed.len(), spec.document.paths.len());
}
