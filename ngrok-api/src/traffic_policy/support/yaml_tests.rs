//! The YAML reading against `serde_yaml_ng` read into `serde_json::Value`
//! (what the module used before, and what the emulator uses), and its
//! refusals.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::yaml::to_json;

/// What `serde_yaml_ng` reads from the same text.
fn reference(text: &str) -> Value {
    serde_yaml_ng::from_str(text).unwrap_or_else(|e| panic!("the reference refuses {text:?}: {e}"))
}

#[test]
fn reads_what_the_reference_reads() {
    let documents = [
        "on_http_request:\n  - name: limit\n    expressions: [\"req.url.path.startsWith('/api')\"]\n    actions:\n      - type: rate-limit\n        config:\n          algorithm: sliding_window\n          capacity: 10\n          rate: 60s\n          bucket_key: [conn.client_ip]\n",
        "# a comment\non_tcp_connect:\n- actions:\n  - type: restrict-ips\n    config: {enforce: true, allow: [10.0.0.0/8]}\n",
        "a: ~\nb: null\nc: true\nd: False\ne: 12\nf: -7\ng: +3\nh: 1.5\ni: 1e3\nj: .5\nk: 0x1F\nl: 0o17\nm: '12'\nn: \"true\"\no: 18446744073709551615\np: -9223372036854775808\n",
        "text: |\n  line one\n  line two\nfolded: >\n  one\n  two\nkeep: |+\n  x\n\nstrip: |-\n  y\n",
        "base: &b {type: deny, config: {status_code: 403}}\nrules: [*b, *b]\n",
        "list: &l [1, 2]\nagain: *l\nempty_list: []\nempty_map: {}\n",
        "---\nk: v\n...\n",
        "'quoted key': 1\n\"double\": 2\n3: three\ntrue: yes\n",
        "s: plain text, with a comma # and a comment\nurl: https://example.com/a?b=c\nq: 'it''s'\n",
        "nested:\n  deeper:\n    - - 1\n      - 2\n    - {x: [a, b]}\n",
        "unicode: \"\\u00e9t\\u00e9\"\nraw: été\n",
        "tagged_str: !!str 123\ntagged_int: !!int '42'\n",
        "",
        "[1, 2, 3]\n",
        "just text\n",
    ];
    for text in documents {
        assert_eq!(to_json(text), Ok(reference(text)), "{text}");
    }
}

#[test]
fn refuses_what_json_cannot_hold_or_a_policy_cannot_be() {
    let refused = |text: &str, says: &str| {
        let e = to_json(text).expect_err(text);
        assert!(e.contains(says), "{text}: {e}");
    };
    refused("a: 1\n---\nb: 2\n", "second YAML document");
    refused("a: 1\na: 2\n", "the key `a` appears twice");
    refused("? [a, b]\n: c\n", "keys must be plain text");
    refused("a: !custom x\n", "the YAML tag `!custom`");
    refused("a: *missing\n", "unknown anchor");
    refused("a: [1, 2\n", "line");
    refused("a: !!int twelve\n", "not a value of the tag `!!int`");
}

#[test]
fn a_small_text_cannot_expand_into_a_huge_value() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..8 {
        let prev = i - 1;
        text.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
    }
    let e = to_json(&text).expect_err("ten to the eighth values");
    assert!(e.contains("past a million values"), "{e}");
}

#[test]
fn error_positions_count_lines_and_columns_from_one() {
    let e = to_json("a: 1\nb: 2\nb: 3\n").expect_err("duplicate");
    assert!(e.ends_with("at line 3 column 1"), "{e}");
}

/// A JSON value of the kinds a policy holds, with keys and strings that
/// YAML must quote to keep as text.
fn value() -> impl Strategy<Value = Value> {
    let text = prop_oneof![
        "[a-z_]{0,8}",
        Just("true".to_string()),
        Just("null".to_string()),
        Just("12".to_string()),
        Just("1.5".to_string()),
        Just("0x10".to_string()),
        Just("- x".to_string()),
        Just("a: b".to_string()),
        Just("#x".to_string()),
        Just(" spaced ".to_string()),
        Just("été\n\"quoted\"".to_string()),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1.0e6f64..1.0e6).prop_map(Value::from),
        text.clone().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(text.clone(), inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Any value written as YAML by `serde_yaml_ng` reads back equal.
    #[test]
    fn reads_back_what_a_yaml_writer_writes(v in value()) {
        let text = serde_yaml_ng::to_string(&v).expect("YAML out");
        prop_assert_eq!(to_json(&text), Ok(v.clone()), "{}", text);
    }

    /// JSON text is YAML too, and reads as JSON reads it.
    #[test]
    fn reads_json_text_as_json(v in value()) {
        let text = serde_json::to_string(&v).expect("JSON out");
        prop_assert_eq!(to_json(&text), Ok(v.clone()), "{}", text);
    }
}

#[test]
fn reads_a_whole_policy() {
    let text = "on_http_request:\n  - actions:\n      - type: custom-response\n        config:\n          status_code: 200\n          body: ok\n";
    assert_eq!(
        to_json(text),
        Ok(json!({"on_http_request": [{"actions": [{"type": "custom-response", "config": {"status_code": 200, "body": "ok"}}]}]}))
    );
}
