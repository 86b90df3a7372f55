//! Real SSH material: the key pair of an SSH certificate authority, and
//! host and user certificates signed with its private key, in OpenSSH's
//! formats (`ssh-keygen -L -f` reads them). The private key is kept in the
//! stored object under [`SIGNING_KEY`], a member no API type has, so no
//! answer ever shows it.

use serde_json::{Map, Value};
use ssh_key::certificate::{Builder, CertType};
use ssh_key::private::{EcdsaKeypair, Ed25519Keypair, KeypairData, RsaKeypair};
use ssh_key::rand_core::{OsRng, RngCore};
use ssh_key::public::KeyData;
use ssh_key::{Algorithm, EcdsaCurve, HashAlg, LineEnding, PrivateKey, PublicKey, Signature};

use crate::error::ApiError;

/// The member of a stored SSH certificate authority that holds its private
/// key (OpenSSH format). It is no field of any API type: answers leave it
/// out; the state file keeps it, so a restarted emulator still signs.
pub(crate) const SIGNING_KEY: &str = "__signing_key";

/// The elliptic curves an ECDSA key can be made on, as the API names them,
/// with the spellings accepted for each.
const CURVES: [(&str, EcdsaCurve, &[&str]); 2] = [
    ("P-256", EcdsaCurve::NistP256, &["p256", "nistp256", "secp256r1", "prime256v1"]),
    ("P-384", EcdsaCurve::NistP384, &["p384", "nistp384", "secp384r1"]),
];

/// The key kinds and the SSH wire names of their keys.
const KINDS: [(&str, &str); 3] = [("ed25519", "ssh-ed25519"), ("ecdsa", "ecdsa-sha2-nistp256"), ("rsa", "ssh-rsa")];

/// The key kind (`rsa`, `ecdsa`, `ed25519`) of an OpenSSH public key or
/// certificate line.
pub(crate) fn key_kind(line: &str) -> Option<&'static str> {
    let alg = line.split_whitespace().next()?;
    let alg = alg.strip_suffix("-cert-v01@openssh.com").unwrap_or(alg);
    if alg.starts_with("ecdsa-sha2-") || alg.starts_with("sk-ecdsa-") {
        return Some("ecdsa");
    }
    if alg.contains("ed25519") {
        return Some("ed25519");
    }
    KINDS.iter().find(|(_, wire)| *wire == alg).map(|(kind, _)| *kind)
}

/// The fields of an object an SSH certificate is made from, as the spec's
/// `ssh_certificate` rule names them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CertFields<'a> {
    /// A user certificate (else a host certificate).
    pub user: bool,
    pub key: &'a str,
    pub principals: &'a str,
    pub valid_after: &'a str,
    pub valid_until: &'a str,
    pub critical_options: Option<&'a str>,
    pub extensions: Option<&'a str>,
}

/// A new key pair: the public key in authorized-keys form and the private
/// key in OpenSSH's PEM form.
pub(crate) struct KeyPair {
    pub public: String,
    pub private: String,
}

fn curve(asked: Option<&str>) -> Result<EcdsaCurve, ApiError> {
    let Some(asked) = asked.filter(|c| !c.is_empty()) else { return Ok(EcdsaCurve::NistP256) };
    let plain: String = asked.chars().filter(|c| *c != '-' && *c != '_').flat_map(char::to_lowercase).collect();
    match CURVES.iter().find(|(_, _, names)| names.contains(&plain.as_str())) {
        Some((_, c, _)) => Ok(*c),
        None => {
            let supported: Vec<&str> = CURVES.iter().map(|(name, _, _)| *name).collect();
            Err(ApiError::refusal(1941, &[("CURVE", asked), ("SUPPORTED", &supported.join(", "))]))
        }
    }
}

