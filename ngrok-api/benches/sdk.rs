//! Benchmarks of the SDK against a fixed-response server on loopback,
//! each next to the same work done with bare `reqwest` + `serde_json`.
//!
//! ```text
//! cargo bench -p ngrok-api --bench sdk -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! Groups:
//! - `get_by_id`: one `ip_policies.get` call, SDK vs bare reqwest.
//! - `list_all_10k`: every item of a 10,000-item list (100 pages of 100),
//!   SDK item stream vs a bare loop following `next_page_uri`.
//! - `consumer_1ms_per_page`: the same walk by pages, where the caller
//!   spends 1 ms on each page, with page prefetch on and off; once against
//!   the plain loopback server and once with 1 ms of added server latency.
//! - `decode_page_100`: decoding one 100-item page, the way the SDK does it
//!   (with field-path tracking for errors) and with plain `serde_json`.
//!
//! After criterion's own report, a summary prints the ratios of the
//! medians criterion saved (`<target>/criterion/<group>/<bench>/new/estimates.json`).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput};
use ngrok_api::types::{IpPolicy, IpPolicyList};

#[path = "support/server.rs"]
#[allow(dead_code)]
mod server;

const LIST_ITEMS: usize = 10_000;

/// The runtime every client runs on: one thread, so that with the server's
/// thread the two cores of a small machine are not oversubscribed.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

fn sdk_client(server: &server::Server) -> ngrok_api::Client {
    ngrok_api::Client::builder().api_key("k").base_url(server.base.clone()).build().expect("a client")
}

/// Fetches one URL the way a user of bare reqwest would, and decodes it.
async fn bare_get<T: serde::de::DeserializeOwned>(http: &reqwest::Client, url: &str) -> T {
    let resp = http.get(url).bearer_auth("k").header("ngrok-version", "2").send().await.expect("request sent");
    let bytes = resp.error_for_status().expect("a 2xx status").bytes().await.expect("a body");
    serde_json::from_slice(&bytes).expect("a decodable body")
}

/// Spends `d` of wall time without blocking the runtime, like a caller
/// awaiting its own work on each page.
async fn spend(d: Duration) {
    let start = Instant::now();
    while start.elapsed() < d {
        tokio::task::yield_now().await;
    }
}

fn get_by_id(c: &mut Criterion) {
    let server = server::start(server::Config::items(LIST_ITEMS));
    let rt = runtime();
    let client = sdk_client(&server);
    let http = reqwest::Client::new();
    let url = format!("{}/ip_policies/{}", server.base, server::POLICY_ID);

    let mut g = c.benchmark_group("get_by_id");
    g.bench_function("sdk", |b| {
        b.to_async(&rt).iter(|| async { black_box(client.ip_policies().get(server::POLICY_ID).await.expect("get")) })
    });
    g.bench_function("bare_reqwest", |b| b.to_async(&rt).iter(|| async { black_box(bare_get::<IpPolicy>(&http, &url).await) }));
    g.finish();
}

fn list_all(c: &mut Criterion) {
    let server = server::start(server::Config::items(LIST_ITEMS));
    let rt = runtime();
    let client = sdk_client(&server);
    let http = reqwest::Client::new();
    let first = format!("{}/ip_policies", server.base);

    let mut g = c.benchmark_group("list_all_10k");
    g.sampling_mode(SamplingMode::Flat).sample_size(10).throughput(Throughput::Elements(LIST_ITEMS as u64));
    g.bench_function("sdk_items", |b| {
        b.to_async(&rt).iter(|| async {
            let mut items = client.ip_policies().list().items();
            let mut n = 0usize;
            while let Some(p) = items.try_next().await.expect("a page") {
                black_box(&p);
                n += 1;
            }
            assert_eq!(n, LIST_ITEMS);
        })
    });
    g.bench_function("sdk_items_no_prefetch", |b| {
        b.to_async(&rt).iter(|| async {
            let mut items = client.ip_policies().list().pages().prefetch(false).items();
            let mut n = 0usize;
            while let Some(p) = items.try_next().await.expect("a page") {
                black_box(&p);
                n += 1;
            }
            assert_eq!(n, LIST_ITEMS);
        })
    });
    g.bench_function("bare_reqwest", |b| {
        b.to_async(&rt).iter(|| async {
            let mut url = first.clone();
            let mut n = 0usize;
            loop {
                let page: IpPolicyList = bare_get(&http, &url).await;
                for p in page.ip_policies {
                    black_box(&p);
                    n += 1;
                }
                match page.next_page_uri {
                    Some(next) if !next.is_empty() => url = next,
                    _ => break,
                }
            }
            assert_eq!(n, LIST_ITEMS);
        })
    });
    g.finish();
}

