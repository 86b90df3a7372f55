//! An operation's arguments, worked out once from the spec: which are path
//! parameters, which body fields the method's signature takes, which are
//! optional setters (body or query), each with its Rust type and one
//! sample value. The operation renderer (`render::ops`) writes the
//! signature and setters from it, the rustdoc examples (`examples`) and
//! the end-to-end test (`e2e`) call the operation with its samples.
//!
//! The samples come from one table: a value every check of the field
//! accepts (chosen by the field's `validate` rule first, then its name),
//! so the emulator takes what the docs show.

use crate::e2e::Arg;
use crate::render::rust_type;
use crate::spec::{Api, Field, FieldType, Operation, Service, Shape, TypeDef, Validate};

/// The suffix every sample ID gets after its service's prefix, shaped like
/// the IDs the API returns.
pub(crate) const ID_SUFFIX: &str = "2f5fzLD1EoMOwvJ7SkbKSZ7zNT4";

/// A traffic policy every endpoint accepts: it denies all requests.
const SAMPLE_POLICY: &str = "{\"on_http_request\":[{\"actions\":[{\"type\":\"deny\"}]}]}";

/// Query fields the paginator sets itself, so no setter takes them.
const PAGING_FIELDS: &[&str] = &["before_id", "limit", "filter"];

/// The arguments of one operation.
pub(crate) struct OperationArgs<'a> {
    /// The struct the request fills: the declared body, or the one field of
    /// it sent as the whole body (`body_field`).
    pub(crate) body: Option<&'a TypeDef>,
    /// The path parameters, in order: the signature's first arguments.
    pub(crate) path: Vec<PathArg<'a>>,
    /// Body fields the signature takes after the path parameters.
    pub(crate) required: Vec<OpArg<'a>>,
    /// Optional body fields, each set through a setter.
    pub(crate) setters: Vec<OpArg<'a>>,
    /// Body fields the request fills from its path parameters.
    pub(crate) from_path: Vec<&'a Field>,
    /// Query fields, each set through a setter (paging ones left out: the
    /// paginator sets them).
    pub(crate) query: Vec<OpArg<'a>>,
}

/// One path parameter.
pub(crate) struct PathArg<'a> {
    /// Its name in the path template.
    pub(crate) name: &'a str,
    /// The service whose objects it names, if one does.
    pub(crate) names: Option<&'a Service>,
}

/// One body or query field the caller passes.
pub(crate) struct OpArg<'a> {
    /// The field.
    pub(crate) field: &'a Field,
    /// Its Rust type, as the request stores it.
    pub(crate) rust_type: String,
    /// A value of it the API accepts.
    pub(crate) sample: Sample<'a>,
}

/// A sample value of an argument.
#[derive(Debug, Clone)]
pub(crate) enum Sample<'a> {
    /// The ID of an object of `service` (one ID, or a list of one): a test
    /// makes the object first, an example writes an ID of its shape.
    Object {
        /// The service whose object the field names.
        service: &'a Service,
        /// The field takes a list of IDs.
        list: bool,
    },
    /// A value written as it is.
    Value(Arg),
}

impl<'a> OperationArgs<'a> {
    /// The arguments of `op`, an operation of `svc`.
    pub(crate) fn of(api: &'a Api, svc: &'a Service, op: &'a Operation) -> Self {
        let body = request_body(api, op);
        let path = op.path_params.iter().map(|p| PathArg { name: p, names: api.named_by(svc, p) }).collect();
        let mut args = OperationArgs { body, path, required: Vec::new(), setters: Vec::new(), from_path: Vec::new(), query: Vec::new() };
        for f in struct_fields(body).iter().filter(|f| !f.hidden) {
            if op.path_params.contains(&f.name) {
                args.from_path.push(f);
            } else if op.required.contains(&f.name) && op.body_field.is_none() {
                args.required.push(OpArg::of(api, f));
            } else {
                args.setters.push(OpArg::of(api, f));
            }
        }
        let query = op.query.as_ref().and_then(|q| api.type_def(q));
        args.query = struct_fields(query)
            .iter()
            .filter(|f| !f.hidden && !PAGING_FIELDS.contains(&f.name.as_str()))
            .map(|f| OpArg::of(api, f))
            .collect();
        args
    }

