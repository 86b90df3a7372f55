//! Builds the [`Model`] the module-level templates see: each service's
//! view, the tree of accessors on `Client`, the modules of types and the
//! services table.

use std::collections::{BTreeMap, BTreeSet};

use crate::spec::{Api, Service, TypeDef, rust_ident};
use super::typeview::{PageView, TypeView, Uses, type_view};

use super::features::{Cfg, cfg_any, feature_of, features, type_users};
use super::ops::{instance_views, op_view, page_has_next};
use super::text::{doc_lines, docs_url, module_path};
use super::views::{AccessorView, GroupSize, GroupView, Model, SvcView, TableRow, TypeModuleView};

/// What every part of the model needs to know about the API.
struct Facts<'a> {
    api: &'a Api,
    uses: Uses,
    /// Every service feature; empty when the target has no features.
    all_features: Vec<String>,
    /// For each type, the features whose operations reach it.
    users: BTreeMap<String, BTreeSet<String>>,
    pages: BTreeMap<String, PageView>,
}

impl Model {
    /// The model of `api`; `gate_features` when the target's manifest has
    /// the service features (only the SDK's does).
    pub(super) fn new(api: &Api, gate_features: bool) -> Model {
        let facts = Facts {
            api,
            uses: Uses::of_api(api),
            all_features: if gate_features { features(api) } else { Vec::new() },
            users: type_users(api),
            pages: pages(api),
        };
        let (groups, roots) = facts.tree();
        let mut type_modules: Vec<TypeModuleView> =
            features(api).iter().map(|f| facts.type_module(Some(f))).filter(|m| !m.types.is_empty()).collect();
        type_modules.push(facts.type_module(None));
        Model {
            services: api.services.iter().map(|svc| facts.svc_view(svc)).collect(),
            table: table(api),
            groups,
            roots,
            type_modules,
        }
    }
}

/// Every page type of a listing, with its items.
fn pages(api: &Api) -> BTreeMap<String, PageView> {
    let mut pages = BTreeMap::new();
    for op in api.services.iter().flat_map(|s| &s.operations) {
        if let (Some(_), Some(items), Some(ret)) = (&op.paging, &op.items, &op.returns) {
            let item = api.type_def(&items.item_type).map(|t| format!("crate::types::{}", t.rust_name)).unwrap_or_default();
            pages.insert(
                ret.clone(),
                PageView { items_field: rust_ident(&items.field), item_type: item, has_next: page_has_next(api, ret) },
            );
        }
    }
    pages
}

/// The rows of the services tables.
pub(super) fn table(api: &Api) -> Vec<TableRow> {
    api.services
        .iter()
        .map(|s| TableRow {
            handle: s.rust_name.clone(),
            module_path: module_path(&s.accessor),
            accessor: s.accessor.clone(),
            operations: s.operations.iter().map(|o| o.name.clone()).collect(),
            description: s.description.replace('\n', " ").replace('|', "\\|"),
            legacy: s.legacy.is_some(),
        })
        .collect()
}

