//! `start-ours` (see there) on the published `ngrok-api` 0.12.1 crate.

use std::hint::black_box;

use futures_util::TryStreamExt as _;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

fn client(base: &str) -> official::Client {
    let mut builder = official::ClientBuilder::new("k".to_string());
    builder.api_url(url::Url::parse(base).expect("the server's URL"));
    builder.build()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["new"] => {
            black_box(official::Client::new("k".to_string()));
        }
        ["new100"] => {
            for _ in 0..100 {
                black_box(official::Client::new("k".to_string()));
            }
        }
        ["get", base, id, n] => {
            let n: usize = n.parse().expect("a count");
            let client = client(base);
            runtime().block_on(async {
                for _ in 0..n {
                    black_box(client.ip_policies().get(id).await.expect("get"));
                }
            });
        }
        ["walk", base, n] => {
            let n: usize = n.parse().expect("a count");
            let client = client(base);
            let got = runtime().block_on(async {
                let mut items = client.ip_policies().list(official::types::FilteredPaging::default()).ip_policies().await;
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
            eprintln!("usage: start-official new | new100 | get BASE_URL ID N | walk BASE_URL N");
            std::process::exit(2);
        }
    }
}
