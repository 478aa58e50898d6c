//! Checks a parsed rule against the field table before any agreement is read: every path must
//! name a real field (with "did you mean"), every function must exist, comparisons must compare
//! like with like. Also gives each variable its slot for the evaluator.

use super::ast::*;
use super::RuleError;
use crate::agreement::schema::{self, Field, RefKind, Ty};
use crate::span::Span;
use crate::suggest::did_you_mean;

/// The static type of an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum STy {
    /// Not known statically (accepted anywhere).
    Any,
    /// A condition.
    Bool,
    /// Text.
    Text,
    /// A word from a fixed set.
    Word(&'static [&'static str]),
    /// A number.
    Number,
    /// A date.
    Date,
    /// Money.
    Money,
    /// A percent.
    Percent,
    /// A financial year.
    Year,
    /// A duration (`90 days`).
    Duration,
    /// A reference; its fields are those of the item it names.
    Ref(RefKind),
    /// A mapping with known keys.
    Record(&'static [Field]),
    /// A list.
    List(Box<STy>),
    /// A mapping keyed by year (`true`) or partner (`false`).
    Map(bool, Box<STy>),
    /// An entry of such a mapping: fields `year`/`partner` and `value`.
    Entry(bool, Box<STy>),
    /// `none` or the inner type.
    NoneOr(Box<STy>),
}

impl STy {
    /// Converts a field-table type.
    pub fn of(ty: &'static Ty) -> STy {
        match ty {
            Ty::Text | Ty::RuleId => STy::Text,
            Ty::Word(w) => STy::Word(w),
            Ty::Bool => STy::Bool,
            Ty::Number | Ty::Version => STy::Number,
            Ty::Date => STy::Date,
            Ty::Money => STy::Money,
            Ty::Percent => STy::Percent,
            Ty::Year => STy::Year,
            Ty::Ref(k) => STy::Ref(*k),
            Ty::List(t) => STy::List(Box::new(STy::of(t))),
            Ty::Record(f) => STy::Record(f),
            Ty::YearMap(t) => STy::Map(true, Box::new(STy::of(t))),
            Ty::PartnerMap(t) => STy::Map(false, Box::new(STy::of(t))),
            Ty::NoneOr(t) => STy::NoneOr(Box::new(STy::of(t))),
            Ty::OneOrYearMap(_) => STy::Any,
        }
    }

    fn name(&self) -> String {
        match self {
            STy::Any => "a value".into(),
            STy::Bool => "a condition (true or false)".into(),
            STy::Text | STy::Word(_) => "text".into(),
            STy::Number => "a number".into(),
            STy::Date => "a date".into(),
            STy::Money => "an amount of money".into(),
            STy::Percent => "a percent".into(),
            STy::Year => "a financial year".into(),
            STy::Duration => "a length of time".into(),
            STy::Ref(k) => format!("a {}", k.noun()),
            STy::Record(_) => "a group of fields".into(),
            STy::List(_) => "a list".into(),
            STy::Map(true, _) => "a mapping by financial year".into(),
            STy::Map(false, _) => "a mapping by partner".into(),
            STy::Entry(..) => "an entry of a mapping".into(),
            STy::NoneOr(t) => t.name(),
        }
    }

    fn is_texty(&self) -> bool {
        matches!(
            self,
            STy::Text | STy::Word(_) | STy::Ref(_) | STy::Year | STy::Any
        )
    }
    fn is_numeric(&self) -> bool {
        matches!(self, STy::Number | STy::Percent | STy::Money | STy::Any)
    }
}

/// The fields of the items a reference names.
pub fn items_of(kind: RefKind) -> &'static [Field] {
    match schema::field(schema::AGREEMENT, kind.list()).map(|f| &f.ty) {
        Some(Ty::List(Ty::Record(fields))) => fields,
        _ => &[],
    }
}

