//! An agreement's text as miette reads it for snippets, without scanning the whole file for
//! every finding.
//!
//! miette's own `SourceCode` for text walks from the first byte to the span each time it draws a
//! snippet, so a file with many findings costs findings x file size. [`Windowed`] hands miette
//! only the lines around the span (a few more than the context it asks for) and shifts the
//! answer back: the same bytes, lines, columns and line count as a scan of the whole file.

use crate::position::LineIndex;
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::sync::Arc;

/// An agreement's text, read for snippets a window at a time. Cheap to clone: one per finding
/// shares the text and its line index.
#[derive(Debug, Clone)]
pub struct Windowed {
    text: Arc<String>,
    lines: Arc<LineIndex>,
}

impl Windowed {
    /// Indexes a text's lines once, for all the findings in it.
    pub fn new(text: Arc<String>) -> Windowed {
        let lines = Arc::new(LineIndex::new(&text));
        Windowed { text, lines }
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// 1-based line and column of a byte offset, from the index (no scan from the top).
    pub fn line_col(&self, byte: usize) -> (usize, usize) {
        self.lines.line_col(&self.text, byte)
    }
}

/// Start of the line `lines` line breaks above the one holding `at` (0 if there are fewer).
/// Only `\n` is taken as a break here; a lone `\r` merely widens the window, which is harmless.
fn window_start(b: &[u8], at: usize, lines: usize) -> usize {
    let mut seen = 0;
    let mut i = at.min(b.len());
    while i > 0 {
        if b[i - 1] == b'\n' {
            if seen == lines {
                return i;
            }
            seen += 1;
        }
        i -= 1;
    }
    0
}

/// One past the `lines`-th `\n` at or after `at` (the end of the text if there are fewer).
fn window_end(b: &[u8], at: usize, lines: usize) -> usize {
    let mut seen = 0;
    for (i, &c) in b.iter().enumerate().skip(at.min(b.len())) {
        if c == b'\n' {
            seen += 1;
            if seen == lines {
                return i + 1;
            }
        }
    }
    b.len()
}

impl SourceCode for Windowed {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let b = self.text.as_bytes();
        let (start, end) = (span.offset(), span.offset().saturating_add(span.len()));
        if end > b.len() {
            return b.read_span(span, context_lines_before, context_lines_after);
        }
        // Two lines of slack each side: the window always starts just after a `\n` and holds
        // every line miette's scan would look at before it stops.
        let ws = window_start(b, start, context_lines_before + 2);
        let we = window_end(b, end, context_lines_after + 2);
        let inner = b[ws..we].read_span(
            &SourceSpan::new((start - ws).into(), span.len()),
            context_lines_before,
            context_lines_after,
        )?;
        // `ws` starts a line (it follows a `\n`, or is 0).
        let above = self.lines.breaks_before(ws);
        let data = inner.data();
        let offset = inner.span().offset() + ws;
        Ok(Box::new(MietteSpanContents::new(
            data,
            SourceSpan::new(offset.into(), inner.span().len()),
            inner.line() + above,
            inner.column(),
            inner.line_count() + above,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every span of a text with LF, CRLF, lone CR, blank lines and multi-byte characters reads
    /// exactly as miette's whole-text scan reads it, for every amount of context.
    #[test]
    fn windowed_reads_match_the_whole_text_scan() {
        let text = "s75lint: 1\nid: A\r\npools:\n  - id: BCF\n\n    name: £1.2m pool\r\n    host: ~\rlone: cr\nend: 2026-03-31\n# last line, no newline";
        let w = Windowed::new(Arc::new(text.to_string()));
        let b = text.as_bytes();
        let mut checked = 0;
        for start in 0..=b.len() {
            for len in 0..=(b.len() - start).min(40) {
                for ctx in 0..4 {
                    let span = SourceSpan::new(start.into(), len);
                    let full = b.read_span(&span, ctx, ctx);
                    let ours = w.read_span(&span, ctx, ctx);
                    match (full, ours) {
                        (Ok(f), Ok(o)) => {
                            assert_eq!(f.data(), o.data(), "{start}+{len} ctx {ctx}");
                            assert_eq!(f.span(), o.span(), "{start}+{len} ctx {ctx}");
                            assert_eq!(f.line(), o.line(), "{start}+{len} ctx {ctx}");
                            assert_eq!(f.column(), o.column(), "{start}+{len} ctx {ctx}");
                            assert_eq!(f.line_count(), o.line_count(), "{start}+{len} ctx {ctx}");
                            checked += 1;
                        }
                        (Err(_), Err(_)) => {}
                        (f, o) => panic!(
                            "{start}+{len} ctx {ctx}: {:?} vs {:?}",
                            f.is_ok(),
                            o.is_ok()
                        ),
                    }
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn spans_past_the_end_are_refused_as_miette_refuses_them() {
        let w = Windowed::new(Arc::new("a: 1\n".to_string()));
        assert!(w.read_span(&SourceSpan::new(3.into(), 10), 1, 1).is_err());
    }
}
