//! Fields the server works out for a new object from the request itself:
//! the kind of a key (asked for, or read from the given public key), with
//! the checks on the options of a key the server makes. The rules go by
//! field names and types of the resource type, not by service. (The key
//! itself and the certificates signed with it are computed fields: see
//! [`crate::compute`] and [`crate::ssh`].)

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::table::{FieldType, Shape, Table};

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
/// `key_type` is the `private_key_type` asked for, else the kind of the
/// given `public_key`, else `rsa`. For a key the server makes (the type
/// has a `key_type` and nothing gave a `public_key`), a `key_size` or an
/// `elliptic_curve` that does not fit the kind is refused with ngrok's code.
pub(crate) fn fill(table: &Table, resource_type: &str, obj: &mut Map<String, Value>) -> Result<(), ApiError> {
    let key_type = field_type(table, resource_type, "key_type");
    if key_type.is_none() {
        return Ok(());
    }
    let mut kind: Option<String> = obj.get("key_type").and_then(Value::as_str).map(str::to_string);
    if kind.is_none() {
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
    if empty(obj, "public_key") {
        let bits = obj.get("key_size").and_then(Value::as_u64);
        let curve = obj.get("elliptic_curve").and_then(Value::as_str);
        crate::ssh::check_options(kind.as_deref().unwrap_or("rsa"), bits, curve)?;
    }
    Ok(())
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
    fn the_key_kind_is_the_one_asked_for_or_the_given_keys() {
        let t = crate::table::table();
        let mut ca = Map::new();
        ca.insert("private_key_type".into(), "ed25519".into());
        assert!(fill(t, "SSHCertificateAuthority", &mut ca).is_ok());
        assert_eq!(ca["key_type"], "ed25519");
        let mut plain = Map::new();
        assert!(fill(t, "SSHCertificateAuthority", &mut plain).is_ok());
        assert_eq!(plain["key_type"], "rsa");
        let given = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICrG0ye4VNje73RypVX+c9ChNKFkyMWirP+Sd29M2e6w me";
        let mut cert = Map::new();
        cert.insert("public_key".into(), given.into());
        assert!(fill(t, "SSHUserCertificate", &mut cert).is_ok());
        assert_eq!(cert["key_type"], "ed25519");
        assert_eq!(cert["public_key"], given, "a given key is kept");
        // Types without these fields are left alone.
        let mut policy = Map::new();
        assert!(fill(t, "IPPolicy", &mut policy).is_ok());
        assert!(policy.is_empty());
    }

    #[test]
    fn options_that_do_not_fit_the_kind_are_refused() {
        let t = crate::table::table();
        let mut ca = Map::new();
        ca.insert("private_key_type".into(), "ed25519".into());
        ca.insert("key_size".into(), 4096.into());
        assert_eq!(fill(t, "SSHCertificateAuthority", &mut ca).err().and_then(|e| e.code), Some(1940));
        let mut ca = Map::new();
        ca.insert("private_key_type".into(), "ecdsa".into());
        ca.insert("elliptic_curve".into(), "P-999".into());
        assert_eq!(fill(t, "SSHCertificateAuthority", &mut ca).err().and_then(|e| e.code), Some(1941));
    }
}
