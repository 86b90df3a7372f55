//! How an update lands on a stored object.

use serde_json::{Map, Value};

use crate::table::Table;

/// Puts the fields of an update into the stored object: a nested object
/// (of a struct type) member by member, so a change to one member keeps the
/// others; anything else (a map, a list, a value) whole.
pub(crate) fn merge(table: &Table, type_name: Option<&str>, into: &mut Map<String, Value>, from: Map<String, Value>) {
    for (k, v) in from {
        let nested = type_name.and_then(|t| table.fields(t).iter().find(|f| f.name == k)).and_then(|f| match &f.ty {
            crate::table::FieldType::Named(n) if table.is_object_type(&f.ty) => Some(n.as_str()),
            _ => None,
        });
        match (nested, into.get_mut(&k), v) {
            (Some(n), Some(Value::Object(old)), Value::Object(new)) => merge(table, Some(n), old, new),
            (_, _, v) => {
                into.insert(k, v);
            }
        }
    }
}
