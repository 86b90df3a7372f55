//! Runs the README's paging example against the emulator.

use std::process::Command;

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_paging_example_runs_against_the_emulator() {
    let mock = ngrok_api_mock::MockServer::start().await;
    let url = mock.url().to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_readme-paging"))
            .env("NGROK_API_KEY", "readme-example-key")
            .env("NGROK_API_URL", url)
            .output()
    })
    .await
    .expect("the program's thread joins")
    .expect("the example program runs");
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{out}\n{err}");
    assert!(out.lines().any(|l| l.contains(" -> ")), "the seeded tunnels are listed:\n{out}");
    assert!(out.contains("policies in all") && out.contains("API keys on the first page"), "{out}");
}
