//! Rules the server applies across a service's objects: names held once,
//! objects that must find another through a lookup, and objects that
//! cannot be deleted while others use them. Each names the error code
//! ngrok refuses with.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The rules of one service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Values held once: no two objects of the service share them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unique: Vec<Unique>,
    /// Other objects that, while they refer to an object of the service,
    /// stop it from being deleted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub in_use: Vec<InUse>,
    /// Objects that must find an object of another service through one of
    /// their `lookup` fields (a public cloud endpoint's URL, a reserved
    /// domain or address).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub must_find: Vec<MustFind>,
}

impl Rules {
    /// Whether the service has no rules.
    pub fn is_empty(&self) -> bool {
        self.unique.is_empty() && self.in_use.is_empty() && self.must_find.is_empty()
    }
}

/// The objects a rule holds for: those whose field holds the value (or,
/// for a list, has it among its items) for every entry (`type: cloud`).
/// Empty: every object.
pub type When = BTreeMap<String, serde_json::Value>;

/// Whether `obj` is one of the objects `when` names.
pub fn applies(when: &When, obj: &serde_json::Map<String, serde_json::Value>) -> bool {
    when.iter().all(|(field, want)| match obj.get(field) {
        Some(serde_json::Value::Array(items)) if !want.is_array() => items.contains(want),
        Some(v) => v == want,
        None => false,
    })
}

/// No two objects of the service have the same values in `fields` (the
/// same CIDR in one policy: `[ip_policy_id, cidr]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unique {
    /// The fields whose values together are held once.
    pub fields: Vec<String>,
    /// The error code of the refusal.
    pub code: u32,
    /// Placeholders of the code's message and the field whose value fills
    /// each (`DOMAIN: domain`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fill: BTreeMap<String, String>,
    /// A boolean field: when both objects have it `true`, they may share
    /// the values (cloud endpoints that pool).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless_both: Option<String>,
    /// With `unless_both`: the codes when only one of the two objects has
    /// it `true` (a pooling endpoint beside one that does not pool).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixed: Option<Mixed>,
}

/// The codes of a `unique` rule's refusal when only one of the two objects
/// has its `unless_both` field `true`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mixed {
    /// Only the object being written has it.
    pub new: u32,
    /// Only the object already stored has it.
    pub existing: u32,
}

/// An object of the service cannot be deleted while an object of service
/// (or group) `by` names it in `field`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InUse {
    /// The accessor, or group, of the services whose objects refer.
    pub by: String,
    /// The field of those objects that holds the ID (or IDs, or a map keyed
    /// by IDs).
    pub field: String,
    /// The error code of the refusal.
    pub code: u32,
    /// Placeholders of the code's message filled with the ID of the object
    /// being deleted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fill_id: Vec<String>,
    /// Placeholders filled with the IDs of the objects that use it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fill_users: Vec<String>,
    /// Placeholders filled with a field of the object being deleted
    /// (`DOMAIN: domain`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fill: BTreeMap<String, String>,
    /// Only the objects of `by` that these values pick count as users.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub when: When,
    /// The users name the object by this field of it (`domain`) rather
    /// than by its ID: their `field` holds `host:port` pairs (an edge's
    /// `hostports`), compared by host without regard to case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_name: Option<String>,
}

/// An object is refused unless one of its fields computed by a `lookup`
/// rule found an object (a cloud endpoint's `domain` or `tcp_addr`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MustFind {
    /// The `lookup` fields, of which at least one must hold a reference.
    pub lookups: Vec<String>,
    /// The objects the rule holds for.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub when: When,
    /// The error code of the refusal.
    pub code: u32,
    /// Placeholders of the code's message and the field whose value fills
    /// each.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fill: BTreeMap<String, String>,
}
