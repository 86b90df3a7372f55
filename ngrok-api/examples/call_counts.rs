//! Count the API calls a program makes, per operation, with an observer:
//! the number a controller watches to stay under ngrok's rate limit.
//!
//! `cargo run --example call_counts`. Against the emulator it creates and
//! deletes a few IP policies; against your account it only reads.

pub mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{Session, Target};
use ngrok_api::observe::{AttemptFinished, Observer, RateLimitWait, RetryScheduled};

/// Requests sent, retries and rate-limit waits, per operation.
#[derive(Default)]
pub struct CallCounts(Mutex<BTreeMap<&'static str, Counts>>);

/// What was counted for one operation.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    /// Requests that got an answer or failed.
    pub requests: u64,
    /// Requests answered with an error status, or that failed to get one.
    pub failed: u64,
    /// Requests that were tried again.
    pub retries: u64,
    /// Times the client-side rate limit held a call back.
    pub waits: u64,
}

impl CallCounts {
    fn count(&self, operation: &'static str, change: impl FnOnce(&mut Counts)) {
        let mut all = self.0.lock().unwrap_or_else(|p| p.into_inner());
        change(all.entry(operation).or_default());
    }

    /// Everything counted so far, by operation.
    pub fn snapshot(&self) -> BTreeMap<&'static str, Counts> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Observer for CallCounts {
    fn attempt_finished(&self, event: &AttemptFinished<'_>) {
        let failed = event.error.is_some();
        self.count(event.call.operation, |c| {
            c.requests += 1;
            c.failed += u64::from(failed);
        });
    }

    fn retry_scheduled(&self, event: &RetryScheduled<'_>) {
        self.count(event.call.operation, |c| c.retries += 1);
    }

    fn rate_limit_wait(&self, event: &RateLimitWait<'_>) {
        self.count(event.call.operation, |c| c.waits += 1);
    }
}

/// The example itself, writing to `out`.
pub async fn run(target: Target, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    let counts = Arc::new(CallCounts::default());
    let session = Session::open_with(target, out, |builder| builder.observer(counts.clone())).await?;
    let client = &session.client;

    if session.emulator.is_some() {
        for n in 0..3 {
            let policy = client.ip_policies().create().description(format!("counted {n}")).await?;
            client.ip_policies().get(&policy.id).await?;
            client.ip_policies().delete(&policy.id).await?;
        }
        // One that fails: counted too.
        let _ = client.ip_policies().get("ipp_does_not_exist").await;
    }
    let tunnels: Vec<_> = client.tunnels().list().items().try_collect().await?;
    writeln!(out, "{} tunnels online.", tunnels.len())?;

    writeln!(out, "API calls by operation:")?;
    let mut total = 0;
    for (operation, c) in counts.snapshot() {
        total += c.requests;
        writeln!(out, "  {operation:<20} {:>3} requests, {} failed, {} retried, {} rate-limit waits", c.requests, c.failed, c.retries, c.waits)?;
    }
    writeln!(out, "{total} requests in all.")?;
    Ok(())
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(Target::from_env(), &mut std::io::stdout()).await
}
