//! The shared recording test server with one canned JSON answer that a
//! test changes between calls, for asserting exactly what the SDK sends.

pub use test_server::Recorded;
use test_server::{Canned, Reply, Server};

pub struct CaptureServer {
    server: Server,
    answer: Canned,
}

impl CaptureServer {
    /// A server answering `200 {}` until told otherwise.
    pub async fn start() -> CaptureServer {
        let answer = Canned::new(Reply::raw(200, "application/json", "{}"));
        CaptureServer { server: Server::start(answer.handler()).await, answer }
    }

    /// Answers every later request with `status` and the JSON text `body`.
    pub fn respond(&self, status: u16, body: &str) {
        self.answer.set(Reply::raw(status, "application/json", body.to_string()));
    }

    /// The requests since the last call.
    pub fn take(&self) -> Vec<Recorded> {
        self.server.take()
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    /// A client aimed at the server that never retries.
    pub fn client(&self) -> ngrok_api::Client {
        ngrok_api::Client::builder()
            .api_key("test-key")
            .base_url(self.url())
            .retry_policy(ngrok_api::RetryPolicy::none())
            .build()
            .expect("client")
    }
}
