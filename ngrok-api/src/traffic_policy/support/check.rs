//! What `validate` checks of one field, and the checks themselves.

use super::*;

/// What `validate` checks of one field; every limit is optional.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    pub required: bool,
    pub constant: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub duration: bool,
    pub min_duration: Option<&'static str>,
    pub max_duration: Option<&'static str>,
    pub multiple_of: Option<&'static str>,
    pub max_len: Option<usize>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique: bool,
    pub min_entries: Option<usize>,
    pub max_entries: Option<usize>,
    pub item_min_entries: Option<usize>,
    pub item_max_entries: Option<usize>,
    pub forbidden: &'static [&'static str],
    /// Text values may hold `${...}` expressions.
    pub cel: bool,
    /// Each value is a `username:password` credential; the password's
    /// fewest and most characters.
    pub credentials: Option<(usize, usize)>,
}

impl Rules {
    pub(crate) const NONE: Rules = Rules {
        required: false,
        constant: None,
        min: None,
        max: None,
        duration: false,
        min_duration: None,
        max_duration: None,
        multiple_of: None,
        max_len: None,
        min_items: None,
        max_items: None,
        unique: false,
        min_entries: None,
        max_entries: None,
        item_min_entries: None,
        item_max_entries: None,
        forbidden: &[],
        cel: false,
        credentials: None,
    };

    /// The rules of a map's values, or of the text inside a JSON value.
    #[inline]
    fn values(&self) -> Rules {
        Rules { cel: self.cel, ..Rules::NONE }
    }

    /// The rules of each item of a list with these rules.
    #[inline]
    fn items(&self) -> Rules {
        Rules {
            required: false,
            min_items: None,
            max_items: None,
            unique: false,
            min_entries: self.item_min_entries,
            max_entries: self.item_max_entries,
            item_min_entries: None,
            item_max_entries: None,
            ..*self
        }
    }
}

/// `n thing` or `n things`.
#[inline]
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("{n} {one}") } else { format!("{n} {many}") }
}

/// A value `validate` checks against its field's [`Rules`].
pub(crate) trait Check {
    /// Adds every problem of the value at `at` to `out`.
    fn check(&self, at: &str, rules: &Rules, out: &mut Vec<ValidationError>);
    /// The value as a problem message quotes it.
    fn show(&self) -> String;
}

/// Checks an optional field: `required` when absent, else its value.
#[inline]
pub(crate) fn field<T: Check>(value: &Option<T>, at: &str, name: &str, rules: &Rules, out: &mut Vec<ValidationError>) {
    match value {
        None if rules.required => out.push(ValidationError::new(join(at, name), "required")),
        None => {}
        Some(v) => v.check(&join(at, name), rules, out),
    }
}

/// Checks that `other` is set when `value` is.
#[inline]
pub(crate) fn requires<T, U>(value: &Option<T>, other: &Option<U>, at: &str, name: &str, other_name: &str, out: &mut Vec<ValidationError>) {
    if value.is_some() && other.is_none() {
        out.push(ValidationError::new(join(at, other_name), format!("required when {name} is set")));
    }
}

#[inline]
fn number(v: f64, at: &str, rules: &Rules, out: &mut Vec<ValidationError>) {
    if let Some(c) = rules.constant
        && v != c {
            out.push(ValidationError::new(at, format!("must be {c}")));
        }
    if let Some(min) = rules.min
        && v < min {
            out.push(ValidationError::new(at, format!("at least {min}")));
        }
    if let Some(max) = rules.max
        && v > max {
            out.push(ValidationError::new(at, format!("at most {max}")));
        }
}

