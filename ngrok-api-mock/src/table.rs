//! The route table: the API description written by the generator into
//! `generated/api.json`, read once and indexed for request dispatch.
//!
//! Everything the emulator knows about services, paths and types comes from
//! here; no service is named anywhere else in the crate. The description is
//! the model of the `ngrok-api-model` crate, which states where each service
//! keeps its objects (a nested collection's `parent`, an edge module's
//! `module` slot), what each service manages (`resource`: the type of one
//! object, its path and key parameter), which fields refer to other objects
//! (`refers_to`, `shown_as`, and fields of type `FieldType::Reference`) and
//! which fields the server fills in, by which rule (`computed`, each rule
//! naming the fields it reads). No structure is guessed from the shape of a
//! path or from a field's name. Names the API fixes for every object are
//! used as such: a reference's `id` and `uri`, a page's `uri` and
//! `next_page_uri`, the paging arguments, and a path parameter naming the
//! field of the same name.

use std::collections::HashMap;
use std::sync::OnceLock;

use ngrok_api_model::Api;

/// The description, as the generator serializes it.
const API_JSON: &str = include_str!("generated/api.json");

/// What kind of call an operation is.
pub(crate) use ngrok_api_model::OperationKind as OpKind;
pub(crate) use ngrok_api_model::{Field, FieldType, Operation, Shape, TypeDef};

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Lit(String),
    Param(String),
}

/// How a service keeps its resources.
#[derive(Debug, Clone)]
pub(crate) enum Storage {
    /// A collection of objects addressed by the path parameters of
    /// `item_path` (for top-level services, just the ID).
    Collection,
    /// A sub-object stored in field `field` of an object of service `parent`
    /// (an edge module).
    Module { parent: usize, field: String },
}

/// A service with what the dispatcher needs precomputed.
#[derive(Debug, Clone)]
pub(crate) struct Service {
    pub accessor: String,
    /// The group the service sits in (`edges`), as the model states it.
    pub group: Option<String>,
    pub id_prefix: Option<String>,
    pub ops: Vec<Operation>,
    /// The path of one object (the model's resource).
    pub item_path: Vec<Seg>,
    /// The path parameter naming one object (the model's resource key).
    pub key: String,
    /// The type of one object (the model's resource).
    pub resource_type: Option<String>,
    pub storage: Storage,
    /// For nested collections: the service one level up and the name of the
    /// path parameter that holds its key (`edge_id`).
    pub parent: Option<(usize, String)>,
    /// Nested collections under this service's objects.
    pub children: Vec<usize>,
    /// The rules the server applies across the service's objects.
    pub rules: ngrok_api_model::Rules,
    /// Sunset by ngrok: read-only unless legacy writes are allowed.
    pub legacy: bool,
}

impl Service {
    /// Names of the path parameters of one object, in order.
    pub fn item_params(&self) -> Vec<&str> {
        self.item_path
            .iter()
            .filter_map(|s| match s {
                Seg::Param(p) => Some(p.as_str()),
                Seg::Lit(_) => None,
            })
            .collect()
    }

    /// The name of the parameter that identifies an object within its
    /// parent (`id`, or `type` for event sources).
    pub fn key_param(&self) -> &str {
        &self.key
    }
}

/// A routable operation.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub service: usize,
    pub op: usize,
    pub segs: Vec<Seg>,
    literals: usize,
}

/// The indexed description.
#[derive(Debug)]
pub(crate) struct Table {
    pub services: Vec<Service>,
    types: HashMap<String, TypeDef>,
    routes: HashMap<(String, usize), Vec<Route>>,
    /// Every path (normalized) that some route serves, for 404 vs 405.
    paths: Vec<Vec<Seg>>,
    by_accessor: HashMap<String, usize>,
    /// ID prefixes, longest first.
    prefixes: Vec<(String, usize)>,
    /// ngrok's message template of each error code the spec names.
    messages: HashMap<u32, String>,
}

/// Splits a path template into segments.
pub(crate) fn parse_path(path: &str) -> Vec<Seg> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| match s.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
            Some(p) => Seg::Param(p.to_string()),
            None => Seg::Lit(s.to_string()),
        })
        .collect()
}

/// The table, parsed on first use.
pub(crate) fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| Table::parse(API_JSON))
}

impl Table {
    /// ngrok's message template for error code `code`, if the spec names it.
    pub fn error_message(&self, code: u32) -> Option<&str> {
        self.messages.get(&code).map(String::as_str)
    }

