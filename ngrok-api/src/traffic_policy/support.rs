//! What the generated policy types are built on: reading and writing JSON
//! values with the path of every fault, and the checks of `validate`, each
//! driven by a field's [`Rules`].

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{ParseError, ValidationError};

mod check;
mod document;
/// YAML text read into a JSON value, generated from the same source as the
/// emulator's.
#[path = "../generated/traffic_policy_yaml.rs"]
pub(crate) mod yaml;
#[cfg(test)]
mod yaml_tests;
pub(crate) use check::*;
pub(crate) use document::*;

/// The checks of `${...}` text and of credentials, generated from the
/// same source as the emulator's.
#[path = "../generated/traffic_policy_text.rs"]
mod text;

/// The checks of expressions (`traffic-policy-cel`), generated from the
/// same source as the emulator's.
#[cfg(feature = "traffic-policy-cel")]
#[path = "../generated/traffic_policy_cel.rs"]
mod cel;

/// The path of a member: `at.name`, or `name` at the top.
#[inline]
pub(crate) fn join(at: &str, name: &str) -> String {
    if at.is_empty() { name.to_string() } else { format!("{at}.{name}") }
}

/// The path of a list item: `at[i]`.
#[inline]
pub(crate) fn index(at: &str, i: usize) -> String {
    format!("{at}[{i}]")
}

/// A value read from and written to JSON, with the path of a fault.
pub(crate) trait Json: Sized {
    /// Reads the value; `at` is its path, for errors.
    fn from_json(v: Value, at: &str) -> Result<Self, ParseError>;
    /// Writes the value.
    fn to_json(&self) -> Value;
}

impl Json for String {
    #[inline]
    fn from_json(v: Value, at: &str) -> Result<Self, ParseError> {
        match v {
            Value::String(s) => Ok(s),
            _ => Err(ParseError::new(at, "expected a string")),
        }
    }
    #[inline]
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl Json for i64 {
    #[inline]
    fn from_json(v: Value, at: &str) -> Result<Self, ParseError> {
        v.as_i64().ok_or_else(|| ParseError::new(at, "expected a whole number"))
    }
    #[inline]
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl Json for f64 {
    #[inline]
    fn from_json(v: Value, at: &str) -> Result<Self, ParseError> {
        v.as_f64().ok_or_else(|| ParseError::new(at, "expected a number"))
    }
    #[inline]
    fn to_json(&self) -> Value {
        serde_json::Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }
}

impl Json for bool {
    #[inline]
    fn from_json(v: Value, at: &str) -> Result<Self, ParseError> {
        v.as_bool().ok_or_else(|| ParseError::new(at, "expected true or false"))
    }
    #[inline]
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl Json for Value {
    #[inline]
    fn from_json(v: Value, _: &str) -> Result<Self, ParseError> {
        Ok(v)
    }
    #[inline]
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl<T: Json> Json for Vec<T> {
    #[inline]
    fn from_json(v: Value, at: &str) -> Result<Self, ParseError> {
        match v {
            Value::Array(items) => items.into_iter().enumerate().map(|(i, x)| T::from_json(x, &index(at, i))).collect(),
            _ => Err(ParseError::new(at, "expected a list")),
        }
    }
    #[inline]
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(Json::to_json).collect())
    }
}

impl<T: Json> Json for BTreeMap<String, T> {
    #[inline]
    fn from_json(v: Value, at: &str) -> Result<Self, ParseError> {
        match v {
            Value::Object(m) => m.into_iter().map(|(k, x)| T::from_json(x, &join(at, &k)).map(|x| (k, x))).collect(),
            _ => Err(ParseError::new(at, "expected an object")),
        }
    }
    #[inline]
    fn to_json(&self) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
    }
}

/// The members of an object, for a generated type to take its fields from.
#[inline]
pub(crate) fn object(v: Value, at: &str) -> Result<Map<String, Value>, ParseError> {
    match v {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        _ => Err(ParseError::new(at, "expected an object")),
    }
}

/// Takes member `name` out of `map`: `None` when absent or `null`.
#[inline]
pub(crate) fn take<T: Json>(map: &mut Map<String, Value>, at: &str, name: &str) -> Result<Option<T>, ParseError> {
    match map.remove(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => T::from_json(v, &join(at, name)).map(Some),
    }
}

/// Writes member `name` when it is set.
#[inline]
pub(crate) fn put<T: Json>(map: &mut Map<String, Value>, name: &str, value: &Option<T>) {
    if let Some(v) = value {
        map.insert(name.to_string(), v.to_json());
    }
}
