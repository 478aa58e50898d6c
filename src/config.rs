//! The project configuration file, `.s75lint.yaml`: extra rule files, rules switched off,
//! severity overrides, excluded paths and the failing level. Found by walking up from the
//! checked path, or named with `--config`. Mistakes in it stop the run (exit 2) with a
//! diagnostic on the exact place and a "did you mean".

use crate::agreement::yaml::{self, YamlNode, YamlValue};
use crate::finding::Severity;
use crate::lang::RuleError;
use crate::span::Span;
use crate::suggest::did_you_mean;
use miette::NamedSource;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The file name looked for.
pub(crate) const FILE_NAME: &str = ".s75lint.yaml";

const KEYS: &[&str] = &["rules", "disable", "severity", "exclude", "fail_on"];

/// A loaded configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was read from (None: defaults).
    pub path: Option<PathBuf>,
    /// Extra rule files, resolved against the config file's folder.
    pub rules: Vec<PathBuf>,
    /// Where each of `rules` is named in the file, so one that cannot be read is shown there.
    pub rule_spans: Vec<Span>,
    /// Rule ids switched off, with the span of each for later validation.
    pub disable: Vec<(String, Span)>,
    /// Severity per rule id.
    pub severity: Vec<(String, Severity, Span)>,
    /// Paths to leave out, as globs relative to the config file's folder.
    pub exclude: Option<globset::GlobSet>,
    /// Findings at or above this level fail the run.
    pub fail_on: Option<Severity>,
    source: Option<Arc<NamedSource<String>>>,
}

