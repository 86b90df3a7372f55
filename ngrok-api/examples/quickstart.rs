//! List online tunnels, create an IP policy with two allow rules, show
//! them, and remove everything it created.
//!
//! `cargo run --example quickstart` (uses your account if NGROK_API_KEY is set).

pub mod common;

use std::io::Write;

use ngrok_api::types::IpPolicyRuleAction;

use common::{Session, Target};

/// The example itself, writing to `out` so a test can read what it says.
pub async fn run(target: Target, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    let session = Session::open(target, out).await?;
    let client = &session.client;

    writeln!(out, "Online tunnels:")?;
    let mut tunnels = client.tunnels().list().items();
    let mut count = 0;
    while let Some(tunnel) = tunnels.try_next().await? {
        count += 1;
        writeln!(out, "  {} -> {}", tunnel.public_url, tunnel.forwards_to)?;
    }
    writeln!(out, "({count} tunnels)")?;

    let policy = client.ip_policies().create().description("quickstart office policy").await?;
    writeln!(out, "Created IP policy {} ({})", policy.id, policy.description)?;
    let mut rules = Vec::new();
    for cidr in ["24.0.0.0/8", "12.0.0.0/8"] {
        let rule = client.ip_policy_rules().create(cidr, &policy.id, IpPolicyRuleAction::Allow).await?;
        writeln!(
            out,
            "Created rule {}: {} {}",
            rule.id,
            rule.action.as_str(),
            rule.cidr
        )?;
        rules.push(rule);
    }

    let shown = client.ip_policies().get(&policy.id).await?;
    writeln!(out, "Policy {} was created at {}", shown.id, shown.created_at)?;

    // Clean up: a run against a real account leaves nothing behind.
    for rule in &rules {
        rule.delete(client).await?;
    }
    shown.delete(client).await?;
    writeln!(out, "Deleted the policy and its {} rules.", rules.len())?;
    Ok(())
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(Target::from_env(), &mut std::io::stdout()).await
}
