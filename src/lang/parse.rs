//! From rule-file text to syntax tree, using the pest grammar in `grammar/rules.pest`.
//! Statement nesting under `for each` is decided here from indentation.

use super::ast::*;
use super::RuleError;
use crate::agreement::values::{Date, Money};
use crate::span::Span;
use crate::severity::Severity;
use pest::iterators::{Pair, Pairs};
use pest::Parser as _;
use std::cell::Cell;
use std::num::NonZeroUsize;
use std::sync::Mutex;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rules.pest"]
struct Grammar;

type P<'a> = Pair<'a, Rule>;

/// A pair's span without the white space and comments pest may have consumed after it.
fn span(p: &P) -> Span {
    let start = p.as_span().start();
    let text = p.as_str();
    let mut end = text.len();
    loop {
        let t = text[..end].trim_end();
        // Drop a trailing comment line too: `... # note` followed by a newline.
        match t
            .rfind('\n')
            .map(|i| &t[i..])
            .filter(|l| l.trim_start().starts_with('#'))
        {
            Some(l) => end = t.len() - l.len(),
            None => {
                end = t.len();
                break;
            }
        }
    }
    Span::new(start, start + end)
}

// Limits that keep hostile rule files from exhausting the stack or the clock. pest's parser
// and the tree builders below are recursive, and pest does not memoise, so both depth and the
// number of parser steps are bounded before anything else runs.

/// Most brackets `(` / `[` open at once. Checked before parsing, with the place.
pub const MAX_BRACKETS: usize = 32;
/// Most `for each` / `if` blocks nested inside one another.
pub const MAX_BLOCKS: usize = 32;
/// Most levels an expression may have once built (operators, `not`s and nesting together).
pub const MAX_EXPR_DEPTH: usize = 100;
/// Most operands in one chain of `+ - * /`, and most `not`s in a row.
const MAX_CHAIN: usize = 64;
/// Most syntax-tree levels the recursive builder descends (about 8 per bracket level).
const MAX_PAIR_DEPTH: usize = 400;
/// pest parser steps allowed: a fixed part plus a part per byte of input. The shipped rules
/// need 2 to 3 steps per byte; the budget leaves a wide margin.
const CALLS_BASE: usize = 1_000_000;
const CALLS_PER_BYTE: usize = 200;

thread_local! {
    /// How deep `expr` has recursed on this thread.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Runs the pest parser with a step budget proportional to the input. The budget is a
/// process-wide pest setting read when the parse starts, so it is set under a lock.
fn parse_bounded(start: Rule, src: &str) -> Result<Pairs<'_, Rule>, Box<pest::error::Error<Rule>>> {
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    pest::set_call_limit(NonZeroUsize::new(
        CALLS_BASE.saturating_add(src.len().saturating_mul(CALLS_PER_BYTE)),
    ));
    let res = Grammar::parse(start, src).map_err(Box::new);
    pest::set_call_limit(None);
    res
}

/// Finds the first bracket opened deeper than [`MAX_BRACKETS`], outside comments and text.
fn check_brackets(src: &str) -> Result<(), RuleError> {
    let b = src.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' if b[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < b.len() && !b[i..].starts_with(b"\"\"\"") {
                    i += 1;
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < b.len() && !matches!(b[i], b'"' | b'\n') {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' | b'[' => {
                depth += 1;
                if depth > MAX_BRACKETS {
                    return Err(RuleError::new(
                        format!("brackets are nested more than {MAX_BRACKETS} deep here"),
                        Span::new(i, i + 1),
                    )
                    .with_help("Split the condition into named parts with `let`."));
                }
            }
            b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Stack for building the syntax tree. The builder recurses once per level of the grammar, and
/// an unoptimised build spends tens of KB per level, more than a 2 MB test or worker thread has
/// for a legitimately nested rule; so the tree is built on a thread of its own.
const BUILD_STACK: usize = 64 * 1024 * 1024;

/// Parses a whole rule file. `file` is the index of the file in the rule set.
pub fn parse_file(src: &str, file: usize) -> Result<Vec<super::ast::Rule>, Vec<RuleError>> {
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("s75lint-rules".into())
            .stack_size(BUILD_STACK)
            .spawn_scoped(scope, || parse_file_here(src, file))
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: build here, within the same limits.
            Err(_) => parse_file_here(src, file),
        }
    })
}

