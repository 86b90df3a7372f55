//! The three clients measured, doing the same work against one server:
//! this SDK ("ours"), the published 0.12.1 crate ("official"), and bare
//! `reqwest` + `serde_json` into this SDK's types ("bare", the floor: the
//! reqwest 0.13 this SDK uses; "bare-0.12" the same on the reqwest 0.12
//! the published crate uses).

use std::time::Duration;

use futures_util::TryStreamExt as _;
use ngrok_api::types::{IpPolicy, IpPolicyList};

use crate::server;

const KEY: &str = "k";

/// Who runs a workload.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Who {
    Ours,
    /// Ours with `.prefetch(false)` (list workloads only).
    OursNoPrefetch,
    Official,
    /// The official crate on a reqwest client with a 30 s timeout per
    /// request (body included), like ours: the same safety, same cost.
    OfficialTimeout,
    /// reqwest 0.13 (ours) + serde_json: the floor.
    Bare,
    /// reqwest 0.12 (official's) + serde_json.
    Bare012,
}

impl Who {
    pub fn name(self) -> &'static str {
        match self {
            Who::Ours => "ours",
            Who::OursNoPrefetch => "ours-no-prefetch",
            Who::Official => "official",
            Who::OfficialTimeout => "official-timeout",
            Who::Bare => "bare",
            Who::Bare012 => "bare-0.12",
        }
    }

    pub fn parse(name: &str) -> Option<Who> {
        [Who::Ours, Who::OursNoPrefetch, Who::Official, Who::OfficialTimeout, Who::Bare, Who::Bare012].into_iter().find(|w| w.name() == name)
    }
}

pub struct Clients {
    ours: ngrok_api::Client,
    /// "Ours again" in the get workload: the very same client as `ours`,
    /// or, with `CONTROL_WITHOUT_TIMEOUT`, one built without the
    /// per-attempt timer (see [`control_without_timeout`]).
    control: ngrok_api::Client,
    official: official::Client,
    official_timeout: official::Client,
    bare: reqwest::Client,
    bare012: reqwest012::Client,
    get_url: String,
    list_url: String,
}

/// Spends `d` awaiting a timer, like a caller awaiting its own I/O on
/// each page. (Not a spin: with client and server pinned to one CPU, a
/// spinning caller would hold the CPU the server needs.)
pub async fn spend(d: Duration) {
    if !d.is_zero() {
        tokio::time::sleep(d).await;
    }
}

/// Whether the get workload's control runs without the per-attempt timer
/// (`CONTROL_WITHOUT_TIMEOUT` set to any value): a diagnostic that shows,
/// within one binary, what the timer costs.
pub fn control_without_timeout() -> bool {
    std::env::var_os("CONTROL_WITHOUT_TIMEOUT").is_some()
}

impl Clients {
    pub fn new(server: &server::Server) -> Clients {
        let mut ours_builder = ngrok_api::Client::builder().api_key(KEY).base_url(server.base.clone());
        // A diagnostic (see the crate docs): what the per-attempt timer costs.
        if std::env::var_os("NO_ATTEMPT_TIMEOUT").is_some() {
            ours_builder = ours_builder.timeout(None);
        }
        let ours = ours_builder.clone().build().expect("our client");
        let control = if control_without_timeout() { ours_builder.timeout(None).build().expect("our client, untimed") } else { ours.clone() };
        let mut builder = official::ClientBuilder::new(KEY.to_string());
        builder.api_url(url::Url::parse(&server.base).expect("the server's URL"));
        let mut with_timeout = official::ClientBuilder::new(KEY.to_string());
        with_timeout.api_url(url::Url::parse(&server.base).expect("the server's URL"));
        with_timeout.reqwest_client(reqwest012::Client::builder().timeout(Duration::from_secs(30)).build().expect("a reqwest 0.12 client"));
        Clients {
            ours,
            control,
            official: builder.build(),
            official_timeout: with_timeout.build(),
            bare: reqwest::Client::new(),
            bare012: reqwest012::Client::new(),
            get_url: format!("{}/ip_policies/{}", server.base, server::POLICY_ID),
            list_url: format!("{}/ip_policies", server.base),
        }
    }

