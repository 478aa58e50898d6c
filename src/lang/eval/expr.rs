//! Expressions: [`Ctx::truth`] works out conditions as truth values, [`Ctx::eval`] everything
//! else as values; each calls the other for what it holds. Both dispatch on the form of the
//! expression; the larger forms have a method each below.

use super::value::{Items, Value};
use super::Ctx;
use crate::agreement::doc::{Doc, Value as NodeValue};
use crate::agreement::values::Money;
use crate::lang::ast::{
    blank_out, AggKind, Arith, Cmp, Expr, ExprKind, Ident, Lit, Pattern, Quant, Zero,
};
use std::borrow::Cow;

impl<'d> Ctx<'d> {
    /// A condition's truth value. Conditions are worked out here as truth values rather than
    /// as values, so no value is built and dropped for each `and`, `in` or comparison.
    pub(super) fn truth(&mut self, e: &'d Expr) -> Option<bool> {
        match &e.kind {
            ExprKind::Or(items) => {
                let mut res = Some(false);
                for i in items {
                    match self.truth(i) {
                        Some(true) => return Some(true),
                        None => res = None,
                        _ => {}
                    }
                }
                res
            }
            ExprKind::And(items) => {
                let mut res = Some(true);
                for i in items {
                    match self.truth(i) {
                        Some(false) => return Some(false),
                        None => res = None,
                        _ => {}
                    }
                }
                res
            }
            ExprKind::Not(a) => self.truth(a).map(|x| !x),
            ExprKind::Present(a) => {
                let v = self.eval(a);
                self.present(&v)
            }
            ExprKind::Absent(a) => {
                let v = self.eval(a);
                self.present(&v).map(|x| !x)
            }
            ExprKind::Placeholder(a) => {
                let v = self.eval(a);
                Some(
                    matches!(v, Value::Node(n) if matches!(self.doc.node(n).value, NodeValue::Placeholder(_))),
                )
            }
            ExprKind::Unreadable(a) => {
                let v = self.eval(a);
                Some(match v {
                    Value::Unknown => true,
                    Value::Node(n) => matches!(self.doc.node(n).value, NodeValue::Invalid),
                    _ => false,
                })
            }
            ExprKind::Matches(a, re, except) => self.matches(a, re, except.as_deref()),
            ExprKind::Contains { whole, part } => {
                let (whole, part) = (self.eval(whole), self.eval(part));
                self.contains(&whole, &part)
            }
            ExprKind::In {
                part,
                whole,
                negated,
            } => {
                let r = self.is_in(part, whole);
                if *negated {
                    r.map(|x| !x)
                } else {
                    r
                }
            }
            ExprKind::Compare(op, l, r) => self.compare(*op, l, r),
            ExprKind::Quant {
                kind,
                var,
                coll,
                cond,
            } => self.quantified(*kind, var, coll, cond),
            _ => {
                let v = self.eval(e);
                self.truth_of(v)
            }
        }
    }

    /// `x matches "re" [except "re"]`; a list matches when one of its items does.
    fn matches(&mut self, a: &'d Expr, re: &Pattern, except: Option<&Pattern>) -> Option<bool> {
        let v = self.eval(a);
        let items = self.list_of(&v).unwrap_or_else(|| Some(vec![v.clone()]));
        let items = items?;
        let mut res = Some(false);
        for it in &items {
            match self.scalar(it) {
                None => res = None,
                Some(Err(())) => {}
                Some(Ok(s)) => {
                    // `None`: a pattern that no longer compiles (see `Pattern`) makes the
                    // answer unknown, as an unknown item does.
                    let hit = self.text_of(s).map_or(Some(false), |t| {
                        let t = super::normalise::for_matching(&t);
                        match except {
                            Some(ex) => blank_out(ex, &t).and_then(|t| re.is_match(&t)),
                            None => re.is_match(&t),
                        }
                    });
                    match hit {
                        Some(true) => return Some(true),
                        Some(false) => {}
                        None => res = None,
                    }
                }
            }
        }
        res
    }

    /// `part in whole`: [`Ctx::contains`], with short cuts for a list written out in the rule.
    fn is_in(&mut self, part: &'d Expr, whole: &'d Expr) -> Option<bool> {
        let part = self.eval(part);
        if let ExprKind::List(items) = &whole.kind {
            // Written-out words, such as `legal_basis in ("section_75", "care_trust")`
            // (every `applies to`): the value's text is found once and compared with
            // each word, as `member` would, without making values of the words.
            if items
                .iter()
                .all(|i| matches!(i.kind, ExprKind::Lit(Lit::Text(_))))
            {
                if items.is_empty() || self.is_list(&part) {
                    return Some(false);
                }
                return match self.scalar(&part) {
                    Some(Ok(s)) => Some(self.text_of(s).is_some_and(|t| {
                        items
                            .iter()
                            .any(|i| matches!(&i.kind, ExprKind::Lit(Lit::Text(w)) if *w == *t))
                    })),
                    _ => None,
                };
            }
            // Another short list is held on the stack rather than built as a list value.
            if items.len() <= 4 {
                let mut buf = [
                    Value::Unknown,
                    Value::Unknown,
                    Value::Unknown,
                    Value::Unknown,
                ];
                for (slot, i) in buf.iter_mut().zip(items) {
                    *slot = self.eval(i);
                }
                return self.member(&part, Items::Values(buf[..items.len()].iter()));
            }
        }
        let whole = self.eval(whole);
        self.contains(&whole, &part)
    }