impl Facts<'_> {
    fn cfg(&self, features: &BTreeSet<String>) -> Option<Cfg> {
        cfg_any(features, self.all_features.len())
    }

    /// The `cfg` of a service's items: its feature.
    fn own_cfg(&self, svc: &Service) -> Option<Cfg> {
        self.cfg(&BTreeSet::from([feature_of(&svc.accessor)]))
    }

    /// The module of the types the services of `feature` define (`None`:
    /// the shared types). It is built when any feature reaching one of its
    /// types is on (always, when a type is reached by no operation); a type
    /// reached by fewer features carries its own `cfg`.
    fn type_module(&self, feature: Option<&str>) -> TypeModuleView {
        let defs: Vec<&TypeDef> =
            self.api.types.iter().filter(|t| t.owner.as_deref().map(feature_of).as_deref() == feature).collect();
        let users: Vec<Option<&BTreeSet<String>>> = defs.iter().map(|t| self.users.get(&t.name)).collect();
        let module_cfg = if users.iter().any(Option::is_none) {
            None
        } else {
            self.cfg(&users.iter().flatten().flat_map(|set| set.iter().cloned()).collect())
        };
        let types = defs
            .iter()
            .zip(&users)
            .map(|(t, u)| {
                let cfg = u.and_then(|set| self.cfg(set)).filter(|c| Some(c) != module_cfg.as_ref());
                TypeView { cfg, ..type_view(self.api, t, &self.uses, &self.pages) }
            })
            .collect();
        let module = feature.map(|f| f.replace('-', "_")).unwrap_or_else(|| "shared".into());
        TypeModuleView { module, shared: feature.is_none(), cfg: module_cfg, types }
    }

    fn svc_view(&self, svc: &Service) -> SvcView {
        SvcView {
            docs_url: docs_url(svc),
            accessor: svc.accessor.clone(),
            rust_name: svc.rust_name.clone(),
            file_stem: svc.accessor.split('.').collect::<Vec<_>>().join("/"),
            module_path: module_path(&svc.accessor),
            doc: service_doc(svc),
            ops: svc.operations.iter().map(|o| op_view(self.api, svc, o)).collect(),
            instance: instance_views(self.api, svc),
            example: crate::examples::service_example(self.api, svc),
        }
    }

    fn accessor_view(&self, svc: &Service) -> AccessorView {
        AccessorView {
            method: rust_ident(svc.leaf()),
            rust_name: svc.rust_name.clone(),
            module_path: module_path(&svc.accessor),
            doc: service_doc(svc),
            group: None,
            fn_cfg: self.own_cfg(svc),
            mod_cfg: self.own_cfg(svc),
        }
    }

    /// The groups of services and the accessors on `Client` (services and
    /// groups together), in the spec's order.
    fn tree(&self) -> (Vec<GroupView>, Vec<AccessorView>) {
        let mut groups: Vec<GroupView> = Vec::new();
        let mut group_sets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut roots: Vec<AccessorView> = Vec::new();
        for svc in &self.api.services {
            let accessor = self.accessor_view(svc);
            let Some(g) = svc.group() else {
                roots.push(accessor);
                continue;
            };
            group_sets.entry(g.to_string()).or_default().insert(feature_of(&svc.accessor));
            if !groups.iter().any(|x| x.module == g) {
                groups.push(new_group(g));
                roots.push(AccessorView {
                    method: rust_ident(g),
                    rust_name: heck::ToUpperCamelCase::to_upper_camel_case(g),
                    module_path: rust_ident(g),
                    doc: Vec::new(),
                    group: None,
                    fn_cfg: self.own_cfg(svc),
                    mod_cfg: None,
                });
            }
            if let Some(group) = groups.iter_mut().find(|x| x.module == g) {
                group.children.push(accessor);
            }
        }
        self.finish_groups(&groups, &mut roots, &group_sets);
        (groups, roots)
    }

    /// Once every service is placed: the `cfg` of each group's module, and
    /// what the doc of its accessor names.
    fn finish_groups(
        &self,
        groups: &[GroupView],
        roots: &mut [AccessorView],
        group_sets: &BTreeMap<String, BTreeSet<String>>,
    ) {
        for r in roots.iter_mut() {
            let Some(g) = groups.iter().find(|g| g.module == r.module_path) else { continue };
            let first = g.children.first().map(|c| c.method.clone()).unwrap_or_default();
            r.group = Some(GroupSize { name: g.module.clone(), count: g.children.len(), first });
            r.mod_cfg = self.cfg(&group_sets.get(&g.module).cloned().unwrap_or_default());
        }
    }
}

/// A group with no children yet.
fn new_group(g: &str) -> GroupView {
    GroupView {
        module: g.to_string(),
        rust_name: heck::ToUpperCamelCase::to_upper_camel_case(g),
        children: Vec::new(),
    }
}

/// A service's doc: its description, and for a sunset service what
/// replaces it.
fn service_doc(svc: &Service) -> Vec<String> {
    let mut doc = doc_lines(&svc.description);
    if let Some(replacement) = &svc.legacy {
        doc.push(String::new());
        doc.push(" **Legacy.** ngrok sunset edges, their routes and modules, and backends on".into());
        doc.push(" 2025-12-31: objects can still be read, but most accounts are refused".into());
        doc.push(" writes (`ErrorCode::EdgesReadOnly`, `ERR_NGROK_7196`).".into());
        doc.extend(doc_lines(replacement));
        doc.push(" The guide's chapter [From edges to cloud endpoints](crate::guide::edges_to_endpoints)".into());
        doc.push(" shows each legacy service's replacement with code.".into());
    }
    doc
}
