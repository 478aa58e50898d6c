//! Command-line arguments and dispatch. Exit codes are an interface: 0 clean, 1 findings at or
//! above the failing level, 2 the tool could not do its job.

use crate::agreement::values::Date;
use crate::baseline::{Baseline, Entry, Matcher};
use crate::check::{check_paths_with, Options};
use crate::config::Config;
use crate::finding::Severity;
use crate::lang::RuleError;
use crate::output::human::{self, Style};
use crate::report::{FileReport, Run, Tally};
use crate::ruleset::RuleSet;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Exit code: nothing at or above the failing level.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: findings at or above the failing level.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: the tool could not do its job (bad rules, config or arguments; unreadable files).
pub const EXIT_TOOL: i32 = 2;

/// Checks section 75 partnership agreements written as YAML.
#[derive(Parser, Debug)]
#[command(name = "s75lint", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check agreements (files, or directories searched for .yaml/.yml agreements).
    Check(CheckArgs),
    /// Write a starter agreement with placeholders where the partners must decide.
    Init(InitArgs),
    /// List the rules: id, severity, title and citation.
    Rules(RulesArgs),
    /// Explain one rule: what it checks, why, examples and how to fix.
    Explain(ExplainArgs),
    /// Run the examples written inside rules (default: the shipped rules).
    Test(TestArgs),
    /// Print the JSON Schema of the agreement format, for editor completion (or --write DIR).
    Schema(crate::schema_json::SchemaArgs),
    /// Compare two versions of an agreement: what changes, in legal and money terms.
    Diff(crate::diff::cli::DiffArgs),
    /// Write the sign-off report: one self-contained HTML page for a board paper.
    Report(crate::signoff::ReportArgs),
    /// Write the register of pools and schemes as CSV or JSON.
    Register(crate::signoff::RegisterArgs),
    /// Write the dated obligations as an iCalendar (.ics) file.
    Calendar(crate::signoff::CalendarArgs),
}

/// Options shared by commands that load rules.
#[derive(clap::Args, Debug)]
pub(crate) struct RuleArgs {
    /// An extra rule file to use besides the shipped rules (may be repeated).
    #[arg(long = "rules", value_name = "FILE")]
    rules: Vec<PathBuf>,
    /// The configuration file [default: .s75lint.yaml in the checked folder or above].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// Files or directories to check [default: the current directory].
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rule_args: RuleArgs,
    /// The date to treat as today, YYYY-MM-DD (for reproducible runs; also read from the
    /// S75LINT_TODAY environment variable, so a pre-commit hook can be pinned too).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, env = "S75LINT_TODAY")]
    today: Option<Date>,
    /// Fail (exit 1) on warnings as well as errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Output format on standard output.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Also write another format to a file, as FORMAT=FILE (may be repeated), e.g.
    /// `--output sarif=results.sarif`.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_output)]
    output: Vec<(Format, PathBuf)>,
    /// Report only findings not recorded in this baseline file; list recorded ones now gone.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
struct InitArgs {
    /// The file to create (it must not exist).
    file: PathBuf,
    /// The kind of agreement.
    #[arg(long, value_enum, default_value_t = crate::init::Arrangement::PooledFund)]
    arrangement: crate::init::Arrangement,
}

#[derive(clap::Args, Debug)]
struct RulesArgs {
    #[command(flatten)]
    rule_args: RuleArgs,
    /// How to list them.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

#[derive(clap::Args, Debug)]
struct TestArgs {
    /// Rule files, or folders of `.rules` files, to test [default: the shipped rules].
    files: Vec<PathBuf>,
    /// The date examples are checked against [default: 2025-11-01, so results never drift].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<Date>,
}

#[derive(clap::Args, Debug)]
struct ExplainArgs {
    /// The rule id, e.g. S75-HOST.
    rule: String,
    #[command(flatten)]
    rule_args: RuleArgs,
}

/// Output formats of `check`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Graphical diagnostics (plain text when NO_COLOR is set or output is not a terminal).
    Human,
    /// One paragraph per finding, for screen readers and logs.
    Plain,
    /// A versioned JSON document (see src/output/json.rs).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML: one test case per agreement and rule checked.
    Junit,
    /// GitHub Actions annotations.
    Github,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ListFormat {
    Table,
    Json,
    Markdown,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| format!("`{s}` is not a date like 2025-04-01"))
}

fn parse_output(s: &str) -> Result<(Format, PathBuf), String> {
    let (f, path) = s
        .split_once('=')
        .ok_or("write it as FORMAT=FILE, e.g. sarif=results.sarif")?;
    let format = Format::from_str(f, true)
        .map_err(|_| format!("`{f}` is not a format (human, plain, json, sarif, junit, github)"))?;
    if path.is_empty() {
        return Err("the file name is missing after `=`".into());
    }
    Ok((format, PathBuf::from(path)))
}

fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Runs the command line and returns the exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Init(args) => init(args),
        Command::Rules(args) => rules(args),
        Command::Explain(args) => explain(args),
        Command::Test(args) => test(args),
        Command::Schema(args) => crate::schema_json::run(args),
        Command::Diff(args) => crate::diff::cli::run(args),
        Command::Report(args) => crate::signoff::report(args),
        Command::Register(args) => crate::signoff::register(args),
        Command::Calendar(args) => crate::signoff::calendar(args),
    }
}

