//! The operators and standard functions a filter may call, with the types
//! they take and give. Literal arguments that must parse (a timestamp, a
//! duration, a regular expression) are tried once here, so a bad one is
//! refused before the data is looked at.

use cel::common::ast::{Expr, IdedExpr, LiteralValue, operators as op};

use super::types::{Res, Seen, Ty, comparable, first_line, join, op_name, ordered};

const KNOWN: &str = "size, contains, startsWith, endsWith, matches, timestamp, duration, int, uint, \
double, string, bytes, bool, dyn, type, the get* methods of timestamps and durations, and the macros \
has, all, exists, exists_one, map and filter";

fn is(t: &Ty, want: &Ty) -> bool {
    t == want || *t == Ty::Dyn
}

fn out(ty: Ty, parts: &[&Seen]) -> Res {
    let cost = parts.iter().fold(1u64, |c, s| c.saturating_add(s.cost));
    Ok(Seen { ty, cost, len: 0 })
}

fn no_overload(f: &str, tys: &[&Ty]) -> String {
    let names: Vec<String> = tys.iter().map(|t| t.name()).collect();
    format!("`{}` cannot be applied to ({})", op_name(f), names.join(", "))
}

/// The type of a call of `f` on `target` (a method call) with `args`;
/// `raw` are the argument expressions as written.
pub(crate) fn call(f: &str, target: Option<Seen>, args: Vec<Seen>, raw: &[IdedExpr]) -> Res {
    if let Some(t) = target {
        return method(f, t, args, raw);
    }
    match (f, args.as_slice()) {
        (op::LOGICAL_AND | op::LOGICAL_OR, [a, b]) => {
            if is(&a.ty, &Ty::Bool) && is(&b.ty, &Ty::Bool) {
                out(Ty::Bool, &[a, b])
            } else {
                Err(no_overload(f, &[&a.ty, &b.ty]))
            }
        }
        (op::LOGICAL_NOT, [a]) if is(&a.ty, &Ty::Bool) => out(Ty::Bool, &[a]),
        (op::NOT_STRICTLY_FALSE, [a]) => out(Ty::Bool, &[a]),
        (op::CONDITIONAL, [c, a, b]) if is(&c.ty, &Ty::Bool) => {
            let mut s = out(join(Some(a.ty.clone()), b.ty.clone()), &[c, a, b])?;
            s.len = a.len.max(b.len);
            Ok(s)
        }
        (op::EQUALS | op::NOT_EQUALS, [a, b]) if comparable(&a.ty, &b.ty) => out(Ty::Bool, &[a, b]),
        (op::LESS | op::LESS_EQUALS | op::GREATER | op::GREATER_EQUALS, [a, b]) if ordered(&a.ty, &b.ty) => {
            out(Ty::Bool, &[a, b])
        }
        (op::ADD | op::SUBSTRACT | op::MULTIPLY | op::DIVIDE | op::MODULO, [a, b]) => arithmetic(f, a, b),
        (op::NEGATE, [a]) if matches!(a.ty, Ty::Int | Ty::Double | Ty::Duration | Ty::Dyn) => {
            out(a.ty.clone(), &[a])
        }
        (op::INDEX, [a, i]) => index(a, i),
        (op::IN, [x, c]) => match &c.ty {
            Ty::List(t) | Ty::Map(t, _) if comparable(&x.ty, t) => out(Ty::Bool, &[x, c]),
            Ty::Dyn => out(Ty::Bool, &[x, c]),
            Ty::Bool | Ty::Int | Ty::Uint | Ty::Double | Ty::String | Ty::Bytes | Ty::Null | Ty::Timestamp | Ty::Duration | Ty::Type | Ty::List(_) | Ty::Map(..) | Ty::Obj(_) | Ty::Ref(_) => Err(no_overload(f, &[&x.ty, &c.ty])),
        },
        ("size", [a]) => size(a),
        ("matches", [s, p]) => matches(s, p, raw.get(1)),
        ("timestamp", [a]) if matches!(a.ty, Ty::String | Ty::Int | Ty::Timestamp | Ty::Dyn) => {
            try_literal("timestamp", raw.first())?;
            out(Ty::Timestamp, &[a])
        }
        ("duration", [a]) if matches!(a.ty, Ty::String | Ty::Duration | Ty::Dyn) => {
            try_literal("duration", raw.first())?;
            out(Ty::Duration, &[a])
        }
        ("int", [a]) => out(Ty::Int, &[a]),
        ("uint", [a]) => out(Ty::Uint, &[a]),
        ("double", [a]) => out(Ty::Double, &[a]),
        ("string", [a]) => out(Ty::String, &[a]),
        ("bytes", [a]) => out(Ty::Bytes, &[a]),
        ("bool", [a]) => out(Ty::Bool, &[a]),
        ("type", [a]) => out(Ty::Type, &[a]),
        ("dyn", [a]) => {
            let mut s = out(Ty::Dyn, &[a])?;
            s.len = a.len;
            Ok(s)
        }
        (name, given) if name.starts_with('_') || name.starts_with('@') || name.ends_with('_') => {
            let tys: Vec<&Ty> = given.iter().map(|s| &s.ty).collect();
            Err(no_overload(name, &tys))
        }
        (name, given) if is_known(name) => Err(format!("`{name}` does not take {} argument(s) here", given.len())),
        (name, _) => Err(format!("unknown function `{name}`; filters may use {KNOWN}")),
    }
}

