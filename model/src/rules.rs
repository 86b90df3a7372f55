//! Rules the server applies across a service's objects: names held once,
//! and objects that cannot be deleted while others use them. Each names
//! the error code ngrok refuses with.

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
}

impl Rules {
    /// Whether the service has no rules.
    pub fn is_empty(&self) -> bool {
        self.unique.is_empty() && self.in_use.is_empty()
    }
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
}
