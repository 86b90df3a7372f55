//! Where a call goes: checking a base URL when the client is built, and
//! turning a call's path (or a `next_page_uri` the API handed out) into the
//! URL an attempt is sent to.

use url::Url;

use super::Error;

/// The base URL of a built client, with a copy of it made for sending.
pub(crate) struct Base {
    url: Url,
    /// `url` with a long placeholder path, never sent: every call's URL
    /// is a clone of it with the path replaced. A clone's text has exactly
    /// the room its original had, so the call's path fits in place instead
    /// of growing the text twice while it is written.
    roomy: Url,
}

/// How much longer than the base's own path a call's path can be before
/// its URL has to grow: more than any operation's path with its IDs.
const PATH_ROOM: usize = 160;

impl Base {
    /// Keeps `url` (a checked base URL) and makes its roomy copy.
    pub(crate) fn new(url: Url) -> Base {
        let mut roomy = url.clone();
        let base_path = url.path().trim_end_matches('/');
        roomy.set_path(&format!("{base_path}/{}", "p".repeat(PATH_ROOM)));
        Base { url, roomy }
    }

    /// The base URL.
    pub(crate) fn url(&self) -> &Url {
        &self.url
    }
}

/// Where a call goes, as the caller gave it.
pub(crate) enum Target<'a> {
    /// A path on the base URL (the call's own, moved in), with query
    /// parameters.
    Path(String, Vec<(&'static str, String)>),
    /// A full URL the API gave (a `next_page_uri`); must be on our origin.
    Url(&'a str),
}

impl Target<'_> {
    /// Checks where the call goes: a `next_page_uri` must be a URL on the
    /// base URL's origin.
    pub(crate) fn resolve(self, base: &Base) -> Result<Destination, Error> {
        match self {
            Target::Path(path, query) => Ok(Destination::Path { path, query }),
            Target::Url(raw) => {
                let url = Url::parse(raw).map_err(|e| Error::paging(format!("next_page_uri `{raw}` is not a URL: {e}")))?;
                if !same_origin(&url, &base.url) {
                    return Err(Error::paging(format!(
                        "next_page_uri `{raw}` is not on the API's origin `{}`; refusing to send the API key there",
                        base.url.origin().ascii_serialization()
                    )));
                }
                Ok(Destination::Url(url))
            }
        }
    }
}

/// Where a checked call goes. Each attempt gets a URL of its own from it,
/// moved into its request: nothing is copied for an attempt but what a
/// retry needs.
#[derive(Debug, Clone)]
pub(crate) enum Destination {
    /// A path on the base URL, with its query parameters.
    Path { path: String, query: Vec<(&'static str, String)> },
    /// A full URL the API gave, on the base URL's origin.
    Url(Url),
}

impl Destination {
    /// The URL an attempt is sent to.
    pub(crate) fn url(&self, base: &Base) -> Url {
        match self {
            Destination::Path { path, query } => {
                let mut url = base.roomy.clone();
                let base_path = base.url.path().trim_end_matches('/');
                if base_path.is_empty() {
                    url.set_path(path);
                } else {
                    url.set_path(&format!("{base_path}{path}"));
                }
                if !query.is_empty() {
                    let mut pairs = url.query_pairs_mut();
                    for (k, v) in query {
                        pairs.append_pair(k, v);
                    }
                }
                url
            }
            Destination::Url(url) => url.clone(),
        }
    }

    /// What errors and traces show of it: the call's own path (as the
    /// operation built it) or the path of the URL the API gave; never the
    /// query, which may hold a filter with user data.
    pub(crate) fn path(&self) -> &str {
        match self {
            Destination::Path { path, .. } => path,
            Destination::Url(url) => url.path(),
        }
    }
}

/// Whether `url` is on `base`'s origin, exactly as [`Url::origin`] decides
/// for http and https (the same scheme, the same host as parsed, the same
/// port, a missing port being the scheme's default), and carries the same
/// user information as `base` (normally none): a URL naming credentials of
/// its own is refused too. Compared in place, without building either
/// origin.
fn same_origin(url: &Url, base: &Url) -> bool {
    matches!(base.scheme(), "http" | "https")
        && url.scheme() == base.scheme()
        && url.host() == base.host()
        && url.port_or_known_default() == base.port_or_known_default()
        && url.username() == base.username()
        && url.password() == base.password()
}

/// Why `raw` cannot be the base URL, if it cannot: not a URL, not a base,
/// one carrying credentials of its own (`user:pass@`), a scheme other than
/// https, or plain http to a host that is neither loopback nor explicitly
/// allowed.
pub(crate) fn base_url_problem(raw: &str, allow_http: bool) -> Option<String> {
    let url = match Url::parse(raw) {
        Ok(u) => u,
        Err(e) => return Some(format!("base URL `{raw}` is not a URL: {e}")),
    };
    if url.cannot_be_a_base() {
        return Some(format!("base URL `{raw}` cannot be a base URL"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Not echoed: the text before `@` may be a credential.
        return Some("the base URL carries a user name or password (`user:pass@`); remove it: calls authenticate with the API key".to_string());
    }
    match url.scheme() {
        "https" => None,
        "http" if allow_http || is_loopback(&url) => None,
        "http" => Some(format!(
            "base URL `{raw}` is plain http on a non-loopback host; use https, or allow_http(true) to accept sending the API key unencrypted"
        )),
        other => Some(format!("base URL scheme `{other}` is not supported; use https")),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admitted(next: &str, base: &str) -> bool {
        let base = Base::new(Url::parse(base).expect("a base URL"));
        Target::Url(next).resolve(&base).is_ok()
    }

    #[test]
    fn next_page_uris_on_the_base_origin_are_admitted() {
        let base = "https://api.ngrok.com";
        for next in [
            "https://api.ngrok.com/ip_policies?before_id=ipp_1&limit=100",
            "https://API.ngrok.com/ip_policies",
            "https://api.ngrok.com:443/ip_policies",
        ] {
            assert!(admitted(next, base), "{next}");
        }
        assert!(admitted("http://127.0.0.1:8080/ip_policies", "http://127.0.0.1:8080"));
        assert!(admitted("http://[::1]:80/x", "http://[::1]"));
        assert!(admitted("http://localhost/x", "http://LOCALHOST:80/"));
    }

    #[test]
    fn next_page_uris_on_another_origin_are_refused() {
        let base = "https://api.ngrok.com";
        for next in [
            "http://api.ngrok.com/ip_policies",
            "https://api.ngrok.com:8443/ip_policies",
            "https://api.ngrok.com.evil.example/ip_policies",
            "https://api.ngrok.com./ip_policies",
            "https://evil.example/ip_policies",
            "https://api.ngrok.com@evil.example/ip_policies",
            "https://api.ngrok.com:443@evil.example/ip_policies",
            "https://evil.example\\@api.ngrok.com/ip_policies",
            "https://user@api.ngrok.com/ip_policies",
            "https://user:secret@api.ngrok.com/ip_policies",
            "https://:secret@api.ngrok.com/ip_policies",
            "https://xn--pi-xla.ngrok.com/ip_policies",
            "https://ap\u{0456}.ngrok.com/ip_policies",
            "ftp://api.ngrok.com/ip_policies",
            "wss://api.ngrok.com/ip_policies",
            "data:text/plain,https://api.ngrok.com",
            "/ip_policies?before_id=ipp_1",
            "//evil.example/ip_policies",
            "",
        ] {
            assert!(!admitted(next, base), "{next:?} was admitted");
        }
        assert!(!admitted("http://127.0.0.2:8080/x", "http://127.0.0.1:8080"));
        assert!(!admitted("http://127.0.0.1:8081/x", "http://127.0.0.1:8080"));
        assert!(!admitted("http://localhost:8080/x", "http://127.0.0.1:8080"));
        assert!(!admitted("http://[::1]:8080/x", "http://127.0.0.1:8080"));
    }

    #[test]
    fn the_check_agrees_with_the_url_crates_origins() {
        let bases = ["https://api.ngrok.com", "http://127.0.0.1:8080", "https://api.ngrok.com:8443/v2/"];
        let nexts = [
            "https://api.ngrok.com/a",
            "https://api.ngrok.com:443/a",
            "http://api.ngrok.com/a",
            "https://api.ngrok.com:8443/a",
            "http://127.0.0.1:8080/a",
            "http://127.0.0.1/a",
            "http://0x7f.0.0.1:8080/a",
            "http://2130706433:8080/a",
            "https://API.NGROK.COM:8443/v2/a",
            "https://other.example/a",
        ];
        for base in bases {
            let b = Url::parse(base).expect("a base URL");
            for next in nexts {
                let n = Url::parse(next).expect("a URL");
                assert_eq!(same_origin(&n, &b), n.origin() == b.origin(), "{next} on {base}");
            }
        }
    }

    #[test]
    fn a_base_url_with_credentials_is_refused_without_echoing_them() {
        for raw in ["https://user@api.ngrok.com", "https://user:hunter2@api.ngrok.com/", "https://:hunter2@api.ngrok.com"] {
            let problem = base_url_problem(raw, false).expect("refused");
            assert!(problem.contains("user name or password"), "{problem}");
            assert!(!problem.contains("hunter2") && !problem.contains("user@"), "{problem}");
        }
        assert_eq!(base_url_problem("https://api.ngrok.com", false), None);
    }

    #[test]
    fn the_path_shown_is_the_calls_own_or_the_urls() {
        let base = Base::new(Url::parse("https://api.ngrok.com/v2/").expect("a base URL"));
        let dest = Target::Path("/ip_policies/ipp_1".into(), vec![("limit", "5".into())]).resolve(&base).expect("resolves");
        assert_eq!(dest.url(&base).as_str(), "https://api.ngrok.com/v2/ip_policies/ipp_1?limit=5");
        assert_eq!(dest.path(), "/ip_policies/ipp_1");
        let dest = Target::Url("https://api.ngrok.com/ip_policies?before_id=x").resolve(&base).expect("resolves");
        assert_eq!(dest.url(&base).as_str(), "https://api.ngrok.com/ip_policies?before_id=x");
        assert_eq!(dest.path(), "/ip_policies");
    }

    #[test]
    fn every_attempt_gets_the_same_url() {
        let base = Base::new(Url::parse("https://api.ngrok.com").expect("a base URL"));
        for target in [Target::Path("/ip_policies/ipp_1".into(), vec![("limit", "5".into())]), Target::Url("https://api.ngrok.com/ip_policies?before_id=x")] {
            let dest = target.resolve(&base).expect("resolves");
            assert_eq!(dest.url(&base), dest.url(&base));
        }
    }

    #[test]
    fn a_calls_url_is_the_base_with_the_calls_path_whatever_its_length() {
        let long_id = "x".repeat(PATH_ROOM * 2);
        for raw in ["https://api.ngrok.com", "https://api.ngrok.com/", "http://127.0.0.1:8080/v2", "https://api.ngrok.com/v2/?pinned=1"] {
            let url = Url::parse(raw).expect("a base URL");
            let base = Base::new(url.clone());
            assert_eq!(base.url(), &url);
            for path in ["/ip_policies/ipp_1", "/", "/a%2Fb/c", &format!("/ip_policies/{long_id}")] {
                let got = Target::Path(path.to_string(), vec![("limit", "5".into())]).resolve(&base).expect("resolves").url(&base);
                let mut want = url.clone();
                let base_path = url.path().trim_end_matches('/');
                want.set_path(&format!("{base_path}{path}"));
                want.query_pairs_mut().append_pair("limit", "5");
                assert_eq!(got, want, "{path} on {raw}");
                assert!(!got.as_str().contains("ppp"), "{got}");
            }
        }
    }
}
