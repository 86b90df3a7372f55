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

/// What the upstream files describe.
#[derive(Default)]
struct Upstream {
    /// `(METHOD, /path)` of every operation.
    operations: BTreeSet<(String, String)>,
    /// Each schema with its field names.
    fields: Vec<(String, Vec<String>)>,
    /// List paths that take `filter`.
    filterable: Vec<String>,
}

/// Compares `api` with an OpenAPI document and an optional supplement (both
/// YAML text).
pub fn diff(api: &Api, openapi: &str, supplement: Option<&str>) -> Result<Missing, String> {
    let doc: Value = serde_yaml_ng::from_str(openapi).map_err(|e| format!("the OpenAPI file is not YAML: {e}"))?;
    let mut upstream = Upstream::default();
    let paths = doc.get("paths").and_then(Value::as_mapping).ok_or("the OpenAPI file has no `paths`")?;
    collect_operations(paths, &mut upstream.operations);
    collect_schemas(doc.get("components").and_then(|c| c.get("schemas")), &mut upstream.fields);
    if let Some(sup) = supplement {
        let sdoc: Value = serde_yaml_ng::from_str(sup).map_err(|e| format!("the supplement is not YAML: {e}"))?;
        read_supplement(&sdoc, &mut upstream);
    }
    let mut missing = Missing::default();
    missing_operations(api, &upstream, &mut missing);
    missing_schemas(api, &upstream, &mut missing);
    for path in upstream.filterable {
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

/// The supplement's operations, schemas, added fields and filterable lists.
fn read_supplement(sdoc: &Value, upstream: &mut Upstream) {
    if let Some(paths) = sdoc.get("operations").and_then(Value::as_mapping) {
        collect_operations(paths, &mut upstream.operations);
    }
    collect_schemas(sdoc.get("schemas"), &mut upstream.fields);
    if let Some(added) = sdoc.get("added_fields").and_then(Value::as_mapping) {
        for (schema, fields) in added {
            let (Some(schema), Some(fields)) = (schema.as_str(), fields.as_mapping()) else { continue };
            let names = fields.keys().filter_map(|k| k.as_str().map(String::from)).collect();
            upstream.fields.push((schema.to_string(), names));
        }
    }
    if let Some(list) = sdoc.get("filterable_lists").and_then(Value::as_sequence) {
        upstream.filterable.extend(list.iter().filter_map(|v| v.as_str().map(String::from)));
    }
}

/// Every `(METHOD, /path)` of a mapping of paths to methods.
fn collect_operations(paths: &serde_yaml_ng::Mapping, out: &mut BTreeSet<(String, String)>) {
    for (path, item) in paths {
        let (Some(path), Some(item)) = (path.as_str(), item.as_mapping()) else { continue };
        for (method, _) in item {
            if let Some(m) = method.as_str().filter(|m| METHODS.contains(m)) {
                out.insert((m.to_ascii_uppercase(), path.to_string()));
            }
        }
    }
}

fn missing_operations(api: &Api, upstream: &Upstream, missing: &mut Missing) {
    let ours: BTreeSet<(&str, &str)> = api
        .services
        .iter()
        .flat_map(|s| s.operations.iter().map(|o| (o.method.as_str(), o.path.as_str())))
        .collect();
    for (m, p) in &upstream.operations {
        if !ours.contains(&(m.as_str(), p.as_str())) {
            missing.operations.push(format!("{m} {p}"));
        }
    }
}

fn missing_schemas(api: &Api, upstream: &Upstream, missing: &mut Missing) {
    let mut seen_schemas = BTreeSet::new();
    for (schema, fields) in &upstream.fields {
        let Some(t) = api.type_def(schema) else {
            if seen_schemas.insert(schema.clone()) {
                missing.schemas.push(schema.clone());
            }
            continue;
        };
        let have: BTreeSet<&str> = match &t.shape {
            Shape::Struct { fields } => fields.iter().map(|f| f.name.as_str()).collect(),
            Shape::Enum { .. } => BTreeSet::new(),
        };
        for f in fields.iter().filter(|f| !have.contains(f.as_str())) {
            missing.fields.push(format!("{schema}.{f}"));
        }
    }
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

/// Where the description's error codes differ from ngrok's catalog (YAML
/// text: a list of entries with `code: ERR_NGROK_N`, `message` and, where
/// documented, `status`): codes the catalog lacks, and messages or statuses
/// that are not ngrok's.
pub fn diff_error_codes(api: &Api, catalog: &str) -> Result<Vec<String>, String> {
    let doc: Value = serde_yaml_ng::from_str(catalog).map_err(|e| format!("the error catalog is not YAML: {e}"))?;
    let entries = doc.as_sequence().ok_or("the error catalog is not a list")?;
    let find = |wire: &str| entries.iter().find(|e| e.get("code").and_then(Value::as_str) == Some(wire));
    let mut out = Vec::new();
    for c in &api.error_codes {
        let wire = c.wire();
        let Some(entry) = find(&wire) else {
            out.push(format!("{wire} ({}): not in ngrok's catalog", c.rust_name));
            continue;
        };
        if entry.get("message").and_then(Value::as_str) != Some(c.message.as_str()) {
            out.push(format!("{wire} ({}): the message is not ngrok's", c.rust_name));
        }
        let status = entry.get("status").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok());
        if status.is_some() && status != c.status {
            out.push(format!("{wire} ({}): ngrok documents status {status:?}, the description says {:?}", c.rust_name, c.status));
        }
    }
    Ok(out)
}
