//! Where a call goes: checking a base URL when the client is built, and
//! turning a call's path (or a `next_page_uri` the API handed out) into the
//! URL an attempt is sent to.

use url::Url;

use super::Error;

/// Where a call goes.
pub(crate) enum Target<'a> {
    /// A path on the base URL, with query parameters.
    Path(&'a str, &'a [(&'static str, String)]),
    /// A full URL the API gave (a `next_page_uri`); must be on our origin.
    Url(&'a str),
}

impl Target<'_> {
    /// The URL to send to, and the path to show in errors and traces
    /// (never the query, which may hold a filter with user data).
    pub(crate) fn resolve(&self, base: &Url) -> Result<(Url, String), Error> {
        match self {
            Target::Path(path, query) => {
                let mut url = base.clone();
                let base_path = url.path().trim_end_matches('/');
                let full = format!("{base_path}{path}");
                url.set_path(&full);
                if !query.is_empty() {
                    let mut pairs = url.query_pairs_mut();
                    for (k, v) in query.iter() {
                        pairs.append_pair(k, v);
                    }
                }
                Ok((url, path.to_string()))
            }
            Target::Url(raw) => {
                let url = Url::parse(raw).map_err(|e| Error::paging(format!("next_page_uri `{raw}` is not a URL: {e}")))?;
                if url.origin() != base.origin() {
                    return Err(Error::paging(format!(
                        "next_page_uri `{raw}` is not on the API's origin `{}`; refusing to send the API key there",
                        base.origin().ascii_serialization()
                    )));
                }
                let shown = url.path().to_string();
                Ok((url, shown))
            }
        }
    }
}

/// Why `raw` cannot be the base URL, if it cannot: not a URL, not a base,
/// a scheme other than https, or plain http to a host that is neither
/// loopback nor explicitly allowed.
pub(crate) fn base_url_problem(raw: &str, allow_http: bool) -> Option<String> {
    let url = match Url::parse(raw) {
        Ok(u) => u,
        Err(e) => return Some(format!("base URL `{raw}` is not a URL: {e}")),
    };
    if url.cannot_be_a_base() {
        return Some(format!("base URL `{raw}` cannot be a base URL"));
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
