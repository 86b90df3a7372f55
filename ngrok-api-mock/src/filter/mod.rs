//! The `filter` argument of lists: a CEL expression over the object, seen as
//! the variable `obj` (e.g. `obj.metadata.contains("prod")`).
//!
//! A filter is parsed and type-checked against the list's item type once,
//! before any object is looked at: one that names an unknown field, does
//! not type, is not a boolean, or is too costly is refused whatever the
//! store holds. Objects are then seen through the model, so timestamp
//! fields are CEL timestamps (`obj.created_at > timestamp("2025-01-01T00:00:00Z")`).

mod check;
mod funcs;
mod types;

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use crate::error::{ApiError, codes};
use crate::table::{FieldType, Shape, Table};
use check::{Checker, Limits};
use types::first_line;

/// Longest filter accepted: deep nesting in a longer one could exhaust the
/// parser's stack.
const MAX_FILTER_BYTES: usize = 2048;

/// How long a list's filter may run, unless set otherwise.
pub(crate) const DEFAULT_DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

/// The shape and cost limits every filter must meet.
const LIMITS: Limits = Limits {
    max_nodes: 400,
    max_depth: 40,
    max_nesting: 3,
    max_cost: 100_000,
    assumed_len: 100,
};

fn bad(msg: impl Into<String>) -> ApiError {
    let msg = msg.into();
    ApiError::filled(400, codes::BAD_FILTER, &[("DETAIL", &msg)], "")
}

/// A compiled and checked filter; cheap to share between threads.
pub(crate) struct Filter {
    program: cel::Program,
    env: Arc<cel::Env>,
    item_type: String,
}

impl std::fmt::Debug for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Filter").field("item_type", &self.item_type).finish_non_exhaustive()
    }
}

impl Filter {
    /// Parses and checks `expr` for lists of `item_type`.
    pub fn compile(table: &Table, item_type: &str, expr: &str) -> Result<Filter, ApiError> {
        if expr.len() > MAX_FILTER_BYTES {
            return Err(bad(format!(
                "the filter is {} bytes long; at most {MAX_FILTER_BYTES} are allowed",
                expr.len()
            )));
        }
        let nesting = nesting(expr);
        if nesting > MAX_SOURCE_NESTING {
            return Err(bad(format!(
                "the filter nests brackets and conditionals {nesting} deep; at most {MAX_SOURCE_NESTING} are allowed"
            )));
        }
        let (src, item) = (expr, item_type.to_string());
        on_big_stack(move || {
            let env = Arc::new(cel::Env::stdlib());
            // The parser reports most errors, but guard against a panic on
            // unusual input so a bad filter never takes a worker down.
            let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| env.compile(src)));
            let program = match parsed {
                Ok(Ok(program)) => program,
                Ok(Err(e)) => {
                    let e = e.to_string();
                    return Err(bad(format!("the filter is not a valid CEL expression: {}", first_line(&e))));
                }
                Err(_) => return Err(bad("the filter is not a valid CEL expression")),
            };
            Checker::new(table, &LIMITS, &item)
                .check(program.expression())
                .map_err(|e| bad(format!("the filter cannot be used: {e}")))?;
            Ok(Filter { program, env, item_type: item })
        })
        .unwrap_or_else(|| Err(bad("the filter could not be compiled")))
    }

    /// Evaluates the filter against one object, given as the JSON the API
    /// shows for it.
    pub fn matches(&self, table: &Table, obj: &Value) -> Result<bool, ApiError> {
        let value = to_cel(table, &FieldType::Named(self.item_type.clone()), obj);
        let mut scope = cel::Context::with_env(self.env.clone());
        scope.add_variable_from_value("obj", value);
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.program.execute(&scope)));
        let Ok(result) = run else {
            return Err(bad("the filter could not be evaluated"));
        };
        match result {
            Ok(cel::Value::Bool(b)) => Ok(b),
            Ok(other) => Err(bad(format!("the filter must evaluate to a bool, not {}", other.type_of()))),
            Err(e) => Err(bad(format!("the filter failed on `{}`: {e}", id_of(obj)))),
        }
    }
}

/// Stack for parsing and evaluating filters: CEL's parser recurses deeply
/// per nesting level.
pub(crate) const STACK_BYTES: usize = 64 << 20;

/// Most brackets and conditionals a filter may nest in its source; the
/// parser's stack use grows with this.
const MAX_SOURCE_NESTING: usize = 24;

/// Runs `f` on a thread of its own with a [`STACK_BYTES`] stack; `None` if
/// no thread could be started or it panicked.
fn on_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> Option<T> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new().name("filter".into()).stack_size(STACK_BYTES).spawn_scoped(scope, f);
        handle.ok()?.join().ok()
    })
}

/// How deep the source nests brackets, and conditionals (`?`), outside
/// string literals.
fn nesting(src: &str) -> usize {
    let (mut depth, mut max, mut quote, mut escaped) = (0usize, 0usize, None, false);
    for c in src.chars() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' | '{' | '?' => {
                depth += 1;
                max = max.max(depth);
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

fn id_of(obj: &Value) -> &str {
    obj.get("id").and_then(Value::as_str).unwrap_or("an object")
}

/// The CEL value of a JSON value seen as `ty`: timestamps become CEL
/// timestamps, integers CEL ints, everything else its JSON counterpart.
fn to_cel(table: &Table, ty: &FieldType, v: &Value) -> cel::Value {
    match (ty, v) {
        (_, Value::Null) => cel::Value::Null,
        (FieldType::Timestamp, Value::String(s)) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => cel::Value::Timestamp(t),
            Err(_) => cel::Value::String(Arc::new(s.clone())),
        },
        (FieldType::Float64, Value::Number(n)) => cel::Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        (FieldType::List(inner), Value::Array(items)) => {
            cel::Value::List(Arc::new(items.iter().map(|i| to_cel(table, inner, i)).collect()))
        }
        (FieldType::Map(inner), Value::Object(m)) => {
            let map: HashMap<String, cel::Value> =
                m.iter().map(|(k, v)| (k.clone(), to_cel(table, inner, v))).collect();
            cel::Value::from(map)
        }
        (FieldType::Named(name) | FieldType::Reference(name), Value::Object(m)) => {
            let fields = match table.ty(name).map(|t| &t.shape) {
                Some(Shape::Struct { fields }) => fields.as_slice(),
                _ => &[],
            };
            let map: HashMap<String, cel::Value> = m
                .iter()
                .map(|(k, v)| {
                    let fty = fields.iter().find(|f| &f.name == k).map(|f| &f.ty);
                    (k.clone(), fty.map_or_else(|| plain(v), |t| to_cel(table, t, v)))
                })
                .collect();
            cel::Value::from(map)
        }
        _ => plain(v),
    }
}

/// The CEL value of untyped JSON.
fn plain(v: &Value) -> cel::Value {
    match v {
        Value::Null => cel::Value::Null,
        Value::Bool(b) => cel::Value::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => cel::Value::Int(i),
            (None, Some(u)) => cel::Value::UInt(u),
            _ => cel::Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => cel::Value::String(Arc::new(s.clone())),
        Value::Array(a) => cel::Value::List(Arc::new(a.iter().map(plain).collect())),
        Value::Object(m) => {
            let map: HashMap<String, cel::Value> = m.iter().map(|(k, v)| (k.clone(), plain(v))).collect();
            cel::Value::from(map)
        }
    }
}

#[cfg(test)]
mod tests;
