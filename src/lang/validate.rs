//! Checks a parsed rule against the field table before any agreement is read: every path must
//! name a real field (with "did you mean"), every function must exist, comparisons must compare
//! like with like. Also gives each variable its slot for the evaluator.

use super::ast::*;
use super::functions::{self, Kind, FUNCTIONS};
use super::RuleError;
use crate::agreement::schema::{self, Field, RefKind, Ty};
use crate::span::Span;
use crate::suggest::did_you_mean;

/// The static type of an expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ExprType {
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
    List(Box<ExprType>),
    /// A mapping keyed by financial year or by partner.
    Map(MapKey, Box<ExprType>),
    /// An entry of such a mapping: fields `year` or `partner`, and `value`.
    Entry(MapKey, Box<ExprType>),
    /// `none` or the inner type.
    NoneOr(Box<ExprType>),
}

/// What the keys of a mapping are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MapKey {
    /// Financial years (`pooled_total`).
    Year,
    /// Partner ids (`risk_share.overspend`).
    Partner,
}

impl MapKey {
    /// The name of an entry's key field (`year` or `partner`).
    fn field(self) -> &'static str {
        match self {
            MapKey::Year => "year",
            MapKey::Partner => "partner",
        }
    }

    /// The type of a key.
    fn key_type(self) -> ExprType {
        match self {
            MapKey::Year => ExprType::Year,
            MapKey::Partner => ExprType::Ref(RefKind::Partner),
        }
    }
}

impl ExprType {
    /// Converts a field-table type.
    pub(crate) fn of(ty: &'static Ty) -> ExprType {
        match ty {
            Ty::Text | Ty::RuleId => ExprType::Text,
            Ty::Word(w) => ExprType::Word(w),
            Ty::Bool => ExprType::Bool,
            Ty::Number | Ty::Version => ExprType::Number,
            Ty::Date => ExprType::Date,
            Ty::Money => ExprType::Money,
            Ty::Percent => ExprType::Percent,
            Ty::Year => ExprType::Year,
            Ty::Ref(k) => ExprType::Ref(*k),
            Ty::List(t) => ExprType::List(Box::new(ExprType::of(t))),
            Ty::Record(f) => ExprType::Record(f),
            Ty::YearMap(t) => ExprType::Map(MapKey::Year, Box::new(ExprType::of(t))),
            Ty::PartnerMap(t) => ExprType::Map(MapKey::Partner, Box::new(ExprType::of(t))),
            Ty::NoneOr(t) => ExprType::NoneOr(Box::new(ExprType::of(t))),
            Ty::OneOrYearMap(_) => ExprType::Any,
        }
    }

    /// The type of a function's argument or result.
    pub(crate) fn of_kind(kind: Kind) -> ExprType {
        match kind {
            Kind::Value => ExprType::Any,
            Kind::Text => ExprType::Text,
            Kind::Date => ExprType::Date,
            Kind::Number => ExprType::Number,
            Kind::Year => ExprType::Year,
            Kind::Years => ExprType::List(Box::new(ExprType::Year)),
            Kind::Pattern => ExprType::Text,
        }
    }

    fn name(&self) -> String {
        match self {
            ExprType::Any => "a value".into(),
            ExprType::Bool => "a condition (true or false)".into(),
            ExprType::Text | ExprType::Word(_) => "text".into(),
            ExprType::Number => "a number".into(),
            ExprType::Date => "a date".into(),
            ExprType::Money => "an amount of money".into(),
            ExprType::Percent => "a percent".into(),
            ExprType::Year => "a financial year".into(),
            ExprType::Duration => "a length of time".into(),
            ExprType::Ref(k) => format!("a {}", k.noun()),
            ExprType::Record(_) => "a group of fields".into(),
            ExprType::List(_) => "a list".into(),
            ExprType::Map(MapKey::Year, _) => "a mapping by financial year".into(),
            ExprType::Map(MapKey::Partner, _) => "a mapping by partner".into(),
            ExprType::Entry(..) => "an entry of a mapping".into(),
            ExprType::NoneOr(t) => t.name(),
        }
    }

    fn is_texty(&self) -> bool {
        matches!(
            self,
            ExprType::Text | ExprType::Word(_) | ExprType::Ref(_) | ExprType::Year | ExprType::Any
        )
    }
    fn is_numeric(&self) -> bool {
        matches!(
            self,
            ExprType::Number | ExprType::Percent | ExprType::Money | ExprType::Any
        )
    }
}

