//! Small helpers: random IDs, timestamps, path globs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The process-wide creation counter: every stored object and every minted
/// ID takes the next value, so both sort in creation order.
static SEQ: AtomicU64 = AtomicU64::new(1);

/// Width of the counter at the start of a minted ID: 62^11 > 2^64.
const SEQ_CHARS: usize = 11;

/// The next value of the creation counter.
pub(crate) fn next_seq() -> u64 {
    SEQ.fetch_add(1, Ordering::Relaxed)
}

/// The next value the creation counter will give, without taking it.
pub(crate) fn peek_seq() -> u64 {
    SEQ.load(Ordering::Relaxed)
}

/// Moves the creation counter to at least `n` (after state is loaded from
/// disk, so new objects sort after the saved ones).
pub(crate) fn advance_seq(n: u64) {
    SEQ.fetch_max(n, Ordering::Relaxed);
}

/// The counter value a minted ID (`prefix` then 27 characters) was made
/// with, so a list can find where a deleted object stood without keeping
/// anything of it. `None` for IDs the emulator did not mint.
pub(crate) fn minted_seq(id: &str, prefix: &str) -> Option<u64> {
    let tail = id.strip_prefix(prefix)?;
    if tail.len() != 27 || !tail.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let mut n: u64 = 0;
    for b in tail[..SEQ_CHARS].bytes() {
        let digit = BASE62.iter().position(|&c| c == b)?;
        n = n.checked_mul(62)?.checked_add(u64::try_from(digit).ok()?)?;
    }
    (n > 0 && n < SEQ.load(Ordering::Relaxed)).then_some(n)
}

/// A lock-free pseudo-random source (splitmix64); IDs need to be unique and
/// unpredictable enough for tests, not cryptographically strong.
#[derive(Debug)]
pub(crate) struct Rng(AtomicU64);

impl Rng {
    pub fn new() -> Rng {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
        let addr = &now as *const u64 as u64;
        Rng(AtomicU64::new(now ^ addr.rotate_left(32)))
    }

    pub fn next(&self) -> u64 {
        let mut z = self.0.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `prefix` followed by `n` base62 characters. An object ID (a prefix
    /// and 27 characters) starts with the creation counter, like the
    /// server's time-ordered IDs, and ends with random characters; anything
    /// else (tokens, keys) is random throughout.
    pub fn id(&self, prefix: &str, n: usize) -> String {
        let mut out = String::with_capacity(prefix.len() + n);
        out.push_str(prefix);
        let mut n = n;
        if n == 27 && !prefix.is_empty() {
            let mut seq = next_seq();
            let mut digits = [b'0'; SEQ_CHARS];
            for d in digits.iter_mut().rev() {
                *d = BASE62[(seq % 62) as usize];
                seq /= 62;
            }
            out.extend(digits.iter().map(|&b| char::from(b)));
            n -= SEQ_CHARS;
        }
        let mut bits = self.next();
        let mut left = 10;
        for _ in 0..n {
            if left == 0 {
                bits = self.next();
                left = 10;
            }
            out.push(BASE62[(bits % 62) as usize] as char);
            bits /= 62;
            left -= 1;
        }
        out
    }

    /// A fresh operation ID for the `ngrok-operation-id` header.
    pub fn operation_id(&self) -> String {
        self.id("op_", 27)
    }
}

/// Seconds since the Unix epoch, now.
pub(crate) fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Formats seconds since the Unix epoch as RFC 3339 in UTC.
pub(crate) fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Days to civil date (proleptic Gregorian), after H. Hinnant.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Matches `path` against a glob where `*` stands for any run of characters
/// other than `/` and `**` for any run at all.
pub(crate) fn glob(pattern: &str, path: &str) -> bool {
    fn go(p: &[u8], s: &[u8]) -> bool {
        match p.first() {
            None => s.is_empty(),
            Some(b'*') if p.get(1) == Some(&b'*') => {
                let rest = &p[2..];
                (0..=s.len()).any(|i| go(rest, &s[i..]))
            }
            Some(b'*') => {
                let rest = &p[1..];
                let mut i = 0;
                loop {
                    if go(rest, &s[i..]) {
                        return true;
                    }
                    if i == s.len() || s[i] == b'/' {
                        return false;
                    }
                    i += 1;
                }
            }
            Some(c) => s.first() == Some(c) && go(&p[1..], &s[1..]),
        }
    }
    go(pattern.as_bytes(), path.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_prefix_and_27_base62_characters() {
        let rng = Rng::new();
        let id = rng.id("ipp_", 27);
        assert!(id.starts_with("ipp_"));
        assert_eq!(id.len(), 31);
        assert!(id[4..].bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(rng.id("ipp_", 27), id);
    }

    #[test]
    fn minted_ids_carry_their_creation_order() {
        let rng = Rng::new();
        let a = rng.id("ipp_", 27);
        let b = rng.id("ipp_", 27);
        let (sa, sb) = (minted_seq(&a, "ipp_"), minted_seq(&b, "ipp_"));
        assert!(sa.is_some() && sa < sb, "{a} {b}");
        assert!(a < b, "IDs sort in creation order");
        assert_eq!(minted_seq(&a, "tn_"), None);
        assert_eq!(minted_seq("tn_0000000000000000MockTunnel1", "tn_"), None);
        assert_eq!(minted_seq("ipp_zzzzzzzzzzzzzzzzzzzzzzzzzzz", "ipp_"), None, "overflow or from the future");
        let token = rng.id("", 27);
        assert_eq!(minted_seq(&format!("ipp_{token}"), "ipp_"), None, "secrets do not start with the counter");
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_756_980_695), "2025-09-04T10:11:35Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn globs() {
        assert!(glob("/ip_policies/*", "/ip_policies/ipp_1"));
        assert!(!glob("/ip_policies/*", "/ip_policies/ipp_1/x"));
        assert!(!glob("/ip_policies/*", "/ip_policies"));
        assert!(glob("/edges/**", "/edges/https/e/routes/r"));
        assert!(glob("**", "/anything"));
        assert!(glob("/ip_policies", "/ip_policies"));
    }
}
