//! `s75lint test`: runs the examples written inside rules. An example is a small YAML
//! agreement, or a fragment whose top-level keys replace those of a shipped base agreement
//! (`using section_256`; the default base is the Better Care Fund pooled fund in
//! `fixtures/valid`). A failing example marks where each finding is expected with a comment
//! `# expect: RULE-ID` on that line, so a lost finding cannot pass unnoticed; the marker may
//! also give the severity and the columns (`# expect: S75-HOST error 5-62:144`), and then they
//! are checked too. The fixtures in `fixtures/invalid` carry the same markers ([`expectations`]).
//!
//! Each example is checked with only its own rule (plus the format checks), as of
//! [`EXAMPLE_TODAY`] unless `--today` says otherwise.

use crate::agreement::load::{load, Loaded};
use crate::agreement::values::Date;
use crate::finding::Severity;
use crate::lang::ast::{Example, Rule};
use crate::lang::eval::Ctx;
use crate::lang::RuleError;
use crate::position::line_col;
use crate::ruleset::RuleSet;
use crate::span::Span;

/// The date examples are checked against, so they give the same result whenever they run.
pub(crate) const EXAMPLE_TODAY: &str = "2025-11-01";

/// The shipped base agreements an example can be merged over: name, text.
pub const BASES: &[(&str, &str)] = &[
    (
        "bcf",
        include_str!("../fixtures/valid/bcf-pooled-fund.yaml"),
    ),
    (
        "lead_commissioning",
        include_str!("../fixtures/valid/lead-commissioning-ld.yaml"),
    ),
    (
        "integrated_provision",
        include_str!("../fixtures/valid/integrated-provision-mh.yaml"),
    ),
    (
        "aligned_budget",
        include_str!("../fixtures/valid/aligned-budget.yaml"),
    ),
    (
        "section_256",
        include_str!("../fixtures/valid/section-256-grant.yaml"),
    ),
    (
        "care_trust",
        include_str!("../fixtures/valid/care-trust.yaml"),
    ),
];

/// One problem found while testing a rule's examples.
#[derive(Debug)]
pub(crate) struct Problem {
    /// Error (a failed expectation, an invalid example) or warning (a rule without examples).
    pub severity: Severity,
    /// The diagnostic, located in the rule file.
    pub error: RuleError,
}

/// The outcome of testing a rule set's examples.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// Examples that behaved as expected.
    pub passed: usize,
    /// Examples that did not.
    pub failed: usize,
    /// What went wrong, in rule order.
    pub problems: Vec<Problem>,
}

/// Builds the agreement text of an example: the example itself when it is a whole agreement
/// (it has `s75lint:`), otherwise the example followed by the base agreement without the
/// top-level keys the example gives. The example comes first so that its lines keep their
/// numbers and a finding about the agreement as a whole lands on its first line.
pub fn agreement_text(example: &str, base: &str) -> String {
    let keys: Vec<&str> = example.lines().filter_map(top_key).collect();
    if keys.contains(&"s75lint") {
        return example.to_string();
    }
    let mut out = String::with_capacity(example.len() + base.len() + 1);
    out.push_str(example);
    out.push('\n');
    let mut skipping = false;
    for line in base.lines() {
        if let Some(k) = top_key(line) {
            skipping = keys.contains(&k);
        } else if !line.starts_with([' ', '\t', '#', '-']) && !line.trim().is_empty() {
            skipping = false;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The key of a top-level `key:` line.
fn top_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '#', '-']) {
        return None;
    }
    let (k, _) = line.split_once(':')?;
    let k = k.trim();
    (!k.is_empty() && !k.contains(' ')).then_some(k)
}

/// One `# expect:` marker: a finding of `rule` must start on the marker's line. Rule examples
/// and the fixtures in `fixtures/invalid` are read with the same markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    /// The line (1-based) the marker is on, where the finding starts.
    pub line: usize,
    /// The rule id.
    pub rule: String,
    /// The finding's severity, when the marker states it.
    pub severity: Option<Severity>,
    /// The finding's exact extent, when the marker states it.
    pub extent: Option<Extent>,
}

/// Where a marked finding starts and ends, in characters as editors count them (1-based); the
/// end is just past the last character, as in the JSON output's `end_column`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    /// The start column on the marker's line.
    pub column: usize,
    /// The line the finding ends on.
    pub end_line: usize,
    /// The column just past its end.
    pub end_column: usize,
}

