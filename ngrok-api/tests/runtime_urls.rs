//! Safe URLs: each ID is exactly one encoded path segment, unusable IDs
//! send nothing, the key never leaves the client's own origin, redirects
//! are not followed, and plain http is refused off loopback.

mod support;

use futures_util::StreamExt;
use ngrok_api::{Client, ErrorKind};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use serde_json::json;
use support::{KEY, Reply, Server, builder};

fn key_page(ids: &[&str], next: Option<String>) -> Reply {
    let keys: Vec<_> = ids.iter().map(|id| support::api_key(id)).collect();
    Reply::json(200, json!({"keys": keys, "uri": "", "next_page_uri": next}))
}

/// The segments of a raw request path, after the leading `/`.
fn segments(target: &str) -> Vec<String> {
    let path = target.split('?').next().unwrap_or("");
    path.trim_start_matches('/').split('/').map(String::from).collect()
}

#[tokio::test]
async fn hostile_ids_reach_the_server_as_one_encoded_segment() {
    let server = Server::start(|_, _| Reply::json(200, support::api_key("ak_1"))).await;
    let client = builder(&server).build().expect("client");

    let ids = ["../api_keys", "a/b?x=1", "a#b", "%2e%2e", "ak 1", "ключ", "..."];
    for id in ids {
        client.api_keys().get(id).await.expect("the server answers 200");
    }

    let requests = server.requests();
    assert_eq!(requests.len(), ids.len());
    for (id, req) in ids.iter().zip(&requests) {
        assert!(!req.target.contains('?'), "`{id}` added a query: {}", req.target);
        let segs = segments(&req.target);
        assert_eq!(segs.len(), 2, "`{id}` became {}", req.target);
        assert_eq!(segs[0], "api_keys");
        let decoded = percent_decode_str(&segs[1]).decode_utf8().expect("UTF-8");
        assert_eq!(decoded, *id, "raw path {}", req.target);
    }
    assert_eq!(requests[0].target, "/api_keys/..%2Fapi_keys");
    assert_eq!(requests[1].target, "/api_keys/a%2Fb%3Fx%3D1");
    assert_eq!(requests[2].target, "/api_keys/a%23b");
}

#[tokio::test]
async fn empty_dot_and_dot_dot_ids_are_refused_before_anything_is_sent() {
    let server = Server::start(|_, _| Reply::json(200, support::api_key("x"))).await;
    let client = builder(&server).build().expect("client");

    for id in ["", ".", ".."] {
        let err = client.api_keys().get(id).await.expect_err("refused");
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "`{id}`: {err}");
        assert!(err.to_string().contains("`id`"), "names the parameter: {err}");
        assert_eq!(err.operation(), Some("api_keys.get"));
        let err = client.api_keys().delete(id).await.expect_err("refused");
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        let err = client.edges().https_routes().get("edghts_1", id).await.expect_err("refused");
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    }
    assert_eq!(server.count(), 0, "nothing may be sent for an unusable ID");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_string_id_adds_exactly_one_segment_that_decodes_back_to_it(id in any::<String>()) {
        prop_assume!(!matches!(id.as_str(), "" | "." | ".."));
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let target = rt.block_on(async {
            let server = Server::start(|_, _| Reply::json(200, support::api_key("ak_1"))).await;
            let client = builder(&server).build().expect("client");
            client.api_keys().get(id.clone()).await.expect("sent");
            server.requests()[0].target.clone()
        });
        prop_assert!(!target.contains('?') && !target.contains('#'), "{}", target);
        let segs = segments(&target);
        prop_assert_eq!(segs.len(), 2, "{}", target);
        prop_assert_eq!(&segs[0], "api_keys");
        let decoded = percent_decode_str(&segs[1]).decode_utf8().expect("UTF-8");
        prop_assert_eq!(decoded.as_ref(), id.as_str());
    }
}

#[tokio::test]
async fn a_next_page_uri_on_another_origin_is_refused_and_nothing_is_sent_there() {
    let elsewhere = Server::start(|_, _| key_page(&["ak_stolen"], None)).await;
    let foreign = format!("{}/api_keys?before_id=ak_2", elsewhere.url());
    let api = Server::start(move |_, _| key_page(&["ak_1", "ak_2"], Some(foreign.clone()))).await;
    let client = builder(&api).build().expect("client");

    let results: Vec<_> = client.api_keys().list().items().collect().await;

    assert_eq!(results.len(), 3, "two items, then the error: {results:?}");
    assert!(results[0].is_ok() && results[1].is_ok());
    let err = results[2].as_ref().expect_err("paging stops");
    assert_eq!(err.kind(), ErrorKind::Paging);
    assert!(err.to_string().contains("origin"), "{err}");
    assert_eq!(elsewhere.count(), 0, "the key must not be sent to another origin");
    assert_eq!(api.count(), 1);
}

