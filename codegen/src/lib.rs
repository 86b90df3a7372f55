//! The generator of the ngrok API SDK.
//!
//! [`spec::load`] reads and checks the API description in `spec/`;
//! [`render::render`] turns it into the SDK's modules and the emulator's
//! route table; [`diff`] compares it with ngrok's published OpenAPI file.
//! `cargo xtask codegen` drives it.

#![deny(missing_docs)]

pub mod diff;
pub mod render;
pub mod spec;

use std::path::Path;

pub use render::{OutputFile, render};
pub use spec::{Api, SpecErrors, load};

/// Loads `spec/` under `root` and renders every output.
pub fn generate(root: &Path) -> Result<Vec<OutputFile>, String> {
    let api = spec::load(&root.join("spec")).map_err(|e| e.to_string())?;
    render::render(&api)
}

/// Files under the generated directories that the generator would not
/// write: stale leftovers to delete.
pub fn stale_files(root: &Path, outputs: &[OutputFile]) -> Vec<String> {
    let mut found = Vec::new();
    for dir in [render::SDK_DIR, "ngrok-api-mock/src/generated"] {
        collect(&root.join(dir), root, &mut found);
    }
    found.retain(|f| !outputs.iter().any(|o| &o.path == f));
    found.sort();
    found
}

fn collect(dir: &Path, root: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, root, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Compares what is on disk with what the generator produces: the paths
/// that differ, are missing, or should not be there.
pub fn check(root: &Path) -> Result<Vec<String>, String> {
    let outputs = generate(root)?;
    let mut stale = Vec::new();
    for o in &outputs {
        match std::fs::read_to_string(root.join(&o.path)) {
            Ok(text) if text == o.contents => {}
            Ok(_) => stale.push(format!("{} (differs)", o.path)),
            Err(_) => stale.push(format!("{} (missing)", o.path)),
        }
    }
    for extra in stale_files(root, &outputs) {
        stale.push(format!("{extra} (not generated; delete it)"));
    }
    Ok(stale)
}

/// Writes every output under `root`, removing generated files that are no
/// longer produced. Returns how many files changed.
pub fn write(root: &Path) -> Result<usize, String> {
    let outputs = generate(root)?;
    let mut changed = 0;
    for extra in stale_files(root, &outputs) {
        std::fs::remove_file(root.join(&extra)).map_err(|e| format!("{extra}: {e}"))?;
        changed += 1;
    }
    for o in &outputs {
        let path = root.join(&o.path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(o.contents.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &o.contents).map_err(|e| format!("{}: {e}", o.path))?;
        changed += 1;
    }
    Ok(changed)
}