fn error_style() -> Style {
    Style::Graphical {
        color: use_color() && std::io::stderr().is_terminal(),
    }
}

fn print_errors(errors: &[RuleError], what: &str) {
    let stderr = std::io::stderr();
    let mut w = stderr.lock();
    for e in errors {
        let _ = write!(w, "{}", human::render(e, error_style()));
    }
    let _ = writeln!(
        w,
        "{} error(s) in {what}; nothing was checked",
        errors.len()
    );
}

/// Every id a finding can carry: the loaded rules plus the built-in checks.
fn known_ids(rs: &RuleSet) -> Vec<&str> {
    rs.rules
        .iter()
        .map(|r| r.id.as_str())
        .chain(crate::builtin_rules::ids())
        .collect()
}

/// Loads the configuration (named, or found above `start`) and the rules it and the command
/// line ask for. Prints what is wrong and returns None when anything is.
pub(crate) fn load_setup(args: &RuleArgs, start: &Path) -> Option<(Config, RuleSet)> {
    let cfg_path = args
        .config
        .clone()
        .or_else(|| crate::config::discover(start));
    let cfg = match &cfg_path {
        Some(p) => match Config::load(p) {
            Ok(c) => c,
            Err(e) => {
                print_errors(&e, "the configuration");
                return None;
            }
        },
        None => Config::default(),
    };
    let mut errors: Vec<RuleError> = Vec::new();
    let mut rs = match RuleSet::builtin() {
        Ok(rs) => rs,
        Err(e) => {
            errors.extend(e);
            RuleSet::empty()
        }
    };
    if !add_rule_files(&mut rs, cfg.rules.iter().chain(&args.rules), &mut errors) {
        return None;
    }
    if !errors.is_empty() {
        print_errors(&errors, "rule files");
        return None;
    }
    if let Err(e) = cfg.check_ids(&known_ids(&rs)) {
        print_errors(&e, "the configuration");
        return None;
    }
    Some((cfg, rs))
}

fn style(format: Format) -> Style {
    match format {
        Format::Plain => Style::Plain,
        _ => Style::Graphical { color: use_color() },
    }
}

/// Renders a run in one format.
fn render(
    format: Format,
    run: &Run,
    rules: &RuleSet,
    w: &mut dyn Write,
    color: bool,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::write(run, Style::Graphical { color }, w, &mut std::io::stderr()),
        Format::Plain => human::write(run, Style::Plain, w, &mut std::io::stderr()),
        Format::Json => crate::output::json::write(run, rules, w),
        Format::Sarif => crate::output::sarif::write(run, rules, w),
        Format::Junit => crate::output::junit::write(run, rules, w),
        Format::Github => crate::output::github::write(run, rules, w),
    }
}

fn check(args: CheckArgs) -> i32 {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let Some((cfg, mut rules)) = load_setup(&args.rule_args, &paths[0]) else {
        return EXIT_TOOL;
    };
    let (opts, fail_at) = run_options(&args, cfg, &mut rules);
    let Ok(baseline) = read_baseline(args.baseline.as_deref()) else {
        return EXIT_TOOL;
    };
    let Ok(mut files) = OutputFiles::create(&args) else {
        return EXIT_TOOL;
    };

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut sinks = Sinks::new(args.format, &mut out, &mut files.outputs);
    let mut matcher = baseline.as_ref().map(Baseline::matcher);
    let mut recorded = files.baseline.as_ref().map(|_| Vec::new());
    let (run, tally) = check_streaming(
        &paths,
        &rules,
        &opts,
        &mut sinks,
        matcher.as_mut(),
        recorded.as_mut(),
    );

    let mut code = exit_code_of(&tally, fail_at);
    if let (Some((path, w)), Some(recorded)) = (files.baseline.as_mut(), recorded) {
        if !write_baseline(path, w, recorded) {
            code = EXIT_TOOL;
        }
    }
    if let Some(m) = matcher {
        for gone in m.gone() {
            eprintln!(
                "note: no longer found (remove it from the baseline): {} in {} at {}",
                gone.rule, gone.file, gone.location
            );
        }
    }
    if !sinks.finish(&run, &tally, &rules) {
        code = EXIT_TOOL;
    }
    if !files.flush() {
        code = EXIT_TOOL;
    }
    let _ = out.flush();
    code
}

