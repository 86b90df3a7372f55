//! No response fails to decode because one field is missing or `null`,
//! unless that field is an object's identity (`id`) or a page's list.
//!
//! The property is checked on every response type of the SDK (from a
//! sample with every field set, taken from the spec) and on every
//! recorded-style response under `tests/fixtures/live/`: each key at any
//! depth is removed, then set to `null`, one at a time, and the body must
//! still decode. A body without its identity must not.

#[path = "support/generated_registry.rs"]
mod registry;
#[path = "support/live.rs"]
mod live;

use std::collections::BTreeSet;

use codegen::spec::{Api, FieldType, Shape, TypeDef};
use serde_json::Value;

/// How one key is taken away.
#[derive(Clone, Copy, Debug)]
enum Loss {
    Removed,
    Null,
}

/// The JSON pointer of every field of every object in `v` (of type `ty`),
/// at any depth: the keys of struct types, not those of maps.
fn fields(api: &Api, ty: &FieldType, v: &Value, at: &str, out: &mut Vec<String>) {
    match (ty, v) {
        (FieldType::Named(name), Value::Object(map)) => {
            let Some(TypeDef { shape: Shape::Struct { fields: known }, .. }) = api.type_def(name) else { return };
            for (k, item) in map {
                let Some(field) = known.iter().find(|f| &f.name == k) else { continue };
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(here.clone());
                fields(api, &field.ty, item, &here, out);
            }
        }
        (FieldType::List(inner), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                fields(api, inner, item, &format!("{at}/{i}"), out);
            }
        }
        (FieldType::Map(inner), Value::Object(map)) => {
            for (k, item) in map {
                fields(api, inner, item, &format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        _ => {}
    }
}

/// `body` with the key at `pointer` removed or set to `null`.
fn without(body: &Value, pointer: &str, loss: Loss) -> Value {
    let mut out = body.clone();
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let key = key.replace("~1", "/").replace("~0", "~");
    if let Some(Value::Object(map)) = out.pointer_mut(parent) {
        match loss {
            Loss::Removed => {
                map.remove(&key);
            }
            Loss::Null => {
                map.insert(key, Value::Null);
            }
        }
    }
    out
}

/// The list fields of page types: with `id`, the keys a response needs.
fn page_lists(api: &Api) -> BTreeSet<(String, String)> {
    api.services
        .iter()
        .flat_map(|s| &s.operations)
        .filter_map(|o| Some((o.returns.clone()?, o.items.as_ref()?.field.clone())))
        .collect()
}

/// Whether the key at `pointer` of a body of type `ty` is an identity.
fn is_identity(ty: &str, pointer: &str, lists: &BTreeSet<(String, String)>) -> bool {
    let key = pointer.rsplit('/').next().unwrap_or_default();
    key == "id" || lists.contains(&(ty.to_string(), pointer.trim_start_matches('/').to_string()))
}

/// Every way `body` (of type `ty`) loses one key it may lose and fails to
/// decode, described; and the identity losses that wrongly decode.
fn check(api: &Api, ty: &str, body: &Value, lists: &BTreeSet<(String, String)>) -> Vec<String> {
    let mut failures = Vec::new();
    let decode = |v: &Value| registry::decode_encode(ty, v).unwrap_or_else(|| Err(format!("the SDK has no type `{ty}`")));
    if let Err(e) = decode(body) {
        return vec![format!("`{ty}` does not decode the whole body: {e}")];
    }
    let mut pointers = Vec::new();
    fields(api, &FieldType::Named(ty.to_string()), body, "", &mut pointers);
    for pointer in pointers {
        let identity = is_identity(ty, &pointer, lists);
        for loss in [Loss::Removed, Loss::Null] {
            let result = decode(&without(body, &pointer, loss));
            match (identity, result) {
                (false, Err(e)) => failures.push(format!("`{ty}` {pointer} {loss:?}: {e}")),
                // The top-level identity must be there; a nested object's
                // id (a reference) likewise.
                (true, Ok(_)) if !pointer.contains("/0/") && pointer.matches('/').count() == 1 => {
                    failures.push(format!("`{ty}` {pointer} {loss:?}: decoded without its identity"))
                }
                _ => {}
            }
        }
    }
    failures
}

#[test]
fn every_response_type_decodes_without_any_one_field() {
    let api = live::api();
    let lists = page_lists(&api);
    let outputs = api.output_types();
    let mut failures = Vec::new();
    let mut checked = 0;
    for t in api.types.iter().filter(|t| outputs.contains(&t.name) && matches!(t.shape, Shape::Struct { .. })) {
        let body = codegen::render::sample(&api, &t.name);
        failures.extend(check(&api, &t.name, &body, &lists));
        checked += 1;
    }
    assert!(checked >= 120, "expected every response type, checked {checked}");
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_live_fixture_decodes_without_any_one_field() {
    let api = live::api();
    let lists = page_lists(&api);
    let files = live::fixture_files();
    assert!(files.len() >= 20, "expected the live fixtures, found {}", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let fixture = live::load(file);
        let body = &fixture["response"]["body"];
        if body.is_null() {
            continue;
        }
        let ty = live::response_type(&api, &fixture).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        failures.extend(check(&api, &ty, body, &lists).into_iter().map(|f| format!("{}: {f}", file.display())));
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_check_tells_a_strict_decoder_from_a_tolerant_one() {
    let api = live::api();
    let lists = page_lists(&api);
    // A page without its list, or an object without its id, is refused;
    // the check reports it if it were not.
    let page = codegen::render::sample(&api, "IPPolicyList");
    assert!(registry::decode_encode("IPPolicyList", &without(&page, "/ip_policies", Loss::Removed)).is_some_and(|r| r.is_err()));
    let policy = codegen::render::sample(&api, "IPPolicy");
    assert!(registry::decode_encode("IPPolicy", &without(&policy, "/id", Loss::Null)).is_some_and(|r| r.is_err()));
    assert!(check(&api, "IPPolicy", &policy, &lists).is_empty());
    // Every other field may go: the description, a timestamp, a reference.
    for pointer in ["/description", "/created_at", "/uri"] {
        for loss in [Loss::Removed, Loss::Null] {
            let body = without(&policy, pointer, loss);
            assert!(registry::decode_encode("IPPolicy", &body).is_some_and(|r| r.is_ok()), "{pointer} {loss:?}");
        }
    }
}
