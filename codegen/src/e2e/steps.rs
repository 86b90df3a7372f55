//! The statements of one operation's step in a service's test: the call,
//! and what it must have done (created objects listed, updates read back,
//! deletes gone).

use crate::spec::{Api, Field, FieldType, Operation, OperationKind, Service, Shape};
use crate::spec::rust_ident;

use super::{accessor_call, item_op};

/// What one operation's statements need to know.
pub(super) struct Step<'a> {
    pub(super) svc: &'a Service,
    pub(super) op: &'a Operation,
    pub(super) call: &'a str,
    pub(super) label: &'a str,
    /// The test made (or seeded) the object its key names.
    pub(super) made: bool,
    /// The service's object was replaced before it is read.
    pub(super) replaced: bool,
}

/// The statements that call one operation and check its effect.
pub(super) fn step(api: &Api, s: &Step<'_>) -> Vec<String> {
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
