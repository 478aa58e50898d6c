//! GitHub Actions output (`--format github`): one workflow-command annotation per counting
//! finding, so findings appear on the lines of the pull request, then the summary line.
//!
//! `::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::message`, with `error`,
//! `warning` or `notice` (for info); the message goes on with the finding's help (how to fix
//! it) and citations, on lines of their own, as the terminal shows them. PATH is relative to
//! the repository root without `./` ([`repo_path`]), as GitHub needs to place it on the diff.
//! Waived findings are not annotated. What stopped a file or
//! the run from being checked is `::error file=PATH::message` or `::error::message`.

use super::{repo_path, summary, tool_errors};
use crate::finding::Finding;
use crate::finding::Severity;
use crate::report::Run;
use crate::ruleset::RuleSet;
use std::io::Write;

/// The workflow command for a severity.
pub(crate) fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes a command's message: `%`, carriage return and line feed.
pub(crate) fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            // Escape codes would act on the log viewer: shown, not sent.
            c if crate::output::source::needs_escape(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes a command's property value: as [`escape_data`], and `:` and `,` too.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// An annotation's text: the message, then `help: ...` and `cite: ...` lines.
pub(crate) fn annotation_text(f: &Finding) -> String {
    let mut text = f.message.clone();
    if let Some(help) = &f.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    if !f.citations.is_empty() {
        text.push_str("\ncite: ");
        text.push_str(&f.citations.join("; "));
    }
    text
}

/// Writes one annotation per counting finding, the tool errors, and the summary line.
pub fn write(run: &Run, _rules: &RuleSet, w: &mut dyn Write) -> std::io::Result<()> {
    for file in &run.files {
        let path = escape_property(&repo_path(&file.path));
        for f in file.findings.iter().filter(|f| f.counts()) {
            let p = file.position(f.span);
            writeln!(
                w,
                "::{} file={path},line={},col={},endLine={},endColumn={},title={}::{}",
                command(f.severity),
                p.line,
                p.column,
                p.end_line,
                p.end_column,
                escape_property(&f.rule),
                escape_data(&annotation_text(f))
            )?;
        }
    }
    for (file, message) in tool_errors(run) {
        match file {
            Some(p) => writeln!(
                w,
                "::error file={}::{}",
                escape_property(&repo_path(p)),
                escape_data(message)
            )?,
            None => writeln!(w, "::error::{}", escape_data(message))?,
        }
    }
    writeln!(w, "{}", summary(run))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Finding;
    use crate::report::FileReport;
    use crate::span::Span;
    use std::sync::Arc;

    #[test]
    fn escapes_messages_and_properties() {
        assert_eq!(escape_data("100% sure\r\nnext"), "100%25 sure%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn a_message_with_percent_and_newline_stays_on_one_line() {
        let src = "s75lint: 1\nx: 1\n";
        let f = Finding::new(
            "X-RULE",
            Severity::Warning,
            "shares add up to 110%\nnot 100%".into(),
            Span::new(11, 15),
        );
        let mut waived = f.clone();
        waived.waived = Some(crate::finding::Waiver {
            reason: "accepted".into(),
            approved_by: "board".into(),
            expires: None,
        });
        let run = Run {
            files: vec![FileReport {
                findings: vec![f, waived],
                checked: true,
                rules_checked: vec!["X-RULE".into()],
                ..FileReport::new("dir,1/a:b.yaml", Arc::new(src.into()))
            }],
            errors: vec!["missing: no such file\nor directory".into()],
        };
        let mut out = Vec::new();
        write(&run, &RuleSet::empty(), &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "::warning file=dir%2C1/a%3Ab.yaml,line=2,col=1,endLine=2,endColumn=5,title=X-RULE::shares add up to 110%25%0Anot 100%25"
        );
        assert_eq!(lines[1], "::error::missing: no such file%0Aor directory");
        assert_eq!(lines.len(), 3, "{out}");
        assert!(lines[2].starts_with("1 agreement checked"), "{out}");
    }
}
