//! When, and from where, a client loads the root certificates it checks
//! servers against.
//!
//! The test points `SSL_CERT_FILE` and `SSL_CERT_DIR` (which the platform
//! store honours on Linux) at a CA of its own, made for the test, and
//! watches both with inotify, which reports every open of the file and of
//! the directory, by anyone in the process. Then:
//!
//! - building clients (for `http://` and `https://` base URLs) and calling
//!   an `http://` server opens neither;
//! - 100 clients, each calling an HTTPS server on loopback whose
//!   certificate that CA signed, load the roots once between them;
//! - with the platform's roots (the default), that server is trusted,
//!   while one signed by another CA is refused; with the `webpki-roots`
//!   feature, the test's CA is not trusted and nothing is opened at all.
//!
//! One test, in a process of its own: the roots are loaded once per
//! process, so what comes first matters.
#![cfg(all(target_os = "linux", any(feature = "rustls", feature = "rustls-ring")))]

use std::io::{BufRead as _, BufReader};
use std::net::{IpAddr, Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use inotify::{Inotify, WatchMask};
use ngrok_api::{Client, ErrorKind};
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, SanType};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A CA made for the test, able to sign server certificates for 127.0.0.1.
struct Ca {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl Ca {
    fn new(name: &str) -> Ca {
        let key = KeyPair::generate().expect("a CA key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let cert = params.self_signed(&key).expect("a self-signed CA");
        Ca { pem: cert.pem(), issuer: Issuer::new(params, key) }
    }

    /// A certificate and key for a server at 127.0.0.1.
    fn server_cert(&self) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
        let key = KeyPair::generate().expect("a server key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("server parameters");
        params.subject_alt_names.push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        params.extended_key_usages.push(ExtendedKeyUsagePurpose::ServerAuth);
        let cert = params.signed_by(&key, &self.issuer).expect("a signed server certificate");
        (cert.der().clone(), PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())))
    }
}

const NOT_FOUND: &str = r#"{"error_code":"ERR_NGROK_404","status_code":404,"msg":"not found","details":{}}"#;

/// Answers every request with a 404 API error, then closes the connection.
fn answer(stream: &mut (impl std::io::Read + std::io::Write)) {
    let mut reader = BufReader::new(&mut *stream);
    let mut line = String::new();
    // The request's head; a get has no body.
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let response = format!(
        "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{NOT_FOUND}",
        NOT_FOUND.len()
    );
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}

/// A server on loopback, on a thread of its own, over TLS with `tls` or
/// plain HTTP without; its base URL.
fn serve(tls: Option<(CertificateDer<'static>, PrivateKeyDer<'static>)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("its address").port();
    let config = tls.map(|(cert, key)| {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .expect("a server certificate");
        Arc::new(config)
    });
    let scheme = if config.is_some() { "https" } else { "http" };
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let config = config.clone();
            std::thread::spawn(move || serve_one(stream, config));
        }
    });
    format!("{scheme}://127.0.0.1:{port}")
}

fn serve_one(mut stream: TcpStream, config: Option<Arc<rustls::ServerConfig>>) {
    match config {
        None => answer(&mut stream),
        Some(config) => {
            let Ok(conn) = rustls::ServerConnection::new(config) else { return };
            // A handshake the client refuses ends in an error here.
            answer(&mut rustls::StreamOwned::new(conn, stream));
        }
    }
}

/// Counts the opens of the watched certificate file and directory.
struct Opens {
    inotify: Inotify,
    buffer: Vec<u8>,
}

impl Opens {
    fn watch(paths: &[&Path]) -> Opens {
        let inotify = Inotify::init().expect("inotify");
        for path in paths {
            inotify.watches().add(path, WatchMask::OPEN).expect("a watch on a certificate path");
        }
        Opens { inotify, buffer: vec![0; 4096] }
    }

    /// How many opens were reported since the last look.
    fn take(&mut self) -> usize {
        let mut n = 0;
        loop {
            match self.inotify.read_events(&mut self.buffer) {
                Ok(events) => n += events.count(),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return n,
                Err(e) => panic!("reading inotify events: {e}"),
            }
        }
    }
}

fn builder(base: &str) -> ngrok_api::ClientBuilder {
    Client::builder().api_key("key").base_url(base).retry_policy(ngrok_api::RetryPolicy::none())
}

/// A call that reaches the server ends in its 404; one refused during the
/// handshake, in a connection error.
async fn call(client: &Client) -> ngrok_api::Error {
    client.ip_policies().get("ipp_1").await.expect_err("the server answers 404 or is refused")
}

#[test]
fn roots_are_loaded_once_and_only_for_tls() {
    let dir: PathBuf = std::env::temp_dir().join(format!("ngrok-api-tls-roots-{}", std::process::id()));
    let certs = dir.join("certs");
    std::fs::create_dir_all(&certs).expect("a temporary directory");
    let trusted = Ca::new("ngrok-api test CA");
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, &trusted.pem).expect("the CA file");
    // SAFETY: this is the process's only test, and nothing else in it
    // reads or writes the environment meanwhile: the servers and the
    // runtime start after this.
    unsafe {
        std::env::set_var("SSL_CERT_FILE", &ca_file);
        std::env::set_var("SSL_CERT_DIR", &certs);
    }
    let mut opens = Opens::watch(&[&ca_file, &certs]);
    let plain = serve(None);
    let good = serve(Some(trusted.server_cert()));
    let bad = serve(Some(Ca::new("another CA").server_cert()));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");

    // Clients built for either scheme, and calls over plain HTTP: no TLS
    // is needed, so nothing is loaded.
    let built: Vec<Client> = (0..100).map(|_| Client::new("key")).collect();
    assert!(built.iter().all(|c| c.base_url().starts_with("https://")));
    runtime.block_on(async {
        for _ in 0..10 {
            let client = builder(&plain).build().expect("a client for http://");
            assert_eq!(call(&client).await.status().map(|s| s.as_u16()), Some(404), "plain HTTP reaches the server");
        }
    });
    assert_eq!(opens.take(), 0, "no certificate file or directory is opened before a TLS connection");
    assert_eq!(ngrok_api::runtime::root_loads(), 0);

    // 100 clients, each with a connection of its own to an HTTPS server.
    let outcomes: Vec<ngrok_api::Error> = runtime.block_on(async {
        let mut outcomes = Vec::new();
        for _ in 0..100 {
            outcomes.push(call(&builder(&good).build().expect("a client for https://")).await);
        }
        outcomes
    });
    let refused = runtime.block_on(async { call(&builder(&bad).build().expect("a client for https://")).await });
    assert_eq!(ngrok_api::runtime::root_loads(), 1, "100 clients load the roots once");

    #[cfg(not(feature = "webpki-roots"))]
    {
        // The platform's roots: the CA in SSL_CERT_FILE is trusted, read
        // once (the file and the directory opened once each).
        for e in &outcomes {
            assert_eq!(e.status().map(|s| s.as_u16()), Some(404), "a server signed by the CA in SSL_CERT_FILE is trusted: {e}");
        }
        assert_eq!(opens.take(), 2, "the CA file and directory are read once for 100 clients");
        assert_eq!(refused.kind(), ErrorKind::Connect, "a server signed by another CA is refused: {refused}");
    }
    #[cfg(feature = "webpki-roots")]
    {
        // Mozilla's roots, compiled in: the test's CA is not among them,
        // and no file is read.
        for e in outcomes.iter().chain([&refused]) {
            assert_eq!(e.kind(), ErrorKind::Connect, "only the compiled-in roots are trusted: {e}");
        }
        assert_eq!(opens.take(), 0, "compiled-in roots read no file");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
