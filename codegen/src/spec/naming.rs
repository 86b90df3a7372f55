//! Rust names for the description's services, types, fields and values.

/// Rust keywords that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move",
    "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true",
    "try", "type", "unsafe", "use", "where", "while", "yield", "abstract", "become", "do", "final",
    "macro", "override", "priv", "typeof", "unsized", "virtual",
];

/// A snake_case identifier, escaped when it is a keyword (`type` -> `r#type`).
pub fn rust_ident(name: &str) -> String {
    let snake = heck::ToSnakeCase::to_snake_case(name);
    if KEYWORDS.contains(&snake.as_str()) {
        if matches!(snake.as_str(), "self" | "Self" | "super" | "crate") {
            format!("{snake}_")
        } else {
            format!("r#{snake}")
        }
    } else {
        snake
    }
}

/// Whether `name` (possibly raw, `r#type`) parses as one Rust identifier.
pub(crate) fn is_rust_ident(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_ok()
}

/// The Rust type name for a spec name (`IPPolicy` -> `IpPolicy`).
pub fn rust_type_name(name: &str) -> String {
    let snake = heck::ToSnakeCase::to_snake_case(name);
    heck::ToUpperCamelCase::to_upper_camel_case(snake.as_str())
}

/// The Rust variant name for an enum's wire value (`ngrok/2` -> `Ngrok2`).
pub(crate) fn variant_name(value: &str) -> String {
    let cleaned: String = value
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    let mut name = heck::ToUpperCamelCase::to_upper_camel_case(lower.as_str());
    if name.chars().next().is_none_or(|c| c.is_ascii_digit()) {
        name = format!("V{name}");
    }
    name
}

/// The Rust name of a service handle (`edges.https` -> `HttpsEdges`).
pub(crate) fn service_rust_name(accessor: &str) -> String {
    let camel = |s: &str| heck::ToUpperCamelCase::to_upper_camel_case(s);
    match accessor.split_once('.') {
        None => camel(accessor),
        Some((group, leaf)) => format!("{}{}", camel(leaf), camel(group)),
    }
}

/// Whether a field name is a snake_case word that makes a Rust identifier.
pub(crate) fn is_field_name(name: &str) -> bool {
    is_rust_ident(&rust_ident(name)) && name == heck::ToSnakeCase::to_snake_case(name)
}

/// Whether an operation name is snake_case and makes a Rust identifier.
pub(crate) fn is_operation_name(name: &str) -> bool {
    name.chars().all(|c| c.is_ascii_lowercase() || c == '_') && is_rust_ident(&rust_ident(name))
}
