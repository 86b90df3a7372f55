//! The rules a description must follow, one function per rule. Each adds
//! what it finds to the error list, so a maintainer sees every problem at
//! once.

use std::collections::{BTreeMap, BTreeSet};

use ngrok_api_model::{Api, Field, FieldType, Service, Shape, TypeDef, Validate};

use super::SpecError;
use super::naming::{is_field_name, is_operation_name, is_rust_ident};

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
];

/// Runs every rule over `api`.
pub(crate) fn run(api: &Api, errors: &mut Vec<SpecError>) {
    for rule in RULES {
        rule(api, errors);
    }
}

/// The file a type is defined in.
fn file_of(api: &Api, t: &TypeDef) -> String {
    match &t.owner {
        None => "shared.yaml".to_string(),
        Some(owner) => api.service(owner).map(|s| s.file.clone()).unwrap_or_default(),
    }
}

/// Every struct with its fields.
fn structs(api: &Api) -> impl Iterator<Item = (&TypeDef, &[Field])> {
    api.types.iter().filter_map(|t| match &t.shape {
        Shape::Struct { fields } => Some((t, fields.as_slice())),
        Shape::Enum { .. } => None,
    })
}

fn field_error(api: &Api, t: &TypeDef, f: &Field, message: impl Into<String>) -> SpecError {
    SpecError::new(&file_of(api, t), format!("type {}, field {}", t.name, f.name), message)
}

fn type_error(api: &Api, t: &TypeDef, message: impl Into<String>) -> SpecError {
    SpecError::new(&file_of(api, t), format!("type {}", t.name), message)
}

fn op_error(s: &Service, op: &str, message: impl Into<String>) -> SpecError {
    SpecError::new(&s.file, format!("operation {op}"), message)
}

fn type_names_unique(api: &Api, errors: &mut Vec<SpecError>) {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for t in &api.types {
        let file = file_of(api, t);
        match seen.get(t.name.as_str()) {
            Some(prev) => errors.push(type_error(api, t, format!("duplicate type name (also defined in {prev})"))),
            None => {
                seen.insert(&t.name, file);
            }
        }
    }
}

fn type_rust_names(api: &Api, errors: &mut Vec<SpecError>) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for t in &api.types {
        if !is_rust_ident(&t.rust_name) {
            errors.push(type_error(api, t, format!("its Rust name `{}` is not a Rust identifier; set `rust_name`", t.rust_name)));
        }
        match seen.get(t.rust_name.as_str()) {
            Some(prev) if *prev != t.name => errors.push(type_error(
                api,
                t,
                format!("its Rust name `{}` clashes with type `{prev}`; set `rust_name`", t.rust_name),
            )),
            Some(_) => {}
            None => {
                seen.insert(&t.rust_name, &t.name);
            }
        }
    }
}

fn descriptions_present(api: &Api, errors: &mut Vec<SpecError>) {
    for t in &api.types {
        if t.description.is_empty() {
            errors.push(type_error(api, t, "has no description"));
        }
    }
    for (t, fields) in structs(api) {
        for f in fields.iter().filter(|f| f.description.is_empty()) {
            errors.push(field_error(api, t, f, "has no description"));
        }
    }
    for s in &api.services {
        if s.description.is_empty() {
            errors.push(SpecError::new(&s.file, format!("service {}", s.accessor), "has no description"));
        }
        for op in s.operations.iter().filter(|o| o.description.is_empty()) {
            errors.push(op_error(s, &op.name, "has no description"));
        }
    }
}

fn field_names(api: &Api, errors: &mut Vec<SpecError>) {
    for (t, fields) in structs(api) {
        let mut seen = BTreeSet::new();
        for f in fields {
            if !seen.insert(&f.name) {
                errors.push(field_error(api, t, f, "duplicate field name"));
            }
            if !is_field_name(&f.name) {
                errors.push(field_error(api, t, f, "field names are snake_case words that make a Rust identifier"));
            }
        }
    }
}

fn field_types_exist(api: &Api, errors: &mut Vec<SpecError>) {
    for (t, fields) in structs(api) {
        for f in fields {
            if let Some(n) = f.ty.named()
                && api.type_def(n).is_none()
            {
                errors.push(field_error(api, t, f, format!("unknown type `{n}`")));
            }
        }
    }
}

/// A field is nullable, omitted when empty, or always sent; hidden or legacy.
fn field_states_exclusive(api: &Api, errors: &mut Vec<SpecError>) {
    for (t, fields) in structs(api) {
        for f in fields {
            if f.nullable && f.omit_empty {
                errors.push(field_error(api, t, f, "a field is `nullable` or `omit_empty`, not both"));
            }
            if f.hidden && f.legacy {
                errors.push(field_error(api, t, f, "a `hidden` field is not exposed, so it cannot also be `legacy`"));
            }
        }
    }
}

