//! How one object is kept: as the compact JSON text of its fields, one
//! allocation per object, read through a view that finds each field's text
//! without building a JSON tree.
//!
//! A map of owned keys and values costs several times the text it holds
//! (a tree node, and a heap string per key and per value); a store of many
//! objects is mostly that overhead. Reads see the stored text through
//! [`Fields`]: the field names and the raw text of each value, borrowed
//! from the object; responses copy scalar values straight from that text,
//! and decode only nested values. Writes decode the whole object, change
//! it and encode it again.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// A stored object and its place in creation order.
#[derive(Debug, Clone)]
pub(crate) struct Obj {
    pub seq: u64,
    /// The object's JSON text, as `serde_json` writes a map: compact, keys
    /// in order.
    raw: Box<RawValue>,
}

impl Obj {
    /// Encodes `value`.
    pub fn new(seq: u64, value: &Map<String, Value>) -> Obj {
        Obj { seq, raw: encode(value) }
    }

    /// The object as JSON text.
    pub fn raw(&self) -> &RawValue {
        &self.raw
    }

    /// The whole object, decoded (for a write that changes it).
    pub fn value(&self) -> Map<String, Value> {
        // The text was written from a map by `encode`, so it reads back.
        serde_json::from_str(self.raw.get()).unwrap_or_default()
    }

    /// A view of the object's fields.
    pub fn fields(&self) -> Fields<'_> {
        Fields::of(&self.raw)
    }

    /// Replaces the object's fields, keeping its place.
    pub fn set(&mut self, value: &Map<String, Value>) {
        self.raw = encode(value);
    }
}

/// The JSON text of a map. Writing a map of JSON values cannot fail (its
/// keys are strings); `null`, read back as an object without fields, stands
/// in if it ever did.
fn encode(value: &Map<String, Value>) -> Box<RawValue> {
    serde_json::value::to_raw_value(value).unwrap_or_else(|_| RawValue::NULL.to_owned())
}

/// The fields of a stored object: each name with its value's JSON text,
/// in the object's order.
#[derive(Debug, Default)]
pub(crate) struct Fields<'a> {
    list: Vec<(Cow<'a, str>, &'a str)>,
}

impl<'a> Fields<'a> {
    fn of(raw: &'a RawValue) -> Fields<'a> {
        let text = raw.get();
        if let Some(list) = split(text) {
            return Fields { list };
        }
        // Names with escapes: the full parser sorts them out.
        let mut de = serde_json::Deserializer::from_str(text);
        de.deserialize_map(FieldsVisitor).unwrap_or_default()
    }

    /// The JSON text of field `name`'s value, `null` included.
    pub fn text(&self, name: &str) -> Option<&'a str> {
        self.list.iter().find(|(k, _)| k == name).map(|(_, v)| *v)
    }

    /// Field `name`'s value, decoded.
    pub fn value(&self, name: &str) -> Option<Value> {
        self.text(name).map(decode)
    }

    /// Field `name` when it holds a string.
    pub fn str(&self, name: &str) -> Option<Cow<'a, str>> {
        self.text(name).and_then(text_str)
    }

    /// Every field with its value's text, in order.
    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = (&str, &'a str)> + '_ {
        self.list.iter().map(|(k, v)| (k.as_ref(), *v))
    }
}

/// Splits the compact text of an object into names and value texts
/// without decoding anything: a name ends at its closing quote, a string
/// value at the first quote not escaped, a list or object where its
/// brackets balance, anything else at the next `,` or `}`. `None` for a
/// name with escapes, or text not written by `encode`.
fn split(text: &str) -> Option<Vec<(Cow<'_, str>, &str)>> {
    let b = text.as_bytes();
    let mut list = Vec::with_capacity(12);
    if b.first() != Some(&b'{') {
        return None;
    }
    if text == "{}" {
        return Some(list);
    }
    let mut i = 1;
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let name_end = i + 1 + memchr::memchr2(b'"', b'\\', b.get(i + 1..)?)?;
        if b.get(name_end..name_end + 2) != Some(&b"\":"[..]) {
            return None;
        }
        let value_end = skip_value(b, name_end + 2)?;
        list.push((Cow::Borrowed(text.get(i + 1..name_end)?), text.get(name_end + 2..value_end)?));
        match b.get(value_end) {
            Some(b',') => i = value_end + 1,
            Some(b'}') if value_end + 1 == b.len() => return Some(list),
            _ => return None,
        }
    }
}

