//! The importer on small references written in cPanel's format, one per
//! irregularity of the real reference. Each test checks the facts that
//! matter, and a snapshot keeps the whole YAML under review.

use serde_json::{Value, json};
use whm_codegen::import::{self, Imported};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/reference/{name}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn import(name: &str) -> (Imported, Value) {
    let imported =
        import::import_text(&fixture(name), name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let yaml = import::to_yaml(&imported.document, import::REGENERATE).unwrap();
    insta::assert_snapshot!(name, yaml);
    let value = serde_json::to_value(&imported.document).unwrap();
    (imported, value)
}

/// The operation `function` (under GET or POST).
fn op<'v>(doc: &'v Value, function: &str) -> &'v Value {
    let item = &doc["paths"][format!("/{function}")];
    if item["get"].is_object() {
        &item["get"]
    } else {
        &item["post"]
    }
}

fn param<'v>(doc: &'v Value, function: &str, name: &str) -> &'v Value {
    op(doc, function)["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .unwrap_or_else(|| panic!("{function} has no parameter {name}"))
}

#[test]
fn missing_name_line_is_recovered_from_the_example() {
    let (imported, doc) = import("missing_name_line");
    let bw = param(&doc, "set_limits", "BWLIMIT");
    assert_eq!(bw["example"], "unlimited");
    assert_eq!(
        bw["schema"]["oneOf"],
        json!([{"type": "string"}, {"type": "integer"}])
    );
    // The bullet above the type line stays in the previous description.
    let user = param(&doc, "set_limits", "user");
    assert!(
        user["description"]
            .as_str()
            .unwrap()
            .ends_with("- 0 or unlimited — No limit.")
    );
    assert_eq!(imported.report.names_recovered.len(), 1);
    assert_eq!(
        imported.report.names_recovered[0].0, 20,
        "line of the type line"
    );
}

#[test]
fn a_or_b_names_keep_the_first_and_list_aliases() {
    let (imported, doc) = import("alias_names");
    let uid = param(&doc, "forget_id", "uid");
    assert_eq!(uid["x-aliases"], json!(["gid"]));
    assert_eq!(uid["required"], true);
    assert_eq!(uid["example"], 1012);
    assert_eq!(imported.report.aliases.len(), 1);
}

#[test]
fn types_formats_and_constraints() {
    let (_, doc) = import("types_and_formats");
    let contact = &param(&doc, "create_thing", "contact")["schema"];
    assert_eq!(
        contact,
        &json!({"type": "string", "format": "email", "maxLength": 128})
    );
    let maxpop = &param(&doc, "create_thing", "maxpop")["schema"];
    assert_eq!(
        maxpop,
        &json!({"default": "unlimited", "allOf": [{"$ref": "#/components/schemas/IntPosOrUnlimited"}]})
    );
    let maxsql = &param(&doc, "create_thing", "maxsql")["schema"];
    assert_eq!(
        maxsql,
        &json!({"$ref": "#/components/schemas/IntPosOrUnlimited"})
    );
    assert_eq!(
        doc["components"]["schemas"]["IntPosOrUnlimited"],
        json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
    );
    let ratio = &param(&doc, "create_thing", "ratio")["schema"];
    assert_eq!(
        ratio,
        &json!({"type": "number", "minimum": 0, "maximum": 1, "exclusiveMinimum": true, "exclusiveMaximum": true})
    );
    assert_eq!(param(&doc, "create_thing", "ratio")["example"], 0.5);
    let port = &param(&doc, "create_thing", "port")["schema"];
    assert_eq!(
        port,
        &json!({"type": "integer", "minimum": 1, "maximum": 65535})
    );
    let domains = &param(&doc, "create_thing", "domains");
    assert_eq!(
        domains["schema"],
        json!({"type": "array", "items": {"type": "string", "format": "domain"}})
    );
    assert_eq!(domains["example"], json!(["example.com"]));
    let note = &param(&doc, "create_thing", "note")["schema"];
    assert_eq!(note, &json!({"type": "string", "nullable": true}));
}

