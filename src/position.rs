//! Line and column of a byte offset: the one place they are worked out, for findings, snippets
//! and machine outputs alike. Lines are 1-based; columns are 1-based and count characters (as
//! editors do); `\n`, `\r\n` and a lone `\r` each end a line (a lone `\r` is a YAML line break).
//!
//! A leaf module (std, memchr and [`crate::span`] only), so the build script can compile it
//! alongside the rule language.

use crate::span::Span;

/// 1-based line and 1-based column (in characters) of a byte offset; offsets past the end clamp.
pub fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let mut byte = byte.min(src.len());
    // An offset inside a character counts as that character.
    while byte > 0 && !src.is_char_boundary(byte) {
        byte -= 1;
    }
    let before = src.get(..byte).unwrap_or("");
    let mut line = 1;
    let mut col = 1;
    for (i, c) in before.char_indices() {
        match c {
            '\n' => {
                line += 1;
                col = 1;
            }
            // A lone `\r` is a YAML line break too; in `\r\n` the `\n` does the counting (also
            // when `byte` is that `\n`: it still ends the line the `\r` is on).
            '\r' if src.as_bytes().get(i + 1) != Some(&b'\n') => {
                line += 1;
                col = 1;
            }
            _ => col += 1,
        }
    }
    (line, col)
}

/// Line starts of a text, for many [`line_col`] lookups: each costs O(log lines) instead of a
/// scan from the start of the file, so positions for N findings cost O(N log n) rather than
/// O(N * file size), even when the file is one long line. Gives exactly what [`line_col`] gives.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; the first is 0.
    starts: Vec<usize>,
    /// Characters before every `BLOCK`-th byte (counted as bytes that do not continue a
    /// character, which is right at any byte offset); made on the first column asked for, as
    /// drawing snippets needs only the line starts.
    chars: std::sync::OnceLock<Vec<usize>>,
}

impl LineIndex {
    const BLOCK: usize = 256;

    /// Indexes `src` (`\n`, `\r\n` and a lone `\r` each end a line, as in [`line_col`]).
    pub(crate) fn new(src: &str) -> LineIndex {
        let b = src.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            // The `\r` of a `\r\n` does not end a line of its own; its `\n` does.
            if !(b[i] == b'\r' && b.get(i + 1) == Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        LineIndex {
            starts,
            chars: std::sync::OnceLock::new(),
        }
    }

    /// Byte offset where the 0-based `line` starts, if the text has that many lines.
    pub(crate) fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// Line breaks in `src[..byte]` (a `\r\n` counts once), for `byte` at the start of a line.
    pub(crate) fn breaks_before(&self, byte: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= byte)
            .saturating_sub(1)
    }

    /// Characters in `src[..byte]`; `src` is the text this index was made from.
    pub(crate) fn chars_before(&self, src: &[u8], byte: usize) -> usize {
        let chars = self.chars.get_or_init(|| {
            let mut chars = Vec::with_capacity(src.len() / Self::BLOCK + 2);
            let mut count = 0;
            for block in src.chunks(Self::BLOCK) {
                chars.push(count);
                count += block.iter().filter(|&&c| c & 0xC0 != 0x80).count();
            }
            chars.push(count);
            chars
        });
        let block = byte / Self::BLOCK;
        let base = chars.get(block).copied().unwrap_or(0);
        let from = (block * Self::BLOCK).min(byte);
        base + src
            .get(from..byte)
            .map_or(0, |t| t.iter().filter(|&&c| c & 0xC0 != 0x80).count())
    }

    /// 1-based line and 1-based column (in characters) of a byte offset in `src`, the text this
    /// index was made from; offsets past the end clamp.
    pub(crate) fn line_col(&self, src: &str, byte: usize) -> (usize, usize) {
        let mut byte = byte.min(src.len());
        while byte > 0 && !src.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= byte).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0).min(byte);
        let b = src.as_bytes();
        let col = self.chars_before(b, byte) - self.chars_before(b, start) + 1;
        (line, col)
    }
}

/// Where a span is, as machine outputs report it: 1-based lines and columns counting characters
/// (as editors do), the end being the position just past the span (the same convention as
/// [`line_col`]), plus the byte offset and byte length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line of the first character.
    pub line: usize,
    /// Column of the first character.
    pub column: usize,
    /// Line of the position just past the span.
    pub end_line: usize,
    /// Column of the position just past the span.
    pub end_column: usize,
    /// Byte offset of the span.
    pub offset: usize,
    /// Length of the span in bytes.
    pub length: usize,
    /// Characters before the span (its start clamped to the text; 0 when the start is not on a
    /// character boundary).
    pub char_offset: usize,
    /// Characters in the span (clamped to the text; 0 when an end is not on a character
    /// boundary).
    pub char_length: usize,
}

