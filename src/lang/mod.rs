//! The rule language: `parse` (pest grammar to syntax tree), `validate` (names and types checked
//! against the field table, once per run), `eval` (rules run against one agreement). `ast` is
//! the syntax tree they share, `functions` the table of built-in functions, `error` a mistake
//! in a rule file.

pub mod ast;
pub mod error;
pub mod eval;
pub mod functions;
pub mod parse;
pub mod validate;

pub use error::RuleError;
