//! A reference has its home in the model: every field whose type is the
//! spec's reference type is resolved into `FieldType::Reference`, so no
//! reader tells a reference by its type's name.

use std::collections::BTreeSet;
use std::path::PathBuf;

use ngrok_api_model::{Api, FieldType, Shape};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every field type of every struct, with list and map items.
fn all_types(api: &Api) -> Vec<(String, FieldType)> {
    fn walk(at: &str, ty: &FieldType, out: &mut Vec<(String, FieldType)>) {
        out.push((at.to_string(), ty.clone()));
        if let FieldType::List(inner) | FieldType::Map(inner) = ty {
            walk(at, inner, out);
        }
    }
    let mut out = Vec::new();
    for t in &api.types {
        if let Shape::Struct { fields } = &t.shape {
            for f in fields {
                walk(&format!("{}.{}", t.name, f.name), &f.ty, &mut out);
            }
        }
    }
    out
}

#[test]
fn every_field_of_the_reference_type_is_a_reference() {
    let api = codegen::spec::load(&workspace().join("spec")).expect("spec loads");
    let types = all_types(&api);
    let references: BTreeSet<&str> = types
        .iter()
        .filter_map(|(_, ty)| match ty {
            FieldType::Reference(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(references, BTreeSet::from(["Ref"]), "the spec's one reference type");
    for (at, ty) in &types {
        if let FieldType::Named(n) = ty {
            assert!(!references.contains(n.as_str()), "{at} names the reference type `{n}` but is not resolved as a reference");
        }
    }
    let count = types.iter().filter(|(_, ty)| ty.is_reference()).count();
    assert!(count >= 20, "only {count} reference fields: the spec has more");
}

fn load(ref_fields: &str, thing_field: &str) -> Result<Api, Vec<String>> {
    let shared = format!("types:\n- name: Ref\n  kind: reference\n  description: A reference.\n  fields:\n{ref_fields}");
    let service = format!(
        "service: things\ndescription: Things.\noperations:\n- name: get\n  method: GET\n  path: /things/{{id}}\n  description: Fetches a thing.\n  returns: Thing\n  status: 200\ntypes:\n- name: Thing\n  description: A thing.\n  fields:\n  - name: id\n    type: string\n    description: ID.\n  - name: owner\n    type: {thing_field}\n    description: Who.\n"
    );
    codegen::spec::load_texts(&[("shared.yaml".into(), shared), ("services/things.yaml".into(), service)])
        .map_err(|e| e.0.iter().map(|e| e.to_string()).collect())
}

const ID_URI: &str =
    "  - name: id\n    type: string\n    description: ID.\n  - name: uri\n    type: string\n    description: URI.\n";

#[test]
fn fields_of_a_reference_type_resolve_to_references_in_lists_and_maps_too() {
    for (spelled, want) in [
        ("Ref", FieldType::Reference("Ref".into())),
        ("list<Ref>", FieldType::List(Box::new(FieldType::Reference("Ref".into())))),
        ("map<Ref>", FieldType::Map(Box::new(FieldType::Reference("Ref".into())))),
    ] {
        let api = load(ID_URI, spelled).unwrap_or_else(|e| panic!("{spelled}: {e:?}"));
        let Some(Shape::Struct { fields }) = api.type_def("Thing").map(|t| &t.shape) else { panic!("no Thing") };
        assert_eq!(fields[1].ty, want, "{spelled}");
    }
}

#[test]
fn a_reference_type_must_have_the_form_id_and_uri() {
    let errs = load("  - name: id\n    type: string\n    description: ID.\n", "Ref").expect_err("only an id");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with("shared.yaml: type Ref: a reference has exactly the string fields `id` and `uri`"), "{errs:?}");
    let swapped = "  - name: uri\n    type: string\n    description: URI.\n  - name: id\n    type: string\n    description: ID.\n";
    assert!(load(swapped, "Ref").is_err(), "fields out of order");
}