/// The position of `span` in `src`.
pub(crate) fn position(src: &str, span: Span) -> Position {
    let (line, column) = line_col(src, span.start);
    let (end_line, end_column) = line_col(src, span.end.max(span.start));
    let start = span.start.min(src.len());
    let end = span.end.clamp(start, src.len());
    let chars = |a: usize, b: usize| src.get(a..b).map_or(0, |s| s.chars().count());
    Position {
        line,
        column,
        end_line,
        end_column,
        offset: span.start,
        length: span.len(),
        char_offset: chars(0, start),
        char_length: chars(start, end),
    }
}

/// Positions of many spans in one text, each found in O(log n) rather than by a scan from the
/// start of the text (a file with thousands of findings would otherwise take quadratic time).
/// Gives exactly what [`position`] gives.
pub(crate) struct Positions<'a> {
    src: &'a str,
    lines: LineIndex,
}

impl<'a> Positions<'a> {
    /// Indexes `src`.
    pub(crate) fn new(src: &'a str) -> Positions<'a> {
        Positions {
            src,
            lines: LineIndex::new(src),
        }
    }

    /// Characters in `src[..byte]`.
    fn chars_before(&self, byte: usize) -> usize {
        self.lines.chars_before(self.src.as_bytes(), byte)
    }

    /// The position of `span`, as [`position`] would give it.
    pub(crate) fn of(&self, span: Span) -> Position {
        let src = self.src;
        let (line, column) = self.lines.line_col(src, span.start);
        let (end_line, end_column) = self.lines.line_col(src, span.end.max(span.start));
        let start = span.start.min(src.len());
        let end = span.end.clamp(start, src.len());
        // As `position`: a count is 0 when an end of its range is inside a character.
        let (sb, eb) = (src.is_char_boundary(start), src.is_char_boundary(end));
        let char_offset = if sb { self.chars_before(start) } else { 0 };
        let char_length = if sb && eb {
            self.chars_before(end) - char_offset
        } else {
            0
        };
        Position {
            line,
            column,
            end_line,
            end_column,
            offset: span.start,
            length: span.len(),
            char_offset,
            char_length,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_line_breaks() {
        let src = "ab\ncd";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 2), (1, 3));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 4), (2, 2));
        assert_eq!(line_col(src, 999), (2, 3));

        let crlf = "a: 1\r\nb: 2\r\n";
        assert_eq!(line_col(crlf, 6), (2, 1));
        assert_eq!(line_col(crlf, 9), (2, 4));
        assert_eq!(line_col(crlf, crlf.len()), (3, 1));

        let uni = "name: Zoë £1\n\tx: é";
        let pound = uni.find('£').unwrap_or(0);
        assert_eq!(line_col(uni, pound), (1, 11));
        let x = uni.find('x').unwrap_or(0);
        assert_eq!(line_col(uni, x), (2, 2));
        // Inside a multi-byte character: that character.
        assert_eq!(line_col(uni, pound + 1), (1, 11));
        assert_eq!(line_col("", 5), (1, 1));
        assert_eq!(line_col("a\rb", 2), (2, 1));
    }

    #[test]
    fn line_index_agrees_with_line_col() {
        for src in [
            "",
            "ab\ncd",
            "a: 1\r\nb: 2\r\n",
            "a\rb\r\r\nc\n",
            "name: Zoë £1\n\tx: é",
            "\n\n\n",
            "😀\r\n😀",
            &"aé£😀b\r\n".repeat(200),
            &"x".repeat(1000),
        ] {
            let index = LineIndex::new(src);
            for byte in 0..=src.len() + 2 {
                assert_eq!(
                    index.line_col(src, byte),
                    line_col(src, byte),
                    "{src:?} at {byte}"
                );
            }
        }
    }

    #[test]
    fn indexed_positions_are_the_scanned_ones() {
        // Line ends of every kind, characters of 1 to 4 bytes, and blocks of the index crossed.
        let mut src = String::from("a: £1\r\nb: é\rc: 💷\n\nd: x\r\n");
        for i in 0..300 {
            src.push_str(if i % 7 == 0 { "ü€\r" } else { "xy\n" });
        }
        let index = Positions::new(&src);
        let n = src.len() + 2;
        for start in 0..n {
            for end in [0, start.saturating_sub(1), start, start + 1, start + 3, n] {
                let span = Span::new(start, end);
                assert_eq!(index.of(span), position(&src, span), "{span:?}");
            }
        }
        assert_eq!(
            Positions::new("").of(Span::new(3, 9)),
            position("", Span::new(3, 9))
        );
    }
}
