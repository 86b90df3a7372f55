//! `Client::from_env`: reads `NGROK_API_KEY` and `NGROK_API_URL`, and its
//! errors name the variable at fault. One test in its own binary, since it
//! changes the process environment.

mod support;

use ngrok_api::{Client, ErrorKind};
use support::{KEY, Reply, Server};

fn set(name: &str, value: Option<&str>) {
    // SAFETY: this binary runs this single test, and on one thread at the
    // moment of the change: nothing else reads the environment concurrently.
    unsafe {
        match value {
            Some(v) => std::env::set_var(name, v),
            None => std::env::remove_var(name),
        }
    }
}

#[test]
fn from_env_reads_the_key_and_url_and_names_the_variable_at_fault() {
    set("NGROK_API_URL", None);

    set("NGROK_API_KEY", None);
    let err = Client::from_env().expect_err("no key");
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("NGROK_API_KEY"), "{err}");

    set("NGROK_API_KEY", Some("   "));
    let err = Client::from_env().expect_err("blank key");
    assert!(err.to_string().contains("NGROK_API_KEY"), "{err}");

    set("NGROK_API_KEY", Some(KEY));
    let client = Client::from_env().expect("a key is enough");
    assert_eq!(client.base_url(), "https://api.ngrok.com/");

    set("NGROK_API_URL", Some("not a url"));
    let err = Client::from_env().expect_err("bad URL");
    assert!(err.to_string().contains("NGROK_API_URL"), "{err}");

    set("NGROK_API_URL", Some("http://api.example.com"));
    let err = Client::from_env().expect_err("plain http off loopback");
    assert!(err.to_string().contains("NGROK_API_URL"), "{err}");

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let server = Server::start(|_, _| Reply::json(200, support::api_key("ak_1"))).await;
        set("NGROK_API_URL", Some(&server.url()));
        let client = Client::from_env().expect("key and loopback URL");
        client.api_keys().get("ak_1").await.expect("reaches the server");
        let req = &server.requests()[0];
        assert_eq!(req.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    });

    set("NGROK_API_KEY", None);
    set("NGROK_API_URL", None);
}
