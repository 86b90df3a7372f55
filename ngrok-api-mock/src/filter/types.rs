//! What the filter's checker and its functions share: the types a CEL
//! expression can have, what checking a node found, and how types combine.
//! A leaf of `filter`: it knows neither the checker nor the functions.

use cel::common::ast::operators;

use crate::table::{FieldType, Shape, Table};

/// CEL types as far as the check follows them. `Dyn` is anything: a value
/// whose type only the data tells (a JSON map's values, a null).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    Dyn,
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Null,
    Timestamp,
    Duration,
    Type,
    List(Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
    /// An object of the model type of this name.
    Obj(String),
    /// A reference (`{id, uri}`), of the model's reference type of this
    /// name.
    Ref(String),
}

impl Ty {
    pub fn name(&self) -> String {
        match self {
            Ty::Dyn => "dyn".into(),
            Ty::Bool => "bool".into(),
            Ty::Int => "int".into(),
            Ty::Uint => "uint".into(),
            Ty::Double => "double".into(),
            Ty::String => "string".into(),
            Ty::Bytes => "bytes".into(),
            Ty::Null => "null".into(),
            Ty::Timestamp => "timestamp".into(),
            Ty::Duration => "duration".into(),
            Ty::Type => "type".into(),
            Ty::List(t) => format!("list({})", t.name()),
            Ty::Map(k, v) => format!("map({}, {})", k.name(), v.name()),
            Ty::Obj(n) | Ty::Ref(n) => n.clone(),
        }
    }

    pub fn is_num(&self) -> bool {
        matches!(self, Ty::Int | Ty::Uint | Ty::Double)
    }
}

/// The CEL type of a model field type.
pub(crate) fn of_field(table: &Table, ty: &FieldType) -> Ty {
    match ty {
        FieldType::String => Ty::String,
        FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 => Ty::Int,
        FieldType::Float64 => Ty::Double,
        FieldType::Bool => Ty::Bool,
        FieldType::Timestamp => Ty::Timestamp,
        FieldType::Reference(n) => Ty::Ref(n.clone()),
        FieldType::Named(n) => match table.ty(n).map(|t| &t.shape) {
            Some(Shape::Struct { .. }) => Ty::Obj(n.clone()),
            Some(Shape::Enum { .. }) => Ty::String,
            None => Ty::Dyn,
        },
        FieldType::List(t) => Ty::List(Box::new(of_field(table, t))),
        FieldType::Map(t) => Ty::Map(Box::new(Ty::String), Box::new(of_field(table, t))),
    }
}

/// What the check found out about an expression.
pub(crate) struct Seen {
    pub ty: Ty,
    /// Work to evaluate it once (node visits, loop bodies times lengths).
    pub cost: u64,
    /// For a list or map: an upper bound on its length, where known.
    pub len: u64,
}

pub(crate) type Res = Result<Seen, String>;

pub(crate) fn seen(ty: Ty, cost: u64) -> Res {
    Ok(Seen { ty, cost, len: 0 })
}

/// The type of a value that is either `a` or `b`: where they differ, only
/// the data tells.
pub(crate) fn join(a: Option<Ty>, b: Ty) -> Ty {
    match a {
        None => b,
        Some(a) if a == b => a,
        Some(Ty::List(x)) if matches!(&b, Ty::List(_)) => {
            let Ty::List(y) = b else { return Ty::Dyn };
            let inner = match (*x, *y) {
                (Ty::Dyn, t) | (t, Ty::Dyn) => t,
                (x, y) => join(Some(x), y),
            };
            Ty::List(Box::new(inner))
        }
        Some(_) => Ty::Dyn,
    }
}

/// Whether values of these types can be compared with `==` (numbers with
/// numbers, null with anything that may be absent).
pub(crate) fn comparable(a: &Ty, b: &Ty) -> bool {
    match (a, b) {
        (Ty::Dyn, _) | (_, Ty::Dyn) | (Ty::Null, _) | (_, Ty::Null) => true,
        (x, y) if x.is_num() && y.is_num() => true,
        (Ty::List(x), Ty::List(y)) => comparable(x, y),
        (Ty::Map(k1, v1), Ty::Map(k2, v2)) => comparable(k1, k2) && comparable(v1, v2),
        (Ty::Obj(_) | Ty::Ref(_), Ty::Map(..)) | (Ty::Map(..), Ty::Obj(_) | Ty::Ref(_)) => true,
        (x, y) => x == y,
    }
}

/// Whether `a < b` has a meaning.
pub(crate) fn ordered(a: &Ty, b: &Ty) -> bool {
    match (a, b) {
        (Ty::Dyn, _) | (_, Ty::Dyn) => true,
        (x, y) if x.is_num() && y.is_num() => true,
        (x, y) => x == y && matches!(x, Ty::String | Ty::Bytes | Ty::Bool | Ty::Timestamp | Ty::Duration),
    }
}

/// The name of an operator for messages: `_+_` is `+`.
pub(crate) fn op_name(f: &str) -> &str {
    match f {
        operators::LOGICAL_NOT => "!",
        operators::NEGATE => "-",
        operators::INDEX => "[]",
        operators::IN => "in",
        operators::CONDITIONAL => "?:",
        _ => f.trim_matches('_'),
    }
}

pub(crate) fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}
