//! The rule language: `parse` (pest grammar to syntax tree), `validate` (names and types checked
//! against the field table, once per run), `eval` (rules run against one agreement). `ast` is
//! the syntax tree they share, `functions` the table of built-in functions, `error` a mistake
//! in a rule file.

pub(crate) mod ast;
pub(crate) mod error;
pub(crate) mod eval;
pub(crate) mod functions;
pub(crate) mod needles;
pub(crate) mod parse;
pub(crate) mod validate;

pub(crate) use error::RuleError;
