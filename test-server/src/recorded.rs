//! One request as the server saw it.

/// One request as it arrived: what the client really sent.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `POST`, ...
    pub method: String,
    /// Path and query exactly as sent on the request line.
    pub target: String,
    /// Every header, as hyper parsed them (kept, not copied).
    pub headers: hyper::HeaderMap,
    /// The request body.
    pub body: Vec<u8>,
    /// When it arrived, on tokio's clock (virtual under a paused clock).
    pub at: tokio::time::Instant,
    /// Which of the server's connections it came on, counted from 0 in
    /// the order they were accepted.
    pub connection: usize,
}

impl Recorded {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The first value of a header, by case-insensitive name (`None` for a
    /// value that is not visible ASCII).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The query's pairs in order, percent- and plus-decoded.
    pub fn query(&self) -> Vec<(String, String)> {
        match self.target.split_once('?') {
            None => Vec::new(),
            Some((_, q)) => form_urlencoded::parse(q.as_bytes()).into_owned().collect(),
        }
    }

    /// The body as JSON, or `Null` when it is empty or not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}
