//! Rule expressions: compiled with the CEL parser, every name checked
//! against the variables and macros of the format.

use super::*;

/// CEL's own functions and operators, which every expression may call.
pub(super) const CEL_FUNCTIONS: &[&str] = &[
    "size", "matches", "startsWith", "endsWith", "contains", "int", "uint", "double", "string", "bytes", "bool",
    "timestamp", "duration", "type", "dyn", "has", "exists", "exists_one", "all", "map", "filter",
    "getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek", "getHours",
    "getMinutes", "getSeconds", "getMilliseconds",
];

/// Compiles an expression and checks every name in it against the
/// variables and macros of the format.
pub(super) fn check_expression(format: &PolicyFormat, src: &str) -> Result<(), String> {
    let parsed = std::panic::catch_unwind(|| cel::parser::Parser::new().parse(src));
    let expr = match parsed {
        Ok(Ok(e)) => e,
        Ok(Err(e)) => {
            let e = e.to_string();
            return Err(format!("does not compile: {}", e.lines().next().unwrap_or_default()));
        }
        Err(_) => return Err("does not compile".into()),
    };
    let names = Names::of(format);
    let mut bound = Vec::new();
    names.walk(&expr, &mut bound, 0)
}

/// The names expressions may use, from the format.
pub(super) struct Names {
    roots: BTreeSet<String>,
    known: BTreeSet<String>,
    leaves: BTreeSet<String>,
    functions: BTreeSet<String>,
    namespaces: BTreeSet<String>,
    macros: BTreeSet<String>,
}

impl Names {
    fn of(format: &PolicyFormat) -> Names {
        let mut known = BTreeSet::new();
        let mut roots = BTreeSet::new();
        for v in &format.expressions.variables {
            let parts: Vec<&str> = v.split('.').collect();
            for n in 1..=parts.len() {
                known.insert(parts[..n].join("."));
            }
            roots.insert(parts[0].to_string());
        }
        roots.insert("vars".into());
        let mut functions: BTreeSet<String> = CEL_FUNCTIONS.iter().map(|s| s.to_string()).collect();
        let mut namespaces = BTreeSet::new();
        let receivers = ["string", "list", "map", "bytes", "ts"];
        for m in &format.expressions.macros {
            match m.rsplit_once('.') {
                Some((ns, f)) if receivers.contains(&ns) => {
                    functions.insert(f.to_string());
                }
                Some((ns, _)) => {
                    namespaces.insert(ns.to_string());
                }
                None => {
                    functions.insert(m.clone());
                }
            }
        }
        Names {
            roots,
            leaves: format.expressions.variables.iter().cloned().collect(),
            known,
            functions,
            namespaces,
            macros: format.expressions.macros.iter().cloned().collect(),
        }
    }

    /// The dotted name of a chain of selections from an identifier.
    fn dotted(e: &IdedExpr) -> Option<String> {
        match &e.expr {
            Expr::Ident(n) => Some(n.clone()),
            Expr::Select(s) => Self::dotted(&s.operand).map(|o| format!("{o}.{}", s.field)),
            _ => None,
        }
    }

    fn variable(&self, name: &str, bound: &[String]) -> Result<(), String> {
        let root = name.split('.').next().unwrap_or_default();
        if bound.iter().any(|b| b == root) || root == "vars" {
            return Ok(());
        }
        if !self.roots.contains(root) {
            return Err(format!("unknown variable `{root}`"));
        }
        if self.known.contains(name) {
            return Ok(());
        }
        // Below a variable that is a map or an object, any member.
        let parts: Vec<&str> = name.split('.').collect();
        if (1..parts.len()).any(|n| self.leaves.contains(&parts[..n].join("."))) {
            return Ok(());
        }
        Err(format!("unknown variable `{name}`"))
    }

    fn walk(&self, e: &IdedExpr, bound: &mut Vec<String>, depth: usize) -> Result<(), String> {
        if depth > 64 {
            return Err("nests too deep".into());
        }
        let d = depth + 1;
        match &e.expr {
            Expr::Ident(_) | Expr::Select(_) if Self::dotted(e).is_some() => {
                let name = Self::dotted(e).unwrap_or_default();
                if let Expr::Select(s) = &e.expr
                    && s.test
                {
                    return self.variable(&Self::dotted(&s.operand).unwrap_or_default(), bound);
                }
                self.variable(&name, bound)
            }
            Expr::Select(s) => self.walk(&s.operand, bound, d),
            Expr::Call(c) => {
                let operator = c.func_name.starts_with('_') || c.func_name.starts_with('!') || c.func_name.starts_with('@');
                match &c.target {
                    Some(t) if matches!(&t.expr, Expr::Ident(n) if self.namespaces.contains(n) && !self.roots.contains(n)) => {
                        let Expr::Ident(ns) = &t.expr else { return Ok(()) };
                        let full = format!("{ns}.{}", c.func_name);
                        if !self.macros.contains(&full) {
                            return Err(format!("unknown macro `{full}`"));
                        }
                    }
                    Some(t) => {
                        if !operator && !self.functions.contains(&c.func_name) {
                            return Err(format!("unknown macro `{}`", c.func_name));
                        }
                        self.walk(t, bound, d)?;
                    }
                    None => {
                        if !operator && !self.functions.contains(&c.func_name) {
                            return Err(format!("unknown macro `{}`", c.func_name));
                        }
                    }
                }
                for a in &c.args {
                    self.walk(a, bound, d)?;
                }
                Ok(())
            }
            Expr::List(l) => l.elements.iter().try_for_each(|x| self.walk(x, bound, d)),
            Expr::Map(m) => m.entries.iter().try_for_each(|entry| match &entry.expr {
                cel::common::ast::EntryExpr::MapEntry(me) => {
                    self.walk(&me.key, bound, d)?;
                    self.walk(&me.value, bound, d)
                }
                cel::common::ast::EntryExpr::StructField(sf) => self.walk(&sf.value, bound, d),
            }),
            Expr::Comprehension(c) => {
                self.walk(&c.iter_range, bound, d)?;
                let before = bound.len();
                bound.push(c.iter_var.clone());
                if let Some(v2) = &c.iter_var2 {
                    bound.push(v2.clone());
                }
                bound.push(c.accu_var.clone());
                let out = [&c.accu_init, &c.loop_cond, &c.loop_step, &c.result].into_iter().try_for_each(|x| self.walk(x, bound, d));
                bound.truncate(before);
                out
            }
            Expr::Literal(_) | Expr::Struct(_) | Expr::Unspecified | Expr::Ident(_) => Ok(()),
        }
    }
}
