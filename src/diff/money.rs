//! Money in the terms a variation is signed in: per pool, partner and year, old -> new with the
//! difference and percent; each year's total and whether it still reconciles (the stated
//! pooled total equals the contributions, and the schemes are not allocated more than the pool
//! holds); risk shares before and after; scheme allocations and payments per year.

use crate::agreement::doc::{Doc, NodeId, Value};
use crate::agreement::values::{Money, Year};

/// Field paths whose changes these summaries show (the human and markdown outputs list them
/// here rather than again among the other changes).
pub(crate) const SUMMARISED: &[&str] = &[
    "pools.contributions",
    "pools.pooled_total",
    "pools.risk_share",
    "schemes.allocation",
    "schemes.payments",
];

/// An amount in the old and new versions (absent where that version has none).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Amount {
    /// What it is: a partner id, `total`, `allocation 2025-26`, `payment exc 2025-26`.
    pub label: String,
    /// Old amount.
    pub old: Option<Money>,
    /// New amount.
    pub new: Option<Money>,
}

impl Amount {
    /// New minus old in pence, counting an absent amount as nothing.
    pub(crate) fn difference(&self) -> i64 {
        self.new.map_or(0, |m| m.0) - self.old.map_or(0, |m| m.0)
    }

    /// The difference as a percent of the old amount, when both are present and old is not 0.
    pub(crate) fn percent(&self) -> Option<f64> {
        percent(self.old?, self.new?)
    }

    /// The difference in words: `+£1,080,000 (+5.0%)`, `new`, `removed` or `no change`.
    pub(crate) fn describe(&self) -> String {
        match (self.old, self.new) {
            (None, Some(_)) => "new".into(),
            (Some(_), None) => "removed".into(),
            _ if !self.changed() => "no change".into(),
            _ => difference(self.difference(), self.percent()),
        }
    }

    /// Whether the amount changed (including appearing or disappearing).
    pub(crate) fn changed(&self) -> bool {
        self.old != self.new
    }
}

/// An amount of pence with its sign: `+£1,080,000`, `-£500`, `£0`.
pub(crate) fn signed(pence: i64) -> String {
    let m = Money(pence.abs());
    match pence.signum() {
        1 => format!("+{m}"),
        -1 => format!("-{m}"),
        _ => m.to_string(),
    }
}

/// A difference with its percent when there is one: `+£1,080,000 (+5.0%)`.
pub(crate) fn difference(pence: i64, percent: Option<f64>) -> String {
    match percent {
        Some(p) => format!("{} ({p:+.1}%)", signed(pence)),
        None => signed(pence),
    }
}

/// `new` as a change from `old`, in percent, rounded to one decimal place; none from zero.
pub(crate) fn percent(old: Money, new: Money) -> Option<f64> {
    (old.0 != 0).then(|| ((new.0 - old.0) as f64 * 1000.0 / old.0 as f64).round() / 10.0)
}

/// Whether one version's year of a pool adds up.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reconcile {
    /// The sum of that year's contributions (what the pool holds).
    pub contributed: Money,
    /// The stated `pooled_total` for the year, if any.
    pub stated: Option<Money>,
    /// The sum of schemes' allocations from the pool for the year, if any.
    pub allocated: Option<Money>,
}

impl Reconcile {
    /// The stated total (if any) equals the contributions, and allocations (if any) do not
    /// exceed them.
    pub(crate) fn ok(&self) -> bool {
        self.stated.is_none_or(|s| s == self.contributed)
            && self.allocated.is_none_or(|a| a <= self.contributed)
    }

    /// Why it does not reconcile, in words; empty when it does.
    pub(crate) fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(s) = self.stated.filter(|s| *s != self.contributed) {
            out.push(format!(
                "stated total {s}, contributions {}",
                self.contributed
            ));
        }
        if let Some(a) = self.allocated.filter(|a| *a > self.contributed) {
            out.push(format!(
                "schemes allocated {a}, pool holds {}",
                self.contributed
            ));
        }
        out
    }
}

