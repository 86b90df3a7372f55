//! Nested collections given inside a request body (an event
//! subscription's `sources`): taken out of the body, completed, and stored
//! under their parent.

use serde_json::{Map, Value};

use crate::behave::{self, Write};
use crate::engine::{ChildItems, Engine};
use crate::error::{ApiError, codes};
use crate::store::{Store, key_of};

impl Engine<'_> {
    /// Takes out of a create or update body of service `svc` the lists that
    /// name nested objects (an event subscription's `sources`), checking
    /// that every item can be keyed. Returns the child service and its
    /// items for each list given.
    pub(crate) fn take_children(&self, svc: usize, body: &mut Map<String, Value>) -> Result<Vec<ChildItems>, ApiError> {
        let mut out = Vec::new();
        for (field, child) in self.table.child_fields(svc) {
            let Some(given) = body.remove(field) else { continue };
            let c = &self.table.services[child];
            let key_param = c.key_param();
            let mut items = Vec::new();
            for (i, item) in given.as_array().into_iter().flatten().enumerate() {
                let Some(item) = item.as_object() else { continue };
                if c.id_prefix.is_none() {
                    match item.get(key_param).and_then(Value::as_str) {
                        Some(k) if !k.is_empty() && !k.contains('/') => {}
                        _ => {
                            return Err(ApiError::bad_request(
                                codes::MISSING_FIELD,
                                format!("the field `{field}[{i}].{key_param}` is required and was not given"),
                            ));
                        }
                    }
                }
                let mut item = item.clone();
                if let Some(rt) = c.resource_type.as_deref() {
                    behave::complete(self.table, &self.env(), rt, &mut item, Write::Change)?;
                }
                items.push(item);
            }
            out.push((child, items));
        }
        Ok(out)
    }

    /// Stores the nested objects taken by [`Engine::take_children`] under
    /// the object at `parent` (its path parameters), replacing the ones it
    /// had in each list given.
    pub(crate) fn put_children(&self, store: &mut Store, parent: &[&str], lists: Vec<ChildItems>) {
        let prefix = format!("{}/", key_of(parent));
        for (child, items) in lists {
            let old: Vec<String> =
                store.colls[child].objects.keys().filter(|k| k.starts_with(&prefix)).cloned().collect();
            for k in old {
                store.remove(self.table, child, &k);
            }
            for mut item in items {
                // `take_children` refused every item without a usable key,
                // so each one mints.
                if let Ok(id) = self.mint(child, parent, &mut item, Write::Create) {
                    store.insert(child, id.key, item);
                }
            }
        }
    }
}
