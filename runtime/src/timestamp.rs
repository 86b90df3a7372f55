//! RFC 3339 timestamps that survive a decode/encode round trip unchanged.

mod convert;
mod parse;

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;

/// A point in time, as the API writes it (RFC 3339, e.g.
/// `2025-09-04T10:11:35Z`).
///
/// Keeps the exact text it was decoded from, so encoding it again gives
/// back the same bytes; [`Timestamp::as_offset_date_time`] gives the
/// parsed value. Decoding checks the text is a valid timestamp but keeps
/// only the text (no allocation); the value is worked out when asked for. Converts to and from [`std::time::SystemTime`], and, with
/// the `chrono` or `jiff` features, to and from those crates' types.
///
/// ```
/// use ngrok_api::Timestamp;
/// let t: Timestamp = "2025-09-04T10:11:35Z".parse()?;
/// assert_eq!(t.as_offset_date_time().year(), 2025);
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
    /// The parsed date and time.
    pub fn as_offset_date_time(&self) -> OffsetDateTime {
        let text = self.as_str();
        // Checked when the timestamp was made, so it parses.
        parse::rfc3339(text.as_bytes()).unwrap_or(OffsetDateTime::UNIX_EPOCH)
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

    /// The current time, in UTC, to the second.
    pub fn now() -> Timestamp {
        OffsetDateTime::now_utc().into()
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

impl From<OffsetDateTime> for Timestamp {
    /// The time to the second (the fraction is dropped). A year outside
    /// 0000 to 9999 has no RFC 3339 text, so the text is then empty; the
    /// checked conversions from `SystemTime` and the other crates refuse
    /// such years instead.
    fn from(value: OffsetDateTime) -> Self {
        Timestamp { text: Text::new(&rfc3339_text(value).unwrap_or_default()) }
    }
}

/// `value` to the second as RFC 3339 text: `Z` for UTC, else `+HH:MM` or
/// `-HH:MM`. `None` for a year outside 0000 to 9999 or an offset with
/// seconds, which RFC 3339 cannot write.
fn rfc3339_text(value: OffsetDateTime) -> Option<String> {
    let (year, offset) = (value.year(), value.offset());
    if !(0..=9999).contains(&year) || offset.seconds_past_minute() != 0 {
        return None;
    }
    let (month, day) = (u8::from(value.month()), value.day());
    let (hour, minute, second) = value.to_hms();
    let mut text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
    if offset.is_utc() {
        text.push('Z');
    } else {
        let sign = if offset.is_negative() { '-' } else { '+' };
        let (hours, minutes) = (offset.whole_hours().unsigned_abs(), offset.minutes_past_hour().unsigned_abs());
        text.push_str(&format!("{sign}{hours:02}:{minutes:02}"));
    }
    Some(text)
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
        self.as_offset_date_time() == other.as_offset_date_time()
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
        self.as_offset_date_time().cmp(&other.as_offset_date_time())
    }
}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_offset_date_time().hash(state)
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
    use super::*;
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
            assert_eq!(t.as_offset_date_time(), OffsetDateTime::parse(text, &Rfc3339).unwrap(), "{text}");
        }
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
    fn written_from_a_value_as_the_time_crate_writes_it() {
        use time::macros::datetime;
        for value in [
            datetime!(2025-09-04 10:11:35 UTC),
            datetime!(2025-09-04 10:11:35.5 +02:00),
            datetime!(0000-01-01 00:00:00 -00:30),
            datetime!(9999-12-31 23:59:59 -23:59),
        ] {
            let reference = value.replace_nanosecond(0).unwrap().format(&Rfc3339).unwrap();
            assert_eq!(Timestamp::from(value).as_str(), reference);
        }
        // What RFC 3339 cannot write gives empty text.
        assert_eq!(Timestamp::from(datetime!(-0001-12-31 00:00:00 UTC)).as_str(), "");
        assert_eq!(Timestamp::from(datetime!(2025-01-01 00:00:00 +01:00:30)).as_str(), "");
    }

    #[test]
    fn escaped_text_decodes_too() {
        let t: Timestamp = serde_json::from_str(r#""2025-09-04T10:11:35\u005a""#).unwrap();
        assert_eq!(t.as_str(), "2025-09-04T10:11:35Z");
    }
}
