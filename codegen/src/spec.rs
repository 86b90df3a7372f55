//! The API description: the YAML files under `spec/`, loaded and checked.
//!
//! `spec/shared.yaml` holds the types every service uses (`Ref`, paging,
//! the error body); `spec/services/**/<name>.yaml` holds one service: its
//! operations and the types it owns. The file's place in the tree is the
//! service's place in the client tree (`services/edges/https.yaml` is
//! `client.edges().https()`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// A problem found while loading or checking the description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The file the problem is in, relative to the spec directory.
    pub file: String,
    /// The item the problem is about, e.g. `operation create` or `type IpPolicy, field action`.
    pub item: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.item.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.item, self.message)
        }
    }
}

/// Every problem found in one pass, so a maintainer can fix them all at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the API description has {} problem(s):", self.0.len())?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

// ---------------------------------------------------------------------------
// The files as written.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedFile {
    types: Vec<RawType>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceFile {
    service: String,
    #[serde(default)]
    rust_name: Option<String>,
    description: String,
    #[serde(default)]
    id_prefix: Option<String>,
    operations: Vec<RawOperation>,
    #[serde(default)]
    types: Vec<RawType>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOperation {
    name: String,
    method: String,
    path: String,
    description: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    body_field: Option<String>,
    #[serde(default)]
    returns: Option<String>,
    status: u16,
    #[serde(default)]
    paging: Option<String>,
    #[serde(default)]
    items: Option<String>,
    #[serde(default)]
    query: Option<String>,
    #[serde(default)]
    required: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawType {
    name: String,
    #[serde(default)]
    rust_name: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    description: String,
    #[serde(default)]
    fields: Vec<RawField>,
    #[serde(default)]
    values: Vec<RawValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    description: String,
    #[serde(default)]
    secret: bool,
    #[serde(default)]
    max_bytes: Option<u32>,
    #[serde(default)]
    allowed: Vec<i64>,
    #[serde(default)]
    legacy: bool,
    #[serde(default)]
    nullable: bool,
    #[serde(default)]
    refers_to: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    value: String,
    #[serde(default)]
    rust_name: Option<String>,
    description: String,
}

// ---------------------------------------------------------------------------
// The checked model the generator works from.

/// The whole API: every service and every type, checked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Api {
    /// Services in client-tree order (the order of their files).
    pub services: Vec<Service>,
    /// Every named type, shared ones first, then by owning service.
    pub types: Vec<TypeDef>,
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
    /// Its operations, in file order.
    pub operations: Vec<Operation>,
    /// The spec file it came from, relative to the spec directory.
    pub file: String,
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

/// A named type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TypeDef {
    /// The name in the description (the upstream name, e.g. `IPPolicy`).
    pub name: String,
    /// The Rust name (`IpPolicy`).
    pub rust_name: String,
    /// What it is.
    pub description: String,
    /// The accessor of the owning service; `None` for shared types.
    pub owner: Option<String>,
    /// Struct fields or enum values.
    pub shape: Shape,
}

/// The shape of a named type.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shape {
    /// A JSON object with known fields.
    Struct {
        /// Its fields, in order.
        fields: Vec<Field>,
    },
    /// A string with a known (open) set of values.
    Enum {
        /// The known values.
        values: Vec<EnumValue>,
    },
}

/// A field of a struct.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Field {
    /// JSON name.
    pub name: String,
    /// Its type.
    pub ty: FieldType,
    /// What it means.
    pub description: String,
    /// Holds a secret: redacted from `Debug`.
    pub secret: bool,
    /// Longest allowed value in bytes, for strings.
    pub max_bytes: Option<u32>,
    /// Allowed values, for integers with a closed set.
    pub allowed: Vec<i64>,
    /// Listed upstream but not used by the live API; not exposed.
    pub legacy: bool,
    /// The API may send `null` for it (decoded like a missing value).
    pub nullable: bool,
    /// The service whose resource this ID (or list of IDs) names.
    pub refers_to: Option<String>,
}

/// A known value of an enum.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnumValue {
    /// Its wire spelling.
    pub value: String,
    /// Its Rust variant name.
    pub rust_name: String,
    /// What it means.
    pub description: String,
}

/// The type of a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "of", rename_all = "snake_case")]
pub enum FieldType {
    /// A string.
    String,
    /// A 32-bit integer.
    Int32,
    /// A 64-bit integer.
    Int64,
    /// An unsigned 32-bit integer.
    Uint32,
    /// An unsigned 64-bit integer.
    Uint64,
    /// A floating-point number.
    Float64,
    /// A boolean.
    Bool,
    /// An RFC 3339 timestamp.
    Timestamp,
    /// A named type from the description.
    Named(String),
    /// A JSON array.
    List(Box<FieldType>),
    /// A JSON object with string keys.
    Map(Box<FieldType>),
}

