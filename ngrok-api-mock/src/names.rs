//! How names must be written, with ngrok's code for each fault: domain
//! names as a reserved domain takes them, and CIDR blocks as an IP policy
//! rule takes them.

use std::net::IpAddr;

use crate::error::ApiError;

/// Checks a domain name to reserve. Text that is not a domain at all is
/// left to the generic checks.
pub(crate) fn check_domain(domain: &str) -> Result<(), ApiError> {
    let refuse = |code: u32, fills: &[(&str, &str)]| {
        let mut all = vec![("DOMAIN", domain)];
        all.extend_from_slice(fills);
        Err(ApiError::refusal(code, &all))
    };
    if domain.len() > 253 {
        return refuse(514, &[]);
    }
    if domain.contains('_') {
        return refuse(438, &[]);
    }
    if let Some(bad) = domain.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '*'))) {
        return refuse(406, &[("CHAR", &bad.to_string())]);
    }
    if domain.contains("..") {
        return refuse(409, &[]);
    }
    let labels: Vec<&str> = domain.split('.').collect();
    for (i, label) in labels.iter().enumerate() {
        if label.contains('*') {
            if i > 0 {
                return refuse(402, &[]);
            }
            if *label != "*" {
                return refuse(403, &[]);
            }
        }
    }
    if labels.len() < 2 {
        return refuse(448, &[]);
    }
    for (i, label) in labels.iter().enumerate() {
        if label.len() > 63 {
            return refuse(513, &[]);
        }
        if i == 0 && *label == "*" {
            continue;
        }
        let starts_well = label.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if !starts_well {
            return refuse(407, &[("PART", label)]);
        }
        if !label.chars().last().is_some_and(|c| c.is_ascii_alphanumeric()) {
            return refuse(408, &[("PART", label)]);
        }
        if label.get(2..4) == Some("--") && !label.to_ascii_lowercase().starts_with("xn--") {
            return refuse(410, &[]);
        }
    }
    Ok(())
}

/// Checks a CIDR block for an IP policy rule: it has a prefix length and
/// is written from its network address. Text that is no address at all is
/// left to the generic CIDR check.
pub(crate) fn check_cidr_network(cidr: &str) -> Result<(), ApiError> {
    let Some((addr, bits)) = cidr.split_once('/') else {
        if let Ok(ip) = cidr.parse::<IpAddr>() {
            let full = if ip.is_ipv4() { "32" } else { "128" };
            return Err(ApiError::refusal(1413, &[("IP", cidr), ("BITS", full)]));
        }
        return Ok(());
    };
    let (Ok(ip), Ok(bits)) = (addr.parse::<IpAddr>(), bits.parse::<u8>()) else { return Ok(()) };
    let network = match ip {
        IpAddr::V4(v4) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            IpAddr::from(std::net::Ipv4Addr::from(u32::from(v4) & mask))
        }
        IpAddr::V6(v6) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            IpAddr::from(std::net::Ipv6Addr::from(u128::from(v6) & mask))
        }
        IpAddr::V4(_) | IpAddr::V6(_) => return Ok(()),
    };
    if network != ip {
        let suggestion = format!("{network}/{bits}");
        return Err(ApiError::refusal(1409, &[("CIDR", cidr), ("SUGGESTION", &suggestion)]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<(), ApiError>) -> Option<u32> {
        r.err().and_then(|e| e.code)
    }

    #[test]
    fn each_domain_fault_has_its_code() {
        for ok in ["app.example.com", "*.example.com", "xn--bcher-kva.example", "a-b.example.com", "x.co"] {
            assert_eq!(code(check_domain(ok)), None, "{ok}");
        }
        let cases = [
            ("bad..name.example.com", 409),
            ("a_b.example.com", 438),
            ("x.*.example.com", 402),
            ("*x.example.com", 403),
            ("a!b.example.com", 406),
            ("-a.example.com", 407),
            ("a-.example.com", 408),
            ("ab--cd.example.com", 410),
            ("localhost", 448),
        ];
        for (domain, want) in cases {
            assert_eq!(code(check_domain(domain)), Some(want), "{domain}");
        }
        let long_label = format!("{}.example.com", "a".repeat(64));
        assert_eq!(code(check_domain(&long_label)), Some(513));
        let long_name = format!("{}.com", ["abcdefghij"; 25].join("."));
        assert_eq!(code(check_domain(&long_name)), Some(514));
    }

    #[test]
    fn cidr_blocks_start_at_their_network_address() {
        assert_eq!(code(check_cidr_network("192.168.1.0/24")), None);
        assert_eq!(code(check_cidr_network("2001:db8::/32")), None);
        assert_eq!(code(check_cidr_network("0.0.0.0/0")), None);
        let e = check_cidr_network("192.168.1.7/24").err();
        assert_eq!(e.as_ref().and_then(|e| e.code), Some(1409));
        assert!(e.is_some_and(|e| e.msg.contains("`192.168.1.0/24`")));
        assert_eq!(code(check_cidr_network("10.1.2.3")), Some(1413));
        assert_eq!(code(check_cidr_network("not a cidr")), None, "left to the generic check");
    }
}