#[test]
fn possible_values_defaults_and_constants() {
    let (imported, doc) = import("values_and_defaults");
    let enabled = &param(&doc, "configure_thing", "enabled")["schema"];
    assert_eq!(enabled["enum"], json!([0, 1]));
    assert_eq!(enabled["default"], 1);
    assert_eq!(
        enabled["x-enum-descriptions"],
        json!(["Disabled.", "Enabled."])
    );
    let mode = &param(&doc, "configure_thing", "mode")["schema"];
    assert_eq!(mode["enum"], json!(["on", "off"]));
    assert_eq!(
        mode["x-enum-descriptions"],
        json!(["Use the cache.", "Ignore the cache."])
    );
    let theme = &param(&doc, "configure_thing", "theme");
    assert_eq!(theme["schema"]["enum"], json!(["jupiter"]));
    assert_eq!(theme["required"], true);
    // Defaults the type cannot hold move to the description, and are reported.
    let endtime = param(&doc, "configure_thing", "endtime");
    assert!(endtime["schema"].get("default").is_none());
    assert!(
        endtime["description"]
            .as_str()
            .unwrap()
            .ends_with("Default: the current time.")
    );
    let day = param(&doc, "configure_thing", "day");
    assert!(day["schema"].get("default").is_none());
    assert!(
        day["description"]
            .as_str()
            .unwrap()
            .ends_with("Default: `0`.")
    );
    let lines: Vec<usize> = imported.report.unmapped.iter().map(|f| f.line).collect();
    assert_eq!(lines, [41, 48], "lines of the type lines");
}

#[test]
fn json_request_body_with_a_nameless_field() {
    let (imported, doc) = import("request_body_json");
    let op = op(&doc, "add_records");
    assert_eq!(
        doc["paths"]["/add_records"]["post"]["operationId"],
        "add_records"
    );
    let body = &op["requestBody"];
    assert_eq!(body["required"], true);
    let media = &body["content"]["application/json"];
    assert_eq!(
        media["schema"]["required"],
        json!(["api.version", "list_name", "records"])
    );
    let records = &media["schema"]["properties"]["records"];
    assert_eq!(records["type"], "array");
    assert_eq!(
        records["items"]["properties"],
        json!({"comment": {"type": "string"}, "ip": {"type": "string"}}),
        "items typed from the request sample"
    );
    assert_eq!(media["example"]["list_name"], "white");
    assert_eq!(
        imported.report.names_recovered[0].3,
        "from the request sample"
    );
    assert!(op["description"].as_str().unwrap().contains("> **Note:**"));
}

#[test]
fn samples_are_repaired_and_captioned() {
    let (imported, doc) = import("sample_repairs");
    let response = &op(&doc, "show_thing")["responses"]["200"];
    assert_eq!(
        response["description"],
        "A thing that the show_thing function found."
    );
    let example = &response["content"]["application/json"]["example"];
    assert_eq!(example["data"]["owner"], "emailAddress\\[email protected]");
    assert_eq!(example["data"]["items"], json!([{"id": 1, "ok": 1}]));
    let repairs: Vec<(usize, &str)> = imported
        .report
        .repairs
        .iter()
        .map(|r| (r.0, r.2.as_str()))
        .collect();
    assert_eq!(
        repairs,
        [
            (32, "unknown escape `\\[` read as a backslash"),
            (36, "trailing comma removed")
        ]
    );
    let data = &response["content"]["application/json"]["schema"]["properties"]["data"];
    assert_eq!(
        data["properties"]["items"]["items"]["properties"]["id"]["type"],
        "integer"
    );
}

#[test]
fn missing_and_empty_response_samples() {
    let (imported, doc) = import("missing_and_empty_samples");
    for function in ["get_url", "open_session"] {
        let schema =
            &op(&doc, function)["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(
            schema["properties"]["data"],
            json!({}),
            "{function}: data left untyped"
        );
    }
    assert_eq!(
        imported.report.without_response_sample,
        [(5, "get_url".to_owned())]
    );
    assert_eq!(imported.report.unmapped.len(), 2);
}

