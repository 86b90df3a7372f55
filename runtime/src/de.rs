//! Decoding helpers the generated models use.
//!
//! The traits here are `#[doc(hidden)]`: they are how generated code
//! decodes, not something a program calls, so their impls stay off every
//! model's page.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Error, MapAccess, SeqAccess, Visitor};
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
#[doc(hidden)]
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
/// every model implements. The visitor, the key reader and the error texts
/// are here, written once; each model's generated `read` says only which
/// field a key fills and which fields must be there. Like serde's derive, a model is also read from a
/// sequence of its fields in order, as formats without field names write
/// it.
#[doc(hidden)]
pub trait Object: Sized {
    /// The model's name.
    const NAME: &'static str;
    /// What an error names as expected, e.g. `struct IpPolicy`.
    const EXPECTING: &'static str;
    /// The JSON names of its fields, in order.
    const FIELDS: &'static [&'static str];

    /// The position in [`FIELDS`](Self::FIELDS) of the field a key names,
    /// if any: a `match`, which the compiler turns into a few comparisons.
    fn field(key: &str) -> Option<usize>;

    /// Reads the model from an object's entries.
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;

    /// Reads the model from its fields' values in order.
    fn read_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error>;
}

/// Decodes a model (see [`Object`]).
#[inline]
pub fn object<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor(PhantomData))
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

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::read_seq(seq)
    }
}

/// Reads an object's key as the position of the field it names in the
/// model's [`Object::FIELDS`]; `None` for a key the model does not know,
/// whose value is then skipped. The key is compared where it lies, never
/// copied.
pub struct FieldIndex<T>(PhantomData<fn() -> T>);

impl<T> FieldIndex<T> {
    /// The reader of `T`'s keys.
    #[inline]
    pub fn new() -> Self {
        FieldIndex(PhantomData)
    }
}

impl<T> Default for FieldIndex<T> {
    #[inline]
    fn default() -> Self {
        FieldIndex::new()
    }
}

impl<'de, T: Object> DeserializeSeed<'de> for FieldIndex<T> {
    type Value = Option<usize>;

    #[inline(always)]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<T: Object> Visitor<'_> for FieldIndex<T> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    #[inline(always)]
    fn visit_str<E: Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(T::field(key))
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<Option<usize>, E> {
        Ok(std::str::from_utf8(key).ok().and_then(T::field))
    }
}

/// Reads the value of the field `field` into its empty `slot`. A field met
/// twice in one object is an error naming it, as serde's derive makes it:
/// the body is ambiguous, and neither value is more right than the other.
/// (Looking at the slot also keeps the fields read so far in memory across
/// the loop over keys, rather than in registers saved and restored around
/// every key: about 130 instructions an item of a page, a fifth of the
/// object's own decoding.)
#[inline(always)]
pub fn fill<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A, slot: &mut Option<T>, field: &'static str) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::duplicate_field(field));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A required field's value, or the error that names the missing field.
#[inline]
pub fn required<T, E: Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

/// The next field of a model read from a sequence: required, so a short
/// sequence is an error saying how many elements it had.
pub fn element<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(seq: &mut A, index: usize, expecting: &'static str) -> Result<T, A::Error> {
    seq.next_element()?.ok_or_else(|| A::Error::invalid_length(index, &expecting))
}

/// What the description says the server sends for a plain field when it
/// has no value: an empty value (`""`, `[]`, `{}`, `0`), or `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A value, empty when unset: a `null` is drift.
    Value,
    /// `null` when empty: not drift.
    Null,
}

/// Reads the value of a plain (not optional) field into its empty `slot`,
/// a `null` read as the type's empty value. A `null` the description does
/// not expect is noted as [`drift`]; it never fails the response.
#[inline(always)]
pub fn fill_plain<'de, A: MapAccess<'de>, T: Deserialize<'de> + Default>(
    map: &mut A,
    slot: &mut Option<T>,
    model: &'static str,
    field: &'static str,
    expect: Expect,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::duplicate_field(field));
    }
    *slot = Some(match map.next_value::<Option<T>>()? {
        Some(value) => value,
        None => {
            if expect == Expect::Value {
                drift(model, field, Drift::Null);
            }
            T::default()
        }
    });
    Ok(())
}

/// The value of a field the description says the server always sends,
/// or its empty value, noting the [`drift`], when the key never came.
#[inline(always)]
pub fn expected<T: Default>(value: Option<T>, model: &'static str, field: &'static str) -> T {
    match value {
        Some(value) => value,
        None => {
            drift(model, field, Drift::Missing);
            T::default()
        }
    }
}

