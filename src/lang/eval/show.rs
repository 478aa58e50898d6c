//! Values as a message shows them (`£1,200,000`, `1 April 2025`), and the place in the
//! agreement a value points at.

use super::value::Value;
use super::Ctx;
use crate::agreement::doc::{NodeId, Value as NodeValue};
use crate::agreement::values::format_number;
use crate::lang::ast::{Part, Template, Unit};
use crate::span::Span;

impl<'d> Ctx<'d> {
    /// The span a value points at, and the node it belongs to.
    pub(super) fn place(&self, v: &Value) -> Option<(Span, NodeId)> {
        match v {
            Value::Node(n) => Some((self.doc.node(*n).span, *n)),
            Value::Absent(n) => Some((self.doc.node(*n).span, *n)),
            Value::Entry(k, val) => {
                let (ks, vs) = (self.doc.node(*k).span, self.doc.node(*val).span);
                Some((Span::new(ks.start.min(vs.start), ks.end.max(vs.end)), *val))
            }
            Value::List(items) => items.iter().find_map(|i| self.place(i)),
            _ => None,
        }
    }

    pub(super) fn render(&mut self, t: &'d Template) -> String {
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
    fn show(&self, v: &Value, out: &mut String) {
        use std::fmt::Write;
        let _ = match v {
            Value::Unknown => write!(out, "(unreadable)"),
            Value::Absent(_) => write!(out, "(not given)"),
            Value::Node(n) => return self.show_node(*n, out),
            Value::Entry(k, _) => return self.show_node(*k, out),
            Value::Bool(b) => write!(out, "{}", if *b { "yes" } else { "no" }),
            Value::Number(x) => write!(out, "{}", format_number(*x)),
            Value::Money(m) => write!(out, "{m}"),
            Value::Percent(p) => write!(out, "{}%", format_number(*p)),
            Value::Date(d) => write!(out, "{d}"),
            Value::Year(y) => write!(out, "{y}"),
            Value::Duration(n, u) => write!(
                out,
                "{n} {}",
                match u {
                    Unit::Days => "days",
                    Unit::Months => "months",
                    Unit::Years => "years",
                }
            ),
            Value::Text(t) => write!(out, "{t}"),
            Value::Zero => write!(out, "0"),
            Value::List(items) => {
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
            NodeValue::Invalid => write!(out, "(unreadable)"),
            NodeValue::Placeholder(t) | NodeValue::Text(t) => write!(out, "{}", t.trim()),
            // Words such as `section_256` read as "section 256" in a message.
            NodeValue::Word(w) => write!(out, "{}", w.replace('_', " ")),
            NodeValue::Bool(b) => write!(out, "{}", if *b { "yes" } else { "no" }),
            NodeValue::Number(x) => write!(out, "{}", format_number(*x)),
            NodeValue::Date(d) => write!(out, "{d}"),
            NodeValue::Money(m) => write!(out, "{m}"),
            NodeValue::Percent(p) => write!(out, "{}%", format_number(*p)),
            NodeValue::Year(y) => write!(out, "{y}"),
            NodeValue::Ref { id, .. } => write!(out, "{id}"),
            NodeValue::Record { .. } => {
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
            NodeValue::List(items) => {
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.show_node(*it, out);
                }
                Ok(())
            }
            NodeValue::Map(_) => write!(out, "{}", self.doc.location(n)),
        };
    }
}
