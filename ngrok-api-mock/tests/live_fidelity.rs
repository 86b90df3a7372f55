//! The emulator answers as the live API does: every recorded-style exchange
//! under `tests/fixtures/live/` is replayed (its setup calls first) and the
//! emulator's answer must have the same status, the same keys, `null`
//! exactly where the server sent `null`, and a non-empty value wherever the
//! server computes one. IDs, timestamps and URIs are compared by shape;
//! every other value the server sent must come back equal.
//!
//! Also: the emulator refuses a bad CIDR, PEM, URL and filter with a 400 in
//! ngrok's error shape.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use ngrok_api_mock::MockServer;
use serde_json::{Map, Value, json};

mod fidelity_support;
use fidelity_support::{Api, Shape, fill_path, shape_of, substitute};

/// Differences from the live API the emulator keeps knowingly (also listed
/// in the README): fixture, JSON pointer, why. The test fails if one of
/// them stops differing, so the list stays true.
const KNOWN: &[(&str, &str, &str)] = &[
    (
        "reserved_domains/create_custom.json",
        "/region",
        "the server ignores the region a reserved domain is created with; the spec cannot state that, so the emulator keeps it",
    ),
    (
        "reserved_domains/update_legacy_configuration.json",
        "/https_endpoint_configuration",
        "legacy endpoint configurations (`ec_`) are no service of the spec, so the emulator cannot show a reference to one",
    ),
];

/// The API description the SDK and the emulator are generated from: where
/// a setup step names only a service and an operation, its method and path
/// come from here.
const API_JSON: &str = include_str!("../src/generated/api.json");

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/live")
}

fn fixture_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            fixture_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// The description of `operation` of `service`, and whether the service can
/// create objects through the API.
fn describe(service: &str, op: &str) -> Result<(Value, bool), String> {
    let api: Value = serde_json::from_str(API_JSON).map_err(|e| format!("api.json: {e}"))?;
    let svc = api["services"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["accessor"] == service)
        .ok_or_else(|| format!("no service `{service}`"))?;
    let ops = svc["operations"].as_array().cloned().unwrap_or_default();
    let creates = ops.iter().any(|o| o["kind"] == "create");
    let o = ops.into_iter().find(|o| o["name"] == op).ok_or_else(|| format!("service `{service}` has no operation `{op}`"))?;
    Ok((o, creates))
}

/// The method and path template of `operation` of `service`.
fn operation(service: &str, op: &str) -> Result<(String, String), String> {
    let (o, _) = describe(service, op)?;
    Ok((o["method"].as_str().unwrap_or_default().to_string(), o["path"].as_str().unwrap_or_default().to_string()))
}

/// Whether `path` (no query) is an instance of the path template.
fn fits(template: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let t: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
    let p: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t.starts_with('{') || t == p)
}

/// Rewrites the live API's base URL in every string to the emulator's.
fn rebase(v: &Value, base: &str) -> Value {
    match v {
        Value::String(s) => Value::String(s.replace("https://api.ngrok.com", base)),
        Value::Array(a) => Value::Array(a.iter().map(|x| rebase(x, base)).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k.clone(), rebase(x, base))).collect()),
        other => other.clone(),
    }
}

/// The objects to seed before a fixture: its `seed` when it has one; for a
/// get or list of a service that cannot create objects through the API
/// (tunnel sessions come from agents), the recorded objects of the answer
/// (the listed items oldest first, since a list shows the newest first; or
/// the object got).
fn seed_of(fixture: &Value) -> Result<Option<Value>, String> {
    if let Some(seed) = fixture.get("seed") {
        return Ok(Some(seed.clone()));
    }
    let service = fixture["service"].as_str().unwrap_or_default();
    let (op, creates) = describe(service, fixture["operation"].as_str().unwrap_or_default())?;
    let reads = op["kind"] == "get" || op["kind"] == "list";
    if creates || !reads {
        return Ok(None);
    }
    let body = &fixture["response"]["body"];
    let objects = match op["items"]["field"].as_str() {
        Some(field) => Value::Array(body[field].as_array().into_iter().flatten().rev().cloned().collect()),
        None => Value::Array(vec![body.clone()]),
    };
    Ok(Some(json!({ service: objects })))
}

