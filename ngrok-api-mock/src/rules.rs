//! The rules the spec states across a service's objects
//! (`ngrok_api_model::Rules`): values held once, objects that must find
//! another through a lookup, and objects that cannot be deleted while
//! others use them. Each refusal carries the rule's code and ngrok's
//! message for it.

use std::collections::BTreeMap;

use ngrok_api_model::applies;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::store::Store;
use crate::table::Table;

/// Refuses `obj`, about to be stored as `key` in service `svc`, when it
/// shares the values of a `unique` rule with another object of the service.
pub(crate) fn check_unique(table: &Table, store: &Store, svc: usize, key: &str, obj: &Map<String, Value>) -> Result<(), ApiError> {
    let Some(coll) = store.colls.get(svc) else { return Ok(()) };
    for rule in &table.services[svc].rules.unique {
        let values: Vec<Option<&Value>> = rule.fields.iter().map(|f| present(obj.get(f))).collect();
        // A rule holds for objects that have every value it names.
        if values.iter().any(Option::is_none) {
            continue;
        }
        let pooled = |o: &Map<String, Value>| rule.unless_both.as_ref().is_some_and(|f| o.get(f) == Some(&Value::Bool(true)));
        let clash = coll.objects.iter().find(|(other_key, other)| {
            if other_key.as_str() == key {
                return false;
            }
            let other = other.fields();
            rule.fields.iter().zip(&values).all(|(f, v)| same(present(other.value(f).as_ref()), *v))
                && !(pooled(obj)
                    && rule.unless_both.as_ref().is_some_and(|f| other.value(f) == Some(Value::Bool(true))))
        });
        if let Some((_, other)) = clash {
            let code = match (&rule.mixed, pooled(obj), pooled(&other.value())) {
                (Some(m), true, false) => m.new,
                (Some(m), false, true) => m.existing,
                _ => rule.code,
            };
            return Err(refusal(code, &rule.fill, obj));
        }
    }
    Ok(())
}

/// Refuses `obj` of service `svc`, its computed fields worked out, when a
/// `must_find` rule holds for it and none of its lookups found an object.
pub(crate) fn check_must_find(table: &Table, svc: usize, obj: &Map<String, Value>) -> Result<(), ApiError> {
    for rule in &table.services[svc].rules.must_find {
        if !applies(&rule.when, obj) || rule.lookups.iter().any(|f| present(obj.get(f)).is_some()) {
            continue;
        }
        return Err(refusal(rule.code, &rule.fill, obj));
    }
    Ok(())
}

/// Refuses to delete `obj`, with ID `id`, of service `svc` while an object
/// named by an `in_use` rule refers to it.
pub(crate) fn check_in_use(table: &Table, store: &Store, svc: usize, id: &str, obj: &Map<String, Value>) -> Result<(), ApiError> {
    for rule in &table.services[svc].rules.in_use {
        let mut users: Vec<String> = Vec::new();
        let name = rule.by_name.as_ref().map(|f| text(obj.get(f)));
        for by in table.referred(&rule.by) {
            let Some(coll) = store.colls.get(by) else { continue };
            for (key, user) in &coll.objects {
                let held = user.fields().value(&rule.field);
                let uses = match &name {
                    Some(name) => names_host(held.as_ref(), name),
                    None => names(held.as_ref(), id),
                };
                if uses && applies(&rule.when, &user.value()) {
                    users.push(key.rsplit('/').next().unwrap_or(key).to_string());
                }
            }
        }
        if !users.is_empty() {
            users.sort();
            let joined = users.join(", ");
            let own: Vec<(String, String)> = rule.fill.iter().map(|(p, field)| (p.clone(), text(obj.get(field)))).collect();
            let mut fills: Vec<(&str, &str)> = rule.fill_id.iter().map(|p| (p.as_str(), id)).collect();
            fills.extend(rule.fill_users.iter().map(|p| (p.as_str(), joined.as_str())));
            fills.extend(own.iter().map(|(p, v)| (p.as_str(), v.as_str())));
            return Err(ApiError::refusal(rule.code, &fills));
        }
    }
    Ok(())
}

/// Whether `held` (a `host:port` pair, or a list of them) names host
/// `name`, without regard to case.
fn names_host(held: Option<&Value>, name: &str) -> bool {
    let host_is = |v: &Value| v.as_str().is_some_and(|pair| pair.rsplit_once(':').map_or(pair, |(host, _)| host).eq_ignore_ascii_case(name));
    match held {
        Some(Value::Array(items)) => items.iter().any(host_is),
        Some(v) => !name.is_empty() && host_is(v),
        None => false,
    }
}

/// The refusal with `code`, its placeholders filled from fields of `obj`.
fn refusal(code: u32, fill: &BTreeMap<String, String>, obj: &Map<String, Value>) -> ApiError {
    let fills: Vec<(String, String)> = fill.iter().map(|(placeholder, field)| (placeholder.clone(), text(obj.get(field)))).collect();
    let fills: Vec<(&str, &str)> = fills.iter().map(|(p, v)| (p.as_str(), v.as_str())).collect();
    ApiError::refusal(code, &fills)
}

fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null() && v.as_str() != Some(""))
}

/// Two values of a field are the same; text compares without regard to
/// case, as names and addresses do.
fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(Value::String(x)), Some(Value::String(y))) => x.eq_ignore_ascii_case(y),
        (x, y) => x == y,
    }
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// Whether a field's value names `id`: the ID itself, a list holding it, a
/// reference `{id, uri}` to it, or a map keyed by it.
fn names(v: Option<&Value>, id: &str) -> bool {
    match v {
        Some(Value::String(s)) => s == id,
        Some(Value::Array(items)) => items.iter().any(|item| names(Some(item), id)),
        Some(Value::Object(m)) => m.get("id").and_then(Value::as_str) == Some(id) || m.contains_key(id),
        _ => false,
    }
}
