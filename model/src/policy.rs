//! The traffic policy document: its phases, its action types with the
//! fields of their configuration, and what expressions may name.
//!
//! Built from `spec/traffic_policy.yaml` by the generator, which renders the
//! SDK's typed `traffic_policy` module from it; the emulator reads the same
//! description (`ngrok-api-mock/src/generated/traffic_policy.json`) to check
//! the policies it is given.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The whole description of the traffic policy format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyFormat {
    /// What a policy document is.
    pub description: String,
    /// The phases, in the order they run.
    pub phases: Vec<PolicyPhase>,
    /// The phases in which a cloud endpoint's policy must end in a
    /// terminating action (the first phase of each protocol).
    pub cloud_phases: Vec<String>,
    /// The error code the API answers for each kind of problem (see
    /// [`ProblemKind`]), keyed by the kind's snake_case name.
    pub codes: BTreeMap<String, String>,
    /// The codes a cloud endpoint's create or update answers instead, for
    /// the kinds that differ there.
    pub cloud_codes: BTreeMap<String, String>,
    /// What expressions may name.
    pub expressions: PolicyExpressions,
    /// Every action type, in file order.
    pub actions: Vec<PolicyAction>,
    /// Limits on the document as a whole, each refused with its own code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<PolicyLimit>,
}

/// A limit on the whole document: at most `max` actions of the listed
/// types in one policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyLimit {
    /// What the limit is about, as a problem message words it
    /// (`authentication actions`).
    pub name: String,
    /// Why the limit exists.
    pub description: String,
    /// The action types counted.
    pub actions: Vec<String>,
    /// The most actions of those types one policy may have.
    pub max: u64,
    /// The code the API answers when a policy has more.
    pub code: String,
}

/// The `username:password` shape of basic authentication credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialsFormat {
    /// The fewest characters a password may have.
    pub password_min_len: u64,
    /// The most characters a password may have.
    pub password_max_len: u64,
}

/// One phase of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyPhase {
    /// The key of the phase in the document (`on_http_request`).
    pub name: String,
    /// When the phase runs.
    pub description: String,
}

/// The names expressions may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyExpressions {
    /// Every variable, dotted (`conn.client_ip`, `req.url.path`), with
    /// list and map indexes left out.
    pub variables: Vec<String>,
    /// Every macro, dotted when it lives under a name (`hash.sha256`) or
    /// after the type it is called on (`string.lower`).
    pub macros: Vec<String>,
}

/// One action type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyAction {
    /// The `type` written in a policy (`rate-limit`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The Rust name of its configuration and of its `Action` variant.
    pub rust_name: String,
    /// What the action does.
    pub description: String,
    /// The phases it may be used in.
    pub phases: Vec<String>,
    /// Whether it ends the handling of the traffic: no later action or
    /// rule of the phase runs.
    pub terminating: bool,
    /// A configuration value that makes a terminating action go on instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminating_unless: Option<FieldValue>,
    /// The action is kept for older setups only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub legacy: bool,
    /// The fields of its `config`, in file order.
    pub config: Vec<PolicyField>,
}

/// A configuration field and one of its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldValue {
    /// The field (`on_error`).
    pub field: String,
    /// The value (`continue`).
    pub value: String,
}

/// One field of an action's configuration, or of an object inside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyField {
    /// The JSON name.
    pub name: String,
    /// What the field means.
    pub description: String,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: PolicyType,
    /// Whether the action needs it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// What the server uses when it is left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// The only value accepted.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "const")]
    pub constant: Option<Value>,
    /// Whether string values may hold `${...}` expressions.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cel: bool,
    /// The smallest number accepted (each item's, for a list of numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// The largest number accepted (each item's, for a list of numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// The shortest duration accepted (`60s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_duration: Option<String>,
    /// The longest duration accepted (`24h`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_duration: Option<String>,
    /// The step durations must be a multiple of (`10s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple_of: Option<String>,
    /// The most characters a string may have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_len: Option<u64>,
    /// The fewest items of a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// The most items of a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    /// The fewest entries of a map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_entries: Option<u64>,
    /// The most entries of a map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_entries: Option<u64>,
    /// The fewest entries of each map of a list of maps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_min_entries: Option<u64>,
    /// The most entries of each map of a list of maps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_max_entries: Option<u64>,
    /// A list may not hold the same value twice.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique_items: bool,
    /// Values (of a string, or of a list's items) refused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbidden_values: Vec<String>,
    /// Fields of the same object that must be set when this one is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<String>,
    /// Each value is a `username:password` credential of this shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<CredentialsFormat>,
}

/// The type of a configuration field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PolicyType {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// A number.
    Float,
    /// `true` or `false`.
    Bool,
    /// A duration written as Go does (`90s`, `1h30m`).
    Duration,
    /// A CEL expression (no `${}` around it).
    Cel,
    /// Any JSON value.
    Any,
    /// A string from a closed set.
    Enum {
        /// The Rust name of the enum.
        rust_name: String,
        /// The values accepted.
        values: Vec<String>,
    },
    /// An object with fields of its own.
    Object {
        /// The Rust name of its struct.
        rust_name: String,
        /// Its fields.
        fields: Vec<PolicyField>,
    },
    /// A list.
    List {
        /// The type of its items.
        item: Box<PolicyType>,
    },
    /// A map with string keys.
    Map {
        /// The type of its values.
        value: Box<PolicyType>,
    },
}

