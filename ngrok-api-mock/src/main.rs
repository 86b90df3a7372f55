//! `ngrok-api-mock`: runs the emulator as a stand-alone server.

use std::io::Write;
use std::net::IpAddr;
use std::process::ExitCode;
use std::time::Duration;

use ngrok_api_mock::{MockServer, RateLimit, StateSync};

mod subcommands;

const HELP: &str = "\
ngrok-api-mock: a stateful emulator of the ngrok HTTP API v2

USAGE:
    ngrok-api-mock [OPTIONS]
    ngrok-api-mock record --upstream URL --out FILE [--port PORT] [--host ADDR]
    ngrok-api-mock verify FILE_OR_FOLDER... [--known FILE]

OPTIONS:
    --port PORT          Port to listen on (default 0: a free port the system
                         picks; use it in tests so parallel runs never collide)
    --host ADDR          Address to listen on (default 127.0.0.1)
    --api-key KEY        Accept only this API key (default: any non-empty key)
    --seed FILE          Seed from this JSON file instead of the default seed:
                         {\"tunnels\": [{...}], \"tunnel_sessions\": [...], ...}
                         keyed by service accessor
    --no-default-seed    Start with no objects at all
    --legacy-writes      Allow writes to edges, their modules and backends, which
                         ngrok sunset (default: refused with ERR_NGROK_7196, as
                         for most accounts; reads always work)
    --rate-limit N/WIN   Answer 429 ERR_NGROK_226 past N requests in any rolling
                         window WIN (e.g. 120/60s, 10/500ms, 100/1m); default off
    --retry-after SECS   Send `Retry-After: SECS` with rate-limit answers
    --latency-ms N       Delay every API answer by N milliseconds
    --cert-provisioning-delay D  How long a managed certificate takes to be
                         issued, on the emulator's clock (e.g. 30s, 5m, 0 for
                         at once; default 3s); POST <URL>/__mock/clock moves
                         the clock forward
    --journal N          Keep the last N requests in the journal (default 10000;
                         0 turns it off)
    --admin-token TOKEN  Admin endpoints need `Authorization: Bearer TOKEN`
                         (default: the --api-key when given, else open)
    --filter-timeout-ms N  How long a list's filter may run (default 2000)
    --state FILE         Keep the objects in FILE across restarts: read at start
                         when it exists (else the seed), saved atomically
    --sync MODE          When to save the state file: `always` (default; before
                         each change is answered, so none is ever lost) or
                         `shutdown` (on Ctrl-C, SIGTERM or stdin closing)
    --exit-on-stdin-close  Stop when standard input closes (for wrappers that
                         start the emulator: it goes when they go)
    -V, --version        Print the version
    -h, --help           Print this help

