//! Tests of the computing rules.

use super::*;
use serde_json::json;
use ngrok_api_model::{Assigned, OwnerPart};

const LEAF: &str = include_str!("../../testdata/leaf-rsa.pem");

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn pem(part: PemPart) -> Rule<'static> {
    Rule::Pem { from: "certificate_pem", part }
}

fn assigned_rule(part: Assigned, from: Option<&'static str>) -> Rule<'static> {
    Rule::Assigned { part, from }
}

#[test]
fn certificate_fields_follow_the_pem() {
    let rng = Rng::new();
    let env = Env::new(&rng, "http://h");
    let mut o = obj(json!({"certificate_pem": LEAF, "serial_number": "stale"}));
    apply("serial_number", &pem(PemPart::SerialNumber), Holds::Value, &mut o, &env).expect("pem");
    assert_eq!(o["serial_number"], "a1b2c3d4e5f");
    apply("private_key_type", &pem(PemPart::PrivateKeyType), Holds::Value, &mut o, &env).expect("pem");
    assert_eq!(o["private_key_type"], "rsa");
    let mut bad = obj(json!({"certificate_pem": "nope"}));
    let e = apply("not_after", &pem(PemPart::NotAfter), Holds::Value, &mut bad, &env);
    assert!(e.err().is_some_and(|e| e.msg.contains("`certificate_pem`")));
    let mut none = Map::new();
    apply("not_after", &pem(PemPart::NotAfter), Holds::Value, &mut none, &env).expect("no source");
    assert!(none.is_empty());
}

#[test]
fn url_fields_follow_the_url_and_lists_map() {
    let rng = Rng::new();
    let env = Env::new(&rng, "http://h");
    let mut o = obj(json!({"url": "https://a.example.com:443", "urls": ["https://b.example.com/x"]}));
    for (field, part) in [("public_url", UrlPart::PublicUrl), ("hostport", UrlPart::Hostport), ("proto", UrlPart::Proto), ("url", UrlPart::Url)] {
        apply(field, &Rule::Url { from: "url", part }, Holds::Value, &mut o, &env).expect("url");
    }
    assert_eq!(o["url"], "https://a.example.com");
    assert_eq!(o["public_url"], "https://a.example.com");
    assert_eq!(o["hostport"], "a.example.com:443");
    assert_eq!(o["proto"], "https");
    apply("hosts", &Rule::Url { from: "urls", part: UrlPart::Host }, Holds::Value, &mut o, &env).expect("list");
    assert_eq!(o["hosts"], json!(["b.example.com"]));
}

#[test]
fn assigned_owner_and_default_fill_only_empty_fields() {
    let rng = Rng::new();
    let env = Env::new(&rng, "http://h");
    let mut o = obj(json!({"domain": "app.example.com", "addr": "", "terminate_at": "upstream"}));
    let addr = assigned_rule(Assigned::TcpAddr, None);
    apply("addr", &addr, Holds::Value, &mut o, &env).expect("addr");
    let first = o["addr"].clone();
    assert!(first.as_str().is_some_and(|a| a.contains(".tcp.ngrok.io:")));
    apply("addr", &addr, Holds::Value, &mut o, &env).expect("again");
    assert_eq!(o["addr"], first, "an assigned value is kept");
    let cname = assigned_rule(Assigned::CnameTarget, Some("domain"));
    apply("cname_target", &cname, Holds::Value, &mut o, &env).expect("cname");
    assert!(o["cname_target"].as_str().is_some_and(|c| c.ends_with(".ngrok-cname.com")));
    let mut managed = obj(json!({"domain": "x.ngrok.app"}));
    apply("cname_target", &cname, Holds::Value, &mut managed, &env).expect("managed");
    assert!(!managed.contains_key("cname_target"));
    let default = json!("edge");
    apply("terminate_at", &Rule::Default { value: &default, cases: &[] }, Holds::Value, &mut o, &env).expect("default");
    assert_eq!(o["terminate_at"], "upstream", "a given value wins over the default");
    o.remove("terminate_at");
    apply("terminate_at", &Rule::Default { value: &default, cases: &[] }, Holds::Value, &mut o, &env).expect("default");
    assert_eq!(o["terminate_at"], "edge");
    apply("owner_id", &Rule::Owner { part: OwnerPart::UserId }, Holds::Value, &mut o, &env).expect("owner");
    assert_eq!(o["owner_id"], assign::USER_ID);
    apply("created_by", &Rule::Owner { part: OwnerPart::UserRef }, Holds::Ref, &mut o, &env).expect("owner ref");
    assert_eq!(o["created_by"]["id"], assign::USER_ID);
    let acme = assigned_rule(Assigned::AcmeChallengeCnameTarget, Some("domain"));
    apply("acme_challenge_cname_target", &acme, Holds::Value, &mut o, &env).expect("acme");
    assert!(!o.contains_key("acme_challenge_cname_target"), "only wildcard domains need one");
    let mut wild = obj(json!({"domain": "*.example.com"}));
    apply("acme_challenge_cname_target", &acme, Holds::Value, &mut wild, &env).expect("acme");
    assert!(wild["acme_challenge_cname_target"].as_str().is_some_and(|t| t.ends_with(".ngrok-cname.com")));
    let hosts = obj(json!({"urls": ["https://bad.example.com/x"]}));
    let got = value("hostnames", &assigned_rule(Assigned::AbuseHostnames, Some("urls")), Holds::Value, &hosts, &env);
    assert_eq!(got, Ok(Some(json!([{"hostname": "bad.example.com", "status": "PENDING"}]))));
}

#[test]
fn a_key_pair_is_of_the_kind_its_rule_names_with_the_options_it_names() {
    let rng = Rng::new();
    let env = Env::new(&rng, "http://h");
    let pair = Rule::SshKeyPair { kind: "kind", size: Some("bits"), curve: Some("curve") };
    let mut o = obj(json!({"kind": "ed25519"}));
    apply("public_key", &pair, Holds::Value, &mut o, &env).expect("a key pair");
    assert!(o["public_key"].as_str().is_some_and(|k| k.starts_with("ssh-ed25519 ")), "{o:?}");
    assert!(o.contains_key(crate::ssh::SIGNING_KEY), "the private half is kept");
    // Options that do not fit the kind keep ngrok's codes.
    let mut o = obj(json!({"kind": "ed25519", "bits": 4096}));
    assert_eq!(apply("public_key", &pair, Holds::Value, &mut o, &env).err().and_then(|e| e.code), Some(1940));
    let mut o = obj(json!({"kind": "ecdsa", "curve": "P-999"}));
    assert_eq!(apply("public_key", &pair, Holds::Value, &mut o, &env).err().and_then(|e| e.code), Some(1941));
    // Fields the rule does not name are not read.
    let mut o = obj(json!({"kind": "ed25519", "key_size": 4096}));
    apply("public_key", &pair, Holds::Value, &mut o, &env).expect("`key_size` is not the rule's size field");
}

#[test]
fn a_key_kind_is_the_one_asked_for_else_the_given_keys_else_rsa() {
    let rng = Rng::new();
    let env = Env::new(&rng, "http://h");
    let kind = Rule::KeyKind { asked: Some("asked"), from: "key" };
    let given = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICrG0ye4VNje73RypVX+c9ChNKFkyMWirP+Sd29M2e6w me";
    let of = |o: Value| value("key_type", &kind, Holds::Value, &obj(o), &env);
    assert_eq!(of(json!({"asked": "ecdsa", "key": given})), Ok(Some(json!("ecdsa"))));
    assert_eq!(of(json!({"key": given})), Ok(Some(json!("ed25519"))));
    assert_eq!(of(json!({})), Ok(Some(json!("rsa"))));
}

#[test]
fn a_lookup_finds_the_object_a_url_names_and_follows_the_url() {
    let table = crate::table::table();
    let rng = Rng::new();
    let mut store = Store::new(table);
    let domains = table.service_index("reserved_domains").expect("reserved domains");
    let id = "rd_2QJoNXRR0dXTjEu2SYMg2jAr6BS";
    store.insert(domains, id.into(), obj(json!({"id": id, "domain": "shop.example.com"})));
    let rule = Rule::Lookup { from: "url", part: UrlPart::Host, service: "reserved_domains", field: "domain", wildcard: true };
    assert!(on_every_write(&rule));
    let env = Env::new(&rng, "http://h").with_objects(table, &store);
    let mut ep = obj(json!({"url": "https://shop.example.com:443/"}));
    apply("domain", &rule, Holds::Ref, &mut ep, &env).expect("lookup");
    assert_eq!(ep["domain"], json!({"id": id, "uri": format!("http://h/reserved_domains/{id}")}));
    let mut other = obj(json!({"url": "https://other.example.com"}));
    apply("domain", &rule, Holds::Ref, &mut other, &env).expect("no match");
    assert!(!other.contains_key("domain"), "no reserved domain has that host: {other:?}");
    let blind = Env::new(&rng, "http://h");
    let mut unseen = obj(json!({"url": "https://shop.example.com"}));
    apply("domain", &rule, Holds::Ref, &mut unseen, &blind).expect("no objects");
    assert!(!unseen.contains_key("domain"));
    let mut bad = obj(json!({"url": "not a url"}));
    assert!(apply("domain", &rule, Holds::Ref, &mut bad, &env).is_err_and(|e| e.msg.contains("`url`")));
}

#[test]
fn a_wildcard_lookup_covers_one_label_and_an_exact_match_comes_first() {
    let table = crate::table::table();
    let rng = Rng::new();
    let mut store = Store::new(table);
    let domains = table.service_index("reserved_domains").expect("reserved domains");
    let (wild, exact) = ("rd_2QJoNXRR0dXTjEu2SYMg2jAr6BW", "rd_2QJoNXRR0dXTjEu2SYMg2jAr6BE");
    store.insert(domains, wild.into(), obj(json!({"id": wild, "uri": "u1", "domain": "*.Example.com"})));
    store.insert(domains, exact.into(), obj(json!({"id": exact, "uri": "u2", "domain": "app.example.com"})));
    let env = Env::new(&rng, "http://h").with_objects(table, &store);
    let rule = |wildcard| Rule::Lookup { from: "url", part: UrlPart::Host, service: "reserved_domains", field: "domain", wildcard };
    let found = |url: &str, wildcard: bool| value("domain", &rule(wildcard), Holds::Ref, &obj(json!({"url": url})), &env);
    assert_eq!(found("https://shop.example.com", true), Ok(Some(json!({"id": wild, "uri": "u1"}))));
    assert_eq!(found("https://APP.example.com", true), Ok(Some(json!({"id": exact, "uri": "u2"}))), "exact first");
    assert_eq!(found("https://a.b.example.com", true), Ok(None), "one label only");
    assert_eq!(found("https://example.com", true), Ok(None));
    assert_eq!(found("https://shop.example.com", false), Ok(None), "wildcards only where the spec says");
}

#[test]
fn a_default_may_depend_on_the_host_of_a_url() {
    let rng = Rng::new();
    let env = Env::new(&rng, "http://h");
    let public = json!(["public"]);
    let cases = [ngrok_api_model::DefaultCase { from: "url".into(), host_suffix: ".internal".into(), value: json!(["internal"]) }];
    let rule = Rule::Default { value: &public, cases: &cases };
    let bindings = |url: &str| value("bindings", &rule, Holds::Value, &obj(json!({"url": url})), &env);
    assert_eq!(bindings("https://api.Internal"), Ok(Some(json!(["internal"]))));
    assert_eq!(bindings("tcp://db.team.internal:5432"), Ok(Some(json!(["internal"]))));
    assert_eq!(bindings("https://internal.example.com"), Ok(Some(public.clone())));
    assert_eq!(bindings("https://app.notinternal"), Ok(Some(public.clone())));
    assert_eq!(value("bindings", &rule, Holds::Value, &Map::new(), &env), Ok(Some(public)));
}

#[test]
fn saml_urls_of_one_module_share_a_key() {
    let rng = Rng::new();
    let env = Env::new(&rng, "http://h");
    let mut o = Map::new();
    for f in ["entity_id", "assertion_consumer_service_url", "metadata_url"] {
        apply(f, &assigned_rule(Assigned::SamlSpUrl, None), Holds::Value, &mut o, &env).expect("saml");
    }
    let entity = o["entity_id"].as_str().unwrap_or_default().to_string();
    assert!(entity.starts_with("https://"), "{entity}");
    assert_eq!(o["assertion_consumer_service_url"], format!("{entity}/acs"));
    assert_eq!(o["metadata_url"], format!("{entity}/metadata"));
    let other = env.fresh();
    let mut p = Map::new();
    apply("entity_id", &assigned_rule(Assigned::SamlSpUrl, None), Holds::Value, &mut p, &other).expect("saml");
    assert_ne!(p["entity_id"], o["entity_id"]);
}

#[test]
fn every_write_and_once_only_rules() {
    assert!(on_every_write(&pem(PemPart::NotAfter)));
    assert!(on_every_write(&Rule::Stamp { on: ngrok_api_model::StampOn::Write }));
    assert!(!on_every_write(&Rule::Stamp { on: ngrok_api_model::StampOn::Create }));
    assert!(!on_every_write(&assigned_rule(Assigned::TcpAddr, None)));
    assert!(shown_once(&assigned_rule(Assigned::Token, None)));
    assert!(!shown_once(&assigned_rule(Assigned::TcpAddr, None)));
}

#[test]
fn lookups_must_name_a_service_and_a_field_that_exist() {
    assert!(lookup_resolves("reserved_domains", "domain"));
    assert!(!lookup_resolves("reserved_domains", "colour"), "a field the searched objects lack");
    assert!(!lookup_resolves("nowhere", "domain"), "a service that does not exist");
}
