//! What a failed call tells you: an invalid rule action, and a missing ID.
//!
//! `cargo run --example errors`. Nothing is left behind.

pub mod common;

use std::io::Write;

use common::{Session, Target};

/// The example itself, writing to `out`.
pub async fn run(target: Target, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    let session = Session::open(target, out).await?;
    let client = &session.client;

    let policy = client.ip_policies().create().description("errors example").await?;
    // "block" is not an action the API knows. A string becomes an action
    // only through `from_raw` (a typo in code does not compile); the SDK
    // sends the unknown value as given and the API refuses it.
    let action = ngrok_api::types::IpPolicyRuleAction::from_raw("block");
    match client.ip_policy_rules().create("10.0.0.0/8", &policy.id, action).await {
        Ok(rule) => writeln!(out, "Unexpectedly created {}", rule.id)?,
        Err(e) => {
            writeln!(out, "Invalid action refused: {e}")?;
            writeln!(out, "  status:       {}", e.status().map(|s| s.as_u16().to_string()).unwrap_or_default())?;
            writeln!(out, "  error code:   {}", e.error_code().unwrap_or("none"))?;
            writeln!(out, "  message:      {}", e.message())?;
            writeln!(out, "  details:      {:?}", e.details())?;
            writeln!(out, "  operation id: {}", e.operation_id().unwrap_or("none"))?;
        }
    }

    match client.ip_policies().get("ipp_00000000000000000000000000").await {
        Err(e) if e.is_not_found() => writeln!(out, "Missing ID: not found ({})", e.status().map(|s| s.as_u16()).unwrap_or(0))?,
        Err(e) => writeln!(out, "Missing ID: unexpected error {e}")?,
        Ok(p) => writeln!(out, "Missing ID: unexpectedly found {}", p.id)?,
    }

    policy.delete(client).await?;
    Ok(())
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(Target::from_env(), &mut std::io::stdout()).await
}
