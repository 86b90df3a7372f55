//! Views of the model's types for the templates: how each field is typed in
//! Rust, from what the server does with it.
//!
//! - Request types (bodies, query arguments) keep every field an `Option`
//!   skipped when `None`: callers send only what they set.
//! - Response types follow the server: a `nullable` field is an `Option`
//!   that encodes `None` as `null`; an `omit_empty` string, list, map,
//!   integer or enum is a plain value, empty by default and left out when
//!   empty (other `omit_empty` types are an `Option` left out when `None`);
//!   a `null_when_empty` list or map is plain and encodes empty as `null`;
//!   any other field is plain and always encoded.
//! - A type used both ways keeps the request typing, except that `nullable`
//!   fields encode `None` as `null`.
//!
//! So decoding a response and encoding it again gives back the same JSON.
//!
//! Decoding is tolerant whatever the state: a missing or `null` field reads
//! as its empty value (an `Option` as `None`), and only a struct's `id` and a
//! page's list must be there. Where the server did not do what the spec
//! says, the runtime notes it once at debug level.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::text::{doc_lines, rust_type};
use crate::spec::{Api, Field, FieldType, Shape, TypeDef, rust_ident};

#[derive(Serialize, Clone)]
pub(crate) struct TypeView {
    pub name: String,
    pub rust_name: String,
    pub doc: Vec<String>,
    pub is_enum: bool,
    pub fields: Vec<FieldView>,
    pub values: Vec<ValueView>,
    pub has_secret: bool,
    pub eq: bool,
    /// The type derives `Default` (every struct does: each field has an
    /// empty value; enums do not derive it).
    pub default: bool,
    /// Sent in requests: callers build it with a struct literal, so it is
    /// not `#[non_exhaustive]`.
    pub input: bool,
    /// Only travels on the wire: `#[doc(hidden)]` (see `Uses::exposed`).
    pub hidden: bool,
    /// The features that need it, if not all do.
    pub cfg: Option<super::features::Cfg>,
    pub page: Option<PageView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct PageView {
    pub items_field: String,
    pub item_type: String,
    pub has_next: bool,
}

/// One field: the template writes its serde attribute and its type from
/// `encoding`.
#[derive(Serialize, Clone)]
pub(crate) struct FieldView {
    /// The JSON name.
    pub name: String,
    pub ident: String,
    /// Whether `ident` differs from the JSON name (a keyword escaped, say).
    pub renamed: bool,
    /// The type of the value, before any `Option`.
    pub value_type: String,
    /// `skipped` (`Option`, left out when `None`), `null` (`Option`, `None`
    /// sent as `null`), `empty` (plain, left out when empty), `empty_null`
    /// (plain, empty sent as `null`) or `plain` (always sent).
    pub encoding: &'static str,
    /// With `empty`: the path of the function that tells an empty value.
    pub empty_test: Option<&'static str>,
    /// The object's identity (`id`) or a page's list: the one kind of field
    /// a response cannot be read without.
    pub identity: bool,
    /// A plain `String` or `Timestamp`, read through the runtime's text path.
    pub text: bool,
    pub doc: Vec<String>,
    pub secret: bool,
    pub optional: bool,
}

#[derive(Serialize, Clone)]
pub(crate) struct ValueView {
    pub value: String,
    pub aliases: Vec<String>,
    pub rust_name: String,
    pub doc: Vec<String>,
}

/// Where a type travels.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Use {
    input: bool,
    output: bool,
}

