//! The tera engine: every template compiled into the generator, the filters
//! they use, and rendering to checked, pretty-printed Rust.

use tera::{Context, Tera};

macro_rules! template {
    ($name:literal) => {
        ($name, include_str!(concat!("../../templates/", $name)))
    };
}

/// Every template, parsed once.
pub(super) fn templates() -> Result<Tera, String> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![]);
    tera.register_filter("rust_str", rust_str);
    tera.add_raw_templates(vec![
        template!("macros.rs.tera"),
        template!("e2e_macros.rs.tera"),
        template!("examples.rs.tera"),
        template!("service.rs.tera"),
        template!("group.rs.tera"),
        template!("mod.rs.tera"),
        template!("types.rs.tera"),
        template!("type_module.rs.tera"),
        template!("services_table.md.tera"),
        template!("roundtrip.rs.tera"),
        template!("registry.rs.tera"),
        template!("e2e.rs.tera"),
        template!("error_codes.rs.tera"),
        template!("readme_table.md.tera"),
        template!("features.toml.tera"),
        template!("traffic_policy.rs.tera"),
        template!("policy_text.rs.tera"),
        template!("policy_cel.rs.tera"),
        template!("policy_yaml.rs.tera"),
    ])
    .map_err(|e| format!("templates do not parse: {}", error_chain(&e)))?;
    Ok(tera)
}

/// A tera filter: the value as a Rust string literal, escaped by
/// `proc_macro2` exactly as the compiler expects.
fn rust_str(value: &tera::Value, _: &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let text = match value {
        tera::Value::String(s) => s.clone(),
        other @ tera::Value::Null | other @ tera::Value::Bool(_) | other @ tera::Value::Number(_) | other @ tera::Value::Array(_) | other @ tera::Value::Object(_) => other.to_string(),
    };
    Ok(tera::Value::String(proc_macro2::Literal::string(&text).to_string()))
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Renders a Rust template, checks it parses, and prints it with `header`
/// first; a template that renders broken Rust fails naming the line.
pub(super) fn render_rust(tera: &Tera, name: &str, ctx: &Context, header: &str) -> Result<String, String> {
    let text = tera.render(name, ctx).map_err(|e| format!("template {name}: {}", error_chain(&e)))?;
    let file = syn::parse_file(&text).map_err(|e| {
        let line = e.span().start().line;
        let excerpt: Vec<&str> = text.lines().skip(line.saturating_sub(3)).take(5).collect();
        format!("template {name} rendered invalid Rust at line {line}: {e}\n{}", excerpt.join("\n"))
    })?;
    let pretty = prettyplease::unparse(&file);
    Ok(format!("{header}\n\n{pretty}"))
}

/// Renders a template that is not Rust (Markdown, TOML) as it is.
pub(super) fn render_text(tera: &Tera, name: &str, ctx: &Context) -> Result<String, String> {
    tera.render(name, ctx).map_err(|e| format!("template {name}: {}", error_chain(&e)))
}