fn parse_file_here(src: &str, file: usize) -> Result<Vec<super::ast::Rule>, Vec<RuleError>> {
    check_brackets(src).map_err(|e| vec![e])?;
    let pairs = parse_bounded(Rule::file, src).map_err(|e| vec![syntax_error(src, *e)])?;
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for p in pairs.flatten().filter(|p| p.as_rule() == Rule::rule) {
        match rule(p, src, file) {
            Ok(r) => rules.push(r),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(rules)
    } else {
        Err(errors)
    }
}

/// Parses one expression on its own (message template holes). `offset` is where the text
/// starts in the rule file, so spans stay file-relative.
pub fn parse_expr_at(text: &str, offset: usize) -> Result<Expr, RuleError> {
    // The file's bracket check skips text in quotes, so holes get their own: without it, how
    // deep pest could go here depended on the stack the build gave its frames.
    check_brackets(text).map_err(|mut e| {
        e.span = Span::new(e.span.start + offset, e.span.end + offset);
        e
    })?;
    let mut pairs = parse_bounded(Rule::expr_only, text).map_err(|e| {
        let mut err = syntax_error(text, *e);
        err.span = Span::new(err.span.start + offset, err.span.end + offset);
        err
    })?;
    let p = pairs
        .next()
        .and_then(|p| p.into_inner().find(not_kw))
        .ok_or_else(|| RuleError::new("empty expression", Span::new(offset, offset)))?;
    let mut e = expr(p)?;
    shift(&mut e, offset);
    Ok(e)
}

fn shift(e: &mut Expr, by: usize) {
    e.span = Span::new(e.span.start + by, e.span.end + by);
    let sh = |x: &mut Box<Expr>| shift(x, by);
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
        | ExprKind::Keys(a) => sh(a),
        ExprKind::Matches(a, _, _) | ExprKind::Unreadable(a) | ExprKind::Placeholder(a) => sh(a),
        ExprKind::Contains(a, b)
        | ExprKind::In(a, b, _)
        | ExprKind::Compare(_, a, b)
        | ExprKind::Arith(_, a, b) => {
            sh(a);
            sh(b)
        }
        ExprKind::Lit(_) => {}
        ExprKind::Path(p, idx) => {
            for (_, s) in &mut p.segs {
                *s = Span::new(s.start + by, s.end + by);
            }
            if let Some(i) = idx {
                sh(i)
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
                sh(p)
            }
            if let Some(v) = var {
                v.span = Span::new(v.span.start + by, v.span.end + by);
            }
            sh(coll);
            if let Some(f) = filter {
                sh(f)
            }
        }
        ExprKind::Quant {
            var, coll, cond, ..
        }
        | ExprKind::First { var, coll, cond } => {
            var.span = Span::new(var.span.start + by, var.span.end + by);
            sh(coll);
            sh(cond)
        }
    }
}

fn syntax_error(src: &str, e: pest::error::Error<Rule>) -> RuleError {
    use pest::error::{ErrorVariant, InputLocation};
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let end = src[pos.min(src.len())..]
        .chars()
        .next()
        .map_or(pos, |c| pos + c.len_utf8());
    let what = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<String> = positives
                .iter()
                .filter_map(|r| describe(*r))
                .map(str::to_string)
                .collect();
            names.sort();
            names.dedup();
            if names.is_empty() {
                "this is not understood here".to_string()
            } else {
                format!("expected {}", join_or(&names))
            }
        }
        ErrorVariant::CustomError { message } if message == "call limit reached" => {
            "this is too complex to read: the parser gave up here".to_string()
        }
        ErrorVariant::CustomError { message } if message == "stack limit reached" => {
            "this is nested too deeply to read".to_string()
        }
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let found = match src.get(pos..).and_then(|s| s.split_whitespace().next()) {
        Some(w) => format!(", found `{}`", w.chars().take(30).collect::<String>()),
        None => ", found the end of the file".to_string(),
    };
    let mut err = RuleError::new(format!("{what}{found}"), Span::new(pos, end));
    if src[..pos.min(src.len())].matches("\"\"\"").count() % 2 == 1 {
        err.help = Some("a `\"\"\"` text block is not closed".into());
    } else if src.get(pos..).is_some_and(|s| s.starts_with('"'))
        && !src[pos + 1..].lines().next().unwrap_or("").contains('"')
    {
        err.help = Some("this text is not closed with `\"` on the same line".into());
    }
    err
}

