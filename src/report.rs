//! The report model every output reads: one [`FileReport`] per file, a [`Run`] of them, and the
//! [`Tally`] a run's summary line and exit code are worked out from.

use crate::finding::{Finding, Severity};
use crate::position::{position, Position, Positions};
use crate::span::Span;
use std::sync::Arc;

/// The result of checking one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as given or found.
    pub path: String,
    /// The file's text (empty when it could not be read, or once released by
    /// [`FileReport::release_source`]: `check_paths` keeps positions, not text).
    pub source: Arc<String>,
    /// Findings, sorted by position then rule id.
    pub findings: Vec<Finding>,
    /// Whether the file is an agreement that was checked (false when skipped or unreadable).
    pub checked: bool,
    /// Why the file was skipped, when it was named explicitly.
    pub note: Option<String>,
    /// What stopped the file from being checked (unreadable, too large).
    pub error: Option<String>,
    /// Ids of the rules that applied to this agreement and were checked (empty when the file
    /// was not loaded as an agreement).
    pub rules_checked: Vec<String>,
    /// Positions of the findings' spans (and their labels' spans), worked out from the text
    /// before it was released, sorted by span. Empty while the text is held.
    pub positions: Vec<(Span, Position)>,
}

impl FileReport {
    /// A report with nothing in it yet.
    pub fn new(path: impl Into<String>, source: Arc<String>) -> FileReport {
        FileReport {
            path: path.into(),
            source,
            findings: Vec::new(),
            checked: false,
            note: None,
            error: None,
            rules_checked: Vec::new(),
            positions: Vec::new(),
        }
    }

    /// Where `span` is in the file: from the text while it is held, else from the positions
    /// kept when it was released (a span not kept there reads as line 1, column 1).
    pub(crate) fn position(&self, span: Span) -> Position {
        if self.positions.is_empty() || !self.source.is_empty() {
            return position(&self.source, span);
        }
        let key = (span.start, span.end);
        match self
            .positions
            .binary_search_by(|(s, _)| (s.start, s.end).cmp(&key))
        {
            Ok(i) => self.positions[i].1,
            Err(_) => position("", span),
        }
    }

    /// Works out the position of every finding's and label's span, then lets go of the text,
    /// so a report kept for a machine-readable output costs its findings and no more.
    pub(crate) fn release_source(&mut self) {
        if self.source.is_empty() {
            return;
        }
        let mut spans: Vec<Span> = self
            .findings
            .iter()
            .flat_map(|f| std::iter::once(f.span).chain(f.labels.iter().map(|l| l.span)))
            .collect();
        spans.sort_by_key(|s| (s.start, s.end));
        spans.dedup();
        // Through an index: one scan per span is quadratic in a file with thousands of findings.
        let index = Positions::new(&self.source);
        self.positions = spans.into_iter().map(|s| (s, index.of(s))).collect();
        self.source = empty_source();
    }
}

/// The shared empty text of reports that hold none.
pub(crate) fn empty_source() -> Arc<String> {
    static EMPTY: std::sync::OnceLock<Arc<String>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Arc::new(String::new())).clone()
}

/// The result of a whole run.
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// One report per file, in path order.
    pub files: Vec<FileReport>,
    /// Problems with the arguments themselves (a path that does not exist, a directory with no
    /// agreement in it).
    pub errors: Vec<String>,
}

impl Run {
    /// Number of agreements checked.
    pub(crate) fn checked(&self) -> usize {
        self.files.iter().filter(|f| f.checked).count()
    }
}

/// What a run's summary and exit code need, added up file by file, so a run whose reports are
/// not kept (human output written as it goes) can still be summed up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
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
    pub(crate) fn add(&mut self, file: &FileReport) {
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
    pub(crate) fn of(run: &Run) -> Tally {
        let mut t = Tally::default();
        for f in &run.files {
            t.add(f);
        }
        t.problems += run.errors.len();
        t
    }

    /// The closing line: `3 agreements checked: 2 errors, 1 warning`.
    pub(crate) fn summary(&self) -> String {
        let n = self.checked;
        let c = self.counts;
        let mut parts = Vec::new();
        for (c, one, many) in [
            (c.errors, "error", "errors"),
            (c.warnings, "warning", "warnings"),
            (c.infos, "info", "info"),
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

/// Finding counts for machine outputs: waived findings are counted apart, not by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
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
    pub(crate) fn add(&mut self, f: &Finding) {
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
