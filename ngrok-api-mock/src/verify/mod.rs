//! `verify`: replays recordings against a fresh emulator and reports where
//! its answers differ from the ones recorded.
//!
//! Two kinds of file are read: recordings made by `record` (every exchange
//! is replayed and compared) and the project's live fixtures (one exchange
//! as the live API answers it, after `setup` calls whose answers can be
//! named and used as `{{name.field}}`). IDs the live API minted are mapped
//! to the ones the emulator mints as answers come back, and requests are
//! rewritten with them; timestamps and the API's own URLs are compared by
//! shape.
//!
//! Differences come in classes: the status, keys missing from the
//! emulator's answer, keys it adds, `null` against a value, values the
//! server works out (computed: not given in the request) and values the
//! request gave.


mod diff;
mod plan;
mod replay;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::MockError;

pub use diff::{DiffClass, Difference};

/// What one file gave.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file.
    pub file: PathBuf,
    /// The differences found.
    pub differences: Vec<Difference>,
    /// Why the file could not be replayed at all.
    pub error: Option<String>,
}

/// What a verify run found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One entry per file, in the order read.
    pub files: Vec<FileReport>,
    /// Known differences (from the known list) that did not occur.
    pub unused_known: Vec<String>,
}

impl Report {
    /// Whether anything differs that the known list does not name, a file
    /// could not be replayed, or the known list names a difference that is
    /// gone: the run fails.
    pub fn failed(&self) -> bool {
        !self.unused_known.is_empty()
            || self.files.iter().any(|f| f.error.is_some() || f.differences.iter().any(|d| d.known.is_none()))
    }

    /// The differences not on the known list, by class.
    pub fn counts(&self) -> BTreeMap<DiffClass, usize> {
        let mut out = BTreeMap::new();
        for d in self.files.iter().flat_map(|f| &f.differences).filter(|d| d.known.is_none()) {
            *out.entry(d.class).or_insert(0) += 1;
        }
        out
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut known = 0;
        for file in &self.files {
            if let Some(e) = &file.error {
                writeln!(f, "{}: cannot be replayed: {e}", file.file.display())?;
            }
            for d in &file.differences {
                match &d.known {
                    Some(_) => known += 1,
                    None => writeln!(
                        f,
                        "{}: step {} {}: [{}] {}: {}",
                        file.file.display(),
                        d.step,
                        d.request,
                        d.class.name(),
                        if d.pointer.is_empty() { "/" } else { &d.pointer },
                        d.detail
                    )?,
                }
            }
        }
        for k in &self.unused_known {
            writeln!(f, "known difference no longer seen (remove it from the list): {k}")?;
        }
        let counts = self.counts();
        let total: usize = counts.values().sum();
        let by_class: Vec<String> = counts.iter().map(|(c, n)| format!("{} {n}", c.name())).collect();
        let errors = self.files.iter().filter(|f| f.error.is_some()).count();
        write!(
            f,
            "verify: {} files, {total} differences{}{}, {known} known, {errors} not replayable",
            self.files.len(),
            if by_class.is_empty() { "" } else { ": " },
            by_class.join(", ")
        )
    }
}

/// A known difference: a file (its path ends with this), a JSON pointer,
/// and why.
#[derive(Debug, Clone, Deserialize)]
struct Known {
    file: String,
    pointer: String,
    why: String,
}


/// Replays every recording or fixture in `paths` (files, or folders read
/// recursively for `*.json`) against a fresh emulator each. `known` names a
/// JSON list of `{"file", "pointer", "why"}` differences to accept.
pub async fn verify(paths: &[PathBuf], known: Option<&Path>) -> Result<Report, MockError> {
    let known: Vec<Known> = match known {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| MockError::Verify(format!("cannot read the known list {}: {e}", p.display())))?;
            serde_json::from_str(&text)
                .map_err(|e| MockError::Verify(format!("the known list {} is not a list of {{file, pointer, why}}: {e}", p.display())))?
        }
        None => Vec::new(),
    };
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            json_files(p, &mut files);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            return Err(MockError::Verify(format!("{} is neither a file nor a folder", p.display())));
        }
    }
    if files.is_empty() {
        return Err(MockError::Verify("no recordings found (give files, or folders holding *.json)".into()));
    }
    let mut report = Report::default();
    let mut used = BTreeSet::new();
    for file in files {
        let mut fr = FileReport { file: file.clone(), differences: Vec::new(), error: None };
        match plan::load(&file) {
            Ok(plan) => match replay::replay(&plan).await {
                Ok(diffs) => fr.differences = diffs,
                Err(e) => fr.error = Some(e),
            },
            Err(e) => fr.error = Some(e),
        }
        let shown = file.to_string_lossy().replace('\\', "/");
        for d in &mut fr.differences {
            if let Some(i) = known.iter().position(|k| shown.ends_with(&k.file) && k.pointer == d.pointer) {
                d.known = Some(known[i].why.clone());
                used.insert(i);
            }
        }
        report.files.push(fr);
    }
    report.unused_known = known
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, k)| format!("{} {} ({})", k.file, k.pointer, k.why))
        .collect();
    Ok(report)
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}
