//! Plans the end-to-end test that calls every operation of every service
//! through the SDK against the emulator. The plan is derived from the spec:
//! which resource an operation's path parameters name, which resources a
//! create needs first (`refers_to`), and the sample values of its required
//! arguments (`crate::args`). Resources nobody can create through the API
//! are seeded.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::args::{ID_SUFFIX, OperationArgs, Sample};
use crate::spec::{Api, Operation, OperationKind, Service, Shape};
use crate::spec::rust_ident;

mod effects;
mod steps;
mod view;

use steps::{Step, step};
pub use view::{Arg, Call, Setter, Stmt};

/// One generated test: a service and the statements that exercise it.
#[derive(Debug, Serialize)]
pub struct ServiceTest {
    /// Test function name.
    pub name: String,
    /// Statements of the test body.
    pub body: Vec<Stmt>,
}

/// A helper that makes one resource of a service and returns the values of
/// its item path's parameters.
#[derive(Debug, Serialize)]
pub struct Maker {
    /// Function name, `make_<service>`.
    pub name: String,
    /// Statements; the last evaluates to the key, a `Vec<String>`.
    pub body: Vec<Stmt>,
}

/// The whole plan.
#[derive(Debug, Serialize)]
pub struct Plan {
    /// One maker per service that has resources of its own.
    pub makers: Vec<Maker>,
    /// One test per service.
    pub tests: Vec<ServiceTest>,
}

fn item_op(svc: &Service) -> Option<&Operation> {
    svc.operations.iter().find(|o| o.kind == OperationKind::Get)
}

fn create_op(svc: &Service) -> Option<&Operation> {
    svc.operations.iter().find(|o| o.kind == OperationKind::Create)
}

/// A call of `op` on `svc` with these required arguments and no setters.
fn call(svc: &Service, op: &str, args: Vec<Arg>) -> Call {
    Call { accessor: svc.accessor.split('.').map(rust_ident).collect(), op: rust_ident(op), args, setters: Vec::new() }
}

/// The item path's parameters of the object under test, as arguments.
fn key_args(count: usize) -> Vec<Arg> {
    (0..count).map(|index| Arg::Key { index }).collect()
}

fn maker_name(svc: &Service) -> String {
    format!("make_{}", svc.accessor.replace('.', "_"))
}

/// The values of `op`'s required body arguments (`crate::args`), each
/// object one names given by `object` (the service, and whether the field
/// takes a list).
fn required_args<'a>(api: &'a Api, svc: &'a Service, op: &'a Operation, mut object: impl FnMut(&'a Service, bool) -> Arg) -> Vec<Arg> {
    let args = OperationArgs::of(api, svc, op);
    args.required
        .iter()
        .map(|a| match &a.sample {
            Sample::Object { service, list } => object(service, *list),
            Sample::Value(arg) => arg.clone(),
        })
        .collect()
}

/// An object argument made first by its service's maker, into a variable
/// `<prefix><n>` the statements `pre` bind.
fn made_first<'a>(pre: &'a mut Vec<Stmt>, prefix: &'a str, counter: &'a mut usize) -> impl FnMut(&Service, bool) -> Arg + 'a {
    move |service, list| {
        *counter += 1;
        let var = format!("{prefix}{counter}");
        pre.push(Stmt::Make { var: var.clone(), maker: maker_name(service) });
        Arg::Made { var, list }
    }
}

/// The ID of a seeded object for a service nobody can create through the
/// API: one its objects hold in the field of their key parameter.
fn seed_id(api: &Api, svc: &Service) -> Option<String> {
    let ty = api.type_def(&svc.resource.type_name)?;
    let Shape::Struct { fields } = &ty.shape else { return None };
    if !fields.iter().any(|f| f.name == svc.resource.key) {
        return None;
    }
    let prefix = svc.id_prefix.clone().unwrap_or_default();
    Some(format!("{prefix}{ID_SUFFIX}"))
}

/// How a test gets one object of a service.
enum Source {
    /// Statements that create (or seed) one and end in its key.
    Made(Vec<Stmt>),
    /// The service has no objects of its own to make.
    Nothing,
    /// It needs a parent no service provides: no test.
    Skip,
}

