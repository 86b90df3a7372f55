//! The TLS crypto provider behind the `rustls-ring` feature.
//!
//! reqwest's own `rustls` feature (the SDK's default) brings aws-lc-rs,
//! whose C build takes longer than the rest of the SDK's dependencies
//! together. With `rustls-ring` the SDK asks reqwest for rustls without a
//! provider and brings `ring` instead, which it installs as the process
//! default unless the program installed one of its own first.

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
