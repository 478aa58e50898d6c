//! One renderer per output format, all reading the same [`crate::Run`], and the helpers they
//! share.

pub(crate) mod github;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod sarif;
pub(crate) mod source;

use crate::finding::{Severity, Waiver};
use crate::report::{Counts, Run, Tally};
use crate::ruleset::RuleSet;
use human::Style;
use std::io::Write;

/// Output formats of `check`. A new format is a variant here, an arm in [`render`], and its
/// own file.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// Graphical diagnostics (plain text when NO_COLOR is set or output is not a terminal).
    Human,
    /// One paragraph per finding, for screen readers and logs.
    Plain,
    /// A versioned JSON document (see src/output/json.rs).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML: one test case per agreement and rule checked.
    Junit,
    /// GitHub Actions annotations.
    Github,
}

impl Format {
    /// The style of a format written file by file while files are checked (so a large run's
    /// reports need not be kept), or None for one written once, from the kept reports, by
    /// [`render`].
    pub(crate) fn streamed(self, color: bool) -> Option<Style> {
        match self {
            Format::Human => Some(Style::Graphical { color }),
            Format::Plain => Some(Style::Plain),
            Format::Json | Format::Sarif | Format::Junit | Format::Github => None,
        }
    }

    /// Whether the format lists the rules checked for each file (JUnit's passing test cases),
    /// which the reports then keep.
    pub(crate) fn lists_rules_checked(self) -> bool {
        self == Format::Junit
    }
}

/// Writes a whole run in `format`; `fail_at` is the level that fails the run (JUnit fails test
/// cases at it). Human and plain output are drawn without colour here.
pub(crate) fn render(
    format: Format,
    run: &Run,
    rules: &RuleSet,
    fail_at: Severity,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Human | Format::Plain => {
            let style = format.streamed(false).unwrap_or(Style::Plain);
            human::write(run, style, w, &mut std::io::stderr())
        }
        Format::Json => json::write(run, rules, w),
        Format::Sarif => sarif::write(run, rules, w),
        Format::Junit => junit::write_failing_at(run, rules, fail_at, w),
        Format::Github => github::write(run, rules, w),
    }
}

/// The closing line: `3 agreements checked: 2 errors, 1 warning`.
pub fn summary(run: &Run) -> String {
    Tally::of(run).summary()
}

/// Counts the findings of a whole run.
pub(crate) fn counts(run: &Run) -> Counts {
    Tally::of(run).counts
}

/// What stopped a file or the run from being checked, in order: each file's error (with its
/// path), then the run's own errors (no path).
pub(crate) fn tool_errors(run: &Run) -> Vec<(Option<&str>, &str)> {
    let files = run
        .files
        .iter()
        .filter_map(|f| f.error.as_deref().map(|e| (Some(f.path.as_str()), e)));
    let others = run.errors.iter().map(|e| (None, e.as_str()));
    files.chain(others).collect()
}

/// A file path as machine outputs show it: as given, with `/` between folders on Windows.
pub(crate) fn display_path(path: &str) -> String {
    if std::path::MAIN_SEPARATOR == '\\' {
        path.replace('\\', "/")
    } else {
        path.to_string()
    }
}

/// A file path as code-scanning tools place it on a pull request (`--format github`, SARIF):
/// relative to the root of the git repository the command runs in, with `/` between folders
/// and no leading `./` (`check .` finds `./a.yaml`, which GitHub would not match to `a.yaml`).
/// Outside a repository, or for a path outside it, the path as given without the `./`.
pub(crate) fn repo_path(path: &str) -> String {
    let given = crate::finding::normalise_path(path);
    let Ok(cwd) = std::env::current_dir() else {
        return given;
    };
    let Some(root) = repo_root(&cwd) else {
        return given;
    };
    let abs = lexical(&cwd.join(path));
    match abs.strip_prefix(lexical(root)) {
        Ok(rel) if !rel.as_os_str().is_empty() => display_path(&rel.to_string_lossy()),
        _ => given,
    }
}

/// The nearest folder at or above `dir` holding `.git` (a folder, or a file in a worktree).
fn repo_root(dir: &std::path::Path) -> Option<&std::path::Path> {
    dir.ancestors().find(|d| d.join(".git").exists())
}

/// A path with `.` dropped and `..` applied to what comes before, without touching the disk
/// (so a symbolic link stays the name it was given by).
fn lexical(p: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// A waiver in one line: `<reason> (approved by <approver>, expires <date>)`.
pub(crate) fn waiver_text(w: &Waiver) -> String {
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
pub(crate) fn escape_text(s: &str, keep_lines: bool) -> std::borrow::Cow<'_, str> {
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
pub(crate) fn escape(s: &str) -> String {
    escape_text(s, false).into_owned()
}

/// Characters that reorder or hide the text around them on screen (bidirectional overrides
/// and isolates, the "Trojan Source" characters).
fn is_format_override(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}
