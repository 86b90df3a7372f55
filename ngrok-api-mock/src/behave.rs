//! The behaviour the spec states for each field, applied to objects of a
//! type: enum spellings made canonical, values normalized, computed fields
//! worked out. Everything is read from the model's fields; nothing here
//! knows a service.

use serde_json::{Map, Value};

use ngrok_api_model::Computed;

use crate::compute::{self, Env, Holds, Rule};
use crate::error::{ApiError, codes};
use crate::normalize;
use crate::table::{Field, FieldType, Shape, Table};

/// What a field of this type holds, for rules whose answer depends on it.
fn holds(ty: &FieldType) -> Holds {
    match ty {
        FieldType::Reference(_) => Holds::Ref,
        FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::Named(_) | FieldType::List(_) | FieldType::Map(_) => Holds::Value,
    }
}

/// The struct type of the objects a field holds (itself or as list items).
fn struct_of<'t>(table: &'t Table, ty: &'t FieldType) -> Option<&'t str> {
    let name = match ty {
        FieldType::Named(n) | FieldType::Reference(n) => n,
        FieldType::List(inner) => match inner.as_ref() {
            FieldType::Named(n) | FieldType::Reference(n) => n,
            FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::List(_) | FieldType::Map(_) => return None,
        },
        FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::Map(_) => return None,
    };
    matches!(table.ty(name).map(|t| &t.shape), Some(Shape::Struct { .. })).then_some(name.as_str())
}

/// A step applied to one nested object, given its struct type.
type Step<'s> = dyn FnMut(&str, &mut Map<String, Value>) -> Result<(), ApiError> + 's;

