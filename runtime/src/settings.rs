//! Settings of one call that take precedence over the client's: its
//! attempt timeout, its operation timeout and its retry policy.

use std::time::Duration;

use super::RetryPolicy;

/// What one call sets for itself, over the client's settings. Empty (and
/// one pointer wide, with nothing allocated) unless a setting is made;
/// every request of the SDK carries one, set through its `timeout`,
/// `operation_timeout` and `retry_policy` methods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallSettings(Option<Box<Overrides>>);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Overrides {
    attempt_timeout: Option<Option<Duration>>,
    operation_timeout: Option<Option<Duration>>,
    retry: Option<RetryPolicy>,
}

impl CallSettings {
    fn overrides(&mut self) -> &mut Overrides {
        self.0.get_or_insert_with(Box::default)
    }

    /// This call's attempt timeout (`None`: no limit), over the client's.
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.overrides().attempt_timeout = Some(timeout);
    }

    /// This call's operation timeout (`None`: no limit), over the client's.
    pub fn set_operation_timeout(&mut self, timeout: Option<Duration>) {
        self.overrides().operation_timeout = Some(timeout);
    }

    /// This call's retry policy, over the client's.
    pub fn set_retry_policy(&mut self, policy: RetryPolicy) {
        self.overrides().retry = Some(policy);
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The attempt timeout to use: this call's if set, else `client`.
    #[inline]
    pub(crate) fn attempt_timeout(&self, client: Option<Duration>) -> Option<Duration> {
        match &self.0 {
            Some(o) => o.attempt_timeout.unwrap_or(client),
            None => client,
        }
    }

    /// The operation timeout to use: this call's if set, else `client`.
    #[inline]
    pub(crate) fn operation_timeout(&self, client: Option<Duration>) -> Option<Duration> {
        match &self.0 {
            Some(o) => o.operation_timeout.unwrap_or(client),
            None => client,
        }
    }

    /// The retry policy to use: this call's if set, else `client`.
    #[inline]
    pub(crate) fn retry<'a>(&'a self, client: &'a RetryPolicy) -> &'a RetryPolicy {
        match &self.0 {
            Some(o) => o.retry.as_ref().unwrap_or(client),
            None => client,
        }
    }
}

/// The per-call setters of a request, generated into each: `timeout`,
/// `operation_timeout` and `retry_policy`, over the request's
/// `per_call: CallSettings` field. `per_call_settings!(blocking)` gives
/// a blocking twin (a tuple struct over `Blocking<R>`) the same setters.
#[doc(hidden)]
#[macro_export]
macro_rules! __per_call_settings {
    () => {
        /// Longest time for one attempt of this call, response body
        /// included, over the client's `timeout` for this call only;
        /// `None` for no limit. Accepts a `Duration` or an
        /// `Option<Duration>`.
        #[inline]
        pub fn timeout(mut self, timeout: impl Into<Option<std::time::Duration>>) -> Self {
            self.per_call.set_timeout(timeout.into());
            self
        }

        /// Longest time for the whole call, retries and waits included,
        /// over the client's `operation_timeout` for this call only;
        /// `None` for no limit. Accepts a `Duration` or an
        /// `Option<Duration>`. For a list's `pages()` or `items()`, it
        /// bounds each page's fetch.
        #[inline]
        pub fn operation_timeout(mut self, timeout: impl Into<Option<std::time::Duration>>) -> Self {
            self.per_call.set_operation_timeout(timeout.into());
            self
        }

        /// How this call is retried, over the client's retry policy for
        /// this call only: `RetryPolicy::none()` makes it once.
        #[inline]
        pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
            self.per_call.set_retry_policy(policy);
            self
        }
    };
    (blocking) => {
        /// Longest time for one attempt of this call, over the client's
        /// for this call only; `None` for no limit.
        pub fn timeout(self, timeout: impl Into<Option<std::time::Duration>>) -> Self {
            let timeout = timeout.into();
            Self(self.0.map(|r| r.timeout(timeout)))
        }

        /// Longest time for the whole call, retries included, over the
        /// client's for this call only; `None` for no limit.
        pub fn operation_timeout(self, timeout: impl Into<Option<std::time::Duration>>) -> Self {
            let timeout = timeout.into();
            Self(self.0.map(|r| r.operation_timeout(timeout)))
        }

        /// How this call is retried, over the client's retry policy for
        /// this call only.
        pub fn retry_policy(self, policy: $crate::RetryPolicy) -> Self {
            Self(self.0.map(|r| r.retry_policy(policy)))
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unset_setting_is_the_clients_and_a_set_one_wins() {
        let client_retry = RetryPolicy::default();
        let mut s = CallSettings::default();
        assert!(s.is_empty());
        assert_eq!(s.attempt_timeout(Some(Duration::from_secs(30))), Some(Duration::from_secs(30)));
        assert_eq!(s.retry(&client_retry), &client_retry);
        s.set_operation_timeout(Some(Duration::from_secs(1)));
        assert_eq!(s.attempt_timeout(Some(Duration::from_secs(30))), Some(Duration::from_secs(30)));
        assert_eq!(s.operation_timeout(None), Some(Duration::from_secs(1)));
        s.set_timeout(None);
        assert_eq!(s.attempt_timeout(Some(Duration::from_secs(30))), None);
        s.set_retry_policy(RetryPolicy::none());
        assert_eq!(s.retry(&client_retry), &RetryPolicy::none());
        assert_eq!(std::mem::size_of::<CallSettings>(), std::mem::size_of::<usize>());
    }
}
