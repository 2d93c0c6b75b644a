//! The JSON Schemas under `schema/`: generated from the content types, committed
//! for editors, and checked with an independent validator against real content.

use std::fs;
use std::path::Path;

use crate::common::*;
use errdex::content::schema;
use errdex::publish::exports;
use serde_json::Value;

fn committed(path: &str, generated: &Value) {
    let file = seed_root().join(path);
    let text = schema::to_pretty(generated);
    if std::env::var_os("BLESS").is_some() {
        fs::write(&file, &text).unwrap();
    }
    let on_disk = fs::read_to_string(&file).unwrap_or_default();
    assert!(
        on_disk == text,
        "{path} is stale: regenerate it with `cargo run -- schema{} > {path}` (or BLESS=1 cargo test)",
        if path.contains("config") {
            " --config"
        } else if path.contains("export") {
            " --export"
        } else {
            ""
        }
    );
}

#[test]
fn the_committed_schemas_are_up_to_date() {
    committed(schema::ENTRY_SCHEMA_FILE, schema::entry_schema());
    committed(schema::CONFIG_SCHEMA_FILE, schema::config_schema());
    committed(exports::EXPORT_SCHEMA_FILE, exports::export_schema());
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::new(schema).expect("the schema is valid draft 2020-12")
}

fn yaml_as_json(path: &Path) -> Value {
    serde_saphyr::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_seed_entry_and_the_config_validate_against_the_schemas() {
    let entries = validator(schema::entry_schema());
    let mut checked = 0;
    for entry in fs::read_dir(seed_root().join("content/errors")).unwrap() {
        let path = entry.unwrap().path();
        let problems = errors(&entries, &yaml_as_json(&path));
        assert!(problems.is_empty(), "{}: {problems:?}", path.display());
        checked += 1;
    }
    assert_eq!(checked, 7);
    let config = validator(schema::config_schema());
    let problems = errors(&config, &yaml_as_json(&seed_root().join("errdex.yaml")));
    assert!(problems.is_empty(), "errdex.yaml: {problems:?}");
}

#[test]
fn the_schema_rejects_what_errdex_rejects() {
    let entries = validator(schema::entry_schema());
    let bad = [
        "title: T\nsummary: S\ncategory: c\n",
        "code: 1\ncodes: [2]\ntitle: T\nsummary: S\ncategory: c\n",
        "code: 1\ntitel: T\nsummary: S\ncategory: c\n",
        "code: 1\ntitle: T\nsummary: S\ncategory: c\nhttp_status: 700\n",
        "code: 1\ntitle: T\nsummary: S\ncategory: c\nsolutions: [{text: a, step: []}]\n",
        "code: 1\ntitle: T\nsummary: S\ncategory: c\ncauses: []\n",
    ];
    for yaml in bad {
        let value: Value = serde_saphyr::from_str(yaml).unwrap();
        assert!(!errors(&entries, &value).is_empty(), "accepted: {yaml}");
    }
}

/// Walks a schema and returns the paths of properties without a description or examples.
fn undocumented(schema: &Value, defs: &Value, path: &str, out: &mut Vec<String>) {
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            let target = property
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| defs.get(r.rsplit('/').next().unwrap()))
                .unwrap_or(property);
            let has = |key: &str| property.get(key).is_some() || target.get(key).is_some();
            if !has("description") || !has("examples") {
                out.push(format!("{path}.{name}"));
            }
        }
    }
    for key in ["anyOf", "allOf", "oneOf"] {
        for branch in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            undocumented(branch, defs, path, out);
        }
    }
}

#[test]
fn every_field_has_a_description_and_examples_for_editors() {
    for (name, schema) in [
        ("entry", schema::entry_schema()),
        ("config", schema::config_schema()),
    ] {
        let defs = schema.get("$defs").cloned().unwrap_or_default();
        let mut missing = Vec::new();
        undocumented(schema, &defs, name, &mut missing);
        for (def_name, def) in defs.as_object().into_iter().flatten() {
            undocumented(def, &defs, &format!("{name}#{def_name}"), &mut missing);
        }
        assert!(
            missing.is_empty(),
            "fields without description or examples: {missing:?}"
        );
    }
}

#[test]
fn every_entry_file_names_the_schema_for_editors() {
    for entry in fs::read_dir(seed_root().join("content/errors")).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../../schema/entry.schema.json\n"),
            "{}",
            text.lines().next().unwrap_or("")
        );
    }
}

#[test]
fn the_built_exports_validate_against_the_export_schema() {
    let out = tempfile::tempdir().unwrap();
    errdex::publish::build(&errdex::publish::BuildOptions::new(seed_root(), out.path())).unwrap();
    let export = exports::export_schema();
    let catalog = validator(export);
    let json: Value =
        serde_json::from_slice(&fs::read(out.path().join("errors.json")).unwrap()).unwrap();
    assert_eq!(errors(&catalog, &json), Vec::<String>::new());
    let definition = |name: &str| {
        let mut schema = export["$defs"][name].clone();
        schema["$defs"] = export["$defs"].clone();
        schema["$schema"] = export["$schema"].clone();
        validator(&schema)
    };
    let (entry, pointer) = (definition("Entry"), definition("Pointer"));
    let mut checked = 0;
    for file in fs::read_dir(out.path().join("errors")).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let value: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
            if value.get("see").is_some() {
                assert_eq!(errors(&pointer, &value), Vec::<String>::new());
                checked += 1;
                continue;
            }
            assert_eq!(
                errors(&entry, &value),
                Vec::<String>::new(),
                "{}",
                path.display()
            );
            assert!(
                value["causes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|s| s["text_html"].is_string())
                    || value["causes"] == serde_json::json!([])
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 8, "seven entries and the alias 504");
}