/// Checks the options of a key the server makes: a size only for an RSA
/// key, a curve only for an ECDSA key, and one the API offers.
pub(crate) fn check_options(kind: &str, bits: Option<u64>, curve_name: Option<&str>) -> Result<(), ApiError> {
    if bits.is_some() && kind != "rsa" {
        return Err(ApiError::refusal(1940, &[("KEYTYPE", kind)]));
    }
    if curve_name.is_some_and(|c| !c.is_empty()) && kind != "ecdsa" {
        return Err(ApiError::refusal(1942, &[("KEYTYPE", kind)]));
    }
    curve(curve_name).map(|_| ())
}

/// Makes the key pair of an SSH certificate authority: `kind` is `rsa`
/// (`bits` long, 2048 when unset), `ecdsa` (on `curve`, P-256 when unset)
/// or `ed25519`. Options that do not fit the kind are refused as
/// [`check_options`] says.
pub(crate) fn key_pair(kind: &str, bits: Option<u64>, curve_name: Option<&str>) -> Result<KeyPair, ApiError> {
    check_options(kind, bits, curve_name)?;
    let failed = |e: ssh_key::Error| ApiError::new(500, crate::error::codes::INTERNAL, format!("making a {kind} key failed: {e}"));
    let data = match kind {
        "ed25519" => KeypairData::from(Ed25519Keypair::random(&mut OsRng)),
        "ecdsa" => KeypairData::from(EcdsaKeypair::random(&mut OsRng, curve(curve_name)?).map_err(failed)?),
        _ => {
            let bits = usize::try_from(bits.unwrap_or(2048)).unwrap_or(2048);
            KeypairData::from(RsaKeypair::random(&mut OsRng, bits).map_err(failed)?)
        }
    };
    let key = PrivateKey::new(data, "").map_err(failed)?;
    let public = key.public_key().to_openssh().map_err(failed)?;
    let private = key.to_openssh(LineEnding::LF).map_err(failed)?.to_string();
    Ok(KeyPair { public, private })
}

/// Checks a public key given to be certified: it parses as an OpenSSH
/// public key (`ERR_NGROK_1934`) of a kind certificates are issued for
/// (`ERR_NGROK_1950`).
#[expect(clippy::wildcard_enum_match_arm, reason = "ssh-key's Algorithm is non-exhaustive: a catch-all arm is required")]
pub(crate) fn check_public_key(line: &str) -> Result<(), ApiError> {
    let key = PublicKey::from_openssh(line.trim()).map_err(|e| {
        ApiError::refusal(1934, &[("ERROR", &e.to_string()), ("PUBLICKEY", line)])
    })?;
    match key.algorithm() {
        Algorithm::Ed25519
        | Algorithm::Ecdsa { .. }
        | Algorithm::Rsa { .. }
        | Algorithm::SkEd25519
        | Algorithm::SkEcdsaSha2NistP256 => Ok(()),
        other => Err(ApiError::refusal(1950, &[("KEYTYPE", other.as_str())])),
    }
}

/// The seconds since the epoch of an RFC 3339 time held by `field`.
fn seconds(obj: &Map<String, Value>, field: &str) -> Result<u64, String> {
    let text = obj.get(field).and_then(Value::as_str).unwrap_or_default();
    let t = chrono::DateTime::parse_from_rfc3339(text)
        .map_err(|e| format!("the field `{field}` is not an RFC 3339 time (`{text}`: {e})"))?;
    u64::try_from(t.timestamp()).map_err(|_| format!("the field `{field}` is before 1970 (`{text}`)"))
}

fn strings(obj: &Map<String, Value>, field: &str) -> Vec<String> {
    obj.get(field).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
}

fn options(obj: &Map<String, Value>, field: &str) -> Vec<(String, String)> {
    let Some(map) = obj.get(field).and_then(Value::as_object) else { return Vec::new() };
    map.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect()
}

