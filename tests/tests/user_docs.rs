//! What a new user reads first says what is true: every service links
//! ngrok's page for it and every operation shows its call, the install
//! instructions install this crate, the migration guide exists, and the
//! options people look for are where they look.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn api() -> codegen::Api {
    codegen::load(&root().join("spec")).unwrap_or_else(|e| panic!("{e}"))
}

/// The doc comment lines right above `pub fn name(` in `source`, for each
/// such function (a service's method and its blocking twin's).
fn docs_above(source: &str, name: &str) -> Vec<String> {
    let lines: Vec<&str> = source.lines().collect();
    let sig = format!("pub fn {name}(");
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !line.trim_start().starts_with(&sig) {
            continue;
        }
        let docs: Vec<&str> = lines[..i]
            .iter()
            .rev()
            .take_while(|l| l.trim_start().starts_with("///") || l.trim_start().starts_with("#["))
            .copied()
            .collect();
        out.push(docs.into_iter().rev().collect::<Vec<_>>().join("\n"));
    }
    out
}

#[test]
fn every_service_links_its_docs_and_every_operation_shows_its_call() {
    let api = api();
    let mut checked = 0;
    for svc in &api.services {
        let file = format!("ngrok-api/src/generated/{}.rs", svc.accessor.replace('.', "/"));
        let source = read(&file);
        let url = codegen::render::docs_url(svc);
        assert!(url.starts_with("https://ngrok.com/docs/api-reference/"), "{}: {url}", svc.accessor);
        assert!(source.contains(&format!("<{url}>")), "{file} links {url}");
        let accessor = format!("client.{}()", svc.accessor.replace('.', "()."));
        for op in &svc.operations {
            let method = codegen::spec::rust_ident(&op.name);
            // The service's method comes first; the blocking twin's after.
            let docs = docs_above(&source, &method);
            let first = docs.first().unwrap_or_else(|| panic!("{file}: no `pub fn {method}(`"));
            assert!(first.contains("```no_run"), "{file}: {method} has no compiled example:\n{first}");
            assert!(!first.contains("```ignore") && !first.contains("```text"), "{file}: {method}");
            let call = format!("{accessor}.{method}(");
            assert!(first.contains(&call), "{file}: {method}'s example does not call {call}:\n{first}");
            if op.paging.is_some() && op.items.is_some() {
                assert!(first.contains(".items()") && first.contains("try_next().await?"), "{file}: {method} pages");
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} operations found");
}

#[test]
fn service_docs_links_are_ngroks_reference_pages() {
    // Pages of ngrok's API reference as published; most follow from the
    // service's name, the rest are given in the spec (`docs_url`).
    let api = api();
    let url = |accessor: &str| {
        let svc = api.service(accessor).unwrap_or_else(|| panic!("no service {accessor}"));
        codegen::render::docs_url(svc)
    };
    let reference = "https://ngrok.com/docs/api-reference";
    assert_eq!(url("ip_policies"), format!("{reference}/ippolicies/list"));
    assert_eq!(url("ip_policy_rules"), format!("{reference}/ippolicyrules/list"));
    assert_eq!(url("edges.https"), format!("{reference}/edgeshttps/list"));
    assert_eq!(url("edges.https_routes"), format!("{reference}/edgeshttpsroutes/get"));
    assert_eq!(url("edge_modules.https_edge_route_backend"), format!("{reference}/edgeroutebackendmodule/get"));
    assert_eq!(url("kubernetes_operators"), format!("{reference}/kubernetes-operators"));
    for svc in &api.services {
        let link = codegen::render::docs_url(svc);
        assert!(link.starts_with(reference) && !link.contains('_'), "{}: {link}", svc.accessor);
    }
}

#[test]
fn example_ids_carry_the_prefix_of_the_service_they_name() {
    let source = read("ngrok-api/src/generated/ip_policy_rules.rs");
    let create = docs_above(&source, "create").remove(0);
    // The rule's policy is an IP policy ID, not a placeholder.
    assert!(create.contains("create(\"203.0.113.0/24\", \"ipp_"), "{create}");
    let routes = read("ngrok-api/src/generated/edges/https_routes.rs");
    let get = docs_above(&routes, "get").remove(0);
    assert!(get.contains("get(\"edghts_") && get.contains("\"edghtsrt_"), "{get}");
}

#[test]
fn install_instructions_install_this_crate() {
    let readme = read("README.md");
    // crates.io's `ngrok-api` is ngrok's own 0.12 crate: every dependency
    // line shown must point at this crate's source.
    let deps: Vec<&str> = readme.lines().filter(|l| l.trim_start().starts_with("ngrok-api =")).collect();
    assert!(!deps.is_empty(), "README shows how to depend on the crate");
    for line in &deps {
        assert!(line.contains("git = ") || line.contains("path = "), "README installs from crates.io: {line}");
    }
    for (i, _) in readme.match_indices("cargo add ngrok-api") {
        let around = &readme[i.saturating_sub(200)..(i + 200).min(readme.len())];
        assert!(around.contains("0.12.1"), "README's `cargo add ngrok-api` says what it installs:\n{around}");
    }
    assert!(readme.contains("(MIGRATING.md)"), "README links the migration guide");
}

#[test]
fn the_migration_guide_shows_the_same_tasks_side_by_side() {
    let guide = read("MIGRATING.md");
    assert!(guide.contains("0.12.1"));
    let rows: Vec<Vec<&str>> = guide
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    assert_eq!(rows.first().map(|r| r.len()), Some(3), "a table of task, 0.12.1, this crate");
    assert!(rows.len() > 15, "{} rows", rows.len());
    for row in &rows {
        assert!(row.len() == 3 && row.iter().all(|c| !c.is_empty()), "every task in both columns: {row:?}");
    }
    for task in ["Create", "Every item", "CEL filter", "Not found", "Without async"] {
        assert!(rows.iter().any(|r| r[0] == task), "MIGRATING.md shows `{task}`");
    }
}

#[test]
fn builder_from_env_and_port_zero_are_where_people_look() {
    let readme = read("README.md");
    assert!(readme.contains("Client::builder_from_env()"), "README shows builder_from_env");
    let docs = read("ngrok-api/src/client.rs");
    assert!(docs.contains("[`Client::builder_from_env`]"), "Client's docs link builder_from_env");
    let mock = read("ngrok-api-mock/README.md");
    assert!(mock.contains("`--port 0`") && mock.contains("first line"), "the emulator's README recommends --port 0");
}

#[test]
fn the_reqwest_in_the_public_api_is_the_current_one_and_re_exported() {
    // `http_client` takes the re-exported type: this compiles only if they
    // are the same crate.
    let http = ngrok_api::reqwest::Client::builder().build().expect("a reqwest client");
    let client = ngrok_api::Client::builder().api_key("k").http_client(http).build();
    assert!(client.is_ok());
    // One reqwest in the build, 0.13.
    let lock = read("Cargo.lock");
    let versions: Vec<&str> = lock
        .split("[[package]]")
        .filter(|p| p.contains("\nname = \"reqwest\"\n"))
        .filter_map(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .collect();
    assert_eq!(versions.len(), 1, "{versions:?}");
    assert!(versions[0].starts_with("0.13."), "{versions:?}");
}

#[test]
fn the_guide_names_the_span_and_fields_the_client_records() {
    let guide = guide();
    let client = read("runtime/src/client.rs");
    let start = client.find("debug_span!(").expect("the client opens a call span");
    let span = &client[start..start + client[start..].find(");").expect("the span's end")];
    assert!(span.contains("\"ngrok_api.call\"") && guide.contains("span named `ngrok_api.call`"), "{span}");
    for field in ["operation", "method", "path", "status", "attempts", "duration_ms", "error"] {
        assert!(span.contains(field), "the span records `{field}`:\n{span}");
        assert!(guide.contains(&format!("`{field}`")), "the guide names the span's `{field}` field");
    }
    for section in ["# Paging", "CEL", "# Errors", "# Retries", "# Tracing", "# Testing with the emulator"] {
        assert!(guide.contains(section), "the guide covers {section}");
    }
}

/// The guide's index and every chapter, one after the other.
fn guide() -> String {
    let mut text = read("ngrok-api/src/guide.rs");
    let dir = root().join("ngrok-api/src/guide");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("the guide's chapters").flatten().map(|e| e.path()).collect();
    files.sort();
    for file in files {
        text.push_str(&std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())));
    }
    text
}

#[test]
fn the_guide_has_its_chapters_and_the_index_links_each() {
    let index = read("ngrok-api/src/guide.rs");
    let chapters = [
        ("getting_started", "# Getting started"),
        ("paging", "# Paging and filters"),
        ("errors", "# Errors, retries and tracing"),
        ("testing", "# Testing with the emulator"),
        ("cloud_endpoints", "# Cloud endpoints and traffic policy"),
        ("edges_to_endpoints", "# From edges to cloud endpoints"),
        ("controller", "# Running ngrok-api in a controller"),
        ("migrating", "# Migrating from ngrok's 0.12 crate"),
    ];
    for (module, title) in chapters {
        let chapter = read(&format!("ngrok-api/src/guide/{module}.rs"));
        assert!(chapter.starts_with(&format!("//! {title}\n")), "{module}.rs opens with `{title}`");
        assert!(index.contains(&format!("pub mod {module};")) && index.contains(&format!("]({module})")), "the index links {module}");
        assert!(chapter.contains("```"), "{module}.rs shows code");
    }
}

#[test]
fn the_edges_chapter_maps_every_legacy_service_to_its_replacement() {
    let chapter = read("ngrok-api/src/guide/edges_to_endpoints.rs");
    let api = api();
    let legacy: Vec<_> = api.services.iter().filter(|s| s.legacy.is_some()).collect();
    assert!(legacy.len() >= 30, "{} legacy services", legacy.len());
    for svc in legacy {
        let row = chapter
            .lines()
            .find(|l| l.starts_with("//! | ") && l.contains(&format!("`{}`", svc.accessor)))
            .unwrap_or_else(|| panic!("no row for `{}`", svc.accessor));
        let replacement = row.rsplit(" | ").next().unwrap_or_default();
        assert!(replacement.len() > 10, "`{}` has no replacement: {row}", svc.accessor);
    }
    assert!(chapter.contains("```no_run") && chapter.contains("client.endpoints().create("), "the chapter shows the move in code");
}