impl Check for i64 {
    #[inline]
    fn check(&self, at: &str, rules: &Rules, out: &mut Vec<ValidationError>) {
        number(*self as f64, at, rules, out);
    }
    #[inline]
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Check for f64 {
    #[inline]
    fn check(&self, at: &str, rules: &Rules, out: &mut Vec<ValidationError>) {
        number(*self, at, rules, out);
    }
    #[inline]
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Check for bool {
    #[inline]
    fn check(&self, _: &str, _: &Rules, _: &mut Vec<ValidationError>) {}
    #[inline]
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Check for Value {
    /// Only the text inside, for its `${...}`.
    #[inline]
    fn check(&self, at: &str, rules: &Rules, out: &mut Vec<ValidationError>) {
        if !rules.cel {
            return;
        }
        match self {
            Value::String(s) => interpolation(s, at, out),
            Value::Array(items) => items.iter().enumerate().for_each(|(i, x)| x.check(&index(at, i), rules, out)),
            Value::Object(m) => m.iter().for_each(|(k, x)| x.check(&join(at, k), rules, out)),
            _ => {}
        }
    }
    #[inline]
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Check for String {
    #[inline]
    fn check(&self, at: &str, rules: &Rules, out: &mut Vec<ValidationError>) {
        if let Some(max) = rules.max_len
            && self.chars().count() > max {
                out.push(ValidationError::new(at, format!("at most {}", count(max, "character", "characters"))));
            }
        if rules.forbidden.contains(&self.as_str()) {
            out.push(ValidationError::new(at, format!("`{self}` is not allowed")));
        }
        // A duration built by an expression is only known when traffic comes.
        if rules.duration && !self.contains("${") {
            duration(self, at, rules, out);
        }
        if rules.cel {
            interpolation(self, at, out);
        }
        if let Some((min, max)) = rules.credentials
            && let Some(fault) = text::check_credential(self, min, max)
        {
            let (text::CredentialFault::Username(m) | text::CredentialFault::Password(m)) = fault;
            out.push(ValidationError::new(at, m));
        }
    }
    #[inline]
    fn show(&self) -> String {
        self.clone()
    }
}

#[inline]
fn duration(text: &str, at: &str, rules: &Rules, out: &mut Vec<ValidationError>) {
    let Some(nanos) = parse_duration(text) else {
        out.push(ValidationError::new(at, format!("`{text}` is not a duration such as 90s or 10m")));
        return;
    };
    let bound = |b: Option<&'static str>| b.and_then(|t| parse_duration(t).map(|n| (t, n)));
    if let Some((t, min)) = bound(rules.min_duration)
        && nanos < min {
            out.push(ValidationError::new(at, format!("at least {t}")));
        }
    if let Some((t, max)) = bound(rules.max_duration)
        && nanos > max {
            out.push(ValidationError::new(at, format!("at most {t}")));
        }
    if let Some((t, step)) = bound(rules.multiple_of)
        && step > 0 && nanos % step != 0 {
            out.push(ValidationError::new(at, format!("a multiple of {t}")));
        }
}

impl<T: Check> Check for Vec<T> {
    #[inline]
    fn check(&self, at: &str, rules: &Rules, out: &mut Vec<ValidationError>) {
        if let Some(min) = rules.min_items
            && self.len() < min {
                out.push(ValidationError::new(at, format!("at least {}", count(min, "item", "items"))));
            }
        if let Some(max) = rules.max_items
            && self.len() > max {
                out.push(ValidationError::new(at, format!("at most {}", count(max, "item", "items"))));
            }
        if rules.unique {
            let shown: Vec<String> = self.iter().map(Check::show).collect();
            for (i, s) in shown.iter().enumerate() {
                if shown[..i].contains(s) {
                    out.push(ValidationError::new(index(at, i), format!("`{s}` is listed twice")));
                }
            }
        }
        let items = rules.items();
        for (i, x) in self.iter().enumerate() {
            x.check(&index(at, i), &items, out);
        }
    }
    #[inline]
    fn show(&self) -> String {
        let items: Vec<String> = self.iter().map(Check::show).collect();
        format!("[{}]", items.join(", "))
    }
}

impl<T: Check> Check for BTreeMap<String, T> {
    #[inline]
    fn check(&self, at: &str, rules: &Rules, out: &mut Vec<ValidationError>) {
        if let Some(min) = rules.min_entries
            && self.len() < min {
                out.push(ValidationError::new(at, format!("at least {}", count(min, "entry", "entries"))));
            }
        if let Some(max) = rules.max_entries
            && self.len() > max {
                out.push(ValidationError::new(at, format!("at most {}", count(max, "entry", "entries"))));
            }
        if rules.cel {
            let values = rules.values();
            for (k, v) in self {
                v.check(&join(at, k), &values, out);
            }
        }
    }
    #[inline]
    fn show(&self) -> String {
        let keys: Vec<&str> = self.keys().map(String::as_str).collect();
        keys.join(",")
    }
}

/// Checks an open enum's value: one the format knows.
#[inline]
pub(crate) fn known_value(value: &str, known: bool, values: &[&str], at: &str, out: &mut Vec<ValidationError>) {
    if !known {
        out.push(ValidationError::new(at, format!("`{value}` is not one of {}", values.join(", "))));
    }
}

/// A duration written as Go writes them (`90s`, `1h30m`, `1.5m`, `250ms`),
/// in nanoseconds; `None` when the text is not one.
#[inline]
pub(crate) fn parse_duration(text: &str) -> Option<u128> {
    if text == "0" {
        return Some(0);
    }
    let mut rest = text.as_bytes();
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let digits = rest.iter().take_while(|b| b.is_ascii_digit() || **b == b'.').count();
        if digits == 0 {
            return None;
        }
        let number: f64 = std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest.iter().take_while(|b| !(b.is_ascii_digit() || **b == b'.')).count();
        let scale: f64 = match std::str::from_utf8(&rest[..unit_len]).ok()? {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += number * scale;
    }
    if total.is_finite() && total >= 0.0 { Some(total.round() as u128) } else { None }
}
