//! ngrok's own Rust crate (`ngrok-api` 0.12.1, from crates.io) against the
//! emulator: for every service the crate can write, create three objects,
//! get one, update it, list them one to a page, and delete them, checking
//! each answer. Services the crate reads only are read.
//!
//! Where the crate and the emulator disagreed, the fault was weighed
//! against the live API's documented behaviour (`LIVE-OBSERVATIONS.md`,
//! ngrok's OpenAPI file and error catalog). None was the emulator's. These
//! are the crate's own, each checked here as it is, so a change on either
//! side shows:
//!
//! 1. `EndpointCreate` has no `type`, which `POST /endpoints` requires:
//!    the crate cannot create an endpoint (refused, naming `type`).
//! 2. Its response structs need every field, but the API leaves out what
//!    is unset: `description` and `metadata` of most objects, a cloud
//!    endpoint's `region`, an SSH credential's empty `acl`, and sends a
//!    response backend's missing `headers` as `null`. So every create here
//!    sets them. A cloud endpoint cannot be read at all (`region`), nor a
//!    secret (`vault_name`, which the API never sends): those are made by
//!    plain requests, or by the crate and found by plain ones, and removed
//!    with the crate's delete.
//! 3. Its error needs an `error_code`; the API sends none for a missing
//!    object (404), which so comes back as `Error::UnknownError` with the
//!    body as text.
//! 4. Request structs send every field: `""` for unset strings, `[]` and
//!    `{}` for unset lists and maps (an SSH user certificate's
//!    `extensions: {}` is an empty set on purpose, so no default applies),
//!    and update structs whose fields are not optional (`metadata` of a
//!    route, a failover's `backends`) overwrite them on every update.
//! 5. An edge module's `replace` sends the whole `...Replace` struct
//!    (`edge_id`, `id`, `module`) where the API takes the module alone,
//!    so it is refused (`ERR_NGROK_214`); the module is set by a plain
//!    request, then read and removed with the crate.

use std::future::Future;
use std::process::Stdio;
use std::time::Duration;

use futures::{Stream, StreamExt};
use ngrok_api::{Client, ClientBuilder, Error};
use tokio::io::{AsyncBufReadExt, BufReader};

#[macro_use]
mod crud;
mod legacy;
mod reads;
mod services;
mod ssh;

/// The metadata of everything made: the crate cannot read an object whose
/// `description` or `metadata` is unset (the API leaves them out), so every
/// create sets both.
const META: &str = r#"{"made_by":"official-rust"}"#;

/// The outcome of one service's run.
type Outcome = Result<(), String>;

/// Turns a crate error into a message naming the step.
fn why(step: &'static str) -> impl Fn(Error) -> String {
    move |e| match e {
        Error::Ngrok(n) => format!("{step}: {} {}", n.error_code, n.msg),
        Error::RequestError(r) => {
            let cause = std::error::Error::source(&r).map(|c| format!(" ({c})")).unwrap_or_default();
            format!("{step}: request failed: {r}{cause}")
        }
        Error::UnknownError(body) => format!("{step}: {body}"),
    }
}

fn ensure(ok: bool, what: impl Into<String>) -> Outcome {
    if ok { Ok(()) } else { Err(what.into()) }
}

/// Whether an answer is the API's 404 for a missing object (which the crate
/// reports as an unknown error: it carries no `error_code`).
fn is_missing<T>(r: &Result<T, Error>) -> bool {
    match r {
        Err(Error::UnknownError(body)) => {
            serde_json::from_str::<serde_json::Value>(body).is_ok_and(|v| v["status_code"] == 404)
        }
        _ => false,
    }
}