/// How a response differed from what the description says the server sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drift {
    /// A field the server is said to always send was not there.
    Missing,
    /// A field the server is said never to send as `null` was `null`.
    Null,
}

impl Drift {
    fn as_str(self) -> &'static str {
        match self {
            Drift::Missing => "missing",
            Drift::Null => "null",
        }
    }
}

/// Where decoding read an empty value for a field that came missing or
/// `null` against the description: said once per model, field and kind, at
/// `debug` level on the `ngrok_api::drift` target, so a program (and this
/// crate's authors) learn where the description is wrong while nothing
/// fails. Costs nothing when that level is off.
#[cold]
#[inline(never)]
pub fn drift(model: &'static str, field: &'static str, what: Drift) {
    if !tracing::enabled!(target: "ngrok_api::drift", tracing::Level::DEBUG) {
        return;
    }
    if first_time((model, field, what)) {
        tracing::debug!(
            target: "ngrok_api::drift",
            model,
            field,
            came = what.as_str(),
            "a response left out or nulled a field the SDK expects; read as its empty value"
        );
    }
}

/// Whether this is the first time `key` is seen in this process.
fn first_time(key: (&'static str, &'static str, Drift)) -> bool {
    use std::sync::{Mutex, PoisonError};
    static SEEN: Mutex<Vec<(&'static str, &'static str, Drift)>> = Mutex::new(Vec::new());
    let mut seen = SEEN.lock().unwrap_or_else(PoisonError::into_inner);
    if seen.contains(&key) {
        return false;
    }
    seen.push(key);
    true
}

/// Whether a value is its type's empty value: the skip test of integers
/// and enums left out when empty.
#[inline]
pub fn is_empty_value<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// Encodes an empty value as `null`, any other as itself: for fields the
/// server sends as `null` when they have nothing.
pub fn empty_as_null<T: serde::Serialize + Default + PartialEq, S: serde::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    if *value == T::default() { serializer.serialize_none() } else { value.serialize(serializer) }
}

/// A plain field read from text: `String` or [`Timestamp`](crate::Timestamp).
/// Reading one with [`fill_text`] looks at the next value once, where
/// reading an `Option` of it looks twice (once for `null`, once for the
/// string): the most common field of every model, so worth its own path.
#[doc(hidden)]
pub trait Text: Default + Sized {
    /// The value for borrowed text.
    fn from_text<E: Error>(text: &str) -> Result<Self, E>;
    /// The value for owned text.
    fn from_owned_text<E: Error>(text: String) -> Result<Self, E> {
        Self::from_text(&text)
    }
}

impl Text for String {
    #[inline]
    fn from_text<E: Error>(text: &str) -> Result<Self, E> {
        Ok(text.to_owned())
    }
    #[inline]
    fn from_owned_text<E: Error>(text: String) -> Result<Self, E> {
        Ok(text)
    }
}

/// Like [`fill_plain`], for a text field: `null` reads as empty (noted as
/// [`drift`] unless the description expects it).
#[inline(always)]
pub fn fill_text<'de, A: MapAccess<'de>, T: Text>(
    map: &mut A,
    slot: &mut Option<T>,
    model: &'static str,
    field: &'static str,
    expect: Expect,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::duplicate_field(field));
    }
    *slot = Some(map.next_value_seed(TextOrNull { model, field, expect, ty: PhantomData })?);
    Ok(())
}

struct TextOrNull<T> {
    model: &'static str,
    field: &'static str,
    expect: Expect,
    ty: PhantomData<fn() -> T>,
}

impl<T> TextOrNull<T> {
    fn null(&self) {
        if self.expect == Expect::Value {
            drift(self.model, self.field, Drift::Null);
        }
    }
}

impl<'de, T: Text> DeserializeSeed<'de> for TextOrNull<T> {
    type Value = T;

    #[inline(always)]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        // One look decides between a string and `null`.
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: Text> Visitor<'de> for TextOrNull<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or null")
    }

    #[inline]
    fn visit_str<E: Error>(self, s: &str) -> Result<T, E> {
        T::from_text(s)
    }

    #[inline]
    fn visit_string<E: Error>(self, s: String) -> Result<T, E> {
        T::from_owned_text(s)
    }

    fn visit_unit<E: Error>(self) -> Result<T, E> {
        self.null();
        Ok(T::default())
    }

    fn visit_none<E: Error>(self) -> Result<T, E> {
        self.null();
        Ok(T::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }
}
