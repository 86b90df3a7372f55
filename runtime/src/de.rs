//! Decoding helpers the generated models use.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Error, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// `null` and a missing field decode the same: as the type's default.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// How an open enum is made from its wire text, borrowed or owned, so a
/// known value is matched in place and only an unknown one is copied.
pub trait FromWire: Sized {
    /// The value for borrowed wire text.
    fn from_wire_str(value: &str) -> Self;
    /// The value for owned wire text (kept as is when unknown).
    fn from_wire_string(value: String) -> Self;
}

/// Reads an open enum from its string, without first copying the string:
/// a known value is matched in place, and only an unknown one is kept.
pub fn open_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromWire,
{
    deserializer.deserialize_str(OpenEnum(PhantomData))
}

struct OpenEnum<T>(PhantomData<fn() -> T>);

impl<T: FromWire> Visitor<'_> for OpenEnum<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: Error>(self, s: &str) -> Result<T, E> {
        Ok(T::from_wire_str(s))
    }

    fn visit_string<E: Error>(self, s: String) -> Result<T, E> {
        Ok(T::from_wire_string(s))
    }
}

/// A model read from a JSON object: what the generated `Deserialize` of
/// every model implements. The loop over the object's keys and the error
/// texts are here, written once; each model says only which field a key
/// fills and which fields must be there.
pub trait Object: Sized {
    /// What an error names as expected, e.g. `struct IpPolicy`.
    const EXPECTING: &'static str;

    /// Reads the model from the object's entries.
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Decodes a model from an object (see [`Object`]).
#[inline]
pub fn object<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
}

/// Reads an object's key as the position of the field it names in a
/// model's list of JSON names; `None` for a key the model does not know,
/// whose value is then skipped. The key is compared where it lies, never
/// copied.
#[derive(Clone, Copy)]
pub struct FieldIndex(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = Option<usize>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldIndex {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    #[inline]
    fn visit_str<E: Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|name| *name == key))
    }

    #[inline]
    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|name| name.as_bytes() == key))
    }
}

/// A required field's value, or the error that names the missing field.
#[inline]
pub fn required<T, E: Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}
