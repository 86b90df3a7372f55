//! X.509 certificates the emulator issues from a certificate signing
//! request (a Kubernetes operator's binding), signed by a certificate
//! authority of its own: one per process, made when first needed.

use std::sync::OnceLock;

use rcgen::{
    BasicConstraints, CertificateParams, CertificateSigningRequestParams, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, SerialNumber,
};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::util::{now_secs, rfc3339};

/// How long an issued certificate is valid: a year, as the server's are.
const VALIDITY_SECS: u64 = 365 * 86_400;

/// The common name of the emulator's certificate authority.
pub(crate) const CA_NAME: &str = "ngrok-api-mock Kubernetes operator CA";

struct Authority {
    issuer: Issuer<'static, KeyPair>,
    pem: String,
}

/// The emulator's certificate authority, or why it could not be made.
fn authority() -> Result<&'static Authority, String> {
    static CA: OnceLock<Result<Authority, String>> = OnceLock::new();
    CA.get_or_init(|| {
        let failed = |e: rcgen::Error| format!("the emulator's certificate authority could not be made: {e}");
        let key = KeyPair::generate().map_err(failed)?;
        let mut params = CertificateParams::default();
        let mut name = DistinguishedName::new();
        name.push(DnType::CommonName, CA_NAME);
        params.distinguished_name = name;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let (before, after) = window(now_secs().saturating_sub(86_400), 10 * VALIDITY_SECS)?;
        (params.not_before, params.not_after) = (before, after);
        let cert = params.self_signed(&key).map_err(failed)?;
        Ok(Authority { issuer: Issuer::new(params, key), pem: cert.pem() })
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// The PEM certificate of the emulator's certificate authority, which
/// signs every certificate [`client_certificate`] issues.
pub(crate) fn authority_pem() -> Result<String, String> {
    authority().map(|a| a.pem.clone())
}

fn window(start: u64, length: u64) -> Result<(time::OffsetDateTime, time::OffsetDateTime), String> {
    let at = |secs: u64| {
        i64::try_from(secs)
            .ok()
            .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
            .ok_or_else(|| format!("the time {secs} is out of range"))
    };
    Ok((at(start)?, at(start.saturating_add(length))?))
}

/// Parses and checks a PEM certificate signing request: it decodes, and
/// its signature holds. A fault is refused with `ERR_NGROK_19001`.
pub(crate) fn check_csr(pem: &str) -> Result<(), ApiError> {
    read(pem).map(|_| ()).map_err(|why| ApiError::refusal(19001, &[("ERROR", &why)]))
}

#[expect(clippy::wildcard_enum_match_arm, reason = "rcgen::Error is non-exhaustive: a catch-all arm is required")]
fn read(pem: &str) -> Result<CertificateSigningRequestParams, String> {
    CertificateSigningRequestParams::from_pem(pem).map_err(|e| match e {
        rcgen::Error::UnsupportedExtension => "the request asks for an extension other than subject alternative names, \
             key usages, extended key usages and basic constraints"
            .to_string(),
        other => other.to_string(),
    })
}

/// Issues a client certificate for the signing request `pem`: its public
/// key, subject and alternative names, valid for a year from now, never a
/// CA, for client authentication unless the request names other uses.
/// `now` is the emulator's time. Answers `{cert, not_before, not_after}`.
pub(crate) fn client_certificate(pem: &str, now: u64) -> Result<Value, String> {
    let ca = authority()?;
    let mut csr = read(pem).map_err(|why| format!("the certificate signing request cannot be read: {why}"))?;
    let start = now;
    let (before, after) = window(start, VALIDITY_SECS)?;
    let params = &mut csr.params;
    (params.not_before, params.not_after) = (before, after);
    params.is_ca = IsCa::ExplicitNoCa;
    if params.extended_key_usages.is_empty() {
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    }
    let rng = crate::util::Rng::new();
    let mut serial = [0u8; 16];
    for chunk in serial.chunks_mut(8) {
        chunk.copy_from_slice(&rng.next().to_be_bytes());
    }
    serial[0] &= 0x7f;
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    let cert = csr.signed_by(&ca.issuer).map_err(|e| format!("the certificate could not be signed: {e}"))?;
    Ok(json!({
        "cert": cert.pem(),
        "not_before": rfc3339(start),
        "not_after": rfc3339(start.saturating_add(VALIDITY_SECS)),
    }))
}
