//! Managed certificates: state that moves with the emulator's clock. An
//! object whose type has a field computed by a `managed_certificate` rule
//! (a reserved domain's, an agent ingress's certificate management status)
//! gets a provisioning job when the rule's `policy` field is set, and once
//! the clock has moved the provisioning delay past the job's start, the job
//! is done: the status shows when the certificate renews, and where the
//! rule names a `certificate` field, that field shows a TLS certificate the
//! emulator issued for the name in the rule's `domain` field (made in the
//! service the request's certificate ID refers to). As in moto, nothing
//! runs in the background: a request that finds a job due finishes it
//! first. The fields are the ones the rule names, not found by name.

use serde_json::{Map, Value, json};

use ngrok_api_model::{Computed, PemPart};

use crate::compute::is_empty;
use crate::engine::Engine;
use crate::store::Store;
use crate::table::{OpKind, Table};
use crate::util::rfc3339;

/// Kept in the stored object and never shown: when (emulator seconds) the
/// running job's certificate is due.
const DUE: &str = "__mock_certificate_due";
/// A Let's Encrypt certificate is valid 90 days and renewed 30 days
/// before it ends.
const VALID_SECS: u64 = 90 * 86_400;
const RENEW_AFTER_SECS: u64 = 60 * 86_400;
/// How long a job that failed waits before it tries again.
const RETRY_SECS: u64 = 60;

/// The fields of a managed certificate, as the type's `managed_certificate`
/// rule names them.
struct Managed<'t> {
    /// The field the rule computes: the certificate management status.
    status: &'t str,
    policy: &'t str,
    domain: &'t str,
    certificate: Option<&'t str>,
    key_type: Option<&'t str>,
}

/// How objects of service `svc` have certificates managed for them, if
/// they do.
fn managed(table: &Table, svc: usize) -> Option<Managed<'_>> {
    let rt = table.services[svc].resource_type.as_deref()?;
    table.fields(rt).iter().find_map(|f| match &f.computed {
        Some(Computed::ManagedCertificate { policy, domain, certificate, key_type }) => Some(Managed {
            status: &f.name,
            policy,
            domain,
            certificate: certificate.as_deref(),
            key_type: key_type.as_deref(),
        }),
        _ => None,
    })
}

/// The service an issued certificate is made in: the one the create
/// request's certificate ID refers to, when the object shows the issued
/// certificate (in `shown`).
fn certificate_service(table: &Table, svc: usize, shown: &str) -> Option<usize> {
    let s = &table.services[svc];
    let create = s.ops.iter().find(|o| o.kind == OpKind::Create)?.body.as_deref()?;
    let field = table.fields(create).iter().find(|f| f.shown_as.as_deref() == Some(shown))?;
    table.referred(field.refers_to.as_deref()?).into_iter().next()
}

/// The fields of service `svc`'s objects that hold a certificate and its
/// private key: those its `pem` rules read them from.
fn pem_fields(table: &Table, svc: usize) -> Option<(&str, &str)> {
    let rt = table.services[svc].resource_type.as_deref()?;
    let (mut cert, mut key) = (None, None);
    for f in table.fields(rt) {
        if let Some(Computed::Pem { from, part }) = &f.computed {
            match part {
                PemPart::PrivateKeyType => key = Some(from.as_str()),
                PemPart::SubjectCommonName => cert = Some(from.as_str()),
                PemPart::SubjectOrganization
                | PemPart::SubjectOrganizationalUnit
                | PemPart::SubjectLocality
                | PemPart::SubjectProvince
                | PemPart::SubjectCountry
                | PemPart::IssuerCommonName
                | PemPart::SerialNumber
                | PemPart::NotBefore
                | PemPart::NotAfter
                | PemPart::SubjectAlternativeNames
                | PemPart::KeyUsages
                | PemPart::ExtendedKeyUsages => {}
            }
        }
    }
    Some((cert?, key?))
}

impl Engine<'_> {
    /// Called with the object a write is about to store under `key`
    /// (created, changed, seeded, or with a field cleared): a policy newly
    /// set or changed, or a policy with neither status nor certificate,
    /// starts a job; no policy, no status.
    pub(crate) fn certificates_on_write(&self, store: &mut Store, svc: usize, key: &str, obj: &mut Map<String, Value>) {
        on_write(self, store, svc, key, obj);
    }

    /// Whether some job may be due at the engine's time.
    pub(crate) fn certificates_due(&self, store: &Store) -> bool {
        store.next_due <= self.now
    }

    /// Finishes every job that is due; returns whether anything changed.
    pub(crate) fn advance_certificates(&self, store: &mut Store) -> bool {
        advance(self, store)
    }
}

