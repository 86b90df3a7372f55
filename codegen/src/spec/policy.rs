//! The traffic policy format: `spec/traffic_policy.yaml`, parsed, resolved
//! into the model's [`PolicyFormat`] and checked, every problem reported
//! with the action and field it is about. `spec/README.md` documents every
//! key.

use std::collections::BTreeMap;
use std::path::Path;

use ngrok_api_model::{FieldValue, PolicyAction, PolicyExpressions, PolicyField, PolicyFormat, PolicyPhase, PolicyType, ProblemKind, parse_duration};
use serde::Deserialize;
use serde_json::Value;

use super::naming::{is_rust_ident, rust_type_name};
use super::{SpecError, SpecErrors};

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

/// Every rule of the format, each adding what it finds.
fn check(format: &PolicyFormat, errors: &mut Vec<SpecError>) {
    if format.description.trim().is_empty() {
        errors.push(err("description", "the format needs a description"));
    }
    for p in &format.phases {
        if p.description.trim().is_empty() {
            errors.push(err(format!("phase {}", p.name), "needs a description"));
        }
    }
    for p in &format.cloud_phases {
        if !format.is_phase(p) {
            errors.push(err("cloud_phases", format!("`{p}` is not one of the phases")));
        }
    }
    for kind in ProblemKind::ALL {
        match format.codes.get(kind.key()) {
            None => errors.push(err("codes", format!("no code for `{}`; every kind of problem needs the code the API answers with", kind.key()))),
            Some(code) if !code.starts_with("ERR_NGROK_") => {
                errors.push(err("codes", format!("`{code}` is not an ngrok error code (ERR_NGROK_<number>)")))
            }
            Some(_) => {}
        }
    }
    for (key, code) in &format.cloud_codes {
        if !ProblemKind::ALL.iter().any(|k| k.key() == key) || !code.starts_with("ERR_NGROK_") {
            errors.push(err("cloud_codes", format!("`{key}: {code}` needs a kind of problem and an ngrok error code")));
        }
    }
    for key in format.codes.keys() {
        if !ProblemKind::ALL.iter().any(|k| k.key() == key) {
            errors.push(err("codes", format!("`{key}` is not a kind of problem")));
        }
    }
    let mut seen = BTreeMap::new();
    let mut named: BTreeMap<String, (String, PolicyType)> = BTreeMap::new();
    for a in &format.actions {
        let item = format!("action {}", a.kind);
        if seen.insert(a.kind.clone(), ()).is_some() {
            errors.push(err(&item, "listed twice"));
        }
        if !is_rust_ident(&a.rust_name) {
            errors.push(err(&item, format!("rust name `{}` is not a Rust identifier", a.rust_name)));
        }
        if a.description.trim().is_empty() {
            errors.push(err(&item, "needs a description"));
        }
        if a.phases.is_empty() {
            errors.push(err(&item, "needs the phases it may be used in"));
        }
        for p in &a.phases {
            if !format.is_phase(p) {
                errors.push(err(&item, format!("phase `{p}` is not one of the phases")));
            }
        }
        if let Some(u) = &a.terminating_unless {
            let fits = a.config.iter().any(|f| f.name == u.field && matches!(&f.ty, PolicyType::Enum { values, .. } if values.contains(&u.value)));
            if !a.terminating || !fits {
                errors.push(err(&item, "terminating_unless needs a terminating action and one of the values of one of its enum fields"));
            }
        }
        let anchor = PolicyType::Object { rust_name: a.rust_name.clone(), fields: a.config.clone() };
        note_name(&a.rust_name, &anchor, &item, &mut named, errors);
        check_fields(&a.config, &item, &mut named, errors);
    }
}

/// Two types may share a Rust name only when they are the same type.
fn note_name(name: &str, ty: &PolicyType, item: &str, named: &mut BTreeMap<String, (String, PolicyType)>, errors: &mut Vec<SpecError>) {
    match named.get(name) {
        Some((first, other)) if other != ty => errors.push(err(
            item,
            format!("Rust name `{name}` is already used by {first} for another type; give this one a name of its own"),
        )),
        Some(_) => {}
        None => {
            named.insert(name.to_string(), (item.to_string(), ty.clone()));
        }
    }
}

