//! A mistake in a rule file. Kept free of miette (its `Diagnostic` impl is in `lang`) so the
//! build script can compile the rule language front end.

use crate::agreement::yaml::Span;
use miette::NamedSource;
use std::fmt;
use std::sync::Arc;

/// A mistake in a rule file, found when it is loaded.
#[derive(Debug, Clone)]
pub struct RuleError {
    /// What is wrong.
    pub message: String,
    /// Where in the rule file.
    pub span: Span,
    /// How to fix it ("did you mean `host`?").
    pub help: Option<String>,
    /// The rule file, for rendering (set when the error leaves the rule set loader).
    pub source: Option<Arc<NamedSource<String>>>,
    /// What kind of file it is in: `rule-file`, `config` or `rule-test`.
    pub code: &'static str,
    /// True for a warning rather than an error.
    pub warning: bool,
}

impl RuleError {
    /// An error at a span.
    pub fn new(message: impl Into<String>, span: Span) -> RuleError {
        RuleError {
            message: message.into(),
            span,
            help: None,
            source: None,
            code: "rule-file",
            warning: false,
        }
    }
    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> RuleError {
        self.help = Some(help.into());
        self
    }
    /// The rule file's name, if known.
    pub fn file_name(&self) -> &str {
        self.source.as_ref().map_or("<rules>", |s| s.name())
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
