//! One renderer per output format, all reading the same [`crate::Run`].

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod source;

use crate::agreement::yaml::{line_col, LineIndex, Span};
use crate::check::{FileReport, Run};
use crate::finding::{Finding, Severity, Waiver};

/// The closing line: `3 agreements checked: 2 errors, 1 warning`.
pub fn summary(run: &Run) -> String {
    Tally::of(run).summary()
}

/// What a run's summary and exit code need, added up file by file, so a run whose reports are
/// not kept (human output written as it goes) can still be summed up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Agreements checked.
    pub checked: usize,
    /// Finding counts.
    pub counts: Counts,
    /// Files and run errors that stopped something from being checked.
    pub problems: usize,
    /// The most severe counting finding, if any.
    pub worst: Option<Severity>,
}

impl Tally {
    /// Adds one file's report.
    pub fn add(&mut self, file: &FileReport) {
        self.checked += usize::from(file.checked);
        self.problems += usize::from(file.error.is_some());
        for f in &file.findings {
            self.counts.add(f);
            if f.counts() {
                self.worst = self.worst.max(Some(f.severity));
            }
        }
    }

    /// The tally of a whole run, its own errors included.
    pub fn of(run: &Run) -> Tally {
        let mut t = Tally::default();
        for f in &run.files {
            t.add(f);
        }
        t.problems += run.errors.len();
        t
    }

    /// The closing line: `3 agreements checked: 2 errors, 1 warning`.
    pub fn summary(&self) -> String {
        let n = self.checked;
        let c = self.counts;
        let mut parts = Vec::new();
        for (c, one, many) in [
            (c.errors, "error", "errors"),
            (c.warnings, "warning", "warnings"),
            (c.infos, "note", "notes"),
        ] {
            if c > 0 {
                parts.push(format!("{c} {}", if c == 1 { one } else { many }));
            }
        }
        if c.waived > 0 {
            parts.push(format!("{} waived", c.waived));
        }
        if self.problems > 0 {
            parts.push(format!("{} could not be checked", self.problems));
        }
        let what = if n == 1 { "agreement" } else { "agreements" };
        if parts.is_empty() {
            format!("{n} {what} checked: no findings")
        } else {
            format!("{n} {what} checked: {}", parts.join(", "))
        }
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
pub fn position(src: &str, span: Span) -> Position {
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
pub struct Positions<'a> {
    src: &'a str,
    lines: LineIndex,
}

impl<'a> Positions<'a> {
    /// Indexes `src`.
    pub fn new(src: &'a str) -> Positions<'a> {
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
    pub fn of(&self, span: Span) -> Position {
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

/// Finding counts for machine outputs: waived findings are counted apart, not by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Counting (not waived) errors.
    pub errors: usize,
    /// Counting warnings.
    pub warnings: usize,
    /// Counting infos.
    pub infos: usize,
    /// Waived findings of any severity.
    pub waived: usize,
}

impl Counts {
    /// Adds one finding.
    pub fn add(&mut self, f: &Finding) {
        if !f.counts() {
            self.waived += 1;
            return;
        }
        match f.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }
}

/// Counts the findings of a whole run.
pub fn counts(run: &Run) -> Counts {
    Tally::of(run).counts
}

/// What stopped a file or the run from being checked, in order: each file's error (with its
/// path), then the run's own errors (no path).
pub fn tool_errors(run: &Run) -> Vec<(Option<&str>, &str)> {
    let files = run
        .files
        .iter()
        .filter_map(|f| f.error.as_deref().map(|e| (Some(f.path.as_str()), e)));
    let others = run.errors.iter().map(|e| (None, e.as_str()));
    files.chain(others).collect()
}

/// A file path as machine outputs show it: as given, with `/` between folders on Windows.
pub fn display_path(path: &str) -> String {
    if std::path::MAIN_SEPARATOR == '\\' {
        path.replace('\\', "/")
    } else {
        path.to_string()
    }
}

/// A waiver in one line: `<reason> (approved by <approver>, expires <date>)`.
pub fn waiver_text(w: &Waiver) -> String {
    match &w.expires {
        Some(d) => format!("{} (approved by {}, expires {d})", w.reason, w.approved_by),
        None => format!("{} (approved by {})", w.reason, w.approved_by),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
