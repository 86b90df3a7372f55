//! The services of the current API, each driven through the crate's own
//! create, get, update, list and delete.

use ngrok_api::Client;
use ngrok_api::types;

use crate::{META, Outcome, Report, ensure, is_missing, why};

const CA_PEM: &str = include_str!("../../../ngrok-api-mock/testdata/ca-ed25519.pem");
const LEAF_PEM: &str = include_str!("../../../ngrok-api-mock/testdata/leaf-rsa.pem");
const KEY_PEM: &str = include_str!("../../../ngrok-api-mock/testdata/key-rsa.pem");

fn described(d: &str) -> Option<String> {
    Some(d.to_string())
}

async fn ip_policies(c: &Client) -> Outcome {
    crud!(c.ip_policies(), FilteredPaging, ip_policies,
        |i| types::IPPolicyCreate { metadata: META.into(), description: format!("policy {i}") },
        |id| types::IPPolicyUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed")
}

async fn ip_policy_rules(c: &Client) -> Outcome {
    let policy = c.ip_policies().create(&types::IPPolicyCreate { description: "rules".into(), metadata: META.into() }).await.map_err(why("create a policy"))?.id;
    crud!(c.ip_policy_rules(), FilteredPaging, ip_policy_rules,
        |i| types::IPPolicyRuleCreate { description: "made by the official crate".into(), metadata: META.into(), cidr: format!("10.{i}.0.0/16"), ip_policy_id: policy.clone(), action: Some("allow".into()) },
        |id| types::IPPolicyRuleUpdate { id, cidr: Some("192.168.0.0/24".into()), ..Default::default() },
        |u| u.cidr == "192.168.0.0/24")
}

async fn ip_restrictions(c: &Client) -> Outcome {
    let policy = c.ip_policies().create(&types::IPPolicyCreate { description: "rules".into(), metadata: META.into() }).await.map_err(why("create a policy"))?.id;
    // One restriction of each type: a second of the same type is refused.
    let kinds = ["dashboard", "api", "agent"];
    crud!(c.ip_restrictions(), FilteredPaging, ip_restrictions,
        |i| types::IPRestrictionCreate { description: "made by the official crate".into(), metadata: META.into(), r#type: kinds[i].into(), ip_policy_ids: vec![policy.clone()], ..Default::default() },
        |id| types::IPRestrictionUpdate { id, enforced: Some(true), ip_policy_ids: vec![policy.clone()], ..Default::default() },
        |u| u.enforced)
}

async fn api_keys(c: &Client) -> Outcome {
    crud!(c.api_keys(), FilteredPaging, keys,
        |i| types::APIKeyCreate { metadata: META.into(), description: format!("key {i}"), ..Default::default() },
        |id| types::APIKeyUpdate { id, metadata: described("{\"team\":\"ops\"}"), ..Default::default() },
        |u| u.metadata == "{\"team\":\"ops\"}")
}

async fn credentials(c: &Client) -> Outcome {
    crud!(c.credentials(), FilteredPaging, credentials,
        |i| types::CredentialCreate { metadata: META.into(), description: format!("credential {i}"), acl: vec!["bind:*.example.com".into()], ..Default::default() },
        |id| types::CredentialUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed" && u.acl == ["bind:*.example.com"])
}

async fn bot_users(c: &Client) -> Outcome {
    crud!(c.bot_users(), Paging, bot_users,
        |i| types::BotUserCreate { name: format!("bot-{i}"), ..Default::default() },
        |id| types::BotUserUpdate { id, active: Some(false), ..Default::default() },
        |u| !u.active)
}

async fn service_users(c: &Client) -> Outcome {
    crud!(c.service_users(), FilteredPaging, service_users,
        |i| types::ServiceUserCreate { name: format!("service-{i}"), ..Default::default() },
        |id| types::ServiceUserUpdate { id, name: described("renamed"), ..Default::default() },
        |u| u.name == "renamed" && u.active)
}

async fn certificate_authorities(c: &Client) -> Outcome {
    crud!(c.certificate_authorities(), FilteredPaging, certificate_authorities,
        |i| types::CertificateAuthorityCreate { metadata: META.into(), ca_pem: CA_PEM.into(), description: format!("ca {i}") },
        |id| types::CertificateAuthorityUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed" && u.key_usages.contains(&"cert_sign".to_string()))
}

async fn tls_certificates(c: &Client) -> Outcome {
    crud!(c.tls_certificates(), FilteredPaging, tls_certificates,
        |i| types::TLSCertificateCreate { metadata: META.into(), certificate_pem: LEAF_PEM.into(), private_key_pem: KEY_PEM.into(), description: format!("cert {i}") },
        |id| types::TLSCertificateUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed" && u.subject_common_name == "app.example.com")
}

async fn reserved_addrs(c: &Client) -> Outcome {
    crud!(c.reserved_addrs(), FilteredPaging, reserved_addrs,
        |i| types::ReservedAddrCreate { metadata: META.into(), description: format!("addr {i}"), region: "eu".into() },
        |id| types::ReservedAddrUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed" && u.addr.contains(':'))
}

async fn reserved_domains(c: &Client) -> Outcome {
    crud!(c.reserved_domains(), FilteredPaging, reserved_domains,
        |i| types::ReservedDomainCreate { description: "made by the official crate".into(), metadata: META.into(), domain: format!("app{i}.official-rust.example.com"), ..Default::default() },
        |id| types::ReservedDomainUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed" && u.domain == "app0.official-rust.example.com")
}

async fn agent_ingresses(c: &Client) -> Outcome {
    crud!(c.agent_ingresses(), FilteredPaging, ingresses,
        |i| types::AgentIngressCreate { description: "made by the official crate".into(), metadata: META.into(), domain: format!("ingress{i}.official-rust.example.com"), ..Default::default() },
        |id| types::AgentIngressUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed" && !u.ns_targets.is_empty())
}

async fn vaults(c: &Client) -> Outcome {
    crud!(c.vaults(), FilteredPaging, vaults,
        |i| types::VaultCreate { description: "made by the official crate".into(), metadata: META.into(), name: format!("vault-{i}") },
        |id| types::VaultUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed" && u.name == "vault-0")
}

/// The crate cannot read a secret (it needs a `vault_name` the API does not
/// send): its create is checked to make one, found and removed with the
/// crate's delete.
async fn secrets(c: &Client, url: &str) -> Outcome {
    let vault = c.vaults().create(&types::VaultCreate { description: "made by the official crate".into(), metadata: META.into(), name: "secrets".into() }).await.map_err(why("create a vault"))?.id;
    let create = types::SecretCreate { description: "made by the official crate".into(), metadata: META.into(), name: "token".into(), value: "s3cret".into(), vault_id: vault.clone(), ..Default::default() };
    let unread = match c.secrets().create(&create).await {
        Ok(s) => return Err(format!("create: the crate read {}: drive secrets in full now", s.id)),
        Err(e) => why("create")(e),
    };
    ensure(unread.contains("missing field `vault_name`"), format!("create: {unread}"))?;
    let (_, listed) = crate::plain(reqwest::Method::GET, url, "/vault_secrets", None).await?;
    let found: Vec<&str> = listed["secrets"].as_array().into_iter().flatten().filter(|x| x["name"] == "token").filter_map(|x| x["id"].as_str()).collect();
    ensure(found.len() == 1, format!("create: {} secrets named `token`", found.len()))?;
    c.secrets().delete(found[0]).await.map_err(why("delete"))?;
    let (status, _) = crate::plain(reqwest::Method::GET, url, &format!("/vault_secrets/{}", found[0]), None).await?;
    ensure(status == 404, format!("get after delete: {status}"))
}

async fn event_destinations(c: &Client) -> Outcome {
    let target = || types::EventTarget {
        cloudwatch_logs: Some(types::EventTargetCloudwatchLogs {
            auth: types::AWSAuth { role: Some(types::AWSRole { role_arn: "arn:aws:iam::123456789012:role/ngrok".into() }), creds: None },
            log_group_arn: "arn:aws:logs:us-east-1:123456789012:log-group:ngrok".into(),
        }),
        ..Default::default()
    };
    crud!(c.event_destinations(), FilteredPaging, event_destinations,
        |i| types::EventDestinationCreate { metadata: META.into(), description: format!("destination {i}"), format: "json".into(), target: target() },
        |id| types::EventDestinationUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed" && u.target.cloudwatch_logs.is_some())
}

async fn event_subscriptions(c: &Client) -> Outcome {
    let source = || vec![types::EventSourceReplace { r#type: "ip_policy_created.v0".into() }];
    crud!(c.event_subscriptions(), FilteredPaging, event_subscriptions,
        |i| types::EventSubscriptionCreate { metadata: META.into(), description: format!("subscription {i}"), sources: source(), ..Default::default() },
        |id| types::EventSubscriptionUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed" && u.sources.len() == 1)
}

/// Event sources live under a subscription, keyed by their type.
async fn event_sources(c: &Client) -> Outcome {
    let sub = c.event_subscriptions().create(&types::EventSubscriptionCreate { description: "sources".into(), metadata: META.into(), ..Default::default() }).await.map_err(why("create a subscription"))?.id;
    let s = c.event_sources();
    let kinds = ["ip_policy_created.v0", "ip_policy_updated.v0"];
    for kind in kinds {
        let made = s.create(&types::EventSourceCreate { subscription_id: sub.clone(), r#type: kind.into() }).await.map_err(why("create"))?;
        ensure(made.r#type == kind, format!("create: the type came back as {}", made.r#type))?;
    }
    let item = |kind: &str| types::EventSourceItem { subscription_id: sub.clone(), r#type: kind.into() };
    ensure(s.get(&item(kinds[0])).await.map_err(why("get"))?.r#type == kinds[0], "get: another source came back")?;
    let update = types::EventSourceUpdate { subscription_id: sub.clone(), r#type: kinds[0].into() };
    ensure(s.update(&update).await.map_err(why("update"))?.r#type == kinds[0], "update: another source came back")?;
    let listed = s.list(&sub).await.map_err(why("list"))?;
    ensure(kinds.iter().all(|k| listed.sources.iter().any(|x| x.r#type == *k)), "list: a source is missing")?;
    s.delete(&item(kinds[0])).await.map_err(why("delete"))?;
    ensure(is_missing(&s.get(&item(kinds[0])).await), "get after delete: the source is still there")
}

/// The crate can neither create a cloud endpoint (its `EndpointCreate`
/// lacks the required `type`) nor read one (it needs a `region`, which
/// cloud endpoints do not have): both are checked as they are, then
/// endpoints made by plain requests are removed with the crate's delete.
async fn endpoints(c: &Client, url: &str) -> Outcome {
    let create = types::EndpointCreate { url: "https://a.internal".into(), traffic_policy: POLICY.into(), ..Default::default() };
    let refused = match c.endpoints().create(&create).await {
        Ok(e) => return Err(format!("create without `type`: made {}", e.id)),
        Err(e) => why("create")(e),
    };
    ensure(refused.contains("`type`"), format!("create without `type`: refused for another reason: {refused}"))?;
    let mut ids = Vec::new();
    for i in 0..3 {
        let body = serde_json::json!({"type": "cloud", "url": format!("https://svc{i}.internal"), "traffic_policy": POLICY});
        let (status, made) = crate::plain(reqwest::Method::POST, url, "/endpoints", Some(body)).await?;
        ensure(status == 201, format!("POST /endpoints: {status} {made}"))?;
        ids.push(made["id"].as_str().unwrap_or_default().to_string());
    }
    let unread = match c.endpoints().get(&ids[0]).await {
        Ok(e) => return Err(format!("get: the crate read {}: drive endpoints in full now", e.id)),
        Err(e) => why("get")(e),
    };
    ensure(unread.contains("missing field `region`"), format!("get: {unread}"))?;
    for id in &ids {
        c.endpoints().delete(id).await.map_err(why("delete"))?;
    }
    ensure(is_missing(&c.endpoints().delete(&ids[0]).await), "delete twice: the endpoint is still there")
}

const POLICY: &str = r#"{"on_http_request":[{"actions":[{"type":"custom-response","config":{"status_code":200}}]}]}"#;

/// Every current service the crate writes, and the ones it only reads.
pub async fn run(c: &Client, url: &str, r: &mut Report) {
    r.check("ip_policies", ip_policies(c)).await;
    r.check("ip_policy_rules", ip_policy_rules(c)).await;
    r.check("ip_restrictions", ip_restrictions(c)).await;
    r.check("api_keys", api_keys(c)).await;
    r.check("credentials", credentials(c)).await;
    r.check("bot_users", bot_users(c)).await;
    r.check("service_users", service_users(c)).await;
    r.check("certificate_authorities", certificate_authorities(c)).await;
    r.check("tls_certificates", tls_certificates(c)).await;
    r.check("reserved_addrs", reserved_addrs(c)).await;
    r.check("reserved_domains", reserved_domains(c)).await;
    r.check("agent_ingresses", agent_ingresses(c)).await;
    r.check("vaults", vaults(c)).await;
    r.check("secrets", secrets(c, url)).await;
    r.check("event_destinations", event_destinations(c)).await;
    r.check("event_subscriptions", event_subscriptions(c)).await;
    r.check("event_sources", event_sources(c)).await;
    r.check("endpoints", endpoints(c, url)).await;
}
