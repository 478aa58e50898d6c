//! The pest binding: the grammar in `grammar/rules.pest`, the parser run within a step budget,
//! the bracket-depth check made before it, and small helpers for walking the pairs it gives.

use super::MAX_BRACKETS;
use crate::lang::RuleError;
use crate::span::Span;
use pest::iterators::Pairs;
use pest::Parser as _;
use std::num::NonZeroUsize;
use std::sync::Mutex;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rules.pest"]
struct Grammar;

/// The grammar's rules. pest names its generated enum `Rule`; it is called `Token` here so that
/// it is not mistaken for a rule of a rule file ([`crate::lang::ast::Rule`]).
pub(super) use self::Rule as Token;

/// A node of pest's syntax tree.
pub(super) type Pair<'a> = pest::iterators::Pair<'a, Token>;

/// A pair's span without the white space and comments pest may have consumed after it.
pub(super) fn span(p: &Pair) -> Span {
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

/// pest parser steps allowed: a fixed part plus a part per byte of input. The shipped rules
/// need 2 to 3 steps per byte; the budget leaves a wide margin.
// pest does not memoise, so the number of parser steps is bounded before anything else runs.
const CALLS_BASE: usize = 1_000_000;
const CALLS_PER_BYTE: usize = 200;

/// Runs the pest parser with a step budget proportional to the input. The budget is a
/// process-wide pest setting read when the parse starts, so it is set under a lock.
pub(super) fn parse_bounded(
    start: Token,
    src: &str,
) -> Result<Pairs<'_, Token>, Box<pest::error::Error<Token>>> {
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
pub(super) fn check_brackets(src: &str) -> Result<(), RuleError> {
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

/// The next pair, or an error at `at` when the statement stops short.
pub(super) fn next<'a>(
    it: &mut impl Iterator<Item = Pair<'a>>,
    at: Span,
) -> Result<Pair<'a>, RuleError> {
    it.next()
        .ok_or_else(|| RuleError::new("incomplete statement", at))
}

/// Keywords are atomic rules (so `rule` does not match the start of `rules`), and so appear
/// as pairs; the tree builder skips them.
pub(super) fn not_kw(p: &Pair) -> bool {
    !matches!(
        p.as_rule(),
        Token::kw_rule
            | Token::kw_end
            | Token::kw_severity
            | Token::kw_when
            | Token::kw_applies
            | Token::kw_to
            | Token::kw_cite
            | Token::kw_help
            | Token::kw_why
            | Token::kw_example
            | Token::kw_using
            | Token::kw_for
            | Token::kw_each
            | Token::kw_in
            | Token::kw_where
            | Token::kw_satisfy
            | Token::kw_let
            | Token::kw_require
            | Token::kw_otherwise
            | Token::kw_at
            | Token::kw_also
            | Token::kw_or
            | Token::kw_and
            | Token::kw_not
            | Token::kw_is
            | Token::kw_present
            | Token::kw_absent
            | Token::kw_missing
            | Token::kw_matches
            | Token::kw_contains
            | Token::kw_first
            | Token::kw_keys
            | Token::kw_of
            | Token::kw_if
            | Token::kw_except
            | Token::kw_unreadable
            | Token::kw_placeholder
            | Token::kw_a
    )
}
