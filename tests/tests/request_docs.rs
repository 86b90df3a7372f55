//! What the request types' pages say: a name of their own, what awaiting
//! them gives, how an update clears a field, and which fields are fixed
//! at creation. Read from the generated sources and the spec they come
//! from, so a template that stops saying it fails here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn api() -> codegen::Api {
    codegen::load(&root().join("spec")).unwrap_or_else(|e| panic!("{e}"))
}

fn source_of(svc: &codegen::spec::Service) -> (String, String) {
    let file = format!("ngrok-api/src/generated/{}.rs", svc.accessor.replace('.', "/"));
    let source = read(&file);
    (file, source)
}

/// The doc comment and attribute lines right above the first line of
/// `source` that starts (after indentation) with `item`.
fn docs_above(source: &str, item: &str) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let at = lines.iter().position(|l| l.trim_start().starts_with(item))?;
    let docs: Vec<&str> = lines[..at]
        .iter()
        .rev()
        .take_while(|l| l.trim_start().starts_with("///") || l.trim_start().starts_with("#["))
        .copied()
        .collect();
    Some(docs.into_iter().rev().collect::<Vec<_>>().join("\n"))
}

#[test]
fn request_types_have_names_of_their_own_and_the_old_names_still_compile() {
    let api = api();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for svc in &api.services {
        let (file, source) = source_of(svc);
        for op in &svc.operations {
            let name = codegen::render::request_name(&api, svc, &op.name);
            let at = format!("{}.{}", svc.accessor, op.name);
            if let Some(prev) = seen.insert(name.clone(), at.clone()) {
                panic!("{at} and {prev} are both `{name}`");
            }
            assert!(source.contains(&format!("pub struct {name} {{")), "{file}: no `pub struct {name}`");
            let old = format!("{}Request", heck_camel(&op.name));
            let alias = format!("pub type {old} = {name};");
            let docs = docs_above(&source, &alias).unwrap_or_else(|| panic!("{file}: no `{alias}`"));
            assert!(docs.contains("#[doc(hidden)]"), "{file}: the alias {old} is shown:\n{docs}");
        }
    }
    assert!(seen.len() > 200, "{} request types", seen.len());
}

fn heck_camel(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

#[test]
fn the_old_names_are_the_new_types() {
    // Compiles only while the aliases stand.
    fn same<T>(_: Option<T>, _: Option<T>) {}
    same::<ngrok_api::endpoints::EndpointCreateRequest>(None, None::<ngrok_api::endpoints::CreateRequest>);
    same::<ngrok_api::ip_policy_rules::IpPolicyRuleListRequest>(None, None::<ngrok_api::ip_policy_rules::ListRequest>);
    same::<ngrok_api::reserved_domains::ReservedDomainDeleteCertificateRequest>(
        None,
        None::<ngrok_api::reserved_domains::DeleteCertificateRequest>,
    );
}

#[test]
fn every_request_type_says_what_it_resolves_to_with_an_example() {
    let api = api();
    for svc in &api.services {
        let (file, source) = source_of(svc);
        for op in &svc.operations {
            let name = codegen::render::request_name(&api, svc, &op.name);
            let docs = docs_above(&source, &format!("pub struct {name} {{")).unwrap_or_default();
            assert!(docs.contains("Awaiting it resolves to [`Result`](crate::Result)"), "{file}: {name}:\n{docs}");
            let answer = op.returns.as_ref().and_then(|r| api.type_def(r)).map(|t| t.rust_name.clone());
            match &answer {
                Some(t) => {
                    assert!(docs.contains(&format!("[`{t}`](crate::types::{t})")), "{file}: {name} links {t}:\n{docs}");
                    assert!(docs.contains(&format!("let answer: ngrok_api::types::{t} = request.await?;")), "{file}: {name}");
                }
                None => assert!(docs.contains("`<()>`") && docs.contains("request.await?;"), "{file}: {name}:\n{docs}"),
            }
            let module = svc.accessor.replace('.', "::");
            assert!(docs.contains("```no_run"), "{file}: {name} has no compiled example");
            assert!(docs.contains(&format!("let request: ngrok_api::{module}::{name} = ")), "{file}: {name}:\n{docs}");
        }
    }
}

#[test]
fn no_setter_says_none_leaves_a_field_unset_on_an_update() {
    let api = api();
    let mut update_setters = 0;
    for svc in &api.services {
        let (file, source) = source_of(svc);
        assert!(!source.contains("`None` leaves it unset"), "{file} still says `None` leaves it unset");
        let Some(update) = svc.operations.iter().find(|o| o.name == "update") else { continue };
        let name = codegen::render::request_name(&api, svc, &update.name);
        let start = source.find(&format!("impl {name} {{")).unwrap_or_else(|| panic!("{file}: no impl {name}"));
        let body = &source[start..start + source[start..].find("\n}\n").unwrap_or(0)];
        let lines: Vec<&str> = body.lines().collect();
        for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.contains("pub fn set_")) {
            update_setters += 1;
            let doc: Vec<&str> = lines[..i].iter().rev().take_while(|l| !l.trim_start().starts_with('}')).copied().collect();
            let doc = doc.join("\n");
            assert!(doc.contains("`None` leaves it unchanged"), "{file}: {name}: {line}\n{doc}");
        }
    }
    assert!(update_setters > 100, "{update_setters} update setters");
    // Where the spec says how: text clears with "", a field the create
    // requires cannot be cleared, a certificate goes with its own call.
    let policies = read("ngrok-api/src/generated/ip_policies.rs");
    assert!(policies.contains("`None` leaves it unchanged; `Some(String::new())` clears it."), "ip_policies");
    let rules = read("ngrok-api/src/generated/ip_policy_rules.rs");
    assert!(rules.contains("Required at creation: it can be changed but not cleared."), "ip_policy_rules' cidr");
    let domains = read("ngrok-api/src/generated/reserved_domains.rs");
    assert!(domains.contains("remove it with `client.reserved_domains().delete_certificate(id)`"), "reserved_domains");
}

