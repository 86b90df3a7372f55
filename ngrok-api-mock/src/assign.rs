//! Values the server invents for a new object, in the formats it uses:
//! reserved TCP addresses, CNAME targets, regional ingress domains, SAML
//! service-provider URLs, and the principal that owns what is created.

use serde_json::{Value, json};

use crate::util::Rng;

/// The user every request to the emulator acts as (`usr_` and 27 base62
/// characters, like every ngrok user ID).
pub(crate) const USER_ID: &str = "usr_2mockEmulatorUser0000000001";

/// The certificate the SAML module of every edge route reports it signs
/// requests with.
pub(crate) const SAML_SIGNING_PEM: &str = include_str!("saml-signing.pem");

/// Domain suffixes ngrok manages itself: domains under them need no CNAME.
const MANAGED_SUFFIXES: [&str; 7] =
    ["ngrok.app", "ngrok.dev", "ngrok.io", "ngrok.pizza", "ngrok.pro", "ngrok-free.app", "ngrok-free.dev"];

/// The zone CNAME targets are created under.
const CNAME_ZONE: &str = "ngrok-cname.com";

/// The regions agent ingresses get a domain in.
const REGIONS: [&str; 7] = ["us", "eu", "ap", "au", "sa", "jp", "in"];

/// Where the emulator says its SAML service provider lives.
const SAML_BASE: &str = "https://idp.ngrok.com/saml";

/// The user as the API refers to it from a reference field (`{id, uri}`).
pub(crate) fn user_ref(base: &str) -> Value {
    json!({ "id": USER_ID, "uri": format!("{base}/users/{USER_ID}") })
}

/// Whether `domain` is under a suffix ngrok manages.
pub(crate) fn is_managed(domain: &str) -> bool {
    let d = domain.trim_end_matches('.').to_ascii_lowercase();
    MANAGED_SUFFIXES.iter().any(|s| d == *s || d.ends_with(&format!(".{s}")))
}

/// `n` random lower-case letters and digits.
fn label(rng: &Rng, n: usize) -> String {
    const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(n);
    let mut bits = rng.next();
    for i in 0..n {
        if i % 12 == 0 {
            bits = rng.next();
        }
        out.push(char::from(ALPHABET[(bits % 36) as usize]));
        bits /= 36;
    }
    out
}

/// A reserved TCP address: a numbered `tcp.ngrok.io` host and a port.
pub(crate) fn tcp_addr(rng: &Rng) -> String {
    let host = 1 + rng.next() % 9;
    let port = 10_000 + rng.next() % 20_000;
    format!("{host}.tcp.ngrok.io:{port}")
}

/// The CNAME target of a domain: two random labels under ngrok's CNAME
/// zone, or `None` for a domain ngrok manages itself.
pub(crate) fn cname_target(rng: &Rng, domain: &str) -> Option<String> {
    (!is_managed(domain)).then(|| format!("{}.{}.{CNAME_ZONE}", label(rng, 17), label(rng, 17)))
}

/// The CNAME target of the `_acme-challenge` name of a domain: only a
/// wildcard domain outside ngrok's own suffixes needs one.
pub(crate) fn acme_challenge_target(rng: &Rng, domain: &str) -> Option<String> {
    let base = domain.strip_prefix("*.")?;
    cname_target(rng, base)
}

/// The regional domains of an agent ingress on `domain`.
pub(crate) fn region_domains(domain: &str) -> Vec<String> {
    REGIONS.iter().map(|r| format!("{r}.{domain}")).collect()
}

/// The name servers an agent ingress domain is delegated to.
pub(crate) fn ns_targets(rng: &Rng) -> Vec<String> {
    let zone = label(rng, 8);
    (1..=4).map(|i| format!("ns{i}.{zone}.ngrok-dns.com")).collect()
}

