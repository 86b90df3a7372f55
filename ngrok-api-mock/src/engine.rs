//! The behaviour of every operation, generic over the route table: what a
//! create, get, list, update, delete, replace or action does to the store.

use serde_json::{Map, Value};

use crate::error::{ApiError, codes};
use crate::render::{Cx, object_bytes, to_bytes};
use crate::store::{Store, key_of};
use crate::table::{OpKind, Operation, Route, Storage, Table};
use crate::behave::{self, Write};
use crate::compute::Env;
use crate::util::Rng;
use crate::request::parse_request;
use crate::refs::link;
use crate::reply::Reply;
use crate::validate::check_body;

/// One API request, already routed.
pub(crate) struct Call<'a> {
    pub route: &'a Route,
    pub params: Vec<&'a str>,
    /// The request path as received (no query).
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub body: &'a [u8],
}

/// The items of a nested collection given inside a request body, with the
/// index of the child service that keeps them.
pub(crate) type ChildItems = (usize, Vec<Map<String, Value>>);

pub(crate) struct Engine<'a> {
    pub table: &'a Table,
    pub base: &'a str,
    pub rng: &'a Rng,
    /// The emulator's time for this request, in seconds since the epoch.
    pub now: u64,
    /// Seconds from a certificate job's start to its certificate.
    pub cert_delay: u64,
}

pub(crate) fn reply(status: u16, body: Vec<u8>) -> Result<Reply, ApiError> {
    Ok(Reply { status, body, filter: None })
}