    /// The official crate's client for `who`: plain, or with a timeout.
    fn official_client(&self, who: Who) -> &official::Client {
        if who == Who::OfficialTimeout { &self.official_timeout } else { &self.official }
    }

    async fn bare_get<T: serde::de::DeserializeOwned>(&self, who: Who, url: &str) -> T {
        let bytes = if who == Who::Bare012 {
            let resp = self.bare012.get(url).bearer_auth(KEY).header("ngrok-version", "2").send().await.expect("request sent");
            resp.error_for_status().expect("a 2xx status").bytes().await.expect("a body")
        } else {
            let resp = self.bare.get(url).bearer_auth(KEY).header("ngrok-version", "2").send().await.expect("request sent");
            resp.error_for_status().expect("a 2xx status").bytes().await.expect("a body")
        };
        serde_json::from_slice(&bytes).expect("a decodable body")
    }

    pub async fn get(&self, who: Who) {
        match who {
            Who::Ours | Who::OursNoPrefetch => {
                let client = if who == Who::Ours { &self.ours } else { &self.control };
                let p = client.ip_policies().get(server::POLICY_ID).await.expect("get (ours)");
                std::hint::black_box(p);
            }
            Who::Official | Who::OfficialTimeout => {
                let official = self.official_client(who);
                let p = official.ip_policies().get(server::POLICY_ID).await.expect("get (official)");
                std::hint::black_box(p);
            }
            Who::Bare | Who::Bare012 => {
                std::hint::black_box(self.bare_get::<IpPolicy>(who, &self.get_url).await);
            }
        }
    }

    /// Walks every page, spending `work` on each, and every item on it
    /// (kept by none); returns how many items there were.
    pub async fn walk(&self, who: Who, work: Duration) -> usize {
        let mut n = 0;
        match who {
            Who::Ours | Who::OursNoPrefetch => {
                let mut pages = self.ours.ip_policies().list().pages().prefetch(who == Who::Ours);
                while let Some(page) = pages.try_next().await.expect("list (ours)") {
                    spend(work).await;
                    for p in page.ip_policies {
                        std::hint::black_box(p);
                        n += 1;
                    }
                }
            }
            Who::Official | Who::OfficialTimeout => {
                let official = self.official_client(who);
                let mut pages = official.ip_policies().list(official::types::FilteredPaging::default()).pages().await;
                while let Some(page) = pages.try_next().await.expect("list (official)") {
                    spend(work).await;
                    for p in page.ip_policies {
                        std::hint::black_box(p);
                        n += 1;
                    }
                }
            }
            Who::Bare | Who::Bare012 => {
                let mut url = self.list_url.clone();
                loop {
                    let page: IpPolicyList = self.bare_get(who, &url).await;
                    spend(work).await;
                    for p in page.ip_policies {
                        std::hint::black_box(p);
                        n += 1;
                    }
                    match page.next_page_uri {
                        Some(next) => url = next,
                        None => break,
                    }
                }
            }
        }
        n
    }

    /// Walks every item through each client's item stream (no work per
    /// page); returns how many there were.
    pub async fn list_all(&self, who: Who) -> usize {
        let mut n = 0;
        match who {
            Who::Ours | Who::OursNoPrefetch => {
                let mut items = self.ours.ip_policies().list().pages().prefetch(who == Who::Ours).items();
                while let Some(p) = items.try_next().await.expect("list (ours)") {
                    std::hint::black_box(p);
                    n += 1;
                }
            }
            Who::Official | Who::OfficialTimeout => {
                let official = self.official_client(who);
                let mut items = official.ip_policies().list(official::types::FilteredPaging::default()).ip_policies().await;
                while let Some(p) = items.try_next().await.expect("list (official)") {
                    std::hint::black_box(p);
                    n += 1;
                }
            }
            Who::Bare | Who::Bare012 => n = self.walk(who, Duration::ZERO).await,
        }
        n
    }
}
