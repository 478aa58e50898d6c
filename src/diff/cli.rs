//! The `diff` command's arguments, and reading its two versions from files or git revisions.
//!
//! Exit codes: 0 nothing material changed, 1 something material changed (a variation needs
//! every partner's signature), 2 the comparison could not be made (bad arguments, an
//! unreadable file, `REV:PATH` outside a git repository, a version that is not a loadable
//! agreement).

use super::{compare, human, json, markdown, Input, EXIT_ERROR};
use crate::agreement::values::Date;
use crate::ruleset::RuleSet;
use clap::ValueEnum;
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// Files larger than this are refused, as `check` refuses them.
const MAX_BYTES: usize = 10 * 1024 * 1024;

/// Arguments of `s75lint diff`.
#[derive(clap::Args, Debug)]
pub(crate) struct DiffArgs {
    /// The old version: a file, or REV:PATH for a file at a git revision (PATH from the top of
    /// the repository, or starting with ./ for the current folder). With --git: the file.
    old: String,
    /// The new version: a file, or REV:PATH. Not given with --git.
    new: Option<String>,
    /// Compare the file with its version at this git revision, e.g. `--git HEAD a.yaml`.
    #[arg(long, value_name = "REV")]
    git: Option<String>,
    /// The date to treat as today when checking both versions, YYYY-MM-DD (also read from
    /// the S75LINT_TODAY environment variable).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, env = "S75LINT_TODAY")]
    today: Option<Date>,
    /// Output format on standard output.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    format: DiffFormat,
}

/// Output formats of `diff`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DiffFormat {
    /// Plain text for a terminal, grouped by pool and scheme.
    Human,
    /// Markdown, for a variation cover note or a pull-request comment.
    Markdown,
    /// A versioned JSON document (see src/diff/json.rs).
    Json,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| format!("`{s}` is not a date like 2025-04-01"))
}

/// Runs `s75lint diff` and returns the exit code.
pub(crate) fn run(args: DiffArgs) -> i32 {
    let inputs = match (&args.git, &args.new) {
        (Some(rev), None) => git_file(rev, &args.old).and_then(|old| {
            let new = read(&args.old)?;
            Ok((old, new))
        }),
        (Some(_), Some(_)) => {
            Err("with --git REV, name one file: it is compared with its version at REV".into())
        }
        (None, Some(new)) => read(&args.old).and_then(|o| Ok((o, read(new)?))),
        (None, None) => {
            Err("name two versions (OLD NEW, either may be REV:PATH), or use --git REV FILE".into())
        }
    };
    let (old, new) = match inputs {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let rules = match RuleSet::builtin() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: the shipped rules did not load ({} errors)", e.len());
            return EXIT_ERROR;
        }
    };
    let today = args.today.unwrap_or_else(Date::today_utc);
    let d = compare(&old, &new, &rules, today);
    let text = match args.format {
        DiffFormat::Human => human::render(&d),
        DiffFormat::Markdown => markdown::render(&d),
        DiffFormat::Json => json::render(&d),
    };
    let mut out = std::io::stdout().lock();
    if out
        .write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return EXIT_ERROR;
    }
    d.exit_code()
}

/// Reads one version: an existing file, or else `REV:PATH` from git.
fn read(arg: &str) -> Result<Input, String> {
    let path = Path::new(arg);
    if path.exists() {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {arg}: {e}"))?;
        return text(arg, bytes);
    }
    match arg.split_once(':') {
        Some((rev, file)) if !rev.is_empty() && !file.is_empty() => {
            git_show(rev, file, Path::new("."), arg)
        }
        _ => Err(format!("cannot read {arg}: no such file")),
    }
}

/// The version of `file` at `rev`, asked of git from the file's own folder so any path works.
fn git_file(rev: &str, file: &str) -> Result<Input, String> {
    let path = Path::new(file);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{file} is not a file name"))?;
    git_show(rev, &format!("./{name}"), dir, &format!("{rev}:{file}"))
}

fn git_show(rev: &str, file: &str, dir: &Path, shown: &str) -> Result<Input, String> {
    // A revision starting with `-` would be read by git as an option.
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a git revision"));
    }
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .arg("show")
        .arg(format!("{rev}:{file}"))
        .output()
        .map_err(|e| format!("cannot run git to read {shown}: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("not a git repository") {
            return Err(format!(
                "{shown} names a git revision, but {} is not inside a git repository",
                dir.display()
            ));
        }
        return Err(format!(
            "git could not read {shown}: {}",
            err.trim().lines().next().unwrap_or("unknown error")
        ));
    }
    text(shown, out.stdout)
}

fn text(name: &str, bytes: Vec<u8>) -> Result<Input, String> {
    if bytes.len() > MAX_BYTES {
        return Err(format!(
            "{name} is larger than {} MB, the limit",
            MAX_BYTES / 1024 / 1024
        ));
    }
    let src = String::from_utf8(bytes)
        .map_err(|_| format!("{name} is not UTF-8 text (save it as UTF-8)"))?;
    let src = src
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(src);
    Ok(Input {
        name: name.to_string(),
        src,
    })
}
