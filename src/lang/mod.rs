//! The rule language: `parse` (pest grammar to syntax tree), `validate` (names and types checked
//! against the field table, once per run), `eval` (rules run against one agreement).

pub mod ast;
pub mod error;
pub mod eval;
pub mod parse;
pub mod validate;

pub use error::RuleError;

use miette::{Diagnostic, LabeledSpan, SourceCode};
use std::fmt;

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
