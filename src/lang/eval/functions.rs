//! The built-in functions (the table is `lang::functions`). The match on [`Function`] is
//! exhaustive, so a function added to the table does not compile until it is implemented here.

use super::value::{Scalar, Value};
use super::Ctx;
use crate::agreement::values::{Date, Year};
use crate::lang::ast::Pattern;
use crate::lang::functions::Function;
use std::borrow::Cow;

impl<'d> Ctx<'d> {
    /// Calls a function on its arguments' values and the patterns written in it (one place
    /// per argument, see [`ExprKind::Call`](crate::lang::ast::ExprKind::Call)). Validation
    /// has checked how many there are; a call that somehow has another number is unknown.
    pub(super) fn call(
        &self,
        function: Function,
        args: &[Value<'d>],
        patterns: &[Option<Pattern>],
    ) -> Value<'d> {
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
            (Function::FirstMatch, [t, _, _]) => {
                let (Some(Ok(s)), [_, Some(re), Some(except)]) = (self.scalar(t), patterns) else {
                    return Value::Unknown;
                };
                let Some(text) = self.text_of(s) else {
                    return Value::Unknown;
                };
                match first_match(&text, re, except) {
                    Some(Some(m)) => Value::Text(Cow::Owned(m)),
                    Some(None) => Value::Absent(crate::agreement::doc::Doc::ROOT),
                    None => Value::Unknown,
                }
            }
            (
                Function::FinancialYear
                | Function::FinancialYears
                | Function::DaysBetween
                | Function::Location
                | Function::Lowercase
                | Function::FirstMatch,
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

/// The first match of `re` in `text` (read as `matches` reads it) once whatever `except`
/// matches is blanked out (an empty `except` blanks nothing): `Some(None)` when there is none,
/// `None` when a pattern does not compile (validation checked them, so only with a different
/// regex version).
fn first_match(text: &str, re: &Pattern, except: &Pattern) -> Option<Option<String>> {
    let text = super::normalise::for_matching(text);
    let blanked;
    let text: &str = if except.source().is_empty() {
        &text
    } else {
        blanked = crate::lang::ast::blank_out(except, &text)?;
        &blanked
    };
    Some(re.find(text)?.and_then(|m| text.get(m)).map(str::to_string))
}