fn join_or(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn describe(r: Rule) -> Option<&'static str> {
    Some(match r {
        Rule::rule => "`rule`",
        Rule::rule_id => "a rule id",
        Rule::string => "text in double quotes",
        Rule::long_string => "a `\"\"\"` text block",
        Rule::severity => "`severity`",
        Rule::level => "`error`, `warning` or `info`",
        Rule::statement | Rule::for_each | Rule::let_stmt | Rule::require => {
            "a statement (`for each`, `let`, `require`)"
        }
        Rule::expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::predicate
        | Rule::sum
        | Rule::product
        | Rule::unary => "a value or condition",
        Rule::ident => "a name",
        Rule::path | Rule::index_path => "a field such as `pool.host`",
        Rule::word => "a word",
        Rule::cmp_op => "a comparison",
        Rule::EOI => "the end of the file",
        Rule::at_clause => "`at`",
        Rule::also => "`, also`",
        _ => return None,
    })
}

fn unquote(p: &P) -> String {
    // string = "\"" body "\""; long_string likewise with triple quotes.
    let body = p
        .clone()
        .into_inner()
        .find(not_kw)
        .map(|b| b.as_str())
        .unwrap_or("");
    match p.as_rule() {
        Rule::long_string => dedent(body),
        _ => unescape(body),
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            // Only quotes and backslashes are escaped; anything else keeps its backslash so
            // regular expressions such as `\b` read as written.
            match chars.next() {
                Some(o @ ('"' | '\\')) => out.push(o),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Removes the common indentation of a `"""` block and its blank first and last lines.
pub fn dedent(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = lines
        .iter()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect();
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.iter()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

fn column(src: &str, pos: usize) -> usize {
    let line_start = src[..pos].rfind('\n').map_or(0, |i| i + 1);
    src[line_start..pos].chars().count()
}

fn rule(p: P, src: &str, file: usize) -> Result<super::ast::Rule, Vec<RuleError>> {
    let rspan = span(&p);
    let mut it = p.into_inner().filter(not_kw);
    let (Some(idp), Some(titlep)) = (it.next(), it.next()) else {
        return Err(vec![RuleError::new(
            "a rule needs an id and a title",
            rspan,
        )]);
    };
    let mut r = super::ast::Rule {
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
                Rule::severity => {
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
                Rule::applies_to => {
                    let mut inner = item.into_inner().filter(not_kw);
                    let pathp = inner
                        .next()
                        .ok_or_else(|| RuleError::new("missing field", ispan))?;
                    let path_e = path_expr(pathp)?;
                    let words: Vec<P> = inner.collect();
                    r.applies_text.push(format!(
                        "{}: {}",
                        path_e_text(&path_e),
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
                        kind: ExprKind::In(
                            Box::new(path_e),
                            Box::new(Expr {
                                kind: ExprKind::List(list),
                                span: ispan,
                            }),
                            false,
                        ),
                        span: ispan,
                    };
                    r.applies.push(e);
                }
                Rule::applies_when => {
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
                Rule::cite => {
                    if let Some(s) = item.into_inner().find(not_kw) {
                        citations.push(unquote(&s));
                    }
                }
                Rule::help => r.help = item.into_inner().find(not_kw).map(|s| unquote(&s).into()),
                Rule::why => r.why = item.into_inner().find(not_kw).map(|s| unquote(&s)),
                Rule::example => {
                    let mut inner = item.into_inner().filter(not_kw);
                    let (Some(n), Some(k)) = (inner.next(), inner.next()) else {
                        return Err(RuleError::new(
                            "an example needs a name, `passes` or `fails`, and a text block",
                            ispan,
                        ));
                    };
                    let mut base = None;
                    let mut body = inner.next();
                    if let Some(w) = body.clone().filter(|b| b.as_rule() == Rule::word) {
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
                Rule::statement => {
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

fn path_e_text(e: &Expr) -> String {
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

fn ident(p: P) -> Ident {
    Ident {
        name: p.as_str().to_string(),
        span: span(&p),
        slot: 0,
    }
}

fn next<'a>(it: &mut impl Iterator<Item = P<'a>>, at: Span) -> Result<P<'a>, RuleError> {
    it.next()
        .ok_or_else(|| RuleError::new("incomplete statement", at))
}

fn statement(p: P) -> Result<Stmt, RuleError> {
    let sp = span(&p);
    let kind = p.as_rule();
    let mut it = p.into_inner().filter(not_kw);
    match kind {
        Rule::for_each => {
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
        Rule::if_stmt => Ok(Stmt::If {
            cond: expr(next(&mut it, sp)?)?,
            body: Vec::new(),
        }),
        Rule::let_stmt => {
            let var = ident(next(&mut it, sp)?);
            let value = expr(next(&mut it, sp)?)?;
            Ok(Stmt::Let { var, value })
        }
        Rule::require => {
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
                    let pe = path_expr(next(&mut x, sp)?)?;
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

/// Splits `"pool {pool.id} has no host"` into text and expression holes; `{{` and `}}` are
/// literal braces.
fn template(p: &P) -> Result<Template, RuleError> {
    let body = p.clone().into_inner().find(not_kw);
    let (raw, base) = match &body {
        Some(b) => (b.as_str(), b.as_span().start()),
        None => ("", span(p).start + 1),
    };
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    let bytes = raw.as_bytes();
    while i < raw.len() {
        let c = bytes[i];
        if c == b'{' && bytes.get(i + 1) == Some(&b'{') {
            text.push('{');
            i += 2;
        } else if c == b'}' && bytes.get(i + 1) == Some(&b'}') {
            text.push('}');
            i += 2;
        } else if c == b'{' {
            let close = raw[i..].find('}').map(|j| i + j).ok_or_else(|| {
                RuleError::new(
                    "this `{` is not closed with `}`",
                    Span::new(base + i, base + i + 1),
                )
                .with_help("Write `{{` for a literal brace.")
            })?;
            if !text.is_empty() {
                parts.push(Part::Text(unescape(&std::mem::take(&mut text))));
            }
            let inner = &raw[i + 1..close];
            let lead = inner.len() - inner.trim_start().len();
            parts.push(Part::Expr(parse_expr_at(
                inner.trim(),
                base + i + 1 + lead,
            )?));
            i = close + 1;
        } else {
            let ch = raw[i..].chars().next().unwrap_or(' ');
            text.push(ch);
            i += ch.len_utf8();
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(unescape(&text)));
    }
    Ok(Template { parts })
}

fn path_expr(p: P) -> Result<Expr, RuleError> {
    let sp = span(&p);
    match p.as_rule() {
        Rule::path => {
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
                    },
                    None,
                ),
                span: sp,
            })
        }
        Rule::index_path => {
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
fn expr(p: P) -> Result<Expr, RuleError> {
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
            ExprKind::Contains(a, b)
            | ExprKind::In(a, b, _)
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

fn expr_tree(p: P) -> Result<Expr, RuleError> {
    let sp = span(&p);
    let prule = p.as_rule();
    let mk = |kind| Ok(Expr { kind, span: sp });
    match prule {
        Rule::expr | Rule::and_expr => {
            let mut items = p
                .into_inner()
                .filter(not_kw)
                .map(expr)
                .collect::<Result<Vec<_>, _>>()?;
            if items.len() == 1 {
                return Ok(items.remove(0));
            }
            mk(if prule == Rule::expr {
                ExprKind::Or(items)
            } else {
                ExprKind::And(items)
            })
        }
        Rule::not_expr => {
            let inner: Vec<P> = p.into_inner().filter(not_kw).collect();
            let nots = inner.iter().filter(|x| x.as_rule() == Rule::not_kw).count();
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
                e = Expr {
                    kind: ExprKind::Not(boxed(e)),
                    span: sp,
                };
            }
            Ok(e)
        }
        Rule::predicate => {
            let mut it = p.into_inner().filter(not_kw);
            let lhs = expr(next(&mut it, sp)?)?;
            let Some(tail) = it.next() else {
                return Ok(lhs);
            };
            let tsp = span(&tail);
            let trule = tail.as_rule();
            let mut ti = tail.into_inner().filter(not_kw);
            let kind = match trule {
                Rule::is_present => ExprKind::Present(boxed(lhs)),
                Rule::is_absent => ExprKind::Absent(boxed(lhs)),
                Rule::is_not_present => ExprKind::Absent(boxed(lhs)),
                Rule::matches => {
                    let pat = next(&mut ti, tsp)?;
                    let re = regex_of(&pat)?;
                    let except = ti.next().map(|e| regex_of(&e)).transpose()?.map(Box::new);
                    ExprKind::Matches(boxed(lhs), Box::new(re), except)
                }
                Rule::is_unreadable => ExprKind::Unreadable(boxed(lhs)),
                Rule::is_placeholder => ExprKind::Placeholder(boxed(lhs)),
                Rule::is_not_placeholder => ExprKind::Not(boxed(Expr {
                    kind: ExprKind::Placeholder(boxed(lhs)),
                    span: sp,
                })),
                Rule::contains => ExprKind::Contains(boxed(lhs), boxed(expr(next(&mut ti, tsp)?)?)),
                Rule::in_ => ExprKind::In(boxed(lhs), boxed(expr(next(&mut ti, tsp)?)?), false),
                Rule::not_in => ExprKind::In(boxed(lhs), boxed(expr(next(&mut ti, tsp)?)?), true),
                Rule::compare => {
                    let op = next(&mut ti, tsp)?;
                    let rhs = expr(next(&mut ti, tsp)?)?;
                    let words: Vec<&str> = op.as_str().split_whitespace().collect();
                    let cmp = match words.join(" ").as_str() {
                        "=" | "is" => Cmp::Eq,
                        "!=" | "is not" => Cmp::Ne,
                        "<" | "before" | "less than" => Cmp::Lt,
                        "<=" | "on or before" | "at most" => Cmp::Le,
                        ">" | "after" | "more than" => Cmp::Gt,
                        _ => Cmp::Ge,
                    };
                    ExprKind::Compare(cmp, boxed(lhs), boxed(rhs))
                }
                _ => return Err(RuleError::new("unexpected condition", tsp)),
            };
            mk(kind)
        }
        Rule::sum | Rule::product => {
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
                acc = Expr {
                    kind: ExprKind::Arith(a, boxed(acc), boxed(rhs)),
                    span: s,
                };
            }
            Ok(acc)
        }
        Rule::unary => {
            let inner: Vec<P> = p.into_inner().filter(not_kw).collect();
            let neg = inner.iter().any(|x| x.as_rule() == Rule::neg);
            let last = inner
                .into_iter()
                .last()
                .ok_or_else(|| RuleError::new("missing value", sp))?;
            let e = expr(last)?;
            if neg {
                mk(ExprKind::Neg(boxed(e)))
            } else {
                Ok(e)
            }
        }
        Rule::paren => {
            let mut items = p
                .into_inner()
                .filter(not_kw)
                .map(expr)
                .collect::<Result<Vec<_>, _>>()?;
            match items.len() {
                0 => Err(RuleError::new("empty parentheses", sp)),
                1 => Ok(items.remove(0)),
                _ => mk(ExprKind::List(items)),
            }
        }
        Rule::list => mk(ExprKind::List(
            p.into_inner()
                .filter(not_kw)
                .map(expr)
                .collect::<Result<_, _>>()?,
        )),
        Rule::duration => {
            let mut it = p.into_inner().filter(not_kw);
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
            mk(ExprKind::Lit(Lit::Duration(n, unit)))
        }
        Rule::money => {
            let m = Money::parse(p.as_str()).ok_or_else(|| {
                RuleError::new(
                    "this amount is not understood; write it like £1,200,000 or £1.2m",
                    sp,
                )
            })?;
            mk(ExprKind::Lit(Lit::Money(m)))
        }
        Rule::percent => {
            let v: f64 = p
                .as_str()
                .trim_end_matches('%')
                .parse()
                .map_err(|_| RuleError::new("bad percent", sp))?;
            mk(ExprKind::Lit(Lit::Percent(v)))
        }
        Rule::date => {
            let d = Date::parse_iso(p.as_str())
                .ok_or_else(|| RuleError::new("this date does not exist", sp))?;
            mk(ExprKind::Lit(Lit::Date(d)))
        }
        Rule::number => {
            let v: f64 = p
                .as_str()
                .parse()
                .map_err(|_| RuleError::new("bad number", sp))?;
            mk(ExprKind::Lit(Lit::Number(v)))
        }
        Rule::string => mk(ExprKind::Lit(Lit::Text(unquote(&p)))),
        Rule::boolean => mk(ExprKind::Lit(Lit::Bool(p.as_str() == "true"))),
        Rule::aggregate => {
            let mut it = p.into_inner().filter(not_kw).peekable();
            let kind = match next(&mut it, sp)?.as_str() {
                "sum" => AggKind::Sum,
                "count" => AggKind::Count,
                "earliest" => AggKind::Earliest,
                _ => AggKind::Latest,
            };
            let body = next(&mut it, sp)?;
            let bsp = span(&body);
            match body.as_rule() {
                Rule::binding_filter => {
                    let mut bi = body.into_inner().filter(not_kw);
                    let var = ident(next(&mut bi, bsp)?);
                    let coll = expr(next(&mut bi, bsp)?)?;
                    let filter = expr(next(&mut bi, bsp)?)?;
                    mk(ExprKind::Agg {
                        kind,
                        project: None,
                        var: Some(var),
                        coll: boxed(coll),
                        filter: Some(boxed(filter)),
                        zero: Zero::Number,
                    })
                }
                _ if it
                    .peek()
                    .is_some_and(|c| c.as_rule() == Rule::comprehension) =>
                {
                    let project = expr(body)?;
                    let comp = next(&mut it, sp)?;
                    let mut bi = comp.into_inner().filter(not_kw);
                    let var = ident(next(&mut bi, bsp)?);
                    let coll = expr(next(&mut bi, bsp)?)?;
                    let filter = bi.next().map(expr).transpose()?.map(boxed);
                    mk(ExprKind::Agg {
                        kind,
                        project: Some(boxed(project)),
                        var: Some(var),
                        coll: boxed(coll),
                        filter,
                        zero: Zero::Number,
                    })
                }
                _ => mk(ExprKind::Agg {
                    kind,
                    project: None,
                    var: None,
                    coll: boxed(expr(body)?),
                    filter: None,
                    zero: Zero::Number,
                }),
            }
        }
        Rule::quantifier => {
            let mut it = p.into_inner().filter(not_kw);
            let kind = match next(&mut it, sp)?.as_str() {
                "any" => Quant::Any,
                "all" => Quant::All,
                _ => Quant::No,
            };
            let var = ident(next(&mut it, sp)?);
            let coll = expr(next(&mut it, sp)?)?;
            let cond = expr(next(&mut it, sp)?)?;
            mk(ExprKind::Quant {
                kind,
                var,
                coll: boxed(coll),
                cond: boxed(cond),
            })
        }
        Rule::first => {
            let mut it = p.into_inner().filter(not_kw);
            let var = ident(next(&mut it, sp)?);
            let coll = expr(next(&mut it, sp)?)?;
            let cond = expr(next(&mut it, sp)?)?;
            mk(ExprKind::First {
                var,
                coll: boxed(coll),
                cond: boxed(cond),
            })
        }
        Rule::keys_of => mk(ExprKind::Keys(boxed(expr(
            p.into_inner()
                .find(not_kw)
                .ok_or_else(|| RuleError::new("missing value", sp))?,
        )?))),
        Rule::call => {
            let mut it = p.into_inner().filter(not_kw);
            let name = next(&mut it, sp)?;
            let args = it.map(expr).collect::<Result<_, _>>()?;
            mk(ExprKind::Call {
                name: name.as_str().to_string(),
                name_span: span(&name),
                args,
            })
        }
        Rule::index_path | Rule::path => path_expr(p),
        _ => Err(RuleError::new(format!("unexpected {:?}", prule), sp)),
    }
}

/// Keywords are atomic rules (so `rule` does not match the start of `rules`), and so appear
/// as pairs; the tree builder skips them.
fn not_kw(p: &P) -> bool {
    !matches!(
        p.as_rule(),
        Rule::kw_rule
            | Rule::kw_end
            | Rule::kw_severity
            | Rule::kw_when
            | Rule::kw_applies
            | Rule::kw_to
            | Rule::kw_cite
            | Rule::kw_help
            | Rule::kw_why
            | Rule::kw_example
            | Rule::kw_using
            | Rule::kw_for
            | Rule::kw_each
            | Rule::kw_in
            | Rule::kw_where
            | Rule::kw_satisfy
            | Rule::kw_let
            | Rule::kw_require
            | Rule::kw_otherwise
            | Rule::kw_at
            | Rule::kw_also
            | Rule::kw_or
            | Rule::kw_and
            | Rule::kw_not
            | Rule::kw_is
            | Rule::kw_present
            | Rule::kw_absent
            | Rule::kw_missing
            | Rule::kw_matches
            | Rule::kw_contains
            | Rule::kw_first
            | Rule::kw_keys
            | Rule::kw_of
            | Rule::kw_if
            | Rule::kw_except
            | Rule::kw_unreadable
            | Rule::kw_placeholder
            | Rule::kw_a
    )
}

fn regex_of(p: &P) -> Result<Pattern, RuleError> {
    Pattern::new(&unquote(p)).map_err(|e| {
        RuleError::new(
            format!("this pattern is not a valid regular expression: {e}"),
            span(p),
        )
    })
}
