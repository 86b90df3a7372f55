//! Recorded-style responses of the live API (tests/fixtures/live/, one per
//! computed, nullable or normalized field class of each service group)
//! decode with the SDK's type for their operation and encode back to
//! exactly the same JSON: the same keys, the same nulls, the same values.
//!
//! The fixture directory drives the test: every file is checked, and a
//! fixture whose operation or type the SDK does not know fails.

#[path = "support/generated_registry.rs"]
mod registry;
#[path = "support/live.rs"]
mod live;

use codegen::spec::Api;
use live::{api, fixture_files, load, response_type, root};
use serde_json::Value;

/// Where two JSON values differ, as JSON pointers with both sides.
fn differences(path: &str, want: &Value, got: &Value, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                match g.get(k) {
                    Some(gv) => differences(&format!("{path}/{k}"), wv, gv, out),
                    None => out.push(format!("{path}/{k}: the server sent {wv}, the SDK dropped it")),
                }
            }
            for (k, gv) in g.iter().filter(|(k, _)| !w.contains_key(*k)) {
                out.push(format!("{path}/{k}: the SDK added {gv}, the server never sent it"));
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                differences(&format!("{path}/{i}"), wv, gv, out);
            }
        }
        _ if want != got => out.push(format!("{path}: the server sent {want}, the SDK gave back {got}")),
        _ => {}
    }
}

/// Checks one fixture: its response round-trips exactly and every value it
/// says the server computes is there and not empty.
fn check(api: &Api, fixture: &Value) -> Result<(), String> {
    for key in ["service", "operation", "request", "response", "computed"] {
        if fixture.get(key).is_none() {
            return Err(format!("the fixture has no `{key}`"));
        }
    }
    let body = fixture.pointer("/response/body").ok_or("no response body")?;
    for pointer in fixture["computed"].as_array().ok_or("`computed` is not a list")? {
        let pointer = pointer.as_str().ok_or("a computed pointer is not a string")?;
        match body.pointer(pointer) {
            None | Some(Value::Null) => return Err(format!("computed value {pointer} is missing")),
            Some(Value::String(s)) if s.is_empty() => return Err(format!("computed value {pointer} is empty")),
            Some(Value::Array(a)) if a.is_empty() => return Err(format!("computed value {pointer} is empty")),
            Some(_) => {}
        }
    }
    if body.is_null() {
        return Ok(());
    }
    let ty = response_type(api, fixture)?;
    let again = registry::decode_encode(&ty, body)
        .ok_or_else(|| format!("the SDK has no type for `{ty}`"))?
        .map_err(|e| format!("`{ty}` does not decode the response: {e}"))?;
    let mut diffs = Vec::new();
    differences("", body, &again, &mut diffs);
    if diffs.is_empty() { Ok(()) } else { Err(format!("`{ty}` round trip differs:\n    {}", diffs.join("\n    "))) }
}

#[test]
fn every_live_fixture_round_trips_exactly() {
    let api = api();
    let files = fixture_files();
    assert!(files.len() >= 20, "expected the live fixtures, found {}", files.len());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| check(&api, &load(f)).err().map(|e| format!("{}: {e}", f.display())))
        .collect();
    assert!(failures.is_empty(), "{} fixture(s) fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_check_catches_what_a_round_trip_would_lose() {
    let api = api();
    let good = load(&root().join("tests/fixtures/live/api_keys/get_without_token.json"));
    assert_eq!(check(&api, &good), Ok(()));

    // A key the SDK does not know is dropped by decoding: reported.
    let mut extra = good.clone();
    extra["response"]["body"]["colour"] = Value::from("red");
    let err = check(&api, &extra).err().unwrap_or_default();
    assert!(err.contains("/colour"), "{err}");

    // `token` is nullable: the SDK encodes it as `null`, so a body that
    // left it out does not come back the same.
    let mut absent = good.clone();
    if let Some(body) = absent["response"]["body"].as_object_mut() {
        body.remove("token");
    }
    let err = check(&api, &absent).err().unwrap_or_default();
    assert!(err.contains("/token: the SDK added null"), "{err}");

    // An operation the SDK does not have is a failure, not a skip.
    let mut unknown = good.clone();
    unknown["operation"] = Value::from("teleport");
    assert!(check(&api, &unknown).err().unwrap_or_default().contains("teleport"));

    // A computed value the fixture promises must be there.
    let mut empty = good;
    empty["response"]["body"]["owner_id"] = Value::from("");
    assert!(check(&api, &empty).err().unwrap_or_default().contains("/owner_id"));
}
