//! Reading RFC 3339 text. The API's own shape, `YYYY-MM-DDTHH:MM:SSZ`,
//! is checked with a few word-wide operations; every other valid form (a
//! fraction of any length, a numeric offset, a space or lower-case `t`
//! between date and time, lower-case `z`, a leap second) is read in place
//! by [`fields`], and [`explain`] says what is wrong with text that is not
//! a timestamp. The property tests hold all of it to the `time` crate's
//! own RFC 3339 parser.

use super::civil::{self, Value};

/// The parts of a valid timestamp.
pub(super) struct Fields {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanosecond: u32,
    /// Minutes east of UTC.
    offset_minutes: i32,
}

/// The numbers written in text of the right shape, not yet range-checked.
struct Written {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanosecond: u32,
    offset_hours: u32,
    offset_minutes: u32,
    offset_negative: bool,
}

/// What the text says, when it has the shape
/// `YYYY-MM-DD?HH:MM:SS[.digits](Z|z|+HH:MM|-HH:MM)`, `?` being any one
/// byte (RFC 3339 names `T` and allows others, such as a space).
#[inline]
fn written(s: &[u8]) -> Option<Written> {
    // The fixed part as an array: every index below is checked at compile time.
    let head: &[u8; 19] = s.get(..19)?.try_into().ok()?;
    if head[4] != b'-' || head[7] != b'-' || head[13] != b':' || head[16] != b':' {
        return None;
    }
    let (nanosecond, rest) = fraction(s, 19)?;
    let (offset_negative, offset_hours, offset_minutes) = match &s[rest..] {
        [b'Z' | b'z'] => (false, 0, 0),
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => (*sign == b'-', digits(s, rest + 1, 2)?, digits(s, rest + 4, 2)?),
        _ => return None,
    };
    Some(Written {
        year: two(head, 0)? * 100 + two(head, 2)?,
        month: two(head, 5)?,
        day: two(head, 8)?,
        hour: two(head, 11)?,
        minute: two(head, 14)?,
        second: two(head, 17)?,
        nanosecond,
        offset_hours,
        offset_minutes,
        offset_negative,
    })
}

/// The first part of `w` out of its range, named for a person to read.
fn out_of_range(w: &Written) -> Option<String> {
    let problem = if !(1..=12).contains(&w.month) {
        format!("month {:02} is not 01 to 12", w.month)
    } else if w.day == 0 || w.day > month_days(w.year, w.month) {
        format!("day {:02} is not a day of {:04}-{:02}", w.day, w.year, w.month)
    } else if w.hour > 23 {
        format!("hour {:02} is not 00 to 23", w.hour)
    } else if w.minute > 59 {
        format!("minute {:02} is not 00 to 59", w.minute)
    } else if w.second > 60 {
        format!("second {:02} is not 00 to 59", w.second)
    } else if w.offset_hours > 23 || w.offset_minutes > 59 {
        format!("offset {:02}:{:02} is not within 23:59 of UTC", w.offset_hours, w.offset_minutes)
    } else if w.second == 60 && !leap_second_allowed(w) {
        "second 60 (a leap second) is only valid at 23:59:60 UTC on the last day of a month".to_string()
    } else {
        return None;
    };
    Some(problem)
}

/// Signed minutes east of UTC.
fn offset_of(w: &Written) -> i32 {
    let minutes = i32::try_from(w.offset_hours * 60 + w.offset_minutes).unwrap_or(i32::MAX);
    if w.offset_negative { -minutes } else { minutes }
}

/// A leap second can only be the last second of a month, in UTC.
fn leap_second_allowed(w: &Written) -> bool {
    let local = i32::try_from(w.hour * 60 + w.minute).unwrap_or(i32::MAX);
    match local - offset_of(w) {
        // 23:59 UTC on the same day, the last of its month.
        1439 => w.day == month_days(w.year, w.month),
        // 23:59 UTC on the day before: the last day of the month before.
        -1 => w.day == 1,
        _ => false,
    }
}

/// The parts of `s`, when it is a valid RFC 3339 timestamp: then
/// [`rfc3339`] gives its value. A leap second reads as the nanosecond
/// before the next minute.
#[inline]
pub(super) fn fields(s: &[u8]) -> Option<Fields> {
    let w = written(s)?;
    let in_range = w.day != 0
        && w.day <= month_days(w.year, w.month)
        && w.hour <= 23
        && w.minute <= 59
        && w.second <= 59
        && w.offset_hours <= 23
        && w.offset_minutes <= 59;
    if !in_range && out_of_range(&w).is_some() {
        return None;
    }
    let (second, nanosecond) = if w.second == 60 { (59, 999_999_999) } else { (w.second, w.nanosecond) };
    let offset_minutes = offset_of(&w);
    Some(Fields { year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute, second, nanosecond, offset_minutes })
}