/// Where the string whose opening quote is at `i` ends (past its closing
/// quote).
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        j += memchr::memchr2(b'"', b'\\', b.get(j..)?)?;
        if b[j] == b'\\' {
            j += 2;
        } else {
            return Some(j + 1);
        }
    }
}

/// Where the value starting at `i` ends.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match *b.get(j)? {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => b.get(i..)?.iter().position(|c| matches!(c, b',' | b'}')).map(|n| i + n),
    }
}

/// A value's text decoded. The text is valid JSON (it was cut out of an
/// object `encode` wrote), so `null` stands in only in theory.
pub(crate) fn decode(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// The string a value's text holds, borrowed when it has no escapes.
pub(crate) fn text_str(text: &str) -> Option<Cow<'_, str>> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some(Cow::Borrowed(inner));
    }
    serde_json::from_str::<String>(text).ok().map(Cow::Owned)
}

/// Whether a value's text is `null`.
pub(crate) fn is_null(text: &str) -> bool {
    text == "null"
}

/// Whether a value's text is an empty string, list or object, or `null`
/// (what [`crate::compute::is_empty`] says of the decoded value). Stored
/// text is compact, so an empty list is exactly `[]`.
pub(crate) fn is_empty(text: &str) -> bool {
    matches!(text, "null" | "\"\"" | "[]" | "{}")
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
        let mut list = Vec::with_capacity(map.size_hint().unwrap_or(12));
        while let Some(key) = map.next_key_seed(Key)? {
            list.push((key, map.next_value::<&'de RawValue>()?.get()));
        }
        Ok(Fields { list })
    }
}

/// A field name, borrowed from the text unless it has escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Obj {
        Obj::new(1, v.as_object().expect("an object"))
    }

    #[test]
    fn objects_read_back_as_they_were_stored() {
        let v = json!({"id": "ipp_1", "n": -0.5, "big": u64::MAX, "list": [1, {"a": null}], "esc": "a\"b\\c\u{1}", "e\"k": true});
        let o = obj(v.clone());
        assert_eq!(Value::Object(o.value()), v);
        let f = o.fields();
        assert_eq!(f.iter().count(), 6);
        assert_eq!(f.str("id").as_deref(), Some("ipp_1"));
        assert_eq!(f.str("esc").as_deref(), Some("a\"b\\c\u{1}"));
        assert!(matches!(f.str("id"), Some(Cow::Borrowed(_))), "plain strings are borrowed");
        assert_eq!(f.value("e\"k"), Some(Value::Bool(true)), "escaped names are found");
        assert_eq!(f.value("big"), Some(json!(u64::MAX)));
        assert_eq!(f.str("n"), None, "a number is not a string");
        assert_eq!(f.text("list"), Some("[1,{\"a\":null}]"));
        assert!(f.text("missing").is_none());
    }

    #[test]
    fn the_quick_split_agrees_with_the_parser() {
        let tricky = [
            json!({}),
            json!({"a": "}],{[\"\\", "b": [{"c": "]"}, [], {}], "n": -1.5e-7, "t": true, "z": null}),
            json!({"only": {"x": {"y": [1, 2, {"z": "w,}"}]}}}),
            json!({"u": "é\u{1}\n", "last": 12}),
        ];
        for v in tricky {
            let o = obj(v.clone());
            let quick = split(o.raw().get()).expect("written by encode");
            let mut de = serde_json::Deserializer::from_str(o.raw().get());
            let parsed = de.deserialize_map(FieldsVisitor).expect("an object");
            assert_eq!(quick, parsed.list, "{v}");
        }
        assert!(split(r#"{"a\"b":1}"#).is_none(), "escaped names go to the parser");
        let o = obj(json!({"a\"b": 1}));
        assert_eq!(o.fields().value("a\"b"), Some(json!(1)));
    }

    #[test]
    fn emptiness_is_read_from_the_text() {
        let o = obj(json!({"s": "", "l": [], "m": {}, "z": null, "f": false, "n": 0, "t": "x", "ll": [0]}));
        let f = o.fields();
        for (name, raw) in f.iter() {
            let decoded = decode(raw);
            assert_eq!(is_empty(raw), crate::compute::is_empty(Some(&decoded)), "{name}");
            assert_eq!(is_null(raw), decoded.is_null(), "{name}");
        }
    }

    #[test]
    fn a_set_object_keeps_its_place() {
        let mut o = obj(json!({"a": 1}));
        o.set(json!({"b": 2}).as_object().expect("an object"));
        assert_eq!(o.seq, 1);
        assert_eq!(o.fields().value("b"), Some(json!(2)));
        assert!(o.fields().text("a").is_none());
    }
}
