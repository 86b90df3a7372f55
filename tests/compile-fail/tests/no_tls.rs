//! A crate that depends on `ngrok-api` with neither TLS feature does not
//! compile, and the error names the features to turn on.
//!
//! trybuild cannot show this: it builds the test crate's dependencies
//! before any case and stops when one of them fails, and a dependency that
//! fails is exactly what is tested here. So this test does what trybuild
//! does by hand: it writes a one-line crate depending on `ngrok-api` with
//! `default-features = false`, checks it with the same cargo, offline and
//! against the workspace's lock file, and reads the compiler's output.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn target_dir(root: &Path) -> PathBuf {
    // Shared with trybuild's builds, so the dependencies both check are
    // built once.
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    target.join("tests").join("trybuild")
}

/// Writes the crate and returns its directory.
fn write_crate(root: &Path, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("src"))?;
    let sdk = root.join("ngrok-api").canonicalize()?;
    let manifest = format!(
        "[package]\nname = \"ngrok-api-without-tls\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nngrok-api = {{ path = {:?}, default-features = false }}\n\n[workspace]\n",
        sdk.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::write(dir.join("src/lib.rs"), "pub use ngrok_api::Client;\n")?;
    // The workspace's versions, so nothing is resolved (or fetched) anew.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    Ok(())
}

#[test]
fn a_build_without_a_tls_feature_fails_naming_the_features() {
    let root = workspace_root();
    let target = target_dir(&root);
    let dir = target.join("ngrok-api-without-tls");
    write_crate(&root, &dir).expect("the test crate is written");

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .args(["check", "--offline", "--color=never", "--message-format=short"])
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);

    assert!(!output.status.success(), "a build with no TLS backend compiled:\n{stderr}");
    assert!(stderr.contains("could not compile `ngrok-api`"), "the SDK itself is what fails:\n{stderr}");
    let error = stderr
        .lines()
        .find(|l| l.contains("error: ngrok-api needs a TLS backend"))
        .unwrap_or_else(|| panic!("the error says a TLS backend is needed:\n{stderr}"));
    for feature in ["`rustls` feature", "`rustls-ring` feature", "`native-tls` feature"] {
        assert!(error.contains(feature), "the error names the {feature}: {error}");
    }
    // Only that error: the build stops at the configuration mistake
    // instead of burying it under errors it causes.
    assert_eq!(stderr.matches("error: ").count(), 2, "one error and cargo's summary:\n{stderr}");
}
