//! The account's rules, one scenario each: the request ngrok refuses, with
//! its code, and its legal neighbour, accepted.
//!
//! Runs against the emulator; with `NGROK_API_KEY` set, against that live
//! account instead (and `NGROK_API_URL`, if set). Every object is named
//! uniquely for the run and removed at the end, even when a step fails, so
//! anyone with an account can check the emulator against ngrok: a scenario
//! that fails live is a difference to report.

use std::time::{SystemTime, UNIX_EPOCH};

use ngrok_api::types::{EndpointType, EventTarget, EventTargetDatadog, IpPolicyRuleAction, IpRestrictionType};
use ngrok_api::{Client, ErrorCode};
use ngrok_api_mock::MockServer;

#[path = "account_rules/cloud.rs"]
mod cloud;
use cloud::*;

/// An object to delete when the scenario ends, newest first.
enum Made {
    IpPolicy(String),
    IpRestriction(String),
    Domain(String),
    Vault(String),
    Secret(String),
    EventDestination(String),
    EventSubscription(String),
    Endpoint(String),
    Addr(String),
    Backend(String),
    HttpsEdge(String),
}

struct Run {
    client: Client,
    tag: String,
    made: Vec<Made>,
}

impl Run {
    /// A name no other run uses.
    fn name(&self, what: &str) -> String {
        format!("{what}-{}", self.tag)
    }

    fn made(&mut self, m: Made) {
        self.made.push(m);
    }

    /// Removes everything the scenario made, newest first, whatever
    /// happened before.
    async fn clean_up(&mut self) {
        let c = &self.client;
        while let Some(m) = self.made.pop() {
            // Already gone (the scenario deleted it) is fine.
            let _ = match m {
                Made::IpPolicy(id) => c.ip_policies().delete(id).await,
                Made::IpRestriction(id) => c.ip_restrictions().delete(id).await,
                Made::Domain(id) => c.reserved_domains().delete(id).await,
                Made::Vault(id) => c.vaults().delete(id).await,
                Made::Secret(id) => c.secrets().delete(id).await,
                Made::EventDestination(id) => c.event_destinations().delete(id).await,
                Made::EventSubscription(id) => c.event_subscriptions().delete(id).await,
                Made::Endpoint(id) => c.endpoints().delete(id).await,
                Made::Addr(id) => c.reserved_addrs().delete(id).await,
                Made::Backend(id) => match id.starts_with("bkdwd_") {
                    true => c.backends().weighted().delete(id).await,
                    false => c.backends().static_address().delete(id).await,
                },
                Made::HttpsEdge(id) => c.edges().https().delete(id).await,
            };
        }
    }
}

/// The refusal's code, or a description of what came instead.
fn refused<T: std::fmt::Debug>(result: Result<T, ngrok_api::Error>, want: ErrorCode) -> Result<(), String> {
    match result {
        Err(e) if e.code() == Some(want.clone()) => Ok(()),
        Err(e) => Err(format!("expected {want:?}, got {e}")),
        Ok(v) => Err(format!("expected {want:?}, but it was accepted: {v:?}")),
    }
}

fn accepted<T>(result: Result<T, ngrok_api::Error>, what: &str) -> Result<T, String> {
    result.map_err(|e| format!("{what} must be accepted: {e}"))
}

/// `Ok` when `holds`, else what was wanted and what came.
fn expect(holds: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if holds { Ok(()) } else { Err(what()) }
}

/// A cloud endpoint's policy that answers every request itself.
const POLICY: &str = r#"{"on_http_request":[{"actions":[{"type":"custom-response","config":{"status_code":200}}]}]}"#;

async fn domains_are_held_once_and_well_formed(run: &mut Run) -> Result<(), String> {
    let c = run.client.clone();
    let domain = format!("{}.example.com", run.name("rules"));
    let first = accepted(c.reserved_domains().create().domain(&domain).await, "a new domain")?;
    run.made(Made::Domain(first.id.clone()));
    refused(c.reserved_domains().create().domain(&domain).await, ErrorCode::DomainAlreadyReserved)?;
    let other = accepted(c.reserved_domains().create().domain(format!("other-{domain}")).await, "another domain")?;
    run.made(Made::Domain(other.id));
    for (bad, code) in [
        (format!("bad..{domain}"), ErrorCode::DomainEmptyLabel),
        (format!("a_b-{domain}"), ErrorCode::DomainUnderscore),
        (format!("x.*.{domain}"), ErrorCode::DomainWildcardNotFirst),
        (format!("{}.{domain}", "a".repeat(64)), ErrorCode::DomainLabelTooLong),
    ] {
        refused(c.reserved_domains().create().domain(bad).await, code)?;
    }
    // Once deleted, the name can be reserved again.
    accepted(c.reserved_domains().delete(&first.id).await, "deleting the domain")?;
    let again = accepted(c.reserved_domains().create().domain(&domain).await, "the domain again")?;
    run.made(Made::Domain(again.id));
    Ok(())
}

