//! Checking agreements, start to end: find the files ([`crate::files`]), load each
//! ([`crate::agreement::load`]), run the rules and waivers over it, apply the configuration and
//! sort the findings into a [`FileReport`]. Files are checked in parallel, in bounded chunks;
//! results come back in path order, chunk by chunk, so a run over any number of files holds
//! only a few chunks of text at once (see [`check_paths_with`]).

use crate::agreement::doc::Doc;
use crate::agreement::load::{load, Loaded};
use crate::agreement::values::Date;
use crate::files::{self, Found};
use crate::finding::{Finding, Severity};
use crate::lang::eval::Ctx;
use crate::report::{empty_source, FileReport, Run};
use crate::ruleset::RuleSet;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Files checked together in one parallel step of [`check_paths_with`]. Big enough to keep every
/// core busy between steps, small enough that the text held at once stays a few megabytes.
const CHUNK: usize = 256;

use crate::finding::MAX_FINDINGS_PER_FILE;

/// Cuts a file's findings to [`MAX_FINDINGS_PER_FILE`], adding the finding that says checking
/// stopped; true when it did.
fn bounded(findings: &mut Vec<Finding>) -> bool {
    if findings.len() < MAX_FINDINGS_PER_FILE {
        return false;
    }
    findings.truncate(MAX_FINDINGS_PER_FILE);
    let at = findings.last().map(|f| f.span).unwrap_or_default();
    let mut f = Finding::new(
        crate::builtin_rules::FMT_YAML.id,
        Severity::Error,
        format!(
            "checking this file stopped after {MAX_FINDINGS_PER_FILE} findings; \
             fix those and check it again"
        ),
        at,
    );
    f.label = "the last finding kept".into();
    f.help = Some(
        "s75lint keeps at most 10,000 findings per file so that any file is checked in bounded \
         time and memory"
            .into(),
    );
    findings.push(f);
    true
}

/// Settings for a run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The date rules treat as today.
    pub today: Date,
    /// Rule ids whose findings are dropped (switched off in the configuration).
    pub disabled: Vec<String>,
    /// Severity overrides per rule id (from the configuration).
    pub severity: Vec<(String, Severity)>,
    /// The configuration, for its `exclude` globs.
    pub config: Option<Arc<crate::config::Config>>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            today: Date::today_utc(),
            disabled: Vec::new(),
            severity: Vec::new(),
            config: None,
        }
    }
}

impl Options {
    /// The options a configuration asks for, as every command applies them: its switched-off
    /// rules dropped from `rules` (and their findings from any built-in check), its severity
    /// overrides, and its `exclude` globs.
    pub(crate) fn from_config(
        cfg: crate::config::Config,
        today: Date,
        rules: &mut RuleSet,
    ) -> Options {
        let disabled: Vec<String> = cfg.disable.iter().map(|(id, _)| id.clone()).collect();
        rules.rules.retain(|r| !disabled.contains(&r.id));
        Options {
            today,
            disabled,
            severity: cfg
                .severity
                .iter()
                .map(|(id, s, _)| (id.clone(), *s))
                .collect(),
            config: Some(Arc::new(cfg)),
        }
    }

    /// True when the configuration's `exclude` globs leave `path` out.
    pub(crate) fn excluded(&self, path: &Path) -> bool {
        self.config.as_ref().is_some_and(|c| c.excludes(path))
    }

    /// Applies the configuration's switches and severity overrides to a file's findings.
    fn adjust(&self, findings: &mut Vec<Finding>) {
        if !self.disabled.is_empty() {
            findings.retain(|f| !self.disabled.contains(&f.rule));
        }
        for f in findings.iter_mut() {
            if let Some((_, s)) = self.severity.iter().find(|(id, _)| *id == f.rule) {
                f.severity = *s;
            }
        }
    }
}

/// What every file of a run needs from the rule set, made once per run rather than per file.
struct Prepared<'r> {
    rules: &'r RuleSet,
    /// Ids of every rule a waiver may name.
    known: Vec<&'r str>,
}

