//! `cargo xtask docs check <dir>`: what the rendered docs of the SDK must
//! not show. The decoding traits are `#[doc(hidden)]`, so no model page
//! lists an `impl Object`, `impl FromWire` or `impl Text`; the types that
//! only travel on the wire have no page; and no request type is named
//! alike in two services.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Anchors rustdoc gives the impl blocks of the decoding traits.
const HIDDEN_IMPLS: &[&str] = &["id=\"impl-Object-for-", "id=\"impl-FromWire-for-", "id=\"impl-Text-for-"];

/// Pages of types that only travel on the wire.
const WIRE_ONLY: &[&str] = &["struct.Paging.html", "struct.Empty.html", "struct.FilteredPaging.html", "struct.ErrorBody.html"];

/// The problems found in one page, named by its path.
pub(crate) fn page_problems(path: &str, html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for anchor in HIDDEN_IMPLS {
        if html.contains(anchor) {
            let name = anchor.trim_start_matches("id=\"impl-").trim_end_matches("-for-");
            out.push(format!("{path}: shows `impl {name}`, a decoding trait that should be hidden"));
        }
    }
    if WIRE_ONLY.iter().any(|w| path.ends_with(w)) && (path.starts_with("types/") || path.contains("/types/")) {
        out.push(format!("{path}: a wire-only type has a page"));
    }
    out
}

/// `cargo xtask docs check [dir]`: prints each problem; fails if any.
pub(crate) fn run(root: &Path, args: &[&str]) -> Result<ExitCode, String> {
    let dir = match args {
        [] => root.join("target/doc/ngrok_api"),
        [dir] => PathBuf::from(dir),
        _ => return Err(format!("unexpected arguments {args:?}")),
    };
    let problems = check(&dir)?;
    for p in &problems {
        eprintln!("{p}");
    }
    if problems.is_empty() {
        println!("docs: {} shows no decoding impl, no wire-only type, no request name twice", dir.display());
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

/// Every problem in the rendered docs under `dir` (`target/doc/ngrok_api`).
pub(crate) fn check(dir: &Path) -> Result<Vec<String>, String> {
    if !dir.join("index.html").is_file() {
        return Err(format!("{} holds no rendered docs: run `cargo doc -p ngrok-api --no-deps` first", dir.display()));
    }
    let mut problems = Vec::new();
    let mut requests: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut pages = 0;
    walk(dir, &mut |path| {
        let rel = path.strip_prefix(dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
        let html = match std::fs::read_to_string(path) {
            Ok(html) => html,
            Err(e) => return problems.push(format!("{rel}: {e}")),
        };
        // rustdoc leaves a stub that redirects from an item's private path.
        if html.contains("http-equiv=\"refresh\"") {
            return;
        }
        problems.extend(page_problems(&rel, &html));
        pages += 1;
        let file = rel.rsplit('/').next().unwrap_or_default();
        if let Some(name) = file.strip_prefix("struct.").and_then(|f| f.strip_suffix("Request.html"))
            && !rel.split('/').any(|segment| segment == "blocking")
        {
            requests.entry(format!("{name}Request")).or_default().push(rel.clone());
        }
    })?;
    if pages < 100 {
        problems.push(format!("only {pages} pages under {}: not the SDK's docs?", dir.display()));
    }
    for (name, paths) in requests.iter().filter(|(_, p)| p.len() > 1) {
        problems.push(format!("request type `{name}` has {} pages: {}", paths.len(), paths.join(", ")));
    }
    Ok(problems)
}

fn walk(dir: &Path, visit: &mut dyn FnMut(&Path)) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            walk(&path, visit)?;
        } else if path.extension().is_some_and(|x| x == "html") {
            visit(&path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::page_problems;

    #[test]
    fn a_page_showing_a_decoding_impl_is_reported() {
        let html = r#"<section id="impl-Object-for-IpPolicy" class="impl"><h3>impl Object for IpPolicy</h3></section>"#;
        let problems = page_problems("types/ip_policies/struct.IpPolicy.html", html);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("impl Object"), "{problems:?}");
        let html = r#"<section id="impl-FromWire-for-Region"></section><section id="impl-Debug-for-Region"></section>"#;
        assert_eq!(page_problems("types/shared/enum.Region.html", html).len(), 1);
    }

    #[test]
    fn a_clean_page_passes_and_a_wire_only_page_does_not() {
        let html = r#"<section id="impl-Debug-for-IpPolicy"></section><section id="impl-Page-for-IpPolicyList"></section>"#;
        assert!(page_problems("types/ip_policies/struct.IpPolicy.html", html).is_empty());
        assert_eq!(page_problems("types/shared/struct.Paging.html", "").len(), 1);
    }
}
