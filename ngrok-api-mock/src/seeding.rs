//! Applying a seed: one object, a JSON tree of them (`{"<accessor>":
//! [objects...], ...}`), or the seed the emulator starts with, read from
//! its JSON text one object at a time so a seed of many objects never
//! stands in memory as a tree beside the store.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::MockError;
use crate::shared::Shared;
use crate::store::Store;
use crate::table::Storage;

/// The message for a seed that is not `{"<accessor>": [...], ...}`.
const NOT_AN_OBJECT: &str = "seed data must be a JSON object keyed by service accessor";

impl Shared {
    /// Seeds one object; returns it as the API would show it.
    pub fn seed_one(&self, accessor: &str, obj: Value) -> Result<Value, MockError> {
        let mut store = self.write_store();
        let (svc, key) = self.put_seed(&mut store, accessor, obj)?;
        let cx = crate::render::Cx { table: self.table, store: &store, base: &self.base };
        let ty = self.table.services[svc].resource_type.as_deref().unwrap_or_default();
        let shown = store
            .get(svc, &key)
            .map(|o| serde_json::to_value(cx.resource(svc, ty, &key, &o.fields())).unwrap_or(Value::Null))
            .unwrap_or(Value::Null);
        Ok(shown)
    }

    /// Checks and stores one seeded object; returns its service and key.
    fn put_seed(&self, store: &mut Store, accessor: &str, obj: Value) -> Result<(usize, String), MockError> {
        let svc = self.table.service_index(accessor).ok_or_else(|| MockError::UnknownService(accessor.to_string()))?;
        if !matches!(self.table.services[svc].storage, Storage::Collection) {
            return Err(MockError::NotSeedable(accessor.to_string()));
        }
        let Value::Object(mut obj) = obj else {
            return Err(MockError::Seed(format!("a {accessor} object must be a JSON object")));
        };
        crate::seed::check_seed(self.table, svc, &mut obj).map_err(MockError::Seed)?;
        let key = self.engine().seed(store, svc, obj).map_err(MockError::Seed)?;
        Ok((svc, key))
    }

    /// Seeds `{"<accessor>": [objects...], ...}`; returns the seeded objects
    /// by accessor.
    pub fn seed_all(&self, seed: &Value) -> Result<Map<String, Value>, String> {
        let Value::Object(map) = seed else { return Err(NOT_AN_OBJECT.into()) };
        let mut out = Map::new();
        for (accessor, objs) in map {
            let list = match objs {
                Value::Array(a) => a.clone(),
                Value::Object(_) => vec![objs.clone()],
                Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => return Err(format!("`{accessor}` must map to an array of objects")),
            };
            let mut shown = Vec::new();
            for o in list {
                shown.push(self.seed_one(accessor, o).map_err(|e| e.to_string())?);
            }
            out.insert(accessor.clone(), Value::Array(shown));
        }
        Ok(out)
    }

    /// Seeds from JSON text, as [`Shared::seed_all`] does from a tree (the
    /// services in the same order, by accessor), decoding one object at a
    /// time and keeping none of what is shown.
    pub fn seed_text(&self, text: &str) -> Result<(), String> {
        let services: BTreeMap<String, &RawValue> =
            serde_json::from_str(text).map_err(|_| NOT_AN_OBJECT.to_string())?;
        let mut store = self.write_store();
        for (accessor, objs) in services {
            let mut failed = None;
            let mut each = Each(|o: Value| match self.put_seed(&mut store, &accessor, o) {
                Ok(_) => true,
                Err(e) => {
                    failed = Some(e.to_string());
                    false
                }
            });
            let mut de = serde_json::Deserializer::from_str(objs.get());
            let read = (&mut each).deserialize(&mut de);
            if let Some(e) = failed {
                return Err(e);
            }
            read.map_err(|_| format!("`{accessor}` must map to an array of objects"))?;
        }
        Ok(())
    }
}

/// Reads an array of objects (or one object) and hands each to the
/// function, stopping when it returns false.
struct Each<F>(F);

impl<'de, F: FnMut(Value) -> bool> DeserializeSeed<'de> for &mut Each<F> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Value) -> bool> Visitor<'de> for &mut Each<F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            if !(self.0)(v) {
                return Err(A::Error::custom("seeding stopped"));
            }
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let one: Map<String, Value> = serde::Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        if (self.0)(Value::Object(one)) { Ok(()) } else { Err(A::Error::custom("seeding stopped")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn collect(text: &str) -> Result<Vec<Value>, String> {
        let mut got = Vec::new();
        let mut each = Each(|v| {
            got.push(v);
            true
        });
        let mut de = serde_json::Deserializer::from_str(text);
        (&mut each).deserialize(&mut de).map_err(|e| e.to_string())?;
        Ok(got)
    }

    #[test]
    fn seed_text_is_read_object_by_object() {
        assert_eq!(collect(r#"[{"a":1},{"b":[2]}]"#), Ok(vec![json!({"a": 1}), json!({"b": [2]})]));
        assert_eq!(collect(r#"{"a":1}"#), Ok(vec![json!({"a": 1})]), "one object alone");
        assert!(collect("3").is_err(), "a number is no list of objects");
    }

    #[test]
    fn seeding_stops_at_the_first_refusal() {
        let mut seen = 0;
        let mut each = Each(|_| {
            seen += 1;
            seen < 2
        });
        let mut de = serde_json::Deserializer::from_str("[{},{},{}]");
        assert!((&mut each).deserialize(&mut de).is_err());
        assert_eq!(seen, 2);
    }
}
