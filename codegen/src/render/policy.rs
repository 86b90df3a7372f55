//! What the traffic policy template sees: the phases, the actions, every
//! configuration struct and enum with their Rust types, setters and the
//! rules `validate` checks, computed from the [`PolicyFormat`].

use std::collections::BTreeSet;

use serde::Serialize;

use crate::spec::{PolicyField, PolicyFormat, PolicyType, parse_duration, rust_ident};

use super::text::doc_lines;

/// Where the SDK's policy module goes, relative to the workspace root.
pub const POLICY_MODULE: &str = "ngrok-api/src/generated/traffic_policy.rs";
/// Where the emulator's copy of the description goes.
pub const POLICY_JSON: &str = "ngrok-api-mock/src/generated/traffic_policy.json";
/// Where the checks of `${...}` text and credentials go, in the SDK and the emulator.
pub(super) const POLICY_TEXT: [&str; 2] = ["ngrok-api/src/generated/traffic_policy_text.rs", "ngrok-api-mock/src/generated/policy_text.rs"];
/// Where the reading of YAML policies goes, in the SDK and the emulator.
pub(super) const POLICY_YAML: [&str; 2] = ["ngrok-api/src/generated/traffic_policy_yaml.rs", "ngrok-api-mock/src/generated/policy_yaml.rs"];
/// Where the checks of expressions go, in the SDK and the emulator.
pub(super) const POLICY_CEL: [&str; 2] = ["ngrok-api/src/generated/traffic_policy_cel.rs", "ngrok-api-mock/src/generated/policy_cel.rs"];

/// CEL's own functions, which every expression may call besides the
/// format's macros.
const CEL_FUNCTIONS: &[&str] = &[
    "size", "matches", "startsWith", "endsWith", "contains", "int", "uint", "double", "string", "bytes", "bool",
    "timestamp", "duration", "type", "dyn", "has", "exists", "exists_one", "all", "map", "filter",
    "getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek", "getHours",
    "getMinutes", "getSeconds", "getMilliseconds",
];

/// The types whose macros are called as methods of a value.
const RECEIVERS: &[&str] = &["string", "list", "map", "bytes", "ts"];

/// What the expression template sees: the names expressions may use.
#[derive(Debug, Serialize)]
pub(super) struct ExpressionsView {
    variables: Vec<String>,
    macros: Vec<String>,
    cel_functions: &'static [&'static str],
    receivers: &'static [&'static str],
}

/// The view of the format's expressions.
pub(super) fn expressions_view(format: &PolicyFormat) -> ExpressionsView {
    ExpressionsView {
        variables: format.expressions.variables.clone(),
        macros: format.expressions.macros.clone(),
        cel_functions: CEL_FUNCTIONS,
        receivers: RECEIVERS,
    }
}

#[derive(Debug, Serialize)]
pub(super) struct PolicyView {
    doc: Vec<String>,
    phases: Vec<PhaseView>,
    cloud_phases: Vec<String>,
    phase_list: String,
    actions: Vec<ActionView>,
    structs: Vec<StructView>,
    enums: Vec<EnumView>,
    limits: Vec<LimitView>,
}

#[derive(Debug, Serialize)]
struct LimitView {
    name: String,
    actions: Vec<String>,
    max: u64,
}

