//! Human output: one miette diagnostic per finding, with the rule id, the span underlined, the
//! citation and a help line. `plain` uses miette's narratable handler (one paragraph per
//! finding, for screen readers).

use crate::finding::{Finding, Severity};
use crate::output::escape;
use crate::output::source::{Clipped, Windowed};
use crate::position::Position;
use crate::report::{FileReport, Run, Tally};
use crate::span::Span;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource,
    NarratableReportHandler, SourceCode,
};
use std::fmt;
use std::io::{IsTerminal, Write};

/// A finding bound to its file, as a miette diagnostic.
pub(crate) struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    /// The file's text, to draw the snippet from; None once the report let go of it.
    source: Option<NamedSource<Windowed>>,
    /// Where the finding is, said in words when there is no text to draw: `path:line:column`.
    at: Option<String>,
    help: Option<String>,
}

impl<'a> FindingDiagnostic<'a> {
    /// Binds a finding to a file's path and text (indexed once for all its findings).
    pub(crate) fn with_source(
        finding: &'a Finding,
        path: &str,
        source: Windowed,
    ) -> FindingDiagnostic<'a> {
        FindingDiagnostic {
            finding,
            source: Some(NamedSource::new(escape(path), source).with_language("yaml")),
            at: None,
            help: help_text(finding),
        }
    }

    /// Binds a finding to its file's path and its position there, for a report whose text was
    /// released ([`FileReport::release_source`]): no snippet, the place in words.
    pub(crate) fn at_position(
        finding: &'a Finding,
        path: &str,
        at: Position,
    ) -> FindingDiagnostic<'a> {
        FindingDiagnostic {
            finding,
            source: None,
            at: Some(format!("{}:{}:{}", escape(path), at.line, at.column)),
            help: help_text(finding),
        }
    }
}

/// The width human output is drawn at: `COLUMNS` when set to a number (tests, and shells that
/// export it), else the width of the terminal standard output is, else 80 (a pipe or a file).
pub(crate) fn width() -> usize {
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
        let (start, len, label) = shown_span(source.inner(), f.span, &f.label);
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

fn shown_span(source: &Windowed, span: Span, label: &str) -> (usize, usize, Option<String>) {
    let text = source.text().get(span.start..span.end).unwrap_or("");
    let lines = text.lines().count();
    let label = (!label.is_empty()).then(|| label.to_string());
    if lines <= MAX_DRAWN_LINES {
        return (span.start, span.len(), label);
    }
    let first = text.find('\n').unwrap_or(text.len());
    // Through the file's line index: a scan from the top per finding is quadratic.
    let (l1, _) = source.line_col(span.start);
    let (l2, _) = source.line_col(span.end.saturating_sub(1));
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

/// Longest message or label drawn, in characters; the rest is cut with `…` (a message may
/// quote a value from the file, which can be megabytes long).
const MAX_MESSAGE_CHARS: usize = 400;

/// Findings drawn per file in human and plain output. The rest are counted in the summary and
/// present in every machine format (JSON, SARIF, JUnit, GitHub); a line says how many were not
/// drawn.
pub const MAX_DRAWN_FINDINGS: usize = 200;

/// Text from a file made safe to show: control characters escaped, cut to a sane length.
fn shown(s: &str, keep_lines: bool) -> String {
    let e = crate::output::escape_text(s, keep_lines);
    match e.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((i, _)) => format!("{}…", &e[..i]),
        None => e.into_owned(),
    }
}

/// Any diagnostic, made safe to draw: its text escaped and cut, and its snippet cut to a
/// window around the primary label when a line is long or holds control characters
/// ([`Clipped`]). Labels outside that window are left out of the drawing.
struct Safe<'a> {
    inner: &'a dyn Diagnostic,
    message: String,
    help: Option<String>,
    clip: Option<(Clipped, Vec<LabeledSpan>)>,
}

