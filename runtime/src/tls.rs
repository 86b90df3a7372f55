//! TLS for the HTTP clients the SDK builds: the crypto provider, the roots
//! certificates are checked against, and when those roots are loaded.
//!
//! Left to itself, reqwest builds a verifier that reads every root
//! certificate of the system while the client is built: some 150 files on a
//! typical Linux, several milliseconds, for every client, even one whose
//! base URL is `http://` and never makes a TLS connection. With a rustls
//! backend the SDK hands reqwest a TLS configuration of its own instead,
//! whose verifier loads the roots on the first certificate it checks, once
//! for the whole process: every client built after that shares them.
//!
//! Which roots: the platform's by default (on Linux the system store, or
//! `SSL_CERT_FILE` / `SSL_CERT_DIR` when set; on macOS and Windows the
//! system's own verifier), so a CA that a company installs for its proxy is
//! trusted; or, with the `webpki-roots` feature, Mozilla's roots compiled
//! into the program, which costs no file at all.
//!
//! `rustls-ring` asks reqwest for rustls without a provider and brings
//! `ring` instead (reqwest's own `rustls` feature brings aws-lc-rs, whose C
//! build takes longer than the rest of the SDK's dependencies together); it
//! is installed as the process default unless the program installed one of
//! its own first.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many times this process has loaded the roots it checks servers'
/// certificates against.
static ROOT_LOADS: AtomicUsize = AtomicUsize::new(0);

/// How many times this process has loaded its trusted root certificates:
/// with rustls, 0 until the first TLS connection of a client the SDK
/// built, then 1 for good, however many clients there are (with
/// `native-tls` alone, 1 from the first client built). Not a stable API: it exists so
/// that tests can check the loading happens once and only when needed.
#[doc(hidden)]
pub fn root_loads() -> usize {
    ROOT_LOADS.load(Ordering::Relaxed)
}

/// Installs `ring` as the process's default rustls provider, unless one is
/// installed already. Runs before any `reqwest::Client` is built by the SDK
/// (and when a [`Config`](super::Config), so a `ClientBuilder`, is made, so a client
/// built by the caller for `ClientBuilder::http_client`
/// in the same expression finds it too).
#[cfg(feature = "rustls-ring")]
pub(crate) fn ensure_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Refused only when another thread installed a provider in the
        // meantime; that one is then the default, which is what we want.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Without `rustls-ring` there is nothing to install.
#[cfg(not(feature = "rustls-ring"))]
pub(crate) fn ensure_provider() {}

/// Sets the TLS of a client the SDK builds: with a rustls backend, a
/// configuration whose roots are loaded on first use (see the module's
/// docs); with `native-tls` alone, one connector for the whole process.
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, String> {
    #[cfg(any(feature = "rustls", feature = "rustls-ring"))]
    {
        Ok(builder.tls_backend_preconfigured(deferred::client_config()?))
    }
    #[cfg(all(feature = "native-tls", not(any(feature = "rustls", feature = "rustls-ring"))))]
    {
        Ok(builder.tls_backend_preconfigured(native_connector()?))
    }
    #[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
    {
        Ok(builder)
    }
}

/// The system TLS library's connector, as reqwest would make it for an
/// HTTP/1.1 client, made once: the library reads the system's roots when
/// it is made, so every client after the first shares them.
#[cfg(all(feature = "native-tls", not(any(feature = "rustls", feature = "rustls-ring"))))]
fn native_connector() -> Result<native_tls::TlsConnector, String> {
    static CONNECTOR: std::sync::OnceLock<Result<native_tls::TlsConnector, String>> = std::sync::OnceLock::new();
    CONNECTOR
        .get_or_init(|| {
            ROOT_LOADS.fetch_add(1, Ordering::Relaxed);
            native_tls::TlsConnector::builder()
                .request_alpns(&["http/1.1"])
                .build()
                .map_err(|e| format!("cannot start the system's TLS library: {e}"))
        })
        .clone()
}

#[cfg(any(feature = "rustls", feature = "rustls-ring"))]
mod deferred {
    use std::sync::{Arc, OnceLock};

    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::CryptoProvider;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{DigitallySignedStruct, SignatureScheme};

    use super::{Ordering, ROOT_LOADS};

