//! The built-in functions (the table is `lang::functions`). The match on [`Function`] is
//! exhaustive, so a function added to the table does not compile until it is implemented here.

use super::value::{Scalar, Value};
use super::Ctx;
use crate::agreement::values::{Date, Year};
use crate::lang::functions::Function;
use std::borrow::Cow;

impl<'d> Ctx<'d> {
    /// Calls a function on its arguments' values. Validation has checked how many there are;
    /// a call that somehow has another number is unknown.
    pub(super) fn call(&self, function: Function, args: &[Value<'d>]) -> Value<'d> {
        match (function, args) {
            (Function::FinancialYear, [d]) => self
                .date(d)
                .map_or(Value::Unknown, |d| Value::Year(Year(d.financial_year()))),
            (Function::FinancialYears, [from, to]) => match (self.date(from), self.date(to)) {
                (Some(a), Some(b)) => {
                    let (fa, fb) = (a.financial_year(), b.financial_year());
                    // Bounded so a typo such as 2205 cannot make a huge list.
                    Value::List((fa..=fb).take(200).map(|y| Value::Year(Year(y))).collect())
                }
                _ => Value::Unknown,
            },
            (Function::DaysBetween, [from, to]) => match (self.date(from), self.date(to)) {
                (Some(a), Some(b)) => Value::Number(a.days_until(b) as f64),
                _ => Value::Unknown,
            },
            (Function::Location, [x]) => match x {
                Value::Node(n) | Value::Absent(n) | Value::Entry(_, n) => {
                    Value::Text(Cow::Owned(self.doc.location(*n)))
                }
                _ => Value::Unknown,
            },
            (Function::Lowercase, [t]) => match self.scalar(t) {
                Some(Ok(s)) => self.text_of(s).map_or(Value::Unknown, |t| {
                    Value::Text(Cow::Owned(t.to_lowercase()))
                }),
                _ => Value::Unknown,
            },
            (
                Function::FinancialYear
                | Function::FinancialYears
                | Function::DaysBetween
                | Function::Location
                | Function::Lowercase,
                _,
            ) => Value::Unknown,
        }
    }

    /// The date a value holds, if it is one.
    fn date(&self, v: &Value<'d>) -> Option<Date> {
        match self.scalar(v) {
            Some(Ok(Scalar::Date(d))) => Some(d),
            _ => None,
        }
    }
}