impl Extent {
    /// As a marker writes it, for a finding starting on line `line`: `5-62:144`, or `3-133`
    /// when it ends on the same line.
    pub fn describe(&self, line: usize) -> String {
        if self.end_line == line {
            format!("{}-{}", self.column, self.end_column)
        } else {
            format!("{}-{}:{}", self.column, self.end_line, self.end_column)
        }
    }
}

/// The line a span starts on, and its extent, in `text`.
pub fn extent_of(text: &str, span: Span) -> (usize, Extent) {
    let (line, column) = line_col(text, span.start);
    let (end_line, end_column) = line_col(text, span.end);
    (
        line,
        Extent {
            column,
            end_line,
            end_column,
        },
    )
}

/// A marker item that could not be read: its line and the text of the item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadMarker {
    /// The line (1-based) it is on.
    pub line: usize,
    /// The item as written.
    pub item: String,
}

/// Reads every `# expect:` marker in `text`. A marker holds comma-separated items
/// `RULE-ID [SEVERITY] [COLUMN-END]`, where END is a column on the same line or `LINE:COLUMN`:
/// `# expect: S75-HOST`, `# expect: AC-VAT warning 3-133`, `# expect: S75-HOST error 5-62:144`.
pub fn expectations(text: &str) -> Vec<Result<Expect, BadMarker>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(pos) = line.find("# expect:") else {
            continue;
        };
        for item in line[pos + "# expect:".len()..]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            out.push(expectation(i + 1, item).ok_or_else(|| BadMarker {
                line: i + 1,
                item: item.to_string(),
            }));
        }
    }
    out
}

/// One marker item on line `line`, or `None` when it is not `RULE-ID [SEVERITY] [COLUMN-END]`.
fn expectation(line: usize, item: &str) -> Option<Expect> {
    let mut words = item.split_whitespace();
    let rule = words.next()?.to_string();
    let mut severity = None;
    let mut extent = None;
    for word in words {
        if let Some(s) = Severity::parse(word).filter(|_| severity.is_none() && extent.is_none()) {
            severity = Some(s);
        } else if extent.is_none() {
            let (column, end) = word.split_once('-')?;
            let (end_line, end_column) = match end.split_once(':') {
                Some((l, c)) => (l.parse().ok()?, c.parse().ok()?),
                None => (line, end.parse().ok()?),
            };
            extent = Some(Extent {
                column: column.parse().ok()?,
                end_line,
                end_column,
            });
        } else {
            return None;
        }
    }
    Some(Expect {
        line,
        rule,
        severity,
        extent,
    })
}

/// Byte span in the rule file of line `n` (1-based) of an example's dedented text.
fn line_span(file_text: &str, ex: &Example, n: usize) -> Span {
    let raw = file_text.get(ex.span.start..ex.span.end).unwrap_or("");
    let mut offset = ex.span.start;
    let mut lines: Vec<(usize, &str)> = Vec::new();
    for l in raw.split_inclusive('\n') {
        lines.push((offset, l.trim_end_matches(['\n', '\r'])));
        offset += l.len();
    }
    let skipped = lines
        .iter()
        .take_while(|(_, l)| l.trim().is_empty())
        .count();
    match lines.get(skipped + n.saturating_sub(1)) {
        Some((start, l)) => {
            let indent = l.len() - l.trim_start().len();
            Span::new(start + indent, start + l.len())
        }
        None => ex.span,
    }
}

fn problem(sev: Severity, msg: String, span: Span, help: Option<String>) -> Problem {
    let mut e = RuleError::new(msg, span);
    e.help = help;
    e.code = "rule-test";
    e.warning = sev == Severity::Warning;
    Problem {
        severity: sev,
        error: e,
    }
}

