use super::*;

fn kinds(text: &str, cloud: bool) -> Vec<(ProblemKind, String)> {
    check_policy(text, cloud).into_iter().map(|p| (p.kind, p.to_string())).collect()
}

#[test]
fn the_description_loads() {
    assert!(format().is_some_and(|f| f.action("rate-limit").is_some()));
}

#[test]
fn expressions_compile_and_name_what_exists() {
    let ok = r#"{"on_http_request":[{"expressions":["req.url.path.startsWith('/api') && conn.client_ip.isPrivateIp()","hasReqHeader('x') && req.headers['x'].exists(h, h.lower() == 'y')","hash.sha256(req.host) != ''","vars.anything == 1 || has(req.url.query)"],"actions":[{"type":"deny"}]}]}"#;
    assert_eq!(kinds(ok, false), vec![]);
    for (expr, expected) in [
        ("req.url.path ==", "does not compile"),
        ("request.path == '/'", "unknown variable `request`"),
        ("req.urll == '/'", "unknown variable `req.urll`"),
        ("getReqHeaders('x').size() > 0", "unknown macro `getReqHeaders`"),
        ("hash.sha3(req.host) == ''", "unknown macro `hash.sha3`"),
    ] {
        let doc = serde_json::json!({"on_http_request": [{"expressions": [expr], "actions": [{"type": "deny"}]}]});
        let found = kinds(&doc.to_string(), false);
        assert_eq!(found.len(), 1, "{expr}: {found:?}");
        assert_eq!(found[0].0, ProblemKind::Expression);
        assert!(found[0].1.starts_with("on_http_request[0].expressions[0]: "), "{found:?}");
        assert!(found[0].1.contains(expected), "{expr}: {found:?}");
    }
}

#[test]
fn refusals_carry_the_catalog_code_and_the_path() {
    let unknown = r#"{"on_http_request":[{"actions":[{"type":"no-such-action"}]}]}"#;
    let e = refusal(unknown, true).unwrap_err();
    assert_eq!(e.code, Some(2201));
    assert_eq!(e.msg, "Invalid policy action type `no-such-action`.");
    let range = r#"{"on_http_request":[{"actions":[{"type":"rate-limit","config":{"name":"n","algorithm":"sliding_window","capacity":0,"rate":"60s","bucket_key":["conn.client_ip"]}},{"type":"deny"}]}]}"#;
    let e = refusal(range, true).unwrap_err();
    assert_eq!(e.code, Some(18002));
    assert!(e.msg.contains("on_http_request[0].actions[0].config.capacity: at least 1"), "{}", e.msg);
    let e = refusal(range, false).unwrap_err();
    assert_eq!(e.code, Some(2204));
    let open = r#"{"on_http_request":[{"actions":[{"type":"add-headers","config":{"headers":{"a":"b"}}}]}]}"#;
    assert_eq!(refusal(open, true).unwrap_err().code, Some(2235));
    assert!(refusal(open, false).is_ok());
    assert_eq!(refusal("on_http_request: [", false).unwrap_err().code, Some(2236));
}

#[test]
fn interpolated_text_is_closed_and_compiles() {
    let headers = |v: &str| {
        let doc = serde_json::json!({"on_http_request": [{"actions": [{"type": "add-headers", "config": {"headers": {"x": v}}}]}]});
        kinds(&doc.to_string(), false)
    };
    for ok in ["plain", "${req.host}", "a ${ {'k': req.host}['k'] } b", "${'}' + req.host}-${conn.client_ip}", "}{"] {
        assert_eq!(headers(ok), vec![], "{ok}");
    }
    for (bad, why) in [
        ("${req.host", "`${` is not closed by `}`"),
        ("${ }", "`${}` holds no expression"),
        ("${'}'", "`${` is not closed by `}`"),
        ("${req.hots}", "`${req.hots}`: unknown variable `req.hots`"),
    ] {
        let found = headers(bad);
        let at = "on_http_request[0].actions[0].config.headers.x: ";
        assert_eq!(found, vec![(ProblemKind::Interpolation, format!("{at}{why}"))], "{bad}");
    }
}

#[test]
fn credentials_are_user_colon_password() {
    let creds = |c: &str| {
        let doc = serde_json::json!({"on_http_request": [{"actions": [{"type": "basic-auth", "config": {"credentials": [c]}}]}]});
        check_policy(&doc.to_string(), false).into_iter().map(|p| (p.kind, p.message)).collect::<Vec<_>>()
    };
    assert_eq!(creds("alice:${secrets.get('vault', 'alice')}"), vec![]);
    assert_eq!(creds("alice:12345678"), vec![]);
    let long = format!("alice:{}", "p".repeat(129));
    for (c, kind, why) in [
        ("${secrets.get('vault', 'cred')}", ProblemKind::Password, "no `:` between the username and the password; write username:password"),
        ("alice:1234567", ProblemKind::Password, "the password of `alice` has 7 characters; at least 8"),
        (long.as_str(), ProblemKind::Password, "the password of `alice` has 129 characters; at most 128"),
        ("al\u{7}ice:12345678", ProblemKind::Username, "the username `al\\u{7}ice` holds a control character"),
    ] {
        assert_eq!(creds(c), vec![(kind, why.to_string())], "{c}");
        assert!(!creds(c)[0].1.contains("1234567"), "the password is never quoted");
    }
}
