//! Paging: follows `next_page_uri` as given, fetches at most one page
//! ahead of the caller (and none for a quick caller), stops on a repeated `next_page_uri`, resumes from
//! a page's `next_page_uri`, and cancels its prefetch when dropped.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use ngrok_api::ErrorKind;
use ngrok_api::types::ApiKeyList;
use serde_json::json;
use support::{Recorded, Reply, Server, builder};

const PAGES: usize = 100;
const PER_PAGE: usize = 100;

/// Serves `PAGES` pages of `PER_PAGE` keys, `ak_0` newest; page `n` is
/// `/api_keys?limit=100` for the first and `&before_id=...` after that.
fn paged_keys(base: &str, req: &Recorded) -> Reply {
    let before: Option<usize> = url::Url::parse(&format!("http://h{}", req.target))
        .ok()
        .and_then(|u| u.query_pairs().find(|(k, _)| k == "before_id").map(|(_, v)| v.into_owned()))
        .and_then(|v| v.trim_start_matches("ak_").parse().ok());
    let start = before.map_or(0, |b| b + 1);
    let end = (start + PER_PAGE).min(PAGES * PER_PAGE);
    let keys: Vec<_> = (start..end).map(|i| support::with(support::api_key(&format!("ak_{i}")), json!({"description": "x".repeat(64)}))).collect();
    let next = (end < PAGES * PER_PAGE).then(|| format!("{base}/api_keys?limit=100&before_id=ak_{}", end - 1));
    Reply::json(200, json!({"keys": keys, "uri": format!("{base}{}", req.target), "next_page_uri": next}))
}

async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn ten_thousand_items_stream_with_at_most_one_page_fetched_ahead_of_the_caller() {
    // Pages the caller has started on (taken at least one item from).
    let consumed = Arc::new(AtomicUsize::new(0));
    // The most pages the server was asked for beyond those.
    let max_ahead = Arc::new(AtomicUsize::new(0));
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let (c, m, b) = (consumed.clone(), max_ahead.clone(), base.clone());
    let server = Server::start(move |index, req| {
        let requested = index + 1;
        let ahead = requested.saturating_sub(c.load(Ordering::SeqCst));
        m.fetch_max(ahead, Ordering::SeqCst);
        paged_keys(b.get().map(String::as_str).unwrap_or(""), req)
    })
    .await;
    base.set(server.url()).expect("set once");
    let client = builder(&server).build().expect("client");

    let mut items = client.api_keys().list().limit(100).items();
    let mut seen = 0usize;
    while let Some(key) = items.try_next().await.expect("every page decodes") {
        assert_eq!(key.id, format!("ak_{seen}"), "items in order, none lost or repeated");
        if seen.is_multiple_of(PER_PAGE) {
            consumed.store(seen / PER_PAGE + 1, Ordering::SeqCst);
            // A slow caller: give a paginator that fetches too eagerly
            // every chance to run further ahead.
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        seen += 1;
    }

    assert_eq!(seen, PAGES * PER_PAGE);
    assert_eq!(server.count(), PAGES, "one request per page");
    let ahead = max_ahead.load(Ordering::SeqCst);
    assert!(ahead <= 1, "the server was asked for {ahead} pages beyond the one the caller was on");
    assert!(server.requests()[1].target.contains("before_id=ak_99"), "next_page_uri followed as given");
}

#[tokio::test]
async fn the_next_page_is_requested_while_the_caller_works_on_the_current_one() {
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let server = Server::start(move |_, req| paged_keys(b.get().map(String::as_str).unwrap_or(""), req)).await;
    base.set(server.url()).expect("set once");
    let client = builder(&server).build().expect("client");

    let mut pages = client.api_keys().list().pages();
    let first = pages.try_next().await.expect("page").expect("a first page");
    assert_eq!(first.keys.len(), PER_PAGE);
    eventually("the second page is requested", || server.count() == 2).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.count(), 2, "never more than one page ahead");

    let pages = client.api_keys().list().pages().prefetch(false);
    let server_count = server.count();
    let mut pages = pages;
    pages.try_next().await.expect("page").expect("a first page");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.count(), server_count + 1, "prefetch(false) asks only when the caller does");
}

