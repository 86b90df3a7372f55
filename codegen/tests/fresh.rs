//! The checked-in generated code (SDK modules, the emulator's table, the
//! generated tests and README's services table) is what `spec/` and the
//! templates produce today.

#[test]
fn generated_code_is_fresh() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("codegen sits in the workspace");
    let stale = codegen::check(root).expect("spec/ loads and renders");
    assert!(stale.is_empty(), "stale generated files (run `cargo xtask codegen`): {stale:#?}");
}
