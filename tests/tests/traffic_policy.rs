//! Typed traffic policies: the shared corpus of `tests/fixtures/traffic_policy`
//! run through the SDK (`FromStr`, `Display`, `validate`) and through the
//! emulator (its checks, and the API calls that take a policy), which must
//! refuse exactly what `validate` refuses.
//!
//! - `good/`: one or more policies per action type; each parses,
//!   validates, and round-trips.
//! - `bad/`: one class of defect each (several in `many`), with what the
//!   SDK reports and the code the API answers in `expected.json`.
//! - `open/`: a policy written for a newer ngrok (unknown action types,
//!   config fields and top-level members), which round-trips unchanged.
//!
//! Problems found by compiling expressions (`"cel": true` in
//! `expected.json`, and the emulator's `compiled` problems) are the SDK's
//! only with its `traffic-policy-cel` feature: this crate's `cel` feature
//! turns it on, and `.ci/run` runs this test both ways.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ngrok_api::traffic_policy::{Action, TrafficPolicy, ValidationErrors};
use ngrok_api_mock::{MockServer, ProblemKind, check_policy};
use serde_json::Value;

/// Whether the SDK compiles expressions (`traffic-policy-cel`).
const CEL: bool = cfg!(feature = "cel");

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/traffic_policy")
}

/// The files of one folder of the corpus, by name.
fn files(dir: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(corpus().join(dir))
        .expect("corpus folder")
        .map(|e| {
            let p = e.expect("entry").path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            (name, std::fs::read_to_string(&p).expect("fixture"))
        })
        .collect();
    out.sort();
    out
}

fn every_file() -> Vec<(String, String)> {
    ["good", "bad", "open"].iter().flat_map(|d| files(d).into_iter().map(move |(n, t)| (format!("{d}/{n}"), t))).collect()
}

/// The fixture's text as a JSON value (it is JSON or YAML).
fn as_value(name: &str, text: &str) -> Value {
    if name.ends_with(".json") {
        serde_json::from_str(text).expect("fixture JSON")
    } else {
        // Through the SDK's own reading of YAML: the value it kept.
        text.parse::<TrafficPolicy>().expect("fixture YAML").to_json()
    }
}

fn lines(e: &ValidationErrors) -> Vec<String> {
    e.iter().map(ToString::to_string).collect()
}

/// What the SDK says of a text: a parse error, or the problems `validate`
/// (or `validate_for_cloud_endpoint`) finds.
fn sdk_verdict(text: &str, cloud: bool) -> Result<Vec<String>, (String, String)> {
    let policy = text.parse::<TrafficPolicy>().map_err(|e| (e.path, e.message))?;
    let checked = if cloud { policy.validate_for_cloud_endpoint() } else { policy.validate() };
    Ok(checked.err().map(|e| lines(&e)).unwrap_or_default())
}

#[test]
fn every_good_policy_parses_validates_and_round_trips() {
    let good = files("good");
    assert!(good.len() >= 28, "a policy per action type at least");
    let mut kinds = std::collections::BTreeSet::new();
    for (name, text) in &good {
        let policy: TrafficPolicy = text.parse().unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Err(e) = policy.validate() {
            panic!("{name}: {e}");
        }
        let again: TrafficPolicy = policy.to_string().parse().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(again, policy, "{name}: Display then FromStr gives the same policy");
        if name.ends_with(".json") {
            let original: Value = serde_json::from_str(text).expect("json");
            assert_eq!(policy.to_json(), original, "{name}: written back as given");
        }
        for rule in policy.on_tcp_connect.iter().chain(&policy.on_http_request).chain(&policy.on_http_response).chain(&policy.on_event_stream_message) {
            for a in &rule.actions {
                assert!(!matches!(a, Action::Other(_)), "{name}: {} is known", a.kind());
                kinds.insert(a.kind().to_string());
            }
        }
    }
    let spec = codegen::spec::load_policy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).expect("spec");
    let all: std::collections::BTreeSet<String> = spec.actions.iter().map(|a| a.kind.clone()).collect();
    assert_eq!(kinds, all, "the good policies use every action type of the description");
}

