//! `emulator-bench`: how much memory the emulator takes to hold many IP
//! policies, against a minimal server holding the same policies, and how
//! fast two builds of the emulator answer gets and list pages.
//!
//! ```text
//! emulator-bench seed FILE [N]                      # N IP policies (100000)
//! emulator-bench memory FILE NAME=BIN...  [xR]      # VmRSS after one list, R runs (3)
//! emulator-bench throughput FILE BEFORE AFTER [xR] [load=G,P]  # R rounds (801) of G gets
//!                                                   # and P pages (100,20) a side, alternating
//! emulator-bench drive FILE URL GETS PAGES          # that much work, against a running server
//! ```
//!
//! Run `throughput` under `taskset -c 1`: the client and both servers then
//! share one CPU, as the other benchmarks of the project do.

mod http;
mod servers;

use std::time::Instant;

use http::{Conn, next_before_id};
use servers::{Server, settle};

/// The ID of the `n`th seeded policy: `ipp_` and 27 letters and digits, the
/// first five counting, the rest scattered.
fn policy_id(n: u64) -> String {
    const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut out = String::from("ipp_");
    let mut count = [b'0'; 5];
    let mut k = n;
    for d in count.iter_mut().rev() {
        *d = DIGITS[(k % 62) as usize];
        k /= 62;
    }
    out.extend(count.iter().map(|&b| char::from(b)));
    let mut bits = mix(n);
    for i in 0..22 {
        if i == 11 {
            bits = mix(n ^ 0xA5A5_A5A5_A5A5_A5A5);
        }
        out.push(char::from(DIGITS[(bits % 62) as usize]));
        bits /= 62;
    }
    out
}

/// splitmix64's finalizer: a fixed scramble.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Writes a seed file of `n` IP policies, each as the API shows one.
fn write_seed(path: &str, n: u64) -> Result<(), String> {
    let mut items = Vec::with_capacity(n as usize);
    for i in 0..n {
        let id = policy_id(i);
        items.push(serde_json::json!({
            "id": id,
            "uri": format!("https://api.ngrok.com/ip_policies/{id}"),
            "created_at": format!("2026-{:02}-{:02}T{:02}:{:02}:{:02}Z", 1 + i % 12, 1 + i % 28, i % 24, i % 60, (i / 60) % 60),
            "description": format!("office network {i}"),
            "metadata": format!("{{\"team\":\"ops\",\"n\":{i}}}"),
        }));
    }
    let seed = serde_json::json!({ "ip_policies": items });
    let text = serde_json::to_vec(&seed).map_err(|e| e.to_string())?;
    std::fs::write(path, &text).map_err(|e| format!("cannot write {path}: {e}"))?;
    eprintln!("{path}: {n} IP policies, {} bytes", text.len());
    Ok(())
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() { f64::NAN } else { v[v.len() / 2] }
}

fn rounds(args: &[String], default: usize) -> usize {
    args.iter().find_map(|a| a.strip_prefix('x').and_then(|n| n.parse().ok())).unwrap_or(default)
}

/// Starts each server in turn, makes one list request, and reads `VmRSS`.
fn memory(seed: &str, servers: &[(String, String)], runs: usize) -> Result<(), String> {
    let mut rss: Vec<Vec<f64>> = vec![Vec::new(); servers.len()];
    let mut hwm: Vec<Vec<f64>> = vec![Vec::new(); servers.len()];
    let mut body = Vec::new();
    for _ in 0..runs {
        for (i, (name, bin)) in servers.iter().enumerate() {
            let server = Server::start(name, bin, seed)?;
            let mut conn = Conn::open(&server.base).map_err(|e| e.to_string())?;
            let status = conn.get("/ip_policies", &mut body).map_err(|e| e.to_string())?;
            if status != 200 || next_before_id(&body).is_none() {
                return Err(format!("{name}: the list answered {status} without a next page"));
            }
            settle();
            let mib = |kib: Option<u64>| kib.map_or(f64::NAN, |k| k as f64 / 1024.0);
            rss[i].push(mib(server.status_kib("VmRSS:")));
            hwm[i].push(mib(server.status_kib("VmHWM:")));
        }
    }
    println!("{:<24} {:>12} {:>12} {:>14}", "server", "VmRSS MiB", "VmHWM MiB", "RSS / first");
    let first = median(&mut rss[0].clone());
    for (i, (name, _)) in servers.iter().enumerate() {
        let r = median(&mut rss[i]);
        let h = median(&mut hwm[i]);
        println!("{name:<24} {r:>12.1} {h:>12.1} {:>14.3}", r / first);
    }
    println!("(medians of {runs} runs; each server started afresh per run, one list request before reading)");
    Ok(())
}

/// What one side did in a round: wall-clock and server CPU seconds per
/// get and per page.
#[derive(Clone, Copy, Default)]
struct Took {
    get: f64,
    page: f64,
    get_cpu: f64,
    page_cpu: f64,
}