/// Runs the setup steps of a fixture, binding each named answer.
async fn setup(api: &Api, steps: &[Value], binds: &mut HashMap<String, Value>) -> Result<(), String> {
    for (i, step) in steps.iter().enumerate() {
        let step = substitute(step, binds)?;
        let body = step.get("body").cloned().filter(|b| !b.is_null());
        let (method, path) = match (step.get("method"), step.get("path")) {
            (Some(m), Some(p)) => (m.as_str().unwrap_or_default().to_string(), p.as_str().unwrap_or_default().to_string()),
            _ => {
                let service = step["service"].as_str().unwrap_or_default();
                let op = step["operation"].as_str().unwrap_or_default();
                let (m, template) = operation(service, op).map_err(|e| format!("setup step {i}: {e}"))?;
                (m, fill_path(&template, body.as_ref()).map_err(|e| format!("setup step {i}: {e}"))?)
            }
        };
        let (status, answer) = api.call(&method, &path, body.as_ref()).await;
        if !(200..300).contains(&status) {
            return Err(format!("setup step {i} ({method} {path}) answered {status}: {answer}"));
        }
        if let Some(name) = step.get("bind").and_then(Value::as_str) {
            binds.insert(name.to_string(), answer);
        }
    }
    Ok(())
}

/// Compares the emulator's answer `got` with the server's `want` at JSON
/// pointer `at`, collecting every difference.
fn compare(want: &Value, got: Option<&Value>, at: &str, computed: &BTreeSet<String>, base: &str, errs: &mut Vec<String>) {
    let shown = |v: Option<&Value>| v.map_or_else(|| "no key".to_string(), |v| truncate(&v.to_string()));
    let Some(got) = got else {
        errs.push(format!("{at}: the server sends {}, the emulator leaves the key out", truncate(&want.to_string())));
        return;
    };
    if computed.contains(at) {
        let filled = match got {
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(m) => !m.is_empty(),
            _ => true,
        };
        if !filled || std::mem::discriminant(want) != std::mem::discriminant(got) {
            errs.push(format!("{at}: the server computes {}, the emulator answers {}", shown(Some(want)), shown(Some(got))));
        }
        return;
    }
    match (want, got) {
        (Value::Null, Value::Null) => {}
        (Value::Null, other) => errs.push(format!("{at}: the server sends null, the emulator {}", shown(Some(other)))),
        (w, Value::Null) => errs.push(format!("{at}: the server sends {}, the emulator null", shown(Some(w)))),
        (Value::Object(w), Value::Object(g)) => compare_objects(w, g, at, computed, base, errs),
        (Value::Array(w), Value::Array(g)) => {
            if w.len() != g.len() {
                errs.push(format!("{at}: the server sends {} items, the emulator {}", w.len(), g.len()));
            }
            for (i, (wi, gi)) in w.iter().zip(g).enumerate() {
                compare(wi, Some(gi), &format!("{at}/{i}"), computed, base, errs);
            }
        }
        (Value::String(w), Value::String(g)) => match shape_of(w) {
            Shape::Plain if w != g => errs.push(format!("{at}: the server sends {want}, the emulator {got}")),
            Shape::Plain => {}
            shape => {
                if !shape.matches(g, base) {
                    errs.push(format!("{at}: the server sends {shape:?} {want}, the emulator {got}"));
                }
            }
        },
        (w, g) if w != g => errs.push(format!("{at}: the server sends {w}, the emulator {g}")),
        _ => {}
    }
}