fn consumer_1ms(c: &mut Criterion) {
    let rt = runtime();
    let mut g = c.benchmark_group("consumer_1ms_per_page");
    g.sampling_mode(SamplingMode::Flat).sample_size(10).throughput(Throughput::Elements(LIST_ITEMS as u64));
    for (suffix, latency) in [("", Duration::ZERO), ("_latency_1ms", Duration::from_millis(1))] {
        let server = server::start(server::Config { total_items: LIST_ITEMS, latency });
        let client = sdk_client(&server);
        for prefetch in [true, false] {
            let name = format!("prefetch_{}{suffix}", if prefetch { "on" } else { "off" });
            g.bench_function(name, |b| {
                b.to_async(&rt).iter(|| async {
                    let mut pages = client.ip_policies().list().pages().prefetch(prefetch);
                    let mut n = 0usize;
                    while let Some(page) = pages.try_next().await.expect("a page") {
                        spend(Duration::from_millis(1)).await;
                        n += black_box(page).ip_policies.len();
                    }
                    assert_eq!(n, LIST_ITEMS);
                })
            });
        }
    }
    // The floor: the caller's own 100 ms with no paging at all.
    g.bench_function("consumer_alone", |b| {
        b.to_async(&rt).iter(|| async {
            for _ in 0..LIST_ITEMS / server::PAGE_SIZE {
                spend(Duration::from_millis(1)).await;
            }
        })
    });
    g.finish();
}

fn decode(c: &mut Criterion) {
    let body = server::sample_page();
    let mut g = c.benchmark_group("decode_page_100");
    g.throughput(Throughput::Elements(server::PAGE_SIZE as u64));
    // What the SDK's send path does: plain serde_json into the generated
    // type (a failure's field path is worked out afterwards, from the text).
    g.bench_function("sdk_path", |b| b.iter(|| black_box(serde_json::from_slice::<IpPolicyList>(black_box(&body)).expect("decodes"))));
    // The same page into an untyped value, for scale.
    g.bench_function("untyped_value", |b| b.iter(|| black_box(serde_json::from_slice::<serde_json::Value>(black_box(&body)).expect("decodes"))));
    g.finish();
}

/// Where criterion keeps its results: `$CRITERION_HOME`, else
/// `$CARGO_TARGET_DIR/criterion`, else `criterion/` in the target directory
/// that holds this benchmark's executable (`<target>/release/deps/sdk-*`).
fn output_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.join("criterion")))
        .unwrap_or_else(|| PathBuf::from("target/criterion"))
}

/// The median, in nanoseconds, that criterion saved for `group/bench`.
fn median_ns(dir: &std::path::Path, group: &str, bench: &str) -> Option<f64> {
    let text = std::fs::read_to_string(dir.join(group).join(bench).join("new/estimates.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn fmt_ns(ns: f64) -> String {
    match ns {
        n if n >= 1e6 => format!("{:.2} ms", n / 1e6),
        n if n >= 1e3 => format!("{:.2} µs", n / 1e3),
        n => format!("{n:.0} ns"),
    }
}

fn summary(dir: &std::path::Path) {
    println!("\nsummary (ratios of criterion medians; lower is better for the first name)");
    let ratio = |label: &str, group: &str, a: &str, b: &str, target: &str| {
        if let (Some(x), Some(y)) = (median_ns(dir, group, a), median_ns(dir, group, b)) {
            println!("  {label:<44} {:>10} / {:>10} = {:.3}   (target {target})", fmt_ns(x), fmt_ns(y), x / y);
        }
    };
    ratio("get_by_id  sdk / bare_reqwest", "get_by_id", "sdk", "bare_reqwest", "<= 1.10");
    ratio("list_all_10k  sdk_items / bare_reqwest", "list_all_10k", "sdk_items", "bare_reqwest", "<= 1.05");
    ratio("list_all_10k  no prefetch / bare_reqwest", "list_all_10k", "sdk_items_no_prefetch", "bare_reqwest", "(none)");
    ratio("1ms/page  prefetch on / off", "consumer_1ms_per_page", "prefetch_on", "prefetch_off", "<= 0.60");
    ratio(
        "1ms/page, 1ms latency  prefetch on / off",
        "consumer_1ms_per_page",
        "prefetch_on_latency_1ms",
        "prefetch_off_latency_1ms",
        "<= 0.60",
    );
    for bench in ["sdk_path", "untyped_value"] {
        if let Some(ns) = median_ns(dir, "decode_page_100", bench) {
            println!("  decode_page_100 {bench:<28} {:>10} per page = {:.0} ns per item", fmt_ns(ns), ns / server::PAGE_SIZE as f64);
        }
    }
    println!("  (results from {}; a filtered run shows older numbers for the benches it skipped)", dir.display());
}

fn main() {
    let dir = output_dir();
    let mut c = Criterion::default().output_directory(&dir).configure_from_args();
    get_by_id(&mut c);
    list_all(&mut c);
    consumer_1ms(&mut c);
    decode(&mut c);
    c.final_summary();
    summary(&dir);
}