#[tokio::test]
async fn a_quick_caller_gets_the_next_page_when_it_asks_and_a_slow_one_ahead() {
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let server = Server::start(move |_, req| paged_keys(b.get().map(String::as_str).unwrap_or(""), req)).await;
    base.set(server.url()).expect("set once");
    let client = builder(&server).build().expect("client");

    // Pages 1 and 2 taken back to back: a quick caller, so page 3 waits
    // until it is asked for. A loaded machine can pause the caller for
    // longer than a quick caller takes, so up to five walks are tried.
    let mut quick = None;
    for _ in 0..5 {
        let before = server.count();
        let mut pages = client.api_keys().list().pages();
        pages.try_next().await.expect("page").expect("page 1");
        pages.try_next().await.expect("page").expect("page 2");
        tokio::time::sleep(Duration::from_millis(50)).await;
        if server.count() == before + 2 {
            quick = Some(pages);
            break;
        }
    }
    let mut pages = quick.expect("a quick caller's next page was fetched ahead in each of five walks");

    // 50 ms on page 2 is slow: page 3 is fetched when asked, and page 4
    // ahead of the caller while it works on page 3.
    let before = server.count();
    let third = pages.try_next().await.expect("page").expect("page 3");
    assert_eq!(third.keys[0].id, format!("ak_{}", 2 * PER_PAGE));
    eventually("page 4 is requested ahead", || server.count() == before + 2).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.count(), before + 2, "never more than one page ahead");
}

#[tokio::test]
async fn a_repeated_next_page_uri_stops_with_an_error() {
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    // Page 1 -> page 2 -> page 1 again: a loop.
    let server = Server::start(move |_, req| {
        let base = b.get().cloned().unwrap_or_default();
        let next = if req.target.contains("before_id=ak_1") { "before_id=ak_0" } else { "before_id=ak_1" };
        Reply::json(200, json!({"keys": [support::api_key("ak_x")], "uri": "", "next_page_uri": format!("{base}/api_keys?{next}")}))
    })
    .await;
    base.set(server.url()).expect("set once");
    let client = builder(&server).build().expect("client");

    let results: Vec<_> = client.api_keys().list().pages().take(10).collect().await;

    let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(errors.len(), 1, "{results:?}");
    assert_eq!(errors[0].kind(), ErrorKind::Paging);
    assert!(errors[0].to_string().contains("loop"), "{}", errors[0]);
    assert!(results.last().is_some_and(|r| r.is_err()), "the error ends the stream");
    assert!(server.count() <= 3, "{} requests for a two-page loop", server.count());
}

