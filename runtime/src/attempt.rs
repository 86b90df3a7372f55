//! One attempt at a call: the request with its headers, the response's
//! headers, and its body read within the size limits while it streams in.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{self, HeaderValue};
use reqwest::{Method, StatusCode};
use url::Url;

use super::classify::{AttemptResponse, transport_error};
use super::headers::ResponseMeta;
use super::resolved::{BodyLimits, Inner};
use super::{Error, TimeoutKind};

/// Sends the request once and reads the response, within the attempt
/// timeout `limit` (which covers the body too). The headers are the client's own,
/// built once; a body is shared between attempts, never copied.
pub(crate) async fn attempt(
    inner: &Inner,
    http: &reqwest::Client,
    method: &Method,
    url: Url,
    body: Option<&Bytes>,
    limit: Option<Duration>,
) -> Result<AttemptResponse, Error> {
    let sent = http.execute(request(inner, method, url, body));
    let exchange = std::pin::pin!(exchange(sent, inner.limits, inner.connect_timeout));
    // One future and an optional timer, polled side by side: the call's
    // future holds the exchange once, whether a timeout is set or not.
    let timer = std::pin::pin!(limit.map(tokio::time::sleep));
    within(exchange, timer, limit).await
}

/// The request of one attempt, built apart so that the attempt's future
/// does not keep room for it while it waits.
fn request(inner: &Inner, method: &Method, url: Url, body: Option<&Bytes>) -> reqwest::Request {
    let mut req = reqwest::Request::new(method.clone(), url);
    *req.headers_mut() = inner.headers.clone();
    if let Some(b) = body {
        req.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        *req.body_mut() = Some(b.clone().into());
    }
    req
}

/// Polls `exchange` until it finishes, or fails with the attempt timeout
/// once `timer` (if any) has run out. The exchange is polled first, so a
/// response ready at the deadline is kept. As `tokio::time::timeout` does,
/// a timer whose exchange used up the task's cooperative budget is still
/// polled, so the deadline is kept even then.
fn within<'a, F>(
    mut exchange: Pin<&'a mut F>,
    mut timer: Pin<&'a mut Option<tokio::time::Sleep>>,
    limit: Option<Duration>,
) -> impl Future<Output = Result<AttemptResponse, Error>> + 'a
where
    F: Future<Output = Result<AttemptResponse, Error>>,
{
    std::future::poll_fn(move |cx| {
        let had_budget = tokio::task::coop::has_budget_remaining();
        if let Poll::Ready(done) = exchange.as_mut().poll(cx) {
            return Poll::Ready(done);
        }
        let starved = had_budget && !tokio::task::coop::has_budget_remaining();
        let fired = timer.as_mut().as_pin_mut().map(|t| {
            if starved { Pin::new(&mut tokio::task::unconstrained(t)).poll(cx) } else { t.poll(cx) }
        });
        match fired {
            Some(Poll::Ready(())) => Poll::Ready(Err(Error::timeout(TimeoutKind::Attempt, limit))),
            _ => Poll::Pending,
        }
    })
}

/// Waits for the response to a request sent, then reads its headers and
/// its body, chunk by chunk. A success body may not pass the success limit
/// (checked against `Content-Length` first, then while streaming): past it
/// the call fails and the rest is never read. Of an error body, the first
/// bytes up to the error limit are kept and the rest is not read. Memory
/// held never passes the limit, whatever the server sends.
///
/// One `await` reads every chunk, so the future holds the response once
/// and stays small.
async fn exchange(
    sent: impl Future<Output = Result<reqwest::Response, reqwest::Error>>,
    limits: BodyLimits,
    connect_timeout: Option<Duration>,
) -> Result<AttemptResponse, Error> {
    let mut resp = sent.await.map_err(|e| transport_error(e, connect_timeout))?;
    let status = resp.status();
    // The length hyper read from `Content-Length` (a response without a
    // valid one never gets here), without looking the header up again.
    let declared = resp.content_length().map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    let mut body = Gather::new(status, limits, declared)?;
    while let Some(chunk) = resp.chunk().await.map_err(|e| transport_error(e, connect_timeout))? {
        if !body.push(chunk)? || body.is_complete() {
            break;
        }
    }
    // Only an error is built from these headers; a success never reads
    // them. Read after the body, so the future does not carry them.
    let meta = if status.is_success() { ResponseMeta::default() } else { ResponseMeta::from_headers(resp.headers()) };
    Ok(AttemptResponse { status, meta, body: body.finish() })
}