    /// `l = r`, `l < r` and the other comparisons.
    fn compare(&mut self, op: Cmp, l: &'d Expr, r: &'d Expr) -> Option<bool> {
        // Equality with written text, the commonest comparison, needs no value made of
        // the text (evaluating a literal has no effect, so the order does not matter).
        if matches!(op, Cmp::Eq | Cmp::Ne) {
            let with_text = match (&l.kind, &r.kind) {
                (_, ExprKind::Lit(Lit::Text(t))) => Some((l, t)),
                (ExprKind::Lit(Lit::Text(t)), _) => Some((r, t)),
                _ => None,
            };
            if let Some((x, t)) = with_text {
                let v = self.eval(x);
                let res = self.equal_text(&v, t);
                return if op == Cmp::Ne { res.map(|x| !x) } else { res };
            }
        }
        let (vl, vr) = (self.eval(l), self.eval(r));
        match op {
            Cmp::Eq => self.equal(&vl, &vr),
            Cmp::Ne => self.equal(&vl, &vr).map(|x| !x),
            _ => self.order(&vl, &vr).map(|o| match op {
                Cmp::Lt => o.is_lt(),
                Cmp::Le => o.is_le(),
                Cmp::Gt => o.is_gt(),
                _ => o.is_ge(),
            }),
        }
    }

    /// `any|all|no var in coll where cond`. `where` is a filter: for `any` and `no`, an item
    /// whose condition is unknown (it reads something absent or failed to load) is not
    /// selected, so one such item never hides what the other items settle. `all ... satisfy`
    /// is no filter: an item that may or may not satisfy it leaves `all` unknown unless another
    /// item fails it.
    fn quantified(
        &mut self,
        kind: Quant,
        var: &'d Ident,
        coll: &'d Expr,
        cond: &'d Expr,
    ) -> Option<bool> {
        let c = self.eval(coll);
        if kind != Quant::All {
            if let Some(picked) = self.pick(var, &c, cond) {
                let mut found = false;
                for it in picked {
                    self.env[var.slot] = it;
                    if self.truth(cond) == Some(true) {
                        found = true;
                        break;
                    }
                }
                return Some(found != (kind == Quant::No));
            }
        }
        let items = self.items(&c)?;
        let mut all = Some(true);
        for it in items {
            self.env[var.slot] = it;
            match (kind, self.truth(cond)) {
                // The first selected item settles `any` and `no`, the first failing one `all`:
                // the rest cannot change the answer, so they are not looked at.
                (Quant::Any, Some(true)) => return Some(true),
                (Quant::No, Some(true)) => return Some(false),
                (Quant::All, Some(false)) => return Some(false),
                (Quant::All, None) => all = None,
                _ => {}
            }
        }
        match kind {
            Quant::Any => Some(false),
            Quant::No => Some(true),
            Quant::All => all,
        }
    }