#[derive(Debug, Serialize)]
struct PhaseView {
    name: String,
    doc: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ActionView {
    kind: String,
    rust_name: String,
    phases: Vec<String>,
    terminating: String,
}

#[derive(Debug, Serialize)]
struct StructView {
    name: String,
    doc: Vec<String>,
    fields: Vec<FieldView>,
    required: Vec<FieldView>,
    requires: Vec<(String, String, String, String)>,
}

#[derive(Debug, Clone, Serialize)]
struct FieldView {
    json: String,
    ident: String,
    doc: Vec<String>,
    ty: String,
    param: String,
    conv: String,
    rules: String,
}

#[derive(Debug, Serialize)]
struct EnumView {
    name: String,
    doc: Vec<String>,
    variants: Vec<(String, String)>,
}

/// The view of the whole format.
pub(super) fn policy_view(format: &PolicyFormat) -> PolicyView {
    let mut structs = Vec::new();
    let mut enums = Vec::new();
    let mut seen = BTreeSet::new();
    let mut actions = Vec::new();
    for a in &format.actions {
        let mut doc = doc_lines(&a.description);
        doc.push(String::new());
        doc.push(format!(" Type `{}`, used in {}.", a.kind, code_list(&a.phases)));
        if a.terminating {
            doc.push(" It ends the handling of the traffic: no later action or rule of the phase runs.".into());
        }
        if a.legacy {
            doc.push(" Kept for setups made before its replacement; new policies should not need it.".into());
        }
        collect(&a.rust_name, doc, &a.config, &mut structs, &mut enums, &mut seen);
        let terminating = match (&a.terminating, &a.terminating_unless) {
            (false, _) => "false".to_string(),
            (true, None) => "true".to_string(),
            (true, Some(u)) => format!("c.{}.as_ref().is_none_or(|v| v.as_str() != {:?})", rust_ident(&u.field), u.value),
        };
        actions.push(ActionView { kind: a.kind.clone(), rust_name: a.rust_name.clone(), phases: a.phases.clone(), terminating });
    }
    PolicyView {
        doc: doc_lines(&format.description),
        phases: format.phases.iter().map(|p| PhaseView { name: p.name.clone(), doc: doc_lines(&p.description) }).collect(),
        cloud_phases: format.cloud_phases.clone(),
        phase_list: format.phases.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "),
        actions,
        structs,
        enums,
        limits: format.limits.iter().map(|l| LimitView { name: l.name.clone(), actions: l.actions.clone(), max: l.max }).collect(),
    }
}

fn code_list(items: &[String]) -> String {
    items.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
}

/// Adds the struct `name` with `fields`, and every struct and enum inside
/// it, once each.
fn collect(
    name: &str,
    doc: Vec<String>,
    fields: &[PolicyField],
    structs: &mut Vec<StructView>,
    enums: &mut Vec<EnumView>,
    seen: &mut BTreeSet<String>,
) {
    if !seen.insert(name.to_string()) {
        return;
    }
    let mut views = Vec::new();
    let mut requires = Vec::new();
    for f in fields {
        let mut inner = &f.ty;
        while let PolicyType::List { item: i } | PolicyType::Map { value: i } = inner {
            inner = i;
        }
        match inner {
            PolicyType::Object { rust_name, fields: sub } => {
                collect(rust_name, doc_lines(&f.description), sub, structs, enums, seen);
            }
            PolicyType::Enum { rust_name, values } if seen.insert(rust_name.clone()) => {
                enums.push(EnumView {
                    name: rust_name.clone(),
                    doc: doc_lines(&format!("A value of `{}`: {}.", f.name, values.join(", "))),
                    variants: values.iter().map(|v| (crate::spec::variant_name(v), v.clone())).collect(),
                });
            }
            PolicyType::String | PolicyType::Integer | PolicyType::Float | PolicyType::Bool | PolicyType::Duration | PolicyType::Cel | PolicyType::Any | PolicyType::Enum { .. } | PolicyType::List { .. } | PolicyType::Map { .. } => {}
        }
        let (param, conv) = setter(&f.ty);
        let mut fdoc = doc_lines(&f.description);
        if let Some(d) = &f.default {
            fdoc.push(String::new());
            fdoc.push(format!(" When unset: `{}`.", d.as_str().map_or_else(|| d.to_string(), str::to_string)));
        }
        views.push(FieldView {
            json: f.name.clone(),
            ident: rust_ident(&f.name),
            doc: fdoc,
            ty: rust_type(&f.ty),
            param,
            conv,
            rules: rules(f),
        });
        for r in &f.requires {
            requires.push((rust_ident(&f.name), rust_ident(r), f.name.clone(), r.clone()));
        }
    }
    let required = fields.iter().zip(&views).filter(|(f, _)| f.required).map(|(_, v)| v.clone()).collect();
    structs.push(StructView { name: name.to_string(), doc, fields: views, required, requires });
}

/// The Rust type of a value of `ty`.
fn rust_type(ty: &PolicyType) -> String {
    match ty {
        PolicyType::String | PolicyType::Cel | PolicyType::Duration => "String".into(),
        PolicyType::Integer => "i64".into(),
        PolicyType::Float => "f64".into(),
        PolicyType::Bool => "bool".into(),
        PolicyType::Any => "Value".into(),
        PolicyType::Enum { rust_name, .. } | PolicyType::Object { rust_name, .. } => rust_name.clone(),
        PolicyType::List { item } => format!("Vec<{}>", rust_type(item)),
        PolicyType::Map { value } => format!("BTreeMap<String, {}>", rust_type(value)),
    }
}

fn textual(ty: &PolicyType) -> bool {
    matches!(ty, PolicyType::String | PolicyType::Cel | PolicyType::Duration)
}

/// A setter's parameter type and the expression turning `value` into the
/// field's type.
fn setter(ty: &PolicyType) -> (String, String) {
    match ty {
        t @ PolicyType::String | t @ PolicyType::Integer | t @ PolicyType::Float | t @ PolicyType::Bool | t @ PolicyType::Duration | t @ PolicyType::Cel | t @ PolicyType::Enum { .. } | t @ PolicyType::Object { .. } if textual(t) => ("impl Into<String>".into(), "value.into()".into()),
        PolicyType::Any => ("impl Into<Value>".into(), "value.into()".into()),
        PolicyType::List { item } if textual(item) => {
            ("impl IntoIterator<Item = impl Into<String>>".into(), "value.into_iter().map(Into::into).collect()".into())
        }
        PolicyType::List { item } => (format!("impl IntoIterator<Item = {}>", rust_type(item)), "value.into_iter().collect()".into()),
        PolicyType::Map { value } if textual(value) => (
            "impl IntoIterator<Item = (impl Into<String>, impl Into<String>)>".into(),
            "value.into_iter().map(|(k, v)| (k.into(), v.into())).collect()".into(),
        ),
        PolicyType::Map { value } if matches!(value.as_ref(), PolicyType::Any) => (
            "impl IntoIterator<Item = (impl Into<String>, impl Into<Value>)>".into(),
            "value.into_iter().map(|(k, v)| (k.into(), v.into())).collect()".into(),
        ),
        PolicyType::Map { value } => (
            format!("impl IntoIterator<Item = (impl Into<String>, {})>", rust_type(value)),
            "value.into_iter().map(|(k, v)| (k.into(), v)).collect()".into(),
        ),
        other @ PolicyType::String | other @ PolicyType::Integer | other @ PolicyType::Float | other @ PolicyType::Bool | other @ PolicyType::Duration | other @ PolicyType::Cel | other @ PolicyType::Enum { .. } | other @ PolicyType::Object { .. } => (rust_type(other), "value".into()),
    }
}

/// The `Rules` literal of a field.
fn rules(f: &PolicyField) -> String {
    let mut parts = Vec::new();
    let num = |v: f64| if v.fract() == 0.0 { format!("{v:.1}") } else { format!("{v}") };
    if f.required {
        parts.push("required: true".to_string());
    }
    if let Some(c) = f.constant.as_ref().and_then(|c| c.as_f64()) {
        parts.push(format!("constant: Some({})", num(c)));
    }
    if let Some(v) = f.min {
        parts.push(format!("min: Some({})", num(v)));
    }
    if let Some(v) = f.max {
        parts.push(format!("max: Some({})", num(v)));
    }
    if matches!(f.ty, PolicyType::Duration) {
        parts.push("duration: true".to_string());
    }
    for (key, v) in [("min_duration", &f.min_duration), ("max_duration", &f.max_duration), ("multiple_of", &f.multiple_of)] {
        if let Some(v) = v.as_ref().filter(|v| parse_duration(v).is_some()) {
            parts.push(format!("{key}: Some({v:?})"));
        }
    }
    for (key, v) in [
        ("max_len", f.max_len),
        ("min_items", f.min_items),
        ("max_items", f.max_items),
        ("min_entries", f.min_entries),
        ("max_entries", f.max_entries),
        ("item_min_entries", f.item_min_entries),
        ("item_max_entries", f.item_max_entries),
    ] {
        if let Some(v) = v {
            parts.push(format!("{key}: Some({v})"));
        }
    }
    if f.unique_items {
        parts.push("unique: true".to_string());
    }
    if f.cel {
        parts.push("cel: true".to_string());
    }
    if let Some(c) = &f.credentials {
        parts.push(format!("credentials: Some(({}, {}))", c.password_min_len, c.password_max_len));
    }
    if !f.forbidden_values.is_empty() {
        parts.push(format!("forbidden: &{:?}", f.forbidden_values));
    }
    if parts.is_empty() {
        "Rules::NONE".into()
    } else {
        format!("Rules {{ {}, ..Rules::NONE }}", parts.join(", "))
    }
}