/// Built-in functions: name, argument types, result type, one-line description.
pub const FUNCTIONS: &[(&str, &str, &str)] = &[
    (
        "financial_year",
        "date",
        "the financial year containing a date",
    ),
    (
        "financial_years",
        "date, date",
        "every financial year from the first date to the second",
    ),
    (
        "location",
        "value",
        "where a value is in the agreement, like `pools[BCF].host`",
    ),
    ("lowercase", "text", "text in lower case"),
    (
        "days_between",
        "date, date",
        "the number of days from the first date to the second",
    ),
];

struct Scope {
    vars: Vec<(String, usize, STy)>,
    next_slot: usize,
    max_slot: usize,
}

/// Validates a rule in place: resolves paths, assigns slots, checks types.
pub fn validate(rule: &mut Rule) -> Result<(), Vec<RuleError>> {
    let mut errs = Vec::new();
    let mut scope = Scope {
        vars: Vec::new(),
        next_slot: 0,
        max_slot: 0,
    };
    for (_, e) in &mut rule.severity_when {
        cond(e, &mut scope, &mut errs);
    }
    for e in &mut rule.applies {
        cond(e, &mut scope, &mut errs);
    }
    stmts(&mut rule.body, &mut scope, &mut errs);
    rule.slots = scope.max_slot;
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}

fn stmts(body: &mut [Stmt], sc: &mut Scope, errs: &mut Vec<RuleError>) {
    let mark = sc.vars.len();
    let slot_mark = sc.next_slot;
    for s in body.iter_mut() {
        match s {
            Stmt::ForEach {
                var,
                coll,
                filter,
                body,
            } => {
                let ct = expr(coll, sc, errs);
                let it = item_type(&ct, coll.span, errs);
                let m = sc.vars.len();
                let sm = sc.next_slot;
                bind(var, it, sc);
                if let Some(f) = filter {
                    cond(f, sc, errs);
                }
                stmts(body, sc, errs);
                sc.vars.truncate(m);
                sc.next_slot = sm;
            }
            Stmt::If { cond: c, body } => {
                cond(c, sc, errs);
                stmts(body, sc, errs);
            }
            Stmt::Let { var, value } => {
                let t = expr(value, sc, errs);
                // `let` on a name already defined by `let` replaces its value (so an `if` can
                // adjust it); otherwise it defines a new name.
                match sc.vars.iter().rev().find(|(n, _, _)| *n == var.name) {
                    Some((_, slot, _)) => var.slot = *slot,
                    None => bind(var, t, sc),
                }
            }
            Stmt::Require(r) => {
                cond(&mut r.cond, sc, errs);
                for p in &mut r.message.parts {
                    if let Part::Expr(e) = p {
                        expr(e, sc, errs);
                    }
                }
                if let Some(a) = &mut r.at {
                    expr(a, sc, errs);
                }
                for (a, _) in &mut r.also {
                    expr(a, sc, errs);
                }
            }
        }
    }
    sc.vars.truncate(mark);
    sc.next_slot = slot_mark;
}

fn bind(var: &mut Ident, t: STy, sc: &mut Scope) {
    var.slot = sc.next_slot;
    sc.next_slot += 1;
    sc.max_slot = sc.max_slot.max(sc.next_slot);
    sc.vars.push((var.name.clone(), var.slot, t));
}

fn item_type(t: &STy, span: Span, errs: &mut Vec<RuleError>) -> STy {
    match t {
        STy::List(i) => (**i).clone(),
        STy::Map(y, v) => STy::Entry(*y, v.clone()),
        STy::NoneOr(inner) => item_type(inner, span, errs),
        STy::Any => STy::Any,
        other => {
            errs.push(RuleError::new(
                format!(
                    "this is {}, not a list, so it cannot be gone through item by item",
                    other.name()
                ),
                span,
            ));
            STy::Any
        }
    }
}

