//! RFC 3339 timestamps that survive a decode/encode round trip unchanged.

mod civil;
mod convert;
mod parse;

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use civil::Value;

/// A point in time, as the API writes it (RFC 3339, e.g.
/// `2025-09-04T10:11:35Z`).
///
/// Keeps the exact text it was decoded from, so encoding it again gives
/// back the same bytes. Decoding checks the text is a valid timestamp but
/// keeps only the text (no allocation); the value is worked out when asked
/// for: [`Timestamp::unix_seconds`], [`Timestamp::to_system_time`].
/// Timestamps compare, order and hash as instants, whatever offset they
/// were written in. Converts to and from [`std::time::SystemTime`], and,
/// with the `chrono`, `jiff` or `time` features, to and from those crates'
/// types.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use ngrok_api::Timestamp;
/// let t: Timestamp = "2025-09-04T10:11:35Z".parse()?;
/// assert_eq!(t.unix_seconds(), 1_756_980_695);
/// assert_eq!(t.to_system_time(), Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_756_980_695)));
/// assert_eq!(t, "2025-09-04T12:11:35+02:00".parse()?);
/// assert_eq!(t.to_string(), "2025-09-04T10:11:35Z");
/// # Ok::<(), ngrok_api::Error>(())
/// ```
#[derive(Clone)]
pub struct Timestamp {
    text: Text,
}

/// Longest text kept without a heap allocation: the API's timestamps
/// (`2025-09-04T10:11:35Z`, 20 bytes) fit, and a `Timestamp` is then no
/// larger than a `String` (24 bytes); longer text (a fraction of more than
/// two digits, a numeric offset) is kept on the heap, as a `String` would be.
const INLINE: usize = 22;

// A model holding a `Timestamp` is as large as one holding its text.
const _: () = assert!(std::mem::size_of::<Timestamp>() == std::mem::size_of::<String>());

/// The text of a timestamp: inline when short (as the API writes them).
#[derive(Clone)]
enum Text {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Text {
    fn new(s: &str) -> Text {
        match u8::try_from(s.len()) {
            Ok(len) if s.len() <= INLINE => {
                let mut bytes = [0u8; INLINE];
                // The API's length as a fixed-size copy; others as they come.
                match <&[u8; 20]>::try_from(s.as_bytes()) {
                    Ok(api) => bytes[..20].copy_from_slice(api),
                    Err(_) => bytes[..s.len()].copy_from_slice(s.as_bytes()),
                }
                Text::Inline { len, bytes }
            }
            _ => Text::Heap(s.into()),
        }
    }

    /// The API's shape, already checked.
    #[inline]
    fn api(s: &[u8; 20]) -> Text {
        let mut bytes = [0u8; INLINE];
        bytes[..20].copy_from_slice(s);
        Text::Inline { len: 20, bytes }
    }

    fn as_str(&self) -> &str {
        match self {
            // Always whole UTF-8: copied from a `&str`, whole.
            Text::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default(),
            Text::Heap(s) => s,
        }
    }
}

impl Timestamp {
    /// The parsed value; the Unix epoch for the empty timestamp.
    fn value(&self) -> Value {
        // Checked when the timestamp was made, so it parses.
        parse::rfc3339(self.as_str().as_bytes()).unwrap_or(Value::UNIX_EPOCH)
    }

    /// Whole seconds since the Unix epoch (`1970-01-01T00:00:00Z`), rounded
    /// down: negative before 1970, 0 for the empty timestamp.
    pub fn unix_seconds(&self) -> i64 {
        self.value().seconds
    }

    /// The text as the API sent it.
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }

    /// Whether this is the empty timestamp ([`Default`]), which a response
    /// that left the field out decodes to.
    pub fn is_empty(&self) -> bool {
        self.as_str().is_empty()
    }

    /// The current time, in UTC, to the second (empty if the system clock
    /// is set beyond year 9999).
    pub fn now() -> Timestamp {
        Timestamp::try_from(std::time::SystemTime::now()).unwrap_or_default()
    }

    /// Parses RFC 3339 text, keeping it as it is.
    #[inline]
    fn parse(s: &str) -> Result<Timestamp, String> {
        if !parse::is_valid(s.as_bytes()) {
            return Err(parse::explain(s).unwrap_or_else(|| format!("`{s}` is not an RFC 3339 timestamp")));
        }
        Ok(Timestamp { text: Text::new(s) })
    }
}

