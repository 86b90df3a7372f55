//! Services and their operations.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::field::{Shape, TypeDef};

/// The whole API: every service and every type, checked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Api {
    /// Services in client-tree order (the order of their files).
    pub services: Vec<Service>,
    /// Every named type, shared ones first, then by owning service.
    pub types: Vec<TypeDef>,
    /// ngrok's error codes the SDK names and the emulator sends.
    #[serde(default)]
    pub error_codes: Vec<ErrorCodeDef>,
}

/// One of ngrok's documented error codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorCodeDef {
    /// The number: `413` is `ERR_NGROK_413`.
    pub code: u32,
    /// The Rust variant name (`DomainAlreadyReserved`).
    pub rust_name: String,
    /// The HTTP status ngrok documents for it, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// ngrok's message, with upper-case placeholders in backticks that the
    /// server fills in (`Failed to reserve \`DOMAIN\`.`).
    pub message: String,
    /// When the API sends it.
    pub description: String,
}

impl ErrorCodeDef {
    /// The code as the API writes it: `ERR_NGROK_413`.
    pub fn wire(&self) -> String {
        format!("ERR_NGROK_{}", self.code)
    }
}

impl Api {
    /// The error code with this number, if the description has it.
    pub fn error_code(&self, code: u32) -> Option<&ErrorCodeDef> {
        self.error_codes.iter().find(|e| e.code == code)
    }
}

/// One service: a node of the client tree with operations.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Service {
    /// Dotted accessor path, e.g. `edges.https`.
    pub accessor: String,
    /// The Rust name of the service handle, e.g. `HttpsEdges`.
    pub rust_name: String,
    /// What the service manages.
    pub description: String,
    /// Prefix of the IDs of the resources it creates, e.g. `ipp_`.
    pub id_prefix: Option<String>,
    /// ngrok's reference page for the service, when the one derived from
    /// its name is not it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
    /// For a collection nested under the objects of another service (the
    /// routes of an HTTPS edge): that service and the path parameter naming
    /// the parent object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Parent>,
    /// For a service that manages one sub-object of another service's
    /// objects (an edge module): where that sub-object lives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<ModuleSlot>,
    /// Its operations, in file order.
    pub operations: Vec<Operation>,
    /// What it manages: the type of one object and where one lives,
    /// resolved once from its `get` operation when the spec is built.
    pub resource: Resource,
    /// For a service ngrok has sunset (edges, their routes and modules,
    /// backends): what replaces it. Its objects can still be read; writes
    /// are refused for most accounts (`ERR_NGROK_7196`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy: Option<String>,
    /// The rules the server applies across the service's objects.
    #[serde(default, skip_serializing_if = "crate::Rules::is_empty")]
    pub rules: crate::Rules,
    /// The spec file it came from, relative to the spec directory.
    pub file: String,
}

/// The objects a service manages, as its `get` operation states them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// The type of one object (what `get` returns): `IPPolicy`.
    pub type_name: String,
    /// The path of one object, parameters unfilled: `/ip_policies/{id}`.
    pub item_path: String,
    /// The path parameter that names the object itself (the last one):
    /// `id`. Those before it name its parent (`edge_id`). For an edge
    /// module, it names the object carrying the module.
    pub key: String,
}

/// The service whose objects hold a nested collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parent {
    /// Accessor of the parent service (`edges.https`).
    pub service: String,
    /// The path parameter holding the parent object's ID (`edge_id`).
    pub param: String,
}

/// Where an edge module lives: one field of another service's objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleSlot {
    /// Accessor of the service whose objects carry the module (`edges.https_routes`).
    pub of: String,
    /// The field of those objects that holds it (`backend`).
    pub field: String,
}

impl Service {
    /// The accessor's parts: `["edges", "https"]`.
    pub fn parts(&self) -> Vec<&str> {
        self.accessor.split('.').collect()
    }

    /// The last accessor part: the method name on its parent.
    pub fn leaf(&self) -> &str {
        self.accessor.rsplit('.').next().unwrap_or(&self.accessor)
    }

    /// The group this service sits in (`edges`), if it is nested.
    pub fn group(&self) -> Option<&str> {
        self.accessor.split_once('.').map(|(g, _)| g)
    }
}

