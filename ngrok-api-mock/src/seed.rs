//! The default seed: a few of the resources that only agents create, so a
//! fresh emulator has something to list. IDs are fixed so examples and
//! benchmarks can name them.

use serde_json::{Map, Value, json};

use crate::table::{FieldType, Shape, Table};

/// The ID with `prefix` whose 27 characters end in `tail`, padded with zeros.
fn fixed_id(prefix: &str, tail: &str) -> String {
    format!("{prefix}{tail:0>27}")
}

/// The hosts, protocols and sessions of the three seeded tunnels and their
/// endpoints.
const HOSTS: [&str; 3] = ["alpha.ngrok.app", "beta.ngrok.app", "gamma.ngrok.app"];
const PROTOS: [&str; 3] = ["https", "https", "tcp"];
const SESSION_OF: [usize; 3] = [0, 0, 1];

/// The seed a mock starts with unless told otherwise: two tunnel sessions,
/// three tunnels and three endpoints, an application user and a session.
pub fn default_seed() -> Value {
    let ts = [fixed_id("ts_", "MockSession1"), fixed_id("ts_", "MockSession2")];
    let cred = fixed_id("cr_", "MockCredential1");
    let tunnels = [fixed_id("tn_", "MockTunnel1"), fixed_id("tn_", "MockTunnel2"), fixed_id("tn_", "MockTunnel3")];
    let eps = [fixed_id("ep_", "MockEndpoint1"), fixed_id("ep_", "MockEndpoint2"), fixed_id("ep_", "MockEndpoint3")];
    let user = fixed_id("usr_", "MockAppUser1");
    let session = fixed_id("appses_", "MockAppSession1");
    let tunnel_list = tunnel_list(&ts, &tunnels, &eps);
    let endpoint_list = endpoint_list(&ts, &tunnels, &eps);
    json!({
        "tunnel_sessions": [
            {
                "id": ts[0],
                "agent_version": "3.22.1",
                "credential": {"id": cred},
                "ip": "203.0.113.10",
                "metadata": "{\"host\":\"build-1\"}",
                "os": "linux",
                "region": "us",
                "transport": "ngrok/v2",
            },
            {
                "id": ts[1],
                "agent_version": "3.22.1",
                "credential": {"id": cred},
                "ip": "203.0.113.11",
                "metadata": "{\"host\":\"laptop\"}",
                "os": "darwin",
                "region": "eu",
                "transport": "ngrok/v2",
            },
        ],
        "tunnels": tunnel_list,
        "endpoints": endpoint_list,
        "application_users": [{
            "id": user,
            "identity_provider": {"name": "Google", "url": "https://accounts.google.com"},
            "provider_user_id": "10000000000000000001",
            "username": "ada",
            "email": "ada@example.com",
            "name": "Ada Lovelace",
            // A signed-in user has been active and has logged in.
            "last_active": "2026-01-05T09:30:00Z",
            "last_login": "2026-01-05T09:00:00Z",
        }],
        "application_sessions": [{
            "id": session,
            "public_url": "https://alpha.ngrok.app",
            "browser_session": {
                "user_agent": {"raw": "Mozilla/5.0", "browser_name": "Firefox", "browser_version": "128.0",
                               "device_type": "desktop", "os_name": "Linux", "os_version": "6.1"},
                "ip_address": "203.0.113.20",
                "location": {"country_code": "GB", "latitude": 51.5, "longitude": -0.12, "lat_long_radius_km": 50},
            },
            "application_user": {"id": user},
            "endpoint": {"id": eps[0]},
            // A live session has been active and ends some day.
            "last_active": "2026-01-05T09:30:00Z",
            "expires_at": "2036-01-05T09:00:00Z",
        }],
    })
}

/// Checks a seed object of service `svc` against its resource type and
/// tidies it: `null`s, and an empty key (`id`) or own URI (`uri`), mean
/// "fill it in" (what a typed object built from `Default` holds), unknown
/// fields and values of the wrong JSON kind are refused with the field's
/// name.
pub(crate) fn check_seed(table: &Table, svc: usize, obj: &mut Map<String, Value>) -> Result<(), String> {
    let s = &table.services[svc];
    let fields = s.resource_type.as_deref().map(|rt| table.fields(rt)).unwrap_or_default();
    let filled = |k: &str| {
        k == s.key_param() || fields.iter().any(|f| f.name == k && matches!(f.computed, Some(ngrok_api_model::Computed::SelfUri)))
    };
    obj.retain(|k, v| !(v.is_null() || (v.as_str() == Some("") && filled(k))));
    let Some(rt) = s.resource_type.as_deref() else { return Ok(()) };
    let fields = table.fields(rt);
    let params = s.item_params();
    for (k, v) in obj.iter() {
        let Some(f) = fields.iter().find(|f| &f.name == k) else {
            if params.contains(&k.as_str()) {
                continue;
            }
            let known: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            return Err(format!("a {} object has no field `{k}`; its fields are {}", s.accessor, known.join(", ")));
        };
        let want = kind_of(table, &f.ty);
        if !fits(want, v) {
            return Err(format!("the field `{k}` of a {} object must be {want}, not `{v}`", s.accessor));
        }
    }
    Ok(())
}

/// The JSON kind a field type is written as.
fn kind_of(table: &Table, ty: &FieldType) -> &'static str {
    match ty {
        FieldType::String | FieldType::Timestamp => "a string",
        FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 => "an integer",
        FieldType::Float64 => "a number",
        FieldType::Bool => "a boolean",
        FieldType::Reference(_) => "a reference (`{\"id\": ...}` or an ID)",
        FieldType::Named(n) => match table.ty(n).map(|t| &t.shape) {
            Some(Shape::Enum { .. }) => "a string",
            _ => "an object",
        },
        FieldType::List(_) => "an array",
        FieldType::Map(_) => "an object",
    }
}

