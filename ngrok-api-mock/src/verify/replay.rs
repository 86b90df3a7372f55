//! One file replayed on a fresh emulator, and the answers compared.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::plan::{Plan, substitute};
use super::diff::{DiffClass, Difference};
use crate::MockServer;

/// Replays a plan on a fresh emulator.
pub(super) async fn replay(plan: &Plan) -> Result<Vec<Difference>, String> {
    // Writes to sunset services (edges) are allowed unless the recording
    // shows the account refused them.
    let refused = plan.steps.iter().any(|s| s.expect.as_ref().is_some_and(|e| e.body["error_code"] == "ERR_NGROK_7196"));
    let builder = MockServer::builder().legacy_writes(!refused);
    let mock = match &plan.seed {
        Some(_) => builder.no_default_seed().start().await.map_err(|e| e.to_string())?,
        None => builder.start().await.map_err(|e| e.to_string())?,
    };
    let base = mock.url().to_string();
    let mut cx = Cx { upstream: plan.upstream.clone(), base: base.clone(), ids: HashMap::new() };
    if let Some(seed) = &plan.seed {
        mock.seed_all(&cx.rewrite(seed)).map_err(|e| format!("cannot seed the objects the recording reads: {e}"))?;
    }
    let http = reqwest::Client::new();
    let mut binds: HashMap<String, Value> = HashMap::new();
    let mut diffs = Vec::new();
    for (i, step) in plan.steps.iter().enumerate() {
        let body = substitute(&step.body, &binds)?;
        let path = substitute(&Value::String(step.path.clone()), &binds)?.as_str().unwrap_or_default().to_string();
        let path = cx.rewrite_text(&path);
        let query = step.query.as_deref().map(|q| cx.rewrite_text(q));
        let url = match &query {
            Some(q) => format!("{base}{path}?{q}"),
            None => format!("{base}{path}"),
        };
        let body = cx.rewrite(&body);
        let method = reqwest::Method::from_bytes(step.method.as_bytes())
            .map_err(|_| format!("step {}: `{}` is not an HTTP method", i + 1, step.method))?;
        let mut rb = http.request(method, &url).bearer_auth("verify-key").header("Ngrok-Version", "2");
        if !body.is_null() {
            rb = rb.header("Content-Type", "application/json").body(serde_json::to_vec(&body).unwrap_or_default());
        }
        let resp = rb.send().await.map_err(|e| format!("step {}: the emulator did not answer: {e}", i + 1))?;
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        let got = if text.trim().is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        let request = format!("{} {}", step.method, step.path);
        let Some(expect) = &step.expect else {
            if !(200..300).contains(&status) {
                return Err(format!("setup step {} ({request}) answered {status}: {got}", i + 1));
            }
            if let Some(name) = &step.bind {
                binds.insert(name.clone(), got);
            }
            continue;
        };
        let mut found = Vec::new();
        if status != expect.status {
            found.push((DiffClass::Status, String::new(), format!("the server answers {}, the emulator {status}: {}", expect.status, truncate(&got.to_string()))));
        } else if status >= 400 {
            compare_error(&expect.body, &got, &mut found);
        } else {
            let sent = &step.body;
            cx.compare(&expect.body, Some(&got), "", &expect.computed, sent, &mut found);
            for p in &expect.computed {
                if got.pointer(p).is_none() {
                    found.push((DiffClass::ComputedValue, p.clone(), "listed as computed, but the emulator's answer has no such value".into()));
                }
            }
        }
        diffs.extend(found.into_iter().map(|(class, pointer, detail)| Difference {
            class,
            step: i + 1,
            request: request.clone(),
            pointer,
            detail,
            known: None,
        }));
    }
    Ok(diffs)
}

/// The prefix of an ID: lower-case letters and digits, `_`, then at least
/// 20 letters and digits.
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
        && b[16] == b':'
        && (s.ends_with('Z') || s[19..].contains('+') || s[19..].contains('-'))
}

/// Replay state: the two base URLs and the live-to-emulator ID map.
struct Cx {
    upstream: String,
    base: String,
    ids: HashMap<String, String>,
}

