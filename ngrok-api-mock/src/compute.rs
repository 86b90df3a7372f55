//! Fields the server works out itself, by the rule the spec gives each one:
//! read from a PEM certificate, read from a URL, assigned by the server,
//! the owner of the object, a reference to the object of another service
//! that a URL names, a default for a value left unset, a moment a fixed
//! time after another, the moment of a write, a key's kind, an SSH key
//! pair or certificate. Every field a rule reads is one the rule names.

use std::cell::OnceCell;

use serde_json::{Map, Value};

use ngrok_api_model::{Assigned, PemPart, StampOn, UrlPart};

use crate::assign;
use crate::cert;
use crate::net;
use crate::error::{ApiError, codes};
use crate::ssh::CertFields;
use crate::store::Store;
use crate::table::Table;
use crate::util::Rng;

mod rule;
pub(crate) use rule::Rule;

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
    /// The stored objects, for references found by lookup; without them a
    /// lookup finds nothing.
    objects: Option<(&'a Table, &'a Store)>,
    /// The key shared by the SAML URLs of one module, made when first asked.
    saml: OnceCell<String>,
    /// The time values are stamped with, in seconds since the epoch.
    now: u64,
}

impl<'a> Env<'a> {
    pub fn new(rng: &'a Rng, base: &'a str) -> Env<'a> {
        Env { rng, base, objects: None, saml: OnceCell::new(), now: crate::util::now_secs() }
    }

    /// The environment at the emulator's time `now`.
    pub fn at(mut self, now: u64) -> Env<'a> {
        self.now = now;
        self
    }

    /// The environment with the stored objects a lookup searches.
    pub fn with_objects(mut self, table: &'a Table, store: &'a Store) -> Env<'a> {
        self.objects = Some((table, store));
        self
    }

    /// The same environment for another object (SAML URLs not shared).
    pub fn fresh(&self) -> Env<'a> {
        Env { rng: self.rng, base: self.base, objects: self.objects, saml: OnceCell::new(), now: self.now }
    }

    /// A reference to the object of service `service` whose field `field`
    /// holds `value` (text without regard to case), or else, with
    /// `wildcard`, one whose `*.rest` covers it by one label.
    fn find(&self, service: &str, field: &str, value: &Value, wildcard: bool) -> Option<Value> {
        let (table, store) = self.objects?;
        let svc = table.service_index(service)?;
        let coll = store.colls.get(svc)?;
        let found = |matches: &dyn Fn(&Value) -> bool| {
            coll.order.values().find_map(|key| {
                let obj = coll.objects.get(key)?.fields();
                if !obj.value(field).is_some_and(|held| matches(&held)) {
                    return None;
                }
                let id = obj.str("id")?;
                let uri = obj.str("uri").map(|u| u.into_owned());
                let uri = uri.unwrap_or_else(|| table.item_uri(self.base, svc, &[&id]));
                Some(serde_json::json!({ "id": id, "uri": uri }))
            })
        };
        let exact = |held: &Value| match (held, value) {
            (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
            (a, b) => a == b,
        };
        found(&exact).or_else(|| {
            if !wildcard {
                return None;
            }
            let (_, rest) = value.as_str()?.split_once('.').filter(|(label, _)| !label.is_empty())?;
            let covers = |held: &Value| held.as_str().and_then(|h| h.strip_prefix("*.")).is_some_and(|h| h.eq_ignore_ascii_case(rest));
            found(&covers)
        })
    }

    /// The stored object whose `id` is `id`, in whichever service holds it,
    /// decoded.
    fn object(&self, id: &str) -> Option<Map<String, Value>> {
        let (table, store) = self.objects?;
        (0..table.services.len()).find_map(|svc| store.get(svc, id).map(|o| o.value()))
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

/// Whether the rule's value is worked out again on every write (it follows
/// its source, or it is the moment of every write), rather than filled in
/// once when empty.
pub(crate) fn on_every_write(rule: &Rule<'_>) -> bool {
    match rule {
        Rule::Pem { .. } | Rule::Url { .. } | Rule::Lookup { .. } => true,
        Rule::Stamp { on } => *on == StampOn::Write,
        Rule::Assigned { .. }
        | Rule::Owner { .. }
        | Rule::Later { .. }
        | Rule::Default { .. }
        | Rule::KeyKind { .. }
        | Rule::SshKeyPair { .. }
        | Rule::SshCertificate { .. }
        | Rule::ManagedCertificate
        | Rule::SelfUri => false,
    }
}

/// Whether the value is issued material, signed over the whole object
/// (its validity window, principals, ...), so it is worked out after the
/// object's other fields.
pub(crate) fn after_the_rest(rule: &Rule<'_>) -> bool {
    matches!(rule, Rule::SshCertificate { .. } | Rule::Assigned { part: Assigned::X509ClientCertificate, .. })
}

/// Whether the value depends only on what the request gave (a moment, a
/// key's kind), so it is worked out before the rules that may read it.
pub(crate) fn before_the_rest(rule: &Rule<'_>) -> bool {
    matches!(rule, Rule::Stamp { .. } | Rule::KeyKind { .. })
}

/// Whether the value is shown once, in the answer to the create request,
/// and never kept (a minted token).
pub(crate) fn shown_once(rule: &Rule<'_>) -> bool {
    matches!(rule, Rule::Assigned { part: Assigned::Token, .. })
}

fn unreadable(from: &str) -> impl Fn(String) -> String + '_ {
    move |e| format!("the field `{from}` cannot be read: {e}")
}

/// The value of field `field` of `obj` under `rule`: `Ok(None)` when there
/// is nothing to compute (the source is not given, or an assigned value
/// does not apply, such as the CNAME target of an ngrok domain). An error
/// says why a source value cannot be read.
pub(crate) fn value(
    field: &str,
    rule: &Rule<'_>,
    holds: Holds,
    obj: &Map<String, Value>,
    env: &Env<'_>,
) -> Result<Option<Value>, String> {
    match rule {
        Rule::Pem { from, part } => {
            let Some(text) = obj.get(*from).and_then(Value::as_str).filter(|s| !s.is_empty()) else { return Ok(None) };
            if *part == PemPart::PrivateKeyType {
                let kind = cert::key_type(text).map_err(unreadable(from))?;
                return Ok(kind.map(|k| Value::String(k.to_string())));
            }
            Ok(Some(cert::facts(text).map_err(unreadable(from))?.part(*part)))
        }
        Rule::Url { from, part } => match obj.get(*from) {
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(net::url_facts(s).map_err(unreadable(from))?.part(*part))),
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for s in items.iter().filter_map(Value::as_str) {
                    out.push(net::url_facts(s).map_err(unreadable(from))?.part(*part));
                }
                Ok(Some(Value::Array(out)))
            }
            _ => Ok(None),
        },
        Rule::Assigned { part: Assigned::X509ClientCertificate, from } => {
            let Some(csr) = from.and_then(|f| obj.get(f)).and_then(Value::as_str).filter(|s| !s.is_empty()) else { return Ok(None) };
            crate::issue::client_certificate(csr, env.now).map(Some)
        }
        Rule::Assigned { part, from } => Ok(assigned(field, *part, from.and_then(|f| obj.get(f)), env)),
        Rule::KeyKind { asked, from } => {
            let asked = asked.and_then(|f| obj.get(f)).and_then(Value::as_str).filter(|k| !k.is_empty());
            let seen = obj.get(*from).and_then(Value::as_str).and_then(crate::ssh::key_kind);
            Ok(Some(Value::String(asked.or(seen).unwrap_or("rsa").to_string())))
        }
        Rule::SshCertificate { ca, fields } => ssh_certificate(ca, fields, obj, env),
        // Worked out elsewhere: a key pair by `apply`, a managed certificate
        // by `provision`, the object's URI where it is made (`behave::locate`).
        Rule::SshKeyPair { .. } | Rule::ManagedCertificate | Rule::SelfUri => Ok(None),
        Rule::Owner { .. } => Ok(Some(match holds {
            Holds::Ref => assign::user_ref(env.base),
            Holds::Value => Value::String(assign::USER_ID.to_string()),
        })),
        Rule::Lookup { from, part, service, field: by, wildcard } => {
            let Some(url) = obj.get(*from).and_then(Value::as_str).filter(|s| !s.is_empty()) else { return Ok(None) };
            let key = net::url_facts(url).map_err(unreadable(from))?.part(*part);
            Ok(env.find(service, by, &key, *wildcard))
        }
        Rule::Default { value, cases } => {
            for case in cases.iter() {
                let Some(url) = obj.get(&case.from).and_then(Value::as_str).filter(|s| !s.is_empty()) else { continue };
                let host = net::url_facts(url).map_err(unreadable(&case.from))?.part(UrlPart::Host);
                let suffix = case.host_suffix.to_ascii_lowercase();
                if host.as_str().is_some_and(|h| h.to_ascii_lowercase().ends_with(&suffix)) {
                    return Ok(Some(case.value.clone()));
                }
            }
            Ok(Some((*value).clone()))
        }
        Rule::Stamp { .. } => Ok(Some(Value::String(crate::util::rfc3339(env.now)))),
        Rule::Later { from, seconds } => {
            let Some(text) = obj.get(*from).and_then(Value::as_str).filter(|s| !s.is_empty()) else { return Ok(None) };
            let start = chrono::DateTime::parse_from_rfc3339(text).map_err(|e| unreadable(from)(e.to_string()))?;
            let start = u64::try_from(start.timestamp()).map_err(|_| unreadable(from)("it is before 1970".into()))?;
            Ok(Some(Value::String(crate::util::rfc3339(start.saturating_add(*seconds)))))
        }
    }
}