/// Why `s` is not a valid RFC 3339 timestamp (or `None` when it is one).
pub(super) fn explain(s: &str) -> Option<String> {
    match written(s.as_bytes()) {
        None => Some(format!(
            "`{s}` is not an RFC 3339 timestamp: expected `YYYY-MM-DDTHH:MM:SS`, an optional `.fraction`, then `Z` or an offset such as `+02:00`"
        )),
        Some(w) => out_of_range(&w).map(|problem| format!("`{s}` is not an RFC 3339 timestamp: {problem}")),
    }
}

/// Whether `s` is a valid timestamp: [`fields`] gives parts for it. The
/// API's own shape, `YYYY-MM-DDTHH:MM:SSZ` (20 bytes), is checked with a
/// few word-wide operations; other text goes to [`fields`].
#[inline]
pub(super) fn is_valid(s: &[u8]) -> bool {
    match <&[u8; 20]>::try_from(s) {
        Ok(s) => plain_utc(s) || fields(s).is_some(),
        Err(_) => fields(s).is_some(),
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` checked in three words: XOR with the template
/// leaves zero at every separator and 0 to 9 at every digit. The ranges
/// are then checked on the text itself: two ASCII digits read as one
/// big-endian number order as the numbers they write. Only a day past the
/// 28th needs the month's length.
#[inline]
pub(super) fn plain_utc(s: &[u8; 20]) -> bool {
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
    for (i, digits) in DIGITS.iter().enumerate() {
        let x = word(s, i) ^ word(TEMPLATE, i);
        let high = digits & 0xF0F0_F0F0_F0F0_F0F0;
        // Separators equal the template; digits are below 16, then below 10.
        ok &= x & !digits == 0 && x & high == 0 && (x + (digits & 0x0606_0606_0606_0606)) & high == 0;
    }
    let pair = |at: usize| u16::from_be_bytes([s[at], s[at + 1]]);
    let text = u16::from_be_bytes;
    let (month, day) = (pair(5), pair(8));
    ok && (text(*b"01")..=text(*b"12")).contains(&month)
        && day >= text(*b"01")
        && (day <= text(*b"28") || day_fits(s))
        && pair(11) <= text(*b"23")
        && pair(14) <= text(*b"59")
        && pair(17) <= text(*b"59")
}

/// Whether the day of a shape-checked `plain_utc` text is within its month.
#[cold]
fn day_fits(s: &[u8; 20]) -> bool {
    let two = |at: usize| u32::from(s[at].wrapping_sub(b'0')) * 10 + u32::from(s[at + 1].wrapping_sub(b'0'));
    two(8) <= month_days(two(0) * 100 + two(2), two(5))
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

/// The value of `s`, when it is a valid timestamp.
pub(super) fn rfc3339(s: &[u8]) -> Option<Value> {
    let f = fields(s)?;
    let offset_seconds = f.offset_minutes * 60;
    let seconds = civil::unix_seconds((i64::from(f.year), f.month, f.day), f.hour, f.minute, f.second, offset_seconds);
    Some(Value { seconds, nanosecond: f.nanosecond, offset_seconds })
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

/// An optional `.fraction` at `at`, as nanoseconds (digits past the ninth
/// are dropped), and where it ends.
fn fraction(s: &[u8], at: usize) -> Option<(u32, usize)> {
    if s.get(at) != Some(&b'.') {
        return Some((0, at));
    }
    let count = s[at + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if count == 0 {
        return None;
    }
    let kept = count.min(9);
    let n = digits(s, at + 1, kept)?;
    Some((n * 10u32.pow(9 - u32::try_from(kept).ok()?), at + 1 + count))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::format_description::well_known::Rfc3339;

    /// The instant and offset `text` reads as, by the `time` crate.
    fn reference(text: &str) -> Option<(i64, u32, i32)> {
        let value = time::OffsetDateTime::parse(text, &Rfc3339).ok()?;
        Some((value.unix_timestamp(), value.nanosecond(), value.offset().whole_seconds()))
    }

    /// The instant and offset `text` reads as, here.
    fn ours(text: &[u8]) -> Option<(i64, u32, i32)> {
        super::rfc3339(text).map(|v| (v.seconds, v.nanosecond, v.offset_seconds))
    }

    /// Text in the shape RFC 3339 allows, with every part allowed to be
    /// out of range.
    fn shaped() -> impl Strategy<Value = String> {
        let frac = prop_oneof![Just(String::new()), "\\.[0-9]{1,12}"];
        let offset = prop_oneof![Just("Z".to_string()), Just("z".to_string()), "[+-][0-2][0-9]:[0-6][0-9]", Just("-00:00".to_string())];
        let sep = prop_oneof![Just('T'), Just('t'), Just(' '), Just('x')];
        ("[0-9]{4}", 0u32..14, 0u32..33, sep, 0u32..26, 0u32..62, 0u32..62, frac, offset)
            .prop_map(|(y, mo, d, sep, h, mi, s, f, o)| format!("{y}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{f}{o}"))
    }

    /// Leap seconds, near the ends of months, in many offsets.
    fn leap_seconds() -> impl Strategy<Value = String> {
        (1990u32..2030, 1u32..13, prop_oneof![Just(1u32), 27u32..32], 0u32..24, prop_oneof![Just(59u32), 0u32..60], "(Z|[+-](0[0-9]|1[0-4]):(00|30|45))")
            .prop_map(|(y, mo, d, h, mi, o)| format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:60{o}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]
        #[test]
        fn agrees_with_the_time_crates_parser(text in prop_oneof![shaped(), leap_seconds()]) {
            let reference = reference(&text);
            prop_assert_eq!(ours(text.as_bytes()), reference, "{}", text);
            // The check alone (what decoding runs) and the explanation agree with the value.
            prop_assert_eq!(super::is_valid(text.as_bytes()), reference.is_some(), "{}", text);
            prop_assert_eq!(super::explain(&text).is_none(), reference.is_some(), "{}", text);
        }

        #[test]
        fn word_check_agrees_on_any_one_byte_changed(at in 0usize..20, byte in any::<u8>()) {
            let mut text = *b"2024-02-29T23:59:59Z";
            text[at] = byte;
            prop_assert_eq!(super::is_valid(&text), super::fields(&text).is_some(), "{:?}", text);
        }

        #[test]
        fn the_api_shape_check_agrees_with_the_full_parser(y in 0u32..10_000, mo in 0u32..100, d in 0u32..100, h in 0u32..100, mi in 0u32..100, sec in 0u32..60) {
            // Every two-digit value in every place (leap years, the 29th to
            // 31st of every month): the fast check takes exactly the
            // timestamps `time` takes, leap seconds aside.
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{sec:02}Z");
            let bytes: &[u8; 20] = text.as_bytes().try_into().expect("20 bytes");
            let full = time::OffsetDateTime::parse(&text, &Rfc3339).is_ok();
            prop_assert_eq!(super::plain_utc(bytes), full, "{}", text);
        }

        #[test]
        fn never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..48)) {
            let _ = super::rfc3339(&bytes);
            prop_assert_eq!(super::is_valid(&bytes), super::fields(&bytes).is_some());
            if let Ok(text) = std::str::from_utf8(&bytes) {
                prop_assert_eq!(super::explain(text).is_none(), super::is_valid(&bytes));
            }
        }
    }

    #[test]
    fn explains_what_is_wrong() {
        for (bad, says) in [
            ("yesterday", "expected `YYYY-MM-DDTHH:MM:SS`"),
            ("2025-09-04T10:11:35", "expected `YYYY-MM-DDTHH:MM:SS`"),
            ("2025-13-04T10:11:35Z", "month 13 is not 01 to 12"),
            ("2025-02-29T10:11:35Z", "day 29 is not a day of 2025-02"),
            ("2025-09-04T24:00:00Z", "hour 24"),
            ("2025-09-04T10:60:00Z", "minute 60"),
            ("2025-09-04T10:11:61Z", "second 61"),
            ("2025-09-04T10:11:35+24:00", "offset 24:00"),
            ("2025-09-04T10:11:60Z", "leap second"),
        ] {
            let problem = super::explain(bad).unwrap_or_default();
            assert!(problem.contains(says) && problem.contains(bad), "{bad}: {problem}");
        }
        assert_eq!(super::explain("2025-06-30T23:59:60Z"), None);
        assert_eq!(super::explain("2025-07-01T01:59:60+02:00"), None);
    }

    #[test]
    fn takes_the_fast_path_for_what_the_api_sends() {
        for text in ["2025-09-04T10:11:35Z", "2025-09-04T10:11:35.120Z", "2025-09-04T12:11:35+02:00", "2024-02-29T23:59:59.999999999-11:30"] {
            let fast = ours(text.as_bytes());
            assert!(fast.is_some(), "{text}");
            assert_eq!(fast, reference(text), "{text}");
        }
    }
}