    /// The one optional setter an example shows: the description or
    /// metadata when the request has one, else the first taking a plain
    /// value.
    pub(crate) fn example_setter(&self) -> Option<&OpArg<'a>> {
        let plain = |a: &&OpArg<'_>| {
            matches!(a.field.ty, FieldType::String | FieldType::Bool | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32)
                || matches!(&a.field.ty, FieldType::List(inner) if **inner == FieldType::String)
        };
        ["description", "metadata"]
            .iter()
            .find_map(|name| self.setters.iter().find(|a| a.field.name == *name))
            .or_else(|| self.setters.iter().find(plain))
    }
}

impl<'a> OpArg<'a> {
    fn of(api: &'a Api, field: &'a Field) -> Self {
        OpArg { field, rust_type: rust_type(api, &field.ty), sample: sample(api, field) }
    }
}

impl PathArg<'_> {
    /// A sample of the parameter: an ID of the object it names.
    pub(crate) fn sample_id(&self) -> String {
        let prefix = self.names.and_then(|s| s.id_prefix.as_deref());
        prefix.map_or_else(|| text_sample(self.name, None).to_string(), |p| format!("{p}{ID_SUFFIX}"))
    }
}

/// The struct an operation's request fills: the declared body, or the one
/// field of it that is sent as the whole body (`body_field`).
pub(crate) fn request_body<'a>(api: &'a Api, op: &Operation) -> Option<&'a TypeDef> {
    let body = op.body.as_ref().and_then(|b| api.type_def(b))?;
    let Some(field) = &op.body_field else { return Some(body) };
    struct_fields(Some(body)).iter().find(|f| &f.name == field).and_then(|f| f.ty.named()).and_then(|n| api.type_def(n))
}

/// The fields of a struct type; none for an enum or no type.
fn struct_fields(ty: Option<&TypeDef>) -> &[Field] {
    match ty.map(|t| &t.shape) {
        Some(Shape::Struct { fields }) => fields,
        Some(Shape::Enum { .. }) | None => &[],
    }
}

/// The sample value of a field, as its argument or setter takes it.
fn sample<'a>(api: &'a Api, f: &Field) -> Sample<'a> {
    if let Some(service) = f.refers_to.as_ref().and_then(|r| api.service(r)) {
        return match f.ty {
            // A map keyed by IDs (weights of backends) starts empty.
            FieldType::Map(_) => Sample::Value(Arg::EmptyMap),
            FieldType::List(_) => Sample::Object { service, list: true },
            FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::Named(_) | FieldType::Reference(_) => Sample::Object { service, list: false },
        };
    }
    Sample::Value(match &f.ty {
        FieldType::String => match pem_sample(&f.name).filter(|_| f.validate == Some(Validate::Pem)) {
            Some((file, label)) => {
                Arg::Pem { file: file.into(), outline: format!("-----BEGIN {label}-----\n...\n-----END {label}-----\n") }
            }
            None => Arg::Text { value: text_sample(&f.name, f.validate).into() },
        },
        FieldType::List(inner) if **inner == FieldType::String => Arg::TextList { value: text_sample(&f.name, f.validate).into() },
        FieldType::Bool => Arg::Bool { value: true },
        FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 => {
            Arg::Int { value: f.allowed.first().copied().unwrap_or(60) }
        }
        FieldType::Float64 => Arg::Float,
        FieldType::Timestamp => Arg::Now,
        FieldType::List(_) => Arg::EmptyList,
        FieldType::Map(_) => Arg::EmptyMap,
        FieldType::Named(n) | FieldType::Reference(n) => {
            let ty = api.type_def(n).map(|t| t.rust_name.clone()).unwrap_or_default();
            match api.type_def(n).map(|t| &t.shape) {
                Some(Shape::Enum { values }) if !values.is_empty() => {
                    Arg::Variant { ty, variant: values.first().map(|v| v.rust_name.clone()).unwrap_or_default() }
                }
                Some(Shape::Enum { .. } | Shape::Struct { .. }) | None => Arg::Default { ty },
            }
        }
    })
}

/// The emulator's test file for a PEM field (it parses them as the server
/// does), and the kind of block it holds.
fn pem_sample(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "certificate_pem" => Some(("leaf-rsa.pem", "CERTIFICATE")),
        "private_key_pem" => Some(("key-rsa.pem", "PRIVATE KEY")),
        "ca_pem" => Some(("ca-ed25519.pem", "CERTIFICATE")),
        _ => None,
    }
}

