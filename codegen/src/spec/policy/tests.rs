use super::*;

const BASE: &str = "description: d\nphases:\n- {name: on_http_request, description: d}\ncloud_phases: [on_http_request]\ncodes: {parse: ERR_NGROK_1, unknown_phase: ERR_NGROK_1, config_shape: ERR_NGROK_1, unknown_action: ERR_NGROK_1, wrong_phase: ERR_NGROK_1, no_actions: ERR_NGROK_1, invalid_value: ERR_NGROK_1, not_terminating: ERR_NGROK_1, expression: ERR_NGROK_1, interpolation: ERR_NGROK_1, unreachable: ERR_NGROK_1, username: ERR_NGROK_1, password: ERR_NGROK_1}\nexpressions: {variables: [], macros: []}\n";

fn load(actions: &str) -> Result<PolicyFormat, SpecErrors> {
    load_policy_text(&format!("{BASE}actions:\n{actions}"))
}

#[test]
fn a_good_action_loads() {
    let f = load("- type: rate-limit\n  description: d\n  phases: [on_http_request]\n  config:\n  - {name: rate, type: duration, description: d, min: 60s, multiple_of: 10s}\n").unwrap();
    assert_eq!(f.actions[0].rust_name, "RateLimit");
    assert_eq!(f.actions[0].config[0].min_duration.as_deref(), Some("60s"));
}

#[test]
fn each_rule_reports_its_item() {
    let cases = [
        ("- {type: a, description: d, phases: [on_nothing]}\n", "phase `on_nothing`"),
        ("- {type: a, description: d, phases: [on_http_request], config: [{name: x, type: string, description: d, min: 1}]}\n", "applies to numbers"),
        ("- {type: a, description: d, phases: [on_http_request], config: [{name: x, type: duration, description: d, max: ten}]}\n", "not a duration"),
        ("- {type: a, description: d, phases: [on_http_request], config: [{name: x, type: enum, description: d, values: [b], default: c}]}\n", "not a value"),
        ("- {type: a, description: d, phases: [on_http_request], config: [{name: x, type: wat, description: d}]}\n", "unknown type"),
        ("- {type: a, description: d, phases: [on_http_request], config: [{name: x, type: string, description: d, requires: [y]}]}\n", "requires `y`"),
        ("- {type: a, description: d, phases: [on_http_request], config: [{name: x, type: enum, enum_name: E, description: d, values: [b]}, {name: y, type: enum, enum_name: E, description: d, values: [c]}]}\n", "already used"),
        ("- {type: a, description: d, phases: [on_http_request], config: [{name: x, type: integer, description: d, credentials: {password_min_len: 8, password_max_len: 9}}]}\n", "`credentials` applies to strings"),
    ];
    for (actions, expected) in cases {
        let e = load(actions).expect_err(expected).to_string();
        assert!(e.contains(expected), "{expected}: {e}");
        assert!(e.contains("action a"), "{e}");
    }
}

#[test]
fn limits_count_known_actions_with_a_code() {
    let action = "- {type: a, description: d, phases: [on_http_request]}\n";
    let good = format!("{BASE}limits:\n- {{name: as, description: d, actions: [a], max: 1, code: ERR_NGROK_2}}\nactions:\n{action}");
    assert_eq!(load_policy_text(&good).expect("loads").limits[0].max, 1);
    for (limit, expected) in [
        ("{name: as, description: d, actions: [b], max: 1, code: ERR_NGROK_2}", "`b` is not one of the action types"),
        ("{name: as, description: d, actions: [a], max: 0, code: ERR_NGROK_2}", "a max of at least 1"),
        ("{name: as, description: d, actions: [a], max: 1, code: '2239'}", "not an ngrok error code"),
    ] {
        let text = format!("{BASE}limits:\n- {limit}\nactions:\n{action}");
        let e = load_policy_text(&text).expect_err(expected).to_string();
        assert!(e.contains(expected) && e.contains("limit as"), "{expected}: {e}");
    }
}
