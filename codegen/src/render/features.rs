//! Service features and the `cfg` of each generated item: a service is built
//! with its feature, a type with any feature whose operations reach it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::spec::{Api, Shape, TypeDef};

/// The features an item is built with: any one of them turns it on, and
/// with none it is never built. `macros.rs.tera` writes the `cfg`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Cfg {
    /// The features, sorted.
    pub(crate) any: Vec<String>,
}

/// The Cargo feature that turns on a service: its top-level accessor in
/// kebab case (`edges.https` -> `edges`).
pub fn feature_of(accessor: &str) -> String {
    accessor.split('.').next().unwrap_or(accessor).replace('_', "-")
}

/// Every service feature, sorted.
pub fn features(api: &Api) -> Vec<String> {
    let set: BTreeSet<String> = api.services.iter().map(|s| feature_of(&s.accessor)).collect();
    set.into_iter().collect()
}

/// The `cfg` of an item built when any of `features` is on; `None` when
/// that is every feature (the item is always built).
pub(super) fn cfg_any(features: &BTreeSet<String>, all: usize) -> Option<Cfg> {
    if features.len() >= all {
        return None;
    }
    Some(Cfg { any: features.iter().cloned().collect() })
}

/// For each type, the features whose operations reach it.
pub(super) fn type_users(api: &Api) -> BTreeMap<String, BTreeSet<String>> {
    let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for svc in &api.services {
        let feature = feature_of(&svc.accessor);
        let mut stack: Vec<String> = svc
            .operations
            .iter()
            .flat_map(|o| o.body.iter().chain(o.returns.iter()).chain(o.query.iter()).cloned())
            .collect();
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if !seen.insert(n.clone()) {
                continue;
            }
            users.entry(n.clone()).or_default().insert(feature.clone());
            if let Some(TypeDef { shape: Shape::Struct { fields }, .. }) = api.type_def(&n) {
                for f in fields {
                    if let Some(m) = f.ty.named() {
                        stack.push(m.to_string());
                    }
                }
            }
        }
    }
    users
}
