//! Plans the end-to-end test that calls every operation of every service
//! through the SDK against the emulator. The plan is derived from the spec:
//! which resource an operation's path parameters name, which resources a
//! create needs first (`refers_to`), and sample values for required
//! arguments. Resources nobody can create through the API are seeded.

use serde::Serialize;

use crate::spec::{Api, Field, FieldType, Operation, OperationKind, Service, Shape};
use crate::spec::rust_ident;

/// One generated test: a service and the statements that exercise it.
#[derive(Debug, Serialize)]
pub struct ServiceTest {
    /// Test function name.
    pub name: String,
    /// Statements of the test body.
    pub body: Vec<String>,
}

/// A helper that makes one resource of a service and returns the values of
/// its item path's parameters.
#[derive(Debug, Serialize)]
pub struct Maker {
    /// Function name, `make_<service>`.
    pub name: String,
    /// Statements; the last evaluates to `Vec<String>`.
    pub body: Vec<String>,
}

/// The whole plan.
#[derive(Debug, Serialize)]
pub struct Plan {
    /// One maker per service that has resources of its own.
    pub makers: Vec<Maker>,
    /// One test per service.
    pub tests: Vec<ServiceTest>,
}

fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push_str("{}");
            }
            '}' => depth -= 1,
            _ if depth > 0 => {}
            c => out.push(c),
        }
    }
    out
}

fn item_op(svc: &Service) -> Option<&Operation> {
    svc.operations.iter().find(|o| o.kind == OperationKind::Get)
}

fn create_op(svc: &Service) -> Option<&Operation> {
    svc.operations.iter().find(|o| o.kind == OperationKind::Create)
}

fn accessor_call(svc: &Service) -> String {
    format!("client.{}()", svc.accessor.split('.').map(rust_ident).collect::<Vec<_>>().join("()."))
}

fn maker_name(svc: &Service) -> String {
    format!("make_{}", svc.accessor.replace('.', "_"))
}

/// The service whose items live at `path` (a path with `{}` placeholders).
fn service_at<'a>(api: &'a Api, path_shape: &str) -> Option<&'a Service> {
    api.services.iter().find(|s| item_op(s).is_some_and(|g| shape(&g.path) == path_shape) && s.group() != Some("edge_modules"))
}

fn sample_string(name: &str) -> &'static str {
    match name {
        "cidr" => "10.0.0.0/8",
        "domain" | "name" => "example.com",
        "url" => "https://example.com",
        "urls" => "https://example.com/abuse",
        "match" => "/",
        "traffic_policy" => "{}",
        "public_key" => "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e",
        "type" => "ip_policy_created.v0",
        _ => "e2e",
    }
}

/// The emulator's test certificate or key for a PEM field: the emulator
/// parses them as the server does.
fn sample_pem(name: &str) -> Option<&'static str> {
    match name {
        "certificate_pem" => Some("leaf-rsa.pem"),
        "private_key_pem" => Some("key-rsa.pem"),
        "ca_pem" => Some("ca-ed25519.pem"),
        _ => None,
    }
}

/// A Rust expression for a required argument, and the statements that
/// must run first (making referenced resources).
fn argument(api: &Api, f: &Field, pre: &mut Vec<String>, counter: &mut usize) -> String {
    if let Some(target) = f.refers_to.as_ref().and_then(|r| api.service(r)) {
        *counter += 1;
        let var = format!("dep{counter}");
        pre.push(format!("let {var} = {}(client, mock).await;", maker_name(target)));
        return match &f.ty {
            FieldType::List(_) => format!("[{var}.last().cloned().unwrap_or_default()]"),
            _ => format!("{var}.last().cloned().unwrap_or_default()"),
        };
    }
    if let Some(file) = sample_pem(&f.name) {
        return format!("include_str!(\"../../ngrok-api-mock/testdata/{file}\")");
    }
    match &f.ty {
        FieldType::String => format!("{:?}", sample_string(&f.name)),
        FieldType::Bool => "true".into(),
        FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 => {
            f.allowed.first().map(|v| v.to_string()).unwrap_or_else(|| "1".into())
        }
        FieldType::Float64 => "1.0".into(),
        FieldType::Timestamp => "ngrok_api::Timestamp::now()".into(),
        FieldType::List(inner) if **inner == FieldType::String => format!("[{:?}]", sample_string(&f.name)),
        FieldType::List(_) => "[]".into(),
        FieldType::Map(_) => "std::collections::BTreeMap::new()".into(),
        FieldType::Named(n) => match api.type_def(n).map(|t| &t.shape) {
            Some(Shape::Enum { values }) => format!(
                "types::{}::{}",
                api.type_def(n).map(|t| t.rust_name.as_str()).unwrap_or(""),
                values.first().map(|v| v.rust_name.as_str()).unwrap_or("")
            ),
            _ => format!("types::{}::default()", api.type_def(n).map(|t| t.rust_name.as_str()).unwrap_or("")),
        },
    }
}