fn enum_values(api: &Api, errors: &mut Vec<SpecError>) {
    for t in &api.types {
        let Shape::Enum { values } = &t.shape else { continue };
        if values.is_empty() {
            errors.push(type_error(api, t, "an enum needs at least one value"));
        }
        let mut seen = BTreeSet::new();
        for v in values {
            let item = format!("type {}, value {}", t.name, v.value);
            if !is_rust_ident(&v.rust_name) {
                let m = format!("variant name `{}` is not a Rust identifier; set `rust_name`", v.rust_name);
                errors.push(SpecError::new(&file_of(api, t), &item, m));
            }
            if !seen.insert(&v.rust_name) || v.rust_name == "Unknown" {
                let m = format!("variant name `{}` is taken; set `rust_name`", v.rust_name);
                errors.push(SpecError::new(&file_of(api, t), &item, m));
            }
        }
    }
}

/// Every spelling (value or alias) of an enum names one value only.
fn enum_aliases(api: &Api, errors: &mut Vec<SpecError>) {
    for t in &api.types {
        let Shape::Enum { values } = &t.shape else { continue };
        let mut seen = BTreeSet::new();
        for v in values {
            for spelling in std::iter::once(&v.value).chain(&v.aliases) {
                if !seen.insert(spelling.as_str()) {
                    let m = format!("the spelling `{spelling}` is used twice");
                    errors.push(SpecError::new(&file_of(api, t), format!("type {}, value {}", t.name, v.value), m));
                }
            }
        }
    }
}

/// A value computed from another field names a field of the same type or
/// of another type of the same service (a request's `private_key_pem`).
fn computed_sources(api: &Api, errors: &mut Vec<SpecError>) {
    use ngrok_api_model::Computed;
    for (t, fields) in structs(api) {
        let siblings: BTreeSet<&str> = structs(api)
            .filter(|(u, _)| u.name == t.name || (u.owner.is_some() && u.owner == t.owner))
            .flat_map(|(_, fs)| fs.iter().map(|f| f.name.as_str()))
            .collect();
        for f in fields {
            let from = match &f.computed {
                Some(Computed::Pem { from, .. } | Computed::Url { from, .. }) => from,
                Some(Computed::Assigned { from: Some(from), .. }) => from,
                _ => continue,
            };
            if !siblings.contains(from.as_str()) {
                let m = format!("computed from `{from}`, which is not a field of this type or its service's types");
                errors.push(field_error(api, t, f, m));
            }
        }
    }
}

/// `refers_to` names a service or group; `shown_as` goes on ID fields.
fn references(api: &Api, errors: &mut Vec<SpecError>) {
    for (t, fields) in structs(api) {
        for f in fields {
            if let Some(r) = &f.refers_to
                && api.referred_services(r).next().is_none()
            {
                errors.push(field_error(api, t, f, format!("refers_to names no service or group: `{r}`")));
            }
            let ids = matches!(&f.ty, FieldType::String) || f.ty == FieldType::List(Box::new(FieldType::String));
            if f.shown_as.is_some() && !ids {
                errors.push(field_error(api, t, f, "`shown_as` goes on a field holding an ID or a list of IDs"));
            }
        }
    }
}

/// Text checks go on strings, range checks on numbers.
fn validations_fit(api: &Api, errors: &mut Vec<SpecError>) {
    for (t, fields) in structs(api) {
        for f in fields {
            let base = match &f.ty {
                FieldType::List(inner) => inner.as_ref(),
                other => other,
            };
            if f.validate.is_some() && *base != FieldType::String {
                let rule = f.validate.map(validate_name).unwrap_or_default();
                errors.push(field_error(api, t, f, format!("`validate: {rule}` applies to strings or lists of strings")));
            }
            let numeric = matches!(f.ty, FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64);
            if (f.min.is_some() || f.max.is_some()) && !numeric {
                errors.push(field_error(api, t, f, "`min` and `max` apply to integers"));
            }
        }
    }
}

fn validate_name(v: Validate) -> &'static str {
    match v {
        Validate::Cidr => "cidr",
        Validate::Url => "url",
        Validate::Pem => "pem",
        Validate::Hostport => "hostport",
    }
}

fn service_rust_names_unique(api: &Api, errors: &mut Vec<SpecError>) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for s in &api.services {
        if let Some(prev) = seen.insert(&s.rust_name, &s.accessor) {
            let m = format!("its Rust name `{}` clashes with service `{prev}`", s.rust_name);
            errors.push(SpecError::new(&s.file, format!("service {}", s.accessor), m));
        }
    }
}

fn operation_names(api: &Api, errors: &mut Vec<SpecError>) {
    for s in &api.services {
        let mut seen = BTreeSet::new();
        for op in &s.operations {
            if !seen.insert(&op.name) {
                errors.push(op_error(s, &op.name, "duplicate operation name"));
            }
            if !is_operation_name(&op.name) {
                errors.push(op_error(s, &op.name, "operation names are snake_case"));
            }
        }
    }
}

fn operation_methods(api: &Api, errors: &mut Vec<SpecError>) {
    for s in &api.services {
        for op in &s.operations {
            if !matches!(op.method.as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE") {
                errors.push(op_error(s, &op.name, format!("unknown HTTP method `{}`", op.method)));
            }
        }
    }
}

