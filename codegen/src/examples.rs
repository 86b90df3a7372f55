//! The short example on each operation's rustdoc, as plain data: the real
//! call with the operation's sample values (`crate::args`; IDs carry the
//! prefix of the service they name), one optional setter where the request has one, and the paging
//! loop for lists. `examples.rs.tera` writes it out. The examples are
//! compiled as doctests (`no_run`: they need a server), so a wrong
//! argument or a renamed method fails the build.

use serde::Serialize;

use crate::args::{ID_SUFFIX, OperationArgs, PathArg, Sample};
use crate::e2e::{Arg, Call, Setter};
use crate::spec::{Api, Operation, OperationKind, Service, rust_ident};

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
pub(crate) fn op_example(api: &Api, svc: &Service, op: &Operation, args: &OperationArgs<'_>) -> Example {
    let mut values: Vec<Arg> = args.path.iter().map(|p| Arg::Text { value: p.sample_id() }).collect();
    values.extend(args.required.iter().map(|a| shown(&a.sample)));
    let mut call = call_of(svc, &op.name, values);
    let paged = op.paging.is_some();
    if paged {
        call.setters.push(Setter { name: "limit".into(), value: Arg::Int { value: 50 } });
    } else if let Some(setter) = args.example_setter() {
        call.setters.push(Setter { name: rust_ident(&setter.field.name), value: shown(&setter.sample) });
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
    let ids = |op: &Operation| {
        op.path_params.iter().map(|p| Arg::Text { value: PathArg { name: p, names: api.named_by(svc, p) }.sample_id() }).collect::<Vec<_>>()
    };
    if let Some(list) = svc.operations.iter().find(|o| o.kind == OperationKind::List && o.items.is_some()) {
        let mut call = call_of(svc, "list", ids(list));
        call.setters.push(Setter { name: "limit".into(), value: Arg::Int { value: 10 } });
        let field = list.items.as_ref().map(|i| rust_ident(&i.field)).unwrap_or_default();
        return Some(Example { call, answer: Answer::Page { field } });
    }
    let get = svc.operations.iter().find(|o| o.kind == OperationKind::Get)?;
    Some(Example { call: call_of(svc, "get", ids(get)), answer: Answer::Bind { var: "found".into() } })
}

/// A sample as an example shows it: an object's ID written with its
/// service's prefix.
fn shown(sample: &Sample<'_>) -> Arg {
    match sample {
        Sample::Object { service, list } => {
            let value = format!("{}{ID_SUFFIX}", service.id_prefix.as_deref().unwrap_or_default());
            if *list { Arg::TextList { value } } else { Arg::Text { value } }
        }
        Sample::Value(arg) => arg.clone(),
    }
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