/// A plain request to the emulator at `base`, for what the crate cannot
/// send or read: the status and the JSON answer (`null` when empty).
async fn plain(method: reqwest::Method, base: &str, path: &str, body: Option<serde_json::Value>) -> Result<(u16, serde_json::Value), String> {
    let mut r = reqwest::Client::new().request(method.clone(), format!("{base}{path}")).bearer_auth("official-crate-key").header("Ngrok-Version", "2");
    if let Some(b) = body {
        r = r.json(&b);
    }
    let answer = r.send().await.map_err(|e| format!("{method} {path}: {e}"))?;
    let status = answer.status().as_u16();
    let text = answer.text().await.map_err(|e| format!("{method} {path}: {e}"))?;
    Ok((status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)))
}

/// Walks every page of a list: how many pages, and the IDs on them.
async fn walk<P, S>(pages: S, ids: impl Fn(P) -> Vec<String>) -> Result<(usize, Vec<String>), String>
where
    S: Stream<Item = Result<P, Error>> + Unpin,
{
    let mut pages = pages;
    let (mut count, mut all) = (0, Vec::new());
    while let Some(page) = pages.next().await {
        count += 1;
        all.extend(ids(page.map_err(why("list"))?));
        if count > 1000 {
            return Err("list: the pages never end".into());
        }
    }
    Ok((count, all))
}

/// Checks that a one-to-a-page walk saw every ID made, on a page each.
fn listed_all(made: &[String], (pages, seen): (usize, Vec<String>)) -> Outcome {
    let missing: Vec<&String> = made.iter().filter(|id| !seen.contains(id)).collect();
    ensure(missing.is_empty(), format!("list: {missing:?} not on any page"))?;
    ensure(pages >= made.len(), format!("list: {} items on {pages} pages with limit 1", seen.len()))?;
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    ensure(unique.len() == seen.len(), "list: an item came twice")
}

/// The services run, and the names of those that failed.
#[derive(Default)]
struct Report {
    ran: usize,
    failed: Vec<String>,
}

impl Report {
    async fn check(&mut self, name: &str, run: impl Future<Output = Outcome>) {
        self.ran += 1;
        match run.await {
            Ok(()) => println!("ok   {name}"),
            Err(e) => {
                println!("FAIL {name}: {e}");
                self.failed.push(name.to_string());
            }
        }
    }
}

/// Starts the emulator binary named by `NGROK_API_MOCK_BIN` and answers its
/// base URL, with the child and its output (kept open while it runs); it
/// stops when this program's end closes its standard input.
async fn start_emulator() -> Result<(tokio::process::Child, String, impl Sized), String> {
    let bin = std::env::var("NGROK_API_MOCK_BIN").map_err(|_| "set NGROK_API_MOCK_BIN to the emulator binary".to_string())?;
    let mut child = tokio::process::Command::new(&bin)
        .args(["--legacy-writes", "--exit-on-stdin-close"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start {bin}: {e}"))?;
    let out = child.stdout.take().ok_or("the emulator has no standard output")?;
    let mut line = String::new();
    let mut out = BufReader::new(out);
    let read = out.read_line(&mut line);
    tokio::time::timeout(Duration::from_secs(30), read)
        .await
        .map_err(|_| "the emulator printed no URL within 30 s".to_string())?
        .map_err(|e| format!("reading the emulator's URL: {e}"))?;
    Ok((child, line.trim().to_string(), out))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let (_emulator, url, _output) = match start_emulator().await {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut builder = ClientBuilder::new("official-crate-key".to_string());
    match url.parse() {
        Ok(u) => builder.api_url(u),
        Err(e) => {
            eprintln!("the emulator printed `{url}`, not a URL: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let c: Client = builder.build();
    let mut report = Report::default();
    services::run(&c, &url, &mut report).await;
    ssh::run(&c, &mut report).await;
    legacy::run(&c, &url, &mut report).await;
    reads::run(&c, &mut report).await;
    println!("{} services, {} failed", report.ran, report.failed.len());
    if report.failed.is_empty() { std::process::ExitCode::SUCCESS } else { std::process::ExitCode::FAILURE }
}
