//! The emulator's data: one collection per service, objects kept as the JSON
//! they were created from (plus the fields the server assigns), encoded as
//! [`crate::stored`] describes.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

pub(crate) use crate::stored::Obj;
use crate::table::{Storage, Table};
use crate::util::next_seq;

/// The objects of one service.
#[derive(Debug, Default, Clone)]
pub(crate) struct Collection {
    /// Keyed by the object's path parameters joined with `/`.
    pub objects: HashMap<String, Obj>,
    /// Creation order: sequence number to key. Only live objects are here:
    /// a `before_id` naming a deleted object finds its place from the
    /// counter its ID was minted with (see [`crate::util::minted_seq`]).
    pub order: BTreeMap<u64, String>,
}

/// Everything the emulator holds.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    pub colls: Vec<Collection>,
    /// The earliest time (emulator seconds) at which state that moves with
    /// the clock is due to move; 0 when not known yet (a new or restored
    /// store), which has the next request look for due jobs.
    pub next_due: u64,
}

impl Store {
    pub fn new(table: &Table) -> Store {
        Store { colls: vec![Collection::default(); table.services.len()], next_due: 0 }
    }

    pub fn get(&self, svc: usize, key: &str) -> Option<&Obj> {
        self.colls.get(svc)?.objects.get(key)
    }

    /// Changes the fields of a stored object in place (its place in the
    /// order stays); false when there is no such object.
    pub fn edit(&mut self, svc: usize, key: &str, change: impl FnOnce(&mut Map<String, Value>)) -> bool {
        let Some(obj) = self.colls.get_mut(svc).and_then(|c| c.objects.get_mut(key)) else { return false };
        let mut value = obj.value();
        change(&mut value);
        obj.set(&value);
        true
    }

    /// Replaces the fields of a stored object, keeping its place.
    pub fn set(&mut self, svc: usize, key: &str, value: &Map<String, Value>) {
        if let Some(obj) = self.colls.get_mut(svc).and_then(|c| c.objects.get_mut(key)) {
            obj.set(value);
        }
    }

    /// Stores `value` as the newest object under `key`.
    pub fn insert(&mut self, svc: usize, key: String, value: Map<String, Value>) {
        let seq = next_seq();
        let Some(c) = self.colls.get_mut(svc) else { return };
        if let Some(old) = c.objects.remove(&key) {
            c.order.remove(&old.seq);
        }
        c.order.insert(seq, key.clone());
        c.objects.insert(key, Obj::new(seq, &value));
    }

    /// Puts back an object read from a state file, at its place.
    pub fn restore(&mut self, svc: usize, key: String, seq: u64, value: &Map<String, Value>) {
        let Some(c) = self.colls.get_mut(svc) else { return };
        c.order.insert(seq, key.clone());
        c.objects.insert(key, Obj::new(seq, value));
    }

    /// Removes an object and, recursively, the objects nested under it.
    pub fn remove(&mut self, table: &Table, svc: usize, key: &str) -> Option<Obj> {
        let c = self.colls.get_mut(svc)?;
        let obj = c.objects.remove(key)?;
        c.order.remove(&obj.seq);
        for &child in &table.services[svc].children {
            let prefix = format!("{key}/");
            let doomed: Vec<String> = self.colls[child]
                .objects
                .keys()
                .filter(|k| k.starts_with(&prefix))
                .cloned()
                .collect();
            for k in doomed {
                self.remove(table, child, &k);
            }
        }
        Some(obj)
    }

    /// How many entries the store holds across its indexes (objects and
    /// order entries): memory grows with this, and it counts live objects
    /// only, whatever was created and deleted before.
    pub fn entries(&self) -> usize {
        self.colls.iter().map(|c| c.objects.len() + c.order.len()).sum()
    }

    /// Whether an object of a top-level service has this ID.
    pub fn exists(&self, svc: usize, id: &str) -> bool {
        self.get(svc, id).is_some()
    }

    /// Finds a top-level object by ID alone, using the ID's prefix.
    pub fn find_by_id(&self, table: &Table, id: &str) -> Option<usize> {
        table.services_for_id(id).find(|&s| {
            matches!(table.services[s].storage, Storage::Collection) && self.exists(s, id)
        })
    }
}

/// The storage key of an object addressed by its path parameters.
pub(crate) fn key_of(params: &[&str]) -> String {
    params.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::table;

    #[test]
    fn deleted_objects_leave_nothing_behind() {
        let t = table();
        let svc = t.service_index("ip_policies").expect("a service");
        let mut store = Store::new(t);
        store.insert(svc, "keep".into(), Map::new());
        for i in 0..5_000 {
            let key = format!("ipp_{i}");
            store.insert(svc, key.clone(), Map::new());
            assert!(store.remove(t, svc, &key).is_some());
        }
        assert_eq!(store.entries(), 2, "one live object: its entry and its place in the order");
        assert_eq!(store.colls[svc].order.len(), 1);
    }
}
