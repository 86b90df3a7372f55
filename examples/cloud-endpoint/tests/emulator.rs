//! Runs the example program against the emulator.

use std::process::Command;

#[tokio::test(flavor = "multi_thread")]
async fn creates_updates_and_reads_back_a_typed_policy() {
    let mock = ngrok_api_mock::MockServer::start().await;
    let url = mock.url().to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_cloud-endpoint"))
            .arg("app.example.com")
            .env("NGROK_API_KEY", "cloud-endpoint-example-key")
            .env("NGROK_API_URL", url)
            .output()
    })
    .await
    .expect("the program's thread joins")
    .expect("the example program runs");
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{out}\n{err}");
    assert!(out.contains("reserved app.example.com (rd_"), "{out}");
    assert!(out.contains("created ep_") && out.contains("at https://app.example.com"), "{out}");
    assert!(out.contains("rule 0 (limit each client): rate-limit"), "{out}");
    assert!(out.contains("rule 1 (health check): custom-response"), "{out}");
    assert!(out.contains("rule 2 (the app): add-headers, forward-internal"), "{out}");
    // The update reached the emulator: the policy read back has the new limit.
    assert!(out.contains("rate limit: 120 requests per 60s"), "{out}");
    assert!(out.contains("read back the policy as sent: true"), "{out}");
    assert!(out.contains("refused before sending: on_http_response[0].actions[0].type: `rate-limit` is not allowed in on_http_response"), "{out}");
    assert!(out.contains("refused before sending: on_http_response[0].actions[0].config.capacity: at least 1"), "{out}");
    assert!(out.contains("refused before sending: on_http_response[0].actions[0].config.rate: a multiple of 10s"), "{out}");
    assert!(out.contains("removed ep_"), "{out}");
}
