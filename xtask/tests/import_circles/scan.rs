//! Reading module paths out of Rust source, token by token: `crate::`
//! and `super::` paths with their `use` groups, test-only modules, and
//! what a module re-exports or uses of its children.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

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

pub(crate) fn tokens(text: &str) -> Vec<TokenTree> {
    TokenStream::from_str(text).map(|s| s.into_iter().collect()).unwrap_or_default()
}

fn is_path_sep(list: &[TokenTree], at: usize) -> bool {
    matches!((list.get(at), list.get(at + 1)), (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':')
}

/// Where a `#[cfg(test)] mod name { .. }` or `#[cfg(test)] mod name;`
/// (or `#[cfg(all(test, ..))]`) starting at `at` ends, with its name.
pub(crate) fn test_module_named(list: &[TokenTree], at: usize) -> Option<(usize, String)> {
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
pub(crate) fn paths(list: &[TokenTree], module: &[String], out: &mut Vec<Vec<String>>) {
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
pub(crate) fn root_exports(list: &[TokenTree], modules: &BTreeSet<String>) -> BTreeMap<String, String> {
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
pub(crate) fn root_uses(list: &[TokenTree], modules: &BTreeSet<String>, exports: &BTreeMap<String, String>) -> BTreeSet<String> {
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
