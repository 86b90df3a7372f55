//! A cloud endpoint with a typed traffic policy: reserve a domain, create
//! an endpoint on it whose policy limits requests per client, answers
//! `/health` itself, adds a header and forwards the rest to an internal
//! endpoint; then change one action and read the policy back as a typed
//! value.
//!
//! `NGROK_API_KEY=... cargo run -p cloud-endpoint -- app.example.com` (and
//! `NGROK_API_URL` to point it at the emulator). The endpoint and the
//! domain are removed at the end.

use ngrok_api::traffic_policy::{
    Action, AddHeaders, CustomResponse, ForwardInternal, RateLimit, RateLimitAlgorithm, Rule, TrafficPolicy,
};
use ngrok_api::types::EndpointType;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let domain = std::env::args().nth(1).unwrap_or_else(|| "cloud-endpoint-example.ngrok.app".to_string());
    let client = ngrok_api::Client::from_env()?;

    let reserved = client.reserved_domains().create().domain(&domain).description("cloud endpoint example").await?;
    println!("reserved {} ({})", reserved.domain, reserved.id);

    let policy = TrafficPolicy::new()
        .on_http_request(
            Rule::new()
                .name("limit each client")
                .action(RateLimit::new("per-client", RateLimitAlgorithm::SlidingWindow, 30, "60s", ["conn.client_ip"])),
        )
        .on_http_request(
            Rule::new()
                .name("health check")
                .expression("req.url.path == '/health'")
                .action(CustomResponse::new().status_code(200).headers([("content-type", "text/plain")]).body("ok")),
        )
        .on_http_request(
            Rule::new()
                .name("the app")
                .action(AddHeaders::new().headers([("x-served-by", "cloud-endpoint-example")]))
                .action(ForwardInternal::new("https://app.internal")),
        );
    // The checks the API applies, before sending: every problem at once.
    policy.validate_for_cloud_endpoint()?;

    let endpoint = client.endpoints().create(format!("https://{domain}"), EndpointType::Cloud, &policy).await?;
    println!("created {} at {}", endpoint.id, endpoint.url);

    // Change one action: a larger rate limit.
    let mut changed: TrafficPolicy = endpoint.traffic_policy.parse()?;
    for action in changed.on_http_request.iter_mut().flat_map(|r| r.actions.iter_mut()) {
        if let Action::RateLimit(limit) = action {
            limit.capacity = Some(120);
        }
    }
    changed.validate_for_cloud_endpoint()?;
    let updated = client.endpoints().update(&endpoint.id).traffic_policy(&changed).await?;

    // Read back as a typed value.
    let read: TrafficPolicy = client.endpoints().get(&updated.id).await?.traffic_policy.parse()?;
    for (i, rule) in read.on_http_request.iter().enumerate() {
        let kinds: Vec<&str> = rule.actions.iter().map(Action::kind).collect();
        println!("rule {i} ({}): {}", rule.name.as_deref().unwrap_or("unnamed"), kinds.join(", "));
    }
    if let Some(Action::RateLimit(limit)) = read.on_http_request.first().and_then(|r| r.actions.first()) {
        println!("rate limit: {} requests per {}", limit.capacity.unwrap_or_default(), limit.rate.as_deref().unwrap_or_default());
    }
    println!("read back the policy as sent: {}", read == changed);

    // A policy the API would refuse is caught before it is sent.
    let broken = changed.clone().on_http_response(Rule::new().action(RateLimit::new("x", RateLimitAlgorithm::SlidingWindow, 0, "65s", ["conn.client_ip"])));
    if let Err(problems) = broken.validate() {
        for p in &problems {
            println!("refused before sending: {p}");
        }
    }

    client.endpoints().delete(&endpoint.id).await?;
    client.reserved_domains().delete(&reserved.id).await?;
    println!("removed {} and {}", endpoint.id, reserved.id);
    Ok(())
}
