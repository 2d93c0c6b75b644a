//! JSON Schemas derived from the content types: what editors validate against
//! and what `shape` walks to find structural mistakes.

use std::sync::LazyLock;

use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::content::config::ConfigFile;
use crate::content::entry::Entry;

/// The `$id` base under which the schemas are published in a site's repository.
pub const ENTRY_SCHEMA_FILE: &str = "schema/entry.schema.json";
/// Where the config schema lives in a site root.
pub const CONFIG_SCHEMA_FILE: &str = "schema/config.schema.json";
/// The draft 2020-12 JSON Schema of `T`.
pub fn generate<T: schemars::JsonSchema>() -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    generator.into_root_schema_for::<T>().to_value()
}

/// The JSON Schema (draft 2020-12) of an entry file.
pub fn entry_schema() -> &'static Value {
    static SCHEMA: LazyLock<Value> = LazyLock::new(generate::<Entry>);
    &SCHEMA
}

/// The JSON Schema (draft 2020-12) of `errdex.yaml`.
pub fn config_schema() -> &'static Value {
    static SCHEMA: LazyLock<Value> = LazyLock::new(generate::<ConfigFile>);
    &SCHEMA
}

/// A schema as pretty JSON with a trailing newline, as committed under `schema/`.
pub fn to_pretty(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("a schema serializes");
    text.push('\n');
    text
}
