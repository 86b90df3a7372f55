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

use std::collections::BTreeSet;
use std::sync::OnceLock;

use cel::common::ast::{Expr, IdedExpr};
use ngrok_api_model::{PolicyField, PolicyFormat, PolicyType, ProblemKind, parse_duration};
use serde_json::{Map, Value};

use crate::error::ApiError;

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
        Err(_) => match serde_yaml_ng::from_str(text) {
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
    let code = cloud.then(|| format.cloud_codes.get(key)).flatten().or_else(|| format.codes.get(key));
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
            _ => return parse("", "expected an object of phases, such as {\"on_http_request\": [...]}"),
        };
        for phase in &self.format.phases {
            let Some(rules) = member(doc, &phase.name) else { continue };
            let Some(rules) = rules.as_array() else { return parse(&phase.name, "expected a list") };
            for (i, rule) in rules.iter().enumerate() {
                let at = index(&phase.name, i);
                let rule = match rule {
                    Value::Null => continue,
                    Value::Object(m) => m,
                    _ => return parse(&at, "expected an object"),
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
            _ => return parse(at, "expected an object"),
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
                            && let Err(why) = check_expression(format, e)
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
                    self.action(a, &index(&join(&at, "actions"), j), &phase.name);
                }
            }
        }
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
            no_exprs
                && actions.iter().any(|a| {
                    let kind = a.get("type").and_then(Value::as_str).unwrap_or_default();
                    let Some(def) = self.format.action(kind) else { return false };
                    let unless = def.terminating_unless.as_ref().is_some_and(|u| {
                        a.get("config").and_then(|c| c.get(&u.field)).and_then(Value::as_str) == Some(u.value.as_str())
                    });
                    def.terminating && !unless
                })
        })
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
        self.out.extend(found.into_iter().map(|(p, m)| problem(ProblemKind::InvalidValue, &p, m, Some(kind), Some(phase))));
    }
}

/// The shape of an object's known fields, in field order.
fn fields_shape(fields: &[PolicyField], obj: &Map<String, Value>, at: &str) -> Result<(), (String, &'static str)> {
    for f in fields {
        if let Some(v) = member(obj, &f.name) {
            value_shape(&f.ty, v, &join(at, &f.name))?;
        }
    }
    Ok(())
}

fn value_shape(ty: &PolicyType, v: &Value, at: &str) -> Result<(), (String, &'static str)> {
    let fail = |m: &'static str| Err((at.to_string(), m));
    match ty {
        PolicyType::String | PolicyType::Cel | PolicyType::Duration | PolicyType::Enum { .. } => {
            if !v.is_string() {
                return fail("expected a string");
            }
        }
        PolicyType::Integer => {
            if v.as_i64().is_none() {
                return fail("expected a whole number");
            }
        }
        PolicyType::Float => {
            if !v.is_number() {
                return fail("expected a number");
            }
        }
        PolicyType::Bool => {
            if !v.is_boolean() {
                return fail("expected true or false");
            }
        }
        PolicyType::Any => {}
        PolicyType::Object { fields, .. } => match v {
            Value::Object(m) => fields_shape(fields, m, at)?,
            _ => return fail("expected an object"),
        },
        PolicyType::List { item } => {
            let Some(items) = v.as_array() else { return fail("expected a list") };
            for (i, x) in items.iter().enumerate() {
                // The SDK reads a null item as a value of its type: an
                // empty object for objects, a fault for numbers and text.
                if x.is_null() {
                    match null_item(item) {
                        "" => continue,
                        why => return Err((index(at, i), why)),
                    }
                }
                value_shape(item, x, &index(at, i))?;
            }
        }
        PolicyType::Map { value } => {
            let Some(m) = v.as_object() else { return fail("expected an object") };
            for (k, x) in m {
                if x.is_null() {
                    match null_item(value) {
                        "" => continue,
                        why => return Err((join(at, k), why)),
                    }
                }
                value_shape(value, x, &join(at, k))?;
            }
        }
    }
    Ok(())
}

/// What the SDK says of a `null` where a value of `ty` belongs.
fn null_item(ty: &PolicyType) -> &'static str {
    match ty {
        PolicyType::String | PolicyType::Cel | PolicyType::Duration | PolicyType::Enum { .. } => "expected a string",
        PolicyType::Integer => "expected a whole number",
        PolicyType::Float => "expected a number",
        PolicyType::Bool => "expected true or false",
        PolicyType::List { .. } => "expected a list",
        PolicyType::Any | PolicyType::Object { .. } => "",
        PolicyType::Map { .. } => "expected an object",
    }
}

