//! Conversions between [`Timestamp`] and the standard library's
//! `SystemTime`, and (behind features) `chrono`, `jiff` and `time`.
//!
//! Into a `Timestamp` they are checked (`TryFrom`): RFC 3339 only writes
//! years 0000 to 9999, and other types reach further. Like
//! `From<OffsetDateTime>`, they keep whole seconds (the API's precision),
//! rounding down. Out of a `Timestamp` they are plain `From`s: every such
//! time fits the other types.

use std::time::{Duration, SystemTime};

use super::{Text, Timestamp, civil};
use crate::Error;

impl Timestamp {
    /// A timestamp at `seconds` since the Unix epoch, in an offset of
    /// `offset_seconds`, to the second; an error for an offset or a year
    /// that RFC 3339 cannot write.
    fn from_unix(seconds: i64, offset_seconds: i32, from: &str) -> Result<Timestamp, Error> {
        if let Some(problem) = civil::offset_problem(offset_seconds) {
            return Err(Error::invalid_argument("timestamp", format!("{from} {problem}; convert it to UTC first")));
        }
        let text = civil::rfc3339_text(seconds, offset_seconds).ok_or_else(|| {
            Error::invalid_argument("timestamp", format!("{from} is outside years 0000 to 9999, which RFC 3339 timestamps cannot go beyond"))
        })?;
        Ok(Timestamp { text: Text::new(&text) })
    }

    /// Whole seconds since the Unix epoch, and the nanoseconds past them.
    fn unix_parts(&self) -> (i64, u32) {
        let value = self.value();
        (value.seconds, value.nanosecond)
    }

    /// The same instant as a `SystemTime`, or `None` where the platform's
    /// `SystemTime` cannot hold it (never on Unix-like systems).
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let (seconds, nanos) = self.unix_parts();
        match u64::try_from(seconds) {
            Ok(s) => SystemTime::UNIX_EPOCH.checked_add(Duration::new(s, nanos)),
            Err(_) => SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(seconds.unsigned_abs()))?.checked_add(Duration::from_nanos(u64::from(nanos))),
        }
    }
}

impl From<Timestamp> for SystemTime {
    /// The same instant. Exact wherever `SystemTime` spans the years 0000
    /// to 9999 (every Unix-like system); elsewhere a time it cannot hold
    /// becomes the Unix epoch: use [`Timestamp::to_system_time`] to be told.
    fn from(t: Timestamp) -> SystemTime {
        t.to_system_time().unwrap_or(SystemTime::UNIX_EPOCH)
    }
}

impl TryFrom<SystemTime> for Timestamp {
    type Error = Error;

    /// The same instant in UTC, to the second; an error beyond year 9999.
    fn try_from(t: SystemTime) -> Result<Timestamp, Error> {
        let seconds = match t.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).ok(),
            // Before the epoch: round down to the whole second.
            Err(e) => {
                let before = e.duration();
                i64::try_from(before.as_secs()).ok().and_then(|s| s.checked_add(i64::from(before.subsec_nanos() > 0))).map(|s| -s)
            }
        };
        let seconds = seconds.ok_or_else(|| Error::invalid_argument("timestamp", "the SystemTime is too far from 1970 for a timestamp"))?;
        Timestamp::from_unix(seconds, 0, "the SystemTime")
    }
}

#[cfg(feature = "chrono")]
mod chrono_conversions {
    use chrono::{DateTime, FixedOffset, Offset, TimeZone, Utc};

    use super::{Error, Timestamp};

    impl From<Timestamp> for DateTime<FixedOffset> {
        /// The same instant, in the offset the text carries.
        fn from(t: Timestamp) -> Self {
            let (seconds, nanos) = t.unix_parts();
            let offset = FixedOffset::east_opt(t.value().offset_seconds).unwrap_or(Utc.fix());
            // chrono reaches years far beyond 0000 to 9999.
            DateTime::from_timestamp(seconds, nanos).unwrap_or_default().with_timezone(&offset)
        }
    }

    impl From<Timestamp> for DateTime<Utc> {
        /// The same instant, in UTC.
        fn from(t: Timestamp) -> Self {
            let (seconds, nanos) = t.unix_parts();
            DateTime::from_timestamp(seconds, nanos).unwrap_or_default()
        }
    }

    impl<Tz: TimeZone> TryFrom<DateTime<Tz>> for Timestamp {
        type Error = Error;

        /// The same instant in the same offset, to the second; an error
        /// outside years 0000 to 9999.
        fn try_from(t: DateTime<Tz>) -> Result<Timestamp, Error> {
            Timestamp::from_unix(t.timestamp(), t.offset().fix().local_minus_utc(), "the chrono DateTime")
        }
    }
}

