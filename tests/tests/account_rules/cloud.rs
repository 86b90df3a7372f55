//! The rules of cloud endpoints and what they use: a public URL needs a
//! domain or address the account reserved, an `.internal` one needs none
//! and is bound internally, a domain in use (by a cloud endpoint or an
//! edge) stays, and a weighted backend lists only backends that exist.

use std::collections::BTreeMap;

use ngrok_api::ErrorCode;
use ngrok_api::types::EndpointType;

use super::{Made, POLICY, Run, accepted, expect, refused};

fn refers_to(r: Option<&ngrok_api::types::Ref>, id: &str) -> bool {
    r.is_some_and(|r| r.id == id)
}

pub(super) async fn a_public_cloud_endpoint_needs_a_reserved_domain(run: &mut Run) -> Result<(), String> {
    let c = run.client.clone();
    let host = format!("{}.example.com", run.name("public"));
    let url = format!("https://{host}");
    refused(c.endpoints().create(&url, EndpointType::Cloud, POLICY).await, ErrorCode::EndpointUrlNotReserved)?;
    let domain = accepted(c.reserved_domains().create().domain(&host).await, "the domain")?;
    run.made(Made::Domain(domain.id.clone()));
    let ep = accepted(c.endpoints().create(&url, EndpointType::Cloud, POLICY).await, "the endpoint once its domain is reserved")?;
    run.made(Made::Endpoint(ep.id.clone()));
    expect(refers_to(ep.domain.as_ref(), &domain.id), || format!("the endpoint refers to {}: {:?}", domain.id, ep.domain))?;
    expect(ep.bindings == ["public"], || format!("a public endpoint is bound `public`: {:?}", ep.bindings))?;
    // Moving it to a URL the account has not reserved is refused too.
    refused(c.endpoints().update(&ep.id).url(format!("https://moved-{host}")).await, ErrorCode::EndpointUrlNotReserved)?;
    // An internal URL needs no reservation and is bound `internal`.
    let internal = format!("https://{}.internal", run.name("svc"));
    let ep = accepted(c.endpoints().create(&internal, EndpointType::Cloud, POLICY).await, "an internal endpoint")?;
    run.made(Made::Endpoint(ep.id.clone()));
    expect(ep.bindings == ["internal"], || format!("an .internal endpoint is bound `internal`: {:?}", ep.bindings))?;
    expect(ep.domain.is_none(), || format!("an internal endpoint has no domain: {:?}", ep.domain))?;
    Ok(())
}

pub(super) async fn a_wildcard_domain_covers_one_label(run: &mut Run) -> Result<(), String> {
    let c = run.client.clone();
    let base = format!("{}.example.com", run.name("wild"));
    let wild = accepted(c.reserved_domains().create().domain(format!("*.{base}")).await, "a wildcard domain")?;
    run.made(Made::Domain(wild.id.clone()));
    let ep = accepted(c.endpoints().create(format!("https://app.{base}"), EndpointType::Cloud, POLICY).await, "a covered host")?;
    run.made(Made::Endpoint(ep.id.clone()));
    expect(refers_to(ep.domain.as_ref(), &wild.id), || format!("the endpoint refers to the wildcard {}: {:?}", wild.id, ep.domain))?;
    let deeper = format!("https://a.b.{base}");
    refused(c.endpoints().create(deeper, EndpointType::Cloud, POLICY).await, ErrorCode::EndpointUrlNotReserved)?;
    refused(c.endpoints().create(format!("https://{base}"), EndpointType::Cloud, POLICY).await, ErrorCode::EndpointUrlNotReserved)?;
    Ok(())
}

pub(super) async fn a_domain_in_use_by_a_cloud_endpoint_cannot_go(run: &mut Run) -> Result<(), String> {
    let c = run.client.clone();
    let host = format!("{}.example.com", run.name("used"));
    let domain = accepted(c.reserved_domains().create().domain(&host).await, "the domain")?;
    run.made(Made::Domain(domain.id.clone()));
    let ep = accepted(c.endpoints().create(format!("https://{host}"), EndpointType::Cloud, POLICY).await, "the endpoint")?;
    run.made(Made::Endpoint(ep.id.clone()));
    let deleted = c.reserved_domains().delete(&domain.id).await;
    let named = deleted.as_ref().err().is_some_and(|e| e.to_string().contains(&format!("`{host}`")));
    refused(deleted, ErrorCode::DomainInUse)?;
    expect(named, || format!("the refusal names the domain `{host}`"))?;
    accepted(c.endpoints().delete(&ep.id).await, "deleting the endpoint")?;
    accepted(c.reserved_domains().delete(&domain.id).await, "deleting the domain once unused")?;
    Ok(())
}

