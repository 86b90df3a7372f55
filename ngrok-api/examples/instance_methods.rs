//! Change a credential through the object itself, then by ID in one call.
//!
//! `cargo run --example instance_methods`. It creates the credential it
//! works on and deletes it at the end.

pub mod common;

use std::io::Write;

use common::{Session, Target};

/// The example itself, writing to `out`.
pub async fn run(target: Target, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    let session = Session::open(target, out).await?;
    let client = &session.client;

    let created = client.credentials().create().description("instance methods example").await?;
    // The token is only shown once, at creation, and `Debug` hides it.
    let token = created.token.as_ref().map(|t| t.expose()).unwrap_or_default();
    writeln!(out, "Created credential {} (token hidden in Debug: {})", created.id, token.is_empty() || !format!("{created:?}").contains(token))?;

    let credential = client.credentials().get(&created.id).await?;
    let updated = credential.update(client).metadata(r#"{"owner":"ops"}"#).await?;
    writeln!(out, "Through the object: metadata = {}", updated.metadata)?;

    let updated = client.credentials().update(&created.id).metadata(r#"{"owner":"security"}"#).await?;
    writeln!(out, "By ID: metadata = {}", updated.metadata)?;

    updated.delete(client).await?;
    writeln!(out, "Deleted credential {}.", updated.id)?;
    Ok(())
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(Target::from_env(), &mut std::io::stdout()).await
}
