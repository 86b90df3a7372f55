//! The future of one call.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::client::RawFuture;
use super::decode::decode;
use super::{Call, Client, Error};

/// The future of one call; `.await` it.
///
/// Encoding the request body and decoding the response happen when the
/// future is first polled, in generic code: they are compiled into the
/// program that awaits the call, for the operations it actually uses,
/// rather than for every operation when this crate is built. Sending is
/// one shared, non-generic path.
#[must_use = "a call does nothing until it is awaited"]
pub struct ResponseFuture<T, B = ()> {
    state: CallState<B>,
    output: PhantomData<fn() -> T>,
}

enum CallState<B> {
    Prepared { client: Client, call: Call<B> },
    Sending { operation: &'static str, future: RawFuture },
    Finished,
}

impl<T, B> ResponseFuture<T, B> {
    /// A call ready to be sent, with its body (if any) not yet encoded.
    #[doc(hidden)]
    pub fn new(client: Client, call: Call<B>) -> Self {
        ResponseFuture { state: CallState::Prepared { client, call }, output: PhantomData }
    }
}

impl<T, B> fmt::Debug for ResponseFuture<T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (state, operation) = match &self.state {
            CallState::Prepared { call, .. } => ("prepared", call.operation),
            CallState::Sending { operation, .. } => ("sending", *operation),
            CallState::Finished => ("finished", ""),
        };
        f.debug_struct("ResponseFuture").field("operation", &operation).field("state", &state).finish()
    }
}

impl<T, B> Future for ResponseFuture<T, B>
where
    T: DeserializeOwned,
    B: Serialize + Unpin,
{
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, CallState::Finished) {
                CallState::Prepared { client, call } => {
                    let call = call.encode();
                    let operation = call.operation;
                    let prepared = match client.prepare(call) {
                        Ok(p) => p,
                        Err(e) => return Poll::Ready(Err(e)),
                    };
                    let future = client.send(prepared);
                    this.state = CallState::Sending { operation, future };
                }
                CallState::Sending { operation, mut future } => {
                    return match future.as_mut().poll(cx) {
                        Poll::Pending => {
                            this.state = CallState::Sending { operation, future };
                            Poll::Pending
                        }
                        Poll::Ready(result) => Poll::Ready(result.and_then(|raw| decode::<T>(&raw))),
                    };
                }
                CallState::Finished => {
                    return Poll::Ready(Err(Error::config("this call was already awaited to completion")));
                }
            }
        }
    }
}
