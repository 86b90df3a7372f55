//! Sorting what happened into the SDK's error kinds: a local failure of the
//! HTTP stack (configuration, connection, timeout, transport) or the
//! server's answer (success, or an API error built from its body). What
//! one attempt got back, [`AttemptResponse`], is defined here, where it is
//! judged; `attempt.rs` makes it.

use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;

use super::headers::ResponseMeta;
use super::{Error, TimeoutKind};

/// What came back from one attempt that reached the server.
pub(crate) struct AttemptResponse {
    pub(crate) status: StatusCode,
    /// What an error response's headers said (empty for a success).
    pub(crate) meta: ResponseMeta,
    /// The whole body for a success; for an error, at most the error limit.
    pub(crate) body: Bytes,
}

/// An error of the HTTP client, as one of ours. A request the client could
/// not even build (a scheme it cannot speak, a URL it refuses) is a
/// configuration error: trying again cannot help, so it is never retried.
pub(crate) fn transport_error(err: reqwest::Error, connect_timeout: Option<Duration>) -> Error {
    if err.is_builder() {
        return Error::config_from(err.without_url());
    }
    if err.is_timeout() {
        // A timeout of reqwest's own: the connect timeout we set, or one the
        // caller configured on their own `reqwest::Client`.
        return if err.is_connect() {
            Error::timeout(TimeoutKind::Connect, connect_timeout)
        } else {
            Error::timeout(TimeoutKind::Attempt, None)
        };
    }
    Error::transport(err)
}

/// A response: its body for a success, the API error for anything else.
pub(crate) fn classify_response(resp: AttemptResponse) -> Result<AttemptResponse, Error> {
    if resp.status.is_success() {
        return Ok(resp);
    }
    Err(Error::from_response(resp.status, resp.meta.operation_id, resp.meta.retry_after, &resp.body))
}
