//! Named types, their fields and enum values.

use serde::{Deserialize, Serialize};

use crate::behaviour::{Computed, Normalize, Validate};

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

fn is_false(b: &bool) -> bool {
    !*b
}

/// A field of a struct.
///
/// A response field is in exactly one of four states: it may be `null`
/// ([`nullable`](Self::nullable)), it is left out when empty
/// ([`omit_empty`](Self::omit_empty)), it is sent as `null` when empty
/// ([`null_when_empty`](Self::null_when_empty)), or (none of these) it is
/// always sent, with an empty value when it has none. The state says what
/// the server sends; a reader accepts every state for every field but the
/// object's identity, since evidence of what a server sends is never
/// complete.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Field {
    /// JSON name.
    pub name: String,
    /// Its type.
    pub ty: FieldType,
    /// What it means.
    pub description: String,
    /// Holds a secret: redacted from `Debug`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub secret: bool,
    /// Longest allowed value in bytes, for strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<u32>,
    /// Smallest allowed value, for numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Largest allowed value, for numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// Allowed values, for integers with a closed set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<i64>,
    /// Listed upstream but neither sent nor accepted by the live API: not
    /// exposed by the SDK, ignored by the emulator.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hidden: bool,
    /// Sent or accepted by the live API for objects made by older ngrok
    /// features (legacy endpoint configurations, ...): exposed, and marked as
    /// legacy in its documentation.
    #[serde(default, skip_serializing_if = "is_false")]
    pub legacy: bool,
    /// On a create request's field: the value is set when the object is
    /// made and cannot be changed after (the service's update takes no
    /// such field).
    #[serde(default, skip_serializing_if = "is_false")]
    pub immutable: bool,
    /// The server may send JSON `null` for it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// The server leaves the key out when the value is empty or unset.
    #[serde(default, skip_serializing_if = "is_false")]
    pub omit_empty: bool,
    /// The server sends JSON `null` rather than an empty value (`[]`, `{}`)
    /// when the field has none; the value is typed plain, not optional.
    #[serde(default, skip_serializing_if = "is_false")]
    pub null_when_empty: bool,
    /// The service whose object this ID (or list of IDs) names: a service
    /// accessor (`ip_policies`) or a group of services (`backends`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<String>,
    /// With [`refers_to`](Self::refers_to): the error code ngrok refuses an
    /// ID that names no object with (its message's one placeholder is
    /// filled with the ID); without it, a missing object is a 404 with no
    /// code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_code: Option<u32>,
    /// For a request field holding an ID (or a list of IDs): the field of
    /// the resulting object that shows the reference(s) as `{id, uri}` (the
    /// request's `ip_policy_id` is shown as `ip_policy`). Without
    /// [`refers_to`](Self::refers_to) the IDs name objects the API no longer
    /// serves (legacy endpoint configurations) and are not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown_as: Option<String>,
    /// The server works the value out itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed: Option<Computed>,
    /// Rewrites the server applies to the value it is given, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub normalize: Vec<Normalize>,
    /// The check the server applies to the value (to each item of a list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validate: Option<Validate>,
}

/// A known value of an enum.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnumValue {
    /// Its wire spelling, as the live server sends it.
    pub value: String,
    /// Other spellings that mean the same value (the published OpenAPI
    /// file's, where it differs): accepted on decode, never sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
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
    /// A reference to another object, shown as `{"id": ..., "uri": ...}`:
    /// a field whose type is the type the spec marks `kind: reference`
    /// (`Ref`, named here), resolved when the spec is built. The spec's
    /// spelling parses as [`Named`](Self::Named) first.
    Reference(String),
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

    /// Whether values of this type are references (`{id, uri}`).
    pub fn is_reference(&self) -> bool {
        match self {
            FieldType::Reference(_) => true,
            FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp | FieldType::Named(_) | FieldType::List(_) | FieldType::Map(_) => false,
        }
    }

    /// The named type this type mentions.
    pub fn named(&self) -> Option<&str> {
        match self {
            FieldType::Named(n) | FieldType::Reference(n) => Some(n),
            FieldType::List(t) | FieldType::Map(t) => t.named(),
            FieldType::String | FieldType::Int32 | FieldType::Int64 | FieldType::Uint32 | FieldType::Uint64 | FieldType::Float64 | FieldType::Bool | FieldType::Timestamp => None,
        }
    }
}