/// One entry per distinct hostname of the reported URLs, each still
/// pending.
pub(crate) fn report_hostnames(urls: &[&str]) -> Vec<Value> {
    let mut seen: Vec<String> = Vec::new();
    for u in urls {
        if let Ok(parsed) = url::Url::parse(u)
            && let Some(h) = parsed.host_str()
            && !seen.iter().any(|s| s == h)
        {
            seen.push(h.to_string());
        }
    }
    seen.into_iter().map(|h| json!({ "hostname": h, "status": "PENDING" })).collect()
}

/// The SAML service-provider URL that field `field` of a module holds,
/// for the module identified by `key`: the entity ID is the base, the
/// others are paths under it.
pub(crate) fn saml_url(key: &str, field: &str) -> String {
    let tail = match field {
        "entity_id" => return format!("{SAML_BASE}/{key}"),
        "assertion_consumer_service_url" => "acs",
        "single_logout_url" => "slo",
        "metadata_url" => "metadata",
        other => other,
    };
    format!("{SAML_BASE}/{key}/{tail}")
}

/// A fresh key for the SAML URLs of one module.
pub(crate) fn saml_key(rng: &Rng) -> String {
    rng.id("", 27)
}

/// The prefix of the session cookies an OAuth or OIDC module sets when
/// the request names none.
pub(crate) const COOKIE_PREFIX: &str = "ngrok.";

/// A minted secret token, shown once.
pub(crate) fn token(rng: &Rng) -> String {
    format!("{}_{}", rng.id("", 27), rng.id("", 21))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_id_has_the_server_format() {
        let rest = USER_ID.strip_prefix("usr_").unwrap_or_default();
        assert_eq!(rest.len(), 27);
        assert!(rest.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(user_ref("http://h")["uri"], format!("http://h/users/{USER_ID}"));
    }

    #[test]
    fn tcp_addresses_are_numbered_hosts_with_a_port() {
        let rng = Rng::new();
        for _ in 0..200 {
            let a = tcp_addr(&rng);
            let (host, port) = a.rsplit_once(':').unwrap_or_default();
            let n: u32 = host.strip_suffix(".tcp.ngrok.io").and_then(|n| n.parse().ok()).unwrap_or(0);
            assert!((1..=9).contains(&n), "{a}");
            assert!(port.parse::<u16>().is_ok_and(|p| (10_000..30_000).contains(&p)), "{a}");
        }
    }

    #[test]
    fn cname_targets_only_for_domains_ngrok_does_not_manage() {
        let rng = Rng::new();
        let t = cname_target(&rng, "app.example.com").unwrap_or_default();
        let labels: Vec<&str> = t.split('.').collect();
        assert_eq!(labels.len(), 4, "{t}");
        assert!(t.ends_with(".ngrok-cname.com"));
        assert!(labels[..2].iter().all(|l| l.len() == 17 && l.chars().all(|c| c.is_ascii_alphanumeric())));
        assert_ne!(cname_target(&rng, "app.example.com"), Some(t));
        assert_eq!(cname_target(&rng, "myapp.ngrok.app"), None);
        assert_eq!(cname_target(&rng, "x.NGROK-FREE.APP"), None);
        assert!(cname_target(&rng, "notngrok.app").is_some());
    }

    #[test]
    fn ingress_hostnames_and_saml_urls() {
        let domains = region_domains("ingress.example.com");
        assert!(domains.contains(&"eu.ingress.example.com".to_string()));
        assert_eq!(ns_targets(&Rng::new()).len(), 4);
        let h = report_hostnames(&["https://a.example.com/x", "http://a.example.com/y", "https://b.example.com", "junk"]);
        assert_eq!(h, vec![json!({"hostname": "a.example.com", "status": "PENDING"}), json!({"hostname": "b.example.com", "status": "PENDING"})]);
        assert_eq!(saml_url("k", "assertion_consumer_service_url"), "https://idp.ngrok.com/saml/k/acs");
        assert_eq!(saml_url("k", "entity_id"), "https://idp.ngrok.com/saml/k");
        assert!(crate::cert::facts(SAML_SIGNING_PEM).is_ok());
    }
}