The first line on stdout is the base URL alone (e.g. http://127.0.0.1:41234):
read it to find the port. Admin endpoints (faults, journal, seed, reset, rate
limit, latency, clock) live under <URL>/__mock. Stop with Ctrl-C or SIGTERM.

RECORD: a proxy in front of the live API (or any --upstream). Point a client
at the URL it prints first; every exchange is written to --out with secrets
taken out (the Authorization header, API keys, tokens, private keys, secret
values); the key passes through and is never written. Stop with Ctrl-C.

VERIFY: replays recordings (and live fixtures) against a fresh emulator each,
mapping the recorded IDs to the emulator's, and reports the differences by
class (status, missing key, extra key, null vs value, computed value, value).
Exit status 1 when anything differs that --known (a JSON list of
{\"file\", \"pointer\", \"why\"}) does not name.
";

/// What the command line asks for.
enum Cmd {
    Run(Box<Args>),
    Record { upstream: String, out: String, port: u16, host: IpAddr, exit_on_stdin_close: bool },
    Verify { paths: Vec<String>, known: Option<String> },
    Help,
    Version,
}

struct Args {
    port: u16,
    host: Option<IpAddr>,
    api_key: Option<String>,
    admin_token: Option<String>,
    filter_timeout_ms: Option<u64>,
    seed: Option<String>,
    no_default_seed: bool,
    legacy_writes: bool,
    rate_limit: Option<RateLimit>,
    retry_after: Option<u64>,
    latency_ms: u64,
    cert_delay: Option<Duration>,
    journal: Option<usize>,
    exit_on_stdin_close: bool,
    state: Option<String>,
    sync: Option<StateSync>,
}

fn parse(it: impl Iterator<Item = String>) -> Result<Cmd, String> {
    let mut it = it.peekable();
    match it.peek().map(String::as_str) {
        Some("record") => {
            it.next();
            subcommands::parse_record(it)
        }
        Some("verify") => {
            it.next();
            subcommands::parse_verify(it)
        }
        _ => parse_run(it),
    }
}

/// `--flag value` or `--flag=value`.
pub(crate) fn split_flag(arg: &str) -> (String, Option<String>) {
    match arg.split_once('=') {
        Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
        _ => (arg.to_string(), None),
    }
}

fn parse_run(mut it: impl Iterator<Item = String>) -> Result<Cmd, String> {
    let mut a = Args {
        port: 0,
        host: None,
        api_key: None,
        admin_token: None,
        filter_timeout_ms: None,
        seed: None,
        no_default_seed: false,
        legacy_writes: false,
        rate_limit: None,
        retry_after: None,
        latency_ms: 0,
        cert_delay: None,
        journal: None,
        exit_on_stdin_close: false,
        state: None,
        sync: None,
    };
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Cmd::Help),
            "-V" | "--version" => return Ok(Cmd::Version),
            "--admin-token" => a.admin_token = Some(value("--admin-token")?),
            "--filter-timeout-ms" => {
                a.filter_timeout_ms =
                    Some(value("--filter-timeout-ms")?.parse().map_err(|_| "--filter-timeout-ms needs milliseconds")?)
            }
            "--port" => a.port = value("--port")?.parse().map_err(|_| "--port needs a number from 0 to 65535")?,
            "--host" => a.host = Some(value("--host")?.parse().map_err(|_| "--host needs an IP address")?),
            "--api-key" => a.api_key = Some(value("--api-key")?),
            "--seed" => a.seed = Some(value("--seed")?),
            "--no-default-seed" => a.no_default_seed = true,
            "--legacy-writes" => a.legacy_writes = true,
            "--exit-on-stdin-close" => a.exit_on_stdin_close = true,
            "--state" => a.state = Some(value("--state")?),
            "--sync" => a.sync = Some(StateSync::parse(&value("--sync")?)?),
            "--rate-limit" => a.rate_limit = Some(RateLimit::parse(&value("--rate-limit")?)?),
            "--retry-after" => {
                a.retry_after = Some(value("--retry-after")?.parse().map_err(|_| "--retry-after needs seconds")?)
            }
            "--latency-ms" => {
                a.latency_ms = value("--latency-ms")?.parse().map_err(|_| "--latency-ms needs milliseconds")?
            }
            "--cert-provisioning-delay" => {
                let text = value("--cert-provisioning-delay")?;
                a.cert_delay = Some(ngrok_api_mock::parse_duration(&text).map_err(|e| format!("--cert-provisioning-delay: {e}"))?)
            }
            "--journal" => a.journal = Some(value("--journal")?.parse().map_err(|_| "--journal needs a count")?),
            other => return Err(format!("unknown argument `{other}` (see --help)")),
        }
    }
    if a.sync.is_some() && a.state.is_none() {
        return Err("--sync only applies with --state".into());
    }
    if a.retry_after.is_some() && a.rate_limit.is_none() {
        return Err("--retry-after only applies with --rate-limit".into());
    }
    Ok(Cmd::Run(Box::new(a)))
}

