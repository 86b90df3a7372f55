//! Traffic policy documents, checked wherever the API takes one, from the
//! same description the SDK's typed policies are generated from
//! (`generated/traffic_policy.json`, from `spec/traffic_policy.yaml`).
//!
//! The checks are those of the SDK's `TrafficPolicy` parsing and
//! `validate`, in the same order and with the same paths and messages, so
//! that the emulator refuses exactly what `validate` refuses; the emulator
//! also compiles every rule expression with its CEL parser and refuses
//! names the format does not list. A refusal carries the code ngrok's
//! catalog gives the kind of problem, and its message template filled in.

use std::sync::OnceLock;

use ngrok_api_model::{CredentialsFormat, PolicyField, PolicyFormat, PolicyType, ProblemKind, parse_duration};
use serde_json::{Map, Value};

use crate::error::ApiError;

mod values;
use values::{check_fields, fields_shape};

/// The checks of expressions, generated from the same source as the SDK's
/// (`traffic-policy-cel`).
#[path = "generated/policy_cel.rs"]
mod cel_check;
/// The checks of `${...}` text and of credentials, generated from the same
/// source as the SDK's.
#[path = "generated/policy_text.rs"]
mod text_check;
/// YAML text read into a JSON value, generated from the same source as the
/// SDK's, so both read a policy alike.
#[path = "generated/policy_yaml.rs"]
mod yaml;
use cel_check::check_expression;
use text_check::{CredentialFault, check_credential, interpolations};

const FORMAT_JSON: &str = include_str!("generated/traffic_policy.json");

/// The description, read once. A build whose copy does not parse is a
/// broken build, caught by the tests; it then checks nothing.
fn format() -> Option<&'static PolicyFormat> {
    static FORMAT: OnceLock<Option<PolicyFormat>> = OnceLock::new();
    FORMAT.get_or_init(|| serde_json::from_str(FORMAT_JSON).ok()).as_ref()
}

/// One problem of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyProblem {
    /// The kind of problem, which decides the code the API answers with.
    pub kind: ProblemKind,
    /// Where: `on_http_request[0].actions[1].config.capacity`, or empty for
    /// the policy as a whole.
    pub path: String,
    /// What is wrong, as the SDK's `validate` says it.
    pub message: String,
    /// The action type the problem is in, if any.
    pub action: Option<String>,
    /// The phase the problem is in, if any.
    pub phase: Option<String>,
    /// The code the API answers, when the problem's kind does not decide
    /// it (a limit of the format carries its own).
    pub code: Option<&'static str>,
    /// Found by compiling an expression: the SDK's `validate` finds these
    /// only with its `traffic-policy-cel` feature.
    pub compiled: bool,
}

impl std::fmt::Display for PolicyProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", self.path, self.message) }
    }
}

/// Checks a policy given as JSON or YAML text, as the API does before
/// storing it; `cloud` adds the rule for cloud endpoints (the policy always
/// ends in a terminating action). Returns every problem, in document order:
/// a text that does not parse or is not shaped as a policy gives one.
pub fn check_policy(text: &str, cloud: bool) -> Vec<PolicyProblem> {
    let Some(format) = format() else { return Vec::new() };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) => match yaml::to_json(text) {
            Ok(v) => v,
            Err(e) => return vec![problem(ProblemKind::Parse, "", format!("not JSON or YAML: {e}"), None, None)],
        },
    };
    let mut c = Checker { format, out: Vec::new() };
    if let Err(p) = c.shape(&value) {
        return vec![p];
    }
    c.rules(&value, cloud);
    c.out
}

/// The refusal the API answers for a policy's first problem, if it has one:
/// the code the description names for its kind (`ERR_NGROK_<n>`), with
/// ngrok's message for it filled in from the problem.
pub(crate) fn refusal(text: &str, cloud: bool) -> Result<(), ApiError> {
    let problems = check_policy(text, cloud);
    let (Some(first), Some(format)) = (problems.first(), format()) else { return Ok(()) };
    let key = first.kind.key();
    let code = first.code.or_else(|| cloud.then(|| format.cloud_codes.get(key)).flatten().map(String::as_str)).or_else(|| format.codes.get(key).map(String::as_str));
    let Some(code) = code.and_then(|c| c.strip_prefix("ERR_NGROK_")).and_then(|n| n.parse::<u32>().ok()) else {
        return Err(ApiError::bad_request(None, first.to_string()));
    };
    let detail = first.to_string();
    let action = first.action.as_deref().unwrap_or_default();
    let phase = first.phase.as_deref().unwrap_or_default();
    let fills = [("TYP", action), ("PHASE", phase), ("ERR", &detail), ("ERROR", &detail), ("FIELD", &detail), ("MESSAGE", &detail)];
    Err(ApiError::refusal(code, &fills))
}

fn problem(kind: ProblemKind, path: &str, message: impl Into<String>, action: Option<&str>, phase: Option<&str>) -> PolicyProblem {
    PolicyProblem {
        kind,
        path: path.to_string(),
        message: message.into(),
        action: action.map(str::to_string),
        phase: phase.map(str::to_string),
        code: None,
        compiled: kind == ProblemKind::Expression,
    }
}

