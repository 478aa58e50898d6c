//! Positions as the editor counts them. LSP positions are a 0-based line and a column counted
//! in UTF-16 code units unless the client and server agree on UTF-8 bytes
//! (`positionEncoding`); findings carry byte spans. Lines are found through
//! [`crate::position::LineIndex`], so `\n`, `\r\n` and a lone `\r` end a line here as they do
//! for `check` (and as LSP says they do).

use crate::position::LineIndex;
use crate::span::Span;
use lsp_types::{Position, PositionEncodingKind, Range};

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-8 code units (bytes): what s75lint counts in, used when the client offers it.
    Utf8,
    /// UTF-16 code units: the LSP default, which every client supports.
    Utf16,
}

impl Encoding {
    /// The encoding to use given what the client offers: UTF-8 when offered, else UTF-16.
    pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        if offered.is_some_and(|o| o.contains(&PositionEncodingKind::UTF8)) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    /// The name the server announces in its capabilities.
    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    /// Code units of `s` in this encoding.
    fn units(self, s: &str) -> usize {
        match self {
            Encoding::Utf8 => s.len(),
            Encoding::Utf16 => s.encode_utf16().count(),
        }
    }
}

/// A text indexed for converting between byte offsets and LSP positions.
pub(crate) struct LineMap<'a> {
    src: &'a str,
    lines: LineIndex,
    enc: Encoding,
}

impl<'a> LineMap<'a> {
    /// Indexes `src` for positions in `enc`.
    pub(crate) fn new(src: &'a str, enc: Encoding) -> LineMap<'a> {
        LineMap {
            src,
            lines: LineIndex::new(src),
            enc,
        }
    }

    /// The LSP position of a byte offset (clamped to the text; inside a character, that
    /// character's start).
    pub(crate) fn position(&self, byte: usize) -> Position {
        let mut byte = byte.min(self.src.len());
        while byte > 0 && !self.src.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.lines.breaks_before(byte);
        let start = self.lines.line_start(line).unwrap_or(0).min(byte);
        let column = self.enc.units(self.src.get(start..byte).unwrap_or(""));
        Position::new(to_u32(line), to_u32(column))
    }

    /// The LSP range of a byte span.
    pub(crate) fn range(&self, span: Span) -> Range {
        Range::new(
            self.position(span.start),
            self.position(span.end.max(span.start)),
        )
    }

    /// The byte offset of an LSP position. A column past the end of its line means the end of
    /// the line, and a line past the end of the text the end of the text (as LSP asks); a
    /// column inside a character means that character's start.
    pub(crate) fn offset(&self, pos: Position) -> usize {
        let line = pos.line as usize;
        let Some(start) = self.lines.line_start(line) else {
            return self.src.len();
        };
        let next = self.lines.line_start(line + 1).unwrap_or(self.src.len());
        let text = self.src.get(start..next).unwrap_or("");
        let text = text.trim_end_matches(['\n', '\r']);
        let want = pos.character as usize;
        let mut units = 0;
        for (i, c) in text.char_indices() {
            if units >= want {
                return start + i;
            }
            units += match self.enc {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
            if units > want {
                // Inside this character.
                return start + i;
            }
        }
        start + text.len()
    }

    /// The byte span of an LSP range.
    pub(crate) fn span(&self, range: Range) -> Span {
        let start = self.offset(range.start);
        Span::new(start, self.offset(range.end).max(start))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        let only16 = [PositionEncodingKind::UTF16];
        assert_eq!(Encoding::negotiate(Some(&only16)), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }

    #[test]
    fn columns_count_code_units_of_the_negotiated_encoding() {
        // `£` is 2 bytes and 1 UTF-16 unit, `é` 2 and 1, the emoji 4 and 2.
        let src = "a: x\r\nname: \"Zoë £5 😀\" bad\nlast";
        let bad = src.find("bad").unwrap_or(0);
        let m16 = LineMap::new(src, Encoding::Utf16);
        let m8 = LineMap::new(src, Encoding::Utf8);
        assert_eq!(m16.position(bad), Position::new(1, 18));
        assert_eq!(m8.position(bad), Position::new(1, 22));
        assert_eq!(m16.offset(Position::new(1, 18)), bad);
        assert_eq!(m8.offset(Position::new(1, 22)), bad);
        // Inside the emoji (between its UTF-16 halves): its start.
        let emoji = src.find('😀').unwrap_or(0);
        assert_eq!(m16.offset(Position::new(1, 15)), emoji);
        // Past the end of a line: the end of that line, before its `\r\n`.
        assert_eq!(m16.offset(Position::new(0, 99)), 4);
        assert_eq!(m16.offset(Position::new(9, 0)), src.len());
        assert_eq!(m16.position(src.len()), Position::new(2, 4));
        // Every character start comes back (but the `\n` of a `\r\n`, which is not one).
        let starts = src.char_indices().map(|(i, _)| i);
        for byte in starts.filter(|&i| !src[..i].ends_with('\r')) {
            for m in [&m8, &m16] {
                assert_eq!(m.offset(m.position(byte)), byte, "{byte}");
            }
        }
    }
}