fn required_args(api: &Api, op: &Operation, pre: &mut Vec<String>, counter: &mut usize) -> Vec<String> {
    // A body sent through one field (an edge module) is built with setters.
    if op.body_field.is_some() {
        return Vec::new();
    }
    let Some(Shape::Struct { fields }) = op.body.as_ref().and_then(|b| api.type_def(b)).map(|t| &t.shape) else {
        return Vec::new();
    };
    fields
        .iter()
        .filter(|f| !f.hidden && op.required.contains(&f.name) && !op.path_params.contains(&f.name))
        .map(|f| argument(api, f, pre, counter))
        .collect()
}

/// A seeded object for a service nobody can create through the API.
fn seed_object(api: &Api, svc: &Service) -> Option<String> {
    let get = item_op(svc)?;
    let ty = get.returns.as_ref().and_then(|r| api.type_def(r))?;
    let Shape::Struct { fields } = &ty.shape else { return None };
    if !fields.iter().any(|f| f.name == "id") {
        return None;
    }
    let prefix = svc.id_prefix.clone().unwrap_or_default();
    Some(format!("serde_json::json!({{\"id\": \"{prefix}e2e0123456789abcdefghijklmn\"}})"))
}

/// Builds the plan for every service.
pub fn plan(api: &Api) -> Plan {
    let mut makers = Vec::new();
    let mut tests = Vec::new();
    for svc in &api.services {
        // How to get one resource of this service.
        let mut body = Vec::new();
        let mut counter = 0;
        let made = if let Some(create) = create_op(svc) {
            let mut call_args: Vec<String> = Vec::new();
            if !create.path_params.is_empty() {
                let collection = shape(&create.path);
                let parent = collection.rsplit_once('/').and_then(|(prefix, _)| service_at(api, prefix));
                match parent {
                    Some(p) => {
                        body.push(format!("let parent = {}(client, mock).await;", maker_name(p)));
                        for i in 0..create.path_params.len() {
                            call_args.push(format!("parent[{i}].clone()"));
                        }
                    }
                    None => continue,
                }
            }
            call_args.extend(required_args(api, create, &mut body, &mut counter));
            let last = item_op(svc).and_then(|g| g.path_params.last().cloned()).unwrap_or_else(|| "id".into());
            body.push(format!(
                "let created = {}.create({}).await.unwrap_or_else(|e| panic!(\"{}.create: {{e}}\"));",
                accessor_call(svc),
                call_args.join(", "),
                svc.accessor
            ));
            let mut key: Vec<String> = (0..create.path_params.len()).map(|i| format!("parent[{i}].clone()")).collect();
            key.push(format!("created.{}.to_string()", rust_ident(&last)));
            body.push(format!("vec![{}]", key.join(", ")));
            true
        } else if let Some(seed) = seed_object(api, svc) {
            body.push(format!(
                "let seeded = mock.seed({:?}, {seed}).unwrap_or_else(|e| panic!(\"seeding {}: {{e}}\"));",
                svc.accessor, svc.accessor
            ));
            body.push("vec![seeded[\"id\"].as_str().unwrap_or_default().to_string()]".into());
            true
        } else {
            false
        };
        if made {
            makers.push(Maker { name: maker_name(svc), body });
        }

        // The test: every operation once, delete last.
        let mut t = Vec::new();
        let key_source: Option<String> = if made {
            Some(format!("{}(client, mock).await", maker_name(svc)))
        } else {
            // Edge modules: their paths name the parent resource.
            svc.operations
                .first()
                .and_then(|op| {
                    let s = shape(&op.path);
                    let trimmed = s.rsplit_once('/').map(|(a, _)| a.to_string()).unwrap_or_default();
                    service_at(api, &trimmed)
                })
                .map(|p| format!("{}(client, mock).await", maker_name(p)))
        };
        let Some(key_source) = key_source else { continue };
        t.push(format!("let key = {key_source};"));
        let mut ops: Vec<&Operation> = svc.operations.iter().filter(|o| o.kind != OperationKind::Create).collect();
        ops.sort_by_key(|o| match o.kind {
            OperationKind::Replace => 0,
            OperationKind::Get => 1,
            OperationKind::List => 2,
            OperationKind::Update => 3,
            OperationKind::Action => 4,
            OperationKind::Delete => 5,
            OperationKind::Create => 6,
        });
        let mut counter = 100;
        let replaced = ops.iter().any(|o| o.kind == OperationKind::Replace);
        for op in ops {
            let mut pre = Vec::new();
            let mut args: Vec<String> = (0..op.path_params.len()).map(|i| format!("key[{i}].clone()")).collect();
            args.extend(required_args(api, op, &mut pre, &mut counter));
            t.extend(pre);
            let call = format!("{}.{}({})", accessor_call(svc), rust_ident(&op.name), args.join(", "));
            let label = format!("{}.{}", svc.accessor, op.name);
            let ctx = Step { svc, op, call: &call, label: &label, made, replaced };
            t.extend(step(api, &ctx));
        }
        tests.push(ServiceTest { name: svc.accessor.replace('.', "_"), body: t });
    }
    Plan { makers, tests }
}