/// The run's settings from the configuration (whose switched-off rules are dropped from
/// `rules`) and the command line, and the level at which findings fail the run.
fn run_options(args: &CheckArgs, cfg: Config, rules: &mut RuleSet) -> (Options, Severity) {
    let disabled: Vec<String> = cfg.disable.iter().map(|(id, _)| id.clone()).collect();
    rules.rules.retain(|r| !disabled.contains(&r.id));
    let fail_at = if args.deny_warnings {
        Severity::Warning
    } else {
        cfg.fail_on.unwrap_or(Severity::Error)
    };
    let opts = Options {
        today: args.today.unwrap_or_else(Date::today_utc),
        disabled,
        severity: cfg
            .severity
            .iter()
            .map(|(id, s, _)| (id.clone(), *s))
            .collect(),
        config: Some(Arc::new(cfg)),
    };
    (opts, fail_at)
}

/// Reads the baseline named with `--baseline`, if any; says why when it cannot.
fn read_baseline(path: Option<&Path>) -> Result<Option<Baseline>, ()> {
    let Some(path) = path else {
        return Ok(None);
    };
    Baseline::read(path).map(Some).map_err(|e| {
        eprintln!("error: {e}");
    })
}

/// A file written by `check`, buffered.
type OutFile = std::io::BufWriter<std::fs::File>;

/// The files `check` writes besides standard output: `--output` reports and the
/// `--write-baseline` file.
struct OutputFiles<'a> {
    /// Each `--output` format, its path and its file.
    outputs: Vec<(Format, &'a Path, OutFile)>,
    /// The baseline to record, when asked for.
    baseline: Option<(&'a Path, OutFile)>,
}

impl<'a> OutputFiles<'a> {
    /// Creates every file before checking starts, so a path that cannot be written stops the
    /// run before anything is reported; says which when one cannot be.
    fn create(args: &'a CheckArgs) -> Result<OutputFiles<'a>, ()> {
        let create = |path: &Path| {
            std::fs::File::create(path)
                .map(std::io::BufWriter::new)
                .map_err(|e| {
                    eprintln!("error: cannot write {}: {e}", path.display());
                })
        };
        let mut outputs = Vec::new();
        for (format, path) in &args.output {
            outputs.push((*format, path.as_path(), create(path)?));
        }
        let baseline = match &args.write_baseline {
            Some(path) => Some((path.as_path(), create(path)?)),
            None => None,
        };
        Ok(OutputFiles { outputs, baseline })
    }

    /// Flushes the `--output` files; false (having said why) when one cannot be written.
    fn flush(&mut self) -> bool {
        let mut ok = true;
        for (_, path, w) in &mut self.outputs {
            if let Err(e) = w.flush() {
                eprintln!("error: cannot write {}: {e}", path.display());
                ok = false;
            }
        }
        ok
    }
}

/// One output of a run: how it is written, the file it goes to (None: standard output), the
/// writer, and the first error writing it.
struct Sink<'a, T> {
    how: T,
    path: Option<&'a Path>,
    w: &'a mut dyn Write,
    failed: Option<std::io::Error>,
}

impl<'a, T> Sink<'a, T> {
    fn new(how: T, path: Option<&'a Path>, w: &'a mut dyn Write) -> Sink<'a, T> {
        Sink {
            how,
            path,
            w,
            failed: None,
        }
    }
}

/// Every output of a run. Human and plain output is written file by file as the run goes
/// (`streamed`); the machine formats are written at the end from the reports kept for them,
/// which hold findings but not text (`kept`).
struct Sinks<'a> {
    streamed: Vec<Sink<'a, Style>>,
    kept: Vec<Sink<'a, Format>>,
}

