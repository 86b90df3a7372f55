//! `cargo xtask spec diff`: what ngrok's published OpenAPI file (and the
//! supplement of facts it lacks) has that `spec/` does not. This is the
//! maintainer's check after ngrok changes its API.

use std::collections::BTreeSet;

use serde_yaml_ng::Value;

use crate::spec::{Api, Shape};

/// Everything upstream that the description lacks.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Missing {
    /// `METHOD /path` of operations with no counterpart.
    pub operations: Vec<String>,
    /// Schema names with no type of that name.
    pub schemas: Vec<String>,
    /// `Schema.field` pairs whose type exists but lacks the field.
    pub fields: Vec<String>,
    /// List paths the supplement says take `filter` but the spec's list does not.
    pub filters: Vec<String>,
}

impl Missing {
    /// True when nothing is missing.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && self.schemas.is_empty() && self.fields.is_empty() && self.filters.is_empty()
    }

    /// A report, one line per missing item.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for (what, items) in [
            ("operation", &self.operations),
            ("schema", &self.schemas),
            ("field", &self.fields),
            ("filter parameter on list", &self.filters),
        ] {
            for i in items {
                out.push_str(&format!("missing {what}: {i}\n"));
            }
        }
        out
    }
}

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

/// Compares `api` with an OpenAPI document and an optional supplement (both
/// YAML text).
pub fn diff(api: &Api, openapi: &str, supplement: Option<&str>) -> Result<Missing, String> {
    let doc: Value = serde_yaml_ng::from_str(openapi).map_err(|e| format!("the OpenAPI file is not YAML: {e}"))?;
    let mut upstream_ops: BTreeSet<(String, String)> = BTreeSet::new();
    let mut upstream_fields: Vec<(String, Vec<String>)> = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_mapping) {
        for (path, item) in paths {
            let Some(path) = path.as_str() else { continue };
            let Some(item) = item.as_mapping() else { continue };
            for (method, _) in item {
                if let Some(m) = method.as_str().filter(|m| METHODS.contains(m)) {
                    upstream_ops.insert((m.to_ascii_uppercase(), path.to_string()));
                }
            }
        }
    } else {
        return Err("the OpenAPI file has no `paths`".into());
    }
    collect_schemas(doc.get("components").and_then(|c| c.get("schemas")), &mut upstream_fields);
    let mut filterable = Vec::new();
    if let Some(sup) = supplement {
        let sdoc: Value = serde_yaml_ng::from_str(sup).map_err(|e| format!("the supplement is not YAML: {e}"))?;
        if let Some(paths) = sdoc.get("operations").and_then(Value::as_mapping) {
            for (path, item) in paths {
                let (Some(path), Some(item)) = (path.as_str(), item.as_mapping()) else { continue };
                for (method, _) in item {
                    if let Some(m) = method.as_str().filter(|m| METHODS.contains(m)) {
                        upstream_ops.insert((m.to_ascii_uppercase(), path.to_string()));
                    }
                }
            }
        }
        collect_schemas(sdoc.get("schemas"), &mut upstream_fields);
        if let Some(added) = sdoc.get("added_fields").and_then(Value::as_mapping) {
            for (schema, fields) in added {
                let (Some(schema), Some(fields)) = (schema.as_str(), fields.as_mapping()) else { continue };
                let names = fields.keys().filter_map(|k| k.as_str().map(String::from)).collect();
                upstream_fields.push((schema.to_string(), names));
            }
        }
        if let Some(list) = sdoc.get("filterable_lists").and_then(Value::as_sequence) {
            filterable.extend(list.iter().filter_map(|v| v.as_str().map(String::from)));
        }
    }

    let ours: BTreeSet<(String, String)> = api
        .services
        .iter()
        .flat_map(|s| s.operations.iter().map(|o| (o.method.clone(), o.path.clone())))
        .collect();
    let mut missing = Missing::default();
    for (m, p) in &upstream_ops {
        if !ours.contains(&(m.clone(), p.clone())) {
            missing.operations.push(format!("{m} {p}"));
        }
    }
    let mut seen_schemas = BTreeSet::new();
    for (schema, fields) in &upstream_fields {
        match api.type_def(schema) {
            None => {
                if seen_schemas.insert(schema.clone()) {
                    missing.schemas.push(schema.clone());
                }
            }
            Some(t) => {
                let have: BTreeSet<&str> = match &t.shape {
                    Shape::Struct { fields } => fields.iter().map(|f| f.name.as_str()).collect(),
                    Shape::Enum { .. } => BTreeSet::new(),
                };
                for f in fields {
                    if !have.contains(f.as_str()) {
                        missing.fields.push(format!("{schema}.{f}"));
                    }
                }
            }
        }
    }
    for path in filterable {
        let has = api
            .services
            .iter()
            .flat_map(|s| s.operations.iter())
            .any(|o| o.method == "GET" && o.path == path && o.paging.is_some_and(|p| p.filter));
        if !has {
            missing.filters.push(path);
        }
    }
    missing.fields.sort();
    missing.fields.dedup();
    Ok(missing)
}

fn collect_schemas(schemas: Option<&Value>, out: &mut Vec<(String, Vec<String>)>) {
    let Some(schemas) = schemas.and_then(Value::as_mapping) else { return };
    for (name, schema) in schemas {
        let Some(name) = name.as_str() else { continue };
        let fields = schema
            .get("properties")
            .and_then(Value::as_mapping)
            .map(|p| p.keys().filter_map(|k| k.as_str().map(String::from)).collect())
            .unwrap_or_default();
        out.push((name.to_string(), fields));
    }
}
