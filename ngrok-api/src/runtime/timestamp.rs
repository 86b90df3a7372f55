//! RFC 3339 timestamps that survive a decode/encode round trip unchanged.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A point in time, as the API writes it (RFC 3339, e.g.
/// `2025-09-04T10:11:35Z`).
///
/// Keeps the exact text it was decoded from, so encoding it again gives
/// back the same bytes; [`Timestamp::as_offset_date_time`] gives the
/// parsed value.
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
    text: String,
    value: OffsetDateTime,
}

impl Timestamp {
    /// The parsed date and time.
    pub fn as_offset_date_time(&self) -> OffsetDateTime {
        self.value
    }

    /// The text as the API sent it.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The current time, in UTC.
    pub fn now() -> Timestamp {
        OffsetDateTime::now_utc().into()
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(value: OffsetDateTime) -> Self {
        let value = value.replace_nanosecond(0).unwrap_or(value);
        let text = value.format(&Rfc3339).unwrap_or_default();
        Timestamp { text, value }
    }
}

impl FromStr for Timestamp {
    type Err = super::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let value = OffsetDateTime::parse(s, &Rfc3339)
            .map_err(|e| super::Error::invalid_argument("timestamp", format!("`{s}` is not an RFC 3339 timestamp: {e}")))?;
        Ok(Timestamp { text: s.to_string(), value })
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
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
        self.value.cmp(&other.value)
    }
}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.text)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let value = OffsetDateTime::parse(&text, &Rfc3339)
            .map_err(|e| serde::de::Error::custom(format!("`{text}` is not an RFC 3339 timestamp: {e}")))?;
        Ok(Timestamp { text, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_exactly() {
        for text in ["2025-09-04T10:11:35Z", "2025-09-04T10:11:35.120Z", "2025-09-04T12:11:35+02:00"] {
            let json = format!("\"{text}\"");
            let t: Timestamp = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&t).unwrap(), json);
        }
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
    }
}
