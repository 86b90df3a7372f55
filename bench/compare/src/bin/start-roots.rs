//! What the SDK loads on the first TLS handshake of a process, with each
//! choice of roots, timed alone in a fresh process: `start-roots platform`
//! or `start-roots webpki` prints the microseconds. A program of its own,
//! so that `start-ours` holds only what a user's program does.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let started = Instant::now();
    match which.as_str() {
        "platform" => {
            black_box(rustls_platform_verifier::Verifier::new(provider).expect("the platform's roots"));
        }
        "webpki" => {
            let roots: rustls::RootCertStore = webpki_roots::TLS_SERVER_ROOTS.iter().cloned().collect();
            black_box(rustls::client::WebPkiServerVerifier::builder_with_provider(roots.into(), provider).build().expect("a verifier"));
        }
        _ => {
            eprintln!("usage: start-roots platform|webpki");
            std::process::exit(2);
        }
    }
    println!("{}", started.elapsed().as_micros());
}