impl YearMoney {
    /// Whether the year adds up in the new version compared with the old, in words:
    /// `still reconciles`, `no longer reconciles: stated total ...`; none for a removed year.
    pub(crate) fn reconciliation(&self) -> Option<String> {
        let new = self.new.as_ref()?;
        let why = new.problems().join("; ");
        Some(match (self.old.as_ref().map(Reconcile::ok), new.ok()) {
            (None, true) => "reconciles".into(),
            (None, false) => format!("does not reconcile: {why}"),
            (Some(true), true) => "still reconciles".into(),
            (Some(false), true) => "now reconciles".into(),
            (Some(true), false) => format!("no longer reconciles: {why}"),
            (Some(false), false) => format!("still does not reconcile: {why}"),
        })
    }
}

impl RiskChange {
    /// Shares as `icb 66%, exc 34%`, or `none`.
    pub(crate) fn shares(v: &[(String, f64)]) -> String {
        if v.is_empty() {
            return "none".into();
        }
        v.iter()
            .map(|(p, s)| format!("{p} {}%", crate::agreement::values::format_number(*s)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One financial year of a pool.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct YearMoney {
    /// The year.
    pub year: Year,
    /// Each contributing partner's contribution.
    pub partners: Vec<Amount>,
    /// The sum of the contributions (label `total`).
    pub total: Amount,
    /// How the old version's year adds up (absent when the year is not in it).
    pub old: Option<Reconcile>,
    /// How the new version's year adds up.
    pub new: Option<Reconcile>,
}

/// A change of one kind of risk share (`overspend` or `underspend`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RiskChange {
    /// `overspend` or `underspend`.
    pub which: &'static str,
    /// Old shares, partner id and percent, as written.
    pub old: Vec<(String, f64)>,
    /// New shares.
    pub new: Vec<(String, f64)>,
}

/// A pool whose money or risk shares changed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PoolMoney {
    /// The pool id.
    pub pool: String,
    /// Every year of the pool in either version, in order.
    pub years: Vec<YearMoney>,
    /// Risk shares that changed.
    pub risk: Vec<RiskChange>,
}

/// A scheme whose allocations or payments changed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SchemeMoney {
    /// The scheme id.
    pub scheme: String,
    /// Its allocations (`allocation 2025-26`) and payments (`payment exc 2025-26`) in either
    /// version, changed or not.
    pub rows: Vec<Amount>,
}

fn list(doc: &Doc, parent: NodeId, name: &str) -> Vec<NodeId> {
    match doc.get(parent, name).map(|n| &doc.node(n).value) {
        Some(Value::List(items)) => items.clone(),
        _ => Vec::new(),
    }
}

fn text(doc: &Doc, id: NodeId, name: &str) -> Option<String> {
    doc.get(id, name)
        .and_then(|n| doc.text(n))
        .map(str::to_string)
}

fn money(doc: &Doc, id: Option<NodeId>) -> Option<Money> {
    match id.map(|n| &doc.node(n).value) {
        Some(Value::Money(m)) => Some(*m),
        _ => None,
    }
}

fn year(doc: &Doc, id: Option<NodeId>) -> Option<Year> {
    match id.map(|n| &doc.node(n).value) {
        Some(Value::Year(y)) => Some(*y),
        _ => None,
    }
}

/// A year- or partner-keyed map as (key text, value node).
fn map(doc: &Doc, id: Option<NodeId>) -> Vec<(String, NodeId)> {
    match id.map(|n| &doc.node(n).value) {
        Some(Value::Map(es)) => es
            .iter()
            .filter_map(|&(k, v)| {
                let key = match &doc.node(k).value {
                    Value::Year(y) => y.to_string(),
                    Value::Ref { id, .. } => id.clone(),
                    _ => return None,
                };
                Some((key, v))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// (partner, year, amount) of each readable entry of a contributions or payments list.
fn entries(doc: &Doc, parent: NodeId, name: &str) -> Vec<(String, Year, Money)> {
    list(doc, parent, name)
        .into_iter()
        .filter_map(|c| {
            Some((
                text(doc, c, "partner")?,
                year(doc, doc.get(c, "year"))?,
                money(doc, doc.get(c, "amount"))?,
            ))
        })
        .collect()
}

fn sum(it: impl Iterator<Item = Money>) -> Option<Money> {
    it.fold(None, |acc, m| {
        Some(Money(acc.map_or(0, |a: Money| a.0) + m.0))
    })
}

/// Items of a top-level list by id, in order.
fn by_id(doc: &Doc, list_name: &str) -> Vec<(String, NodeId)> {
    list(doc, Doc::ROOT, list_name)
        .into_iter()
        .filter_map(|i| Some((text(doc, i, "id")?, i)))
        .collect()
}

/// Ids in the new version's order, then those only in the old.
fn union(old: &[(String, NodeId)], new: &[(String, NodeId)]) -> Vec<String> {
    let mut ids: Vec<String> = new.iter().map(|(k, _)| k.clone()).collect();
    for (k, _) in old {
        if !ids.contains(k) {
            ids.push(k.clone());
        }
    }
    ids
}

struct PoolSide {
    contributions: Vec<(String, Year, Money)>,
    stated: Vec<(String, Option<Money>)>,
    allocated: Vec<(Year, Money)>,
}

fn pool_side(doc: &Doc, pool: Option<NodeId>, pool_id: &str) -> PoolSide {
    let Some(p) = pool else {
        return PoolSide {
            contributions: Vec::new(),
            stated: Vec::new(),
            allocated: Vec::new(),
        };
    };
    let stated = map(doc, doc.get(p, "pooled_total"))
        .into_iter()
        .map(|(k, v)| (k, money(doc, Some(v))))
        .collect();
    let mut allocated = Vec::new();
    for s in list(doc, Doc::ROOT, "schemes") {
        if text(doc, s, "pool").as_deref() != Some(pool_id) {
            continue;
        }
        for (k, v) in map(doc, doc.get(s, "allocation")) {
            if let (Some(y), Some(m)) = (Year::parse(&k), money(doc, Some(v))) {
                allocated.push((y, m));
            }
        }
    }
    PoolSide {
        contributions: entries(doc, p, "contributions"),
        stated,
        allocated,
    }
}

impl PoolSide {
    fn years(&self) -> Vec<Year> {
        let mut ys: Vec<Year> = self.contributions.iter().map(|c| c.1).collect();
        ys.extend(self.stated.iter().filter_map(|(k, _)| Year::parse(k)));
        ys
    }

    fn reconcile(&self, y: Year) -> Option<Reconcile> {
        let stated_entry = self.stated.iter().find(|(k, _)| Year::parse(k) == Some(y));
        let contributed = sum(self.contributions.iter().filter(|c| c.1 == y).map(|c| c.2));
        if contributed.is_none() && stated_entry.is_none() {
            return None;
        }
        Some(Reconcile {
            contributed: contributed.unwrap_or_default(),
            stated: stated_entry.and_then(|(_, m)| *m),
            allocated: sum(self.allocated.iter().filter(|a| a.0 == y).map(|a| a.1)),
        })
    }

    fn amount(&self, partner: &str, y: Year) -> Option<Money> {
        sum(self
            .contributions
            .iter()
            .filter(|c| c.0 == partner && c.1 == y)
            .map(|c| c.2))
    }
}

fn shares(doc: &Doc, pool: Option<NodeId>, which: &str) -> Vec<(String, f64)> {
    let rs = pool.and_then(|p| doc.get(p, "risk_share"));
    map(doc, rs.and_then(|r| doc.get(r, which)))
        .into_iter()
        .filter_map(|(k, v)| match doc.node(v).value {
            Value::Percent(p) => Some((k, p)),
            _ => None,
        })
        .collect()
}

/// The kinds of risk share, from the field table.
fn risk_kinds() -> Vec<&'static str> {
    use crate::agreement::schema::{field, Ty, AGREEMENT};
    let pool = field(AGREEMENT, "pools").map(|f| &f.ty);
    let Some(Ty::List(Ty::Record(pool_fields))) = pool else {
        return Vec::new();
    };
    match field(pool_fields, "risk_share").map(|f| &f.ty) {
        Some(Ty::Record(fs)) => fs.iter().map(|f| f.name).collect(),
        _ => Vec::new(),
    }
}

/// Every pool whose contributions, totals, reconciliation or risk shares differ.
pub(crate) fn pools(old: &Doc, new: &Doc) -> Vec<PoolMoney> {
    let (op, np) = (by_id(old, "pools"), by_id(new, "pools"));
    let mut out = Vec::new();
    for id in union(&op, &np) {
        let on = op.iter().find(|(k, _)| *k == id).map(|&(_, n)| n);
        let nn = np.iter().find(|(k, _)| *k == id).map(|&(_, n)| n);
        let (os, ns) = (pool_side(old, on, &id), pool_side(new, nn, &id));
        let mut ys = os.years();
        ys.extend(ns.years());
        ys.sort();
        ys.dedup();
        // Partners in the order the new version names them, then any only in the old.
        let mut partners: Vec<String> = Vec::new();
        for c in ns.contributions.iter().chain(&os.contributions) {
            if !partners.contains(&c.0) {
                partners.push(c.0.clone());
            }
        }
        let years: Vec<YearMoney> = ys
            .into_iter()
            .map(|y| {
                let rows: Vec<Amount> = partners
                    .iter()
                    .map(|p| Amount {
                        label: p.clone(),
                        old: os.amount(p, y),
                        new: ns.amount(p, y),
                    })
                    .filter(|a| a.old.is_some() || a.new.is_some())
                    .collect();
                let (or, nr) = (os.reconcile(y), ns.reconcile(y));
                YearMoney {
                    year: y,
                    total: Amount {
                        label: "total".into(),
                        old: or.as_ref().map(|r| r.contributed),
                        new: nr.as_ref().map(|r| r.contributed),
                    },
                    partners: rows,
                    old: or,
                    new: nr,
                }
            })
            .collect();
        let risk: Vec<RiskChange> = risk_kinds()
            .into_iter()
            .filter_map(|which| {
                let (o, n) = (shares(old, on, which), shares(new, nn, which));
                let (mut so, mut sn) = (o.clone(), n.clone());
                so.sort_by(|a, b| a.0.cmp(&b.0));
                sn.sort_by(|a, b| a.0.cmp(&b.0));
                (so != sn).then_some(RiskChange {
                    which,
                    old: o,
                    new: n,
                })
            })
            .collect();
        let changed = years.iter().any(|y| {
            y.partners.iter().any(Amount::changed)
                || y.old.as_ref().map(|r| (r.stated, r.ok()))
                    != y.new.as_ref().map(|r| (r.stated, r.ok()))
        });
        if changed || !risk.is_empty() {
            out.push(PoolMoney {
                pool: id,
                years,
                risk,
            });
        }
    }
    out
}

/// Every scheme whose allocations or payments differ.
pub(crate) fn schemes(old: &Doc, new: &Doc) -> Vec<SchemeMoney> {
    let (os, ns) = (by_id(old, "schemes"), by_id(new, "schemes"));
    let mut out = Vec::new();
    for id in union(&os, &ns) {
        let on = os.iter().find(|(k, _)| *k == id).map(|&(_, n)| n);
        let nn = ns.iter().find(|(k, _)| *k == id).map(|&(_, n)| n);
        let alloc = |doc: &Doc, s: Option<NodeId>| -> Vec<(String, Money)> {
            let mut v: Vec<(String, Money)> = map(doc, s.and_then(|s| doc.get(s, "allocation")))
                .into_iter()
                .filter_map(|(k, v)| Some((format!("allocation {k}"), money(doc, Some(v))?)))
                .collect();
            if let Some(s) = s {
                for (p, y, m) in entries(doc, s, "payments") {
                    v.push((format!("payment {p} {y}"), m));
                }
            }
            v
        };
        let (a, b) = (alloc(old, on), alloc(new, nn));
        let mut labels: Vec<String> = a.iter().chain(&b).map(|(l, _)| l.clone()).collect();
        labels.sort();
        labels.dedup();
        let get =
            |v: &[(String, Money)], l: &str| sum(v.iter().filter(|(k, _)| k == l).map(|(_, m)| *m));
        let rows: Vec<Amount> = labels
            .into_iter()
            .map(|l| Amount {
                old: get(&a, &l),
                new: get(&b, &l),
                label: l,
            })
            .collect();
        if rows.iter().any(Amount::changed) {
            out.push(SchemeMoney { scheme: id, rows });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_is_rounded_to_one_place_and_none_from_zero() {
        assert_eq!(
            percent(Money(2_156_000_000), Money(2_264_000_000)),
            Some(5.0)
        );
        assert_eq!(percent(Money(0), Money(5)), None);
        assert_eq!(percent(Money(300), Money(200)), Some(-33.3));
    }

    #[test]
    fn the_summaries_read_fields_the_table_has() {
        assert_eq!(risk_kinds(), vec!["overspend", "underspend"]);
    }
}
