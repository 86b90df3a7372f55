//! Errors: the ones the emulator answers over HTTP in ngrok's error shape,
//! and the one its library calls return.

use std::fmt;

/// An error answered to an API request: status, ngrok's code (none where
/// ngrok documents none for the case) and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: u16,
    /// The number of `ERR_NGROK_<n>`; `None` sends no `error_code`.
    pub code: Option<u32>,
    pub msg: String,
}

/// The error codes this emulator answers with: each is one of ngrok's
/// (`spec/error_codes.yaml`, checked against ngrok's catalog), used for the
/// case ngrok uses it for, or `None` where ngrok documents no code for the
/// case (the API then sends no `error_code`, as for a missing object).
pub(crate) mod codes {
    /// No `Authorization` header.
    pub const MISSING_AUTH: Option<u32> = Some(200);
    /// An `Authorization` header that is not Basic or Bearer.
    pub const MALFORMED_AUTH: Option<u32> = Some(201);
    /// An API key other than the one the emulator was started with.
    pub const BAD_KEY: Option<u32> = Some(203);
    /// No `Ngrok-Version` header.
    pub const MISSING_VERSION: Option<u32> = Some(218);
    /// An `Ngrok-Version` other than 2.
    pub const BAD_VERSION: Option<u32> = Some(217);
    /// Too many requests in the rate-limit window.
    pub const RATE_LIMIT: Option<u32> = Some(226);
    /// The body is not JSON, or not an object.
    pub const BAD_JSON: Option<u32> = Some(213);
    /// The body names a field the operation does not take.
    pub const UNKNOWN_FIELD: Option<u32> = Some(214);
    /// A field has the wrong type or a bad value.
    pub const BAD_FIELD: Option<u32> = Some(215);
    /// `limit` is out of range.
    pub const BAD_LIMIT: Option<u32> = Some(233);
    /// The CEL `filter` does not parse or does not evaluate to a bool.
    pub const BAD_FILTER: Option<u32> = Some(250);
    /// The emulator itself failed.
    pub const INTERNAL: Option<u32> = Some(10000);
    /// No route for this path: ngrok documents no code.
    pub const NO_ROUTE: Option<u32> = None;
    /// A path that exists with another method: ngrok documents no code.
    pub const BAD_METHOD: Option<u32> = None;
    /// No object with this ID: the live API sends no code.
    pub const NOT_FOUND: Option<u32> = None;
    /// A required field is missing: ngrok documents no code common to all
    /// services.
    pub const MISSING_FIELD: Option<u32> = None;
    /// A string is longer than allowed: the codes are per service and
    /// field.
    pub const TOO_LONG: Option<u32> = None;
    /// A field names an object that does not exist, where the spec names no
    /// code for the field.
    pub const BAD_REFERENCE: Option<u32> = None;
    /// `before_id` names no object of the list.
    pub const BAD_PAGING: Option<u32> = None;
    /// An object with the same key already exists, where the spec names no
    /// code.
    pub const CONFLICT: Option<u32> = None;
    /// A scripted fault with no body of its own.
    pub const FAULT: Option<u32> = None;
    /// The request body is too large.
    pub const TOO_LARGE: Option<u32> = None;

    /// Every code above that is one of ngrok's, with its name, for the test
    /// that each is in the spec's list under the meaning it is used for.
    #[cfg(test)]
    pub const DOCUMENTED: &[(&str, Option<u32>)] = &[
        ("MissingAuthorization", MISSING_AUTH),
        ("MalformedAuthorization", MALFORMED_AUTH),
        ("InvalidApiKey", BAD_KEY),
        ("MissingApiVersion", MISSING_VERSION),
        ("UnsupportedApiVersion", BAD_VERSION),
        ("RateLimited", RATE_LIMIT),
        ("InvalidJsonBody", BAD_JSON),
        ("UnknownField", UNKNOWN_FIELD),
        ("InvalidFieldValue", BAD_FIELD),
        ("PageLimitOutOfRange", BAD_LIMIT),
        ("InvalidFilter", BAD_FILTER),
        ("InternalServerError", INTERNAL),
    ];
}

impl ApiError {
    /// An error with `code`: ngrok's message for it with `fills` put in its
    /// placeholders, then `detail` when it says more; `detail` alone when
    /// the code has no message (or there is no code).
    pub fn new(status: u16, code: Option<u32>, detail: impl Into<String>) -> ApiError {
        ApiError::filled(status, code, &[], detail)
    }

    /// Like [`new`](Self::new), with values for the message's placeholders
    /// (`DOMAIN`, `CIDR`, ...).
    pub fn filled(status: u16, code: Option<u32>, fills: &[(&str, &str)], detail: impl Into<String>) -> ApiError {
        let detail = detail.into();
        let template = code.and_then(|c| crate::table::table().error_message(c));
        let msg = match template {
            Some(t) => {
                let mut msg = fill(t, fills);
                if !detail.is_empty() {
                    msg.push_str(" (");
                    msg.push_str(&detail);
                    msg.push(')');
                }
                msg
            }
            None => detail,
        };
        ApiError { status, code, msg }
    }

    pub fn bad_request(code: Option<u32>, msg: impl Into<String>) -> ApiError {
        ApiError::new(400, code, msg)
    }

