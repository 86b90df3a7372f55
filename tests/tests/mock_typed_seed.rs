//! Seeding the emulator with the SDK's own types, and reading them back
//! through the SDK.

use ngrok_api_mock::MockServer;

#[tokio::test]
async fn sdk_types_seed_the_emulator() {
    let mock = MockServer::builder().no_default_seed().start().await.expect("mock");
    // Response types have required fields, so a typed object starts from
    // the JSON the server would send.
    let session: ngrok_api::types::TunnelSession = serde_json::from_value(serde_json::json!({
        "agent_version": "3.19.0", "id": "ts_seed", "ip": "198.51.100.23", "os": "linux", "region": "eu",
        "started_at": "2025-09-04T10:11:35Z", "transport": "ngrok/2", "uri": "",
        "metadata": "{\"host\":\"ci\"}"
    }))
    .expect("a session");
    let shown = mock.seed("tunnel_sessions", &session).expect("seeds a typed object");
    let id = shown["id"].as_str().expect("an id was minted").to_string();
    assert!(id.starts_with("ts_"), "{id}");

    let client = ngrok_api::Client::builder().api_key("k").base_url(mock.url()).build().expect("client");
    let got = client.tunnel_sessions().get(&id).await.expect("the seeded session");
    assert_eq!((got.region.as_str(), got.os.as_str()), ("eu", "linux"));
    assert!(!got.uri.is_empty(), "uri filled in");

    // The service is named, and the object is checked against it.
    let e = mock.seed("tunnels", &session).expect_err("a session is not a tunnel");
    assert!(e.to_string().contains("no field"), "{e}");
    let e = mock.seed("nope", &session).expect_err("no such service");
    assert!(e.to_string().contains("nope"), "{e}");
}
