//! Runs validated rules against one loaded agreement.
//!
//! Logic is three-valued: a condition is true, false or unknown. Anything read from a value that
//! failed to load is unknown, and so is a comparison with something absent; a `require` reports
//! only when its condition is definitely false. That is how one mistake yields one finding:
//! the `FMT-` finding for the bad value, or the rule that requires the missing thing, and no
//! cascade from rules that merely read it.

use super::ast::*;
use crate::agreement::doc::{Doc, NodeId, Value};
use crate::agreement::values::{format_number, Date, Money, Year};
use crate::span::Span;
use crate::finding::Finding;
use std::borrow::Cow;

/// A value during evaluation. Text borrows from the rules or the agreement (`'d`) where it can,
/// so evaluating a literal or reading a field allocates nothing.
#[derive(Debug, Clone)]
enum V<'d> {
    /// Could not be known (read from a value that failed to load).
    Unknown,
    /// Not given; the node is the nearest one that should hold it (where a finding points).
    Absent(NodeId),
    /// A node of the agreement.
    Node(NodeId),
    /// An entry of a year- or partner-keyed mapping: key node and value node.
    Entry(NodeId, NodeId),
    Bool(bool),
    Num(f64),
    Money(Money),
    Pct(f64),
    Date(Date),
    Year(Year),
    Dur(i64, Unit),
    Text(Cow<'d, str>),
    List(Vec<V<'d>>),
    /// The sum of nothing: zero of whatever kind it is compared with.
    Zero,
}

/// Where a step along a path got to: the values a step can give, none of which owns anything.
#[derive(Debug, Clone, Copy)]
enum At {
    Node(NodeId),
    Absent(NodeId),
    Unknown,
}

impl At {
    fn value<'d>(self) -> V<'d> {
        match self {
            At::Node(n) => V::Node(n),
            At::Absent(n) => V::Absent(n),
            At::Unknown => V::Unknown,
        }
    }
}

/// The items of a collection, borrowed from where they are (see [`Ctx::items`]).
#[derive(Clone)]
enum Items<'a, 'd> {
    /// Items of a list in the agreement.
    Nodes(std::slice::Iter<'d, NodeId>),
    /// Entries of a year- or partner-keyed mapping; one whose key failed to load is unknown.
    Entries(&'d Doc, std::slice::Iter<'d, (NodeId, NodeId)>),
    /// Items of a list value.
    Vals(std::slice::Iter<'a, V<'d>>),
    /// A single value standing for a list of one.
    One(Option<V<'d>>),
}

impl<'d> Iterator for Items<'_, 'd> {
    type Item = V<'d>;

    fn next(&mut self) -> Option<V<'d>> {
        match self {
            Items::Nodes(it) => it.next().map(|&n| V::Node(n)),
            Items::Entries(doc, it) => it.next().map(|&(k, val)| {
                if matches!(doc.node(k).value, Value::Invalid) {
                    V::Unknown
                } else {
                    V::Entry(k, val)
                }
            }),
            Items::Vals(it) => it.next().cloned(),
            Items::One(v) => v.take(),
        }
    }
}

/// A scalar view of a value, borrowing text from the agreement.
#[derive(Debug, Clone, Copy)]
enum S<'a> {
    Text(&'a str),
    Num(f64),
    Money(Money),
    Date(Date),
    Year(Year),
    Bool(bool),
    Dur(i64, Unit),
    /// A record (item of partners/pools/schemes) or a reference to one, for identity.
    Item(NodeId),
    Zero,
}

/// Evaluation context for one agreement.
pub struct Ctx<'d> {
    doc: &'d Doc,
    today: Date,
    env: Vec<V<'d>>,
}

