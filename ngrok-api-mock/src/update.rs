//! How an update lands on a stored object.

use serde_json::{Map, Value};

use ngrok_api_model::Computed;

use crate::table::Table;

/// Puts the fields of an update into the stored object: a nested object
/// (of a struct type) member by member, so a change to one member keeps the
/// others; anything else (a map, a list, a value) whole.
///
/// A value the server issued from another field (a certificate from its
/// signing request) is dropped when the update changes that field, so it is
/// issued again from the new value.
pub(crate) fn merge(table: &Table, type_name: Option<&str>, into: &mut Map<String, Value>, from: Map<String, Value>) {
    for f in type_name.map(|t| table.fields(t)).unwrap_or_default() {
        if let Some(Computed::Assigned { from: Some(source), .. }) = &f.computed
            && from.get(source).is_some_and(|new| into.get(source) != Some(new))
        {
            into.remove(&f.name);
        }
    }
    for (k, v) in from {
        let nested = type_name.and_then(|t| table.fields(t).iter().find(|f| f.name == k)).and_then(|f| match &f.ty {
            crate::table::FieldType::Named(n) | crate::table::FieldType::Reference(n) if table.is_object_type(&f.ty) => Some(n.as_str()),
            crate::table::FieldType::String | crate::table::FieldType::Int32 | crate::table::FieldType::Int64 | crate::table::FieldType::Uint32 | crate::table::FieldType::Uint64 | crate::table::FieldType::Float64 | crate::table::FieldType::Bool | crate::table::FieldType::Timestamp | crate::table::FieldType::Named(_) | crate::table::FieldType::Reference(_) | crate::table::FieldType::List(_) | crate::table::FieldType::Map(_) => None,
        });
        match (nested, into.get_mut(&k), v) {
            (Some(n), Some(Value::Object(old)), Value::Object(new)) => merge(table, Some(n), old, new),
            (_, _, v) => {
                into.insert(k, v);
            }
        }
    }
}
