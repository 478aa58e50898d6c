//! Equality, order and membership (`in`, `contains`), each three-valued: `None` when it cannot
//! be known.

use super::value::{Items, Scalar, Value};
use super::Ctx;
use std::cmp::Ordering;

impl<'d> Ctx<'d> {
    /// Whether `whole` holds `part`: an item of a list equal to it, or, for text, the text
    /// within it ignoring case (`LIST contains X`, `X in LIST`).
    pub(super) fn contains(&self, whole: &Value<'d>, part: &Value<'d>) -> Option<bool> {
        match self.list_items(whole) {
            Some(Some(list)) => self.member(part, list),
            Some(None) => None,
            None => {
                let (Some(Ok(w)), Some(Ok(p))) = (self.scalar(whole), self.scalar(part)) else {
                    return None;
                };
                match (self.text_of(w), self.text_of(p)) {
                    (Some(w), Some(p)) => Some(w.to_lowercase().contains(&p.to_lowercase())),
                    _ => None,
                }
            }
        }
    }

    /// Equality, or `None` when unknown (including anything absent).
    pub(super) fn equal(&self, a: &Value<'d>, b: &Value<'d>) -> Option<bool> {
        // A list never equals a single value. Whether each is a list is found once.
        match (self.is_list(a), self.is_list(b)) {
            (true, false) | (false, true) => {
                return if matches!(a, Value::Unknown) || matches!(b, Value::Unknown) {
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
            (Scalar::Item(x), Scalar::Item(y)) => x == y,
            (Scalar::Number(x), Scalar::Number(y)) => (x - y).abs() < 1e-9,
            (Scalar::Money(x), Scalar::Money(y)) => x == y,
            (Scalar::Zero, Scalar::Zero) => true,
            (Scalar::Zero, Scalar::Number(x)) | (Scalar::Number(x), Scalar::Zero) => x == 0.0,
            (Scalar::Zero, Scalar::Money(m)) | (Scalar::Money(m), Scalar::Zero) => m.0 == 0,
            (Scalar::Date(x), Scalar::Date(y)) => x == y,
            (Scalar::Year(x), Scalar::Year(y)) => x == y,
            (Scalar::Bool(x), Scalar::Bool(y)) => x == y,
            (x, y) => match (self.text_of(x), self.text_of(y)) {
                (Some(p), Some(q)) => p == q,
                _ => false,
            },
        })
    }

    /// [`Ctx::equal`] of `v` and the text `t`, without making a value of the text.
    pub(super) fn equal_text(&self, v: &Value<'d>, t: &str) -> Option<bool> {
        // A list never equals a single value.
        if self.is_list(v) {
            return Some(false);
        }
        let s = self.scalar(v)?.ok()?;
        Some(self.text_of(s).is_some_and(|x| x == t))
    }

    /// `Some(list)` when `v` is a list (with `None` inside when unknown); `None` when not a list.
    pub(super) fn list_of(&self, v: &Value<'d>) -> Option<Option<Vec<Value<'d>>>> {
        self.list_items(v).map(|l| l.map(Iterator::collect))
    }

    /// Whether some item of `list` equals `x`.
    pub(super) fn member(&self, x: &Value<'d>, list: Items<'_, 'd>) -> Option<bool> {
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

    /// How two values are ordered, or `None` when they cannot be (unlike, absent, unknown).
    pub(super) fn order(&self, a: &Value<'d>, b: &Value<'d>) -> Option<Ordering> {
        let (sa, sb) = (self.scalar(a)?.ok()?, self.scalar(b)?.ok()?);
        match (sa, sb) {
            (Scalar::Date(x), Scalar::Date(y)) => Some(x.cmp(&y)),
            (Scalar::Money(x), Scalar::Money(y)) => Some(x.cmp(&y)),
            (Scalar::Year(x), Scalar::Year(y)) => Some(x.cmp(&y)),
            (Scalar::Number(x), Scalar::Number(y)) => x.partial_cmp(&y),
            (Scalar::Zero, Scalar::Number(y)) => 0.0f64.partial_cmp(&y),
            (Scalar::Number(x), Scalar::Zero) => x.partial_cmp(&0.0),
            (Scalar::Zero, Scalar::Money(y)) => Some(0.cmp(&y.0)),
            (Scalar::Money(x), Scalar::Zero) => Some(x.0.cmp(&0)),
            (Scalar::Zero, Scalar::Zero) => Some(Ordering::Equal),
            _ => None,
        }
    }
}