/// The kinds of problem a policy can have, each answered by the API with
/// its own code ([`PolicyFormat::codes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The text is not JSON or YAML, or not shaped as a policy.
    Parse,
    /// A top-level key that is not a phase.
    UnknownPhase,
    /// An action's configuration is not shaped as its type says.
    ConfigShape,
    /// An action type the format does not have.
    UnknownAction,
    /// An action in a phase it may not be used in.
    WrongPhase,
    /// A rule without actions.
    NoActions,
    /// A configuration value the action does not accept.
    InvalidValue,
    /// A cloud endpoint's policy that does not always end in a terminating
    /// action.
    NotTerminating,
    /// An expression that does not compile or names what does not exist.
    Expression,
    /// A `${...}` in a configuration value that is not closed, is empty,
    /// or holds an expression that does not compile.
    Interpolation,
    /// An action after a terminating action of the same rule: it never runs.
    Unreachable,
    /// A basic authentication credential whose username is not valid.
    Username,
    /// A basic authentication credential whose password is not valid.
    Password,
    /// More actions of some types than the document allows
    /// ([`PolicyFormat::limits`], each with its own code).
    Limit,
}

impl ProblemKind {
    /// The snake_case name used as the key of [`PolicyFormat::codes`].
    pub fn key(self) -> &'static str {
        match self {
            ProblemKind::Parse => "parse",
            ProblemKind::UnknownPhase => "unknown_phase",
            ProblemKind::ConfigShape => "config_shape",
            ProblemKind::UnknownAction => "unknown_action",
            ProblemKind::WrongPhase => "wrong_phase",
            ProblemKind::NoActions => "no_actions",
            ProblemKind::InvalidValue => "invalid_value",
            ProblemKind::NotTerminating => "not_terminating",
            ProblemKind::Expression => "expression",
            ProblemKind::Interpolation => "interpolation",
            ProblemKind::Unreachable => "unreachable",
            ProblemKind::Username => "username",
            ProblemKind::Password => "password",
            ProblemKind::Limit => "limit",
        }
    }

    /// Every kind.
    pub const ALL: &'static [ProblemKind] = &[
        ProblemKind::Parse,
        ProblemKind::UnknownPhase,
        ProblemKind::ConfigShape,
        ProblemKind::UnknownAction,
        ProblemKind::WrongPhase,
        ProblemKind::NoActions,
        ProblemKind::InvalidValue,
        ProblemKind::NotTerminating,
        ProblemKind::Expression,
        ProblemKind::Interpolation,
        ProblemKind::Unreachable,
        ProblemKind::Username,
        ProblemKind::Password,
        ProblemKind::Limit,
    ];
}

impl PolicyFormat {
    /// Finds an action type by the `type` written in a policy.
    pub fn action(&self, kind: &str) -> Option<&PolicyAction> {
        self.actions.iter().find(|a| a.kind == kind)
    }

    /// Whether `name` is a phase.
    pub fn is_phase(&self, name: &str) -> bool {
        self.phases.iter().any(|p| p.name == name)
    }
}

impl PolicyType {
    /// The type written as in the spec (`list<string>`, `map<string,any>`).
    pub fn spelling(&self) -> String {
        match self {
            PolicyType::String => "string".into(),
            PolicyType::Integer => "integer".into(),
            PolicyType::Float => "float".into(),
            PolicyType::Bool => "bool".into(),
            PolicyType::Duration => "duration".into(),
            PolicyType::Cel => "cel".into(),
            PolicyType::Any => "any".into(),
            PolicyType::Enum { .. } => "enum".into(),
            PolicyType::Object { .. } => "object".into(),
            PolicyType::List { item } => format!("list<{}>", item.spelling()),
            PolicyType::Map { value } => format!("map<string,{}>", value.spelling()),
        }
    }
}

/// A duration written as Go writes them (`90s`, `1h30m`, `1.5m`, `250ms`),
/// in nanoseconds; `None` when the text is not one. A lone `0` is zero.
pub fn parse_duration(text: &str) -> Option<u128> {
    if text == "0" {
        return Some(0);
    }
    let mut rest = text.as_bytes();
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let digits = rest.iter().take_while(|b| b.is_ascii_digit() || **b == b'.').count();
        if digits == 0 {
            return None;
        }
        let number: f64 = std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest.iter().take_while(|b| !(b.is_ascii_digit() || **b == b'.')).count();
        let unit = std::str::from_utf8(&rest[..unit_len]).ok()?;
        let scale: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += number * scale;
    }
    if total.is_finite() && total >= 0.0 { Some(total.round() as u128) } else { None }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations_as_go_writes_them() {
        assert_eq!(parse_duration("90s"), Some(90_000_000_000));
        assert_eq!(parse_duration("1h30m"), Some(5_400_000_000_000));
        assert_eq!(parse_duration("1.5m"), Some(90_000_000_000));
        assert_eq!(parse_duration("250ms"), Some(250_000_000));
        assert_eq!(parse_duration("0"), Some(0));
        assert_eq!(parse_duration("10"), None);
        assert_eq!(parse_duration("ten seconds"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("5d"), None);
    }
}