/// The statements making one object of `svc`: created through the API,
/// under a parent made first, or seeded into the emulator.
fn maker(api: &Api, svc: &Service) -> Source {
    let Some(create) = create_op(svc) else {
        return match seed_id(api, svc) {
            Some(id) => Source::Made(vec![Stmt::Seed { service: svc.accessor.clone(), id }, Stmt::SeededKey]),
            None => Source::Nothing,
        };
    };
    let mut body = Vec::new();
    let mut counter = 0;
    let mut call_args = Vec::new();
    if !create.path_params.is_empty() {
        let Some(p) = svc.parent.as_ref().and_then(|p| api.service(&p.service)) else {
            return Source::Skip;
        };
        body.push(Stmt::Make { var: "parent".into(), maker: maker_name(p) });
        call_args.extend((0..create.path_params.len()).map(|index| Arg::Parent { index }));
    }
    call_args.extend(required_args(api, svc, create, made_first(&mut body, "dep", &mut counter)));
    let last = svc.resource.key.clone();
    body.push(Stmt::Call {
        bind: Some("created".into()),
        call: call(svc, "create", call_args),
        label: format!("{}.create", svc.accessor),
    });
    body.push(Stmt::CreatedKey { parents: create.path_params.len(), field: rust_ident(&last) });
    Source::Made(body)
}

/// The order operations run in: replace, get, list, update, actions, delete.
fn run_order(kind: OperationKind) -> u8 {
    match kind {
        OperationKind::Replace => 0,
        OperationKind::Get => 1,
        OperationKind::List => 2,
        OperationKind::Update => 3,
        OperationKind::Action => 4,
        OperationKind::Delete => 5,
        OperationKind::Create => 6,
    }
}

/// The test of `svc`: every operation once, delete last; `None` when no
/// object to work on can be had.
fn service_test(api: &Api, svc: &Service, made: bool) -> Option<Vec<Stmt>> {
    let key_maker = if made {
        maker_name(svc)
    } else {
        // Edge modules: they live in an object of the service that carries them.
        let carrier = svc.module.as_ref().and_then(|slot| api.service(&slot.of))?;
        maker_name(carrier)
    };
    let mut t = vec![Stmt::Make { var: "key".into(), maker: key_maker }];
    let mut ops: Vec<&Operation> = svc.operations.iter().filter(|o| o.kind != OperationKind::Create).collect();
    ops.sort_by_key(|o| run_order(o.kind));
    let mut counter = 100;
    let replaced = ops.iter().any(|o| o.kind == OperationKind::Replace);
    for op in ops {
        let mut pre = Vec::new();
        let mut args = key_args(op.path_params.len());
        args.extend(required_args(api, svc, op, made_first(&mut pre, "dep", &mut counter)));
        t.extend(pre);
        let call = call(svc, &op.name, args);
        let label = format!("{}.{}", svc.accessor, op.name);
        let ctx = Step { svc, op, call, label, made, replaced };
        t.extend(step(api, &ctx));
    }
    Some(t)
}

/// Builds the plan for every service.
pub fn plan(api: &Api) -> Plan {
    let mut makers = Vec::new();
    let mut tests = Vec::new();
    for svc in &api.services {
        let made = match maker(api, svc) {
            Source::Skip => continue,
            Source::Nothing => false,
            Source::Made(body) => {
                makers.push(Maker { name: maker_name(svc), body });
                true
            }
        };
        if let Some(body) = service_test(api, svc, made) {
            tests.push(ServiceTest { name: svc.accessor.replace('.', "_"), body });
        }
    }
    Plan { makers: called_makers(makers, &tests), tests }
}

/// The makers a test calls, directly or through another maker, in their
/// order: the generated file then has no function it never calls.
fn called_makers(makers: Vec<Maker>, tests: &[ServiceTest]) -> Vec<Maker> {
    fn calls(body: &[Stmt]) -> impl Iterator<Item = &str> {
        body.iter().filter_map(|s| match s {
            Stmt::Make { maker, .. } => Some(maker.as_str()),
            Stmt::Seed { .. } | Stmt::SeededKey | Stmt::CreatedKey { .. } | Stmt::Call { .. } | Stmt::ExpectGone { .. } | Stmt::AssertNotFound { .. } | Stmt::AssertKey { .. } | Stmt::AssertReplaced { .. } | Stmt::AssertDisabled { .. } | Stmt::AssertListed { .. } | Stmt::AssertUpdated { .. } | Stmt::AssertReadBack { .. } | Stmt::AssertListsChild { .. } | Stmt::AssertEmpty { .. } | Stmt::AssertPresence { .. } | Stmt::Note { .. } => None,
        })
    }
    let mut called: BTreeSet<String> = tests.iter().flat_map(|t| calls(&t.body)).map(str::to_string).collect();
    loop {
        let more: Vec<String> = makers
            .iter()
            .filter(|m| called.contains(&m.name))
            .flat_map(|m| calls(&m.body))
            .filter(|name| !called.contains(*name))
            .map(str::to_string)
            .collect();
        if more.is_empty() {
            break;
        }
        called.extend(more);
    }
    makers.into_iter().filter(|m| called.contains(&m.name)).collect()
}
