//! `cargo xtask` acts on the checkout it runs in, even when two checkouts
//! share one target directory (a global `CARGO_TARGET_DIR`, a CI cache), so
//! the task binary built in one is reused by the other.
//!
//! Two clones of this repository share a target directory: the spec is
//! edited in the second; the check in the first says all is fresh, the
//! check in the second sees its own stale output, and still does once the
//! first clone is gone.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(".."))
}

fn run(dir: &Path, target: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .args(["xtask"])
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo in {}: {e}", dir.display()))
}

fn text(out: &Output) -> String {
    format!("status {:?}\nstdout:\n{}\nstderr:\n{}", out.status.code(), String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn clone(from: &Path, to: &Path) {
    let out = Command::new("git")
        .args(["clone", "--quiet", "--local"])
        .arg(from)
        .arg(to)
        .output()
        .unwrap_or_else(|e| panic!("cannot run git: {e}"));
    assert!(out.status.success(), "git clone failed: {}", text(&out));
}

#[test]
fn each_clone_is_acted_on_when_they_share_a_target_directory() {
    let root = workspace();
    let place = root.join("target/tests/two-clones");
    let (a, b, target) = (place.join("a"), place.join("b"), place.join("target"));
    for dir in [&a, &b] {
        if dir.exists() {
            std::fs::remove_dir_all(dir).unwrap_or_else(|e| panic!("cannot clear {}: {e}", dir.display()));
        }
    }
    clone(&root, &a);
    clone(&root, &b);

    // The spec changes in the second clone only.
    let spec = b.join("spec/services/ip_policies.yaml");
    let yaml = std::fs::read_to_string(&spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let edited = yaml.replacen("\ndescription: ", "\ndescription: Edited in the second clone. ", 1);
    assert_ne!(edited, yaml, "the service description was not found");
    std::fs::write(&spec, edited).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));

    let first = run(&a, &target, &["codegen", "--check"]);
    assert!(first.status.success(), "the untouched clone is fresh: {}", text(&first));

    let second = run(&b, &target, &["codegen", "--check"]);
    assert!(!second.status.success(), "the edited clone must be seen as stale: {}", text(&second));
    assert!(String::from_utf8_lossy(&second.stderr).contains("stale: ngrok-api/src/generated/ip_policies.rs"), "{}", text(&second));

    // With the first clone gone, the second still reads its own spec.
    std::fs::remove_dir_all(&a).unwrap_or_else(|e| panic!("cannot remove {}: {e}", a.display()));
    let alone = run(&b, &target, &["codegen"]);
    assert!(alone.status.success(), "{}", text(&alone));
    let written = b.join("ngrok-api/src/generated/ip_policies.rs");
    let code = std::fs::read_to_string(&written).unwrap_or_else(|e| panic!("{}: {e}", written.display()));
    assert!(code.contains("Edited in the second clone."), "the regenerated code comes from the second clone's spec");
    let again = run(&b, &target, &["codegen", "--check"]);
    assert!(again.status.success(), "{}", text(&again));

    // Run from a folder inside the clone without cargo's help, the task
    // finds the checkout by its spec.
    let binary = target.join("debug/xtask");
    let inside = Command::new(&binary)
        .args(["spec", "check"])
        .current_dir(b.join("spec/services"))
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
    assert!(inside.status.success(), "{}", text(&inside));
    let outside = Command::new(&binary)
        .args(["spec", "check"])
        .current_dir(std::env::temp_dir())
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
    assert!(!outside.status.success());
    assert!(String::from_utf8_lossy(&outside.stderr).contains("not inside a checkout"), "{}", text(&outside));
    std::fs::remove_dir_all(&b).unwrap_or_else(|e| panic!("cannot remove {}: {e}", b.display()));
}
