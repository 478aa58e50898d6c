//! A rule from its pest pairs: the metadata lines (severity, applicability, citations, help,
//! examples) and the statements, which are nested under `for each` / `if` by their columns.

use super::expr::{expr, ident, path_expr};
use super::grammar::{next, not_kw, span, Pair, Token};
use super::text::{dedent, template, unquote};
use super::MAX_BLOCKS;
use crate::lang::ast::{Example, Expr, ExprKind, Ident, Lit, Require, Rule, Stmt};
use crate::lang::RuleError;
use crate::severity::Severity;
use crate::span::Span;

/// 0-based column (in characters) of a byte offset: how far a statement is indented.
fn column(src: &str, pos: usize) -> usize {
    crate::position::line_col(src, pos).1 - 1
}

/// Builds one rule (from file number `file`), or every error found in it.
pub(super) fn rule(p: Pair, src: &str, file: usize) -> Result<Rule, Vec<RuleError>> {
    let rspan = span(&p);
    let mut it = p.into_inner().filter(not_kw);
    let (Some(idp), Some(titlep)) = (it.next(), it.next()) else {
        return Err(vec![RuleError::new(
            "a rule needs an id and a title",
            rspan,
        )]);
    };
    let mut r = Rule {
        id: idp.as_str().to_string(),
        id_span: span(&idp),
        title: unquote(&titlep),
        severity: Severity::Error,
        severity_when: Vec::new(),
        applies: Vec::new(),
        applies_text: Vec::new(),
        citations: Vec::new().into(),
        help: None,
        why: None,
        examples: Vec::new(),
        body: Vec::new(),
        slots: 0,
        file,
        span: rspan,
    };
    let mut citations = Vec::new();
    let mut errors = Vec::new();
    let mut seen_severity = false;
    // Statements with their columns, nested afterwards.
    let mut flat: Vec<(usize, Stmt, Span)> = Vec::new();
    for item in it {
        let ispan = span(&item);
        let res: Result<(), RuleError> = (|| {
            match item.as_rule() {
                Token::severity => {
                    let mut inner = item.into_inner().filter(not_kw);
                    let lv = inner
                        .next()
                        .ok_or_else(|| RuleError::new("missing severity", ispan))?;
                    let sev = Severity::parse(lv.as_str())
                        .ok_or_else(|| RuleError::new("unknown severity", span(&lv)))?;
                    match inner.next() {
                        Some(cond) => r.severity_when.push((sev, expr(cond)?)),
                        None if seen_severity => {
                            return Err(RuleError::new("the rule already has a severity", ispan))
                        }
                        None => {
                            seen_severity = true;
                            r.severity = sev
                        }
                    }
                }
                Token::applies_to => {
                    let mut inner = item.into_inner().filter(not_kw);
                    let pathp = inner
                        .next()
                        .ok_or_else(|| RuleError::new("missing field", ispan))?;
                    let path_e = path_expr(pathp)?;
                    let words: Vec<Pair> = inner.collect();
                    r.applies_text.push(format!(
                        "{}: {}",
                        path_text(&path_e),
                        words
                            .iter()
                            .map(|w| w.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                    let list = words
                        .iter()
                        .map(|w| Expr {
                            kind: ExprKind::Lit(Lit::Text(w.as_str().to_string())),
                            span: span(w),
                        })
                        .collect();
                    let e = Expr {
                        kind: ExprKind::In {
                            part: Box::new(path_e),
                            whole: Box::new(Expr {
                                kind: ExprKind::List(list),
                                span: ispan,
                            }),
                            negated: false,
                        },
                        span: ispan,
                    };
                    r.applies.push(e);
                }
                Token::applies_when => {
                    let c = item
                        .into_inner()
                        .find(not_kw)
                        .ok_or_else(|| RuleError::new("missing condition", ispan))?;
                    r.applies_text.push(format!(
                        "when {}",
                        c.as_str().split_whitespace().collect::<Vec<_>>().join(" ")
                    ));
                    r.applies.push(expr(c)?);
                }
                Token::cite => {
                    if let Some(s) = item.into_inner().find(not_kw) {
                        citations.push(unquote(&s));
                    }
                }
                Token::help => r.help = item.into_inner().find(not_kw).map(|s| unquote(&s).into()),
                Token::why => r.why = item.into_inner().find(not_kw).map(|s| unquote(&s)),
                Token::example => {
                    let mut inner = item.into_inner().filter(not_kw);
                    let (Some(n), Some(k)) = (inner.next(), inner.next()) else {
                        return Err(RuleError::new(
                            "an example needs a name, `passes` or `fails`, and a text block",
                            ispan,
                        ));
                    };
                    let mut base = None;
                    let mut body = inner.next();
                    if let Some(w) = body.clone().filter(|b| b.as_rule() == Token::word) {
                        base = Some((w.as_str().to_string(), span(&w)));
                        body = inner.next();
                    }
                    let raw = body.and_then(|b| b.into_inner().find(not_kw));
                    r.examples.push(Example {
                        name: unquote(&n),
                        passes: k.as_str() == "passes",
                        yaml: dedent(raw.as_ref().map_or("", |b| b.as_str())),
                        // The raw body, untrimmed: expectation markers may sit on its last line.
                        span: raw
                            .map_or(ispan, |b| Span::new(b.as_span().start(), b.as_span().end())),
                        base,
                    });
                }
                Token::statement => {
                    let col = column(src, ispan.start);
                    let s = statement(
                        item.into_inner()
                            .find(not_kw)
                            .ok_or_else(|| RuleError::new("empty statement", ispan))?,
                    )?;
                    flat.push((col, s, ispan));
                }
                _ => {}
            }
            Ok(())
        })();
        if let Err(e) = res {
            errors.push(e);
        }
    }
    r.citations = citations.into();
    if !seen_severity {
        errors.push(
            RuleError::new(format!("rule {} has no `severity` line", r.id), r.id_span)
                .with_help("Add `severity error`, `severity warning` or `severity info`."),
        );
    }
    if r.citations.is_empty() {
        errors.push(
            RuleError::new(format!("rule {} cites no source", r.id), r.id_span).with_help(
                "Add a `cite \"...\"` line naming the law or guidance the rule rests on.",
            ),
        );
    }
    if !flat.iter().any(|(_, s, _)| matches!(s, Stmt::Require(_))) {
        errors.push(RuleError::new(
            format!(
                "rule {} has no `require` statement, so it can never find anything",
                r.id
            ),
            r.id_span,
        ));
    }
    let mut pos = 0;
    match nest(&mut flat.into_iter().collect::<Vec<_>>(), &mut pos, 0, 0) {
        Ok(body) => r.body = body,
        Err(e) => errors.push(e),
    }
    if errors.is_empty() {
        Ok(r)
    } else {
        Err(errors)
    }
}

/// A path as written (`legal_basis`), for the applicability text shown in docs.
fn path_text(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Path(p, _) => p
            .segs
            .iter()
            .map(|(s, _)| s.as_str())
            .collect::<Vec<_>>()
            .join("."),
        _ => String::new(),
    }
}

/// Builds the statement tree: a `for each` owns the statements after it that are indented
/// further than it; a statement indented less closes it.
fn nest(
    flat: &mut Vec<(usize, Stmt, Span)>,
    pos: &mut usize,
    min_col: usize,
    level: usize,
) -> Result<Vec<Stmt>, RuleError> {
    let mut out = Vec::new();
    let mut col_here: Option<usize> = None;
    while *pos < flat.len() {
        let col = flat[*pos].0;
        if col < min_col {
            break;
        }
        match col_here {
            None => col_here = Some(col),
            Some(c) if col > c => {
                return Err(RuleError::new(
                    "this line is indented more than the one above it, which is not a `for each` or `if`",
                    flat[*pos].2,
                )
                .with_help("Line it up with the statement above, or put it under a `for each`."))
            }
            Some(c) if col < c => break,
            _ => {}
        }
        let (_, stmt, sspan) = std::mem::replace(
            &mut flat[*pos],
            (
                col,
                Stmt::Let {
                    var: Ident {
                        name: String::new(),
                        span: Span::default(),
                        slot: 0,
                    },
                    value: Expr {
                        kind: ExprKind::List(vec![]),
                        span: Span::default(),
                    },
                },
                Span::default(),
            ),
        );
        *pos += 1;
        let opens_block = matches!(stmt, Stmt::ForEach { .. } | Stmt::If { .. });
        if !opens_block {
            out.push(stmt);
            continue;
        }
        let body = match flat.get(*pos).map(|f| f.0) {
            Some(nc) if nc > col && level >= MAX_BLOCKS => {
                return Err(RuleError::new(
                    format!(
                        "`for each` and `if` blocks are nested more than {MAX_BLOCKS} deep here"
                    ),
                    sspan,
                )
                .with_help("Split the rule into smaller rules."))
            }
            Some(nc) if nc > col => nest(flat, pos, nc, level + 1)?,
            _ => {
                return Err(RuleError::new("nothing is indented under this line", sspan)
                    .with_help("Indent the statements that this line governs under it."))
            }
        };
        out.push(match stmt {
            Stmt::ForEach {
                var, coll, filter, ..
            } => Stmt::ForEach {
                var,
                coll,
                filter,
                body,
            },
            Stmt::If { cond, .. } => Stmt::If { cond, body },
            other => other,
        });
    }
    Ok(out)
}

/// One statement; a `for each` or `if` gets its body later, from [`nest`].
fn statement(p: Pair) -> Result<Stmt, RuleError> {
    let sp = span(&p);
    let kind = p.as_rule();
    let mut it = p.into_inner().filter(not_kw);
    match kind {
        Token::for_each => {
            let var = ident(next(&mut it, sp)?);
            let coll = expr(next(&mut it, sp)?)?;
            let filter = it.next().map(expr).transpose()?;
            Ok(Stmt::ForEach {
                var,
                coll,
                filter,
                body: Vec::new(),
            })
        }
        Token::if_stmt => Ok(Stmt::If {
            cond: expr(next(&mut it, sp)?)?,
            body: Vec::new(),
        }),
        Token::let_stmt => {
            let var = ident(next(&mut it, sp)?);
            let value = expr(next(&mut it, sp)?)?;
            Ok(Stmt::Let { var, value })
        }
        Token::require => {
            let cond = expr(next(&mut it, sp)?)?;
            let msgp = next(&mut it, sp)?;
            let message = template(&msgp)?;
            let mut at = None;
            let mut also = Vec::new();
            if let Some(atp) = it.next() {
                let mut ai = atp.into_inner().filter(not_kw);
                at = Some(path_expr(next(&mut ai, sp)?)?);
                for a in ai {
                    let mut x = a.into_inner().filter(not_kw);
                    let place = next(&mut x, sp)?;
                    // `also list of ... for each ...`: a label on each place of a list.
                    let pe = if place.as_rule() == Token::aggregate {
                        super::expr::expr(place)?
                    } else {
                        path_expr(place)?
                    };
                    let label = x.next().map(|s| unquote(&s));
                    also.push((pe, label));
                }
            }
            Ok(Stmt::Require(Box::new(Require {
                cond,
                message,
                at,
                also,
                span: sp,
            })))
        }
        _ => Err(RuleError::new("not a statement", sp)),
    }
}
