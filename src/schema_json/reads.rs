//! Which fields each rule reads, found by walking the rules' validated syntax trees: a path
//! such as `pool.pool_manager.partner` inside `for each pool in pools` reads
//! `pools[].pool_manager` and `pools[].pool_manager.partner`; through a reference
//! (`pool.host.kind`) it reads the partner's field too (`partners[].kind`).

use crate::agreement::schema::{self, RefKind, Ty};
use crate::lang::ast::{Expr, ExprKind, Ident, Part, Root, Rule, Stmt};
use std::collections::{BTreeMap, BTreeSet};

/// Where a value of a rule lives in the field table: a field path and what is there.
#[derive(Clone)]
struct Loc {
    path: String,
    shape: Shape,
}

#[derive(Clone, Copy)]
enum Shape {
    /// A value of this type.
    Ty(&'static Ty),
    /// An entry (key and value) of a mapping of this type.
    Entry(&'static Ty),
}

static PARTNER_REF: Ty = Ty::Ref(RefKind::Partner);
static YEAR: Ty = Ty::Year;

/// For every field path, the ids of the rules that read it, in rule order.
pub(super) fn fields_read(rules: &[Rule]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for rule in rules {
        let mut w = Walker {
            slots: Vec::new(),
            read: BTreeSet::new(),
        };
        for (_, e) in &rule.severity_when {
            w.expr(e);
        }
        for e in &rule.applies {
            w.expr(e);
        }
        w.stmts(&rule.body);
        for path in w.read {
            let ids = out.entry(path).or_default();
            if !ids.contains(&rule.id) {
                ids.push(rule.id.clone());
            }
        }
    }
    out
}

struct Walker {
    /// What each variable slot holds, as validation numbered them.
    slots: Vec<Vec<Loc>>,
    read: BTreeSet<String>,
}

impl Walker {
    fn bind(&mut self, var: &Ident, locs: Vec<Loc>) {
        if self.slots.len() <= var.slot {
            self.slots.resize(var.slot + 1, Vec::new());
        }
        self.slots[var.slot] = locs;
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            match s {
                Stmt::ForEach {
                    var,
                    coll,
                    filter,
                    body,
                } => {
                    let items = items(&self.expr(coll));
                    self.bind(var, items);
                    if let Some(f) = filter {
                        self.expr(f);
                    }
                    self.stmts(body);
                }
                Stmt::If { cond, body } => {
                    self.expr(cond);
                    self.stmts(body);
                }
                Stmt::Let { var, value } => {
                    let locs = self.expr(value);
                    self.bind(var, locs);
                }
                Stmt::Require(r) => {
                    self.expr(&r.cond);
                    for p in &r.message.parts {
                        if let Part::Expr(e) = p {
                            self.expr(e);
                        }
                    }
                    if let Some(a) = &r.at {
                        self.expr(a);
                    }
                    for (a, _) in &r.also {
                        self.expr(a);
                    }
                }
            }
        }
    }

    /// Walks an expression, recording the fields it reads; returns where its value lives when
    /// it is (a part of) the agreement.
    fn expr(&mut self, e: &Expr) -> Vec<Loc> {
        match &e.kind {
            ExprKind::Or(items) | ExprKind::And(items) => {
                items.iter().for_each(|i| {
                    self.expr(i);
                });
                Vec::new()
            }
            ExprKind::Not(a)
            | ExprKind::Present(a)
            | ExprKind::Absent(a)
            | ExprKind::Unreadable(a)
            | ExprKind::Placeholder(a)
            | ExprKind::Matches(a, _, _)
            | ExprKind::Neg(a)
            | ExprKind::Keys(a) => {
                self.expr(a);
                Vec::new()
            }
            ExprKind::Contains { whole: a, part: b }
            | ExprKind::In {
                part: a, whole: b, ..
            }
            | ExprKind::Compare(_, a, b) => {
                self.expr(a);
                self.expr(b);
                Vec::new()
            }
            ExprKind::Arith(op, a, b) => {
                let mut la = self.expr(a);
                let lb = self.expr(b);
                // Joined lists hold the items of both.
                if *op == crate::lang::ast::Arith::Concat {
                    la.extend(lb);
                    la
                } else {
                    Vec::new()
                }
            }
            ExprKind::Lit(_) => Vec::new(),
            ExprKind::List(items) => items.iter().flat_map(|i| self.expr(i)).collect(),
            ExprKind::Path(p, index) => {
                let index_locs = index.as_ref().map(|i| self.expr(i));
                let (mut locs, segs) = match p.root {
                    Root::Agreement => (
                        vec![Loc {
                            path: String::new(),
                            shape: Shape::Ty(&schema::ROOT),
                        }],
                        &p.segs[..],
                    ),
                    Root::Var(slot) => (
                        self.slots.get(slot).cloned().unwrap_or_default(),
                        p.segs.get(1..).unwrap_or_default(),
                    ),
                    _ => return Vec::new(),
                };
                for (seg, _) in segs {
                    locs = locs.iter().filter_map(|l| step(l, seg)).collect();
                    for l in &locs {
                        self.read.insert(l.path.clone());
                    }
                }
                if index_locs.is_some() {
                    locs = locs.iter().filter_map(map_value).collect();
                }
                locs
            }
            ExprKind::Agg {
                project,
                var,
                coll,
                filter,
                ..
            } => {
                let items = items(&self.expr(coll));
                if let Some(v) = var {
                    self.bind(v, items);
                }
                if let Some(p) = project {
                    self.expr(p);
                }
                if let Some(f) = filter {
                    self.expr(f);
                }
                Vec::new()
            }
            ExprKind::Quant {
                var, coll, cond, ..
            } => {
                let items = items(&self.expr(coll));
                self.bind(var, items);
                self.expr(cond);
                Vec::new()
            }
            ExprKind::First { var, coll, cond } => {
                let items = items(&self.expr(coll));
                self.bind(var, items.clone());
                self.expr(cond);
                items
            }
            ExprKind::Call { args, .. } => {
                args.iter().for_each(|a| {
                    self.expr(a);
                });
                Vec::new()
            }
        }
    }
}

fn join(path: &str, seg: &str) -> String {
    if path.is_empty() {
        seg.to_string()
    } else {
        format!("{path}.{seg}")
    }
}

/// The location one `.seg` further on.
fn step(l: &Loc, seg: &str) -> Option<Loc> {
    match l.shape {
        Shape::Ty(Ty::Record(fields)) => schema::field(fields, seg).map(|f| Loc {
            path: join(&l.path, seg),
            shape: Shape::Ty(&f.ty),
        }),
        // A reference leads to the item it names.
        Shape::Ty(Ty::Ref(kind)) => match schema::field(schema::AGREEMENT, kind.list()) {
            Some(schema::Field {
                ty: Ty::List(item), ..
            }) => step(
                &Loc {
                    path: format!("{}[]", kind.list()),
                    shape: Shape::Ty(item),
                },
                seg,
            ),
            _ => None,
        },
        Shape::Ty(Ty::NoneOr(inner)) => step(
            &Loc {
                path: l.path.clone(),
                shape: Shape::Ty(inner),
            },
            seg,
        ),
        Shape::Entry(map) => {
            let ty = match seg {
                "value" => map_inner(map)?,
                "year" => &YEAR,
                "partner" => &PARTNER_REF,
                _ => return None,
            };
            Some(Loc {
                path: l.path.clone(),
                shape: Shape::Ty(ty),
            })
        }
        Shape::Ty(_) => None,
    }
}

fn map_inner(map: &'static Ty) -> Option<&'static Ty> {
    match map {
        Ty::YearMap(i) | Ty::PartnerMap(i) | Ty::OneOrYearMap(i) => Some(i),
        _ => None,
    }
}

/// `map[key]`: the value of a mapping.
fn map_value(l: &Loc) -> Option<Loc> {
    match l.shape {
        Shape::Ty(t) => map_inner(t).map(|i| Loc {
            path: l.path.clone(),
            shape: Shape::Ty(i),
        }),
        Shape::Entry(_) => None,
    }
}

/// The items of lists and the entries of mappings, as `for each` goes through them.
fn items(locs: &[Loc]) -> Vec<Loc> {
    fn one(l: &Loc, ty: &'static Ty, out: &mut Vec<Loc>) {
        match ty {
            Ty::List(i) => out.push(Loc {
                path: format!("{}[]", l.path),
                shape: Shape::Ty(i),
            }),
            Ty::NoneOr(t) => one(l, t, out),
            Ty::YearMap(_) | Ty::PartnerMap(_) | Ty::OneOrYearMap(_) => out.push(Loc {
                path: l.path.clone(),
                shape: Shape::Entry(ty),
            }),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for l in locs {
        if let Shape::Ty(t) = l.shape {
            one(l, t, &mut out);
        }
    }
    out
}

/// Readers of waiver fields that are not rule files: `src/waivers.rs` checks waivers itself.
pub(super) const WAIVER_READERS: &[(&str, &[&str])] = &[
    (
        "waivers",
        &["WAIVER-INVALID", "WAIVER-EXPIRED", "WAIVER-UNUSED"],
    ),
    ("waivers[].rule", &["WAIVER-INVALID", "WAIVER-UNUSED"]),
    ("waivers[].scheme", &["WAIVER-UNUSED"]),
    ("waivers[].pool", &["WAIVER-UNUSED"]),
    ("waivers[].reason", &["WAIVER-INVALID"]),
    ("waivers[].approved_by", &["WAIVER-INVALID"]),
    ("waivers[].expires", &["WAIVER-INVALID", "WAIVER-EXPIRED"]),
];
