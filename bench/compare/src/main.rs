//! Side-by-side comparison of this SDK ("ours") with the published
//! `ngrok-api` 0.12.1 crate ("official") and with bare `reqwest` +
//! `serde_json` ("bare", the floor), against one in-process fixed-response
//! server on loopback. The get workload also runs the official crate on a
//! reqwest client with a 30 s timeout ("official-timeout"), the protection
//! ours has by default.
//!
//! ```text
//! cargo build --release --manifest-path bench/compare/Cargo.toml
//! taskset -c 1 bench/compare/target/release/ngrok-api-compare [all|runtime|decode|memory|compile]
//! taskset -c 1 bench/compare/target/release/ngrok-api-compare runtime get list x3   # some parts, 3x the rounds
//! taskset -c 1 bench/compare/target/release/ngrok-api-compare profile ours get 20  # one contender alone, for perf
//! valgrind --tool=callgrind bench/compare/target/release/ngrok-api-compare count ours get 2000  # a fixed amount of work
//! valgrind --tool=callgrind bench/compare/target/release/ngrok-api-compare count ours page 2000  # decodes only (page|stamps)
//! NO_ATTEMPT_TIMEOUT=1 taskset -c 1 bench/compare/target/release/ngrok-api-compare runtime get  # ours without its per-attempt timeout
//! CONTROL_WITHOUT_TIMEOUT=1 taskset -c 1 bench/compare/target/release/ngrok-api-compare runtime get x3  # the control without it
//! taskset -c 1 bench/compare/target/release/ngrok-api-compare start   # whole programs (start-ours, start-official)
//! taskset -c 1 bench/compare/target/release/ngrok-api-compare roots   # the one-time cost of each choice of roots
//! bench/compare/target/release/ngrok-api-compare serve   # the server alone, for one program under a profiler
//! ```
//!
//! `NO_ATTEMPT_TIMEOUT` (any value) builds ours with `.timeout(None)`: a
//! diagnostic that shows what the per-attempt timer costs, never a figure
//! quoted as ours. `CONTROL_WITHOUT_TIMEOUT` (any value) leaves ours as it
//! is and builds the get workload's control ("ours again") without the
//! timer instead, so the control row shows the timer's cost within one
//! binary: comparing two builds cannot see a few tenths of a percent.
//!
//! Every workload runs the contenders in alternation, in rounds (the order
//! shuffled each round), against the same server; each round gives one
//! ratio per pair, and a row reports the median of those pairwise ratios
//! with their min and max. A ratio below 1.0 means the first named is
//! faster or smaller. Pin the whole process (client and server thread) to
//! one CPU with `taskset`: loopback round trips between two CPUs vary far
//! more than the differences measured here.

mod alloc;
mod contenders;
mod decode;
mod processes;
mod start;
#[path = "../../../ngrok-api/benches/support/server.rs"]
#[allow(dead_code)]
mod server;

use std::future::Future;
use std::time::{Duration, Instant};

use contenders::{Clients, Who};

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

/// Prints the median, min and max of the pairwise ratios `a[i] / b[i]`.
fn ratio_row(label: &str, a: &[f64], b: &[f64]) {
    let mut r: Vec<f64> = a.iter().zip(b).map(|(x, y)| x / y).collect();
    let (min, max) = r.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    let n = r.len();
    println!("{label:<52} {:>7.3}  {min:>7.3}  {max:>7.3}  {n:>3}", median(&mut r));
}

fn header(title: &str) {
    println!("\n{title}");
    println!("{:<52} {:>7}  {:>7}  {:>7}  {:>3}", "ratio", "median", "min", "max", "n");
}

fn machine() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).map(|s| s.trim().to_string()))
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    println!("machine: {cores} usable core(s), {cpu}");
}

/// Each contender's seconds per round: wall-clock, and CPU time of the
/// whole process (client and server threads), which other programs on the
/// machine disturb far less than the wall clock.
struct Timed {
    wall: Vec<Vec<f64>>,
    cpu: Vec<Vec<f64>>,
}

/// CPU time used by this process so far, in seconds.
fn process_cpu() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec for the call's duration.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// The order of one round: each of `n` contenders once, shuffled. With a
/// fixed rotation each contender always ran right after the same other one,
/// and one that follows code like its own finds the CPU's caches and branch
/// predictors warm: two identical contenders read 1.008 instead of 1.000.
/// A fixed-seed xorshift keeps runs repeatable.
fn round_order(n: usize, state: &mut u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let bound = u64::try_from(i + 1).expect("a small count");
        let j = usize::try_from(*state % bound).expect("an index under n");
        order.swap(i, j);
    }
    order
}

