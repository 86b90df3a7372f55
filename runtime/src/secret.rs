//! Secret strings (tokens, keys) that stay out of `Debug` output.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A secret the API sends, such as the `token` of a new API key.
///
/// It encodes and decodes as a plain JSON string; `Debug` shows
/// `<redacted>` instead of the value (or `""` when it is empty), so logging
/// a model never leaks it. Read it with [`Secret::expose`].
///
/// ```
/// use ngrok_api::runtime::Secret;
/// let s = Secret::from("tok_123");
/// assert_eq!(s.expose(), "tok_123");
/// assert_eq!(format!("{s:?}"), "<redacted>");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret value itself.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The secret value, taking it out of the wrapper.
    pub fn into_inner(self) -> String {
        self.0
    }

    /// Whether the value is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() { f.write_str("\"\"") } else { f.write_str("<redacted>") }
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_string())
    }
}

impl super::redact::MaybeEmpty for Secret {
    fn is_empty_secret(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_hides_the_value_and_json_keeps_it() {
        let s = Secret::new("tok_abc");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert!(!format!("{:?}", Some(s.clone())).contains("tok_abc"));
        assert_eq!(format!("{:?}", Secret::default()), "\"\"");
        let json = serde_json::to_string(&s).unwrap_or_default();
        assert_eq!(json, "\"tok_abc\"");
        let back: Secret = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back.expose(), "tok_abc");
    }
}
