//! Raw calls: any path of the API through the client's own send path.

use std::borrow::Cow;

use crate::{Client, Method, RawRequest};

impl Client {
    /// A call to any path of the API, for an operation or a field this
    /// version of the SDK does not know yet: the client's key, retries,
    /// timeouts, rate limit, origin checks, redaction, errors, observer
    /// and traces, as for every generated call. `template` is the path as
    /// the API documents it, parameters in braces (`/reserved_domains/{id}`),
    /// filled with [`RawRequest::path_param`]. `.await` it for a
    /// `serde_json::Value`, or [`decode`](RawRequest::decode) into any
    /// type; walk a list with [`items`](RawRequest::items) or
    /// [`pages`](RawRequest::pages).
    ///
    /// ```no_run
    /// # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
    /// use ngrok_api::{Method, types::ReservedDomain};
    /// let domain: ReservedDomain =
    ///     client.raw(Method::GET, "/reserved_domains/{id}").path_param("id", "rd_123").decode().await?;
    /// let created = client
    ///     .raw(Method::POST, "/ip_policies")
    ///     .body(serde_json::json!({"description": "made raw"}))
    ///     .operation("ip_policies.create_raw")
    ///     .await?;
    /// println!("{} {}", domain.domain, created["id"]);
    /// # Ok(()) }
    /// ```
    pub fn raw(&self, method: Method, template: impl Into<Cow<'static, str>>) -> RawRequest {
        RawRequest::new(self.inner.clone(), method, template)
    }
}
