//! What the shared test server records and how it answers, seen by a
//! plain TCP client.

use std::time::Duration;

use test_server::{Canned, Reply, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends `head` (request line and headers, without the blank line) and
/// `body`, asking the server to close afterwards; returns the raw response.
async fn exchange(server: &Server, head: &str, body: &[u8]) -> String {
    let mut sock = TcpStream::connect(server.url().trim_start_matches("http://")).await.unwrap();
    let request = format!("{head}\r\nhost: test\r\nconnection: close\r\ncontent-length: {}\r\n\r\n", body.len());
    sock.write_all(request.as_bytes()).await.unwrap();
    sock.write_all(body).await.unwrap();
    let mut out = Vec::new();
    sock.read_to_end(&mut out).await.unwrap();
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn records_each_request_as_it_arrived() {
    let server = Server::start(|i, req| Reply::json(201, serde_json::json!({"index": i, "path": req.path()}))).await;
    let response = exchange(&server, "POST /ip_policies?limit=5&filter=a+b%3D%22c%22 HTTP/1.1\r\nAuthorization: Bearer k", br#"{"x":1}"#).await;
    assert!(response.starts_with("HTTP/1.1 201"), "{response}");
    assert!(response.contains("content-type: application/json"), "{response}");
    assert!(response.ends_with(r#"{"index":0,"path":"/ip_policies"}"#), "{response}");

    let all = server.requests();
    assert_eq!(all.len(), 1);
    let req = &all[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.target, "/ip_policies?limit=5&filter=a+b%3D%22c%22");
    assert_eq!(req.path(), "/ip_policies");
    assert_eq!(req.query(), vec![("limit".to_string(), "5".to_string()), ("filter".to_string(), "a b=\"c\"".to_string())]);
    assert_eq!(req.header("AUTHORIZATION"), Some("Bearer k"));
    assert_eq!(req.header("authorization"), Some("Bearer k"), "any case finds it");
    assert_eq!(req.json(), serde_json::json!({"x": 1}));

    exchange(&server, "GET /two HTTP/1.1", b"").await;
    assert_eq!(server.count(), 2);
    let taken = server.take();
    assert_eq!(taken.iter().map(|r| r.target.as_str()).collect::<Vec<_>>(), ["/ip_policies?limit=5&filter=a+b%3D%22c%22", "/two"]);
    assert!(server.requests().is_empty(), "take empties the record");
    assert_eq!(taken[1].json(), serde_json::Value::Null);
}

#[tokio::test]
async fn a_canned_reply_can_change_between_requests() {
    let canned = Canned::new(Reply::empty(204));
    let server = Server::start(canned.handler()).await;
    assert!(exchange(&server, "DELETE /a HTTP/1.1", b"").await.starts_with("HTTP/1.1 204"));
    canned.set(Reply::api_error(404, "ERR_NGROK_404", "nope", "op_1").header("x-extra", "1"));
    let response = exchange(&server, "GET /a HTTP/1.1", b"").await;
    assert!(response.starts_with("HTTP/1.1 404"), "{response}");
    assert!(response.contains("x-extra: 1"), "{response}");
    assert!(response.contains(r#""error_code":"ERR_NGROK_404""#), "{response}");
}

#[tokio::test]
async fn counting_only_keeps_no_requests() {
    let server = Server::setup().counting_only().start(|i, _| Reply::raw(200, "text/plain", i.to_string())).await;
    exchange(&server, "GET /a HTTP/1.1", b"").await;
    let second = exchange(&server, "GET /b HTTP/1.1", b"").await;
    assert!(second.ends_with("\r\n\r\n1"), "the handler still sees the index: {second}");
    assert_eq!(server.count(), 2);
    assert!(server.requests().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_streamed_body_arrives_in_pieces_after_the_delay_and_gaps() {
    let reply = Reply::streamed(200, "application/json", ["[1,", "2,", "3]"], Duration::from_secs(2)).after(Duration::from_secs(5));
    let server = Server::start(move |_, _| reply.clone()).await;
    let start = tokio::time::Instant::now();
    let response = exchange(&server, "GET /stream HTTP/1.1", b"").await;
    // Virtual time: the delay and two gaps, exactly.
    assert_eq!(start.elapsed(), Duration::from_secs(9));
    assert!(response.contains("transfer-encoding: chunked"), "{response}");
    assert!(response.contains("\r\n3\r\n[1,\r\n2\r\n2,\r\n2\r\n3]\r\n0\r\n\r\n"), "{response}");
}

#[tokio::test(start_paused = true)]
async fn a_stalled_body_never_ends() {
    let server = Server::start(|_, _| Reply::streamed(200, "application/json", ["[1,"], Duration::ZERO).then_stall()).await;
    let mut sock = TcpStream::connect(server.url().trim_start_matches("http://")).await.unwrap();
    sock.write_all(b"GET / HTTP/1.1\r\nhost: test\r\n\r\n").await.unwrap();
    let mut seen = Vec::new();
    let read_all = async {
        let mut buf = [0u8; 1024];
        loop {
            match sock.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    };
    assert!(tokio::time::timeout(Duration::from_secs(3600), read_all).await.is_err(), "the body ended");
    let seen = String::from_utf8(seen).unwrap();
    assert!(seen.starts_with("HTTP/1.1 200") && seen.ends_with("\r\n3\r\n[1,\r\n"), "{seen}");
}

#[test]
fn an_isolated_server_counts_hanging_requests_the_client_abandons() {
    let server = Server::start_isolated(|_, _| Reply::Hang);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let watch = async {
        let mut sock = TcpStream::connect(server.url().trim_start_matches("http://")).await.unwrap();
        sock.write_all(b"GET / HTTP/1.1\r\nhost: test\r\n\r\n").await.unwrap();
        while server.count() == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(server.abandoned(), 0);
        drop(sock);
        while server.abandoned() == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    let watched = rt.block_on(async { tokio::time::timeout(Duration::from_secs(30), watch).await });
    assert!(watched.is_ok(), "the server never saw the request, or never noticed it was abandoned");
    assert_eq!(server.abandoned(), 1);
    assert_eq!(server.requests()[0].path(), "/");
}
