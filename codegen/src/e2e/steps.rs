//! The statements of one operation's step in a service's test: the call,
//! and what it must have done (created objects listed, updates read back,
//! deletes gone; actions in `effects`).

use crate::args::{OpArg, OperationArgs};
use crate::spec::{Api, Field, FieldType, Operation, OperationKind, Service, Shape};
use crate::spec::rust_ident;

use super::view::{Arg, Call, Stmt, UPDATED_TEXT};
use super::{call, item_op, key_args};

/// What one operation's statements need to know.
pub(super) struct Step<'a> {
    pub(super) svc: &'a Service,
    pub(super) op: &'a Operation,
    /// The call with its required arguments.
    pub(super) call: Call,
    /// What a failure names: `<accessor>.<operation>`.
    pub(super) label: String,
    /// The test made (or seeded) the object its key names.
    pub(super) made: bool,
    /// The service's object was replaced before it is read.
    pub(super) replaced: bool,
}

impl Step<'_> {
    /// Sends `call`, binding its answer to `bind` if named.
    pub(super) fn send(&self, bind: Option<&str>, call: Call) -> Stmt {
        Stmt::Call { bind: bind.map(String::from), call, label: self.label.clone() }
    }

    /// A get of the object under test, when its path is this operation's.
    fn get_here(&self) -> Option<Call> {
        item_op(self.svc).filter(|g| g.path == self.op.path).map(|g| call(self.svc, "get", key_args(g.path_params.len())))
    }
}

/// The statements that call one operation and check its effect.
pub(super) fn step(api: &Api, s: &Step<'_>) -> Vec<Stmt> {
    let label = || s.label.clone();
    match s.op.kind {
        OperationKind::Get => {
            let mut t = vec![s.send(Some("got"), s.call.clone())];
            if let Some(field) = id_field(api, s.op) {
                t.push(Stmt::AssertKey { field, label: label() });
            }
            if s.replaced {
                t.push(Stmt::AssertReplaced { label: label() });
            }
            t
        }
        OperationKind::Replace => replace_step(api, s),
        OperationKind::List => {
            let mut t = vec![s.send(Some("page"), s.call.with("limit", Arg::Int { value: 100 }))];
            // The page lists the object the test made, found by the item
            // field that holds its key.
            if let (Some(items), true) = (&s.op.items, s.made)
                && let Some(key) = item_key(api, s.svc, &items.item_type)
            {
                t.push(Stmt::AssertListed { field: rust_ident(&items.field), key, label: label() });
            }
            t
        }
        OperationKind::Update => update_step(api, s),
        OperationKind::Delete => {
            let mut t = vec![s.send(None, s.call.clone())];
            // An edge module's get, at the same path, answers 404 too.
            if let Some(get) = s.get_here() {
                t.push(Stmt::ExpectGone { call: get, label: label() });
                t.push(Stmt::AssertNotFound { label: label() });
            }
            t
        }
        OperationKind::Action => super::effects::action_step(api, s),
        // The service's maker created the object under test.
        OperationKind::Create => vec![s.send(s.op.returns.as_ref().map(|_| "_answer"), s.call.clone())],
    }
}

/// A replace that can switch the object off does, and checks the answer
/// shows it; others send what they must.
fn replace_step(api: &Api, s: &Step<'_>) -> Vec<Stmt> {
    let enabled = |f: &Field| f.name == "enabled" && f.ty == FieldType::Bool;
    let sets_enabled = OperationArgs::of(api, s.svc, s.op).setters.iter().any(|a| enabled(a.field));
    if !(sets_enabled && struct_fields(api, s.op.returns.as_deref()).iter().any(enabled)) {
        return vec![s.send(Some("replaced"), s.call.clone())];
    }
    let optional = s.op.returns.as_ref().is_some_and(|r| api.input_types().contains(r));
    vec![
        s.send(Some("replaced"), s.call.with("enabled", Arg::Bool { value: false })),
        Stmt::AssertDisabled { optional, label: s.label.clone() },
    ]
}

/// An update sets a text field both the request and the answer have (the
/// metadata or description when it has them), then checks the answer and
/// a fresh read both show it; with no such field, the test's doc says so.
fn update_step(api: &Api, s: &Step<'_>) -> Vec<Stmt> {
    let args = OperationArgs::of(api, s.svc, s.op);
    let result = struct_fields(api, s.op.returns.as_deref());
    let shown = |a: &&OpArg<'_>| {
        let f = a.field;
        f.ty == FieldType::String && !f.secret && f.refers_to.is_none() && f.validate.is_none()
            && result.iter().any(|r| r.name == f.name && r.ty == FieldType::String)
    };
    let text: Vec<&OpArg<'_>> = args.setters.iter().filter(shown).collect();
    let chosen = ["metadata", "description"]
        .into_iter()
        .find_map(|name| text.iter().find(|a| a.field.name == name))
        .or_else(|| text.first());
    let Some(field) = chosen.map(|a| a.field) else {
        let why = if args.setters.is_empty() {
            "its request sets nothing besides the object's key"
        } else {
            "it sets no text field its answer shows"
        };
        return vec![
            s.send(Some("_answer"), s.call.clone()),
            Stmt::Note { text: format!("`{}`: {why}, so only its success is checked.", s.label) },
        ];
    };
    let optional = result.iter().any(|r| r.name == field.name && r.nullable)
        || s.op.returns.as_ref().is_some_and(|r| api.input_types().contains(r));
    let value = UPDATED_TEXT.to_string();
    let name = rust_ident(&field.name);
    let mut t = vec![
        s.send(Some("updated"), s.call.with(&name, Arg::Text { value: value.clone() })),
        Stmt::AssertUpdated { field: name.clone(), value: value.clone(), optional, label: s.label.clone() },
    ];
    if let Some(get) = s.get_here() {
        t.push(Stmt::Call { bind: Some("read".into()), call: get, label: format!("{} read back", s.label) });
        t.push(Stmt::AssertReadBack { field: name, value, optional, label: s.label.clone() });
    }
    t
}

fn struct_fields<'a>(api: &'a Api, name: Option<&str>) -> &'a [Field] {
    match name.and_then(|n| api.type_def(n)).map(|t| &t.shape) {
        Some(Shape::Struct { fields }) => fields,
        _ => &[],
    }
}

/// The field of a listed item that holds the last part of its key: the
/// name of the last path parameter of the service's `get`, when the item
/// has such a field.
fn item_key(api: &Api, svc: &Service, item_type: &str) -> Option<String> {
    let last = item_op(svc).and_then(|g| g.path_params.last())?;
    struct_fields(api, Some(item_type)).iter().any(|f| &f.name == last).then(|| rust_ident(last))
}

fn id_field(api: &Api, op: &Operation) -> Option<String> {
    let last = op.path_params.last()?;
    let ty = op.returns.as_ref().and_then(|r| api.type_def(r))?;
    match &ty.shape {
        Shape::Struct { fields } if fields.iter().any(|f| &f.name == last && f.ty == FieldType::String) => Some(rust_ident(last)),
        Shape::Struct { .. } | Shape::Enum { .. } => None,
    }
}
