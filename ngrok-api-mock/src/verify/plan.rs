//! Files turned into requests: recordings, and live fixtures with their
//! setup steps and `{{name.field}}` placeholders.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::table::{OpKind, table};

/// The live API's base URL, for files that do not name theirs.
pub(super) const LIVE_BASE: &str = "https://api.ngrok.com";

/// One request to replay.
#[derive(Debug, Clone)]
pub(super) struct Step {
    pub(super) method: String,
    pub(super) path: String,
    pub(super) query: Option<String>,
    pub(super) body: Value,
    pub(super) expect: Option<Expect>,
    pub(super) bind: Option<String>,
}

#[derive(Debug, Clone)]
pub(super) struct Expect {
    pub(super) status: u16,
    pub(super) body: Value,
    pub(super) computed: BTreeSet<String>,
}

/// A file turned into requests.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub(super) upstream: String,
    pub(super) seed: Option<Value>,
    pub(super) steps: Vec<Step>,
}

/// Reads a recording or a fixture.
pub(super) fn load(file: &Path) -> Result<Plan, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read it: {e}"))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    if v.get("exchanges").is_some() {
        from_recording(v)
    } else if v.get("request").is_some() && v.get("response").is_some() {
        from_fixture(&v)
    } else {
        Err("neither a recording (`exchanges`) nor a live fixture (`request`, `response`)".into())
    }
}

fn from_recording(v: Value) -> Result<Plan, String> {
    let r: crate::record::Recording = serde_json::from_value(v).map_err(|e| format!("not a recording: {e}"))?;
    if r.format != crate::record::FORMAT {
        return Err(format!("not a recording: its format is `{}`", r.format));
    }
    if r.version > crate::record::VERSION {
        return Err(format!(
            "written by a newer ngrok-api-mock (recording format {}; this one reads {})",
            r.version,
            crate::record::VERSION
        ));
    }
    let steps: Vec<Step> = r
        .exchanges
        .into_iter()
        .map(|x| Step {
            method: x.request.method,
            path: x.request.path,
            query: x.request.query,
            body: x.request.body,
            expect: Some(Expect { status: x.response.status, body: x.response.body, computed: BTreeSet::new() }),
            bind: None,
        })
        .collect();
    let seed = implicit_seed(&steps);
    Ok(Plan { upstream: r.upstream, seed, steps })
}

fn from_fixture(v: &Value) -> Result<Plan, String> {
    let t = table();
    let mut steps = Vec::new();
    for (i, s) in v["setup"].as_array().into_iter().flatten().enumerate() {
        let body = s.get("body").cloned().unwrap_or(Value::Null);
        let (method, path) = match (s.get("method").and_then(Value::as_str), s.get("path").and_then(Value::as_str)) {
            (Some(m), Some(p)) => (m.to_string(), p.to_string()),
            _ => {
                let service = s["service"].as_str().unwrap_or_default();
                let name = s["operation"].as_str().unwrap_or_default();
                let svc = t.service_index(service).ok_or_else(|| format!("setup step {}: no service `{service}`", i + 1))?;
                let op = t.services[svc]
                    .ops
                    .iter()
                    .find(|o| o.name == name)
                    .ok_or_else(|| format!("setup step {}: `{service}` has no operation `{name}`", i + 1))?;
                (op.method.clone(), fill_path(&op.path, &body).map_err(|e| format!("setup step {}: {e}", i + 1))?)
            }
        };
        steps.push(Step {
            method,
            path,
            query: None,
            body,
            expect: None,
            bind: s.get("bind").and_then(Value::as_str).map(str::to_string),
        });
    }
    let req = &v["request"];
    let full = req["path"].as_str().ok_or("the request has no path")?;
    let (path, query) = match full.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (full.to_string(), None),
    };
    let computed = v["computed"].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect();
    let main = Step {
        method: req["method"].as_str().ok_or("the request has no method")?.to_string(),
        path,
        query,
        body: req.get("body").cloned().unwrap_or(Value::Null),
        expect: Some(Expect {
            status: v["response"]["status"].as_u64().and_then(|s| u16::try_from(s).ok()).ok_or("the response has no status")?,
            body: v["response"]["body"].clone(),
            computed,
        }),
        bind: None,
    };
    let seed = match v.get("seed") {
        Some(s) => Some(s.clone()),
        None => implicit_seed(std::slice::from_ref(&main)),
    };
    steps.push(main);
    Ok(Plan { upstream: LIVE_BASE.into(), seed, steps })
}