/// A response body gathered within its limit. A body that arrives in one
/// chunk (the usual case) is kept as it came, without a copy; a body in
/// several is gathered into one buffer, sized by `Content-Length` when it
/// is declared (within the limit).
struct Gather {
    status: StatusCode,
    limit: usize,
    declared: Option<usize>,
    body: Gathered,
}

enum Gathered {
    Nothing,
    One(Bytes),
    Many(Vec<u8>),
}

impl Gather {
    /// Ready for a body of `declared` bytes, or the error when a success
    /// body declares more than its limit.
    fn new(status: StatusCode, limits: BodyLimits, declared: Option<usize>) -> Result<Gather, Error> {
        let limit = if status.is_success() { limits.success } else { limits.error };
        if status.is_success() && declared.is_some_and(|n| n > limit) {
            return Err(Error::too_large(status, limit));
        }
        Ok(Gather { status, limit, declared, body: Gathered::Nothing })
    }

    /// Takes the next chunk: `Ok(true)` to read on, `Ok(false)` when an
    /// error body reached its limit (the rest is not read), or the error
    /// when a success body passes its limit.
    fn push(&mut self, chunk: Bytes) -> Result<bool, Error> {
        match std::mem::replace(&mut self.body, Gathered::Nothing) {
            Gathered::Nothing if chunk.len() > self.limit => {
                self.too_large()?;
                self.body = Gathered::One(chunk.slice(..self.limit));
                Ok(false)
            }
            Gathered::Nothing => {
                self.body = Gathered::One(chunk);
                Ok(true)
            }
            Gathered::One(first) => {
                let mut body = Vec::with_capacity(self.declared.unwrap_or(0).clamp(first.len(), self.limit));
                body.extend_from_slice(&first);
                drop(first);
                self.append(body, &chunk)
            }
            Gathered::Many(body) => self.append(body, &chunk),
        }
    }

    fn append(&mut self, mut body: Vec<u8>, chunk: &[u8]) -> Result<bool, Error> {
        let room = self.limit - body.len();
        let more = chunk.len() <= room;
        if more {
            reserve_within(&mut body, chunk.len(), self.limit);
            body.extend_from_slice(chunk);
        } else {
            self.too_large()?;
            body.extend_from_slice(&chunk[..room]);
        }
        self.body = Gathered::Many(body);
        Ok(more)
    }

    /// Whether every byte `Content-Length` declared is here: the body is
    /// whole, and asking for another chunk would only learn that it ended.
    fn is_complete(&self) -> bool {
        let held = match &self.body {
            Gathered::Nothing => 0,
            Gathered::One(b) => b.len(),
            Gathered::Many(v) => v.len(),
        };
        self.declared == Some(held)
    }

    /// A success body past its limit fails the call; an error body is cut.
    fn too_large(&self) -> Result<(), Error> {
        if self.status.is_success() { Err(Error::too_large(self.status, self.limit)) } else { Ok(()) }
    }

    fn finish(self) -> Bytes {
        match self.body {
            Gathered::Nothing => Bytes::new(),
            Gathered::One(b) => b,
            Gathered::Many(v) => Bytes::from(v),
        }
    }
}

/// Makes room for `more` bytes, growing geometrically but never past `limit`.
fn reserve_within(body: &mut Vec<u8>, more: usize, limit: usize) {
    let needed = body.len() + more;
    if needed > body.capacity() {
        let target = needed.max(body.capacity().saturating_mul(2)).min(limit);
        body.reserve_exact(target - body.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An exchange that uses up the task's whole cooperative budget on
    /// every poll (and so never finishes) must not keep the attempt
    /// timeout from firing.
    #[test]
    fn the_timeout_fires_even_when_the_exchange_uses_up_the_budget() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a runtime");
        runtime.block_on(greedy_exchange_times_out());
    }

    async fn greedy_exchange_times_out() {
        let greedy = std::pin::pin!(std::future::poll_fn(|cx| -> Poll<Result<AttemptResponse, Error>> {
            loop {
                match tokio::task::coop::poll_proceed(cx) {
                    Poll::Ready(spent) => spent.made_progress(),
                    Poll::Pending => return Poll::Pending,
                }
            }
        }));
        let limit = Duration::from_millis(20);
        let timer = std::pin::pin!(Some(tokio::time::sleep(limit)));
        let outcome = tokio::time::timeout(Duration::from_secs(10), within(greedy, timer, Some(limit))).await;
        let error = match outcome {
            Ok(Err(e)) => e,
            Ok(Ok(_)) => panic!("the exchange cannot finish"),
            Err(_) => panic!("the attempt timeout never fired"),
        };
        assert_eq!(error.kind(), crate::ErrorKind::Timeout(TimeoutKind::Attempt));
    }
}