#[test]
fn a_cloud_endpoint_policy_must_end_in_a_terminating_action() {
    let (_, text) = files("good").into_iter().find(|(n, _)| n == "cloud-endpoint.yaml").expect("fixture");
    let policy: TrafficPolicy = text.parse().expect("parse");
    assert_eq!(policy.validate_for_cloud_endpoint(), Ok(()));
    let (_, open) = files("good").into_iter().find(|(n, _)| n == "add-headers.json").expect("fixture");
    let open: TrafficPolicy = open.parse().expect("parse");
    assert_eq!(open.validate(), Ok(()));
    let e = open.validate_for_cloud_endpoint().expect_err("add-headers alone lets traffic through");
    assert_eq!(e.len(), 1);
    assert!(e.iter().all(|p| p.path.is_empty() && p.message.contains("terminating action")), "{e}");
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    #[serde(default)]
    parse: Option<String>,
    #[serde(default)]
    validate: Vec<String>,
    #[serde(default)]
    cloud: Vec<String>,
    code: String,
    #[serde(default)]
    edge_code: Option<String>,
    /// Only compiling expressions finds the problems.
    #[serde(default)]
    cel: bool,
}

fn expected() -> BTreeMap<String, Expected> {
    let text = std::fs::read_to_string(corpus().join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json parses")
}

#[test]
fn each_defect_fails_with_its_path() {
    let expected = expected();
    let bad = files("bad");
    assert_eq!(bad.len(), expected.len(), "every bad policy has its expectation, and only those");
    for (name, text) in &bad {
        let want = expected.get(name).unwrap_or_else(|| panic!("{name} has no expectation"));
        match (&want.parse, text.parse::<TrafficPolicy>()) {
            (Some(p), Err(e)) => {
                let got = if e.path.is_empty() { String::new() } else { format!("{}: {}", e.path, e.message) };
                assert_eq!(&got, p, "{name}: {e}");
            }
            (Some(p), Ok(_)) => panic!("{name} parsed, expected {p}"),
            (None, Err(e)) => panic!("{name}: {e}"),
            (None, Ok(policy)) if want.cel && !CEL => {
                // Without the feature, expressions are left to the API.
                assert_eq!(policy.validate_for_cloud_endpoint(), Ok(()), "{name}: expressions are not compiled");
            }
            (None, Ok(policy)) => {
                let plain = policy.validate().err().map(|e| lines(&e)).unwrap_or_default();
                assert_eq!(plain, want.validate, "{name}: validate");
                let cloud = policy.validate_for_cloud_endpoint().err().map(|e| lines(&e)).unwrap_or_default();
                let mut both = want.validate.clone();
                both.extend(want.cloud.iter().cloned());
                assert_eq!(cloud, both, "{name}: validate_for_cloud_endpoint");
                assert!(!cloud.is_empty(), "{name} is refused for a cloud endpoint");
            }
        }
    }
}

#[test]
fn the_emulator_finds_the_problems_validate_finds() {
    for (name, text) in every_file() {
        for cloud in [false, true] {
            let sdk = sdk_verdict(&text, cloud);
            let emulator: Vec<_> = check_policy(&text, cloud).into_iter().filter(|p| CEL || !p.compiled).collect();
            match sdk {
                Ok(problems) => {
                    let got: Vec<String> = emulator.iter().map(ToString::to_string).collect();
                    assert_eq!(got, problems, "{name} (cloud: {cloud})");
                }
                Err((path, message)) => {
                    assert_eq!(emulator.len(), 1, "{name}: one parse problem, {emulator:?}");
                    let p = &emulator[0];
                    assert!(matches!(p.kind, ProblemKind::Parse | ProblemKind::ConfigShape), "{name}: {p:?}");
                    // Syntax errors are worded by each side's parser; a
                    // fault of shape has the same path and words.
                    if !path.is_empty() {
                        assert_eq!((p.path.as_str(), p.message.as_str()), (path.as_str(), message.as_str()), "{name}");
                    }
                }
            }
        }
    }
}

#[test]
fn the_open_policy_round_trips_unchanged() {
    for (name, text) in files("open") {
        let policy: TrafficPolicy = text.parse().expect("a policy for a newer ngrok parses");
        assert_eq!(policy.to_json(), as_value(&name, &text), "{name}: written back unchanged");
        let again: TrafficPolicy = policy.to_string().parse().expect("reparse");
        assert_eq!(again, policy);
        let unknown: Vec<&str> = policy.on_http_request.iter().flat_map(|r| &r.actions).filter(|a| matches!(a, Action::Other(_))).map(Action::kind).collect();
        assert_eq!(unknown, ["teleport", "quantum-deny"]);
        let e = policy.validate().expect_err("unknown types are reported");
        let found = lines(&e);
        assert_eq!(
            found,
            [
                "on_http_request[0].actions[0].type: unknown action type `teleport`",
                "on_http_request[0].actions[2].type: unknown action type `quantum-deny`",
                "on_http_request_v2: not a phase; the phases are on_tcp_connect, on_http_request, on_http_response, on_event_stream_message",
            ]
        );
    }
}

/// Over HTTP: a cloud endpoint is created with each policy exactly when
/// `validate_for_cloud_endpoint` passes, and a TCP edge's policy module is
/// replaced exactly when `validate` passes; a refusal carries the code the
/// expectation names.
#[tokio::test]
async fn the_api_refuses_exactly_what_validate_refuses() {
    let mock = MockServer::builder().no_default_seed().legacy_writes(true).start().await.expect("mock");
    let client = ngrok_api::Client::builder().api_key("test-key").base_url(mock.url()).build().expect("client");
    let edge = client.edges().tcp().create().await.expect("edge");
    let expected = expected();
    for (i, (name, text)) in every_file().into_iter().enumerate() {
        let file = name.rsplit('/').next().unwrap_or_default();
        let url = format!("https://fixture-{i}.internal");
        let created = client.endpoints().create(url, ngrok_api::types::EndpointType::Cloud, text.clone()).await;
        // The API compiles expressions whether or not the SDK does.
        let compiled_only = !CEL && expected.get(file).is_some_and(|w| w.cel);
        let cloud_ok = matches!(sdk_verdict(&text, true), Ok(ref p) if p.is_empty()) && !compiled_only;
        match (&created, expected.get(file)) {
            (Ok(ep), _) => {
                assert!(cloud_ok, "{name}: the emulator took a policy validate refuses");
                assert_eq!(ep.traffic_policy, text, "{name}: kept as sent");
            }
            (Err(e), want) => {
                assert!(!cloud_ok, "{name}: refused a policy validate accepts: {e}");
                if let Some(want) = want {
                    assert_eq!(e.error_code(), Some(want.code.as_str()), "{name}: {e}");
                }
            }
        }
        let replaced = client.edge_modules().tcp_edge_traffic_policy().replace(&edge.id).enabled(true).value(text.clone()).await;
        let ok = matches!(sdk_verdict(&text, false), Ok(ref p) if p.is_empty()) && !compiled_only;
        match (&replaced, expected.get(file)) {
            (Ok(_), _) => assert!(ok, "{name}: the edge module took a policy validate refuses"),
            (Err(e), want) => {
                assert!(!ok, "{name}: the edge module refused a policy validate accepts: {e}");
                if let Some(code) = want.and_then(|w| w.edge_code.as_deref()) {
                    assert_eq!(e.error_code(), Some(code), "{name}: {e}");
                }
            }
        }
    }
}

/// A typed policy goes wherever the API takes policy text, and reads back
/// as the same value.
#[tokio::test]
async fn a_typed_policy_is_sent_as_text_and_read_back_typed() {
    use ngrok_api::traffic_policy::{AddHeaders, Deny, Rule};
    let mock = MockServer::builder().no_default_seed().legacy_writes(true).start().await.expect("mock");
    let client = ngrok_api::Client::builder().api_key("test-key").base_url(mock.url()).build().expect("client");
    let policy = TrafficPolicy::new()
        .on_tcp_connect(Rule::new().expression("conn.client_ip == '192.0.2.1'").action(Deny::new()))
        .on_http_request(Rule::new().action(AddHeaders::new().headers([("x-a", "1")])));
    let edge = client.edges().tcp().create().await.expect("edge");
    let module = client.edge_modules().tcp_edge_traffic_policy().replace(&edge.id).enabled(true).value(&policy).await.expect("replace");
    let read: TrafficPolicy = module.value.as_deref().unwrap_or_default().parse().expect("typed");
    assert_eq!(read, policy);
    let refused = client.endpoints().create("https://typed.internal", ngrok_api::types::EndpointType::Cloud, policy.clone()).await;
    let e = refused.expect_err("a cloud endpoint's policy must end in a terminating action");
    assert_eq!(e.error_code(), Some("ERR_NGROK_2235"), "{e}");
    let ended = policy.on_http_request(Rule::new().action(Deny::new()));
    let ep = client.endpoints().create("https://typed.internal", ngrok_api::types::EndpointType::Cloud, &ended).await.expect("create");
    let read: TrafficPolicy = ep.traffic_policy.parse().expect("typed");
    assert_eq!(read, ended);
}
