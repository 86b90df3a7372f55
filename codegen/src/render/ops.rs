//! The view of one operation: its builder, arguments, body and paging, plus
//! the methods on a resource that repeat it with the resource's own ID.

use crate::args::{OpArg, OperationArgs};
use crate::spec::{Api, FieldType, Operation, OperationKind, Service, Shape, rust_ident};

use super::text::{builder_name, doc_lines, old_builder_name, resource_name, rust_type};
use super::setters::{SetterContext, fixed_note};
use super::views::{ArgView, InstanceView, OpView, ParamView, Pass, STD_METHOD_NAMES};

/// How a value the caller passes in becomes the value stored, which sets
/// the parameter's type in the signature (`macros.rs.tera` writes both).
fn pass_of(api: &Api, ty: &FieldType) -> Pass {
    match ty {
        FieldType::String => Pass::Text,
        FieldType::List(inner) if **inner == FieldType::String => Pass::TextList,
        FieldType::List(inner) => Pass::List { item_type: rust_type(api, inner) },
        // Enums are taken as themselves: a raw string must go through
        // `from_raw`, so a misspelt value does not compile.
        FieldType::Named(n) if matches!(api.type_def(n).map(|t| &t.shape), Some(Shape::Enum { .. })) => Pass::AsIs,
        FieldType::Named(_) | FieldType::Reference(_) | FieldType::Timestamp | FieldType::Map(_) => Pass::Into,
        FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool => Pass::AsIs,
    }
}

/// The view of a body or query argument; `ctx` for a body field, whose
/// setters' docs say more (`setters`).
fn arg_view(api: &Api, arg: &OpArg<'_>, repeated: bool, ctx: Option<&SetterContext>) -> ArgView {
    let f = arg.field;
    let mut doc = doc_lines(&f.description);
    if let Some(ctx) = ctx {
        doc.extend(ctx.note(f));
    }
    ArgView {
        set_doc: ctx.map(|c| c.set_doc(f)).unwrap_or_default(),
        name: f.name.clone(),
        ident: rust_ident(&f.name),
        pass: pass_of(api, &f.ty),
        stored_type: arg.rust_type.clone(),
        bare: f.name.clone(),
        std_name: STD_METHOD_NAMES.contains(&f.name.as_str()),
        doc,
        repeated,
    }
}

/// The Rust path of a named type, if it is one.
fn type_path(api: &Api, name: Option<&String>) -> Option<String> {
    name.and_then(|n| api.type_def(n)).map(|t| format!("crate::types::{}", t.rust_name))
}

/// A listing's page type, item type, items field, and whether pages link on.
fn paging_parts(api: &Api, op: &Operation) -> (String, String, String, bool) {
    match (&op.paging, &op.items, &op.returns) {
        (Some(_), Some(items), Some(ret)) => (
            type_path(api, Some(ret)).unwrap_or_default(),
            type_path(api, Some(&items.item_type)).unwrap_or_default(),
            rust_ident(&items.field),
            page_has_next(api, ret),
        ),
        _ => Default::default(),
    }
}

/// The literal text of a path template around its `{name}` parameters,
/// worked out here so the request's path is filled in without scanning
/// the template on every call.
fn path_pieces(path: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = path;
    while let Some((before, after)) = rest.split_once('{') {
        pieces.push(before.to_string());
        rest = after.split_once('}').map_or("", |(_, tail)| tail);
    }
    pieces.push(rest.to_string());
    pieces
}

