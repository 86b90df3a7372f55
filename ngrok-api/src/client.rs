//! The client programs hold: the runtime's client, with the services as
//! its accessors (generated) and the ways to make one (here).

use std::fmt;

use crate::{ClientBuilder, runtime};

/// A client of the ngrok API. Cheap to clone (the clones share one
/// connection pool); every service is an accessor on it.
///
/// Make one with [`Client::new`] (a key, every default),
/// [`Client::from_env`] (`NGROK_API_KEY`), or [`Client::builder`] /
/// [`Client::builder_from_env`] for every option.
///
/// ```no_run
/// # async fn demo() -> Result<(), ngrok_api::Error> {
/// let client = ngrok_api::Client::new("my-api-key");
/// let policy = client.ip_policies().create().description("office").await?;
/// println!("{}", policy.id);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    /// The settings and send path, which the services' requests carry.
    pub(crate) inner: runtime::Client,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl Client {
    /// A client for the API at `https://api.ngrok.com` with this key and
    /// the default retry policy and timeouts. If the key is unusable (empty,
    /// or not valid in a header), every call fails with a configuration
    /// error that says so.
    pub fn new(api_key: impl Into<String>) -> Client {
        ClientBuilder::default().api_key(api_key).build_lenient()
    }

    /// A builder for every option.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client from the environment: the key from `NGROK_API_KEY`, and the
    /// base URL from `NGROK_API_URL` when it is set. To change any other
    /// option as well, start from [`builder_from_env`](Self::builder_from_env)
    /// instead.
    pub fn from_env() -> crate::Result<Client> {
        Self::builder_from_env()?.build()
    }

    /// A builder preset from the environment, like [`from_env`](Self::from_env),
    /// to set more options on:
    /// `Client::builder_from_env()?.timeout(Duration::from_secs(5)).build()?`.
    /// A missing or blank `NGROK_API_KEY`, or an `NGROK_API_URL` that is not
    /// an acceptable base URL, is an error naming the variable.
    pub fn builder_from_env() -> crate::Result<ClientBuilder> {
        ClientBuilder::from_env()
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url()
    }
}
