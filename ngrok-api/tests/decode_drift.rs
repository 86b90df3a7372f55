//! Where a response differs from what the spec says the server sends (a
//! field it always sends came missing, or `null`), decoding still succeeds
//! and the SDK says so once per type, field and kind at `debug` level on
//! the `ngrok_api::drift` target; a field the server leaves out when empty
//! is not drift.

use std::io::Write;
use std::sync::{Arc, Mutex};

use ngrok_api::types::{ApiKey, Endpoint};

/// A writer keeping what a subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).lines().map(str::to_owned).collect()
    }
}

fn with_debug_logs<T>(f: impl FnOnce() -> T) -> (T, Vec<String>) {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let out = tracing::subscriber::with_default(subscriber, f);
    (out, logs.lines())
}

// One test: what is said once is said once per process.
#[test]
fn drift_is_said_once_per_type_field_and_kind_and_never_fails_decoding() {
    // Without a subscriber at debug, nothing is said and nothing is used
    // up: the notes still come once one is installed.
    let quiet: ApiKey = serde_json::from_str(r#"{"id": "ak_1", "uri": null}"#).expect("decodes");
    assert_eq!(quiet.uri, "");

    let body = r#"{"id": "ak_1", "uri": null, "owner_id": "usr_1", "token": null}"#;
    let (keys, lines) = with_debug_logs(|| {
        (0..3).map(|_| serde_json::from_str::<ApiKey>(body).expect("decodes")).collect::<Vec<_>>()
    });
    assert!(keys.iter().all(|k| k.uri.is_empty() && k.created_at.is_empty() && k.owner_id == "usr_1"));
    let drift: Vec<&String> = lines.iter().filter(|l| l.contains("ngrok_api::drift")).collect();
    let about = |field: &str, came: &str| {
        drift.iter().filter(|l| l.contains("model=\"ApiKey\"") && l.contains(&format!("field=\"{field}\"")) && l.contains(&format!("came=\"{came}\""))).count()
    };
    assert_eq!(about("uri", "null"), 1, "{lines:#?}");
    assert_eq!(about("created_at", "missing"), 1, "{lines:#?}");
    // `description` and `metadata` are left out when empty, `token` may be
    // null: what the spec says, so not drift.
    for field in ["description", "metadata", "token"] {
        assert!(!drift.iter().any(|l| l.contains(&format!("field=\"{field}\""))), "{field}: {lines:#?}");
    }

    // An endpoint without its kind-specific fields (a cloud endpoint has no
    // `scheme`, `host`, `port`) is no drift; one without `type` is.
    let cloud = r#"{"id": "ep_1", "created_at": "2025-09-04T10:11:35Z", "updated_at": "2025-09-04T10:11:35Z",
        "public_url": "https://a.example.com", "proto": "https", "hostport": "a.example.com:443",
        "url": "https://a.example.com", "bindings": ["public"], "uri": "https://api.ngrok.com/endpoints/ep_1",
        "pooling_enabled": false}"#;
    let (endpoint, lines) = with_debug_logs(|| serde_json::from_str::<Endpoint>(cloud).expect("decodes"));
    assert_eq!(endpoint.port, 0);
    assert!(endpoint.scheme.is_empty());
    let drift: Vec<&String> = lines.iter().filter(|l| l.contains("ngrok_api::drift")).collect();
    assert_eq!(drift.len(), 1, "{lines:#?}");
    assert!(drift[0].contains("model=\"Endpoint\"") && drift[0].contains("field=\"type\""), "{lines:#?}");
}
