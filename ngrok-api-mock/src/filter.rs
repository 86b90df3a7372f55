//! The `filter` argument of lists: a CEL expression over the object, seen as
//! the variable `obj` (e.g. `obj.metadata.contains("prod")`).

use serde::Serialize;

use crate::error::{ApiError, codes};

/// Longest filter accepted: deep nesting in a longer one could exhaust the
/// parser's stack.
const MAX_FILTER_BYTES: usize = 2048;

/// A compiled filter.
pub(crate) struct Filter {
    program: cel::Program,
    root: cel::Context<'static, 'static>,
}

impl Filter {
    pub fn compile(expr: &str) -> Result<Filter, ApiError> {
        if expr.len() > MAX_FILTER_BYTES {
            return Err(ApiError::bad_request(
                codes::BAD_FILTER,
                format!("the filter is {} bytes long; at most {MAX_FILTER_BYTES} are allowed", expr.len()),
            ));
        }
        // The parser reports most errors, but guard against a panic on
        // unusual input so a bad filter never takes a worker down.
        let parsed = std::panic::catch_unwind(|| cel::Program::compile(expr));
        match parsed {
            Ok(Ok(program)) => Ok(Filter { program, root: cel::Context::default() }),
            Ok(Err(e)) => Err(ApiError::bad_request(
                codes::BAD_FILTER,
                format!("the filter is not a valid CEL expression: {}", first_line(&e.to_string())),
            )),
            Err(_) => Err(ApiError::bad_request(codes::BAD_FILTER, "the filter is not a valid CEL expression")),
        }
    }

    /// Evaluates the filter against an object (any serializable view of it).
    pub fn matches<T: Serialize>(&self, obj: &T) -> Result<bool, ApiError> {
        let value = cel::to_value(obj).map_err(|e| {
            ApiError::bad_request(codes::BAD_FILTER, format!("the object cannot be filtered: {e}"))
        })?;
        let mut scope = self.root.new_inner_scope();
        scope.add_variable_from_value("obj", value);
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.program.execute(&scope)));
        let Ok(result) = run else {
            return Err(ApiError::bad_request(codes::BAD_FILTER, "the filter could not be evaluated"));
        };
        match result {
            Ok(cel::Value::Bool(b)) => Ok(b),
            Ok(other) => Err(ApiError::bad_request(
                codes::BAD_FILTER,
                format!("the filter must evaluate to a bool, not {:?}", other.type_of()),
            )),
            Err(e) => Err(ApiError::bad_request(codes::BAD_FILTER, format!("the filter failed: {e}"))),
        }
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_evaluate_against_obj() {
        let f = Filter::compile(r#"obj.metadata.contains("prod") && obj.id != "x""#).expect("compiles");
        assert_eq!(f.matches(&serde_json::json!({"id": "a", "metadata": "env=prod"})), Ok(true));
        assert_eq!(f.matches(&serde_json::json!({"id": "a", "metadata": "env=dev"})), Ok(false));
    }

    #[test]
    fn bad_filters_are_400() {
        let e = Filter::compile("obj.id ==").err().map(|e| (e.status, e.code));
        assert_eq!(e, Some((400, codes::BAD_FILTER)));
        let f = Filter::compile("obj.id").expect("compiles");
        assert_eq!(f.matches(&serde_json::json!({"id": "a"})).map_err(|e| e.status), Err(400));
    }
}
