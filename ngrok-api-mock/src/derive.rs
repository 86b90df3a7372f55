//! Fields the server works out for a new object when the request does not
//! give them: the kind and public half of a generated key, the signed
//! certificate of an SSH certificate, a validity window. The rules go by
//! field names and types of the resource type, not by service.

use serde_json::{Map, Value};

use crate::table::{FieldType, Shape, Table};
use crate::util::{Rng, base64, rfc3339};

/// One year, in seconds: the default validity of a certificate.
const YEAR_SECS: u64 = 365 * 86_400;

/// The key kinds that the SSH wire names below describe.
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

fn wire_name(kind: &str) -> &'static str {
    KINDS.iter().find(|(k, _)| *k == kind).map(|(_, w)| *w).unwrap_or("ssh-rsa")
}

/// Appends an SSH wire-format string (length-prefixed bytes).
fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

fn random_bytes(rng: &Rng, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        out.extend_from_slice(&rng.next().to_be_bytes());
    }
    out.truncate(n);
    out
}

/// The key blob of a random public key of `kind`, in SSH wire format.
fn key_blob(rng: &Rng, kind: &str) -> Vec<u8> {
    let mut blob = Vec::with_capacity(300);
    put(&mut blob, wire_name(kind).as_bytes());
    match kind {
        "ed25519" => put(&mut blob, &random_bytes(rng, 32)),
        "ecdsa" => {
            put(&mut blob, b"nistp256");
            let mut point = vec![4u8];
            point.extend(random_bytes(rng, 64));
            put(&mut blob, &point);
        }
        _ => {
            put(&mut blob, &[1, 0, 1]);
            let mut modulus = vec![0u8];
            modulus.extend(random_bytes(rng, 256));
            modulus[1] |= 0x80;
            put(&mut blob, &modulus);
        }
    }
    blob
}

/// A random OpenSSH public key line of `kind` (`ssh-ed25519 AAAA...`).
pub(crate) fn public_key(rng: &Rng, kind: &str) -> String {
    format!("{} {}", wire_name(kind), base64(&key_blob(rng, kind)))
}

/// An OpenSSH certificate line for a key of `kind`: the certificate type,
/// a nonce and a key, then random bytes standing in for the rest.
pub(crate) fn certificate(rng: &Rng, kind: &str) -> String {
    let cert_type = format!("{}-cert-v01@openssh.com", wire_name(kind));
    let mut blob = Vec::with_capacity(512);
    put(&mut blob, cert_type.as_bytes());
    put(&mut blob, &random_bytes(rng, 32));
    let key = key_blob(rng, kind);
    // The key's fields without its own type name.
    blob.extend_from_slice(&key[4 + wire_name(kind).len()..]);
    blob.extend(random_bytes(rng, 96));
    format!("{cert_type} {}", base64(&blob))
}

fn field_type<'t>(table: &'t Table, type_name: &str, field: &str) -> Option<&'t FieldType> {
    table.fields(type_name).iter().find(|f| f.name == field).map(|f| &f.ty)
}

fn is_enum_with(table: &Table, ty: Option<&FieldType>, value: &str) -> bool {
    match ty {
        Some(FieldType::Named(n)) => match table.ty(n).map(|t| &t.shape) {
            Some(Shape::Enum { values }) => values.iter().any(|v| v.value == value),
            _ => false,
        },
        _ => false,
    }
}

fn empty(obj: &Map<String, Value>, field: &str) -> bool {
    match obj.get(field) {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        _ => false,
    }
}

