//! When and how long to wait before trying a call again, and the optional
//! client-side rate limiter.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use super::Error;

/// How failed calls are retried: full-jitter exponential backoff.
///
/// The wait before retry *n* (1-based) is a random duration between zero and
/// `min(max_delay, base_delay * 2^(n-1))`. A `Retry-After` from the server
/// replaces it; one longer than `max_delay` ends the call at once with the
/// 429 (see [`Error::retry_after`](crate::Error::retry_after)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts in all, base delay 0.5 s, delays capped at 20 s.
    fn default() -> Self {
        RetryPolicy { max_attempts: 3, base_delay: Duration::from_millis(500), max_delay: Duration::from_secs(20) }
    }
}

impl RetryPolicy {
    /// Never retry: every call is made once.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// Attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The base of the exponential backoff.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between attempts; also the longest `Retry-After`
    /// honoured.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The upper bound of the wait before retry number `retry` (1-based).
    pub fn delay_bound(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// A random wait in `0..=delay_bound(retry)`.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let bound = self.delay_bound(retry);
        let nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(random_u64() % nanos.saturating_add(1))
    }
}

/// How long to wait before attempt `attempt + 1`, or `None` to give up
/// with `error` now: it is not retryable, the attempts are used up, or the
/// server asked for a wait (`Retry-After`) longer than the policy allows,
/// which the caller then sees in [`Error::retry_after`].
pub(crate) fn next_wait(policy: &RetryPolicy, error: &Error, idempotent: bool, attempt: u32) -> Option<Duration> {
    if !error.retryable(idempotent) || attempt >= policy.max_attempts {
        return None;
    }
    match error.retry_after() {
        Some(asked) if asked > policy.max_delay => None,
        Some(asked) => Some(asked),
        None => Some(policy.backoff(attempt)),
    }
}

/// A small xorshift generator seeded from the clock: jitter needs spread,
/// not cryptographic quality.
fn random_u64() -> u64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let mut x = STATE.load(Ordering::Relaxed);
    if x == 0 {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64) // the low bits: any seed will do
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        x = seed | 1;
    }
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    STATE.store(x, Ordering::Relaxed);
    x
}

/// A client-side limit: at most `requests` calls in any `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub requests: u32,
    /// The rolling window.
    pub window: Duration,
}

/// Sliding-window limiter: remembers when the last `requests` calls went out.
#[derive(Debug)]
pub(crate) struct Limiter {
    limit: RateLimit,
    sent: Mutex<VecDeque<Instant>>,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Limiter {
        Limiter { limit, sent: Mutex::new(VecDeque::new()) }
    }

    /// Waits until one more request fits in the window, then records it;
    /// tells `on_wait` of each wait before it starts.
    pub(crate) async fn acquire(&self, mut on_wait: impl FnMut(Duration)) {
        if self.limit.requests == 0 {
            return;
        }
        loop {
            let wait = {
                let mut sent = self.sent.lock().unwrap_or_else(|p| p.into_inner());
                let now = Instant::now();
                while sent.front().is_some_and(|t| now.duration_since(*t) >= self.limit.window) {
                    sent.pop_front();
                }
                if sent.len() < usize::try_from(self.limit.requests).unwrap_or(usize::MAX) {
                    sent.push_back(now);
                    return;
                }
                match sent.front() {
                    Some(oldest) => (*oldest + self.limit.window).saturating_duration_since(now),
                    None => Duration::ZERO,
                }
            };
            on_wait(wait);
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_within_its_bound() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_bound(1), Duration::from_millis(500));
        assert_eq!(p.delay_bound(2), Duration::from_secs(1));
        assert_eq!(p.delay_bound(10), Duration::from_secs(20));
        for retry in 1..8 {
            for _ in 0..100 {
                assert!(p.backoff(retry) <= p.delay_bound(retry));
            }
        }
    }
}
