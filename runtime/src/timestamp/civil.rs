//! The calendar arithmetic a timestamp needs, with no date-time crate: the
//! proleptic Gregorian calendar to and from days since the Unix epoch, and
//! RFC 3339 text for an instant in a given offset. The property tests hold
//! it to the `time` crate.

/// A timestamp's value: an instant (whole seconds since the Unix epoch and
/// nanoseconds past them) and the offset its text was written in. Equal,
/// ordered and hashed as instants: the offset only says how it was written.
#[derive(Clone, Copy, Debug)]
pub(super) struct Value {
    /// Whole seconds since `1970-01-01T00:00:00Z`, rounded down.
    pub(super) seconds: i64,
    /// Nanoseconds past `seconds`, below one billion.
    pub(super) nanosecond: u32,
    /// Seconds east of UTC (whole minutes, within 23:59 of UTC): read by
    /// the conversions to other crates' types, which are all optional.
    #[cfg_attr(not(any(feature = "chrono", feature = "jiff", feature = "time")), allow(dead_code))]
    pub(super) offset_seconds: i32,
}

impl Value {
    /// `1970-01-01T00:00:00Z`: what the empty timestamp reads as.
    pub(super) const UNIX_EPOCH: Value = Value { seconds: 0, nanosecond: 0, offset_seconds: 0 };

    fn instant(&self) -> (i64, u32) {
        (self.seconds, self.nanosecond)
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        self.instant() == other.instant()
    }
}

impl Eq for Value {}

impl PartialOrd for Value {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Value {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.instant().cmp(&other.instant())
    }
}

impl std::hash::Hash for Value {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.instant().hash(state)
    }
}

const DAY: i64 = 86_400;

/// Days from `1970-01-01` to `year-month-day` (a valid date; `month` 1 to
/// 12), counted in 400-year eras of 146,097 days each, the year taken to
/// start in March so that the leap day ends it.
pub(super) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` after `1970-01-01`: year, month (1 to 12), day.
pub(super) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    // Both in range by construction: 1 to 31 and 1 to 12.
    let day = u32::try_from(day_of_year - (153 * month_from_march + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 }).unwrap_or(1);
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    (year, month, day)
}

/// Seconds since the Unix epoch of a local date and time written with an
/// offset of `offset_seconds` east of UTC.
pub(super) fn unix_seconds(date: (i64, u32, u32), hour: u32, minute: u32, second: u32, offset_seconds: i32) -> i64 {
    let (year, month, day) = date;
    let of_day = i64::from(hour * 3600 + minute * 60 + second);
    days_from_civil(year, month, day) * DAY + of_day - i64::from(offset_seconds)
}

/// Why an offset cannot be written in RFC 3339 (`None` when it can).
pub(super) fn offset_problem(offset_seconds: i32) -> Option<&'static str> {
    if offset_seconds % 60 != 0 {
        Some("has an offset with seconds, which RFC 3339 cannot write")
    } else if offset_seconds.unsigned_abs() > 23 * 3600 + 59 * 60 {
        Some("has an offset beyond 23:59 from UTC, which RFC 3339 cannot write")
    } else {
        None
    }
}

/// The RFC 3339 text of `seconds` since the Unix epoch in an offset of
/// `offset_seconds`, to the second: `Z` for UTC, else `+HH:MM` or
/// `-HH:MM`. `None` for an offset [`offset_problem`] refuses or a local
/// year outside 0000 to 9999.
pub(super) fn rfc3339_text(seconds: i64, offset_seconds: i32) -> Option<String> {
    if offset_problem(offset_seconds).is_some() {
        return None;
    }
    let local = seconds.checked_add(i64::from(offset_seconds))?;
    let (year, month, day) = civil_from_days(local.div_euclid(DAY));
    if !(0..=9999).contains(&year) {
        return None;
    }
    let of_day = local.rem_euclid(DAY);
    let (hour, minute, second) = (of_day / 3600, of_day / 60 % 60, of_day % 60);
    let mut text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
    if offset_seconds == 0 {
        text.push('Z');
    } else {
        let sign = if offset_seconds < 0 { '-' } else { '+' };
        let minutes = offset_seconds.unsigned_abs() / 60;
        text.push_str(&format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60));
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::format_description::well_known::Rfc3339;
    use time::{OffsetDateTime, UtcOffset};

    /// Seconds from year 0000 to the end of year 9999, around the epoch.
    const FIRST: i64 = -62_167_219_200;
    const LAST: i64 = 253_402_300_799;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]
        // Days from about year -8950 to 9999-12-31: `time` stops at 9999.
        #[test]
        fn days_agree_with_the_time_crate(days in -4_000_000i64..2_932_897) {
            let date = (OffsetDateTime::UNIX_EPOCH + time::Duration::days(days)).date();
            let civil = super::civil_from_days(days);
            prop_assert_eq!(civil, (i64::from(date.year()), u32::from(u8::from(date.month())), u32::from(date.day())));
            prop_assert_eq!(super::days_from_civil(civil.0, civil.1, civil.2), days);
        }

        #[test]
        fn text_agrees_with_the_time_crate(seconds in FIRST - 90_000..LAST + 90_000, minutes in -1500i32..1500) {
            let ours = super::rfc3339_text(seconds, minutes * 60);
            let reference = UtcOffset::from_whole_seconds(minutes * 60).ok().and_then(|offset| {
                let value = OffsetDateTime::from_unix_timestamp(seconds).ok()?.checked_to_offset(offset)?;
                let writable = (0..=9999).contains(&value.year()) && minutes.abs() < 24 * 60;
                writable.then(|| value.format(&Rfc3339).ok()).flatten()
            });
            prop_assert_eq!(ours, reference);
        }
    }

    #[test]
    fn offsets_rfc_3339_cannot_write_are_named() {
        assert_eq!(super::offset_problem(-(23 * 3600 + 59 * 60)), None);
        assert!(super::offset_problem(90).is_some_and(|p| p.contains("seconds")));
        assert!(super::offset_problem(24 * 3600).is_some_and(|p| p.contains("23:59")));
        assert_eq!(super::rfc3339_text(0, 24 * 3600), None);
        assert_eq!(super::rfc3339_text(i64::MAX, 3600), None);
        assert_eq!(super::rfc3339_text(i64::MIN, 0), None);
    }
}
