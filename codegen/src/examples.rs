//! The short example on each operation's rustdoc: the real call with
//! plausible values (IDs carry the prefix of the service they name), one
//! optional setter where the request has one, and the paging loop for
//! lists. The examples are compiled as doctests (`no_run`: they need a
//! server), so a wrong argument or a renamed method fails the build.

use crate::spec::{Api, Field, FieldType, Operation, OperationKind, Service, Shape, rust_ident};

/// The suffix every example ID gets after its service's prefix, shaped
/// like the IDs the API returns.
const ID_SUFFIX: &str = "2f5fzLD1EoMOwvJ7SkbKSZ7zNT4";

/// Doc lines (each starting with a space, as `doc_lines` makes them) of a
/// compiled example of `op`, preceded by a blank line.
pub(crate) fn op_example(api: &Api, svc: &Service, op: &Operation) -> Vec<String> {
    let mut args: Vec<String> = op.path_params.iter().map(|p| path_value(api, op, p)).collect();
    args.extend(required_fields(api, op).iter().map(|f| value_of(api, f)));
    let mut call = format!("client.{}().{}({})", accessor_path(svc), rust_ident(&op.name), args.join(", "));
    let paged = op.paging.is_some();
    if paged {
        call.push_str(".limit(50)");
    } else if let Some(setter) = optional_setter(api, op) {
        call.push_str(&format!(".{}({})", rust_ident(&setter.name), value_of(api, setter)));
    }
    let mut body = Vec::new();
    match (&op.items, paged) {
        (Some(items), true) => {
            let stream = rust_ident(&items.field);
            let mut item = snake_type(api, &items.item_type);
            if item == stream {
                item = "item".into();
            }
            body.push(format!("let mut {stream} = {call}.items();"));
            body.push(format!("while let Some({item}) = {stream}.try_next().await? {{"));
            body.push(format!("    println!(\"{{{item}:?}}\");"));
            body.push("}".into());
        }
        _ => match op.returns.as_deref() {
            Some(ret) if op.kind != OperationKind::Delete => {
                let var = snake_type(api, ret);
                body.push(format!("let {var} = {call}.await?;"));
                body.push(format!("println!(\"{{{var}:?}}\");"));
            }
            _ => body.push(format!("{call}.await?;")),
        },
    }
    wrap(body)
}

/// Doc lines of the example on a service handle: its first page, or one
/// object by ID.
pub(crate) fn service_example(api: &Api, svc: &Service) -> Vec<String> {
    let call = format!("client.{}()", accessor_path(svc));
    let args = |op: &Operation| op.path_params.iter().map(|p| path_value(api, op, p)).collect::<Vec<_>>().join(", ");
    let body = if let Some(list) = svc.operations.iter().find(|o| o.kind == OperationKind::List && o.items.is_some()) {
        let field = list.items.as_ref().map(|i| rust_ident(&i.field)).unwrap_or_default();
        vec![
            format!("let page = {call}.list({}).limit(10).await?;", args(list)),
            format!("for item in &page.{field} {{"),
            "    println!(\"{item:?}\");".to_string(),
            "}".to_string(),
        ]
    } else if let Some(get) = svc.operations.iter().find(|o| o.kind == OperationKind::Get) {
        vec![format!("let found = {call}.get({}).await?;", args(get)), "println!(\"{found:?}\");".to_string()]
    } else {
        return Vec::new();
    };
    wrap(body)
}

/// A `no_run` doctest around `body`, inside an async function given a client.
fn wrap(body: Vec<String>) -> Vec<String> {
    let mut lines = vec![
        String::new(),
        " ```no_run".to_string(),
        " # async fn example(client: ngrok_api::Client) -> Result<(), ngrok_api::Error> {".to_string(),
    ];
    lines.extend(body.into_iter().map(|l| format!(" {l}")));
    lines.push(" # Ok(()) }".to_string());
    lines.push(" ```".to_string());
    lines
}

fn accessor_path(svc: &Service) -> String {
    svc.accessor.split('.').map(rust_ident).collect::<Vec<_>>().join("().")
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

/// The value of a path parameter: an ID of the service whose objects live
/// at the path up to that parameter, or a sample for other parameters.
fn path_value(api: &Api, op: &Operation, param: &str) -> String {
    let marker = format!("{{{param}}}");
    let prefix_path = op.path.find(&marker).map(|at| shape(&op.path[..at + marker.len()])).unwrap_or_default();
    let owner = api.services.iter().find(|s| {
        s.group() != Some("edge_modules")
            && s.operations.iter().any(|o| o.kind == OperationKind::Get && shape(&o.path) == prefix_path)
    });
    match owner.and_then(|s| s.id_prefix.as_deref()) {
        Some(prefix) => format!("\"{prefix}{ID_SUFFIX}\""),
        None => format!("{:?}", sample_string(param)),
    }
}

/// The path with every `{param}` written as `{}`.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            c => out.push(c),
        }
    }
    out
}

/// An ID of the service a field refers to, when it names one.
fn referred_id(api: &Api, f: &Field) -> Option<String> {
    let target = f.refers_to.as_ref().and_then(|r| api.service(r))?;
    let prefix = target.id_prefix.as_deref()?;
    Some(format!("\"{prefix}{ID_SUFFIX}\""))
}

/// A Rust expression for a value of the field, as its argument or setter takes it.
fn value_of(api: &Api, f: &Field) -> String {
    if let Some(id) = referred_id(api, f) {
        return match f.ty {
            FieldType::List(_) => format!("[{id}]"),
            _ => id,
        };
    }
    match &f.ty {
        FieldType::String => format!("{:?}", sample_string(&f.name)),
        FieldType::List(inner) if **inner == FieldType::String => format!("[{:?}]", sample_string(&f.name)),
        FieldType::Bool => "true".into(),
        FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 => {
            f.allowed.first().map(|v| v.to_string()).unwrap_or_else(|| "60".into())
        }
        FieldType::Float64 => "1.0".into(),
        FieldType::Timestamp => "ngrok_api::Timestamp::now()".into(),
        FieldType::List(_) => "[]".into(),
        FieldType::Map(_) => "std::collections::BTreeMap::new()".into(),
        FieldType::Named(n) => {
            let Some(t) = api.type_def(n) else { return "Default::default()".into() };
            match &t.shape {
                Shape::Enum { values } => match values.first() {
                    Some(v) => format!("ngrok_api::types::{}::{}", t.rust_name, v.rust_name),
                    None => format!("ngrok_api::types::{}::default()", t.rust_name),
                },
                Shape::Struct { .. } => format!("ngrok_api::types::{}::default()", t.rust_name),
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
        "traffic_policy" => "{\"on_http_request\":[]}",
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
