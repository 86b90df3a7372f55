//! A blocking client dropped anywhere never panics: inside a current-thread
//! or a multi-thread tokio runtime (where dropping a runtime the ordinary
//! way is forbidden), with clones and requests still alive, or after use.
#![cfg(feature = "blocking")]

use ngrok_api::blocking::Client;

fn client() -> Client {
    Client::builder().api_key("drop-test-key").base_url("http://127.0.0.1:9").build().expect("a blocking client")
}

#[test]
fn dropped_inside_a_current_thread_runtime() {
    let made = client();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async move {
        // A call here is refused, not run (it would block the runtime).
        let err = made.ip_policies().get("ipp_1").send().expect_err("refused inside an async runtime");
        assert!(err.to_string().contains("inside an async runtime"), "{err}");
        drop(made);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_inside_a_multi_thread_runtime_with_clones_and_requests() {
    let made = client();
    let clone = made.clone();
    let request = made.ip_policies().list();
    drop(made);
    drop(request);
    drop(clone);
    // Made and dropped on a worker thread too.
    tokio::spawn(async { drop(client()) }).await.expect("the task ends");
}
