//! A type check of a parsed filter against the item type of the list, done
//! once before any object is looked at, so a filter that cannot work is
//! refused whatever the store holds. It also measures the filter (nodes,
//! depth, nested comprehensions, an estimate of the work per object) so a
//! hostile one is refused before it runs.

use cel::common::ast::{Expr, IdedExpr, LiteralValue};

use super::types::{Res, Seen, Ty, join, of_field, seen};
use crate::table::Table;

/// Limits on the shape and cost of a filter.
pub(crate) struct Limits {
    pub max_nodes: usize,
    pub max_depth: usize,
    pub max_nesting: usize,
    pub max_cost: u64,
    /// The length assumed for a list or map the data holds.
    pub assumed_len: u64,
}

/// The checker's state: the names in scope, the counts so far.
pub(crate) struct Checker<'a> {
    table: &'a Table,
    limits: &'a Limits,
    scope: Vec<(String, Ty, u64)>,
    nodes: usize,
    nesting: usize,
}

impl<'a> Checker<'a> {
    pub fn new(table: &'a Table, limits: &'a Limits, item_type: &str) -> Checker<'a> {
        let obj = Ty::Obj(item_type.to_string());
        Checker { table, limits, scope: vec![("obj".into(), obj, 1)], nodes: 0, nesting: 0 }
    }

    /// Checks the whole filter: it must be a bool (or only known from the
    /// data) and within the limits.
    pub fn check(&mut self, e: &IdedExpr) -> Result<(), String> {
        let s = self.expr(e, 0)?;
        if s.cost > self.limits.max_cost {
            return Err(format!(
                "the filter would take about {} steps per object; at most {} are allowed (nest fewer or shorter loops)",
                s.cost, self.limits.max_cost
            ));
        }
        match s.ty {
            Ty::Bool | Ty::Dyn => Ok(()),
            other @ Ty::Int | other @ Ty::Uint | other @ Ty::Double | other @ Ty::String | other @ Ty::Bytes | other @ Ty::Null | other @ Ty::Timestamp | other @ Ty::Duration | other @ Ty::Type | other @ Ty::List(_) | other @ Ty::Map(..) | other @ Ty::Obj(_) | other @ Ty::Ref(_) => Err(format!("the filter must be a boolean expression, and this one is a {}", other.name())),
        }
    }

    fn expr(&mut self, e: &IdedExpr, depth: usize) -> Res {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(format!("the filter has more than {} terms", self.limits.max_nodes));
        }
        if depth > self.limits.max_depth {
            return Err(format!("the filter nests deeper than {} levels", self.limits.max_depth));
        }
        let d = depth + 1;
        match &e.expr {
            Expr::Literal(l) => seen(literal(l), 1),
            Expr::Ident(name) => self.ident(name),
            Expr::Select(s) => {
                let operand = self.expr(&s.operand, d)?;
                let ty = self.select(&operand.ty, &s.field)?;
                let (ty, len) = if s.test { (Ty::Bool, 0) } else { (ty, self.limits.assumed_len) };
                Ok(Seen { ty, cost: operand.cost + 1, len })
            }
            Expr::List(l) => {
                let mut elem = None;
                let mut cost = 1;
                for x in &l.elements {
                    let s = self.expr(x, d)?;
                    cost += s.cost;
                    elem = Some(join(elem, s.ty));
                }
                let len = l.elements.len() as u64;
                Ok(Seen { ty: Ty::List(Box::new(elem.unwrap_or(Ty::Dyn))), cost, len })
            }
            Expr::Map(m) => {
                let (mut kt, mut vt, mut cost) = (None, None, 1);
                for entry in &m.entries {
                    let cel::common::ast::EntryExpr::MapEntry(me) = &entry.expr else {
                        return Err("object literals are not supported in filters".into());
                    };
                    let k = self.expr(&me.key, d)?;
                    let v = self.expr(&me.value, d)?;
                    cost += k.cost + v.cost;
                    kt = Some(join(kt, k.ty));
                    vt = Some(join(vt, v.ty));
                }
                let ty = Ty::Map(Box::new(kt.unwrap_or(Ty::Dyn)), Box::new(vt.unwrap_or(Ty::Dyn)));
                Ok(Seen { ty, cost, len: m.entries.len() as u64 })
            }
            Expr::Call(c) => {
                let target = match &c.target {
                    Some(t) => Some(self.expr(t, d)?),
                    None => None,
                };
                let mut args = Vec::with_capacity(c.args.len());
                for a in &c.args {
                    args.push(self.expr(a, d)?);
                }
                super::funcs::call(&c.func_name, target, args, &c.args)
            }
            Expr::Comprehension(c) => {
                self.nesting += 1;
                if self.nesting > self.limits.max_nesting {
                    return Err(format!(
                        "the filter nests more than {} comprehensions (all, exists, exists_one, map, filter)",
                        self.limits.max_nesting
                    ));
                }
                let out = self.comprehension(c, d);
                self.nesting -= 1;
                out
            }
            Expr::Struct(_) => Err("message literals are not supported in filters".into()),
            Expr::Unspecified => Err("the filter has an empty expression".into()),
        }
    }

    fn ident(&self, name: &str) -> Res {
        if let Some((_, ty, len)) = self.scope.iter().rev().find(|(n, _, _)| n == name) {
            return Ok(Seen { ty: ty.clone(), cost: 1, len: *len });
        }
        match name {
            "int" | "uint" | "double" | "string" | "bytes" | "bool" | "list" | "map" | "null_type" | "type"
            | "google.protobuf.Timestamp" | "google.protobuf.Duration" => seen(Ty::Type, 1),
            _ => Err(format!("unknown name `{name}`: the object being filtered is `obj`")),
        }
    }

    fn select(&self, operand: &Ty, field: &str) -> Result<Ty, String> {
        match operand {
            Ty::Ref(name) => match self.table.fields(name).iter().find(|f| f.name == field) {
                Some(f) => Ok(of_field(self.table, &f.ty)),
                None => {
                    let known: Vec<String> = self.table.fields(name).iter().map(|f| format!("`{}`", f.name)).collect();
                    Err(format!("a reference has the fields {}, not `{field}`", known.join(" and ")))
                }
            },
            Ty::Obj(name) => {
                let fields = self.table.fields(name);
                match fields.iter().find(|f| f.name == field && !f.hidden) {
                    Some(f) => Ok(of_field(self.table, &f.ty)),
                    None => {
                        let known: Vec<&str> =
                            fields.iter().filter(|f| !f.hidden).map(|f| f.name.as_str()).collect();
                        Err(format!("`{name}` has no field `{field}`; its fields are {}", known.join(", ")))
                    }
                }
            }
            Ty::Map(k, v) if matches!(**k, Ty::String | Ty::Dyn) => Ok((**v).clone()),
            Ty::Dyn => Ok(Ty::Dyn),
            other @ Ty::Bool | other @ Ty::Int | other @ Ty::Uint | other @ Ty::Double | other @ Ty::String | other @ Ty::Bytes | other @ Ty::Null | other @ Ty::Timestamp | other @ Ty::Duration | other @ Ty::Type | other @ Ty::List(_) | other @ Ty::Map(..) => Err(format!("`.{field}` selects a field, and a {} has none", other.name())),
        }
    }

    fn comprehension(&mut self, c: &cel::common::ast::ComprehensionExpr, d: usize) -> Res {
        let range = self.expr(&c.iter_range, d)?;
        let (var_ty, var2_ty) = match &range.ty {
            Ty::List(t) => (Ty::Int, (**t).clone()),
            Ty::Map(k, v) => ((**k).clone(), (**v).clone()),
            Ty::Dyn => (Ty::Dyn, Ty::Dyn),
            other @ Ty::Bool | other @ Ty::Int | other @ Ty::Uint | other @ Ty::Double | other @ Ty::String | other @ Ty::Bytes | other @ Ty::Null | other @ Ty::Timestamp | other @ Ty::Duration | other @ Ty::Type | other @ Ty::Obj(_) | other @ Ty::Ref(_) => return Err(format!("a comprehension needs a list or a map to range over, not a {}", other.name())),
        };
        // With one variable it is the element (list) or the key (map).
        let first = match (&range.ty, &c.iter_var2) {
            (Ty::List(_), None) => var2_ty.clone(),
            _ => var_ty,
        };
        let init = self.expr(&c.accu_init, d)?;
        let inner_len = self.limits.assumed_len;
        let base = self.scope.len();
        self.scope.push((c.iter_var.clone(), first, inner_len));
        if let Some(v2) = &c.iter_var2 {
            self.scope.push((v2.clone(), var2_ty, inner_len));
        }
        self.scope.push((c.accu_var.clone(), init.ty.clone(), range.len));
        let body = (|| {
            let cond = self.expr(&c.loop_cond, d)?;
            let step = self.expr(&c.loop_step, d)?;
            if let Some(last) = self.scope.last_mut() {
                last.1 = join(Some(init.ty.clone()), step.ty.clone());
            }
            let result = self.expr(&c.result, d)?;
            Ok::<_, String>((cond.cost + step.cost, result))
        })();
        self.scope.truncate(base);
        let (per_item, result) = body?;
        let loops = range.len.max(1).saturating_mul(per_item);
        let cost = range.cost.saturating_add(init.cost).saturating_add(loops).saturating_add(result.cost);
        Ok(Seen { ty: result.ty, cost, len: range.len })
    }
}

fn literal(l: &LiteralValue) -> Ty {
    match l {
        LiteralValue::Boolean(_) => Ty::Bool,
        LiteralValue::Bytes(_) => Ty::Bytes,
        LiteralValue::Double(_) => Ty::Double,
        LiteralValue::Int(_) => Ty::Int,
        LiteralValue::Null => Ty::Null,
        LiteralValue::String(_) => Ty::String,
        LiteralValue::UInt(_) => Ty::Uint,
    }
}