fn join(at: &str, name: &str) -> String {
    if at.is_empty() { name.to_string() } else { format!("{at}.{name}") }
}

fn index(at: &str, i: usize) -> String {
    format!("{at}[{i}]")
}

fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 { format!("{n} {one}") } else { format!("{n} {many}") }
}

/// A member that is present and not `null`.
fn member<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.get(name).filter(|v| !v.is_null())
}

struct Checker {
    format: &'static PolicyFormat,
    out: Vec<PolicyProblem>,
}

type Shape = Result<(), PolicyProblem>;

impl Checker {
    /// What the SDK's parsing checks: the shape of every value, stopping at
    /// the first fault, in the order the SDK reads them.
    fn shape(&self, doc: &Value) -> Shape {
        let parse = |path: &str, msg: &str| Err(problem(ProblemKind::Parse, path, msg, None, None));
        let doc = match doc {
            Value::Null => return Ok(()),
            Value::Object(m) => m,
            Value::Bool(_) | Value::Number(_) | Value::String(_) | Value::Array(_) => return parse("", "expected an object of phases, such as {\"on_http_request\": [...]}"),
        };
        for phase in &self.format.phases {
            let Some(rules) = member(doc, &phase.name) else { continue };
            let Some(rules) = rules.as_array() else { return parse(&phase.name, "expected a list") };
            for (i, rule) in rules.iter().enumerate() {
                let at = index(&phase.name, i);
                let rule = match rule {
                    Value::Null => continue,
                    Value::Object(m) => m,
                    Value::Bool(_) | Value::Number(_) | Value::String(_) | Value::Array(_) => return parse(&at, "expected an object"),
                };
                if let Some(name) = member(rule, "name")
                    && !name.is_string()
                {
                    return parse(&join(&at, "name"), "expected a string");
                }
                if let Some(exprs) = member(rule, "expressions") {
                    let Some(exprs) = exprs.as_array() else { return parse(&join(&at, "expressions"), "expected a list") };
                    for (j, e) in exprs.iter().enumerate() {
                        if !e.is_string() {
                            return parse(&index(&join(&at, "expressions"), j), "expected a string");
                        }
                    }
                }
                if let Some(actions) = member(rule, "actions") {
                    let Some(actions) = actions.as_array() else { return parse(&join(&at, "actions"), "expected a list") };
                    for (j, a) in actions.iter().enumerate() {
                        self.action_shape(a, &index(&join(&at, "actions"), j), &phase.name)?;
                    }
                }
                if let Some(key) = rule.keys().find(|k| !matches!(k.as_str(), "name" | "expressions" | "actions")) {
                    return parse(&join(&at, key), "not a member of a rule; a rule has name, expressions and actions");
                }
            }
        }
        Ok(())
    }

    fn action_shape(&self, a: &Value, at: &str, phase: &str) -> Shape {
        let parse = |path: &str, msg: &str| Err(problem(ProblemKind::Parse, path, msg, None, Some(phase)));
        let a = match a {
            Value::Null => return parse(&join(at, "type"), "required: every action has a type"),
            Value::Object(m) => m,
            Value::Bool(_) | Value::Number(_) | Value::String(_) | Value::Array(_) => return parse(at, "expected an object"),
        };
        let kind = match member(a, "type") {
            None => return parse(&join(at, "type"), "required: every action has a type"),
            Some(Value::String(s)) => s,
            Some(_) => return parse(&join(at, "type"), "expected a string"),
        };
        if let Some(key) = a.keys().find(|k| !matches!(k.as_str(), "type" | "config")) {
            return parse(&join(at, key), "not a member of an action; an action has type and config");
        }
        let Some(def) = self.format.action(kind) else { return Ok(()) };
        let config_at = join(at, "config");
        let shape = |path: &str, msg: &str| problem(ProblemKind::ConfigShape, path, msg, Some(kind), Some(phase));
        match a.get("config") {
            None | Some(Value::Null) => Ok(()),
            Some(Value::Object(c)) => fields_shape(&def.config, c, &config_at).map_err(|(p, m)| shape(&p, m)),
            Some(_) => Err(shape(&config_at, "expected an object")),
        }
    }

