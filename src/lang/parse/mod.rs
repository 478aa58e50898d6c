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
pub(crate) const MAX_BRACKETS: usize = 32;
/// Most `for each` / `if` blocks nested inside one another.
pub(crate) const MAX_BLOCKS: usize = 32;
/// Most levels an expression may have once built (operators, `not`s and nesting together).
pub(crate) const MAX_EXPR_DEPTH: usize = 100;

/// Stack for building the syntax tree. The builder recurses once per level of the grammar, and
/// an unoptimised build spends tens of KB per level, more than a 2 MB test or worker thread has
/// for a legitimately nested rule; so the tree is built on a thread of its own.
const BUILD_STACK: usize = 64 * 1024 * 1024;

/// Parses a whole rule file. `file` is the index of the file in the rule set.
pub(crate) fn parse_file(src: &str, file: usize) -> Result<Vec<Rule>, Vec<RuleError>> {
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
pub(crate) fn parse_expr_at(text: &str, offset: usize) -> Result<Expr, RuleError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::ast::{Cmp, ExprKind, Part, Stmt};

    /// A rule with `body` (statements indented by two) as its check.
    fn rule_with(body: &str) -> Result<Rule, Vec<RuleError>> {
        let src = format!("rule T-1 \"title\"\n  severity error\n  cite \"c\"\n{body}end\n");
        parse_file(&src, 0).map(|mut rules| rules.remove(0))
    }

    /// The messages of the errors parsing `body` gives.
    fn errors(body: &str) -> Vec<String> {
        match rule_with(body) {
            Ok(_) => Vec::new(),
            Err(errs) => errs.into_iter().map(|e| e.message).collect(),
        }
    }

    fn expr_of(text: &str) -> ExprKind {
        parse_expr_at(text, 0).expect("parses").kind
    }

    #[test]
    fn comparison_words_name_the_operators() {
        let cases = [
            ("a = b", Cmp::Eq),
            ("a is b", Cmp::Eq),
            ("a is not b", Cmp::Ne),
            ("a before b", Cmp::Lt),
            ("a less than b", Cmp::Lt),
            ("a on or before b", Cmp::Le),
            ("a at most b", Cmp::Le),
            ("a after b", Cmp::Gt),
            ("a more than b", Cmp::Gt),
            ("a on or after b", Cmp::Ge),
            ("a at least b", Cmp::Ge),
        ];
        for (text, want) in cases {
            match expr_of(text) {
                ExprKind::Compare(op, _, _) => assert_eq!(op, want, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn in_not_in_and_contains_keep_which_side_is_which() {
        let name = |e: &Expr| match &e.kind {
            ExprKind::Path(p, _) => p.segs[0].0.clone(),
            other => panic!("{other:?}"),
        };
        match expr_of("x not in y") {
            ExprKind::In {
                part,
                whole,
                negated,
            } => assert_eq!(
                (name(&part), name(&whole), negated),
                ("x".into(), "y".into(), true)
            ),
            other => panic!("{other:?}"),
        }
        match expr_of("x in y") {
            ExprKind::In { negated, .. } => assert!(!negated),
            other => panic!("{other:?}"),
        }
        match expr_of("y contains x") {
            ExprKind::Contains { whole, part } => {
                assert_eq!((name(&whole), name(&part)), ("y".into(), "x".into()))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_lone_expression_has_spans_in_the_file() {
        let e = parse_expr_at("pool.id", 100).expect("parses");
        assert_eq!(e.span, Span::new(100, 107));
        match e.kind {
            ExprKind::Path(p, None) => {
                let spans: Vec<Span> = p.segs.iter().map(|s| s.1).collect();
                assert_eq!(spans, [Span::new(100, 104), Span::new(105, 107)]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn message_templates_split_into_text_and_holes() {
        let src = "rule T-1 \"t\"\n  severity error\n  cite \"c\"\n  require false\n    otherwise \"pool {pool.id} has {{no}} host\"\nend\n";
        let rules = parse_file(src, 0).expect("parses");
        let Stmt::Require(r) = &rules[0].body[0] else {
            panic!("{:?}", rules[0].body)
        };
        match r.message.parts.as_slice() {
            [Part::Text(a), Part::Expr(e), Part::Text(b)] => {
                assert_eq!((a.as_str(), b.as_str()), ("pool ", " has {no} host"));
                assert_eq!(&src[e.span.start..e.span.end], "pool.id");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn statements_nest_under_for_each_by_indentation() {
        let r = rule_with(
            "  for each p in pools\n    let x = 1\n    require x = 1\n      otherwise \"m\"\n  require true\n    otherwise \"m\"\n",
        )
        .expect("parses");
        match r.body.as_slice() {
            [Stmt::ForEach { body, .. }, Stmt::Require(_)] => assert_eq!(body.len(), 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn indentation_mistakes_are_errors() {
        assert_eq!(
            errors("  let x = 1\n    require x = 1\n      otherwise \"m\"\n"),
            ["this line is indented more than the one above it, which is not a `for each` or `if`"]
        );
        assert_eq!(
            errors("  for each p in pools\n  require true\n    otherwise \"m\"\n"),
            ["nothing is indented under this line"]
        );
    }

    #[test]
    fn rules_without_a_require_severity_or_citation_are_errors() {
        let src = "rule T-1 \"t\"\n  let x = 1\nend\n";
        let msgs: Vec<String> = parse_file(src, 0)
            .expect_err("incomplete")
            .into_iter()
            .map(|e| e.message)
            .collect();
        assert_eq!(
            msgs,
            [
                "rule T-1 has no `severity` line",
                "rule T-1 cites no source",
                "rule T-1 has no `require` statement, so it can never find anything",
            ]
        );
    }

    #[test]
    fn syntax_errors_say_what_was_expected_and_found() {
        let err = parse_expr_at("a = ", 0).expect_err("incomplete");
        assert_eq!(
            err.message,
            "expected a value or condition, found the end of the file"
        );
        let src = "rule T-1 \"t\"\n  require x = \"open\nend\n";
        let err = &parse_file(src, 0).expect_err("unclosed")[0];
        assert_eq!(
            err.help.as_deref(),
            Some("this text is not closed with `\"` on the same line")
        );
    }

    #[test]
    fn limits_refuse_hostile_nesting_with_a_message() {
        let deep = format!(
            "{}x{}",
            "(".repeat(MAX_BRACKETS + 1),
            ")".repeat(MAX_BRACKETS + 1)
        );
        let err = parse_expr_at(&deep, 0).expect_err("too deep");
        assert_eq!(err.message, "brackets are nested more than 32 deep here");
        let nots = format!("{}x", "not ".repeat(65));
        let err = parse_expr_at(&nots, 0).expect_err("too many");
        assert_eq!(err.message, "more than 64 `not`s in a row");
    }
}
