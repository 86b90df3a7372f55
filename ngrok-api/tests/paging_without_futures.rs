//! Walking a list with the streams' own `try_next` and `try_collect`:
//! this file imports no stream trait, so it compiles only because the
//! methods are inherent.

mod support;

use std::sync::Arc;

use ngrok_api::types::ApiKey;
use serde_json::json;
use support::{Reply, Server, builder};

const PAGES: usize = 5;
const PER_PAGE: usize = 3;

async fn paged_server() -> Server {
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let server = Server::start(move |_, req| {
        let base = b.get().cloned().unwrap_or_default();
        let page: usize = req.target.split("before_id=p").nth(1).and_then(|v| v.parse().ok()).unwrap_or(0);
        let keys: Vec<_> = (0..PER_PAGE).map(|i| support::api_key(&format!("ak_{}", page * PER_PAGE + i))).collect();
        let next = (page + 1 < PAGES).then(|| format!("{base}/api_keys?before_id=p{}", page + 1));
        Reply::json(200, json!({"keys": keys, "uri": "", "next_page_uri": next}))
    })
    .await;
    base.set(server.url()).expect("set once");
    server
}

fn ids(keys: &[ApiKey]) -> Vec<String> {
    keys.iter().map(|k| k.id.clone()).collect()
}

fn expected() -> Vec<String> {
    (0..PAGES * PER_PAGE).map(|i| format!("ak_{i}")).collect()
}

#[tokio::test]
async fn items_try_next_walks_every_item_in_order() {
    let server = paged_server().await;
    let client = builder(&server).build().expect("client");
    let mut items = client.api_keys().list().items();
    let mut seen = Vec::new();
    while let Some(key) = items.try_next().await.expect("every page decodes") {
        seen.push(key);
    }
    assert_eq!(ids(&seen), expected());
    assert!(items.try_next().await.expect("no error after the end").is_none());
    assert_eq!(server.count(), PAGES);
}

#[tokio::test]
async fn items_try_collect_gathers_every_item() {
    let server = paged_server().await;
    let client = builder(&server).build().expect("client");
    let all: Vec<_> = client.api_keys().list().items().try_collect().await.expect("collects");
    assert_eq!(ids(&all), expected());
}

#[tokio::test]
async fn pages_try_next_and_try_collect() {
    let server = paged_server().await;
    let client = builder(&server).build().expect("client");
    let mut pages = client.api_keys().list().pages();
    let first = pages.try_next().await.expect("a page").expect("a first page");
    assert_eq!(ids(&first.keys), ["ak_0", "ak_1", "ak_2"]);
    let rest: Vec<_> = pages.try_collect().await.expect("collects");
    assert_eq!(rest.len(), PAGES - 1);
    assert_eq!(ids(&rest[PAGES - 2].keys), ["ak_12", "ak_13", "ak_14"]);
}

#[tokio::test]
async fn try_collect_returns_the_first_error() {
    let server = Server::start(|_, _| Reply::api_error(400, "ERR_NGROK_400", "bad filter", "op_1")).await;
    let client = builder(&server).build().expect("client");
    let err = client.api_keys().list().items().try_collect::<Vec<_>>().await.expect_err("a 400");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
}