/// Runs `rounds` rounds; in each, every contender runs `one` once, in an
/// order shuffled from round to round. Returns each contender's times.
async fn alternate<F, Fut>(rounds: usize, who: &[Who], mut one: F) -> Timed
where
    F: FnMut(Who) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut t = Timed { wall: vec![Vec::with_capacity(rounds); who.len()], cpu: vec![Vec::with_capacity(rounds); who.len()] };
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..rounds {
        for i in round_order(who.len(), &mut seed) {
            let (wall, cpu) = (Instant::now(), process_cpu());
            one(who[i]).await;
            t.cpu[i].push(process_cpu() - cpu);
            t.wall[i].push(wall.elapsed().as_secs_f64());
        }
    }
    t
}

/// Prints `(label, a, b)` ratio rows from wall-clock times, then the same
/// from process CPU time.
fn wall_and_cpu_rows(t: &Timed, rows: &[(&str, usize, usize)]) {
    for (label, a, b) in rows {
        ratio_row(label, &t.wall[*a], &t.wall[*b]);
    }
    println!("  process CPU time:");
    for (label, a, b) in rows {
        ratio_row(&format!("  {label}"), &t.cpu[*a], &t.cpu[*b]);
    }
}

const GET_ROUNDS: usize = 41;
const GET_BATCH: usize = 200;
const LIST_ROUNDS: usize = 21;
const BIG_LIST_ROUNDS: usize = 7;
const SLOW_ROUNDS: usize = 7;

/// The parts of the runtime workloads; `runtime get list` runs those two.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Get,
    List,
    BigList,
    Slow,
}

impl Part {
    const ALL: [Part; 4] = [Part::Get, Part::List, Part::BigList, Part::Slow];

    fn parse(name: &str) -> Option<Part> {
        match name {
            "get" => Some(Part::Get),
            "list" => Some(Part::List),
            "big" => Some(Part::BigList),
            "slow" => Some(Part::Slow),
            _ => None,
        }
    }
}

/// Runs the chosen parts, each with its rounds multiplied by `scale`.
fn runtime_workloads(parts: &[Part], scale: usize) {
    use Who::{Bare, Bare012, Official, OfficialTimeout, Ours, OursNoPrefetch};
    let rt = runtime();
    // The servers stop when dropped: keep them for the whole run.
    let servers = [
        server::start(server::Config::items(10_000)),
        server::start(server::Config::items(100_000)),
        server::start(server::Config { total_items: 10_000, latency: Duration::from_millis(1) }),
    ];
    let [small, big, slow] = servers.each_ref().map(Clients::new);
    rt.block_on(async {
        for who in [Ours, OursNoPrefetch, Official, OfficialTimeout, Bare, Bare012] {
            for _ in 0..200 {
                small.get(who).await;
            }
            small.list_all(who).await;
        }
        if parts.contains(&Part::Get) {
            get_rows(&small, GET_ROUNDS * scale).await;
        }
        let five = [Ours, OursNoPrefetch, Official, Bare, Bare012];
        for (part, clients, count, rounds) in [(Part::List, &small, 10_000usize, LIST_ROUNDS), (Part::BigList, &big, 100_000, BIG_LIST_ROUNDS)] {
            if !parts.contains(&part) {
                continue;
            }
            let rounds = rounds * scale;
            let t = alternate(rounds, &five, |who| async move {
                let got = clients.list_all(who).await;
                assert_eq!(got, count, "{} walked {got} items", who.name());
            })
            .await;
            header(&format!("list-all {count} by items, fast consumer ({rounds} rounds, one walk each)"));
            wall_and_cpu_rows(
                &t,
                &[
                    ("list-all: ours / official", 0, 2),
                    ("list-all: ours / bare reqwest+serde", 0, 3),
                    ("list-all: ours, prefetch off / bare", 1, 3),
                    ("list-all: ours, prefetch on / off", 0, 1),
                    ("list-all: official / bare on reqwest 0.12", 2, 4),
                    ("list-all: bare on reqwest 0.13 / on 0.12", 3, 4),
                ],
            );
        }
        if parts.contains(&Part::Slow) {
            slow_rows(&slow, SLOW_ROUNDS * scale).await;
        }
    });
}

async fn get_rows(small: &Clients, rounds: usize) {
    // The last is a control: for a get, "ours-no-prefetch" is the very
    // same client as "ours", so their ratio shows what the harness's
    // order and noise alone make of two equal contenders (or, with
    // CONTROL_WITHOUT_TIMEOUT, the same SDK without its per-attempt timer).
    let six = [Who::Ours, Who::Official, Who::Bare, Who::Bare012, Who::OfficialTimeout, Who::OursNoPrefetch];
    let t = alternate(rounds, &six, |who| async move {
        for _ in 0..GET_BATCH {
            small.get(who).await;
        }
    })
    .await;
    header(&format!("get-by-id ({rounds} rounds of {GET_BATCH} sequential calls each)"));
    wall_and_cpu_rows(
        &t,
        &[
            ("get: ours / official", 0, 1),
            ("get: ours / bare reqwest+serde", 0, 2),
            ("get: official / bare on reqwest 0.12", 1, 3),
            ("get: bare on reqwest 0.13 / on 0.12", 2, 3),
            ("get: ours / official with a 30 s timeout", 0, 4),
            ("get: official with a timeout / without", 4, 1),
            (
                if contenders::control_without_timeout() { "get: ours / ours without its timer" } else { "get: ours / ours again (a control)" },
                0,
                5,
            ),
        ],
    );
}