fn fits(kind: &str, v: &Value) -> bool {
    match kind {
        "a string" => v.is_string(),
        "an integer" => v.is_i64() || v.is_u64(),
        "a number" => v.is_number(),
        "a boolean" => v.is_boolean(),
        "an array" => v.is_array(),
        "an object" => v.is_object(),
        _ => v.is_object() || v.is_string(),
    }
}

/// The three seeded tunnels.
fn tunnel_list(ts: &[String; 2], tunnels: &[String; 3], eps: &[String; 3]) -> Vec<Value> {
    (0..3)
        .map(|i| {
            let url = if PROTOS[i] == "tcp" {
                "tcp://5.tcp.ngrok.io:21045".to_string()
            } else {
                format!("https://{}", HOSTS[i])
            };
            json!({
                "id": tunnels[i],
                "public_url": url,
                "proto": PROTOS[i],
                "region": "us",
                "metadata": if i == 0 { "{\"env\":\"prod\"}" } else { "{\"env\":\"dev\"}" },
                "tunnel_session": {"id": ts[SESSION_OF[i]]},
                "endpoint": {"id": eps[i]},
                "labels": {},
                "forwards_to": format!("http://localhost:{}", 8080 + i),
            })
        })
        .collect()
}

/// The endpoints of the three seeded tunnels, shaped as the server shows
/// agent-made endpoints (no `uri`, `region`, `description`, `metadata`,
/// `scheme`, `host` or `port`).
fn endpoint_list(ts: &[String; 2], tunnels: &[String; 3], eps: &[String; 3]) -> Vec<Value> {
    (0..3)
        .map(|i| {
            let url = if PROTOS[i] == "tcp" {
                "tcp://5.tcp.ngrok.io:21045".to_string()
            } else {
                format!("https://{}", HOSTS[i])
            };
            let (host, port) = if PROTOS[i] == "tcp" { ("5.tcp.ngrok.io", 21045) } else { (HOSTS[i], 443) };
            json!({
                "id": eps[i],
                "public_url": url,
                "url": url,
                "proto": PROTOS[i],
                "hostport": format!("{host}:{port}"),
                "type": "ephemeral",
                "name": format!("tunnel-{}", i + 1),
                "upstream_url": format!("http://localhost:{}", 8080 + i),
                "tunnel": {"id": tunnels[i]},
                "tunnel_session": {"id": ts[SESSION_OF[i]]},
                "bindings": ["public"],
                "pooling_enabled": false,
            })
        })
        .collect()
}

/// Where a server's seed comes from.
#[derive(Debug, Clone)]
pub(crate) enum SeedSource {
    Default,
    None,
    Json(Value),
    File(std::path::PathBuf),
}

impl SeedSource {
    /// The seed data this source names, as JSON text: the server keeps it
    /// and applies it at start and on reset (a file is checked to be JSON
    /// here).
    pub(crate) fn into_text(self) -> Result<Box<str>, crate::MockError> {
        let text = match self {
            SeedSource::Default => default_seed().to_string(),
            SeedSource::None => "{}".to_string(),
            SeedSource::Json(v) => v.to_string(),
            SeedSource::File(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|source| crate::MockError::SeedFile { path: path.clone(), source })?;
                serde_json::from_str::<serde::de::IgnoredAny>(&text)
                    .map_err(|e| crate::MockError::Seed(format!("{} is not valid JSON: {e}", path.display())))?;
                text
            }
        };
        Ok(text.into_boxed_str())
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::table;

    #[test]
    fn seeds_are_checked_against_the_model() {
        let t = table();
        let svc = t.service_index("tunnels").expect("tunnels");
        let mut ok = json!({"id": "", "region": "eu", "started_at": null, "labels": {"a": "b"}})
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert_eq!(check_seed(t, svc, &mut ok), Ok(()));
        assert!(!ok.contains_key("id") && !ok.contains_key("started_at"), "to be filled in: {ok:?}");
        // An empty key or own URI is filled in; an empty description stays.
        let policies = t.service_index("ip_policies").expect("IP policies");
        let mut policy = json!({"id": "", "uri": "", "description": ""}).as_object().cloned().unwrap_or_default();
        assert_eq!(check_seed(t, policies, &mut policy), Ok(()));
        assert_eq!(policy.keys().collect::<Vec<_>>(), ["description"], "{policy:?}");
        let mut unknown = json!({"regoin": "eu"}).as_object().cloned().unwrap_or_default();
        let e = check_seed(t, svc, &mut unknown).expect_err("unknown field");
        assert!(e.contains("`regoin`") && e.contains("region"), "{e}");
        let mut wrong = json!({"labels": ["a"]}).as_object().cloned().unwrap_or_default();
        let e = check_seed(t, svc, &mut wrong).expect_err("wrong kind");
        assert!(e.contains("`labels`") && e.contains("an object"), "{e}");
    }

    #[test]
    fn the_default_seed_fits_the_model() {
        let t = table();
        let Value::Object(seed) = default_seed() else { panic!("an object") };
        for (accessor, objs) in seed {
            let svc = t.service_index(&accessor).expect("a service");
            for o in objs.as_array().into_iter().flatten() {
                let mut o = o.as_object().cloned().unwrap_or_default();
                assert_eq!(check_seed(t, svc, &mut o), Ok(()), "{accessor}");
            }
        }
    }

    #[test]
    fn fixed_ids_have_27_characters() {
        let id = fixed_id("tn_", "MockTunnel1");
        assert_eq!(id.len(), 3 + 27);
        assert!(id.ends_with("MockTunnel1"));
    }
}
