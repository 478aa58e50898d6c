//! Human output: one miette diagnostic per finding, with the rule id, the span underlined, the
//! citation and a help line. `plain` uses miette's narratable handler (one paragraph per
//! finding, for screen readers).

use crate::finding::{Finding, Severity};
use crate::output::source::Windowed;
use crate::position::{line_col, Position};
use crate::report::{FileReport, Run, Tally};
use crate::span::Span;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource,
    NarratableReportHandler, SourceCode,
};
use std::fmt;
use std::io::Write;

/// A finding bound to its file, as a miette diagnostic.
pub struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    /// The file's text, to draw the snippet from; None once the report let go of it.
    source: Option<NamedSource<Windowed>>,
    /// Where the finding is, said in words when there is no text to draw: `path:line:column`.
    at: Option<String>,
    help: Option<String>,
}

impl<'a> FindingDiagnostic<'a> {
    /// Binds a finding to the file it is in.
    pub fn new(finding: &'a Finding, file: &FileReport) -> FindingDiagnostic<'a> {
        FindingDiagnostic::with_source(finding, &file.path, Windowed::new(file.source.clone()))
    }

    /// Binds a finding to a file's path and text (indexed once for all its findings).
    pub fn with_source(
        finding: &'a Finding,
        path: &str,
        source: Windowed,
    ) -> FindingDiagnostic<'a> {
        FindingDiagnostic {
            finding,
            source: Some(NamedSource::new(path, source).with_language("yaml")),
            at: None,
            help: help_text(finding),
        }
    }

    /// Binds a finding to its file's path and its position there, for a report whose text was
    /// released ([`FileReport::release_source`]): no snippet, the place in words.
    pub fn at_position(finding: &'a Finding, path: &str, at: Position) -> FindingDiagnostic<'a> {
        FindingDiagnostic {
            finding,
            source: None,
            at: Some(format!("{path}:{}:{}", at.line, at.column)),
            help: help_text(finding),
        }
    }
}

/// The width human output is drawn at: `COLUMNS` when set to a number (tests, and shells that
/// export it), else the width of the terminal standard output is, else 80 (a pipe or a file).
pub fn width() -> usize {
    static WIDTH: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *WIDTH.get_or_init(|| {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|&c| c > 0)
            .or_else(|| {
                terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
            })
            .unwrap_or(80)
            .clamp(40, 1000)
    })
}

/// Columns the help is indented by in the graphical report (`  help: `).
const HELP_INDENT: usize = 8;

/// A rule file's help, wrapped by its author for reading in the file, as drawn at `width`: as
/// written when every line fits, so the author's line breaks stand; otherwise each paragraph
/// joined into one, for the renderer to wrap once at the width, rather than breaking every
/// authored line again and leaving a ragged edge. Lines starting with a space, `-` or `*`, and
/// blank lines, keep their breaks.
fn reflow(help: &str, width: usize) -> String {
    if help
        .lines()
        .all(|l| l.chars().count() + HELP_INDENT <= width)
    {
        return help.to_string();
    }
    let mut out = String::with_capacity(help.len());
    let mut joinable = false;
    for line in help.lines() {
        let starts_block = line.is_empty() || line.starts_with([' ', '-', '*']);
        if joinable && !starts_block {
            out.push(' ');
        } else if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
        joinable = !line.is_empty() && !line.ends_with(':');
    }
    out
}

/// The help line and the citations, as the diagnostic's help.
fn help_text(finding: &Finding) -> Option<String> {
    let authored = finding.help.as_deref().unwrap_or_default();
    // Built-in findings (the `FMT-` and `WAIVER-` checks) may write out corrected lines of the
    // agreement, which must keep their breaks; rule files' help is prose.
    let builtin = crate::builtin_rules::ALL
        .iter()
        .any(|r| r.id == finding.rule);
    let mut help = if builtin {
        authored.to_string()
    } else {
        reflow(authored, width())
    };
    if !finding.citations.is_empty() {
        if !help.is_empty() {
            help.push('\n');
        }
        help.push_str(&format!("cite: {}", finding.citations.join("; ")));
    }
    (!help.is_empty()).then_some(help)
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic")
            .field("finding", &self.finding)
            .finish()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(at) = &self.at {
            write!(f, "{at}: ")?;
        }
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.finding.rule))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let f = self.finding;
        let source = self.source.as_ref()?;
        let (start, len, label) = shown_span(source.inner().text(), f.span, &f.label);
        let main = LabeledSpan::new_primary_with_span(label, (start, len));
        let more = f.labels.iter().map(|l| {
            LabeledSpan::new_with_span(
                (!l.text.is_empty()).then(|| l.text.clone()),
                (l.span.start, l.span.len()),
            )
        });
        Some(Box::new(std::iter::once(main).chain(more)))
    }
}

/// Spans longer than this many lines are drawn as their first line only, so a finding about a
/// whole mapping does not print the whole mapping. Machine outputs keep the exact span.
const MAX_DRAWN_LINES: usize = 6;

