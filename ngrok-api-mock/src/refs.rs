//! References: the ID fields of a request checked against the objects
//! they name, and shown as `{id, uri}` where the spec says.

use serde_json::{Map, Value};

use crate::error::{ApiError, codes};
use crate::render::Cx;
use crate::table::{FieldType, Shape, Storage};

/// Adds references for the ID fields of `obj` (of struct type `type_name`),
/// recursing into nested objects. A field with `refers_to` (an ID, a list
/// of IDs or a map keyed by IDs) must name existing objects of that
/// service (or group of services) unless `lenient`; its `shown_as` field
/// gets the reference(s).
pub(crate) fn link(cx: &Cx<'_>, type_name: &str, obj: &mut Map<String, Value>, lenient: bool) -> Result<(), ApiError> {
    let table = cx.table;
    for f in table.fields(type_name) {
        let Some(v) = obj.get_mut(&f.name) else { continue };
        match &f.ty {
            FieldType::Named(n) | FieldType::Reference(n) => {
                if let Value::Object(inner) = v
                    && matches!(table.ty(n).map(|t| &t.shape), Some(Shape::Struct { .. }))
                {
                    link(cx, n, inner, lenient)?;
                }
                continue;
            }
            FieldType::List(inner) => {
                if let (FieldType::Named(n) | FieldType::Reference(n), Value::Array(items)) = (inner.as_ref(), &mut *v) {
                    for item in items.iter_mut() {
                        if let Value::Object(o) = item {
                            link(cx, n, o, lenient)?;
                        }
                    }
                    continue;
                }
            }
            FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::Map(_) => {}
        }
        let Some(service) = &f.refers_to else { continue };
        let ids: Vec<String> = match &*v {
            Value::String(s) if !s.is_empty() => vec![s.clone()],
            Value::Array(a) => a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
            // A map keyed by IDs (a weighted backend's weights).
            Value::Object(m) if matches!(f.ty, FieldType::Map(_)) => m.keys().cloned().collect(),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) | Value::Object(_) => continue,
        };
        let many = v.is_array();
        let candidates = table.referred(service);
        let mut refs = Vec::with_capacity(ids.len());
        for id in &ids {
            let found = candidates
                .iter()
                .copied()
                .find(|&svc| matches!(table.services[svc].storage, Storage::Collection) && cx.store.exists(svc, id));
            let svc = match found {
                Some(svc) => svc,
                None if lenient => {
                    match table.services_for_id(id).find(|s| candidates.contains(s)).or(candidates.first().copied()) {
                        Some(svc) => svc,
                        None => continue,
                    }
                }
                None => {
                    let detail = format!("the field `{}` names `{id}`, but no {service} object has that ID", f.name);
                    return Err(match f.missing_code {
                        // ngrok's message for it has one placeholder: the ID.
                        Some(code) => ApiError::refusal(code, &[("*", id)]),
                        None => ApiError::new(404, codes::BAD_REFERENCE, detail),
                    });
                }
            };
            let uri = table.item_uri(cx.base, svc, &[id]);
            refs.push(serde_json::json!({ "id": id, "uri": uri }));
        }
        let Some(target_field) = &f.shown_as else { continue };
        if many {
            obj.insert(target_field.clone(), Value::Array(refs));
        } else if let Some(r) = refs.pop() {
            obj.insert(target_field.clone(), r);
        }
    }
    Ok(())
}

