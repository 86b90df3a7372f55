//! The short example on each operation's rustdoc, as plain data: the real
//! call with plausible values (IDs carry the prefix of the service they
//! name), one optional setter where the request has one, and the paging
//! loop for lists. `examples.rs.tera` writes it out. The examples are
//! compiled as doctests (`no_run`: they need a server), so a wrong
//! argument or a renamed method fails the build.

use serde::Serialize;

use crate::e2e::{Arg, Call, Setter};
use crate::spec::{Api, Field, FieldType, Operation, OperationKind, Service, Shape, rust_ident};

/// The suffix every example ID gets after its service's prefix, shaped
/// like the IDs the API returns.
const ID_SUFFIX: &str = "2f5fzLD1EoMOwvJ7SkbKSZ7zNT4";

/// One example: a call through the SDK and what is done with its answer.
#[derive(Debug, Serialize)]
pub(crate) struct Example {
    /// The call, with its required arguments and at most one setter.
    call: Call,
    /// What the example does with the answer.
    answer: Answer,
}

/// What an example does with the answer of its call.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Answer {
    /// Walks the items of every page, printing each.
    Items {
        /// Variable holding the item stream (the page's item field).
        stream: String,
        /// Variable for one item.
        item: String,
    },
    /// Prints each item of the one page answered.
    Page {
        /// The page's item field.
        field: String,
    },
    /// Binds the answer and prints it.
    Bind {
        /// Variable for the answer.
        var: String,
    },
    /// Only waits for the call to succeed.
    Done,
}

/// The example of `op`: the call, and the paging loop for lists.
pub(crate) fn op_example(api: &Api, svc: &Service, op: &Operation) -> Example {
    let mut args: Vec<Arg> = op.path_params.iter().map(|p| path_value(api, svc, p)).collect();
    args.extend(required_fields(api, op).iter().map(|f| value_of(api, f)));
    let mut call = call_of(svc, &op.name, args);
    let paged = op.paging.is_some();
    if paged {
        call.setters.push(Setter { name: "limit".into(), value: Arg::Int { value: 50 } });
    } else if let Some(setter) = optional_setter(api, op) {
        call.setters.push(Setter { name: rust_ident(&setter.name), value: value_of(api, setter) });
    }
    let answer = match (&op.items, paged) {
        (Some(items), true) => {
            let stream = rust_ident(&items.field);
            let mut item = snake_type(api, &items.item_type);
            if item == stream {
                item = "item".into();
            }
            Answer::Items { stream, item }
        }
        _ => match op.returns.as_deref() {
            Some(ret) if op.kind != OperationKind::Delete => Answer::Bind { var: snake_type(api, ret) },
            _ => Answer::Done,
        },
    };
    Example { call, answer }
}

/// The example on a service handle: its first page, or one object by ID.
pub(crate) fn service_example(api: &Api, svc: &Service) -> Option<Example> {
    let args = |op: &Operation| op.path_params.iter().map(|p| path_value(api, svc, p)).collect::<Vec<_>>();
    if let Some(list) = svc.operations.iter().find(|o| o.kind == OperationKind::List && o.items.is_some()) {
        let mut call = call_of(svc, "list", args(list));
        call.setters.push(Setter { name: "limit".into(), value: Arg::Int { value: 10 } });
        let field = list.items.as_ref().map(|i| rust_ident(&i.field)).unwrap_or_default();
        return Some(Example { call, answer: Answer::Page { field } });
    }
    let get = svc.operations.iter().find(|o| o.kind == OperationKind::Get)?;
    Some(Example { call: call_of(svc, "get", args(get)), answer: Answer::Bind { var: "found".into() } })
}

/// A call of the operation `op` of `svc` with these arguments and no setter.
fn call_of(svc: &Service, op: &str, args: Vec<Arg>) -> Call {
    Call { accessor: svc.accessor.split('.').map(rust_ident).collect(), op: rust_ident(op), args, setters: Vec::new() }
}

/// A variable name for a value of the named type (`IpPolicy` -> `ip_policy`).
fn snake_type(api: &Api, name: &str) -> String {
    let rust = api.type_def(name).map(|t| t.rust_name.as_str()).unwrap_or(name);
    rust_ident(&heck::ToSnakeCase::to_snake_case(rust))
}

/// The body fields the operation takes as arguments, in signature order.
fn required_fields<'a>(api: &'a Api, op: &Operation) -> Vec<&'a Field> {
    if op.body_field.is_some() {
        return Vec::new();
    }
    body_fields(api, op).into_iter().filter(|f| op.required.contains(&f.name)).collect()
}

