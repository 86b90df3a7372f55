//! The stand-alone binary: version, the URL on the first line, a port in use.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_ngrok-api-mock");

#[test]
fn version_prints_the_crate_version() {
    let out = Command::new(BIN).arg("--version").output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.trim(), format!("ngrok-api-mock {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn port_zero_prints_the_url_alone_on_the_first_line() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--no-default-seed"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let mut first = String::new();
    let read = child.stdout.take().map(|s| BufReader::new(s).read_line(&mut first));
    let url = first.trim().to_string();
    let answer = std::net::TcpStream::connect(url.trim_start_matches("http://"));
    let _ = child.kill();
    let _ = child.wait();
    assert!(matches!(read, Some(Ok(n)) if n > 0), "a first line");
    assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");
    let port: u16 = url.rsplit(':').next().and_then(|p| p.parse().ok()).expect("a port");
    assert_ne!(port, 0);
    assert!(answer.is_ok(), "the URL printed is where it listens");
}

#[test]
fn a_port_in_use_is_named() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = taken.local_addr().expect("an address").port();
    let out = Command::new(BIN).args(["--port", &port.to_string()]).output().expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("port {port} is already in use")), "{err}");
    assert!(out.stdout.is_empty(), "no URL is printed");
}