pub(super) async fn a_tcp_cloud_endpoint_needs_a_reserved_address(run: &mut Run) -> Result<(), String> {
    let c = run.client.clone();
    let addr = accepted(c.reserved_addrs().create().description(run.name("addr")).await, "an address")?;
    run.made(Made::Addr(addr.id.clone()));
    let (host, port) = addr.addr.rsplit_once(':').ok_or_else(|| format!("an address is host:port: {}", addr.addr))?;
    let port: u16 = port.parse().map_err(|e| format!("{}: {e}", addr.addr))?;
    let other = if port > 10_000 { port - 1 } else { port + 1 };
    let unreserved = format!("tcp://{host}:{other}");
    let policy = r#"{"on_tcp_connect":[{"actions":[{"type":"deny"}]}]}"#;
    refused(c.endpoints().create(unreserved, EndpointType::Cloud, policy).await, ErrorCode::EndpointUrlNotReserved)?;
    let ep = accepted(c.endpoints().create(format!("tcp://{}", addr.addr), EndpointType::Cloud, policy).await, "the reserved address")?;
    run.made(Made::Endpoint(ep.id.clone()));
    expect(refers_to(ep.tcp_addr.as_ref(), &addr.id), || format!("the endpoint refers to {}: {:?}", addr.id, ep.tcp_addr))?;
    Ok(())
}

/// Needs write access to backends: the emulator gives it; a live account
/// without it (most, since edges were sunset) refuses the first write, and
/// the scenario can say nothing there.
pub(super) async fn a_weighted_backend_lists_backends_that_exist(run: &mut Run) -> Result<(), String> {
    let c = run.client.clone();
    let made = c.backends().static_address().create().address("10.0.0.1:443").description(run.name("child")).await;
    let child = match made {
        Err(e) if e.code() == Some(ErrorCode::EdgesReadOnly) => {
            eprintln!("this account cannot write backends ({e}); nothing to check");
            return Ok(());
        }
        other => accepted(other, "a static backend")?,
    };
    run.made(Made::Backend(child.id.clone()));
    let missing = BTreeMap::from([("bkdst_2QJ0000000000000000000000000".to_string(), 1)]);
    refused(c.backends().weighted().create().backends(missing).await, ErrorCode::BackendReferenceNotFound)?;
    let weights = BTreeMap::from([(child.id.clone(), 10)]);
    let parent = accepted(c.backends().weighted().create().backends(weights).await, "weights of a backend that exists")?;
    run.made(Made::Backend(parent.id.clone()));
    let bad = BTreeMap::from([("bkdst_2QJ0000000000000000000000001".to_string(), 1)]);
    refused(c.backends().weighted().update(&parent.id).backends(bad).await, ErrorCode::BackendReferenceNotFound)?;
    refused(c.backends().static_address().delete(&child.id).await, ErrorCode::BackendInUse)?;
    accepted(c.backends().weighted().delete(&parent.id).await, "deleting the weighted backend")?;
    accepted(c.backends().static_address().delete(&child.id).await, "deleting the unused backend")?;
    Ok(())
}

/// Needs write access to edges, as the weighted backend's scenario does.
pub(super) async fn a_domain_an_edge_serves_cannot_go(run: &mut Run) -> Result<(), String> {
    let c = run.client.clone();
    let host = format!("{}.example.com", run.name("edged"));
    let domain = accepted(c.reserved_domains().create().domain(&host).await, "the domain")?;
    run.made(Made::Domain(domain.id.clone()));
    let made = c.edges().https().create().hostports([format!("{host}:443")]).description(run.name("edge")).await;
    let edge = match made {
        Err(e) if e.code() == Some(ErrorCode::EdgesReadOnly) => {
            eprintln!("this account cannot write edges ({e}); nothing to check");
            return Ok(());
        }
        other => accepted(other, "an edge serving the domain")?,
    };
    run.made(Made::HttpsEdge(edge.id.clone()));
    refused(c.reserved_domains().delete(&domain.id).await, ErrorCode::DomainInUse)?;
    accepted(c.edges().https().delete(&edge.id).await, "deleting the edge")?;
    accepted(c.reserved_domains().delete(&domain.id).await, "deleting the domain once no edge serves it")?;
    Ok(())
}

/// ngrok documents no code for this refusal: a 400 is what is checked.
pub(super) async fn an_internal_host_has_at_most_five_labels(run: &mut Run) -> Result<(), String> {
    let c = run.client.clone();
    let tag = run.name("deep");
    let six = format!("https://a.b.c.d.{tag}.x.internal");
    match c.endpoints().create(six.clone(), EndpointType::Cloud, POLICY).await {
        Err(e) if e.status() == Some(ngrok_api::StatusCode::BAD_REQUEST) => {}
        Err(e) => return Err(format!("{six}: expected a 400, got {e}")),
        Ok(ep) => {
            run.made(Made::Endpoint(ep.id.clone()));
            return Err(format!("{six}: six labels before `.internal` were accepted"));
        }
    }
    let five = format!("https://b.c.d.{tag}.x.internal");
    let ep = accepted(c.endpoints().create(five, EndpointType::Cloud, POLICY).await, "five labels before `.internal`")?;
    run.made(Made::Endpoint(ep.id.clone()));
    Ok(())
}