/// Empty: no text, what a timestamp the API left out or sent as `null`
/// reads as. It encodes as `""` and reads as the Unix epoch.
impl Default for Timestamp {
    fn default() -> Self {
        Timestamp { text: Text::Inline { len: 0, bytes: [0; INLINE] } }
    }
}

impl FromStr for Timestamp {
    type Err = super::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(s).map_err(|problem| super::Error::invalid_argument("timestamp", problem))
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value()
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value().cmp(&other.value())
    }
}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value().hash(state)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.as_str())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Reads the text without first copying it into a `String`.
struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 timestamp")
    }

    #[inline]
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Timestamp, E> {
        // The API's own shape, checked and copied at its fixed size.
        if let Ok(api) = <&[u8; 20]>::try_from(s.as_bytes())
            && parse::plain_utc(api)
        {
            return Ok(Timestamp { text: Text::api(api) });
        }
        Timestamp::parse(s).map_err(E::custom)
    }
}

impl crate::de::Text for Timestamp {
    #[inline]
    fn from_text<E: de::Error>(text: &str) -> Result<Self, E> {
        TimestampVisitor.visit_str(text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TimestampVisitor)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    #[test]
    fn round_trips_exactly() {
        for text in [
            "2025-09-04T10:11:35Z",
            "2025-09-04T10:11:35.120Z",
            "2025-09-04T12:11:35+02:00",
            "2025-09-04t10:11:35z",
            "2025-09-04T10:11:35.123456789-07:30",
            "2025-09-04T10:11:35.1234567891234567891234567Z",
        ] {
            let json = format!("\"{text}\"");
            let t: Timestamp = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&t).unwrap(), json);
            let reference = OffsetDateTime::parse(text, &Rfc3339).unwrap();
            let value = t.value();
            assert_eq!(
                (value.seconds, value.nanosecond, value.offset_seconds),
                (reference.unix_timestamp(), reference.nanosecond(), reference.offset().whole_seconds()),
                "{text}"
            );
            assert_eq!(t.unix_seconds(), reference.unix_timestamp(), "{text}");
        }
    }

    #[test]
    fn compares_orders_and_hashes_as_instants() {
        let ts = |s: &str| s.parse::<Timestamp>().expect("a valid timestamp");
        let (utc, paris, later) = (ts("2025-09-04T10:11:35Z"), ts("2025-09-04T12:11:35+02:00"), ts("2025-09-04T10:11:35.000000001Z"));
        assert_eq!(utc, paris);
        assert_eq!(utc.cmp(&paris), std::cmp::Ordering::Equal);
        assert!(utc < later && paris < later && ts("2025-09-04T10:11:36+00:01") < utc);
        assert_eq!(HashSet::from([utc.clone(), paris, later.clone()]).len(), 2);
        // The empty timestamp reads as the Unix epoch.
        assert_eq!(Timestamp::default(), ts("1970-01-01T00:00:00Z"));
        assert_eq!(Timestamp::default().unix_seconds(), 0);
        assert_eq!(ts("1969-12-31T23:59:59.5Z").unix_seconds(), -1);
        // A leap second reads as the nanosecond before the next minute.
        assert!(ts("2016-12-31T23:59:60Z") < ts("2017-01-01T00:00:00Z"));
        assert!(ts("2016-12-31T23:59:60Z") > ts("2016-12-31T23:59:59.999999998Z"));
    }

    #[test]
    fn now_is_utc_to_the_second() {
        let before = std::time::SystemTime::now();
        let now = Timestamp::now();
        let after = std::time::SystemTime::now();
        assert!(now.as_str().ends_with('Z') && now.as_str().len() == 20, "{now}");
        let at = now.to_system_time().expect("a time the system can hold");
        assert!(at + std::time::Duration::from_secs(1) > before && at <= after, "{now}");
    }

    #[test]
    fn refuses_what_is_not_rfc_3339_and_says_what() {
        for bad in ["yesterday", "2025-13-04T10:11:35Z", "2025-02-30T10:11:35Z", "2025-09-04T24:00:00Z", "2025-09-04T10:11:35", ""] {
            let err = serde_json::from_str::<Timestamp>(&format!("\"{bad}\"")).expect_err(bad).to_string();
            assert!(err.contains("RFC 3339"), "{bad}: {err}");
        }
        assert!(serde_json::from_str::<Timestamp>("12").is_err());
    }

    #[test]
    fn escaped_text_decodes_too() {
        let t: Timestamp = serde_json::from_str(r#""2025-09-04T10:11:35\u005a""#).unwrap();
        assert_eq!(t.as_str(), "2025-09-04T10:11:35Z");
    }
}