/// A path template filled from the body's fields.
fn fill_path(template: &str, body: &Value) -> Result<String, String> {
    let mut out = String::new();
    for seg in template.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => out.push_str(
                body.get(param)
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("the path `{template}` needs `{param}`, which the body does not give"))?,
            ),
            None => out.push_str(seg),
        }
    }
    Ok(out)
}

/// Objects users cannot create through the API (tunnel sessions come from
/// agents) are seeded from what the recorded reads of them answered: the
/// listed items, or the object got.
fn implicit_seed(steps: &[Step]) -> Option<Value> {
    let t = table();
    let mut seed: Map<String, Value> = Map::new();
    let mut seen = BTreeSet::new();
    for s in steps {
        let Some(expect) = s.expect.as_ref().filter(|e| (200..300).contains(&e.status)) else { continue };
        let segments: Vec<&str> = s.path.split('/').filter(|x| !x.is_empty()).collect();
        let Some((route, _)) = t.route(&s.method, &segments) else { continue };
        let svc = &t.services[route.service];
        let op = t.op(route);
        if svc.ops.iter().any(|o| o.kind == OpKind::Create) || !matches!(op.kind, OpKind::Get | OpKind::List) {
            continue;
        }
        // Lists are newest first; seeding oldest first keeps their order.
        let objects = match &op.items {
            Some(items) => expect.body[&items.field].as_array().cloned().unwrap_or_default().into_iter().rev().collect(),
            None => vec![expect.body.clone()],
        };
        for o in objects {
            let id = o["id"].as_str().unwrap_or_default().to_string();
            if !id.is_empty() && !seen.insert(id) {
                continue;
            }
            if let Value::Array(list) = seed.entry(svc.accessor.clone()).or_insert_with(|| json!([])) {
                list.push(o);
            }
        }
    }
    (!seed.is_empty()).then_some(Value::Object(seed))
}

/// Replaces every `{{name.a.b}}` in the strings of `v` with the value at
/// `a.b` of the answer bound to `name`; a string that is only a
/// placeholder takes the bound value whole.
pub(super) fn substitute(v: &Value, binds: &HashMap<String, Value>) -> Result<Value, String> {
    Ok(match v {
        Value::String(s) if s.contains("{{") => {
            let mut out = String::new();
            let mut rest = s.as_str();
            while let Some(start) = rest.find("{{") {
                let end = rest[start..].find("}}").ok_or_else(|| format!("unclosed placeholder in `{s}`"))? + start;
                let expr = &rest[start + 2..end];
                let mut parts = expr.split('.');
                let name = parts.next().unwrap_or_default();
                let mut found = binds.get(name).ok_or_else(|| format!("`{{{{{expr}}}}}` names no earlier answer"))?;
                for p in parts {
                    found = found.get(p).ok_or_else(|| format!("`{{{{{expr}}}}}`: the answer has no `{p}`"))?;
                }
                if start == 0 && end + 2 == rest.len() && out.is_empty() && !found.is_string() {
                    return Ok(found.clone());
                }
                out.push_str(&rest[..start]);
                match found {
                    Value::String(x) => out.push_str(x),
                    other @ Value::Null | other @ Value::Bool(_) | other @ Value::Number(_) | other @ Value::Array(_) | other @ Value::Object(_) => out.push_str(&other.to_string()),
                }
                rest = &rest[end + 2..];
            }
            out.push_str(rest);
            Value::String(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| substitute(i, binds)).collect::<Result<_, _>>()?),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| Ok((k.clone(), substitute(v, binds)?))).collect::<Result<_, String>>()?)
        }
        other @ Value::Null | other @ Value::Bool(_) | other @ Value::Number(_) | other @ Value::String(_) => other.clone(),
    })
}