/// The fields of the items a reference names.
pub(crate) fn items_of(kind: RefKind) -> &'static [Field] {
    match schema::field(schema::AGREEMENT, kind.list()).map(|f| &f.ty) {
        Some(Ty::List(Ty::Record(fields))) => fields,
        _ => &[],
    }
}

struct Scope {
    vars: Vec<(String, usize, ExprType)>,
    next_slot: usize,
    max_slot: usize,
}

/// Validates a rule in place: resolves paths, assigns slots, checks types.
pub(crate) fn validate(rule: &mut Rule) -> Result<(), Vec<RuleError>> {
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

fn bind(var: &mut Ident, t: ExprType, sc: &mut Scope) {
    var.slot = sc.next_slot;
    sc.next_slot += 1;
    sc.max_slot = sc.max_slot.max(sc.next_slot);
    sc.vars.push((var.name.clone(), var.slot, t));
}

fn item_type(t: &ExprType, span: Span, errs: &mut Vec<RuleError>) -> ExprType {
    match t {
        ExprType::List(i) => (**i).clone(),
        ExprType::Map(key, v) => ExprType::Entry(*key, v.clone()),
        ExprType::NoneOr(inner) => item_type(inner, span, errs),
        ExprType::Any => ExprType::Any,
        other => {
            errs.push(RuleError::new(
                format!(
                    "this is {}, not a list, so it cannot be gone through item by item",
                    other.name()
                ),
                span,
            ));
            ExprType::Any
        }
    }
}

fn cond(e: &mut Expr, sc: &mut Scope, errs: &mut Vec<RuleError>) {
    let t = expr(e, sc, errs);
    if !matches!(t, ExprType::Bool | ExprType::Any) {
        errs.push(
            RuleError::new(
                format!("this is {}, but a condition is needed here", t.name()),
                e.span,
            )
            .with_help("Compare it with something, or write `... is present`."),
        );
    }
}

fn field_of(t: &ExprType, name: &str, span: Span, errs: &mut Vec<RuleError>) -> ExprType {
    let fields: &'static [Field] = match t {
        ExprType::Any => return ExprType::Any,
        ExprType::Record(f) => f,
        ExprType::Ref(k) => items_of(*k),
        ExprType::NoneOr(inner) => return field_of(inner, name, span, errs),
        ExprType::Entry(key, v) => {
            return if name == "value" {
                (**v).clone()
            } else if name == key.field() {
                key.key_type()
            } else {
                errs.push(RuleError::new(
                    format!(
                        "an entry of this mapping has only `{}` and `value`",
                        key.field()
                    ),
                    span,
                ));
                ExprType::Any
            };
        }
        ExprType::List(_) => {
            errs.push(
                RuleError::new(format!("`{name}` cannot be read from a list as a whole"), span)
                    .with_help("Go through the items with `for each item in ...` and read `item.` followed by the field."),
            );
            return ExprType::Any;
        }
        other => {
            errs.push(RuleError::new(
                format!(
                    "{} has no fields, so `{name}` cannot be read from it",
                    other.name()
                ),
                span,
            ));
            return ExprType::Any;
        }
    };
    match schema::field(fields, name) {
        Some(f) => ExprType::of(&f.ty),
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
            ExprType::Any
        }
    }
}

fn path(p: &mut Path, sc: &Scope, errs: &mut Vec<RuleError>) -> ExprType {
    let Some((first, fspan)) = p.segs.first().cloned() else {
        return ExprType::Any;
    };
    // The default of the field the path ends at, if it ends at one of the field table.
    let mut default = None;
    let mut t = if let Some((_, slot, t)) = sc.vars.iter().rev().find(|(n, _, _)| *n == first) {
        p.root = Root::Var(*slot);
        t.clone()
    } else if first == "today" {
        p.root = Root::Today;
        ExprType::Date
    } else if first == "placeholders" {
        p.root = Root::Placeholders;
        ExprType::List(Box::new(ExprType::Text))
    } else if let Some(f) = schema::field(schema::AGREEMENT, &first) {
        p.root = Root::Agreement;
        default = f.default;
        ExprType::of(&f.ty)
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
        return ExprType::Any;
    };
    for (seg, sspan) in p.segs.iter().skip(1) {
        default = fields_of(&t)
            .and_then(|fields| schema::field(fields, seg))
            .and_then(|f| f.default);
        t = field_of(&t, seg, *sspan, errs);
    }
    p.default = default.map(str::to_string);
    t
}

