//! Side-by-side comparison of this SDK ("ours") with the published
//! `ngrok-api` 0.12.1 crate ("official"), against one in-process
//! fixed-response server on loopback.
//!
//! ```text
//! cargo build --release --manifest-path bench/compare/Cargo.toml
//! bench/compare/target/release/ngrok-api-compare [all|runtime|memory|compile]
//! ```
//!
//! - `runtime`: get-by-id latency (median of single calls) and list-all
//!   10,000 wall time (median of whole walks), the contenders interleaved
//!   in short rounds on the same runtime and server, so that a burst of
//!   load from elsewhere on the machine hits both alike.
//!   It also times decoding one 100-item page body into each crate's page
//!   type with `serde_json` (median of batches), which isolates the cost of
//!   the models themselves.
//! - `memory`: peak memory of list-all 10,000 and 100,000, each run in a
//!   fresh child process per contender so nothing carries over. Reports the
//!   heap high-water mark counted by a global allocator (bytes live at the
//!   peak, minus those live before the walk) and the process's RSS
//!   high-water mark (`VmHWM`).
//! - `compile`: crate-alone release build time of each crate in this
//!   harness's own target directory: `cargo clean --release -p <crate>` then
//!   `cargo build --release -p <crate>`, three times each, median.
//!
//! Every ratio printed is ours / official: below 1.0 means ours is faster
//! or smaller.

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;

#[path = "../../../ngrok-api/benches/support/server.rs"]
#[allow(dead_code)]
mod server;

// ---------------------------------------------------------------------------
// Heap accounting

/// The system allocator, counting the bytes live now and at the peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counters are only bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's pointer, layout and size.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

// ---------------------------------------------------------------------------
// The two contenders

const KEY: &str = "k";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    Ours,
    Official,
}

impl Who {
    fn name(self) -> &'static str {
        match self {
            Who::Ours => "ours",
            Who::Official => "official",
        }
    }
}

struct Clients {
    ours: ngrok_api::Client,
    official: official::Client,
}

impl Clients {
    fn new(server: &server::Server) -> Clients {
        let ours = ngrok_api::Client::builder().api_key(KEY).base_url(server.base.clone()).build().expect("our client");
        let mut builder = official::ClientBuilder::new(KEY.to_string());
        builder.api_url(url::Url::parse(&server.base).expect("the server's URL"));
        Clients { ours, official: builder.build() }
    }

    async fn get(&self, who: Who) {
        match who {
            Who::Ours => {
                let p = self.ours.ip_policies().get(server::POLICY_ID).await.expect("get (ours)");
                std::hint::black_box(p);
            }
            Who::Official => {
                let p = self.official.ip_policies().get(server::POLICY_ID).await.expect("get (official)");
                std::hint::black_box(p);
            }
        }
    }

    /// Walks every item of the list, keeping none; returns how many there were.
    async fn list_all(&self, who: Who) -> usize {
        let mut n = 0;
        match who {
            Who::Ours => {
                let mut items = self.ours.ip_policies().list().items();
                while let Some(p) = items.try_next().await.expect("list (ours)") {
                    std::hint::black_box(p);
                    n += 1;
                }
            }
            Who::Official => {
                let mut items = self.official.ip_policies().list(official::types::FilteredPaging::default()).ip_policies().await;
                while let Some(p) = items.try_next().await.expect("list (official)") {
                    std::hint::black_box(p);
                    n += 1;
                }
            }
        }
        n
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

// ---------------------------------------------------------------------------
// Reporting

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

fn row(what: &str, unit: &str, ours: f64, official: f64) {
    println!("{what:<36} {ours:>12.2} {official:>12.2}  {unit:<5} {:>7.3}", ours / official);
}

fn header() {
    println!("{:<36} {:>12} {:>12}  {:<5} {:>7}", "workload", "ours", "official", "unit", "ratio");
}

fn machine() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).map(|s| s.trim().to_string()))
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    println!("machine: {cores} cores, {cpu}");
}

// ---------------------------------------------------------------------------
// Workloads

const GET_ROUNDS: usize = 100;
const GET_CALLS_PER_ROUND: usize = 50;
const LIST_ROUNDS: usize = 15;
const LIST_ITEMS: usize = 10_000;
const DECODE_ROUNDS: usize = 21;
const DECODE_BATCH: usize = 200;

