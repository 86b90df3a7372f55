//! Runs the find-or-create example against the emulator: the first pass
//! reserves, the second finds the same reservation through ngrok's code.

use std::process::Command;

#[tokio::test(flavor = "multi_thread")]
async fn finds_what_it_made_through_the_error_code() {
    let mock = ngrok_api_mock::MockServer::builder().no_default_seed().start().await.expect("emulator");
    let url = mock.url().to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_find-or-create"))
            .arg("shop.example.com")
            .env("NGROK_API_KEY", "find-or-create-key")
            .env("NGROK_API_URL", url)
            .output()
    })
    .await
    .expect("the program's thread joins")
    .expect("the example program runs");
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{out}\n{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("reserved shop.example.com (rd_"), "{out}");
    assert!(lines[1].starts_with("found shop.example.com (rd_"), "{out}");
    let id = |l: &str| l.rsplit('(').next().map(str::to_string);
    assert_eq!(id(lines[0]), id(lines[1]), "the same reservation both times");
}
