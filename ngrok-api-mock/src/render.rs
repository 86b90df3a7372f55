//! Responses are built from stored objects through the response type: only
//! the type's fields are written, missing ones get their empty value, and
//! references are written as `{id, uri}`. Views serialize straight from the
//! store, without building an intermediate JSON tree: a stored scalar is
//! copied from the object's text, and only nested values are decoded.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::store::Store;
use crate::stored::{self, Fields};

mod object;
use crate::table::{FieldType, Shape, Storage, Table};

/// What rendering needs to see.
#[derive(Clone, Copy)]
pub(crate) struct Cx<'a> {
    pub table: &'a Table,
    pub store: &'a Store,
    pub base: &'a str,
}

impl<'a> Cx<'a> {
    /// The URI of the top-level object with this ID, from its prefix.
    pub fn uri_for_id(&self, id: &str) -> Option<String> {
        let svc = self
            .store
            .find_by_id(self.table, id)
            .or_else(|| self.table.services_for_id(id).next())?;
        let s = &self.table.services[svc];
        if !matches!(s.storage, Storage::Collection) || s.item_params().len() != 1 {
            return None;
        }
        Some(self.table.item_uri(self.base, svc, &[id]))
    }

    /// A view of a stored object of service `svc` as its resource type,
    /// including nested collections (an edge's routes).
    pub fn resource(&self, svc: usize, type_name: &'a str, key: &'a str, obj: &'a Fields<'a>) -> StructView<'a> {
        StructView { cx: *self, name: type_name, obj: Src::Stored(obj), owner: Some((svc, key)) }
    }

    /// The same for an object not (or not yet) stored, such as a created
    /// one with the secrets shown only once.
    pub fn resource_value(
        &self,
        svc: usize,
        type_name: &'a str,
        key: &'a str,
        obj: &'a Map<String, Value>,
    ) -> StructView<'a> {
        StructView { cx: *self, name: type_name, obj: Src::Value(obj), owner: Some((svc, key)) }
    }

    /// A view of any value as `ty`.
    pub fn view(&self, ty: &'a FieldType, v: Option<&'a Value>) -> View<'a> {
        View { cx: *self, ty, v }
    }
}

/// A value seen through a field type.
pub(crate) struct View<'a> {
    cx: Cx<'a>,
    ty: &'a FieldType,
    v: Option<&'a Value>,
}

/// Where an object's fields are read from.
#[derive(Clone, Copy)]
enum Src<'a> {
    Value(&'a Map<String, Value>),
    Stored(&'a Fields<'a>),
}

/// One field's value, present (not `null`).
#[derive(Clone, Copy)]
enum Got<'a> {
    Value(&'a Value),
    Raw(&'a str),
}

impl<'a> Src<'a> {
    fn get(self, name: &str) -> Option<Got<'a>> {
        match self {
            Src::Value(m) => present(m.get(name)).map(Got::Value),
            Src::Stored(f) => f.text(name).filter(|r| !stored::is_null(r)).map(Got::Raw),
        }
    }
}

impl Got<'_> {
    fn is_empty(self) -> bool {
        match self {
            Got::Value(v) => crate::compute::is_empty(Some(v)),
            Got::Raw(r) => stored::is_empty(r),
        }
    }
}

/// An object seen through a struct type.
pub(crate) struct StructView<'a> {
    cx: Cx<'a>,
    name: &'a str,
    obj: Src<'a>,
    /// The service and key of the object, when it is a stored resource whose
    /// nested collections should be listed inside it.
    owner: Option<(usize, &'a str)>,
}

struct RefView<'a> {
    cx: Cx<'a>,
    v: &'a Value,
}

struct ChildList<'a> {
    cx: Cx<'a>,
    child: usize,
    type_name: &'a str,
    prefix: String,
}

fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

impl Serialize for View<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = present(self.v);
        match self.ty {
            FieldType::String => match v {
                Some(v) => v.serialize(s),
                None => s.serialize_str(""),
            },
            FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 => match v {
                Some(v) => v.serialize(s),
                None => s.serialize_i64(0),
            },
            FieldType::Float64 => match v {
                Some(v) => v.serialize(s),
                None => s.serialize_f64(0.0),
            },
            FieldType::Bool => match v {
                Some(v) => v.serialize(s),
                None => s.serialize_bool(false),
            },
            FieldType::Timestamp => match v {
                Some(v) => v.serialize(s),
                None => s.serialize_none(),
            },
            FieldType::Reference(_) => match v {
                Some(v) => RefView { cx: self.cx, v }.serialize(s),
                None => s.serialize_none(),
            },
            FieldType::Named(name) => {
                let shape = self.cx.table.ty(name).map(|t| &t.shape);
                let Some(v) = v else {
                    // An enum the server always sends is empty when unset.
                    return match shape {
                        Some(Shape::Enum { .. }) => s.serialize_str(""),
                        _ => s.serialize_none(),
                    };
                };
                match (self.cx.table.ty(name).map(|t| &t.shape), v) {
                    (Some(Shape::Struct { .. }), Value::Object(obj)) => {
                        StructView { cx: self.cx, name, obj: Src::Value(obj), owner: None }.serialize(s)
                    }
                    _ => v.serialize(s),
                }
            }
            FieldType::List(inner) => match v {
                Some(Value::Array(items)) => {
                    let mut seq = s.serialize_seq(Some(items.len()))?;
                    for item in items {
                        seq.serialize_element(&View { cx: self.cx, ty: inner, v: Some(item) })?;
                    }
                    seq.end()
                }
                Some(other) => other.serialize(s),
                None => s.serialize_seq(Some(0))?.end(),
            },
            FieldType::Map(inner) => match v {
                Some(Value::Object(m)) => {
                    let mut map = s.serialize_map(Some(m.len()))?;
                    for (k, item) in m {
                        map.serialize_entry(k, &View { cx: self.cx, ty: inner, v: Some(item) })?;
                    }
                    map.end()
                }
                Some(other) => other.serialize(s),
                None => s.serialize_map(Some(0))?.end(),
            },
        }
    }
}

impl Serialize for RefView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (id, uri) = match self.v {
            Value::String(id) => (Some(id.as_str()), None),
            Value::Object(m) => (m.get("id").and_then(Value::as_str), m.get("uri").and_then(Value::as_str)),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::Array(_) => (None, None),
        };
        let Some(id) = id else { return s.serialize_none() };
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("id", id)?;
        match uri {
            Some(u) => map.serialize_entry("uri", u)?,
            None => map.serialize_entry("uri", &self.cx.uri_for_id(id).unwrap_or_default())?,
        }
        map.end()
    }
}

impl Serialize for ChildList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let coll = &self.cx.store.colls[self.child];
        let mut seq = s.serialize_seq(None)?;
        for key in coll.order.values() {
            if !key.starts_with(&self.prefix) {
                continue;
            }
            if let Some(obj) = coll.objects.get(key) {
                let fields = obj.fields();
                seq.serialize_element(&self.cx.resource(self.child, self.type_name, key, &fields))?;
            }
        }
        seq.end()
    }
}

/// An object's answer: a view written as JSON, stored scalars copied
/// from the store's text.
pub(crate) fn object_bytes(v: &StructView<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    v.to_json(&mut out);
    out
}

/// Serializes a view to bytes; views hold only JSON values, so this cannot
/// fail in practice, and an empty object is answered if it ever does.
pub(crate) fn to_bytes<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_else(|_| b"{}".to_vec())
}
