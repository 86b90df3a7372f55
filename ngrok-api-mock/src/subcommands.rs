//! The `record` and `verify` subcommands of the `ngrok-api-mock` binary.

use std::io::Write;
use std::net::IpAddr;
use std::process::ExitCode;

use crate::{Cmd, split_flag, stop_requested};

pub(crate) fn parse_record(mut it: impl Iterator<Item = String>) -> Result<Cmd, String> {
    let (mut upstream, mut out, mut port, mut host, mut stdin) = (None, None, 0u16, IpAddr::from([127, 0, 0, 1]), false);
    while let Some(arg) = it.next() {
        let (flag, inline) = split_flag(&arg);
        let mut value = |name: &str| -> Result<String, String> {
            inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Cmd::Help),
            "--upstream" => upstream = Some(value("--upstream")?),
            "--out" => out = Some(value("--out")?),
            "--port" => port = value("--port")?.parse().map_err(|_| "--port needs a number from 0 to 65535")?,
            "--host" => host = value("--host")?.parse().map_err(|_| "--host needs an IP address")?,
            "--exit-on-stdin-close" => stdin = true,
            other => return Err(format!("record: unknown argument `{other}` (see --help)")),
        }
    }
    Ok(Cmd::Record {
        upstream: upstream.ok_or("record needs --upstream URL (such as https://api.ngrok.com)")?,
        out: out.ok_or("record needs --out FILE")?,
        port,
        host,
        exit_on_stdin_close: stdin,
    })
}

pub(crate) fn parse_verify(mut it: impl Iterator<Item = String>) -> Result<Cmd, String> {
    let (mut paths, mut known) = (Vec::new(), None);
    while let Some(arg) = it.next() {
        let (flag, inline) = split_flag(&arg);
        match flag.as_str() {
            "-h" | "--help" => return Ok(Cmd::Help),
            "--known" => known = Some(inline.or_else(|| it.next()).ok_or("--known needs a file")?),
            other if other.starts_with('-') => return Err(format!("verify: unknown argument `{other}` (see --help)")),
            _ => paths.push(arg),
        }
    }
    if paths.is_empty() {
        return Err("verify needs recordings: files, or folders of *.json".into());
    }
    Ok(Cmd::Verify { paths, known })
}

pub(crate) async fn record(upstream: String, out: String, addr: std::net::SocketAddr, watch_stdin: bool) -> ExitCode {
    let rec = match ngrok_api_mock::Recorder::start(&upstream, &out, addr).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ngrok-api-mock record: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{}", rec.url());
    let _ = stdout.flush();
    eprintln!("ngrok-api-mock record: relaying {} to {upstream}, writing {out}", rec.url());
    stop_requested(watch_stdin).await;
    let n = rec.exchanges();
    match rec.finish() {
        Ok(()) => {
            eprintln!("ngrok-api-mock record: {n} exchanges written to {out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("ngrok-api-mock record: {e}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) async fn verify(paths: Vec<String>, known: Option<String>) -> ExitCode {
    let paths: Vec<std::path::PathBuf> = paths.into_iter().map(Into::into).collect();
    match ngrok_api_mock::verify(&paths, known.as_deref().map(std::path::Path::new)).await {
        Ok(report) => {
            println!("{report}");
            if report.failed() { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            eprintln!("ngrok-api-mock verify: {e}");
            ExitCode::from(2)
        }
    }
}
