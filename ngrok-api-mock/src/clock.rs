//! The emulator's clock: real time plus an offset that only moves forward,
//! through `POST /__mock/clock` or
//! [`MockServer::advance_clock`](crate::MockServer::advance_clock). Every
//! timestamp the emulator writes comes from it, and state that moves with
//! time (a managed certificate's provisioning job) moves with it, so a test
//! skips a wait by moving the clock instead of sleeping.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use crate::util::{now_secs, rfc3339};

/// How far ahead of real time the clock may run: 100 years.
pub(crate) const MAX_OFFSET_SECS: u64 = 100 * 365 * 86_400;

/// How long a managed certificate takes to be issued, unless set
/// otherwise: long enough that code sees the provisioning job in the
/// answer to its request, short enough that a waiter with default options
/// sees the certificate within a few seconds without the clock moved.
pub(crate) const DEFAULT_CERT_DELAY: Duration = Duration::from_secs(3);

/// The emulator's time and the delays that run on it.
#[derive(Debug)]
pub(crate) struct Clock {
    offset: AtomicU64,
    /// Seconds from the start of a certificate job to the certificate.
    pub cert_delay: u64,
}

impl Clock {
    pub fn new(cert_delay: Duration) -> Clock {
        // Whole seconds, rounded up: a delay is never cut to nothing.
        let secs = cert_delay.as_secs() + u64::from(cert_delay.subsec_nanos() > 0);
        Clock { offset: AtomicU64::new(0), cert_delay: secs }
    }

    /// Seconds since the Unix epoch, on the emulator's clock.
    pub fn now(&self) -> u64 {
        now_secs().saturating_add(self.offset())
    }

    /// How far ahead of real time the clock runs, in seconds.
    pub fn offset(&self) -> u64 {
        self.offset.load(Ordering::Acquire)
    }

    /// Sets the offset (a state file's, on restart).
    pub fn set_offset(&self, secs: u64) {
        self.offset.store(secs.min(MAX_OFFSET_SECS), Ordering::Release);
    }

    /// Moves the clock forward by `secs`; refused past [`MAX_OFFSET_SECS`].
    pub fn advance(&self, secs: u64) -> Result<u64, String> {
        self.offset
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |o| o.checked_add(secs).filter(|n| *n <= MAX_OFFSET_SECS))
            .map(|old| old + secs)
            .map_err(|old| {
                format!(
                    "the clock runs {old} s ahead already and may run at most {MAX_OFFSET_SECS} s (100 years) ahead of real time; advance it by less than {secs} s"
                )
            })
    }

    /// What `GET /__mock/clock` answers.
    pub fn view(&self) -> Value {
        json!({
            "now": rfc3339(self.now()),
            "offset_seconds": self.offset(),
            "cert_provisioning_delay_seconds": self.cert_delay,
        })
    }
}

/// Parses a duration written as a number with a unit (`90s`, `5m`, `2h`,
/// `1d`), units combined (`1h30m`), or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("`{text}` is not a duration; write it like `30s`, `5m`, `1h30m` or `0`");
    let t = text.trim();
    if t.is_empty() {
        return Err(bad());
    }
    if let Ok(secs) = t.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    let (mut total, mut digits) = (0u64, String::new());
    for c in t.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3_600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let n: u64 = digits.parse().map_err(|_| bad())?;
        total = n.checked_mul(unit).and_then(|v| total.checked_add(v)).ok_or_else(bad)?;
        digits.clear();
    }
    if !digits.is_empty() {
        return Err(bad());
    }
    Ok(Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_the_forms_the_flag_takes() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5_400)));
        assert_eq!(parse_duration("2d"), Ok(Duration::from_secs(172_800)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        for bad in ["", "s", "5x", "1.5s", "-3s", "10m5", "99999999999999999999d"] {
            assert!(parse_duration(bad).is_err_and(|e| e.contains("is not a duration")), "{bad}");
        }
    }

    #[test]
    fn the_clock_moves_forward_and_not_past_its_bound() {
        let c = Clock::new(Duration::from_millis(1_500));
        assert_eq!(c.cert_delay, 2, "rounded up to whole seconds");
        let before = c.now();
        assert_eq!(c.advance(3_600), Ok(3_600));
        assert!(c.now() >= before + 3_600);
        assert!(c.advance(MAX_OFFSET_SECS).is_err_and(|e| e.contains("100 years")));
        assert_eq!(c.offset(), 3_600, "a refused move changes nothing");
    }
}