    /// The rustls configuration of one client: HTTP/1.1 only (as the
    /// client is), TLS 1.2 and 1.3, and a verifier that loads no root
    /// until it checks a certificate. Building it reads no file.
    pub(super) fn client_config() -> Result<rustls::ClientConfig, String> {
        super::ensure_provider();
        let provider = provider();
        let mut config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS with the installed crypto provider: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Deferred { provider }))
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(config)
    }

    /// The provider the program installed as its default, else the one
    /// of the SDK's TLS feature (as reqwest itself chooses).
    fn provider() -> Arc<CryptoProvider> {
        if let Some(installed) = CryptoProvider::get_default() {
            return Arc::clone(installed);
        }
        #[cfg(feature = "rustls")]
        {
            Arc::new(rustls::crypto::aws_lc_rs::default_provider())
        }
        #[cfg(not(feature = "rustls"))]
        {
            Arc::new(rustls::crypto::ring::default_provider())
        }
    }

    /// Checks certificates against the process's roots, loaded when the
    /// first one is checked. Handshake signatures need no roots: they are
    /// checked with the client's provider alone.
    #[derive(Debug)]
    struct Deferred {
        provider: Arc<CryptoProvider>,
    }

    /// The verifier holding the process's roots, or why they could not be
    /// loaded; made once, by whichever handshake needs it first (the others
    /// wait for it).
    static SHARED: OnceLock<Result<Arc<dyn ServerCertVerifier>, rustls::Error>> = OnceLock::new();

    fn shared(provider: &Arc<CryptoProvider>) -> Result<&Arc<dyn ServerCertVerifier>, rustls::Error> {
        SHARED
            .get_or_init(|| {
                ROOT_LOADS.fetch_add(1, Ordering::Relaxed);
                load(provider)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Mozilla's roots, compiled in: nothing to read.
    #[cfg(feature = "webpki-roots")]
    fn load(provider: &Arc<CryptoProvider>) -> Result<Arc<dyn ServerCertVerifier>, rustls::Error> {
        let roots: rustls::RootCertStore = webpki_roots::TLS_SERVER_ROOTS.iter().cloned().collect();
        let verifier = rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(provider))
            .build()
            .map_err(|e| rustls::Error::General(format!("cannot use the compiled-in root certificates: {e}")))?;
        Ok(verifier)
    }

    /// The platform's roots and verifier, the same reqwest would build.
    #[cfg(not(feature = "webpki-roots"))]
    fn load(provider: &Arc<CryptoProvider>) -> Result<Arc<dyn ServerCertVerifier>, rustls::Error> {
        match rustls_platform_verifier::Verifier::new(Arc::clone(provider)) {
            Ok(verifier) => Ok(Arc::new(verifier)),
            Err(e) => Err(rustls::Error::General(format!(
                "cannot load the system's trusted root certificates ({e}): install the system's CA certificates, \
                 point SSL_CERT_FILE or SSL_CERT_DIR at them, or build ngrok-api with its `webpki-roots` feature"
            ))),
        }
    }

    impl ServerCertVerifier for Deferred {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            server_name: &ServerName<'_>,
            ocsp_response: &[u8],
            now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            shared(&self.provider)?.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.provider.signature_verification_algorithms.supported_schemes()
        }
    }
}

#[cfg(all(test, feature = "rustls-ring"))]
mod tests {
    #[test]
    fn a_default_provider_is_installed_once_a_builder_exists() {
        let _config = crate::Config::default();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
        // A client of the caller's own now builds, with the SDK's reqwest.
        assert!(reqwest::Client::builder().build().is_ok());
    }
}

#[cfg(all(test, any(feature = "rustls", feature = "rustls-ring")))]
mod build_tests {
    /// Building clients, for any base URL, loads no root: that waits for
    /// the first certificate to check.
    #[test]
    fn building_clients_loads_no_roots() {
        for base_url in ["http://127.0.0.1:9", "https://api.ngrok.com"] {
            for _ in 0..20 {
                let config = crate::Config { api_key: Some("key".into()), base_url: base_url.into(), ..Default::default() };
                assert!(config.build().is_ok(), "a client for {base_url} builds");
            }
        }
        // Other tests of this process make no TLS connection either.
        assert_eq!(super::root_loads(), 0);
    }
}