    /// What the SDK's `validate` checks, every problem in document order.
    fn rules(&mut self, doc: &Value, cloud: bool) {
        let Some(doc) = doc.as_object() else {
            if cloud {
                self.not_terminating();
            }
            return;
        };
        let format = self.format;
        for phase in &format.phases {
            let Some(rules) = member(doc, &phase.name).and_then(Value::as_array) else { continue };
            for (i, rule) in rules.iter().enumerate() {
                let at = index(&phase.name, i);
                let rule = rule.as_object().cloned().unwrap_or_default();
                if let Some(exprs) = member(&rule, "expressions").and_then(Value::as_array) {
                    for (j, e) in exprs.iter().enumerate() {
                        if let Some(e) = e.as_str()
                            && let Err(why) = check_expression(e)
                        {
                            let path = index(&join(&at, "expressions"), j);
                            self.out.push(problem(ProblemKind::Expression, &path, why, None, Some(&phase.name)));
                        }
                    }
                }
                let actions = member(&rule, "actions").and_then(Value::as_array).cloned().unwrap_or_default();
                if actions.is_empty() {
                    self.out.push(problem(ProblemKind::NoActions, &join(&at, "actions"), "at least 1 action", None, Some(&phase.name)));
                }
                for (j, a) in actions.iter().enumerate() {
                    let path = index(&join(&at, "actions"), j);
                    if let Some((k, ender)) = actions[..j].iter().enumerate().find(|(_, x)| self.ends(x)) {
                        let kind_of = |x: &Value| x.get("type").and_then(Value::as_str).unwrap_or_default().to_string();
                        let (ender, this) = (kind_of(ender), kind_of(a));
                        let why = format!("unreachable: actions[{k}] (`{ender}`) ends the handling of the traffic before `{this}` runs");
                        self.out.push(problem(ProblemKind::Unreachable, &path, why, Some(&this), Some(&phase.name)));
                    }
                    self.action(a, &path, &phase.name);
                }
            }
        }
        self.limits(doc);
        for key in doc.keys().filter(|k| !format.is_phase(k)) {
            let list: Vec<&str> = format.phases.iter().map(|p| p.name.as_str()).collect();
            self.out.push(problem(
                ProblemKind::UnknownPhase,
                key,
                format!("not a phase; the phases are {}", list.join(", ")),
                None,
                None,
            ));
        }
        if cloud && !self.terminates(doc) {
            self.not_terminating();
        }
    }

    fn not_terminating(&mut self) {
        self.out.push(problem(
            ProblemKind::NotTerminating,
            "",
            "a cloud endpoint's policy must always end in a terminating action (custom-response, deny, forward-internal or close-connection) in a rule with no expressions",
            None,
            None,
        ));
    }

    /// Whether some rule of a cloud phase applies to all traffic and ends
    /// it with a terminating action.
    fn terminates(&self, doc: &Map<String, Value>) -> bool {
        self.format.cloud_phases.iter().filter_map(|p| member(doc, p).and_then(Value::as_array)).flatten().any(|rule| {
            let Some(rule) = rule.as_object() else { return false };
            let no_exprs = member(rule, "expressions").and_then(Value::as_array).is_none_or(Vec::is_empty);
            let actions = member(rule, "actions").and_then(Value::as_array).cloned().unwrap_or_default();
            no_exprs && actions.iter().any(|a| self.ends(a))
        })
    }

    /// Whether an action ends the handling of the traffic, as configured.
    fn ends(&self, a: &Value) -> bool {
        let kind = a.get("type").and_then(Value::as_str).unwrap_or_default();
        let Some(def) = self.format.action(kind) else { return false };
        let unless = def
            .terminating_unless
            .as_ref()
            .is_some_and(|u| a.get("config").and_then(|c| c.get(&u.field)).and_then(Value::as_str) == Some(u.value.as_str()));
        def.terminating && !unless
    }

    /// The limits of the format on a whole policy: each action of the
    /// counted types past the most allowed, at its `type`.
    fn limits(&mut self, doc: &Map<String, Value>) {
        let format = self.format;
        for limit in &format.limits {
            let mut seen = 0;
            for phase in &format.phases {
                let rules = member(doc, &phase.name).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
                for (i, rule) in rules.iter().enumerate() {
                    let actions = rule.get("actions").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
                    for (j, a) in actions.iter().enumerate() {
                        let kind = a.get("type").and_then(Value::as_str).unwrap_or_default();
                        if !limit.actions.iter().any(|k| k == kind) {
                            continue;
                        }
                        seen += 1;
                        if seen > limit.max {
                            let at = join(&index(&join(&index(&phase.name, i), "actions"), j), "type");
                            let why = format!("at most {} of the {} ({}) in one policy", limit.max, limit.name, limit.actions.join(", "));
                            let mut p = problem(ProblemKind::Limit, &at, why, Some(kind), Some(&phase.name));
                            p.code = Some(limit.code.as_str());
                            self.out.push(p);
                        }
                    }
                }
            }
        }
    }

    fn action(&mut self, a: &Value, at: &str, phase: &str) {
        let kind = a.get("type").and_then(Value::as_str).unwrap_or_default();
        let type_at = join(at, "type");
        let Some(def) = self.format.action(kind) else {
            self.out.push(problem(ProblemKind::UnknownAction, &type_at, format!("unknown action type `{kind}`"), Some(kind), Some(phase)));
            return;
        };
        if !def.phases.iter().any(|p| p == phase) {
            self.out.push(problem(
                ProblemKind::WrongPhase,
                &type_at,
                format!("`{kind}` is not allowed in {phase}; it runs in {}", def.phases.join(", ")),
                Some(kind),
                Some(phase),
            ));
        }
        let config = a.get("config").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut found = Vec::new();
        check_fields(&def.config, &config, &join(at, "config"), &mut found);
        self.out.extend(found.into_iter().map(|(k, p, m, compiled)| PolicyProblem { compiled, ..problem(k, &p, m, Some(kind), Some(phase)) }));
    }
}

#[cfg(test)]
mod tests;
