use serde_json::json;

use super::*;
use crate::table::table;

fn compile(item: &str, expr: &str) -> Result<Filter, ApiError> {
    Filter::compile(table(), item, expr)
}

fn refused(item: &str, expr: &str) -> String {
    match compile(item, expr) {
        Ok(_) => panic!("`{expr}` was accepted"),
        Err(e) => {
            assert_eq!((e.status, e.code), (400, codes::BAD_FILTER), "{expr}");
            e.msg
        }
    }
}

fn run(item: &str, expr: &str, obj: &Value) -> Result<bool, ApiError> {
    compile(item, expr).and_then(|f| f.matches(table(), obj))
}

fn policy() -> Value {
    json!({"id": "ipp_1", "uri": "u", "created_at": "2025-03-01T12:00:00Z", "description": "office", "metadata": "env=prod"})
}

#[test]
fn filters_evaluate_against_obj() {
    let p = policy();
    assert_eq!(run("IPPolicy", r#"obj.metadata.contains("prod") && obj.id != "x""#, &p), Ok(true));
    assert_eq!(run("IPPolicy", r#"obj.metadata.contains("dev")"#, &p), Ok(false));
}

#[test]
fn bad_filters_are_refused_before_any_data() {
    assert!(refused("IPPolicy", "obj.id ==").contains("not a valid CEL"));
    assert!(refused("IPPolicy", "obj.id").contains("boolean"), "a non-bool result");
    let m = refused("IPPolicy", "obj.nope == 1");
    assert!(m.contains("`nope`") && m.contains("metadata"), "{m}");
    assert!(refused("IPPolicy", r#"1 + "a" == 2"#).contains("cannot be applied"));
    assert!(refused("IPPolicy", r#"obj.created_at > "2025""#).contains("cannot be applied"));
    assert!(refused("IPPolicy", "obj.description.size").contains("string"));
    assert!(refused("IPPolicy", "nope(obj.id)").contains("unknown function"));
    assert!(refused("IPPolicy", "other.id == 'a'").contains("unknown name"));
    assert!(refused("IPPolicyRule", "obj.ip_policy.name == 'a'").contains("reference"));
}

#[test]
fn literal_arguments_are_tried_once() {
    assert!(refused("IPPolicy", r#"obj.created_at > timestamp("yesterday")"#).contains("timestamp"));
    assert!(refused("IPPolicy", r#"obj.created_at - timestamp("2025-01-01T00:00:00Z") > duration("1 day")"#)
        .contains("duration"));
    assert!(refused("IPPolicy", r#"obj.id.matches("[")"#).contains("regular expression"));
}

#[test]
fn standard_functions_work() {
    let p = policy();
    let yes = [
        r#"obj.created_at > timestamp("2025-01-01T00:00:00Z")"#,
        r#"obj.created_at <= timestamp("2025-03-01T12:00:00Z")"#,
        r#"obj.created_at - timestamp("2025-03-01T11:00:00Z") == duration("1h")"#,
        r#"obj.created_at + duration("24h") > timestamp("2025-03-02T00:00:00Z")"#,
        r#"obj.created_at.getFullYear() == 2025 && obj.created_at.getMonth() == 2"#,
        r#"obj.id.matches("^ipp_[0-9]+$") && matches(obj.description, "off")"#,
        r#"obj.id.startsWith("ipp_") && obj.description.endsWith("ice") && obj.metadata.contains("=")"#,
        r#"size(obj.description) == 6 && obj.description.size() == 6"#,
        r#"string(obj.created_at) == "2025-03-01T12:00:00Z""#,
        r#"int("3") + 1 == 4 && double(obj.description.size()) > 5.5"#,
        r#"has(obj.metadata) && ["a", "b"].exists(x, x == "b") && [1, 2].all(n, n > 0)"#,
        r#"[1, 2, 3].filter(n, n > 1).size() == 2 && [1, 2].map(n, n * 2)[1] == 4"#,
        r#"[1, 2, 3].exists_one(n, n == 2) && "env" in {"env": 1} && 2 in [1, 2]"#,
    ];
    for expr in yes {
        assert_eq!(run("IPPolicy", expr, &p), Ok(true), "{expr}");
    }
    assert_eq!(run("IPPolicy", r#"obj.created_at < timestamp("2025-01-01T00:00:00Z")"#, &p), Ok(false));
}

#[test]
fn nested_types_come_from_the_model() {
    let ep = json!({"id": "ep_1", "port": 443, "bindings": ["public"], "tunnel": {"id": "tn_1", "uri": "u"}});
    assert_eq!(run("Endpoint", r#"obj.port == 443 && "public" in obj.bindings && obj.tunnel.id == "tn_1""#, &ep), Ok(true));
    assert!(refused("Endpoint", r#"obj.port == "443""#).contains("cannot be applied"));
    assert!(refused("Endpoint", "obj.bindings.exists(b, b > 1)").contains("cannot be applied"));
    let tn = json!({"id": "tn_1", "labels": {"team": "a"}});
    assert_eq!(run("Tunnel", r#"obj.labels.team == "a" && obj.labels.exists(k, k == "team")"#, &tn), Ok(true));
}

#[test]
fn hostile_filters_are_refused_by_their_shape() {
    let list = format!("[{}]", (0..40).map(|i| i.to_string()).collect::<Vec<_>>().join(","));
    let nested = format!("{list}.all(a, {list}.all(b, {list}.all(c, {list}.all(d, a + b + c + d >= 0))))");
    assert!(refused("IPPolicy", &nested).contains("comprehensions"), "four deep");
    let three = format!("{list}.all(a, {list}.all(b, {list}.all(c, a + b + c >= 0)))");
    assert!(refused("IPPolicy", &three).contains("steps per object"), "40^3 steps");
    let sum = vec!["obj.id"; 60].join(" + ");
    assert!(refused("IPPolicy", &format!("{sum} == ''")).contains("nests deeper"));
    let long = vec!["obj.id == 'a'"; 200].join(" || ");
    assert!(refused("IPPolicy", &long).contains("bytes long"));
    let wide = vec!["1"; 500].join(",");
    assert!(refused("IPPolicy", &format!("size([{wide}]) > 0")).contains("terms"));
}

#[test]
fn deep_sources_are_refused_before_parsing() {
    for (open, close) in [("(", ")"), ("[", "]")] {
        let deep = format!("{}true{}", open.repeat(500), close.repeat(500));
        assert!(refused("IPPolicy", &deep).contains("nests brackets"));
    }
    let chain = vec!["obj.id == 'a' ? true"; 30].join(" : ") + " : false";
    assert!(refused("IPPolicy", &chain).contains("nests brackets"));
    // Strings may hold any brackets.
    let quoted = format!("obj.description == \"{}\"", "(".repeat(100));
    assert_eq!(run("IPPolicy", &quoted, &policy()), Ok(false));
    // Just under the limit: parsed and evaluated without trouble.
    let nested = format!("{}obj.id{} == 'ipp_1'", "(".repeat(20), ")".repeat(20));
    assert_eq!(run("IPPolicy", &nested, &policy()), Ok(true));
    let lists = format!("size({}1{}) == 1", "[".repeat(20), "]".repeat(20));
    assert_eq!(run("IPPolicy", &lists, &policy()), Ok(true));
}
