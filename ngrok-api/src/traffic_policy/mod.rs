//! Traffic policies as typed values: build one in code or parse one from
//! JSON or YAML, check it before the API sees it, and send it wherever the
//! API takes a policy.
//!
//! A [`TrafficPolicy`] holds one list of [`Rule`]s per phase; a rule holds
//! the expressions that choose the traffic it applies to and the
//! [`Action`]s it runs, each a typed configuration with a constructor for
//! its required values and a setter for each optional one.
//!
//! ```
//! use ngrok_api::traffic_policy::{Action, AddHeaders, CustomResponse, RateLimit, RateLimitAlgorithm, Rule, TrafficPolicy};
//!
//! let policy = TrafficPolicy::new()
//!     .on_http_request(
//!         Rule::new()
//!             .name("limit")
//!             .action(RateLimit::new("per-ip", RateLimitAlgorithm::SlidingWindow, 100, "60s", ["conn.client_ip"])),
//!     )
//!     .on_http_request(Rule::new().action(CustomResponse::new().status_code(200).body("hello")));
//! policy.validate_for_cloud_endpoint()?;
//! let text = policy.to_string(); // compact JSON, as the API takes it
//! assert_eq!(text.parse::<TrafficPolicy>()?, policy);
//! # let _ = (Action::from(AddHeaders::new()),);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Open to what ngrok adds later: an action type this version does not
//! know parses as [`Action::Other`], and configuration fields it does not
//! know are kept in each configuration's `other` map; both are written back
//! unchanged.
//!
//! Parsing checks the shape (a list where a list belongs, a number where a
//! number belongs); [`TrafficPolicy::validate`] checks the rules of the
//! format and returns every problem with its path, such as
//! `on_http_request[0].actions[1].config.capacity: at least 1`.
//! Expressions are compiled only with the `traffic-policy-cel` feature
//! (off by default); without it the API (and the emulator,
//! `ngrok-api-mock`) checks them, and `validate` only checks that each
//! `${...}` in a configuration value is closed.

#[path = "../generated/traffic_policy.rs"]
mod generated;
mod problems;
mod support;

use std::fmt;
use std::str::FromStr;

pub use generated::*;
pub use problems::{ParseError, ValidationError, ValidationErrors};
/// The JSON values unknown members are kept as: `serde_json`'s, re-exported
/// so that they are always the version this crate uses.
pub use serde_json::{Map, Value};
use support::{Json, join};

/// One rule: the expressions that choose the traffic it applies to (all
/// must hold; none means all traffic) and the actions it runs, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rule {
    /// A name for the rule, shown in logs.
    pub name: Option<String>,
    /// CEL expressions, all of which must be true for the actions to run.
    pub expressions: Vec<String>,
    /// The actions, run in order.
    pub actions: Vec<Action>,
}

impl Rule {
    /// A rule with no name, no expressions (it applies to all traffic) and
    /// no actions yet.
    #[inline]
    pub fn new() -> Rule {
        Rule::default()
    }

    /// Names the rule.
    #[inline]
    pub fn name(mut self, name: impl Into<String>) -> Rule {
        self.name = Some(name.into());
        self
    }

    /// Adds a CEL expression that must be true for the actions to run.
    #[inline]
    pub fn expression(mut self, expression: impl Into<String>) -> Rule {
        self.expressions.push(expression.into());
        self
    }

    /// Adds an action (any configuration type, or an [`Action`]).
    #[inline]
    pub fn action(mut self, action: impl Into<Action>) -> Rule {
        self.actions.push(action.into());
        self
    }

    /// Whether the rule applies to all traffic and always ends it: no
    /// expressions, and a terminating action that does not go on on error.
    #[inline]
    pub fn always_terminates(&self) -> bool {
        self.expressions.is_empty() && self.actions.iter().any(Action::is_terminating)
    }

    #[inline]
    fn read(v: Value, at: &str) -> Result<Rule, ParseError> {
        let mut map = support::object(v, at)?;
        let name = support::take(&mut map, at, "name")?;
        let expressions: Option<Vec<String>> = support::take(&mut map, at, "expressions")?;
        let actions: Option<Vec<Action>> = support::take(&mut map, at, "actions")?;
        if let Some(key) = map.keys().next() {
            return Err(ParseError::new(join(at, key), "not a member of a rule; a rule has name, expressions and actions"));
        }
        Ok(Rule { name, expressions: expressions.unwrap_or_default(), actions: actions.unwrap_or_default() })
    }

    #[inline]
    fn write(&self) -> Value {
        let mut map = Map::new();
        support::put(&mut map, "name", &self.name);
        if !self.expressions.is_empty() {
            map.insert("expressions".into(), self.expressions.to_json());
        }
        map.insert("actions".into(), self.actions.to_json());
        Value::Object(map)
    }

    #[inline]
    fn check(&self, at: &str, phase: &str, out: &mut Vec<ValidationError>) {
        support::expressions(self, at, out);
        if self.actions.is_empty() {
            out.push(ValidationError::new(join(at, "actions"), "at least 1 action"));
        }
        for (i, a) in self.actions.iter().enumerate() {
            let at = support::index(&join(at, "actions"), i);
            support::unreachable(&self.actions, i, &at, out);
            a.check(&at, phase, out);
        }
    }
}