impl FieldType {
    /// Parses the spec's spelling: `string`, `list<Ref>`, `map<int64>`, `IPPolicy`.
    pub fn parse(s: &str) -> Result<FieldType, String> {
        let s = s.trim();
        if let Some(inner) = s.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
            return Ok(FieldType::List(Box::new(FieldType::parse(inner)?)));
        }
        if let Some(inner) = s.strip_prefix("map<").and_then(|r| r.strip_suffix('>')) {
            return Ok(FieldType::Map(Box::new(FieldType::parse(inner)?)));
        }
        Ok(match s {
            "string" => FieldType::String,
            "int32" => FieldType::Int32,
            "int64" => FieldType::Int64,
            "uint32" => FieldType::Uint32,
            "uint64" => FieldType::Uint64,
            "float64" => FieldType::Float64,
            "bool" => FieldType::Bool,
            "timestamp" => FieldType::Timestamp,
            other
                if !other.is_empty()
                    && other.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && other.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                FieldType::Named(other.to_string())
            }
            other => {
                return Err(format!(
                    "`{other}` is not a type: use string, int32, int64, uint32, uint64, float64, bool, timestamp, list<T>, map<T> or a type name"
                ));
            }
        })
    }

    /// Named types this type mentions.
    pub fn named(&self) -> Option<&str> {
        match self {
            FieldType::Named(n) => Some(n),
            FieldType::List(t) | FieldType::Map(t) => t.named(),
            _ => None,
        }
    }
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

    /// Names of every type reachable from a request body or query: these
    /// keep every field optional, since callers send only what they set.
    pub fn input_types(&self) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = self
            .services
            .iter()
            .flat_map(|s| s.operations.iter())
            .flat_map(|o| o.body.iter().chain(o.query.iter()).cloned())
            .collect();
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

/// Rust keywords that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move",
    "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true",
    "try", "type", "unsafe", "use", "where", "while", "yield", "abstract", "become", "do", "final",
    "macro", "override", "priv", "typeof", "unsized", "virtual",
];

/// A snake_case identifier, escaped when it is a keyword (`type` -> `r#type`).
pub fn rust_ident(name: &str) -> String {
    let snake = heck::ToSnakeCase::to_snake_case(name);
    if KEYWORDS.contains(&snake.as_str()) {
        if matches!(snake.as_str(), "self" | "Self" | "super" | "crate") {
            format!("{snake}_")
        } else {
            format!("r#{snake}")
        }
    } else {
        snake
    }
}

/// Whether `name` (possibly raw, `r#type`) parses as one Rust identifier.
fn is_rust_ident(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_ok()
}

/// The Rust type name for a spec name (`IPPolicy` -> `IpPolicy`).
pub fn rust_type_name(name: &str) -> String {
    let snake = heck::ToSnakeCase::to_snake_case(name);
    heck::ToUpperCamelCase::to_upper_camel_case(snake.as_str())
}

fn variant_name(value: &str) -> String {
    let cleaned: String = value
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    let mut name = heck::ToUpperCamelCase::to_upper_camel_case(lower.as_str());
    if name.chars().next().is_none_or(|c| c.is_ascii_digit()) {
        name = format!("V{name}");
    }
    name
}

fn service_rust_name(accessor: &str) -> String {
    let camel = |s: &str| heck::ToUpperCamelCase::to_upper_camel_case(s);
    match accessor.split_once('.') {
        None => camel(accessor),
        Some(("edges", leaf)) => format!("{}Edges", camel(leaf)),
        Some(("backends", leaf)) => format!("{}Backends", camel(leaf)),
        Some(("edge_modules", leaf)) => format!("{}Module", camel(leaf)),
        Some((group, leaf)) => format!("{}{}", camel(leaf), camel(group)),
    }
}

fn kind_of(op: &RawOperation) -> OperationKind {
    match (op.name.as_str(), op.method.as_str()) {
        ("create", "POST") => OperationKind::Create,
        ("list", "GET") => OperationKind::List,
        ("get", "GET") => OperationKind::Get,
        ("update", "PATCH") => OperationKind::Update,
        ("delete", "DELETE") => OperationKind::Delete,
        ("replace", "PUT") => OperationKind::Replace,
        _ => OperationKind::Action,
    }
}

