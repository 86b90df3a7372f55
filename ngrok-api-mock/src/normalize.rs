//! What the server rewrites in the values it is given before it keeps
//! them: case, default ports, the end of PEM texts.

use serde_json::Value;

use crate::net::strip_default_port;

/// Every normalization rule by its name in the spec.
#[cfg(test)]
pub(crate) const RULES: [&str; 4] = ["lowercase", "lowercase_keys", "strip_default_port", "pem_single_newline"];

/// Applies the rule named `rule` to `v` in place: to a string, to every
/// string of a list, or (for `lowercase_keys`) to the keys of a map. Values
/// of other shapes are left alone. Returns `false` for a rule it does not
/// know.
pub(crate) fn apply(rule: &str, v: &mut Value) -> bool {
    let f: fn(&str) -> String = match rule {
        "lowercase" => str::to_lowercase,
        "strip_default_port" => strip_default_port,
        "pem_single_newline" => pem_single_newline,
        "lowercase_keys" => {
            lowercase_keys(v);
            return true;
        }
        _ => return false,
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
        _ => {}
    }
    true
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
            apply("lowercase", v);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(rule: &str, mut v: Value) -> Value {
        assert!(apply(rule, &mut v), "{rule}");
        v
    }

    #[test]
    fn each_rule_rewrites_what_the_server_rewrites() {
        assert_eq!(run("lowercase", json!(["Foo", "BAR"])), json!(["foo", "bar"]));
        assert_eq!(run("lowercase", json!("Bindings")), json!("bindings"));
        assert_eq!(run("lowercase_keys", json!({"X-Custom": "Keep-Case"})), json!({"x-custom": "Keep-Case"}));
        assert_eq!(run("lowercase_keys", json!(["X-Remove"])), json!(["x-remove"]));
        assert_eq!(run("strip_default_port", json!("https://a.example.com:443")), json!("https://a.example.com"));
        assert_eq!(run("strip_default_port", json!(["http://a:80", "http://a:81"])), json!(["http://a", "http://a:81"]));
        let pem = "-----BEGIN X-----\nAAAA\n-----END X-----";
        assert_eq!(run("pem_single_newline", json!(pem)), json!(format!("{pem}\n")));
        assert_eq!(run("pem_single_newline", json!(format!("{pem}\n\n\r\n"))), json!(format!("{pem}\n")));
        assert_eq!(run("pem_single_newline", json!("")), json!(""));
        assert_eq!(run("lowercase", json!(7)), json!(7));
        assert!(!apply("rot13", &mut json!("x")));
        for r in RULES {
            assert!(apply(r, &mut json!(null)));
        }
    }
}
