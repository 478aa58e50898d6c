//! Calculations: `+ - * /` on numbers, money, percents and dates, and lists joined end to end.

use super::value::{Scalar, Value};
use super::Ctx;
use crate::agreement::doc::Value as NodeValue;
use crate::agreement::values::Money;
use crate::lang::ast::{Arith, Unit};

impl<'d> Ctx<'d> {
    pub(super) fn arith(&self, op: Arith, a: &Value<'d>, b: &Value<'d>) -> Value<'d> {
        // Lists (and year/partner mappings, as lists of entries) join end to end; an absent
        // one adds nothing.
        if op == Arith::Concat {
            return match (self.items(a), self.items(b)) {
                (Some(x), Some(y)) => Value::List(x.chain(y).collect()),
                _ => Value::Unknown,
            };
        }
        let (Some(Ok(sa)), Some(Ok(sb))) = (self.scalar(a), self.scalar(b)) else {
            return Value::Unknown;
        };
        // Percent-ness follows the operands, so `sum of shares` shows as `60%`.
        let pct = |v: &Value| {
            matches!(v, Value::Percent(_))
                || matches!(v, Value::Node(n) if matches!(self.doc.node(*n).value, NodeValue::Percent(_)))
        };
        let num = |x: f64| {
            if pct(a) || pct(b) {
                Value::Percent(x)
            } else {
                Value::Number(x)
            }
        };
        match (op, sa, sb) {
            (_, Scalar::Zero, Scalar::Zero) => Value::Zero,
            (Arith::Add, Scalar::Zero, _) => self.normalise(b),
            (Arith::Add | Arith::Sub, _, Scalar::Zero) => self.normalise(a),
            (Arith::Sub, Scalar::Zero, Scalar::Money(m)) => Value::Money(Money(-m.0)),
            (Arith::Sub, Scalar::Zero, Scalar::Number(x)) => num(-x),
            (Arith::Add, Scalar::Money(x), Scalar::Money(y)) => {
                x.0.checked_add(y.0)
                    .map_or(Value::Unknown, |m| Value::Money(Money(m)))
            }
            (Arith::Sub, Scalar::Money(x), Scalar::Money(y)) => {
                x.0.checked_sub(y.0)
                    .map_or(Value::Unknown, |m| Value::Money(Money(m)))
            }
            (Arith::Div, Scalar::Money(x), Scalar::Money(y)) if y.0 != 0 => {
                Value::Number(x.0 as f64 / y.0 as f64)
            }
            (Arith::Mul, Scalar::Money(m), Scalar::Number(x))
            | (Arith::Mul, Scalar::Number(x), Scalar::Money(m)) => {
                let f = if pct(a) || pct(b) { x / 100.0 } else { x };
                Value::Money(Money((m.0 as f64 * f).round() as i64))
            }
            (Arith::Div, Scalar::Money(m), Scalar::Number(x)) if x != 0.0 => {
                Value::Money(Money((m.0 as f64 / x).round() as i64))
            }
            (Arith::Add, Scalar::Number(x), Scalar::Number(y)) => num(x + y),
            (Arith::Sub, Scalar::Number(x), Scalar::Number(y)) => num(x - y),
            (Arith::Mul, Scalar::Number(x), Scalar::Number(y)) => num(x * y),
            (Arith::Div, Scalar::Number(x), Scalar::Number(y)) if y != 0.0 => num(x / y),
            (Arith::Add | Arith::Sub, Scalar::Date(d), Scalar::Duration(n, u)) => {
                let n = if op == Arith::Sub { -n } else { n };
                let r = match u {
                    Unit::Days => d.add_days(n),
                    Unit::Months => d.add_months(n),
                    Unit::Years => d.add_months(n.saturating_mul(12)),
                };
                r.map_or(Value::Unknown, Value::Date)
            }
            (Arith::Sub, Scalar::Date(x), Scalar::Date(y)) => Value::Number(y.days_until(x) as f64),
            _ => Value::Unknown,
        }
    }

    pub(super) fn normalise(&self, v: &Value<'d>) -> Value<'d> {
        match self.scalar(v) {
            Some(Ok(Scalar::Money(m))) => Value::Money(m),
            Some(Ok(Scalar::Number(x))) => {
                let is_pct = matches!(v, Value::Percent(_))
                    || matches!(v, Value::Node(n) if matches!(self.doc.node(*n).value, NodeValue::Percent(_)));
                if is_pct {
                    Value::Percent(x)
                } else {
                    Value::Number(x)
                }
            }
            Some(Ok(Scalar::Date(d))) => Value::Date(d),
            Some(Ok(Scalar::Year(y))) => Value::Year(y),
            _ => v.clone(),
        }
    }
}