impl<'d> Ctx<'d> {
    /// A context for `doc` with the given `today`.
    pub fn new(doc: &'d Doc, today: Date) -> Ctx<'d> {
        Ctx {
            doc,
            today,
            env: Vec::new(),
        }
    }

    /// Runs one rule and appends its findings. Returns false when the rule does not apply to
    /// this agreement (so it was not checked). The findings share the rule's citations and help
    /// rather than copying them.
    pub fn run_rule(&mut self, rule: &'d Rule, out: &mut Vec<Finding>) -> bool {
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
        self.env.resize(rule.slots, V::Unknown);
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
                    let Some(items) = self.items(&c) else {
                        continue;
                    };
                    for it in items {
                        let node = match &it {
                            V::Node(n) | V::Entry(_, n) => Some(*n),
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
            None => item.map_or(V::Node(Doc::ROOT), V::Node),
        };
        let (span, node) = self.place(&target).unwrap_or_else(|| {
            let n = item.unwrap_or(Doc::ROOT);
            (self.doc.node(n).span, n)
        });
        let label = match (&target, r.at.as_ref().map(|a| &a.kind)) {
            (V::Absent(_), Some(ExprKind::Path(p, None)))
                if p.segs.len() > 1 || p.root == Root::Agreement =>
            {
                format!(
                    "no `{}` in this mapping",
                    p.segs.last().map_or("", |s| s.0.as_str())
                )
            }
            (V::Absent(_), _) => "missing here".to_string(),
            _ => String::new(),
        };
        let mut f = Finding::new(&rule.id, rule.severity, message, span).with_label(label);
        f.location = self.doc.location(node);
        for (a, text) in &r.also {
            let v = self.eval(a);
            if let Some((s, _)) = self.place(&v) {
                f = f.also(s, text.clone().unwrap_or_default());
            }
        }
        f
    }

    /// The span a value points at, and the node it belongs to.
    fn place(&self, v: &V) -> Option<(Span, NodeId)> {
        match v {
            V::Node(n) => Some((self.doc.node(*n).span, *n)),
            V::Absent(n) => Some((self.doc.node(*n).span, *n)),
            V::Entry(k, val) => {
                let (ks, vs) = (self.doc.node(*k).span, self.doc.node(*val).span);
                Some((Span::new(ks.start.min(vs.start), ks.end.max(vs.end)), *val))
            }
            V::List(items) => items.iter().find_map(|i| self.place(i)),
            _ => None,
        }
    }

    fn render(&mut self, t: &'d Template) -> String {
        let mut s = String::new();
        for p in &t.parts {
            match p {
                Part::Text(x) => s.push_str(x),
                Part::Expr(e) => {
                    let v = self.eval(e);
                    self.show(&v, &mut s);
                }
            }
        }
        s
    }

    /// Plain-English display: money as `£1,200,000`, dates as `1 April 2025`.
    fn show(&self, v: &V, out: &mut String) {
        use std::fmt::Write;
        let _ = match v {
            V::Unknown => write!(out, "(unreadable)"),
            V::Absent(_) => write!(out, "(not given)"),
            V::Node(n) => return self.show_node(*n, out),
            V::Entry(k, _) => return self.show_node(*k, out),
            V::Bool(b) => write!(out, "{}", if *b { "yes" } else { "no" }),
            V::Num(x) => write!(out, "{}", format_number(*x)),
            V::Money(m) => write!(out, "{m}"),
            V::Pct(p) => write!(out, "{}%", format_number(*p)),
            V::Date(d) => write!(out, "{d}"),
            V::Year(y) => write!(out, "{y}"),
            V::Dur(n, u) => write!(
                out,
                "{n} {}",
                match u {
                    Unit::Days => "days",
                    Unit::Months => "months",
                    Unit::Years => "years",
                }
            ),
            V::Text(t) => write!(out, "{t}"),
            V::Zero => write!(out, "0"),
            V::List(items) => {
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.show(it, out);
                }
                Ok(())
            }
        };
    }

    fn show_node(&self, n: NodeId, out: &mut String) {
        use std::fmt::Write;
        let _ = match &self.doc.node(n).value {
            Value::Invalid => write!(out, "(unreadable)"),
            Value::Placeholder(t) | Value::Text(t) => write!(out, "{}", t.trim()),
            // Words such as `section_256` read as "section 256" in a message.
            Value::Word(w) => write!(out, "{}", w.replace('_', " ")),
            Value::Bool(b) => write!(out, "{}", if *b { "yes" } else { "no" }),
            Value::Number(x) => write!(out, "{}", format_number(*x)),
            Value::Date(d) => write!(out, "{d}"),
            Value::Money(m) => write!(out, "{m}"),
            Value::Percent(p) => write!(out, "{}%", format_number(*p)),
            Value::Year(y) => write!(out, "{y}"),
            Value::Ref { id, .. } => write!(out, "{id}"),
            Value::Record { .. } => {
                let name = self
                    .doc
                    .get(n, "id")
                    .or_else(|| self.doc.get(n, "name"))
                    .and_then(|i| self.doc.text(i));
                match name {
                    Some(t) => write!(out, "{t}"),
                    None => write!(out, "{}", self.doc.location(n)),
                }
            }
            Value::List(items) => {
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.show_node(*it, out);
                }
                Ok(())
            }
            Value::Map(_) => write!(out, "{}", self.doc.location(n)),
        };
    }

