//! The workloads that run other processes: peak memory, a fresh child
//! process per walk, and release build times through cargo.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::contenders::{Clients, Who};
use crate::{alloc, header, median, ratio_row, runtime, server};

/// Runs in a child process: walks a list of `count` items with one
/// contender and prints the heap and RSS high-water marks.
pub fn memory_child(who: Who, count: usize) {
    alloc::start_counting();
    let server = server::start(server::Config::items(count));
    let rt = runtime();
    let clients = Clients::new(&server);
    let before = alloc::reset_peak();
    let n = rt.block_on(clients.list_all(who));
    assert_eq!(n, count);
    let peak = alloc::peak() - before;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm_kb: u64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    println!("peak_heap_bytes={peak} vmhwm_kb={hwm_kb}");
}

const MEMORY_RUNS: usize = 5;

/// Peak heap and peak RSS of one fresh child walking `count` items.
fn measure_memory(who: Who, count: usize) -> (f64, f64) {
    let exe = std::env::current_exe().expect("this program's path");
    let out = Command::new(&exe).args(["memory-child", who.name(), &count.to_string()]).output().expect("run a child");
    assert!(out.status.success(), "child failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| -> f64 {
        text.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
            .and_then(|v| v.parse().ok())
            .expect("a number from the child")
    };
    (field("peak_heap_bytes"), field("vmhwm_kb"))
}

pub fn memory_workloads() {
    let who = [Who::Ours, Who::Official, Who::Bare, Who::Bare012];
    header(&format!("peak memory of list-all, a fresh process per walk ({MEMORY_RUNS} rounds)"));
    for count in [10_000usize, 100_000] {
        let mut heap = vec![Vec::new(); who.len()];
        let mut rss = vec![Vec::new(); who.len()];
        for round in 0..MEMORY_RUNS {
            for k in 0..who.len() {
                let i = (round + k) % who.len();
                let (h, r) = measure_memory(who[i], count);
                heap[i].push(h);
                rss[i].push(r);
            }
        }
        ratio_row(&format!("peak heap, list-all {count}: ours / official"), &heap[0], &heap[1]);
        ratio_row(&format!("peak heap, list-all {count}: ours / bare"), &heap[0], &heap[2]);
        ratio_row(&format!("peak RSS (VmHWM), list-all {count}: ours / official"), &rss[0], &rss[1]);
        ratio_row(&format!("peak RSS (VmHWM), list-all {count}: ours / bare"), &rss[0], &rss[2]);
        ratio_row(&format!("peak heap, list-all {count}: bare on reqwest 0.13 / on 0.12"), &heap[2], &heap[3]);
        let kib = |v: &mut Vec<f64>| median(v) / 1024.0;
        println!(
            "  (median peak heap, KiB: ours {:.1}, official {:.1}, bare {:.1}, bare-0.12 {:.1})",
            kib(&mut heap[0]),
            kib(&mut heap[1]),
            kib(&mut heap[2]),
            kib(&mut heap[3])
        );
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

/// Crate-alone release build time of each crate, in this harness's own
/// target directory (`clean -p` then `build -p`), in alternation.
pub fn compile_workloads() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let specs = ["ngrok-api@0.13.0", "ngrok-api@0.12.1"];
    cargo(dir, &["build", "--release"]);
    let mut secs: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for _ in 0..COMPILE_RUNS {
        for (i, spec) in specs.iter().enumerate() {
            cargo(dir, &["clean", "--release", "-p", spec]);
            secs[i].push(cargo(dir, &["build", "--release", "-p", spec]).as_secs_f64());
        }
    }
    header(&format!("release build of the crate alone ({COMPILE_RUNS} rounds)"));
    ratio_row("compile: ours / official", &secs[0], &secs[1]);
}
