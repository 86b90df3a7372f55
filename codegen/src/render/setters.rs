//! What a setter's docs say beyond the field's description: on an update,
//! that `None` keeps the value and how (or whether) the value is cleared;
//! on a create, that a value is fixed once the object exists. Everything
//! comes from the spec: the field's type and checks, what the service's
//! create requires, which of its fields are `immutable`, and its actions
//! that `clears` a field.

use crate::spec::{Api, Field, FieldType, Operation, OperationKind, Service, Shape, rust_ident};

/// What the docs of an operation's setters depend on.
pub(super) struct SetterContext<'a> {
    api: &'a Api,
    kind: OperationKind,
    accessor: String,
    /// The fields the service's create requires.
    required_at_create: &'a [String],
    /// The service's actions that clear one field of its objects:
    /// (field cleared, method name).
    clearing_actions: Vec<(&'a str, String)>,
}

impl<'a> SetterContext<'a> {
    pub(super) fn of(api: &'a Api, svc: &'a Service, op: &Operation) -> Self {
        let create = svc.operations.iter().find(|o| o.kind == OperationKind::Create);
        SetterContext {
            api,
            kind: op.kind,
            accessor: svc.accessor.split('.').map(rust_ident).collect::<Vec<_>>().join("()."),
            required_at_create: create.map(|c| c.required.as_slice()).unwrap_or_default(),
            clearing_actions: svc
                .operations
                .iter()
                .filter_map(|o| o.clears.as_deref().map(|c| (c, rust_ident(&o.name))))
                .collect(),
        }
    }

    /// Lines added to the plain setter's description.
    pub(super) fn note(&self, f: &Field) -> Vec<String> {
        let mut lines = Vec::new();
        if f.immutable {
            lines.push(" Cannot be changed after creation: the update request has no such setter.".to_string());
        }
        if self.kind == OperationKind::Update {
            lines.push(format!(" {}", self.clearing(f).1));
        }
        if lines.is_empty() {
            return lines;
        }
        let mut out = vec![String::new()];
        out.extend(lines);
        out
    }

    /// The doc of the `set_x` twin taking an `Option`.
    pub(super) fn set_doc(&self, f: &Field) -> String {
        let name = &f.name;
        if self.kind != OperationKind::Update {
            return format!(" Sets `{name}` from an `Option`: `None` leaves it out of the request, so the API's default applies.");
        }
        let (empty, _) = self.clearing(f);
        match empty {
            Some(value) => format!(" Sets `{name}` from an `Option`: `None` leaves it unchanged; `Some({value})` clears it."),
            None => format!(" Sets `{name}` from an `Option`: `None` leaves it unchanged."),
        }
    }

    /// On an update: the empty value that clears the field, if one does,
    /// and the sentence saying how the field is cleared.
    fn clearing(&self, f: &Field) -> (Option<&'static str>, String) {
        if let Some((_, action)) = self.clearing_actions.iter().find(|(c, _)| *c == f.name || Some(*c) == f.shown_as.as_deref()) {
            let call = format!("client.{}().{action}(id)", self.accessor);
            return (None, format!("Not cleared by an update: remove it with `{call}`."));
        }
        if self.required_at_create.contains(&f.name) {
            return (None, "Required at creation: it can be changed but not cleared.".into());
        }
        if f.validate.is_some() {
            return (None, "It can be changed but not cleared: an empty value is refused.".into());
        }
        match &f.ty {
            FieldType::String if f.refers_to.is_none() => (Some("String::new()"), "An empty string clears it.".into()),
            FieldType::List(_) => (Some("Vec::new()"), "An empty list clears it.".into()),
            FieldType::Map(_) => (Some("BTreeMap::new()"), "An empty map clears it.".into()),
            FieldType::Named(n) | FieldType::Reference(n) if api_is_struct(self.api, n) => {
                (None, "Merged member by member: members left unset keep their values.".into())
            }
            FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::Named(_) | FieldType::Reference(_) => (None, "Left unset, it keeps its value.".into()),
        }
    }
}

/// The names of the fields of `svc`'s create body marked `immutable`.
pub(super) fn immutable_fields(api: &Api, svc: &Service) -> Vec<String> {
    let body = svc
        .operations
        .iter()
        .find(|o| o.kind == OperationKind::Create)
        .and_then(|o| o.body.as_deref())
        .and_then(|b| api.type_def(b));
    match body.map(|t| &t.shape) {
        Some(Shape::Struct { fields }) => fields.iter().filter(|f| f.immutable).map(|f| f.name.clone()).collect(),
        _ => Vec::new(),
    }
}

fn api_is_struct(api: &Api, name: &str) -> bool {
    matches!(api.type_def(name).map(|t| &t.shape), Some(Shape::Struct { .. }))
}

/// What an operation's docs say of the fields fixed at creation: on an
/// update, those it cannot change; on a create, its required arguments
/// that no update changes (its setters say so themselves).
pub(super) fn fixed_note(api: &Api, svc: &Service, op: &Operation) -> Option<String> {
    let fixed = immutable_fields(api, svc);
    let list = |names: &[&String]| names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    match op.kind {
        OperationKind::Update if !fixed.is_empty() => Some(format!(
            " Cannot be changed after creation, so this request has no setter for them: {}.",
            list(&fixed.iter().collect::<Vec<_>>())
        )),
        OperationKind::Create => {
            let args: Vec<&String> = fixed.iter().filter(|f| op.required.contains(f)).collect();
            (!args.is_empty()).then(|| format!(" Fixed at creation (no update changes them): {}.", list(&args)))
        }
        OperationKind::List | OperationKind::Get | OperationKind::Update | OperationKind::Delete | OperationKind::Replace | OperationKind::Action => None,
    }
}
