//! Errors: the ones the emulator answers over HTTP in ngrok's error shape,
//! and the one its library calls return.

use std::fmt;

/// An error answered to an API request: status, stable code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub msg: String,
}

/// The error codes this emulator answers with.
pub(crate) mod codes {
    /// No or malformed `Authorization` header.
    pub const MISSING_AUTH: &str = "ERR_NGROK_200";
    /// An API key other than the one the emulator was started with.
    pub const BAD_KEY: &str = "ERR_NGROK_202";
    /// No `Ngrok-Version` header.
    pub const MISSING_VERSION: &str = "ERR_NGROK_218";
    /// An `Ngrok-Version` other than 2.
    pub const BAD_VERSION: &str = "ERR_NGROK_219";
    /// Too many requests in the rate-limit window.
    pub const RATE_LIMIT: &str = "ERR_NGROK_226";
    /// No route for this path.
    pub const NO_ROUTE: &str = "ERR_NGROK_404";
    /// A path that exists with another method.
    pub const BAD_METHOD: &str = "ERR_NGROK_405";
    /// No object with this ID.
    pub const NOT_FOUND: &str = "ERR_NGROK_420";
    /// The body is not JSON, or not an object.
    pub const BAD_JSON: &str = "ERR_NGROK_400";
    /// A field has the wrong type, an unknown name or a bad value.
    pub const BAD_FIELD: &str = "ERR_NGROK_401";
    /// A required field is missing.
    pub const MISSING_FIELD: &str = "ERR_NGROK_402";
    /// A string is longer than allowed.
    pub const TOO_LONG: &str = "ERR_NGROK_403";
    /// A field names an object that does not exist.
    pub const BAD_REFERENCE: &str = "ERR_NGROK_406";
    /// `limit` or `before_id` is out of range.
    pub const BAD_PAGING: &str = "ERR_NGROK_407";
    /// The CEL `filter` does not parse or does not evaluate to a bool.
    pub const BAD_FILTER: &str = "ERR_NGROK_408";
    /// An object with the same key already exists.
    pub const CONFLICT: &str = "ERR_NGROK_409";
    /// A scripted fault with no body of its own.
    pub const FAULT: &str = "ERR_NGROK_500";
    /// The request body is too large.
    pub const TOO_LARGE: &str = "ERR_NGROK_413";
}

impl ApiError {
    pub fn new(status: u16, code: &'static str, msg: impl Into<String>) -> ApiError {
        ApiError { status, code, msg: msg.into() }
    }

    pub fn bad_request(code: &'static str, msg: impl Into<String>) -> ApiError {
        ApiError::new(400, code, msg)
    }

    pub fn not_found(msg: impl Into<String>) -> ApiError {
        ApiError::new(404, codes::NOT_FOUND, msg)
    }

    /// The body ngrok answers errors with.
    pub fn body(&self, operation_id: &str) -> Vec<u8> {
        error_body(self.code, self.status, &self.msg, operation_id)
    }
}

/// Serializes ngrok's error body.
pub(crate) fn error_body(code: &str, status: u16, msg: &str, operation_id: &str) -> Vec<u8> {
    let v = serde_json::json!({
        "error_code": code,
        "status_code": status,
        "msg": msg,
        "details": { "operation_id": operation_id },
    });
    serde_json::to_vec(&v).unwrap_or_default()
}

/// An error from a library call on [`MockServer`](crate::MockServer) or its
/// builder.
#[derive(Debug)]
#[non_exhaustive]
pub enum MockError {
    /// The listening socket could not be bound to this address (for
    /// example, the port is in use).
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// A seed file could not be read.
    SeedFile {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Seed data is not valid JSON or not in the expected shape.
    Seed(String),
    /// No service has this accessor.
    UnknownService(String),
    /// The service's resources cannot be seeded (edge modules live inside
    /// their parent object).
    NotSeedable(String),
}

impl fmt::Display for MockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MockError::Bind { addr, source } if source.kind() == std::io::ErrorKind::AddrInUse => write!(
                f,
                "cannot listen on {addr}: port {} is already in use; pick another port, or port 0 for a free one",
                addr.port()
            ),
            MockError::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            MockError::SeedFile { path, source } => {
                write!(f, "cannot read seed file {}: {source}", path.display())
            }
            MockError::Seed(m) => write!(f, "bad seed data: {m}"),
            MockError::UnknownService(a) => write!(f, "no service is called `{a}`"),
            MockError::NotSeedable(a) => write!(
                f,
                "service `{a}` keeps its data inside another object; seed or replace that object instead"
            ),
        }
    }
}

impl std::error::Error for MockError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MockError::Bind { source, .. } => Some(source),
            MockError::SeedFile { source, .. } => Some(source),
            _ => None,
        }
    }
}