impl<'a> Sinks<'a> {
    /// Standard output in `format`, and each `--output` file in its own.
    fn new<'p: 'a>(
        format: Format,
        out: &'a mut dyn Write,
        outputs: &'a mut [(Format, &'p Path, OutFile)],
    ) -> Sinks<'a> {
        let mut sinks = Sinks {
            streamed: Vec::new(),
            kept: Vec::new(),
        };
        match format {
            Format::Human | Format::Plain => {
                sinks.streamed.push(Sink::new(style(format), None, out))
            }
            _ => sinks.kept.push(Sink::new(format, None, out)),
        }
        for (format, path, w) in outputs.iter_mut() {
            let path = Some(*path);
            match format {
                Format::Human => {
                    sinks
                        .streamed
                        .push(Sink::new(Style::Graphical { color: false }, path, w))
                }
                Format::Plain => sinks.streamed.push(Sink::new(Style::Plain, path, w)),
                _ => sinks.kept.push(Sink::new(*format, path, w)),
            }
        }
        sinks
    }

    /// Writes one file's report to every streamed output; its notes go to `notes` once,
    /// however many human outputs there are.
    fn stream(&mut self, file: &FileReport, notes: &mut dyn Write) {
        for (i, sink) in self.streamed.iter_mut().enumerate() {
            let notes: &mut dyn Write = if i == 0 { notes } else { &mut std::io::sink() };
            if sink.failed.is_none() {
                sink.failed = human::write_file(file, sink.how, sink.w, notes).err();
            }
        }
    }

    /// Whether reports must be kept for outputs written at the end, and whether with the
    /// rules checked (JUnit lists them).
    fn keeps(&self) -> (bool, bool) {
        let rules_checked = self.kept.iter().any(|s| s.how == Format::Junit);
        (!self.kept.is_empty(), rules_checked)
    }

    /// Ends the streamed outputs, writes the kept ones, and reports what could not be written
    /// to a file: false when anything could not. Standard output is written on a best-effort
    /// basis, as a reader may close it early (`| head`).
    fn finish(mut self, run: &Run, tally: &Tally, rules: &RuleSet) -> bool {
        for sink in &mut self.streamed {
            if sink.failed.is_none() {
                sink.failed = human::write_end(&run.errors, tally, sink.w).err();
            }
        }
        for sink in &mut self.kept {
            sink.failed = render(sink.how, run, rules, sink.w, false).err();
        }
        let mut ok = true;
        let failures = self
            .streamed
            .into_iter()
            .map(|s| (s.path, s.failed))
            .chain(self.kept.into_iter().map(|s| (s.path, s.failed)));
        for (path, failed) in failures {
            if let (Some(path), Some(e)) = (path, failed) {
                eprintln!("error: cannot write {}: {e}", path.display());
                ok = false;
            }
        }
        ok
    }
}

/// Checks the paths, streaming each file's report to the human outputs as it comes, filtering
/// it through the baseline and recording it for a new one. Returns the reports kept for the
/// machine outputs and the tally of the whole run.
fn check_streaming(
    paths: &[PathBuf],
    rules: &RuleSet,
    opts: &Options,
    sinks: &mut Sinks<'_>,
    mut matcher: Option<&mut Matcher<'_>>,
    mut recorded: Option<&mut Vec<Entry>>,
) -> (Run, Tally) {
    let mut notes = std::io::BufWriter::new(std::io::stderr());
    let (keep_files, keep_rules_checked) = sinks.keeps();
    let mut tally = Tally::default();
    let mut files = Vec::new();
    let errors = check_paths_with(paths, rules, opts, |mut file| {
        if let Some(recorded) = recorded.as_deref_mut() {
            recorded.extend(Baseline::entries(&file));
        }
        if let Some(m) = matcher.as_deref_mut() {
            m.filter(&mut file);
        }
        tally.add(&file);
        sinks.stream(&file, &mut notes);
        if keep_files {
            file.release_source();
            if !keep_rules_checked {
                file.rules_checked = Vec::new();
            }
            files.push(file);
        }
    });
    tally.problems += errors.len();
    let _ = notes.flush();
    (Run { files, errors }, tally)
}

