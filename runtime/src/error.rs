//! The one error type of the SDK.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

mod body;
mod display;
mod response;

pub use body::ApiErrorBody;
#[cfg(test)]
pub(crate) use body::EXCERPT_LIMIT;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong with a call.
///
/// `Display` tells the whole story on one line: the operation, the HTTP
/// status, ngrok's error code, its message and its operation ID (quote it
/// to ngrok support). Accessors give each piece for matching:
///
/// ```
/// # async fn demo(client: ngrok_api::Client) -> Result<(), ngrok_api::Error> {
/// match client.ip_policies().get("ipp_missing").await {
///     Ok(policy) => println!("{}", policy.id),
///     Err(e) if e.is_not_found() => println!("no such policy"),
///     Err(e) if e.error_code() == Some("ERR_NGROK_226") => println!("rate limited"),
///     Err(e) => return Err(e),
/// }
/// # Ok(()) }
/// ```
#[derive(thiserror::Error)]
#[error(transparent)]
pub struct Error(Box<Inner>);

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The API answered with a non-success status.
    Api,
    /// A time limit ran out.
    Timeout(TimeoutKind),
    /// No connection could be made (refused, DNS, TLS handshake).
    Connect,
    /// The connection failed while the request or response was in flight.
    Transport,
    /// A success response did not decode into the expected type.
    Decode,
    /// A request body could not be encoded.
    Encode,
    /// An argument was refused before anything was sent.
    InvalidArgument,
    /// The client is misconfigured (bad base URL, missing API key, ...).
    Config,
    /// Paging could not go on (a repeated or foreign `next_page_uri`).
    Paging,
    /// A state waited for (with `wait_until` or a waiter such as a
    /// reserved domain's `wait_for_certificate`) reached a failure that
    /// waiting longer cannot mend; the message says which.
    WaitFailed,
    /// A success response's body was longer than the client accepts
    /// (`ClientBuilder::max_response_size`);
    /// it was not read past `limit` bytes. Not retried.
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
}

/// Which time limit ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Making the connection took too long.
    Connect,
    /// One attempt (request sent, response read) took too long.
    Attempt,
    /// The whole operation, retries included, took too long.
    Operation,
    /// A wait for a state (`wait_until`, or a waiter) ran past its
    /// overall timeout with the state still pending.
    Wait,
}

#[derive(Default)]
struct Inner {
    kind: Option<ErrorKind>,
    operation: Option<&'static str>,
    method: Option<String>,
    path: Option<String>,
    status: Option<StatusCode>,
    body: Option<ApiErrorBody>,
    header_operation_id: Option<String>,
    excerpt: Option<String>,
    retry_after: Option<Duration>,
    attempts: u32,
    message: String,
    source: Option<BoxError>,
}

impl std::error::Error for Inner {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.kind.unwrap_or(ErrorKind::Transport));
        if let Some(op) = self.operation {
            d.field("operation", &op);
        }
        if let Some(s) = self.status {
            d.field("status", &s.as_u16());
        }
        if let Some(b) = &self.body {
            d.field("body", b);
        }
        if let Some(e) = &self.excerpt {
            d.field("excerpt", e);
        }
        if let Some(r) = self.retry_after {
            d.field("retry_after", &r);
        }
        if self.attempts > 0 {
            d.field("attempts", &self.attempts);
        }
        d.field("message", &self.message);
        if let Some(s) = &self.source {
            d.field("source", &s.to_string());
        }
        d.finish()
    }
}

