//! Command-line arguments and dispatch. Exit codes are an interface: 0 clean, 1 findings at or
//! above the failing level, 2 the tool could not do its job.

use crate::agreement::values::Date;
use crate::check::{check_paths, Options, Run};
use crate::finding::Severity;
use crate::lang::RuleError;
use crate::output::human::{self, Style};
use crate::ruleset::RuleSet;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

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
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// Files or directories to check [default: the current directory].
    paths: Vec<PathBuf>,
    /// An extra rule file to use besides the shipped rules (may be repeated).
    #[arg(long = "rules", value_name = "FILE")]
    rules: Vec<PathBuf>,
    /// The date to treat as today, YYYY-MM-DD (for reproducible runs).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<Date>,
    /// Fail (exit 1) on warnings as well as errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// Graphical diagnostics (plain text when NO_COLOR is set or output is not a terminal).
    Human,
    /// One paragraph per finding, for screen readers and logs.
    Plain,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| format!("`{s}` is not a date like 2025-04-01"))
}

fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Runs the command line and returns the exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(args) => check(args),
    }
}

fn style(format: Format) -> Style {
    match format {
        Format::Human => Style::Graphical { color: use_color() },
        Format::Plain => Style::Plain,
    }
}

/// Loads the shipped rules plus local rule files; prints rule-file errors.
fn load_rules(extra: &[PathBuf], style: Style) -> Option<RuleSet> {
    let mut errors: Vec<RuleError> = Vec::new();
    let mut rs = match RuleSet::builtin() {
        Ok(rs) => rs,
        Err(e) => {
            errors.extend(e);
            RuleSet::empty()
        }
    };
    for path in extra {
        let text = match std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(crate::check::decode)
        {
            Ok(t) => t,
            Err(why) => {
                eprintln!("error: cannot read rule file {}: {why}", path.display());
                return None;
            }
        };
        if let Err(e) = rs.add(&path.display().to_string(), &text) {
            errors.extend(e);
        }
    }
    if errors.is_empty() {
        return Some(rs);
    }
    let stderr = std::io::stderr();
    let mut w = stderr.lock();
    for e in &errors {
        let _ = write!(w, "{}", human::render(e, style));
    }
    let _ = writeln!(
        w,
        "{} error(s) in rule files; nothing was checked",
        errors.len()
    );
    None
}

fn check(args: CheckArgs) -> i32 {
    let style = style(args.format);
    let Some(rules) = load_rules(&args.rules, style) else {
        return EXIT_TOOL;
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    let opts = Options {
        today: args.today.unwrap_or_else(Date::today_utc),
    };
    let run = check_paths(&paths, &rules, &opts);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let stderr = std::io::stderr();
    let mut notes = stderr.lock();
    let _ = human::write(&run, style, &mut out, &mut notes);
    let _ = out.flush();
    exit_code(
        &run,
        if args.deny_warnings {
            Severity::Warning
        } else {
            Severity::Error
        },
    )
}

/// The exit code for a run: 2 if anything could not be checked, else 1 if any finding is at or
/// above `fail_at`, else 0.
pub fn exit_code(run: &Run, fail_at: Severity) -> i32 {
    if run.has_errors() {
        EXIT_TOOL
    } else if run
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .any(|f| f.severity >= fail_at)
    {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