impl Json for Rule {
    #[inline]
    fn from_json(v: Value, at: &str) -> Result<Self, ParseError> {
        Rule::read(v, at)
    }
    #[inline]
    fn to_json(&self) -> Value {
        self.write()
    }
}

/// An action of a type this version of the SDK does not know, kept as
/// written so that it is sent back unchanged.
#[derive(Debug, Clone, PartialEq)]
pub struct OtherAction {
    /// The action's `type`.
    pub kind: String,
    /// Its `config`, as written.
    pub config: Option<Value>,
}

impl OtherAction {
    /// An action of type `kind` with `config`.
    #[inline]
    pub fn new(kind: impl Into<String>, config: Option<Value>) -> OtherAction {
        OtherAction { kind: kind.into(), config }
    }
}

impl From<OtherAction> for Action {
    #[inline]
    fn from(a: OtherAction) -> Action {
        Action::Other(a)
    }
}

impl Json for Action {
    #[inline]
    fn from_json(v: Value, at: &str) -> Result<Self, ParseError> {
        let mut map = support::object(v, at)?;
        let kind: Option<String> = support::take(&mut map, at, "type")?;
        let Some(kind) = kind else {
            return Err(ParseError::new(join(at, "type"), "required: every action has a type"));
        };
        let config = map.remove("config");
        if let Some(key) = map.keys().next() {
            return Err(ParseError::new(join(at, key), "not a member of an action; an action has type and config"));
        }
        Action::from_parts(kind, config, &join(at, "config"))
    }

    #[inline]
    fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("type".into(), Value::String(self.kind().to_string()));
        match self.config_json() {
            Some(Value::Object(c)) if c.is_empty() && !matches!(self, Action::Other(_)) => {}
            Some(c) => {
                map.insert("config".into(), c);
            }
            None => {}
        }
        Value::Object(map)
    }
}


impl TrafficPolicy {
    /// An empty policy.
    #[inline]
    pub fn new() -> TrafficPolicy {
        TrafficPolicy::default()
    }

    /// Checks the policy against the rules of the format: known phases
    /// and action types, each action in a phase it may be used in, required
    /// configuration, enum values, ranges, lengths, list and map sizes,
    /// durations, `${...}` text, credentials, no action after a terminating
    /// one in its rule, and the limits on a whole policy; with the
    /// `traffic-policy-cel` feature, expressions too. Returns every problem
    /// found, each with its path.
    #[inline]
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut out = Vec::new();
        self.check(&mut out);
        if out.is_empty() { Ok(()) } else { Err(ValidationErrors(out)) }
    }

    /// [`validate`](Self::validate), and the rule for cloud endpoints: the
    /// policy always ends in a terminating action (`custom-response`,
    /// `deny`, `forward-internal` or `close-connection`), in a rule with no
    /// expressions, so that no traffic is left unhandled.
    #[inline]
    pub fn validate_for_cloud_endpoint(&self) -> Result<(), ValidationErrors> {
        let mut out = Vec::new();
        self.check(&mut out);
        if !self.cloud_rules().any(Rule::always_terminates) {
            out.push(ValidationError::new("", NOT_TERMINATING));
        }
        if out.is_empty() { Ok(()) } else { Err(ValidationErrors(out)) }
    }

    /// The policy as a JSON value.
    #[inline]
    pub fn to_json(&self) -> Value {
        Json::to_json(self)
    }

    /// Reads a policy from a JSON value.
    #[inline]
    pub fn from_json(value: Value) -> Result<TrafficPolicy, ParseError> {
        <TrafficPolicy as Json>::from_json(value, "")
    }
}

/// The message of a cloud endpoint's policy that may leave traffic unhandled.
const NOT_TERMINATING: &str = "a cloud endpoint's policy must always end in a terminating action (custom-response, deny, forward-internal or close-connection) in a rule with no expressions";

impl FromStr for TrafficPolicy {
    type Err = ParseError;

    /// Reads a policy written as JSON or as YAML.
    #[inline]
    fn from_str(text: &str) -> Result<TrafficPolicy, ParseError> {
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(json) => match support::yaml::to_json(text) {
                Ok(v) => v,
                Err(yaml) if text.trim_start().starts_with('{') => {
                    return Err(ParseError::new("", format!("neither JSON ({json}) nor YAML ({yaml})")));
                }
                Err(yaml) => return Err(ParseError::new("", format!("not YAML: {yaml}"))),
            },
        };
        if !value.is_object() && !value.is_null() {
            return Err(ParseError::new("", "expected an object of phases, such as {\"on_http_request\": [...]}"));
        }
        TrafficPolicy::from_json(value)
    }
}

impl fmt::Display for TrafficPolicy {
    /// Compact JSON, as the API takes it.
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json().to_string())
    }
}

impl From<TrafficPolicy> for String {
    /// The policy as compact JSON, so that a `TrafficPolicy` goes wherever
    /// the API takes a policy's text.
    #[inline]
    fn from(policy: TrafficPolicy) -> String {
        policy.to_string()
    }
}

impl From<&TrafficPolicy> for String {
    #[inline]
    fn from(policy: &TrafficPolicy) -> String {
        policy.to_string()
    }
}
