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

/// Text from a file (a name, a value, a comment) made safe for a terminal or log: control
/// characters (escape codes, carriage returns, backspaces, bidirectional overrides) are shown
/// as `\u{..}` escapes instead of acting, so a file cannot clear the screen or print a
/// line that looks like s75lint's own. Tabs and line ends are kept when `keep_lines` is
/// true (snippets), escaped otherwise.
pub fn escape_text(s: &str, keep_lines: bool) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        !(keep_lines && (c == '\n' || c == '\t')) && (c.is_control() || is_format_override(c))
    };
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// One line of text from a file, made safe for a terminal (see [`escape_text`]).
pub fn escape(s: &str) -> String {
    escape_text(s, false).into_owned()
}

/// Characters that reorder or hide the text around them on screen (bidirectional overrides
/// and isolates, the "Trojan Source" characters).
fn is_format_override(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}