impl<'r> Prepared<'r> {
    fn new(rules: &'r RuleSet) -> Prepared<'r> {
        Prepared {
            rules,
            known: rules
                .rules
                .iter()
                .map(|r| r.id.as_str())
                .chain(crate::builtin_rules::waivable_ids())
                .collect(),
        }
    }
}

/// Checks agreement text held in memory. `name` is used in findings.
pub fn check_source(name: &str, src: &str, rules: &RuleSet, opts: &Options) -> FileReport {
    let origin = Origin {
        explicit: true,
        from_file: false,
    };
    check_text(
        name,
        Arc::new(src.to_string()),
        origin,
        &Prepared::new(rules),
        opts,
        false,
    )
    .0
}

/// Checks an agreement's text as `check` checks a file of that name found in a folder (the
/// editor's buffer, say): a text that is not an agreement is skipped with a note.
pub(crate) fn check_document(
    name: &str,
    src: Arc<String>,
    rules: &RuleSet,
    opts: &Options,
) -> FileReport {
    let origin = Origin {
        explicit: false,
        from_file: true,
    };
    check_text(name, src, origin, &Prepared::new(rules), opts, false).0
}

/// Where a text to check came from.
#[derive(Clone, Copy)]
struct Origin {
    /// Named on the command line (or given in memory), rather than found in a folder.
    explicit: bool,
    /// Read from a file: a file that is not YAML at all and lacks the agreement marker is
    /// someone else's (CI configuration, say) and skipped.
    from_file: bool,
}

/// Loads one text, runs the rules and waivers over it, applies the configuration and sorts
/// the findings. With `keep_doc`, the loaded agreement is handed back too.
fn check_text(
    name: &str,
    src: Arc<String>,
    origin: Origin,
    prep: &Prepared<'_>,
    opts: &Options,
    keep_doc: bool,
) -> (FileReport, Option<Doc>) {
    let mut kept = None;
    let mut report = FileReport::new(name, src.clone());
    let forbidden = forbidden_characters(&src).map(|mut f| {
        f.extend(tags_and_version(&src));
        f
    });
    let forbidden = match forbidden {
        Some(f) => Some(f),
        None => Some(tags_and_version(&src)).filter(|f| !f.is_empty()),
    };
    match load(&src, origin.explicit) {
        Loaded::NotAgreement(why) => {
            report.note = Some(format!("skipped: not an agreement ({why})"));
        }
        Loaded::NotYaml(f) => {
            let mut f = vec![f];
            opts.adjust(&mut f);
            // (With `FMT-YAML` switched off nothing is left to report, and the file counts as
            // checked.)
            if origin.from_file && !f.is_empty() && !files::looks_like_agreement(&src) {
                report.note = Some("skipped: not valid YAML and not marked as an agreement".into());
            } else {
                report.checked = true;
                report.findings = f;
            }
        }
        Loaded::Failed(mut f) => {
            report.checked = true;
            bounded(&mut f);
            opts.adjust(&mut f);
            report.findings = f;
        }
        Loaded::Agreement(_, mut findings) if findings.len() >= MAX_FINDINGS_PER_FILE => {
            report.checked = true;
            bounded(&mut findings);
            opts.adjust(&mut findings);
            report.findings = findings;
        }
        Loaded::Agreement(doc, mut findings) => {
            report.checked = true;
            let mut ctx = Ctx::new(&doc, opts.today);
            let mut stopped = false;
            for r in &prep.rules.rules {
                if ctx.run_rule(r, &mut findings) {
                    report.rules_checked.push(r.id.clone());
                }
                if bounded(&mut findings) {
                    stopped = true;
                    break;
                }
            }
            // Once stopped, waivers for the rules not run would all read as unused.
            if !stopped {
                crate::waivers::apply(&doc, &mut findings, opts.today, &prep.known);
            }
            crate::agreement::load::name_near_misses(&doc, &src, &mut findings);
            opts.adjust(&mut findings);
            findings.sort_by(|a, b| {
                (a.span.start, &a.rule, a.span.end).cmp(&(b.span.start, &b.rule, b.span.end))
            });
            findings
                .dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
            report.findings = findings;
            if keep_doc {
                kept = Some(doc);
            }
        }
    }
    if let (Some(mut f), true) = (forbidden, report.checked) {
        f.retain(|x| {
            !report
                .findings
                .iter()
                .any(|y| y.rule == x.rule && y.span == x.span)
        });
        opts.adjust(&mut f);
        report.findings.extend(f);
        report
            .findings
            .sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
    }
    crate::finding::number_occurrences(&mut report.findings);
    (report, kept)
}

/// `FMT-TYPE` at every tag but `!!str` (`status: !!null signed` must not read as signed text,
/// nor text as anything else), and `FMT-YAML` at a `%YAML` directive for a version other
/// than 1.2, the one s75lint reads. Only files with a `!` or `%` are parsed for them.
fn tags_and_version(src: &str) -> Vec<Finding> {
    use saphyr_parser::{Event, Parser};
    let mut out = Vec::new();
    for (i, line) in src.lines().enumerate().take(64) {
        if let Some(v) = line.strip_prefix("%YAML") {
            let v = v.split('#').next().unwrap_or("").trim();
            if v != "1.2" {
                let start = src.lines().take(i).map(|l| l.len() + 1).sum::<usize>();
                let mut f = Finding::new(
                    crate::builtin_rules::FMT_YAML.id,
                    Severity::Error,
                    format!(
                        "this file declares YAML {}; s75lint reads YAML 1.2",
                        crate::output::escape(v)
                    ),
                    crate::span::Span::new(start, (start + line.len()).min(src.len())),
                );
                f.help = Some("Write `%YAML 1.2`, or remove the directive.".into());
                out.push(f);
            }
        }
        if !line.starts_with('%') && !line.starts_with('#') && !line.is_empty() {
            break;
        }
    }
    if !src.contains('!') {
        return out;
    }
    // Character offsets of tagged nodes (saphyr counts characters), with the tag.
    let mut tagged: Vec<(usize, String)> = Vec::new();
    let mut parser = Parser::new_from_str(src);
    while let Some(Ok((event, span))) = parser.next_event() {
        let tag = match &event {
            Event::Scalar(_, _, _, tag)
            | Event::SequenceStart(_, tag)
            | Event::MappingStart(_, tag) => tag.as_deref(),
            Event::StreamEnd => break,
            _ => None,
        };
        if let Some(t) = tag {
            let scalar = matches!(event, Event::Scalar(..));
            if !(scalar && t.is_yaml_core_schema() && t.suffix == "str") {
                tagged.push((span.start.index(), format!("{}{}", t.handle, t.suffix)));
            }
        }
    }
    let mut offsets = src
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(src.len()));
    let (mut next, mut byte) = (0, 0);
    for (c, tag) in tagged {
        while next <= c {
            byte = offsets.next().unwrap_or(src.len());
            next += 1;
        }
        let start = src[byte..].find('!').map_or(byte, |i| byte + i);
        let end = src[start..]
            .find(|ch: char| ch.is_whitespace())
            .map_or(src.len(), |i| start + i);
        let mut f = Finding::new(
            crate::builtin_rules::FMT_TYPE.id,
            Severity::Error,
            format!(
                "the tag `{}` changes how this value is read; agreements do not use tags",
                crate::output::escape(src.get(start..end).unwrap_or(&tag))
            ),
            crate::span::Span::new(start, end),
        );
        f.label = "tag".into();
        f.help = Some(
            "Remove the tag and write the value as it is meant (`!!str` on text is allowed)."
                .into(),
        );
        out.push(f);
    }
    out
}

