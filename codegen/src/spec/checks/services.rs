//! Rules about services and their operations, and the descriptions of
//! everything.

use std::collections::{BTreeMap, BTreeSet};

use ngrok_api_model::{Api, OperationKind, Shape};

use super::super::SpecError;
use super::super::naming::is_operation_name;
use super::{field_error, field_names_of, op_error, structs, type_error};

pub(super) fn descriptions_present(api: &Api, errors: &mut Vec<SpecError>) {
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

pub(super) fn service_rust_names_unique(api: &Api, errors: &mut Vec<SpecError>) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for s in &api.services {
        if let Some(prev) = seen.insert(&s.rust_name, &s.accessor) {
            let m = format!("its Rust name `{}` clashes with service `{prev}`", s.rust_name);
            errors.push(SpecError::new(&s.file, format!("service {}", s.accessor), m));
        }
    }
}

pub(super) fn operation_names(api: &Api, errors: &mut Vec<SpecError>) {
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

pub(super) fn operation_methods(api: &Api, errors: &mut Vec<SpecError>) {
    for s in &api.services {
        for op in &s.operations {
            if !matches!(op.method.as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE") {
                errors.push(op_error(s, &op.name, format!("unknown HTTP method `{}`", op.method)));
            }
        }
    }
}

pub(super) fn operation_types_exist(api: &Api, errors: &mut Vec<SpecError>) {
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

pub(super) fn get_has_no_body(api: &Api, errors: &mut Vec<SpecError>) {
    for s in &api.services {
        for op in s.operations.iter().filter(|o| o.method == "GET" && o.body.is_some()) {
            errors.push(op_error(s, &op.name, "a GET has no body"));
        }
    }
}

/// `body_field` and `required` name fields of the body type.
pub(super) fn body_fields_exist(api: &Api, errors: &mut Vec<SpecError>) {
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

pub(super) fn groups_are_not_services(api: &Api, errors: &mut Vec<SpecError>) {
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
pub(super) fn parents(api: &Api, errors: &mut Vec<SpecError>) {
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
pub(super) fn modules(api: &Api, errors: &mut Vec<SpecError>) {
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
pub(super) fn clears_fields(api: &Api, errors: &mut Vec<SpecError>) {
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
pub(super) fn next_page_nullable(api: &Api, errors: &mut Vec<SpecError>) {
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

/// A list whose query type takes a `filter` is `paging: filtered`, so the
/// SDK offers `.filter()` and the emulator applies it.
pub(super) fn query_filter_is_paged(api: &Api, errors: &mut Vec<SpecError>) {
    for s in &api.services {
        for op in &s.operations {
            let Some(Shape::Struct { fields }) = op.query.as_deref().and_then(|q| api.type_def(q)).map(|t| &t.shape) else {
                continue;
            };
            let takes_filter = fields.iter().any(|f| f.name == "filter" && !f.hidden);
            if takes_filter && !op.paging.is_some_and(|p| p.filter) {
                errors.push(op_error(s, &op.name, "its query takes a `filter`: mark the list `paging: filtered`"));
            }
        }
    }
}

/// Error codes are named once each, with a Rust name, a message and a
/// description.
pub(super) fn error_codes(api: &Api, errors: &mut Vec<SpecError>) {
    let mut numbers = BTreeSet::new();
    let mut names = BTreeSet::new();
    for c in &api.error_codes {
        let item = format!("code {}", c.code);
        let mut problem = |m: &str| errors.push(SpecError::new("error_codes.yaml", item.clone(), m));
        if !numbers.insert(c.code) {
            problem("listed twice");
        }
        if !names.insert(c.rust_name.as_str()) {
            problem("its `rust_name` is used by another code");
        }
        if !super::super::naming::is_rust_ident(&c.rust_name) || !c.rust_name.starts_with(|ch: char| ch.is_ascii_uppercase()) {
            problem("its `rust_name` is not an UpperCamelCase Rust identifier");
        }
        if c.message.trim().is_empty() || c.description.trim().is_empty() {
            problem("needs ngrok's `message` and a `description`");
        }
    }
}

/// The fields a service's objects are stored with: its resource type's
/// and those of the bodies that create or change them.
fn stored_fields(api: &Api, s: &ngrok_api_model::Service) -> BTreeSet<String> {
    s.operations
        .iter()
        .flat_map(|o| o.body.iter().chain(o.returns.iter()))
        .filter_map(|t| api.type_def(t))
        .filter_map(|t| match &t.shape {
            Shape::Struct { fields } => Some(fields.iter().map(|f| f.name.clone())),
            Shape::Enum { .. } => None,
        })
        .flatten()
        .collect()
}

/// A `must_find` rule names `lookup` fields of the service's objects and
/// fields they have.
fn must_find_fits(
    api: &Api,
    s: &ngrok_api_model::Service,
    m: &ngrok_api_model::MustFind,
    fields: &BTreeSet<String>,
    problem: &mut impl FnMut(String),
) {
    let lookups: BTreeSet<&str> = s
        .operations
        .iter()
        .filter_map(|o| o.returns.as_deref().and_then(|t| api.type_def(t)))
        .filter_map(|t| match &t.shape {
            Shape::Struct { fields } => Some(fields),
            Shape::Enum { .. } => None,
        })
        .flatten()
        .filter(|f| matches!(f.computed, Some(ngrok_api_model::Computed::Lookup { .. })))
        .map(|f| f.name.as_str())
        .collect();
    if m.lookups.is_empty() {
        problem("`must_find` names no `lookups`".to_string());
    }
    for f in m.lookups.iter().filter(|f| !lookups.contains(f.as_str())) {
        problem(format!("`must_find` names `{f}`, which is no field computed by a `lookup` rule"));
    }
    for f in m.when.keys().chain(m.fill.values()).filter(|f| !fields.contains(*f)) {
        problem(format!("`must_find` names the field `{f}`, which the service's objects do not have"));
    }
}

/// A service's rules name fields its objects have, services that exist and
/// error codes of `error_codes.yaml`; a `missing_code` goes with a
/// `refers_to` and names a known code.
pub(super) fn rules_fit(api: &Api, errors: &mut Vec<SpecError>) {
    let known_code = |code: u32| api.error_code(code).is_some();
    for s in &api.services {
        let fields = stored_fields(api, s);
        let mut problem = |m: String| errors.push(SpecError::new(&s.file, "rules".to_string(), m));
        for u in &s.rules.unique {
            for f in u.fields.iter().chain(u.fill.values()).chain(u.unless_both.iter()) {
                if !fields.contains(f) {
                    problem(format!("`unique` names the field `{f}`, which the service's objects do not have"));
                }
            }
            let mixed = u.mixed.iter().flat_map(|m| [m.new, m.existing]);
            for code in std::iter::once(u.code).chain(mixed).filter(|c| !known_code(*c)) {
                problem(format!("`unique` names the code {code}, which error_codes.yaml does not list"));
            }
            if u.mixed.is_some() && u.unless_both.is_none() {
                problem("`unique` gives `mixed` codes without `unless_both`".to_string());
            }
        }
        for r in &s.rules.in_use {
            if api.referred_services(&r.by).next().is_none() {
                problem(format!("`in_use` names `{}`, which is no service or group", r.by));
            }
            if !known_code(r.code) {
                problem(format!("`in_use` names the code {}, which error_codes.yaml does not list", r.code));
            }
            for f in r.by_name.iter().filter(|f| !fields.contains(*f)) {
                problem(format!("`in_use` names objects by the field `{f}`, which the service's objects do not have"));
            }
            for f in r.fill.values().filter(|f| !fields.contains(*f)) {
                problem(format!("`in_use` fills from the field `{f}`, which the service's objects do not have"));
            }
            let users: BTreeSet<String> = api.referred_services(&r.by).flat_map(|u| stored_fields(api, u)).collect();
            for f in std::iter::once(&r.field).chain(r.when.keys()).filter(|f| !users.contains(*f)) {
                problem(format!("`in_use` names the field `{f}`, which the objects of `{}` do not have", r.by));
            }
        }
        for m in &s.rules.must_find {
            must_find_fits(api, s, m, &fields, &mut problem);
            if !known_code(m.code) {
                problem(format!("`must_find` names the code {}, which error_codes.yaml does not list", m.code));
            }
        }
    }
    for (t, fields) in structs(api) {
        for f in fields.iter().filter(|f| f.missing_code.is_some()) {
            if f.refers_to.is_none() {
                errors.push(field_error(api, t, f, "`missing_code` goes with `refers_to`"));
            }
            if let Some(code) = f.missing_code.filter(|c| !known_code(*c)) {
                errors.push(field_error(api, t, f, format!("`missing_code` names the code {code}, which error_codes.yaml does not list")));
            }
        }
    }
}

/// The visible fields of an operation's body that the caller sets (path
/// parameters left out), if the operation has a struct body.
fn body_field_names<'a>(api: &'a Api, op: &ngrok_api_model::Operation) -> Vec<&'a ngrok_api_model::Field> {
    match op.body.as_deref().and_then(|b| api.type_def(b)).map(|t| &t.shape) {
        Some(Shape::Struct { fields }) => {
            fields.iter().filter(|f| !f.hidden && !op.path_params.contains(&f.name)).collect()
        }
        _ => Vec::new(),
    }
}

/// `immutable` marks exactly the fields a service's create takes and its
/// update does not: what the docs show as fixed at creation.
pub(super) fn immutable_fields(api: &Api, errors: &mut Vec<SpecError>) {
    let mut creates = BTreeSet::new();
    for s in &api.services {
        let find = |kind| s.operations.iter().find(|o| o.kind == kind && o.body.is_some());
        let Some(create) = find(OperationKind::Create) else { continue };
        creates.extend(create.body.clone());
        let Some(update) = find(OperationKind::Update) else { continue };
        let updated: BTreeSet<&str> = body_field_names(api, update).iter().map(|f| f.name.as_str()).collect();
        let Some(t) = create.body.as_deref().and_then(|b| api.type_def(b)) else { continue };
        for f in body_field_names(api, create) {
            let missing = !updated.contains(f.name.as_str());
            if missing && !f.immutable {
                errors.push(field_error(api, t, f, format!("`{}` does not take it: mark it `immutable: true`", update.name)));
            } else if !missing && f.immutable {
                errors.push(field_error(api, t, f, format!("is `immutable` but `{}` takes it", update.name)));
            }
        }
    }
    for (t, fields) in structs(api) {
        for f in fields.iter().filter(|f| f.immutable && !creates.contains(&t.name)) {
            errors.push(field_error(api, t, f, "is `immutable` but not a field of a create request"));
        }
    }
}