/// The visible fields of the struct the request fills (the declared body,
/// or the one field of it sent as the whole body), path parameters left out.
fn body_fields<'a>(api: &'a Api, op: &Operation) -> Vec<&'a Field> {
    let Some(mut body) = op.body.as_ref().and_then(|b| api.type_def(b)) else { return Vec::new() };
    if let (Some(field), Shape::Struct { fields }) = (&op.body_field, &body.shape) {
        match fields.iter().find(|f| &f.name == field).and_then(|f| f.ty.named()).and_then(|n| api.type_def(n)) {
            Some(inner) => body = inner,
            None => return Vec::new(),
        }
    }
    match &body.shape {
        Shape::Struct { fields } => {
            fields.iter().filter(|f| !f.hidden && !op.path_params.contains(&f.name)).collect()
        }
        Shape::Enum { .. } => Vec::new(),
    }
}

/// The optional setter the example shows: the description or metadata
/// when there is one, else the first setter taking a plain value.
fn optional_setter<'a>(api: &'a Api, op: &Operation) -> Option<&'a Field> {
    let fields: Vec<&Field> = body_fields(api, op)
        .into_iter()
        .filter(|f| op.body_field.is_some() || !op.required.contains(&f.name))
        .collect();
    let plain = |f: &&&Field| {
        matches!(f.ty, FieldType::String | FieldType::Bool | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32)
            || (matches!(&f.ty, FieldType::List(inner) if **inner == FieldType::String))
    };
    ["description", "metadata"]
        .iter()
        .find_map(|name| fields.iter().find(|f| f.name == *name))
        .or_else(|| fields.iter().find(plain))
        .copied()
}

/// The value of a path parameter: an ID of the service whose objects the
/// parameter names, or a sample for other parameters.
fn path_value(api: &Api, svc: &Service, param: &str) -> Arg {
    match api.named_by(svc, param).and_then(|s| s.id_prefix.as_deref()) {
        Some(prefix) => Arg::Text { value: format!("{prefix}{ID_SUFFIX}") },
        None => Arg::Text { value: sample_string(param).into() },
    }
}

/// An ID of the service a field refers to, when it names one.
fn referred_id(api: &Api, f: &Field) -> Option<String> {
    let target = f.refers_to.as_ref().and_then(|r| api.service(r))?;
    let prefix = target.id_prefix.as_deref()?;
    Some(format!("{prefix}{ID_SUFFIX}"))
}

/// A value of the field, as its argument or setter takes it.
fn value_of(api: &Api, f: &Field) -> Arg {
    if let Some(id) = referred_id(api, f) {
        return match f.ty {
            FieldType::List(_) => Arg::TextList { value: id },
            // A map keyed by IDs (weights of backends) starts empty.
            FieldType::Map(_) => Arg::EmptyMap,
            FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::Named(_) => Arg::Text { value: id },
        };
    }
    match &f.ty {
        FieldType::String => Arg::Text { value: sample_string(&f.name).into() },
        FieldType::List(inner) if **inner == FieldType::String => Arg::TextList { value: sample_string(&f.name).into() },
        FieldType::Bool => Arg::Bool { value: true },
        FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 => {
            Arg::Int { value: f.allowed.first().copied().unwrap_or(60) }
        }
        FieldType::Float64 => Arg::Float,
        FieldType::Timestamp => Arg::Now,
        FieldType::List(_) => Arg::EmptyList,
        FieldType::Map(_) => Arg::EmptyMap,
        FieldType::Named(n) => {
            let ty = api.type_def(n).map(|t| t.rust_name.clone()).unwrap_or_default();
            match api.type_def(n).map(|t| &t.shape) {
                Some(Shape::Enum { values }) if !values.is_empty() => {
                    Arg::Variant { ty, variant: values.first().map(|v| v.rust_name.clone()).unwrap_or_default() }
                }
                _ => Arg::Default { ty },
            }
        }
    }
}

/// A plausible value for a string field or parameter, by its name.
fn sample_string(name: &str) -> &'static str {
    match name {
        "description" => "staging servers",
        "metadata" => "{\"team\":\"web\"}",
        "cidr" => "203.0.113.0/24",
        "domain" => "api.example.com",
        "name" => "example",
        "url" | "hostport" => "https://api.example.com",
        "urls" => "https://example.com/phishing-page",
        "match" => "/api",
        "traffic_policy" => "{\"on_http_request\":[{\"actions\":[{\"type\":\"deny\"}]}]}",
        "type" => "ip_policy_created.v0",
        "public_key" => "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHbm4mKZ8G0xfkY6Ssz0V3R2o7gH8qTZrNgI0pAaK2Lm",
        "certificate_pem" | "ca_pem" => "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n",
        "private_key_pem" => "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n",
        "acl" => "bind:*.example.com",
        "principals" => "deploy",
        "value" => "s3cr3t",
        _ => "example",
    }
}
