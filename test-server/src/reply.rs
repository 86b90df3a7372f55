//! What the server answers: a status, headers and a body sent at once or
//! in timed pieces, after an optional delay; or nothing at all.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use hyper::body::{Body, Bytes, Frame, SizeHint};

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answer after `delay` with this status, headers and body.
    Respond {
        /// The HTTP status.
        status: u16,
        /// Headers, in order.
        headers: Vec<(String, String)>,
        /// The body and how it is sent.
        body: Payload,
        /// How long to wait before sending the head (a stand-in for the
        /// network or a slow server; virtual under a paused clock).
        delay: Duration,
    },
    /// Never answer; the connection stays open until the client drops it.
    /// The server counts such abandoned requests ([`crate::Server::abandoned`]).
    Hang,
}

/// A response body: its pieces, the pause before each piece after the
/// first, and whether it ends after the last piece or stalls there.
#[derive(Debug, Clone, Default)]
pub struct Payload {
    chunks: Vec<Bytes>,
    gap: Duration,
    stall: bool,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply::raw(status, "application/json", body.to_string())
    }

    /// An answer with any content type, sent in one piece with its length.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Bytes>) -> Reply {
        let body = Payload { chunks: vec![body.into()], ..Payload::default() };
        Reply::Respond { status, headers: vec![("content-type".into(), content_type.into())], body, delay: Duration::ZERO }
    }

    /// An answer with no body.
    pub fn empty(status: u16) -> Reply {
        Reply::Respond { status, headers: Vec::new(), body: Payload::default(), delay: Duration::ZERO }
    }

    /// ngrok's JSON error body.
    pub fn api_error(status: u16, code: &str, msg: &str, operation_id: &str) -> Reply {
        Reply::json(
            status,
            serde_json::json!({
                "error_code": code, "status_code": status, "msg": msg,
                "details": {"operation_id": operation_id}
            }),
        )
    }

    /// An answer whose body is sent chunked, piece by piece, waiting `gap`
    /// before each piece after the first.
    pub fn streamed<B: Into<Bytes>>(status: u16, content_type: &str, pieces: impl IntoIterator<Item = B>, gap: Duration) -> Reply {
        let body = Payload { chunks: pieces.into_iter().map(Into::into).collect(), gap, stall: false };
        Reply::Respond { status, headers: vec![("content-type".into(), content_type.into())], body, delay: Duration::ZERO }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }

    /// Waits `delay` before answering.
    pub fn after(mut self, wait: Duration) -> Reply {
        if let Reply::Respond { delay, .. } = &mut self {
            *delay = wait;
        }
        self
    }

    /// Sends the head and the body's pieces, then neither ends the body
    /// nor sends more: the client's read stalls until it gives up.
    pub fn then_stall(mut self) -> Reply {
        if let Reply::Respond { body, .. } = &mut self {
            body.stall = true;
        }
        self
    }
}

/// The body as hyper sends it.
pub(crate) struct Outgoing {
    chunks: VecDeque<Bytes>,
    gap: Duration,
    stall: bool,
    /// The length, when it is sent in one piece (hyper then sends
    /// `content-length`; otherwise the body is chunked).
    exact: Option<u64>,
    sent_first: bool,
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl From<Payload> for Outgoing {
    fn from(p: Payload) -> Outgoing {
        let whole = p.chunks.len() <= 1 && !p.stall;
        let exact = whole.then(|| p.chunks.iter().map(|c| c.len() as u64).sum());
        Outgoing { chunks: p.chunks.into(), gap: p.gap, stall: p.stall, exact, sent_first: false, pause: None }
    }
}

impl Body for Outgoing {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = &mut *self;
        if this.sent_first && !this.gap.is_zero() && !this.chunks.is_empty() {
            let pause = this.pause.get_or_insert_with(|| Box::pin(tokio::time::sleep(this.gap)));
            ready!(pause.as_mut().poll(cx));
            this.pause = None;
        }
        match this.chunks.pop_front() {
            Some(chunk) => {
                this.sent_first = true;
                Poll::Ready(Some(Ok(Frame::data(chunk))))
            }
            // Never woken: the connection ends when the client drops it.
            None if this.stall => Poll::Pending,
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty() && !self.stall
    }

    fn size_hint(&self) -> SizeHint {
        match self.exact {
            Some(n) => SizeHint::with_exact(n),
            None => SizeHint::default(),
        }
    }
}
