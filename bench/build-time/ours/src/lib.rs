//! Empty: only the dependency is built.

/// One call, compiled here as a program making it would.
#[cfg(feature = "one-call")]
pub fn one_call(
    client: &ngrok_api::Client,
) -> std::pin::Pin<Box<dyn Future<Output = Result<ngrok_api::types::IpPolicy, ngrok_api::Error>> + Send + '_>> {
    Box::pin(async move { client.ip_policies().get("ipp_1").await })
}