/// An SSH certificate signed with the private key of the certificate
/// authority whose ID field `from` holds, over the fields `fields` names.
fn ssh_certificate(from: &str, fields: &CertFields<'_>, obj: &Map<String, Value>, env: &Env<'_>) -> Result<Option<Value>, String> {
    let Some(source) = obj.get(from).and_then(Value::as_str).filter(|s| !s.is_empty()) else { return Ok(None) };
    let Some(ca) = env.object(source) else {
        return Err(format!("the certificate authority `{source}` named by `{from}` does not exist"));
    };
    let Some(key) = ca.get(crate::ssh::SIGNING_KEY).and_then(Value::as_str) else {
        return Err(format!(
            "the certificate authority `{source}` was seeded with its public key only, so the emulator holds no \
             private key to sign with; seed it without `public_key` and the emulator makes a key pair"
        ));
    };
    crate::ssh::certificate(key, fields, obj).map(|c| Some(Value::String(c)))
}

fn assigned(field: &str, part: Assigned, source: Option<&Value>, env: &Env<'_>) -> Option<Value> {
    let text = source.and_then(Value::as_str).unwrap_or_default();
    let s = |v: String| Some(Value::String(v));
    match part {
        Assigned::TcpAddr => s(assign::tcp_addr(env.rng)),
        Assigned::CnameTarget if text.is_empty() => None,
        Assigned::CnameTarget => assign::cname_target(env.rng, text).map(Value::String),
        Assigned::AcmeChallengeCnameTarget => assign::acme_challenge_target(env.rng, text).map(Value::String),
        Assigned::RegionDomains if text.is_empty() => None,
        Assigned::RegionDomains => Some(serde_json::json!(assign::region_domains(text))),
        Assigned::NsTargets => Some(serde_json::json!(assign::ns_targets(env.rng))),
        // Issued over the whole object by `value`.
        Assigned::X509ClientCertificate => None,
        Assigned::AbuseHostnames => {
            let urls: Vec<&str> = source.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
            Some(Value::Array(assign::report_hostnames(&urls)))
        }
        Assigned::SamlSpUrl => s(assign::saml_url(env.saml_key(), field)),
        Assigned::SamlSpCertificate => s(assign::SAML_SIGNING_PEM.to_string()),
        Assigned::CookiePrefix => s(assign::COOKIE_PREFIX.to_string()),
        Assigned::Token => s(assign::token(env.rng)),
    }
}

