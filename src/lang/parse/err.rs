//! pest's syntax errors, turned into messages in the rule writer's words: what was expected
//! (named as the reader knows it), what was found, and a hint for an unclosed quote.

use super::grammar::Token;
use crate::lang::RuleError;
use crate::span::Span;

/// A syntax error from pest as a rule-file error at the place it stopped.
pub(super) fn syntax_error(src: &str, e: pest::error::Error<Token>) -> RuleError {
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

/// What a grammar rule is called in a message, or `None` for one not worth naming.
fn describe(r: Token) -> Option<&'static str> {
    Some(match r {
        Token::rule => "`rule`",
        Token::rule_id => "a rule id",
        Token::string => "text in double quotes",
        Token::long_string => "a `\"\"\"` text block",
        Token::severity => "`severity`",
        Token::level => "`error`, `warning` or `info`",
        Token::statement | Token::for_each | Token::let_stmt | Token::require => {
            "a statement (`for each`, `let`, `require`)"
        }
        Token::expr
        | Token::and_expr
        | Token::not_expr
        | Token::predicate
        | Token::sum
        | Token::product
        | Token::unary => "a value or condition",
        Token::ident => "a name",
        Token::path | Token::index_path => "a field such as `pool.host`",
        Token::word => "a word",
        Token::cmp_op => "a comparison",
        Token::EOI => "the end of the file",
        Token::at_clause => "`at`",
        Token::also => "`, also`",
        _ => return None,
    })
}
