//! JUnit XML output (`--format junit`), for CI systems that show test reports.
//!
//! One `<testsuite>` per agreement checked (named by its path), with one `<testcase>` per rule
//! that applied to it, plus one per rule (such as a `FMT-` rule) that found something without
//! being in that list. A testcase fails when the rule has counting (not waived) findings in the
//! file at or above the level that fails the run (`fail_on`, `--deny-warnings`; errors by
//! default), so the report and the exit code agree; the `<failure>` body lists them as
//! `file:line:col: message`. Findings below that level and waived findings do not fail a
//! testcase; they are listed in its `<system-out>` as `file:line:col: severity: message`. A file that could not be read is a testsuite with one testcase `read` in
//! error, and the run's own errors (a path that does not exist, say) are testcases `run` in a
//! testsuite named `s75lint`.

use super::{display_path, waiver_text};
use crate::finding::{Finding, Severity};
use crate::report::{FileReport, Run};
use crate::ruleset::RuleSet;
use std::fmt::Write as _;
use std::io::Write;

/// Text made safe for an XML 1.0 attribute value: `& < > " '` escaped, line breaks and tabs
/// written as character references (a parser would otherwise turn them into spaces), and
/// characters XML 1.0 does not allow at all (most control characters, U+FFFE, U+FFFF) dropped.
pub(crate) fn escape(s: &str) -> String {
    escape_as(s, true)
}

/// Text made safe for XML 1.0 character data: as [`escape`], but line feeds and tabs are kept
/// as they are (a carriage return is still a reference, which parsers would otherwise drop).
pub(crate) fn escape_text(s: &str) -> String {
    escape_as(s, false)
}

fn escape_as(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' if !attr => out.push(c),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether XML 1.0 allows the character (`Char` production, less the line breaks and tab,
/// which [`escape`] handles itself).
fn allowed(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// One testcase, ready to write.
struct Case {
    name: String,
    classname: String,
    /// `(message, type, body)` of a failure.
    failure: Option<(String, &'static str, String)>,
    /// `(message, type, body)` of an error.
    error: Option<(String, &'static str, String)>,
    out: String,
}

struct Suite {
    name: String,
    cases: Vec<Case>,
}

impl Suite {
    fn failures(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_some()).count()
    }
    fn errors(&self) -> usize {
        self.cases.iter().filter(|c| c.error.is_some()).count()
    }
}

fn place(file: &FileReport, f: &Finding) -> String {
    let p = file.position(f.span);
    let (line, col) = (p.line, p.column);
    format!("{}:{line}:{col}", display_path(&file.path))
}

fn file_suite(file: &FileReport, fail_at: Severity) -> Suite {
    let path = display_path(&file.path);
    let mut ids: Vec<&str> = file.rules_checked.iter().map(String::as_str).collect();
    for f in &file.findings {
        if !ids.contains(&f.rule.as_str()) {
            ids.push(&f.rule);
        }
    }
    let cases = ids
        .into_iter()
        .map(|id| {
            let found: Vec<&Finding> = file.findings.iter().filter(|f| f.rule == id).collect();
            let failing: Vec<&Finding> = found
                .iter()
                .copied()
                .filter(|f| f.counts() && f.severity >= fail_at)
                .collect();
            let failure = (!failing.is_empty()).then(|| {
                let kind = if failing.iter().any(|f| f.severity == Severity::Error) {
                    "error"
                } else {
                    "warning"
                };
                let message = match failing.as_slice() {
                    [one] => one.message.clone(),
                    many => format!("{} findings: {}", many.len(), many[0].message),
                };
                let mut body = String::new();
                for f in &failing {
                    let _ = writeln!(body, "{}: {}", place(file, f), f.message);
                }
                (message, kind, body)
            });
            let mut out = String::new();
            for f in &found {
                if let Some(w) = &f.waived {
                    let _ = writeln!(
                        out,
                        "{}: {}: {} (waived: {})",
                        place(file, f),
                        f.severity,
                        f.message,
                        waiver_text(w)
                    );
                } else if f.severity < fail_at {
                    let _ = writeln!(out, "{}: {}: {}", place(file, f), f.severity, f.message);
                }
            }
            Case {
                name: id.to_string(),
                classname: path.clone(),
                failure,
                error: None,
                out,
            }
        })
        .collect();
    Suite { name: path, cases }
}

fn error_case(name: &str, classname: &str, message: &str) -> Case {
    Case {
        name: name.to_string(),
        classname: classname.to_string(),
        failure: None,
        error: Some((message.to_string(), name_type(name), message.to_string())),
        out: String::new(),
    }
}

fn name_type(name: &str) -> &'static str {
    if name == "read" {
        "read"
    } else {
        "run"
    }
}

/// Writes the run as a JUnit XML report, failing test cases on errors (the default gate).
pub fn write(run: &Run, rules: &RuleSet, w: &mut dyn Write) -> std::io::Result<()> {
    write_failing_at(run, rules, Severity::Error, w)
}

/// Writes the run as a JUnit XML report in which findings at or above `fail_at` (the level
/// that fails the run) fail their test case.
pub(crate) fn write_failing_at(
    run: &Run,
    _rules: &RuleSet,
    fail_at: Severity,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let mut suites: Vec<Suite> = Vec::new();
    for file in &run.files {
        if let Some(e) = &file.error {
            let path = display_path(&file.path);
            suites.push(Suite {
                cases: vec![error_case("read", &path, e)],
                name: path,
            });
        } else if file.checked {
            suites.push(file_suite(file, fail_at));
        }
    }
    if !run.errors.is_empty() {
        suites.push(Suite {
            name: "s75lint".into(),
            cases: run
                .errors
                .iter()
                .map(|e| error_case("run", "s75lint", e))
                .collect(),
        });
    }

    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    let errors: usize = suites.iter().map(Suite::errors).sum();
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<testsuites name=\"s75lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    );
    for s in &suites {
        let _ = writeln!(
            x,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">",
            escape(&s.name),
            s.cases.len(),
            s.failures(),
            s.errors()
        );
        for c in &s.cases {
            let _ = write!(
                x,
                "    <testcase name=\"{}\" classname=\"{}\"",
                escape(&c.name),
                escape(&c.classname)
            );
            if c.failure.is_none() && c.error.is_none() && c.out.is_empty() {
                x.push_str("/>\n");
                continue;
            }
            x.push_str(">\n");
            for (tag, what) in [("failure", &c.failure), ("error", &c.error)] {
                if let Some((message, kind, body)) = what {
                    let _ = writeln!(
                        x,
                        "      <{tag} message=\"{}\" type=\"{kind}\">{}</{tag}>",
                        escape(message),
                        escape_text(body)
                    );
                }
            }
            if !c.out.is_empty() {
                let _ = writeln!(x, "      <system-out>{}</system-out>", escape_text(&c.out));
            }
            x.push_str("    </testcase>\n");
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    w.write_all(x.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(
            escape("a & b < c > d \"e\" 'f'"),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;"
        );
        assert_eq!(escape("x\u{0}y\u{1b}z\u{FFFE}"), "xyz");
        assert_eq!(escape("1\n2\t3\r"), "1&#10;2&#9;3&#13;");
        assert_eq!(escape("£ é 😀"), "£ é 😀");
        assert_eq!(escape_text("1\n2\t3\r<"), "1\n2\t3&#13;&lt;");
    }
}