/// Every problem of an object's fields (the SDK's `validate`), in field order.
fn check_fields(fields: &[PolicyField], obj: &Map<String, Value>, at: &str, out: &mut Vec<(String, String)>) {
    for f in fields {
        let path = join(at, &f.name);
        match member(obj, &f.name) {
            None if f.required => out.push((path, "required".into())),
            None => {}
            Some(v) => check_value(f, &f.ty, v, &path, false, out),
        }
        for r in &f.requires {
            if member(obj, &f.name).is_some() && member(obj, r).is_none() {
                out.push((join(at, r), format!("required when {} is set", f.name)));
            }
        }
    }
}

/// The problems of one value of field `f` (of `ty`: the field's type, or its
/// items' for a list); `item` when it is an item of a list.
fn check_value(f: &PolicyField, ty: &PolicyType, v: &Value, at: &str, item: bool, out: &mut Vec<(String, String)>) {
    let mut push = |m: String| out.push((at.to_string(), m));
    match ty {
        PolicyType::Integer | PolicyType::Float => {
            let Some(n) = v.as_f64() else { return };
            if let Some(c) = f.constant.as_ref().and_then(Value::as_f64)
                && n != c
            {
                push(format!("must be {c}"));
            }
            if let Some(min) = f.min
                && n < min
            {
                push(format!("at least {min}"));
            }
            if let Some(max) = f.max
                && n > max
            {
                push(format!("at most {max}"));
            }
        }
        PolicyType::String | PolicyType::Cel | PolicyType::Duration => {
            let Some(s) = v.as_str() else { return };
            if let Some(max) = f.max_len
                && s.chars().count() as u64 > max
            {
                push(format!("at most {}", count(max, "character", "characters")));
            }
            if f.forbidden_values.iter().any(|x| x == s) {
                push(format!("`{s}` is not allowed"));
            }
            if matches!(ty, PolicyType::Duration) && !s.contains("${") {
                check_duration(f, s, &mut push);
            }
        }
        PolicyType::Enum { values, .. } => {
            let Some(s) = v.as_str() else { return };
            if !values.iter().any(|x| x == s) {
                push(format!("`{s}` is not one of {}", values.join(", ")));
            }
        }
        PolicyType::Bool | PolicyType::Any => {}
        PolicyType::Object { fields, .. } => match v {
            Value::Object(m) => check_fields(fields, m, at, out),
            Value::Null => check_fields(fields, &Map::new(), at, out),
            _ => {}
        },
        PolicyType::List { item: inner } => {
            let Some(items) = v.as_array() else { return };
            let n = items.len() as u64;
            if let Some(min) = f.min_items.filter(|_| !item)
                && n < min
            {
                push(format!("at least {}", count(min, "item", "items")));
            }
            if let Some(max) = f.max_items.filter(|_| !item)
                && n > max
            {
                push(format!("at most {}", count(max, "item", "items")));
            }
            if f.unique_items && !item {
                let shown: Vec<String> = items.iter().map(show).collect();
                for (i, s) in shown.iter().enumerate() {
                    if shown[..i].contains(s) {
                        out.push((index(at, i), format!("`{s}` is listed twice")));
                    }
                }
            }
            for (i, x) in items.iter().enumerate() {
                check_value(f, inner, x, &index(at, i), true, out);
            }
        }
        PolicyType::Map { .. } => {
            let Some(m) = v.as_object() else { return };
            let n = m.len() as u64;
            let (min, max) = if item { (f.item_min_entries, f.item_max_entries) } else { (f.min_entries, f.max_entries) };
            if let Some(min) = min
                && n < min
            {
                push(format!("at least {}", count(min, "entry", "entries")));
            }
            if let Some(max) = max
                && n > max
            {
                push(format!("at most {}", count(max, "entry", "entries")));
            }
        }
    }
}

/// A value as a problem message quotes it (as the SDK shows it).
fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn check_duration(f: &PolicyField, s: &str, push: &mut impl FnMut(String)) {
    let Some(nanos) = parse_duration(s) else {
        push(format!("`{s}` is not a duration such as 90s or 10m"));
        return;
    };
    let bound = |b: &Option<String>| b.as_ref().and_then(|t| parse_duration(t).map(|n| (t.clone(), n)));
    if let Some((t, min)) = bound(&f.min_duration)
        && nanos < min
    {
        push(format!("at least {t}"));
    }
    if let Some((t, max)) = bound(&f.max_duration)
        && nanos > max
    {
        push(format!("at most {t}"));
    }
    if let Some((t, step)) = bound(&f.multiple_of)
        && step > 0
        && nanos % step != 0
    {
        push(format!("a multiple of {t}"));
    }
}

