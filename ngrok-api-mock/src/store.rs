//! The emulator's data: one collection per service, objects kept as the JSON
//! they were created from (plus the fields the server assigns).

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use crate::table::{Storage, Table};

/// A stored object and its place in creation order.
#[derive(Debug, Clone)]
pub(crate) struct Obj {
    pub seq: u64,
    pub value: Map<String, Value>,
}

/// The objects of one service.
#[derive(Debug, Default, Clone)]
pub(crate) struct Collection {
    /// Keyed by the object's path parameters joined with `/`.
    pub objects: HashMap<String, Obj>,
    /// Creation order: sequence number to key.
    pub order: BTreeMap<u64, String>,
    /// Sequence numbers of every key ever stored (deleted ones too), so a
    /// `before_id` naming a deleted object still pages correctly.
    pub seqs: HashMap<String, u64>,
}

/// Everything the emulator holds.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    pub colls: Vec<Collection>,
    next_seq: u64,
}

impl Store {
    pub fn new(table: &Table) -> Store {
        Store { colls: vec![Collection::default(); table.services.len()], next_seq: 1 }
    }

    pub fn get(&self, svc: usize, key: &str) -> Option<&Obj> {
        self.colls.get(svc)?.objects.get(key)
    }

    pub fn get_mut(&mut self, svc: usize, key: &str) -> Option<&mut Obj> {
        self.colls.get_mut(svc)?.objects.get_mut(key)
    }

    pub fn insert(&mut self, svc: usize, key: String, value: Map<String, Value>) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let Some(c) = self.colls.get_mut(svc) else { return };
        if let Some(old) = c.objects.remove(&key) {
            c.order.remove(&old.seq);
        }
        c.order.insert(seq, key.clone());
        c.seqs.insert(key.clone(), seq);
        c.objects.insert(key, Obj { seq, value });
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