fn operation_types_exist(api: &Api, errors: &mut Vec<SpecError>) {
    for s in &api.services {
        for op in &s.operations {
            for r in [&op.body, &op.returns, &op.query].into_iter().flatten() {
                if api.type_def(r).is_none() {
                    errors.push(op_error(s, &op.name, format!("unknown type `{r}`")));
                }
            }
        }
    }
}

fn get_has_no_body(api: &Api, errors: &mut Vec<SpecError>) {
    for s in &api.services {
        for op in s.operations.iter().filter(|o| o.method == "GET" && o.body.is_some()) {
            errors.push(op_error(s, &op.name, "a GET has no body"));
        }
    }
}

/// The names of a struct type's fields (empty for unknown types and enums).
fn field_names_of<'a>(api: &'a Api, name: Option<&str>) -> Vec<&'a str> {
    match name.and_then(|n| api.type_def(n)).map(|t| &t.shape) {
        Some(Shape::Struct { fields }) => fields.iter().map(|f| f.name.as_str()).collect(),
        _ => Vec::new(),
    }
}

/// `body_field` and `required` name fields of the body type.
fn body_fields_exist(api: &Api, errors: &mut Vec<SpecError>) {
    for s in &api.services {
        for op in &s.operations {
            let body = field_names_of(api, op.body.as_deref());
            if let Some(bf) = &op.body_field
                && !body.contains(&bf.as_str())
            {
                errors.push(op_error(s, &op.name, format!("body_field `{bf}` is not a field of the body")));
            }
            for r in op.required.iter().filter(|r| !body.contains(&r.as_str())) {
                errors.push(op_error(s, &op.name, format!("required field `{r}` is not a field of the body")));
            }
        }
    }
}

fn groups_are_not_services(api: &Api, errors: &mut Vec<SpecError>) {
    for s in &api.services {
        if let Some(g) = s.group()
            && api.service(g).is_some()
        {
            let m = format!("`{g}` is a group of services and cannot also be a service");
            errors.push(SpecError::new(&s.file, format!("service {}", s.accessor), m));
        }
    }
}

/// A nested collection's parent is a service, and its parameter is in every path.
fn parents(api: &Api, errors: &mut Vec<SpecError>) {
    for s in &api.services {
        let Some(p) = &s.parent else { continue };
        let item = format!("service {}", s.accessor);
        if api.service(&p.service).is_none() || p.service == s.accessor {
            errors.push(SpecError::new(&s.file, &item, format!("parent `{}` is not another service", p.service)));
        }
        if s.operations.iter().any(|o| !o.path_params.contains(&p.param)) {
            let m = format!("parent parameter `{}` is not in the path of every operation", p.param);
            errors.push(SpecError::new(&s.file, &item, m));
        }
    }
}

/// A module lives in a field of the objects another service returns.
fn modules(api: &Api, errors: &mut Vec<SpecError>) {
    for s in &api.services {
        let Some(m) = &s.module else { continue };
        let item = format!("service {}", s.accessor);
        let Some(owner) = api.service(&m.of) else {
            errors.push(SpecError::new(&s.file, &item, format!("module of `{}`, which is not a service", m.of)));
            continue;
        };
        let returns = owner.operations.iter().find_map(|o| o.returns.as_deref().filter(|_| o.name == "get"));
        if !field_names_of(api, returns).contains(&m.field.as_str()) {
            let msg = format!("module field `{}` is not a field of what `{}` returns", m.field, m.of);
            errors.push(SpecError::new(&s.file, &item, msg));
        }
        if s.id_prefix.is_some() {
            errors.push(SpecError::new(&s.file, &item, "a module has no objects of its own, so no `id_prefix`"));
        }
    }
}

/// `clears` names a field of the objects the service returns.
fn clears_fields(api: &Api, errors: &mut Vec<SpecError>) {
    for s in &api.services {
        let returns = s.operations.iter().find_map(|o| o.returns.as_deref().filter(|_| o.name == "get"));
        let fields = field_names_of(api, returns);
        for op in &s.operations {
            if let Some(c) = &op.clears
                && !fields.contains(&c.as_str())
            {
                errors.push(op_error(s, &op.name, format!("clears `{c}`, which is not a field of the service's objects")));
            }
        }
    }
}

/// A page's `next_page_uri` is `null` on the last page.
fn next_page_nullable(api: &Api, errors: &mut Vec<SpecError>) {
    let pages: BTreeSet<&str> = api
        .services
        .iter()
        .flat_map(|s| &s.operations)
        .filter(|o| o.paging.is_some())
        .filter_map(|o| o.returns.as_deref())
        .collect();
    for (t, fields) in structs(api).filter(|(t, _)| pages.contains(t.name.as_str())) {
        for f in fields.iter().filter(|f| f.name == "next_page_uri" && !f.nullable) {
            errors.push(field_error(api, t, f, "the API sends `null` on the last page: mark it `nullable: true`"));
        }
    }
}
