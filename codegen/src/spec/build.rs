//! Model building: the parsed files resolved into the [`Api`] model. Only
//! what stops a value from being built is reported here; the rules live in
//! `checks`.

use ngrok_api_model::{
    Api, EnumValue, Field, FieldType, ListItems, Operation, OperationKind, Paging, Resource, Service, Shape, TypeDef,
};

use super::SpecError;
use super::naming::{rust_type_name, service_rust_name, variant_name};
use super::raw::{PlacedType, RawField, RawOperation, RawSpec, RawType, RawValue, ServiceFile};

/// Builds the model from the parsed files.
pub(crate) fn build(mut raw: RawSpec, errors: &mut Vec<SpecError>) -> Api {
    let mut references = Vec::new();
    let mut types: Vec<TypeDef> =
        std::mem::take(&mut raw.types).into_iter().filter_map(|t| type_def(t, &mut references, errors)).collect();
    resolve_references(&mut types, &references);
    let services = std::mem::take(&mut raw.services).into_iter().map(|(file, sf)| service(file, sf, &types, errors)).collect();
    Api { services, types, error_codes: raw.error_codes }
}

fn type_def(placed: PlacedType, references: &mut Vec<String>, errors: &mut Vec<SpecError>) -> Option<TypeDef> {
    let PlacedType { file, owner, raw } = placed;
    let RawType { name, rust_name, kind, description, fields, values } = raw;
    let shape = match kind.as_deref() {
        Some("reference") => {
            let fields: Vec<Field> = fields.into_iter().filter_map(|f| field(&file, &name, f, errors)).collect();
            let form: Vec<(&str, &FieldType)> = fields.iter().map(|f| (f.name.as_str(), &f.ty)).collect();
            if form != [("id", &FieldType::String), ("uri", &FieldType::String)] || !values.is_empty() {
                errors.push(SpecError::new(
                    &file,
                    format!("type {name}"),
                    "a reference has exactly the string fields `id` and `uri`, in that order: the form the API shows every reference in",
                ));
            }
            references.push(name.clone());
            Shape::Struct { fields }
        }
        None | Some("struct") => {
            if !values.is_empty() {
                errors.push(SpecError::new(&file, format!("type {name}"), "a struct has `fields`, not `values`"));
            }
            Shape::Struct { fields: fields.into_iter().filter_map(|f| field(&file, &name, f, errors)).collect() }
        }
        Some("enum") => {
            if !fields.is_empty() {
                errors.push(SpecError::new(&file, format!("type {name}"), "an enum has `values`, not `fields`"));
            }
            Shape::Enum { values: values.into_iter().map(enum_value).collect() }
        }
        Some(other) => {
            errors.push(SpecError::new(&file, format!("type {name}"), format!("unknown kind `{other}` (use `struct`, `enum` or `reference`)")));
            return None;
        }
    };
    Some(TypeDef {
        rust_name: rust_name.unwrap_or_else(|| rust_type_name(&name)),
        name,
        description: description.trim().to_string(),
        owner,
        shape,
    })
}

/// Makes every field whose type is a reference type (or a list or map of
/// one) a [`FieldType::Reference`], so that no reader tells a reference by
/// its type's name.
fn resolve_references(types: &mut [TypeDef], references: &[String]) {
    fn resolve(ty: &mut FieldType, references: &[String]) {
        match ty {
            FieldType::Named(n) if references.contains(n) => *ty = FieldType::Reference(std::mem::take(n)),
            FieldType::List(inner) | FieldType::Map(inner) => resolve(inner, references),
            FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::Named(_) | FieldType::Reference(_) => {}
        }
    }
    for t in types {
        if let Shape::Struct { fields } = &mut t.shape {
            for f in fields {
                resolve(&mut f.ty, references);
            }
        }
    }
}

fn field(file: &str, type_name: &str, f: RawField, errors: &mut Vec<SpecError>) -> Option<Field> {
    let ty = match FieldType::parse(&f.ty) {
        Ok(ty) => ty,
        Err(m) => {
            errors.push(SpecError::new(file, format!("type {type_name}, field {}", f.name), m));
            return None;
        }
    };
    Some(Field {
        name: f.name,
        ty,
        description: f.description.trim().to_string(),
        secret: f.secret,
        max_bytes: f.max_bytes,
        min: f.min,
        max: f.max,
        allowed: f.allowed,
        hidden: f.hidden,
        legacy: f.legacy,
        immutable: f.immutable,
        nullable: f.nullable,
        omit_empty: f.omit_empty,
        null_when_empty: f.null_when_empty,
        refers_to: f.refers_to,
        missing_code: f.missing_code,
        shown_as: f.shown_as,
        computed: f.computed,
        normalize: f.normalize,
        validate: f.validate,
    })
}

fn enum_value(v: RawValue) -> EnumValue {
    EnumValue {
        rust_name: v.rust_name.unwrap_or_else(|| variant_name(&v.value)),
        value: v.value,
        aliases: v.aliases,
        description: v.description.trim().to_string(),
    }
}

