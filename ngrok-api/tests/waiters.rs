//! Waiters: a reserved domain's certificate waited for against the
//! emulator, its states moved by the emulator's own clock (a managed
//! certificate provisioned, then issued), its seed (the issued domain) and
//! scripted answers (the states before it); and `wait_until` itself.

use std::time::{Duration, Instant};

use ngrok_api::wait::{WaitOptions, WaitState, wait_until};
use ngrok_api::{ErrorKind, TimeoutKind};
use ngrok_api_mock::{Fault, MockServer};
use serde_json::{Value, json};

/// A reserved domain with automatic certificates whose certificate is
/// issued, seeded into the emulator; returns its ID and its JSON.
fn seed_issued(mock: &MockServer) -> (String, Value) {
    let seeded = mock
        .seed(
            "reserved_domains",
            json!({
                "domain": "app.example.com",
                "certificate": {"id": "cert_issued", "uri": "https://api.ngrok.com/tls_certificates/cert_issued"},
                "certificate_management_policy": {"authority": "letsencrypt", "private_key_type": "ecdsa"},
                "certificate_management_status": {"renews_at": "2027-03-01T00:00:00Z", "provisioning_job": null},
            }),
        )
        .expect("seeded");
    (seeded["id"].as_str().expect("an id").to_string(), seeded)
}

/// The same domain while ngrok's job works on its certificate.
fn in_progress(domain: &Value, code: &str, msg: &str) -> Value {
    let mut d = domain.clone();
    d["certificate"] = Value::Null;
    d["certificate_management_status"]["provisioning_job"] = json!({
        "error_code": code,
        "msg": msg,
        "started_at": "2026-12-01T00:00:00Z",
        "retries_at": "2026-12-01T00:05:00Z",
    });
    d
}

fn quick() -> WaitOptions {
    WaitOptions::new().initial_delay(Duration::from_millis(20)).max_delay(Duration::from_millis(40)).timeout(Duration::from_secs(10))
}

async fn start() -> (MockServer, ngrok_api::Client) {
    let mock = MockServer::start().await;
    let client = ngrok_api::Client::builder().api_key("waiter-key").base_url(mock.url()).build().expect("client");
    (mock, client)
}

fn gets(mock: &MockServer, id: &str) -> usize {
    mock.journal().iter().filter(|e| e.method == "GET" && e.path.ends_with(id)).count()
}

#[tokio::test]
async fn the_certificate_wait_ends_when_the_certificate_is_issued() {
    let (mock, client) = start().await;
    let (id, domain) = seed_issued(&mock);
    // Two fetches see the job under way (one with a temporary error), then
    // the emulator's own state: issued.
    mock.fault(Fault::on("GET", "/reserved_domains/*").status(200).body(in_progress(&domain, "", "issuing")).times(1));
    mock.fault(Fault::on("GET", "/reserved_domains/*").status(200).body(in_progress(&domain, "INTERNAL_ERROR", "retrying")).times(1));

    let started = Instant::now();
    let ready = client.reserved_domains().wait_for_certificate(&id, quick()).await.expect("issued");

    assert_eq!(ready.certificate.map(|c| c.id).as_deref(), Some("cert_issued"));
    assert_eq!(gets(&mock, &id), 3);
    assert!(started.elapsed() >= Duration::from_millis(60), "waited 20 ms then 40 ms: {:?}", started.elapsed());
}

#[tokio::test]
async fn the_wait_ends_when_the_emulator_issues_the_certificate_as_its_clock_moves() {
    // An hour to provision: only moving the emulator's clock ends the wait.
    let mock = MockServer::builder().cert_provisioning_delay(Duration::from_secs(3_600)).start().await.expect("emulator");
    let client = ngrok_api::Client::builder().api_key("waiter-key").base_url(mock.url()).build().expect("client");
    let policy = ngrok_api::types::ReservedDomainCertPolicy { authority: Some("letsencrypt".into()), ..Default::default() };
    let domain = client.reserved_domains().create().domain("managed.example.com").certificate_management_policy(policy).await.expect("reserved");
    let job = domain.certificate_management_status.as_ref().and_then(|s| s.provisioning_job.as_ref());
    assert!(job.is_some_and(|j| j.error_code.is_none()), "a job under way: {:?}", domain.certificate_management_status);
    assert!(domain.certificate.is_none());

    // Once the waiter has seen the job under way, an hour passes.
    let id = domain.id.clone();
    let clock = async {
        while gets(&mock, &id) == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        mock.advance_clock(Duration::from_secs(3_600)).expect("the clock moves");
    };
    let domains = client.reserved_domains();
    let (ready, ()) = tokio::join!(domains.wait_for_certificate(&id, quick()), clock);
    let ready = ready.expect("issued once the clock moved");

    assert!(gets(&mock, &id) >= 2, "pending first, then issued");
    let status = ready.certificate_management_status.expect("managed");
    assert!(status.provisioning_job.is_none());
    let cert = ready.certificate.expect("a certificate");
    let issued = client.tls_certificates().get(&cert.id).await.expect("the issued certificate exists");
    assert_eq!(issued.subject_common_name, "managed.example.com");
    assert!(status.renews_at > issued.not_before && status.renews_at < issued.not_after, "{:?}", status.renews_at);
}