impl Cx {
    /// Text with the live base URL and the mapped IDs replaced.
    fn rewrite_text(&self, s: &str) -> String {
        let mut out = s.replace(&self.upstream, &self.base);
        if !self.ids.is_empty() {
            out = out
                .split_inclusive(['/', '?', '&', '=', ',', ' '])
                .map(|piece| {
                    let end = piece.len() - piece.chars().last().filter(|c| "/?&=, ".contains(*c)).map_or(0, char::len_utf8);
                    let (word, sep) = piece.split_at(end);
                    match self.ids.get(word) {
                        Some(new) => format!("{new}{sep}"),
                        None => piece.to_string(),
                    }
                })
                .collect();
        }
        out
    }

    fn rewrite(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.rewrite_text(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.rewrite(x)).collect()),
            Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k.clone(), self.rewrite(x))).collect()),
            other @ Value::Null | other @ Value::Bool(_) | other @ Value::Number(_) => other.clone(),
        }
    }

    /// A URL or path with its base and IDs reduced to their shape.
    /// The query's pairs are sorted: their order carries no meaning.
    fn skeleton(&self, s: &str, base: &str) -> String {
        let s = s.replacen(base, "<api>", 1);
        let shape = |seg: &str| id_prefix(seg).map_or_else(|| seg.to_string(), |p| format!("{p}_*"));
        let (path, query) = s.split_once('?').unwrap_or((&s, ""));
        let mut pairs: Vec<String> =
            query.split('&').filter(|p| !p.is_empty()).map(|p| p.split('=').map(shape).collect::<Vec<_>>().join("=")).collect();
        pairs.sort();
        format!("{}?{}", path.split('/').map(shape).collect::<Vec<_>>().join("/"), pairs.join("&"))
    }

    /// Compares the emulator's `got` with the recorded `want` at pointer
    /// `at`; `sent` is the request body, to tell values given from values
    /// worked out.
    fn compare(
        &mut self,
        want: &Value,
        got: Option<&Value>,
        at: &str,
        computed: &BTreeSet<String>,
        sent: &Value,
        out: &mut Vec<(DiffClass, String, String)>,
    ) {
        let Some(got) = got else {
            out.push((DiffClass::MissingKey, at.to_string(), format!("the server sends {}, the emulator leaves the key out", truncate(&want.to_string()))));
            return;
        };
        let given = !at.is_empty() && sent.pointer(at).is_some();
        let value_class = if given { DiffClass::Value } else { DiffClass::ComputedValue };
        if computed.contains(at) {
            let filled = match got {
                Value::Null => false,
                Value::String(s) => !s.is_empty(),
                Value::Array(a) => !a.is_empty(),
                Value::Object(m) => !m.is_empty(),
                Value::Bool(_) | Value::Number(_) => true,
            };
            if !filled || std::mem::discriminant(want) != std::mem::discriminant(got) {
                out.push((DiffClass::ComputedValue, at.to_string(), format!("the server computes {}, the emulator answers {}", truncate(&want.to_string()), truncate(&got.to_string()))));
            }
            return;
        }
        match (want, got) {
            (Value::Null, Value::Null) => {}
            (Value::Null, g) => out.push((DiffClass::NullVsValue, at.to_string(), format!("the server sends null, the emulator {}", truncate(&g.to_string())))),
            (w, Value::Null) => out.push((DiffClass::NullVsValue, at.to_string(), format!("the server sends {}, the emulator null", truncate(&w.to_string())))),
            (Value::Object(w), Value::Object(g)) => {
                for k in g.keys().filter(|k| !w.contains_key(*k)) {
                    out.push((DiffClass::ExtraKey, format!("{at}/{k}"), format!("the server leaves this key out, the emulator sends {}", truncate(&g[k].to_string()))));
                }
                for (k, wv) in w {
                    self.compare(wv, g.get(k), &format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), computed, sent, out);
                }
            }
            (Value::Array(w), Value::Array(g)) => {
                if w.len() != g.len() {
                    out.push((value_class, at.to_string(), format!("the server sends {} items, the emulator {}", w.len(), g.len())));
                }
                for (i, (wi, gi)) in w.iter().zip(g).enumerate() {
                    self.compare(wi, Some(gi), &format!("{at}/{i}"), computed, sent, out);
                }
            }
            (Value::String(w), Value::String(g)) => self.compare_str(w, g, at, value_class, out),
            (w, g) if w != g => out.push((value_class, at.to_string(), format!("the server sends {}, the emulator {}", truncate(&w.to_string()), truncate(&g.to_string())))),
            _ => {}
        }
    }

    /// Compares two strings: IDs through the map (learning new pairs),
    /// timestamps and the API's URLs by shape, the rest by value.
    fn compare_str(&mut self, w: &str, g: &str, at: &str, value_class: DiffClass, out: &mut Vec<(DiffClass, String, String)>) {
        if let Some(prefix) = id_prefix(w) {
            match self.ids.get(w) {
                Some(mapped) if mapped == g => {}
                Some(mapped) => out.push((value_class, at.to_string(), format!("the server names {w} (here {mapped}), the emulator {g}"))),
                None if w == g => {}
                None if id_prefix(g) == Some(prefix) => match self.ids.iter().find(|(_, e)| *e == g) {
                    Some((other, _)) => out.push((
                        value_class,
                        at.to_string(),
                        format!("the server names {w}, the emulator {g}, which stands for the server's {other}"),
                    )),
                    None => {
                        self.ids.insert(w.to_string(), g.to_string());
                    }
                },
                None => out.push((value_class, at.to_string(), format!("the server sends the ID {w}, the emulator {g}"))),
            }
        } else if is_timestamp(w) {
            if !is_timestamp(g) {
                out.push((DiffClass::ComputedValue, at.to_string(), format!("the server sends the time {w}, the emulator {g}")));
            }
        } else if w.starts_with(&self.upstream) {
            if self.skeleton(w, &self.upstream) != self.skeleton(g, &self.base) {
                out.push((value_class, at.to_string(), format!("the server sends {w}, the emulator {g}")));
            }
        } else if w != g {
            out.push((value_class, at.to_string(), format!("the server sends {}, the emulator {}", truncate(&format!("{w:?}")), truncate(&format!("{g:?}")))));
        }
    }
}