/// CEL's own functions and operators, which every expression may call.
const CEL_FUNCTIONS: &[&str] = &[
    "size", "matches", "startsWith", "endsWith", "contains", "int", "uint", "double", "string", "bytes", "bool",
    "timestamp", "duration", "type", "dyn", "has", "exists", "exists_one", "all", "map", "filter",
    "getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek", "getHours",
    "getMinutes", "getSeconds", "getMilliseconds",
];

/// Compiles an expression and checks every name in it against the
/// variables and macros of the format.
fn check_expression(format: &PolicyFormat, src: &str) -> Result<(), String> {
    let parsed = std::panic::catch_unwind(|| cel::parser::Parser::new().parse(src));
    let expr = match parsed {
        Ok(Ok(e)) => e,
        Ok(Err(e)) => {
            let e = e.to_string();
            return Err(format!("does not compile: {}", e.lines().next().unwrap_or_default()));
        }
        Err(_) => return Err("does not compile".into()),
    };
    let names = Names::of(format);
    let mut bound = Vec::new();
    names.walk(&expr, &mut bound, 0)
}

/// The names expressions may use, from the format.
struct Names {
    roots: BTreeSet<String>,
    known: BTreeSet<String>,
    leaves: BTreeSet<String>,
    functions: BTreeSet<String>,
    namespaces: BTreeSet<String>,
    macros: BTreeSet<String>,
}

impl Names {
    fn of(format: &PolicyFormat) -> Names {
        let mut known = BTreeSet::new();
        let mut roots = BTreeSet::new();
        for v in &format.expressions.variables {
            let parts: Vec<&str> = v.split('.').collect();
            for n in 1..=parts.len() {
                known.insert(parts[..n].join("."));
            }
            roots.insert(parts[0].to_string());
        }
        roots.insert("vars".into());
        let mut functions: BTreeSet<String> = CEL_FUNCTIONS.iter().map(|s| s.to_string()).collect();
        let mut namespaces = BTreeSet::new();
        let receivers = ["string", "list", "map", "bytes", "ts"];
        for m in &format.expressions.macros {
            match m.rsplit_once('.') {
                Some((ns, f)) if receivers.contains(&ns) => {
                    functions.insert(f.to_string());
                }
                Some((ns, _)) => {
                    namespaces.insert(ns.to_string());
                }
                None => {
                    functions.insert(m.clone());
                }
            }
        }
        Names {
            roots,
            leaves: format.expressions.variables.iter().cloned().collect(),
            known,
            functions,
            namespaces,
            macros: format.expressions.macros.iter().cloned().collect(),
        }
    }

    /// The dotted name of a chain of selections from an identifier.
    fn dotted(e: &IdedExpr) -> Option<String> {
        match &e.expr {
            Expr::Ident(n) => Some(n.clone()),
            Expr::Select(s) => Self::dotted(&s.operand).map(|o| format!("{o}.{}", s.field)),
            _ => None,
        }
    }

    fn variable(&self, name: &str, bound: &[String]) -> Result<(), String> {
        let root = name.split('.').next().unwrap_or_default();
        if bound.iter().any(|b| b == root) || root == "vars" {
            return Ok(());
        }
        if !self.roots.contains(root) {
            return Err(format!("unknown variable `{root}`"));
        }
        if self.known.contains(name) {
            return Ok(());
        }
        // Below a variable that is a map or an object, any member.
        let parts: Vec<&str> = name.split('.').collect();
        if (1..parts.len()).any(|n| self.leaves.contains(&parts[..n].join("."))) {
            return Ok(());
        }
        Err(format!("unknown variable `{name}`"))
    }