fn is_known(name: &str) -> bool {
    matches!(
        name,
        "size" | "matches" | "timestamp" | "duration" | "int" | "uint" | "double" | "string" | "bytes" | "bool"
            | "type" | "dyn" | "contains" | "startsWith" | "endsWith"
    ) || name.starts_with("get")
}

fn method(f: &str, t: Seen, args: Vec<Seen>, raw: &[IdedExpr]) -> Res {
    match (f, args.as_slice()) {
        ("contains" | "startsWith" | "endsWith", [a]) if is(&t.ty, &Ty::String) && is(&a.ty, &Ty::String) => {
            out(Ty::Bool, &[&t, a])
        }
        ("matches", [p]) => matches(&t, p, raw.first()),
        ("size", []) => size(&t),
        (getter, tz) if getter.starts_with("get") && tz.len() <= 1 => {
            let on_time = matches!(
                getter,
                "getFullYear"
                    | "getMonth"
                    | "getDate"
                    | "getDayOfMonth"
                    | "getDayOfWeek"
                    | "getDayOfYear"
                    | "getHours"
                    | "getMinutes"
                    | "getSeconds"
                    | "getMilliseconds"
            );
            let on_duration = matches!(getter, "getHours" | "getMinutes" | "getSeconds" | "getMilliseconds");
            let ok = match &t.ty {
                Ty::Timestamp => on_time && tz.iter().all(|z| is(&z.ty, &Ty::String)),
                Ty::Duration => on_duration && tz.is_empty(),
                Ty::Dyn => on_time,
                Ty::Bool | Ty::Int | Ty::Uint | Ty::Double | Ty::String | Ty::Bytes | Ty::Null | Ty::Type | Ty::List(_) | Ty::Map(..) | Ty::Obj(_) | Ty::Ref(_) => false,
            };
            if !ok {
                return Err(format!("`{getter}` cannot be called on a {}", t.ty.name()));
            }
            let mut parts: Vec<&Seen> = vec![&t];
            parts.extend(tz.iter());
            out(Ty::Int, &parts)
        }
        (name, given) if is_known(name) => {
            let mut tys = vec![&t.ty];
            tys.extend(given.iter().map(|s| &s.ty));
            let names: Vec<String> = tys.iter().map(|t| t.name()).collect();
            Err(format!("`{name}` cannot be called on a {} with ({})", names[0], names[1..].join(", ")))
        }
        (name, _) => Err(format!("unknown function `{name}`; filters may use {KNOWN}")),
    }
}

