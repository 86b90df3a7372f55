//! One attempt at a call: the request with its headers, the response's
//! headers, and its body read within the size limits while it streams in.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{self, HeaderValue};
use reqwest::{Method, StatusCode};
use url::Url;

use super::classify::transport_error;
use super::client::Inner;
use super::config::BodyLimits;
use super::headers::ResponseMeta;
use super::{Error, TimeoutKind};

/// What came back from one attempt that reached the server.
pub(crate) struct AttemptResponse {
    pub(crate) status: StatusCode,
    /// What an error response's headers said (empty for a success).
    pub(crate) meta: ResponseMeta,
    /// The whole body for a success; for an error, at most the error limit.
    pub(crate) body: Bytes,
}

/// Sends the request once and reads the response, within the attempt
/// timeout (which covers the body too). The headers are the client's own,
/// built once; a body is shared between attempts, never copied.
pub(crate) async fn attempt(
    inner: &Inner,
    http: &reqwest::Client,
    method: &Method,
    url: &Url,
    body: Option<&Bytes>,
) -> Result<AttemptResponse, Error> {
    let mut req = reqwest::Request::new(method.clone(), url.clone());
    *req.headers_mut() = inner.headers.clone();
    if let Some(b) = body {
        req.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        *req.body_mut() = Some(b.clone().into());
    }
    let sent = http.execute(req);
    match inner.attempt_timeout {
        Some(limit) => tokio::time::timeout(limit, exchange(sent, inner.limits, inner.connect_timeout))
            .await
            .unwrap_or_else(|_| Err(Error::timeout(TimeoutKind::Attempt, Some(limit)))),
        None => exchange(sent, inner.limits, inner.connect_timeout).await,
    }
}

/// Waits for the response to a request sent, then reads its headers and body.
async fn exchange(
    sent: impl Future<Output = Result<reqwest::Response, reqwest::Error>>,
    limits: BodyLimits,
    connect_timeout: Option<Duration>,
) -> Result<AttemptResponse, Error> {
    let resp = sent.await.map_err(|e| transport_error(e, connect_timeout))?;
    let status = resp.status();
    // Only an error is built from these headers; a success never reads them.
    let meta = if status.is_success() { ResponseMeta::default() } else { ResponseMeta::from_headers(resp.headers()) };
    let body = read_body(resp, status, limits, connect_timeout).await?;
    Ok(AttemptResponse { status, meta, body })
}

/// Reads the body chunk by chunk. A success body may not pass the success
/// limit (checked against `Content-Length` first, then while streaming):
/// past it the call fails and the rest is never read. Of an error body,
/// the first bytes up to the error limit are kept and the rest is not read.
/// Memory held never passes the limit, whatever the server sends.
///
/// A body that arrives in one chunk (the usual case) is kept as it came,
/// without a copy; a body in several is gathered into one buffer, sized by
/// `Content-Length` when it is declared (within the limit).
async fn read_body(
    mut resp: reqwest::Response,
    status: StatusCode,
    limits: BodyLimits,
    connect_timeout: Option<Duration>,
) -> Result<Bytes, Error> {
    let success = status.is_success();
    let limit = if success { limits.success } else { limits.error };
    // The length hyper read from `Content-Length` (a response without a
    // valid one never gets here), without looking the header up again.
    let declared = resp.content_length().map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    if success && declared.is_some_and(|n| n > limit) {
        return Err(Error::too_large(status, limit));
    }
    let Some(first) = resp.chunk().await.map_err(|e| transport_error(e, connect_timeout))? else { return Ok(Bytes::new()) };
    if first.len() > limit {
        return if success { Err(Error::too_large(status, limit)) } else { Ok(first.slice(..limit)) };
    }
    let Some(second) = resp.chunk().await.map_err(|e| transport_error(e, connect_timeout))? else { return Ok(first) };
    let mut body = Vec::with_capacity(declared.unwrap_or(0).clamp(first.len(), limit));
    body.extend_from_slice(&first);
    drop(first);
    let mut chunk = Some(second);
    while let Some(c) = chunk {
        let room = limit - body.len();
        if c.len() > room {
            if success {
                return Err(Error::too_large(status, limit));
            }
            body.extend_from_slice(&c[..room]);
            break;
        }
        reserve_within(&mut body, c.len(), limit);
        body.extend_from_slice(&c);
        chunk = resp.chunk().await.map_err(|e| transport_error(e, connect_timeout))?;
    }
    Ok(Bytes::from(body))
}

/// Makes room for `more` bytes, growing geometrically but never past `limit`.
fn reserve_within(body: &mut Vec<u8>, more: usize, limit: usize) {
    let needed = body.len() + more;
    if needed > body.capacity() {
        let target = needed.max(body.capacity().saturating_mul(2)).min(limit);
        body.reserve_exact(target - body.len());
    }
}
