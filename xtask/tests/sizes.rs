//! The house stays in small rooms: no hand-written source file in the
//! generator, the SDK, its runtime, the emulator, the model, the test
//! server or these tasks is over 400 lines, and no function in them is over 80 lines.
//! Generated files and the generator's fixture snapshots are left out.
//!
//! A file or function over the limit is named with its size; split it
//! along its jobs.

use std::path::{Path, PathBuf};

use proc_macro2::Span;
use syn::spanned::Spanned;

const MAX_FILE_LINES: usize = 400;
const MAX_FN_LINES: usize = 80;

/// The folders holding hand-written Rust, relative to the workspace root.
const ROOTS: &[&str] = &["codegen", "ngrok-api/src", "runtime/src", "ngrok-api-mock/src", "model", "test-server", "xtask"];

/// Folders whose files the generator writes, or snapshots of its output.
const GENERATED: &[&str] = &[
    "ngrok-api/src/generated",
    "ngrok-api-mock/src/generated",
    "runtime/src/code/table.rs",
    "codegen/tests/fixture/src/generated",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(".."))
}

/// Every `.rs` file under `dir`, skipping generated folders and build output.
fn sources(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = relative(root, &path);
        if GENERATED.contains(&rel.as_str()) || path.file_name().is_some_and(|n| n == "target") {
            continue;
        }
        if path.is_dir() {
            sources(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// Lines from the start of `from` to the end of `to`.
fn lines(from: Span, to: Span) -> usize {
    (to.end().line + 1).saturating_sub(from.start().line)
}

/// Every function with a body in `items`, nested modules included, with
/// its name and length in lines.
fn functions(items: &[syn::Item], out: &mut Vec<(String, usize, usize)>) {
    let add = |out: &mut Vec<(String, usize, usize)>, name: String, sig: &syn::Signature, body: &syn::Block| {
        out.push((name, sig.span().start().line, lines(sig.span(), body.brace_token.span.close())));
    };
    for item in items {
        match item {
            syn::Item::Fn(f) => add(out, f.sig.ident.to_string(), &f.sig, &f.block),
            syn::Item::Impl(i) => {
                for it in &i.items {
                    if let syn::ImplItem::Fn(f) = it {
                        add(out, f.sig.ident.to_string(), &f.sig, &f.block);
                    }
                }
            }
            syn::Item::Trait(t) => {
                for it in &t.items {
                    if let syn::TraitItem::Fn(syn::TraitItemFn { sig, default: Some(body), .. }) = it {
                        add(out, sig.ident.to_string(), sig, body);
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    functions(inner, out);
                }
            }
            _ => {}
        }
    }
}

/// Every file and function over the limits, one line each.
fn offenders(root: &Path) -> Result<Vec<String>, String> {
    let mut files = Vec::new();
    for dir in ROOTS {
        sources(root, &root.join(dir), &mut files);
    }
    files.sort();
    if files.len() < 20 {
        return Err(format!("found only {} source files under {ROOTS:?}; is the workspace root right?", files.len()));
    }
    let mut found = Vec::new();
    for path in &files {
        let rel = relative(root, path);
        let text = std::fs::read_to_string(path).map_err(|e| format!("{rel}: {e}"))?;
        let count = text.lines().count();
        if count > MAX_FILE_LINES {
            found.push(format!("{rel}: {count} lines (at most {MAX_FILE_LINES})"));
        }
        let file = syn::parse_file(&text).map_err(|e| format!("{rel}: does not parse: {e}"))?;
        let mut fns = Vec::new();
        functions(&file.items, &mut fns);
        for (name, line, len) in fns.into_iter().filter(|(_, _, len)| *len > MAX_FN_LINES) {
            found.push(format!("{rel}:{line}: fn {name} is {len} lines (at most {MAX_FN_LINES})"));
        }
    }
    Ok(found)
}

#[test]
fn hand_written_files_and_functions_stay_small() {
    let found = offenders(&workspace()).unwrap_or_else(|e| panic!("{e}"));
    assert!(found.is_empty(), "split these along their jobs:\n{}", found.join("\n"));
}

/// The measure itself: a long function and a long file are both caught,
/// and a short one is not.
#[test]
fn the_measure_counts_function_lines() {
    let body = "    let x = 1;\n".repeat(MAX_FN_LINES);
    let text = format!("fn short() {{}}\nimpl S {{\n    fn long() {{\n{body}    }}\n}}\n");
    let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{e}"));
    let mut fns = Vec::new();
    functions(&file.items, &mut fns);
    assert_eq!(fns, vec![("short".to_string(), 1, 1), ("long".to_string(), 3, MAX_FN_LINES + 2)]);
}
