//! What the crate reads and removes but cannot make: the agents' tunnels
//! and sessions, application users and sessions (from the emulator's
//! default seed), and abuse reports, which are filed and then only read.

use ngrok_api::Client;
use ngrok_api::types;

use crate::{META, Outcome, Report, ensure, is_missing, walk, why};

/// Lists one to a page; answers the IDs seen (at least `least`, each on a
/// page of its own).
fn seen(least: usize, (pages, ids): (usize, Vec<String>)) -> Result<Vec<String>, String> {
    ensure(ids.len() >= least, format!("list: {} items, {least} seeded", ids.len()))?;
    ensure(pages >= ids.len(), format!("list: {} items on {pages} pages with limit 1", ids.len()))?;
    Ok(ids)
}

fn one_a_page() -> types::Paging {
    types::Paging { limit: Some("1".into()), ..Default::default() }
}

async fn tunnels(c: &Client) -> Outcome {
    let pages = c.tunnels().list(one_a_page()).pages().await;
    let ids = seen(3, walk(pages, |p| p.tunnels.into_iter().map(|x| x.id).collect()).await?)?;
    ensure(c.tunnels().get(&ids[0]).await.map_err(why("get"))?.id == ids[0], "get: another tunnel came back")
}

async fn tunnel_sessions(c: &Client) -> Outcome {
    let paging = types::FilteredPaging { limit: Some("1".into()), ..Default::default() };
    let pages = c.tunnel_sessions().list(paging).pages().await;
    let ids = seen(2, walk(pages, |p| p.tunnel_sessions.into_iter().map(|x| x.id).collect()).await?)?;
    let got = c.tunnel_sessions().get(&ids[0]).await.map_err(why("get"))?;
    ensure(got.id == ids[0] && !got.agent_version.is_empty(), "get: another session came back")
}

async fn application_users(c: &Client) -> Outcome {
    let pages = c.application_users().list(one_a_page()).pages().await;
    let ids = seen(1, walk(pages, |p| p.application_users.into_iter().map(|x| x.id).collect()).await?)?;
    ensure(c.application_users().get(&ids[0]).await.map_err(why("get"))?.id == ids[0], "get: another user came back")?;
    c.application_users().delete(&ids[0]).await.map_err(why("delete"))?;
    ensure(is_missing(&c.application_users().get(&ids[0]).await), "get after delete: the user is still there")
}

async fn application_sessions(c: &Client) -> Outcome {
    let pages = c.application_sessions().list(one_a_page()).pages().await;
    let ids = seen(1, walk(pages, |p| p.application_sessions.into_iter().map(|x| x.id).collect()).await?)?;
    ensure(c.application_sessions().get(&ids[0]).await.map_err(why("get"))?.id == ids[0], "get: another session came back")?;
    c.application_sessions().delete(&ids[0]).await.map_err(why("delete"))?;
    ensure(is_missing(&c.application_sessions().get(&ids[0]).await), "get after delete: the session is still there")
}

async fn abuse_reports(c: &Client) -> Outcome {
    let create = types::AbuseReportCreate { urls: vec!["https://bad.example.com/phish".into()], metadata: META.into() };
    let made = c.abuse_reports().create(&create).await.map_err(why("create"))?;
    let got = c.abuse_reports().get(&made.id).await.map_err(why("get"))?;
    ensure(got.urls == create.urls && got.hostnames.len() == 1, "get: the report's URLs or hostnames differ")
}

pub async fn run(c: &Client, r: &mut Report) {
    r.check("tunnels (read)", tunnels(c)).await;
    r.check("tunnel_sessions (read)", tunnel_sessions(c)).await;
    r.check("application_users (read, delete)", application_users(c)).await;
    r.check("application_sessions (read, delete)", application_sessions(c)).await;
    r.check("abuse_reports (file, read)", abuse_reports(c)).await;
}
