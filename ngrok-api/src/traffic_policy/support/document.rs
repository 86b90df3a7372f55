//! The checks that look past one value: a rule's expressions and the
//! actions a terminating one leaves unreachable, the `${...}` in text, and
//! the limits on a whole policy.

use super::*;
use crate::traffic_policy::{Action, Rule};

/// A rule's expressions, compiled when the `traffic-policy-cel` feature is
/// on (and not checked without it: the API checks them).
#[inline]
pub(crate) fn expressions(rule: &Rule, at: &str, out: &mut Vec<ValidationError>) {
    #[cfg(feature = "traffic-policy-cel")]
    for (j, e) in rule.expressions.iter().enumerate() {
        if let Err(why) = cel::check_expression(e) {
            out.push(ValidationError::new(index(&join(at, "expressions"), j), why));
        }
    }
    #[cfg(not(feature = "traffic-policy-cel"))]
    let _ = (rule, at, out);
}

/// The action at `actions[i]` never runs when an earlier action of its rule
/// always ends the handling of the traffic.
#[inline]
pub(crate) fn unreachable(actions: &[Action], i: usize, at: &str, out: &mut Vec<ValidationError>) {
    if let Some((j, ender)) = actions[..i].iter().enumerate().find(|(_, a)| a.is_terminating()) {
        out.push(ValidationError::new(
            at,
            format!("unreachable: actions[{j}] (`{}`) ends the handling of the traffic before `{}` runs", ender.kind(), actions[i].kind()),
        ));
    }
}

/// The `${...}` of a text: each closed and not empty, and, with the
/// `traffic-policy-cel` feature, each a valid expression.
#[inline]
pub(crate) fn interpolation(text: &str, at: &str, out: &mut Vec<ValidationError>) {
    match text::interpolations(text) {
        Err(why) => out.push(ValidationError::new(at, why)),
        #[cfg(feature = "traffic-policy-cel")]
        Ok(found) => {
            for e in found {
                if let Err(why) = cel::check_expression(e) {
                    out.push(ValidationError::new(at, format!("`${{{e}}}`: {why}")));
                }
            }
        }
        #[cfg(not(feature = "traffic-policy-cel"))]
        Ok(_) => {}
    }
}

/// The limits on a whole policy: each action of the counted types past the
/// most allowed, at its `type`.
#[inline]
pub(crate) fn limits(phases: &[(&str, &[Rule])], limits: &[(&str, &[&str], usize)], out: &mut Vec<ValidationError>) {
    for (name, kinds, max) in limits {
        let mut seen = 0;
        for (phase, rules) in phases {
            for (i, rule) in rules.iter().enumerate() {
                for (j, a) in rule.actions.iter().enumerate() {
                    if !kinds.contains(&a.kind()) {
                        continue;
                    }
                    seen += 1;
                    if seen > *max {
                        let at = join(&index(&join(&index(phase, i), "actions"), j), "type");
                        out.push(ValidationError::new(at, format!("at most {max} of the {name} ({}) in one policy", kinds.join(", "))));
                    }
                }
            }
        }
    }
}
