//! The API description: the YAML files under `spec/`, loaded and checked.
//!
//! `spec/shared.yaml` holds the types every service uses (`Ref`, paging,
//! the error body); `spec/services/**/<name>.yaml` holds one service: its
//! operations and the types it owns. The file's place in the tree is the
//! service's place in the client tree (`services/edges/https.yaml` is
//! `client.edges().https()`). `spec/README.md` documents every key.
//!
//! Loading goes through rooms with one job each: `raw` parses the files,
//! `build` resolves them into the model (the `ngrok-api-model` crate,
//! re-exported here), `checks` applies the rules one function each, and
//! `naming` gives Rust names.

use std::fmt;
use std::path::{Path, PathBuf};

pub use ngrok_api_model::*;

mod build;
mod checks;
mod naming;
mod policy;
mod raw;

pub use naming::{rust_ident, rust_type_name};
pub(crate) use naming::variant_name;
pub use policy::{POLICY_FILE, load_policy, load_policy_text};

/// A problem found while loading or checking the description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The file the problem is in, relative to the spec directory.
    pub file: String,
    /// The item the problem is about, e.g. `operation create` or `type IpPolicy, field action`.
    pub item: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl SpecError {
    pub(crate) fn new(file: &str, item: impl Into<String>, message: impl Into<String>) -> SpecError {
        SpecError { file: file.to_string(), item: item.into(), message: message.into() }
    }

    pub(crate) fn file(file: &str, message: impl Into<String>) -> SpecError {
        SpecError::new(file, String::new(), message)
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.item.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.item, self.message)
        }
    }
}

/// Every problem found in one pass, so a maintainer can fix them all at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the API description has {} problem(s):", self.0.len())?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

/// Loads and checks the description in `dir` (the `spec/` directory).
pub fn load(dir: &Path) -> Result<Api, SpecErrors> {
    let mut errors = Vec::new();
    let mut files: Vec<(String, String)> = Vec::new();
    match std::fs::read_to_string(dir.join("shared.yaml")) {
        Ok(text) => files.push(("shared.yaml".into(), text)),
        Err(e) => errors.push(SpecError::file("shared.yaml", format!("cannot read it: {e}"))),
    }
    // Optional: a description without it names no error codes.
    match std::fs::read_to_string(dir.join(raw::ERROR_CODES_FILE)) {
        Ok(text) => files.push((raw::ERROR_CODES_FILE.into(), text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => errors.push(SpecError::file(raw::ERROR_CODES_FILE, format!("cannot read it: {e}"))),
    }
    let mut service_files = Vec::new();
    collect_yaml(&dir.join("services"), &mut service_files);
    service_files.sort();
    for p in &service_files {
        let rel = p.strip_prefix(dir).unwrap_or(p).to_string_lossy().replace('\\', "/");
        match std::fs::read_to_string(p) {
            Ok(text) => files.push((rel, text)),
            Err(e) => errors.push(SpecError::file(&rel, format!("cannot read it: {e}"))),
        }
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    load_texts(&files)
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_yaml(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

/// Loads and checks a description given as (file name, text) pairs: the
/// first is the shared file, the rest are services named
/// `services/<accessor path>.yaml`. Used by [`load`] and by tests.
pub fn load_texts(files: &[(String, String)]) -> Result<Api, SpecErrors> {
    let mut errors = Vec::new();
    let parsed = raw::parse(files, &mut errors);
    let api = build::build(parsed, &mut errors);
    checks::run(&api, &mut errors);
    if errors.is_empty() { Ok(api) } else { Err(SpecErrors(errors)) }
}
