//! The emulator finds what the server fills in (an object's own URI, the
//! moments of its writes) by the spec's rules alone, never by field names.
//! These checks make sure a service added to the spec carries the rules:
//! a resource type's `uri`, `created_at` and `updated_at` fields must be
//! marked, or the emulator would silently leave them empty.

use std::path::PathBuf;

use ngrok_api_model::{Computed, Shape, StampOn};

#[test]
fn every_resource_marks_its_uri_and_the_moments_of_its_writes() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let api = codegen::spec::load(&root.join("spec")).expect("spec loads");
    let mut unmarked = Vec::new();
    let mut marked = 0;
    for svc in &api.services {
        let Some(Shape::Struct { fields }) = api.type_def(&svc.resource.type_name).map(|t| &t.shape) else { continue };
        for f in fields {
            let want = match f.name.as_str() {
                "uri" => Some(Computed::SelfUri),
                "created_at" => Some(Computed::Stamp { on: StampOn::Create }),
                "updated_at" => Some(Computed::Stamp { on: StampOn::Write }),
                _ => None,
            };
            let Some(want) = want else { continue };
            marked += 1;
            if f.computed.as_ref() != Some(&want) {
                unmarked.push(format!("{}.{}: {:?}", svc.resource.type_name, f.name, f.computed));
            }
        }
    }
    assert_eq!(unmarked, Vec::<String>::new(), "resource fields the emulator would leave empty");
    assert!(marked > 60, "only {marked} fields checked");
}
