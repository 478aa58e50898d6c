//! Command-line arguments and dispatch. Exit codes are an interface: 0 clean, 1 findings at or
//! above the failing level, 2 the tool could not do its job.

use crate::agreement::values::Date;
use crate::baseline::{Baseline, Entry, Matcher};
use crate::check::Options;
use crate::config::Config;
use crate::exit::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_TOOL};
use crate::finding::Severity;
use crate::outfile::OutputFile;
use crate::output::human::use_color;
use crate::output::human::{self, Style};
use crate::output::Format;
use crate::report::{FileReport, Run, Tally};
use crate::ruleset::RuleSet;
use crate::setup::{
    add_rule_files, known_ids, load_setup, load_setup_from, print_errors, RuleArgs,
};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

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
    /// Run the language server on standard input and output (for editors).
    Lsp,
    /// Print a shell completion script (bash, zsh, fish, powershell or elvish).
    Completions(crate::completions::CompletionsArgs),
    /// Print the manual page (roff), or write one per command with --dir.
    Man(crate::completions::ManArgs),
    /// Write the sign-off report: one self-contained HTML page for a board paper.
    Report(crate::signoff::ReportArgs),
    /// Write the register of pools and schemes as CSV or JSON.
    Register(crate::signoff::RegisterArgs),
    /// Write the dated obligations as an iCalendar (.ics) file.
    Calendar(crate::signoff::CalendarArgs),
}

/// The command-line definition, for generating completions and manual pages.
pub(crate) fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
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

/// Parses the process arguments. A first argument that is not a command but names a file or
/// folder (`s75lint good.yaml`) gets the tip to run `s75lint check` on it.
pub fn parse_args() -> Result<Cli, clap::Error> {
    parse_from(std::env::args_os())
}

/// Parses arguments as [`parse_args`] does (the first is the program name).
pub(crate) fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let mut e = match Cli::try_parse_from(&args) {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    if e.kind() == ErrorKind::InvalidSubcommand {
        if let Some(ContextValue::String(word)) = e.get(ContextKind::InvalidSubcommand) {
            let path = Path::new(word);
            let is_yaml = path
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("yaml") || x.eq_ignore_ascii_case("yml"));
            if is_yaml || path.exists() {
                let rest: Vec<String> = args
                    .iter()
                    .skip(1)
                    .map(|a| shell_word(&a.to_string_lossy()))
                    .collect();
                let tip = format!("to check it, run `s75lint check {}`", rest.join(" "));
                e.insert(
                    ContextKind::Suggested,
                    ContextValue::StyledStrs(vec![tip.into()]),
                );
            }
        }
    }
    Err(e)
}

/// A word as it would be typed in a shell: quoted when it holds anything but plain characters.
fn shell_word(w: &str) -> String {
    let plain = !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@%+,".contains(c));
    if plain {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
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
        Command::Lsp => crate::lsp::run(),
        Command::Completions(args) => crate::completions::completions(args, command()),
        Command::Man(args) => crate::completions::man(args, command()),
        Command::Report(args) => crate::signoff::report(args),
        Command::Register(args) => crate::signoff::register(args),
        Command::Calendar(args) => crate::signoff::calendar(args),
    }
}