/// Runs every example of every rule in `rules` (the set's files give the text for locating
/// problems).
pub(crate) fn run(rules: &RuleSet, today: Date) -> Report {
    let mut report = Report::default();
    for rule in &rules.rules {
        let file = &rules.files[rule.file];
        let text = file.source.inner().as_str();
        let first_problem = report.problems.len();
        if rule.examples.is_empty() {
            report.problems.push(problem(
                Severity::Warning,
                format!("rule {} has no examples", rule.id),
                rule.id_span,
                Some("Add an `example \"...\" fails` with `# expect:` markers and an `example \"...\" passes`.".into()),
            ));
        } else if !rule.examples.iter().any(|e| e.passes) || rule.examples.iter().all(|e| e.passes)
        {
            report.problems.push(problem(
                Severity::Warning,
                format!(
                    "rule {} needs both a passing and a failing example",
                    rule.id
                ),
                rule.id_span,
                None,
            ));
        }
        for ex in &rule.examples {
            let before = report.problems.len();
            test_example(rule, ex, text, today, &mut report.problems);
            let failed = report.problems[before..]
                .iter()
                .any(|p| p.severity == Severity::Error);
            if failed {
                report.failed += 1;
            } else {
                report.passed += 1;
            }
        }
        for p in &mut report.problems[first_problem..] {
            p.error.source = Some(file.source.clone());
        }
    }
    report
}

