//! ngrok's JSON error body, as the API sends it with a 4xx or 5xx status.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Most bytes of a non-JSON error body kept in an `Error`.
pub(crate) const EXCERPT_LIMIT: usize = 1024;

/// The error body the API sends with a 4xx or 5xx status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[non_exhaustive]
pub struct ApiErrorBody {
    /// ngrok's stable code for the condition, e.g. `ERR_NGROK_218`.
    #[serde(default)]
    pub error_code: Option<String>,
    /// The HTTP status the API meant.
    #[serde(default)]
    pub status_code: Option<u16>,
    /// A human-readable explanation.
    #[serde(default)]
    pub msg: Option<String>,
    /// More detail; `operation_id` is ngrok's trace ID.
    #[serde(default, deserialize_with = "details_map")]
    pub details: BTreeMap<String, String>,
}

/// `details` as text: a string as it reads, anything else (a number, an
/// object) as the JSON the server wrote; `null` as no details.
fn details_map<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    d.deserialize_option(DetailsVisitor)
}

struct DetailsVisitor;

impl<'de> serde::de::Visitor<'de> for DetailsVisitor {
    type Value = BTreeMap<String, String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object of details")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut details = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let raw = map.next_value::<Box<serde_json::value::RawValue>>()?;
            let text = raw.get();
            let value = match text.starts_with('"') {
                true => serde_json::from_slice::<String>(text.as_bytes()).unwrap_or_else(|_| text.to_owned()),
                false => text.to_owned(),
            };
            details.insert(key, value);
        }
        Ok(details)
    }
}