/// An `FMT-YAML` finding at the first character YAML forbids (an escape code, a NUL, a
/// backspace), naming it and counting the others: such characters can make the file show
/// one thing on screen and say another, and a strict YAML reader refuses the file.
fn forbidden_characters(src: &str) -> Option<Vec<Finding>> {
    // Every file is scanned, and nearly all have none: a character is decoded only where a
    // byte can begin a forbidden one (an ASCII control, or the lead byte of U+0080 to U+00BF or
    // of U+F000 to U+FFFF, so always at a character boundary), such as the `£` of an amount.
    let mut found = src
        .bytes()
        .enumerate()
        .filter(|&(_, b)| {
            (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || matches!(b, 0x7f | 0xc2 | 0xef)
        })
        .filter_map(|(i, _)| Some((i, src.get(i..)?.chars().next()?)))
        .filter(|&(_, c)| crate::chars::yaml_forbidden(c));
    let (at, c) = found.next()?;
    let more = found.count();
    let others = match more {
        0 => String::new(),
        n => format!(" ({n} more in this file)"),
    };
    let mut f = Finding::new(
        crate::builtin_rules::FMT_YAML.id,
        Severity::Error,
        format!(
            "the character {} is not allowed in YAML{others}",
            crate::chars::describe(c)
        ),
        crate::span::Span::new(at, at + c.len_utf8()),
    );
    f.label = "here".into();
    f.help = Some(
        "Delete it: control characters can make a file show one thing and say another. Write \
         it as an escape in a double-quoted string (`\"\\e\"`) if it is really meant."
            .into(),
    );
    Some(vec![f])
}

/// Checks every agreement under the given paths. Directories are walked for `.yaml` / `.yml`
/// files, skipping hidden directories such as `.git`; files named explicitly are always read.
///
/// The reports keep each finding's position but not the file's text
/// ([`FileReport::release_source`]), so memory grows with the findings and not with the files.
/// To see each file's text (to draw snippets), use [`check_paths_with`].
pub fn check_paths(paths: &[PathBuf], rules: &RuleSet, opts: &Options) -> Run {
    let mut files = Vec::new();
    let errors = check_paths_with(paths, rules, opts, |mut r| {
        r.release_source();
        files.push(r);
    });
    Run { files, errors }
}

/// Checks every agreement under the given paths as [`check_paths`] does, handing each file's
/// report, text included, to `sink` in path order as soon as it is ready, and returns the run's
/// own errors (a path that does not exist, a directory with no agreement in it).
///
/// Files are checked in parallel in chunks of a few hundred; the next chunk is checked while
/// `sink` is given the reports of the last, and at most a few chunks are held at once.
pub(crate) fn check_paths_with(
    paths: &[PathBuf],
    rules: &RuleSet,
    opts: &Options,
    mut sink: impl FnMut(FileReport),
) -> Vec<String> {
    check_paths_inner(paths, rules, opts, false, |r, _| sink(r))
}

/// As [`check_paths_with`], also handing `sink` the loaded agreement of each file that is one,
/// so that what reads its facts (the sign-off pack) does not load it a second time.
pub(crate) fn check_paths_with_docs(
    paths: &[PathBuf],
    rules: &RuleSet,
    opts: &Options,
    sink: impl FnMut(FileReport, Option<Doc>),
) -> Vec<String> {
    check_paths_inner(paths, rules, opts, true, sink)
}

fn check_paths_inner(
    paths: &[PathBuf],
    rules: &RuleSet,
    opts: &Options,
    keep_doc: bool,
    mut sink: impl FnMut(FileReport, Option<Doc>),
) -> Vec<String> {
    let walk = files::walk(paths, |p| opts.excluded(p));
    let mut errors = walk.errors;
    // Whether each folder given held anything to report.
    let mut found = vec![false; walk.roots.len()];
    check_found(
        &walk.files,
        &[(rules, opts)],
        |_| 0,
        keep_doc,
        |job, r, doc| {
            if let Some(root) = job.root {
                found[root] |= r.checked || r.error.is_some();
            }
            sink(r, doc);
        },
    );
    for (root, found) in walk.roots.iter().zip(found) {
        if !found {
            errors.push(no_agreement_under(root));
        }
    }
    errors
}

/// The run error for a folder given that held no agreement.
pub(crate) fn no_agreement_under(root: &Path) -> String {
    format!(
        "no agreement found under {} (an agreement is a .yaml or .yml file with `s75lint: 1` at the top level)",
        root.display()
    )
}

/// Checks files already found, each under its own setup: `setups` are the rule sets and
/// options in use (one per configuration), and `setup_of` picks the index of a file's. Each
/// report goes to `sink` with its file, in the order of `jobs`, as soon as it is ready, and
/// with the loaded agreement when `keep_doc` asks for it.
///
/// Files are checked in parallel in chunks of a few hundred; the next chunk is checked while
/// `sink` is given the reports of the last, and at most a few chunks are held at once.
pub(crate) fn check_found(
    jobs: &[Found],
    setups: &[(&RuleSet, &Options)],
    setup_of: impl Fn(&Found) -> usize + Sync,
    keep_doc: bool,
    mut sink: impl FnMut(&Found, FileReport, Option<Doc>),
) {
    let preps: Vec<(Prepared<'_>, &Options)> = setups
        .iter()
        .map(|(rules, opts)| (Prepared::new(rules), *opts))
        .collect();
    type Checked = (FileReport, Option<Doc>);
    let check_chunk = |chunk: &[Found]| -> Vec<Checked> {
        let check = |job: &Found| {
            let (prep, opts) = &preps[setup_of(job)];
            check_file(&job.path, job.explicit, prep, opts, keep_doc)
        };
        // One file (the usual pre-commit call) is checked on this thread: starting the
        // thread pool would cost more than the check.
        if chunk.len() == 1 {
            return chunk.iter().map(check).collect();
        }
        chunk.par_iter().map(check).collect()
    };
    let mut deliver = |chunk: &[Found], reports: Vec<Checked>| {
        for (job, (r, doc)) in chunk.iter().zip(reports) {
            sink(job, r, doc);
        }
    };
    if jobs.len() <= CHUNK {
        let reports = check_chunk(jobs);
        deliver(jobs, reports);
    } else {
        // One thread hands chunks to the pool; this one passes the reports on meanwhile.
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Checked>>(1);
            let check_chunk = &check_chunk;
            s.spawn(move || {
                for chunk in jobs.chunks(CHUNK) {
                    if tx.send(check_chunk(chunk)).is_err() {
                        break;
                    }
                }
            });
            for (chunk, reports) in jobs.chunks(CHUNK).zip(rx) {
                deliver(chunk, reports);
            }
        });
    }
}