fn runtime_workloads() {
    let server = server::start(server::Config::items(LIST_ITEMS));
    let rt = runtime();
    let clients = Clients::new(&server);
    let both = [Who::Ours, Who::Official];
    rt.block_on(async {
        // Warm up: connections, pools, caches.
        for who in both {
            for _ in 0..200 {
                clients.get(who).await;
            }
            clients.list_all(who).await;
        }

        let mut get: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        for round in 0..GET_ROUNDS {
            // Alternate which goes first, so drift hits both alike.
            let order = if round % 2 == 0 { both } else { [Who::Official, Who::Ours] };
            for who in order {
                for _ in 0..GET_CALLS_PER_ROUND {
                    let t = Instant::now();
                    clients.get(who).await;
                    get[who as usize].push(t.elapsed().as_secs_f64() * 1e6);
                }
            }
        }

        let mut list: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        for round in 0..LIST_ROUNDS {
            let order = if round % 2 == 0 { both } else { [Who::Official, Who::Ours] };
            for who in order {
                let t = Instant::now();
                let n = clients.list_all(who).await;
                list[who as usize].push(t.elapsed().as_secs_f64() * 1e3);
                assert_eq!(n, LIST_ITEMS, "{} walked {n} items", who.name());
            }
        }

        let body = server::sample_page();
        let mut decode: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        for _ in 0..DECODE_ROUNDS {
            for who in both {
                let t = Instant::now();
                for _ in 0..DECODE_BATCH {
                    match who {
                        Who::Ours => {
                            let page: ngrok_api::types::IpPolicyList = serde_json::from_slice(std::hint::black_box(&body)).expect("decodes");
                            std::hint::black_box(page);
                        }
                        Who::Official => {
                            let page: official::types::IPPolicyList = serde_json::from_slice(std::hint::black_box(&body)).expect("decodes");
                            std::hint::black_box(page);
                        }
                    }
                }
                decode[who as usize].push(t.elapsed().as_secs_f64() * 1e9 / (DECODE_BATCH * server::PAGE_SIZE) as f64);
            }
        }

        println!("\nruntime ({} x {} single calls; {} walks of {} items; medians)", GET_ROUNDS, GET_CALLS_PER_ROUND, LIST_ROUNDS, LIST_ITEMS);
        header();
        let [mut go, mut gf] = get;
        row("get-by-id latency", "µs", median(&mut go), median(&mut gf));
        let [mut lo, mut lf] = list;
        row("list-all 10,000 wall time", "ms", median(&mut lo), median(&mut lf));
        let [mut d_o, mut d_f] = decode;
        row("decode 100-item page, per item", "ns", median(&mut d_o), median(&mut d_f));
    });
}

/// Runs in a child process: walks a list of `count` items with one
/// contender and prints the heap and RSS high-water marks.
fn memory_child(who: Who, count: usize) {
    let server = server::start(server::Config::items(count));
    let rt = runtime();
    let clients = Clients::new(&server);
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let n = rt.block_on(clients.list_all(who));
    assert_eq!(n, count);
    let peak = PEAK.load(Ordering::Relaxed) - before;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm_kb: u64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    println!("peak_heap_bytes={peak} vmhwm_kb={hwm_kb}");
}

const MEMORY_RUNS: usize = 3;

fn memory_workloads() {
    let exe = std::env::current_exe().expect("this program's path");
    let measure = |who: Who, count: usize| -> (f64, f64) {
        let mut heap = Vec::new();
        let mut rss = Vec::new();
        for _ in 0..MEMORY_RUNS {
            let out = Command::new(&exe).args(["memory-child", who.name(), &count.to_string()]).output().expect("run a child");
            assert!(out.status.success(), "child failed: {}", String::from_utf8_lossy(&out.stderr));
            let text = String::from_utf8_lossy(&out.stdout);
            let field = |name: &str| -> f64 {
                text.split_whitespace()
                    .find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
                    .and_then(|v| v.parse().ok())
                    .expect("a number from the child")
            };
            heap.push(field("peak_heap_bytes") / 1024.0);
            rss.push(field("vmhwm_kb") / 1024.0);
        }
        (median(&mut heap), median(&mut rss))
    };
    let mut results = Vec::new();
    for count in [10_000usize, 100_000] {
        let ours = measure(Who::Ours, count);
        let official = measure(Who::Official, count);
        results.push((count, ours, official));
    }
    println!("\nmemory (list-all in a fresh process per run; median of {MEMORY_RUNS})");
    header();
    for (count, ours, official) in &results {
        row(&format!("peak heap during list-all {count}"), "KiB", ours.0, official.0);
        row(&format!("peak RSS (VmHWM) list-all {count}"), "MiB", ours.1, official.1);
    }
    if let [(_, o10, f10), (_, o100, f100)] = results[..] {
        println!("growth from 10,000 to 100,000 items (heap high-water, 100k / 10k): ours {:.3}, official {:.3}", o100.0 / o10.0, f100.0 / f10.0);
    }
}

const COMPILE_RUNS: usize = 3;

fn cargo(dir: &str, args: &[&str]) -> Duration {
    let t = Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .arg("--manifest-path")
        .arg(format!("{dir}/Cargo.toml"))
        .arg("--quiet")
        .status()
        .expect("run cargo");
    assert!(status.success(), "cargo {args:?} failed");
    t.elapsed()
}

fn compile_workloads() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let specs = [(Who::Ours, "ngrok-api@0.13.0"), (Who::Official, "ngrok-api@0.12.1")];
    // Everything both crates depend on is built first, so each timed build
    // compiles the crate alone.
    cargo(dir, &["build", "--release"]);
    let mut secs: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for _ in 0..COMPILE_RUNS {
        for (who, spec) in specs {
            cargo(dir, &["clean", "--release", "-p", spec]);
            let took = cargo(dir, &["build", "--release", "-p", spec]);
            secs[who as usize].push(took.as_secs_f64());
            println!("  built {spec} in {:.2} s", took.as_secs_f64());
        }
    }
    println!("\ncompile (crate alone, release, clean -p then build -p; median of {COMPILE_RUNS})");
    header();
    let [mut o, mut f] = secs;
    row("release build, crate alone", "s", median(&mut o), median(&mut f));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["memory-child", who, count] => {
            let who = if *who == "ours" { Who::Ours } else { Who::Official };
            memory_child(who, count.parse().expect("an item count"));
        }
        [] | ["all"] => {
            machine();
            runtime_workloads();
            memory_workloads();
            compile_workloads();
        }
        ["runtime"] => {
            machine();
            runtime_workloads();
        }
        ["memory"] => {
            machine();
            memory_workloads();
        }
        ["compile"] => {
            machine();
            compile_workloads();
        }
        _ => {
            eprintln!("usage: ngrok-api-compare [all|runtime|memory|compile]");
            std::process::exit(2);
        }
    }
}