/// The exit code for a run's tally: 2 if anything could not be checked, else 1 if any counting
/// finding is at or above `fail_at`, else 0.
fn exit_code_of(tally: &Tally, fail_at: Severity) -> i32 {
    if tally.problems > 0 {
        EXIT_TOOL
    } else if tally.worst.is_some_and(|s| s >= fail_at) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Writes the recorded findings as a baseline and says so; false (having said why) when it
/// cannot be written.
fn write_baseline(path: &Path, w: &mut OutFile, findings: Vec<Entry>) -> bool {
    let b = Baseline {
        version: 1,
        findings,
    };
    match b
        .write_to(w)
        .and_then(|()| w.flush().map_err(|e| e.to_string()))
    {
        Ok(()) => {
            eprintln!(
                "note: recorded {} finding(s) in {}",
                b.findings.len(),
                path.display()
            );
            true
        }
        Err(e) => {
            eprintln!("error: cannot write baseline {}: {e}", path.display());
            false
        }
    }
}

fn init(args: InitArgs) -> i32 {
    match crate::init::write(&args.file, args.arrangement) {
        Ok(()) => {
            println!(
                "wrote {}: fill in the [insert ...] placeholders, then run `s75lint check {}`",
                args.file.display(),
                args.file.display()
            );
            EXIT_CLEAN
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_TOOL
        }
    }
}

fn rules(args: RulesArgs) -> i32 {
    let Some((_, rs)) = load_setup(&args.rule_args, Path::new(".")) else {
        return EXIT_TOOL;
    };
    let text = match args.format {
        ListFormat::Table => crate::docs::table(&rs),
        ListFormat::Json => crate::docs::json(&rs),
        ListFormat::Markdown => crate::docs::markdown(&rs),
    };
    print!("{text}");
    EXIT_CLEAN
}

fn explain(args: ExplainArgs) -> i32 {
    let Some((_, rs)) = load_setup(&args.rule_args, Path::new(".")) else {
        return EXIT_TOOL;
    };
    match crate::docs::explain(&rs, &args.rule) {
        Some(text) => {
            print!("{text}");
            EXIT_CLEAN
        }
        None => {
            let ids = known_ids(&rs);
            let hint = crate::suggest::did_you_mean(&args.rule, ids.iter().copied())
                .map(|s| format!("; did you mean {s}?"))
                .unwrap_or_default();
            eprintln!(
                "error: there is no rule `{}`{hint} (`s75lint rules` lists them)",
                args.rule
            );
            EXIT_TOOL
        }
    }
}

/// Reads and adds rule files, collecting mistakes in them into `errors`. A file that cannot be
/// read at all is reported at once and stops the run (false).
fn add_rule_files<'a>(
    rs: &mut RuleSet,
    paths: impl IntoIterator<Item = &'a PathBuf>,
    errors: &mut Vec<RuleError>,
) -> bool {
    for path in paths {
        let text = match std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(crate::files::decode)
        {
            Ok(t) => t,
            Err(why) => {
                eprintln!("error: cannot read rule file {}: {why}", path.display());
                return false;
            }
        };
        if let Err(e) = rs.add(&path.display().to_string(), &text) {
            errors.extend(e);
        }
    }
    true
}

/// Rule files named on the command line: files as given, folders searched for `.rules`.
fn rule_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| {
                    e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rules")
                })
                .map(|e| e.into_path())
                .collect();
            if found.is_empty() {
                return Err(format!("no .rules files under {}", p.display()));
            }
            out.append(&mut found);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    Ok(out)
}

fn test(args: TestArgs) -> i32 {
    let rs = if args.files.is_empty() {
        match RuleSet::builtin() {
            Ok(rs) => rs,
            Err(e) => {
                print_errors(&e, "rule files");
                return EXIT_TOOL;
            }
        }
    } else {
        let files = match rule_files(&args.files) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_TOOL;
            }
        };
        let mut rs = RuleSet::empty();
        let mut errors = Vec::new();
        if !add_rule_files(&mut rs, &files, &mut errors) {
            return EXIT_TOOL;
        }
        if !errors.is_empty() {
            print_errors(&errors, "rule files");
            return EXIT_TOOL;
        }
        rs
    };
    let today = args.today.unwrap_or_else(|| {
        Date::parse_iso(crate::ruletest::EXAMPLE_TODAY).unwrap_or_else(Date::today_utc)
    });
    let report = crate::ruletest::run(&rs, today);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let style = Style::Graphical { color: use_color() };
    for p in &report.problems {
        let _ = write!(out, "{}", human::render(&p.error, style));
    }
    let warnings = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .count();
    let _ = writeln!(
        out,
        "{} rules, {} examples: {} passed, {} failed{}",
        rs.rules.len(),
        report.passed + report.failed,
        report.passed,
        report.failed,
        if warnings > 0 {
            format!(" ({warnings} warning(s))")
        } else {
            String::new()
        }
    );
    let _ = out.flush();
    if report.failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// The exit code for a run: 2 if anything could not be checked, else 1 if any counting
/// finding is at or above `fail_at`, else 0.
pub fn exit_code(run: &Run, fail_at: Severity) -> i32 {
    if run.has_errors() {
        EXIT_TOOL
    } else if run.findings().any(|f| f.counts() && f.severity >= fail_at) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