fn check_fields(fields: &[PolicyField], item: &str, named: &mut BTreeMap<String, (String, PolicyType)>, errors: &mut Vec<SpecError>) {
    let mut seen = BTreeMap::new();
    for f in fields {
        let item = format!("{item}, field {}", f.name);
        if seen.insert(f.name.clone(), ()).is_some() {
            errors.push(err(&item, "listed twice"));
        }
        if !super::naming::is_field_name(&f.name) {
            errors.push(err(&item, "field names are snake_case words"));
        }
        if f.description.trim().is_empty() {
            errors.push(err(&item, "needs a description"));
        }
        for r in &f.requires {
            if r == &f.name || !fields.iter().any(|o| &o.name == r) {
                errors.push(err(&item, format!("requires `{r}`, which is not another field of the same object")));
            }
        }
        check_limits(f, &item, errors);
        let mut ty = &f.ty;
        loop {
            match ty {
                PolicyType::List { item } => ty = item,
                PolicyType::Map { value } => ty = value,
                _ => break,
            }
        }
        match ty {
            PolicyType::Enum { rust_name, values } => {
                if values.is_empty() {
                    errors.push(err(&item, "an enum needs its values"));
                }
                if !is_rust_ident(rust_name) {
                    errors.push(err(&item, format!("enum name `{rust_name}` is not a Rust identifier")));
                }
                note_name(rust_name, ty, &item, named, errors);
            }
            PolicyType::Object { rust_name, fields } => {
                if fields.is_empty() {
                    errors.push(err(&item, "an object needs its fields (use `any` for free-form values)"));
                }
                if !is_rust_ident(rust_name) {
                    errors.push(err(&item, format!("rust name `{rust_name}` is not a Rust identifier")));
                }
                note_name(rust_name, ty, &item, named, errors);
                check_fields(fields, &item, named, errors);
            }
            _ => {}
        }
    }
}

/// Each limit only on a type it applies to, durations that parse, and a
/// default or constant of the field's type.
fn check_limits(f: &PolicyField, item: &str, errors: &mut Vec<SpecError>) {
    let numbers = |t: &PolicyType| matches!(t, PolicyType::Integer | PolicyType::Float);
    let scalar_or_items = match &f.ty {
        PolicyType::List { item } => item.as_ref(),
        other => other,
    };
    let mut bad = |key: &str, why: &str| errors.push(err(item, format!("`{key}` {why} (the field is {})", f.ty.spelling())));
    if (f.min.is_some() || f.max.is_some()) && !numbers(scalar_or_items) {
        bad("min/max", "applies to numbers and lists of numbers");
    }
    let is_duration = matches!(f.ty, PolicyType::Duration);
    for (key, v) in [("min", &f.min_duration), ("max", &f.max_duration), ("multiple_of", &f.multiple_of)] {
        if let Some(v) = v {
            if !is_duration {
                bad(key, "as a duration applies to durations");
            } else if parse_duration(v).is_none() {
                bad(key, "is not a duration such as 60s");
            }
        }
    }
    if f.max_len.is_some() && !matches!(f.ty, PolicyType::String | PolicyType::Cel) {
        bad("max_len", "applies to strings");
    }
    let is_list = matches!(f.ty, PolicyType::List { .. });
    if (f.min_items.is_some() || f.max_items.is_some() || f.unique_items) && !is_list {
        bad("min_items/max_items/unique_items", "apply to lists");
    }
    if (f.min_entries.is_some() || f.max_entries.is_some()) && !matches!(f.ty, PolicyType::Map { .. }) {
        bad("min_entries/max_entries", "apply to maps");
    }
    if (f.item_min_entries.is_some() || f.item_max_entries.is_some())
        && !matches!(&f.ty, PolicyType::List { item } if matches!(item.as_ref(), PolicyType::Map { .. }))
    {
        bad("item_min_entries/item_max_entries", "apply to lists of maps");
    }
    if !f.forbidden_values.is_empty() && !matches!(scalar_or_items, PolicyType::String) {
        bad("forbidden_values", "applies to strings and lists of strings");
    }
    for (key, v) in [("default", &f.default), ("const", &f.constant)] {
        if let Some(v) = v
            && !fits(&f.ty, v) {
                bad(key, &format!("`{v}` is not a value of the field's type"));
            }
    }
}

