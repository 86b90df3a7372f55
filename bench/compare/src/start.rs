//! Whole programs, timed as users run them: each workload is a program of
//! its own per contender (`start-ours`, on this SDK; `start-official`, on
//! the published 0.12.1 crate), started, run to its end and waited for,
//! against the server of this process. Start-up, the client's
//! construction, the calls and the exit are all in the time; nothing is
//! warm but the file cache.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use crate::{header, median, ratio_row, round_order, server};

/// Who a run is.
#[derive(Clone, Copy)]
enum Program {
    Ours,
    Official,
}

fn exe(program: Program) -> PathBuf {
    let name = match program {
        Program::Ours => "start-ours",
        Program::Official => "start-official",
    };
    let here = std::env::current_exe().expect("this program's path");
    here.with_file_name(name)
}

/// CPU time (user and system) of the children waited for so far, in seconds.
fn children_cpu() -> f64 {
    // SAFETY: an all-zero rusage is a valid value to be overwritten.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage for the call's duration.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0, "getrusage(RUSAGE_CHILDREN)");
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// Runs `program` with `args` to its end: wall-clock and CPU seconds.
fn run(program: Program, args: &[&str]) -> (f64, f64) {
    let cpu = children_cpu();
    let started = Instant::now();
    let out = Command::new(exe(program)).args(args).output().expect("start a contender's program");
    let wall = started.elapsed().as_secs_f64();
    assert!(out.status.success(), "{:?} {args:?} failed: {}", exe(program), String::from_utf8_lossy(&out.stderr));
    (wall, children_cpu() - cpu)
}

/// One workload: `rounds` rounds, in each ours, the official crate and ours
/// again (a control: the same program twice shows the noise), in an order
/// shuffled from round to round.
fn workload(title: &str, rounds: usize, args: &[&str]) {
    let who = [Program::Ours, Program::Official, Program::Ours];
    for &p in &who[..2] {
        run(p, args);
    }
    let mut wall = vec![Vec::with_capacity(rounds); 3];
    let mut cpu = vec![Vec::with_capacity(rounds); 3];
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..rounds {
        for i in round_order(3, &mut seed) {
            let (w, c) = run(who[i], args);
            wall[i].push(w);
            cpu[i].push(c);
        }
    }
    header(&format!("{title} ({rounds} rounds, a process each)"));
    ratio_row("wall: ours / official", &wall[0], &wall[1]);
    ratio_row("wall: ours / ours again (a control)", &wall[0], &wall[2]);
    ratio_row("CPU of the program: ours / official", &cpu[0], &cpu[1]);
    let ms = |v: &[f64]| median(&mut v.to_vec()) * 1e3;
    println!("  (median wall ms: ours {:.2}, official {:.2}; CPU ms: ours {:.2}, official {:.2})", ms(&wall[0]), ms(&wall[1]), ms(&cpu[0]), ms(&cpu[1]));
}

/// The parts: `new`, `new100`, `get1`, `get1000`, `walk`; all by default.
pub fn workloads(parts: &[&str], scale: usize) {
    let srv = server::start(server::Config::items(10_000));
    let base = srv.base.as_str();
    let all = parts.is_empty();
    let on = |p: &str| all || parts.contains(&p);
    if on("new") {
        workload("Client::new alone", 101 * scale, &["new"]);
    }
    if on("new100") {
        workload("100 clients (Client::new) in one process", 61 * scale, &["new100"]);
    }
    if on("get1") {
        workload("one get", 101 * scale, &["get", base, server::POLICY_ID, "1"]);
    }
    if on("get1000") {
        workload("1,000 gets", 41 * scale, &["get", base, server::POLICY_ID, "1000"]);
    }
    if on("walk") {
        workload("a walk of 10,000 items", 41 * scale, &["walk", base, "10000"]);
    }
}

/// Serves until killed, printing the server's URL: for running one
/// contender's program alone under a profiler or an instruction counter.
pub fn serve() {
    let srv = server::start(server::Config::items(10_000));
    println!("{} {}", srv.base, server::POLICY_ID);
    loop {
        std::thread::park();
    }
}

/// The one-time cost of each choice of roots, in fresh processes:
/// what the first TLS handshake of a process loads.
pub fn roots(rounds: usize) {
    let mut micros = [Vec::new(), Vec::new()];
    for _ in 0..rounds {
        for (i, which) in ["platform", "webpki"].into_iter().enumerate() {
            let here = std::env::current_exe().expect("this program's path");
            let out = Command::new(here.with_file_name("start-roots")).arg(which).output().expect("start start-roots");
            assert!(out.status.success(), "start-roots {which} failed: {}", String::from_utf8_lossy(&out.stderr));
            let us: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("microseconds");
            micros[i].push(us);
        }
    }
    header(&format!("loading the roots, once per process ({rounds} processes each)"));
    ratio_row("platform / compiled-in (webpki-roots)", &micros[0], &micros[1]);
    let ms = |v: &[f64]| median(&mut v.to_vec()) / 1e3;
    println!("  (median ms: platform {:.2}, compiled-in {:.3})", ms(&micros[0]), ms(&micros[1]));
}
