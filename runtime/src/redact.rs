//! Keeping secrets out of `Debug` output.

use std::fmt;

/// Shows `<redacted>` (or `None`/empty) in place of a secret value.
pub struct Redacted<'a, T>(&'a T);

impl<'a, T> Redacted<'a, T> {
    /// Wraps a reference to a secret for `Debug` output.
    pub fn of(value: &'a T) -> Self {
        Redacted(value)
    }
}

/// Whether a value holds anything worth hiding.
pub trait MaybeEmpty {
    /// True when there is no value to hide.
    fn is_empty_secret(&self) -> bool;
}

impl MaybeEmpty for String {
    fn is_empty_secret(&self) -> bool {
        self.is_empty()
    }
}

impl<T> MaybeEmpty for Option<T> {
    fn is_empty_secret(&self) -> bool {
        self.is_none()
    }
}

impl<T> MaybeEmpty for Vec<T> {
    fn is_empty_secret(&self) -> bool {
        self.is_empty()
    }
}

impl<T: MaybeEmpty> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty_secret() { f.write_str("None") } else { f.write_str("<redacted>") }
    }
}
