//! JSON output (`--format json`): one JSON document describing the whole run. The schema below
//! is the contract; a change that removes or changes the meaning of a field bumps `version`.
//! Fields may be added without a bump, so readers should ignore keys they do not know.
//!
//! # Schema, version 1
//!
//! The document is an object with exactly four keys:
//!
//! - `version` (integer): `1`.
//! - `findings` (array of finding objects): every finding in every file, in file order (the
//!   order files were reported, by path) and then by position in the file. Waived findings are
//!   listed too, with their waiver.
//! - `errors` (array of error objects): what stopped a file, or the run, from being checked:
//!   first each unreadable or refused file in file order, then the run's own errors (a path
//!   that does not exist, a directory with no agreement in it).
//! - `summary` (object): counts for the run.
//!
//! A **finding** object:
//!
//! - `rule` (string): the rule id, e.g. `S75-HOST` or `FMT-TYPE`.
//! - `severity` (string): `error`, `warning` or `info`, after any `severity ... when` override.
//! - `file` (string): the file's path as given or found (on Windows, with `/` between
//!   folders).
//! - `line`, `column` (integers, 1-based): where the finding's span starts. Columns count
//!   characters (Unicode scalar values), not bytes, as editors do.
//! - `end_line`, `end_column` (integers, 1-based): the position just past the span's last
//!   character (an exclusive end; for a span ending at the end of a line this is the column
//!   after the last character). Equal to `line`/`column` for an empty span.
//! - `offset` (integer): byte offset of the span from the start of the file (0-based; a
//!   leading UTF-8 byte order mark, if the file had one, is not counted).
//! - `length` (integer): length of the span in bytes.
//! - `message` (string): the plain-English message.
//! - `label` (string): the text of the primary label (what is underlined), possibly empty.
//! - `location` (string): where the finding is by keys and ids rather than lines, e.g.
//!   `pools[BCF].host`; possibly empty.
//! - `citations` (array of strings): the law or guidance cited; possibly empty.
//! - `help` (string or null): how to fix it.
//! - `fingerprint` (string): 16 lower-case hex digits identifying the finding by rule, file,
//!   `location` (not by line) and, for a second finding of a rule at one location, its
//!   occurrence; it survives edits elsewhere in the file, and no two findings of a file share it.
//! - `waived` (null, or object): the waiver accepting the finding. A waived finding does not
//!   count towards the summary or the exit code. The object has `reason` (string),
//!   `approved_by` (string) and `expires` (ISO date `YYYY-MM-DD`, or null when it does not).
//! - `labels` (array of label objects): further places the finding points at, each with
//!   `line`, `column`, `end_line`, `end_column`, `offset`, `length` (as for the finding) and
//!   `text` (string, possibly empty).
//!
//! An **error** object:
//!
//! - `file` (string or null): the file that could not be checked, or null for an error of the
//!   run itself.
//! - `message` (string): what went wrong.
//!
//! The **summary** object:
//!
//! - `files_checked` (integer): agreements checked.
//! - `errors`, `warnings`, `infos` (integers): findings of each severity, not counting waived
//!   ones.
//! - `waived` (integer): waived findings, of any severity.
//! - `tool_errors` (integer): the length of `errors`.
//!
//! Messages are plain text; where they mention a date they use the words of the human output
//! (`1 April 2025`). Dates that are fields of their own (`expires`) are ISO.

use super::{counts, display_path, tool_errors};
use crate::finding::{Severity, Waiver};
use crate::position::Position;
use crate::report::Run;
use crate::ruleset::RuleSet;
use serde::Serialize;
use std::io::Write;

/// The version of the schema this module writes.
pub(crate) const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: Findings<'a>,
    errors: Vec<ErrorOut<'a>>,
    summary: Summary,
}

/// Every finding of a run, serialised one at a time as the array is written: a run over a
/// large portfolio keeps its findings, but not a second, serialisable copy of all of them.
struct Findings<'a>(&'a Run);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.files.iter().flat_map(|file| {
            let path = display_path(&file.path);
            file.findings
                .iter()
                .map(move |f| finding_out(file, path.clone(), f))
        }))
    }
}

fn finding_out<'a>(
    file: &'a crate::report::FileReport,
    path: String,
    f: &'a crate::finding::Finding,
) -> FindingOut<'a> {
    FindingOut {
        rule: &f.rule,
        severity: f.severity,
        file: path,
        at: file.position(f.span).into(),
        message: &f.message,
        label: &f.label,
        location: &f.location,
        citations: &f.citations,
        help: f.help.as_deref(),
        fingerprint: f.fingerprint(&file.path),
        waived: f.waived.as_ref(),
        labels: f
            .labels
            .iter()
            .map(|l| LabelOut {
                at: file.position(l.span).into(),
                text: &l.text,
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule: &'a str,
    severity: Severity,
    file: String,
    #[serde(flatten)]
    at: At,
    message: &'a str,
    label: &'a str,
    location: &'a str,
    citations: &'a [String],
    help: Option<&'a str>,
    fingerprint: String,
    waived: Option<&'a Waiver>,
    labels: Vec<LabelOut<'a>>,
}

#[derive(Serialize)]
struct At {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    offset: usize,
    length: usize,
}

impl From<Position> for At {
    fn from(p: Position) -> At {
        At {
            line: p.line,
            column: p.column,
            end_line: p.end_line,
            end_column: p.end_column,
            offset: p.offset,
            length: p.length,
        }
    }
}

#[derive(Serialize)]
struct LabelOut<'a> {
    #[serde(flatten)]
    at: At,
    text: &'a str,
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    file: Option<String>,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files_checked: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    waived: usize,
    tool_errors: usize,
}

/// Writes the run as one JSON document (pretty-printed, ending in a newline).
pub fn write(run: &Run, _rules: &RuleSet, w: &mut dyn Write) -> std::io::Result<()> {
    let errors: Vec<ErrorOut> = tool_errors(run)
        .into_iter()
        .map(|(file, message)| ErrorOut {
            file: file.map(display_path),
            message,
        })
        .collect();
    let c = counts(run);
    let doc = Document {
        version: VERSION,
        findings: Findings(run),
        summary: Summary {
            files_checked: run.checked(),
            errors: c.errors,
            warnings: c.warnings,
            infos: c.infos,
            waived: c.waived,
            tool_errors: errors.len(),
        },
        errors,
    };
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)
}
