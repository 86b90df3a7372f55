//! What the server rewrites in the values it is given before it keeps
//! them: case, default ports, the end of PEM texts.

use ngrok_api_model::Normalize;
use serde_json::Value;

use crate::net::strip_default_port;

/// Applies `rule` to `v` in place: to a string, to every string of a list,
/// or (for `lowercase_keys`) to the keys of a map. Values of other shapes
/// are left alone.
pub(crate) fn apply(rule: Normalize, v: &mut Value) {
    let f: fn(&str) -> String = match rule {
        Normalize::Lowercase => str::to_lowercase,
        Normalize::StripDefaultPort => strip_default_port,
        Normalize::PemSingleNewline => pem_single_newline,
        Normalize::LowercaseKeys => {
            lowercase_keys(v);
            return;
        }
    };
    match v {
        Value::String(s) => *s = f(s),
        Value::Array(items) => {
            for item in items {
                if let Value::String(s) = item {
                    *s = f(s);
                }
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::Object(_) => {}
    }
}

/// A PEM text ending in exactly one newline (an empty text stays empty).
fn pem_single_newline(text: &str) -> String {
    let body = text.trim_end_matches(['\n', '\r', ' ', '\t']);
    if body.is_empty() { String::new() } else { format!("{body}\n") }
}

/// Lower-cases the keys of a map (header names); with a list, every string
/// in it (header names to remove).
fn lowercase_keys(v: &mut Value) {
    match v {
        Value::Object(m) => {
            let old = std::mem::take(m);
            for (k, item) in old {
                m.insert(k.to_lowercase(), item);
            }
        }
        Value::Array(_) => {
            apply(Normalize::Lowercase, v);
        }
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(rule: Normalize, mut v: Value) -> Value {
        apply(rule, &mut v);
        v
    }

    #[test]
    fn each_rule_rewrites_what_the_server_rewrites() {
        assert_eq!(run(Normalize::Lowercase, json!(["Foo", "BAR"])), json!(["foo", "bar"]));
        assert_eq!(run(Normalize::Lowercase, json!("Bindings")), json!("bindings"));
        assert_eq!(run(Normalize::LowercaseKeys, json!({"X-Custom": "Keep-Case"})), json!({"x-custom": "Keep-Case"}));
        assert_eq!(run(Normalize::LowercaseKeys, json!(["X-Remove"])), json!(["x-remove"]));
        assert_eq!(run(Normalize::StripDefaultPort, json!("https://a.example.com:443")), json!("https://a.example.com"));
        assert_eq!(run(Normalize::StripDefaultPort, json!(["http://a:80", "http://a:81"])), json!(["http://a", "http://a:81"]));
        let pem = "-----BEGIN X-----\nAAAA\n-----END X-----";
        assert_eq!(run(Normalize::PemSingleNewline, json!(pem)), json!(format!("{pem}\n")));
        assert_eq!(run(Normalize::PemSingleNewline, json!(format!("{pem}\n\n\r\n"))), json!(format!("{pem}\n")));
        assert_eq!(run(Normalize::PemSingleNewline, json!("")), json!(""));
        assert_eq!(run(Normalize::Lowercase, json!(7)), json!(7));
    }
}
