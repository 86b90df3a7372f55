//! Lists: one page of a service's objects, newest first, selected by
//! parent, by reference, by query arguments and by a CEL filter, with the
//! URL of the next page.

use serde_json::{Map, Value};

use crate::engine::{Call, Engine, Reply, reply};
use crate::error::{ApiError, codes};
use crate::filter::Filter;
use crate::render::to_bytes;
use crate::store::{Store, key_of};
use crate::table::Operation;

impl Engine<'_> {
    /// One page of service `target`'s objects: those under `parent` (the
    /// parent's path parameters), or referring to `referring` when given.
    pub(crate) fn list(
        &self,
        store: &Store,
        call: &Call<'_>,
        op: &Operation,
        target: usize,
        parent: &[&str],
        referring: Option<&str>,
    ) -> Result<Reply, ApiError> {
        let pairs: Vec<(String, String)> = call
            .query
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        let get = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        let limit = match get("limit") {
            None => 100,
            Some(l) => match l.trim().parse::<u32>() {
                Ok(n) if (1..=100).contains(&n) => n as usize,
                _ => {
                    return Err(ApiError::bad_request(
                        codes::BAD_PAGING,
                        format!("`limit` must be an integer from 1 to 100, not `{l}`"),
                    ));
                }
            },
        };
        let prefix = if parent.is_empty() { String::new() } else { format!("{}/", key_of(parent)) };
        let coll = &store.colls[target];
        let before = match get("before_id").filter(|b| !b.is_empty()) {
            None => u64::MAX,
            Some(b) => {
                let k = format!("{prefix}{b}");
                match coll.seqs.get(&k) {
                    Some(seq) => *seq,
                    None => {
                        return Err(ApiError::bad_request(
                            codes::BAD_PAGING,
                            format!("`before_id` names `{b}`, which this list has never held"),
                        ));
                    }
                }
            }
        };
        let filter = match get("filter").filter(|f| !f.trim().is_empty()) {
            Some(expr) if op.paging.is_some_and(|p| p.filter) => Some(Filter::compile(expr)?),
            Some(_) => {
                return Err(ApiError::bad_request(codes::BAD_FILTER, "this list does not accept a `filter`"));
            }
            None => None,
        };
        // Query arguments beyond paging select by field value (`id`, `url`).
        let selectors: Vec<(&str, Vec<&str>)> = op
            .query
            .as_deref()
            .map(|q| self.table.fields(q))
            .unwrap_or_default()
            .iter()
            .filter(|f| !f.hidden && !matches!(f.name.as_str(), "limit" | "before_id" | "filter"))
            .filter_map(|f| {
                let vals: Vec<&str> =
                    pairs.iter().filter(|(k, _)| k == &f.name).map(|(_, v)| v.as_str()).collect();
                (!vals.is_empty()).then_some((f.name.as_str(), vals))
            })
            .collect();
        let item_type = op.items.as_ref().map(|i| i.item_type.as_str()).unwrap_or_default();
        let field = op.items.as_ref().map(|i| i.field.as_str()).unwrap_or("items");
        let cx = self.cx(store);
        let mut page: Vec<(&str, &Map<String, Value>)> = Vec::with_capacity(limit.min(coll.order.len()));
        let mut more = false;
        for (_, key) in coll.order.range(..before).rev() {
            if !key.starts_with(&prefix) {
                continue;
            }
            let Some(obj) = coll.objects.get(key) else { continue };
            if let Some(id) = referring
                && !refers_to(&obj.value, id)
            {
                continue;
            }
            if !selectors.iter().all(|(name, vals)| {
                obj.value.get(*name).and_then(Value::as_str).is_some_and(|v| vals.contains(&v))
            }) {
                continue;
            }
            if let Some(f) = &filter
                && !f.matches(&cx.resource(target, item_type, key, &obj.value))?
            {
                continue;
            }
            if page.len() == limit {
                more = true;
                break;
            }
            page.push((key.as_str(), &obj.value));
        }
        let mut out = Vec::with_capacity(64 + page.len() * 256);
        out.extend_from_slice(b"{");
        out.extend_from_slice(&to_bytes(&field));
        out.extend_from_slice(b":[");
        for (i, (key, obj)) in page.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let _ = serde_json::to_writer(&mut out, &cx.resource(target, item_type, key, obj));
        }
        out.extend_from_slice(b"],\"uri\":");
        out.extend_from_slice(&to_bytes(&format!("{}{}", self.base, call.path)));
        out.extend_from_slice(b",\"next_page_uri\":");
        match page.last().filter(|_| more) {
            Some((key, obj)) => {
                let last = obj.get("id").and_then(Value::as_str).unwrap_or_else(|| {
                    key.rsplit('/').next().unwrap_or(key)
                });
                let mut q = form_urlencoded::Serializer::new(String::new());
                let mut replaced = false;
                for (k, v) in &pairs {
                    if k == "before_id" {
                        if !replaced {
                            q.append_pair(k, last);
                            replaced = true;
                        }
                    } else {
                        q.append_pair(k, v);
                    }
                }
                if !replaced {
                    q.append_pair("before_id", last);
                }
                let next = format!("{}{}?{}", self.base, call.path, q.finish());
                out.extend_from_slice(&to_bytes(&next));
            }
            None => out.extend_from_slice(b"null"),
        }
        out.push(b'}');
        reply(op.status, out)
    }
}

/// Whether a stored object holds a reference to `id` in a top-level field.
fn refers_to(obj: &Map<String, Value>, id: &str) -> bool {
    let is_ref = |v: &Value| match v {
        Value::Object(m) => m.get("id").and_then(Value::as_str) == Some(id),
        Value::String(s) => s == id,
        _ => false,
    };
    obj.iter().any(|(k, v)| {
        k != "id"
            && match v {
                Value::Array(a) => a.iter().any(is_ref),
                Value::Object(_) => is_ref(v),
                Value::String(s) => k.ends_with("_id") && s == id,
                _ => false,
            }
    })
}
