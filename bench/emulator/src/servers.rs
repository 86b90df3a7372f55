//! Starting a server process, reading its base URL, its resident memory,
//! and stopping it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server.
pub struct Server {
    pub base: String,
    child: Child,
}

impl Server {
    /// Starts `bin --seed SEED --port 0` and waits for the base URL on the
    /// first line of its stdout (printed once the seed is loaded).
    pub fn start(name: &str, bin: &str, seed: &str) -> Result<Server, String> {
        let started = Instant::now();
        let mut child = Command::new(bin)
            .args(["--seed", seed, "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {bin}: {e}"))?;
        let Some(out) = child.stdout.take() else { return Err(format!("{bin}: no stdout")) };
        let mut line = String::new();
        let read = BufReader::new(out).read_line(&mut line);
        let base = line.trim().to_string();
        if read.is_err() || !base.starts_with("http://") {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{bin} printed {line:?} instead of its URL"));
        }
        eprintln!("{name}: up at {base} in {:.1} s", started.elapsed().as_secs_f64());
        Ok(Server { base, child })
    }

    /// CPU time the server has used so far, all its threads, in seconds
    /// (`/proc/PID/task/*/schedstat`, nanoseconds on the CPU).
    pub fn cpu_secs(&self) -> f64 {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{}/task", self.child.id())) else { return f64::NAN };
        let mut ns: u64 = 0;
        for t in tasks.flatten() {
            let text = std::fs::read_to_string(t.path().join("schedstat")).unwrap_or_default();
            ns += text.split_whitespace().next().and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
        }
        ns as f64 / 1e9
    }

    /// A line of `/proc/PID/status` in KiB (`VmRSS`, `VmHWM`).
    pub fn status_kib(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with(field))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits a moment for a server to settle after a request (its threads
/// finish writing and go idle) before memory is read.
pub fn settle() {
    std::thread::sleep(Duration::from_millis(300));
}
