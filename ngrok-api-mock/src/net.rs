//! Addresses as the server reads and writes them: URLs (with their default
//! port dropped), `host:port` pairs and CIDR ranges.

use ngrok_api_model::UrlPart;
use serde_json::Value;
use url::Url;

/// The port a scheme uses when a URL names none.
fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" | "tls" => Some(443),
        _ => None,
    }
}

/// What the server reads out of an endpoint URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UrlFacts {
    /// The URL without a default port and without a lone `/` path.
    pub url: String,
    pub scheme: String,
    pub host: String,
    /// The explicit port, else the scheme's default, else none.
    pub port: Option<u16>,
}

/// Parses an absolute URL with a host.
pub(crate) fn url_facts(text: &str) -> Result<UrlFacts, String> {
    let parsed = Url::parse(text.trim()).map_err(|e| format!("`{text}` is not a URL ({e})"))?;
    let host = match parsed.host_str() {
        Some(h) if !h.is_empty() => h.to_string(),
        _ => return Err(format!("`{text}` is not a URL with a host (such as `https://example.com`)")),
    };
    let scheme = parsed.scheme().to_string();
    let default = default_port(&scheme);
    let explicit = parsed.port().filter(|p| Some(*p) != default);
    let mut url = format!("{scheme}://{host}");
    if let Some(p) = explicit {
        url.push_str(&format!(":{p}"));
    }
    let path = parsed.path();
    if path != "/" {
        url.push_str(path);
    }
    if let Some(q) = parsed.query() {
        url.push('?');
        url.push_str(q);
    }
    Ok(UrlFacts { url, port: explicit.or(default).or(parsed.port()), scheme, host })
}

impl UrlFacts {
    /// The value of one part the spec names.
    pub fn part(&self, part: UrlPart) -> Value {
        let s = |v: &str| Value::String(v.to_string());
        match part {
            UrlPart::Url | UrlPart::PublicUrl => s(&self.url),
            UrlPart::Hostport => match self.port {
                Some(p) => s(&format!("{}:{p}", self.host)),
                None => s(&self.host),
            },
            UrlPart::Proto | UrlPart::Scheme => s(&self.scheme),
            UrlPart::Host => s(&self.host),
            UrlPart::Port => self.port.map_or(Value::Null, Value::from),
        }
    }
}

/// The URL with a default port dropped (`https://a.example:443/x` ->
/// `https://a.example/x`); any other text is returned unchanged.
pub(crate) fn strip_default_port(text: &str) -> String {
    let Ok(parsed) = Url::parse(text) else { return text.to_string() };
    let Some(default) = default_port(parsed.scheme()) else { return text.to_string() };
    let Some(start) = text.find("://").map(|i| i + 3) else { return text.to_string() };
    let rest = &text[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].strip_suffix(&format!(":{default}")) {
        Some(authority) => format!("{}{authority}{}", &text[..start], &rest[end..]),
        None => text.to_string(),
    }
}

/// Checks a `host:port` pair (`example.com:443`, `[2001:db8::1]:22`).
pub(crate) fn check_hostport(text: &str) -> Result<(), String> {
    let Some((host, port)) = text.rsplit_once(':') else {
        return Err(format!("`{text}` is not a `host:port` pair (such as `example.com:443`)"));
    };
    match port.parse::<u16>() {
        Ok(p) if p > 0 => {}
        _ => return Err(format!("`{text}` does not end in a port from 1 to 65535")),
    }
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
    let valid = match bare {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
        None => {
            !host.is_empty()
                && host.split('.').all(|label| {
                    !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '*' || c == '_')
                })
        }
    };
    if !valid {
        return Err(format!("`{text}` does not name a valid host before its port"));
    }
    Ok(())
}

/// Checks an absolute URL with a host.
pub(crate) fn check_url(text: &str) -> Result<(), String> {
    url_facts(text).map(|_| ())
}

/// Most labels an internal endpoint's host has before `.internal`.
const MAX_INTERNAL_LABELS: usize = 5;