fn on_write(engine: &Engine<'_>, store: &mut Store, svc: usize, key: &str, obj: &mut Map<String, Value>) {
    let Some(m) = managed(engine.table, svc) else { return };
    if is_empty(obj.get(m.policy)) {
        obj.remove(m.status);
        obj.remove(DUE);
        return;
    }
    let changed = store.get(svc, key).is_some_and(|before| before.fields().value(m.policy).as_ref() != obj.get(m.policy));
    let shown = m.certificate.is_some_and(|c| !is_empty(obj.get(c)));
    let idle = is_empty(obj.get(m.status)) && !shown && !obj.contains_key(DUE);
    if !(changed || idle) {
        return;
    }
    let (now, due) = (engine.now, engine.now.saturating_add(engine.cert_delay));
    let domain = obj.get(m.domain).and_then(Value::as_str).unwrap_or_default().to_string();
    obj.insert(m.status.into(), job(due, None, &format!("Provisioning a certificate for {domain}"), now, due));
    obj.insert(DUE.into(), due.into());
    if engine.cert_delay == 0 {
        issue(engine, store, svc, obj);
    } else {
        store.next_due = store.next_due.min(due);
    }
}

/// A status with a job under way.
fn job(renews: u64, error_code: Option<&str>, msg: &str, started: u64, retries: u64) -> Value {
    json!({
        "renews_at": rfc3339(renews.saturating_add(RENEW_AFTER_SECS)),
        "provisioning_job": {
            "error_code": error_code,
            "msg": msg,
            "started_at": rfc3339(started),
            "retries_at": rfc3339(retries),
        },
    })
}

fn advance(engine: &Engine<'_>, store: &mut Store) -> bool {
    if !engine.certificates_due(store) {
        return false;
    }
    let (mut next, mut changed) = (u64::MAX, false);
    for svc in 0..engine.table.services.len() {
        if managed(engine.table, svc).is_none() {
            continue;
        }
        let mut ready = Vec::new();
        for (key, o) in &store.colls[svc].objects {
            match o.fields().value(DUE).as_ref().and_then(Value::as_u64) {
                Some(at) if at <= engine.now => ready.push(key.clone()),
                Some(at) => next = next.min(at),
                None => {}
            }
        }
        for key in ready {
            let Some(mut obj) = store.get(svc, &key).map(|o| o.value()) else { continue };
            issue(engine, store, svc, &mut obj);
            if let Some(at) = obj.get(DUE).and_then(Value::as_u64) {
                next = next.min(at);
            }
            store.set(svc, &key, &obj);
            changed = true;
        }
    }
    store.next_due = next;
    changed
}

/// Ends the job of `obj`: issues its certificate, or, if that fails, shows
/// the job failing with a temporary error and tries again later.
fn issue(engine: &Engine<'_>, store: &mut Store, svc: usize, obj: &mut Map<String, Value>) {
    let now = engine.now;
    let Some(m) = managed(engine.table, svc) else { return };
    if is_empty(obj.get(m.policy)) {
        obj.remove(DUE);
        return;
    }
    if let Some((shown, cert_svc)) = m.certificate.and_then(|c| Some((c, certificate_service(engine.table, svc, c)?))) {
        let domain = obj.get(m.domain).and_then(Value::as_str).unwrap_or_default().to_string();
        let asked = m.key_type.and_then(|k| obj.get(m.policy)?.get(k)).and_then(Value::as_str);
        let kind = asked.unwrap_or("ecdsa");
        let made = pem(&domain, kind, now).and_then(|(certificate_pem, private_key_pem)| {
            let (cert_field, key_field) = pem_fields(engine.table, cert_svc)
                .ok_or("the certificate service has no fields its `pem` rules read a certificate and a key from")?;
            let mut c = Map::new();
            c.insert(cert_field.into(), certificate_pem.into());
            c.insert(key_field.into(), private_key_pem.into());
            engine.seed(store, cert_svc, c)
        });
        match made {
            Ok(id) => {
                let uri = engine.table.item_uri(engine.base, cert_svc, &[&id]);
                obj.insert(shown.into(), json!({ "id": id, "uri": uri }));
            }
            Err(e) => {
                let retry = now.saturating_add(RETRY_SECS);
                let started = obj.get(m.status).and_then(|s| s.pointer("/provisioning_job/started_at")).cloned();
                let mut status = job(retry, Some("INTERNAL_ERROR"), &format!("Issuing the certificate failed: {e}"), now, retry);
                if let Some(s) = started {
                    status["provisioning_job"]["started_at"] = s;
                }
                obj.insert(m.status.into(), status);
                obj.insert(DUE.into(), retry.into());
                return;
            }
        }
    }
    obj.remove(DUE);
    obj.insert(m.status.into(), json!({ "renews_at": rfc3339(now.saturating_add(RENEW_AFTER_SECS)), "provisioning_job": null }));
}