    /// The items of a collection, or `None` when it is unknown. Borrows the collection rather
    /// than copying it, so walking a list allocates nothing.
    fn items<'a>(&self, v: &'a V<'d>) -> Option<Items<'a, 'd>> {
        Some(match v {
            V::Unknown => return None,
            V::Absent(_) => Items::Vals([].iter()),
            V::List(items) => Items::Vals(items.iter()),
            V::Node(n) => match &self.doc.node(*n).value {
                Value::List(items) => Items::Nodes(items.iter()),
                Value::Map(entries) => Items::Entries(self.doc, entries.iter()),
                Value::Word("none") => Items::Vals([].iter()),
                Value::Invalid => return None,
                _ => Items::One(Some(V::Node(*n))),
            },
            other => Items::One(Some(other.clone())),
        })
    }

    /// True when `v` is a list (as [`Ctx::list_items`] would find), without walking it.
    fn is_list(&self, v: &V<'d>) -> bool {
        match v {
            V::List(_) => true,
            V::Node(n) => matches!(self.doc.node(*n).value, Value::List(_)),
            _ => false,
        }
    }

    /// `Some(items)` when `v` is a list (with `None` inside when unknown); `None` when not a
    /// list. Borrows, as [`Ctx::items`] does.
    fn list_items<'a>(&self, v: &'a V<'d>) -> Option<Option<Items<'a, 'd>>> {
        self.is_list(v).then(|| self.items(v))
    }

    /// Follows a reference to the item it names.
    fn follow(&self, n: NodeId) -> Option<NodeId> {
        match &self.doc.node(n).value {
            Value::Ref {
                target: Some(t), ..
            } => Some(*t),
            Value::Ref { target: None, .. } | Value::Invalid => None,
            _ => Some(n),
        }
    }

    /// One step of a path from a value: the field `name` of a record (through a reference),
    /// or the key or value of a mapping entry.
    fn step(&self, v: &V<'d>, name: &str) -> At {
        match *v {
            V::Node(n) => self.step_node(n, name),
            V::Entry(k, val) => match name {
                "value" => At::Node(val),
                _ => At::Node(k),
            },
            V::Absent(a) => At::Absent(a),
            _ => At::Unknown,
        }
    }

    /// A step from where an earlier step got to, as [`Ctx::step`] would take it.
    fn step_at(&self, at: At, name: &str) -> At {
        match at {
            At::Node(n) => self.step_node(n, name),
            other => other,
        }
    }

    fn step_node(&self, n: NodeId, name: &str) -> At {
        let Some(n) = self.follow(n) else {
            return At::Unknown;
        };
        match &self.doc.node(n).value {
            Value::Record { .. } => match self.doc.get(n, name) {
                Some(c) => At::Node(c),
                None => At::Absent(n),
            },
            Value::Invalid => At::Unknown,
            _ => At::Absent(n),
        }
    }

    fn eval_path(&mut self, p: &'d Path, idx: Option<&'d Expr>) -> V<'d> {
        let skip = if p.root == Root::Agreement { 0 } else { 1 };
        let mut segs = p.segs.iter().skip(skip);
        let start = match p.root {
            // The first step reads the variable in place rather than copying its value.
            Root::Var(slot) => match segs.next() {
                Some((seg, _)) => self.step(&self.env[slot], seg),
                None => {
                    let v = self.env[slot].clone();
                    return match idx {
                        None => v,
                        Some(i) => self.index_by(v, i),
                    };
                }
            },
            Root::Agreement => At::Node(Doc::ROOT),
            Root::Today | Root::Placeholders | Root::Unresolved => {
                let v = match p.root {
                    Root::Today => V::Date(self.today),
                    Root::Placeholders => {
                        V::List(self.doc.placeholders.iter().map(|&n| V::Node(n)).collect())
                    }
                    _ => V::Unknown,
                };
                if segs.next().is_none() {
                    return match idx {
                        None => v,
                        Some(i) => self.index_by(v, i),
                    };
                }
                // Nothing has fields to step into from a date, a list or the unknown.
                At::Unknown
            }
        };
        // Steps go between nodes, so they carry a plain `At` rather than a value to drop.
        let mut at = start;
        for (seg, _) in segs {
            at = self.step_at(at, seg);
        }
        let mut v = at.value();
        // An agreement that does not state its legal basis is read as a section 75 agreement.
        if matches!(v, V::Absent(_))
            && p.root == Root::Agreement
            && p.segs.len() == 1
            && p.segs[0].0 == "legal_basis"
        {
            v = V::Text(Cow::Borrowed("section_75"));
        }
        match idx {
            None => v,
            Some(i) => self.index_by(v, i),
        }
    }

    /// `v[i]`: the entry of the mapping `v` whose key equals the value of `i`. Kept apart from
    /// [`Ctx::eval_path`] so that the common unindexed path does not pay for it.
    #[inline(never)]
    fn index_by(&mut self, v: V<'d>, i: &'d Expr) -> V<'d> {
        let key = self.eval(i);
        match v {
            V::Node(m) => match &self.doc.node(m).value {
                Value::Map(entries) => {
                    let mut found = V::Absent(m);
                    for &(k, val) in entries {
                        match self.equal(&V::Node(k), &key) {
                            Some(true) => {
                                found = V::Node(val);
                                break;
                            }
                            None => found = V::Unknown,
                            _ => {}
                        }
                    }
                    found
                }
                Value::Invalid => V::Unknown,
                _ => V::Absent(m),
            },
            other => other,
        }
    }

    fn scalar<'a>(&'a self, v: &'a V<'d>) -> Option<Result<S<'a>, ()>> {
        // Some(Ok) a value; Some(Err) absent; None unknown.
        Some(Ok(match v {
            V::Unknown => return None,
            V::Absent(_) => return Some(Err(())),
            V::Bool(b) => S::Bool(*b),
            V::Num(x) | V::Pct(x) => S::Num(*x),
            V::Money(m) => S::Money(*m),
            V::Date(d) => S::Date(*d),
            V::Year(y) => S::Year(*y),
            V::Dur(n, u) => S::Dur(*n, *u),
            V::Text(t) => S::Text(t),
            V::Zero => S::Zero,
            V::Entry(k, _) => return self.scalar_node(*k),
            V::Node(n) => return self.scalar_node(*n),
            V::List(_) => return None,
        }))
    }

    fn scalar_node(&self, n: NodeId) -> Option<Result<S<'_>, ()>> {
        Some(Ok(match &self.doc.node(n).value {
            Value::Invalid => return None,
            Value::Placeholder(_) => return Some(Err(())),
            Value::Text(t) => S::Text(t.trim()),
            Value::Word(w) => S::Text(w),
            Value::Bool(b) => S::Bool(*b),
            Value::Number(x) | Value::Percent(x) => S::Num(*x),
            Value::Date(d) => S::Date(*d),
            Value::Money(m) => S::Money(*m),
            Value::Year(y) => S::Year(*y),
            Value::Ref {
                target: Some(t), ..
            } => S::Item(*t),
            Value::Ref { .. } => return None,
            Value::Record { .. } => S::Item(n),
            Value::List(_) | Value::Map(_) => return None,
        }))
    }

    fn text_of<'a>(&'a self, s: S<'a>) -> Option<Cow<'a, str>> {
        match s {
            S::Text(t) => Some(Cow::Borrowed(t)),
            S::Item(n) => self
                .doc
                .get(n, "id")
                .and_then(|i| self.doc.text(i))
                .map(Cow::Borrowed),
            S::Year(y) => Some(Cow::Owned(y.to_string())),
            _ => None,
        }
    }

    /// Equality, or `None` when unknown (including anything absent).
    fn equal(&self, a: &V<'d>, b: &V<'d>) -> Option<bool> {
        // A list never equals a single value. Whether each is a list is found once.
        match (self.is_list(a), self.is_list(b)) {
            (true, false) | (false, true) => {
                return if matches!(a, V::Unknown) || matches!(b, V::Unknown) {
                    None
                } else {
                    Some(false)
                }
            }
            (false, false) => {}
            (true, true) => {
                let (la, lb) = (self.items(a)?, self.items(b)?);
                let all_in = |x: Items<'_, 'd>, y: Items<'_, 'd>| -> Option<bool> {
                    let mut res = Some(true);
                    for i in x {
                        match self.member(&i, y.clone()) {
                            Some(true) => {}
                            Some(false) => return Some(false),
                            None => res = None,
                        }
                    }
                    res
                };
                return match (all_in(la.clone(), lb.clone()), all_in(lb, la)) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                };
            }
        }
        let (sa, sb) = (self.scalar(a)?.ok()?, self.scalar(b)?.ok()?);
        Some(match (sa, sb) {
            (S::Item(x), S::Item(y)) => x == y,
            (S::Num(x), S::Num(y)) => (x - y).abs() < 1e-9,
            (S::Money(x), S::Money(y)) => x == y,
            (S::Zero, S::Zero) => true,
            (S::Zero, S::Num(x)) | (S::Num(x), S::Zero) => x == 0.0,
            (S::Zero, S::Money(m)) | (S::Money(m), S::Zero) => m.0 == 0,
            (S::Date(x), S::Date(y)) => x == y,
            (S::Year(x), S::Year(y)) => x == y,
            (S::Bool(x), S::Bool(y)) => x == y,
            (x, y) => match (self.text_of(x), self.text_of(y)) {
                (Some(p), Some(q)) => p == q,
                _ => false,
            },
        })
    }

    /// [`Ctx::equal`] of `v` and the text `t`, without making a value of the text.
    fn equal_text(&self, v: &V<'d>, t: &str) -> Option<bool> {
        // A list never equals a single value.
        if self.is_list(v) {
            return Some(false);
        }
        let s = self.scalar(v)?.ok()?;
        Some(self.text_of(s).is_some_and(|x| x == t))
    }

    /// `Some(list)` when `v` is a list (with `None` inside when unknown); `None` when not a list.
    fn list_of(&self, v: &V<'d>) -> Option<Option<Vec<V<'d>>>> {
        self.list_items(v).map(|l| l.map(Iterator::collect))
    }

    fn member(&self, x: &V<'d>, list: Items<'_, 'd>) -> Option<bool> {
        let mut res = Some(false);
        for i in list {
            match self.equal(x, &i) {
                Some(true) => return Some(true),
                None => res = None,
                _ => {}
            }
        }
        res
    }

    fn order(&self, a: &V<'d>, b: &V<'d>) -> Option<std::cmp::Ordering> {
        let (sa, sb) = (self.scalar(a)?.ok()?, self.scalar(b)?.ok()?);
        match (sa, sb) {
            (S::Date(x), S::Date(y)) => Some(x.cmp(&y)),
            (S::Money(x), S::Money(y)) => Some(x.cmp(&y)),
            (S::Year(x), S::Year(y)) => Some(x.cmp(&y)),
            (S::Num(x), S::Num(y)) => x.partial_cmp(&y),
            (S::Zero, S::Num(y)) => 0.0f64.partial_cmp(&y),
            (S::Num(x), S::Zero) => x.partial_cmp(&0.0),
            (S::Zero, S::Money(y)) => Some(0.cmp(&y.0)),
            (S::Money(x), S::Zero) => Some(x.0.cmp(&0)),
            (S::Zero, S::Zero) => Some(std::cmp::Ordering::Equal),
            _ => None,
        }
    }

    /// A condition's truth value. Conditions are worked out here as truth values rather than
    /// as values, so no value is built and dropped for each `and`, `in` or comparison.
    fn truth(&mut self, e: &'d Expr) -> Option<bool> {
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
                    matches!(v, V::Node(n) if matches!(self.doc.node(n).value, Value::Placeholder(_))),
                )
            }
            ExprKind::Unreadable(a) => {
                let v = self.eval(a);
                Some(match v {
                    V::Unknown => true,
                    V::Node(n) => matches!(self.doc.node(n).value, Value::Invalid),
                    _ => false,
                })
            }
            ExprKind::Matches(a, re, except) => {
                // Compiled on first use; `None` only if it no longer compiles (see `Pattern`).
                let re = re.regex()?;
                let except = match except.as_deref().map(Pattern::regex) {
                    Some(None) => return None,
                    Some(Some(ex)) => Some(ex),
                    None => None,
                };
                let v = self.eval(a);
                let items = self.list_of(&v).unwrap_or_else(|| Some(vec![v.clone()]));
                let items = items?;
                let mut res = Some(false);
                for it in &items {
                    match self.scalar(it) {
                        None => res = None,
                        Some(Err(())) => {}
                        Some(Ok(s)) => {
                            let hit = self.text_of(s).is_some_and(|t| match except {
                                Some(ex) => re.is_match(blank_out(ex, &t).as_str()),
                                None => re.is_match(t.as_ref()),
                            });
                            if hit {
                                return Some(true);
                            }
                        }
                    }
                }
                res
            }
            ExprKind::Contains(a, x) => {
                let (va, vx) = (self.eval(a), self.eval(x));
                match self.list_items(&va) {
                    Some(Some(list)) => self.member(&vx, list),
                    Some(None) => None,
                    None => {
                        let (Some(Ok(sa)), Some(Ok(sx))) = (self.scalar(&va), self.scalar(&vx))
                        else {
                            return None;
                        };
                        match (self.text_of(sa), self.text_of(sx)) {
                            (Some(t), Some(w)) => {
                                Some(t.to_lowercase().contains(&w.to_lowercase()))
                            }
                            _ => None,
                        }
                    }
                }
            }
            ExprKind::In(x, a, negated) => {
                let vx = self.eval(x);
                if let ExprKind::List(items) = &a.kind {
                    // Written-out words, such as `legal_basis in ("section_75", "care_trust")`
                    // (every `applies to`): the value's text is found once and compared with
                    // each word, as `member` would, without making values of the words.
                    if items
                        .iter()
                        .all(|i| matches!(i.kind, ExprKind::Lit(Lit::Text(_))))
                    {
                        let r = if items.is_empty() || self.is_list(&vx) {
                            Some(false)
                        } else {
                            match self.scalar(&vx) {
                                Some(Ok(s)) => Some(self.text_of(s).is_some_and(|t| {
                                    items.iter().any(|i| {
                                        matches!(&i.kind, ExprKind::Lit(Lit::Text(w)) if *w == *t)
                                    })
                                })),
                                _ => None,
                            }
                        };
                        return if *negated { r.map(|x| !x) } else { r };
                    }
                    // Another short list is held on the stack rather than built as a list value.
                    if items.len() <= 4 {
                        let mut buf = [V::Unknown, V::Unknown, V::Unknown, V::Unknown];
                        for (slot, i) in buf.iter_mut().zip(items) {
                            *slot = self.eval(i);
                        }
                        let r = self.member(&vx, Items::Vals(buf[..items.len()].iter()));
                        return if *negated { r.map(|x| !x) } else { r };
                    }
                }
                let va = self.eval(a);
                let r = match self.list_items(&va) {
                    Some(Some(list)) => self.member(&vx, list),
                    Some(None) => None,
                    None => match (self.scalar(&va), self.scalar(&vx)) {
                        (Some(Ok(sa)), Some(Ok(sx))) => {
                            match (self.text_of(sa), self.text_of(sx)) {
                                (Some(t), Some(w)) => {
                                    Some(t.to_lowercase().contains(&w.to_lowercase()))
                                }
                                _ => None,
                            }
                        }
                        _ => None,
                    },
                };
                if *negated {
                    r.map(|x| !x)
                } else {
                    r
                }
            }
            ExprKind::Compare(op, l, r) => {
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
                        return if *op == Cmp::Ne { res.map(|x| !x) } else { res };
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
            ExprKind::Quant {
                kind,
                var,
                coll,
                cond,
            } => {
                let c = self.eval(coll);
                let items = self.items(&c)?;
                let mut any = Some(false);
                let mut all = Some(true);
                // The first true item settles `any`/`no`, the first false one `all`: the rest
                // cannot change the answer, so they are not looked at.
                let settled = if *kind == Quant::All {
                    Some(false)
                } else {
                    Some(true)
                };
                for it in items {
                    self.env[var.slot] = it;
                    let t = self.truth(cond);
                    match t {
                        Some(true) => any = Some(true),
                        Some(false) => all = Some(false),
                        None => {
                            if any == Some(false) {
                                any = None;
                            }
                            if all == Some(true) {
                                all = None;
                            }
                        }
                    }
                    if t == settled {
                        break;
                    }
                }
                match kind {
                    Quant::Any => any,
                    Quant::All => all,
                    Quant::No => any.map(|x| !x),
                }
            }
            _ => {
                let v = self.eval(e);
                self.truth_of(v)
            }
        }
    }

    /// The truth value of a value that is not itself a condition.
    /// Takes the value, so the common kinds need no call to drop it.
    fn truth_of(&self, v: V<'d>) -> Option<bool> {
        match v {
            V::Bool(b) => Some(b),
            // A yes/no field left out reads as no: `rolling` absent means not rolling.
            V::Absent(_) => Some(false),
            V::Node(n) => match self.doc.node(n).value {
                Value::Bool(b) => Some(b),
                _ => None,
            },
            _ => None,
        }
    }

    fn present(&self, v: &V<'d>) -> Option<bool> {
        match v {
            V::Unknown => None,
            V::Absent(_) => Some(false),
            V::Node(n) => match &self.doc.node(*n).value {
                Value::Invalid => None,
                // Placeholder text is reported once, by AGR-PLACEHOLDER; rules asking whether
                // the field is given stay silent rather than report it a second time.
                Value::Placeholder(_) => None,
                Value::Text(t) => Some(!t.trim().is_empty()),
                Value::List(items) => Some(!items.is_empty()),
                Value::Record { entries, .. } => Some(!entries.is_empty()),
                Value::Map(entries) => Some(!entries.is_empty()),
                _ => Some(true),
            },
            V::List(items) => Some(!items.is_empty()),
            _ => Some(true),
        }
    }

    fn eval(&mut self, e: &'d Expr) -> V<'d> {
        match &e.kind {
            ExprKind::Or(_)
            | ExprKind::And(_)
            | ExprKind::Not(_)
            | ExprKind::Present(_)
            | ExprKind::Absent(_)
            | ExprKind::Placeholder(_)
            | ExprKind::Unreadable(_)
            | ExprKind::Matches(..)
            | ExprKind::Contains(..)
            | ExprKind::In(..)
            | ExprKind::Compare(..)
            | ExprKind::Quant { .. } => self.truth(e).map_or(V::Unknown, V::Bool),
            ExprKind::Arith(op, l, r) => {
                let (vl, vr) = (self.eval(l), self.eval(r));
                self.arith(*op, &vl, &vr)
            }
            ExprKind::Neg(a) => {
                let v = self.eval(a);
                self.arith(Arith::Sub, &V::Zero, &v)
            }
            ExprKind::Lit(l) => match l {
                Lit::Text(t) => V::Text(Cow::Borrowed(t)),
                Lit::Number(x) => V::Num(*x),
                Lit::Money(m) => V::Money(*m),
                Lit::Percent(p) => V::Pct(*p),
                Lit::Date(d) => V::Date(*d),
                Lit::Duration(n, u) => V::Dur(*n, *u),
                Lit::Bool(x) => V::Bool(*x),
            },
            ExprKind::List(items) => V::List(items.iter().map(|i| self.eval(i)).collect()),
            ExprKind::Path(p, idx) => self.eval_path(p, idx.as_deref()),
            ExprKind::Agg {
                kind,
                project,
                var,
                coll,
                filter,
                zero,
            } => {
                let c = self.eval(coll);
                let Some(items) = self.items(&c) else {
                    return V::Unknown;
                };
                let mut acc: Option<V<'d>> = None;
                let mut count = 0usize;
                for it in items {
                    if let Some(v) = var {
                        self.env[v.slot] = it.clone();
                    }
                    if let Some(f) = filter {
                        match self.truth(f) {
                            Some(true) => {}
                            Some(false) => continue,
                            None => return V::Unknown,
                        }
                    }
                    if *kind == AggKind::Count {
                        if matches!(it, V::Unknown) {
                            return V::Unknown;
                        }
                        count += 1;
                        continue;
                    }
                    let x = match project {
                        Some(p) => self.eval(p),
                        None => match it {
                            V::Entry(_, val) => V::Node(val),
                            other => other,
                        },
                    };
                    match self.scalar(&x) {
                        None => return V::Unknown,
                        Some(Err(())) => continue, // absent items add nothing
                        Some(Ok(_)) => {}
                    }
                    acc = Some(match (acc, kind) {
                        (None, _) => self.normalise(&x),
                        (Some(a), AggKind::Sum) => self.arith(Arith::Add, &a, &x),
                        (Some(a), _) => {
                            let later = self.order(&x, &a) == Some(std::cmp::Ordering::Greater);
                            if later == (*kind == AggKind::Latest) {
                                self.normalise(&x)
                            } else {
                                a
                            }
                        }
                    });
                    if matches!(acc, Some(V::Unknown)) {
                        return V::Unknown;
                    }
                }
                match (kind, acc) {
                    (AggKind::Count, _) => V::Num(count as f64),
                    (_, Some(v)) => v,
                    (AggKind::Sum, None) => match zero {
                        Zero::Money => V::Money(Money(0)),
                        Zero::Percent => V::Pct(0.0),
                        Zero::Number => V::Num(0.0),
                    },
                    // The earliest of nothing is not given.
                    (_, None) => V::Absent(Doc::ROOT),
                }
            }
            ExprKind::First { var, coll, cond } => {
                let c = self.eval(coll);
                let Some(items) = self.items(&c) else {
                    return V::Unknown;
                };
                for it in items {
                    self.env[var.slot] = it.clone();
                    if self.truth(cond) == Some(true) {
                        return it;
                    }
                }
                V::Absent(Doc::ROOT)
            }
            ExprKind::Keys(a) => {
                let v = self.eval(a);
                match v {
                    V::Node(n) => match &self.doc.node(n).value {
                        Value::Map(entries) => {
                            V::List(entries.iter().map(|&(k, _)| V::Node(k)).collect())
                        }
                        Value::Invalid => V::Unknown,
                        _ => V::List(Vec::new()),
                    },
                    V::Absent(_) => V::List(Vec::new()),
                    _ => V::Unknown,
                }
            }
            ExprKind::Call { name, args, .. } => {
                let vals: Vec<V<'d>> = args.iter().map(|a| self.eval(a)).collect();
                self.call(name, &vals)
            }
        }
    }

    fn call(&self, name: &str, args: &[V<'d>]) -> V<'d> {
        let date = |v: &V| match self.scalar(v) {
            Some(Ok(S::Date(d))) => Some(d),
            _ => None,
        };
        match name {
            "financial_year" => {
                date(&args[0]).map_or(V::Unknown, |d| V::Year(Year(d.financial_year())))
            }
            "financial_years" => match (date(&args[0]), date(&args[1])) {
                (Some(a), Some(b)) => {
                    let (fa, fb) = (a.financial_year(), b.financial_year());
                    // Bounded so a typo such as 2205 cannot make a huge list.
                    V::List((fa..=fb).take(200).map(|y| V::Year(Year(y))).collect())
                }
                _ => V::Unknown,
            },
            "days_between" => match (date(&args[0]), date(&args[1])) {
                (Some(a), Some(b)) => V::Num(a.days_until(b) as f64),
                _ => V::Unknown,
            },
            "location" => match &args[0] {
                V::Node(n) | V::Absent(n) | V::Entry(_, n) => {
                    V::Text(Cow::Owned(self.doc.location(*n)))
                }
                _ => V::Unknown,
            },
            "lowercase" => match self.scalar(&args[0]) {
                Some(Ok(s)) => self
                    .text_of(s)
                    .map_or(V::Unknown, |t| V::Text(Cow::Owned(t.to_lowercase()))),
                _ => V::Unknown,
            },
            _ => V::Unknown,
        }
    }

    fn arith(&self, op: Arith, a: &V<'d>, b: &V<'d>) -> V<'d> {
        // Lists (and year/partner mappings, as lists of entries) join end to end; an absent
        // one adds nothing.
        if op == Arith::Concat {
            return match (self.items(a), self.items(b)) {
                (Some(x), Some(y)) => V::List(x.chain(y).collect()),
                _ => V::Unknown,
            };
        }
        let (Some(Ok(sa)), Some(Ok(sb))) = (self.scalar(a), self.scalar(b)) else {
            return V::Unknown;
        };
        // Percent-ness follows the operands, so `sum of shares` shows as `60%`.
        let pct = |v: &V| {
            matches!(v, V::Pct(_))
                || matches!(v, V::Node(n) if matches!(self.doc.node(*n).value, Value::Percent(_)))
        };
        let num = |x: f64| {
            if pct(a) || pct(b) {
                V::Pct(x)
            } else {
                V::Num(x)
            }
        };
        match (op, sa, sb) {
            (_, S::Zero, S::Zero) => V::Zero,
            (Arith::Add, S::Zero, _) => self.normalise(b),
            (Arith::Add | Arith::Sub, _, S::Zero) => self.normalise(a),
            (Arith::Sub, S::Zero, S::Money(m)) => V::Money(Money(-m.0)),
            (Arith::Sub, S::Zero, S::Num(x)) => num(-x),
            (Arith::Add, S::Money(x), S::Money(y)) => {
                x.0.checked_add(y.0)
                    .map_or(V::Unknown, |m| V::Money(Money(m)))
            }
            (Arith::Sub, S::Money(x), S::Money(y)) => {
                x.0.checked_sub(y.0)
                    .map_or(V::Unknown, |m| V::Money(Money(m)))
            }
            (Arith::Div, S::Money(x), S::Money(y)) if y.0 != 0 => V::Num(x.0 as f64 / y.0 as f64),
            (Arith::Mul, S::Money(m), S::Num(x)) | (Arith::Mul, S::Num(x), S::Money(m)) => {
                let f = if pct(a) || pct(b) { x / 100.0 } else { x };
                V::Money(Money((m.0 as f64 * f).round() as i64))
            }
            (Arith::Div, S::Money(m), S::Num(x)) if x != 0.0 => {
                V::Money(Money((m.0 as f64 / x).round() as i64))
            }
            (Arith::Add, S::Num(x), S::Num(y)) => num(x + y),
            (Arith::Sub, S::Num(x), S::Num(y)) => num(x - y),
            (Arith::Mul, S::Num(x), S::Num(y)) => num(x * y),
            (Arith::Div, S::Num(x), S::Num(y)) if y != 0.0 => num(x / y),
            (Arith::Add | Arith::Sub, S::Date(d), S::Dur(n, u)) => {
                let n = if op == Arith::Sub { -n } else { n };
                let r = match u {
                    Unit::Days => d.add_days(n),
                    Unit::Months => d.add_months(n),
                    Unit::Years => d.add_months(n.saturating_mul(12)),
                };
                r.map_or(V::Unknown, V::Date)
            }
            (Arith::Sub, S::Date(x), S::Date(y)) => V::Num(y.days_until(x) as f64),
            _ => V::Unknown,
        }
    }

    fn normalise(&self, v: &V<'d>) -> V<'d> {
        match self.scalar(v) {
            Some(Ok(S::Money(m))) => V::Money(m),
            Some(Ok(S::Num(x))) => {
                let is_pct = matches!(v, V::Pct(_))
                    || matches!(v, V::Node(n) if matches!(self.doc.node(*n).value, Value::Percent(_)));
                if is_pct {
                    V::Pct(x)
                } else {
                    V::Num(x)
                }
            }
            Some(Ok(S::Date(d))) => V::Date(d),
            Some(Ok(S::Year(y))) => V::Year(y),
            _ => v.clone(),
        }
    }
}