fn cond(e: &mut Expr, sc: &mut Scope, errs: &mut Vec<RuleError>) {
    let t = expr(e, sc, errs);
    if !matches!(t, STy::Bool | STy::Any) {
        errs.push(
            RuleError::new(
                format!("this is {}, but a condition is needed here", t.name()),
                e.span,
            )
            .with_help("Compare it with something, or write `... is present`."),
        );
    }
}

fn field_of(t: &STy, name: &str, span: Span, errs: &mut Vec<RuleError>) -> STy {
    let fields: &'static [Field] = match t {
        STy::Any => return STy::Any,
        STy::Record(f) => f,
        STy::Ref(k) => items_of(*k),
        STy::NoneOr(inner) => return field_of(inner, name, span, errs),
        STy::Entry(year, v) => {
            return match (name, year) {
                ("value", _) => (**v).clone(),
                ("year", true) => STy::Year,
                ("partner", false) => STy::Ref(RefKind::Partner),
                _ => {
                    let key = if *year { "year" } else { "partner" };
                    errs.push(RuleError::new(
                        format!("an entry of this mapping has only `{key}` and `value`"),
                        span,
                    ));
                    STy::Any
                }
            }
        }
        STy::List(_) => {
            errs.push(
                RuleError::new(format!("`{name}` cannot be read from a list as a whole"), span)
                    .with_help("Go through the items with `for each item in ...` and read `item.` followed by the field."),
            );
            return STy::Any;
        }
        other => {
            errs.push(RuleError::new(
                format!(
                    "{} has no fields, so `{name}` cannot be read from it",
                    other.name()
                ),
                span,
            ));
            return STy::Any;
        }
    };
    match schema::field(fields, name) {
        Some(f) => STy::of(&f.ty),
        None => {
            let mut err = RuleError::new(format!("there is no field `{name}` here"), span);
            let names = fields.iter().map(|f| f.name);
            err.help = Some(match did_you_mean(name, names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the fields here are: {}",
                    fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
                ),
            });
            errs.push(err);
            STy::Any
        }
    }
}

fn path(p: &mut Path, sc: &Scope, errs: &mut Vec<RuleError>) -> STy {
    let Some((first, fspan)) = p.segs.first().cloned() else {
        return STy::Any;
    };
    let mut t = if let Some((_, slot, t)) = sc.vars.iter().rev().find(|(n, _, _)| *n == first) {
        p.root = Root::Var(*slot);
        t.clone()
    } else if first == "today" {
        p.root = Root::Today;
        STy::Date
    } else if first == "placeholders" {
        p.root = Root::Placeholders;
        STy::List(Box::new(STy::Text))
    } else if let Some(f) = schema::field(schema::AGREEMENT, &first) {
        p.root = Root::Agreement;
        STy::of(&f.ty)
    } else {
        let vars: Vec<&str> = sc.vars.iter().map(|(n, _, _)| n.as_str()).collect();
        let cands = vars
            .iter()
            .copied()
            .chain(schema::AGREEMENT.iter().map(|f| f.name))
            .chain(["today", "placeholders"]);
        let mut err = RuleError::new(format!("`{first}` is not a field of the agreement or a name defined by `for each` or `let`"), fspan);
        err.help = did_you_mean(&first, cands).map(|s| format!("did you mean `{s}`?"));
        errs.push(err);
        return STy::Any;
    };
    let at_agreement_root = p.root == Root::Agreement;
    for (i, (seg, sspan)) in p.segs.iter().enumerate().skip(1) {
        let _ = (i, at_agreement_root);
        t = field_of(&t, seg, *sspan, errs);
    }
    t
}

fn compatible(a: &STy, b: &STy) -> bool {
    use STy::*;
    match (a, b) {
        (Any, _) | (_, Any) => true,
        (NoneOr(x), y) | (y, NoneOr(x)) => compatible(x, y) || matches!(y, Text | Word(_)),
        (List(x), List(y)) => compatible(x, y),
        (Ref(_), Record(_)) | (Record(_), Ref(_)) => true,
        (x, y) if x.is_texty() && y.is_texty() => true,
        (Number | Percent, Number | Percent) => true,
        (Entry(..), _) | (_, Entry(..)) => true,
        (x, y) => std::mem::discriminant(x) == std::mem::discriminant(y),
    }
}