/// An error body: the same keys and the same `status_code`; the code and
/// message are the emulator's own.
fn compare_error(want: &Value, got: &Value, out: &mut Vec<(DiffClass, String, String)>) {
    let (Some(w), Some(g)) = (want.as_object(), got.as_object()) else {
        if want != got {
            out.push((DiffClass::ComputedValue, String::new(), format!("the server's error is {}, the emulator's {}", truncate(&want.to_string()), truncate(&got.to_string()))));
        }
        return;
    };
    for k in w.keys().filter(|k| !g.contains_key(*k)) {
        out.push((DiffClass::MissingKey, format!("/{k}"), "the server's error has this key, the emulator's does not".into()));
    }
    for k in g.keys().filter(|k| !w.contains_key(*k)) {
        out.push((DiffClass::ExtraKey, format!("/{k}"), "the emulator's error has this key, the server's does not".into()));
    }
    if w.get("status_code") != g.get("status_code") {
        out.push((DiffClass::ComputedValue, "/status_code".into(), format!("the server sends {:?}, the emulator {:?}", w.get("status_code"), g.get("status_code"))));
    }
}

fn truncate(s: &str) -> String {
    if s.len() <= 120 {
        return s.to_string();
    }
    let mut end = 120;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::plan::LIVE_BASE;

    #[test]
    fn ids_in_paths_and_queries_are_mapped() {
        let mut cx = Cx { upstream: LIVE_BASE.into(), base: "http://127.0.0.1:9".into(), ids: HashMap::new() };
        cx.ids.insert("ipp_2QJkG1cN5vBx8qWm3rLt6ZeYo4K".into(), "ipp_00000000001abcdefghijklmnop".into());
        assert_eq!(
            cx.rewrite_text("https://api.ngrok.com/ip_policies/ipp_2QJkG1cN5vBx8qWm3rLt6ZeYo4K"),
            "http://127.0.0.1:9/ip_policies/ipp_00000000001abcdefghijklmnop"
        );
        assert_eq!(cx.rewrite_text("before_id=ipp_2QJkG1cN5vBx8qWm3rLt6ZeYo4K&limit=2"), "before_id=ipp_00000000001abcdefghijklmnop&limit=2");
        assert_eq!(cx.rewrite_text("ipp_2QJkG1cN5vBx8qWm3rLt6ZeYo4Kx"), "ipp_2QJkG1cN5vBx8qWm3rLt6ZeYo4Kx");
    }
}