#[cfg(feature = "jiff")]
mod jiff_conversions {
    use jiff::tz::{Offset, TimeZone};

    use super::{Error, Timestamp};

    impl From<Timestamp> for jiff::Timestamp {
        /// The same instant.
        fn from(t: Timestamp) -> Self {
            let (seconds, nanos) = t.unix_parts();
            // jiff spans years -9999 to 9999, which covers every timestamp.
            jiff::Timestamp::new(seconds, i32::try_from(nanos).unwrap_or(0)).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        }
    }

    impl From<Timestamp> for jiff::ZonedDateTime {
        /// The same instant, in a fixed time zone at the offset the text carries.
        fn from(t: Timestamp) -> Self {
            let offset = Offset::from_seconds(t.value().offset_seconds).unwrap_or(Offset::UTC);
            jiff::Timestamp::from(t).to_zoned_datetime(TimeZone::fixed(offset))
        }
    }

    impl TryFrom<jiff::Timestamp> for Timestamp {
        type Error = Error;

        /// The same instant in UTC, to the second; an error before year 0000.
        fn try_from(t: jiff::Timestamp) -> Result<Timestamp, Error> {
            // Whole seconds, rounded down.
            let seconds = t.as_second() - i64::from(t.subsec_nanosecond() < 0);
            Timestamp::from_unix(seconds, 0, "the jiff Timestamp")
        }
    }

    impl TryFrom<&jiff::ZonedDateTime> for Timestamp {
        type Error = Error;

        /// The same instant in the same offset, to the second; an error
        /// before year 0000.
        fn try_from(t: &jiff::ZonedDateTime) -> Result<Timestamp, Error> {
            let ts = t.timestamp();
            let seconds = ts.as_second() - i64::from(ts.subsec_nanosecond() < 0);
            Timestamp::from_unix(seconds, t.offset().seconds(), "the jiff ZonedDateTime")
        }
    }
}

#[cfg(feature = "time")]
mod time_conversions {
    use time::{OffsetDateTime, UtcOffset};

    use super::{Text, Timestamp, civil};

    impl Timestamp {
        /// The parsed date and time, in the offset the text carries; the
        /// Unix epoch for the empty timestamp.
        #[cfg_attr(docsrs, doc(cfg(feature = "time")))]
        pub fn as_offset_date_time(&self) -> OffsetDateTime {
            let value = self.value();
            // Years 0000 to 9999 and offsets within 23:59: `time` holds them all.
            let nanos = i128::from(value.seconds) * 1_000_000_000 + i128::from(value.nanosecond);
            let offset = UtcOffset::from_whole_seconds(value.offset_seconds).unwrap_or(UtcOffset::UTC);
            OffsetDateTime::from_unix_timestamp_nanos(nanos).map_or(OffsetDateTime::UNIX_EPOCH, |utc| utc.to_offset(offset))
        }
    }

    impl From<OffsetDateTime> for Timestamp {
        /// The time to the second (the fraction is dropped). RFC 3339 has
        /// no text for a year outside 0000 to 9999 or an offset with
        /// seconds or beyond 23:59, so the text is then empty; the checked
        /// conversions from `SystemTime` and the other crates refuse such
        /// values instead.
        fn from(value: OffsetDateTime) -> Self {
            let text = civil::rfc3339_text(value.unix_timestamp(), value.offset().whole_seconds());
            Timestamp { text: Text::new(&text.unwrap_or_default()) }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::Timestamp;

    /// `2025-09-04T10:11:35Z`, in seconds since the Unix epoch.
    const SEPT_4: u64 = 1_756_980_695;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("a valid timestamp")
    }

    #[test]
    fn into_system_time_is_the_same_instant() {
        let epoch = SystemTime::UNIX_EPOCH;
        assert_eq!(SystemTime::from(ts("2025-09-04T10:11:35Z")), epoch + Duration::from_secs(SEPT_4));
        assert_eq!(SystemTime::from(ts("2025-09-04T12:11:35+02:00")), epoch + Duration::from_secs(SEPT_4));
        let st: SystemTime = ts("2025-09-04T10:11:35.25Z").into();
        assert_eq!(st, epoch + Duration::from_millis(SEPT_4 * 1000 + 250));
        assert_eq!(ts("1969-12-31T23:59:58.5Z").to_system_time(), Some(epoch - Duration::from_millis(1500)));
        assert!(ts("0000-01-01T00:00:00Z").to_system_time().is_some());
    }

