//! An object written as a struct type: which fields are written and how,
//! decided once per field, then carried out either through serde (for any
//! serializer) or, when every value is a stored scalar, by copying the
//! stored text straight into the answer.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::{ChildList, Cx, Got, StructView, View};
use crate::stored;
use crate::table::{Field, FieldType, Shape};

/// What is written for one field.
enum Out<'a> {
    Null,
    /// A stored scalar, written as its stored text.
    Text(&'a str),
    /// A stored value that is not a scalar: decoded, then written as the
    /// field's type.
    Decoded(&'a str),
    Value(Option<&'a Value>),
    Child(ChildList<'a>),
}

impl<'a> StructView<'a> {
    /// Calls `each` with every field to write, in the type's order.
    fn fields<E>(&self, mut each: impl FnMut(&'a Field, Out<'a>) -> Result<(), E>) -> Result<(), E> {
        let table = self.cx.table;
        for f in table.fields(self.name).iter().filter(|f| !f.hidden) {
            if let (Some((svc, key)), FieldType::List(inner)) = (self.owner, &f.ty)
                && let FieldType::Named(item) = inner.as_ref()
                && let Some(&child) = table.services[svc]
                    .children
                    .iter()
                    .find(|&&c| table.services[c].resource_type.as_deref() == Some(item.as_str()))
            {
                each(f, Out::Child(ChildList { cx: self.cx, child, type_name: item, prefix: format!("{key}/") }))?;
                continue;
            }
            let v = self.obj.get(&f.name);
            // An object left out when unset is sent once set, even as `{}`:
            // its fields then show their values (a TLS setting given as `{}`
            // comes back as `{"enabled": false}`). A reference without an ID
            // is no reference, so it stays empty.
            let object = table.is_object_type(&f.ty);
            let is_ref = f.ty.is_reference();
            let empty = if object && !is_ref { v.is_none() } else { v.is_none_or(Got::is_empty) };
            if f.omit_empty && empty {
                continue;
            }
            if (f.null_when_empty && empty) || (v.is_none() && f.nullable) {
                each(f, Out::Null)?;
                continue;
            }
            // An object the request never set cannot be sent; the server
            // leaves such a key out rather than sending null.
            if v.is_none() && object {
                continue;
            }
            each(f, match v {
                Some(Got::Raw(text)) if self.cx.is_scalar(&f.ty) => Out::Text(text),
                Some(Got::Raw(text)) => Out::Decoded(text),
                Some(Got::Value(v)) => Out::Value(Some(v)),
                None => Out::Value(None),
            })?;
        }
        Ok(())
    }

    /// The object as JSON text. Stored scalars are copied as they are
    /// stored (which is how serde_json writes them); anything else sends
    /// the whole object through serde.
    pub fn to_json(&self, out: &mut Vec<u8>) {
        let start = out.len();
        out.push(b'{');
        let mut first = true;
        let quick = self.fields(|f, o| {
            let text = match o {
                Out::Text(text) => text,
                Out::Null => "null",
                Out::Decoded(_) | Out::Value(_) | Out::Child(_) => return Err(()),
            };
            if !first {
                out.push(b',');
            }
            first = false;
            write_name(out, &f.name);
            out.extend_from_slice(text.as_bytes());
            Ok(())
        });
        if quick.is_ok() {
            out.push(b'}');
            return;
        }
        out.truncate(start);
        if serde_json::to_writer(&mut *out, self).is_err() {
            out.truncate(start);
            out.extend_from_slice(b"{}");
        }
    }
}

/// Writes `"name":`. Names come from the description and are plain words;
/// one that needs escapes goes through serde_json.
fn write_name(out: &mut Vec<u8>, name: &str) {
    if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        out.push(b'"');
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\":");
    } else {
        let _ = serde_json::to_writer(&mut *out, name);
        out.push(b':');
    }
}

impl Serialize for StructView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        self.fields(|f, o| match o {
            Out::Null => map.serialize_entry(&f.name, &()),
            Out::Text(text) => match stored::text_str(text) {
                Some(string) => map.serialize_entry(&f.name, &string),
                None => map.serialize_entry(&f.name, &stored::decode(text)),
            },
            Out::Decoded(text) => {
                let v = stored::decode(text);
                map.serialize_entry(&f.name, &View { cx: self.cx, ty: &f.ty, v: Some(&v) })
            }
            Out::Value(v) => map.serialize_entry(&f.name, &View { cx: self.cx, ty: &f.ty, v }),
            Out::Child(list) => map.serialize_entry(&f.name, &list),
        })?;
        map.end()
    }
}

impl Cx<'_> {
    /// Whether a present value of `ty` is written as it is stored (what
    /// [`View`] does with strings, numbers, booleans, timestamps and enum
    /// values), so its text can be copied without decoding it.
    fn is_scalar(&self, ty: &FieldType) -> bool {
        match ty {
            FieldType::String
            | FieldType::Int32
            | FieldType::Int64
            | FieldType::Uint32
            | FieldType::Uint64
            | FieldType::Float64
            | FieldType::Bool
            | FieldType::Timestamp => true,
            FieldType::Named(n) => matches!(self.table.ty(n).map(|t| &t.shape), Some(Shape::Enum { .. })),
            FieldType::Reference(_) | FieldType::List(_) | FieldType::Map(_) => false,
        }
    }
}
