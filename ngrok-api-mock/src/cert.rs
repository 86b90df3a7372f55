//! What the server reads out of a PEM certificate: names, serial number,
//! validity window, key algorithm, alternative names and key usages. The
//! first certificate of a chain (the leaf) is the one described.

use ngrok_api_model::PemPart;
use serde_json::{Value, json};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::oid_registry::{OID_KEY_TYPE_EC_PUBLIC_KEY, OID_PKCS1_RSAENCRYPTION, OID_SIG_ED25519};
use x509_parser::pem::Pem;
use x509_parser::x509::X509Name;

use crate::util::rfc3339;

/// The PEM blocks of a text, decoded. Fails when the text holds no block,
/// or a block is cut short or not valid base64.
pub(crate) fn blocks(text: &str) -> Result<Vec<Pem>, String> {
    let mut out = Vec::new();
    for block in Pem::iter_from_buffer(text.as_bytes()) {
        match block {
            Ok(pem) => out.push(pem),
            Err(e) => return Err(format!("it holds a broken PEM block ({e})")),
        }
    }
    if out.is_empty() {
        return Err("it holds no PEM block (`-----BEGIN ...-----` to `-----END ...-----`)".into());
    }
    Ok(out)
}

/// Checks a PEM text: every block decodes, and every `CERTIFICATE` block is
/// an X.509 certificate.
pub(crate) fn check(text: &str) -> Result<(), String> {
    for (i, pem) in blocks(text)?.iter().enumerate() {
        if pem.label == "CERTIFICATE" {
            pem.parse_x509().map_err(|e| format!("its PEM block {} is not an X.509 certificate ({e})", i + 1))?;
        }
    }
    Ok(())
}

/// The facts of the leaf certificate of a PEM chain, as the JSON values the
/// server answers for each part.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Facts {
    pub subject_common_name: String,
    pub issuer_common_name: String,
    pub serial_number: String,
    pub not_before: String,
    pub not_after: String,
    pub key_algorithm: Option<&'static str>,
    pub dns_names: Vec<String>,
    pub ips: Vec<String>,
    pub key_usages: Vec<&'static str>,
    pub extended_key_usages: Vec<String>,
    pub subject_organization: String,
    pub subject_organizational_unit: String,
    pub subject_locality: String,
    pub subject_province: String,
    pub subject_country: String,
}

/// Reads the facts of the first certificate in `text`.
pub(crate) fn facts(text: &str) -> Result<Facts, String> {
    let all = blocks(text)?;
    let Some(leaf) = all.iter().find(|p| p.label == "CERTIFICATE") else {
        return Err("it holds no `CERTIFICATE` block".into());
    };
    let cert = leaf.parse_x509().map_err(|e| format!("its certificate is not valid X.509 ({e})"))?;
    Ok(read(&cert))
}

fn first(name: &X509Name<'_>, pick: fn(&X509Name<'_>) -> Option<String>) -> String {
    pick(name).unwrap_or_default()
}

fn text_of(attr: Option<&x509_parser::x509::AttributeTypeAndValue<'_>>) -> Option<String> {
    attr.and_then(|a| a.as_str().ok()).map(str::to_string)
}

fn timestamp(secs: i64) -> String {
    rfc3339(u64::try_from(secs).unwrap_or(0))
}

fn read(cert: &X509Certificate<'_>) -> Facts {
    let subject = cert.subject();
    let validity = cert.validity();
    let (dns_names, ips) = alternative_names(cert);
    Facts {
        subject_common_name: first(subject, |n| text_of(n.iter_common_name().next())),
        issuer_common_name: first(cert.issuer(), |n| text_of(n.iter_common_name().next())),
        serial_number: cert.serial.to_str_radix(16),
        not_before: timestamp(validity.not_before.timestamp()),
        not_after: timestamp(validity.not_after.timestamp()),
        key_algorithm: key_algorithm(cert),
        dns_names,
        ips,
        key_usages: key_usages(cert),
        extended_key_usages: extended_key_usages(cert),
        subject_organization: first(subject, |n| text_of(n.iter_organization().next())),
        subject_organizational_unit: first(subject, |n| text_of(n.iter_organizational_unit().next())),
        subject_locality: first(subject, |n| text_of(n.iter_locality().next())),
        subject_province: first(subject, |n| text_of(n.iter_state_or_province().next())),
        subject_country: first(subject, |n| text_of(n.iter_country().next())),
    }
}

