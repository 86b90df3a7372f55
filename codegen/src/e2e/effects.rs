//! The steps of actions: each checks what the action changes as a user
//! sees it, or says in the test's doc why there is nothing to see.
//!
//! - An action that lists the objects referring to this one (a vault's
//!   secrets) is given one first, made with this object's ID, and must
//!   list it (it is deleted again after); when no create can name this
//!   object, the page must be empty.
//! - An action that `clears` a field has the field set first through the
//!   update, and a read before and after shows it set, then gone.
//! - Any other action answers nothing the spec ties to a field: a note.

use crate::args::{OperationArgs, Sample};
use crate::spec::{Api, Operation, OperationKind, Service, rust_ident};

use super::steps::Step;
use super::view::{Arg, Stmt};
use super::{call, create_op, item_op, key_args, made_first, required_args};

/// The statements of an action's step.
pub(super) fn action_step(api: &Api, s: &Step<'_>) -> Vec<Stmt> {
    if let Some(items) = s.op.items.as_ref().filter(|_| s.op.method == "GET") {
        return listing_step(api, s, &items.item_type, &items.field);
    }
    if let Some(field) = &s.op.clears
        && let Some(t) = clearing_step(api, s, field)
    {
        return t;
    }
    let bind = s.op.returns.as_ref().map(|_| "_answer");
    let why = match &s.op.clears {
        Some(field) => format!("no update sets `{field}` for it to clear"),
        None => "the spec names no field it changes".into(),
    };
    vec![
        s.send(bind, s.call.clone()),
        Stmt::Note { text: format!("`{}`: {why}, so only its success is checked.", s.label) },
    ]
}

/// A list of the objects of another service that refer to this one: one
/// is made naming this object, then the page must hold it.
fn listing_step(api: &Api, s: &Step<'_>, item_type: &str, field: &str) -> Vec<Stmt> {
    let field = rust_ident(field);
    let page = s.send(Some("page"), s.call.clone());
    let owner = api.services.iter().find(|c| item_op(c).and_then(|g| g.returns.as_deref()) == Some(item_type));
    let create = owner.and_then(|o| Some((o, create_op(o)?))).filter(|(_, c)| c.path_params.is_empty());
    let Some((owner, create)) = create.filter(|(o, c)| names(api, o, c, s.svc)) else {
        return vec![page, Stmt::AssertEmpty { field, label: s.label.clone() }];
    };
    let own = s.op.path_params.len().saturating_sub(1);
    let mut t = Vec::new();
    let (prefix, mut counter) = (format!("{}_dep", s.op.name), 0);
    let mut dep = made_first(&mut t, &prefix, &mut counter);
    let args = required_args(api, owner, create, move |service, list| {
        if service.accessor == s.svc.accessor && !list { Arg::Key { index: own } } else { dep(service, list) }
    });
    t.push(Stmt::Call {
        bind: Some("child".into()),
        call: call(owner, &create.name, args),
        label: format!("{}: making one to list", s.label),
    });
    t.push(page);
    let key = rust_ident(&owner.resource.key);
    t.push(Stmt::AssertListsChild { field, key: key.clone(), label: s.label.clone() });
    // Removed again, so a delete of this object later finds nothing in it.
    if let Some(delete) = owner.operations.iter().find(|o| o.kind == OperationKind::Delete && o.path_params.len() == 1) {
        t.push(Stmt::Call {
            bind: None,
            call: call(owner, &delete.name, vec![Arg::Child { field: key }]),
            label: format!("{}: removing the object made for it", s.label),
        });
    }
    t
}

/// Whether `create` (of `owner`) takes the ID of an object of `svc`.
fn names(api: &Api, owner: &Service, create: &Operation, svc: &Service) -> bool {
    OperationArgs::of(api, owner, create)
        .required
        .iter()
        .any(|a| matches!(&a.sample, Sample::Object { service, list: false } if service.accessor == svc.accessor))
}

/// An action clearing `field`: set it through the update, read it set,
/// clear it, read it gone. `None` when no update sets it or no get reads
/// the object.
fn clearing_step(api: &Api, s: &Step<'_>, field: &str) -> Option<Vec<Stmt>> {
    let update = s.svc.operations.iter().find(|o| o.kind == OperationKind::Update)?;
    let get = item_op(s.svc).filter(|g| s.op.path_params == g.path_params)?;
    let args = OperationArgs::of(api, s.svc, update);
    let setter = args.setters.iter().find(|a| a.field.name == field || a.field.shown_as.as_deref() == Some(field))?;
    let mut t = Vec::new();
    let (prefix, mut counter) = (format!("{}_dep", s.op.name), 0);
    let value = match &setter.sample {
        Sample::Object { service, list } => made_first(&mut t, &prefix, &mut counter)(service, *list),
        Sample::Value(arg) => arg.clone(),
    };
    let set = call(s.svc, &update.name, key_args(update.path_params.len())).with(&rust_ident(&setter.field.name), value);
    let read = call(s.svc, &get.name, key_args(get.path_params.len()));
    let field = rust_ident(field);
    let presence = |var: &str, present| Stmt::AssertPresence { var: var.into(), field: field.clone(), present, label: s.label.clone() };
    t.extend([
        Stmt::Call { bind: None, call: set, label: format!("{}: setting it first", s.label) },
        Stmt::Call { bind: Some("before".into()), call: read.clone(), label: format!("{}: read before", s.label) },
        presence("before", true),
        s.send(None, s.call.clone()),
        Stmt::Call { bind: Some("after".into()), call: read, label: format!("{}: read after", s.label) },
        presence("after", false),
    ]);
    Some(t)
}