fn check(args: CheckArgs) -> i32 {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    // Every file is found first, without the configuration's excludes: each file's own
    // configuration decides whether it is left out, and every file found is an input no output
    // may overwrite.
    let walk = crate::files::walk(&paths, |_| false);
    let (config_paths, group_of) = group_by_config(&args.rule_args, &paths, &walk.files);
    let mut setups = Vec::new();
    for cfg_path in &config_paths {
        let Some((cfg, mut rules)) = load_setup_from(&args.rule_args, cfg_path.as_deref()) else {
            return EXIT_TOOL;
        };
        let rule_files: Vec<PathBuf> = cfg
            .rules
            .iter()
            .chain(&args.rule_args.rules)
            .cloned()
            .collect();
        let (opts, fail_at) = run_options(&args, cfg, &mut rules);
        setups.push(Setup {
            rules,
            opts,
            fail_at,
            rule_files,
        });
    }
    // The paths as named count too, even one that does not exist: an output written there
    // would leave a report where an agreement was expected.
    let inputs: Vec<PathBuf> = walk
        .files
        .iter()
        .map(|f| f.path.clone())
        .chain(paths.iter().cloned())
        .chain(config_paths.iter().flatten().cloned())
        .chain(setups.iter().flat_map(|s| s.rule_files.iter().cloned()))
        .chain(args.baseline.iter().cloned())
        .collect();
    let Ok(mut files) = OutputFiles::create(&args, &inputs) else {
        return EXIT_TOOL;
    };
    let Ok(baseline) = read_baseline(args.baseline.as_deref()) else {
        return EXIT_TOOL;
    };

    // A file named on the command line but excluded by its configuration is named, not
    // dropped silently; files found in folders are left out quietly, as asked.
    let mut jobs = Vec::new();
    let mut excluded_named = 0;
    for (job, &g) in walk.files.iter().zip(&group_of) {
        let opts = &setups[g].opts;
        if opts.excluded(&job.path) {
            if job.explicit {
                excluded_named += 1;
                eprintln!(
                    "note: {} is left out by `exclude` in {}; it was not checked",
                    crate::output::escape(&job.path.display().to_string()),
                    config_paths[g].as_deref().map_or_else(
                        || "the configuration".to_string(),
                        |p| crate::output::escape(&p.display().to_string())
                    )
                );
            }
            continue;
        }
        jobs.push((job.clone(), g));
    }

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let all_rules = union_of(&setups);
    let mut sinks = Sinks::new(args.format, &mut out, &mut files.outputs);
    let mut matcher = baseline.as_ref().map(Baseline::matcher);
    let mut recorded = files.baseline.as_ref().map(|_| Vec::new());
    let mut streamed = check_streaming(
        &jobs,
        &setups,
        &mut sinks,
        matcher.as_mut(),
        recorded.as_mut(),
    );
    let mut found = vec![false; walk.roots.len()];
    for (job, ok) in &streamed.roots_found {
        found[*job] |= ok;
    }
    let mut run_errors = walk.errors.clone();
    for (root, found) in walk.roots.iter().zip(found) {
        if !found {
            run_errors.push(crate::check::no_agreement_under(root));
        }
    }
    if excluded_named > 0 && streamed.tally.checked == 0 && run_errors.is_empty() {
        run_errors.push(format!(
            "nothing was checked: the {} file(s) named are all left out by `exclude` in the configuration",
            excluded_named
        ));
    }
    streamed.tally.problems += run_errors.len();
    streamed.run.errors = run_errors;
    let (run, tally) = (streamed.run, streamed.tally);

    let mut code = if tally.problems > 0 {
        EXIT_TOOL
    } else if streamed.fails {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    if let (Some(out), Some(recorded)) = (files.baseline.as_mut(), recorded) {
        if !write_baseline(out, recorded) {
            code = EXIT_TOOL;
        }
    }
    if let Some(m) = matcher {
        let gone = m.gone();
        for g in &gone {
            eprintln!(
                "note: no longer found: {} in {} at {}",
                g.rule,
                crate::output::escape(&g.file),
                g.location
            );
        }
        if let (false, Some(path)) = (gone.is_empty(), &args.baseline) {
            eprintln!(
                "note: to remove {} from the baseline, run the same check with `--write-baseline {}` instead of `--baseline`",
                if gone.len() == 1 { "it" } else { "them" },
                path.display()
            );
        }
    }
    // JUnit marks as failures what fails the gate; with several configurations, the strictest
    // level among them (a file under a laxer one is over-reported there, never hidden).
    let fail_at = setups
        .iter()
        .map(|s| s.fail_at)
        .min()
        .unwrap_or(Severity::Error);
    if !sinks.finish(&run, &tally, &all_rules, fail_at) {
        code = EXIT_TOOL;
    }
    if !files.commit() {
        code = EXIT_TOOL;
    }
    let _ = out.flush();
    code
}

/// The rules and options of one configuration, and the level at which its files fail.
struct Setup {
    rules: RuleSet,
    opts: Options,
    fail_at: Severity,
    /// The rule files it reads (inputs no output may overwrite).
    rule_files: Vec<PathBuf>,
}

/// The configuration governing each file: `--config` for all, else the nearest
/// `.s75lint.yaml` at or above each file (as ruff resolves settings per file). Returns the
/// configurations in first-use order (None: the defaults) and each file's index among them.
/// With no file at all, the configuration of the first path is still loaded, so its mistakes
/// are reported.
fn group_by_config(
    args: &RuleArgs,
    paths: &[PathBuf],
    files: &[crate::files::Found],
) -> (Vec<Option<PathBuf>>, Vec<usize>) {
    if let Some(c) = &args.config {
        return (vec![Some(c.clone())], vec![0; files.len()]);
    }
    let mut configs: Vec<Option<PathBuf>> = Vec::new();
    let mut by_folder: std::collections::HashMap<PathBuf, usize> = Default::default();
    let index_of = |cfg: Option<PathBuf>, configs: &mut Vec<Option<PathBuf>>| match configs
        .iter()
        .position(|c| *c == cfg)
    {
        Some(i) => i,
        None => {
            configs.push(cfg);
            configs.len() - 1
        }
    };
    let mut group_of = Vec::with_capacity(files.len());
    for f in files {
        let folder = f.path.parent().map(Path::to_path_buf).unwrap_or_default();
        let g = match by_folder.get(&folder) {
            Some(&g) => g,
            None => {
                let g = index_of(crate::config::discover(&f.path), &mut configs);
                by_folder.insert(folder, g);
                g
            }
        };
        group_of.push(g);
    }
    if configs.is_empty() {
        configs.push(paths.first().and_then(|p| crate::config::discover(p)));
    }
    (configs, group_of)
}

/// Every rule of every configuration in use, each id once, for the outputs' rule lists.
fn union_of(setups: &[Setup]) -> RuleSet {
    let mut all = setups.first().map(|s| s.rules.clone()).unwrap_or_default();
    for s in setups.iter().skip(1) {
        for r in &s.rules.rules {
            if all.get(&r.id).is_none() {
                all.rules.push(r.clone());
            }
        }
        for f in &s.rules.files {
            if !all.files.iter().any(|g| g.name == f.name) {
                all.files.push(f.clone());
            }
        }
    }
    all
}

/// The run's settings from the configuration (whose switched-off rules are dropped from
/// `rules`) and the command line, and the level at which findings fail the run.
fn run_options(args: &CheckArgs, cfg: Config, rules: &mut RuleSet) -> (Options, Severity) {
    let fail_at = if args.deny_warnings {
        Severity::Warning
    } else {
        cfg.fail_on.unwrap_or(Severity::Error)
    };
    let today = args.today.unwrap_or_else(Date::today_utc);
    (Options::from_config(cfg, today, rules), fail_at)
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

/// The files `check` writes besides standard output: `--output` reports and the
/// `--write-baseline` file, each written beside its target and renamed into place at the end
/// ([`crate::outfile`]).
struct OutputFiles {
    /// Each `--output` format and its file.
    outputs: Vec<(Format, OutputFile)>,
    /// The baseline to record, when asked for.
    baseline: Option<OutputFile>,
}

impl OutputFiles {
    /// Refuses targets that are one of the `inputs` or each other, then creates every file
    /// before checking starts, so a path that cannot be written stops the run before anything
    /// is reported; says which when one cannot be.
    fn create(args: &CheckArgs, inputs: &[PathBuf]) -> Result<OutputFiles, ()> {
        let targets: Vec<(&Path, &str)> = args
            .output
            .iter()
            .map(|(_, p)| (p.as_path(), "--output"))
            .chain(
                args.write_baseline
                    .iter()
                    .map(|p| (p.as_path(), "--write-baseline")),
            )
            .collect();
        let fail = |e: String| eprintln!("error: {}", crate::output::escape(&e));
        crate::outfile::check_targets(&targets, inputs).map_err(fail)?;
        let mut outputs = Vec::new();
        for (format, path) in &args.output {
            outputs.push((*format, OutputFile::create(path).map_err(fail)?));
        }
        let baseline = match &args.write_baseline {
            Some(path) => Some(OutputFile::create(path).map_err(fail)?),
            None => None,
        };
        Ok(OutputFiles { outputs, baseline })
    }

    /// Renames the `--output` files into place; false (having said why) when one cannot be
    /// written.
    fn commit(self) -> bool {
        let mut ok = true;
        for (_, out) in self.outputs {
            if let Err(e) = out.commit() {
                eprintln!("error: {}", crate::output::escape(&e));
                ok = false;
            }
        }
        if let Some(out) = self.baseline {
            if let Err(e) = out.commit() {
                eprintln!("error: {}", crate::output::escape(&e));
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
    fn new(
        format: Format,
        out: &'a mut dyn Write,
        outputs: &'a mut [(Format, OutputFile)],
    ) -> Sinks<'a> {
        let mut sinks = Sinks {
            streamed: Vec::new(),
            kept: Vec::new(),
        };
        match format.streamed(use_color()) {
            Some(style) => sinks.streamed.push(Sink::new(style, None, out)),
            None => sinks.kept.push(Sink::new(format, None, out)),
        }
        for (format, file) in outputs.iter_mut() {
            let (path, w) = file.parts();
            let path = Some(path);
            // Files are never coloured.
            match format.streamed(false) {
                Some(style) => sinks.streamed.push(Sink::new(style, path, w)),
                None => sinks.kept.push(Sink::new(*format, path, w)),
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
        let rules_checked = self.kept.iter().any(|s| s.how.lists_rules_checked());
        (!self.kept.is_empty(), rules_checked)
    }

    /// Ends the streamed outputs, writes the kept ones, and reports what could not be written
    /// to a file: false when anything could not. Standard output is written on a best-effort
    /// basis, as a reader may close it early (`| head`).
    fn finish(mut self, run: &Run, tally: &Tally, rules: &RuleSet, fail_at: Severity) -> bool {
        for sink in &mut self.streamed {
            if sink.failed.is_none() {
                sink.failed = human::write_end(&run.errors, tally, sink.w).err();
            }
        }
        for sink in &mut self.kept {
            sink.failed = crate::output::render(sink.how, run, rules, fail_at, sink.w).err();
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

/// What [`check_streaming`] gathered.
struct Streamed {
    /// The reports kept for the machine outputs (the run errors are added by the caller).
    run: Run,
    /// The tally of the files checked.
    tally: Tally,
    /// Whether any file has a counting finding at or above its own configuration's level.
    fails: bool,
    /// For each file found in a folder given: that folder's index, and whether the file
    /// held anything to report.
    roots_found: Vec<(usize, bool)>,
}

/// Checks the files, each under its configuration's setup, streaming each file's report to
/// the human outputs as it comes, filtering it through the baseline and recording it for a
/// new one.
fn check_streaming(
    jobs: &[(crate::files::Found, usize)],
    setups: &[Setup],
    sinks: &mut Sinks<'_>,
    mut matcher: Option<&mut Matcher<'_>>,
    mut recorded: Option<&mut Vec<Entry>>,
) -> Streamed {
    let mut notes = std::io::BufWriter::new(std::io::stderr());
    let (keep_files, keep_rules_checked) = sinks.keeps();
    let mut tally = Tally::default();
    let mut fails = false;
    let mut roots_found = Vec::new();
    let mut files = Vec::new();
    let found: Vec<crate::files::Found> = jobs.iter().map(|(f, _)| f.clone()).collect();
    let group: std::collections::HashMap<&Path, usize> =
        jobs.iter().map(|(f, g)| (f.path.as_path(), *g)).collect();
    let refs: Vec<(&RuleSet, &Options)> = setups.iter().map(|s| (&s.rules, &s.opts)).collect();
    let setup_of = |f: &crate::files::Found| group.get(f.path.as_path()).copied().unwrap_or(0);
    crate::check::check_found(&found, &refs, setup_of, false, |job, mut file, _| {
        if let Some(root) = job.root {
            roots_found.push((root, file.checked || file.error.is_some()));
        }
        if let Some(recorded) = recorded.as_deref_mut() {
            recorded.extend(Baseline::entries(&file));
        }
        if let Some(m) = matcher.as_deref_mut() {
            m.filter(&mut file);
        }
        let fail_at = setups[setup_of(job)].fail_at;
        fails |= file
            .findings
            .iter()
            .any(|f| f.counts() && f.severity >= fail_at);
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
    let _ = notes.flush();
    Streamed {
        run: Run {
            files,
            errors: Vec::new(),
        },
        tally,
        fails,
        roots_found,
    }
}

/// Writes the recorded findings as a baseline and says so; false (having said why) when it
/// cannot be written. The file is renamed into place when the run ends.
fn write_baseline(out: &mut OutputFile, findings: Vec<Entry>) -> bool {
    let b = Baseline {
        version: 1,
        findings,
    };
    let path = crate::output::escape(&out.target().display().to_string());
    match b.write_to(out.writer()) {
        Ok(()) => {
            eprintln!("note: recorded {} finding(s) in {path}", b.findings.len());
            true
        }
        Err(e) => {
            eprintln!("error: cannot write baseline {path}: {e}");
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
            let hint = suggest_rule(&args.rule, &ids)
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

/// The rule id meant by `word`: the same id in other case (`s75-host`), the one id ending in
/// `-WORD` (`HOST` for `S75-HOST`), or the nearest by spelling.
fn suggest_rule<'a>(word: &str, ids: &[&'a str]) -> Option<&'a str> {
    let upper = word.to_ascii_uppercase();
    let suffix = format!("-{upper}");
    let same = ids.iter().find(|id| id.eq_ignore_ascii_case(word));
    let mut ending = ids
        .iter()
        .filter(|id| id.to_ascii_uppercase().ends_with(&suffix));
    let only_ending = match (ending.next(), ending.next()) {
        (Some(id), None) => Some(id),
        _ => None,
    };
    same.or(only_ending)
        .copied()
        .or_else(|| crate::suggest::did_you_mean(word, ids.iter().copied()))
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