#[test]
fn names_from_url_and_response_sample() {
    let (imported, doc) = import("url_and_response_names");
    assert!(doc["paths"]["/ticket_remove_closed"]["get"].is_object());
    assert_eq!(
        doc["paths"]["/fetch_setting"]["post"]["operationId"],
        "fetch_setting"
    );
    assert_eq!(
        imported.report.names_from,
        [("whmapi1 command", 0), ("URL", 1), ("response sample", 1)]
    );
}

#[test]
fn a_function_documented_twice_is_one_operation_in_two_groups() {
    let (imported, doc) = import("documented_twice");
    assert_eq!(doc["paths"].as_object().unwrap().len(), 1);
    assert_eq!(
        op(&doc, "is_alias_available")["tags"],
        json!(["DNS / Domain Management", "DNS / Resolvers"])
    );
    assert_eq!(
        imported.report.documented_twice,
        [(5, "is_alias_available".to_owned(), vec![42])]
    );
}

#[test]
fn group_headings_ungrouped_tags_and_stray_text() {
    let (imported, doc) = import("headings_and_stray_text");
    let tags: Vec<&str> = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        tags,
        [
            "Authentication / Providers",
            "Authentication / External Authentication",
            "Styles",
            "Accounts / Domain Domain Information",
            "Accounts / Domain Management",
            "NGINX Manager"
        ]
    );
    assert_eq!(doc["tags"][3]["x-displayName"], "Domain Information");
    assert_eq!(
        doc["tags"][2]["description"],
        "The Styles and Themes module for WHM API 1."
    );
    assert_eq!(
        op(&doc, "domain_details")["summary"],
        "Return domain details"
    );
    // A tag shown without a group heading takes the functions after it.
    let clear = op(&doc, "nginxmanager_clear_cache");
    assert_eq!(clear["summary"], "Delete the user's NGINX cache.");
    assert_eq!(
        clear["description"],
        "This function clears a user's NGINX cache."
    );
    assert_eq!(clear["tags"], json!(["NGINX Manager"]));
    assert_eq!(
        op(&doc, "nginxmanager_get_cache_config")["tags"],
        json!(["NGINX Manager"])
    );
    assert_eq!(
        doc["x-tagGroups"],
        json!([
            {"name": "Authentication", "tags": ["Authentication / Providers", "Authentication / External Authentication"]},
            {"name": "Styles", "tags": ["Styles"]},
            {"name": "Accounts", "tags": ["Accounts / Domain Domain Information", "Accounts / Domain Management"]},
            {"name": "NGINX Manager", "tags": ["NGINX Manager"]}
        ])
    );
    assert_eq!(
        imported.report.group_headings - imported.report.groups_with_functions,
        2
    );
    assert_eq!(imported.report.unmapped.len(), 1);
    assert_eq!(imported.report.unmapped[0].line, 77);
    assert!(imported.report.unmapped[0].message.contains("Stray words"));
}

#[test]
fn deprecation_and_callouts_become_markdown() {
    let (_, doc) = import("deprecated_and_callouts");
    let op = op(&doc, "accesshash");
    assert_eq!(op["deprecated"], true);
    assert_eq!(op["summary"], "Return access hash");
    assert_eq!(
        op["description"],
        "This function returns an access hash. See <https://docs.cpanel.net/knowledge-base/> for more.\n\n\
         > **Warning:**\n>\n> We deprecated this function. Use \\[api_token_create\\] instead of \\<accesshash\\>.\n\n\
         > **Note:**\n>\n> Read the following:\n>\n> - First point.\n>   - A nested point.\n> - Second point.\n\n\
         This paragraph is not part of the note."
    );
    assert_eq!(param(&doc, "accesshash", "generate")["deprecated"], true);
}

#[test]
fn free_form_parameters_and_multiline_commands() {
    let (imported, doc) = import("free_form_and_multiline_command");
    let free = param(&doc, "cpanel", "Variable Names and Values");
    assert_eq!(free["style"], "form");
    assert_eq!(free["explode"], true);
    assert_eq!(
        free["schema"],
        json!({"type": "object", "additionalProperties": {"type": "string"}})
    );
    assert_eq!(imported.report.free_form.len(), 1);
    let sample = &op(&doc, "cpanel")["x-codeSamples"][0]["source"];
    assert!(sample.as_str().unwrap().ends_with("version='ea-php74'"));
    assert_eq!(
        op(&doc, "cpanel")["responses"]["200"]["description"],
        "Information returned by the cPanel API function."
    );
}