fn orderable(a: &STy, b: &STy) -> bool {
    use STy::*;
    matches!(
        (a, b),
        (Any, _)
            | (_, Any)
            | (Date, Date)
            | (Money, Money)
            | (Year, Year)
            | (Duration, Duration)
            | (Number | Percent, Number | Percent)
    )
}

/// Checks word literals against the set a word field allows.
fn check_words(t: &STy, other: &Expr, errs: &mut Vec<RuleError>) {
    let words = match t {
        STy::Word(w) => *w,
        STy::List(inner) => match **inner {
            STy::Word(w) => w,
            _ => return,
        },
        _ => return,
    };
    let lits: Vec<(&str, Span)> = match &other.kind {
        ExprKind::Lit(Lit::Text(s)) => vec![(s.as_str(), other.span)],
        ExprKind::List(items) => items
            .iter()
            .filter_map(|e| match &e.kind {
                ExprKind::Lit(Lit::Text(s)) => Some((s.as_str(), e.span)),
                _ => None,
            })
            .collect(),
        _ => return,
    };
    for (s, sp) in lits {
        if !words.contains(&s) {
            let mut err = RuleError::new(
                format!("`{s}` is not one of the values this field can take"),
                sp,
            );
            err.help = Some(match did_you_mean(s, words.iter().copied()) {
                Some(w) => format!("did you mean `{w}`? It can be: {}", words.join(", ")),
                None => format!("it can be: {}", words.join(", ")),
            });
            errs.push(err);
        }
    }
}

fn mismatch(a: &STy, b: &STy, span: Span, what: &str) -> RuleError {
    RuleError::new(
        format!("cannot {what} {} with {}", a.name(), b.name()),
        span,
    )
}

fn with_var<T>(var: &mut Ident, t: STy, sc: &mut Scope, f: impl FnOnce(&mut Scope) -> T) -> T {
    bind(var, t, sc);
    let r = f(sc);
    sc.vars.pop();
    sc.next_slot -= 1;
    r
}