/// What kind of call an operation is; decides its generated shape and the
/// emulator's behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationKind {
    /// POST to a collection: makes a resource.
    Create,
    /// GET of a collection: pages of resources.
    List,
    /// GET of one resource.
    Get,
    /// PATCH of one resource: merge the given fields.
    Update,
    /// DELETE of one resource.
    Delete,
    /// PUT of a sub-object (an edge module).
    Replace,
    /// Anything else (restart, stop, get_bound_endpoints, ...).
    Action,
}

/// One HTTP operation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Operation {
    /// snake_case name, the method name on the service (`create`).
    pub name: String,
    /// What kind of call it is.
    pub kind: OperationKind,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template, e.g. `/edges/https/{edge_id}/routes/{id}`.
    pub path: String,
    /// Names of the path parameters, in order.
    pub path_params: Vec<String>,
    /// What the call does.
    pub description: String,
    /// Request body type, if any.
    pub body: Option<String>,
    /// When set, only this field of the body type goes on the wire, as the
    /// whole body (an edge module's PUT sends the module itself; the path
    /// names the edge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_field: Option<String>,
    /// Response body type, if any (none for 204).
    pub returns: Option<String>,
    /// Success status code.
    pub status: u16,
    /// Paging, for lists.
    pub paging: Option<Paging>,
    /// Extra query-argument type (its non-paging fields become query parameters).
    pub query: Option<String>,
    /// Required body fields (besides those filled from path parameters).
    pub required: Vec<String>,
    /// For lists: the response's array field and its item type.
    pub items: Option<ListItems>,
    /// For an action that removes one field of an object (`DELETE
    /// /reserved_domains/{id}/certificate`): the field it clears.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clears: Option<String>,
}

/// The paging arguments a list takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paging {
    /// Whether the list takes a CEL `filter`.
    pub filter: bool,
}

/// Where a list page keeps its items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListItems {
    /// The array field of the page type (`ip_policies`).
    pub field: String,
    /// The item type (`IPPolicy`).
    pub item_type: String,
}

impl Api {
    /// Finds a type by its spec name.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }

    /// Finds a service by its accessor.
    pub fn service(&self, accessor: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.accessor == accessor)
    }

    /// The service whose objects path parameter `param` of `svc`'s
    /// operations names: `svc` for its own key, the service it is nested
    /// under for the parent's parameter (`edge_id`), and so on up. An edge
    /// module's parameters name the object that carries it.
    pub fn named_by<'a>(&'a self, svc: &'a Service, param: &str) -> Option<&'a Service> {
        let mut at = match &svc.module {
            Some(slot) => self.service(&slot.of)?,
            None => svc,
        };
        for _ in 0..self.services.len() {
            if at.resource.key == param {
                return Some(at);
            }
            let parent = at.parent.as_ref()?;
            at = self.service(&parent.service)?;
            if parent.param == param {
                return Some(at);
            }
        }
        None
    }

    /// The services a `refers_to` names: the service with that accessor, or
    /// every service of the group with that name (`backends`).
    pub fn referred_services<'a>(&'a self, refers_to: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
        self.services.iter().filter(move |s| s.accessor == refers_to || s.group() == Some(refers_to))
    }

    /// Names of every type reachable from a request body or query: these
    /// keep every field optional, since callers send only what they set.
    pub fn input_types(&self) -> BTreeSet<String> {
        self.reachable(self.services.iter().flat_map(|s| s.operations.iter()).flat_map(|o| o.body.iter().chain(o.query.iter())))
    }

    /// Names of every type reachable from a response: these follow what the
    /// server sends (`nullable`, `omit_empty`, always sent).
    pub fn output_types(&self) -> BTreeSet<String> {
        self.reachable(self.services.iter().flat_map(|s| s.operations.iter()).flat_map(|o| o.returns.iter()))
    }

    /// Names of every type reachable from `roots` through struct fields.
    fn reachable<'a>(&'a self, roots: impl Iterator<Item = &'a String>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = roots.cloned().collect();
        while let Some(n) = stack.pop() {
            if !seen.insert(n.clone()) {
                continue;
            }
            if let Some(TypeDef { shape: Shape::Struct { fields }, .. }) = self.type_def(&n) {
                for f in fields {
                    if let Some(m) = f.ty.named() {
                        stack.push(m.to_string());
                    }
                }
            }
        }
        seen
    }
}