/// How one field is typed and encoded.
enum Typing {
    /// `Option<T>`, left out when `None` (request fields, `omit_empty` of other types).
    Skipped,
    /// `Option<T>`, `None` encoded as `null`.
    Null,
    /// Plain `T`, empty by default and left out when empty; the skip test.
    Empty(&'static str),
    /// Plain `T`, empty by default, an empty value encoded as `null`.
    EmptyNull,
    /// Plain `T`, always encoded.
    Plain,
}

fn typing(api: &Api, f: &Field, u: Use) -> Typing {
    if f.nullable && u.output {
        return Typing::Null;
    }
    if u.input {
        return Typing::Skipped;
    }
    if f.null_when_empty {
        return Typing::EmptyNull;
    }
    if !f.omit_empty {
        return Typing::Plain;
    }
    match &f.ty {
        FieldType::String if f.secret => Typing::Empty("crate::runtime::Secret::is_empty"),
        FieldType::String => Typing::Empty("String::is_empty"),
        FieldType::List(_) => Typing::Empty("Vec::is_empty"),
        FieldType::Map(_) => Typing::Empty("std::collections::BTreeMap::is_empty"),
        FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 => {
            Typing::Empty("crate::runtime::de::is_empty_value")
        }
        FieldType::Named(n) if api.type_def(n).is_some_and(|t| matches!(t.shape, Shape::Enum { .. })) => {
            Typing::Empty("crate::runtime::de::is_empty_value")
        }
        FieldType::Float64
        | FieldType::Bool
        | FieldType::Timestamp
        | FieldType::Named(_)
        | FieldType::Reference(_) => Typing::Skipped,
    }
}

/// The Rust type of a field's value (before any `Option`).
fn value_type(api: &Api, f: &Field, u: Use) -> String {
    if f.secret && f.ty == FieldType::String && !u.input {
        "crate::runtime::Secret".into()
    } else {
        rust_type(api, &f.ty)
    }
}

fn field_view(api: &Api, f: &Field, u: Use, identity: bool) -> FieldView {
    let ident = rust_ident(&f.name);
    let typing = typing(api, f, u);
    let (encoding, empty_test) = match typing {
        Typing::Skipped => ("skipped", None),
        Typing::Null => ("null", None),
        Typing::Empty(test) => ("empty", Some(test)),
        Typing::EmptyNull => ("empty_null", None),
        Typing::Plain => ("plain", None),
    };
    FieldView {
        name: f.name.clone(),
        renamed: ident.trim_start_matches("r#") != f.name,
        ident,
        value_type: value_type(api, f, u),
        encoding,
        empty_test,
        doc: field_doc(f, &typing, u),
        secret: f.secret,
        optional: matches!(typing, Typing::Skipped | Typing::Null),
        identity: identity && matches!(typing, Typing::Plain),
        // A secret response string is a `Secret`, not text.
        text: matches!(typing, Typing::Plain | Typing::Empty(_))
            && (!f.secret || u.input)
            && matches!(f.ty, FieldType::String | FieldType::Timestamp),
    }
}

fn field_doc(f: &Field, typing: &Typing, u: Use) -> Vec<String> {
    let mut doc = doc_lines(&f.description);
    let mut note = |line: String| {
        doc.push(String::new());
        doc.push(format!(" {line}"));
    };
    if let Some(max) = f.max_bytes
        && !f.description.contains(&max.to_string())
    {
        note(format!("At most {max} bytes."));
    }
    match typing {
        Typing::Null if !f.description.contains("null") => note("`None` when the API sends `null`.".into()),
        Typing::Empty(_) if u.output => note("Empty when the API leaves it out.".into()),
        Typing::EmptyNull if u.output => note("Empty when the API sends `null`; encoded as `null` when empty.".into()),
        Typing::Skipped | Typing::Null | Typing::Empty(_) | Typing::EmptyNull | Typing::Plain => {}
    }
    if f.immutable {
        note("Cannot be changed after creation: the update request takes no such field.".into());
    }
    if f.legacy {
        note("Legacy: set only for objects made with older ngrok features.".into());
    }
    if f.secret {
        note("Secret: shown as `<redacted>` by `Debug`.".into());
    }
    doc
}

fn has_float(api: &Api, ty: &FieldType, seen: &mut BTreeSet<String>) -> bool {
    match ty {
        FieldType::Float64 => true,
        FieldType::List(t) | FieldType::Map(t) => has_float(api, t, seen),
        FieldType::Named(n) | FieldType::Reference(n) => {
            if !seen.insert(n.clone()) {
                return false;
            }
            match api.type_def(n).map(|t| &t.shape) {
                Some(Shape::Struct { fields }) => fields.iter().any(|f| has_float(api, &f.ty, seen)),
                _ => false,
            }
        }
        FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Bool | FieldType::Timestamp => false,
    }
}

/// The input and output type sets, and the types a program meets.
pub(crate) struct Uses {
    inputs: BTreeSet<String>,
    outputs: BTreeSet<String>,
    /// Types the SDK's calls take or give (a body given whole, an answer,
    /// a setter's value, and what they hold). The others only travel on
    /// the wire (paging arguments, path-only bodies, the error body the
    /// runtime reads into `ngrok_api::Error`) and are hidden from the docs.
    exposed: BTreeSet<String>,
}

impl Uses {
    pub(crate) fn of_api(api: &Api) -> Uses {
        Uses { inputs: api.input_types(), outputs: api.output_types(), exposed: exposed_types(api) }
    }

