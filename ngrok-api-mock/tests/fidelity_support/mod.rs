//! Helpers of the fidelity test: an HTTP caller, `{{name.field}}`
//! substitution, path filling and value shapes.

use std::collections::HashMap;

use ngrok_api_mock::MockServer;
use serde_json::Value;

/// Calls the emulator as a client would.
pub struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    pub fn new(mock: &MockServer) -> Api {
        Api { http: reqwest::Client::new(), base: mock.url().to_string() }
    }

    /// Sends one request; the status and the JSON answer (`null` for none).
    pub async fn call(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let Ok(method) = reqwest::Method::from_bytes(method.as_bytes()) else {
            return (0, Value::String(format!("`{method}` is not an HTTP method")));
        };
        let url = if path.starts_with("http") { path.to_string() } else { format!("{}{path}", self.base) };
        let mut rb = self.http.request(method, url).bearer_auth("fidelity-key").header("Ngrok-Version", "2");
        if let Some(b) = body {
            rb = rb.json(b);
        }
        let resp = match rb.send().await {
            Ok(r) => r,
            Err(e) => return (0, Value::String(format!("the emulator did not answer: {e}"))),
        };
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        let v = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        (status, v)
    }
}

/// Replaces every `{{name.a.b}}` in the strings of `v` with the value at
/// `a.b` of the answer bound to `name`. A string that is only a
/// placeholder takes the bound value whole (it may be a number or object).
pub fn substitute(v: &Value, binds: &HashMap<String, Value>) -> Result<Value, String> {
    Ok(match v {
        Value::String(s) => {
            let mut out = String::new();
            let mut rest = s.as_str();
            while let Some(start) = rest.find("{{") {
                let end = rest[start..].find("}}").ok_or_else(|| format!("unclosed placeholder in `{s}`"))? + start;
                let found = lookup(&rest[start + 2..end], binds)?;
                if start == 0 && end + 2 == rest.len() && out.is_empty() && !found.is_string() {
                    return Ok(found);
                }
                out.push_str(&rest[..start]);
                match found {
                    Value::String(x) => out.push_str(&x),
                    other => out.push_str(&other.to_string()),
                }
                rest = &rest[end + 2..];
            }
            out.push_str(rest);
            Value::String(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| substitute(i, binds)).collect::<Result<_, _>>()?),
        Value::Object(m) => Value::Object(
            m.iter().map(|(k, v)| Ok((k.clone(), substitute(v, binds)?))).collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

fn lookup(path: &str, binds: &HashMap<String, Value>) -> Result<Value, String> {
    let mut parts = path.trim().split('.');
    let name = parts.next().unwrap_or_default();
    let mut v = binds.get(name).ok_or_else(|| format!("no setup step is bound to `{name}`"))?;
    for p in parts {
        v = v.get(p).ok_or_else(|| format!("the answer bound to `{name}` has no `{path}`"))?;
    }
    Ok(v.clone())
}

/// Fills the `{param}` segments of a path template from the fields of the
/// same names in `body`.
pub fn fill_path(template: &str, body: Option<&Value>) -> Result<String, String> {
    let mut out = String::new();
    for seg in template.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => match body.and_then(|b| b.get(param)).and_then(Value::as_str) {
                Some(v) => out.push_str(v),
                None => return Err(format!("the path `{template}` needs `{param}`, which the step's body does not give")),
            },
            None => out.push_str(seg),
        }
    }
    Ok(out)
}

/// What kind of server-made value a string is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// An ID: a prefix, `_`, and base62 characters.
    Id(String),
    /// An RFC 3339 timestamp.
    Timestamp,
    /// A URL of the API itself.
    ApiUri(String),
    /// Anything else: compared by value.
    Plain,
}

const API_BASE: &str = "https://api.ngrok.com";

fn id_prefix(s: &str) -> Option<&str> {
    let (prefix, rest) = s.split_once('_')?;
    let ok = !prefix.is_empty()
        && prefix.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && rest.len() >= 20
        && rest.chars().all(|c| c.is_ascii_alphanumeric());
    ok.then_some(prefix)
}

fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[..4].iter().all(u8::is_ascii_digit)
        && (s.ends_with('Z') || s[19..].contains(['+', '-']))
}

/// The shape of a value the server sent.
pub fn shape_of(s: &str) -> Shape {
    if let Some(p) = id_prefix(s) {
        return Shape::Id(p.to_string());
    }
    if is_timestamp(s) {
        return Shape::Timestamp;
    }
    if let Some(path) = s.strip_prefix(API_BASE) {
        return Shape::ApiUri(path.to_string());
    }
    Shape::Plain
}

/// The path with every ID replaced by its prefix, and the query dropped.
fn skeleton(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    path.split('/').map(|seg| id_prefix(seg).map_or_else(|| seg.to_string(), |p| format!("{p}_*"))).collect::<Vec<_>>().join("/")
}

impl Shape {
    /// Whether the emulator's `got` has this shape; URIs are the
    /// emulator's own (`base`) with the same path but for the IDs in it.
    pub fn matches(&self, got: &str, base: &str) -> bool {
        match self {
            Shape::Id(p) => id_prefix(got) == Some(p.as_str()),
            Shape::Timestamp => is_timestamp(got),
            Shape::ApiUri(path) => got.strip_prefix(base).is_some_and(|g| skeleton(g) == skeleton(path)),
            Shape::Plain => true,
        }
    }
}