/// Whether a lookup can be worked out: the service it searches exists and
/// its objects have the field it matches (the model names both as text).
#[cfg(test)]
pub(crate) fn lookup_resolves(service: &str, field: &str) -> bool {
    let table = crate::table::table();
    let searched = table.service_index(service).and_then(|s| table.services[s].resource_type.as_deref());
    searched.is_some_and(|t| table.fields(t).iter().any(|f| f.name == *field))
}

/// Applies `rule` to field `field` of `obj`: fills it when it is empty, or
/// (for rules that follow a source) on every write.
pub(crate) fn apply(
    field: &str,
    rule: &Rule<'_>,
    holds: Holds,
    obj: &mut Map<String, Value>,
    env: &Env<'_>,
) -> Result<(), ApiError> {
    if !on_every_write(rule) && !is_empty(obj.get(field)) {
        return Ok(());
    }
    // A default is for a field the request left unset: a list or map given
    // empty on purpose (`"extensions": {}`) stays empty.
    if matches!(rule, Rule::Default { .. }) && matches!(obj.get(field), Some(Value::Array(_) | Value::Object(_))) {
        return Ok(());
    }
    // A key the server makes keeps its private half, to sign with; options
    // that do not fit its kind are refused with ngrok's codes.
    if let Rule::SshKeyPair { kind, size, curve } = rule {
        let kind = obj.get(*kind).and_then(Value::as_str).unwrap_or("rsa").to_string();
        let bits = size.and_then(|f| obj.get(f)).and_then(Value::as_u64);
        let curve = curve.and_then(|f| obj.get(f)).and_then(Value::as_str);
        let pair = crate::ssh::key_pair(&kind, bits, curve)?;
        obj.insert(field.to_string(), Value::String(pair.public));
        obj.insert(crate::ssh::SIGNING_KEY.to_string(), Value::String(pair.private));
        return Ok(());
    }
    let bad_source = |msg: String| ApiError::bad_request(codes::BAD_FIELD, msg);
    if let Some(v) = value(field, rule, holds, obj, env).map_err(bad_source)? {
        obj.insert(field.to_string(), v);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
