//! Runs validated rules against one loaded agreement.
//!
//! Logic is three-valued: a condition is true, false or unknown. Anything read from a value that
//! failed to load is unknown, and so is a comparison with something absent; a `require` reports
//! only when its condition is definitely false. That is how one mistake yields one finding:
//! the `FMT-` finding for the bad value, or the rule that requires the missing thing, and no
//! cascade from rules that merely read it.
//!
//! Here: a rule's statements and the findings they make. Beside it: `expr` (conditions and
//! values of expressions), `value` (the values rules work with), `path` (reading fields),
//! `compare` (equality, order, membership), `arith` (calculations), `functions` (the built-in
//! functions), `show` (values in messages).

mod arith;
mod compare;
mod expr;
mod functions;
mod index;
mod normalise;
mod path;
mod show;
mod value;

use super::ast::{Expr, ExprKind, Require, Root, Rule, Stmt};
use crate::agreement::doc::{Doc, NodeId};
use crate::agreement::values::Date;
use crate::finding::Finding;
use value::Value;

/// Evaluation context for one agreement.
pub(crate) struct Ctx<'d> {
    doc: &'d Doc,
    today: Date,
    env: Vec<Value<'d>>,
    /// Lists indexed for `where` lookups by reference (see `index`), kept for the agreement.
    indexes: std::collections::HashMap<index::IndexKey, std::rc::Rc<index::Index>>,
}

impl<'d> Ctx<'d> {
    /// A context for `doc` with the given `today`.
    pub(crate) fn new(doc: &'d Doc, today: Date) -> Ctx<'d> {
        Ctx {
            doc,
            today,
            env: Vec::new(),
            indexes: std::collections::HashMap::new(),
        }
    }

    /// Runs one rule and appends its findings. Returns false when the rule does not apply to
    /// this agreement (so it was not checked). The findings share the rule's citations and help
    /// rather than copying them.
    pub(crate) fn run_rule(&mut self, rule: &'d Rule, out: &mut Vec<Finding>) -> bool {
        let start = out.len();
        let applied = self.check(rule, out);
        for f in &mut out[start..] {
            f.citations = rule.citations.clone();
            f.help = rule.help.clone();
        }
        applied
    }

    /// Runs one rule, appending its findings without citations or help.
    fn check(&mut self, rule: &'d Rule, out: &mut Vec<Finding>) -> bool {
        self.env.clear();
        self.env.resize(rule.slots, Value::Unknown);
        for a in &rule.applies {
            if self.applies(a) != Some(true) {
                return false;
            }
        }
        let start = out.len();
        self.stmts(&rule.body, rule, None, out);
        // The severity override matters only to findings, so it is worked out only when there
        // are some (its conditions read the agreement alone, never the body's variables).
        if out.len() > start && !rule.severity_when.is_empty() {
            let severity = rule
                .severity_when
                .iter()
                .find(|(_, c)| self.truth(c) == Some(true))
                .map_or(rule.severity, |(s, _)| *s);
            for f in &mut out[start..] {
                f.severity = severity;
            }
        }
        true
    }

    /// Applicability: the rule runs only when every `applies` condition is known to hold.
    fn applies(&mut self, e: &'d Expr) -> Option<bool> {
        self.truth(e)
    }

    fn stmts(
        &mut self,
        body: &'d [Stmt],
        rule: &'d Rule,
        item: Option<NodeId>,
        out: &mut Vec<Finding>,
    ) {
        for s in body {
            match s {
                Stmt::ForEach {
                    var,
                    coll,
                    filter,
                    body,
                } => {
                    let c = self.eval(coll);
                    let picked = match filter {
                        Some(f) => self.pick(var, &c, f),
                        None => None,
                    };
                    let items = match &picked {
                        Some(p) => value::Items::Values(p.iter()),
                        None => match self.items(&c) {
                            Some(items) => items,
                            None => continue,
                        },
                    };
                    for it in items {
                        let node = match &it {
                            Value::Node(n) | Value::Entry(_, n) => Some(*n),
                            _ => item,
                        };
                        self.env[var.slot] = it;
                        if let Some(f) = filter {
                            if self.truth(f) != Some(true) {
                                continue;
                            }
                        }
                        self.stmts(body, rule, node, out);
                    }
                }
                Stmt::If { cond, body } => {
                    if self.truth(cond) == Some(true) {
                        self.stmts(body, rule, item, out);
                    }
                }
                Stmt::Let { var, value } => {
                    let v = self.eval(value);
                    self.env[var.slot] = v;
                }
                Stmt::Require(r) => {
                    if self.truth(&r.cond) == Some(false) {
                        out.push(self.finding(r, rule, item));
                    }
                }
            }
        }
    }

    fn finding(&mut self, r: &'d Require, rule: &'d Rule, item: Option<NodeId>) -> Finding {
        let message = self.render(&r.message);
        let target = match &r.at {
            Some(a) => self.eval(a),
            None => item.map_or(Value::Node(Doc::ROOT), Value::Node),
        };
        let (span, node) = self.place(&target).unwrap_or_else(|| {
            let n = item.unwrap_or(Doc::ROOT);
            (self.doc.node(n).span, n)
        });
        let label = match (&target, r.at.as_ref().map(|a| &a.kind)) {
            (Value::Absent(_), Some(ExprKind::Path(p, None)))
                if p.segs.len() > 1 || p.root == Root::Agreement =>
            {
                format!(
                    "no `{}` in this mapping",
                    p.segs.last().map_or("", |s| s.0.as_str())
                )
            }
            (Value::Absent(_), _) => "missing here".to_string(),
            _ => String::new(),
        };
        let mut f = Finding::new(&rule.id, rule.severity, message, span).with_label(label);
        f.location = self.doc.location(node);
        for (a, text) in &r.also {
            let v = self.eval(a);
            let places = match v {
                // `also list of ...`: a label on each.
                Value::List(items) => items,
                one => vec![one],
            };
            for p in &places {
                if let Some((s, _)) = self.place(p) {
                    f = f.also(s, text.clone().unwrap_or_default());
                }
            }
        }
        f
    }
}
