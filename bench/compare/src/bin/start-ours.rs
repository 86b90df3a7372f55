//! One whole program of a user of this SDK, for `ngrok-api-compare start`
//! to time from start to exit. `start-official` is the same program on the
//! published 0.12.1 crate.
//!
//! ```text
//! start-ours new                      # Client::new alone
//! start-ours new100                   # 100 clients
//! start-ours get BASE_URL ID N        # N gets, one after another
//! start-ours walk BASE_URL N          # a walk of a list of N items
//! ```

use std::hint::black_box;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

fn client(base: &str) -> ngrok_api::Client {
    ngrok_api::Client::builder().api_key("k").base_url(base).build().expect("a client")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["new"] => {
            black_box(ngrok_api::Client::new("k"));
        }
        ["new100"] => {
            for _ in 0..100 {
                black_box(ngrok_api::Client::new("k"));
            }
        }
        ["get", base, id, n] => {
            let n: usize = n.parse().expect("a count");
            let client = client(base);
            runtime().block_on(async {
                for _ in 0..n {
                    black_box(client.ip_policies().get(*id).await.expect("get"));
                }
            });
        }
        ["walk", base, n] => {
            let n: usize = n.parse().expect("a count");
            let client = client(base);
            let got = runtime().block_on(async {
                let mut items = client.ip_policies().list().items();
                let mut got = 0;
                while let Some(p) = items.try_next().await.expect("a page") {
                    black_box(p);
                    got += 1;
                }
                got
            });
            assert_eq!(got, n, "walked {got} items");
        }
        _ => {
            eprintln!("usage: start-ours new | new100 | get BASE_URL ID N | walk BASE_URL N");
            std::process::exit(2);
        }
    }
}
