//! Fields the server works out itself, by the rule the spec gives each one:
//! read from a PEM certificate, read from a URL, assigned by the server,
//! the owner of the object, or a default for a value left unset.

use std::cell::OnceCell;

use serde_json::{Map, Value};

use crate::assign;
use crate::cert;
use crate::net;
use crate::util::Rng;

/// How one field is worked out.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Rule<'a> {
    /// A fact of the leaf certificate in the PEM held by field `from`.
    Pem { from: &'a str, part: &'a str },
    /// A fact of the URL (or list of URLs) held by field `from`.
    Url { from: &'a str, part: &'a str },
    /// A value the server invents; `from` names the field it depends on,
    /// when it depends on one.
    Assigned { part: &'a str, from: Option<&'a str> },
    /// The principal making the request.
    Owner { part: &'a str },
    /// A value the server fills in when the request leaves it unset.
    Default { value: &'a Value },
}

/// What a field holds when nothing but its own shape is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holds {
    /// A `{id, uri}` reference.
    Ref,
    /// Anything else.
    Value,
}

/// What computing needs beyond the object itself.
pub(crate) struct Env<'a> {
    pub rng: &'a Rng,
    pub base: &'a str,
    /// The key shared by the SAML URLs of one module, made when first asked.
    saml: OnceCell<String>,
}

impl<'a> Env<'a> {
    pub fn new(rng: &'a Rng, base: &'a str) -> Env<'a> {
        Env { rng, base, saml: OnceCell::new() }
    }

    /// The same environment for another object (SAML URLs not shared).
    pub fn fresh(&self) -> Env<'a> {
        Env::new(self.rng, self.base)
    }

    fn saml_key(&self) -> &str {
        self.saml.get_or_init(|| assign::saml_key(self.rng))
    }
}

/// Whether a stored value counts as not given.
pub(crate) fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(m)) => m.is_empty(),
        Some(_) => false,
    }
}

/// Whether the rule's value follows its source and is worked out again on
/// every write, rather than filled in once when empty.
pub(crate) fn follows_source(rule: &Rule<'_>) -> bool {
    matches!(rule, Rule::Pem { .. } | Rule::Url { .. })
}

/// The value of field `field` of `obj` under `rule`: `Ok(None)` when there
/// is nothing to compute (the source is not given, or an assigned value
/// does not apply, such as the CNAME target of an ngrok domain). An error
/// says why a source value cannot be read.
pub(crate) fn value(rule: &Rule<'_>, holds: Holds, obj: &Map<String, Value>, env: &Env<'_>) -> Result<Option<Value>, String> {
    match rule {
        Rule::Pem { from, part } => {
            let Some(text) = obj.get(*from).and_then(Value::as_str).filter(|s| !s.is_empty()) else { return Ok(None) };
            if *part == "private_key_type" {
                let kind = cert::key_type(text).map_err(|e| format!("the field `{from}` cannot be read: {e}"))?;
                return Ok(kind.map(|k| Value::String(k.to_string())));
            }
            let facts = cert::facts(text).map_err(|e| format!("the field `{from}` cannot be read: {e}"))?;
            Ok(facts.part(part))
        }
        Rule::Url { from, part } => match obj.get(*from) {
            Some(Value::String(s)) if !s.is_empty() => {
                let facts = net::url_facts(s).map_err(|e| format!("the field `{from}` cannot be read: {e}"))?;
                Ok(facts.part(part))
            }
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for s in items.iter().filter_map(Value::as_str) {
                    let facts = net::url_facts(s).map_err(|e| format!("the field `{from}` cannot be read: {e}"))?;
                    out.extend(facts.part(part));
                }
                Ok(Some(Value::Array(out)))
            }
            _ => Ok(None),
        },
        Rule::Assigned { part, from } => Ok(assigned(part, from.and_then(|f| obj.get(f)), holds, env)),
        Rule::Owner { .. } => Ok(Some(owner(holds, env))),
        Rule::Default { value } => Ok(Some((*value).clone())),
    }
}