/// The field-table fields of a value of type `t`, when it is a record or names one.
fn fields_of(t: &ExprType) -> Option<&'static [Field]> {
    match t {
        ExprType::Record(fields) => Some(fields),
        ExprType::Ref(kind) => Some(items_of(*kind)),
        ExprType::NoneOr(inner) => fields_of(inner),
        _ => None,
    }
}

fn compatible(a: &ExprType, b: &ExprType) -> bool {
    use ExprType::*;
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

fn orderable(a: &ExprType, b: &ExprType) -> bool {
    use ExprType::*;
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
fn check_words(t: &ExprType, other: &Expr, errs: &mut Vec<RuleError>) {
    let words = match t {
        ExprType::Word(w) => *w,
        ExprType::List(inner) => match **inner {
            ExprType::Word(w) => w,
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

fn mismatch(a: &ExprType, b: &ExprType, span: Span, what: &str) -> RuleError {
    RuleError::new(
        format!("cannot {what} {} with {}", a.name(), b.name()),
        span,
    )
}

fn with_var<T>(var: &mut Ident, t: ExprType, sc: &mut Scope, f: impl FnOnce(&mut Scope) -> T) -> T {
    bind(var, t, sc);
    let r = f(sc);
    sc.vars.pop();
    sc.next_slot -= 1;
    r
}

fn expr(e: &mut Expr, sc: &mut Scope, errs: &mut Vec<RuleError>) -> ExprType {
    let span = e.span;
    match &mut e.kind {
        ExprKind::Or(items) | ExprKind::And(items) => {
            for i in items {
                cond(i, sc, errs);
            }
            ExprType::Bool
        }
        ExprKind::Not(a) => {
            cond(a, sc, errs);
            ExprType::Bool
        }
        ExprKind::Present(a) | ExprKind::Absent(a) => {
            expr(a, sc, errs);
            ExprType::Bool
        }
        ExprKind::Unreadable(a) | ExprKind::Placeholder(a) => {
            expr(a, sc, errs);
            ExprType::Bool
        }
        ExprKind::Matches(a, _, _) => {
            let t = expr(a, sc, errs);
            if !t.is_texty() && !matches!(t, ExprType::List(_)) {
                errs.push(RuleError::new(
                    format!("only text can match a pattern, and this is {}", t.name()),
                    a.span,
                ));
            }
            ExprType::Bool
        }
        ExprKind::Contains { whole: a, part: b } => {
            let ta = expr(a, sc, errs);
            let tb = expr(b, sc, errs);
            match &ta {
                ExprType::List(inner) | ExprType::NoneOr(inner)
                    if matches!(**inner, ExprType::List(_)) || compatible(inner, &tb) =>
                {
                    check_words(&ta, b, errs)
                }
                t if t.is_texty() && tb.is_texty() => {}
                _ => errs.push(mismatch(&ta, &tb, span, "look for")),
            }
            ExprType::Bool
        }
        ExprKind::In {
            part: a, whole: b, ..
        } => {
            let ta = expr(a, sc, errs);
            let tb = expr(b, sc, errs);
            match &tb {
                ExprType::List(inner) if compatible(inner, &ta) => check_words(&ta, b, errs),
                ExprType::Any => {}
                t if t.is_texty() && ta.is_texty() => {}
                _ => errs.push(mismatch(&ta, &tb, span, "look for")),
            }
            ExprType::Bool
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
            ExprType::Bool
        }
        ExprKind::Arith(op, a, b) => {
            let ta = expr(a, sc, errs);
            let tb = expr(b, sc, errs);
            use ExprType::*;
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
            Lit::Text(_) => ExprType::Text,
            Lit::Number(_) => ExprType::Number,
            Lit::Money(_) => ExprType::Money,
            Lit::Percent(_) => ExprType::Percent,
            Lit::Date(_) => ExprType::Date,
            Lit::Duration(..) => ExprType::Duration,
            Lit::Bool(_) => ExprType::Bool,
        },
        ExprKind::List(items) => {
            let mut t = ExprType::Any;
            for i in items {
                let it = expr(i, sc, errs);
                if t == ExprType::Any {
                    t = it;
                }
            }
            ExprType::List(Box::new(t))
        }
        ExprKind::Path(p, idx) => {
            let t = path(p, sc, errs);
            match idx {
                None => t,
                Some(i) => {
                    let ti = expr(i, sc, errs);
                    match t {
                        ExprType::Map(key, v) => {
                            let key = key.key_type();
                            if !compatible(&key, &ti) {
                                errs.push(mismatch(&key, &ti, i.span, "look up"));
                            }
                            *v
                        }
                        ExprType::Any => ExprType::Any,
                        other => {
                            errs.push(RuleError::new(format!("only a mapping by year or partner can be looked up with `[...]`; this is {}", other.name()), span));
                            ExprType::Any
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
                ExprType::Entry(_, v) => *v,
                other => other,
            });
            match kind {
                AggKind::Count => ExprType::Number,
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
                        ExprType::Money => Zero::Money,
                        ExprType::Percent => Zero::Percent,
                        _ => Zero::Number,
                    };
                    t
                }
                AggKind::List => ExprType::List(Box::new(t)),
                AggKind::Earliest | AggKind::Latest => {
                    if !orderable(&t, &t) || t == ExprType::Duration {
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
            ExprType::Bool
        }
        ExprKind::First { var, coll, cond: c } => {
            let ct = expr(coll, sc, errs);
            let it = item_type(&ct, coll.span, errs);
            with_var(var, it.clone(), sc, |sc| cond(c, sc, errs));
            it
        }
        ExprKind::Keys(a) => match expr(a, sc, errs) {
            ExprType::Map(key, _) => ExprType::List(Box::new(key.key_type())),
            ExprType::Any => ExprType::Any,
            other => {
                errs.push(RuleError::new(
                    format!("only a mapping has keys; this is {}", other.name()),
                    span,
                ));
                ExprType::Any
            }
        },
        ExprKind::Call {
            name,
            name_span,
            args,
            function,
            patterns,
        } => {
            let ts: Vec<ExprType> = args.iter_mut().map(|a| expr(a, sc, errs)).collect();
            let Some(def) = functions::named(name) else {
                let mut err = RuleError::new(format!("there is no function `{name}`"), *name_span);
                let names = FUNCTIONS.iter().map(|f| f.name);
                err.help = Some(match did_you_mean(name, names).and_then(functions::named) {
                    Some(f) => format!("did you mean `{}`: {}?", f.signature(), f.doc),
                    None => format!(
                        "the functions are: {}",
                        FUNCTIONS
                            .iter()
                            .map(|f| f.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
                errs.push(err);
                return ExprType::Any;
            };
            *function = Some(def.function);
            patterns.clear();
            if ts.len() != def.params.len() {
                let mut err = RuleError::new(
                    format!(
                        "`{name}` takes {} value(s), not {}",
                        def.params.len(),
                        ts.len()
                    ),
                    span,
                );
                err.help = Some(format!("write `{}`: {}", def.signature(), def.doc));
                errs.push(err);
            } else {
                for ((t, w), a) in ts.iter().zip(def.params).zip(args.iter()) {
                    if *w == Kind::Pattern {
                        // Written out, so it is checked here as `matches` patterns are, and
                        // kept with the call.
                        let pattern = match &a.kind {
                            ExprKind::Lit(Lit::Text(p)) => Pattern::new(p)
                                .map_err(|e| format!("not a valid regular expression: {e}")),
                            _ => Err(format!("`{name}` needs a pattern written in quotes here")),
                        };
                        match pattern {
                            Ok(p) => patterns.push(Some(p)),
                            Err(e) => {
                                errs.push(RuleError::new(e, a.span));
                                patterns.push(None);
                            }
                        }
                        continue;
                    }
                    patterns.push(None);
                    let w = ExprType::of_kind(*w);
                    if !compatible(t, &w) && w != ExprType::Any {
                        errs.push(RuleError::new(
                            format!("`{name}` needs {} here, not {}", w.name(), t.name()),
                            a.span,
                        ));
                    }
                }
            }
            ExprType::of_kind(def.result)
        }
    }
}