fn compare_objects(
    want: &Map<String, Value>,
    got: &Map<String, Value>,
    at: &str,
    computed: &BTreeSet<String>,
    base: &str,
    errs: &mut Vec<String>,
) {
    for k in got.keys().filter(|k| !want.contains_key(*k)) {
        errs.push(format!("{at}/{k}: the server leaves this key out, the emulator sends {}", truncate(&got[k].to_string())));
    }
    for (k, w) in want {
        compare(w, got.get(k), &format!("{at}/{k}"), computed, base, errs);
    }
}

/// Compares an error body: the same keys, the same `status_code`, and a
/// non-empty value of the same JSON type for every other key.
fn compare_error(want: &Value, got: &Value, errs: &mut Vec<String>) {
    let (Some(w), Some(g)) = (want.as_object(), got.as_object()) else {
        errs.push(format!("the error body is not an object: {got}"));
        return;
    };
    let keys = |m: &Map<String, Value>| m.keys().cloned().collect::<BTreeSet<_>>();
    if keys(w) != keys(g) {
        errs.push(format!("error keys: the server sends {:?}, the emulator {:?}", keys(w), keys(g)));
    }
    for (k, wv) in w {
        let gv = g.get(k).unwrap_or(&Value::Null);
        let same_type = std::mem::discriminant(wv) == std::mem::discriminant(gv);
        let filled = !matches!(gv, Value::Null) && gv.as_str().is_none_or(|s| !s.is_empty());
        if (k == "status_code" && wv != gv) || !same_type || !filled {
            errs.push(format!("/{k}: the server sends {wv}, the emulator {gv}"));
        }
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

/// Replays one fixture on a fresh emulator; the differences found.
async fn replay(fixture: &Value) -> Result<Vec<String>, String> {
    let seed = seed_of(fixture)?;
    let mock = match &seed {
        // Recorded while edges were writable: the exchanges that write them
        // need an account that still may.
        Some(_) => MockServer::builder().no_default_seed().legacy_writes(true).start().await.map_err(|e| e.to_string())?,
        None => MockServer::builder().legacy_writes(true).start().await.map_err(|e| e.to_string())?,
    };
    if let Some(seed) = seed {
        mock.seed_all(&rebase(&seed, mock.url())).map_err(|e| format!("cannot seed: {e}"))?;
    }
    let api = Api::new(&mock);
    let mut binds = HashMap::new();
    setup(&api, fixture["setup"].as_array().map(Vec::as_slice).unwrap_or_default(), &mut binds).await?;
    let request = substitute(&fixture["request"], &binds)?;
    let method = request["method"].as_str().ok_or("the fixture's request has no method")?;
    let path = request["path"].as_str().ok_or("the fixture's request has no path")?;
    let (service, op) = (fixture["service"].as_str().unwrap_or_default(), fixture["operation"].as_str().unwrap_or_default());
    let (spec_method, template) = operation(service, op)?;
    if spec_method != method || !fits(&template, path) {
        return Err(format!("its request `{method} {path}` is not `{service}.{op}`, which is `{spec_method} {template}`"));
    }
    let body = request.get("body").filter(|b| !b.is_null());
    let (status, got) = api.call(method, path, body).await;
    let want_status = fixture["response"]["status"].as_u64().ok_or("the fixture's response has no status")?;
    let mut errs = Vec::new();
    if u64::from(status) != want_status {
        errs.push(format!("status: the server answers {want_status}, the emulator {status}: {}", truncate(&got.to_string())));
        return Ok(errs);
    }
    let computed: BTreeSet<String> =
        fixture["computed"].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect();
    let want = &fixture["response"]["body"];
    if want_status >= 400 {
        // The error's shape is the server's; its code and words are the
        // emulator's own.
        compare_error(want, &got, &mut errs);
        return Ok(errs);
    }
    compare(want, Some(&got), "", &computed, mock.url(), &mut errs);
    for p in &computed {
        if got.pointer(p).is_none() {
            errs.push(format!("{p}: listed as computed, but the emulator's answer has no such value"));
        }
    }
    Ok(errs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emulator_answers_every_live_fixture_as_the_server_does() {
    let mut files = Vec::new();
    fixture_files(&fixture_root(), &mut files);
    assert!(!files.is_empty(), "no fixtures under {}", fixture_root().display());
    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    for file in &files {
        let name = file.strip_prefix(fixture_root()).unwrap_or(file).display().to_string().replace('\\', "/");
        let fixture: Value = match std::fs::read_to_string(file).map_err(|e| e.to_string()).and_then(|t| {
            serde_json::from_str(&t).map_err(|e| e.to_string())
        }) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: unreadable: {e}"));
                continue;
            }
        };
        match replay(&fixture).await {
            Ok(errs) => {
                let unknown: Vec<String> = errs
                    .into_iter()
                    .filter(|e| match KNOWN.iter().position(|(f, at, _)| *f == name && e.starts_with(&format!("{at}:"))) {
                        Some(i) => {
                            seen.insert(i);
                            false
                        }
                        None => true,
                    })
                    .collect();
                if !unknown.is_empty() {
                    failures.push(format!("{name}:\n    {}", unknown.join("\n    ")));
                }
            }
            Err(e) => failures.push(format!("{name}: cannot be replayed: {e}")),
        }
    }
    for (i, (f, at, why)) in KNOWN.iter().enumerate() {
        if !seen.contains(&i) {
            failures.push(format!("{f} {at}: listed as a known difference ({why}), but the emulator now agrees: remove it"));
        }
    }
    assert!(failures.is_empty(), "{} differences in {} fixtures:\n{}", failures.len(), files.len(), failures.join("\n"));
}

/// A bad value of each checked format gets a 400 in ngrok's error shape,
/// with a message naming the field and what is wrong.
#[tokio::test]
async fn bad_cidr_pem_url_and_filter_are_refused() {
    let mock = MockServer::start().await;
    let api = Api::new(&mock);
    let (_, policy) = api.call("POST", "/ip_policies", Some(&json!({}))).await;
    let policy_id = policy["id"].as_str().unwrap_or_default().to_string();
    let cases = [
        ("POST", "/ip_policy_rules".to_string(), json!({"cidr": "not-a-cidr", "ip_policy_id": policy_id, "action": "allow"}), "cidr"),
        ("POST", "/tls_certificates".to_string(), json!({"certificate_pem": "not a pem", "private_key_pem": "nor this"}), "certificate_pem"),
        ("POST", "/certificate_authorities".to_string(), json!({"ca_pem": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}), "ca_pem"),
        ("POST", "/endpoints".to_string(), json!({"url": "not a url", "type": "cloud", "traffic_policy": r#"{"on_http_request":[{"actions":[{"type":"deny"}]}]}"#}), "url"),
    ];
    for (method, path, body, field) in cases {
        let (status, err) = api.call(method, &path, Some(&body)).await;
        assert_eq!(status, 400, "{path} with a bad `{field}`: {err}");
        assert_eq!(err["status_code"], 400);
        assert!(err["error_code"].as_str().is_some_and(|c| c.starts_with("ERR_NGROK_")), "{err}");
        assert!(err["msg"].as_str().is_some_and(|m| m.contains(field)), "{path}: the message names `{field}`: {err}");
    }
    let (status, _) = api.call("POST", "/ip_policy_rules", Some(&json!({"cidr": "10.0.0.0/8", "ip_policy_id": policy_id, "action": "allow"}))).await;
    assert_eq!(status, 201, "a good CIDR is accepted");
    for filter in ["obj.metadata.contains(", "obj.description", "1 + 1"] {
        let q: String = url::form_urlencoded::byte_serialize(filter.as_bytes()).collect();
        let (status, err) = api.call("GET", &format!("/ip_policies?filter={q}"), None).await;
        assert_eq!(status, 400, "filter `{filter}`: {err}");
        assert!(err["error_code"].as_str().is_some_and(|c| c.starts_with("ERR_NGROK_")), "{err}");
    }
}