/// Calls `each` on every nested object of `obj` (of struct type
/// `type_name`) with its own struct type.
fn nested(
    table: &Table,
    type_name: &str,
    obj: &mut Map<String, Value>,
    each: &mut Step<'_>,
) -> Result<(), ApiError> {
    for f in table.fields(type_name) {
        let Some(inner_type) = struct_of(table, &f.ty) else { continue };
        match obj.get_mut(&f.name) {
            Some(Value::Object(inner)) => each(inner_type, inner)?,
            Some(Value::Array(items)) => {
                for item in items.iter_mut() {
                    if let Value::Object(inner) = item {
                        each(inner_type, inner)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The server's spelling of an enum value given as `given` (an alias, or
/// the value itself), when `ty` is an enum type.
fn canonical<'t>(table: &'t Table, ty: &FieldType, given: &str) -> Option<&'t str> {
    let FieldType::Named(name) = ty else { return None };
    let Some(Shape::Enum { values }) = table.ty(name).map(|t| &t.shape) else { return None };
    values.iter().find(|v| v.aliases.iter().any(|a| a == given)).map(|v| v.value.as_str())
}

/// Rewrites one value of field `f`: enum aliases to the server's spelling,
/// then the field's normalization rules.
fn rewrite(table: &Table, f: &Field, v: &mut Value) {
    let item_ty = match &f.ty {
        FieldType::List(inner) => inner.as_ref(),
        other @ FieldType::String | other @ FieldType::Int32 | other @ FieldType::Int64 | other @ FieldType::Uint32 | other @ FieldType::Uint64 | other @ FieldType::Float64 | other @ FieldType::Bool | other @ FieldType::Timestamp | other @ FieldType::Named(_) | other @ FieldType::Reference(_) | other @ FieldType::Map(_) => other,
    };
    match v {
        Value::String(s) => {
            if let Some(c) = canonical(table, item_ty, s) {
                *s = c.to_string();
            }
        }
        Value::Array(items) => {
            for item in items.iter_mut() {
                if let Value::String(s) = item
                    && let Some(c) = canonical(table, item_ty, s)
                {
                    *s = c.to_string();
                }
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::Object(_) => {}
    }
    for rule in &f.normalize {
        normalize::apply(*rule, v);
    }
}

/// Makes the values of `obj` (of struct type `type_name`, nested objects
/// included) what the server keeps: enum aliases in the server's spelling,
/// normalization rules applied.
pub(crate) fn prepare(table: &Table, type_name: &str, obj: &mut Map<String, Value>) {
    for f in table.fields(type_name) {
        if let Some(v) = obj.get_mut(&f.name) {
            rewrite(table, f, v);
        }
    }
    let _ = nested(table, type_name, obj, &mut |t, inner| {
        prepare(table, t, inner);
        Ok(())
    });
}

/// When an object is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Write {
    /// Made by a create request: values shown once are minted.
    Create,
    /// Changed or replaced.
    Change,
    /// Seeded: a reference given stays even where its lookup finds nothing.
    Seed,
}

/// Works out the computed fields of `obj` (of struct type `type_name`,
/// nested objects included) after applying the type's normalization
/// rules. Values the server shows once (a minted token) are not kept in
/// `obj`: on [`Write::Create`] they are returned, to be added to the answer.
pub(crate) fn complete(
    table: &Table,
    env: &Env<'_>,
    type_name: &str,
    obj: &mut Map<String, Value>,
    write: Write,
) -> Result<Map<String, Value>, ApiError> {
    prepare(table, type_name, obj);
    let mut once = Map::new();
    // Issued material is signed over the other fields, so it comes last.
    let fields = table.fields(type_name).iter().filter(|f| !f.hidden);
    let rules: Vec<(&Field, Rule<'_>)> = fields.filter_map(|f| f.computed.as_ref().map(|c| (f, Rule::of(c)))).collect();
    // What depends only on the request comes first, since other rules read
    // it (`later` counts from `created_at`, a key pair is of `key_type`).
    let (early, rules): (Vec<_>, Vec<_>) = rules.into_iter().partition(|(_, r)| compute::before_the_rest(r));
    let (last, first): (Vec<_>, Vec<_>) = rules.into_iter().partition(|(_, r)| compute::after_the_rest(r));
    for (f, rule) in early.into_iter().chain(first).chain(last) {
        // A seeded object keeps the moments it is given.
        if write == Write::Seed && matches!(rule, Rule::Stamp { .. }) && !compute::is_empty(obj.get(&f.name)) {
            continue;
        }
        if compute::shown_once(&rule) {
            if write == Write::Create
                && let Some(v) = compute::value(&f.name, &rule, holds(&f.ty), obj, env).map_err(bad_source)?
            {
                once.insert(f.name.clone(), v);
            }
            continue;
        }
        // A reference follows its URL: where the lookup finds nothing (the
        // URL moved), the old reference goes.
        if write != Write::Seed && matches!(rule, Rule::Lookup { from, .. } if !compute::is_empty(obj.get(from))) {
            obj.remove(&f.name);
        }
        compute::apply(&f.name, &rule, holds(&f.ty), obj, env)?;
    }
    nested(table, type_name, obj, &mut |t, inner| complete(table, &env.fresh(), t, inner, write).map(|_| ()))?;
    Ok(once)
}

/// Stamps the moment fields of `obj` (of struct type `type_name`) for an
/// object made without the rest of [`complete`] (an item of a nested
/// collection given inside its parent's request).
pub(crate) fn stamp(table: &Table, now: u64, type_name: &str, obj: &mut Map<String, Value>) {
    for f in table.fields(type_name).iter().filter(|f| !f.hidden) {
        if matches!(f.computed, Some(Computed::Stamp { .. })) && compute::is_empty(obj.get(&f.name)) {
            obj.insert(f.name.clone(), Value::String(crate::util::rfc3339(now)));
        }
    }
}

/// Sets the fields of `obj` (of struct type `type_name`) that hold the
/// object's own URI (`self_uri`) to `uri`. A seeded object keeps one it is
/// given, and gets none where the type may leave it out (`omit_empty`).
pub(crate) fn locate(table: &Table, type_name: &str, obj: &mut Map<String, Value>, uri: &str, write: Write) {
    for f in table.fields(type_name).iter().filter(|f| matches!(f.computed, Some(Computed::SelfUri))) {
        if write == Write::Seed && (obj.contains_key(&f.name) || f.omit_empty) {
            continue;
        }
        obj.insert(f.name.clone(), Value::String(uri.to_string()));
    }
}

fn bad_source(msg: String) -> ApiError {
    ApiError::bad_request(codes::BAD_FIELD, msg)
}

/// Every lookup of the model that the emulator cannot work out, as
/// `Type.field` (empty when it can do them all): the service it searches
/// and the field it matches must exist, and it must read its URL from a
/// field of the same type. (Every other rule's part is a model enum the
/// compiler makes `compute` handle.)
#[cfg(test)]
pub(crate) fn unknown_rules(table: &Table) -> Vec<String> {
    let mut out = Vec::new();
    for t in table.type_names() {
        let fields = table.fields(t);
        for f in fields {
            let Some(c) = &f.computed else { continue };
            let rule = Rule::of(c);
            let unresolved = matches!(rule, Rule::Lookup { from, service, field, .. }
                if !fields.iter().any(|g| g.name == from) || !compute::lookup_resolves(service, field));
            if unresolved {
                out.push(format!("{t}.{}: {c:?}", f.name));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_emulator_knows_every_computed_rule_of_the_model() {
        assert_eq!(unknown_rules(crate::table::table()), Vec::<String>::new());
    }
}
