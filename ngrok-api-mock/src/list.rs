//! Lists: one page of a collection, newest first, paged by `before_id`,
//! selected by query arguments and by a CEL `filter`.
//!
//! A filter is compiled and checked before the store is looked at. The
//! objects it may select are then copied out of the store under the lock,
//! and the filter runs on those copies later, on a blocking thread with a
//! deadline (see `FilterJob` in `reply.rs`), so a slow filter never holds the lock nor
//! a runtime worker.

use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use serde_json::Value;

use crate::engine::{Call, Engine};
use crate::error::{ApiError, codes};
use crate::filter::Filter;
use crate::reply::{FilterJob, PageHead, Reply};
use crate::shared::Shared;
use crate::store::{Store, key_of};
use crate::stored::Fields;
use crate::table::Operation;
use crate::util::minted_seq;

impl Engine<'_> {
    /// One page of service `target`'s objects: those under `parent` (the
    /// parent's path parameters), or, when `referring` is given, those
    /// whose fields in `.1` name the object with ID `.0`.
    pub(crate) fn list(
        &self,
        store: &Store,
        call: &Call<'_>,
        op: &Operation,
        target: usize,
        parent: &[&str],
        referring: Option<(&str, &[String])>,
    ) -> Result<Reply, ApiError> {
        let pairs: Vec<(String, String)> = call
            .query
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        let get = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        let limit = page_limit(get("limit"))?;
        let item_type = op.items.as_ref().map(|i| i.item_type.as_str()).unwrap_or_default();
        let filter = match get("filter").filter(|f| !f.trim().is_empty()) {
            Some(expr) if op.paging.is_some_and(|p| p.filter) => Some(Filter::compile(self.table, item_type, expr)?),
            Some(_) => {
                return Err(ApiError::bad_request(codes::BAD_FILTER, "this list does not accept a `filter`"));
            }
            None => None,
        };
        let prefix = if parent.is_empty() { String::new() } else { format!("{}/", key_of(parent)) };
        let before = self.before(store, target, &prefix, get("before_id"))?;
        let selectors = self.selectors(op, &pairs);
        let field = op.items.as_ref().map(|i| i.field.clone()).unwrap_or_else(|| "items".into());
        let uri = format!("{}{}", self.base, call.path);
        let paged = op
            .returns
            .as_deref()
            .is_some_and(|t| self.table.fields(t).iter().any(|f| f.name == "next_page_uri"));
        let head = PageHead { status: op.status, field, uri, pairs: pairs.clone(), paged };
        let coll = &store.colls[target];
        let cx = self.cx(store);
        let candidates = coll.order.range(..before).rev().filter_map(|(_, key)| {
            if !key.starts_with(&prefix) {
                return None;
            }
            let obj = coll.objects.get(key)?.fields();
            let keep = referring.is_none_or(|(id, fields)| refers_to(&obj, fields, id))
                && selectors
                    .iter()
                    .all(|(name, vals)| obj.str(name).is_some_and(|v| vals.contains(&v.as_ref())));
            keep.then_some((key.as_str(), obj))
        });
        if let Some(filter) = filter {
            let items = candidates
                .map(|(key, obj)| {
                    let shown = serde_json::to_value(cx.resource(target, item_type, key, &obj)).unwrap_or(Value::Null);
                    (shown, paging_id(key))
                })
                .collect();
            let job = FilterJob { filter, items, limit, head };
            return Ok(Reply { status: op.status, body: Vec::new(), filter: Some(Box::new(job)) });
        }
        let mut page = Vec::with_capacity(limit.min(coll.order.len()));
        let mut more = false;
        for (key, obj) in candidates {
            if page.len() == limit {
                more = true;
                break;
            }
            page.push((key, obj));
        }
        let last = page.last().filter(|_| more).map(|(key, _)| paging_id(key));
        let views: Vec<_> = page.iter().map(|(key, obj)| cx.resource(target, item_type, key, obj)).collect();
        let write = |v: &crate::render::StructView<'_>, out: &mut Vec<u8>| v.to_json(out);
        Ok(Reply { status: op.status, body: head.body(&views, write, last.as_deref()), filter: None })
    }

    /// Where a page starts: before the object `before_id` names. A deleted
    /// object is found by the creation counter in its ID.
    fn before(&self, store: &Store, target: usize, prefix: &str, before_id: Option<&str>) -> Result<u64, ApiError> {
        let Some(b) = before_id.filter(|b| !b.is_empty()) else { return Ok(u64::MAX) };
        if let Some(obj) = store.colls[target].objects.get(&format!("{prefix}{b}")) {
            return Ok(obj.seq);
        }
        let id_prefix = self.table.services[target].id_prefix.as_deref();
        id_prefix.and_then(|p| minted_seq(b, p)).ok_or_else(|| {
            ApiError::bad_request(codes::BAD_PAGING, format!("`before_id` names `{b}`, which is not an ID of this list"))
        })
    }

    /// Query arguments beyond paging select by field value (`id`, `url`).
    fn selectors<'p>(&self, op: &Operation, pairs: &'p [(String, String)]) -> Vec<(&'p str, Vec<&'p str>)> {
        let fields = op.query.as_deref().map(|q| self.table.fields(q)).unwrap_or_default();
        fields
            .iter()
            .filter(|f| !f.hidden && !matches!(f.name.as_str(), "limit" | "before_id" | "filter"))
            .filter_map(|f| {
                let (name, vals): (Vec<&str>, Vec<&str>) =
                    pairs.iter().filter(|(k, _)| k == &f.name).map(|(k, v)| (k.as_str(), v.as_str())).unzip();
                name.first().map(|n| (*n, vals))
            })
            .collect()
    }
}

