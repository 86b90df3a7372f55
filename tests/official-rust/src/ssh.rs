//! The SSH services: certificate authorities, credentials, and the host and
//! user certificates an authority signs.

use ngrok_api::Client;
use ngrok_api::types;

use crate::{META, Outcome, Report, ensure, is_missing, why};

/// Distinct Ed25519 public keys (a credential's key is held once).
const KEYS: [&str; 3] = [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOl3Tu0CqJfmhv5QTgeyF31BlbpyhnwjhkX3pNdq8b6Q",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO+n8kcSz/8r4zl1OQwovm1LaKbos8aRQBim54i0OC3C",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG97WkIs8iMJcCrKMrH5MuFS2zsUtlSLsEy6LgXJxsfu",
];

const CERT_TYPE: &str = "ssh-ed25519-cert-v01@openssh.com ";

fn described(d: &str) -> Option<String> {
    Some(d.to_string())
}

async fn authorities(c: &Client) -> Outcome {
    let kinds = ["ed25519", "ecdsa", "rsa"];
    crud!(c.ssh_certificate_authorities(), FilteredPaging, ssh_certificate_authorities,
        |i| types::SSHCertificateAuthorityCreate { description: "made by the official crate".into(), metadata: META.into(), private_key_type: kinds[i].into(), ..Default::default() },
        |id| types::SSHCertificateAuthorityUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed" && u.key_type == "ed25519" && u.public_key.starts_with("ssh-ed25519 "))
}

async fn credentials(c: &Client) -> Outcome {
    crud!(c.ssh_credentials(), FilteredPaging, ssh_credentials,
        |i| types::SSHCredentialCreate { description: "made by the official crate".into(), metadata: META.into(), acl: vec!["bind:*.example.com".into()], public_key: KEYS[i].into(), ..Default::default() },
        |id| types::SSHCredentialUpdate { id, description: described("changed"), acl: Some(vec!["bind:x.example.com".into()]), ..Default::default() },
        |u| u.description == "changed" && u.acl == ["bind:x.example.com"] && u.public_key == KEYS[0])
}

async fn authority(c: &Client) -> Result<String, String> {
    let create = types::SSHCertificateAuthorityCreate { description: "made by the official crate".into(), metadata: META.into(), private_key_type: "ed25519".into(), ..Default::default() };
    Ok(c.ssh_certificate_authorities().create(&create).await.map_err(why("create an authority"))?.id)
}

async fn host_certificates(c: &Client) -> Outcome {
    let ca = authority(c).await?;
    let round: Outcome = crud!(c.ssh_host_certificates(), Paging, ssh_host_certificates,
        |i| types::SSHHostCertificateCreate { description: "made by the official crate".into(), metadata: META.into(), ssh_certificate_authority_id: ca.clone(), public_key: KEYS[i].into(), principals: vec![format!("host{i}.example.com")], ..Default::default() },
        |id| types::SSHHostCertificateUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed" && u.certificate.starts_with(CERT_TYPE) && u.principals == ["host0.example.com"] && !u.valid_until.is_empty());
    round?;
    // The authority goes once nothing it signed is left.
    c.ssh_certificate_authorities().delete(&ca).await.map_err(why("delete the authority"))
}

async fn user_certificates(c: &Client) -> Outcome {
    let ca = authority(c).await?;
    let made = c
        .ssh_user_certificates()
        .create(&types::SSHUserCertificateCreate { description: "made by the official crate".into(), metadata: META.into(), ssh_certificate_authority_id: ca.clone(), public_key: KEYS[0].into(), ..Default::default() })
        .await
        .map_err(why("create"))?;
    // The crate sends `extensions: {}`, an empty set on purpose.
    ensure(made.extensions.is_empty() && made.certificate.starts_with(CERT_TYPE), "create: extensions or certificate")?;
    let in_use = c.ssh_certificate_authorities().delete(&ca).await;
    ensure(matches!(&in_use, Err(ngrok_api::Error::Ngrok(e)) if e.error_code == "ERR_NGROK_1964"), "an authority in use was deleted")?;
    c.ssh_user_certificates().delete(&made.id).await.map_err(why("delete"))?;
    crud!(c.ssh_user_certificates(), Paging, ssh_user_certificates,
        |i| types::SSHUserCertificateCreate { description: "made by the official crate".into(), metadata: META.into(), ssh_certificate_authority_id: ca.clone(), public_key: KEYS[i].into(), principals: vec!["deploy".into()], ..Default::default() },
        |id| types::SSHUserCertificateUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed" && u.certificate.starts_with(CERT_TYPE) && u.principals == ["deploy"] && u.key_type == "ed25519")
}

async fn missing_authority(c: &Client) -> Outcome {
    let create = types::SSHHostCertificateCreate { description: "made by the official crate".into(), metadata: META.into(), ssh_certificate_authority_id: "sshca_none".into(), public_key: KEYS[0].into(), ..Default::default() };
    let r = c.ssh_host_certificates().create(&create).await;
    ensure(matches!(&r, Err(ngrok_api::Error::Ngrok(e)) if e.error_code == "ERR_NGROK_1949"), "a certificate named a missing authority")?;
    ensure(!is_missing(&r), "refused as a missing object")
}

pub async fn run(c: &Client, r: &mut Report) {
    r.check("ssh_certificate_authorities", authorities(c)).await;
    r.check("ssh_credentials", credentials(c)).await;
    r.check("ssh_host_certificates", host_certificates(c)).await;
    r.check("ssh_user_certificates", user_certificates(c)).await;
    r.check("ssh_host_certificates (missing authority)", missing_authority(c)).await;
}
