//! Checking agreements: find the files, read them safely, load each, run the rules, and sort
//! the findings. Files are checked in parallel, in bounded chunks; results come back in path
//! order, chunk by chunk, so a run over any number of files holds only a few chunks of text at
//! once (see [`check_paths_with`]).

use crate::agreement::load::{load, Loaded};
use crate::agreement::values::Date;
use crate::agreement::yaml::Span;
use crate::finding::{Finding, Severity};
use crate::lang::eval::Ctx;
use crate::output::Position;
use crate::ruleset::RuleSet;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Files checked together in one parallel step of [`check_paths_with`]. Big enough to keep every
/// core busy between steps, small enough that the text held at once stays a few megabytes.
const CHUNK: usize = 256;

/// Files larger than this are refused: no real agreement comes near it, and it bounds memory.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

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

/// The result of checking one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as given or found.
    pub path: String,
    /// The file's text (empty when it could not be read, or once released by
    /// [`FileReport::release_source`]: [`check_paths`] keeps positions, not text).
    pub source: Arc<String>,
    /// Findings, sorted by position then rule id.
    pub findings: Vec<Finding>,
    /// Whether the file is an agreement that was checked (false when skipped or unreadable).
    pub checked: bool,
    /// Why the file was skipped, when it was named explicitly.
    pub note: Option<String>,
    /// What stopped the file from being checked (unreadable, too large).
    pub error: Option<String>,
    /// Ids of the rules that applied to this agreement and were checked (empty when the file
    /// was not loaded as an agreement).
    pub rules_checked: Vec<String>,
    /// Positions of the findings' spans (and their labels' spans), worked out from the text
    /// before it was released, sorted by span. Empty while the text is held.
    pub positions: Vec<(Span, Position)>,
}

impl FileReport {
    /// A report with nothing in it yet.
    pub fn new(path: impl Into<String>, source: Arc<String>) -> FileReport {
        FileReport {
            path: path.into(),
            source,
            findings: Vec::new(),
            checked: false,
            note: None,
            error: None,
            rules_checked: Vec::new(),
            positions: Vec::new(),
        }
    }

    /// Where `span` is in the file: from the text while it is held, else from the positions
    /// kept when it was released (a span not kept there reads as line 1, column 1).
    pub fn position(&self, span: Span) -> Position {
        if self.positions.is_empty() || !self.source.is_empty() {
            return crate::output::position(&self.source, span);
        }
        let key = (span.start, span.end);
        match self
            .positions
            .binary_search_by(|(s, _)| (s.start, s.end).cmp(&key))
        {
            Ok(i) => self.positions[i].1,
            Err(_) => crate::output::position("", span),
        }
    }

    /// Works out the position of every finding's and label's span, then lets go of the text,
    /// so a report kept for a machine-readable output costs its findings and no more.
    pub fn release_source(&mut self) {
        if self.source.is_empty() {
            return;
        }
        let mut spans: Vec<Span> = self
            .findings
            .iter()
            .flat_map(|f| std::iter::once(f.span).chain(f.labels.iter().map(|l| l.span)))
            .collect();
        spans.sort_by_key(|s| (s.start, s.end));
        spans.dedup();
        // Through an index: one scan per span is quadratic in a file with thousands of findings.
        let index = crate::output::Positions::new(&self.source);
        self.positions = spans.into_iter().map(|s| (s, index.of(s))).collect();
        self.source = empty_source();
    }
}

/// The shared empty text of reports that hold none.
fn empty_source() -> Arc<String> {
    static EMPTY: std::sync::OnceLock<Arc<String>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Arc::new(String::new())).clone()
}

/// The result of a whole run.
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// One report per file, in path order.
    pub files: Vec<FileReport>,
    /// Problems with the arguments themselves (a path that does not exist, a directory with no
    /// agreement in it).
    pub errors: Vec<String>,
}

impl Run {
    /// Number of agreements checked.
    pub fn checked(&self) -> usize {
        self.files.iter().filter(|f| f.checked).count()
    }
    /// Number of counting (not waived) findings of a severity.
    pub fn count(&self, s: Severity) -> usize {
        self.findings()
            .filter(|f| f.severity == s && f.counts())
            .count()
    }
    /// Number of waived findings.
    pub fn waived(&self) -> usize {
        self.findings().filter(|f| !f.counts()).count()
    }
    /// Every finding of the run, file by file.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.files.iter().flat_map(|f| &f.findings)
    }
    /// True when anything stopped a file or the run from being checked.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.files.iter().any(|f| f.error.is_some())
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
    check_text(
        name,
        Arc::new(src.to_string()),
        true,
        &Prepared::new(rules),
        opts,
    )
}

fn check_text(
    name: &str,
    src: Arc<String>,
    explicit: bool,
    prep: &Prepared<'_>,
    opts: &Options,
) -> FileReport {
    let mut report = FileReport::new(name, src.clone());
    match load(&src, explicit) {
        Loaded::NotAgreement(why) => {
            report.note = Some(format!("skipped: not an agreement ({why})"));
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
        }
    }
    report
}