fn owner(holds: Holds, env: &Env<'_>) -> Value {
    match holds {
        Holds::Ref => assign::user_ref(env.base),
        Holds::Value => Value::String(assign::USER_ID.to_string()),
    }
}

fn assigned(part: &str, source: Option<&Value>, holds: Holds, env: &Env<'_>) -> Option<Value> {
    let text = source.and_then(Value::as_str).unwrap_or_default();
    let s = |v: String| Some(Value::String(v));
    match part {
        "tcp_addr" => s(assign::tcp_addr(env.rng)),
        "cname_target" => assign::cname_target(env.rng, text).map(Value::String),
        "region_domains" if !text.is_empty() => Some(serde_json::json!(assign::region_domains(text))),
        "ns_targets" => Some(serde_json::json!(assign::ns_targets(env.rng))),
        "hostnames" => {
            let urls: Vec<&str> = source.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
            Some(Value::Array(assign::report_hostnames(&urls)))
        }
        "saml_entity_id" => s(assign::saml_url(env.saml_key(), "entity_id")),
        "saml_acs_url" => s(assign::saml_url(env.saml_key(), "acs")),
        "saml_slo_url" => s(assign::saml_url(env.saml_key(), "slo")),
        "saml_metadata_url" => s(assign::saml_url(env.saml_key(), "metadata")),
        "request_signing_certificate" => s(assign::SAML_SIGNING_PEM.to_string()),
        "token" => s(env.rng.id("", 49)),
        "user_id" => Some(owner(holds, env)),
        _ => None,
    }
}

/// Whether the rule names a part this module can compute (for checking
/// the spec).
pub(crate) fn known(rule: &Rule<'_>) -> bool {
    match rule {
        Rule::Pem { part, .. } => cert::PARTS.contains(part),
        Rule::Url { part, .. } => net::URL_PARTS.contains(part),
        Rule::Assigned { part, .. } => assign::ASSIGNED_PARTS.contains(part),
        Rule::Owner { part } => matches!(*part, "user_id" | "user_ref"),
        Rule::Default { .. } => true,
    }
}

