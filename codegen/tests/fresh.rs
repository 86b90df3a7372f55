//! The checked-in generated code (SDK modules, the emulator's table, the
//! generated tests, README's services table and the generator's fixture
//! crate) is what the specs and the templates produce today.

#[test]
fn generated_code_is_fresh() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("codegen sits in the workspace");
    let stale = codegen::check(root).expect("the specs load and render");
    assert!(stale.is_empty(), "stale generated files (run `cargo xtask codegen`): {stale:#?}");
}