impl<'a> Safe<'a> {
    /// Wraps a diagnostic; `plain` for the narrated style, which gives label columns within
    /// the drawn (cut) line, so the real place is added to the message there.
    fn new(inner: &'a dyn Diagnostic, plain: bool) -> Safe<'a> {
        let clip = Safe::clip(inner);
        let mut message = shown(&inner.to_string(), true);
        if let (true, Some((c, _))) = (plain, &clip) {
            let primary = inner
                .labels()
                .and_then(|mut l| l.find(|l| l.primary()))
                .map(|l| l.offset());
            if let Some((line, column)) = primary.and_then(|o| c.place(o)) {
                message.push_str(&format!(
                    " (at line {line}, column {column}; long lines are cut to show)"
                ));
            }
        }
        Safe {
            inner,
            message,
            // Help is the rule's own text (with its citations): escaped, not cut.
            help: inner
                .help()
                .map(|h| crate::output::escape_text(&h.to_string(), true).into_owned()),
            clip,
        }
    }

    fn clip(inner: &dyn Diagnostic) -> Option<(Clipped, Vec<LabeledSpan>)> {
        let source = inner.source_code()?;
        let labels: Vec<LabeledSpan> = inner.labels()?.collect();
        let primary = labels
            .iter()
            .find(|l| l.primary())
            .or_else(|| labels.first())?;
        // The lines of every label, with a line of context each side: miette draws all of
        // them, so all must be made safe (a label far from the primary one has its own lines).
        let start = labels.iter().map(|l| l.offset()).min()?;
        let end = labels.iter().map(|l| l.offset() + l.len()).max()?;
        let contents = source
            .read_span(&(start, end.saturating_sub(start)).into(), 1, 1)
            .ok()?;
        let base = contents.span().offset();
        let clipped = Clipped::new(
            contents.data(),
            base,
            contents.line(),
            contents.name().map(str::to_string),
            primary.offset(),
        )?;
        let mapped = labels
            .iter()
            .filter_map(|l| {
                let start = clipped.map(l.offset())?;
                let end = clipped.map(l.offset() + l.len())?;
                let text = l.label().map(|t| shown(t, false));
                let span = (start, end.saturating_sub(start));
                Some(if l.primary() {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                })
            })
            .collect();
        Some((clipped, mapped))
    }
}

impl fmt::Debug for Safe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Safe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Safe<'_> {}

impl Diagnostic for Safe<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        match &self.clip {
            Some((c, _)) => Some(c),
            None => self.inner.source_code(),
        }
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        match &self.clip {
            Some((_, labels)) => Some(Box::new(labels.iter().cloned())),
            None => {
                let labels = self.inner.labels()?.map(|l| {
                    let text = l.label().map(|t| shown(t, false));
                    if l.primary() {
                        LabeledSpan::new_primary_with_span(text, *l.inner())
                    } else {
                        LabeledSpan::new_with_span(text, *l.inner())
                    }
                });
                Some(Box::new(labels))
            }
        }
    }
}

/// Renders any diagnostic in the given style, made safe first ([`Safe`]): long lines cut,
/// control characters escaped.
pub(crate) fn render(diag: &dyn Diagnostic, style: Style) -> String {
    let safe = Safe::new(diag, style == Style::Plain);
    let diag: &dyn Diagnostic = &safe;
    let mut out = String::new();
    let _ = match style {
        Style::Graphical { color } => {
            let theme = if color {
                GraphicalTheme::unicode()
            } else {
                GraphicalTheme::unicode_nocolor()
            };
            // At the terminal's width, breaking lines only at spaces: never inside a word or a
            // web address (a citation's URL stays whole, to click or copy). Textwrap's default,
            // Unicode line breaking, may break after `/`, and cost about 40,000 instructions
            // per paragraph (3% of checking 200 agreements that have 138 findings).
            GraphicalReportHandler::new_themed(theme)
                .with_width(width())
                .with_break_words(false)
                .with_word_separator(textwrap::WordSeparator::AsciiSpace)
                .with_links(false)
                .render_report(&mut out, diag)
        }
        Style::Plain => NarratableReportHandler::new().render_report(&mut out, diag),
    };
    out
}

/// Writes every finding, the notes and errors, and the summary line.
pub(crate) fn write(
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
pub(crate) fn write_end(
    errors: &[String],
    tally: &Tally,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    for e in errors {
        writeln!(w, "error: {}", escape(e))?;
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
    let path = escape(&file.path);
    if let Some(n) = &file.note {
        writeln!(notes, "note: {path}: {}", escape(n))?;
    }
    if let Some(e) = &file.error {
        writeln!(w, "error: {}", escape(e))?;
    }
    // A report whose text was released (see `FileReport::release_source`) has no snippets to
    // draw: its findings say where they are from the positions it kept. The file is not read
    // again, as it may have changed since it was checked.
    let released = file.source.is_empty() && !file.positions.is_empty();
    let source = (!released).then(|| Windowed::new(file.source.clone()));
    for (drawn, f) in file.findings.iter().enumerate() {
        if drawn == MAX_DRAWN_FINDINGS {
            let rest = file.findings.len() - MAX_DRAWN_FINDINGS;
            writeln!(
                w,
                "... and {rest} more finding(s) in {path} not drawn here (the first {MAX_DRAWN_FINDINGS} are; \
                 all are counted below and listed in --format json or sarif)"
            )?;
            break;
        }
        // Waived findings are listed, briefly, with who accepted them and why.
        if let Some(waiver) = &f.waived {
            let (line, column) = match &source {
                Some(text) => text.line_col(f.span.start),
                None => {
                    let at = file.position(f.span);
                    (at.line, at.column)
                }
            };
            let expires = waiver
                .expires
                .as_ref()
                .map(|e| format!(", expires {e}"))
                .unwrap_or_default();
            writeln!(
                w,
                "waived {} at {path}:{}:{}: {} (reason: {}; approved by {}{})",
                f.rule,
                line,
                column,
                shown(&f.message, false),
                shown(&waiver.reason, false),
                shown(&waiver.approved_by, false),
                escape(&expires)
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

/// Whether human output is coloured: standard output is a terminal and `NO_COLOR` is not set.
pub(crate) fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// The style for errors printed on standard error (coloured only when it is a terminal too).
pub(crate) fn error_style() -> Style {
    Style::Graphical {
        color: use_color() && std::io::stderr().is_terminal(),
    }
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
