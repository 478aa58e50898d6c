//! Lookups by reference, made linear: a `where` filter that compares an item's field with an
//! item named outside the loop (`s.pool = pool`, `c.partner = partner`) reads an index of the
//! list, built the first time it is needed and kept for the rest of the agreement, instead of
//! every item of the list each time. Without it, pools x schemes in S75-FUNCTIONS,
//! S75-POOL-LINK and FIN-ALLOCATION took 110 s for 20,000 of each; local rules written the same
//! way benefit too.
//!
//! The index only leaves out items that a `where` filter would not select anyway: an item whose
//! field names another item (the comparison is false) or is absent or failed to load (it is
//! unknown, and an unknown filter does not select). Every item it gives is still tested against
//! the whole filter, so the answer is the same as walking the list.

use super::value::{Scalar, Value};
use super::Ctx;
use crate::agreement::doc::{NodeId, Value as NodeValue};
use crate::lang::ast::{Cmp, Expr, ExprKind, Ident, Path, Root};
use std::collections::HashMap;
use std::rc::Rc;

/// The items of one list, by the item their field names.
#[derive(Default)]
pub(super) struct Index {
    /// Positions of the items whose field names a given item, in list order.
    by_item: HashMap<NodeId, Vec<u32>>,
    /// Positions of the items whose field is some other kind of value (text that may equal an
    /// item's id): always tested.
    loose: Vec<u32>,
}

/// What an index is kept under: the list, and the field expression (`s.pool`) as written.
pub(super) type IndexKey = (NodeId, *const Expr);

impl<'d> Ctx<'d> {
    /// The items of `coll` that can satisfy `filter`, in order, when `filter` is (or starts
    /// with `... and`) a comparison of `var`'s field with an item named outside the loop;
    /// `None` when the filter has no such form, and the caller walks the whole list.
    pub(super) fn pick(
        &mut self,
        var: &'d Ident,
        coll: &Value<'d>,
        filter: &'d Expr,
    ) -> Option<Vec<Value<'d>>> {
        let Value::Node(list) = *coll else {
            return None;
        };
        let NodeValue::List(items) = &self.doc.node(list).value else {
            return None;
        };
        let (field, probe) = lookup_form(var, filter)?;
        let probed = self.eval(probe);
        let target = match self.scalar(&probed) {
            Some(Ok(Scalar::Item(t))) => t,
            // Absent or unknown: the comparison is unknown for every item, so none is selected.
            Some(Err(())) | None => return Some(Vec::new()),
            // Text, a year...: not a lookup by reference.
            Some(Ok(_)) => return None,
        };
        let key: IndexKey = (list, field as *const Expr);
        let index = match self.indexes.get(&key) {
            Some(i) => Rc::clone(i),
            None => {
                let i = Rc::new(self.build_index(var, items, field));
                self.indexes.insert(key, Rc::clone(&i));
                i
            }
        };
        let exact = index.by_item.get(&target).map_or(&[][..], Vec::as_slice);
        let mut picked = Vec::with_capacity(exact.len() + index.loose.len());
        // Both are in list order: merge them so the items keep it (`first` depends on it).
        let (mut a, mut b) = (exact.iter().peekable(), index.loose.iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(&&x), Some(&&y)) if x < y => a.next(),
                (Some(_), Some(_)) | (None, Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, None) => break,
            };
            if let Some(&i) = next {
                picked.push(Value::Node(items[i as usize]));
            }
        }
        Some(picked)
    }

    fn build_index(&mut self, var: &'d Ident, items: &'d [NodeId], field: &'d Expr) -> Index {
        let mut index = Index::default();
        for (i, &n) in items.iter().enumerate() {
            let Ok(pos) = u32::try_from(i) else { break };
            self.env[var.slot] = Value::Node(n);
            let v = self.eval(field);
            match self.scalar(&v) {
                Some(Ok(Scalar::Item(t))) => index.by_item.entry(t).or_default().push(pos),
                Some(Ok(_)) => index.loose.push(pos),
                Some(Err(())) | None => {}
            }
        }
        index
    }
}

/// `(field, probe)` when `filter` is `var.field = probe` (either way round), or such a
/// comparison joined by `and` to other conditions, and `probe` is a path that does not read
/// `var`: then the field's value depends on the item alone and can be indexed.
fn lookup_form<'d>(var: &Ident, filter: &'d Expr) -> Option<(&'d Expr, &'d Expr)> {
    match &filter.kind {
        ExprKind::Compare(Cmp::Eq, l, r) => {
            let reads_var = |e: &Expr| match &e.kind {
                ExprKind::Path(p, None) => is_var_field(p, var.slot),
                _ => false,
            };
            let outside = |e: &Expr| match &e.kind {
                ExprKind::Path(p, None) => p.root != Root::Var(var.slot),
                _ => false,
            };
            if reads_var(l) && outside(r) {
                Some((l, r))
            } else if reads_var(r) && outside(l) {
                Some((r, l))
            } else {
                None
            }
        }
        ExprKind::And(parts) => parts.iter().find_map(|p| lookup_form(var, p)),
        _ => None,
    }
}

/// `var.field...`: a path from the variable to one of its fields.
fn is_var_field(p: &Path, slot: usize) -> bool {
    p.root == Root::Var(slot) && p.segs.len() > 1
}
