//! Waiting for a state that moves on the server (a certificate being
//! issued): fetch, look, wait a growing delay, fetch again, within an
//! overall timeout.

use std::future::IntoFuture;
use std::time::Duration;

use super::Error;

/// What a waiter's check makes of a state it fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitState {
    /// The state waited for is reached: the wait ends with it.
    Ready,
    /// Not yet: fetch again after the next delay.
    Pending,
    /// A failure that waiting longer cannot mend: the wait ends with an
    /// [`ErrorKind::WaitFailed`](crate::ErrorKind::WaitFailed) error with
    /// this message.
    Failed(String),
}

/// How a wait polls: the first delay between fetches, growing by
/// `multiplier` up to `max_delay`, and an overall `timeout` after which
/// the wait fails with [`TimeoutKind::Wait`](crate::TimeoutKind::Wait). Defaults: 1 s, doubling up
/// to 20 s, within 10 minutes.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitOptions {
    timeout: Duration,
    initial_delay: Duration,
    max_delay: Duration,
    multiplier: f64,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions { timeout: Duration::from_secs(600), initial_delay: Duration::from_secs(1), max_delay: Duration::from_secs(20), multiplier: 2.0 }
    }
}

impl WaitOptions {
    /// The defaults; see [`WaitOptions`].
    pub fn new() -> Self {
        WaitOptions::default()
    }

    /// The longest the whole wait takes, fetches included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The delay after the first fetch.
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The longest delay between two fetches.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// How much each delay grows over the one before (at least 1; a
    /// value below 1, or not a number, counts as 1: a fixed delay).
    pub fn multiplier(mut self, multiplier: f64) -> Self {
        self.multiplier = if multiplier.is_finite() && multiplier >= 1.0 { multiplier } else { 1.0 };
        self
    }

    /// The overall timeout.
    pub fn overall_timeout(&self) -> Duration {
        self.timeout
    }

    /// The delays between fetches, in order, endless.
    pub fn delays(&self) -> impl Iterator<Item = Duration> + use<> {
        let (max, multiplier) = (self.max_delay, self.multiplier);
        std::iter::successors(Some(self.initial_delay.min(max)), move |d| Some(d.mul_f64(multiplier).min(max)))
    }

    /// The error of a wait that ran out of time, still pending.
    #[doc(hidden)]
    pub fn timed_out(&self, what: &str, fetches: u32) -> Error {
        let message = format!(
            "{what}: still pending after {fetches} fetch(es) over the wait timeout of {}s; wait longer with WaitOptions::timeout",
            self.timeout.as_secs_f64()
        );
        Error::wait_timeout(message)
    }

    /// The error of a wait whose check reported a failure.
    #[doc(hidden)]
    pub fn failed(what: &str, reason: &str) -> Error {
        Error::wait_failed(format!("{what}: {reason}"))
    }
}

/// Fetches a state with `fetch` until `check` finds it [`Ready`](WaitState::Ready)
/// (the state is returned) or [`Failed`](WaitState::Failed), waiting
/// [`WaitOptions`]' growing delays between fetches, for at most its
/// overall timeout (which also bounds a fetch in flight). `what` names
/// the wait in its errors (`reserved domain rd_1's certificate`).
///
/// An error from `fetch` ends the wait with that error: each fetch is a
/// call with the client's own retries already.
///
/// ```no_run
/// # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
/// use std::time::Duration;
/// use ngrok_api::wait::{WaitOptions, WaitState, wait_until};
/// let endpoint = wait_until(
///     "the endpoint",
///     || client.endpoints().get("ep_123"),
///     |e| if e.public_url.is_empty() { WaitState::Pending } else { WaitState::Ready },
///     WaitOptions::new().timeout(Duration::from_secs(60)),
/// )
/// .await?;
/// # Ok(()) }
/// ```
pub async fn wait_until<T, F, Fut, C>(what: &str, mut fetch: F, mut check: C, options: WaitOptions) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: IntoFuture<Output = Result<T, Error>>,
    C: FnMut(&T) -> WaitState,
{
    let mut fetches = 0u32;
    let walk = async {
        let mut delays = options.delays();
        loop {
            fetches += 1;
            let state = fetch().await?;
            match check(&state) {
                WaitState::Ready => return Ok(state),
                WaitState::Failed(reason) => return Err(WaitOptions::failed(what, &reason)),
                WaitState::Pending => {}
            }
            let delay = delays.next().unwrap_or(options.max_delay);
            tokio::time::sleep(delay).await;
        }
    };
    let outcome = tokio::time::timeout(options.timeout, walk).await;
    match outcome {
        Ok(done) => done,
        Err(_) => Err(options.timed_out(what, fetches)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_to_their_cap() {
        let o = WaitOptions::new().initial_delay(Duration::from_secs(1)).max_delay(Duration::from_secs(5));
        let d: Vec<_> = o.delays().take(5).map(|d| d.as_secs()).collect();
        assert_eq!(d, vec![1, 2, 4, 5, 5]);
        let fixed: Vec<_> = o.multiplier(0.5).delays().take(3).map(|d| d.as_secs()).collect();
        assert_eq!(fixed, vec![1, 1, 1]);
        let nan: Vec<_> = WaitOptions::new().multiplier(f64::NAN).delays().take(2).map(|d| d.as_secs()).collect();
        assert_eq!(nan, vec![1, 1]);
    }
}
