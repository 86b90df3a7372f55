//! The sunset edge services (backends, edges, routes and a route module),
//! which the emulator accepts writes to when started with
//! `--legacy-writes`.

use std::collections::HashMap;

use ngrok_api::Client;
use ngrok_api::types;

use crate::{META, Outcome, Report, ensure, is_missing, why};

/// A response backend's headers: the crate cannot read a backend without
/// any (the API sends `null`).
fn plain_text() -> HashMap<String, String> {
    HashMap::from([("content-type".to_string(), "text/plain".to_string())])
}

fn described(d: &str) -> Option<String> {
    Some(d.to_string())
}

async fn http_response(c: &Client) -> Outcome {
    crud!(c.backends().http_response(), Paging, backends,
        |i| types::HTTPResponseBackendCreate { description: "made by the official crate".into(), metadata: META.into(), body: format!("reply {i}"), headers: plain_text(), status_code: Some(200) },
        |id| types::HTTPResponseBackendUpdate { id, status_code: Some(503), ..Default::default() },
        |u| u.status_code == 503 && u.body == "reply 0")
}

async fn static_address(c: &Client) -> Outcome {
    crud!(c.backends().static_address(), Paging, backends,
        |i| types::StaticBackendCreate { description: "made by the official crate".into(), metadata: META.into(), address: format!("app{i}.example.com:443"), ..Default::default() },
        |id| types::StaticBackendUpdate { id, address: "app9.example.com:443".into(), description: described("changed"), ..Default::default() },
        |u| u.address == "app9.example.com:443" && u.description == "changed")
}

async fn tunnel_group(c: &Client) -> Outcome {
    let labels = |i: usize| HashMap::from([("app".to_string(), format!("web{i}"))]);
    crud!(c.backends().tunnel_group(), Paging, backends,
        |i| types::TunnelGroupBackendCreate { description: "made by the official crate".into(), metadata: META.into(), labels: labels(i) },
        |id| types::TunnelGroupBackendUpdate { id, labels: labels(7), ..Default::default() },
        |u| u.labels == labels(7))
}

async fn a_backend(c: &Client) -> Result<String, String> {
    let create = types::HTTPResponseBackendCreate { description: "made by the official crate".into(), metadata: META.into(), body: "ok".into(), headers: plain_text(), status_code: Some(200) };
    Ok(c.backends().http_response().create(&create).await.map_err(why("create a backend"))?.id)
}

async fn failover(c: &Client) -> Outcome {
    let b = a_backend(c).await?;
    crud!(c.backends().failover(), Paging, backends,
        |_i| types::FailoverBackendCreate { description: "made by the official crate".into(), metadata: META.into(), backends: vec![b.clone()] },
        |id| types::FailoverBackendUpdate { id, description: described("changed"), backends: vec![b.clone()], ..Default::default() },
        |u| u.description == "changed" && u.backends == [b.clone()])
}

async fn weighted(c: &Client) -> Outcome {
    let b = a_backend(c).await?;
    let weights = |w: i64| HashMap::from([(b.clone(), w)]);
    crud!(c.backends().weighted(), Paging, backends,
        |i| types::WeightedBackendCreate { description: "made by the official crate".into(), metadata: META.into(), backends: weights(i as i64 + 1) },
        |id| types::WeightedBackendUpdate { id, backends: weights(50), ..Default::default() },
        |u| u.backends == weights(50))
}

async fn https_edges(c: &Client) -> Outcome {
    crud!(c.edges().https(), Paging, https_edges,
        |i| types::HTTPSEdgeCreate { metadata: META.into(), description: format!("edge {i}"), ..Default::default() },
        |id| types::HTTPSEdgeUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed")
}

async fn tcp_edges(c: &Client) -> Outcome {
    crud!(c.edges().tcp(), Paging, tcp_edges,
        |i| types::TCPEdgeCreate { metadata: META.into(), description: format!("edge {i}"), ..Default::default() },
        |id| types::TCPEdgeUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed")
}

async fn tls_edges(c: &Client) -> Outcome {
    crud!(c.edges().tls(), Paging, tls_edges,
        |i| types::TLSEdgeCreate { metadata: META.into(), description: format!("edge {i}"), ..Default::default() },
        |id| types::TLSEdgeUpdate { id, description: described("changed"), ..Default::default() },
        |u| u.description == "changed")
}

/// Routes live under an HTTPS edge; the edge lists them. A route module is
/// replaced, read and removed.
async fn routes(c: &Client, url: &str) -> Outcome {
    let edge = c.edges().https().create(&types::HTTPSEdgeCreate { description: "routes".into(), metadata: META.into(), ..Default::default() }).await.map_err(why("create an edge"))?.id;
    let r = c.edges().https_routes();
    let create = types::HTTPSEdgeRouteCreate { description: "made by the official crate".into(), metadata: META.into(), edge_id: edge.clone(), match_type: "path_prefix".into(), r#match: "/a".into(), ..Default::default() };
    let made = r.create(&create).await.map_err(why("create"))?;
    let item = types::EdgeRouteItem { edge_id: edge.clone(), id: made.id.clone() };
    ensure(r.get(&item).await.map_err(why("get"))?.r#match == "/a", "get: another route came back")?;
    let update = types::HTTPSEdgeRouteUpdate { edge_id: edge.clone(), id: made.id.clone(), match_type: "path_prefix".into(), r#match: "/b".into(), description: "changed".into(), metadata: META.into(), ..Default::default() };
    let changed = r.update(&update).await.map_err(why("update"))?;
    ensure(changed.r#match == "/b" && changed.description == "changed", "update: the change is not in the answer")?;
    let listed = c.edges().https().get(&edge).await.map_err(why("get the edge"))?;
    ensure(listed.routes.iter().any(|x| x.id == made.id), "the edge does not list its route")?;
    // The crate sends the whole `...Replace` struct where the API takes the
    // module alone, so its replace is refused; the module is set plainly.
    let m = c.edge_modules().https_edge_route_compression();
    let replace = types::EdgeRouteCompressionReplace { edge_id: edge.clone(), id: made.id.clone(), module: types::EndpointCompression { enabled: Some(true) } };
    let refused = match m.replace(&replace).await {
        Ok(_) => return Err("replace: the crate's module replace went through: check it in full now".into()),
        Err(e) => why("replace a module")(e),
    };
    ensure(refused.contains("ERR_NGROK_214") && refused.contains("`edge_id`"), format!("replace: {refused}"))?;
    let path = format!("/edges/https/{edge}/routes/{}/compression", made.id);
    let (status, _) = crate::plain(reqwest::Method::PUT, url, &path, Some(serde_json::json!({"enabled": true}))).await?;
    ensure(status == 200, format!("PUT {path}: {status}"))?;
    ensure(m.get(&item).await.map_err(why("get a module"))?.enabled == Some(true), "module: not set")?;
    m.delete(&item).await.map_err(why("delete a module"))?;
    r.delete(&item).await.map_err(why("delete"))?;
    ensure(is_missing(&r.get(&item).await), "get after delete: the route is still there")
}

pub async fn run(c: &Client, url: &str, r: &mut Report) {
    r.check("backends/http_response", http_response(c)).await;
    r.check("backends/static_address", static_address(c)).await;
    r.check("backends/tunnel_group", tunnel_group(c)).await;
    r.check("backends/failover", failover(c)).await;
    r.check("backends/weighted", weighted(c)).await;
    r.check("edges/https", https_edges(c)).await;
    r.check("edges/tcp", tcp_edges(c)).await;
    r.check("edges/tls", tls_edges(c)).await;
    r.check("edges/https_routes and a route module", routes(c, url)).await;
}