    /// A refusal of a request's content with one of ngrok's codes: a 400
    /// (ngrok's practice where the status is undocumented) with the
    /// message filled in and nothing added.
    pub fn refusal(code: u32, fills: &[(&str, &str)]) -> ApiError {
        ApiError::filled(400, Some(code), fills, "")
    }

    pub fn not_found(msg: impl Into<String>) -> ApiError {
        ApiError::new(404, codes::NOT_FOUND, msg)
    }

    /// The body ngrok answers errors with.
    pub fn body(&self, operation_id: &str) -> Vec<u8> {
        error_body(self.code, self.status, &self.msg, operation_id)
    }
}

/// A message template with its placeholders (upper-case words in
/// backticks) filled in; placeholders without a value keep their name.
/// A `*` fills every placeholder (for messages with one).
fn fill(template: &str, fills: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    // Text and code spans alternate; a code span of upper-case letters and
    // `_` is a placeholder.
    let mut in_code = false;
    for part in template.split('`') {
        if in_code {
            out.push('`');
            let is_placeholder = !part.is_empty() && part.chars().all(|c| c.is_ascii_uppercase() || c == '_');
            let value = fills.iter().find(|(name, _)| is_placeholder && (*name == part || *name == "*")).map(|(_, v)| *v);
            out.push_str(value.unwrap_or(part));
            out.push('`');
        } else {
            out.push_str(part);
        }
        in_code = !in_code;
    }
    out
}

/// Serializes ngrok's error body; without a code, the body has no
/// `error_code`, as the live API answers a missing object.
pub(crate) fn error_body(code: Option<u32>, status: u16, msg: &str, operation_id: &str) -> Vec<u8> {
    let mut v = serde_json::json!({
        "status_code": status,
        "msg": msg,
        "details": { "operation_id": operation_id },
    });
    if let (Some(code), Some(body)) = (code, v.as_object_mut()) {
        body.insert("error_code".into(), format!("ERR_NGROK_{code}").into());
    }
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
    /// The state file (`--state`) could not be read, was refused, or could
    /// not be written; the message names the file and the problem.
    State(String),
    /// The recording proxy could not start or write its file.
    Record(String),
    /// A verify run could not start (its files or known list).
    Verify(String),
    /// The emulator's clock cannot be moved that far.
    Clock(String),
    /// The emulator's own certificate authority could not be made.
    Authority(String),
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
            MockError::State(m) | MockError::Record(m) | MockError::Verify(m) | MockError::Clock(m) | MockError::Authority(m) => f.write_str(m),
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
            MockError::Seed(_) | MockError::UnknownService(_) | MockError::NotSeedable(_) | MockError::State(_) | MockError::Record(_) | MockError::Verify(_) | MockError::Clock(_) | MockError::Authority(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code the emulator can send is one of ngrok's, listed in the
    /// spec under the name of the case it is sent for.
    #[test]
    fn every_code_sent_is_ngroks_for_that_case() {
        let api: ngrok_api_model::Api =
            serde_json::from_str(include_str!("generated/api.json")).unwrap_or_else(|e| panic!("api.json: {e}"));
        for (name, code) in codes::DOCUMENTED {
            let code = code.unwrap_or_else(|| panic!("{name} has no code"));
            let def = api.error_code(code).unwrap_or_else(|| panic!("ERR_NGROK_{code} is not in spec/error_codes.yaml"));
            assert_eq!(def.rust_name, *name, "ERR_NGROK_{code} means {}", def.rust_name);
        }
        // The codes the rules send are checked by the spec's own rules
        // (`rules_fit`): every one is in the list.
        for s in &api.services {
            let r = &s.rules;
            let mixed = r.unique.iter().filter_map(|u| u.mixed).flat_map(|m| [m.new, m.existing]);
            let codes = r.unique.iter().map(|u| u.code).chain(mixed).chain(r.in_use.iter().map(|u| u.code));
            for code in codes.chain(r.must_find.iter().map(|m| m.code)) {
                assert!(api.error_code(code).is_some(), "{}: {code}", s.accessor);
            }
        }
        // The codes of the name checks.
        for code in [402, 403, 406, 407, 408, 409, 410, 438, 448, 513, 514, 1409, 1413, 1934, 1940, 1941, 1942, 1950, 19001] {
            assert!(api.error_code(code).is_some(), "ERR_NGROK_{code}");
        }
    }

    #[test]
    fn placeholders_are_filled_and_the_rest_kept() {
        assert_eq!(fill("Failed to reserve `DOMAIN`.", &[("DOMAIN", "a.example.com")]), "Failed to reserve `a.example.com`.");
        assert_eq!(fill("Vault with ID `ID` not found.", &[("*", "vault_1")]), "Vault with ID `vault_1` not found.");
        assert_eq!(fill("Use `ngrok http` and `X`.", &[]), "Use `ngrok http` and `X`.");
        let e = ApiError::refusal(413, &[("DOMAIN", "a.example.com")]);
        assert_eq!((e.status, e.code), (400, Some(413)));
        assert!(e.msg.ends_with("Failed to reserve `a.example.com`."), "{}", e.msg);
        let body: serde_json::Value = serde_json::from_slice(&ApiError::not_found("gone").body("op_1")).unwrap_or_default();
        assert!(body.get("error_code").is_none(), "a missing object has no code: {body}");
    }
}