impl Inner {
    fn operation_id(&self) -> Option<&str> {
        self.body
            .as_ref()
            .and_then(|b| b.details.get("operation_id").map(String::as_str))
            .or(self.header_operation_id.as_deref())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Inner { kind: Some(kind), message: message.into(), ..Default::default() }))
    }

    pub(crate) fn invalid_argument(name: &str, problem: impl fmt::Display) -> Error {
        Error::new(ErrorKind::InvalidArgument, format!("argument `{name}` {problem}"))
    }

    /// Text that names no value an enum knows, from
    /// `from_known`: the error lists the values that would do.
    #[doc(hidden)]
    pub fn unknown_enum_value(enum_name: &str, value: &str, known: &[&str]) -> Error {
        let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        Error::new(ErrorKind::InvalidArgument, format!("`{value}` is not a {enum_name} this SDK knows; expected one of {list}"))
    }

    #[doc(hidden)]
    pub fn config(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Config, message)
    }

    pub(crate) fn encode(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Encode, format!("cannot encode the request body: {}", message.into()))
    }

    pub(crate) fn wait_timeout(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Timeout(TimeoutKind::Wait), message)
    }

    pub(crate) fn wait_failed(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::WaitFailed, message)
    }

    pub(crate) fn paging(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Paging, message)
    }

    /// A configuration problem found by the HTTP client itself.
    pub(crate) fn config_from(source: reqwest::Error) -> Error {
        let mut e = Error::new(ErrorKind::Config, "the HTTP client refused the request");
        e.0.source = Some(Box::new(source));
        e
    }

    /// A success body over the size limit.
    pub(crate) fn too_large(status: StatusCode, limit: usize) -> Error {
        Error::new(
            ErrorKind::ResponseTooLarge { limit },
            format!(
                "the HTTP {status} response body is larger than the limit of {limit} bytes; \
                 raise it with ClientBuilder::max_response_size"
            ),
        )
    }

    /// A timeout; `after` is the limit, when known.
    pub(crate) fn timeout(kind: TimeoutKind, after: Option<Duration>) -> Error {
        let what = match kind {
            TimeoutKind::Connect => "connect timeout",
            TimeoutKind::Attempt => "per-attempt timeout",
            TimeoutKind::Operation => "operation timeout",
            TimeoutKind::Wait => "wait timeout",
        };
        match after {
            Some(after) => Error::new(ErrorKind::Timeout(kind), format!("{what} of {}s elapsed", after.as_secs_f64())),
            None => Error::new(ErrorKind::Timeout(kind), format!("{what} elapsed")),
        }
    }

    pub(crate) fn transport(err: reqwest::Error) -> Error {
        let kind = if err.is_connect() { ErrorKind::Connect } else { ErrorKind::Transport };
        let message = if err.is_connect() { "cannot connect to the API" } else { "the connection to the API failed" };
        // reqwest's message may carry the URL; ours never holds credentials.
        let mut e = Error::new(kind, message);
        e.0.source = Some(Box::new(err.without_url()));
        e
    }

    pub(crate) fn decode(status: StatusCode, path: String, inner: serde_json::Error) -> Error {
        // `Display` appends the serde error (the source) after this.
        let mut e = Error::new(ErrorKind::Decode, format!("the HTTP {status} response did not decode: at `{path}`"));
        e.0.source = Some(Box::new(inner));
        e
    }

    pub(crate) fn with_call(mut self, operation: &'static str, method: &str, path: &str) -> Error {
        self.0.operation.get_or_insert(operation);
        self.0.method.get_or_insert_with(|| method.to_string());
        self.0.path.get_or_insert_with(|| path.to_string());
        self
    }

    /// Names the operation only: for a call refused before it had a path.
    pub(crate) fn with_operation(mut self, operation: &'static str) -> Error {
        self.0.operation.get_or_insert(operation);
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Error {
        self.0.attempts = attempts;
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind.unwrap_or(ErrorKind::Transport)
    }

    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.0.status
    }

    /// ngrok's error code, e.g. `ERR_NGROK_226`, when the body had one.
    pub fn error_code(&self) -> Option<&str> {
        self.0.body.as_ref().and_then(|b| b.error_code.as_deref())
    }

    /// The API's explanation, or a description of the local failure.
    pub fn message(&self) -> &str {
        self.0.body.as_ref().and_then(|b| b.msg.as_deref()).unwrap_or(&self.0.message)
    }

    /// The error body's `details` map (empty when there was none).
    pub fn details(&self) -> &BTreeMap<String, String> {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        self.0.body.as_ref().map(|b| &b.details).unwrap_or(&EMPTY)
    }

    /// The whole decoded error body, if the API sent one.
    pub fn body(&self) -> Option<&ApiErrorBody> {
        self.0.body.as_ref()
    }

    /// A bounded excerpt (at most 1 KiB) of a body that was not ngrok's
    /// JSON error, e.g. an HTML page from a proxy.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.0.excerpt.as_deref()
    }

    /// ngrok's ID for this request (from the body's details or the
    /// `ngrok-operation-id` header): quote it to ngrok support.
    pub fn operation_id(&self) -> Option<&str> {
        self.0.operation_id()
    }

    /// The SDK operation that failed, e.g. `ip_policies.create`.
    pub fn operation(&self) -> Option<&'static str> {
        self.0.operation
    }

    /// How many attempts were made before giving up.
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// How long the server asked to wait (`Retry-After`), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// True for 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.0.status == Some(StatusCode::NOT_FOUND)
    }

    /// True for 429 or ngrok's rate-limit codes (`ERR_NGROK_226`, and
    /// `ERR_NGROK_225` for too many simultaneous requests).
    pub fn is_rate_limited(&self) -> bool {
        self.0.status == Some(StatusCode::TOO_MANY_REQUESTS)
            || matches!(self.error_code(), Some("ERR_NGROK_226" | "ERR_NGROK_225"))
    }

    /// True for a timeout of any kind.
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind(), ErrorKind::Timeout(_))
    }

    /// True when trying again later may succeed (rate limits, 502/503/504,
    /// connection failures, timeouts), for a call that is safe to repeat.
    /// The client's own retries decide with the same rule, and retry a
    /// non-idempotent call (`POST`, `PATCH`) only when it certainly did not
    /// arrive (a 429, or no connection made).
    pub fn is_retryable(&self) -> bool {
        self.retryable(true)
    }

    /// Whether a call that failed with this error may be tried again, for
    /// a method that is (`idempotent`) or is not safe to repeat. The one
    /// place this is decided: the retry loop and [`Error::is_retryable`]
    /// both ask it.
    ///
    /// - A 429 was refused before any work: safe for every method.
    /// - 502, 503, 504 and ngrok's rate-limit codes: for idempotent methods.
    /// - No connection was made (refused, connect timeout): the request
    ///   certainly did not arrive, so safe for every method.
    /// - A timeout or a broken connection after sending: idempotent only.
    /// - Anything the client decided itself (configuration, arguments,
    ///   encoding, decoding, paging, a response over the size limit): never.
    pub(crate) fn retryable(&self, idempotent: bool) -> bool {
        match self.kind() {
            ErrorKind::Api if self.status() == Some(StatusCode::TOO_MANY_REQUESTS) => true,
            ErrorKind::Api => {
                idempotent && (self.is_rate_limited() || matches!(self.status().map(|s| s.as_u16()), Some(502..=504)))
            }
            ErrorKind::Connect | ErrorKind::Timeout(TimeoutKind::Connect) => true,
            ErrorKind::Timeout(TimeoutKind::Wait) => false,
            ErrorKind::Timeout(_) | ErrorKind::Transport => idempotent,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_says_everything() {
        let body = br#"{"error_code":"ERR_NGROK_7103","status_code":400,"msg":"bad cidr","details":{"operation_id":"op_123"}}"#;
        let e = Error::from_response(StatusCode::BAD_REQUEST, None, None, body).with_call("ip_policy_rules.create", "POST", "/ip_policy_rules");
        let s = e.to_string();
        for part in ["ip_policy_rules.create", "400", "ERR_NGROK_7103", "bad cidr", "op_123"] {
            assert!(s.contains(part), "{s} lacks {part}");
        }
        assert_eq!(e.operation_id(), Some("op_123"));
        assert!(!e.is_retryable());
    }
}