/// Reads and checks one file found or named.
fn check_file(
    path: &Path,
    explicit: bool,
    prep: &Prepared<'_>,
    opts: &Options,
    keep_doc: bool,
) -> (FileReport, Option<Doc>) {
    let name = path.display().to_string();
    match files::read(path) {
        Ok(text) => {
            let origin = Origin {
                explicit,
                from_file: true,
            };
            check_text(&name, Arc::new(text), origin, prep, opts, keep_doc)
        }
        Err(why) => {
            // A file whose text cannot be read at all might be an agreement: a CI gate must
            // not pass over it silently.
            // (Files named explicitly are reported anyway; only walked ones, always regular
            // files, are sniffed.)
            let looks = !explicit && files::may_be_agreement(path);
            let mut r = FileReport::new(name, empty_source());
            if explicit || looks {
                r.error = Some(why);
            } else {
                r.note = Some(format!("skipped: {why}"));
            }
            (r, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first forbidden character and how many follow it, by decoding every character.
    fn by_decoding(src: &str) -> Option<(usize, usize)> {
        let mut all = src
            .char_indices()
            .filter(|&(_, c)| crate::chars::yaml_forbidden(c));
        let (at, _) = all.next()?;
        Some((at, all.count()))
    }

    #[test]
    fn the_byte_prescan_finds_what_decoding_finds() {
        let cases = [
            "title: plain ASCII\n",
            "tab\tand\r\nline ends\n",
            "£5 then \u{80} then \u{85} (NEL is allowed) and \u{9f}",
            "é ü \u{fffe} \u{ffff} \u{fffd} \u{f000}",
            "\u{7f} at the start",
            "emoji 😀 then \u{1b}[2J and \u{0}",
            "\u{c2a0} and \u{a0} are not controls",
            "",
        ];
        for src in cases {
            let got = forbidden_characters(src).map(|f| {
                let f = &f[0];
                // "... is not allowed in YAML (N more in this file)"
                let more = f
                    .message
                    .strip_suffix(" more in this file)")
                    .and_then(|m| m.rsplit_once(" ("))
                    .and_then(|(_, n)| n.parse().ok())
                    .unwrap_or(0);
                (f.span.start, more)
            });
            assert_eq!(got, by_decoding(src), "{src:?}");
        }
    }
}