/// Reads a file as UTF-8 text, refusing what cannot be an agreement. Never writes.
pub(crate) fn read(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {}", path.display(), io_reason(&e)))?;
    if meta.is_dir() {
        return Err(format!("{} is a directory", path.display()));
    }
    // A pipe, socket or device could block for ever or never end: only regular files are read.
    if !meta.is_file() {
        return Err(format!(
            "{} is not a regular file (a pipe, socket or device); it was not checked",
            path.display()
        ));
    }
    let too_big = |len: u64| {
        format!(
            "{} is {:.1} MB, over the limit of {} MB for an agreement file; it was not checked",
            path.display(),
            len as f64 / (1024.0 * 1024.0),
            MAX_FILE_BYTES / (1024 * 1024)
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    // Read at most one byte past the limit, in case the file grew since it was measured.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    {
        use std::io::Read;
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| format!("cannot read {}: {}", path.display(), io_reason(&e)))?;
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    decode(bytes).map_err(|why| format!("{} {why}", path.display()))
}

/// Turns file bytes into text: UTF-8 (a leading BOM is dropped); UTF-16 and binary data are
/// refused with a reason.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("is saved as UTF-16 text; save it as UTF-8".into());
    }
    let bytes = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    if bytes.contains(&0) {
        return Err("holds binary data (a NUL byte), not text".into());
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "is not valid UTF-8 text (at byte {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn is_yaml(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// One file to check: the path, whether it was named on the command line, and the index of
/// the directory argument it was found under.
struct Job {
    path: PathBuf,
    explicit: bool,
    root: Option<usize>,
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
    let mut errors = Vec::new();
    let mut jobs: Vec<Job> = Vec::new();
    let mut roots: Vec<(PathBuf, bool)> = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Err(e) => errors.push(format!("{}: {}", p.display(), io_reason(&e))),
            Ok(m) if m.is_dir() => {
                let root = roots.len();
                roots.push((p.clone(), false));
                // Symbolic links are followed so a linked folder is checked; walkdir detects
                // loops and we report them rather than recurse forever.
                let walker = walkdir::WalkDir::new(p)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| {
                        e.depth() == 0
                            || !e.file_name().to_str().is_some_and(|n| n.starts_with('.'))
                    });
                for entry in walker {
                    match entry {
                        Ok(e)
                            if e.file_type().is_file()
                                && is_yaml(e.path())
                                && !opts.excluded(e.path()) =>
                        {
                            jobs.push(Job {
                                path: e.into_path(),
                                explicit: false,
                                root: Some(root),
                            })
                        }
                        Ok(_) => {}
                        Err(err) => {
                            let where_ = err
                                .path()
                                .map(|p| p.display().to_string())
                                .unwrap_or_default();
                            let why = if err.loop_ancestor().is_some() {
                                "a symbolic link loops back to a folder above it; not followed"
                                    .to_string()
                            } else {
                                err.io_error().map_or_else(|| err.to_string(), io_reason)
                            };
                            errors.push(format!("{where_}: {why}"));
                        }
                    }
                }
            }
            Ok(_) if opts.excluded(p) => {}
            Ok(_) => jobs.push(Job {
                path: p.clone(),
                explicit: true,
                root: None,
            }),
        }
    }
    // Reports come out in the order of their paths as shown (stable, so a file named twice is
    // reported twice, in argument order).
    jobs.sort_by(|a, b| a.path.to_string_lossy().cmp(&b.path.to_string_lossy()));

    let prep = Prepared::new(rules);
    let check_chunk = |chunk: &[Job]| -> Vec<FileReport> {
        chunk
            .par_iter()
            .map(|job| check_file(&job.path, job.explicit, &prep, opts))
            .collect()
    };
    let mut deliver = |chunk: &[Job], reports: Vec<FileReport>| {
        for (job, r) in chunk.iter().zip(reports) {
            if let Some(root) = job.root {
                roots[root].1 |= r.checked || r.error.is_some();
            }
            sink(r);
        }
    };
    if jobs.len() <= CHUNK {
        let reports = check_chunk(&jobs);
        deliver(&jobs, reports);
    } else {
        // One thread hands chunks to the pool; this one passes the reports on meanwhile.
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<FileReport>>(1);
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
    for (root, found) in roots {
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
fn check_file(path: &Path, explicit: bool, prep: &Prepared<'_>, opts: &Options) -> FileReport {
    let name = path.display().to_string();
    match read(path) {
        Ok(text) => {
            let src = Arc::new(text);
            let mut r = check_text(&name, src.clone(), explicit, prep, opts);
            // A file that is not valid YAML may or may not be an agreement. Report it when it
            // mentions the agreement markers; otherwise it is someone else's YAML (CI config,
            // say) and none of ours.
            if !r.findings.is_empty()
                && r.findings.iter().all(|f| f.rule == "FMT-YAML")
                && !looks_like_agreement(&src)
                && r.findings[0].message.starts_with("this is not valid YAML")
            {
                r.findings.clear();
                r.checked = false;
                r.note = Some("skipped: not valid YAML and not marked as an agreement".into());
            }
            r
        }
        Err(why) => {
            // A file whose text cannot be read at all might be an agreement: a CI gate must
            // not pass over it silently.
            // (Files named explicitly are reported anyway; only walked ones, always regular
            // files, are sniffed.)
            let looks = !explicit
                && head(path).is_none_or(|b| looks_like_agreement(&String::from_utf8_lossy(&b)));
            let mut r = FileReport::new(name, empty_source());
            if explicit || looks {
                r.error = Some(why);
            } else {
                r.note = Some(format!("skipped: {why}"));
            }
            r
        }
    }
}

/// True when the text has an `s75lint:` key at the start of a line: the agreement marker,
/// found even where the YAML around it is broken.
fn looks_like_agreement(src: &str) -> bool {
    src.lines().any(|l| {
        let l = l.trim_start_matches('\u{feff}');
        l.strip_prefix("s75lint")
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

/// The first 64 KiB of a file, to look for the agreement marker without reading a huge file.
fn head(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(64 * 1024)
        .read_to_end(&mut buf)
        .ok()?;
    Some(buf)
}
