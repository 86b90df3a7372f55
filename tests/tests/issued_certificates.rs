//! Certificates the emulator issues are real: SSH host and user
//! certificates signed with the key of the SSH certificate authority that
//! the emulator made (checked with the `ssh-key` crate, and with
//! `ssh-keygen -L` where OpenSSH is installed), and the client certificate
//! of a Kubernetes operator binding issued from its CSR by the emulator's
//! certificate authority.

use std::collections::BTreeMap;

use ngrok_api::types::{KeyType, KubernetesOperatorBindingCreate};
use ngrok_api::{Client, ErrorCode};
use ngrok_api_mock::MockServer;
use ssh_key::certificate::CertType;
use ssh_key::{Certificate, HashAlg, PublicKey};

const HOST_KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOl3Tu0CqJfmhv5QTgeyF31BlbpyhnwjhkX3pNdq8b6Q host";
const USER_KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO+n8kcSz/8r4zl1OQwovm1LaKbos8aRQBim54i0OC3C user";

async fn started() -> (MockServer, Client) {
    let mock = MockServer::builder().no_default_seed().start().await.expect("the emulator starts");
    let client = Client::builder().api_key("test-key").base_url(mock.url()).build().expect("client");
    (mock, client)
}

fn seconds(t: &ngrok_api::Timestamp) -> u64 {
    u64::try_from(t.unix_seconds()).expect("after 1970")
}

/// Reads a certificate and checks it against the CA key that signed it,
/// at a moment inside its window and at one past its end.
fn signed_by(text: &str, ca: &str, after: u64, until: u64) -> Certificate {
    let cert = Certificate::from_openssh(text).expect("an OpenSSH certificate");
    let ca = PublicKey::from_openssh(ca).expect("the CA's public key");
    let fingerprint = ca.fingerprint(HashAlg::Sha256);
    assert_eq!(cert.signature_key(), ca.key_data(), "signed by the CA's key");
    cert.validate_at(after + 1, [&fingerprint]).expect("valid inside its window, signed by the CA");
    assert!(cert.validate_at(until + 1, [&fingerprint]).is_err(), "invalid past its end");
    assert_eq!((cert.valid_after(), cert.valid_before()), (after, until));
    cert
}

/// Whether `ssh-keygen` is installed (`-L` reads a certificate file); the
/// `ssh-key` checks run either way.
fn ssh_keygen() -> bool {
    let found = std::process::Command::new("ssh-keygen").arg("-?").output().is_ok();
    if !found {
        eprintln!("ssh-keygen is not installed: certificates checked with the ssh-key crate only");
    }
    found
}

