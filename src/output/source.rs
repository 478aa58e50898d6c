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
pub(crate) struct Windowed {
    text: Arc<String>,
    lines: Arc<LineIndex>,
}

impl Windowed {
    /// Indexes a text's lines once, for all the findings in it.
    pub(crate) fn new(text: Arc<String>) -> Windowed {
        let lines = Arc::new(LineIndex::new(&text));
        Windowed { text, lines }
    }

    /// The text.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// 1-based line and column of a byte offset, from the index (no scan from the top).
    pub(crate) fn line_col(&self, byte: usize) -> (usize, usize) {
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

/// Longest stretch of one line drawn in a snippet, in characters. Longer lines (a minified
/// agreement is one line) are cut to a window around the finding, marked with `…`: miette
/// cannot draw a mark past column 65,535, and a snippet should not print a whole file.
pub(crate) const MAX_DRAWN_CHARS: usize = 400;

/// Characters kept before the start of the finding on its line when the line is cut.
const LEAD: usize = 100;

/// A snippet's lines made safe to draw: long lines cut to a window around the finding and
/// control characters shown as `\u{..}` escapes. Spans of the original text are moved onto
/// it with [`Clipped::map`]; lines and columns read from it are those of the original.
#[derive(Debug, Clone)]
pub(crate) struct Clipped {
    text: String,
    name: Option<String>,
    /// Lines of the original text above the first line held.
    first_line: usize,
    /// For each character kept, and each line's end: its offset in the original text, its
    /// offset in `text`, and its byte column in its original line.
    points: Vec<(usize, usize, usize)>,
    /// For each line held: its offset in the original text, and the characters before the
    /// first one kept.
    lines: Vec<(usize, usize)>,
}

/// True for characters that would act on a terminal rather than be shown.
pub(crate) fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

impl Clipped {
    /// Builds the safe copy of `data`, whole lines of a text starting at `base` on line
    /// `first_line` (0-based), with the cut placed around `anchor` (an offset in the original
    /// text). None when every line is short and clean, so nothing needs changing.
    pub(crate) fn new(
        data: &[u8],
        base: usize,
        first_line: usize,
        name: Option<String>,
        anchor: usize,
    ) -> Option<Clipped> {
        let data = std::str::from_utf8(data).ok()?;
        let long = data.split(['\n', '\r']).any(|l| l.len() > MAX_DRAWN_CHARS);
        if !long && !data.chars().any(|c| c != '\r' && needs_escape(c)) {
            return None;
        }
        let b = data.as_bytes();
        let mut text = String::with_capacity(data.len().min(4 * MAX_DRAWN_CHARS * 4));
        let mut points = Vec::new();
        let mut lines = Vec::new();
        let mut ls = 0;
        while ls <= b.len() {
            let le = memchr::memchr2(b'\n', b'\r', &b[ls..]).map_or(b.len(), |i| ls + i);
            let line = &data[ls..le];
            let (ks, ke) = if line.len() <= MAX_DRAWN_CHARS {
                (0, line.len())
            } else {
                let at = if (base + ls..=base + le).contains(&anchor) {
                    anchor - base - ls
                } else {
                    0
                };
                let mut ks = at.min(line.len());
                while !line.is_char_boundary(ks) {
                    ks -= 1;
                }
                ks = line[..ks]
                    .char_indices()
                    .rev()
                    .take(LEAD)
                    .last()
                    .map_or(ks, |(i, _)| i);
                let ke = line[ks..]
                    .char_indices()
                    .nth(MAX_DRAWN_CHARS)
                    .map_or(line.len(), |(i, _)| ks + i);
                (ks, ke)
            };
            lines.push((base + ls, line[..ks].chars().count()));
            if ks > 0 {
                text.push('…');
            }
            for (i, c) in line[ks..ke].char_indices() {
                points.push((base + ls + ks + i, text.len(), ks + i));
                if needs_escape(c) {
                    text.push_str(&format!("\\u{{{:x}}}", c as u32));
                } else {
                    text.push(c);
                }
            }
            if ke < line.len() {
                text.push('…');
            }
            points.push((base + le, text.len(), line.len()));
            if le >= b.len() {
                break;
            }
            text.push('\n');
            ls = if b[le] == b'\r' && b.get(le + 1) == Some(&b'\n') {
                le + 2
            } else {
                le + 1
            };
            if ls == b.len() {
                break;
            }
        }
        Some(Clipped {
            text,
            name,
            first_line,
            points,
            lines,
        })
    }

    /// The 1-based line and column (in characters) of an offset of the original text held
    /// here, for saying where a mark is when its line was cut.
    pub(crate) fn place(&self, orig: usize) -> Option<(usize, usize)> {
        let i = self.lines.partition_point(|l| l.0 <= orig).checked_sub(1)?;
        let (start, before) = self.lines[i];
        let kept = self
            .points
            .iter()
            .filter(|p| p.0 >= start && p.0 < orig)
            .count();
        Some((self.first_line + i + 1, before + kept + 1))
    }

    /// Where an offset of the original text is in the safe copy: at the first character kept at
    /// or after it (a cut part maps to the end of its line's window). None outside the copy.
    pub(crate) fn map(&self, orig: usize) -> Option<usize> {
        let first = self.points.first()?.0;
        let last = self.points.last()?.0;
        if orig < first || orig > last {
            return None;
        }
        let i = self.points.partition_point(|p| p.0 < orig);
        self.points.get(i).map(|p| p.1)
    }

    /// The drawn text.
    #[cfg(test)]
    pub(crate) fn text(&self) -> &str {
        &self.text
    }
}

impl SourceCode for Clipped {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_bytes()
                .read_span(span, context_lines_before, context_lines_after)?;
        // With no context, the column is the span's own: report the original line's.
        let column = if context_lines_before == 0 {
            let i = self.points.partition_point(|p| p.1 < span.offset());
            self.points.get(i).map_or(inner.column(), |p| p.2)
        } else {
            inner.column()
        };
        let line = inner.line() + self.first_line;
        let count = inner.line_count() + self.first_line;
        Ok(Box::new(match &self.name {
            Some(n) => MietteSpanContents::new_named(
                n.clone(),
                inner.data(),
                *inner.span(),
                line,
                column,
                count,
            ),
            None => MietteSpanContents::new(inner.data(), *inner.span(), line, column, count),
        }))
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
    fn long_lines_are_cut_around_the_anchor_and_control_characters_escaped() {
        let line = format!("id: {}\u{1b}[2J{}", "x".repeat(70_000), "y".repeat(500));
        let text = format!("s75lint: 1\n{line}\nend: 1\n");
        let anchor = 11 + 4 + 70_000;
        let c = Clipped::new(text.as_bytes(), 0, 0, None, anchor).unwrap();
        assert!(c.text().len() < 1_000, "{}", c.text().len());
        assert!(c.text().contains("\\u{1b}[2J"), "{}", c.text());
        assert!(c.text().starts_with("s75lint: 1\n…"), "{}", &c.text()[..40]);
        let at = c.map(anchor).unwrap();
        assert_eq!(&c.text()[at..at + 7], "\\u{1b}[");
        let r = c.read_span(&SourceSpan::new(at.into(), 1), 0, 0).unwrap();
        assert_eq!((r.line(), r.column()), (1, 70_004));
        assert!(Clipped::new(b"a: 1\nb: 2\n", 0, 0, None, 0).is_none());
    }

    #[test]
    fn spans_past_the_end_are_refused_as_miette_refuses_them() {
        let w = Windowed::new(Arc::new("a: 1\n".to_string()));
        assert!(w.read_span(&SourceSpan::new(3.into(), 10), 1, 1).is_err());
    }
}
