//! The table against the real description.
use super::*;

#[test]
fn every_operation_routes_to_itself() {
    let t = table();
    assert!(!t.services.is_empty());
    for (si, s) in t.services.iter().enumerate() {
        for (oi, op) in s.ops.iter().enumerate() {
            let segs = parse_path(&op.path);
            let filled: Vec<String> = segs
                .iter()
                .map(|seg| match seg {
                    Seg::Lit(l) => l.clone(),
                    Seg::Param(p) => format!("x_{p}"),
                })
                .collect();
            let got: Vec<&str> = filled.iter().map(String::as_str).collect();
            let (r, params) = t.route(&op.method, &got).expect("every operation routes");
            assert_eq!((r.service, r.op), (si, oi), "{} {}", op.method, op.path);
            assert_eq!(params.len(), op.path_params.len());
        }
    }
}

#[test]
fn routes_resolve_with_their_parameters() {
    let t = table();
    let (r, params) = t.route("GET", &["edges", "https", "edghts_1", "routes", "edghtsrt_2"]).expect("route");
    assert_eq!(t.services[r.service].accessor, "edges.https_routes");
    assert_eq!(params, vec!["edghts_1", "edghtsrt_2"]);
    let (r, _) = t.route("PUT", &["edges", "https", "e", "routes", "r", "backend"]).expect("module");
    assert_eq!(t.op(r).kind, OpKind::Replace);
    assert!(t.route("GET", &["nothing"]).is_none());
}

#[test]
fn nesting_and_modules_come_from_the_description() {
    let t = table();
    let routes = t.service_index("edges.https_routes").expect("routes");
    let edges = t.service_index("edges.https").expect("edges");
    assert_eq!(t.services[routes].parent, Some((edges, "edge_id".to_string())));
    assert!(t.services[edges].children.contains(&routes));
    let module = t.service_index("edge_modules.https_edge_route_backend").expect("module");
    match &t.services[module].storage {
        Storage::Module { parent, field } => {
            assert_eq!(*parent, routes);
            assert_eq!(field, "backend");
        }
        Storage::Collection => panic!("not a module"),
    }
    let sources = t.service_index("event_sources").expect("sources");
    assert_eq!(t.services[sources].key_param(), "type");
    assert!(t.services[sources].parent.is_some());
    let subs = t.service_index("event_subscriptions").expect("subscriptions");
    assert_eq!(t.child_fields(subs), vec![("sources", sources)]);
    assert_eq!(t.child_fields(edges), vec![("routes", routes)]);
}

#[test]
fn replace_operations_send_their_module_as_the_body() {
    let t = table();
    let replaces: Vec<&Operation> =
        t.services.iter().flat_map(|s| &s.ops).filter(|o| o.kind == OpKind::Replace).collect();
    assert!(!replaces.is_empty());
    for op in replaces {
        assert_eq!(op.body_field.as_deref(), Some("module"), "{}", op.path);
    }
}