    /// How type `name` travels; a type in neither set (the error body) is
    /// typed as a response.
    fn of(&self, name: &str) -> Use {
        let input = self.inputs.contains(name);
        Use { input, output: self.outputs.contains(name) || !input }
    }
}

pub(crate) fn type_view(api: &Api, t: &TypeDef, uses: &Uses, pages: &BTreeMap<String, PageView>) -> TypeView {
    let u = uses.of(&t.name);
    let base = TypeView {
        name: t.name.clone(),
        rust_name: t.rust_name.clone(),
        doc: doc_lines(&t.description),
        is_enum: false,
        fields: Vec::new(),
        values: Vec::new(),
        has_secret: false,
        eq: true,
        default: true,
        input: u.input,
        hidden: !uses.exposed.contains(&t.name),
        cfg: None,
        page: None,
    };
    match &t.shape {
        Shape::Struct { fields } => {
            let page = pages.get(&t.name);
            let views: Vec<FieldView> = fields
                .iter()
                .filter(|f| !f.hidden)
                .map(|f| {
                    let identity = f.name == "id" || page.is_some_and(|p| p.items_field == f.name);
                    field_view(api, f, u, identity)
                })
                .collect();
            let mut seen = BTreeSet::new();
            TypeView {
                eq: !fields.iter().any(|f| has_float(api, &f.ty, &mut seen)),
                default: true,
                has_secret: views.iter().any(|f| f.secret),
                fields: views,
                page: page.cloned(),
                ..base
            }
        }
        Shape::Enum { values } => TypeView {
            is_enum: true,
            default: false,
            values: values
                .iter()
                .map(|v| ValueView {
                    value: v.value.clone(),
                    aliases: v.aliases.clone(),
                    rust_name: v.rust_name.clone(),
                    doc: doc_lines(&v.description),
                })
                .collect(),
            ..base
        },
    }
}

/// Every struct type a response can hold, the error body included: (spec
/// name, Rust name).
pub(crate) fn response_types(api: &Api) -> Vec<(String, String)> {
    let inputs = api.input_types();
    let outputs = api.output_types();
    api.types
        .iter()
        .filter(|t| (outputs.contains(&t.name) || !inputs.contains(&t.name)) && matches!(t.shape, Shape::Struct { .. }))
        .map(|t| (t.name.clone(), t.rust_name.clone()))
        .collect()
}

/// Every type a program meets through a call (see `Uses::exposed`).
fn exposed_types(api: &Api) -> BTreeSet<String> {
    let mut stack: Vec<String> = Vec::new();
    for op in api.services.iter().flat_map(|s| &s.operations) {
        stack.extend(op.returns.iter().cloned());
        stack.extend(crate::args::request_body(api, op).map(|t| t.name.clone()));
        // A query type's fields are setters; the type itself is not seen.
        if let Some(TypeDef { shape: Shape::Struct { fields }, .. }) = op.query.as_ref().and_then(|q| api.type_def(q)) {
            stack.extend(fields.iter().filter(|f| !f.hidden).filter_map(|f| f.ty.named()).map(str::to_string));
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(n) = stack.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        if let Some(TypeDef { shape: Shape::Struct { fields }, .. }) = api.type_def(&n) {
            stack.extend(fields.iter().filter(|f| !f.hidden).filter_map(|f| f.ty.named()).map(str::to_string));
        }
    }
    seen
}