/// Finds `.s75lint.yaml` in `start` or the nearest folder above it.
pub(crate) fn discover(start: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(start).ok()?;
    let mut dir = if abs.is_dir() {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config, Vec<RuleError>> {
        let (cfg, errs) = Config::load_all(path);
        if errs.is_empty() {
            Ok(cfg)
        } else {
            Err(errs)
        }
    }

    /// Reads a configuration file and returns what it could read with every mistake in it, so
    /// that all of them can be shown at once (with [`Config::check_ids`] and
    /// [`Config::error_at`] for the rule ids and files it names).
    pub fn load_all(path: &Path) -> (Config, Vec<RuleError>) {
        // Only a YAML file is read as a configuration: the error for any other file would
        // quote its first line (a credentials file named with `--config`).
        let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        let text = if yaml {
            crate::files::read_guarded(path)
        } else {
            Err("a configuration is a `.yaml` file; this one was not read".into())
        };
        let text = match text {
            Ok(t) => t,
            Err(why) => {
                let e = RuleError::new(
                    format!("cannot read {}: {why}", path.display()),
                    Span::default(),
                );
                return (Config::default(), vec![e]);
            }
        };
        let (mut cfg, errs) = Config::parse_all(&text, &path.display().to_string());
        let base = path.parent().unwrap_or(Path::new("."));
        cfg.rules = cfg.rules.iter().map(|r| base.join(r)).collect();
        cfg.path = Some(path.to_path_buf());
        (cfg, errs)
    }

    /// Parses configuration text; `name` is shown in diagnostics.
    pub fn parse(text: &str, name: &str) -> Result<Config, Vec<RuleError>> {
        let (cfg, errs) = Config::parse_all(text, name);
        if errs.is_empty() {
            Ok(cfg)
        } else {
            Err(errs)
        }
    }

    /// An error at a place in this configuration file (a rule file it names that cannot be
    /// read, say), shown with the file's text.
    pub fn error_at(&self, message: impl Into<String>, span: Span) -> RuleError {
        let mut e = RuleError::new(message, span);
        e.source = self.source.clone();
        e.code = "config";
        e
    }

    /// Parses configuration text and returns what it could read with every mistake in it.
    pub fn parse_all(text: &str, name: &str) -> (Config, Vec<RuleError>) {
        let source = Arc::new(NamedSource::new(name, text.to_string()).with_language("yaml"));
        let attach = |mut errs: Vec<RuleError>| {
            for e in &mut errs {
                e.source = Some(source.clone());
                e.code = "config";
            }
            errs
        };
        let mut cfg = Config {
            source: Some(source.clone()),
            ..Config::default()
        };
        let root = match yaml::parse(text) {
            Ok(Some(r)) => r,
            Ok(None) => return (cfg, Vec::new()),
            Err(e) => {
                let e = RuleError::new(format!("this is not valid YAML: {}", e.message), e.span);
                return (cfg, attach(vec![e]));
            }
        };
        let YamlValue::Map(entries) = &root.value else {
            let e = RuleError::new(
                "the configuration must be a mapping of keys and values",
                root.span,
            );
            return (cfg, attach(vec![e]));
        };
        let mut errs = Vec::new();
        let mut globs = globset::GlobSetBuilder::new();
        let mut any_glob = false;
        for (k, v) in entries {
            let key = scalar(k).unwrap_or("");
            match key {
                "rules" => {
                    for (file, span) in list(v, "rules", &mut errs) {
                        cfg.rules.push(PathBuf::from(file));
                        cfg.rule_spans.push(span);
                    }
                }
                "disable" => {
                    for (id, span) in list(v, "disable", &mut errs) {
                        cfg.disable.push((id.to_string(), span));
                    }
                }
                "severity" => match &v.value {
                    YamlValue::Map(pairs) => {
                        for (rk, rv) in pairs {
                            match (scalar(rk), severity(rv, "a severity")) {
                                (Some(id), Ok(s)) => cfg.severity.push((id.to_string(), s, rk.span)),
                                (Some(id), Err(e)) => {
                                    // The id is still checked, so a wrong one is reported too.
                                    cfg.severity.push((id.to_string(), Severity::Error, rk.span));
                                    errs.push(e);
                                }
                                (None, Err(e)) => errs.push(e),
                                (None, _) => errs.push(RuleError::new("a rule id is expected here", rk.span)),
                            }
                        }
                    }
                    _ => errs.push(RuleError::new("`severity` must map rule ids to error, warning or info, like `{AC-VAT: error}`", v.span)),
                },
                "exclude" => {
                    for (g, span) in list(v, "exclude", &mut errs) {
                        match globset::Glob::new(g) {
                            Ok(glob) => {
                                globs.add(glob);
                                any_glob = true;
                            }
                            Err(e) => errs.push(RuleError::new(format!("this is not a valid glob: {}", e.kind()), span)),
                        }
                    }
                }
                "fail_on" => match severity(v, "`fail_on`") {
                    Ok(s) => cfg.fail_on = Some(s),
                    Err(e) => errs.push(e),
                },
                other => {
                    let mut e = RuleError::new(format!("unknown key `{other}` in the configuration"), k.span);
                    e.help = Some(match did_you_mean(other, KEYS.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("the keys are: {}", KEYS.join(", ")),
                    });
                    errs.push(e);
                }
            }
        }
        if any_glob {
            match globs.build() {
                Ok(set) => cfg.exclude = Some(set),
                Err(e) => errs.push(RuleError::new(
                    format!("the exclude globs do not build: {e}"),
                    root.span,
                )),
            }
        }
        (cfg, attach(errs))
    }

    /// Checks that every rule id named exists; `known` is every id a finding can have.
    pub fn check_ids(&self, known: &[&str]) -> Result<(), Vec<RuleError>> {
        let mut errs = Vec::new();
        let named = self
            .disable
            .iter()
            .map(|(id, s)| (id, *s))
            .chain(self.severity.iter().map(|(id, _, s)| (id, *s)));
        for (id, span) in named {
            if !known.contains(&id.as_str()) {
                let mut e = RuleError::new(format!("there is no rule `{id}`"), span);
                e.help =
                    did_you_mean(id, known.iter().copied()).map(|s| format!("did you mean `{s}`?"));
                e.source = self.source.clone();
                e.code = "config";
                errs.push(e);
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }

    /// True when `path` matches an `exclude` glob (relative to the config file's folder).
    pub fn excludes(&self, path: &Path) -> bool {
        let (Some(set), Some(cfg_path)) = (&self.exclude, &self.path) else {
            return false;
        };
        let base = cfg_path
            .parent()
            .and_then(|p| std::fs::canonicalize(p).ok());
        let abs = std::fs::canonicalize(path).ok();
        match (base, abs) {
            (Some(b), Some(a)) => a.strip_prefix(&b).is_ok_and(|rel| set.is_match(rel)),
            _ => set.is_match(path),
        }
    }
}

/// A severity value: `error`, `warning` or `info`, with "did you mean" for a near miss
/// (`warnings`). `what` names the value in the message.
fn severity(y: &YamlNode, what: &str) -> Result<Severity, RuleError> {
    const NAMES: [&str; 3] = ["error", "warning", "info"];
    let text = scalar(y);
    if let Some(s) = text.and_then(Severity::parse) {
        return Ok(s);
    }
    let mut e = RuleError::new(
        format!("{what} must be `error`, `warning` or `info`"),
        y.span,
    );
    e.help = text
        .and_then(|t| did_you_mean(t, NAMES))
        .map(|s| format!("did you mean `{s}`?"));
    Err(e)
}

fn scalar(y: &YamlNode) -> Option<&str> {
    match &y.value {
        YamlValue::Scalar { value, .. } => Some(value.as_str()),
        _ => None,
    }
}

/// A list of plain strings (a single string is accepted as a list of one).
fn list<'a>(y: &'a YamlNode, key: &str, errs: &mut Vec<RuleError>) -> Vec<(&'a str, Span)> {
    match &y.value {
        YamlValue::Scalar { value, .. } => vec![(value.as_str(), y.span)],
        YamlValue::Seq(items) => items
            .iter()
            .filter_map(|i| match scalar(i) {
                Some(s) => Some((s, i.span)),
                None => {
                    errs.push(RuleError::new(
                        format!("each item of `{key}` must be plain text"),
                        i.span,
                    ));
                    None
                }
            })
            .collect(),
        YamlValue::Map(_) => {
            errs.push(RuleError::new(format!("`{key}` must be a list"), y.span));
            Vec::new()
        }
    }
}