/// Whether a JSON value is one of type `ty`.
fn fits(ty: &PolicyType, v: &Value) -> bool {
    match (ty, v) {
        (PolicyType::String | PolicyType::Cel, Value::String(_)) => true,
        (PolicyType::Duration, Value::String(s)) => parse_duration(s).is_some(),
        (PolicyType::Integer, Value::Number(n)) => n.is_i64(),
        (PolicyType::Float, Value::Number(_)) => true,
        (PolicyType::Bool, Value::Bool(_)) => true,
        (PolicyType::Any, _) => true,
        (PolicyType::Enum { values, .. }, Value::String(s)) => values.contains(s),
        (PolicyType::List { item }, Value::Array(a)) => a.iter().all(|x| fits(item, x)),
        (PolicyType::Map { value }, Value::Object(m)) => m.values().all(|x| fits(value, x)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "description: d\nphases:\n- {name: on_http_request, description: d}\ncloud_phases: [on_http_request]\ncodes: {parse: ERR_NGROK_1, unknown_phase: ERR_NGROK_1, config_shape: ERR_NGROK_1, unknown_action: ERR_NGROK_1, wrong_phase: ERR_NGROK_1, no_actions: ERR_NGROK_1, invalid_value: ERR_NGROK_1, not_terminating: ERR_NGROK_1, expression: ERR_NGROK_1}\nexpressions: {variables: [], macros: []}\n";

    fn load(actions: &str) -> Result<PolicyFormat, SpecErrors> {
        load_policy_text(&format!("{BASE}actions:\n{actions}"))
    }

    #[test]
    fn a_good_action_loads() {
        let f = load("- type: rate-limit\n  description: d\n  phases: [on_http_request]\n  config:\n  - {name: rate, type: duration, description: d, min: 60s, multiple_of: 10s}\n").unwrap();
        assert_eq!(f.actions[0].rust_name, "RateLimit");
        assert_eq!(f.actions[0].config[0].min_duration.as_deref(), Some("60s"));
    }

    #[test]
    fn each_rule_reports_its_item() {
        let cases = [
            ("- {type: a, description: d, phases: [on_nothing]}\n", "phase `on_nothing`"),
            ("- {type: a, description: d, phases: [on_http_request], config: [{name: x, type: string, description: d, min: 1}]}\n", "applies to numbers"),
            ("- {type: a, description: d, phases: [on_http_request], config: [{name: x, type: duration, description: d, max: ten}]}\n", "not a duration"),
            ("- {type: a, description: d, phases: [on_http_request], config: [{name: x, type: enum, description: d, values: [b], default: c}]}\n", "not a value"),
            ("- {type: a, description: d, phases: [on_http_request], config: [{name: x, type: wat, description: d}]}\n", "unknown type"),
            ("- {type: a, description: d, phases: [on_http_request], config: [{name: x, type: string, description: d, requires: [y]}]}\n", "requires `y`"),
            ("- {type: a, description: d, phases: [on_http_request], config: [{name: x, type: enum, enum_name: E, description: d, values: [b]}, {name: y, type: enum, enum_name: E, description: d, values: [c]}]}\n", "already used"),
        ];
        for (actions, expected) in cases {
            let e = load(actions).expect_err(expected).to_string();
            assert!(e.contains(expected), "{expected}: {e}");
            assert!(e.contains("action a"), "{e}");
        }
    }
}
