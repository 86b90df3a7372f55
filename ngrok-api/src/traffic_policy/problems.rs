//! What goes wrong with a policy: a text that is not one, and the
//! problems `validate` finds.

use std::fmt;

/// Why a text is not a traffic policy: not JSON or YAML, or a value of the
/// wrong shape at `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where: `on_http_request[0].actions[1].config.capacity`, or empty for
    /// the text as a whole.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl ParseError {
    #[inline]
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> ParseError {
        ParseError { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for ParseError {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "not a traffic policy: {}", self.message)
        } else {
            write!(f, "not a traffic policy: {}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ParseError {}

/// One problem [`TrafficPolicy::validate`](super::TrafficPolicy::validate) found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Where: `on_http_request[0].actions[1].config.capacity`; empty for
    /// the policy as a whole.
    pub path: String,
    /// What is wrong, such as `at least 1` or `required`.
    pub message: String,
}

impl ValidationError {
    #[inline]
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> ValidationError {
        ValidationError { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for ValidationError {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", self.path, self.message) }
    }
}

/// Every problem [`TrafficPolicy::validate`](super::TrafficPolicy::validate) found, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl ValidationErrors {
    /// The problems.
    #[inline]
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.0.iter()
    }

    /// How many there are.
    #[inline]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none (never, for an `Err` of `validate`).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = std::slice::Iter<'a, ValidationError>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for ValidationErrors {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the traffic policy has {} problem(s): ", self.0.len())?;
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}