/// The view of one operation of `svc`.
pub(super) fn op_view(api: &Api, svc: &Service, op: &Operation) -> OpView {
    let args = OperationArgs::of(api, svc, op);
    let ctx = SetterContext::of(api, svc, op);
    let param = |name: &str| ParamView { name: name.to_string(), ident: rust_ident(name) };
    let path_params: Vec<ParamView> = args.path.iter().map(|p| param(p.name)).collect();
    let required: Vec<ArgView> = args.required.iter().map(|a| arg_view(api, a, false, Some(&ctx))).collect();
    let (page_type, item_type, items_field, has_next) = paging_parts(api, op);
    let returns = type_path(api, op.returns.as_ref());
    OpView {
        name: op.name.clone(),
        fn_name: rust_ident(&op.name),
        builder: builder_name(&resource_name(api, svc), &op.name),
        old_builder: old_builder_name(&op.name),
        operation_id: format!("{}.{}", svc.accessor, op.name),
        method: op.method.clone(),
        path: op.path.clone(),
        path_pieces: path_pieces(&op.path),
        doc: doc_lines(&op.description),
        fixed: fixed_note(api, svc, op),
        many_args: op.path_params.len() + required.len() > 7,
        path_params,
        required,
        setters: args.setters.iter().map(|a| arg_view(api, a, false, Some(&ctx))).collect(),
        from_path: args.from_path.iter().map(|f| param(&f.name)).collect(),
        body_type: args.body.map(|t| format!("crate::types::{}", t.rust_name)),
        returns_name: returns.as_deref().and_then(|r| r.rsplit("::").next()).map(str::to_string),
        returns: returns.unwrap_or_else(|| "()".into()),
        paging: op.paging.is_some(),
        filter: op.paging.is_some_and(|p| p.filter),
        query: args.query.iter().map(|a| arg_view(api, a, matches!(a.field.ty, FieldType::List(_)), None)).collect(),
        page_type,
        item_type,
        items_field,
        has_next,
        example: crate::examples::op_example(api, svc, op, &args),
    }
}

/// Whether a page type carries the link to the next page.
pub(super) fn page_has_next(api: &Api, page: &str) -> bool {
    match api.type_def(page).map(|t| &t.shape) {
        Some(Shape::Struct { fields }) => fields.iter().any(|f| f.name == "next_page_uri"),
        _ => false,
    }
}

/// The update, delete and action methods on the resource `get` returns.
pub(super) fn instance_views(api: &Api, svc: &Service) -> Vec<InstanceView> {
    // A resource is what `get` returns; its update/delete (and actions that
    // name one object: the same path parameters as `get`) become methods on
    // the resource when every path parameter can be read from the
    // resource's own fields.
    let Some(get) = svc.operations.iter().find(|o| o.kind == OperationKind::Get) else { return Vec::new() };
    let Some(resource) = get.returns.as_ref().and_then(|r| api.type_def(r)) else { return Vec::new() };
    let Shape::Struct { fields } = &resource.shape else { return Vec::new() };
    let mut out = Vec::new();
    for op in &svc.operations {
        if !matches!(op.kind, OperationKind::Update | OperationKind::Delete | OperationKind::Action) {
            continue;
        }
        if op.path_params.is_empty() || op.path_params != get.path_params {
            continue;
        }
        let mut args = Vec::new();
        for p in &op.path_params {
            match fields.iter().find(|f| &f.name == p && f.ty == FieldType::String) {
                Some(f) => args.push(rust_ident(&f.name)),
                None => break,
            }
        }
        if args.len() != op.path_params.len() {
            continue;
        }
        out.push(InstanceView {
            type_name: format!("crate::types::{}", resource.rust_name),
            fn_name: rust_ident(&op.name),
            name: op.name.clone(),
            method: op.method.clone(),
            path: op.path.clone(),
            builder: builder_name(&resource_name(api, svc), &op.name),
            doc: doc_lines(&op.description),
            args,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::path_pieces;

    #[test]
    fn a_path_splits_into_the_text_around_each_parameter() {
        assert_eq!(path_pieces("/ip_policies"), ["/ip_policies"]);
        assert_eq!(path_pieces("/ip_policies/{id}"), ["/ip_policies/", ""]);
        assert_eq!(path_pieces("/edges/https/{edge_id}/routes/{id}"), ["/edges/https/", "/routes/", ""]);
        assert_eq!(path_pieces("/backends/{id}/disable"), ["/backends/", "/disable"]);
    }
}
