//! An object's identity, made one way for every object the emulator
//! stores, whether created, seeded or given inside its parent's body: its
//! key, its path parameters, its own URI and the moments the server stamps.

use serde_json::{Map, Value};

use crate::behave::{self, Write};
use crate::engine::Engine;
use crate::store::key_of;

/// Where a new object sits: its path parameters (its parents' keys, then
/// its own) and the key it is stored under.
pub(crate) struct Identity {
    /// The path parameters, outermost first; the last is the object's own key.
    pub(crate) params: Vec<String>,
    /// The store key made of them.
    pub(crate) key: String,
}

impl Identity {
    /// The path parameters as text slices.
    pub(crate) fn refs(&self) -> Vec<&str> {
        self.params.iter().map(String::as_str).collect()
    }

    /// The object's own key.
    pub(crate) fn own(&self) -> &str {
        self.params.last().map_or("", String::as_str)
    }
}

impl<'a> Engine<'a> {
    /// Makes the identity of a new object of service `svc` whose parents'
    /// keys are `parents`, and writes it into `obj`: every path parameter,
    /// the object's own URI (`self_uri` fields) and its stamped moments (a
    /// seeded object keeps those it is given).
    ///
    /// Its own key is a fresh ID when the service has an ID prefix, and
    /// otherwise the one `obj` gives in the service's key parameter. A
    /// seeded object may give its ID even when the service has a prefix.
    /// The error is the name of the key parameter when the object had to
    /// give its key and did not (or gave it empty, or with a `/`).
    pub(crate) fn mint(&self, svc: usize, parents: &[&str], obj: &mut Map<String, Value>, write: Write) -> Result<Identity, &'a str> {
        let table: &'a crate::table::Table = self.table;
        let s = &table.services[svc];
        let key_param = s.key_param();
        let takes_given = s.id_prefix.is_none() || write == Write::Seed;
        let own = match (takes_given.then(|| obj.get(key_param)).flatten(), &s.id_prefix) {
            (Some(Value::String(k)), _) if !k.is_empty() && !k.contains('/') => k.clone(),
            (Some(Value::Null) | None, Some(prefix)) => self.rng.id(prefix, 27),
            (Some(_) | None, _) => return Err(key_param),
        };
        let mut params: Vec<String> = parents.iter().map(|p| (*p).to_string()).collect();
        params.push(own);
        for (name, value) in s.item_params().iter().zip(&params) {
            obj.insert((*name).to_string(), Value::String(value.clone()));
        }
        let identity = Identity { key: key_of(&params.iter().map(String::as_str).collect::<Vec<_>>()), params };
        if let Some(rt) = s.resource_type.as_deref() {
            let uri = self.table.item_uri(self.base, svc, &identity.refs());
            behave::locate(self.table, rt, obj, &uri, write);
            behave::stamp(self.table, self.now, rt, obj);
        }
        Ok(identity)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::behave::Write;
    use crate::engine::Engine;
    use crate::table::table;
    use crate::util::Rng;

    fn engine(rng: &Rng) -> Engine<'_> {
        Engine { table: table(), base: "https://api.example", rng, now: 1_700_000_000, cert_delay: 0 }
    }

    fn obj(v: Value) -> serde_json::Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn a_created_object_gets_a_fresh_id_its_uri_and_its_moments() {
        let rng = Rng::new();
        let e = engine(&rng);
        let svc = table().service_index("ip_policies").expect("IP policies");
        let mut o = obj(json!({"description": "office"}));
        let id = e.mint(svc, &[], &mut o, Write::Create).expect("an ID");
        assert!(id.own().starts_with("ipp_"), "{}", id.own());
        assert_eq!(id.key, id.own());
        assert_eq!(o["id"], id.own());
        assert_eq!(o["uri"], format!("https://api.example/ip_policies/{}", id.own()));
        assert_eq!(o["created_at"], "2023-11-14T22:13:20Z");
    }

    #[test]
    fn a_seeded_object_keeps_the_id_and_moments_it_is_given() {
        let rng = Rng::new();
        let e = engine(&rng);
        let svc = table().service_index("ip_policies").expect("IP policies");
        let mut o = obj(json!({"id": "ipp_given", "created_at": "2020-01-01T00:00:00Z"}));
        let id = e.mint(svc, &[], &mut o, Write::Seed).expect("an ID");
        assert_eq!((id.own(), o["created_at"].as_str()), ("ipp_given", Some("2020-01-01T00:00:00Z")));
        // A create takes no ID from its body.
        let mut c = obj(json!({"id": "ipp_given"}));
        let made = e.mint(svc, &[], &mut c, Write::Create).expect("an ID");
        assert_ne!(made.own(), "ipp_given");
    }

    #[test]
    fn a_nested_object_is_keyed_under_its_parent_by_the_key_it_gives() {
        let rng = Rng::new();
        let e = engine(&rng);
        let svc = table().service_index("event_sources").expect("event sources");
        let mut o = obj(json!({"type": "ip_policy_created.v0"}));
        let id = e.mint(svc, &["esb_1"], &mut o, Write::Create).expect("a key");
        assert_eq!(id.params, ["esb_1", "ip_policy_created.v0"]);
        assert_eq!(o["subscription_id"], "esb_1");
        assert_eq!(o["uri"], "https://api.example/event_subscriptions/esb_1/sources/ip_policy_created.v0");
        for bad in [json!({}), json!({"type": ""}), json!({"type": "a/b"}), json!({"type": 3})] {
            let mut o = obj(bad.clone());
            assert_eq!(e.mint(svc, &["esb_1"], &mut o, Write::Create).err(), Some("type"), "{bad}");
        }
    }
}