/// Checks an endpoint's URL: absolute, with a host; under `.internal`, at
/// most five labels before the suffix (`a.b.c.d.e.internal`).
pub(crate) fn check_endpoint_url(text: &str) -> Result<(), String> {
    let facts = url_facts(text)?;
    let host = facts.host.to_ascii_lowercase();
    if let Some(name) = host.strip_suffix(".internal") {
        let labels = name.split('.').count();
        if labels > MAX_INTERNAL_LABELS {
            return Err(format!(
                "the host `{}` has {labels} labels before `.internal`; an internal endpoint's host has at most {MAX_INTERNAL_LABELS}",
                facts.host
            ));
        }
    }
    Ok(())
}

/// Checks a CIDR range (`10.0.0.0/8`, `2001:db8::/32`).
pub(crate) fn check_cidr(text: &str) -> Result<(), String> {
    text.parse::<ipnet::IpNet>()
        .map(|_| ())
        .map_err(|_| format!("`{text}` is not a CIDR range such as `10.0.0.0/8` or `2001:db8::/32`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn endpoint_urls_lose_their_default_port() {
        let f = url_facts("https://app.example.com:443").expect("url");
        assert_eq!(f.part(UrlPart::Url), json!("https://app.example.com"));
        assert_eq!(f.part(UrlPart::PublicUrl), json!("https://app.example.com"));
        assert_eq!(f.part(UrlPart::Hostport), json!("app.example.com:443"));
        assert_eq!(f.part(UrlPart::Proto), json!("https"));
        assert_eq!(f.part(UrlPart::Port), json!(443));
        assert_eq!(f.part(UrlPart::Host), json!("app.example.com"));
        let other = url_facts("http://app.example.com:8080/x?y=1").expect("url");
        assert_eq!(other.url, "http://app.example.com:8080/x?y=1");
        assert_eq!(other.part(UrlPart::Hostport), json!("app.example.com:8080"));
        let tls = url_facts("tls://t.example.com:443").expect("url");
        assert_eq!((tls.url.as_str(), tls.port), ("tls://t.example.com", Some(443)));
        let tcp = url_facts("tcp://1.tcp.ngrok.io:20000").expect("url");
        assert_eq!(tcp.part(UrlPart::Hostport), json!("1.tcp.ngrok.io:20000"));
        assert_eq!(tcp.part(UrlPart::Proto), json!("tcp"));
    }

    #[test]
    fn internal_hosts_have_at_most_five_labels() {
        assert!(check_endpoint_url("https://a.b.c.d.e.internal").is_ok());
        assert!(check_endpoint_url("https://example.com").is_ok());
        let refused = check_endpoint_url("https://a.b.c.d.e.f.internal");
        assert!(refused.as_ref().is_err_and(|e| e.contains("6 labels")), "{refused:?}");
        assert!(check_endpoint_url("not a url").is_err());
    }

    #[test]
    fn default_ports_are_stripped_only_where_default() {
        assert_eq!(strip_default_port("https://a.example.com:443"), "https://a.example.com");
        assert_eq!(strip_default_port("https://a.example.com:443/p"), "https://a.example.com/p");
        assert_eq!(strip_default_port("http://a.example.com:80/"), "http://a.example.com/");
        assert_eq!(strip_default_port("https://a.example.com:4433"), "https://a.example.com:4433");
        assert_eq!(strip_default_port("https://a.example.com"), "https://a.example.com");
        assert_eq!(strip_default_port("tcp://a.example.com:443"), "tcp://a.example.com:443");
        assert_eq!(strip_default_port("not a url"), "not a url");
    }

    #[test]
    fn bad_addresses_are_refused_with_a_reason() {
        assert!(check_cidr("10.0.0.0/8").is_ok());
        assert!(check_cidr("2001:db8::/32").is_ok());
        assert!(check_cidr("not-a-cidr").err().is_some_and(|e| e.contains("`not-a-cidr` is not a CIDR")));
        assert!(check_cidr("10.0.0.0/33").is_err());
        assert!(check_url("https://example.com").is_ok());
        assert!(check_url("example.com").is_err());
        assert!(check_url("https://").is_err());
        assert!(check_hostport("example.com:443").is_ok());
        assert!(check_hostport("[2001:db8::1]:22").is_ok());
        assert!(check_hostport("example.com").is_err());
        assert!(check_hostport("example.com:0").is_err());
        assert!(check_hostport("example.com:99999").is_err());
        assert!(check_hostport(":443").is_err());
        assert!(check_hostport("bad host:443").is_err());
    }
}