async fn a_cidr_is_held_once_per_policy_and_written_from_its_network(run: &mut Run) -> Result<(), String> {
    let c = run.client.clone();
    let one = accepted(c.ip_policies().create().description(run.name("one")).await, "a policy")?;
    run.made(Made::IpPolicy(one.id.clone()));
    let two = accepted(c.ip_policies().create().description(run.name("two")).await, "a policy")?;
    run.made(Made::IpPolicy(two.id.clone()));
    accepted(c.ip_policy_rules().create("10.20.0.0/16", &one.id, IpPolicyRuleAction::Allow).await, "a rule")?;
    refused(c.ip_policy_rules().create("10.20.0.0/16", &one.id, IpPolicyRuleAction::Deny).await, ErrorCode::DuplicateCidr)?;
    accepted(c.ip_policy_rules().create("10.20.0.0/16", &two.id, IpPolicyRuleAction::Allow).await, "the CIDR in another policy")?;
    refused(c.ip_policy_rules().create("192.168.1.7/24", &one.id, IpPolicyRuleAction::Allow).await, ErrorCode::CidrNotNetworkAddress)?;
    refused(c.ip_policy_rules().create("192.168.1.7", &one.id, IpPolicyRuleAction::Allow).await, ErrorCode::CidrWithoutPrefix)?;
    accepted(c.ip_policy_rules().create("192.168.1.0/24", &one.id, IpPolicyRuleAction::Allow).await, "the network's CIDR")?;
    Ok(())
}

async fn a_policy_in_use_cannot_go_and_one_restriction_per_type(run: &mut Run) -> Result<(), String> {
    let c = run.client.clone();
    let policy = accepted(c.ip_policies().create().description(run.name("used")).await, "a policy")?;
    run.made(Made::IpPolicy(policy.id.clone()));
    let restriction =
        accepted(c.ip_restrictions().create(IpRestrictionType::Dashboard, [policy.id.clone()]).await, "a restriction")?;
    run.made(Made::IpRestriction(restriction.id.clone()));
    refused(c.ip_restrictions().create(IpRestrictionType::Dashboard, [policy.id.clone()]).await, ErrorCode::IpRestrictionTypeTaken)?;
    let api = accepted(c.ip_restrictions().create(IpRestrictionType::Api, [policy.id.clone()]).await, "another type")?;
    run.made(Made::IpRestriction(api.id.clone()));
    refused(c.ip_policies().delete(&policy.id).await, ErrorCode::IpPolicyInUse)?;
    refused(c.ip_restrictions().create(IpRestrictionType::Agent, ["ipp_2QJ0000000000000000000000000"]).await, ErrorCode::IpRestrictionPolicyNotFound)?;
    accepted(c.ip_restrictions().delete(&restriction.id).await, "deleting a restriction")?;
    accepted(c.ip_restrictions().delete(&api.id).await, "deleting a restriction")?;
    accepted(c.ip_policies().delete(&policy.id).await, "deleting the policy once unused")?;
    Ok(())
}

async fn vaults_and_secrets(run: &mut Run) -> Result<(), String> {
    let c = run.client.clone();
    let name = run.name("vault");
    let vault = accepted(c.vaults().create().name(&name).await, "a vault")?;
    run.made(Made::Vault(vault.id.clone()));
    refused(c.vaults().create().name(&name).await, ErrorCode::VaultNameTaken)?;
    let secret = accepted(c.secrets().create(&vault.id).name("TOKEN").value("s3cret").await, "a secret")?;
    run.made(Made::Secret(secret.id.clone()));
    refused(c.secrets().create(&vault.id).name("TOKEN").value("again").await, ErrorCode::SecretNameTaken)?;
    refused(c.secrets().create("vault_2QJ0000000000000000000000000").name("X").value("v").await, ErrorCode::VaultNotFound)?;
    refused(c.vaults().delete(&vault.id).await, ErrorCode::VaultNotEmpty)?;
    accepted(c.secrets().delete(&secret.id).await, "deleting the secret")?;
    accepted(c.vaults().delete(&vault.id).await, "deleting the empty vault")?;
    Ok(())
}

async fn a_destination_in_use_cannot_go(run: &mut Run) -> Result<(), String> {
    let c = run.client.clone();
    let target = EventTarget {
        datadog: Some(EventTargetDatadog { api_key: Some("dd-key".into()), ..Default::default() }),
        ..Default::default()
    };
    let dest = accepted(c.event_destinations().create().description(run.name("dest")).target(target).await, "a destination")?;
    run.made(Made::EventDestination(dest.id.clone()));
    let sub = accepted(
        c.event_subscriptions().create().description(run.name("sub")).destination_ids([dest.id.clone()]).await,
        "a subscription",
    )?;
    run.made(Made::EventSubscription(sub.id.clone()));
    refused(c.event_destinations().delete(&dest.id).await, ErrorCode::EventDestinationInUse)?;
    accepted(c.event_subscriptions().delete(&sub.id).await, "deleting the subscription")?;
    accepted(c.event_destinations().delete(&dest.id).await, "deleting the unused destination")?;
    Ok(())
}

