//! The clock's side of the library: moving the emulator's clock from a
//! test, reading it, and the provisioning delay among the builder's
//! options.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

impl crate::MockServer {
    /// Moves the emulator's clock forward by `by` (whole seconds, rounded
    /// down): timestamps written from then on, and state that moves with
    /// time (a managed certificate, issued once its provisioning delay has
    /// passed), see the later time at the next request. Returns the
    /// emulator's time after the move. The clock never goes back, and runs
    /// at most 100 years ahead of real time; a move past that is refused
    /// with [`MockError::Clock`](crate::MockError::Clock).
    pub fn advance_clock(&self, by: Duration) -> Result<SystemTime, crate::MockError> {
        self.shared.clock.advance(by.as_secs()).map_err(crate::MockError::Clock)?;
        Ok(self.now())
    }

    /// The emulator's time: real time plus however far
    /// [`advance_clock`](Self::advance_clock) has moved it.
    pub fn now(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.shared.clock.now())
    }
}

impl crate::MockServerBuilder {
    /// How long a managed certificate takes to be issued: a reserved
    /// domain given a `certificate_management_policy` shows a provisioning
    /// job in `certificate_management_status` until the emulator's clock
    /// has moved this far past the job's start, then its `certificate`.
    /// Counted in whole seconds, rounded up; default 3 s, and zero issues
    /// the certificate in the answer to the request itself.
    pub fn cert_provisioning_delay(mut self, delay: Duration) -> Self {
        self.cert_delay = delay;
        self
    }
}