/// What one operation's statements need to know.
struct Step<'a> {
    svc: &'a Service,
    op: &'a Operation,
    call: &'a str,
    label: &'a str,
    /// The test made (or seeded) the object its key names.
    made: bool,
    /// The service's object was replaced before it is read.
    replaced: bool,
}

/// The statements that call one operation and check its effect.
fn step(api: &Api, s: &Step<'_>) -> Vec<String> {
    let (call, label) = (s.call, s.label);
    let mut t = Vec::new();
    match s.op.kind {
        OperationKind::Get => {
            t.push(format!("let got = {call}.await.unwrap_or_else(|e| panic!(\"{label}: {{e}}\"));"));
            if let Some(field) = id_field(api, s.op) {
                t.push(format!("assert_eq!(got.{field}.to_string(), *key.last().unwrap_or(&String::new()), \"{label}\");"));
            }
            if s.replaced {
                t.push(format!("assert_eq!(got, replaced, \"{label} reads back what replace stored\");"));
            }
        }
        OperationKind::Replace => {
            let body = s.op.body_field.as_ref().and_then(|bf| {
                struct_fields(api, s.op.body.as_deref()).iter().find(|f| &f.name == bf).and_then(|f| f.ty.named())
            });
            let has_enabled = |ty: Option<&str>| struct_fields(api, ty).iter().any(|f| f.name == "enabled" && f.ty == FieldType::Bool);
            if has_enabled(body) && has_enabled(s.op.returns.as_deref()) {
                let stored = if s.op.returns.as_ref().is_some_and(|r| api.input_types().contains(r)) {
                    "replaced.enabled == Some(false)"
                } else {
                    "!replaced.enabled"
                };
                t.push(format!(
                    "let replaced = {call}.enabled(false).await.unwrap_or_else(|e| panic!(\"{label}: {{e}}\"));"
                ));
                t.push(format!("assert!({stored}, \"{label} stores what was sent\");"));
            } else {
                t.push(format!("let replaced = {call}.await.unwrap_or_else(|e| panic!(\"{label}: {{e}}\"));"));
            }
        }
        OperationKind::List => {
            t.push(format!("let page = {call}.limit(100).await.unwrap_or_else(|e| panic!(\"{label}: {{e}}\"));"));
            match (&s.op.items, s.made) {
                (Some(items), true) if item_has_id(api, &items.item_type) => t.push(format!(
                    "assert!(page.{}.iter().any(|item| Some(&item.id) == key.last()), \"{label} lists the object made\");",
                    rust_ident(&items.field)
                )),
                (Some(items), _) => t.push(format!("let _listed = page.{}.len();", rust_ident(&items.field))),
                (None, _) => {}
            }
        }
        OperationKind::Update => t.extend(update_step(api, s)),
        OperationKind::Delete => {
            t.push(format!("{call}.await.unwrap_or_else(|e| panic!(\"{label}: {{e}}\"));"));
            if s.svc.group() != Some("edge_modules")
                && let Some(get) = item_op(s.svc)
                && get.path == s.op.path
            {
                let get_args: Vec<String> = (0..get.path_params.len()).map(|i| format!("key[{i}].clone()")).collect();
                t.push(format!(
                    "let gone = {}.get({}).await.expect_err(\"{label} leaves nothing behind\");",
                    accessor_call(s.svc),
                    get_args.join(", ")
                ));
                t.push(format!("assert!(gone.is_not_found(), \"{label}: {{gone}}\");"));
            }
        }
        _ if s.op.returns.is_none() => {
            t.push(format!("{call}.await.unwrap_or_else(|e| panic!(\"{label}: {{e}}\"));"));
        }
        _ => {
            t.push(format!("let _answer = {call}.await.unwrap_or_else(|e| panic!(\"{label}: {{e}}\"));"));
        }
    }
    t
}

