//! A small reconciler, the shape of a Kubernetes controller or a
//! Terraform-style tool: it reads what exists, creates what is missing,
//! and says how many API calls it made. It shows what such a program
//! needs: a rate limit and an observer on the client, per-call settings
//! for the slow startup walk, a raw call for a field read as JSON, and a
//! waiter for a reserved domain's certificate.
//!
//! `cargo run --example controller`. Against the emulator it reconciles
//! two IP policies and waits for a seeded domain's certificate; against
//! your account (`NGROK_API_KEY` set) it only reads, and says what it
//! would create.

pub mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::sync::Mutex;
use std::sync::Arc;
use std::time::Duration;

use common::{Session, Target};
use ngrok_api::observe::{AttemptFinished, Observer, RetryScheduled};
use ngrok_api::wait::WaitOptions;
use ngrok_api::{Method, RetryPolicy};

/// The IP policies this controller keeps, by description.
const DESIRED: [&str; 2] = ["controller: office", "controller: vpn"];

/// Requests and retries per operation: what a controller exports as a
/// metric, to see how close it runs to the account's rate limit.
#[derive(Default)]
struct Calls(Mutex<BTreeMap<&'static str, (u64, u64)>>);

impl Observer for Calls {
    fn attempt_finished(&self, event: &AttemptFinished<'_>) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).entry(event.call.operation).or_default().0 += 1;
    }

    fn retry_scheduled(&self, event: &RetryScheduled<'_>) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).entry(event.call.operation).or_default().1 += 1;
    }
}

/// The example itself, writing to `out`.
pub async fn run(target: Target, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    let calls = Arc::new(Calls::default());
    // ngrok allows 120 requests a minute per account: stay under it, so
    // the controller never meets a 429.
    let session = Session::open_with(target, out, |builder| {
        builder.observer(calls.clone()).rate_limit(100, Duration::from_secs(60)).timeout(Duration::from_secs(10))
    })
    .await?;
    let client = &session.client;
    let emulator = session.emulator.as_ref();

    // Startup: one walk of every policy. It may be long, so it gets more
    // time than the client's other calls, and more patient retries.
    let existing: BTreeSet<String> = client
        .ip_policies()
        .list()
        .operation_timeout(Duration::from_secs(120))
        .retry_policy(RetryPolicy::default().max_attempts(5))
        .items()
        .try_collect::<Vec<_>>()
        .await?
        .into_iter()
        .map(|p| p.description)
        .collect();
    writeln!(out, "Found {} IP policies.", existing.len())?;

    // Reconcile: create what is missing (only on the emulator).
    for description in DESIRED.iter().filter(|d| !existing.contains(**d)) {
        if emulator.is_none() {
            writeln!(out, "Would create \"{description}\".")?;
            continue;
        }
        let policy = client.ip_policies().create().description(*description).await?;
        // A raw call reads the object as the API sends it, for a field this
        // version of the SDK may not know yet.
        let raw = client.raw(Method::GET, "/ip_policies/{id}").path_param("id", &policy.id).await?;
        writeln!(out, "Created {} \"{}\" (created_at {}).", policy.id, description, raw["created_at"].as_str().unwrap_or("?"))?;
    }

    // A domain's certificate arrives after the domain is reserved: wait
    // for it, with a bound. On the emulator the domain is seeded with its
    // certificate already issued, so the wait ends at the first fetch (a
    // domain reserved there with a managed policy gets its certificate once
    // the emulator's clock has passed its provisioning delay).
    if let Some(emulator) = emulator {
        let seeded = emulator.seed(
            "reserved_domains",
            serde_json::json!({
                "domain": "app.example.com",
                "certificate": {"id": "cert_example", "uri": ""},
                "certificate_management_policy": {"authority": "letsencrypt"},
            }),
        )?;
        let id = seeded["id"].as_str().unwrap_or_default();
        let options = WaitOptions::new().initial_delay(Duration::from_millis(200)).timeout(Duration::from_secs(30));
        let domain = client.reserved_domains().wait_for_certificate(id, options).await?;
        writeln!(out, "{} has its certificate {}.", domain.domain, domain.certificate.map(|c| c.id).unwrap_or_default())?;
    }

    let counted = calls.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let total: u64 = counted.values().map(|(requests, _)| requests).sum();
    writeln!(out, "API calls: {total}")?;
    for (operation, (requests, retries)) in counted {
        writeln!(out, "  {operation}: {requests} ({retries} retried)")?;
    }
    Ok(())
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(Target::from_env(), &mut std::io::stdout()).await
}
