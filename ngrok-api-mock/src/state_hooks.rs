//! Where the state file meets the server: saving after writes, seeds and
//! resets, and the state options of the builder and the running server.

use std::path::Path;

use crate::MockError;
use crate::state::StateSync;
use crate::store::Store;

impl crate::shared::Shared {
    /// Writes the whole state to the state file, if there is one.
    pub(crate) fn save_state(&self) -> Result<(), String> {
        let Some(p) = &self.persist else { return Ok(()) };
        let (generation, bytes) = p.snapshot(self.table, &self.read_store(), self.clock.offset());
        p.write(generation, &bytes)
    }

    /// After a change made under the store's write lock: in the
    /// save-every-write mode, snapshots the state before the lock is let go
    /// and writes it before the change is answered.
    pub(crate) fn after_write(&self, store: std::sync::RwLockWriteGuard<'_, Store>) -> Result<(), crate::error::ApiError> {
        let Some(p) = self.persist.as_ref().filter(|p| p.sync == StateSync::Always) else {
            return Ok(());
        };
        let (generation, bytes) = p.snapshot(self.table, &store, self.clock.offset());
        drop(store);
        p.write(generation, &bytes).map_err(|e| {
            eprintln!("ngrok-api-mock: {e}");
            crate::error::ApiError::new(500, crate::error::codes::INTERNAL, format!("the change was made but not saved: {e}"))
        })
    }

    /// After a change made outside the API (seed, reset): saves it in the
    /// save-every-write mode.
    pub(crate) fn changed(&self) -> Result<(), String> {
        match &self.persist {
            Some(p) if p.sync == StateSync::Always => self.save_state(),
            _ => Ok(()),
        }
    }
}

impl crate::MockServerBuilder {
    /// Keeps the state (the objects) in this file across restarts: it is
    /// read at start when it exists (instead of applying the seed; a reset
    /// still goes back to the seed) and written whole, atomically, after
    /// changes as [`state_sync`](Self::state_sync) says and when the server
    /// stops. A file that is damaged or from a newer emulator is refused
    /// with [`MockError::State`] and left untouched.
    pub fn state_file(mut self, path: impl AsRef<Path>) -> Self {
        self.state_file = Some(path.as_ref().to_path_buf());
        self
    }

    /// When the state file is written (default [`StateSync::Always`]:
    /// before each change is answered).
    pub fn state_sync(mut self, sync: StateSync) -> Self {
        self.state_sync = sync;
        self
    }
}

impl crate::MockServer {
    /// Writes the whole state to the state file now (see
    /// [`MockServerBuilder::state_file`](crate::MockServerBuilder::state_file)); nothing to do without one.
    pub fn save_state(&self) -> Result<(), MockError> {
        self.shared.save_state().map_err(MockError::State)
    }
}