fn expr(e: &mut Expr, sc: &mut Scope, errs: &mut Vec<RuleError>) -> STy {
    let span = e.span;
    match &mut e.kind {
        ExprKind::Or(items) | ExprKind::And(items) => {
            for i in items {
                cond(i, sc, errs);
            }
            STy::Bool
        }
        ExprKind::Not(a) => {
            cond(a, sc, errs);
            STy::Bool
        }
        ExprKind::Present(a) | ExprKind::Absent(a) => {
            expr(a, sc, errs);
            STy::Bool
        }
        ExprKind::Unreadable(a) | ExprKind::Placeholder(a) => {
            expr(a, sc, errs);
            STy::Bool
        }
        ExprKind::Matches(a, _, _) => {
            let t = expr(a, sc, errs);
            if !t.is_texty() && !matches!(t, STy::List(_)) {
                errs.push(RuleError::new(
                    format!("only text can match a pattern, and this is {}", t.name()),
                    a.span,
                ));
            }
            STy::Bool
        }
        ExprKind::Contains(a, b) => {
            let ta = expr(a, sc, errs);
            let tb = expr(b, sc, errs);
            match &ta {
                STy::List(inner) | STy::NoneOr(inner)
                    if matches!(**inner, STy::List(_)) || compatible(inner, &tb) =>
                {
                    check_words(&ta, b, errs)
                }
                t if t.is_texty() && tb.is_texty() => {}
                _ => errs.push(mismatch(&ta, &tb, span, "look for")),
            }
            STy::Bool
        }
        ExprKind::In(a, b, _) => {
            let ta = expr(a, sc, errs);
            let tb = expr(b, sc, errs);
            match &tb {
                STy::List(inner) if compatible(inner, &ta) => check_words(&ta, b, errs),
                STy::Any => {}
                t if t.is_texty() && ta.is_texty() => {}
                _ => errs.push(mismatch(&ta, &tb, span, "look for")),
            }
            STy::Bool
        }
        ExprKind::Compare(op, a, b) => {
            let ta = expr(a, sc, errs);
            let tb = expr(b, sc, errs);
            match op {
                Cmp::Eq | Cmp::Ne => {
                    if !compatible(&ta, &tb) {
                        errs.push(mismatch(&ta, &tb, span, "compare"));
                    }
                    check_words(&ta, b, errs);
                    check_words(&tb, a, errs);
                }
                _ => {
                    if !orderable(&ta, &tb) {
                        errs.push(mismatch(&ta, &tb, span, "compare"));
                    }
                }
            }
            STy::Bool
        }
        ExprKind::Arith(op, a, b) => {
            let ta = expr(a, sc, errs);
            let tb = expr(b, sc, errs);
            use STy::*;
            match (*op, &ta, &tb) {
                (_, Any, _) | (_, _, Any) => Any,
                (Arith::Add | Arith::Concat, List(x), List(y)) if compatible(x, y) => {
                    *op = Arith::Concat;
                    List(x.clone())
                }
                (Arith::Add | Arith::Concat, Map(kx, x), Map(ky, y))
                    if kx == ky && compatible(x, y) =>
                {
                    *op = Arith::Concat;
                    List(Box::new(Entry(*kx, x.clone())))
                }
                (Arith::Add | Arith::Sub, Date, Duration) => Date,
                (Arith::Sub, Date, Date) => Number,
                (Arith::Add | Arith::Sub, Money, Money) => Money,
                (Arith::Mul, Money, Number | Percent) | (Arith::Mul, Number | Percent, Money) => {
                    Money
                }
                (Arith::Div, Money, Number) => Money,
                (Arith::Div, Money, Money) => Number,
                (_, Percent, Percent | Number) | (_, Number, Percent) => Percent,
                (_, Number, Number) => Number,
                _ => {
                    errs.push(mismatch(&ta, &tb, span, "do arithmetic on"));
                    Any
                }
            }
        }
        ExprKind::Neg(a) => {
            let t = expr(a, sc, errs);
            if !t.is_numeric() {
                errs.push(RuleError::new(
                    format!("cannot make {} negative", t.name()),
                    span,
                ));
            }
            t
        }
        ExprKind::Lit(l) => match l {
            Lit::Text(_) => STy::Text,
            Lit::Number(_) => STy::Number,
            Lit::Money(_) => STy::Money,
            Lit::Percent(_) => STy::Percent,
            Lit::Date(_) => STy::Date,
            Lit::Duration(..) => STy::Duration,
            Lit::Bool(_) => STy::Bool,
        },
        ExprKind::List(items) => {
            let mut t = STy::Any;
            for i in items {
                let it = expr(i, sc, errs);
                if t == STy::Any {
                    t = it;
                }
            }
            STy::List(Box::new(t))
        }
        ExprKind::Path(p, idx) => {
            let t = path(p, sc, errs);
            match idx {
                None => t,
                Some(i) => {
                    let ti = expr(i, sc, errs);
                    match t {
                        STy::Map(year, v) => {
                            let key = if year {
                                STy::Year
                            } else {
                                STy::Ref(RefKind::Partner)
                            };
                            if !compatible(&key, &ti) {
                                errs.push(mismatch(&key, &ti, i.span, "look up"));
                            }
                            *v
                        }
                        STy::Any => STy::Any,
                        other => {
                            errs.push(RuleError::new(format!("only a mapping by year or partner can be looked up with `[...]`; this is {}", other.name()), span));
                            STy::Any
                        }
                    }
                }
            }
        }
        ExprKind::Agg {
            kind,
            project,
            var,
            coll,
            filter,
            zero,
        } => {
            let ct = expr(coll, sc, errs);
            let it = item_type(&ct, coll.span, errs);
            let body = |sc: &mut Scope,
                        errs: &mut Vec<RuleError>,
                        project: &mut Option<Box<Expr>>,
                        filter: &mut Option<Box<Expr>>| {
                if let Some(f) = filter {
                    cond(f, sc, errs);
                }
                project.as_mut().map(|p| expr(p, sc, errs))
            };
            let projected = match var {
                Some(v) => with_var(v, it.clone(), sc, |sc| body(sc, errs, project, filter)),
                None => body(sc, errs, project, filter),
            };
            let t = projected.unwrap_or(match it {
                STy::Entry(_, v) => *v,
                other => other,
            });
            match kind {
                AggKind::Count => STy::Number,
                AggKind::Sum => {
                    if !t.is_numeric() {
                        errs.push(RuleError::new(
                            format!(
                                "cannot add up {}: only money, percents and numbers",
                                t.name()
                            ),
                            span,
                        ));
                    }
                    *zero = match t {
                        STy::Money => Zero::Money,
                        STy::Percent => Zero::Percent,
                        _ => Zero::Number,
                    };
                    t
                }
                AggKind::Earliest | AggKind::Latest => {
                    if !orderable(&t, &t) || t == STy::Duration {
                        errs.push(RuleError::new(
                            format!("cannot find the earliest or latest of {}", t.name()),
                            span,
                        ));
                    }
                    t
                }
            }
        }
        ExprKind::Quant {
            var, coll, cond: c, ..
        } => {
            let ct = expr(coll, sc, errs);
            let it = item_type(&ct, coll.span, errs);
            with_var(var, it, sc, |sc| cond(c, sc, errs));
            STy::Bool
        }
        ExprKind::First { var, coll, cond: c } => {
            let ct = expr(coll, sc, errs);
            let it = item_type(&ct, coll.span, errs);
            with_var(var, it.clone(), sc, |sc| cond(c, sc, errs));
            it
        }
        ExprKind::Keys(a) => match expr(a, sc, errs) {
            STy::Map(true, _) => STy::List(Box::new(STy::Year)),
            STy::Map(false, _) => STy::List(Box::new(STy::Ref(RefKind::Partner))),
            STy::Any => STy::Any,
            other => {
                errs.push(RuleError::new(
                    format!("only a mapping has keys; this is {}", other.name()),
                    span,
                ));
                STy::Any
            }
        },
        ExprKind::Call {
            name,
            name_span,
            args,
        } => {
            let ts: Vec<STy> = args.iter_mut().map(|a| expr(a, sc, errs)).collect();
            let want: &[STy] = match name.as_str() {
                "financial_year" => &[STy::Date],
                "financial_years" | "days_between" => &[STy::Date, STy::Date],
                "location" => &[STy::Any],
                "lowercase" => &[STy::Text],
                _ => {
                    let mut err =
                        RuleError::new(format!("there is no function `{name}`"), *name_span);
                    let names = FUNCTIONS.iter().map(|f| f.0);
                    err.help = Some(match did_you_mean(name, names) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "the functions are: {}",
                            FUNCTIONS.iter().map(|f| f.0).collect::<Vec<_>>().join(", ")
                        ),
                    });
                    errs.push(err);
                    return STy::Any;
                }
            };
            if ts.len() != want.len() {
                errs.push(RuleError::new(
                    format!("`{name}` takes {} value(s), not {}", want.len(), ts.len()),
                    span,
                ));
            } else {
                for ((t, w), a) in ts.iter().zip(want).zip(args.iter()) {
                    if !compatible(t, w) && *w != STy::Any {
                        errs.push(RuleError::new(
                            format!("`{name}` needs {} here, not {}", w.name(), t.name()),
                            a.span,
                        ));
                    }
                }
            }
            match name.as_str() {
                "financial_year" => STy::Year,
                "financial_years" => STy::List(Box::new(STy::Year)),
                "days_between" => STy::Number,
                _ => STy::Text,
            }
        }
    }
}
