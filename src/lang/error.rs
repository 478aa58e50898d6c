//! A mistake in a rule file, and how miette renders it.

use crate::span::Span;
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
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

impl std::error::Error for RuleError {}

impl Diagnostic for RuleError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(if self.warning {
            miette::Severity::Warning
        } else {
            miette::Severity::Error
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s.as_ref() as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let s = self.span;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("here".into()),
            (s.start, s.len()),
        ))))
    }
}
