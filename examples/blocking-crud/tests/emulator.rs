//! Runs the example program, which depends only on `ngrok-api` with the
//! `blocking` feature, against the emulator.

use std::process::Command;

#[tokio::test(flavor = "multi_thread")]
async fn lists_creates_updates_and_deletes_against_the_emulator() {
    let mock = ngrok_api_mock::MockServer::start().await;
    let url = mock.url().to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_blocking-crud"))
            .env("NGROK_API_KEY", "blocking-example-key")
            .env("NGROK_API_URL", url)
            .output()
    })
    .await
    .expect("the program's thread joins")
    .expect("the example program runs");
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{out}\n{err}");
    assert!(out.lines().any(|l| l.starts_with("tunnel ")), "the seeded tunnels are listed:\n{out}");
    assert!(out.contains("created ipp_") && out.contains("(blocking example)"), "{out}");
    assert!(out.contains("(blocking example, renamed)"), "{out}");
    assert!(out.contains("listed 1 time(s)"), "{out}");
    assert!(out.contains("deleted ipp_"), "{out}");
}
