//! Request bodies are checked against the body type of their operation, and
//! IDs naming other objects are turned into references.

use serde_json::{Map, Value};

use crate::error::{ApiError, codes};
use ngrok_api_model::Validate;

use crate::table::{Field, FieldType, Shape, Table};

/// Checks `body` against the struct type `type_name`: known fields only,
/// JSON types, enum values, length limits, allowed integers and the
/// `required` fields. `from_path` fields are filled from the path and may be
/// left out of the body.
pub(crate) fn check_body(
    table: &Table,
    type_name: &str,
    body: &Map<String, Value>,
    required: &[String],
    from_path: &[&str],
) -> Result<(), ApiError> {
    check_struct(table, type_name, body, "")?;
    for r in required {
        if from_path.contains(&r.as_str()) {
            continue;
        }
        let missing = match body.get(r) {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.is_empty(),
            Some(Value::Array(a)) => a.is_empty(),
            Some(_) => false,
        };
        if missing {
            return Err(ApiError::bad_request(
                codes::MISSING_FIELD,
                format!("the field `{r}` is required and was not given"),
            ));
        }
    }
    Ok(())
}

fn check_struct(table: &Table, type_name: &str, obj: &Map<String, Value>, at: &str) -> Result<(), ApiError> {
    let fields = table.fields(type_name);
    for (name, v) in obj {
        let path = if at.is_empty() { name.clone() } else { format!("{at}.{name}") };
        let Some(f) = fields.iter().find(|f| &f.name == name) else {
            let supported: Vec<&str> = fields.iter().filter(|f| !f.hidden).map(|f| f.name.as_str()).collect();
            return Err(ApiError::filled(
                400,
                codes::UNKNOWN_FIELD,
                &[("NAME", &path), ("SUPPORTED", &supported.join(", "))],
                format!("{type_name} has no such field"),
            ));
        };
        check_value(table, f, &f.ty, v, &path)?;
    }
    Ok(())
}

