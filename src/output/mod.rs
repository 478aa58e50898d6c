//! One renderer per output format, all reading the same [`crate::Run`].

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::agreement::yaml::{line_col, Span};
use crate::check::Run;
use crate::finding::{Finding, Severity, Waiver};

/// The closing line: `3 agreements checked: 2 errors, 1 warning`.
pub fn summary(run: &Run) -> String {
    let n = run.checked();
    let mut parts = Vec::new();
    for (s, one, many) in [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "note", "notes"),
    ] {
        let c = run.count(s);
        if c > 0 {
            parts.push(format!("{c} {}", if c == 1 { one } else { many }));
        }
    }
    let waived = run.waived();
    if waived > 0 {
        parts.push(format!("{waived} waived"));
    }
    let problems = run.errors.len() + run.files.iter().filter(|f| f.error.is_some()).count();
    if problems > 0 {
        parts.push(format!("{problems} could not be checked"));
    }
    let what = if n == 1 { "agreement" } else { "agreements" };
    if parts.is_empty() {
        format!("{n} {what} checked: no findings")
    } else {
        format!("{n} {what} checked: {}", parts.join(", "))
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
}

/// The position of `span` in `src`.
pub fn position(src: &str, span: Span) -> Position {
    let (line, column) = line_col(src, span.start);
    let (end_line, end_column) = line_col(src, span.end.max(span.start));
    Position {
        line,
        column,
        end_line,
        end_column,
        offset: span.start,
        length: span.len(),
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
    let mut c = Counts::default();
    for f in run.files.iter().flat_map(|f| &f.findings) {
        c.add(f);
    }
    c
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