fn main() -> ExitCode {
    let cmd = parse(std::env::args().skip(1));
    if let Ok(Cmd::Record { .. } | Cmd::Verify { .. }) = &cmd {
        let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
            Ok(r) => r,
            Err(e) => {
                eprintln!("ngrok-api-mock: cannot start the runtime: {e}");
                return ExitCode::FAILURE;
            }
        };
        return match cmd {
            Ok(Cmd::Record { upstream, out, port, host, exit_on_stdin_close }) => {
                runtime.block_on(subcommands::record(upstream, out, std::net::SocketAddr::new(host, port), exit_on_stdin_close))
            }
            Ok(Cmd::Verify { paths, known }) => runtime.block_on(subcommands::verify(paths, known)),
            _ => ExitCode::FAILURE,
        };
    }
    let args = match cmd {
        Ok(Cmd::Run(a)) => a,
        Ok(Cmd::Record { .. } | Cmd::Verify { .. }) => return ExitCode::FAILURE,
        Ok(Cmd::Help) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Ok(Cmd::Version) => {
            println!("ngrok-api-mock {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("ngrok-api-mock: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ngrok-api-mock: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(*args))
}

async fn run(args: Args) -> ExitCode {
    let mut b = MockServer::builder()
        .port(args.port)
        .latency(Duration::from_millis(args.latency_ms))
        .legacy_writes(args.legacy_writes);
    if let Some(h) = args.host {
        b = b.host(h);
    }
    if let Some(d) = args.cert_delay {
        b = b.cert_provisioning_delay(d);
    }
    if let Some(k) = args.api_key {
        b = b.api_key(k);
    }
    if let Some(t) = args.admin_token {
        b = b.admin_token(t);
    }
    if let Some(ms) = args.filter_timeout_ms {
        b = b.filter_deadline(Duration::from_millis(ms));
    }
    if args.no_default_seed {
        b = b.no_default_seed();
    }
    if let Some(s) = args.seed {
        b = b.seed_file(s);
    }
    if let Some(mut l) = args.rate_limit {
        l.retry_after_secs = args.retry_after;
        b = b.rate_limit_config(l);
    }
    if let Some(n) = args.journal {
        b = b.journal_capacity(n);
    }
    if let Some(path) = &args.state {
        b = b.state_file(path).state_sync(args.sync.unwrap_or_default());
    }
    let mock = match b.start().await {
        Ok(m) => m,
        Err(e) => {
            eprintln!("ngrok-api-mock: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The URL alone, first, so scripts can read it; then a word for people.
    let mut out = std::io::stdout();
    let _ = writeln!(out, "{}", mock.url());
    let _ = out.flush();
    eprintln!("ngrok-api-mock {} listening on {}", env!("CARGO_PKG_VERSION"), mock.url());
    stop_requested(args.exit_on_stdin_close).await;
    let saved = mock.save_state();
    mock.shutdown();
    match saved {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ngrok-api-mock: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Waits for Ctrl-C, SIGTERM, or (when asked) the end of standard input.
pub(crate) async fn stop_requested(watch_stdin: bool) {
    let stdin_closed = async {
        if !watch_stdin {
            return std::future::pending::<()>().await;
        }
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        // A plain thread: a blocked read must not keep the runtime from
        // shutting down.
        std::thread::spawn(move || {
            let mut sink = [0u8; 256];
            let mut stdin = std::io::stdin().lock();
            while matches!(std::io::Read::read(&mut stdin, &mut sink), Ok(n) if n > 0) {}
            let _ = tx.send(());
        });
        let _ = rx.await;
    };
    #[cfg(unix)]
    let terminated = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminated = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminated => {}
        _ = stdin_closed => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Result<Option<Args>, String> {
        parse(s.iter().map(|s| s.to_string())).map(|c| match c {
            Cmd::Run(a) => Some(*a),
            _ => None,
        })
    }

    #[test]
    fn flags_parse() {
        let a = args(&["--port", "8080", "--api-key=k", "--rate-limit", "120/60s", "--retry-after", "3"])
            .expect("parses")
            .expect("not help");
        assert_eq!(a.port, 8080);
        assert_eq!(a.api_key.as_deref(), Some("k"));
        assert_eq!(a.rate_limit.map(|l| l.requests), Some(120));
        assert_eq!(a.retry_after, Some(3));
        assert!(args(&["--help"]).expect("parses").is_none());
        assert!(matches!(parse(["--version".to_string()].into_iter()), Ok(Cmd::Version)));
        let a = args(&["--admin-token", "t", "--filter-timeout-ms=50"]).expect("parses").expect("not help");
        assert_eq!((a.admin_token.as_deref(), a.filter_timeout_ms), (Some("t"), Some(50)));
        assert!(args(&["--port"]).is_err());
        assert!(args(&["--bogus"]).is_err());
        assert!(args(&["--retry-after", "3"]).is_err());
        let a = args(&["--cert-provisioning-delay", "1h30m"]).expect("parses").expect("not help");
        assert_eq!(a.cert_delay, Some(Duration::from_secs(5_400)));
        let bad = args(&["--cert-provisioning-delay=soon"]).err().unwrap_or_default();
        assert!(bad.contains("--cert-provisioning-delay") && bad.contains("`soon` is not a duration"), "{bad}");
    }
}
