//! The generator's output for a small fixture spec is checked in at
//! `ngrok-api/src/fixture/` and compiled with the SDK's unit tests, so a
//! template change shows up here as a readable diff and must still build.
//! Run with `UPDATE_SNAPSHOTS=1` to accept a deliberate change.

use std::path::{Path, PathBuf};

const FIXTURE_OUT: &str = "ngrok-api/src/fixture";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("codegen sits in the workspace").to_path_buf()
}

fn render_fixture() -> Vec<codegen::OutputFile> {
    let api = codegen::spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixture/spec")).expect("fixture spec loads");
    codegen::render::render_to(&api, FIXTURE_OUT, None, "crate::fixture").expect("fixture renders")
}

#[test]
fn fixture_output_matches_the_snapshot() {
    let root = workspace();
    let outputs = render_fixture();
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for o in &outputs {
        let path = root.join(&o.path);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != o.contents {
            if update {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &o.contents).unwrap();
            } else {
                stale.push(o.path.clone());
            }
        }
    }
    assert!(stale.is_empty(), "snapshot differs for {stale:?}; rerun with UPDATE_SNAPSHOTS=1 if the change is intended");
}

#[test]
fn output_is_deterministic() {
    let a = render_fixture();
    let b = render_fixture();
    assert_eq!(a, b);
    let api = codegen::spec::load(&workspace().join("spec")).expect("spec loads");
    assert_eq!(codegen::render(&api).unwrap(), codegen::render(&api).unwrap());
}

#[test]
fn fixture_shapes_are_rendered() {
    let outputs = render_fixture();
    let widgets = &outputs.iter().find(|o| o.path.ends_with("/widgets.rs")).unwrap().contents;
    // Required arguments are parameters; optional ones are setters.
    assert!(widgets.contains("pub fn create(\n        &self,\n        name: impl Into<String>,\n        color: impl Into<types::Color>,"), "{widgets}");
    assert!(widgets.contains("pub fn tags(mut self, tags: impl IntoIterator<Item = impl Into<String>>) -> Self"));
    // Keywords are escaped and keep their JSON name.
    assert!(widgets.contains("pub r#type: Option<String>"));
    // Secrets are redacted in Debug.
    assert!(widgets.contains("crate::runtime::Redacted::of(&self.secret_code)"));
    // Every method documents its HTTP method and path.
    assert!(widgets.contains("`DELETE /widgets/{id}`"));
    // Instance methods exist on the resource.
    assert!(widgets.contains("impl types::Widget {"));
    let parts = &outputs.iter().find(|o| o.path.ends_with("/gadgets/parts.rs")).unwrap().contents;
    assert!(parts.contains("gadget_id: impl Into<String>,\n        id: impl Into<String>,\n        module: impl Into<types::PartModule>,"), "{parts}");
}