    fn parse(json: &str) -> Table {
        // The file is written by the generator and checked in; a broken one is
        // a build defect, caught by this crate's tests.
        let api: Api = match serde_json::from_str(json) {
            Ok(api) => api,
            Err(e) => panic!("generated/api.json does not match the model: {e}"),
        };
        let messages: HashMap<u32, String> = api.error_codes.iter().map(|c| (c.code, c.message.clone())).collect();
        let by_accessor: HashMap<String, usize> =
            api.services.iter().enumerate().map(|(i, s)| (s.accessor.clone(), i)).collect();
        let index = |accessor: &str| by_accessor.get(accessor).copied();
        let mut services: Vec<Service> = api
            .services
            .into_iter()
            .map(|s| {
                let item_path = parse_path(&s.resource.item_path);
                let resource_type = Some(s.resource.type_name.clone());
                let storage = match s.module.as_ref().and_then(|m| Some((index(&m.of)?, m.field.clone()))) {
                    Some((parent, field)) => Storage::Module { parent, field },
                    None => Storage::Collection,
                };
                Service {
                    group: s.group().map(str::to_string),
                    parent: s.parent.as_ref().and_then(|p| Some((index(&p.service)?, p.param.clone()))),
                    accessor: s.accessor,
                    id_prefix: s.id_prefix,
                    ops: s.operations,
                    item_path,
                    key: s.resource.key.clone(),
                    resource_type,
                    storage,
                    children: Vec::new(),
                    rules: s.rules,
                    legacy: s.legacy.is_some(),
                }
            })
            .collect();
        for i in 0..services.len() {
            if let Some((p, _)) = services[i].parent {
                services[p].children.push(i);
            }
        }
        let types: HashMap<String, TypeDef> = api.types.into_iter().map(|t| (t.name.clone(), t)).collect();
        let mut routes: HashMap<(String, usize), Vec<Route>> = HashMap::new();
        let mut paths = Vec::new();
        for (si, s) in services.iter().enumerate() {
            for (oi, op) in s.ops.iter().enumerate() {
                let segs = parse_path(&op.path);
                let literals = segs.iter().filter(|s| matches!(s, Seg::Lit(_))).count();
                if !paths.contains(&segs) {
                    paths.push(segs.clone());
                }
                routes
                    .entry((op.method.clone(), segs.len()))
                    .or_default()
                    .push(Route { service: si, op: oi, segs, literals });
            }
        }
        for list in routes.values_mut() {
            // Prefer the most specific template when several match.
            list.sort_by_key(|r| std::cmp::Reverse(r.literals));
        }
        let mut prefixes: Vec<(String, usize)> = services
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.id_prefix.clone().map(|p| (p, i)))
            .collect();
        prefixes.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        Table { services, types, routes, paths, by_accessor, prefixes, messages }
    }

    /// Finds the operation serving `method` on the path `segments`, with the
    /// values of its parameters.
    pub fn route<'p>(&self, method: &str, segments: &[&'p str]) -> Option<(&Route, Vec<&'p str>)> {
        let candidates = self.routes.get(&(method.to_string(), segments.len()))?;
        'outer: for r in candidates {
            let mut params = Vec::new();
            for (seg, got) in r.segs.iter().zip(segments) {
                match seg {
                    Seg::Lit(l) if l == got => {}
                    Seg::Lit(_) => continue 'outer,
                    Seg::Param(_) if got.is_empty() => continue 'outer,
                    Seg::Param(_) => params.push(*got),
                }
            }
            return Some((r, params));
        }
        None
    }

    /// The names of the fields the spec marks `secret` in the request and
    /// answer types (nested types included) of the operation serving
    /// `method` on `path`; none when no operation does.
    pub fn secret_fields(&self, method: &str, path: &str) -> Vec<String> {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let Some((r, _)) = self.route(method, &segments) else { return Vec::new() };
        let op = &self.services[r.service].ops[r.op];
        let (mut stack, mut seen, mut out) = (Vec::new(), std::collections::HashSet::new(), Vec::new());
        stack.extend(op.body.iter().chain(op.returns.iter()).cloned());
        while let Some(t) = stack.pop() {
            if !seen.insert(t.clone()) {
                continue;
            }
            for f in self.fields(&t) {
                if f.secret {
                    out.push(f.name.clone());
                }
                stack.extend(f.ty.named().map(str::to_string));
            }
        }
        out
    }

    /// Whether some operation serves this path with another method.
    pub fn path_known(&self, segments: &[&str]) -> bool {
        self.paths.iter().any(|p| {
            p.len() == segments.len()
                && p.iter().zip(segments).all(|(s, g)| match s {
                    Seg::Lit(l) => l == g,
                    Seg::Param(_) => !g.is_empty(),
                })
        })
    }

    /// The operation behind a route.
    pub fn op(&self, r: &Route) -> &Operation {
        &self.services[r.service].ops[r.op]
    }

    /// A type by name.
    pub fn ty(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }

    /// The names of every type, in no particular order.
    #[cfg(test)]
    pub fn type_names(&self) -> impl Iterator<Item = &str> {
        self.types.keys().map(String::as_str)
    }

    /// Whether values of `ty` are JSON objects: a reference or a struct.
    pub fn is_object_type(&self, ty: &FieldType) -> bool {
        match ty {
            FieldType::Reference(_) => true,
            FieldType::Named(n) => matches!(self.ty(n).map(|t| &t.shape), Some(Shape::Struct { .. })),
            FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::List(_) | FieldType::Map(_) => false,
        }
    }

    /// The fields of a struct type (empty for enums and unknown names).
    pub fn fields(&self, name: &str) -> &[Field] {
        match self.types.get(name).map(|t| &t.shape) {
            Some(Shape::Struct { fields }) => fields,
            _ => &[],
        }
    }

    /// A service by accessor.
    pub fn service_index(&self, accessor: &str) -> Option<usize> {
        self.by_accessor.get(accessor).copied()
    }

    /// The fields of service `target`'s objects that name an object of
    /// service `svc`, as the spec states them: the request fields whose
    /// `refers_to` names `svc` (or its group), and the fields that show them
    /// (`shown_as`).
    pub fn referring_fields(&self, target: usize, svc: usize) -> Vec<String> {
        let t = &self.services[target];
        let bodies = t.ops.iter().filter(|o| matches!(o.kind, OpKind::Create | OpKind::Update)).filter_map(|o| o.body.as_deref());
        let mut out: Vec<String> = t
            .resource_type
            .as_deref()
            .into_iter()
            .chain(bodies)
            .flat_map(|ty| self.fields(ty))
            .filter(|f| f.refers_to.as_deref().is_some_and(|r| self.referred(r).contains(&svc)))
            .flat_map(|f| std::iter::once(f.name.clone()).chain(f.shown_as.clone()))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The services a `refers_to` names: the service with that accessor, or
    /// every service of the group of that name (`backends`).
    pub fn referred(&self, refers_to: &str) -> Vec<usize> {
        self.services
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.accessor == refers_to || s.group.as_deref() == Some(refers_to)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The services whose IDs start like `id`, most specific prefix first.
    pub fn services_for_id<'a>(&'a self, id: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.prefixes.iter().filter(move |(p, _)| id.starts_with(p.as_str())).map(|(_, i)| *i)
    }

    /// The service whose resources have the type `name` and are kept in a
    /// collection.
    pub fn service_of_type(&self, name: &str) -> Option<usize> {
        self.services.iter().position(|s| {
            matches!(s.storage, Storage::Collection) && s.resource_type.as_deref() == Some(name)
        })
    }

    /// The nested collections shown inside the objects of service `svc`:
    /// pairs of the resource type's list field and the child service whose
    /// resources that list holds (an event subscription's `sources`).
    pub fn child_fields(&self, svc: usize) -> Vec<(&str, usize)> {
        let s = &self.services[svc];
        let Some(rt) = s.resource_type.as_deref() else { return Vec::new() };
        self.fields(rt)
            .iter()
            .filter_map(|f| {
                let FieldType::List(inner) = &f.ty else { return None };
                let FieldType::Named(item) = inner.as_ref() else { return None };
                let child = s
                    .children
                    .iter()
                    .copied()
                    .find(|&c| self.services[c].resource_type.as_deref() == Some(item.as_str()))?;
                Some((f.name.as_str(), child))
            })
            .collect()
    }

    /// Fills the item path of service `s` with `params`.
    pub fn item_uri(&self, base: &str, s: usize, params: &[&str]) -> String {
        let mut out = String::with_capacity(base.len() + 48);
        out.push_str(base);
        let mut it = params.iter();
        for seg in &self.services[s].item_path {
            out.push('/');
            match seg {
                Seg::Lit(l) => out.push_str(l),
                Seg::Param(_) => out.push_str(it.next().copied().unwrap_or("")),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