async fn slow_rows(slow: &Clients, rounds: usize) {
    let four = [Who::Ours, Who::OursNoPrefetch, Who::Official, Who::Bare];
    let t = alternate(rounds, &four, |who| async move {
        let got = slow.walk(who, Duration::from_millis(1)).await;
        assert_eq!(got, 10_000);
    })
    .await;
    header(&format!("slow consumer: 1 ms of work per page, 1 ms server latency, 10,000 items ({rounds} rounds)"));
    // Wall-clock only: here the waiting is what is measured.
    ratio_row("slow: ours (prefetch on) / ours prefetch off", &t.wall[0], &t.wall[1]);
    ratio_row("slow: ours / official", &t.wall[0], &t.wall[2]);
    ratio_row("slow: ours / bare reqwest+serde", &t.wall[0], &t.wall[3]);
}

/// How long [`profile_one`] runs.
#[derive(Clone, Copy)]
enum Span {
    Seconds(u64),
    /// This many gets, or walks of the 10,000-item list.
    Times(usize),
}

/// Runs one contender alone (gets or whole walks) for a profiler or an
/// instruction counter to watch.
fn profile_one(who: Who, what: Part, span: Span) {
    let rt = runtime();
    let server = server::start(server::Config::items(10_000));
    let clients = Clients::new(&server);
    let until = Instant::now() + Duration::from_secs(if let Span::Seconds(s) = span { s } else { 0 });
    let (mut n, mut runs) = (0usize, 0usize);
    rt.block_on(async {
        loop {
            match span {
                Span::Seconds(_) if Instant::now() >= until => break,
                Span::Times(t) if runs >= t => break,
                _ => {}
            }
            runs += 1;
            match what {
                Part::Get => {
                    clients.get(who).await;
                    n += 1;
                }
                _ => n += clients.list_all(who).await,
            }
        }
    });
    let what = if what == Part::Get { "gets" } else { "items" };
    println!("{}: {n} {what}", who.name());
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["memory-child", who, count] => {
            let who = Who::parse(who).expect("a contender's name");
            processes::memory_child(who, count.parse().expect("an item count"));
            return;
        }
        _ => machine(),
    }
    match args.as_slice() {
        [] | ["all"] => {
            runtime_workloads(&Part::ALL, 1);
            decode::workloads();
            processes::memory_workloads();
        }
        ["runtime", rest @ ..] => {
            // `runtime [get|list|big|slow]... [xN]`: the parts named (all by
            // default), with N times the rounds.
            let scale = rest.iter().find_map(|a| a.strip_prefix('x').and_then(|n| n.parse().ok())).unwrap_or(1);
            let mut parts: Vec<Part> = rest.iter().filter_map(|a| Part::parse(a)).collect();
            if parts.is_empty() {
                parts = Part::ALL.to_vec();
            }
            runtime_workloads(&parts, scale);
        }
        ["count", who, what @ ("page" | "stamps"), n] => decode::count(who, what, n.parse().expect("a number")),
        ["profile" | "count", who, what, n] => {
            let who = Who::parse(who).expect("a contender's name");
            let n = n.parse().expect("a number");
            let span = if args[0] == "profile" { Span::Seconds(n) } else { Span::Times(usize::try_from(n).expect("a count")) };
            profile_one(who, Part::parse(what).expect("get or list"), span);
        }
        ["start", rest @ ..] => {
            // `start [new|new100|get1|get1000|walk]... [xN]`: whole programs.
            let scale = rest.iter().find_map(|a| a.strip_prefix('x').and_then(|n| n.parse().ok())).unwrap_or(1);
            let parts: Vec<&str> = rest.iter().copied().filter(|a| !a.starts_with('x')).collect();
            start::workloads(&parts, scale);
        }
        ["roots"] => start::roots(21),
        ["serve"] => start::serve(),
        ["decode"] => decode::workloads(),
        ["memory"] => processes::memory_workloads(),
        ["compile"] => processes::compile_workloads(),
        _ => {
            eprintln!(
                "usage: ngrok-api-compare [all | runtime [get|list|big|slow]... [xN] | start [new|new100|get1|get1000|walk]... [xN] | roots | serve | decode | memory | compile | profile WHO get|list SECONDS | count WHO get|list TIMES | count ours|official page|stamps TIMES]"
            );
            std::process::exit(2);
        }
    }
}