/// What `ssh-keygen -L -f` prints for a certificate.
fn keygen_listing(cert: &str) -> String {
    let dir = std::env::temp_dir().join(format!("ngrok-api-certs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let file = dir.join(format!("{:x}-cert.pub", cert.len() ^ cert.as_bytes()[cert.len() / 2] as usize));
    std::fs::write(&file, cert).expect("the certificate file");
    let out = std::process::Command::new("ssh-keygen").arg("-L").arg("-f").arg(&file).output().expect("ssh-keygen runs");
    let _ = std::fs::remove_file(&file);
    assert!(out.status.success(), "ssh-keygen -L refused it: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn ssh_certificates_are_signed_by_their_authority() {
    let (_mock, c) = started().await;
    for kind in [KeyType::Ed25519, KeyType::Ecdsa, KeyType::Rsa] {
        let ca = c.ssh_certificate_authorities().create().private_key_type(kind.clone()).await.expect("a CA");
        assert_eq!(ca.key_type, kind);
        let host = c.ssh_host_certificates().create(&ca.id, HOST_KEY).principals(["h.example.com".to_string()]).await.expect("a host certificate");
        let (after, until) = (seconds(&host.valid_after), seconds(&host.valid_until));
        assert_eq!(until - after, 365 * 86_400, "a host certificate is good for a year by default");
        let cert = signed_by(&host.certificate, &ca.public_key, after, until);
        assert_eq!(cert.cert_type(), CertType::Host);
        assert_eq!(cert.valid_principals(), ["h.example.com"]);
        assert_eq!(cert.public_key(), PublicKey::from_openssh(HOST_KEY).expect("key").key_data(), "the given key is certified");
        assert!(cert.extensions().is_empty() && cert.critical_options().is_empty());
        assert_eq!(cert.key_id(), host.id);
        if ssh_keygen() {
            let listing = keygen_listing(&host.certificate);
            assert!(listing.contains("host certificate") && listing.contains("h.example.com"), "{listing}");
        }
    }
}

#[tokio::test]
async fn user_certificates_carry_the_request_and_the_defaults() {
    let (_mock, c) = started().await;
    let ca = c.ssh_certificate_authorities().create().private_key_type(KeyType::Ed25519).await.expect("a CA");
    let plain = c.ssh_user_certificates().create(&ca.id, USER_KEY).principals(["deploy".to_string()]).await.expect("a user certificate");
    let (after, until) = (seconds(&plain.valid_after), seconds(&plain.valid_until));
    assert_eq!(until - after, 86_400, "a user certificate is good for 24 hours by default");
    let cert = signed_by(&plain.certificate, &ca.public_key, after, until);
    assert_eq!(cert.cert_type(), CertType::User);
    assert_eq!(cert.valid_principals(), ["deploy"]);
    let ext: Vec<&str> = cert.extensions().keys().map(String::as_str).collect();
    assert_eq!(ext, ["permit-pty", "permit-user-rc"], "the default extensions are in the certificate");
    assert_eq!(plain.extensions.keys().map(String::as_str).collect::<Vec<_>>(), ext);

    let opts = BTreeMap::from([("force-command".to_string(), "uptime".to_string())]);
    let exts = BTreeMap::from([("permit-port-forwarding".to_string(), String::new())]);
    let from: ngrok_api::Timestamp = "2031-05-01T00:00:00Z".parse().expect("time");
    let to: ngrok_api::Timestamp = "2031-05-03T12:00:00Z".parse().expect("time");
    let asked = c
        .ssh_user_certificates()
        .create(&ca.id, USER_KEY)
        .principals(["ops".to_string(), "root".to_string()])
        .critical_options(opts)
        .extensions(exts)
        .valid_after(from)
        .valid_until(to)
        .await
        .expect("a user certificate with options");
    let cert = signed_by(&asked.certificate, &ca.public_key, seconds(&asked.valid_after), seconds(&asked.valid_until));
    assert_eq!(cert.valid_after(), 1_935_360_000, "the window asked for");
    assert_eq!(cert.valid_principals(), ["ops", "root"]);
    assert_eq!(cert.critical_options().get("force-command").map(String::as_str), Some("uptime"));
    assert_eq!(cert.extensions().keys().map(String::as_str).collect::<Vec<_>>(), ["permit-port-forwarding"]);
    if ssh_keygen() {
        let listing = keygen_listing(&asked.certificate);
        for want in ["user certificate", "ops", "force-command uptime", "permit-port-forwarding", "2031-05-01"] {
            assert!(listing.contains(want), "`{want}` missing from:\n{listing}");
        }
    }
}

#[tokio::test]
async fn bad_keys_and_options_are_refused_with_ngroks_codes() {
    let (_mock, c) = started().await;
    let ca = c.ssh_certificate_authorities().create().private_key_type(KeyType::Ed25519).await.expect("a CA");
    let bad = c.ssh_user_certificates().create(&ca.id, "ssh-ed25519 AAAAnotakey").await.expect_err("a broken key");
    assert_eq!(bad.code(), Some(ErrorCode::SshPublicKeyInvalid), "{bad}");
    let bad = c.ssh_host_certificates().create(&ca.id, "hello").await.expect_err("not a key");
    assert_eq!(bad.code(), Some(ErrorCode::SshPublicKeyInvalid), "{bad}");
    let curve = c.ssh_certificate_authorities().create().private_key_type(KeyType::Ecdsa).elliptic_curve("P-999").await;
    assert_eq!(curve.expect_err("an unknown curve").code(), Some(ErrorCode::SshEllipticCurveInvalid));
    let p384 = c.ssh_certificate_authorities().create().private_key_type(KeyType::Ecdsa).elliptic_curve("P-384").await.expect("P-384");
    assert!(p384.public_key.starts_with("ecdsa-sha2-nistp384 "), "{}", p384.public_key);
    let size = c.ssh_certificate_authorities().create().private_key_type(KeyType::Ed25519).key_size(4096).await;
    assert_eq!(size.expect_err("a size for ed25519").code(), Some(ErrorCode::SshKeySizeNeedsRsa));
}

#[tokio::test]
async fn an_operator_binding_gets_a_certificate_for_its_csr() {
    let (mock, c) = started().await;
    let key = rcgen::KeyPair::generate().expect("a key");
    let mut params = rcgen::CertificateParams::new(vec!["operator.example.com".to_string()]).expect("params");
    params.distinguished_name.push(rcgen::DnType::CommonName, "k8s-operator");
    let csr = params.serialize_request(&key).expect("a CSR").pem().expect("PEM");
    let binding = KubernetesOperatorBindingCreate { csr: Some(csr), ..Default::default() };
    let op = c.kubernetes_operators().create().enabled_features(["bindings".to_string()]).binding(binding).await.expect("an operator");
    let issued = op.binding.map(|b| b.cert).expect("a binding");
    assert!(issued.cert.starts_with("-----BEGIN CERTIFICATE-----"), "a certificate in the binding: {issued:?}");
    let ca_pem = mock.operator_ca_pem().expect("the emulator's CA");
    let (_, leaf) = x509_parser::pem::parse_x509_pem(issued.cert.as_bytes()).expect("PEM");
    let leaf = leaf.parse_x509().expect("X.509");
    let (_, ca) = x509_parser::pem::parse_x509_pem(ca_pem.as_bytes()).expect("PEM");
    let ca = ca.parse_x509().expect("X.509");
    assert_eq!(leaf.public_key().raw, rcgen::PublicKeyData::subject_public_key_info(&key).as_slice(), "the CSR's key is certified");
    assert_eq!(leaf.subject().iter_common_name().next().and_then(|n| n.as_str().ok()), Some("k8s-operator"));
    assert_eq!(leaf.issuer(), ca.subject(), "issued by the emulator's CA");
    leaf.verify_signature(Some(ca.public_key())).expect("signed by the emulator's CA");
    assert_eq!(leaf.validity().not_before.timestamp(), issued.not_before.unix_seconds());
    assert_eq!(leaf.validity().not_after.timestamp(), issued.not_after.unix_seconds());
    assert!(!leaf.is_ca());

    // A new CSR on update gets a new certificate; another change keeps it.
    let kept = c.kubernetes_operators().update(&op.id).description("renamed").await.expect("update");
    assert_eq!(kept.binding.map(|b| b.cert.cert), Some(issued.cert.clone()));
    let other = rcgen::KeyPair::generate().expect("a key");
    let csr = rcgen::CertificateParams::new(vec![]).expect("params").serialize_request(&other).expect("CSR").pem().expect("PEM");
    let binding = ngrok_api::types::KubernetesOperatorBindingUpdate { csr: Some(csr), ..Default::default() };
    let renewed = c.kubernetes_operators().update(&op.id).binding(binding).await.expect("update");
    let renewed = renewed.binding.map(|b| b.cert).expect("a binding");
    let (_, leaf) = x509_parser::pem::parse_x509_pem(renewed.cert.as_bytes()).expect("PEM");
    assert_eq!(leaf.parse_x509().expect("X.509").public_key().raw, rcgen::PublicKeyData::subject_public_key_info(&other).as_slice());

    let bad = KubernetesOperatorBindingCreate { csr: Some("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n".into()), ..Default::default() };
    let refused = c.kubernetes_operators().create().binding(bad).await.expect_err("a broken CSR");
    assert_eq!(refused.code(), Some(ErrorCode::OperatorCsrRejected), "{refused}");
}

#[tokio::test]
async fn an_authority_still_signs_after_a_restart_from_its_state_file() {
    let dir = std::env::temp_dir().join(format!("ngrok-api-ca-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let state = dir.join("state.json");
    let _ = std::fs::remove_file(&state);
    let start = || async {
        let mock = MockServer::builder().no_default_seed().state_file(&state).start().await.expect("the emulator starts");
        let client = Client::builder().api_key("test-key").base_url(mock.url()).build().expect("client");
        (mock, client)
    };
    let (mock, c) = start().await;
    let ca = c.ssh_certificate_authorities().create().private_key_type(KeyType::Ed25519).await.expect("a CA");
    drop(mock);
    let (_mock, c) = start().await;
    let again = c.ssh_certificate_authorities().get(&ca.id).await.expect("the CA after the restart");
    assert_eq!(again, ca, "no private key in the answer, and the same public key");
    let cert = c.ssh_user_certificates().create(&ca.id, USER_KEY).await.expect("a certificate after the restart");
    signed_by(&cert.certificate, &ca.public_key, seconds(&cert.valid_after), seconds(&cert.valid_until));
    let saved = std::fs::read_to_string(&state).expect("the state file");
    assert!(saved.contains("OPENSSH PRIVATE KEY"), "the state file keeps the authority's private key");
    let _ = std::fs::remove_dir_all(&dir);
}
