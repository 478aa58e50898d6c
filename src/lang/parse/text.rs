//! Text as written in a rule file: quoted text with its escapes, `"""` blocks with their
//! indentation, and message templates with `{expr}` holes.

use super::grammar::{not_kw, span, Pair, Token};
use crate::lang::ast::{Part, Template};
use crate::lang::RuleError;
use crate::span::Span;

/// The text of a quoted string (escapes read) or of a `"""` block (indentation removed).
pub(super) fn unquote(p: &Pair) -> String {
    // string = "\"" body "\""; long_string likewise with triple quotes.
    let body = p
        .clone()
        .into_inner()
        .find(not_kw)
        .map(|b| b.as_str())
        .unwrap_or("");
    match p.as_rule() {
        Token::long_string => dedent(body),
        _ => unescape(body),
    }
}

/// Reads the two escapes of quoted text, `\"` and `\\`.
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
pub(super) fn dedent(s: &str) -> String {
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

/// Splits `"pool {pool.id} has no host"` into text and expression holes; `{{` and `}}` are
/// literal braces.
pub(super) fn template(p: &Pair) -> Result<Template, RuleError> {
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
            parts.push(Part::Expr(super::parse_expr_at(
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
