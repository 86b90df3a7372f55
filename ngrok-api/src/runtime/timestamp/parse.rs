//! A fast path for the one shape the API sends,
//! `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`: digits read in place
//! and checked by `time`'s own constructors. Anything else (lower-case
//! letters, a leap second, a fraction over nine digits, out-of-range parts)
//! returns `None`, and the caller uses the full RFC 3339 parser, which also
//! explains a failure.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// The parts of a timestamp in the common shape.
pub(super) struct Fields {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanosecond: u32,
    offset: UtcOffset,
}

/// The parts of `s`, when it has the common shape and every part is in
/// range (the day within its month): then [`rfc3339`] gives its value.
#[inline]
pub(super) fn fields(s: &[u8]) -> Option<Fields> {
    // The fixed part as an array: every index below is checked at compile time.
    let head: &[u8; 19] = s.get(..19)?.try_into().ok()?;
    if head[4] != b'-' || head[7] != b'-' || head[10] != b'T' || head[13] != b':' || head[16] != b':' {
        return None;
    }
    let year = two(head, 0)? * 100 + two(head, 2)?;
    let (month, day) = (two(head, 5)?, two(head, 8)?);
    let (hour, minute, second) = (two(head, 11)?, two(head, 14)?, two(head, 17)?);
    let (nanosecond, rest) = if s.get(19) == Some(&b'.') { fraction(s, 19)? } else { (0, 19) };
    let offset = offset(&s[rest..])?;
    if day == 0 || day > month_days(year, month) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(Fields { year, month, day, hour, minute, second, nanosecond, offset })
}

