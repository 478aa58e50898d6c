//! The rules and configuration a run uses: the configuration file (named, or found above the
//! checked path), the shipped rules, and the rule files both name, loaded together so that
//! everything wrong is said at once. `check`, the language server and the sign-off pack all
//! load through here.

use crate::config::Config;
use crate::lang::RuleError;
use crate::output::human::{self, error_style};
use crate::ruleset::RuleSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Options shared by commands that load rules.
#[derive(clap::Args, Debug)]
pub(crate) struct RuleArgs {
    /// An extra rule file to use besides the shipped rules (may be repeated).
    #[arg(long = "rules", value_name = "FILE")]
    pub(crate) rules: Vec<PathBuf>,
    /// The configuration file [default: .s75lint.yaml in the checked folder or above].
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
}

/// What stopped [`setup`] from loading the configuration and rules.
#[derive(Debug)]
pub(crate) enum SetupError {
    /// Mistakes in the configuration or rule files; `what` names which ("rule files").
    Errors(Vec<RuleError>, &'static str),
    /// A file that could not be read at all, and why.
    Unreadable(String),
}

/// Loads the configuration (named, or found above `start`) and the rules it and `extra_rules`
/// ask for: what `check` uses, and the language server too. Collects everything that is wrong
/// at once (keys, values, rule files and rule ids).
pub(crate) fn setup(
    config: Option<&Path>,
    extra_rules: &[PathBuf],
    start: &Path,
) -> Result<(Config, RuleSet), SetupError> {
    let cfg_path = config
        .map(Path::to_path_buf)
        .or_else(|| crate::config::discover(start));
    setup_from(cfg_path.as_deref(), extra_rules)
}

/// [`setup`] for the configuration at `cfg_path` (None: the defaults).
pub(crate) fn setup_from(
    cfg_path: Option<&Path>,
    extra_rules: &[PathBuf],
) -> Result<(Config, RuleSet), SetupError> {
    let (cfg, mut cfg_errors) = match cfg_path {
        Some(p) => Config::load_all(p),
        None => (Config::default(), Vec::new()),
    };
    let mut errors: Vec<RuleError> = Vec::new();
    let mut rs = match RuleSet::builtin() {
        Ok(rs) => rs,
        Err(e) => {
            errors.extend(e);
            RuleSet::empty()
        }
    };
    // A rule file the configuration names but that cannot be read is shown on its line there.
    let mut all_read = true;
    for (path, span) in cfg.rules.iter().zip(&cfg.rule_spans) {
        match read_rule_file(path) {
            Ok(text) => {
                if let Err(e) = rs.add(&path.display().to_string(), &text) {
                    errors.extend(e);
                }
            }
            Err(why) => {
                all_read = false;
                cfg_errors.push(cfg.error_at(why, *span));
            }
        }
    }
    read_rule_files(&mut rs, extra_rules, &mut errors).map_err(SetupError::Unreadable)?;
    // Rule ids are only known once every rule file has been read.
    if all_read && errors.is_empty() {
        if let Err(e) = cfg.check_ids(&known_ids(&rs)) {
            cfg_errors.extend(e);
        }
    }
    if cfg_errors.is_empty() && errors.is_empty() {
        return Ok((cfg, rs));
    }
    let what = match (cfg_errors.is_empty(), errors.is_empty()) {
        (false, true) => "the configuration",
        (true, false) => "rule files",
        _ => "the configuration and rule files",
    };
    // The configuration's mistakes in the order of its lines, then the rule files'.
    cfg_errors.sort_by_key(|e| e.span.start);
    cfg_errors.append(&mut errors);
    Err(SetupError::Errors(cfg_errors, what))
}

/// [`setup`] for a command: prints what is wrong and returns None when anything is.
pub(crate) fn load_setup(args: &RuleArgs, start: &Path) -> Option<(Config, RuleSet)> {
    let cfg_path = args
        .config
        .clone()
        .or_else(|| crate::config::discover(start));
    load_setup_from(args, cfg_path.as_deref())
}

/// [`setup_from`] for a command: prints what is wrong and returns None when anything is.
pub(crate) fn load_setup_from(
    args: &RuleArgs,
    cfg_path: Option<&Path>,
) -> Option<(Config, RuleSet)> {
    match setup_from(cfg_path, &args.rules) {
        Ok(s) => Some(s),
        Err(SetupError::Errors(e, what)) => {
            print_errors(&e, what);
            None
        }
        Err(SetupError::Unreadable(why)) => {
            eprintln!("error: {why}");
            None
        }
    }
}

/// Prints rule-language and configuration errors with their places, and how many there were.
pub(crate) fn print_errors(errors: &[RuleError], what: &str) {
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
pub(crate) fn known_ids(rs: &RuleSet) -> Vec<&str> {
    rs.rules
        .iter()
        .map(|r| r.id.as_str())
        .chain(crate::builtin_rules::ids())
        .collect()
}

/// A rule file's text, or why it cannot be read (the whole message, naming the file).
pub(crate) fn read_rule_file(path: &Path) -> Result<String, String> {
    let shown = crate::output::escape(&path.display().to_string());
    // A file that is not a rule file is never read: its first line would otherwise be quoted
    // in the syntax error (a committed configuration naming a credentials file would print it
    // into the CI log).
    if path.extension().is_none_or(|e| e != "rules") {
        return Err(format!(
            "{shown} is not a rule file (rule files end in `.rules`); it was not read"
        ));
    }
    crate::files::read_guarded(path).map_err(|why| format!("cannot read rule file {shown}: {why}"))
}

/// Reads and adds rule files, collecting mistakes in them into `errors`. A file that cannot be
/// read at all is reported at once and stops the run (false).
pub(crate) fn add_rule_files<'a>(
    rs: &mut RuleSet,
    paths: impl IntoIterator<Item = &'a PathBuf>,
    errors: &mut Vec<RuleError>,
) -> bool {
    read_rule_files(rs, paths, errors)
        .map_err(|why| eprintln!("error: {why}"))
        .is_ok()
}

/// Reads and adds rule files, collecting mistakes in them into `errors`; says which file could
/// not be read at all, and why.
pub(crate) fn read_rule_files<'a>(
    rs: &mut RuleSet,
    paths: impl IntoIterator<Item = &'a PathBuf>,
    errors: &mut Vec<RuleError>,
) -> Result<(), String> {
    for path in paths {
        let text = read_rule_file(path)?;
        if let Err(e) = rs.add(&path.display().to_string(), &text) {
            errors.extend(e);
        }
    }
    Ok(())
}
