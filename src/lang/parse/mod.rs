//! From rule-file text to syntax tree. The stages, one file each (as cedar's parser splits
//! `text_to_cst`, `cst_to_ast` and `err`):
//!
//! - `grammar`: the pest binding: `grammar/rules.pest`, run within a step budget after a
//!   bracket-depth check;
//! - `rule`: a rule's metadata and statements, nested under `for each` / `if` by indentation;
//! - `expr`: expressions, one builder per form of the grammar;
//! - `text`: quoted text, `"""` blocks and message templates with `{expr}` holes;
//! - `err`: pest's syntax errors as messages in the rule writer's words.

mod err;
mod expr;
mod grammar;
mod rule;
mod text;

use super::ast::{Expr, Rule};
use super::RuleError;
use crate::span::Span;
use err::syntax_error;
use grammar::{check_brackets, not_kw, parse_bounded, Token};

// Limits that keep hostile rule files from exhausting the stack or the clock. pest's parser
// and the tree builders are recursive, so depth is bounded before anything else runs (and
// `grammar` bounds the number of parser steps).

/// Most brackets `(` / `[` open at once. Checked before parsing, with the place.
pub const MAX_BRACKETS: usize = 32;
/// Most `for each` / `if` blocks nested inside one another.
pub const MAX_BLOCKS: usize = 32;
/// Most levels an expression may have once built (operators, `not`s and nesting together).
pub const MAX_EXPR_DEPTH: usize = 100;

/// Stack for building the syntax tree. The builder recurses once per level of the grammar, and
/// an unoptimised build spends tens of KB per level, more than a 2 MB test or worker thread has
/// for a legitimately nested rule; so the tree is built on a thread of its own.
const BUILD_STACK: usize = 64 * 1024 * 1024;

/// Parses a whole rule file. `file` is the index of the file in the rule set.
pub fn parse_file(src: &str, file: usize) -> Result<Vec<Rule>, Vec<RuleError>> {
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

fn parse_file_here(src: &str, file: usize) -> Result<Vec<Rule>, Vec<RuleError>> {
    check_brackets(src).map_err(|e| vec![e])?;
    let pairs = parse_bounded(Token::file, src).map_err(|e| vec![syntax_error(src, *e)])?;
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for p in pairs.flatten().filter(|p| p.as_rule() == Token::rule) {
        match rule::rule(p, src, file) {
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
    let mut pairs = parse_bounded(Token::expr_only, text).map_err(|e| {
        let mut err = syntax_error(text, *e);
        err.span = Span::new(err.span.start + offset, err.span.end + offset);
        err
    })?;
    let p = pairs
        .next()
        .and_then(|p| p.into_inner().find(not_kw))
        .ok_or_else(|| RuleError::new("empty expression", Span::new(offset, offset)))?;
    let mut e = expr::expr(p)?;
    expr::shift(&mut e, offset);
    Ok(e)
}