    /// The value of an expression.
    pub(super) fn eval(&mut self, e: &'d Expr) -> Value<'d> {
        match &e.kind {
            ExprKind::Or(_)
            | ExprKind::And(_)
            | ExprKind::Not(_)
            | ExprKind::Present(_)
            | ExprKind::Absent(_)
            | ExprKind::Placeholder(_)
            | ExprKind::Unreadable(_)
            | ExprKind::Matches(..)
            | ExprKind::Contains { .. }
            | ExprKind::In { .. }
            | ExprKind::Compare(..)
            | ExprKind::Quant { .. } => self.truth(e).map_or(Value::Unknown, Value::Bool),
            ExprKind::Arith(op, l, r) => {
                let (vl, vr) = (self.eval(l), self.eval(r));
                self.arith(*op, &vl, &vr)
            }
            ExprKind::Neg(a) => {
                let v = self.eval(a);
                self.arith(Arith::Sub, &Value::Zero, &v)
            }
            ExprKind::Lit(l) => match l {
                Lit::Text(t) => Value::Text(Cow::Borrowed(t)),
                Lit::Number(x) => Value::Number(*x),
                Lit::Money(m) => Value::Money(*m),
                Lit::Percent(p) => Value::Percent(*p),
                Lit::Date(d) => Value::Date(*d),
                Lit::Duration(n, u) => Value::Duration(*n, *u),
                Lit::Bool(x) => Value::Bool(*x),
            },
            ExprKind::List(items) => Value::List(items.iter().map(|i| self.eval(i)).collect()),
            ExprKind::Path(p, idx) => self.eval_path(p, idx.as_deref()),
            ExprKind::Agg {
                kind,
                project,
                var,
                coll,
                filter,
                zero,
            } => self.aggregate(
                *kind,
                project.as_deref(),
                var.as_ref(),
                coll,
                filter.as_deref(),
                *zero,
            ),
            ExprKind::First { var, coll, cond } => {
                let c = self.eval(coll);
                if let Some(picked) = self.pick(var, &c, cond) {
                    for it in picked {
                        self.env[var.slot] = it.clone();
                        if self.truth(cond) == Some(true) {
                            return it;
                        }
                    }
                    return Value::Absent(Doc::ROOT);
                }
                let Some(items) = self.items(&c) else {
                    return Value::Unknown;
                };
                for it in items {
                    self.env[var.slot] = it.clone();
                    if self.truth(cond) == Some(true) {
                        return it;
                    }
                }
                Value::Absent(Doc::ROOT)
            }
            ExprKind::Keys(a) => {
                let v = self.eval(a);
                match v {
                    Value::Node(n) => match &self.doc.node(n).value {
                        NodeValue::Map(entries) => {
                            Value::List(entries.iter().map(|&(k, _)| Value::Node(k)).collect())
                        }
                        NodeValue::Invalid => Value::Unknown,
                        _ => Value::List(Vec::new()),
                    },
                    Value::Absent(_) => Value::List(Vec::new()),
                    _ => Value::Unknown,
                }
            }
            ExprKind::Call {
                function,
                args,
                patterns,
                ..
            } => {
                // Validation resolved the name; an unresolved one never gets this far.
                let Some(function) = function else {
                    return Value::Unknown;
                };
                let vals: Vec<Value<'d>> = args.iter().map(|a| self.eval(a)).collect();
                self.call(*function, &vals, patterns)
            }
        }
    }

    /// `sum|count|earliest|latest of [project for each] var in coll [where filter]`. An item
    /// whose filter is unknown is not selected (see [`Ctx::quantified`]); a selected item whose
    /// value is unknown makes the whole unknown; absent values add nothing.
    fn aggregate(
        &mut self,
        kind: AggKind,
        project: Option<&'d Expr>,
        var: Option<&'d Ident>,
        coll: &'d Expr,
        filter: Option<&'d Expr>,
        zero: Zero,
    ) -> Value<'d> {
        let c = self.eval(coll);
        let picked = match (var, filter) {
            (Some(v), Some(f)) => self.pick(v, &c, f),
            _ => None,
        };
        let items = match &picked {
            Some(p) => Items::Values(p.iter()),
            None => match self.items(&c) {
                Some(items) => items,
                None => return Value::Unknown,
            },
        };
        let mut acc: Option<Value<'d>> = None;
        let mut count = 0usize;
        let mut listed = Vec::new();
        for it in items {
            if let Some(v) = var {
                self.env[v.slot] = it.clone();
            }
            if let Some(f) = filter {
                if self.truth(f) != Some(true) {
                    continue;
                }
            }
            if kind == AggKind::List {
                listed.push(match project {
                    Some(p) => self.eval(p),
                    None => it,
                });
                continue;
            }
            if kind == AggKind::Count {
                if matches!(it, Value::Unknown) {
                    return Value::Unknown;
                }
                count += 1;
                continue;
            }
            let x = match project {
                Some(p) => self.eval(p),
                None => match it {
                    Value::Entry(_, val) => Value::Node(val),
                    other => other,
                },
            };
            match self.scalar(&x) {
                None => return Value::Unknown,
                Some(Err(())) => continue, // absent items add nothing
                Some(Ok(_)) => {}
            }
            acc = Some(match (acc, kind) {
                (None, _) => self.normalise(&x),
                (Some(a), AggKind::Sum) => self.arith(Arith::Add, &a, &x),
                (Some(a), _) => {
                    let later = self.order(&x, &a) == Some(std::cmp::Ordering::Greater);
                    if later == (kind == AggKind::Latest) {
                        self.normalise(&x)
                    } else {
                        a
                    }
                }
            });
            if matches!(acc, Some(Value::Unknown)) {
                return Value::Unknown;
            }
        }
        match (kind, acc) {
            (AggKind::Count, _) => Value::Number(count as f64),
            (AggKind::List, _) => Value::List(listed),
            (_, Some(v)) => v,
            (AggKind::Sum, None) => match zero {
                Zero::Money => Value::Money(Money(0)),
                Zero::Percent => Value::Percent(0.0),
                Zero::Number => Value::Number(0.0),
            },
            // The earliest of nothing is not given.
            (_, None) => Value::Absent(Doc::ROOT),
        }
    }
}