#[tokio::test]
async fn a_dns_problem_ends_the_wait_at_once_with_what_to_fix() {
    let (mock, client) = start().await;
    let (id, domain) = seed_issued(&mock);
    mock.fault(Fault::on("GET", "/reserved_domains/*").status(200).body(in_progress(&domain, "DNS_ERROR", "no CNAME record")).times(1));

    let err = client.reserved_domains().wait_for_certificate(&id, quick()).await.expect_err("cannot be issued");

    assert_eq!(err.kind(), ErrorKind::WaitFailed, "{err}");
    let text = err.to_string();
    assert!(text.contains(&id) && text.contains("DNS_ERROR") && text.contains("no CNAME record"), "{text}");
    assert_eq!(gets(&mock, &id), 1);
}

#[tokio::test]
async fn a_domain_without_automatic_certificates_fails_at_once() {
    let (_mock, client) = start().await;
    let domain = client.reserved_domains().create().domain("manual.example.com").await.expect("reserved");
    let err = client.reserved_domains().wait_for_certificate(&domain.id, quick()).await.expect_err("nothing to wait for");
    assert_eq!(err.kind(), ErrorKind::WaitFailed, "{err}");
    assert!(err.to_string().contains("certificate_management_policy"), "{err}");
}

#[tokio::test]
async fn a_wait_that_stays_pending_times_out_with_its_own_kind() {
    let (mock, client) = start().await;
    let (id, domain) = seed_issued(&mock);
    mock.fault(Fault::on("GET", "/reserved_domains/*").status(200).body(in_progress(&domain, "", "issuing")).always());

    let started = Instant::now();
    let options = quick().timeout(Duration::from_millis(300));
    let err = client.reserved_domains().wait_for_certificate(&id, options).await.expect_err("never issued");

    assert_eq!(err.kind(), ErrorKind::Timeout(TimeoutKind::Wait), "{err}");
    assert!(err.to_string().contains("WaitOptions::timeout"), "{err}");
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(300) && took < Duration::from_secs(3), "{took:?}");
    assert!(gets(&mock, &id) >= 5, "polled every 20 to 40 ms: {}", gets(&mock, &id));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn an_error_fetching_the_state_ends_the_wait_with_it() {
    let (_mock, client) = start().await;
    let err = client.reserved_domains().wait_for_certificate("rd_missing", quick()).await.expect_err("no such domain");
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test(start_paused = true)]
async fn wait_until_follows_any_sequence_with_growing_delays() {
    let states = std::cell::Cell::new(0);
    let started = tokio::time::Instant::now();
    let options = WaitOptions::new().initial_delay(Duration::from_secs(1)).max_delay(Duration::from_secs(4)).timeout(Duration::from_secs(60));
    let fetched = wait_until(
        "the counter",
        || {
            states.set(states.get() + 1);
            std::future::ready(Ok::<_, ngrok_api::Error>(states.get()))
        },
        |n| if *n == 5 { WaitState::Ready } else { WaitState::Pending },
        options,
    )
    .await
    .expect("reaches 5");
    assert_eq!(fetched, 5);
    // 1 + 2 + 4 + 4 seconds between the five fetches.
    assert_eq!(started.elapsed(), Duration::from_secs(11));
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_waiter_waits_the_same_way() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime for the emulator");
    let mock = runtime.block_on(MockServer::start());
    let client = ngrok_api::blocking::Client::builder().api_key("waiter-key").base_url(mock.url()).build().expect("client");
    let (id, domain) = seed_issued(&mock);
    mock.fault(Fault::on("GET", "/reserved_domains/*").status(200).body(in_progress(&domain, "", "issuing")).times(2));
    let ready = client.reserved_domains().wait_for_certificate(&id, quick()).expect("issued");
    assert!(ready.certificate.is_some());
    assert_eq!(gets(&mock, &id), 3);

    mock.fault(Fault::on("GET", "/reserved_domains/*").status(200).body(in_progress(&domain, "", "issuing")).always());
    let started = Instant::now();
    let err = client.reserved_domains().wait_for_certificate(&id, quick().timeout(Duration::from_millis(200))).expect_err("never issued");
    assert_eq!(err.kind(), ErrorKind::Timeout(TimeoutKind::Wait), "{err}");
    assert!(started.elapsed() >= Duration::from_millis(200));
}