/// An update sets a text field both the body and the object have, then
/// checks the answer and a fresh read both show it.
fn update_step(api: &Api, s: &Step<'_>) -> Vec<String> {
    let (call, label) = (s.call, s.label);
    let field = ["metadata", "description"].into_iter().find(|name| {
        let in_body = struct_fields(api, s.op.body.as_deref()).iter().any(|f| f.name == *name && f.ty == FieldType::String);
        let in_result =
            struct_fields(api, s.op.returns.as_deref()).iter().any(|f| f.name == *name && f.ty == FieldType::String);
        in_body && in_result
    });
    let get = item_op(s.svc).filter(|g| g.path == s.op.path);
    let Some(field) = field else {
        return vec![format!("let _answer = {call}.await.unwrap_or_else(|e| panic!(\"{label}: {{e}}\"));")];
    };
    let mut t = vec![
        format!("let updated = {call}.{field}(\"e2e updated\").await.unwrap_or_else(|e| panic!(\"{label}: {{e}}\"));"),
        format!("assert_eq!(updated.{field}, \"e2e updated\", \"{label} answers with the change\");"),
    ];
    if let Some(get) = get {
        let get_args: Vec<String> = (0..get.path_params.len()).map(|i| format!("key[{i}].clone()")).collect();
        t.push(format!(
            "let read = {}.get({}).await.unwrap_or_else(|e| panic!(\"{label} read back: {{e}}\"));",
            accessor_call(s.svc),
            get_args.join(", ")
        ));
        t.push(format!("assert_eq!(read.{field}, \"e2e updated\", \"{label} is read back\");"));
    }
    t
}

fn struct_fields<'a>(api: &'a Api, name: Option<&str>) -> &'a [Field] {
    match name.and_then(|n| api.type_def(n)).map(|t| &t.shape) {
        Some(Shape::Struct { fields }) => fields,
        _ => &[],
    }
}

fn item_has_id(api: &Api, item_type: &str) -> bool {
    struct_fields(api, Some(item_type)).iter().any(|f| f.name == "id" && f.ty == FieldType::String)
}

fn id_field(api: &Api, op: &Operation) -> Option<String> {
    let last = op.path_params.last()?;
    let ty = op.returns.as_ref().and_then(|r| api.type_def(r))?;
    match &ty.shape {
        Shape::Struct { fields } if fields.iter().any(|f| &f.name == last && f.ty == FieldType::String) => Some(rust_ident(last)),
        _ => None,
    }
}