/// Removes the values that clients send to mean "not given": `""` for an
/// enum field and `0` for an integer field restricted to a set of values
/// that does not hold 0 (ngrok's own clients always send their empty
/// defaults). Nested objects and lists of objects are cleaned too.
pub(crate) fn drop_unset(table: &Table, type_name: &str, obj: &mut Map<String, Value>) {
    for f in table.fields(type_name) {
        let Some(v) = obj.get_mut(&f.name) else { continue };
        if unset(table, f, &f.ty, v) {
            obj.remove(&f.name);
            continue;
        }
        let item_type = match &f.ty {
            FieldType::Named(n) | FieldType::Reference(n) => Some((n, false)),
            FieldType::List(inner) => match inner.as_ref() {
                FieldType::Named(n) | FieldType::Reference(n) => Some((n, true)),
                FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::List(_) | FieldType::Map(_) => None,
            },
            FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::Map(_) => None,
        };
        let Some((n, many)) = item_type else { continue };
        if !matches!(table.ty(n).map(|t| &t.shape), Some(Shape::Struct { .. })) {
            continue;
        }
        match v {
            Value::Object(inner) if !many => drop_unset(table, n, inner),
            Value::Array(items) if many => {
                for item in items.iter_mut() {
                    if let Value::Object(inner) = item {
                        drop_unset(table, n, inner);
                    }
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) | Value::Array(_) | Value::Object(_) => {}
        }
    }
}

/// Whether `v`, given for field `f` of type `ty`, means "not given".
fn unset(table: &Table, f: &Field, ty: &FieldType, v: &Value) -> bool {
    match ty {
        FieldType::Named(n) => {
            v.as_str() == Some("") && matches!(table.ty(n).map(|t| &t.shape), Some(Shape::Enum { .. }))
        }
        FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 => {
            !f.allowed.is_empty() && !f.allowed.contains(&0) && v.as_i64() == Some(0)
        }
        FieldType::String | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::Reference(_) | FieldType::List(_) | FieldType::Map(_) => false,
    }
}

/// Checks the value of one field of the struct type `type_name` on its
/// own: the request body of an operation whose body is that field alone.
/// Error messages name the field's own fields, as the client sent them.
pub(crate) fn check_field_body(table: &Table, type_name: &str, field: &str, v: &Value) -> Result<(), ApiError> {
    match table.fields(type_name).iter().find(|f| f.name == field) {
        Some(f) => check_value(table, f, &f.ty, v, ""),
        None => Ok(()),
    }
}

fn expected(path: &str, what: &str, got: &Value) -> ApiError {
    let kind = match got {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    let subject = if path.is_empty() { "the request body".to_string() } else { format!("the field `{path}`") };
    ApiError::filled(400, codes::BAD_FIELD, &[("NAME", path)], format!("{subject} must be {what}, not {kind}"))
}

/// Checks an integer given for field `f` of integer type `ty`: its type's
/// range, the field's `min`/`max` and its allowed values.
fn check_int(f: &Field, ty: &FieldType, v: &Value, path: &str) -> Result<(), ApiError> {
    let (lo, hi): (i128, i128) = match ty {
        FieldType::Int32 => (i32::MIN.into(), i32::MAX.into()),
        FieldType::Int64 => (i64::MIN.into(), i64::MAX.into()),
        FieldType::Uint32 => (0, u32::MAX.into()),
        FieldType::String | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::Named(_) | FieldType::Reference(_) | FieldType::List(_) | FieldType::Map(_) => (0, u64::MAX.into()),
    };
    let n: Option<i128> = v.as_i64().map(i128::from).or_else(|| v.as_u64().map(i128::from));
    let Some(n) = n.filter(|n| (lo..=hi).contains(n)) else {
        return Err(expected(path, &format!("an integer from {lo} to {hi}"), v));
    };
    let (min, max) = (f.min.map(i128::from), f.max.map(i128::from));
    if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
        let range = match (min, max) {
            (Some(a), Some(b)) => format!("from {a} to {b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => String::new(),
        };
        return Err(ApiError::filled(400, codes::BAD_FIELD, &[("NAME", path)], format!("the field `{path}` is {n}; it must be {range}")));
    }
    if !f.allowed.is_empty() && !f.allowed.iter().any(|a| i128::from(*a) == n) {
        let list: Vec<String> = f.allowed.iter().map(|a| a.to_string()).collect();
        return Err(ApiError::filled(
            400,
            codes::BAD_FIELD,
            &[("NAME", path)],
            format!("the field `{path}` is {n}; it must be one of {}", list.join(", ")),
        ));
    }
    Ok(())
}

fn check_value(table: &Table, f: &Field, ty: &FieldType, v: &Value, path: &str) -> Result<(), ApiError> {
    if v.is_null() {
        return Ok(());
    }
    match ty {
        FieldType::String | FieldType::Timestamp => {
            let Some(s) = v.as_str() else { return Err(expected(path, "a string", v)) };
            if let Some(max) = f.max_bytes
                && s.len() > max as usize
            {
                return Err(ApiError::bad_request(
                    codes::TOO_LONG,
                    format!("the field `{path}` is {} bytes long; at most {max} are allowed", s.len()),
                ));
            }
            check_rule(f, s, path)?;
        }
        FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 => check_int(f, ty, v, path)?,
        FieldType::Float64 => {
            if !v.is_number() {
                return Err(expected(path, "a number", v));
            }
        }
        FieldType::Bool => {
            if !v.is_boolean() {
                return Err(expected(path, "a bool", v));
            }
        }
        FieldType::Reference(name) => {
            let Some(obj) = v.as_object() else { return Err(expected(path, "an object", v)) };
            check_struct(table, name, obj, path)?;
        }
        FieldType::Named(name) => match table.ty(name).map(|t| &t.shape) {
            Some(Shape::Enum { values }) => {
                let Some(s) = v.as_str() else { return Err(expected(path, "a string", v)) };
                if !values.iter().any(|x| x.value == s || x.aliases.iter().any(|a| a == s)) {
                    let list: Vec<&str> = values.iter().map(|x| x.value.as_str()).collect();
                    return Err(ApiError::filled(
                        400,
                        codes::BAD_FIELD,
                        &[("NAME", path)],
                        format!("the field `{path}` is `{s}`; it must be one of {}", list.join(", ")),
                    ));
                }
            }
            Some(Shape::Struct { .. }) => {
                let Some(obj) = v.as_object() else { return Err(expected(path, "an object", v)) };
                check_struct(table, name, obj, path)?;
            }
            None => {}
        },
        FieldType::List(inner) => {
            let Some(items) = v.as_array() else { return Err(expected(path, "an array", v)) };
            for (i, item) in items.iter().enumerate() {
                check_value(table, f, inner, item, &format!("{path}[{i}]"))?;
            }
        }
        FieldType::Map(inner) => {
            let Some(m) = v.as_object() else { return Err(expected(path, "an object", v)) };
            for (k, item) in m {
                check_value(table, f, inner, item, &format!("{path}.{k}"))?;
            }
        }
    }
    Ok(())
}

/// Checks a non-empty string given for field `f` against the field's
/// `validate` rule.
fn check_rule(f: &Field, s: &str, path: &str) -> Result<(), ApiError> {
    let Some(rule) = &f.validate else { return Ok(()) };
    if s.is_empty() {
        return Ok(());
    }
    // Checks whose every fault has a code of ngrok's.
    let coded = match rule {
        Validate::DomainName => crate::names::check_domain(s),
        Validate::CidrNetwork => crate::names::check_cidr_network(s),
        // A policy document is refused with the code of its first problem.
        Validate::TrafficPolicy => crate::policy::refusal(s, false),
        Validate::CloudTrafficPolicy => crate::policy::refusal(s, true),
        Validate::SshPublicKey => crate::ssh::check_public_key(s),
        Validate::Csr => crate::issue::check_csr(s),
        Validate::Cidr | Validate::Url | Validate::EndpointUrl | Validate::Hostport | Validate::Pem => Ok(()),
    };
    coded?;
    match check_format(*rule, s) {
        Err(why) => {
            let subject = if path.is_empty() { "the request body".to_string() } else { format!("the field `{path}`") };
            Err(ApiError::filled(400, codes::BAD_FIELD, &[("NAME", path)], format!("{subject} is not a valid {}: {why}", rule_name(*rule))))
        }
        Ok(()) => Ok(()),
    }
}

/// How a check is named in messages.
fn rule_name(rule: Validate) -> &'static str {
    match rule {
        Validate::Cidr | Validate::CidrNetwork => "CIDR",
        Validate::Url => "URL",
        Validate::EndpointUrl => "endpoint URL",
        Validate::Hostport => "host:port",
        Validate::Pem => "PEM text",
        Validate::DomainName => "domain name",
        Validate::TrafficPolicy | Validate::CloudTrafficPolicy => "traffic policy",
        Validate::SshPublicKey => "SSH public key",
        Validate::Csr => "certificate signing request",
    }
}

/// Checks a string against a format rule of the spec; the rules whose
/// faults have codes of their own are checked before (see `check_rule`).
pub(crate) fn check_format(rule: Validate, text: &str) -> Result<(), String> {
    match rule {
        Validate::Cidr | Validate::CidrNetwork => crate::net::check_cidr(text),
        Validate::Url => crate::net::check_url(text),
        Validate::EndpointUrl => crate::net::check_endpoint_url(text),
        Validate::Hostport => crate::net::check_hostport(text),
        Validate::Pem => crate::cert::check(text).map_err(|e| format!("it is not PEM text: {e}")),
        Validate::DomainName
        | Validate::TrafficPolicy
        | Validate::CloudTrafficPolicy
        | Validate::SshPublicKey
        | Validate::Csr => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_ranges_are_checked() {
        let f: Field = serde_json::from_value(serde_json::json!({
            "name": "port", "ty": {"type": "int64"}, "description": "", "min": 1, "max": 5
        }))
        .unwrap_or_else(|e| panic!("field: {e}"));
        assert!(check_int(&f, &f.ty, &serde_json::json!(3), "port").is_ok());
        let e = check_int(&f, &f.ty, &serde_json::json!(6), "port").err();
        assert!(e.is_some_and(|e| e.msg.contains("from 1 to 5")));
        assert!(check_int(&f, &f.ty, &serde_json::json!(0), "port").is_err());
        assert!(check_int(&f, &f.ty, &serde_json::json!("3"), "port").is_err());
    }

    #[test]
    fn formats_are_checked_by_rule() {
        assert_eq!(check_format(Validate::Cidr, "10.0.0.0/8"), Ok(()));
        assert!(check_format(Validate::Cidr, "not-a-cidr").is_err());
        assert!(check_format(Validate::CidrNetwork, "not-a-cidr").is_err());
        assert!(check_format(Validate::Url, "nope").is_err());
        assert!(check_format(Validate::Hostport, "a.example.com").is_err());
        assert!(check_format(Validate::Pem, "nope").err().is_some_and(|e| e.contains("not PEM")));
    }

    #[test]
    fn bodies_are_checked() {
        let t = crate::table::table();
        let ok = serde_json::json!({"description": "d", "ip_policy_id": "ipp_1", "action": "allow", "cidr": "1.2.3.4/32"});
        let req = vec!["cidr".to_string(), "ip_policy_id".to_string(), "action".to_string()];
        let obj = ok.as_object().cloned().unwrap_or_default();
        assert!(check_body(t, "IPPolicyRuleCreate", &obj, &req, &[]).is_ok());
        let mut bad = obj.clone();
        bad.insert("action".into(), "maybe".into());
        assert_eq!(check_body(t, "IPPolicyRuleCreate", &bad, &req, &[]).map_err(|e| e.status), Err(400));
        let mut missing = obj.clone();
        missing.remove("cidr");
        let e = check_body(t, "IPPolicyRuleCreate", &missing, &req, &[]).err();
        assert_eq!(e.map(|e| e.code), Some(codes::MISSING_FIELD));
        let mut long = obj.clone();
        long.insert("description".into(), "x".repeat(256).into());
        assert_eq!(check_body(t, "IPPolicyRuleCreate", &long, &req, &[]).err().map(|e| e.code), Some(codes::TOO_LONG));
        let mut unknown = obj;
        unknown.insert("colour".into(), "red".into());
        assert_eq!(check_body(t, "IPPolicyRuleCreate", &unknown, &req, &[]).err().map(|e| e.code), Some(codes::UNKNOWN_FIELD));
        let key = serde_json::json!({"key_size": 1024});
        let key = key.as_object().cloned().unwrap_or_default();
        assert!(check_body(t, "SSHCertificateAuthorityCreate", &key, &[], &[]).is_err());
    }
}