/// Whether `s` is a valid timestamp the fast path reads: [`fields`] gives
/// parts for it. The API's own shape, `YYYY-MM-DDTHH:MM:SSZ` (20 bytes),
/// is checked with a few word-wide operations; other text goes to
/// [`fields`].
#[inline]
pub(super) fn is_valid(s: &[u8]) -> bool {
    match <&[u8; 20]>::try_from(s) {
        Ok(s) => plain_utc(s),
        Err(_) => fields(s).is_some(),
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` checked in three words: XOR with the template
/// leaves zero at every separator and 0 to 9 at every digit.
#[inline]
fn plain_utc(s: &[u8; 20]) -> bool {
    const TEMPLATE: &[u8; 20] = b"0000-00-00T00:00:00Z";
    // 0xFF over the digits of each word (little-endian, first byte lowest).
    const DIGITS: [u64; 3] = [0x00FF_FF00_FFFF_FFFF, 0xFFFF_00FF_FF00_FFFF, 0x0000_0000_00FF_FF00];
    let word = |b: &[u8; 20], i: usize| {
        let mut w = [0u8; 8];
        let end = if i == 2 { 4 } else { 8 };
        w[..end].copy_from_slice(&b[i * 8..i * 8 + end]);
        u64::from_le_bytes(w)
    };
    let mut ok = true;
    let mut v = [0u64; 3];
    for (i, digits) in DIGITS.iter().enumerate() {
        let x = word(s, i) ^ word(TEMPLATE, i);
        let high = digits & 0xF0F0_F0F0_F0F0_F0F0;
        // Separators equal the template; digits are below 16, then below 10.
        ok &= x & !digits == 0 && x & high == 0 && (x + (digits & 0x0606_0606_0606_0606)) & high == 0;
        v[i] = x;
    }
    if !ok {
        return false;
    }
    let byte = |at: usize| u32::from(v[at / 8].to_le_bytes()[at % 8]);
    let two = |at: usize| byte(at) * 10 + byte(at + 1);
    let (year, month, day) = (two(0) * 100 + two(2), two(5), two(8));
    day != 0 && day <= month_days(year, month) && two(11) <= 23 && two(14) <= 59 && two(17) <= 59
}

/// Days in `month` of `year` (0 when the month is not 1 to 12).
#[inline]
fn month_days(year: u32, month: u32) -> u32 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    }
}

/// The value of `s`, when it has the common shape and is valid.
pub(super) fn rfc3339(s: &[u8]) -> Option<OffsetDateTime> {
    let f = fields(s)?;
    let month = Month::try_from(u8::try_from(f.month).ok()?).ok()?;
    let date = Date::from_calendar_date(i32::try_from(f.year).ok()?, month, u8::try_from(f.day).ok()?).ok()?;
    let time = Time::from_hms_nano(u8::try_from(f.hour).ok()?, u8::try_from(f.minute).ok()?, u8::try_from(f.second).ok()?, f.nanosecond).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(f.offset))
}

/// The number written by the two ASCII digits at `at`.
#[inline(always)]
fn two(s: &[u8; 19], at: usize) -> Option<u32> {
    let (tens, ones) = (s[at].wrapping_sub(b'0'), s[at + 1].wrapping_sub(b'0'));
    (tens < 10 && ones < 10).then(|| u32::from(tens) * 10 + u32::from(ones))
}

/// The number written by `len` ASCII digits at `at`.
fn digits(s: &[u8], at: usize, len: usize) -> Option<u32> {
    s.get(at..at + len)?.iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

/// An optional `.fraction` at `at`, as nanoseconds, and where it ends.
fn fraction(s: &[u8], at: usize) -> Option<(u32, usize)> {
    if s.get(at) != Some(&b'.') {
        return Some((0, at));
    }
    let count = s[at + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=9).contains(&count) {
        return None;
    }
    let n = digits(s, at + 1, count)?;
    Some((n * 10u32.pow(9 - u32::try_from(count).ok()?), at + 1 + count))
}

/// `Z`, or `+HH:MM` / `-HH:MM` with hours up to 23, and nothing after.
#[inline]
fn offset(s: &[u8]) -> Option<UtcOffset> {
    match s {
        [b'Z'] => Some(UtcOffset::UTC),
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (hours, minutes) = (digits(s, 1, 2)?, digits(s, 4, 2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let (h, m) = (i8::try_from(hours).ok()?, i8::try_from(minutes).ok()?);
            if *sign == b'-' { UtcOffset::from_hms(-h, -m, 0).ok() } else { UtcOffset::from_hms(h, m, 0).ok() }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::format_description::well_known::Rfc3339;

    /// Text in the shape the fast path reads, with every part allowed to
    /// be out of range.
    fn shaped() -> impl Strategy<Value = String> {
        let frac = prop_oneof![Just(String::new()), "\\.[0-9]{1,10}"];
        let offset = prop_oneof![Just("Z".to_string()), "[+-][0-2][0-9]:[0-6][0-9]", Just("-00:00".to_string())];
        ("[0-9]{4}", 0u32..14, 0u32..33, 0u32..26, 0u32..62, 0u32..62, frac, offset).prop_map(|(y, mo, d, h, mi, s, f, o)| format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{f}{o}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]
        #[test]
        fn agrees_with_the_full_parser(text in shaped()) {
            let full = time::OffsetDateTime::parse(&text, &Rfc3339).ok();
            // Declining is always allowed (the full parser then decides);
            // a value must be the full parser's.
            if let Some(fast) = super::rfc3339(text.as_bytes()) {
                prop_assert_eq!(Some(fast), full, "{}", text);
            }
            // The check alone (what decoding runs) agrees with the value.
            prop_assert_eq!(super::fields(text.as_bytes()).is_some(), super::rfc3339(text.as_bytes()).is_some(), "{}", text);
            prop_assert_eq!(super::is_valid(text.as_bytes()), super::fields(text.as_bytes()).is_some(), "{}", text);
        }

        #[test]
        fn word_check_agrees_on_any_one_byte_changed(at in 0usize..20, byte in any::<u8>()) {
            let mut text = *b"2024-02-29T23:59:59Z";
            text[at] = byte;
            prop_assert_eq!(super::is_valid(&text), super::fields(&text).is_some(), "{:?}", text);
        }

        #[test]
        fn never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..48)) {
            let _ = super::rfc3339(&bytes);
            prop_assert_eq!(super::is_valid(&bytes), super::fields(&bytes).is_some());
        }
    }

    #[test]
    fn takes_the_fast_path_for_what_the_api_sends() {
        for text in ["2025-09-04T10:11:35Z", "2025-09-04T10:11:35.120Z", "2025-09-04T12:11:35+02:00", "2024-02-29T23:59:59.999999999-11:30"] {
            let fast = super::rfc3339(text.as_bytes());
            assert!(fast.is_some(), "{text}");
            assert_eq!(fast, time::OffsetDateTime::parse(text, &Rfc3339).ok(), "{text}");
        }
    }
}