/// The kind of key (`rsa`, `ecdsa`, `ed25519`) in the first block of a PEM
/// text: the public key of a certificate, or a private key (PKCS #8, or the
/// older RSA and EC forms).
pub(crate) fn key_type(text: &str) -> Result<Option<&'static str>, String> {
    let all = blocks(text)?;
    let Some(first) = all.first() else { return Ok(None) };
    Ok(match first.label.as_str() {
        "CERTIFICATE" => {
            let cert = first.parse_x509().map_err(|e| format!("its certificate is not valid X.509 ({e})"))?;
            key_algorithm(&cert)
        }
        "RSA PRIVATE KEY" => Some("rsa"),
        "EC PRIVATE KEY" => Some("ecdsa"),
        _ => pkcs8_algorithm(&first.contents),
    })
}

/// The key kind named by the algorithm of a PKCS #8 private key.
fn pkcs8_algorithm(der: &[u8]) -> Option<&'static str> {
    let (_, outer) = x509_parser::der_parser::der::parse_der(der).ok()?;
    let items = outer.as_sequence().ok()?;
    let alg = items.get(1)?.as_sequence().ok()?.first()?.as_oid().ok()?.clone();
    algorithm_name(&alg)
}

fn algorithm_name(alg: &x509_parser::der_parser::oid::Oid<'_>) -> Option<&'static str> {
    if *alg == OID_PKCS1_RSAENCRYPTION {
        Some("rsa")
    } else if *alg == OID_KEY_TYPE_EC_PUBLIC_KEY {
        Some("ecdsa")
    } else if *alg == OID_SIG_ED25519 {
        Some("ed25519")
    } else {
        None
    }
}

/// `rsa`, `ecdsa` or `ed25519`, the spelling of the API's key types.
fn key_algorithm(cert: &X509Certificate<'_>) -> Option<&'static str> {
    algorithm_name(&cert.public_key().algorithm.algorithm)
}

fn alternative_names(cert: &X509Certificate<'_>) -> (Vec<String>, Vec<String>) {
    let (mut dns, mut ips) = (Vec::new(), Vec::new());
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(d) => dns.push((*d).to_string()),
                GeneralName::IPAddress(bytes) => {
                    if let Ok(v4) = <[u8; 4]>::try_from(*bytes) {
                        ips.push(std::net::Ipv4Addr::from(v4).to_string());
                    } else if let Ok(v6) = <[u8; 16]>::try_from(*bytes) {
                        ips.push(std::net::Ipv6Addr::from(v6).to_string());
                    }
                }
                GeneralName::OtherName(..) | GeneralName::RFC822Name(_) | GeneralName::X400Address(_) | GeneralName::DirectoryName(_) | GeneralName::EDIPartyName(_) | GeneralName::URI(_) | GeneralName::RegisteredID(_) | GeneralName::Invalid(..) => {}
            }
        }
    }
    (dns, ips)
}

fn key_usages(cert: &X509Certificate<'_>) -> Vec<&'static str> {
    let Ok(Some(ku)) = cert.key_usage() else { return Vec::new() };
    let ku = ku.value;
    [
        (ku.digital_signature(), "digital_signature"),
        (ku.non_repudiation(), "content_commitment"),
        (ku.key_encipherment(), "key_encipherment"),
        (ku.data_encipherment(), "data_encipherment"),
        (ku.key_agreement(), "key_agreement"),
        (ku.key_cert_sign(), "cert_sign"),
        (ku.crl_sign(), "crl_sign"),
        (ku.encipher_only(), "encipher_only"),
        (ku.decipher_only(), "decipher_only"),
    ]
    .into_iter()
    .filter_map(|(set, name)| set.then_some(name))
    .collect()
}

fn extended_key_usages(cert: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(eku)) = cert.extended_key_usage() else { return Vec::new() };
    let eku = eku.value;
    let mut out: Vec<String> = [
        (eku.any, "any"),
        (eku.server_auth, "server_auth"),
        (eku.client_auth, "client_auth"),
        (eku.code_signing, "code_signing"),
        (eku.email_protection, "email_protection"),
        (eku.time_stamping, "time_stamping"),
        (eku.ocsp_signing, "ocsp_signing"),
    ]
    .into_iter()
    .filter(|(set, _)| *set)
    .map(|(_, name)| name.to_string())
    .collect();
    out.extend(eku.other.iter().map(|oid| oid.to_id_string()));
    out
}

