//! Taking secrets out of recorded exchanges: values of the fields the spec
//! marks `secret` in the types of the operation recorded, and, since a
//! recording of the live API may hold fields the spec does not know yet,
//! values of credential-like keys, PEM private keys, and given secrets (the
//! API key) anywhere in text.

use serde_json::Value;

/// What replaces a secret.
pub(crate) const REDACTED: &str = "[redacted]";

/// Whether the value under this key is a secret: a field the spec marks
/// `secret` in the types of the operation (`marked`), or a credential-like
/// name.
fn secret_key(key: &str, marked: &[String]) -> bool {
    let k = key.to_ascii_lowercase();
    matches!(
        k.as_str(),
        "token" | "api_key" | "apikey" | "password" | "secret" | "client_secret" | "private_key" | "auth_token"
            | "secret_key" | "access_key" | "secret_access_key" | "session_token" | "webhook_secret"
            | "signing_secret" | "credentials"
    ) || k.ends_with("_token")
        || k.ends_with("_secret")
        || k.ends_with("_password")
        || k.starts_with("private_key")
        || k.ends_with("_private_key")
        || marked.iter().any(|m| *m == key)
}

/// The value, sent to or answered by the operation `method path`, with
/// every secret replaced by [`REDACTED`]. `null` and empty values stay as
/// they are: they hide nothing and say what the server sent.
pub(crate) fn scrub(v: &Value, method: &str, path: &str, secrets: &[String]) -> Value {
    let marked = crate::table::table().secret_fields(method, path);
    scrub_in(v, &marked, secrets)
}

fn scrub_in(v: &Value, marked: &[String], secrets: &[String]) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let hidden = secret_key(k, marked) && !is_empty(x);
                    (k.clone(), if hidden { Value::String(REDACTED.into()) } else { scrub_in(x, marked, secrets) })
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| scrub_in(x, marked, secrets)).collect()),
        Value::String(s) => Value::String(scrub_text(s, secrets)),
        other @ Value::Null | other @ Value::Bool(_) | other @ Value::Number(_) => other.clone(),
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

/// Text with the given secrets and any PEM private key replaced.
pub(crate) fn scrub_text(s: &str, secrets: &[String]) -> String {
    let mut out = s.to_string();
    for secret in secrets {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), REDACTED);
        }
    }
    while let Some(start) = find_private_key(&out) {
        let end = out[start..]
            .find("-----END")
            .and_then(|e| out[start + e..].find("KEY-----").map(|k| start + e + k + "KEY-----".len()))
            .unwrap_or(out.len());
        out.replace_range(start..end, REDACTED);
    }
    out
}

fn find_private_key(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find("-----BEGIN") {
        let at = from + i;
        let line_end = s[at..].find('\n').map_or(s.len(), |n| at + n);
        if s[at..line_end].contains("PRIVATE KEY") {
            return Some(at);
        }
        from = at + "-----BEGIN".len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_taken_out_and_nothing_else() {
        let v = json!({
            "id": "ak_1", "token": "tok-123", "description": "keep",
            "target": {"datadog": {"api_key": "dd-1", "ddsite": "datadoghq.com"}},
            "oauth": {"client_id": "cid", "client_secret": "cs-1"},
            "private_key_pem": "-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----\n",
            "note": "my key is K-SECRET-9 ok",
            "certificate_pem": "-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----\n",
            "embedded": "x -----BEGIN EC PRIVATE KEY-----\nCCC\n-----END EC PRIVATE KEY----- y",
            "empty_token": null,
        });
        let out = scrub(&v, "POST", "/api_keys", &["K-SECRET-9".to_string()]);
        let text = out.to_string();
        for secret in ["tok-123", "dd-1", "cs-1", "AAA", "K-SECRET-9", "CCC"] {
            assert!(!text.contains(secret), "{secret} left in {text}");
        }
        for kept in ["keep", "datadoghq.com", "cid", "BBB", "ak_1"] {
            assert!(text.contains(kept), "{kept} lost from {text}");
        }
        assert_eq!(out["empty_token"], Value::Null);
        assert_eq!(out["embedded"], json!("x [redacted] y"));
        // A secret's `value` is one by the spec's mark on the create and the
        // update, not by its name.
        let secret = scrub(&json!({"name": "n", "value": "s3cr3t"}), "POST", "/vault_secrets", &[]);
        assert_eq!(secret["value"], json!(REDACTED));
        let changed = scrub(&json!({"value": "s3cr3t"}), "PATCH", "/vault_secrets/sec_1", &[]);
        assert_eq!(changed["value"], json!(REDACTED));
        let not_secret = scrub(&json!({"value": "plain"}), "POST", "/edges/https/x/routes", &[]);
        assert_eq!(not_secret["value"], json!("plain"));
    }
}