/// Times `gets` gets of scattered policies and `pages` list pages (walking
/// down from the newest with `before_id`) against one server.
fn work(cpu_secs: impl Fn() -> f64, conn: &mut Conn, n: u64, load: (u64, u64), round: u64) -> Result<Took, String> {
    let (gets, pages) = load;
    let mut body = Vec::with_capacity(64 << 10);
    let (started, cpu) = (Instant::now(), cpu_secs());
    for g in 0..gets {
        let id = policy_id(mix(round * gets + g) % n);
        let status = conn.get(&format!("/ip_policies/{id}"), &mut body).map_err(|e| e.to_string())?;
        if status != 200 {
            return Err(format!("get {id}: status {status}"));
        }
    }
    let get = started.elapsed().as_secs_f64() / gets as f64;
    let get_cpu = (cpu_secs() - cpu) / gets as f64;
    let (started, cpu) = (Instant::now(), cpu_secs());
    let mut path = String::from("/ip_policies");
    for _ in 0..pages {
        let status = conn.get(&path, &mut body).map_err(|e| e.to_string())?;
        if status != 200 {
            return Err(format!("list {path}: status {status}"));
        }
        path = match next_before_id(&body) {
            Some(b) => format!("/ip_policies?before_id={b}"),
            None => String::from("/ip_policies"),
        };
    }
    let page = started.elapsed().as_secs_f64() / pages as f64;
    let page_cpu = (cpu_secs() - cpu) / pages as f64;
    Ok(Took { get, page, get_cpu, page_cpu })
}

/// Rounds of gets and pages against two builds, in alternating order.
fn throughput(seed: &str, before: &str, after: &str, rounds: usize, load: (u64, u64)) -> Result<(), String> {
    let n = count_policies(seed)?;
    let servers = [Server::start("before", before, seed)?, Server::start("after", after, seed)?];
    let mut conns = Vec::new();
    for s in &servers {
        let mut c = Conn::open(&s.base).map_err(|e| e.to_string())?;
        work(|| s.cpu_secs(), &mut c, n, (500, 50), 0)?; // warm-up
        conns.push(c);
    }
    let mut took = [Vec::new(), Vec::new()];
    for r in 0..rounds {
        let order = if r % 2 == 0 { [0, 1] } else { [1, 0] };
        for side in order {
            took[side].push(work(|| servers[side].cpu_secs(), &mut conns[side], n, load, r as u64 + 1)?);
        }
    }
    println!("{:<30} {:>10} {:>10} {:>28}", "workload", "before µs", "after µs", "after/before med (min-max)");
    let rows: [(String, fn(&Took) -> f64); 4] = [
        (format!("get, wall ({} a round)", load.0), |t| t.get),
        ("get, server CPU".to_string(), |t| t.get_cpu),
        (format!("list page, wall ({} a round)", load.1), |t| t.page),
        ("list page, server CPU".to_string(), |t| t.page_cpu),
    ];
    for (label, pick) in rows {
        let mut b: Vec<f64> = took[0].iter().map(|t| pick(t) * 1e6).collect();
        let mut a: Vec<f64> = took[1].iter().map(|t| pick(t) * 1e6).collect();
        let mut ratios: Vec<f64> = a.iter().zip(&b).map(|(a, b)| a / b).collect();
        let min = ratios.iter().copied().fold(f64::INFINITY, f64::min);
        let max = ratios.iter().copied().fold(0.0, f64::max);
        let (b, a, m) = (median(&mut b), median(&mut a), median(&mut ratios));
        println!("{label:<30} {b:>10.1} {a:>10.1} {m:>16.3} ({min:.3}-{max:.3})");
    }
    println!("({rounds} rounds, sides alternating first; ratios per round; below 1.0 the after build is faster)");
    Ok(())
}

/// How many policies a seed file holds.
fn count_policies(seed: &str) -> Result<u64, String> {
    let text = std::fs::read(seed).map_err(|e| format!("cannot read {seed}: {e}"))?;
    let n = text.windows(6).filter(|w| w == b"\"id\":\"").count() as u64;
    if n == 0 { Err(format!("{seed} holds no IP policies")) } else { Ok(n) }
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).cloned().ok_or_else(|| "usage: see the top of src/main.rs".to_string());
    match args.first().map(String::as_str) {
        Some("seed") => write_seed(&arg(1)?, args.get(2).and_then(|n| n.parse().ok()).unwrap_or(100_000)),
        Some("memory") => {
            let seed = arg(1)?;
            let servers: Vec<(String, String)> = args[2..]
                .iter()
                .filter_map(|a| a.split_once('=').map(|(n, b)| (n.to_string(), b.to_string())))
                .collect();
            if servers.is_empty() {
                return Err("memory FILE NAME=BIN...: name at least one server".into());
            }
            memory(&seed, &servers, rounds(&args, 3))
        }
        Some("drive") => {
            // A fixed amount of work against a server already running, for
            // an instruction counter attached to it (`perf stat -p`).
            let n = count_policies(&arg(1)?)?;
            let num = |i: usize| args.get(i).and_then(|a| a.parse().ok()).ok_or("drive SEED URL GETS PAGES");
            let mut conn = Conn::open(&arg(2)?).map_err(|e| e.to_string())?;
            work(|| 0.0, &mut conn, n, (num(3)?, num(4)?), 1).map(|_| ())
        }
        Some("throughput") => {
            // `load=GETS,PAGES` sets the work of one side in one round.
            let load = args
                .iter()
                .find_map(|a| a.strip_prefix("load=")?.split_once(',').and_then(|(g, p)| Some((g.parse().ok()?, p.parse().ok()?))))
                .unwrap_or((100, 20));
            throughput(&arg(1)?, &arg(2)?, &arg(3)?, rounds(&args, 801), load)
        }
        _ => Err("usage: emulator-bench seed FILE [N] | memory FILE NAME=BIN... [xR] | throughput FILE BEFORE AFTER [xR]".into()),
    }
}