impl Engine<'_> {
    pub(crate) fn env(&self) -> Env<'_> {
        Env::new(self.rng, self.base).at(self.now)
    }

    /// The environment of a write, with the stored objects that computed
    /// references are looked up among.
    pub(crate) fn env_in<'s>(&'s self, store: &'s Store) -> Env<'s> {
        self.env().with_objects(self.table, store)
    }

    pub(crate) fn cx<'s>(&'s self, store: &'s Store) -> Cx<'s> {
        Cx { table: self.table, store, base: self.base }
    }

    pub(crate) fn not_found(&self, svc: usize, key: &str) -> ApiError {
        let what = &self.table.services[svc].accessor;
        let id = key.rsplit('/').next().unwrap_or(key);
        ApiError::not_found(format!("no {what} object with the ID `{id}` was found"))
    }

    /// Runs one request against the store. Reads take `store` by shared
    /// reference through `read`; writes go through `write`.
    pub fn run_read(&self, store: &Store, call: &Call<'_>) -> Result<Reply, ApiError> {
        let op = self.table.op(call.route);
        let svc = call.route.service;
        match (&self.table.services[svc].storage, op.kind) {
            (Storage::Module { parent, field }, OpKind::Get) => {
                let key = key_of(&call.params);
                let obj = store.get(*parent, &key).ok_or_else(|| self.not_found(*parent, &key))?;
                let Some(module) = obj.fields().value(field).filter(|v| !v.is_null()) else {
                    let id = key.rsplit('/').next().unwrap_or(&key);
                    return Err(ApiError::not_found(format!("no `{field}` module is configured on `{id}`")));
                };
                let ty = crate::table::FieldType::Named(op.returns.clone().unwrap_or_default());
                reply(200, to_bytes(&self.cx(store).view(&ty, Some(&module))))
            }
            (_, OpKind::Get) => {
                let key = key_of(&call.params);
                let obj = store.get(svc, &key).ok_or_else(|| self.not_found(svc, &key))?;
                let ty = op.returns.as_deref().unwrap_or_default();
                reply(200, object_bytes(&self.cx(store).resource(svc, ty, &key, &obj.fields())))
            }
            (_, OpKind::List) => {
                // A nested list needs its parent (an event subscription's
                // sources).
                if let Some((parent, _)) = self.table.services[svc].parent
                    && !call.params.is_empty()
                {
                    let pkey = key_of(&call.params);
                    if store.get(parent, &pkey).is_none() {
                        return Err(self.not_found(parent, &pkey));
                    }
                }
                self.list(store, call, op, svc, &call.params, None)
            }
            (_, OpKind::Action) if op.method == "GET" && op.items.is_some() => {
                // A list of the objects that refer to this one (a vault's
                // secrets, the endpoints bound to an operator).
                let key = key_of(&call.params);
                if store.get(svc, &key).is_none() {
                    return Err(self.not_found(svc, &key));
                }
                let target = op
                    .items
                    .as_ref()
                    .and_then(|i| self.table.service_of_type(&i.item_type))
                    .unwrap_or(svc);
                let id = call.params.last().copied().unwrap_or_default();
                let fields = self.table.referring_fields(target, svc);
                self.list(store, call, op, target, &[], Some((id, &fields)))
            }
            _ => Err(ApiError::new(500, codes::INTERNAL, "this operation changes data and was routed as a read")),
        }
    }

    /// Whether an operation only reads.
    pub fn is_read(&self, op: &Operation) -> bool {
        matches!(op.kind, OpKind::Get | OpKind::List) || (op.kind == OpKind::Action && op.method == "GET")
    }

    pub fn run_write(&self, store: &mut Store, call: &Call<'_>) -> Result<Reply, ApiError> {
        let op = self.table.op(call.route);
        let svc = call.route.service;
        let storage = self.table.services[svc].storage.clone();
        match (storage, op.kind) {
            (Storage::Module { parent, field }, OpKind::Replace | OpKind::Update) => {
                self.replace_module(store, call, op, parent, &field)
            }
            (Storage::Module { parent, field }, OpKind::Delete) => {
                let key = key_of(&call.params);
                if !store.edit(parent, &key, |obj| {
                    obj.remove(&field);
                }) {
                    return Err(self.not_found(parent, &key));
                }
                reply(204, Vec::new())
            }
            (Storage::Collection, OpKind::Create) => self.create(store, call, op, svc),
            (Storage::Collection, OpKind::Update | OpKind::Replace) => self.update(store, call, op, svc),
            (Storage::Collection, OpKind::Delete) => {
                let key = key_of(&call.params);
                let obj = store.get(svc, &key).ok_or_else(|| self.not_found(svc, &key))?;
                let id = call.params.last().copied().unwrap_or_default();
                crate::rules::check_in_use(self.table, store, svc, id, &obj.value())?;
                store.remove(self.table, svc, &key).ok_or_else(|| self.not_found(svc, &key))?;
                reply(204, Vec::new())
            }
            (_, OpKind::Action) => self.action(store, call, op, svc),
            _ => Err(ApiError::new(500, codes::INTERNAL, format!("no behaviour is defined for the operation `{}`", op.name))),
        }
    }

    fn create(&self, store: &mut Store, call: &Call<'_>, op: &Operation, svc: usize) -> Result<Reply, ApiError> {
        let s = &self.table.services[svc];
        let mut body = parse_request(self.table, op, call.body)?;
        let body_type = op.body.as_deref().unwrap_or_default();
        check_body(self.table, body_type, &body, &op.required, &op.path_params.iter().map(String::as_str).collect::<Vec<_>>())?;
        body.retain(|_, v| !v.is_null());
        let inline = self.take_children(svc, &mut body)?;
        // The object lives under its parent's key, when it is nested.
        if let Some((parent, _)) = s.parent {
            let pkey = key_of(&call.params);
            if store.get(parent, &pkey).is_none() {
                return Err(self.not_found(parent, &pkey));
            }
        }
        let id = self.mint(svc, &call.params, &mut body, Write::Create).map_err(|field| {
            ApiError::bad_request(codes::MISSING_FIELD, format!("the field `{field}` is required and was not given"))
        })?;
        if store.get(svc, &id.key).is_some() {
            return Err(ApiError::new(409, codes::CONFLICT, format!("`{}` already exists", id.own())));
        }
        let (key, params) = (id.key.clone(), id.refs());
        let resource_type = s.resource_type.as_deref().or(op.returns.as_deref());
        link(&self.cx(store), body_type, &mut body, false)?;
        let mut once = Map::new();
        if let Some(rt) = resource_type {
            once = behave::complete(self.table, &self.env_in(store), rt, &mut body, Write::Create)?;
        }
        crate::rules::check_must_find(self.table, svc, &body)?;
        crate::rules::check_unique(self.table, store, svc, &key, &body)?;
        self.certificates_on_write(store, svc, &key, &mut body);
        // Secrets the server mints are shown once, on create, and not kept.
        let mut shown = body.clone();
        shown.extend(once);
        let returns = op.returns.as_deref().unwrap_or_default();
        store.insert(svc, key.clone(), body);
        self.put_children(store, &params, inline);
        reply(op.status, to_bytes(&self.cx(store).resource_value(svc, returns, &key, &shown)))
    }

    fn update(&self, store: &mut Store, call: &Call<'_>, op: &Operation, svc: usize) -> Result<Reply, ApiError> {
        let key = key_of(&call.params);
        if store.get(svc, &key).is_none() {
            return Err(self.not_found(svc, &key));
        }
        let mut body = parse_request(self.table, op, call.body)?;
        let body_type = op.body.as_deref().unwrap_or_default();
        let from_path: Vec<&str> = op.path_params.iter().map(String::as_str).collect();
        check_body(self.table, body_type, &body, &op.required, &from_path)?;
        body.retain(|k, v| !v.is_null() && !from_path.contains(&k.as_str()));
        let inline = self.take_children(svc, &mut body)?;
        link(&self.cx(store), body_type, &mut body, false)?;
        let resource_type = self.table.services[svc].resource_type.clone();
        let mut changed = store.get(svc, &key).map(|o| o.value()).unwrap_or_default();
        crate::update::merge(self.table, resource_type.as_deref(), &mut changed, body);
        if let Some(rt) = resource_type.as_deref() {
            behave::complete(self.table, &self.env_in(store), rt, &mut changed, Write::Change)?;
        }
        crate::rules::check_must_find(self.table, svc, &changed)?;
        crate::rules::check_unique(self.table, store, svc, &key, &changed)?;
        self.certificates_on_write(store, svc, &key, &mut changed);
        store.set(svc, &key, &changed);
        self.put_children(store, &call.params, inline);
        let obj = store.get(svc, &key).ok_or_else(|| self.not_found(svc, &key))?;
        let returns = op.returns.as_deref().unwrap_or_default();
        reply(op.status, object_bytes(&self.cx(store).resource(svc, returns, &key, &obj.fields())))
    }

    fn replace_module(
        &self,
        store: &mut Store,
        call: &Call<'_>,
        op: &Operation,
        parent: usize,
        field: &str,
    ) -> Result<Reply, ApiError> {
        let key = key_of(&call.params);
        if store.get(parent, &key).is_none() {
            return Err(self.not_found(parent, &key));
        }
        let mut body = parse_request(self.table, op, call.body)?;
        let body_type = op.body.as_deref().unwrap_or_default();
        let from_path: Vec<&str> = op.path_params.iter().map(String::as_str).collect();
        check_body(self.table, body_type, &body, &op.required, &from_path)?;
        link(&self.cx(store), body_type, &mut body, false)?;
        let mut module = match &op.body_field {
            Some(f) => body.remove(f).unwrap_or(Value::Null),
            None => {
                body.retain(|k, _| !from_path.contains(&k.as_str()));
                Value::Object(body)
            }
        };
        if let (Value::Object(m), Some(rt)) = (&mut module, op.returns.as_deref()) {
            let m: &mut Map<String, Value> = m;
            behave::complete(self.table, &self.env(), rt, m, Write::Change)?;
        }
        store.edit(parent, &key, |obj| {
            obj.insert(field.to_string(), module.clone());
        });
        let ty = crate::table::FieldType::Named(op.returns.clone().unwrap_or_default());
        reply(op.status, to_bytes(&self.cx(store).view(&ty, Some(&module))))
    }

    fn action(&self, store: &mut Store, call: &Call<'_>, op: &Operation, svc: usize) -> Result<Reply, ApiError> {
        let key = key_of(&call.params);
        if store.get(svc, &key).is_none() {
            return Err(self.not_found(svc, &key));
        }
        if let Some(t) = &op.body {
            let body = parse_request(self.table, op, call.body)?;
            let from_path: Vec<&str> = op.path_params.iter().map(String::as_str).collect();
            check_body(self.table, t, &body, &op.required, &from_path)?;
        }
        // An action that clears a field (`DELETE
        // /reserved_domains/{id}/certificate`).
        if let Some(field) = &op.clears
            && let Some(obj) = store.get(svc, &key)
        {
            let mut changed = obj.value();
            changed.remove(field.as_str());
            self.certificates_on_write(store, svc, &key, &mut changed);
            store.set(svc, &key, &changed);
        }
        match &op.returns {
            Some(t) => {
                let obj = store.get(svc, &key).ok_or_else(|| self.not_found(svc, &key))?;
                reply(op.status, object_bytes(&self.cx(store).resource(svc, t, &key, &obj.fields())))
            }
            None => reply(op.status, Vec::new()),
        }
    }

    /// Stores a seeded object of service `svc` and returns its key.
    pub fn seed(&self, store: &mut Store, svc: usize, mut obj: Map<String, Value>) -> Result<String, String> {
        let s = &self.table.services[svc];
        let item_params = s.item_params();
        let mut parents = Vec::new();
        for p in item_params.iter().take(item_params.len().saturating_sub(1)) {
            match obj.get(*p).and_then(Value::as_str) {
                Some(v) if !v.is_empty() && !v.contains('/') => parents.push(v.to_string()),
                _ => return Err(format!("a {} object needs the string field `{p}`", s.accessor)),
            }
        }
        let parents: Vec<&str> = parents.iter().map(String::as_str).collect();
        if let Some((parent, _)) = s.parent {
            let pkey = key_of(&parents);
            if store.get(parent, &pkey).is_none() {
                return Err(format!(
                    "the parent {} object `{pkey}` does not exist; seed it first",
                    self.table.services[parent].accessor
                ));
            }
        }
        let id = self
            .mint(svc, &parents, &mut obj, Write::Seed)
            .map_err(|field| format!("a {} object needs the string field `{field}`", s.accessor))?;
        let refs = id.refs();
        if let Some(t) = s.ops.iter().find(|o| o.kind == OpKind::Create).and_then(|o| o.body.as_deref()) {
            link(&self.cx(store), t, &mut obj, true).map_err(|e| e.msg)?;
        }
        if let Some(rt) = s.resource_type.as_deref() {
            behave::complete(self.table, &self.env_in(store), rt, &mut obj, Write::Seed).map_err(|e| e.msg)?;
        }
        let inline = self.take_children(svc, &mut obj).map_err(|e| e.msg)?;
        let key = id.key.clone();
        self.certificates_on_write(store, svc, &key, &mut obj);
        store.insert(svc, key.clone(), obj);
        self.put_children(store, &refs, inline);
        Ok(key)
    }
}
