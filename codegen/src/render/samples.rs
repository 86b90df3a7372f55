//! Samples for the round-trip test: one JSON value per type with every field
//! set, so decoding and encoding it again must give the same value back.

use serde::Serialize;

use crate::spec::{Api, FieldType, Shape};

/// The types of one service (or the shared ones), as the test groups them.
#[derive(Serialize)]
pub(super) struct RoundtripGroup {
    name: String,
    structs: Vec<(String, String)>,
    enums: Vec<(String, Vec<String>)>,
}

/// Every type's sample (structs) or values (enums), grouped by owner.
pub(super) fn roundtrip_groups(api: &Api) -> Vec<RoundtripGroup> {
    let mut groups: Vec<RoundtripGroup> = Vec::new();
    for t in &api.types {
        let name = t.owner.clone().unwrap_or_else(|| "shared".into()).replace('.', "_");
        if !groups.iter().any(|g| g.name == name) {
            groups.push(RoundtripGroup { name: name.clone(), structs: Vec::new(), enums: Vec::new() });
        }
        let Some(group) = groups.iter_mut().find(|g| g.name == name) else { continue };
        match &t.shape {
            Shape::Struct { .. } => {
                let sample = sample_of(api, &FieldType::Named(t.name.clone()), 0);
                group.structs.push((t.rust_name.clone(), sample.to_string()));
            }
            Shape::Enum { values } => {
                group.enums.push((t.rust_name.clone(), values.iter().map(|v| v.value.clone()).collect()));
            }
        }
    }
    groups
}

/// A JSON value of type `name` (a struct or enum of the description) with
/// every field set: what the round-trip test decodes, and what tests that
/// take a response apart start from.
pub fn sample(api: &Api, name: &str) -> serde_json::Value {
    sample_of(api, &FieldType::Named(name.to_string()), 0)
}

/// A JSON value of `ty` with every field set, nested at most eight deep.
fn sample_of(api: &Api, ty: &FieldType, depth: usize) -> serde_json::Value {
    use serde_json::{Value, json};
    match ty {
        FieldType::String => json!("sample"),
        FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 => json!(7),
        FieldType::Float64 => json!(1.5),
        FieldType::Bool => json!(true),
        FieldType::Timestamp => json!("2025-09-04T10:11:35Z"),
        FieldType::List(inner) => Value::Array(vec![sample_of(api, inner, depth + 1)]),
        FieldType::Map(inner) => json!({ "key": sample_of(api, inner, depth + 1) }),
        FieldType::Named(n) | FieldType::Reference(n) => match api.type_def(n).map(|t| &t.shape) {
            Some(Shape::Enum { values }) => json!(values.first().map(|v| v.value.clone()).unwrap_or_default()),
            Some(Shape::Struct { fields }) if depth < 8 => Value::Object(
                fields
                    .iter()
                    .filter(|f| !f.hidden)
                    .map(|f| {
                        let v = match (f.name.as_str(), &f.ty) {
                            // Allowed-value integers use an allowed value.
                            (_, FieldType::Int32 | FieldType::Int64) if !f.allowed.is_empty() => json!(f.allowed[0]),
                            _ => sample_of(api, &f.ty, depth + 1),
                        };
                        (f.name.clone(), v)
                    })
                    .collect(),
            ),
            _ => json!({}),
        },
    }
}