/// Signs the certificate an object describes with the CA private key
/// `ca_key` (OpenSSH PEM), over the object's fields `f` names: the public
/// key, the principals (none: good for every principal), the validity
/// window, and for a user certificate its critical options and
/// extensions. The key ID is the object's ID. Answers the certificate in
/// authorized-keys form.
#[expect(clippy::wildcard_enum_match_arm, reason = "ssh-key's KeypairData is non-exhaustive: a catch-all arm is required")]
pub(crate) fn certificate(ca_key: &str, f: &CertFields<'_>, obj: &Map<String, Value>) -> Result<String, String> {
    let ca = PrivateKey::from_openssh(ca_key).map_err(|e| format!("the certificate authority's key cannot be read: {e}"))?;
    let line = obj.get(f.key).and_then(Value::as_str).unwrap_or_default();
    let subject = PublicKey::from_openssh(line.trim()).map_err(|e| format!("the field `{}` is not an OpenSSH public key: {e}", f.key))?;
    let (after, until) = (seconds(obj, f.valid_after)?, seconds(obj, f.valid_until)?);
    if until < after {
        return Err(format!("the field `{}` is before `{}`", f.valid_until, f.valid_after));
    }
    let user = f.user;
    let signing = |e: ssh_key::Error| format!("the certificate cannot be made: {e}");
    let mut b = Builder::new_with_random_nonce(&mut OsRng, subject.key_data().clone(), after, until).map_err(signing)?;
    b.serial(OsRng.next_u64()).map_err(signing)?;
    b.cert_type(if user { CertType::User } else { CertType::Host }).map_err(signing)?;
    b.key_id(obj.get("id").and_then(Value::as_str).unwrap_or_default()).map_err(signing)?;
    let principals = strings(obj, f.principals);
    if principals.is_empty() {
        b.all_principals_valid().map_err(signing)?;
    }
    for p in principals {
        b.valid_principal(p).map_err(signing)?;
    }
    if user {
        for (k, v) in f.critical_options.map(|n| options(obj, n)).unwrap_or_default() {
            b.critical_option(k, v).map_err(signing)?;
        }
        for (k, v) in f.extensions.map(|n| options(obj, n)).unwrap_or_default() {
            b.extension(k, v).map_err(signing)?;
        }
    }
    let cert = match ca.key_data() {
        KeypairData::Rsa(pair) => b.sign(&RsaSigner::new(pair, ca.public_key().key_data())?),
        _ => b.sign(&ca),
    };
    cert.map_err(signing)?.to_openssh().map_err(signing)
}

/// Signs with an RSA key as OpenSSH does (`rsa-sha2-512`), from the key's
/// own parts.
struct RsaSigner {
    key: rsa::pkcs1v15::SigningKey<ssh_key::sha2::Sha512>,
    public: KeyData,
}

impl RsaSigner {
    fn new(pair: &RsaKeypair, public: &KeyData) -> Result<RsaSigner, String> {
        let broken = |e: ssh_key::Error| format!("the certificate authority's RSA key cannot be read: {e}");
        let n = |m: &ssh_key::Mpint| rsa::BigUint::try_from(m).map_err(broken);
        let primes = vec![n(&pair.private.p)?, n(&pair.private.q)?];
        let key = rsa::RsaPrivateKey::from_components(n(&pair.public.n)?, n(&pair.public.e)?, n(&pair.private.d)?, primes)
            .map_err(|e| format!("the certificate authority's RSA key is not valid: {e}"))?;
        Ok(RsaSigner { key: rsa::pkcs1v15::SigningKey::new(key), public: public.clone() })
    }
}

impl rsa::signature::Signer<Signature> for RsaSigner {
    fn try_sign(&self, message: &[u8]) -> Result<Signature, rsa::signature::Error> {
        use rsa::signature::SignatureEncoding;
        let signed = self.key.try_sign(message)?;
        Signature::new(Algorithm::Rsa { hash: Some(HashAlg::Sha512) }, signed.to_vec()).map_err(|_| rsa::signature::Error::new())
    }
}

