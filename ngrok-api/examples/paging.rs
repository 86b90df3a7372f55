//! List every IP policy lazily, page by page and item by item.
//!
//! `cargo run --example paging`. Against the emulator it first creates 45
//! policies so there are several pages to walk; against your account it
//! only reads.

pub mod common;

use std::io::Write;


use common::{Session, Target};

/// The example itself, writing to `out`.
pub async fn run(target: Target, out: &mut dyn Write) -> Result<(), Box<dyn std::error::Error>> {
    let session = Session::open(target, out).await?;
    let client = &session.client;
    if session.emulator.is_some() {
        for n in 0..45 {
            client.ip_policies().create().description(format!("policy {n}")).await?;
        }
        writeln!(out, "Created 45 IP policies in the emulator.")?;
    }

    // Whole pages: each one is fetched while you work on the previous one.
    let mut pages = client.ip_policies().list().limit(20).pages();
    let mut page_number = 0;
    while let Some(page) = pages.try_next().await? {
        page_number += 1;
        writeln!(out, "Page {page_number}: {} policies", page.ip_policies.len())?;
    }

    // Items: the same walk, one policy at a time.
    let mut items = client.ip_policies().list().limit(20).items();
    let mut total = 0;
    while let Some(policy) = items.try_next().await? {
        total += 1;
        if total <= 3 {
            writeln!(out, "  {} {}", policy.id, policy.description)?;
        }
    }
    writeln!(out, "{total} policies in all.")?;
    Ok(())
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(Target::from_env(), &mut std::io::stdout()).await
}