/// Runs a list's filter on a thread of its own (not a runtime worker),
/// within the deadline; the store is not locked meanwhile.
pub(crate) async fn run_filter(sh: &Shared, job: FilterJob) -> Result<Reply, ApiError> {
    let table = sh.table;
    let deadline = Instant::now() + sh.filter_deadline;
    let (tx, rx) = oneshot::channel();
    let started = std::thread::Builder::new()
        .name("filter".into())
        .stack_size(crate::filter::STACK_BYTES)
        .spawn(move || {
            let _ = tx.send(job.run(table, deadline));
        });
    if started.is_err() {
        return Err(ApiError::new(503, codes::INTERNAL, "no thread could be started to run the filter; try again"));
    }
    // The job stops by itself once past the deadline; the grace covers the
    // object it is on.
    match tokio::time::timeout(sh.filter_deadline + Duration::from_secs(1), rx).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(_)) => Err(ApiError::new(500, codes::INTERNAL, "the filter stopped unexpectedly")),
        Err(_) => Err(ApiError::bad_request(
            codes::BAD_FILTER,
            format!("the filter took longer than {} ms; make it cheaper", sh.filter_deadline.as_millis()),
        )),
    }
}

/// The page size a `limit` asks for: 1 to 100, 100 when not given.
fn page_limit(limit: Option<&str>) -> Result<usize, ApiError> {
    let Some(l) = limit else { return Ok(100) };
    match l.trim().parse::<usize>() {
        Ok(n) if (1..=100).contains(&n) => Ok(n),
        _ => Err(ApiError::filled(400, codes::BAD_LIMIT, &[("MAX", "100"), ("VAL", l)], "`limit` must be an integer")),
    }
}

/// The ID a next page starts before: the object's own part of its store
/// key (what its key path parameter holds), which `before` looks up.
fn paging_id(key: &str) -> String {
    key.rsplit('/').next().unwrap_or(key).to_string()
}

/// Whether a stored object names `id` in one of `fields`: as the ID
/// itself, in a list of IDs, or as a reference (`{id, uri}`) or a list of
/// them.
fn refers_to(obj: &Fields<'_>, fields: &[String], id: &str) -> bool {
    let is_ref = |v: &Value| match v {
        Value::Object(m) => m.get("id").and_then(Value::as_str) == Some(id),
        Value::String(s) => s == id,
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::Array(_) => false,
    };
    fields.iter().filter_map(|f| obj.value(f)).any(|v| match &v {
        Value::Array(a) => a.iter().any(is_ref),
        Value::Object(_) | Value::String(_) => is_ref(&v),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    })
}
