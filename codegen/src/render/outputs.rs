//! Which template makes which file, for which [`Target`].

use serde::Serialize;
use tera::{Context, Tera};

use crate::spec::{Api, PolicyFormat};

use super::engine::{render_rust, render_text, templates};
use super::model::table;
use super::samples::roundtrip_groups;
use super::views::Model;
use super::{E2E_TEST, ERROR_CODES, MOCK_TABLE, OutputFile, REGISTRY, ROUNDTRIP_TEST, Target};

/// Renders every output of the generator for the SDK, in a stable order.
pub fn render(api: &Api) -> Result<Vec<OutputFile>, String> {
    render_to(api, Target::Sdk)
}

/// What every template of a target is given.
fn base(target: Target) -> Context {
    let mut ctx = Context::new();
    ctx.insert("root", "crate");
    ctx.insert("spec_dir", target.spec_dir());
    ctx.insert("accessor_trait", &(target == Target::Fixture));
    // The blocking twins exist in the SDK, behind its `blocking` feature.
    ctx.insert("blocking", &(target == Target::Sdk));
    ctx
}

/// Renders the Rust modules of `target` under [`Target::out_dir`] and, for
/// the SDK, the emulator's table and the generated tests.
pub fn render_to(api: &Api, target: Target) -> Result<Vec<OutputFile>, String> {
    let tera = templates()?;
    let header = target.header();
    let dir = target.out_dir();
    // Only the SDK itself has the service features in its manifest.
    let model = Model::new(api, target == Target::Sdk);
    let mut out = Vec::new();
    for svc in &model.services {
        let mut ctx = base(target);
        ctx.insert("svc", svc);
        let text = render_rust(&tera, "service.rs.tera", &ctx, &header)?;
        out.push(OutputFile { path: format!("{dir}/{}.rs", svc.file_stem), contents: text });
    }
    for group in &model.groups {
        let mut ctx = base(target);
        ctx.insert("group", group);
        let text = render_rust(&tera, "group.rs.tera", &ctx, &header)?;
        out.push(OutputFile { path: format!("{dir}/{}/mod.rs", group.module), contents: text });
    }
    let mut ctx = base(target);
    ctx.insert("model", &model);
    out.push(OutputFile { path: format!("{dir}/types/mod.rs"), contents: render_rust(&tera, "types.rs.tera", &ctx, &header)? });
    for module in &model.type_modules {
        let mut ctx = base(target);
        ctx.insert("module", module);
        let text = render_rust(&tera, "type_module.rs.tera", &ctx, &header)?;
        out.push(OutputFile { path: format!("{dir}/types/{}.rs", module.module), contents: text });
    }
    out.push(OutputFile { path: format!("{dir}/mod.rs"), contents: render_rust(&tera, "mod.rs.tera", &ctx, &header)? });
    out.push(OutputFile { path: format!("{dir}/services.md"), contents: render_text(&tera, "services_table.md.tera", &ctx)? });
    if target == Target::Sdk {
        out.extend(sdk_extras(&tera, api, &header)?);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// What only the SDK has: the generated tests and the emulator's table.
fn sdk_extras(tera: &Tera, api: &Api, header: &str) -> Result<Vec<OutputFile>, String> {
    let rust = |name: &str, ctx: Context, path: &str| -> Result<OutputFile, String> {
        Ok(OutputFile { path: path.to_string(), contents: render_rust(tera, name, &ctx, header)? })
    };
    let mut json = serde_json::to_string_pretty(api).map_err(|e| e.to_string())?;
    json.push('\n');
    Ok(vec![
        rust("roundtrip.rs.tera", with("groups", &roundtrip_groups(api)), ROUNDTRIP_TEST)?,
        rust("registry.rs.tera", with("types", &super::typeview::response_types(api)), REGISTRY)?,
        rust("e2e.rs.tera", with("plan", &crate::e2e::plan(api)), E2E_TEST)?,
        rust("error_codes.rs.tera", with("codes", &error_codes(api)), ERROR_CODES)?,
        OutputFile { path: MOCK_TABLE.to_string(), contents: json },
    ])
}

/// A named error code as the template writes it.
#[derive(Serialize)]
struct ErrorCodeView {
    rust_name: String,
    wire: String,
    status: Option<u16>,
    message: String,
    doc: Vec<String>,
}

fn error_codes(api: &Api) -> Vec<ErrorCodeView> {
    api.error_codes
        .iter()
        .map(|c| {
            let mut doc = super::text::doc_lines(&c.description);
            doc.push(String::new());
            doc.push(format!(" Code: `{}`{}.", c.wire(), c.status.map(|s| format!(", HTTP {s}")).unwrap_or_default()));
            doc.push(String::new());
            doc.push(format!(" ngrok's message: {}", doc_safe(&c.message)));
            ErrorCodeView { rust_name: c.rust_name.clone(), wire: c.wire(), status: c.status, message: c.message.clone(), doc }
        })
        .collect()
}

/// A message as rustdoc text: one paragraph, brackets escaped, links in
/// angle brackets.
fn doc_safe(message: &str) -> String {
    message
        .replace('\n', " ")
        .replace('[', "\\[")
        .replace(']', "\\]")
        .split(' ')
        .map(|word| match word.find("https://") {
            Some(at) => {
                let (before, url) = word.split_at(at);
                let end = url.trim_end_matches(['.', ',', ')']);
                format!("{before}<{end}>{}", &url[end.len()..])
            }
            None => word.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The SDK's base context with one more value.
fn with(key: &str, value: &impl Serialize) -> Context {
    let mut ctx = base(Target::Sdk);
    ctx.insert(key, value);
    ctx
}

/// The services table for README.md: accessor, operations, description.
pub fn readme_table(api: &Api) -> Result<String, String> {
    let mut ctx = Context::new();
    ctx.insert("rows", &table(api));
    render_text(&templates()?, "readme_table.md.tera", &ctx)
}

/// The SDK's service features for its Cargo.toml: one per top-level
/// accessor, and `full` turning on all of them.
pub fn features_block(api: &Api) -> Result<String, String> {
    let mut ctx = Context::new();
    ctx.insert("features", &super::features(api));
    render_text(&templates()?, "features.toml.tera", &ctx)
}

/// The outputs of the traffic policy description: the SDK's typed module
/// and the emulator's copy of the description.
pub fn render_policy(format: &PolicyFormat) -> Result<Vec<OutputFile>, String> {
    let tera = templates()?;
    let mut ctx = Context::new();
    ctx.insert("view", &super::policy::policy_view(format));
    let header = format!("// Code generated by `cargo xtask codegen` from spec/{}. DO NOT EDIT.", crate::spec::POLICY_FILE);
    let mut json = serde_json::to_string_pretty(format).map_err(|e| e.to_string())?;
    json.push('\n');
    let mut files = vec![
        OutputFile { path: super::POLICY_MODULE.to_string(), contents: render_rust(&tera, "traffic_policy.rs.tera", &ctx, &header)? },
        OutputFile { path: super::POLICY_JSON.to_string(), contents: json },
    ];
    // The reading of YAML and the checks of expressions and of `${...}`
    // text: one source, built into the SDK and into the emulator.
    let mut ectx = Context::new();
    ectx.insert("view", &super::policy::expressions_view(format));
    let shared = [
        ("policy_text.rs.tera", super::policy::POLICY_TEXT),
        ("policy_cel.rs.tera", super::policy::POLICY_CEL),
        ("policy_yaml.rs.tera", super::policy::POLICY_YAML),
    ];
    for (template, paths) in shared {
        let contents = render_rust(&tera, template, &ectx, &header)?;
        files.extend(paths.iter().map(|p| OutputFile { path: p.to_string(), contents: contents.clone() }));
    }
    Ok(files)
}
