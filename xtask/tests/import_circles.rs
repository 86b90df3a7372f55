//! No two modules of a crate import each other, directly or around a
//! longer circle: a room that needs another's things names it, and that
//! room does not name it back. Circles make every change touch both ends
//! and hide which module owns what.
//!
//! Circles are looked for among siblings: the top-level modules of a
//! crate, and the children of each module. A module's own items (what its
//! file defines, outside its children) are a node of their own: a child
//! using them depends on them, and a name a module re-exports counts as
//! the child it comes from. A module declaring its children is not a
//! dependency on them. Test modules (`#[cfg(test)]`) are left out: they
//! drive their module from outside, as a user would.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[path = "import_circles/scan.rs"]
mod scan;

use scan::{paths, root_exports, root_uses, test_module_named, tokens};

/// Crates whose modules must form no circle, by their source folder.
const CRATES: &[&str] = &["runtime/src", "ngrok-api-mock/src"];

const ROOT: &str = "(crate root)";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(".."))
}

/// One file of a crate: its module path and its text.
struct Source {
    module: Vec<String>,
    shown: String,
    text: String,
}

/// Every `.rs` file under `src`, with its module path (`lib.rs` is the
/// root, `a/mod.rs` and `a.rs` are `a`). Binaries and generated folders
/// are not modules of the library.
fn read_crate(src: &Path) -> Result<Vec<Source>, String> {
    let mut files = Vec::new();
    walk(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let rel = path.strip_prefix(src).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        if rel == "main.rs" || rel.starts_with("bin/") {
            continue;
        }
        let mut module: Vec<String> = rel.trim_end_matches(".rs").split('/').map(str::to_string).collect();
        if module.last().is_some_and(|last| last == "mod" || last == "lib") {
            module.pop();
        }
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{rel}: {e}"))?;
        out.push(Source { module, shown: rel, text });
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file modules declared test-only (`#[cfg(test)] mod name;`), as
/// module paths.
fn test_only_files(sources: &[Source]) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for source in sources {
        let list = tokens(&source.text);
        for at in 0..list.len() {
            if let Some((_, name)) = test_module_named(&list, at) {
                let mut module = source.module.clone();
                module.push(name);
                found.push(module);
            }
        }
    }
    found
}

/// Each module's dependencies on the others, with where each was seen.
type Graph = BTreeMap<String, BTreeMap<String, String>>;

fn node(path: &[String]) -> String {
    if path.is_empty() { ROOT.to_string() } else { path.join("::") }
}

/// The node of the items a module defines itself (not in its children).
fn own(module: &[String]) -> String {
    if module.is_empty() { ROOT.to_string() } else { format!("{} (its own items)", module.join("::")) }
}

fn child(scope: &[String], name: &str) -> String {
    let mut path = scope.to_vec();
    path.push(name.to_string());
    node(&path)
}

/// Dependencies between siblings: in each module, between its children
/// and its own items. A path from `a::b` to `a::c::x` is `a::b -> a::c`;
/// to `d::x` it is `a -> d`, one level up.
fn graph(sources: &[Source]) -> Graph {
    let test_only = test_only_files(sources);
    let live: Vec<&Source> = sources.iter().filter(|s| !test_only.iter().any(|t| s.module.starts_with(t))).collect();
    let mut children: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for source in &live {
        if let Some((last, parent)) = source.module.split_last() {
            children.entry(parent.to_vec()).or_default().insert(last.clone());
        }
    }
    let none = BTreeSet::new();
    let mut exports: BTreeMap<Vec<String>, BTreeMap<String, String>> = BTreeMap::new();
    let mut graph = Graph::new();
    for source in &live {
        let kids = children.get(&source.module).unwrap_or(&none);
        let list = tokens(&source.text);
        let found = root_exports(&list, kids);
        for kid in root_uses(&list, kids, &found) {
            graph.entry(own(&source.module)).or_default().insert(child(&source.module, &kid), format!("{} (its own items)", source.shown));
        }
        exports.insert(source.module.clone(), found);
    }
    for source in &live {
        let mut found = Vec::new();
        paths(&tokens(&source.text), &source.module, &mut found);
        for path in found {
            let k = source.module.iter().zip(&path).take_while(|(a, b)| a == b).count();
            let Some(target) = path.get(k) else { continue };
            let scope = &path[..k];
            let from = source.module.get(k).map_or_else(|| own(scope), |name| child(scope, name));
            let to = if children.get(scope).is_some_and(|kids| kids.contains(target)) {
                child(scope, target)
            } else {
                exports.get(scope).and_then(|e| e.get(target)).map_or_else(|| own(scope), |kid| child(scope, kid))
            };
            if to != from {
                graph.entry(from).or_default().entry(to).or_insert_with(|| format!("{}: crate::{}", source.shown, path.join("::")));
            }
        }
    }
    graph
}

fn reachable(graph: &Graph, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_string()];
    while let Some(node) = stack.pop() {
        for next in graph.get(&node).into_iter().flat_map(|m| m.keys()) {
            if seen.insert(next.clone()) {
                stack.push(next.clone());
            }
        }
    }
    seen
}

/// Every dependency that closes a circle, one line each, with where it
/// was written.
fn circles(graph: &Graph) -> Vec<String> {
    let mut found = Vec::new();
    for (from, targets) in graph {
        for (to, seen_at) in targets {
            if reachable(graph, to).contains(from) {
                found.push(format!("{from} -> {to} (at {seen_at}), and {to} leads back to {from}"));
            }
        }
    }
    found
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let root = workspace();
    let mut problems = Vec::new();
    for krate in CRATES {
        let sources = read_crate(&root.join(krate)).unwrap_or_else(|e| panic!("{e}"));
        assert!(sources.len() > 5, "{krate}: found only {} files; is the workspace root right?", sources.len());
        problems.extend(circles(&graph(&sources)).into_iter().map(|c| format!("{krate}: {c}")));
    }
    assert!(problems.is_empty(), "move what both ends share into a module of its own:\n{}", problems.join("\n"));
}

fn source(module: &[&str], text: &str) -> Source {
    Source { module: module.iter().map(|s| s.to_string()).collect(), shown: module.join("/"), text: text.to_string() }
}

/// The check itself: a circle through a `use` group, a re-export and a
/// path in code is found, as is one between two children of a module; a
/// child using its parent and a test module's `super::*` are not
/// circles.
#[test]
fn the_check_finds_circles_and_only_circles() {
    let lib = "mod a; mod b; mod c; pub use c::Thing;";
    let circle = [
        source(&[], lib),
        source(&["a"], "use super::{b::B, Thing};"),
        source(&["b"], "fn f() { crate::a::g(); }"),
        source(&["c"], "pub struct Thing; #[cfg(test)] mod tests { use super::*; use crate::a::g; }"),
        source(&["c", "inner"], "use super::Thing;"),
    ];
    let found = circles(&graph(&circle));
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("a -> b") && found[1].starts_with("b -> a"), "{found:?}");
    let nested = [
        source(&[], "mod f;"),
        source(&["f"], "mod check; mod funcs;"),
        source(&["f", "check"], "use super::funcs::call;"),
        source(&["f", "funcs"], "fn g() { super::check::run(); }"),
    ];
    let found = circles(&graph(&nested));
    assert!(found.len() == 2 && found[0].starts_with("f::check -> f::funcs"), "{found:?}");
    let line = [source(&[], lib), source(&["a"], "use super::{b::B, Thing};"), source(&["b"], "use crate::c::Thing;"), source(&["c"], "")];
    assert_eq!(circles(&graph(&line)), Vec::<String>::new());
}
