//! CONTRIBUTING.md's "Adding an operation, end to end", done for real: the
//! YAML it shows is added to a copy of `spec/`, the generator runs on a copy
//! of the SDK crate exactly as `cargo xtask codegen` does, and the copy
//! compiles with a small program calling the new method, with no other
//! edit. Only the service's own feature is built, to stay quick.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml_ng::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("codegen sits in the workspace").to_path_buf()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())).flatten() {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            write(&dest, &read(&path));
        }
    }
}

/// What CONTRIBUTING.md says to do: the service file it names and the YAML
/// blocks of its "Adding an operation" section.
struct Walkthrough {
    service_file: String,
    yaml: Vec<String>,
}

fn walkthrough() -> Walkthrough {
    let text = read(&workspace().join("CONTRIBUTING.md"));
    let start = text.find("## Adding an operation").expect("CONTRIBUTING.md has a section on adding an operation");
    let section = &text[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
    let service_file = section
        .split('`')
        .find(|s| s.starts_with("spec/services/") && s.ends_with(".yaml"))
        .expect("the section names the service file to edit")
        .to_string();
    let mut yaml = Vec::new();
    let mut rest = section;
    while let Some(open) = rest.find("```yaml\n") {
        let body = &rest[open + 8..];
        let close = body.find("```").expect("a closed yaml block");
        let lines: Vec<&str> = body[..close].lines().collect();
        let indent = lines.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min();
        let indent = indent.unwrap_or(0);
        yaml.push(lines.iter().map(|l| l.get(indent..).unwrap_or("")).collect::<Vec<_>>().join("\n"));
        rest = &body[close..];
    }
    assert!(!yaml.is_empty(), "the section shows the YAML to add");
    Walkthrough { service_file, yaml }
}

/// Adds each block (a mapping of `operations` and `types` lists) to the
/// service file's lists of the same name.
fn add_to_service(service_yaml: &str, blocks: &[String]) -> String {
    let mut doc: Value = serde_yaml_ng::from_str(service_yaml).expect("the service file is YAML");
    for block in blocks {
        let add: Value = serde_yaml_ng::from_str(block).unwrap_or_else(|e| panic!("CONTRIBUTING.md's YAML: {e}\n{block}"));
        let add = add.as_mapping().expect("each YAML block maps `operations` or `types` to a list");
        for (key, items) in add {
            let list = doc.get_mut(key).and_then(Value::as_sequence_mut).expect("the service file has that list");
            list.extend(items.as_sequence().expect("a list").iter().cloned());
        }
    }
    serde_yaml_ng::to_string(&doc).expect("YAML out")
}

/// `text` without the TOML sections whose header starts with one of `headers`.
fn without_sections(text: &str, headers: &[&str]) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with('[') {
            skipping = headers.iter().any(|h| line.starts_with(h));
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A workspace holding a copy of the SDK crate and its runtime crate
/// (without their tests and benchmarks, which need the rest of the
/// workspace), of what the generator reads, and an empty `user` crate.
fn scratch_workspace(dir: &Path) {
    let ws = workspace();
    if dir.exists() {
        std::fs::remove_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    copy_dir(&ws.join("spec"), &dir.join("spec"));
    copy_dir(&ws.join(codegen::render::FIXTURE_SPEC), &dir.join(codegen::render::FIXTURE_SPEC));
    copy_dir(&ws.join("ngrok-api/src"), &dir.join("ngrok-api/src"));
    copy_dir(&ws.join("runtime/src"), &dir.join("runtime/src"));
    for file in ["README.md", "Cargo.lock", "ngrok-api/DOCS.md", "runtime/README.md"] {
        write(&dir.join(file), &read(&ws.join(file)));
    }
    for krate in ["ngrok-api", "runtime"] {
        let manifest = read(&ws.join(krate).join("Cargo.toml"));
        write(&dir.join(krate).join("Cargo.toml"), &without_sections(&manifest, &["[dev-dependencies]", "[[bench]]"]));
    }
    let root = read(&ws.join("Cargo.toml"));
    let root: String = root
        .lines()
        .filter(|l| !l.starts_with("default-members"))
        .map(|l| if l.starts_with("members") { "members = [\"runtime\", \"ngrok-api\", \"user\"]" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    write(&dir.join("Cargo.toml"), &root);
}

#[test]
fn an_operation_added_as_contributing_says_generates_and_compiles() {
    let guide = walkthrough();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("toy-operation");
    let root = dir.join("workspace");
    scratch_workspace(&root);

    // 1. Describe it.
    let service_path = root.join(&guide.service_file);
    let before = codegen::spec::load(&root.join("spec")).expect("spec/ loads");
    write(&service_path, &add_to_service(&read(&service_path), &guide.yaml));

    // 2. Check it, and find what was added.
    let api = codegen::spec::load(&root.join("spec")).unwrap_or_else(|e| panic!("the edited spec does not load:\n{e}"));
    let file = guide.service_file.trim_start_matches("spec/");
    let svc = api.services.iter().find(|s| s.file == file).expect("the service of the edited file");
    let old = before.services.iter().find(|s| s.file == file).expect("the service before the edit");
    let added: Vec<_> = svc.operations.iter().filter(|o| !old.operations.iter().any(|p| p.name == o.name)).collect();
    let [op] = added.as_slice() else { panic!("expected one new operation, found {}", added.len()) };
    let new_types: Vec<_> = api.types.iter().filter(|t| before.type_def(&t.name).is_none()).collect();

    // 3. Generate, exactly as `cargo xtask codegen` does.
    codegen::write(&root).unwrap_or_else(|e| panic!("the generator fails on the edited spec: {e}"));
    assert!(codegen::check(&root).expect("check runs").is_empty(), "the generated copy is not fresh");
    let module = svc.accessor.replace('.', "/");
    let service_rs = read(&root.join(format!("{}/{module}.rs", codegen::render::SDK_DIR)));
    assert!(service_rs.contains(&format!("pub fn {}(", op.name)), "no method `{}` in the generated service", op.name);
    let feature = codegen::render::feature_of(&svc.accessor);
    let types_rs = read(&root.join(format!("{}/types/{}.rs", codegen::render::SDK_DIR, feature.replace('-', "_"))));
    for t in &new_types {
        assert!(types_rs.contains(&format!("pub struct {} {{", t.rust_name)), "no type {} in its module", t.rust_name);
    }

    // A program calling the new method, and building each new type.
    let args: Vec<String> = op.path_params.iter().map(|p| format!("\"<{p}>\"")).collect();
    let mut program = format!(
        "pub async fn call(client: &ngrok_api::Client) -> Result<(), ngrok_api::Error> {{\n    let _ = client.{}().{}({}).await?;\n    Ok(())\n}}\n",
        svc.accessor.replace('.', "()."),
        op.name,
        args.join(", ")
    );
    for (i, t) in new_types.iter().enumerate() {
        program.push_str(&format!("pub fn build_{i}() -> ngrok_api::types::{} {{\n    Default::default()\n}}\n", t.rust_name));
    }
    write(&root.join("user/src/lib.rs"), &program);
    write(
        &root.join("user/Cargo.toml"),
        &format!(
            "[package]\nname = \"user\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nngrok-api = {{ path = \"../ngrok-api\", default-features = false, features = [\"rustls\", \"{feature}\"] }}\n"
        ),
    );

    // 4. It compiles with no other edit.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["check", "--quiet", "--offline", "-p", "user"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "the copy with the new operation does not compile:\n{}", String::from_utf8_lossy(&out.stderr));
}
