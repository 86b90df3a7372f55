//! Calls made one after another share one pooled connection, whatever
//! their answers' bodies: declared or chunked, empty, large, or an API
//! error. A call that stopped reading its body too early (or too late)
//! would leave its connection unusable, and every call after it would pay
//! for a new one.

mod support;

use std::time::Duration;

use support::{Reply, Server, builder, ip_policy, with};

/// The server's answer to the call at `index`.
fn answer(index: usize) -> Reply {
    match index {
        // Chunked, in three pieces: no `Content-Length`.
        1 => {
            let body = ip_policy("ipp_1").to_string();
            let (a, rest) = body.split_at(10);
            let (b, c) = rest.split_at(10);
            Reply::streamed(200, "application/json", [a.to_string(), b.to_string(), c.to_string()], Duration::ZERO)
        }
        2 => Reply::empty(204),
        3 => Reply::api_error(404, "ERR_NGROK_404", "not found", "op_1"),
        // Larger than the client's 8 KiB read buffer: it arrives in
        // several chunks, gathered up to its declared length.
        4 => Reply::json(200, with(ip_policy("ipp_4"), serde_json::json!({ "metadata": "m".repeat(20_000) }))),
        n => Reply::json(200, ip_policy(&format!("ipp_{n}"))),
    }
}

#[tokio::test]
async fn calls_in_a_row_reuse_one_connection_whatever_the_body() {
    let server = Server::start(|index, _| answer(index)).await;
    let client = builder(&server).build().expect("client");
    let policies = client.ip_policies();

    assert_eq!(policies.get("ipp_0").await.expect("a declared body").id, "ipp_0");
    assert_eq!(policies.get("ipp_1").await.expect("a chunked body").id, "ipp_1");
    policies.delete("ipp_2").await.expect("an empty body");
    let err = policies.get("ipp_3").await.expect_err("an API error");
    assert!(err.is_not_found(), "{err}");
    assert_eq!(policies.get("ipp_4").await.expect("a large body").metadata.len(), 20_000);
    assert_eq!(policies.get("ipp_5").await.expect("a declared body again").id, "ipp_5");

    let connections: Vec<usize> = server.requests().iter().map(|r| r.connection).collect();
    assert_eq!(connections, vec![0; 6], "every call after the first should reuse the first one's connection");
}