#[tokio::test]
async fn a_next_page_uri_pointing_at_itself_stops_at_once() {
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let server = Server::start(move |_, _| {
        let base = b.get().cloned().unwrap_or_default();
        Reply::json(200, json!({"keys": [support::api_key("ak_x")], "uri": "", "next_page_uri": format!("{base}/api_keys?before_id=ak_x")}))
    })
    .await;
    base.set(server.url()).expect("set once");
    let client = builder(&server).build().expect("client");

    let resumed = format!("{}/api_keys?before_id=ak_x", server.url());
    let results: Vec<_> = client.api_keys().list().resume_from(resumed).take(10).collect().await;

    assert_eq!(results.len(), 2, "{results:?}");
    assert!(results[0].is_ok());
    assert_eq!(results[1].as_ref().expect_err("a loop").kind(), ErrorKind::Paging);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_walk_resumes_from_a_pages_next_page_uri() {
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let server = Server::start(move |_, req| paged_keys(b.get().map(String::as_str).unwrap_or(""), req)).await;
    base.set(server.url()).expect("set once");
    let client = builder(&server).build().expect("client");

    let first: ApiKeyList = client.api_keys().list().await.expect("first page");
    let next = first.next_page_uri.clone().unwrap_or_default();
    assert!(!next.is_empty());

    let mut resumed = client.api_keys().list().resume_from(next.clone()).prefetch(false);
    let second = resumed.try_next().await.expect("page").expect("a page");

    assert_eq!(second.keys[0].id, format!("ak_{PER_PAGE}"), "continues right after the first page");
    let reqs = server.requests();
    assert_eq!(format!("{}{}", server.url(), reqs[1].target), next, "requested exactly the URI given");
    assert!(reqs[1].header("authorization").is_some());
}

#[tokio::test]
async fn dropping_an_item_stream_cancels_its_prefetch_and_leaves_nothing_behind() {
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let server = Server::start_isolated(move |index, req| match index {
        0 => paged_keys(b.get().map(String::as_str).unwrap_or(""), req),
        _ => Reply::Hang,
    });
    base.set(server.url()).expect("set once");
    let client = builder(&server).build().expect("client");
    let metrics = tokio::runtime::Handle::current().metrics();
    let baseline = metrics.num_alive_tasks();

    let mut items = client.api_keys().list().items();
    items.try_next().await.expect("an item").expect("first page");
    eventually("the prefetch reaches the server", || server.count() == 2).await;
    drop(items);

    eventually("the server sees the prefetch abandoned", || server.abandoned() == 1).await;
    // The connection pool keeps a task per idle connection until the
    // client goes; a leaked prefetch task would keep the client alive.
    drop(client);
    eventually("no task of the paginator is left", || metrics.num_alive_tasks() == baseline).await;
}

/// A server whose pages go round a loop of `len` pages (page `n` points to
/// page `(n + 1) % len`), one item each.
fn looping_server(len: usize) -> (Arc<std::sync::OnceLock<String>>, impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) {
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let handler = move |_: usize, req: &Recorded| {
        let base = b.get().cloned().unwrap_or_default();
        let n: usize = req.target.split("before_id=ak_").nth(1).and_then(|v| v.parse().ok()).unwrap_or(0);
        let next = format!("{base}/api_keys?before_id=ak_{}", (n + 1) % len);
        Reply::json(200, json!({"keys": [support::api_key(&format!("ak_{n}"))], "uri": "", "next_page_uri": next}))
    };
    (base, handler)
}

#[tokio::test]
async fn a_loop_longer_than_the_recent_window_is_found_and_stopped() {
    const LOOP: usize = 300; // longer than the 64 recent pages kept
    let (base, handler) = looping_server(LOOP);
    let server = Server::start(handler).await;
    base.set(server.url()).expect("set once");
    let client = builder(&server).build().expect("client");

    let mut pages = client.api_keys().list().pages();
    let mut walked = 0usize;
    let err = loop {
        match pages.try_next().await {
            Ok(Some(_)) => walked += 1,
            Ok(None) => panic!("a looping list ended after {walked} pages"),
            Err(e) => break e,
        }
        assert!(walked <= 20 * LOOP, "still walking a {LOOP}-page loop after {walked} pages");
    };

    assert_eq!(err.kind(), ErrorKind::Paging);
    assert!(err.to_string().contains("loop"), "{err}");
    assert!(!err.to_string().contains("limit"), "a loop, not the page limit: {err}");
    assert!(walked > LOOP, "the loop was walked round at least once before it could be seen ({walked})");
    assert!(walked <= 4 * LOOP, "found within a few laps, not {walked} pages");
    assert!(pages.try_next().await.expect("the stream ended").is_none(), "nothing after the error");
}

#[tokio::test]
async fn a_walk_stops_at_its_page_limit_with_an_error_that_says_so() {
    // An endless list of distinct pages: no loop to find.
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let server = Server::start(move |index, _| {
        let base = b.get().cloned().unwrap_or_default();
        Reply::json(200, json!({"keys": [support::api_key(&format!("ak_{index}"))], "uri": "", "next_page_uri": format!("{base}/api_keys?before_id=ak_{index}")}))
    })
    .await;
    base.set(server.url()).expect("set once");
    let client = builder(&server).build().expect("client");

    let results: Vec<_> = client.api_keys().list().pages().max_pages(25).items().collect().await;

    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 25, "one item on each of 25 pages");
    let err = results.last().expect("results").as_ref().expect_err("ends with an error");
    assert_eq!(err.kind(), ErrorKind::Paging);
    assert!(err.to_string().contains("after 25 pages"), "{err}");
    assert!(err.to_string().contains("limit"), "{err}");
    assert!(!err.to_string().contains("loop"), "{err}");
    assert_eq!(server.count(), 25, "the 26th page is never requested");
}