/// A text the field's check accepts, by its `validate` rule, else a
/// plausible one by its name.
fn text_sample(name: &str, validate: Option<Validate>) -> &'static str {
    match validate {
        Some(Validate::Cidr | Validate::CidrNetwork) => return "203.0.113.0/24",
        Some(Validate::Url) => return "https://api.example.com",
        // An internal URL needs no reserved domain, whatever the endpoint.
        Some(Validate::EndpointUrl) => return "https://api.internal",
        Some(Validate::Hostport) => return "api.example.com:443",
        Some(Validate::DomainName) => return "api.example.com",
        Some(Validate::SshPublicKey) => return SSH_PUBLIC_KEY,
        Some(Validate::TrafficPolicy | Validate::CloudTrafficPolicy) => return SAMPLE_POLICY,
        Some(Validate::Pem | Validate::Csr) | None => {}
    }
    match name {
        "description" => "staging servers",
        "metadata" => "{\"team\":\"web\"}",
        "cidr" => "203.0.113.0/24",
        "domain" => "api.example.com",
        "name" => "example",
        "url" => "https://api.example.com",
        "hostport" => "api.example.com:443",
        "urls" => "https://example.com/phishing-page",
        "match" => "/api",
        "traffic_policy" => SAMPLE_POLICY,
        "type" => "ip_policy_created.v0",
        "public_key" => SSH_PUBLIC_KEY,
        "acl" => "bind:*.example.com",
        "principals" => "deploy",
        "value" => "s3cr3t",
        _ => "example",
    }
}

/// An OpenSSH Ed25519 public key that parses.
const SSH_PUBLIC_KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHbm4mKZ8G0xfkY6Ssz0V3R2o7gH8qTZrNgI0pAaK2Lm";

#[cfg(test)]
mod tests {
    use super::{OperationArgs, Sample};
    use crate::e2e::Arg;
    use crate::spec::{Api, Validate};

    fn api() -> Api {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        crate::spec::load(&dir).unwrap_or_else(|e| panic!("{e}"))
    }

    fn names(args: &[super::OpArg<'_>]) -> Vec<String> {
        args.iter().map(|a| a.field.name.clone()).collect()
    }

    #[test]
    fn a_create_takes_its_required_fields_and_sets_the_rest() {
        let api = api();
        let svc = api.service("ip_policy_rules").unwrap_or_else(|| panic!("ip_policy_rules"));
        let op = svc.operations.iter().find(|o| o.name == "create").unwrap_or_else(|| panic!("create"));
        let args = OperationArgs::of(&api, svc, op);
        assert!(args.path.is_empty());
        // In the body's order, whatever order `required` lists them in.
        let required = names(&args.required);
        assert_eq!(required.len(), 3, "{required:?}");
        for name in ["cidr", "ip_policy_id", "action"] {
            assert!(required.iter().any(|r| r == name), "{name} in {required:?}");
        }
        assert!(names(&args.setters).contains(&"description".to_string()));
        assert_eq!(args.example_setter().map(|a| a.field.name.as_str()), Some("description"));
        let policy = args.required.iter().find(|a| a.field.name == "ip_policy_id").map(|a| &a.sample);
        assert!(matches!(policy, Some(Sample::Object { service, list: false }) if service.accessor == "ip_policies"));
        let cidr = args.required.iter().find(|a| a.field.name == "cidr");
        assert_eq!(cidr.and_then(|a| a.field.validate), Some(Validate::CidrNetwork));
        assert!(matches!(cidr.map(|a| &a.sample), Some(Sample::Value(Arg::Text { value })) if value == "203.0.113.0/24"));
    }

    #[test]
    fn an_update_takes_its_key_from_the_path_and_a_list_leaves_paging_to_the_paginator() {
        let api = api();
        let svc = api.service("edges.https_routes").unwrap_or_else(|| panic!("edges.https_routes"));
        let update = svc.operations.iter().find(|o| o.name == "update").unwrap_or_else(|| panic!("update"));
        let args = OperationArgs::of(&api, svc, update);
        let path: Vec<&str> = args.path.iter().map(|p| p.name).collect();
        assert_eq!(path, ["edge_id", "id"]);
        assert!(args.path[0].sample_id().starts_with("edghts_"), "{}", args.path[0].sample_id());
        let from_path: Vec<&str> = args.from_path.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(from_path, ["edge_id", "id"]);
        assert!(args.required.is_empty());
        let list = api.service("ip_policies").and_then(|s| Some((s, s.operations.iter().find(|o| o.name == "list")?)));
        let (svc, list) = list.unwrap_or_else(|| panic!("ip_policies.list"));
        let query = names(&OperationArgs::of(&api, svc, list).query);
        assert!(!query.iter().any(|q| super::PAGING_FIELDS.contains(&q.as_str())), "{query:?}");
    }
}
