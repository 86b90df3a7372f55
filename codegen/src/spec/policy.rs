//! The traffic policy format: `spec/traffic_policy.yaml`, parsed, resolved
//! into the model's [`PolicyFormat`] and checked, every problem reported
//! with the action and field it is about. `spec/README.md` documents every
//! key.

use std::collections::BTreeMap;
use std::path::Path;

use ngrok_api_model::{CredentialsFormat, FieldValue, PolicyAction, PolicyLimit, PolicyExpressions, PolicyField, PolicyFormat, PolicyPhase, PolicyType, ProblemKind, parse_duration};
use serde::Deserialize;
use serde_json::Value;

use super::naming::{is_rust_ident, rust_type_name};
use super::{SpecError, SpecErrors};

mod check;
use check::check;

/// The file, relative to the spec directory.
pub const POLICY_FILE: &str = "traffic_policy.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFormat {
    description: String,
    phases: Vec<PolicyPhase>,
    cloud_phases: Vec<String>,
    codes: BTreeMap<String, String>,
    #[serde(default)]
    cloud_codes: BTreeMap<String, String>,
    expressions: PolicyExpressions,
    actions: Vec<RawAction>,
    #[serde(default)]
    limits: Vec<PolicyLimit>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    rust_name: Option<String>,
    description: String,
    phases: Vec<String>,
    #[serde(default)]
    terminating: bool,
    #[serde(default)]
    terminating_unless: Option<FieldValue>,
    #[serde(default)]
    legacy: bool,
    #[serde(default)]
    config: Vec<RawField>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    description: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    default: Option<Value>,
    #[serde(default, rename = "const")]
    constant: Option<Value>,
    #[serde(default)]
    cel: bool,
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    enum_name: Option<String>,
    #[serde(default)]
    rust_name: Option<String>,
    #[serde(default)]
    fields: Vec<RawField>,
    #[serde(default)]
    min: Option<Value>,
    #[serde(default)]
    max: Option<Value>,
    #[serde(default)]
    multiple_of: Option<String>,
    #[serde(default)]
    max_len: Option<u64>,
    #[serde(default)]
    min_items: Option<u64>,
    #[serde(default)]
    max_items: Option<u64>,
    #[serde(default)]
    min_entries: Option<u64>,
    #[serde(default)]
    max_entries: Option<u64>,
    #[serde(default)]
    item_min_entries: Option<u64>,
    #[serde(default)]
    item_max_entries: Option<u64>,
    #[serde(default)]
    unique_items: bool,
    #[serde(default)]
    forbidden_values: Vec<String>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    credentials: Option<CredentialsFormat>,
}

/// Loads and checks `traffic_policy.yaml` in `dir` (the `spec/` directory).
pub fn load_policy(dir: &Path) -> Result<PolicyFormat, SpecErrors> {
    let text = std::fs::read_to_string(dir.join(POLICY_FILE))
        .map_err(|e| SpecErrors(vec![SpecError::file(POLICY_FILE, format!("cannot read it: {e}"))]))?;
    load_policy_text(&text)
}

/// Loads and checks the text of `traffic_policy.yaml`.
pub fn load_policy_text(text: &str) -> Result<PolicyFormat, SpecErrors> {
    let raw: RawFormat = serde_yaml_ng::from_str(text)
        .map_err(|e| SpecErrors(vec![SpecError::file(POLICY_FILE, format!("does not parse: {e}"))]))?;
    let mut errors = Vec::new();
    let format = build(raw, &mut errors);
    check(&format, &mut errors);
    if errors.is_empty() { Ok(format) } else { Err(SpecErrors(errors)) }
}

fn err(item: impl Into<String>, message: impl Into<String>) -> SpecError {
    SpecError::new(POLICY_FILE, item, message)
}

fn build(raw: RawFormat, errors: &mut Vec<SpecError>) -> PolicyFormat {
    let actions = raw
        .actions
        .into_iter()
        .map(|a| {
            let rust_name = a.rust_name.clone().unwrap_or_else(|| rust_type_name(&a.kind.replace('-', "_")));
            let item = format!("action {}", a.kind);
            let config = a.config.iter().map(|f| build_field(f, &rust_name, &item, errors)).collect();
            PolicyAction {
                kind: a.kind,
                rust_name,
                description: a.description,
                phases: a.phases,
                terminating: a.terminating,
                terminating_unless: a.terminating_unless,
                legacy: a.legacy,
                config,
            }
        })
        .collect();
    PolicyFormat {
        description: raw.description,
        phases: raw.phases,
        cloud_phases: raw.cloud_phases,
        codes: raw.codes,
        cloud_codes: raw.cloud_codes,
        expressions: raw.expressions,
        actions,
        limits: raw.limits,
    }
}