async fn edges_are_read_only(run: &mut Run) -> Result<(), String> {
    let c = run.client.clone();
    // Reads still work.
    accepted(c.edges().https().list().await, "listing HTTPS edges")?;
    accepted(c.backends().failover().list().await, "listing failover backends")?;
    // Writes are refused: edges, their routes and modules, backends.
    refused(c.edges().https().create().description(run.name("edge")).await, ErrorCode::EdgesReadOnly)?;
    refused(c.edges().tcp().create().await, ErrorCode::EdgesReadOnly)?;
    refused(c.backends().static_address().create().address("10.0.0.1:443").await, ErrorCode::EdgesReadOnly)?;
    refused(c.backends().failover().create().backends(Vec::<String>::new()).await, ErrorCode::EdgesReadOnly)?;
    Ok(())
}

async fn one_cloud_endpoint_per_url_unless_they_pool(run: &mut Run) -> Result<(), String> {
    let c = run.client.clone();
    let url = format!("https://{}.internal", run.name("svc"));
    let policy = POLICY;
    let first = accepted(c.endpoints().create(&url, EndpointType::Cloud, policy).await, "a cloud endpoint")?;
    run.made(Made::Endpoint(first.id.clone()));
    refused(c.endpoints().create(&url, EndpointType::Cloud, policy).await, ErrorCode::EndpointUrlTaken)?;
    let pooled = c.endpoints().create(&url, EndpointType::Cloud, policy).pooling_enabled(true).await;
    refused(pooled, ErrorCode::EndpointPoolingMismatch)?;
    accepted(c.endpoints().delete(&first.id).await, "deleting the endpoint")?;
    let a = accepted(c.endpoints().create(&url, EndpointType::Cloud, policy).pooling_enabled(true).await, "a pooled endpoint")?;
    run.made(Made::Endpoint(a.id));
    let b = accepted(c.endpoints().create(&url, EndpointType::Cloud, policy).pooling_enabled(true).await, "a second pooled endpoint")?;
    run.made(Made::Endpoint(b.id));
    refused(c.endpoints().create(&url, EndpointType::Cloud, policy).await, ErrorCode::EndpointNotPooling)?;
    Ok(())
}

/// The client of the run: the live account when a key is given, else a
/// fresh emulator (kept alive by the returned handle), writing edges and
/// backends when `legacy_writes` (as accounts that still may).
async fn client(legacy_writes: bool) -> (Client, Option<MockServer>) {
    if std::env::var_os("NGROK_API_KEY").is_some() {
        return (Client::from_env().unwrap_or_else(|e| panic!("{e}")), None);
    }
    let mock = MockServer::builder().no_default_seed().legacy_writes(legacy_writes).start().await.unwrap_or_else(|e| panic!("{e}"));
    let client = Client::builder().api_key("test-key").base_url(mock.url()).build().unwrap_or_else(|e| panic!("{e}"));
    (client, Some(mock))
}

macro_rules! scenario {
    ($name:ident) => {
        scenario!($name, false);
    };
    ($name:ident, $legacy_writes:expr) => {
        #[tokio::test]
        async fn $name() {
            let (client, _mock) = client($legacy_writes).await;
            let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
            let mut run = Run { client, tag: format!("r{nanos:x}"), made: Vec::new() };
            let outcome = super::$name(&mut run).await;
            run.clean_up().await;
            if let Err(e) = outcome {
                panic!("{}: {e}", stringify!($name));
            }
        }
    };
}

mod scenarios {
    scenario!(domains_are_held_once_and_well_formed);
    scenario!(a_cidr_is_held_once_per_policy_and_written_from_its_network);
    scenario!(a_policy_in_use_cannot_go_and_one_restriction_per_type);
    scenario!(vaults_and_secrets);
    scenario!(a_destination_in_use_cannot_go);
    scenario!(edges_are_read_only);
    scenario!(one_cloud_endpoint_per_url_unless_they_pool);
    scenario!(a_public_cloud_endpoint_needs_a_reserved_domain);
    scenario!(a_wildcard_domain_covers_one_label);
    scenario!(a_domain_in_use_by_a_cloud_endpoint_cannot_go);
    scenario!(a_tcp_cloud_endpoint_needs_a_reserved_address);
    scenario!(a_weighted_backend_lists_backends_that_exist, true);
    scenario!(a_domain_an_edge_serves_cannot_go, true);
    scenario!(an_internal_host_has_at_most_five_labels);
    use super::*;
}
