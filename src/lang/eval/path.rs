//! Reading the agreement along a path (`pool.pool_manager.partner`), through references, and
//! by key (`pool.pooled_total[entry.year]`).

use super::value::Value;
use super::Ctx;
use crate::agreement::doc::{Doc, NodeId, Value as NodeValue};
use crate::lang::ast::{Expr, Path, Root};
use std::borrow::Cow;

/// Where a step along a path got to: the values a step can give, none of which owns anything.
#[derive(Debug, Clone, Copy)]
enum Reached {
    /// A node of the agreement.
    Node(NodeId),
    /// Not given; the nearest node that should hold it.
    Absent(NodeId),
    /// Could not be known.
    Unknown,
}

impl Reached {
    fn value<'d>(self) -> Value<'d> {
        match self {
            Reached::Node(n) => Value::Node(n),
            Reached::Absent(n) => Value::Absent(n),
            Reached::Unknown => Value::Unknown,
        }
    }
}

impl<'d> Ctx<'d> {
    /// Follows a reference to the item it names.
    fn follow(&self, n: NodeId) -> Option<NodeId> {
        match &self.doc.node(n).value {
            NodeValue::Ref {
                target: Some(t), ..
            } => Some(*t),
            NodeValue::Ref { target: None, .. } | NodeValue::Invalid => None,
            _ => Some(n),
        }
    }

    /// One step of a path from a value: the field `name` of a record (through a reference),
    /// or the key or value of a mapping entry.
    fn step(&self, v: &Value<'d>, name: &str) -> Reached {
        match *v {
            Value::Node(n) => self.step_node(n, name),
            Value::Entry(k, val) => match name {
                "value" => Reached::Node(val),
                _ => Reached::Node(k),
            },
            Value::Absent(a) => Reached::Absent(a),
            _ => Reached::Unknown,
        }
    }

    /// A step from where an earlier step got to, as [`Ctx::step`] would take it.
    fn step_at(&self, at: Reached, name: &str) -> Reached {
        match at {
            Reached::Node(n) => self.step_node(n, name),
            other => other,
        }
    }

    fn step_node(&self, n: NodeId, name: &str) -> Reached {
        let Some(n) = self.follow(n) else {
            return Reached::Unknown;
        };
        match &self.doc.node(n).value {
            NodeValue::Record { .. } => match self.doc.get(n, name) {
                Some(c) => Reached::Node(c),
                None => Reached::Absent(n),
            },
            NodeValue::Invalid => Reached::Unknown,
            _ => Reached::Absent(n),
        }
    }

    pub(super) fn eval_path(&mut self, p: &'d Path, idx: Option<&'d Expr>) -> Value<'d> {
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
            Root::Agreement => Reached::Node(Doc::ROOT),
            Root::Today | Root::Placeholders | Root::Unresolved => {
                let v = match p.root {
                    Root::Today => Value::Date(self.today),
                    Root::Placeholders => Value::List(
                        self.doc
                            .placeholders
                            .iter()
                            .map(|&n| Value::Node(n))
                            .collect(),
                    ),
                    _ => Value::Unknown,
                };
                if segs.next().is_none() {
                    return match idx {
                        None => v,
                        Some(i) => self.index_by(v, i),
                    };
                }
                // Nothing has fields to step into from a date, a list or the unknown.
                Reached::Unknown
            }
        };
        // Steps go between nodes, so they carry a plain `Reached` rather than a value to drop.
        let mut at = start;
        for (seg, _) in segs {
            at = self.step_at(at, seg);
        }
        let mut v = at.value();
        // A field left out reads as its default in the field table, if it has one.
        if let (Value::Absent(_), Some(default)) = (&v, &p.default) {
            v = Value::Text(Cow::Borrowed(default));
        }
        match idx {
            None => v,
            Some(i) => self.index_by(v, i),
        }
    }

    /// `v[i]`: the entry of the mapping `v` whose key equals the value of `i`. Kept apart from
    /// [`Ctx::eval_path`] so that the common unindexed path does not pay for it.
    #[inline(never)]
    fn index_by(&mut self, v: Value<'d>, i: &'d Expr) -> Value<'d> {
        let key = self.eval(i);
        match v {
            Value::Node(m) => match &self.doc.node(m).value {
                NodeValue::Map(entries) => {
                    let mut found = Value::Absent(m);
                    for &(k, val) in entries {
                        match self.equal(&Value::Node(k), &key) {
                            Some(true) => {
                                found = Value::Node(val);
                                break;
                            }
                            None => found = Value::Unknown,
                            _ => {}
                        }
                    }
                    found
                }
                NodeValue::Invalid => Value::Unknown,
                _ => Value::Absent(m),
            },
            other => other,
        }
    }
}