#[test]
fn fields_fixed_at_creation_are_marked_in_the_spec_and_shown_in_the_docs() {
    let api = api();
    let mut fixed_total = 0;
    for svc in &api.services {
        let create = svc.operations.iter().find(|o| o.name == "create");
        let update = svc.operations.iter().find(|o| o.name == "update");
        let (Some(create), Some(update)) = (create, update) else { continue };
        let fields = |op: &codegen::spec::Operation| -> Vec<codegen::spec::Field> {
            match op.body.as_ref().and_then(|b| api.type_def(b)).map(|t| &t.shape) {
                Some(codegen::spec::Shape::Struct { fields }) => fields.iter().filter(|f| !f.hidden).cloned().collect(),
                _ => Vec::new(),
            }
        };
        // A field the update fills from its path names the object: fixed too.
        let updated: Vec<String> =
            fields(update).into_iter().map(|f| f.name).filter(|n| !update.path_params.contains(n)).collect();
        let fixed: Vec<codegen::spec::Field> = fields(create)
            .into_iter()
            .filter(|f| !updated.contains(&f.name) && !create.path_params.contains(&f.name))
            .collect();
        let (file, source) = source_of(svc);
        for f in &fixed {
            assert!(f.immutable, "{}: {} is not in the update but not marked `immutable`", svc.accessor, f.name);
        }
        if fixed.is_empty() {
            continue;
        }
        fixed_total += fixed.len();
        let name = codegen::render::request_name(&api, svc, "update");
        let docs = docs_above(&source, &format!("pub struct {name} {{")).unwrap_or_default();
        assert!(docs.contains("Cannot be changed after creation"), "{file}: {name}:\n{docs}");
        for f in &fixed {
            assert!(docs.contains(&format!("`{}`", f.name)), "{file}: {name} does not name `{}`:\n{docs}", f.name);
            // The create says so too: on its setter, or on the method for an argument.
            let setter = docs_above(&source, &format!("pub fn {}(", codegen::spec::rust_ident(&f.name)));
            let method = docs_above(&source, "pub fn create(").unwrap_or_default();
            let on_setter = setter.is_some_and(|d| d.contains("Cannot be changed after creation"));
            let on_method = method.contains("Fixed at creation") && method.contains(&format!("`{}`", f.name));
            assert!(on_setter || on_method, "{file}: create does not say `{}` is fixed", f.name);
        }
    }
    assert!(fixed_total >= 20, "{fixed_total} fixed fields");
}
