//! The sign-off pack: what goes to people who never open a terminal.
//!
//! - `s75lint report PATHS -o report.html`: one self-contained HTML page ([`html`]);
//! - `s75lint register PATHS --format csv|json`: one row per pool and per scheme ([`register`]);
//! - `s75lint calendar PATHS -o obligations.ics`: every dated obligation ([`calendar`]).
//!
//! All three run the normal check ([`check_paths_with_docs`]), which hands over each loaded
//! agreement with its findings; the facts (dates, money, obligations) are read from that loaded
//! tree ([`facts`]), never from the text again. The renderers only format a [`Portfolio`].
//!
//! Exit codes: 0 the output was written; 2 it could not be (bad arguments or rules, a path that
//! does not exist, an unreadable agreement, an output that cannot be written). Findings do not
//! change the exit code: `s75lint check` is the gate, these are the papers.

pub(crate) mod calendar;
pub(crate) mod facts;
pub(crate) mod html;
pub(crate) mod register;

use crate::agreement::values::Date;
use crate::check::{check_paths_with_docs, Options};
use crate::exit::{EXIT_CLEAN, EXIT_TOOL};
use crate::finding::{Finding, Severity};
use crate::position::Positions;
use crate::report::Counts;
use crate::ruleset::RuleSet;
use crate::setup::RuleArgs;
use crate::span::Span;
use facts::Facts;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments every sign-off command takes.
#[derive(clap::Args, Debug)]
pub(crate) struct Common {
    /// Files or directories of agreements [default: the current directory].
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rule_args: RuleArgs,
    /// The date to treat as today, YYYY-MM-DD (what falls due is counted from it; also read
    /// from the S75LINT_TODAY environment variable).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, env = "S75LINT_TODAY")]
    today: Option<Date>,
    /// The file to write [default: standard output]. Never one of the agreements.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Arguments of `s75lint report`.
#[derive(clap::Args, Debug)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    common: Common,
}

/// Arguments of `s75lint register`.
#[derive(clap::Args, Debug)]
pub(crate) struct RegisterArgs {
    #[command(flatten)]
    common: Common,
    /// csv (for a spreadsheet) or json.
    #[arg(long, value_enum, default_value_t = register::RegisterFormat::Csv)]
    format: register::RegisterFormat,
    /// Start the CSV with a byte order mark, so older Excel reads it as UTF-8.
    #[arg(long)]
    bom: bool,
}

/// Arguments of `s75lint calendar`.
#[derive(clap::Args, Debug)]
pub(crate) struct CalendarArgs {
    #[command(flatten)]
    common: Common,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| format!("`{s}` is not a date like 2025-04-01"))
}

/// A quoted line of an agreement, split around the part a finding points at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Quoted {
    /// 1-based line number.
    pub line: usize,
    /// Text before the marked part.
    pub before: String,
    /// The marked part.
    pub marked: String,
    /// Text after it.
    pub after: String,
}

/// A finding with where it is and the lines it points at.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    /// The finding.
    pub finding: Finding,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The lines it points at (at most [`MAX_QUOTED`]).
    pub quoted: Vec<Quoted>,
    /// The compliance area it belongs to (an index into [`html::AREAS`]).
    pub area: usize,
}

/// Lines quoted for one finding at most.
pub(crate) const MAX_QUOTED: usize = 4;

/// One agreement (or file that should have been one) of the portfolio.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The file.
    pub path: String,
    /// Its facts, when it loaded as an agreement.
    pub facts: Option<Facts>,
    /// Its findings, in file order.
    pub items: Vec<Item>,
    /// Rules that applied to it and were checked.
    pub rules_checked: Vec<String>,
    /// Its finding counts.
    pub counts: Counts,
    /// What stopped it being checked, if anything.
    pub problem: Option<String>,
}

impl Entry {
    /// The agreement's id, or its file when it has none.
    pub(crate) fn id(&self) -> &str {
        match &self.facts {
            Some(f) => f.id_or(&self.path),
            None => &self.path,
        }
    }
}

/// Everything the sign-off outputs show.
#[derive(Debug, Clone)]
pub(crate) struct Portfolio {
    /// The date what falls due is counted from.
    pub today: Date,
    /// The agreements, in path order.
    pub entries: Vec<Entry>,
    /// Problems with the run itself (a path that does not exist, a folder with no agreement).
    pub errors: Vec<String>,
    /// Compliance area of each rule id checked in this run.
    pub areas: HashMap<String, usize>,
}

impl Portfolio {
    /// Finding counts over the whole portfolio.
    pub(crate) fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for e in &self.entries {
            c.errors += e.counts.errors;
            c.warnings += e.counts.warnings;
            c.infos += e.counts.infos;
            c.waived += e.counts.waived;
        }
        c
    }
}

/// The lines `span` covers in `src`, split around it.
fn quote(src: &str, starts: &[usize], span: Span, line: usize) -> Vec<Quoted> {
    let mut out = Vec::new();
    let mut l = line;
    while l <= starts.len() && out.len() < MAX_QUOTED {
        let a = starts[l - 1];
        let b = starts.get(l).copied().unwrap_or(src.len());
        if a > span.end.max(span.start) || (a == span.end && l > line) {
            break;
        }
        let text = src.get(a..b).unwrap_or("").trim_end_matches(['\n', '\r']);
        let cut = |x: usize| {
            let mut x = x.clamp(a, a + text.len()) - a;
            while x > 0 && !text.is_char_boundary(x) {
                x -= 1;
            }
            x
        };
        let (s, e) = (cut(span.start), cut(span.end.max(span.start)));
        out.push(Quoted {
            line: l,
            before: text[..s].to_string(),
            marked: text[s..e].to_string(),
            after: text[e..].to_string(),
        });
        l += 1;
    }
    out
}

