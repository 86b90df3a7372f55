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
    // The instance methods ran through the blocking client and changed the
    // emulator's state: the renamed description is what a later get reads.
    assert!(out.contains("renamed ipp_") && out.contains("(renamed through itself)"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("read back ipp_") && l.ends_with("(renamed through itself)")), "{out}");
    assert!(out.contains("deleted ipp_"), "{out}");
}

#[test]
fn errors_are_the_async_clients_and_misuse_is_an_error_not_a_panic() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime for the emulator");
    let mock = runtime.block_on(ngrok_api_mock::MockServer::start());
    let key = "blocking-secret-key-0123456789";
    let inner = ngrok_api::Client::builder().api_key(key).base_url(mock.url()).build().expect("client");
    let client = ngrok_api::blocking::Client::from_async(inner).expect("blocking client");

    let err = client.ip_policies().get("ipp_missing").send().expect_err("no such policy");
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.operation(), Some("ip_policies.get"));
    for shown in [format!("{err}"), format!("{err:?}"), format!("{client:?}")] {
        assert!(!shown.contains(key), "the key leaks: {shown}");
    }

    // From inside an async task a blocking call would stall the executor;
    // it answers with a configuration error instead.
    let inside = runtime.block_on(async { client.ip_policies().list().send() });
    let err = inside.expect_err("refused inside a runtime");
    assert_eq!(err.kind(), ngrok_api::ErrorKind::Config, "{err}");
}

#[test]
fn an_objects_own_methods_run_on_the_blocking_client() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime for the emulator");
    let mock = runtime.block_on(ngrok_api_mock::MockServer::start());
    let inner = ngrok_api::Client::builder().api_key("k").base_url(mock.url()).build().expect("client");
    let client = ngrok_api::blocking::Client::from_async(inner).expect("blocking client");

    // The same instance methods as the async client, sent here.
    let policy = client.ip_policies().create().description("instance").send().expect("created");
    let renamed = policy.update(&client).description("instance, renamed").send().expect("renamed");
    assert_eq!(renamed.description, "instance, renamed");
    assert_eq!(client.ip_policies().get(&policy.id).send().expect("read back").description, "instance, renamed");

    let credential = client.credentials().create().metadata("one").send().expect("credential");
    let changed = credential.update(&client).set_metadata(Some("two".into())).send().expect("updated");
    assert_eq!(changed.metadata, "two");

    policy.delete(&client).send().expect("deleted through itself");
    let gone = client.ip_policies().get(&policy.id).send().expect_err("deleted");
    assert!(gone.is_not_found(), "{gone}");
    credential.delete(&client).send().expect("credential deleted through itself");
    assert!(client.credentials().get(&credential.id).send().expect_err("deleted").is_not_found());
}