/// Applies `rule` to field `field` of `obj`: fills it when it is empty, or
/// (for rules that follow a source) whenever its source is given.
pub(crate) fn apply(
    field: &str,
    rule: &Rule<'_>,
    holds: Holds,
    obj: &mut Map<String, Value>,
    env: &Env<'_>,
) -> Result<(), String> {
    if !follows_source(rule) && !is_empty(obj.get(field)) {
        return Ok(());
    }
    if let Some(v) = value(rule, holds, obj, env)? {
        obj.insert(field.to_string(), v);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LEAF: &str = include_str!("../testdata/leaf-rsa.pem");

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn certificate_fields_follow_the_pem() {
        let rng = Rng::new();
        let env = Env::new(&rng, "http://h");
        let mut o = obj(json!({"certificate_pem": LEAF, "serial_number": "stale"}));
        apply("serial_number", &Rule::Pem { from: "certificate_pem", part: "serial_number" }, Holds::Value, &mut o, &env)
            .expect("pem");
        assert_eq!(o["serial_number"], "a1b2c3d4e5f");
        let mut bad = obj(json!({"certificate_pem": "nope"}));
        let e = apply("not_after", &Rule::Pem { from: "certificate_pem", part: "not_after" }, Holds::Value, &mut bad, &env);
        assert!(e.err().is_some_and(|e| e.contains("`certificate_pem`")));
        let mut none = Map::new();
        apply("not_after", &Rule::Pem { from: "certificate_pem", part: "not_after" }, Holds::Value, &mut none, &env)
            .expect("no source");
        assert!(none.is_empty());
    }

    #[test]
    fn url_fields_follow_the_url_and_lists_map() {
        let rng = Rng::new();
        let env = Env::new(&rng, "http://h");
        let mut o = obj(json!({"url": "https://a.example.com:443", "urls": ["https://b.example.com/x"]}));
        for (f, part) in [("public_url", "public_url"), ("hostport", "hostport"), ("proto", "proto"), ("url", "url")] {
            apply(f, &Rule::Url { from: "url", part }, Holds::Value, &mut o, &env).expect("url");
        }
        assert_eq!(o["url"], "https://a.example.com");
        assert_eq!(o["public_url"], "https://a.example.com");
        assert_eq!(o["hostport"], "a.example.com:443");
        assert_eq!(o["proto"], "https");
        apply("hosts", &Rule::Url { from: "urls", part: "host" }, Holds::Value, &mut o, &env).expect("list");
        assert_eq!(o["hosts"], json!(["b.example.com"]));
    }

    #[test]
    fn assigned_owner_and_default_fill_only_empty_fields() {
        let rng = Rng::new();
        let env = Env::new(&rng, "http://h");
        let mut o = obj(json!({"domain": "app.example.com", "addr": "", "terminate_at": "upstream"}));
        let addr = Rule::Assigned { part: "tcp_addr", from: None };
        apply("addr", &addr, Holds::Value, &mut o, &env).expect("addr");
        let first = o["addr"].clone();
        assert!(first.as_str().is_some_and(|a| a.contains(".tcp.ngrok.io:")));
        apply("addr", &addr, Holds::Value, &mut o, &env).expect("again");
        assert_eq!(o["addr"], first, "an assigned value is kept");
        let cname = Rule::Assigned { part: "cname_target", from: Some("domain") };
        apply("cname_target", &cname, Holds::Value, &mut o, &env).expect("cname");
        assert!(o["cname_target"].as_str().is_some_and(|c| c.ends_with(".ngrok-cname.com")));
        let mut managed = obj(json!({"domain": "x.ngrok.app"}));
        apply("cname_target", &cname, Holds::Value, &mut managed, &env).expect("managed");
        assert!(!managed.contains_key("cname_target"));
        let default = json!("edge");
        apply("terminate_at", &Rule::Default { value: &default }, Holds::Value, &mut o, &env).expect("default");
        assert_eq!(o["terminate_at"], "upstream", "a given value wins over the default");
        o.remove("terminate_at");
        apply("terminate_at", &Rule::Default { value: &default }, Holds::Value, &mut o, &env).expect("default");
        assert_eq!(o["terminate_at"], "edge");
        apply("owner_id", &Rule::Owner { part: "user_id" }, Holds::Value, &mut o, &env).expect("owner");
        assert_eq!(o["owner_id"], assign::USER_ID);
        apply("created_by", &Rule::Owner { part: "user_ref" }, Holds::Ref, &mut o, &env).expect("owner ref");
        assert_eq!(o["created_by"]["id"], assign::USER_ID);
    }

    #[test]
    fn saml_urls_of_one_module_share_a_key() {
        let rng = Rng::new();
        let env = Env::new(&rng, "http://h");
        let mut o = Map::new();
        for (f, part) in [("entity_id", "saml_entity_id"), ("assertion_consumer_service_url", "saml_acs_url")] {
            apply(f, &Rule::Assigned { part, from: None }, Holds::Value, &mut o, &env).expect("saml");
        }
        let entity = o["entity_id"].as_str().unwrap_or_default().to_string();
        assert_eq!(o["assertion_consumer_service_url"], format!("{entity}/acs"));
        let other = env.fresh();
        let mut p = Map::new();
        apply("entity_id", &Rule::Assigned { part: "saml_entity_id", from: None }, Holds::Value, &mut p, &other).expect("saml");
        assert_ne!(p["entity_id"], o["entity_id"]);
    }

    #[test]
    fn unknown_parts_are_reported_as_unknown() {
        assert!(known(&Rule::Pem { from: "x", part: "serial_number" }));
        assert!(!known(&Rule::Pem { from: "x", part: "favourite_colour" }));
        assert!(!known(&Rule::Assigned { part: "moon_phase", from: None }));
        assert!(known(&Rule::Owner { part: "user_ref" }));
    }
}