fn arithmetic(f: &str, a: &Seen, b: &Seen) -> Res {
    use Ty::*;
    let ty = match (f, &a.ty, &b.ty) {
        (_, Dyn, _) | (_, _, Dyn) => Dyn,
        (op::MODULO, Int, Int) => Int,
        (op::MODULO, Uint, Uint) => Uint,
        (op::MODULO, _, _) => return Err(no_overload(f, &[&a.ty, &b.ty])),
        (_, x, y) if x == y && x.is_num() => x.clone(),
        (op::ADD, String, String) => String,
        (op::ADD, Bytes, Bytes) => Bytes,
        (op::ADD, List(_), List(_)) => {
            let mut s = out(join(Some(a.ty.clone()), b.ty.clone()), &[a, b])?;
            s.len = a.len.saturating_add(b.len);
            return Ok(s);
        }
        (op::ADD, Timestamp, Duration) | (op::ADD, Duration, Timestamp) => Timestamp,
        (op::ADD | op::SUBSTRACT, Duration, Duration) => Duration,
        (op::SUBSTRACT, Timestamp, Timestamp) => Duration,
        (op::SUBSTRACT, Timestamp, Duration) => Timestamp,
        _ => return Err(no_overload(f, &[&a.ty, &b.ty])),
    };
    out(ty, &[a, b])
}

fn index(a: &Seen, i: &Seen) -> Res {
    let ty = match &a.ty {
        Ty::List(t) if matches!(i.ty, Ty::Int | Ty::Uint | Ty::Dyn) => (**t).clone(),
        Ty::Map(k, v) if comparable(k, &i.ty) => (**v).clone(),
        Ty::Dyn => Ty::Dyn,
        Ty::Bool | Ty::Int | Ty::Uint | Ty::Double | Ty::String | Ty::Bytes | Ty::Null | Ty::Timestamp | Ty::Duration | Ty::Type | Ty::List(_) | Ty::Map(..) | Ty::Obj(_) | Ty::Ref(_) => return Err(no_overload(op::INDEX, &[&a.ty, &i.ty])),
    };
    out(ty, &[a, i])
}

fn size(a: &Seen) -> Res {
    match a.ty {
        Ty::String | Ty::Bytes | Ty::List(_) | Ty::Map(..) | Ty::Dyn => out(Ty::Int, &[a]),
        Ty::Bool | Ty::Int | Ty::Uint | Ty::Double | Ty::Null | Ty::Timestamp | Ty::Duration | Ty::Type | Ty::Obj(_) | Ty::Ref(_) => Err(format!("`size` needs a string, bytes, list or map, not a {}", a.ty.name())),
    }
}

fn matches(s: &Seen, p: &Seen, raw_pattern: Option<&IdedExpr>) -> Res {
    if !is(&s.ty, &Ty::String) || !is(&p.ty, &Ty::String) {
        return Err(no_overload("matches", &[&s.ty, &p.ty]));
    }
    if let Some(pattern) = string_literal(raw_pattern) {
        run_const(&format!("''.matches({})", quote(pattern)))
            .map_err(|e| format!("`matches` has a pattern that is not a valid regular expression: {e}"))?;
    }
    out(Ty::Bool, &[s, p])
}

fn string_literal(e: Option<&IdedExpr>) -> Option<&str> {
    match e.map(|e| &e.expr) {
        Some(Expr::Literal(LiteralValue::String(s))) => Some(s.inner()),
        _ => None,
    }
}

/// Tries `f("<literal>")` once when the argument is a string literal.
fn try_literal(f: &str, raw: Option<&IdedExpr>) -> Result<(), String> {
    let Some(lit) = string_literal(raw) else { return Ok(()) };
    run_const(&format!("{f}({})", quote(lit))).map_err(|e| format!("`{f}({})` is not valid: {e}", quote(lit)))
}

/// A CEL string literal holding `s` (JSON's escapes are CEL's too).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Evaluates a constant expression, for its error.
fn run_const(src: &str) -> Result<(), String> {
    let program = cel::Program::compile(src).map_err(|e| first_line(&e.to_string()).to_string())?;
    program.execute(&cel::Context::default()).map(|_| ()).map_err(|e| e.to_string())
}
