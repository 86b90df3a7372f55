//! Rules about types, their fields and enum values.

use std::collections::{BTreeMap, BTreeSet};

use ngrok_api_model::{Api, FieldType, Shape, Validate};

use super::super::SpecError;
use super::super::naming::{is_field_name, is_rust_ident};
use super::{field_error, file_of, structs, type_error};

pub(super) fn type_names_unique(api: &Api, errors: &mut Vec<SpecError>) {
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

/// Names the SDK's crate root exports: a type of `ngrok_api::types` with
/// one of them would shadow it after `use ngrok_api::types::*`.
const CRATE_ROOT_NAMES: &[&str] = &[
    "ApiErrorBody", "Client", "ClientBuilder", "Error", "ErrorKind", "Items", "Page", "Pages", "RateLimit", "Redacted",
    "ResponseFuture", "Result", "RetryPolicy", "StatusCode", "TimeoutKind", "Timestamp",
];

pub(super) fn type_rust_names(api: &Api, errors: &mut Vec<SpecError>) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for t in &api.types {
        if !is_rust_ident(&t.rust_name) {
            errors.push(type_error(api, t, format!("its Rust name `{}` is not a Rust identifier; set `rust_name`", t.rust_name)));
        }
        if CRATE_ROOT_NAMES.contains(&t.rust_name.as_str()) {
            errors.push(type_error(
                api,
                t,
                format!("its Rust name `{}` would shadow `ngrok_api::{}` after `use ngrok_api::types::*`; set `rust_name`", t.rust_name, t.rust_name),
            ));
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

pub(super) fn field_names(api: &Api, errors: &mut Vec<SpecError>) {
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

pub(super) fn field_types_exist(api: &Api, errors: &mut Vec<SpecError>) {
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
pub(super) fn field_states_exclusive(api: &Api, errors: &mut Vec<SpecError>) {
    for (t, fields) in structs(api) {
        for f in fields {
            let states = [f.nullable, f.omit_empty, f.null_when_empty].iter().filter(|s| **s).count();
            if states > 1 {
                errors.push(field_error(api, t, f, "a field is one of `nullable`, `omit_empty` or `null_when_empty`, not several"));
            }
            if f.null_when_empty && !matches!(f.ty, FieldType::List(_) | FieldType::Map(_)) {
                errors.push(field_error(
                    api,
                    t,
                    f,
                    "`null_when_empty` is for lists and maps (other types that may be null are `nullable`)",
                ));
            }
            if f.hidden && f.legacy {
                errors.push(field_error(api, t, f, "a `hidden` field is not exposed, so it cannot also be `legacy`"));
            }
        }
    }
}

pub(super) fn enum_values(api: &Api, errors: &mut Vec<SpecError>) {
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
pub(super) fn enum_aliases(api: &Api, errors: &mut Vec<SpecError>) {
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

/// Every field a computed rule reads is a field of the same type or of
/// another type of the same service (a request's `private_key_pem`).
pub(super) fn computed_sources(api: &Api, errors: &mut Vec<SpecError>) {
    use ngrok_api_model::Computed;
    for (t, fields) in structs(api) {
        let siblings: BTreeSet<&str> = structs(api)
            .filter(|(u, _)| u.name == t.name || (u.owner.is_some() && u.owner == t.owner))
            .flat_map(|(_, fs)| fs.iter().map(|f| f.name.as_str()))
            .collect();
        for f in fields {
            for from in f.computed.iter().flat_map(Computed::reads) {
                if !siblings.contains(from) {
                    let m = format!("computed from `{from}`, which is not a field of this type or its service's types");
                    errors.push(field_error(api, t, f, m));
                }
            }
        }
    }
}

/// A moment the server stamps (`rule: stamp`) goes on a timestamp field.
pub(super) fn stamps_are_timestamps(api: &Api, errors: &mut Vec<SpecError>) {
    use ngrok_api_model::Computed;
    for (t, fields) in structs(api) {
        for f in fields {
            if matches!(f.computed, Some(Computed::Stamp { .. })) && f.ty != FieldType::Timestamp {
                errors.push(field_error(api, t, f, "`rule: stamp` stamps a moment: the field must be a `timestamp`"));
            }
        }
    }
}

/// `refers_to` names a service or group and goes on fields holding IDs;
/// `shown_as` goes on ID fields.
pub(super) fn references(api: &Api, errors: &mut Vec<SpecError>) {
    for (t, fields) in structs(api) {
        for f in fields {
            if let Some(r) = &f.refers_to
                && api.referred_services(r).next().is_none()
            {
                errors.push(field_error(api, t, f, format!("refers_to names no service or group: `{r}`")));
            }
            let ids = matches!(&f.ty, FieldType::String) || f.ty == FieldType::List(Box::new(FieldType::String));
            if f.refers_to.is_some() && !ids && !matches!(f.ty, FieldType::Map(_)) {
                errors.push(field_error(api, t, f, "`refers_to` goes on an ID, a list of IDs or a map keyed by IDs"));
            }
            if f.shown_as.is_some() && !ids {
                errors.push(field_error(api, t, f, "`shown_as` goes on a field holding an ID or a list of IDs"));
            }
        }
    }
}

/// Text checks go on strings, range checks on numbers.
pub(super) fn validations_fit(api: &Api, errors: &mut Vec<SpecError>) {
    for (t, fields) in structs(api) {
        for f in fields {
            let base = match &f.ty {
                FieldType::List(inner) => inner.as_ref(),
                other @ FieldType::String | other @ FieldType::Int32 | other @ FieldType::Int64 | other @ FieldType::Uint32 | other @ FieldType::Uint64 | other @ FieldType::Float64 | other @ FieldType::Bool | other @ FieldType::Timestamp | other @ FieldType::Named(_) | other @ FieldType::Reference(_) | other @ FieldType::Map(_) => other,
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
        Validate::EndpointUrl => "endpoint_url",
        Validate::Pem => "pem",
        Validate::Hostport => "hostport",
        Validate::DomainName => "domain_name",
        Validate::CidrNetwork => "cidr_network",
        Validate::TrafficPolicy => "traffic_policy",
        Validate::CloudTrafficPolicy => "cloud_traffic_policy",
        Validate::SshPublicKey => "ssh_public_key",
        Validate::Csr => "csr",
    }
}
