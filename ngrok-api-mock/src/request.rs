//! Request bodies as the emulator keeps them: parsed, with the values that
//! mean "not given" removed and the spec's rewrites applied.

use serde_json::{Map, Value};

use crate::behave;
use crate::error::{ApiError, codes};
use crate::table::{Operation, Table};
use crate::validate::{check_field_body, drop_unset};

fn parse_body(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::filled(400, codes::BAD_JSON, &[("CTYPE", "application/json")], "the request body must be a JSON object")),
        Err(e) => Err(ApiError::filled(400, codes::BAD_JSON, &[("CTYPE", "application/json")], format!("the request body is not valid JSON: {e}"))),
    }
}

/// The body of a request to `op`, as a map of the fields of its body type,
/// with the values that mean "not given" removed. When the operation's body
/// is one field of its body type (`body_field`), the request carries that
/// field's value alone; it is checked on its own and returned under the
/// field's name.
pub(crate) fn parse_request(table: &Table, op: &Operation, bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let body_type = op.body.as_deref().unwrap_or_default();
    let Some(field) = &op.body_field else {
        let mut body = parse_body(bytes)?;
        drop_unset(table, body_type, &mut body);
        behave::prepare(table, body_type, &mut body);
        return Ok(body);
    };
    let value = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        serde_json::from_slice::<Value>(bytes)
            .map_err(|e| ApiError::filled(400, codes::BAD_JSON, &[("CTYPE", "application/json")], format!("the request body is not valid JSON: {e}")))?
    };
    let mut body = Map::new();
    if value.is_null() {
        if op.required.contains(field) {
            return Err(ApiError::bad_request(
                codes::MISSING_FIELD,
                format!("the request body is the `{field}` to store, and none was given"),
            ));
        }
        return Ok(body);
    }
    body.insert(field.clone(), value);
    drop_unset(table, body_type, &mut body);
    behave::prepare(table, body_type, &mut body);
    if let Some(v) = body.get(field) {
        check_field_body(table, body_type, field, v)?;
    }
    Ok(body)
}
