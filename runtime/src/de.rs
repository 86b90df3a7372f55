//! Decoding helpers the generated models use.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Error, Visitor};
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