/// Byte offsets where each line of `src` starts.
fn line_starts(src: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', src.as_bytes()).map(|i| i + 1))
        .filter(|&i| i < src.len() || i == 0)
        .collect()
}

/// Checks the paths and gathers what the sign-off outputs show. `quotes`: keep the lines each
/// finding points at (the HTML report shows them; the register and calendar do not).
pub(crate) fn gather(
    paths: &[PathBuf],
    rules: &RuleSet,
    opts: &Options,
    quotes: bool,
) -> Portfolio {
    let areas: HashMap<String, usize> = rules
        .rules
        .iter()
        .map(|r| (r.id.clone(), html::area_of(&r.id, &r.citations)))
        .collect();
    let area = |id: &str| {
        areas
            .get(id)
            .copied()
            .unwrap_or_else(|| html::area_of(id, &[]))
    };
    let mut entries = Vec::new();
    let errors = check_paths_with_docs(paths, rules, opts, |r, doc| {
        if !r.checked && r.error.is_none() {
            return;
        }
        let index = Positions::new(&r.source);
        let starts = if quotes && !r.findings.is_empty() {
            line_starts(&r.source)
        } else {
            Vec::new()
        };
        let line_of = |s: Span| index.of(s).line;
        let facts = doc.map(|d| Facts::read(&d, &line_of, opts.today));
        let mut counts = Counts::default();
        let items = r
            .findings
            .into_iter()
            .map(|f| {
                counts.add(&f);
                let p = index.of(f.span);
                let quoted = if quotes {
                    quote(&r.source, &starts, f.span, p.line)
                } else {
                    Vec::new()
                };
                Item {
                    area: area(&f.rule),
                    line: p.line,
                    column: p.column,
                    quoted,
                    finding: f,
                }
            })
            .collect();
        entries.push(Entry {
            path: r.path,
            facts,
            items,
            rules_checked: r.rules_checked,
            counts,
            problem: r.error,
        });
    });
    Portfolio {
        today: opts.today,
        entries,
        errors,
        areas,
    }
}

/// The run's options from the configuration and command line, as `check` sets them.
fn options(cfg: crate::config::Config, today: Option<Date>, rules: &mut RuleSet) -> Options {
    Options::from_config(cfg, today.unwrap_or_else(Date::today_utc), rules)
}

/// Runs the check for a sign-off command, renders its output and writes it. Returns the exit
/// code.
fn run(common: &Common, quotes: bool, render: impl FnOnce(&Portfolio) -> Vec<u8>) -> i32 {
    let paths = if common.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        common.paths.clone()
    };
    let Some((cfg, mut rules)) = crate::setup::load_setup(&common.rule_args, &paths[0]) else {
        return EXIT_TOOL;
    };
    let opts = options(cfg, common.today, &mut rules);
    let portfolio = gather(&paths, &rules, &opts, quotes);
    for e in &portfolio.errors {
        eprintln!("error: {e}");
    }
    for e in &portfolio.entries {
        if let Some(p) = &e.problem {
            eprintln!("error: {}: {p}", e.path);
        }
    }
    if let Some(out) = &common.output {
        if let Some(e) = portfolio
            .entries
            .iter()
            .find(|e| same_file(Path::new(&e.path), out))
        {
            eprintln!(
                "error: {} is one of the agreements checked; s75lint never writes to them",
                e.path
            );
            return EXIT_TOOL;
        }
    }
    let bytes = render(&portfolio);
    let written = match &common.output {
        Some(path) => std::fs::write(path, &bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|()| out.flush())
                .map_err(|e| format!("cannot write to standard output: {e}"))
        }
    };
    if let Err(e) = written {
        eprintln!("error: {e}");
        return EXIT_TOOL;
    }
    let c = portfolio.counts();
    eprintln!(
        "{} agreement(s): {} error(s), {} warning(s), {} waived{}",
        portfolio
            .entries
            .iter()
            .filter(|e| e.facts.is_some() || e.problem.is_none())
            .count(),
        c.errors,
        c.warnings,
        c.waived,
        common
            .output
            .as_ref()
            .map(|p| format!("; wrote {}", p.display()))
            .unwrap_or_default()
    );
    if portfolio.errors.is_empty() && portfolio.entries.iter().all(|e| e.problem.is_none()) {
        EXIT_CLEAN
    } else {
        EXIT_TOOL
    }
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// `s75lint report`: the HTML sign-off report.
pub(crate) fn report(args: ReportArgs) -> i32 {
    run(&args.common, true, |p| html::render(p).into_bytes())
}

/// `s75lint register`: the register of pools and schemes.
pub(crate) fn register(args: RegisterArgs) -> i32 {
    let (format, bom) = (args.format, args.bom);
    run(&args.common, false, |p| register::render(p, format, bom))
}

/// `s75lint calendar`: the obligations calendar.
pub(crate) fn calendar(args: CalendarArgs) -> i32 {
    run(&args.common, false, |p| calendar::render(p).into_bytes())
}

/// Words for a severity, for people: `error`, `warning`, `note`.
pub(crate) fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_splits_the_marked_part_line_by_line() {
        let src = "a: 1\nhost: exc\nname: x\n";
        let starts = line_starts(src);
        let q = quote(src, &starts, Span { start: 11, end: 14 }, 2);
        assert_eq!(q.len(), 1);
        assert_eq!(
            (
                q[0].before.as_str(),
                q[0].marked.as_str(),
                q[0].after.as_str()
            ),
            ("host: ", "exc", "")
        );
        let q = quote(src, &starts, Span { start: 5, end: 22 }, 2);
        assert_eq!(q.len(), 2);
        assert_eq!(q[1].marked, "name: x");
    }
}
