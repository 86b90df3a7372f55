//! Small text helpers the views share: doc lines, Rust type names, module
//! paths and documentation links.

use crate::spec::{Api, FieldType, Service, rust_ident};

/// Splits a description into `///` lines, escaping what rustdoc would
/// misread.
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let l = l.trim_end();
            // Bare URLs are made into links so rustdoc does not warn.
            let mut out = String::new();
            for (i, word) in l.split(' ').enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                if (word.starts_with("http://") || word.starts_with("https://")) && !word.starts_with("<") {
                    let trimmed = word.trim_end_matches(['.', ',', ')']);
                    out.push('<');
                    out.push_str(trimmed);
                    out.push('>');
                    out.push_str(&word[trimmed.len()..]);
                } else {
                    out.push_str(&word.replace('[', "\\[").replace(']', "\\]"));
                }
            }
            if out.is_empty() { out } else { format!(" {out}") }
        })
        .collect()
}

/// ngrok's API reference page of a service: the spec's `docs_url`, or the
/// page of its list (else get) call under its name in lower case
/// (`IpPolicies` -> `.../api-reference/ippolicies/list`).
pub fn docs_url(svc: &Service) -> String {
    if let Some(url) = &svc.docs_url {
        return url.clone();
    }
    let slug: String = svc.rust_name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    let page = ["list", "get"]
        .into_iter()
        .find(|name| svc.operations.iter().any(|o| o.name == *name))
        .or_else(|| svc.operations.first().map(|o| o.name.as_str()))
        .unwrap_or("list");
    format!("https://ngrok.com/docs/api-reference/{slug}/{page}")
}

/// The Rust module path of a service (`edges.https` -> `edges::https`).
pub(super) fn module_path(accessor: &str) -> String {
    accessor.split('.').map(rust_ident).collect::<Vec<_>>().join("::")
}

/// The Rust type of a field type, with named types under `crate::types`.
pub(crate) fn rust_type(api: &Api, ty: &FieldType) -> String {
    match ty {
        FieldType::String => "String".into(),
        FieldType::Int32 => "i32".into(),
        FieldType::Int64 => "i64".into(),
        FieldType::Uint32 => "u32".into(),
        FieldType::Uint64 => "u64".into(),
        FieldType::Float64 => "f64".into(),
        FieldType::Bool => "bool".into(),
        FieldType::Timestamp => "crate::runtime::Timestamp".into(),
        FieldType::Named(n) | FieldType::Reference(n) => format!("crate::types::{}", api.type_def(n).map(|t| t.rust_name.clone()).unwrap_or_default()),
        FieldType::List(t) => format!("Vec<{}>", rust_type(api, t)),
        FieldType::Map(t) => format!("std::collections::BTreeMap<String, {}>", rust_type(api, t)),
    }
}

/// The name a service's request types start with: what its objects are
/// called (the type `get` returns: `IpPolicyRule`), or for an edge module,
/// whose objects share types across edges, the service's own name
/// (`HttpsEdgeRouteBackendModule`).
pub(crate) fn resource_name(api: &Api, svc: &Service) -> String {
    if svc.module.is_some() {
        return svc.rust_name.clone();
    }
    api.type_def(&svc.resource.type_name).map_or_else(|| svc.rust_name.clone(), |t| t.rust_name.clone())
}

/// The identifier of the request builder of an operation: the resource's
/// name, the operation's and `Request` (`IpPolicyRule` and `create` ->
/// `IpPolicyRuleCreateRequest`), so no two services' requests share a name.
pub(crate) fn builder_name(resource: &str, op: &str) -> String {
    format!("{resource}{}Request", heck::ToUpperCamelCase::to_upper_camel_case(op))
}

/// The Rust name of the request type of operation `op` of `svc`.
pub fn request_name(api: &Api, svc: &Service, op: &str) -> String {
    builder_name(&resource_name(api, svc), op)
}

/// The name the request builder of an operation had before names were made
/// distinct (`create` -> `CreateRequest`), kept as a hidden alias.
pub(super) fn old_builder_name(op: &str) -> String {
    format!("{}Request", heck::ToUpperCamelCase::to_upper_camel_case(op))
}