/// Fills the derived fields of a new object `obj` whose resource type is
/// `resource_type`, where the object does not already carry them:
///
/// - `key_type`: the `private_key_type` asked for, else the kind of the
///   given `public_key`, else `rsa`;
/// - `public_key` (a generated key pair): a random key of that kind;
/// - `certificate` beside a `public_key`: a random OpenSSH certificate of
///   the key's kind;
/// - `valid_after` / `valid_until`: now and one year on.
pub(crate) fn fill(table: &Table, rng: &Rng, resource_type: &str, obj: &mut Map<String, Value>, now_secs: u64) {
    let has = |f: &str| field_type(table, resource_type, f);
    let key_type = has("key_type");
    let mut kind: Option<String> = obj.get("key_type").and_then(Value::as_str).map(str::to_string);
    if key_type.is_some() && kind.is_none() {
        let asked = obj
            .get("private_key_type")
            .and_then(Value::as_str)
            .filter(|k| is_enum_with(table, key_type, k))
            .map(str::to_string);
        let seen = obj.get("public_key").and_then(Value::as_str).and_then(key_kind).map(str::to_string);
        let chosen = asked.or(seen).unwrap_or_else(|| "rsa".to_string());
        if is_enum_with(table, key_type, &chosen) {
            obj.insert("key_type".into(), Value::String(chosen.clone()));
            kind = Some(chosen);
        }
    }
    let kind = kind.unwrap_or_else(|| "rsa".to_string());
    if key_type.is_some() && has("public_key") == Some(&FieldType::String) && empty(obj, "public_key") {
        obj.insert("public_key".into(), Value::String(public_key(rng, &kind)));
    }
    if has("certificate") == Some(&FieldType::String)
        && has("public_key").is_some()
        && empty(obj, "certificate")
        && !empty(obj, "public_key")
    {
        obj.insert("certificate".into(), Value::String(certificate(rng, &kind)));
    }
    if has("valid_after") == Some(&FieldType::Timestamp) && has("valid_until") == Some(&FieldType::Timestamp) {
        if empty(obj, "valid_after") {
            obj.insert("valid_after".into(), Value::String(rfc3339(now_secs)));
        }
        if empty(obj, "valid_until") {
            obj.insert("valid_until".into(), Value::String(rfc3339(now_secs + YEAR_SECS)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn generated_keys_look_like_openssh_keys() {
        let rng = Rng::new();
        let k = public_key(&rng, "ed25519");
        // The wire form of the type name always encodes to this prefix.
        assert!(k.starts_with("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"), "{k}");
        assert_eq!(key_kind(&k), Some("ed25519"));
        assert!(public_key(&rng, "rsa").starts_with("ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB"));
        assert!(public_key(&rng, "ecdsa").starts_with("ecdsa-sha2-nistp256 AAAAE2VjZHNh"));
        assert_ne!(public_key(&rng, "ed25519"), k);
        let c = certificate(&rng, "ed25519");
        assert!(c.starts_with("ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29t"), "{c}");
    }

    #[test]
    fn certificate_authorities_get_a_key_of_the_kind_asked_for() {
        let t = crate::table::table();
        let rng = Rng::new();
        let mut ca = Map::new();
        ca.insert("private_key_type".into(), "ed25519".into());
        fill(t, &rng, "SSHCertificateAuthority", &mut ca, 0);
        assert_eq!(ca["key_type"], "ed25519");
        assert!(ca["public_key"].as_str().is_some_and(|k| k.starts_with("ssh-ed25519 AAAA")));
        let mut plain = Map::new();
        fill(t, &rng, "SSHCertificateAuthority", &mut plain, 0);
        assert_eq!(plain["key_type"], "rsa");
        assert!(plain["public_key"].as_str().is_some_and(|k| k.starts_with("ssh-rsa AAAA")));
        assert!(!plain.contains_key("certificate"));
    }

    #[test]
    fn certificates_are_signed_for_the_given_key() {
        let t = crate::table::table();
        let rng = Rng::new();
        let given = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICrG0ye4VNje73RypVX+c9ChNKFkyMWirP+Sd29M2e6w me";
        let mut cert = Map::new();
        cert.insert("public_key".into(), given.into());
        fill(t, &rng, "SSHUserCertificate", &mut cert, 0);
        assert_eq!(cert["public_key"], given, "a given key is kept");
        assert_eq!(cert["key_type"], "ed25519");
        assert!(cert["certificate"].as_str().is_some_and(|c| c.starts_with("ssh-ed25519-cert-v01@openssh.com AAAA")));
        assert_eq!(cert["valid_after"], "1970-01-01T00:00:00Z");
        assert_eq!(cert["valid_until"], "1971-01-01T00:00:00Z");
        // Types without these fields are left alone.
        let mut policy = Map::new();
        fill(t, &rng, "IPPolicy", &mut policy, 0);
        assert!(policy.is_empty());
    }
}
