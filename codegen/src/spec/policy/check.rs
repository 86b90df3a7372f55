//! The checks of a loaded policy format: names, fields and limits that fit.

use super::*;

/// Every rule of the format, each adding what it finds.
pub(super) fn check(format: &PolicyFormat, errors: &mut Vec<SpecError>) {
    if format.description.trim().is_empty() {
        errors.push(err("description", "the format needs a description"));
    }
    for p in &format.phases {
        if p.description.trim().is_empty() {
            errors.push(err(format!("phase {}", p.name), "needs a description"));
        }
    }
    for p in &format.cloud_phases {
        if !format.is_phase(p) {
            errors.push(err("cloud_phases", format!("`{p}` is not one of the phases")));
        }
    }
    // A limit's refusal carries the limit's own code.
    for kind in ProblemKind::ALL.iter().filter(|k| **k != ProblemKind::Limit) {
        match format.codes.get(kind.key()) {
            None => errors.push(err("codes", format!("no code for `{}`; every kind of problem needs the code the API answers with", kind.key()))),
            Some(code) if !code.starts_with("ERR_NGROK_") => {
                errors.push(err("codes", format!("`{code}` is not an ngrok error code (ERR_NGROK_<number>)")))
            }
            Some(_) => {}
        }
    }
    for (key, code) in &format.cloud_codes {
        if !ProblemKind::ALL.iter().any(|k| k.key() == key) || !code.starts_with("ERR_NGROK_") {
            errors.push(err("cloud_codes", format!("`{key}: {code}` needs a kind of problem and an ngrok error code")));
        }
    }
    for key in format.codes.keys() {
        if !ProblemKind::ALL.iter().any(|k| k.key() == key) {
            errors.push(err("codes", format!("`{key}` is not a kind of problem")));
        }
    }
    check_limits_of_document(format, errors);
    let mut seen = BTreeMap::new();
    let mut named: BTreeMap<String, (String, PolicyType)> = BTreeMap::new();
    for a in &format.actions {
        let item = format!("action {}", a.kind);
        if seen.insert(a.kind.clone(), ()).is_some() {
            errors.push(err(&item, "listed twice"));
        }
        if !is_rust_ident(&a.rust_name) {
            errors.push(err(&item, format!("rust name `{}` is not a Rust identifier", a.rust_name)));
        }
        if a.description.trim().is_empty() {
            errors.push(err(&item, "needs a description"));
        }
        if a.phases.is_empty() {
            errors.push(err(&item, "needs the phases it may be used in"));
        }
        for p in &a.phases {
            if !format.is_phase(p) {
                errors.push(err(&item, format!("phase `{p}` is not one of the phases")));
            }
        }
        if let Some(u) = &a.terminating_unless {
            let fits = a.config.iter().any(|f| f.name == u.field && matches!(&f.ty, PolicyType::Enum { values, .. } if values.contains(&u.value)));
            if !a.terminating || !fits {
                errors.push(err(&item, "terminating_unless needs a terminating action and one of the values of one of its enum fields"));
            }
        }
        let anchor = PolicyType::Object { rust_name: a.rust_name.clone(), fields: a.config.clone() };
        note_name(&a.rust_name, &anchor, &item, &mut named, errors);
        check_fields(&a.config, &item, &mut named, errors);
    }
}

/// Two types may share a Rust name only when they are the same type.
pub(super) fn note_name(name: &str, ty: &PolicyType, item: &str, named: &mut BTreeMap<String, (String, PolicyType)>, errors: &mut Vec<SpecError>) {
    match named.get(name) {
        Some((first, other)) if other != ty => errors.push(err(
            item,
            format!("Rust name `{name}` is already used by {first} for another type; give this one a name of its own"),
        )),
        Some(_) => {}
        None => {
            named.insert(name.to_string(), (item.to_string(), ty.clone()));
        }
    }
}

pub(super) fn check_fields(fields: &[PolicyField], item: &str, named: &mut BTreeMap<String, (String, PolicyType)>, errors: &mut Vec<SpecError>) {
    let mut seen = BTreeMap::new();
    for f in fields {
        let item = format!("{item}, field {}", f.name);
        if seen.insert(f.name.clone(), ()).is_some() {
            errors.push(err(&item, "listed twice"));
        }
        if !super::super::naming::is_field_name(&f.name) {
            errors.push(err(&item, "field names are snake_case words"));
        }
        if f.description.trim().is_empty() {
            errors.push(err(&item, "needs a description"));
        }
        for r in &f.requires {
            if r == &f.name || !fields.iter().any(|o| &o.name == r) {
                errors.push(err(&item, format!("requires `{r}`, which is not another field of the same object")));
            }
        }
        check_limits(f, &item, errors);
        let mut ty = &f.ty;
        loop {
            match ty {
                PolicyType::List { item } => ty = item,
                PolicyType::Map { value } => ty = value,
                PolicyType::String | PolicyType::Integer | PolicyType::Float | PolicyType::Bool | PolicyType::Duration | PolicyType::Cel | PolicyType::Any | PolicyType::Enum { .. } | PolicyType::Object { .. } => break,
            }
        }
        match ty {
            PolicyType::Enum { rust_name, values } => {
                if values.is_empty() {
                    errors.push(err(&item, "an enum needs its values"));
                }
                if !is_rust_ident(rust_name) {
                    errors.push(err(&item, format!("enum name `{rust_name}` is not a Rust identifier")));
                }
                note_name(rust_name, ty, &item, named, errors);
            }
            PolicyType::Object { rust_name, fields } => {
                if fields.is_empty() {
                    errors.push(err(&item, "an object needs its fields (use `any` for free-form values)"));
                }
                if !is_rust_ident(rust_name) {
                    errors.push(err(&item, format!("rust name `{rust_name}` is not a Rust identifier")));
                }
                note_name(rust_name, ty, &item, named, errors);
                check_fields(fields, &item, named, errors);
            }
            PolicyType::String | PolicyType::Integer | PolicyType::Float | PolicyType::Bool | PolicyType::Duration | PolicyType::Cel | PolicyType::Any | PolicyType::List { .. } | PolicyType::Map { .. } => {}
        }
    }
}

