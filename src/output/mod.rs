//! One renderer per output format, all reading the same [`crate::Run`], and the helpers they
//! share.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod source;

use crate::finding::Waiver;
use crate::report::{Counts, Run, Tally};

/// The closing line: `3 agreements checked: 2 errors, 1 warning`.
pub fn summary(run: &Run) -> String {
    Tally::of(run).summary()
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
