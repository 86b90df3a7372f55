//! ngrok's error codes as values to match on: the table generated from
//! the spec, and [`Error::code`] that reads one from an error.

mod table;

pub use table::ErrorCode;

use crate::Error;

impl Error {
    /// ngrok's error code as a value to match on, when the body had one:
    ///
    /// ```
    /// # fn handle(err: ngrok_api_runtime::Error) {
    /// use ngrok_api_runtime::ErrorCode;
    /// if err.code() == Some(ErrorCode::DomainAlreadyReserved) {
    ///     // the account holds it already: look it up
    /// }
    /// # }
    /// ```
    pub fn code(&self) -> Option<ErrorCode> {
        self.error_code().map(<ErrorCode as crate::de::FromWire>::from_wire_str)
    }
}
