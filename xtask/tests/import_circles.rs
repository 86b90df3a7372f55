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
use std::str::FromStr;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

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

/// A path written in a file: the segments after `crate::` or `super::`
/// resolved against the module it appears in.
fn resolve(current: &[String], head: &str, rest: &[String]) -> Vec<String> {
    let mut at: Vec<String> = if head == "crate" { Vec::new() } else { current[..current.len().saturating_sub(1)].to_vec() };
    let mut rest = rest;
    while let Some((first, tail)) = rest.split_first() {
        if first != "super" {
            break;
        }
        at.pop();
        rest = tail;
    }
    at.extend(rest.iter().cloned());
    at
}

fn tokens(text: &str) -> Vec<TokenTree> {
    TokenStream::from_str(text).map(|s| s.into_iter().collect()).unwrap_or_default()
}

fn is_path_sep(list: &[TokenTree], at: usize) -> bool {
    matches!((list.get(at), list.get(at + 1)), (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':')
}

/// Where a `#[cfg(test)] mod name { .. }` or `#[cfg(test)] mod name;`
/// (or `#[cfg(all(test, ..))]`) starting at `at` ends, with its name.
fn test_module_named(list: &[TokenTree], at: usize) -> Option<(usize, String)> {
    let (Some(TokenTree::Punct(hash)), Some(TokenTree::Group(attr))) = (list.get(at), list.get(at + 1)) else { return None };
    let attr: String = attr.stream().to_string().split_whitespace().collect();
    if hash.as_char() != '#' || !(attr == "cfg(test)" || attr.starts_with("cfg(all(test,")) {
        return None;
    }
    match (list.get(at + 2), list.get(at + 3)) {
        (Some(TokenTree::Ident(kw)), Some(TokenTree::Ident(name))) if kw == "mod" => Some((at + 5, name.to_string())),
        _ => None,
    }
}

fn test_module(list: &[TokenTree], at: usize) -> Option<usize> {
    test_module_named(list, at).map(|(end, _)| end)
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

/// The first name of each branch of a `{a::b, C, self}` use group.
fn group_heads(group: &TokenStream) -> Vec<String> {
    let mut heads = Vec::new();
    let mut expect = true;
    for tree in group.clone() {
        match &tree {
            TokenTree::Ident(id) if expect => {
                heads.push(id.to_string());
                expect = false;
            }
            TokenTree::Punct(p) if p.as_char() == ',' => expect = true,
            _ => {}
        }
    }
    heads
}

/// Every `crate::` or `super::` path in `list`, resolved, inline `mod`
/// blocks taken into account (`super` inside `mod tests` is the file).
fn paths(list: &[TokenTree], module: &[String], out: &mut Vec<Vec<String>>) {
    let mut i = 0;
    while i < list.len() {
        if let Some(after) = test_module(list, i) {
            i = after;
            continue;
        }
        match &list[i] {
            TokenTree::Ident(id) if id == "mod" => {
                if let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(g))) = (list.get(i + 1), list.get(i + 2)) {
                    let mut inner = module.to_vec();
                    inner.push(name.to_string());
                    paths(&g.stream().into_iter().collect::<Vec<_>>(), &inner, out);
                    i += 3;
                    continue;
                }
            }
            TokenTree::Ident(id) if (id == "crate" || id == "super") && is_path_sep(list, i + 1) => {
                let head = id.to_string();
                let mut rest = Vec::new();
                let mut j = i + 1;
                while is_path_sep(list, j) {
                    match list.get(j + 2) {
                        Some(TokenTree::Ident(seg)) => rest.push(seg.to_string()),
                        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                            for name in group_heads(&g.stream()) {
                                let mut branch = rest.clone();
                                if name != "self" {
                                    branch.push(name);
                                }
                                out.push(resolve(module, &head, &branch));
                            }
                            rest.clear();
                        }
                        _ => {}
                    }
                    j += 3;
                }
                if !rest.is_empty() {
                    out.push(resolve(module, &head, &rest));
                }
                i = j;
                continue;
            }
            TokenTree::Group(g) => paths(&g.stream().into_iter().collect::<Vec<_>>(), module, out),
            _ => {}
        }
        i += 1;
    }
}

/// The names a module re-exports from its children (`pub use
/// child::{A, B as C}`), each with the child it comes from.
fn root_exports(list: &[TokenTree], modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut exports = BTreeMap::new();
    let mut i = 0;
    while i < list.len() {
        if matches!(&list[i], TokenTree::Ident(id) if id == "use") {
            let mut flat = Vec::new();
            let mut j = i + 1;
            while j < list.len() && !matches!(&list[j], TokenTree::Punct(p) if p.as_char() == ';') {
                flatten(&list[j], &mut flat);
                j += 1;
            }
            let names: Vec<String> = flat.iter().filter_map(|t| if let TokenTree::Ident(id) = t { Some(id.to_string()) } else { None }).collect();
            let source = names.iter().find(|n| *n != "crate" && *n != "self");
            if let Some(source) = source.filter(|s| modules.contains(*s)) {
                for (k, tree) in flat.iter().enumerate() {
                    let TokenTree::Ident(id) = tree else { continue };
                    let next_is_path = is_path_sep(&flat, k + 1);
                    let next_is_as = matches!(flat.get(k + 1), Some(TokenTree::Ident(n)) if n == "as");
                    if !next_is_path && !next_is_as && id != "as" {
                        exports.insert(id.to_string(), source.clone());
                    }
                }
            }
            i = j;
        }
        i += 1;
    }
    exports
}

/// Whether the `use` at `at` is public (`pub use`, `pub(crate) use`).
fn re_export(list: &[TokenTree], at: usize) -> bool {
    let before = |back: usize| at.checked_sub(back).and_then(|i| list.get(i));
    match (before(2), before(1)) {
        (_, Some(TokenTree::Ident(id))) if id == "pub" => true,
        (Some(TokenTree::Ident(id)), Some(TokenTree::Group(_))) => id == "pub",
        _ => false,
    }
}

fn flatten(tree: &TokenTree, out: &mut Vec<TokenTree>) {
    match tree {
        TokenTree::Group(g) => g.stream().into_iter().for_each(|t| flatten(&t, out)),
        other => out.push(other.clone()),
    }
}

/// What a module's own items (not its `mod` lines and re-exports) name of
/// its children: a re-exported name or `child::...`, a private `use` too.
fn root_uses(list: &[TokenTree], modules: &BTreeSet<String>, exports: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut flat = Vec::new();
    let mut skipping = false;
    for (at, tree) in list.iter().enumerate() {
        match tree {
            // A private `use child::x` is the module's own code using it.
            TokenTree::Ident(id) if id == "use" && !re_export(list, at) => {}
            TokenTree::Ident(id) if id == "use" || id == "mod" => skipping = true,
            TokenTree::Punct(p) if skipping && p.as_char() == ';' => skipping = false,
            TokenTree::Group(_) if skipping => {}
            other if !skipping => flatten(other, &mut flat),
            _ => {}
        }
    }
    let mut used = BTreeSet::new();
    for (k, tree) in flat.iter().enumerate() {
        let TokenTree::Ident(id) = tree else { continue };
        let name = id.to_string();
        if let Some(module) = exports.get(&name) {
            used.insert(module.clone());
        } else if modules.contains(&name) && is_path_sep(&flat, k + 1) {
            used.insert(name);
        }
    }
    used
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