/// A certificate for `domain` valid from `now` for 90 days, with a new key
/// of `kind` (`rsa` or `ecdsa`), signed by a certificate authority of the
/// emulator's own: the certificate and key as PEM.
fn pem(domain: &str, kind: &str, now: u64) -> Result<(String, String), String> {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let fail = |e: rcgen::Error| e.to_string();
    let at = |secs: u64| {
        time::OffsetDateTime::from_unix_timestamp(i64::try_from(secs).unwrap_or(i64::MAX)).map_err(|e| e.to_string())
    };
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
    ca.distinguished_name.push(DnType::CommonName, "ngrok-api-mock Managed Certificates");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let issuer = Issuer::new(ca, KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(fail)?);
    let alg = if kind == "rsa" { &rcgen::PKCS_RSA_SHA256 } else { &rcgen::PKCS_ECDSA_P256_SHA256 };
    let key = KeyPair::generate_for(alg).map_err(fail)?;
    let mut leaf = CertificateParams::new(vec![domain.to_string()]).map_err(fail)?;
    leaf.distinguished_name.push(DnType::CommonName, domain);
    leaf.not_before = at(now)?;
    leaf.not_after = at(now.saturating_add(VALID_SECS))?;
    let cert = leaf.signed_by(&key, &issuer).map_err(fail)?;
    Ok((cert.pem(), key.serialize_pem()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_certificates_are_for_the_domain_with_the_key_asked_for() {
        let now = 1_800_000_000;
        for (kind, alg) in [("ecdsa", "ecdsa"), ("rsa", "rsa")] {
            let (cert, key) = pem("*.app.example.com", kind, now).expect("issued");
            let facts = crate::cert::facts(&cert).expect("an X.509 certificate");
            assert_eq!(facts.subject_common_name, "*.app.example.com");
            assert_eq!(facts.dns_names, ["*.app.example.com"]);
            assert_eq!(facts.issuer_common_name, "ngrok-api-mock Managed Certificates");
            assert_eq!(facts.not_before, rfc3339(now));
            assert_eq!(facts.not_after, rfc3339(now + VALID_SECS));
            assert_eq!(facts.key_algorithm, Some(alg));
            assert_eq!(crate::cert::key_type(&key), Ok(Some(alg)));
        }
    }

    #[test]
    fn managed_types_are_found_by_their_rule() {
        let t = crate::table::table();
        let domains = t.service_index("reserved_domains").expect("reserved domains");
        let ingresses = t.service_index("agent_ingresses").expect("agent ingresses");
        let policies = t.service_index("ip_policies").expect("IP policies");
        let m = managed(t, domains).expect("reserved domains have managed certificates");
        assert_eq!((m.status, m.policy, m.domain), ("certificate_management_status", "certificate_management_policy", "domain"));
        let shown = m.certificate.expect("a reserved domain shows its certificate");
        let certs = certificate_service(t, domains, shown).map(|s| t.services[s].accessor.as_str());
        assert_eq!(certs, Some("tls_certificates"));
        assert!(managed(t, ingresses).is_some_and(|m| m.certificate.is_none()), "an agent ingress shows no certificate");
        assert!(managed(t, policies).is_none());
        assert_eq!(m.key_type, Some("private_key_type"));
        let certs = t.service_index("tls_certificates").expect("TLS certificates");
        assert_eq!(pem_fields(t, certs), Some(("certificate_pem", "private_key_pem")));
    }
}