fn service(file: String, sf: ServiceFile, types: &[TypeDef], errors: &mut Vec<SpecError>) -> Service {
    let before = errors.len();
    let operations: Vec<Operation> = sf.operations.into_iter().map(|op| operation(&file, op, types, errors)).collect();
    let resource = resource(&operations).unwrap_or_else(|m| {
        // A fault in the operations themselves is reported once, there.
        if errors.len() == before {
            errors.push(SpecError::new(&file, format!("service {}", sf.service), m));
        }
        Resource::default()
    });
    Service {
        resource,
        rust_name: sf.rust_name.unwrap_or_else(|| service_rust_name(&sf.service)),
        accessor: sf.service,
        description: sf.description.trim().to_string(),
        id_prefix: sf.id_prefix,
        docs_url: sf.docs_url,
        parent: sf.parent,
        module: sf.module,
        legacy: sf.legacy.map(|l| l.trim().to_string()),
        rules: sf.rules,
        operations,
        file,
    }
}

/// What a service manages, from its `get` operation: the type it returns,
/// its path, and the last path parameter as the object's key.
fn resource(operations: &[Operation]) -> Result<Resource, String> {
    // An operation named `get` with a fault of its own (its method) is
    // reported by the checks of operations, not again here.
    let get = operations.iter().find(|o| o.kind == OperationKind::Get || o.name == "get").ok_or(
        "has no `get` operation; every service needs one: it states the type of the service's objects and where one lives",
    )?;
    let type_name = get.returns.clone().ok_or("its `get` operation returns nothing; give it `returns: <Type>`")?;
    let key = get.path_params.last().cloned().ok_or("its `get` path has no parameter naming the object (`/things/{id}`)")?;
    Ok(Resource { type_name, item_path: get.path.clone(), key })
}

fn operation(file: &str, op: RawOperation, types: &[TypeDef], errors: &mut Vec<SpecError>) -> Operation {
    let item = format!("operation {}", op.name);
    let path_params = path_params(&op.path).unwrap_or_else(|m| {
        errors.push(SpecError::new(file, &item, m));
        Vec::new()
    });
    let paging = match op.paging.as_deref() {
        None => None,
        Some("plain") => Some(Paging { filter: false }),
        Some("filtered") => Some(Paging { filter: true }),
        Some(other) => {
            errors.push(SpecError::new(file, &item, format!("paging is `plain` or `filtered`, not `{other}`")));
            None
        }
    };
    let items = list_items(&op, paging.is_some(), types).unwrap_or_else(|m| {
        errors.push(SpecError::new(file, &item, m));
        None
    });
    Operation {
        kind: kind_of(&op.name, &op.method),
        name: op.name,
        method: op.method,
        path: op.path,
        path_params,
        description: op.description.trim().to_string(),
        body: op.body,
        body_field: op.body_field,
        returns: op.returns,
        status: op.status,
        paging,
        query: op.query,
        required: op.required,
        items,
        clears: op.clears,
    }
}

/// Resolves a list's `items` field in its returned page type.
fn list_items(op: &RawOperation, paged: bool, types: &[TypeDef]) -> Result<Option<ListItems>, String> {
    let field = match (paged, &op.items) {
        (true, Some(field)) => field,
        (true, None) => return Err("a paged list must name its page's array field in `items`".into()),
        (false, Some(_)) => return Err("`items` only goes with `paging`".into()),
        (false, None) => return Ok(None),
    };
    let page = op.returns.as_ref().and_then(|r| types.iter().find(|t| &t.name == r));
    let fields = match page.map(|t| &t.shape) {
        Some(Shape::Struct { fields }) => fields.as_slice(),
        _ => &[],
    };
    let found = fields.iter().find(|f| &f.name == field).and_then(|f| match &f.ty {
        FieldType::List(inner) => match inner.as_ref() {
            FieldType::Named(n) => Some(ListItems { field: f.name.clone(), item_type: n.clone() }),
            FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::Reference(_) | FieldType::List(_) | FieldType::Map(_) => None,
        },
        FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::Named(_) | FieldType::Reference(_) | FieldType::Map(_) => None,
    });
    match found {
        Some(items) => Ok(Some(items)),
        None => Err(format!("items field `{field}` is not an array of objects in the returned page type")),
    }
}

/// What kind of call an operation is, from its name and method.
fn kind_of(name: &str, method: &str) -> OperationKind {
    match (name, method) {
        ("create", "POST") => OperationKind::Create,
        ("list", "GET") => OperationKind::List,
        ("get", "GET") => OperationKind::Get,
        ("update", "PATCH") => OperationKind::Update,
        ("delete", "DELETE") => OperationKind::Delete,
        ("replace", "PUT") => OperationKind::Replace,
        _ => OperationKind::Action,
    }
}

/// The names of a path template's parameters, in order.
pub(crate) fn path_params(path: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let end = after.find('}').ok_or_else(|| format!("path `{path}` has a `{{` with no closing `}}`"))?;
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
