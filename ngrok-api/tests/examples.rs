//! Each example runs against the emulator and says what it should.
// Each example brings its own copy of examples/common, as it does when built
// as a binary; loading each example loads that module once more.
#![allow(clippy::duplicate_mod)]

#[path = "../examples/call_counts.rs"]
mod call_counts;
#[path = "../examples/controller.rs"]
mod controller;
#[path = "../examples/errors.rs"]
mod errors;
#[path = "../examples/instance_methods.rs"]
mod instance_methods;
#[path = "../examples/paging.rs"]
mod paging;
#[path = "../examples/quickstart.rs"]
mod quickstart;

use quickstart::common::Target;

fn text(buf: Vec<u8>) -> String {
    String::from_utf8(buf).expect("examples print UTF-8")
}

#[tokio::test]
async fn quickstart_creates_shows_and_cleans_up() {
    let mut out = Vec::new();
    quickstart::run(Target::Emulator, &mut out).await.unwrap();
    let out = text(out);
    let first = out.lines().next().unwrap_or_default();
    assert!(first.contains("embedded ngrok API emulator"), "{out}");
    assert!(out.contains("Created IP policy ipp_"), "{out}");
    assert!(out.contains("allow 24.0.0.0/8") && out.contains("allow 12.0.0.0/8"), "{out}");
    assert!(out.contains("Deleted the policy and its 2 rules."), "{out}");
    // The default seed has tunnels to list.
    assert!(!out.contains("(0 tunnels)"), "{out}");
}

#[tokio::test]
async fn paging_walks_every_page() {
    let mut out = Vec::new();
    paging::run(paging::common::Target::Emulator, &mut out).await.unwrap();
    let out = text(out);
    assert!(out.contains("Page 1: 20 policies") && out.contains("Page 2: 20 policies") && out.contains("Page 3: 5 policies"), "{out}");
    assert!(!out.contains("Page 4"), "{out}");
    assert!(out.contains("45 policies in all."), "{out}");
}

#[tokio::test]
async fn instance_methods_update_through_the_object_and_by_id() {
    let mut out = Vec::new();
    instance_methods::run(instance_methods::common::Target::Emulator, &mut out).await.unwrap();
    let out = text(out);
    assert!(out.contains("token hidden in Debug: true"), "{out}");
    assert!(out.contains(r#"Through the object: metadata = {"owner":"ops"}"#), "{out}");
    assert!(out.contains(r#"By ID: metadata = {"owner":"security"}"#), "{out}");
    assert!(out.contains("Deleted credential cr_"), "{out}");
}

#[tokio::test]
async fn errors_shows_status_code_message_and_not_found() {
    let mut out = Vec::new();
    errors::run(errors::common::Target::Emulator, &mut out).await.unwrap();
    let out = text(out);
    assert!(out.contains("Invalid action refused:"), "{out}");
    assert!(out.contains("  status:       400"), "{out}");
    assert!(out.contains("  error code:   ERR_NGROK_"), "{out}");
    assert!(out.contains("  operation id: op_"), "{out}");
    assert!(out.contains("Missing ID: not found (404)"), "{out}");
}

#[tokio::test]
async fn call_counts_counts_every_request_per_operation() {
    let mut out = Vec::new();
    call_counts::run(call_counts::common::Target::Emulator, &mut out).await.unwrap();
    let out = text(out);
    let line = |op: &str| out.lines().find(|l| l.trim_start().starts_with(&format!("{op} "))).unwrap_or_default().to_string();
    assert!(line("ip_policies.create").contains("  3 requests, 0 failed"), "{out}");
    assert!(line("ip_policies.get").contains("  4 requests, 1 failed"), "{out}");
    assert!(line("ip_policies.delete").contains("  3 requests, 0 failed"), "{out}");
    assert!(line("tunnels.list").contains("  1 requests, 0 failed"), "{out}");
    assert!(out.contains("11 requests in all."), "{out}");
}

#[tokio::test]
async fn controller_reconciles_waits_and_counts_its_calls() {
    let mut out = Vec::new();
    controller::run(controller::common::Target::Emulator, &mut out).await.unwrap();
    let out = text(out);
    assert!(out.contains("Found 0 IP policies."), "{out}");
    assert!(out.contains(r#"Created ipp_"#) && out.contains(r#""controller: office" (created_at 20"#), "{out}");
    assert!(out.contains(r#""controller: vpn""#), "{out}");
    assert!(out.contains("app.example.com has its certificate cert_example."), "{out}");
    // One walk, two creates, two raw reads, one get by the waiter.
    assert!(out.contains("API calls: 6"), "{out}");
    assert!(out.contains("  ip_policies.list: 1 (0 retried)") && out.contains("  ip_policies.create: 2 (0 retried)"), "{out}");
    assert!(out.contains("  raw: 2 (0 retried)") && out.contains("  reserved_domains.get: 1 (0 retried)"), "{out}");
}
