//! The rules a description must follow, one function per rule. Each adds
//! what it finds to the error list, so a maintainer sees every problem at
//! once. Rules about types and fields are in `types`, rules about
//! services and operations in `services`.

mod services;
mod types;

use ngrok_api_model::{Api, Field, Service, Shape, TypeDef};

use super::SpecError;
use services::*;
use types::*;

/// Every rule, in a stable order.
const RULES: &[fn(&Api, &mut Vec<SpecError>)] = &[
    type_names_unique,
    type_rust_names,
    descriptions_present,
    field_names,
    field_types_exist,
    field_states_exclusive,
    enum_values,
    enum_aliases,
    computed_sources,
    stamps_are_timestamps,
    references,
    validations_fit,
    service_rust_names_unique,
    operation_names,
    operation_methods,
    operation_types_exist,
    get_has_no_body,
    body_fields_exist,
    groups_are_not_services,
    parents,
    modules,
    clears_fields,
    next_page_nullable,
    query_filter_is_paged,
    error_codes,
    rules_fit,
    immutable_fields,
];

/// Runs every rule over `api`.
pub(crate) fn run(api: &Api, errors: &mut Vec<SpecError>) {
    for rule in RULES {
        rule(api, errors);
    }
}


/// The file a type is defined in.
pub(super) fn file_of(api: &Api, t: &TypeDef) -> String {
    match &t.owner {
        None => "shared.yaml".to_string(),
        Some(owner) => api.service(owner).map(|s| s.file.clone()).unwrap_or_default(),
    }
}

/// Every struct with its fields.
pub(super) fn structs(api: &Api) -> impl Iterator<Item = (&TypeDef, &[Field])> {
    api.types.iter().filter_map(|t| match &t.shape {
        Shape::Struct { fields } => Some((t, fields.as_slice())),
        Shape::Enum { .. } => None,
    })
}

/// An error about field `f` of type `t`.
pub(super) fn field_error(api: &Api, t: &TypeDef, f: &Field, message: impl Into<String>) -> SpecError {
    SpecError::new(&file_of(api, t), format!("type {}, field {}", t.name, f.name), message)
}

/// An error about type `t`.
pub(super) fn type_error(api: &Api, t: &TypeDef, message: impl Into<String>) -> SpecError {
    SpecError::new(&file_of(api, t), format!("type {}", t.name), message)
}

/// An error about operation `op` of service `s`.
pub(super) fn op_error(s: &Service, op: &str, message: impl Into<String>) -> SpecError {
    SpecError::new(&s.file, format!("operation {op}"), message)
}


/// The names of a struct type's fields (empty for unknown types and enums).
pub(super) fn field_names_of<'a>(api: &'a Api, name: Option<&str>) -> Vec<&'a str> {
    match name.and_then(|n| api.type_def(n)).map(|t| &t.shape) {
        Some(Shape::Struct { fields }) => fields.iter().map(|f| f.name.as_str()).collect(),
        _ => Vec::new(),
    }
}

