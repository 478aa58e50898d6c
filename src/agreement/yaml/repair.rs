//! Span repair: saphyr's spans are not always the text as written (quoted scalars swallow a
//! trailing comment, block scalars start at their content and run into the following lines, a
//! flow mapping with a trailing comma leaves out its `}`, indentless sequences start after their
//! first `-`, nodes with an anchor or tag start at the property). These scans of the source text
//! find where a node is really written.

use super::Span;

/// The source text, scanned to repair spans. Every scan looks for ASCII indicators only, so it
/// cannot stop inside a character.
#[derive(Clone, Copy)]
pub(super) struct Source<'a> {
    /// The text.
    pub(super) src: &'a str,
    /// The same text as bytes.
    pub(super) bytes: &'a [u8],
}

impl<'a> Source<'a> {
    pub(super) fn new(src: &'a str) -> Source<'a> {
        Source {
            src,
            bytes: src.as_bytes(),
        }
    }

    /// The character at `at` (empty at the end of the source).
    pub(super) fn one_char(&self, at: usize) -> Span {
        let at = at.min(self.src.len());
        let len = self
            .src
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8);
        Span::new(at, at + len)
    }

    /// Span of a block scalar from its `|`/`>` header to its last non-blank content character.
    /// `prev_end` is where the previous event ended: the header lies between it and `start`.
    pub(super) fn block_scalar_span(
        &self,
        start: usize,
        raw_end: usize,
        has_props: bool,
        value: &str,
        prev_end: usize,
    ) -> (usize, usize) {
        let at_indicator = matches!(self.bytes.get(start), Some(b'|' | b'>'));
        let no_content = value.trim().is_empty();
        // saphyr starts the span at the content; only an empty scalar ending the file (or one
        // with properties, which start the span) starts at the header.
        let header = if at_indicator && (has_props || no_content) {
            Some(start)
        } else {
            self.find_forward(prev_end, start, |b| b == b'|' || b == b'>')
        };
        let Some(header) = header else {
            // No header found: fall back to the content as saphyr reports it.
            return (start, self.trim_end(start, raw_end));
        };
        let mut header_end = header + 1;
        while header_end < header + 3
            && matches!(self.bytes.get(header_end), Some(b'+' | b'-' | b'1'..=b'9'))
        {
            header_end += 1;
        }
        let header_end = header_end.min(self.src.len());
        let end = self.trim_end(header_end, raw_end.max(header_end));
        let content_on_later_line = self
            .bytes
            .get(header_end..end)
            .is_some_and(|between| between.contains(&b'\n') || between.contains(&b'\r'));
        // Without content the trimmed end would land in a header comment.
        if content_on_later_line {
            (header, end)
        } else {
            (header, header_end)
        }
    }

    /// Back `end` up over trailing whitespace, never before `floor`.
    fn trim_end(&self, floor: usize, end: usize) -> usize {
        let mut end = end.min(self.src.len());
        while end > floor && matches!(self.bytes.get(end - 1), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            end -= 1;
        }
        end
    }

    /// One past the quote closing the quoted scalar that opens at `start`.
    pub(super) fn closing_quote(&self, start: usize, double: bool) -> Option<usize> {
        let quote = if double { b'"' } else { b'\'' };
        if self.bytes.get(start) != Some(&quote) {
            return None;
        }
        // Quotes and backslashes are ASCII, so a byte scan cannot stop inside a character.
        let mut i = start + 1;
        while let Some(&b) = self.bytes.get(i) {
            if double && b == b'\\' {
                i += 2;
            } else if b == quote {
                if !double && self.bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                } else {
                    return Some(i + 1);
                }
            } else {
                i += 1;
            }
        }
        None
    }

    /// Past the anchor and tag properties at `pos` and the whitespace and comments after them.
    pub(super) fn skip_props(&self, mut pos: usize, limit: usize) -> usize {
        let limit = limit.min(self.src.len());
        while pos < limit {
            match self.bytes.get(pos) {
                Some(b'!') if self.bytes.get(pos + 1) == Some(&b'<') => {
                    while pos < limit && self.bytes.get(pos) != Some(&b'>') {
                        pos += 1;
                    }
                    pos += 1;
                }
                Some(b'&' | b'!') => {
                    while pos < limit
                        && !matches!(
                            self.bytes.get(pos),
                            None | Some(
                                b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
                            )
                        )
                    {
                        pos += 1;
                    }
                }
                _ => break,
            }
            pos = self.skip_blank_and_comments(pos.min(limit), limit);
        }
        pos.min(limit)
    }

    fn skip_blank_and_comments(&self, mut pos: usize, limit: usize) -> usize {
        while pos < limit {
            match self.bytes.get(pos) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => pos += 1,
                Some(b'#') => {
                    while pos < limit && !matches!(self.bytes.get(pos), None | Some(b'\n' | b'\r'))
                    {
                        pos += 1;
                    }
                }
                _ => break,
            }
        }
        pos
    }

    /// First byte in `from..to` outside comments that satisfies `want`.
    pub(super) fn find_forward(
        &self,
        from: usize,
        to: usize,
        want: impl Fn(u8) -> bool,
    ) -> Option<usize> {
        let to = to.min(self.src.len());
        let mut i = from;
        while i < to {
            let b = *self.bytes.get(i)?;
            let after_blank =
                i == from || matches!(self.bytes.get(i - 1), Some(b' ' | b'\t' | b'\r' | b'\n'));
            if b == b'#' && after_blank {
                while i < to && !matches!(self.bytes.get(i), None | Some(b'\n' | b'\r')) {
                    i += 1;
                }
                continue;
            }
            if want(b) {
                return Some(i);
            }
            i += 1;
        }
        None
    }

    /// One past the closing bracket. saphyr's end event can run on over a trailing comment, or
    /// stop short of the bracket after a trailing comma.
    pub(super) fn closer_end(&self, raw_start: usize, raw_end: usize, closer: u8) -> usize {
        let mut at = raw_start;
        let mut commas = 0;
        loop {
            at = self.skip_blank_and_comments(at, self.src.len());
            match self.bytes.get(at) {
                Some(&b) if b == closer => return at + 1,
                Some(b',') if commas == 0 => {
                    commas += 1;
                    at += 1;
                }
                _ => return raw_end,
            }
        }
    }
}