/// Each limit only on a type it applies to, durations that parse, and a
/// default or constant of the field's type.
pub(super) fn check_limits(f: &PolicyField, item: &str, errors: &mut Vec<SpecError>) {
    let numbers = |t: &PolicyType| matches!(t, PolicyType::Integer | PolicyType::Float);
    let scalar_or_items = match &f.ty {
        PolicyType::List { item } => item.as_ref(),
        other @ PolicyType::String | other @ PolicyType::Integer | other @ PolicyType::Float | other @ PolicyType::Bool | other @ PolicyType::Duration | other @ PolicyType::Cel | other @ PolicyType::Any | other @ PolicyType::Enum { .. } | other @ PolicyType::Object { .. } | other @ PolicyType::Map { .. } => other,
    };
    let mut bad = |key: &str, why: &str| errors.push(err(item, format!("`{key}` {why} (the field is {})", f.ty.spelling())));
    if (f.min.is_some() || f.max.is_some()) && !numbers(scalar_or_items) {
        bad("min/max", "applies to numbers and lists of numbers");
    }
    let is_duration = matches!(f.ty, PolicyType::Duration);
    for (key, v) in [("min", &f.min_duration), ("max", &f.max_duration), ("multiple_of", &f.multiple_of)] {
        if let Some(v) = v {
            if !is_duration {
                bad(key, "as a duration applies to durations");
            } else if parse_duration(v).is_none() {
                bad(key, "is not a duration such as 60s");
            }
        }
    }
    if f.max_len.is_some() && !matches!(f.ty, PolicyType::String | PolicyType::Cel) {
        bad("max_len", "applies to strings");
    }
    let is_list = matches!(f.ty, PolicyType::List { .. });
    if (f.min_items.is_some() || f.max_items.is_some() || f.unique_items) && !is_list {
        bad("min_items/max_items/unique_items", "apply to lists");
    }
    if (f.min_entries.is_some() || f.max_entries.is_some()) && !matches!(f.ty, PolicyType::Map { .. }) {
        bad("min_entries/max_entries", "apply to maps");
    }
    if (f.item_min_entries.is_some() || f.item_max_entries.is_some())
        && !matches!(&f.ty, PolicyType::List { item } if matches!(item.as_ref(), PolicyType::Map { .. }))
    {
        bad("item_min_entries/item_max_entries", "apply to lists of maps");
    }
    if !f.forbidden_values.is_empty() && !matches!(scalar_or_items, PolicyType::String) {
        bad("forbidden_values", "applies to strings and lists of strings");
    }
    if let Some(c) = &f.credentials {
        if !matches!(scalar_or_items, PolicyType::String) {
            bad("credentials", "applies to strings and lists of strings");
        }
        if c.password_min_len > c.password_max_len {
            bad("credentials", "needs password_min_len at most password_max_len");
        }
    }
    for (key, v) in [("default", &f.default), ("const", &f.constant)] {
        if let Some(v) = v
            && !fits(&f.ty, v) {
                bad(key, &format!("`{v}` is not a value of the field's type"));
            }
    }
}

/// Whether a JSON value is one of type `ty`.
pub(super) fn fits(ty: &PolicyType, v: &Value) -> bool {
    match (ty, v) {
        (PolicyType::String | PolicyType::Cel, Value::String(_)) => true,
        (PolicyType::Duration, Value::String(s)) => parse_duration(s).is_some(),
        (PolicyType::Integer, Value::Number(n)) => n.is_i64(),
        (PolicyType::Float, Value::Number(_)) => true,
        (PolicyType::Bool, Value::Bool(_)) => true,
        (PolicyType::Any, _) => true,
        (PolicyType::Enum { values, .. }, Value::String(s)) => values.contains(s),
        (PolicyType::List { item }, Value::Array(a)) => a.iter().all(|x| fits(item, x)),
        (PolicyType::Map { value }, Value::Object(m)) => m.values().all(|x| fits(value, x)),
        _ => false,
    }
}

/// Each document limit counts known action types, at least one allowed,
/// and is refused with an ngrok error code.
fn check_limits_of_document(format: &PolicyFormat, errors: &mut Vec<SpecError>) {
    for l in &format.limits {
        let item = format!("limit {}", l.name);
        if l.actions.is_empty() || l.max == 0 || l.description.trim().is_empty() {
            errors.push(err(&item, "needs a description, the action types it counts and a max of at least 1"));
        }
        for a in l.actions.iter().filter(|a| format.action(a).is_none()) {
            errors.push(err(&item, format!("`{a}` is not one of the action types")));
        }
        if !l.code.starts_with("ERR_NGROK_") {
            errors.push(err(&item, format!("`{}` is not an ngrok error code (ERR_NGROK_<number>)", l.code)));
        }
    }
}
