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
    fn excluded(&self, path: &Path) -> bool {
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
            opts.adjust(&mut f);
            report.findings = f;
        }
        Loaded::Agreement(doc, mut findings) => {
            report.checked = true;
            let mut ctx = Ctx::new(&doc, opts.today);
            for r in &prep.rules.rules {
                if ctx.run_rule(r, &mut findings) {
                    report.rules_checked.push(r.id.clone());
                }
            }
            crate::waivers::apply(&doc, &mut findings, opts.today, &prep.known);
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
    (report, kept)
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
pub fn check_paths_with(
    paths: &[PathBuf],
    rules: &RuleSet,
    opts: &Options,
    mut sink: impl FnMut(FileReport),
) -> Vec<String> {
    check_paths_inner(paths, rules, opts, false, |r, _| sink(r))
}

/// As [`check_paths_with`], also handing `sink` the loaded agreement of each file that is one,
/// so that what reads its facts (the sign-off pack) does not load it a second time.
pub fn check_paths_with_docs(
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
    let jobs = walk.files;
    // Whether each folder given held anything to report.
    let mut found = vec![false; walk.roots.len()];

    let prep = Prepared::new(rules);
    let check_chunk = |chunk: &[Found]| -> Vec<(FileReport, Option<Doc>)> {
        chunk
            .par_iter()
            .map(|job| check_file(&job.path, job.explicit, &prep, opts, keep_doc))
            .collect()
    };
    let mut deliver = |chunk: &[Found], reports: Vec<(FileReport, Option<Doc>)>| {
        for (job, (r, doc)) in chunk.iter().zip(reports) {
            if let Some(root) = job.root {
                found[root] |= r.checked || r.error.is_some();
            }
            sink(r, doc);
        }
    };
    if jobs.len() <= CHUNK {
        let reports = check_chunk(&jobs);
        deliver(&jobs, reports);
    } else {
        // One thread hands chunks to the pool; this one passes the reports on meanwhile.
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(FileReport, Option<Doc>)>>(1);
            let jobs = &jobs;
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
    for (root, found) in walk.roots.iter().zip(found) {
        if !found {
            errors.push(format!(
                "no agreement found under {} (an agreement is a .yaml or .yml file with `s75lint: 1` at the top level)",
                root.display()
            ));
        }
    }
    errors
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