fn test_example(rule: &Rule, ex: &Example, file_text: &str, today: Date, out: &mut Vec<Problem>) {
    let base_name = ex.base.as_ref().map_or("bcf", |(b, _)| b.as_str());
    let Some((_, base)) = BASES.iter().find(|(n, _)| *n == base_name) else {
        let span = ex.base.as_ref().map_or(ex.span, |(_, s)| *s);
        let names: Vec<&str> = BASES.iter().map(|b| b.0).collect();
        let hint = crate::suggest::did_you_mean(base_name, names.iter().copied()).map_or_else(
            || format!("the bases are: {}", names.join(", ")),
            |s| format!("did you mean `{s}`?"),
        );
        out.push(problem(
            Severity::Error,
            format!("there is no base agreement `{base_name}`"),
            span,
            Some(hint),
        ));
        return;
    };
    let whole = agreement_text(&ex.yaml, base);
    let label = format!("example \"{}\" of {}", ex.name, rule.id);
    let mut marked = Vec::new();
    for m in expectations(&ex.yaml) {
        match m {
            Ok(e) if e.rule == rule.id => marked.push(e),
            Ok(e) => out.push(problem(
                Severity::Error,
                format!("{label} expects {}, but it tests {}", e.rule, rule.id),
                line_span(file_text, ex, e.line),
                Some(
                    "An example tests only its own rule; move this marker to an example of that rule."
                        .into(),
                ),
            )),
            Err(bad) => out.push(problem(
                Severity::Error,
                format!("{label}: the marker `{}` cannot be read", bad.item),
                line_span(file_text, ex, bad.line),
                Some(
                    "Write `# expect: RULE-ID`, optionally followed by the severity and the columns, like `# expect: S75-HOST error 5-62:144`."
                        .into(),
                ),
            )),
        }
    }
    let expected: Vec<usize> = marked.iter().map(|e| e.line).collect();
    let (doc, fmt) = match load(&whole, true) {
        Loaded::Agreement(doc, f) => (doc, f),
        Loaded::Failed(f) => (crate::agreement::doc::Doc::default(), f),
        Loaded::NotYaml(f) => (crate::agreement::doc::Doc::default(), vec![f]),
        Loaded::NotAgreement(why) => {
            out.push(problem(
                Severity::Error,
                format!("{label} is not an agreement: {why}"),
                ex.span,
                None,
            ));
            return;
        }
    };
    // An example must itself be a valid agreement; otherwise a "pass" would prove nothing.
    let ex_lines = ex.yaml.lines().count();
    let place = |span: Span| -> (usize, Span) {
        let (line, _) = line_col(&whole, span.start);
        if line <= ex_lines {
            (line, line_span(file_text, ex, line))
        } else {
            (line, ex.span)
        }
    };
    for f in fmt.iter().filter(|f| f.severity == Severity::Error) {
        let (line, span) = place(f.span);
        let wherein = if line <= ex_lines {
            format!("line {line} of the example")
        } else {
            format!("line {} of the base agreement", line - ex_lines)
        };
        out.push(problem(
            Severity::Error,
            format!(
                "{label} is not a valid agreement: {} ({}, {wherein})",
                f.message, f.rule
            ),
            span,
            Some(
                "Fix the example so that it loads; only then does its result mean anything.".into(),
            ),
        ));
    }
    if fmt.iter().any(|f| f.severity == Severity::Error) {
        return;
    }
    let mut findings = Vec::new();
    Ctx::new(&doc, today).run_rule(rule, &mut findings);
    let mut found: Vec<usize> = findings
        .iter()
        .map(|f| line_col(&whole, f.span.start).0)
        .collect();
    found.sort_unstable();
    found.dedup();
    if ex.passes {
        for f in &findings {
            let (line, span) = place(f.span);
            out.push(problem(
                Severity::Error,
                format!(
                    "{label} should pass, but {} reports: {} (line {line})",
                    rule.id, f.message
                ),
                span,
                None,
            ));
        }
        return;
    }
    if expected.is_empty() {
        out.push(problem(
            Severity::Error,
            format!(
                "{label} fails but marks no place where {} is expected",
                rule.id
            ),
            ex.span,
            Some(format!(
                "Add `# expect: {}` at the end of the line where the finding should point.",
                rule.id
            )),
        ));
        return;
    }
    for line in &expected {
        if !found.contains(line) {
            let elsewhere = if found.is_empty() {
                "it reports nothing".to_string()
            } else {
                format!(
                    "it reports on line(s) {}",
                    found
                        .iter()
                        .map(usize::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            out.push(problem(
                Severity::Error,
                format!(
                    "{label}: expected {} on line {line}, but {elsewhere}",
                    rule.id
                ),
                line_span(file_text, ex, *line),
                None,
            ));
        }
    }
    // A marker that states the severity or the columns must match a finding on its line.
    for e in marked
        .iter()
        .filter(|e| e.severity.is_some() || e.extent.is_some())
    {
        let on_line: Vec<_> = findings
            .iter()
            .map(|f| (f.severity, extent_of(&whole, f.span)))
            .filter(|(_, (line, _))| *line == e.line)
            .collect();
        let matches = |(sev, (_, x)): &(Severity, (usize, Extent))| {
            e.severity.is_none_or(|s| s == *sev) && e.extent.is_none_or(|want| want == *x)
        };
        if !on_line.is_empty() && !on_line.iter().any(matches) {
            let got: Vec<String> = on_line
                .iter()
                .map(|(sev, (_, x))| format!("{sev} {}", x.describe(e.line)))
                .collect();
            out.push(problem(
                Severity::Error,
                format!(
                    "{label}: {} on line {} is {}, not what the marker says",
                    rule.id,
                    e.line,
                    got.join(" and ")
                ),
                line_span(file_text, ex, e.line),
                None,
            ));
        }
    }
    for f in &findings {
        let (line, span) = place(f.span);
        if !expected.contains(&line) {
            out.push(problem(
                Severity::Error,
                format!(
                    "{label}: unexpected {} on line {line}: {}",
                    rule.id, f.message
                ),
                span,
                Some(format!(
                    "Mark the line with `# expect: {}` if this finding is intended.",
                    rule.id
                )),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_replace_top_level_keys_of_the_base() {
        let base = "# c\ns75lint: 1\nid: X\nterms:\n  a: 1\n  b: 2\nend: 2026-01-01\n";
        let merged = agreement_text("terms:\n  a: 3", base);
        assert_eq!(
            merged,
            "terms:\n  a: 3\n# c\ns75lint: 1\nid: X\nend: 2026-01-01\n"
        );
        assert_eq!(
            agreement_text("s75lint: 1\nid: Y", base),
            "s75lint: 1\nid: Y"
        );
    }

    #[test]
    fn markers_are_read_with_optional_severity_and_extent() {
        let text = "a: 1 # expect: S75-HOST\nb: 2 # expect: S75-HOST error 5-62:144, AC-VAT warning 3-9\nc: # expect: X oops\n";
        let got = expectations(text);
        let plain = |line, rule: &str| Expect {
            line,
            rule: rule.into(),
            severity: None,
            extent: None,
        };
        assert_eq!(got[0], Ok(plain(1, "S75-HOST")));
        assert_eq!(
            got[1],
            Ok(Expect {
                severity: Some(Severity::Error),
                extent: Some(Extent {
                    column: 5,
                    end_line: 62,
                    end_column: 144
                }),
                ..plain(2, "S75-HOST")
            })
        );
        let vat = got[2].clone().unwrap();
        assert_eq!(
            (vat.severity, vat.extent.map(|x| x.describe(2))),
            (Some(Severity::Warning), Some("3-9".into()))
        );
        assert_eq!(
            got[3],
            Err(BadMarker {
                line: 3,
                item: "X oops".into()
            })
        );
        assert_eq!(got.len(), 4);
    }
}