impl Facts {
    /// The value of one part the spec names.
    pub fn part(&self, part: PemPart) -> Value {
        let s = |v: &str| Value::String(v.to_string());
        match part {
            PemPart::SubjectCommonName => s(&self.subject_common_name),
            PemPart::IssuerCommonName => s(&self.issuer_common_name),
            PemPart::SerialNumber => s(&self.serial_number),
            PemPart::NotBefore => s(&self.not_before),
            PemPart::NotAfter => s(&self.not_after),
            PemPart::PrivateKeyType => self.key_algorithm.map_or(Value::Null, s),
            PemPart::SubjectAlternativeNames => json!({ "dns_names": self.dns_names, "ips": self.ips }),
            PemPart::KeyUsages => json!(self.key_usages),
            PemPart::ExtendedKeyUsages => json!(self.extended_key_usages),
            PemPart::SubjectOrganization => s(&self.subject_organization),
            PemPart::SubjectOrganizationalUnit => s(&self.subject_organizational_unit),
            PemPart::SubjectLocality => s(&self.subject_locality),
            PemPart::SubjectProvince => s(&self.subject_province),
            PemPart::SubjectCountry => s(&self.subject_country),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEAF: &str = include_str!("../testdata/leaf-rsa.pem");
    const CA: &str = include_str!("../testdata/ca-ed25519.pem");
    const EC: &str = include_str!("../testdata/self-ecdsa.pem");

    #[test]
    fn a_leaf_signed_by_a_ca_reports_its_facts() {
        let f = facts(LEAF).expect("leaf");
        assert_eq!(f.subject_common_name, "app.example.com");
        assert_eq!(f.issuer_common_name, "Example Root CA");
        assert_eq!(f.serial_number, "a1b2c3d4e5f");
        assert_eq!(f.not_before, "2026-11-28T01:27:53Z");
        assert_eq!(f.not_after, "2036-11-25T01:27:53Z");
        assert_eq!(f.key_algorithm, Some("rsa"));
        assert_eq!(f.dns_names, ["app.example.com", "*.app.example.com"]);
        assert_eq!(f.ips, ["192.0.2.10", "2001:db8::1"]);
        assert_eq!(f.key_usages, ["digital_signature", "key_encipherment"]);
        assert_eq!(f.extended_key_usages, ["server_auth", "client_auth"]);
        assert_eq!(f.subject_organization, "Example Org");
        assert_eq!(f.subject_organizational_unit, "Testing");
        assert_eq!(f.subject_locality, "Berlin");
        assert_eq!(f.subject_province, "Berlin");
        assert_eq!(f.subject_country, "DE");
    }

    #[test]
    fn key_algorithms_and_ca_usages() {
        let ca = facts(CA).expect("ca");
        assert_eq!(ca.key_algorithm, Some("ed25519"));
        assert_eq!(ca.subject_common_name, ca.issuer_common_name);
        assert_eq!(ca.key_usages, ["cert_sign", "crl_sign"]);
        assert!(ca.extended_key_usages.is_empty());
        assert_eq!(ca.serial_number, "34674c3aec6e81739c3defbe8e4f2a2be402cac");
        assert_eq!(facts(EC).expect("ec").key_algorithm, Some("ecdsa"));
    }

    #[test]
    fn private_key_kinds() {
        for (file, kind) in [("rsa", "rsa"), ("ec", "ecdsa"), ("ed", "ed25519")] {
            let text = match file {
                "rsa" => include_str!("../testdata/key-rsa.pem"),
                "ec" => include_str!("../testdata/key-ecdsa.pem"),
                _ => include_str!("../testdata/key-ed25519.pem"),
            };
            assert_eq!(key_type(text), Ok(Some(kind)), "{file}");
        }
        assert_eq!(key_type("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"), Ok(Some("rsa")));
        assert_eq!(key_type(LEAF), Ok(Some("rsa")));
        assert_eq!(key_type(CA), Ok(Some("ed25519")));
        assert!(key_type("junk").is_err());
    }

    #[test]
    fn the_leaf_of_a_chain_is_described() {
        let chain = format!("{LEAF}{CA}");
        assert_eq!(facts(&chain).expect("chain").subject_common_name, "app.example.com");
        assert!(check(&chain).is_ok());
    }

    #[test]
    fn parts_are_json_values() {
        let f = facts(LEAF).expect("leaf");
        assert_eq!(
            f.part(PemPart::SubjectAlternativeNames),
            json!({"dns_names": ["app.example.com", "*.app.example.com"], "ips": ["192.0.2.10", "2001:db8::1"]})
        );
        assert_eq!(f.part(PemPart::PrivateKeyType), json!("rsa"));
        assert_eq!(f.part(PemPart::KeyUsages), json!(["digital_signature", "key_encipherment"]));
        assert_eq!(f.part(PemPart::NotAfter), json!("2036-11-25T01:27:53Z"));
    }

    #[test]
    fn broken_pems_are_refused_with_a_reason() {
        assert!(check("not a certificate").err().is_some_and(|e| e.contains("no PEM block")));
        let cut = &LEAF[..LEAF.len() / 2];
        assert!(check(cut).err().is_some_and(|e| e.contains("broken PEM block")), "{:?}", check(cut));
        let garbage = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(check(garbage).err().is_some_and(|e| e.contains("not an X.509 certificate")));
        let not_base64 = "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n";
        assert!(check(not_base64).is_err());
        let key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert!(check(key).is_ok(), "a key block only needs to decode");
        assert!(facts(key).err().is_some_and(|e| e.contains("no `CERTIFICATE` block")));
    }
}
