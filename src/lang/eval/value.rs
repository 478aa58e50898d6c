//! The values rules work with: [`Value`] (what an expression gives), [`Scalar`] (a single value
//! as compared and calculated with) and [`Items`] (a collection walked without copying), and
//! how each is read from a node of the agreement.

use super::Ctx;
use crate::agreement::doc::{Doc, NodeId, Value as NodeValue};
use crate::agreement::values::{Date, Money, Year};
use crate::lang::ast::Unit;
use std::borrow::Cow;

/// A value during evaluation. Text borrows from the rules or the agreement (`'d`) where it can,
/// so evaluating a literal or reading a field allocates nothing.
#[derive(Debug, Clone)]
pub(super) enum Value<'d> {
    /// Could not be known (read from a value that failed to load).
    Unknown,
    /// Not given; the node is the nearest one that should hold it (where a finding points).
    Absent(NodeId),
    /// A node of the agreement.
    Node(NodeId),
    /// An entry of a year- or partner-keyed mapping: key node and value node.
    Entry(NodeId, NodeId),
    /// A condition's outcome, or `true` / `false` as written.
    Bool(bool),
    /// A plain number.
    Number(f64),
    /// An amount of money.
    Money(Money),
    /// A percent (shown with `%`; calculates as a number).
    Percent(f64),
    /// A date.
    Date(Date),
    /// A financial year.
    Year(Year),
    /// A length of time (`90 days`).
    Duration(i64, Unit),
    /// Text: written in a rule, or made by a function.
    Text(Cow<'d, str>),
    /// A list made by the rule (`(a, b)`, `keys of`, `+` of lists).
    List(Vec<Value<'d>>),
    /// The sum of nothing: zero of whatever kind it is compared with.
    Zero,
}

/// A single value as compared and calculated with, whether written in the rule or read from
/// the agreement (text borrowed from the agreement). Percents are numbers here.
#[derive(Debug, Clone, Copy)]
pub(super) enum Scalar<'a> {
    /// Text or a word.
    Text(&'a str),
    /// A number or a percent.
    Number(f64),
    /// An amount of money.
    Money(Money),
    /// A date.
    Date(Date),
    /// A financial year.
    Year(Year),
    /// True or false.
    Bool(bool),
    /// A length of time.
    Duration(i64, Unit),
    /// A record (item of partners/pools/schemes) or a reference to one, for identity.
    Item(NodeId),
    /// The sum of nothing.
    Zero,
}

/// The items of a collection, borrowed from where they are (see [`Ctx::items`]).
#[derive(Clone)]
pub(super) enum Items<'a, 'd> {
    /// Items of a list in the agreement.
    Nodes(std::slice::Iter<'d, NodeId>),
    /// Entries of a year- or partner-keyed mapping; one whose key failed to load is unknown.
    Entries(&'d Doc, std::slice::Iter<'d, (NodeId, NodeId)>),
    /// Items of a list value.
    Values(std::slice::Iter<'a, Value<'d>>),
    /// A single value standing for a list of one.
    One(Option<Value<'d>>),
}

impl<'d> Iterator for Items<'_, 'd> {
    type Item = Value<'d>;

    fn next(&mut self) -> Option<Value<'d>> {
        match self {
            Items::Nodes(it) => it.next().map(|&n| Value::Node(n)),
            Items::Entries(doc, it) => it.next().map(|&(k, val)| {
                if matches!(doc.node(k).value, NodeValue::Invalid) {
                    Value::Unknown
                } else {
                    Value::Entry(k, val)
                }
            }),
            Items::Values(it) => it.next().cloned(),
            Items::One(v) => v.take(),
        }
    }
}

impl<'d> Ctx<'d> {
    /// The items of a collection, or `None` when it is unknown. Borrows the collection rather
    /// than copying it, so walking a list allocates nothing.
    pub(super) fn items<'a>(&self, v: &'a Value<'d>) -> Option<Items<'a, 'd>> {
        Some(match v {
            Value::Unknown => return None,
            Value::Absent(_) => Items::Values([].iter()),
            Value::List(items) => Items::Values(items.iter()),
            Value::Node(n) => match &self.doc.node(*n).value {
                NodeValue::List(items) => Items::Nodes(items.iter()),
                NodeValue::Map(entries) => Items::Entries(self.doc, entries.iter()),
                NodeValue::Word("none") => Items::Values([].iter()),
                NodeValue::Invalid => return None,
                _ => Items::One(Some(Value::Node(*n))),
            },
            other => Items::One(Some(other.clone())),
        })
    }

    /// True when `v` is a list (as [`Ctx::list_items`] would find), without walking it.
    pub(super) fn is_list(&self, v: &Value<'d>) -> bool {
        match v {
            Value::List(_) => true,
            Value::Node(n) => matches!(self.doc.node(*n).value, NodeValue::List(_)),
            _ => false,
        }
    }

    /// `Some(items)` when `v` is a list (with `None` inside when unknown); `None` when not a
    /// list. Borrows, as [`Ctx::items`] does.
    pub(super) fn list_items<'a>(&self, v: &'a Value<'d>) -> Option<Option<Items<'a, 'd>>> {
        self.is_list(v).then(|| self.items(v))
    }

    /// `v` as a single value: `Some(Ok)` a value, `Some(Err)` absent (or placeholder text),
    /// `None` unknown (failed to load, an unresolved reference, or a list or mapping).
    pub(super) fn scalar<'a>(&'a self, v: &'a Value<'d>) -> Option<Result<Scalar<'a>, ()>> {
        Some(Ok(match v {
            Value::Unknown => return None,
            Value::Absent(_) => return Some(Err(())),
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Number(x) | Value::Percent(x) => Scalar::Number(*x),
            Value::Money(m) => Scalar::Money(*m),
            Value::Date(d) => Scalar::Date(*d),
            Value::Year(y) => Scalar::Year(*y),
            Value::Duration(n, u) => Scalar::Duration(*n, *u),
            Value::Text(t) => Scalar::Text(t),
            Value::Zero => Scalar::Zero,
            Value::Entry(k, _) => return self.scalar_node(*k),
            Value::Node(n) => return self.scalar_node(*n),
            Value::List(_) => return None,
        }))
    }

    /// [`Ctx::scalar`] of a node of the agreement.
    fn scalar_node(&self, n: NodeId) -> Option<Result<Scalar<'_>, ()>> {
        Some(Ok(match &self.doc.node(n).value {
            NodeValue::Invalid => return None,
            NodeValue::Placeholder(_) => return Some(Err(())),
            NodeValue::Text(t) => Scalar::Text(t.trim()),
            NodeValue::Word(w) => Scalar::Text(w),
            NodeValue::Bool(b) => Scalar::Bool(*b),
            NodeValue::Number(x) | NodeValue::Percent(x) => Scalar::Number(*x),
            NodeValue::Date(d) => Scalar::Date(*d),
            NodeValue::Money(m) => Scalar::Money(*m),
            NodeValue::Year(y) => Scalar::Year(*y),
            NodeValue::Ref {
                target: Some(t), ..
            } => Scalar::Item(*t),
            NodeValue::Ref { .. } => return None,
            NodeValue::Record { .. } => Scalar::Item(n),
            NodeValue::List(_) | NodeValue::Map(_) => return None,
        }))
    }

    /// The text of a value: text itself, an item's `id`, or a financial year as written.
    pub(super) fn text_of<'a>(&'a self, s: Scalar<'a>) -> Option<Cow<'a, str>> {
        match s {
            Scalar::Text(t) => Some(Cow::Borrowed(t)),
            Scalar::Item(n) => self
                .doc
                .get(n, "id")
                .and_then(|i| self.doc.text(i))
                .map(Cow::Borrowed),
            Scalar::Year(y) => Some(Cow::Owned(y.to_string())),
            _ => None,
        }
    }

    /// The truth value of a value that is not itself a condition.
    /// Takes the value, so the common kinds need no call to drop it.
    pub(super) fn truth_of(&self, v: Value<'d>) -> Option<bool> {
        match v {
            Value::Bool(b) => Some(b),
            // A yes/no field left out reads as no: `rolling` absent means not rolling.
            Value::Absent(_) => Some(false),
            Value::Node(n) => match self.doc.node(n).value {
                NodeValue::Bool(b) => Some(b),
                _ => None,
            },
            _ => None,
        }
    }

    /// `X is present`: given and not empty; unknown for a value that failed to load.
    pub(super) fn present(&self, v: &Value<'d>) -> Option<bool> {
        match v {
            Value::Unknown => None,
            Value::Absent(_) => Some(false),
            Value::Node(n) => match &self.doc.node(*n).value {
                NodeValue::Invalid => None,
                // Placeholder text is reported once, by AGR-PLACEHOLDER; rules asking whether
                // the field is given stay silent rather than report it a second time.
                NodeValue::Placeholder(_) => None,
                NodeValue::Text(t) => Some(!t.trim().is_empty()),
                NodeValue::List(items) => Some(!items.is_empty()),
                NodeValue::Record { entries, .. } => Some(!entries.is_empty()),
                NodeValue::Map(entries) => Some(!entries.is_empty()),
                _ => Some(true),
            },
            Value::List(items) => Some(!items.is_empty()),
            _ => Some(true),
        }
    }
}