#[test]
fn a_parameter_with_no_name_anywhere_is_left_out_and_reported() {
    let (imported, doc) = import("nameless_parameter");
    let body = &op(&doc, "editzonerecord")["requestBody"];
    assert_eq!(
        body["content"]["application/x-www-form-urlencoded"]["schema"]["required"],
        json!(["ttl"])
    );
    let names: Vec<&String> =
        body["content"]["application/x-www-form-urlencoded"]["schema"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
    assert_eq!(names, ["ttl", "name"]);
    assert_eq!(body["description"], "The updated record.");
    assert_eq!(imported.report.unmapped.len(), 1);
    assert_eq!(imported.report.unmapped[0].line, 22);
    assert!(
        imported.report.unmapped[0]
            .message
            .contains("`editzonerecord`")
    );
}

#[test]
fn every_fixture_declares_the_protocol_as_data() {
    let (_, doc) = import("alias_names");
    assert_eq!(
        doc["x-envelope"]["success"],
        json!(["/metadata/result", "/result"])
    );
    assert_eq!(doc["x-envelope"]["payload"], "/data");
    assert_eq!(doc["x-fixed-parameters"], json!({"api.version": 1}));
    // Refusals are WHM's data too, not the generic reply reader's code.
    assert_eq!(doc["x-refusal"]["denied"], json!(["access denied"]));
    assert_eq!(doc["x-refusal"]["login-page"], json!(["tfa_login_form"]));
    assert_eq!(
        doc["x-refusal"]["rejection"],
        json!(["/cpanelresult/error", "/cpanelresult/data/reason"])
    );
    assert_eq!(doc["servers"][0]["variables"]["port"]["default"], "2087");
    assert_eq!(
        doc["components"]["securitySchemes"]["WhmApiToken"]["scheme"],
        "whm"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["BasicAuth"]["scheme"],
        "basic"
    );
}

#[test]
fn import_is_deterministic() {
    for name in ["types_and_formats", "request_body_json", "documented_twice"] {
        let text = fixture(name);
        let a = import::import_text(&text, name).unwrap();
        let b = import::import_text(&text, name).unwrap();
        let ya = import::to_yaml(&a.document, import::REGENERATE).unwrap();
        let yb = import::to_yaml(&b.document, import::REGENERATE).unwrap();
        assert_eq!(ya, yb);
    }
}

/// An input fuzzing found, imported: the error it must give.
fn fuzz_finding(name: &str) -> String {
    let path = format!(
        "{}/../fuzz/regressions/import_reference/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    import::import_text(&text, name).unwrap_err().to_string()
}

#[test]
fn fuzzing_findings_are_errors_with_their_line() {
    // A quoted argument where the function name goes: the "name" ran over
    // several lines and broke the YAML written from it.
    let error = fuzz_finding("function-name-spans-lines");
    assert!(error.starts_with("line 5: "), "{error}");
    assert!(error.contains("is not a name"), "{error}");
    // Junk after `Request Body schema:` became a key longer than YAML allows.
    let error = fuzz_finding("media-type-junk-makes-a-long-key");
    assert!(error.starts_with("line 11: "), "{error}");
    assert!(
        error.contains("`th` after `Request Body schema:` is not a media type"),
        "{error}"
    );
}

#[test]
fn a_bound_no_yaml_reader_takes_as_an_integer_is_no_bound() {
    // Found by fuzzing: `<= 10248191152060862009 characters` went into the
    // spec as `maxLength`, which readers take for a float, so the spec the
    // importer wrote did not load.
    let path = format!(
        "{}/../fuzz/regressions/import_reference/length-beyond-i64",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let imported = import::import_text(&text, "fuzzed.txt").unwrap();
    let yaml = import::to_yaml(&imported.document, import::REGENERATE).unwrap();
    assert!(!yaml.contains("maxLength: 10248191152060862009"), "{yaml}");
    whm_codegen::spec::parse(&yaml, "imported.yaml").unwrap();
}