fn shown_span(src: &str, span: Span, label: &str) -> (usize, usize, Option<String>) {
    let text = src.get(span.start..span.end).unwrap_or("");
    let lines = text.lines().count();
    let label = (!label.is_empty()).then(|| label.to_string());
    if lines <= MAX_DRAWN_LINES {
        return (span.start, span.len(), label);
    }
    let first = text.find('\n').unwrap_or(text.len());
    let (l1, _) = line_col(src, span.start);
    let (l2, _) = line_col(src, span.end.saturating_sub(1));
    let what = label.unwrap_or_else(|| "here".into());
    (span.start, first, Some(format!("{what} (lines {l1}-{l2})")))
}

/// How to draw diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// miette's graphical report, coloured when `color` is true.
    Graphical { color: bool },
    /// One paragraph per finding, no drawing characters.
    Plain,
}

/// Renders any diagnostic in the given style.
pub fn render(diag: &dyn Diagnostic, style: Style) -> String {
    let mut out = String::new();
    let _ = match style {
        Style::Graphical { color } => {
            let theme = if color {
                GraphicalTheme::unicode()
            } else {
                GraphicalTheme::unicode_nocolor()
            };
            // At the terminal's width, breaking lines only between words.
            GraphicalReportHandler::new_themed(theme)
                .with_width(width())
                .with_break_words(false)
                .with_links(false)
                .render_report(&mut out, diag)
        }
        Style::Plain => NarratableReportHandler::new().render_report(&mut out, diag),
    };
    out
}

/// Writes every finding, the notes and errors, and the summary line.
pub fn write(
    run: &Run,
    style: Style,
    w: &mut dyn Write,
    notes: &mut dyn Write,
) -> std::io::Result<()> {
    for file in &run.files {
        write_file(file, style, w, notes)?;
    }
    write_end(&run.errors, &Tally::of(run), w)
}

/// Writes the run's own errors and the summary line: what follows the files.
pub fn write_end(errors: &[String], tally: &Tally, w: &mut dyn Write) -> std::io::Result<()> {
    for e in errors {
        writeln!(w, "error: {e}")?;
    }
    writeln!(w, "{}", tally.summary())
}

/// Writes one file's note (to `notes`), error and findings.
pub fn write_file(
    file: &FileReport,
    style: Style,
    w: &mut dyn Write,
    notes: &mut dyn Write,
) -> std::io::Result<()> {
    if let Some(n) = &file.note {
        writeln!(notes, "note: {}: {n}", file.path)?;
    }
    if let Some(e) = &file.error {
        writeln!(w, "error: {e}")?;
    }
    // A report whose text was released (see `FileReport::release_source`) has no snippets to
    // draw: its findings say where they are from the positions it kept. The file is not read
    // again, as it may have changed since it was checked.
    let released = file.source.is_empty() && !file.positions.is_empty();
    let source = (!released).then(|| Windowed::new(file.source.clone()));
    for f in &file.findings {
        // Waived findings are listed, briefly, with who accepted them and why.
        if let Some(waiver) = &f.waived {
            let at = file.position(f.span);
            let expires = waiver
                .expires
                .as_ref()
                .map(|e| format!(", expires {e}"))
                .unwrap_or_default();
            writeln!(
                w,
                "waived {} at {}:{}:{}: {} (reason: {}; approved by {}{expires})",
                f.rule, file.path, at.line, at.column, f.message, waiver.reason, waiver.approved_by
            )?;
            continue;
        }
        let d = match &source {
            Some(text) => FindingDiagnostic::with_source(f, &file.path, text.clone()),
            None => FindingDiagnostic::at_position(f, &file.path, file.position(f.span)),
        };
        // A blank line between findings.
        write!(w, "{}", render(&d, style))?;
        writeln!(w)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(file: &FileReport, style: Style) -> String {
        let mut out = Vec::new();
        write_file(file, style, &mut out, &mut std::io::sink()).expect("written to memory");
        String::from_utf8(out).expect("UTF-8")
    }

    /// A report that let go of its text is drawn from the positions it kept: the place in
    /// words, no snippet, and no reading of the file (which here does not exist).
    #[test]
    fn rule_help_keeps_its_breaks_when_it_fits_and_is_joined_when_it_does_not() {
        let help = "Name the partner that hosts the pool, for example `host: exc`.\nThe host must be declared.\n- a list line\ncite";
        assert_eq!(reflow(help, 100), help);
        assert_eq!(
            reflow(help, 60),
            "Name the partner that hosts the pool, for example `host: exc`. The host must be declared.\n- a list line cite"
        );
    }

    #[test]
    fn a_released_report_says_where_without_reading_the_file() {
        let rules = crate::RuleSet::builtin().expect("the shipped rules load");
        let src = "s75lint: 1\nexit_stratgy: {notice_months: 6}\n";
        let file = crate::check_source(
            "no/such/dir/a.yaml",
            src,
            &rules,
            &crate::Options::default(),
        );
        let message = "unknown key `exit_stratgy`; did you mean `exit_strategy`?";
        for style in [Style::Plain, Style::Graphical { color: false }] {
            let mut file = file.clone();
            let held = written(&file, style);
            assert!(held.contains("exit_stratgy: {notice_months: 6}"), "{held}");
            file.release_source();
            let released = written(&file, style);
            // As words, whatever the width the message was wrapped at.
            let words = released
                .split_whitespace()
                .filter(|w| *w != "│")
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                words.contains(&format!("no/such/dir/a.yaml:2:1: {message}")),
                "{released}"
            );
            assert!(!released.contains("{notice_months: 6}"), "{released}");
        }
    }
}
