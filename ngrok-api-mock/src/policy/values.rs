//! The values of a policy's config fields: their shape first, then the
//! limits the format sets on them.

use super::*;

/// The shape of an object's known fields, in field order.
pub(super) fn fields_shape(fields: &[PolicyField], obj: &Map<String, Value>, at: &str) -> Result<(), (String, &'static str)> {
    for f in fields {
        if let Some(v) = member(obj, &f.name) {
            value_shape(&f.ty, v, &join(at, &f.name))?;
        }
    }
    Ok(())
}

pub(super) fn value_shape(ty: &PolicyType, v: &Value, at: &str) -> Result<(), (String, &'static str)> {
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
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) | Value::Array(_) => return fail("expected an object"),
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
pub(super) fn null_item(ty: &PolicyType) -> &'static str {
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

/// A problem of a value: its kind, path and message, and whether it was
/// found by compiling an expression.
pub(super) type Found = (ProblemKind, String, String, bool);

/// Every problem of an object's fields (the SDK's `validate`), in field order.
pub(super) fn check_fields(fields: &[PolicyField], obj: &Map<String, Value>, at: &str, out: &mut Vec<Found>) {
    for f in fields {
        let path = join(at, &f.name);
        match member(obj, &f.name) {
            None if f.required => out.push((ProblemKind::InvalidValue, path, "required".into(), false)),
            None => {}
            Some(v) => check_value(f, &f.ty, v, &path, false, out),
        }
        for r in &f.requires {
            if member(obj, &f.name).is_some() && member(obj, r).is_none() {
                out.push((ProblemKind::InvalidValue, join(at, r), format!("required when {} is set", f.name), false));
            }
        }
    }
}

/// The problems of one value of field `f` (of `ty`: the field's type, or its
/// items' for a list); `item` when it is an item of a list.
pub(super) fn check_value(f: &PolicyField, ty: &PolicyType, v: &Value, at: &str, item: bool, out: &mut Vec<Found>) {
    let mut push = |m: String| out.push((ProblemKind::InvalidValue, at.to_string(), m, false));
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
            if f.cel {
                interpolation(s, at, out);
            }
            if let Some(c) = &f.credentials {
                credential(s, c, at, out);
            }
        }
        PolicyType::Enum { values, .. } => {
            let Some(s) = v.as_str() else { return };
            if !values.iter().any(|x| x == s) {
                push(format!("`{s}` is not one of {}", values.join(", ")));
            }
        }
        PolicyType::Bool => {}
        PolicyType::Any => {
            if f.cel {
                text_inside(v, at, out);
            }
        }
        PolicyType::Object { fields, .. } => match v {
            Value::Object(m) => check_fields(fields, m, at, out),
            Value::Null => check_fields(fields, &Map::new(), at, out),
            Value::Bool(_) | Value::Number(_) | Value::String(_) | Value::Array(_) => {}
        },
        PolicyType::List { item: inner } => {
            if let Some(items) = v.as_array() {
                check_list(f, inner, items, at, item, out);
            }
        }
        PolicyType::Map { .. } => {
            if let Some(m) = v.as_object() {
                check_map(f, m, at, item, out);
            }
        }
    }
}

/// A map's number of entries (its own, or each item's for a list of maps),
/// then the text of its values.
fn check_map(f: &PolicyField, m: &Map<String, Value>, at: &str, item: bool, out: &mut Vec<Found>) {
    let n = m.len() as u64;
    let (min, max) = if item { (f.item_min_entries, f.item_max_entries) } else { (f.min_entries, f.max_entries) };
    if let Some(min) = min
        && n < min
    {
        out.push((ProblemKind::InvalidValue, at.to_string(), format!("at least {}", count(min, "entry", "entries")), false));
    }
    if let Some(max) = max
        && n > max
    {
        out.push((ProblemKind::InvalidValue, at.to_string(), format!("at most {}", count(max, "entry", "entries")), false));
    }
    if f.cel {
        m.iter().for_each(|(k, x)| text_inside(x, &join(at, k), out));
    }
}

/// A list's size and distinct items (for the field itself, not for a list
/// nested in it), then each item.
fn check_list(f: &PolicyField, inner: &PolicyType, items: &[Value], at: &str, item: bool, out: &mut Vec<Found>) {
    let n = items.len() as u64;
    if let Some(min) = f.min_items.filter(|_| !item)
        && n < min
    {
        out.push((ProblemKind::InvalidValue, at.to_string(), format!("at least {}", count(min, "item", "items")), false));
    }
    if let Some(max) = f.max_items.filter(|_| !item)
        && n > max
    {
        out.push((ProblemKind::InvalidValue, at.to_string(), format!("at most {}", count(max, "item", "items")), false));
    }
    if f.unique_items && !item {
        let shown: Vec<String> = items.iter().map(show).collect();
        for (i, s) in shown.iter().enumerate() {
            if shown[..i].contains(s) {
                out.push((ProblemKind::InvalidValue, index(at, i), format!("`{s}` is listed twice"), false));
            }
        }
    }
    for (i, x) in items.iter().enumerate() {
        check_value(f, inner, x, &index(at, i), true, out);
    }
}

/// A value as a problem message quotes it (as the SDK shows it).
pub(super) fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other @ Value::Null | other @ Value::Bool(_) | other @ Value::Number(_) | other @ Value::Array(_) | other @ Value::Object(_) => other.to_string(),
    }
}

pub(super) fn check_duration(f: &PolicyField, s: &str, push: &mut impl FnMut(String)) {
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

/// The text inside a JSON value, each string checked for its `${...}`.
fn text_inside(v: &Value, at: &str, out: &mut Vec<Found>) {
    match v {
        Value::String(s) => interpolation(s, at, out),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, x)| text_inside(x, &index(at, i), out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| text_inside(x, &join(at, k), out)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The `${...}` of a text: each closed, not empty, and an expression that
/// compiles and names what exists.
fn interpolation(text: &str, at: &str, out: &mut Vec<Found>) {
    match interpolations(text) {
        Err(why) => out.push((ProblemKind::Interpolation, at.to_string(), why, false)),
        Ok(found) => {
            for e in found {
                if let Err(why) = check_expression(e) {
                    out.push((ProblemKind::Interpolation, at.to_string(), format!("`${{{e}}}`: {why}"), true));
                }
            }
        }
    }
}

/// A `username:password` credential of the shape `c` gives.
fn credential(text: &str, c: &CredentialsFormat, at: &str, out: &mut Vec<Found>) {
    let (min, max) = (c.password_min_len as usize, c.password_max_len as usize);
    match check_credential(text, min, max) {
        Some(CredentialFault::Username(m)) => out.push((ProblemKind::Username, at.to_string(), m, false)),
        Some(CredentialFault::Password(m)) => out.push((ProblemKind::Password, at.to_string(), m, false)),
        None => {}
    }
}