fn path_params(path: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("path `{path}` has a `{{` with no closing `}}`"))?;
        let name = &after[..end];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            return Err(format!("path `{path}` has a bad parameter name `{{{name}}}`"));
        }
        out.push(name.to_string());
        rest = &after[end + 1..];
    }
    if !path.starts_with('/') {
        return Err(format!("path `{path}` must start with `/`"));
    }
    Ok(out)
}

/// Loads and checks the description in `dir` (the `spec/` directory).
pub fn load(dir: &Path) -> Result<Api, SpecErrors> {
    let mut errors = Vec::new();
    let mut files: Vec<(String, String)> = Vec::new();
    let shared_path = dir.join("shared.yaml");
    match std::fs::read_to_string(&shared_path) {
        Ok(text) => files.push(("shared.yaml".into(), text)),
        Err(e) => errors.push(SpecError {
            file: "shared.yaml".into(),
            item: String::new(),
            message: format!("cannot read it: {e}"),
        }),
    }
    let mut service_files = Vec::new();
    collect_yaml(&dir.join("services"), &mut service_files);
    service_files.sort();
    for p in &service_files {
        let rel = p.strip_prefix(dir).unwrap_or(p).to_string_lossy().replace('\\', "/");
        match std::fs::read_to_string(p) {
            Ok(text) => files.push((rel, text)),
            Err(e) => errors.push(SpecError { file: rel, item: String::new(), message: format!("cannot read it: {e}") }),
        }
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    load_texts(&files)
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_yaml(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

/// Loads and checks a description given as (file name, text) pairs: the
/// first is the shared file, the rest are services named
/// `services/<accessor path>.yaml`. Used by [`load`] and by tests.
pub fn load_texts(files: &[(String, String)]) -> Result<Api, SpecErrors> {
    let mut errors = Vec::new();
    let err = |errors: &mut Vec<SpecError>, file: &str, item: String, message: String| {
        errors.push(SpecError { file: file.to_string(), item, message })
    };
    let mut raw_types: Vec<(String, Option<String>, RawType)> = Vec::new();
    let mut services = Vec::new();
    for (i, (file, text)) in files.iter().enumerate() {
        if i == 0 {
            match serde_yaml_ng::from_str::<SharedFile>(text) {
                Ok(shared) => raw_types.extend(shared.types.into_iter().map(|t| (file.clone(), None, t))),
                Err(e) => err(&mut errors, file, String::new(), format!("not a valid shared-types file: {e}")),
            }
            continue;
        }
        let sf = match serde_yaml_ng::from_str::<ServiceFile>(text) {
            Ok(sf) => sf,
            Err(e) => {
                err(&mut errors, file, String::new(), format!("not a valid service file: {e}"));
                continue;
            }
        };
        let expected = file
            .strip_prefix("services/")
            .and_then(|f| f.strip_suffix(".yaml"))
            .map(|f| f.replace('/', "."));
        if expected.as_deref() != Some(sf.service.as_str()) {
            err(
                &mut errors,
                file,
                format!("service {}", sf.service),
                format!(
                    "the service name must match the file's place in services/ (expected `{}`)",
                    expected.unwrap_or_default()
                ),
            );
        }
        raw_types.extend(sf.types.into_iter().map(|t| (file.clone(), Some(sf.service.clone()), t)));
        services.push((file.clone(), sf.service, sf.rust_name, sf.description, sf.id_prefix, sf.operations));
    }

    // Types.
    let mut types = Vec::new();
    let mut type_files: BTreeMap<String, String> = BTreeMap::new();
    let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
    for (file, owner, t) in &raw_types {
        let item = format!("type {}", t.name);
        let duplicate = type_files.contains_key(&t.name);
        if let Some(prev) = type_files.get(&t.name) {
            err(&mut errors, file, item.clone(), format!("duplicate type name (also defined in {prev})"));
        } else {
            type_files.insert(t.name.clone(), file.clone());
        }
        if t.description.trim().is_empty() {
            err(&mut errors, file, item.clone(), "has no description".into());
        }
        let rust_name = t.rust_name.clone().unwrap_or_else(|| rust_type_name(&t.name));
        if !is_rust_ident(&rust_name) {
            err(&mut errors, file, item.clone(), format!("its Rust name `{rust_name}` is not a Rust identifier; set `rust_name`"));
        }
        if let Some(prev) = rust_names.insert(rust_name.clone(), t.name.clone()).filter(|_| !duplicate) {
            err(
                &mut errors,
                file,
                item.clone(),
                format!("its Rust name `{rust_name}` clashes with type `{prev}`; set `rust_name`"),
            );
        }
        let shape = match t.kind.as_deref() {
            None | Some("struct") => {
                if !t.values.is_empty() {
                    err(&mut errors, file, item.clone(), "a struct has `fields`, not `values`".into());
                }
                let mut seen = BTreeSet::new();
                let mut fields = Vec::new();
                for f in &t.fields {
                    let fitem = format!("type {}, field {}", t.name, f.name);
                    if !seen.insert(f.name.clone()) {
                        err(&mut errors, file, fitem.clone(), "duplicate field name".into());
                    }
                    if f.description.trim().is_empty() {
                        err(&mut errors, file, fitem.clone(), "has no description".into());
                    }
                    if !is_rust_ident(&rust_ident(&f.name)) || f.name != heck::ToSnakeCase::to_snake_case(f.name.as_str()) {
                        err(&mut errors, file, fitem.clone(), "field names are snake_case words that make a Rust identifier".into());
                    }
                    let ty = match FieldType::parse(&f.ty) {
                        Ok(ty) => ty,
                        Err(m) => {
                            err(&mut errors, file, fitem, m);
                            continue;
                        }
                    };
                    fields.push(Field {
                        name: f.name.clone(),
                        ty,
                        description: f.description.trim().to_string(),
                        secret: f.secret,
                        max_bytes: f.max_bytes,
                        allowed: f.allowed.clone(),
                        legacy: f.legacy,
                        nullable: f.nullable,
                        refers_to: f.refers_to.clone(),
                    });
                }
                Shape::Struct { fields }
            }
            Some("enum") => {
                if !t.fields.is_empty() {
                    err(&mut errors, file, item.clone(), "an enum has `values`, not `fields`".into());
                }
                if t.values.is_empty() {
                    err(&mut errors, file, item.clone(), "an enum needs at least one value".into());
                }
                let mut seen = BTreeSet::new();
                let values = t
                    .values
                    .iter()
                    .map(|v| {
                        let rust_name = v.rust_name.clone().unwrap_or_else(|| variant_name(&v.value));
                        if !is_rust_ident(&rust_name) {
                            err(
                                &mut errors,
                                file,
                                format!("type {}, value {}", t.name, v.value),
                                format!("variant name `{rust_name}` is not a Rust identifier; set `rust_name`"),
                            );
                        }
                        if !seen.insert(rust_name.clone()) || rust_name == "Unknown" {
                            err(
                                &mut errors,
                                file,
                                format!("type {}, value {}", t.name, v.value),
                                format!("variant name `{rust_name}` is taken; set `rust_name`"),
                            );
                        }
                        EnumValue {
                            value: v.value.clone(),
                            rust_name,
                            description: v.description.trim().to_string(),
                        }
                    })
                    .collect();
                Shape::Enum { values }
            }
            Some(other) => {
                err(&mut errors, file, item, format!("unknown kind `{other}` (use `struct` or `enum`)"));
                continue;
            }
        };
        types.push(TypeDef {
            name: t.name.clone(),
            rust_name,
            description: t.description.trim().to_string(),
            owner: owner.clone(),
            shape,
        });
    }
    // Field types must exist.
    for t in &types {
        if let Shape::Struct { fields } = &t.shape {
            for f in fields {
                if let Some(n) = f.ty.named()
                    && !type_files.contains_key(n)
                {
                    let file = type_files.get(&t.name).cloned().unwrap_or_default();
                    err(
                        &mut errors,
                        &file,
                        format!("type {}, field {}", t.name, f.name),
                        format!("unknown type `{n}`"),
                    );
                }
            }
        }
    }

    // Services and operations.
    let mut out_services = Vec::new();
    let accessors: BTreeSet<String> = services.iter().map(|s| s.1.clone()).collect();
    let mut service_names = BTreeMap::new();
    for (file, accessor, rust_name, description, id_prefix, ops) in services {
        let rust_name = rust_name.unwrap_or_else(|| service_rust_name(&accessor));
        if let Some(prev) = service_names.insert(rust_name.clone(), accessor.clone()) {
            err(&mut errors, &file, format!("service {accessor}"), format!("its Rust name `{rust_name}` clashes with service `{prev}`"));
        }
        if description.trim().is_empty() {
            err(&mut errors, &file, format!("service {accessor}"), "has no description".into());
        }
        let mut names = BTreeSet::new();
        let mut operations = Vec::new();
        for op in ops {
            let item = format!("operation {}", op.name);
            if !names.insert(op.name.clone()) {
                err(&mut errors, &file, item.clone(), "duplicate operation name".into());
            }
            if !op.name.chars().all(|c| c.is_ascii_lowercase() || c == '_') || !is_rust_ident(&rust_ident(&op.name)) {
                err(&mut errors, &file, item.clone(), "operation names are snake_case".into());
            }
            if !matches!(op.method.as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE") {
                err(&mut errors, &file, item.clone(), format!("unknown HTTP method `{}`", op.method));
            }
            if op.description.trim().is_empty() {
                err(&mut errors, &file, item.clone(), "has no description".into());
            }
            let params = match path_params(&op.path) {
                Ok(p) => p,
                Err(m) => {
                    err(&mut errors, &file, item.clone(), m);
                    Vec::new()
                }
            };
            for r in [&op.body, &op.returns, &op.query].into_iter().flatten() {
                if !type_files.contains_key(r) {
                    err(&mut errors, &file, item.clone(), format!("unknown type `{r}`"));
                }
            }
            let paging = match op.paging.as_deref() {
                None => None,
                Some("plain") => Some(Paging { filter: false }),
                Some("filtered") => Some(Paging { filter: true }),
                Some(other) => {
                    err(&mut errors, &file, item.clone(), format!("paging is `plain` or `filtered`, not `{other}`"));
                    None
                }
            };
            if op.method == "GET" && op.body.is_some() {
                err(&mut errors, &file, item.clone(), "a GET has no body".into());
            }
            // Required fields must be body fields.
            let body_fields: Vec<String> = op
                .body
                .as_ref()
                .and_then(|b| types.iter().find(|t| &t.name == b))
                .map(|t| match &t.shape {
                    Shape::Struct { fields } => fields.iter().map(|f| f.name.clone()).collect(),
                    Shape::Enum { .. } => Vec::new(),
                })
                .unwrap_or_default();
            if let Some(bf) = &op.body_field
                && !body_fields.contains(bf)
            {
                err(&mut errors, &file, item.clone(), format!("body_field `{bf}` is not a field of the body"));
            }
            for r in &op.required {
                if !body_fields.contains(r) {
                    err(&mut errors, &file, item.clone(), format!("required field `{r}` is not a field of the body"));
                }
            }
            let items = match (&paging, &op.items) {
                (Some(_), Some(field)) => {
                    let page = op.returns.as_ref().and_then(|r| types.iter().find(|t| &t.name == r));
                    let found = page.and_then(|t| match &t.shape {
                        Shape::Struct { fields } => fields.iter().find(|f| &f.name == field).and_then(|f| match &f.ty {
                            FieldType::List(inner) => match inner.as_ref() {
                                FieldType::Named(n) => Some(ListItems { field: f.name.clone(), item_type: n.clone() }),
                                _ => None,
                            },
                            _ => None,
                        }),
                        Shape::Enum { .. } => None,
                    });
                    if found.is_none() {
                        err(&mut errors, &file, item.clone(), format!("items field `{field}` is not an array of objects in the returned page type"));
                    }
                    found
                }
                (Some(_), None) => {
                    err(&mut errors, &file, item.clone(), "a paged list must name its page's array field in `items`".into());
                    None
                }
                (None, Some(_)) => {
                    err(&mut errors, &file, item.clone(), "`items` only goes with `paging`".into());
                    None
                }
                (None, None) => None,
            };
            operations.push(Operation {
                kind: kind_of(&op),
                name: op.name,
                method: op.method,
                path: op.path,
                path_params: params,
                description: op.description.trim().to_string(),
                body: op.body,
                body_field: op.body_field,
                returns: op.returns,
                status: op.status,
                paging,
                query: op.query,
                required: op.required,
                items,
            });
        }
        out_services.push(Service {
            accessor,
            rust_name,
            description: description.trim().to_string(),
            id_prefix,
            operations,
            file,
        });
    }
    // refers_to must name a service.
    for t in &types {
        if let Shape::Struct { fields } = &t.shape {
            for f in fields {
                if let Some(r) = &f.refers_to
                    && !accessors.contains(r)
                {
                    let file = type_files.get(&t.name).cloned().unwrap_or_default();
                    err(&mut errors, &file, format!("type {}, field {}", t.name, f.name), format!("refers_to names no service: `{r}`"));
                }
            }
        }
    }
    // A nested service's group must not also be a service.
    for s in &out_services {
        if let Some(g) = s.group()
            && accessors.contains(g)
        {
            err(&mut errors, &s.file, format!("service {}", s.accessor), format!("`{g}` is a group of services and cannot also be a service"));
        }
    }
    if errors.is_empty() {
        Ok(Api { services: out_services, types })
    } else {
        Err(SpecErrors(errors))
    }
}
