//! YAML text read into the JSON value a JSON document with the same content
//! would give, from the events of `saphyr_parser`.
//!
//! Plain scalars are resolved as YAML 1.2's core schema says (`null`, `~`,
//! `true`, `false`, integers, floats); quoted and block scalars are strings.
//! Keys are kept as written. Anchors and aliases are followed, with a bound
//! on how far aliases may expand a document, so that a small hostile text
//! cannot grow into a huge value.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};

/// How many values a document may hold once its aliases are expanded.
const MAX_VALUES: usize = 1_000_000;

/// A collection being read, with the anchor it was given (0 for none).
enum Open {
    List(Vec<Value>, usize, usize),
    Object { members: Map<String, Value>, key: Option<(String, Span)>, anchor: usize, size: usize },
}

/// The value a reader has built so far.
#[derive(Default)]
struct Reader {
    open: Vec<Open>,
    anchors: BTreeMap<usize, (Value, usize)>,
    root: Option<Value>,
    documents: usize,
    values: usize,
}

/// Reads one YAML document into a JSON value; an empty text is `null`.
/// The error says what was wrong and where.
#[inline]
pub(crate) fn to_json(text: &str) -> Result<Value, String> {
    let mut reader = Reader::default();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| e.to_string())?;
        reader.event(event, span)?;
    }
    Ok(reader.root.unwrap_or(Value::Null))
}

impl Reader {
    #[inline]
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), String> {
        let (value, size) = match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => return Ok(()),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(at(span, "a second YAML document (after `---`); a policy is one document"));
                }
                return Ok(());
            }
            Event::SequenceStart(anchor, _) => {
                self.open.push(Open::List(Vec::new(), anchor, 1));
                return Ok(());
            }
            Event::MappingStart(anchor, _) => {
                self.open.push(Open::Object { members: Map::new(), key: None, anchor, size: 1 });
                return Ok(());
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            Event::Alias(id) => match self.anchors.get(&id) {
                Some((value, size)) => (value.clone(), *size),
                None => return Err(at(span, "an alias to an anchor not defined before it")),
            },
            Event::Scalar(text, style, anchor, tag) => {
                if let Some(Open::Object { key: key @ None, .. }) = self.open.last_mut() {
                    *key = Some((text.into_owned(), span));
                    return Ok(());
                }
                let value = scalar(&text, style, tag.as_deref()).map_err(|why| at(span, &why))?;
                if anchor > 0 {
                    self.anchors.insert(anchor, (value.clone(), 1));
                }
                (value, 1)
            }
        };
        self.values = self.values.saturating_add(size);
        if self.values > MAX_VALUES {
            return Err(at(span, "aliases expand the document past a million values"));
        }
        self.attach(value, size, span)
    }

    /// Ends the innermost collection, returning it and its size.
    #[inline]
    fn close(&mut self) -> (Value, usize) {
        let (value, anchor, size) = match self.open.pop() {
            Some(Open::List(items, anchor, size)) => (Value::Array(items), anchor, size),
            Some(Open::Object { members, anchor, size, .. }) => (Value::Object(members), anchor, size),
            None => (Value::Null, 0, 1),
        };
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), size));
        }
        (value, size)
    }

    /// Puts a finished value where it belongs: in the collection around it,
    /// or at the root.
    #[inline]
    fn attach(&mut self, value: Value, size: usize, span: Span) -> Result<(), String> {
        match self.open.last_mut() {
            None => self.root = Some(value),
            Some(Open::List(items, _, total)) => {
                items.push(value);
                *total = total.saturating_add(size);
            }
            Some(Open::Object { key: None, .. }) => {
                return Err(at(span, "a key that is a list or an object; keys must be plain text"));
            }
            Some(Open::Object { members, key, size: total, .. }) => {
                let (name, key_span) = key.take().unwrap_or_else(|| (String::new(), span));
                *total = total.saturating_add(size);
                if members.contains_key(&name) {
                    return Err(at(key_span, &format!("the key `{name}` appears twice in one object")));
                }
                members.insert(name, value);
            }
        }
        Ok(())
    }
}

/// The error text for a fault at `span`.
#[inline]
fn at(span: Span, why: &str) -> String {
    format!("{why} at line {} column {}", span.start.line(), span.start.col() + 1)
}

/// The value of a scalar: a string unless it is plain (or tagged with one
/// of the core schema's types) and reads as a null, a boolean or a number.
#[inline]
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    let core = |suffix: &str| tag.is_some_and(|t| t.is_yaml_core_schema() && t.suffix == suffix);
    match tag {
        Some(_) if core("str") => return Ok(Value::String(text.to_string())),
        Some(_) if core("null") || core("bool") || core("int") || core("float") => {
            return plain(text).ok_or_else(|| format!("`{text}` is not a value of the tag `!!{}`", tag.map_or("", |t| t.suffix.as_str())));
        }
        Some(t) => return Err(format!("the YAML tag `{}{}` has no JSON meaning; remove it", t.handle, t.suffix)),
        None => {}
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::String(text.to_string()));
    }
    Ok(plain(text).unwrap_or_else(|| Value::String(text.to_string())))
}

/// A plain scalar's value under the core schema, or `None` for text.
#[inline]
fn plain(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let negative = text.starts_with('-');
    let radix = |prefix: &str, radix: u32| {
        let digits = unsigned.strip_prefix(prefix)?;
        let valid = !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix));
        if valid { i64::from_str_radix(digits, radix).ok() } else { None }
    };
    if let Some(n) = radix("0x", 16).or_else(|| radix("0o", 8)) {
        return Some(Value::from(if negative { n.checked_neg()? } else { n }));
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(unsigned) {
        let number = text.strip_prefix('+').unwrap_or(text);
        return match (number.parse::<i64>(), number.parse::<u64>()) {
            (Ok(n), _) => Some(Value::from(n)),
            (_, Ok(n)) => Some(Value::from(n)),
            _ => number.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number),
        };
    }
    if is_float(unsigned) {
        return text.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number);
    }
    None
}

/// Whether unsigned text has the core schema's float form:
/// `(.d+ | d+(.d*)?)([eE][-+]?d+)?`. Infinity and NaN have no JSON form and
/// stay text.
#[inline]
fn is_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = all_digits(whole) && all_digits(fraction) && (!whole.is_empty() || !fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests;