    fn walk(&self, e: &IdedExpr, bound: &mut Vec<String>, depth: usize) -> Result<(), String> {
        if depth > 64 {
            return Err("nests too deep".into());
        }
        let d = depth + 1;
        match &e.expr {
            Expr::Ident(_) | Expr::Select(_) if Self::dotted(e).is_some() => {
                let name = Self::dotted(e).unwrap_or_default();
                if let Expr::Select(s) = &e.expr
                    && s.test
                {
                    return self.variable(&Self::dotted(&s.operand).unwrap_or_default(), bound);
                }
                self.variable(&name, bound)
            }
            Expr::Select(s) => self.walk(&s.operand, bound, d),
            Expr::Call(c) => {
                let operator = c.func_name.starts_with('_') || c.func_name.starts_with('!') || c.func_name.starts_with('@');
                match &c.target {
                    Some(t) if matches!(&t.expr, Expr::Ident(n) if self.namespaces.contains(n) && !self.roots.contains(n)) => {
                        let Expr::Ident(ns) = &t.expr else { return Ok(()) };
                        let full = format!("{ns}.{}", c.func_name);
                        if !self.macros.contains(&full) {
                            return Err(format!("unknown macro `{full}`"));
                        }
                    }
                    Some(t) => {
                        if !operator && !self.functions.contains(&c.func_name) {
                            return Err(format!("unknown macro `{}`", c.func_name));
                        }
                        self.walk(t, bound, d)?;
                    }
                    None => {
                        if !operator && !self.functions.contains(&c.func_name) {
                            return Err(format!("unknown macro `{}`", c.func_name));
                        }
                    }
                }
                for a in &c.args {
                    self.walk(a, bound, d)?;
                }
                Ok(())
            }
            Expr::List(l) => l.elements.iter().try_for_each(|x| self.walk(x, bound, d)),
            Expr::Map(m) => m.entries.iter().try_for_each(|entry| match &entry.expr {
                cel::common::ast::EntryExpr::MapEntry(me) => {
                    self.walk(&me.key, bound, d)?;
                    self.walk(&me.value, bound, d)
                }
                cel::common::ast::EntryExpr::StructField(sf) => self.walk(&sf.value, bound, d),
            }),
            Expr::Comprehension(c) => {
                self.walk(&c.iter_range, bound, d)?;
                let before = bound.len();
                bound.push(c.iter_var.clone());
                if let Some(v2) = &c.iter_var2 {
                    bound.push(v2.clone());
                }
                bound.push(c.accu_var.clone());
                let out = [&c.accu_init, &c.loop_cond, &c.loop_step, &c.result].into_iter().try_for_each(|x| self.walk(x, bound, d));
                bound.truncate(before);
                out
            }
            Expr::Literal(_) | Expr::Struct(_) | Expr::Unspecified | Expr::Ident(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str, cloud: bool) -> Vec<(ProblemKind, String)> {
        check_policy(text, cloud).into_iter().map(|p| (p.kind, p.to_string())).collect()
    }

    #[test]
    fn the_description_loads() {
        assert!(format().is_some_and(|f| f.action("rate-limit").is_some()));
    }

    #[test]
    fn expressions_compile_and_name_what_exists() {
        let ok = r#"{"on_http_request":[{"expressions":["req.url.path.startsWith('/api') && conn.client_ip.isPrivateIp()","hasReqHeader('x') && req.headers['x'].exists(h, h.lower() == 'y')","hash.sha256(req.host) != ''","vars.anything == 1 || has(req.url.query)"],"actions":[{"type":"deny"}]}]}"#;
        assert_eq!(kinds(ok, false), vec![]);
        for (expr, expected) in [
            ("req.url.path ==", "does not compile"),
            ("request.path == '/'", "unknown variable `request`"),
            ("req.urll == '/'", "unknown variable `req.urll`"),
            ("getReqHeaders('x').size() > 0", "unknown macro `getReqHeaders`"),
            ("hash.sha3(req.host) == ''", "unknown macro `hash.sha3`"),
        ] {
            let doc = serde_json::json!({"on_http_request": [{"expressions": [expr], "actions": [{"type": "deny"}]}]});
            let found = kinds(&doc.to_string(), false);
            assert_eq!(found.len(), 1, "{expr}: {found:?}");
            assert_eq!(found[0].0, ProblemKind::Expression);
            assert!(found[0].1.starts_with("on_http_request[0].expressions[0]: "), "{found:?}");
            assert!(found[0].1.contains(expected), "{expr}: {found:?}");
        }
    }

    #[test]
    fn refusals_carry_the_catalog_code_and_the_path() {
        let unknown = r#"{"on_http_request":[{"actions":[{"type":"no-such-action"}]}]}"#;
        let e = refusal(unknown, true).unwrap_err();
        assert_eq!(e.code, Some(2201));
        assert_eq!(e.msg, "Invalid policy action type `no-such-action`.");
        let range = r#"{"on_http_request":[{"actions":[{"type":"rate-limit","config":{"name":"n","algorithm":"sliding_window","capacity":0,"rate":"60s","bucket_key":["conn.client_ip"]}},{"type":"deny"}]}]}"#;
        let e = refusal(range, true).unwrap_err();
        assert_eq!(e.code, Some(18002));
        assert!(e.msg.contains("on_http_request[0].actions[0].config.capacity: at least 1"), "{}", e.msg);
        let e = refusal(range, false).unwrap_err();
        assert_eq!(e.code, Some(2204));
        let open = r#"{"on_http_request":[{"actions":[{"type":"add-headers","config":{"headers":{"a":"b"}}}]}]}"#;
        assert_eq!(refusal(open, true).unwrap_err().code, Some(2235));
        assert!(refusal(open, false).is_ok());
        assert_eq!(refusal("on_http_request: [", false).unwrap_err().code, Some(2236));
    }
}