#[tokio::test]
async fn resuming_from_a_next_page_uri_on_another_origin_is_refused() {
    let elsewhere = Server::start(|_, _| key_page(&["ak_stolen"], None)).await;
    let api = Server::start(|_, _| key_page(&["ak_1"], None)).await;
    let client = builder(&api).build().expect("client");

    let mut pages = client.api_keys().list().resume_from(format!("{}/api_keys", elsewhere.url()));
    let err = pages.try_next().await.expect_err("refused");

    assert_eq!(err.kind(), ErrorKind::Paging);
    assert_eq!(elsewhere.count(), 0);
    assert!(pages.try_next().await.expect("ended").is_none(), "the stream ends after the error");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let elsewhere = Server::start(|_, _| Reply::json(200, support::api_key("ak_1"))).await;
    let location = format!("{}/api_keys/ak_1", elsewhere.url());
    let api = Server::start(move |_, _| Reply::empty(302).header("location", &location)).await;
    let client = builder(&api).build().expect("client");

    let err = client.api_keys().get("ak_1").await.expect_err("a redirect is not a success");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert_eq!(api.count(), 1);
    assert_eq!(elsewhere.count(), 0, "nothing, and so no key, goes to the redirect target");
}

#[tokio::test]
async fn every_request_carries_the_key_the_api_version_and_a_user_agent() {
    let server = Server::start(|_, _| Reply::json(201, support::ip_policy("ipp_1"))).await;
    let client = builder(&server).user_agent_suffix("my-tool/1.2").build().expect("client");

    client.ip_policies().create().description("office").await.expect("201");

    let req = &server.requests()[0];
    assert_eq!(req.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(req.header("ngrok-version"), Some("2"));
    assert_eq!(req.header("content-type"), Some("application/json"));
    let ua = req.header("user-agent").expect("a user agent");
    assert!(ua.starts_with("ngrok-api-rust/") && ua.ends_with(" my-tool/1.2"), "{ua}");
    let body: serde_json::Value = serde_json::from_slice(&req.body).expect("JSON body");
    assert_eq!(body, json!({"description": "office"}));
}

#[tokio::test]
async fn list_parameters_go_in_the_query_string() {
    let server = Server::start(|_, _| key_page(&[], None)).await;
    let client = builder(&server).build().expect("client");

    client.api_keys().list().limit(5).before_id("ak_9").filter("obj.description == 'a b'").await.expect("200");

    let req = &server.requests()[0];
    let url = url::Url::parse(&format!("http://h{}", req.target)).expect("target");
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(url.path(), "/api_keys");
    assert!(query.contains(&("limit".into(), "5".into())), "{query:?}");
    assert!(query.contains(&("before_id".into(), "ak_9".into())), "{query:?}");
    assert!(query.contains(&("filter".into(), "obj.description == 'a b'".into())), "{query:?}");
}

#[test]
fn base_url_must_be_https_unless_loopback_or_explicitly_allowed() {
    let build = |url: &str, allow: bool| Client::builder().api_key(KEY).base_url(url).allow_http(allow).build();

    for ok in ["https://api.ngrok.com", "http://127.0.0.1:8080", "http://localhost:9000/", "http://[::1]:1"] {
        build(ok, false).unwrap_or_else(|e| panic!("{ok} should be accepted: {e}"));
    }
    let err = build("http://api.example.com", false).expect_err("plain http off loopback");
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("https"), "{err}");
    build("http://api.example.com", true).expect("explicit opt-in");
    for bad in ["ftp://api.ngrok.com", "not a url", "mailto:a@b.c"] {
        let err = build(bad, true).expect_err(bad);
        assert_eq!(err.kind(), ErrorKind::Config, "{bad}");
    }
}

#[tokio::test]
async fn a_base_url_path_prefix_is_kept() {
    let server = Server::start(|_, _| Reply::json(200, support::api_key("ak_1"))).await;
    let client = Client::builder().api_key(KEY).base_url(format!("{}/prefix/", server.url())).build().expect("client");

    client.api_keys().get("ak_1").await.expect("200");

    assert_eq!(server.requests()[0].target, "/prefix/api_keys/ak_1");
}
