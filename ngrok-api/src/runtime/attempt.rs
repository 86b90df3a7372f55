//! One attempt at a call: the request with its headers, the response's
//! headers, and its body read within the size limits while it streams in.

use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use url::Url;

use super::classify::transport_error;
use super::client::Inner;
use super::config::BodyLimits;
use super::headers::{ResponseMeta, content_length};
use super::{Error, TimeoutKind};

/// What came back from one attempt that reached the server.
pub(crate) struct AttemptResponse {
    pub(crate) status: StatusCode,
    pub(crate) meta: ResponseMeta,
    /// The whole body for a success; for an error, at most the error limit.
    pub(crate) body: Vec<u8>,
}

/// Sends the request once and reads the response, within the attempt
/// timeout (which covers the body too).
pub(crate) async fn attempt(
    inner: &Inner,
    http: &reqwest::Client,
    auth: &HeaderValue,
    method: &Method,
    url: &Url,
    body: Option<&Vec<u8>>,
) -> Result<AttemptResponse, Error> {
    let mut headers = HeaderMap::with_capacity(5);
    headers.insert(header::AUTHORIZATION, auth.clone());
    headers.insert("ngrok-version", HeaderValue::from_static("2"));
    headers.insert(header::USER_AGENT, inner.user_agent.clone());
    headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    let mut req = http.request(method.clone(), url.clone()).headers(headers);
    if let Some(b) = body {
        req = req.header(header::CONTENT_TYPE, "application/json").body(b.clone());
    }
    let connect_timeout = inner.connect_timeout;
    let limits = inner.limits;
    let exchange = async move {
        let resp = req.send().await.map_err(|e| transport_error(e, connect_timeout))?;
        let status = resp.status();
        let meta = ResponseMeta::from_headers(resp.headers());
        let body = read_body(resp, status, limits, connect_timeout).await?;
        Ok(AttemptResponse { status, meta, body })
    };
    match inner.attempt_timeout {
        Some(limit) => tokio::time::timeout(limit, exchange)
            .await
            .unwrap_or_else(|_| Err(Error::timeout(TimeoutKind::Attempt, Some(limit)))),
        None => exchange.await,
    }
}

/// Reads the body chunk by chunk. A success body may not pass the success
/// limit (checked against `Content-Length` first, then while streaming):
/// past it the call fails and the rest is never read. Of an error body,
/// the first bytes up to the error limit are kept and the rest is not read.
/// Memory held never passes the limit, whatever the server sends.
async fn read_body(
    mut resp: reqwest::Response,
    status: StatusCode,
    limits: BodyLimits,
    connect_timeout: Option<Duration>,
) -> Result<Vec<u8>, Error> {
    let success = status.is_success();
    let limit = if success { limits.success } else { limits.error };
    let declared = content_length(resp.headers()).map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    if success && declared.is_some_and(|n| n > limit) {
        return Err(Error::too_large(status, limit));
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(limit));
    while let Some(chunk) = resp.chunk().await.map_err(|e| transport_error(e, connect_timeout))? {
        let room = limit - body.len();
        if chunk.len() > room {
            if success {
                return Err(Error::too_large(status, limit));
            }
            body.extend_from_slice(&chunk[..room]);
            break;
        }
        reserve_within(&mut body, chunk.len(), limit);
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Makes room for `more` bytes, growing geometrically but never past `limit`.
fn reserve_within(body: &mut Vec<u8>, more: usize, limit: usize) {
    let needed = body.len() + more;
    if needed > body.capacity() {
        let target = needed.max(body.capacity().saturating_mul(2)).min(limit);
        body.reserve_exact(target - body.len());
    }
}
