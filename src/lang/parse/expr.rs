//! Expressions from their pest pairs: one builder per form of the grammar (connectives,
//! predicates, arithmetic, literals, aggregates, quantifiers, calls, paths), under a guard that
//! refuses trees too deep to build, validate or evaluate safely.

use super::grammar::{next, not_kw, span, Pair, Token};
use super::text::unquote;
use super::MAX_EXPR_DEPTH;
use crate::agreement::values::{Date, Money};
use crate::lang::ast::{
    AggKind, Arith, Cmp, Expr, ExprKind, Ident, Lit, Path, Pattern, Quant, Root, Unit, Zero,
};
use crate::lang::RuleError;
use crate::span::Span;
use std::cell::Cell;

/// Most operands in one chain of `+ - * /`, and most `not`s in a row.
const MAX_CHAIN: usize = 64;
/// Most syntax-tree levels the recursive builder descends (about 8 per bracket level).
const MAX_PAIR_DEPTH: usize = 400;

thread_local! {
    /// How deep `expr` has recursed on this thread.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Moves an expression parsed on its own (a template hole) to where it is in the file.
pub(super) fn shift(e: &mut Expr, by: usize) {
    e.span = Span::new(e.span.start + by, e.span.end + by);
    match &mut e.kind {
        ExprKind::Or(v) | ExprKind::And(v) | ExprKind::List(v) => {
            v.iter_mut().for_each(|x| shift(x, by))
        }
        ExprKind::Call {
            args, name_span, ..
        } => {
            *name_span = Span::new(name_span.start + by, name_span.end + by);
            args.iter_mut().for_each(|x| shift(x, by))
        }
        ExprKind::Not(a)
        | ExprKind::Present(a)
        | ExprKind::Absent(a)
        | ExprKind::Neg(a)
        | ExprKind::Keys(a) => shift(a, by),
        ExprKind::Matches(a, _, _) | ExprKind::Unreadable(a) | ExprKind::Placeholder(a) => {
            shift(a, by)
        }
        ExprKind::Contains { whole: a, part: b }
        | ExprKind::In {
            part: a, whole: b, ..
        }
        | ExprKind::Compare(_, a, b)
        | ExprKind::Arith(_, a, b) => {
            shift(a, by);
            shift(b, by)
        }
        ExprKind::Lit(_) => {}
        ExprKind::Path(p, idx) => {
            for (_, s) in &mut p.segs {
                *s = Span::new(s.start + by, s.end + by);
            }
            if let Some(i) = idx {
                shift(i, by)
            }
        }
        ExprKind::Agg {
            project,
            var,
            coll,
            filter,
            ..
        } => {
            if let Some(p) = project {
                shift(p, by)
            }
            if let Some(v) = var {
                v.span = Span::new(v.span.start + by, v.span.end + by);
            }
            shift(coll, by);
            if let Some(f) = filter {
                shift(f, by)
            }
        }
        ExprKind::Quant {
            var, coll, cond, ..
        }
        | ExprKind::First { var, coll, cond } => {
            var.span = Span::new(var.span.start + by, var.span.end + by);
            shift(coll, by);
            shift(cond, by)
        }
    }
}

/// A name bound by `for each`, `let` or a quantifier; its slot is set by validation.
pub(super) fn ident(p: Pair) -> Ident {
    Ident {
        name: p.as_str().to_string(),
        span: span(&p),
        slot: 0,
    }
}

/// A dotted path, with its `[key]` if it has one.
pub(super) fn path_expr(p: Pair) -> Result<Expr, RuleError> {
    let sp = span(&p);
    match p.as_rule() {
        Token::path => {
            let segs = p
                .into_inner()
                .filter(not_kw)
                .map(|s| (s.as_str().to_string(), span(&s)))
                .collect();
            Ok(Expr {
                kind: ExprKind::Path(
                    Path {
                        segs,
                        root: Root::Unresolved,
                        default: None,
                    },
                    None,
                ),
                span: sp,
            })
        }
        Token::index_path => {
            let mut it = p.into_inner().filter(not_kw);
            let base = path_expr(next(&mut it, sp)?)?;
            let idx = it.next().map(expr).transpose()?;
            match (base.kind, idx) {
                (ExprKind::Path(pp, _), Some(i)) => Ok(Expr {
                    kind: ExprKind::Path(pp, Some(Box::new(i))),
                    span: sp,
                }),
                (k, _) => Ok(Expr { kind: k, span: sp }),
            }
        }
        _ => Err(RuleError::new("expected a field such as `pool.host`", sp)),
    }
}

fn boxed(e: Expr) -> Box<Expr> {
    Box::new(e)
}

/// Builds an expression from any expression-level pair, refusing trees too deep to evaluate
/// safely (the builder, the validator and the evaluator all recurse on them).
pub(super) fn expr(p: Pair) -> Result<Expr, RuleError> {
    struct Exit;
    impl Drop for Exit {
        fn drop(&mut self) {
            DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
        }
    }
    let depth = DEPTH.with(|d| {
        d.set(d.get() + 1);
        d.get()
    });
    let _exit = Exit;
    let too_deep = || {
        RuleError::new("this expression is nested too deeply", span(&p))
            .with_help("Split it into named parts with `let`.")
    };
    if depth > MAX_PAIR_DEPTH {
        return Err(too_deep());
    }
    let e = expr_tree(p.clone())?;
    if depth == 1 && expr_depth(&e) > MAX_EXPR_DEPTH {
        return Err(too_deep());
    }
    Ok(e)
}

/// Levels in an expression tree, counted without recursion.
fn expr_depth(e: &Expr) -> usize {
    let mut max = 0;
    let mut todo = vec![(e, 1)];
    while let Some((e, d)) = todo.pop() {
        max = max.max(d);
        let mut kids: Vec<&Expr> = Vec::new();
        match &e.kind {
            ExprKind::Or(v) | ExprKind::And(v) | ExprKind::List(v) => kids.extend(v),
            ExprKind::Call { args, .. } => kids.extend(args),
            ExprKind::Not(a)
            | ExprKind::Present(a)
            | ExprKind::Absent(a)
            | ExprKind::Neg(a)
            | ExprKind::Keys(a)
            | ExprKind::Matches(a, _, _)
            | ExprKind::Unreadable(a)
            | ExprKind::Placeholder(a) => kids.push(a),
            ExprKind::Contains { whole: a, part: b }
            | ExprKind::In {
                part: a, whole: b, ..
            }
            | ExprKind::Compare(_, a, b)
            | ExprKind::Arith(_, a, b) => kids.extend([&**a, &**b]),
            ExprKind::Lit(_) => {}
            ExprKind::Path(_, idx) => kids.extend(idx.as_deref()),
            ExprKind::Agg {
                project,
                coll,
                filter,
                ..
            } => {
                kids.extend(project.as_deref());
                kids.push(coll);
                kids.extend(filter.as_deref());
            }
            ExprKind::Quant { coll, cond, .. } | ExprKind::First { coll, cond, .. } => {
                kids.extend([&**coll, &**cond])
            }
        }
        todo.extend(kids.into_iter().map(|k| (k, d + 1)));
    }
    max
}

/// Builds an expression from an expression-level pair: picks the builder for its form.
fn expr_tree(p: Pair) -> Result<Expr, RuleError> {
    let sp = span(&p);
    match p.as_rule() {
        Token::expr => connective(p, ExprKind::Or),
        Token::and_expr => connective(p, ExprKind::And),
        Token::not_expr => negation(p),
        Token::predicate => predicate(p),
        Token::sum | Token::product => arithmetic(p),
        Token::unary => unary(p),
        Token::paren => parenthesised(p),
        Token::list => Ok(spanned(
            ExprKind::List(
                p.into_inner()
                    .filter(not_kw)
                    .map(expr)
                    .collect::<Result<_, _>>()?,
            ),
            sp,
        )),
        Token::duration
        | Token::money
        | Token::percent
        | Token::date
        | Token::number
        | Token::string
        | Token::boolean => Ok(spanned(ExprKind::Lit(literal(&p)?), sp)),
        Token::aggregate => aggregate(p),
        Token::quantifier => quantifier(p),
        Token::first => first(p),
        Token::keys_of => Ok(spanned(
            ExprKind::Keys(boxed(expr(
                p.into_inner()
                    .find(not_kw)
                    .ok_or_else(|| RuleError::new("missing value", sp))?,
            )?)),
            sp,
        )),
        Token::call => call(p),
        Token::index_path | Token::path => path_expr(p),
        other => Err(RuleError::new(format!("unexpected {other:?}"), sp)),
    }
}

/// An expression of this kind at this place.
fn spanned(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

/// `a or b or c` / `a and b`: the operands, or the one operand on its own.
fn connective(p: Pair, kind: fn(Vec<Expr>) -> ExprKind) -> Result<Expr, RuleError> {
    let sp = span(&p);
    let mut items = p
        .into_inner()
        .filter(not_kw)
        .map(expr)
        .collect::<Result<Vec<_>, _>>()?;
    if items.len() == 1 {
        return Ok(items.remove(0));
    }
    Ok(spanned(kind(items), sp))
}

/// `not not x`: the condition under as many `not`s as are written.
fn negation(p: Pair) -> Result<Expr, RuleError> {
    let sp = span(&p);
    let inner: Vec<Pair> = p.into_inner().filter(not_kw).collect();
    let nots = inner
        .iter()
        .filter(|x| x.as_rule() == Token::not_kw)
        .count();
    if nots > MAX_CHAIN {
        return Err(RuleError::new(
            format!("more than {MAX_CHAIN} `not`s in a row"),
            sp,
        ));
    }
    let last = inner
        .into_iter()
        .last()
        .ok_or_else(|| RuleError::new("missing condition", sp))?;
    let mut e = expr(last)?;
    for _ in 0..nots {
        e = spanned(ExprKind::Not(boxed(e)), sp);
    }
    Ok(e)
}

/// A value with an optional test after it: `x is present`, `x matches "..."`, `x in list`,
/// `x < y`.
fn predicate(p: Pair) -> Result<Expr, RuleError> {
    let sp = span(&p);
    let mut it = p.into_inner().filter(not_kw);
    let lhs = expr(next(&mut it, sp)?)?;
    let Some(tail) = it.next() else {
        return Ok(lhs);
    };
    let tsp = span(&tail);
    let trule = tail.as_rule();
    let mut ti = tail.into_inner().filter(not_kw);
    let kind = match trule {
        Token::is_present => ExprKind::Present(boxed(lhs)),
        Token::is_absent => ExprKind::Absent(boxed(lhs)),
        Token::is_not_present => ExprKind::Absent(boxed(lhs)),
        Token::matches => {
            let pat = next(&mut ti, tsp)?;
            let re = regex_of(&pat)?;
            let except = ti.next().map(|e| regex_of(&e)).transpose()?.map(Box::new);
            ExprKind::Matches(boxed(lhs), Box::new(re), except)
        }
        Token::is_unreadable => ExprKind::Unreadable(boxed(lhs)),
        Token::is_placeholder => ExprKind::Placeholder(boxed(lhs)),
        Token::is_not_placeholder => {
            ExprKind::Not(boxed(spanned(ExprKind::Placeholder(boxed(lhs)), sp)))
        }
        Token::contains => ExprKind::Contains {
            whole: boxed(lhs),
            part: boxed(expr(next(&mut ti, tsp)?)?),
        },
        Token::in_ | Token::not_in => ExprKind::In {
            part: boxed(lhs),
            whole: boxed(expr(next(&mut ti, tsp)?)?),
            negated: trule == Token::not_in,
        },
        Token::compare => {
            let op = comparison(&next(&mut ti, tsp)?);
            let rhs = expr(next(&mut ti, tsp)?)?;
            ExprKind::Compare(op, boxed(lhs), boxed(rhs))
        }
        _ => return Err(RuleError::new("unexpected condition", tsp)),
    };
    Ok(spanned(kind, sp))
}

/// The comparison an operator names, in symbols or in words (`on or before`).
fn comparison(op: &Pair) -> Cmp {
    let words: Vec<&str> = op.as_str().split_whitespace().collect();
    match words.join(" ").as_str() {
        "=" | "is" => Cmp::Eq,
        "!=" | "is not" => Cmp::Ne,
        "<" | "before" | "less than" => Cmp::Lt,
        "<=" | "on or before" | "at most" => Cmp::Le,
        ">" | "after" | "more than" => Cmp::Gt,
        _ => Cmp::Ge,
    }
}

/// `a + b - c` / `a * b / c`, grouped from the left.
fn arithmetic(p: Pair) -> Result<Expr, RuleError> {
    let sp = span(&p);
    if p.clone().into_inner().count() > 2 * MAX_CHAIN {
        return Err(RuleError::new(
            format!("more than {MAX_CHAIN} values joined by `+ - * /` in one chain"),
            sp,
        )
        .with_help("Split it into named parts with `let`."));
    }
    let mut it = p.into_inner().filter(not_kw);
    let mut acc = expr(next(&mut it, sp)?)?;
    while let Some(op) = it.next() {
        let rhs = expr(next(&mut it, sp)?)?;
        let a = match op.as_str() {
            "+" => Arith::Add,
            "-" => Arith::Sub,
            "*" => Arith::Mul,
            _ => Arith::Div,
        };
        let s = Span::new(acc.span.start, rhs.span.end);
        acc = spanned(ExprKind::Arith(a, boxed(acc), boxed(rhs)), s);
    }
    Ok(acc)
}

/// A value, made negative when written with `-`.
fn unary(p: Pair) -> Result<Expr, RuleError> {
    let sp = span(&p);
    let inner: Vec<Pair> = p.into_inner().filter(not_kw).collect();
    let neg = inner.iter().any(|x| x.as_rule() == Token::neg);
    let last = inner
        .into_iter()
        .last()
        .ok_or_else(|| RuleError::new("missing value", sp))?;
    let e = expr(last)?;
    Ok(if neg {
        spanned(ExprKind::Neg(boxed(e)), sp)
    } else {
        e
    })
}

/// `(x)` is `x`; `(x, y)` is a list.
fn parenthesised(p: Pair) -> Result<Expr, RuleError> {
    let sp = span(&p);
    let mut items = p
        .into_inner()
        .filter(not_kw)
        .map(expr)
        .collect::<Result<Vec<_>, _>>()?;
    match items.len() {
        0 => Err(RuleError::new("empty parentheses", sp)),
        1 => Ok(items.remove(0)),
        _ => Ok(spanned(ExprKind::List(items), sp)),
    }
}

/// A written value: `90 days`, `£1.2m`, `40%`, `2025-04-01`, `12`, `"text"`, `true`.
fn literal(p: &Pair) -> Result<Lit, RuleError> {
    let sp = span(p);
    Ok(match p.as_rule() {
        Token::duration => {
            let mut it = p.clone().into_inner().filter(not_kw);
            let n: i64 = next(&mut it, sp)?
                .as_str()
                .parse()
                .map_err(|_| RuleError::new("this number is too large", sp))?;
            let u = next(&mut it, sp)?;
            let unit = match u.as_str().trim_end_matches('s') {
                "day" => Unit::Days,
                "month" => Unit::Months,
                _ => Unit::Years,
            };
            Lit::Duration(n, unit)
        }
        Token::money => Lit::Money(Money::parse(p.as_str()).ok_or_else(|| {
            RuleError::new(
                "this amount is not understood; write it like £1,200,000 or £1.2m",
                sp,
            )
        })?),
        Token::percent => Lit::Percent(
            p.as_str()
                .trim_end_matches('%')
                .parse()
                .map_err(|_| RuleError::new("bad percent", sp))?,
        ),
        Token::date => Lit::Date(
            Date::parse_iso(p.as_str())
                .ok_or_else(|| RuleError::new("this date does not exist", sp))?,
        ),
        Token::number => Lit::Number(
            p.as_str()
                .parse()
                .map_err(|_| RuleError::new("bad number", sp))?,
        ),
        Token::string => Lit::Text(unquote(p)),
        _ => Lit::Bool(p.as_str() == "true"),
    })
}

/// `sum of LIST`, `count of x in LIST where C`, `earliest of s.date for each s in LIST`.
fn aggregate(p: Pair) -> Result<Expr, RuleError> {
    let sp = span(&p);
    let mut it = p.into_inner().filter(not_kw).peekable();
    let kind = match next(&mut it, sp)?.as_str() {
        "sum" => AggKind::Sum,
        "count" => AggKind::Count,
        "earliest" => AggKind::Earliest,
        "list" => AggKind::List,
        _ => AggKind::Latest,
    };
    let body = next(&mut it, sp)?;
    let bsp = span(&body);
    let agg = |project, var, coll, filter| {
        spanned(
            ExprKind::Agg {
                kind,
                project,
                var,
                coll,
                filter,
                zero: Zero::Number,
            },
            sp,
        )
    };
    if body.as_rule() == Token::binding_filter {
        // `x in LIST where C`
        let mut bi = body.into_inner().filter(not_kw);
        let var = ident(next(&mut bi, bsp)?);
        let coll = expr(next(&mut bi, bsp)?)?;
        let filter = expr(next(&mut bi, bsp)?)?;
        return Ok(agg(None, Some(var), boxed(coll), Some(boxed(filter))));
    }
    if it
        .peek()
        .is_some_and(|c| c.as_rule() == Token::comprehension)
    {
        // `c.amount for each c in LIST [where C]`
        let project = expr(body)?;
        let comp = next(&mut it, sp)?;
        let mut bi = comp.into_inner().filter(not_kw);
        let var = ident(next(&mut bi, bsp)?);
        let coll = expr(next(&mut bi, bsp)?)?;
        let filter = bi.next().map(expr).transpose()?.map(boxed);
        return Ok(agg(Some(boxed(project)), Some(var), boxed(coll), filter));
    }
    Ok(agg(None, None, boxed(expr(body)?), None))
}

/// `any|all|no x in LIST where C`.
fn quantifier(p: Pair) -> Result<Expr, RuleError> {
    let sp = span(&p);
    let mut it = p.into_inner().filter(not_kw);
    let kind = match next(&mut it, sp)?.as_str() {
        "any" => Quant::Any,
        "all" => Quant::All,
        _ => Quant::No,
    };
    let var = ident(next(&mut it, sp)?);
    let coll = expr(next(&mut it, sp)?)?;
    let cond = expr(next(&mut it, sp)?)?;
    Ok(spanned(
        ExprKind::Quant {
            kind,
            var,
            coll: boxed(coll),
            cond: boxed(cond),
        },
        sp,
    ))
}

/// `first x in LIST where C`.
fn first(p: Pair) -> Result<Expr, RuleError> {
    let sp = span(&p);
    let mut it = p.into_inner().filter(not_kw);
    let var = ident(next(&mut it, sp)?);
    let coll = expr(next(&mut it, sp)?)?;
    let cond = expr(next(&mut it, sp)?)?;
    Ok(spanned(
        ExprKind::First {
            var,
            coll: boxed(coll),
            cond: boxed(cond),
        },
        sp,
    ))
}

/// `name(args)`; the name is resolved to a function by validation.
fn call(p: Pair) -> Result<Expr, RuleError> {
    let sp = span(&p);
    let mut it = p.into_inner().filter(not_kw);
    let name = next(&mut it, sp)?;
    let args = it.map(expr).collect::<Result<_, _>>()?;
    Ok(spanned(
        ExprKind::Call {
            name: name.as_str().to_string(),
            name_span: span(&name),
            args,
            function: None,
            patterns: Vec::new(),
        },
        sp,
    ))
}

/// A `matches` pattern, checked now so a bad one is reported with its place.
fn regex_of(p: &Pair) -> Result<Pattern, RuleError> {
    Pattern::new(&unquote(p)).map_err(|e| {
        RuleError::new(
            format!("this pattern is not a valid regular expression: {e}"),
            span(p),
        )
    })
}