impl From<&RsaSigner> for KeyData {
    fn from(signer: &RsaSigner) -> KeyData {
        signer.public.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A DSA public key line (a kind no certificate is issued for).
    fn dsa_key() -> String {
        use ssh_key::Mpint;
        use ssh_key::public::{DsaPublicKey, KeyData};
        let n = |b: &[u8]| Mpint::from_positive_bytes(b).unwrap_or_else(|e| panic!("{e}"));
        let key = DsaPublicKey { p: n(&[0x7f; 128]), q: n(&[0x7f; 20]), g: n(&[2]), y: n(&[0x35; 128]) };
        PublicKey::from(KeyData::Dsa(key)).to_openssh().unwrap_or_else(|e| panic!("{e}"))
    }

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn key_pairs_of_each_kind_sign_certificates_they_verify() {
        for (kind, bits, curve) in [("ed25519", None, None), ("ecdsa", None, Some("P-384")), ("rsa", Some(2048), None)] {
            let pair = key_pair(kind, bits, curve).unwrap_or_else(|e| panic!("{kind}: {}", e.msg));
            assert_eq!(key_kind(&pair.public), Some(kind), "{}", pair.public);
            let subject = key_pair("ed25519", None, None).unwrap_or_else(|e| panic!("{}", e.msg)).public;
            let o = obj(json!({"id": "sucrt_1", "public_key": subject, "principals": ["deploy"],
                "valid_after": "2030-01-01T00:00:00Z", "valid_until": "2030-01-02T00:00:00Z",
                "extensions": {"permit-pty": ""}, "critical_options": {"force-command": "ls"}}));
            let fields = CertFields {
                user: true,
                key: "public_key",
                principals: "principals",
                valid_after: "valid_after",
                valid_until: "valid_until",
                critical_options: Some("critical_options"),
                extensions: Some("extensions"),
            };
            let text = certificate(&pair.private, &fields, &o).unwrap_or_else(|e| panic!("{kind}: {e}"));
            let cert = ssh_key::Certificate::from_openssh(&text).unwrap_or_else(|e| panic!("{kind}: {e}"));
            let ca = PublicKey::from_openssh(&pair.public).unwrap_or_else(|e| panic!("{e}"));
            let fp = ca.fingerprint(Default::default());
            assert!(cert.validate_at(1_893_456_000 + 60, [&fp]).is_ok(), "{kind}");
            assert!(cert.validate_at(1_893_456_000 + 90_000, [&fp]).is_err(), "expired");
            assert_eq!(cert.valid_principals(), ["deploy"]);
            assert_eq!(cert.key_id(), "sucrt_1");
            assert_eq!(cert.critical_options().get("force-command").map(String::as_str), Some("ls"));
        }
    }

    #[test]
    fn key_kinds_of_openssh_lines() {
        assert_eq!(key_kind("ssh-ed25519 AAAAC3Nza comment"), Some("ed25519"));
        assert_eq!(key_kind("ssh-rsa AAAAB3Nza"), Some("rsa"));
        assert_eq!(key_kind("ecdsa-sha2-nistp384 AAAA"), Some("ecdsa"));
        assert_eq!(key_kind("ssh-ed25519-cert-v01@openssh.com AAAA"), Some("ed25519"));
        assert_eq!(key_kind("nonsense"), None);
        assert_eq!(key_kind(""), None);
    }

    #[test]
    fn bad_keys_and_options_are_refused_with_ngroks_codes() {
        assert_eq!(check_public_key("ssh-ed25519 AAAA").map_err(|e| e.code), Err(Some(1934)));
        assert_eq!(check_public_key("not a key").map_err(|e| e.code), Err(Some(1934)));
        let dss = dsa_key();
        assert_eq!(check_public_key(&dss).map_err(|e| e.code), Err(Some(1950)));
        assert!(check_public_key("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICrG0ye4VNje73RypVX+c9ChNKFkyMWirP+Sd29M2e6w me").is_ok());
        assert_eq!(key_pair("ecdsa", None, Some("P-999")).err().and_then(|e| e.code), Some(1941));
        assert_eq!(key_pair("ed25519", Some(4096), None).err().and_then(|e| e.code), Some(1940));
        assert_eq!(key_pair("rsa", None, Some("P-256")).err().and_then(|e| e.code), Some(1942));
    }
}
