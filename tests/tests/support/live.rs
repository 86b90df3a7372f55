//! The recorded-style responses under `tests/fixtures/live/`: finding them,
//! reading them, and naming the SDK type of each one's response body.

use std::path::{Path, PathBuf};

use codegen::spec::Api;
use serde_json::Value;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The API description the SDK is generated from.
pub fn api() -> Api {
    codegen::spec::load(&root().join("spec")).unwrap_or_else(|e| panic!("{e}"))
}

/// Every fixture file, sorted.
pub fn fixture_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join("tests/fixtures/live"), &mut files);
    files.sort();
    files
}

/// A fixture's JSON.
pub fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The spec name of the type a fixture's response body has.
pub fn response_type(api: &Api, fixture: &Value) -> Result<String, String> {
    let status = fixture.pointer("/response/status").and_then(Value::as_u64).ok_or("no response status")?;
    if status >= 400 {
        return Ok("Error".into());
    }
    let service = fixture["service"].as_str().ok_or("no `service`")?;
    let operation = fixture["operation"].as_str().ok_or("no `operation`")?;
    let svc = api.service(service).ok_or_else(|| format!("the spec has no service `{service}`"))?;
    let op = svc
        .operations
        .iter()
        .find(|o| o.name == operation)
        .ok_or_else(|| format!("service `{service}` has no operation `{operation}`"))?;
    op.returns.clone().ok_or_else(|| format!("`{service}.{operation}` returns no body"))
}