    #[test]
    fn from_system_time_is_checked_and_keeps_whole_seconds() {
        let epoch = SystemTime::UNIX_EPOCH;
        let t = Timestamp::try_from(epoch + Duration::from_millis(SEPT_4 * 1000 + 999)).expect("in range");
        assert_eq!(t.as_str(), "2025-09-04T10:11:35Z");
        let t = Timestamp::try_from(epoch - Duration::from_millis(1500)).expect("in range");
        assert_eq!(t.as_str(), "1969-12-31T23:59:58Z", "rounded down, not toward the epoch");
        let now = Timestamp::try_from(SystemTime::now()).expect("now is in range");
        assert!(now.as_str().ends_with('Z') && now.as_str().len() == 20, "{now}");

        let far = epoch + Duration::from_secs(400_000 * 366 * 86_400);
        let err = Timestamp::try_from(far).expect_err("year 400,000 has no RFC 3339 text").to_string();
        assert!(err.contains("9999"), "{err}");
        let before_year_0 = epoch - Duration::from_secs(2_000 * 366 * 86_400 + 86_400 * 365 * 10);
        assert!(Timestamp::try_from(before_year_0).is_err());
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_both_ways() {
        use chrono::{DateTime, FixedOffset, TimeZone, Utc};
        let t = ts("2025-09-04T12:11:35+02:00");
        let fixed: DateTime<FixedOffset> = t.clone().into();
        assert_eq!(fixed.to_rfc3339(), "2025-09-04T12:11:35+02:00");
        let utc: DateTime<Utc> = t.clone().into();
        assert_eq!(utc.timestamp(), i64::try_from(SEPT_4).unwrap());
        let back = Timestamp::try_from(fixed).expect("in range");
        assert_eq!((back.as_str(), &back), ("2025-09-04T12:11:35+02:00", &t));
        assert_eq!(Timestamp::try_from(utc).expect("in range").as_str(), "2025-09-04T10:11:35Z");
        let far = Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).single().expect("a chrono date");
        assert!(Timestamp::try_from(far).expect_err("year 10000").to_string().contains("9999"));
        let odd = FixedOffset::east_opt(3630).expect("a chrono offset").from_utc_datetime(&utc.naive_utc());
        assert!(Timestamp::try_from(odd).expect_err("an offset with seconds").to_string().contains("offset with seconds"));
    }

    #[cfg(feature = "jiff")]
    #[test]
    fn jiff_both_ways() {
        let t = ts("2025-09-04T12:11:35.5+02:00");
        let instant: jiff::Timestamp = t.clone().into();
        assert_eq!((instant.as_second(), instant.subsec_nanosecond()), (i64::try_from(SEPT_4).unwrap(), 500_000_000));
        let zoned: jiff::ZonedDateTime = t.clone().into();
        assert_eq!(zoned.offset().seconds(), 7200);
        assert_eq!(Timestamp::try_from(&zoned).expect("in range").as_str(), "2025-09-04T12:11:35+02:00");
        assert_eq!(Timestamp::try_from(instant).expect("in range").as_str(), "2025-09-04T10:11:35Z");
        let early = jiff::Timestamp::new(-70_000_000_000, 0).expect("a jiff time before year 0");
        assert!(Timestamp::try_from(early).expect_err("before year 0").to_string().contains("0000"));
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_both_ways() {
        use time::format_description::well_known::Rfc3339;
        use time::macros::datetime;
        for text in ["2025-09-04T12:11:35.5+02:00", "2025-09-04T10:11:35Z", "0000-01-01T00:00:00-00:30", "2016-12-31T23:59:60Z"] {
            assert_eq!(ts(text).as_offset_date_time(), time::OffsetDateTime::parse(text, &Rfc3339).expect("valid"), "{text}");
        }
        assert_eq!(Timestamp::default().as_offset_date_time(), time::OffsetDateTime::UNIX_EPOCH);
        for value in [
            datetime!(2025-09-04 10:11:35 UTC),
            datetime!(2025-09-04 10:11:35.5 +02:00),
            datetime!(0000-01-01 00:00:00 -00:30),
            datetime!(9999-12-31 23:59:59 -23:59),
        ] {
            let reference = value.replace_nanosecond(0).expect("0 ns").format(&Rfc3339).expect("writable");
            assert_eq!(Timestamp::from(value).as_str(), reference);
        }
        // What RFC 3339 cannot write gives empty text.
        assert_eq!(Timestamp::from(datetime!(-0001-12-31 00:00:00 UTC)).as_str(), "");
        assert_eq!(Timestamp::from(datetime!(2025-01-01 00:00:00 +01:00:30)).as_str(), "");
        assert_eq!(Timestamp::from(datetime!(2025-01-01 00:00:00 +25:00)).as_str(), "");
    }
}
