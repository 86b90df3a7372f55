//! Project tasks: `cargo xtask codegen [--check]`, `cargo xtask spec diff`,
//! `cargo xtask docs check`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod rendered;

const USAGE: &str = "\
usage:
  cargo xtask codegen           regenerate ngrok-api/src/generated and the emulator's table from spec/
  cargo xtask codegen --check   exit non-zero, naming each file, if generated code is stale
  cargo xtask spec check        load and validate spec/ only
  cargo xtask docs check [dir]  check the SDK's rendered docs (default target/doc/ngrok_api): no
                                decoding impls, no wire-only types, request types named apart
  cargo xtask spec diff <openapi.yaml> [--supplement <file>] [--errors <api-errors.yaml>]
                                list every upstream operation, schema and field spec/ lacks,
                                and every error code whose message is not ngrok's";

/// The checkout to act on, found when the task runs, never where the
/// binary was built: a target directory shared between two checkouts
/// reuses one build for both. `cargo run` (and so `cargo xtask`) names the
/// package's folder in `CARGO_MANIFEST_DIR`; otherwise the nearest folder
/// above the current one that holds `spec/shared.yaml`.
fn root() -> Result<PathBuf, String> {
    let is_root = |dir: &Path| dir.join("spec/shared.yaml").is_file() && dir.join("Cargo.toml").is_file();
    if let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        // xtask lives one level below the workspace root.
        if let Some(root) = Path::new(&manifest_dir).parent().filter(|r| is_root(r)) {
            return Ok(root.to_path_buf());
        }
    }
    let here = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    here.ancestors().find(|d| is_root(d)).map(Path::to_path_buf).ok_or_else(|| {
        format!(
            "{} is not inside a checkout of this project (no folder above it holds spec/shared.yaml); run the task from the checkout",
            here.display()
        )
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[&str]) -> Result<ExitCode, String> {
    let root = root()?;
    match args {
        ["codegen"] => {
            let changed = codegen::write(&root)?;
            println!("codegen: {changed} file(s) written");
            Ok(ExitCode::SUCCESS)
        }
        ["codegen", "--check"] => {
            let stale = codegen::check(&root)?;
            if stale.is_empty() {
                println!("codegen: generated code is up to date");
                Ok(ExitCode::SUCCESS)
            } else {
                for s in &stale {
                    eprintln!("stale: {s}");
                }
                eprintln!("run `cargo xtask codegen` and commit the result");
                Ok(ExitCode::FAILURE)
            }
        }
        ["docs", "check", rest @ ..] => rendered::run(&root, rest).map_err(|e| format!("{e}\n{USAGE}")),
        ["spec", "check"] => {
            let api = codegen::load(&root.join("spec")).map_err(|e| e.to_string())?;
            let ops: usize = api.services.iter().map(|s| s.operations.len()).sum();
            println!("spec: {} services, {ops} operations, {} types", api.services.len(), api.types.len());
            Ok(ExitCode::SUCCESS)
        }
        ["spec", "diff", openapi, rest @ ..] => {
            let (mut supplement, mut catalog) = (None, None);
            let mut rest = rest;
            while let [flag, file, tail @ ..] = rest {
                match *flag {
                    "--supplement" => supplement = Some(*file),
                    "--errors" => catalog = Some(*file),
                    _ => return Err(format!("unexpected arguments {rest:?}\n{USAGE}")),
                }
                rest = tail;
            }
            if !rest.is_empty() {
                return Err(format!("unexpected arguments {rest:?}\n{USAGE}"));
            }
            let api = codegen::load(&root.join("spec")).map_err(|e| e.to_string())?;
            let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("cannot read {p}: {e}"));
            let upstream = read(openapi)?;
            let sup = supplement.map(read).transpose()?;
            let missing = codegen::diff::diff(&api, &upstream, sup.as_deref())?;
            let codes = match catalog {
                Some(file) => codegen::diff::diff_error_codes(&api, &read(file)?)?,
                None => Vec::new(),
            };
            if missing.is_empty() && codes.is_empty() {
                println!("spec diff: nothing missing");
                Ok(ExitCode::SUCCESS)
            } else {
                print!("{}", missing.report());
                for line in &codes {
                    println!("error code {line}");
                }
                Ok(ExitCode::FAILURE)
            }
        }
        ["help" | "--help" | "-h"] | [] => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(format!("unknown command {args:?}\n{USAGE}")),
    }
}