fn build_field(f: &RawField, parent: &str, item: &str, errors: &mut Vec<SpecError>) -> PolicyField {
    let item = format!("{item}, field {}", f.name);
    let camel = rust_type_name(&f.name);
    let ty = parse_type(&f.ty, f, parent, &camel, &item, errors);
    let duration = matches!(ty, PolicyType::Duration);
    let number = |v: &Option<Value>, key: &str, errors: &mut Vec<SpecError>| -> Option<f64> {
        match v {
            None => None,
            Some(Value::Number(n)) if !duration => n.as_f64(),
            Some(other) => {
                errors.push(err(&item, format!("`{key}: {other}` is not a number; give one (durations take their bounds as text, `60s`)")));
                None
            }
        }
    };
    let text = |v: &Option<Value>, key: &str, errors: &mut Vec<SpecError>| -> Option<String> {
        match v {
            None => None,
            Some(Value::String(s)) if duration => Some(s.clone()),
            Some(other) => {
                errors.push(err(&item, format!("`{key}: {other}` is not a duration such as 60s")));
                None
            }
        }
    };
    let (min, max, min_duration, max_duration) = if duration {
        (None, None, text(&f.min, "min", errors), text(&f.max, "max", errors))
    } else {
        (number(&f.min, "min", errors), number(&f.max, "max", errors), None, None)
    };
    PolicyField {
        name: f.name.clone(),
        description: f.description.clone(),
        ty,
        required: f.required,
        default: f.default.clone(),
        constant: f.constant.clone(),
        cel: f.cel,
        min,
        max,
        min_duration,
        max_duration,
        multiple_of: f.multiple_of.clone(),
        max_len: f.max_len,
        min_items: f.min_items,
        max_items: f.max_items,
        min_entries: f.min_entries,
        max_entries: f.max_entries,
        item_min_entries: f.item_min_entries,
        item_max_entries: f.item_max_entries,
        unique_items: f.unique_items,
        forbidden_values: f.forbidden_values.clone(),
        requires: f.requires.clone(),
        credentials: f.credentials.clone(),
    }
}

/// Resolves a type spelling; `enum` and `object` (alone or inside a list
/// or map) take the field's `values` or `fields`.
fn parse_type(spelling: &str, f: &RawField, parent: &str, camel: &str, item: &str, errors: &mut Vec<SpecError>) -> PolicyType {
    let s = spelling.trim();
    if let Some(inner) = s.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
        return PolicyType::List { item: Box::new(parse_type(inner, f, parent, camel, item, errors)) };
    }
    if let Some(inner) = s.strip_prefix("map<").and_then(|r| r.strip_suffix('>')) {
        let Some(value) = inner.strip_prefix("string,") else {
            errors.push(err(item, format!("`{s}`: maps have string keys, written map<string,T>")));
            return PolicyType::Any;
        };
        return PolicyType::Map { value: Box::new(parse_type(value, f, parent, camel, item, errors)) };
    }
    match s {
        "string" => PolicyType::String,
        "integer" => PolicyType::Integer,
        "float" => PolicyType::Float,
        "bool" => PolicyType::Bool,
        "duration" => PolicyType::Duration,
        "cel" => PolicyType::Cel,
        "any" => PolicyType::Any,
        "enum" => PolicyType::Enum {
            rust_name: f.enum_name.clone().unwrap_or_else(|| format!("{parent}{camel}")),
            values: f.values.clone(),
        },
        "object" => {
            let rust_name = f.rust_name.clone().unwrap_or_else(|| format!("{parent}{camel}"));
            let fields = f
                .fields
                .iter()
                .map(|sub| build_field(sub, &rust_name, item, errors))
                .collect();
            PolicyType::Object { rust_name, fields }
        }
        other => {
            errors.push(err(
                item,
                format!("unknown type `{other}`; the types are string, integer, float, bool, duration, cel, any, enum, object, list<T> and map<string,T>"),
            ));
            PolicyType::Any
        }
    }
}

#[cfg(test)]
mod tests;
