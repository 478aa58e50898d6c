//! The rule language: `parse` (pest grammar to syntax tree), `validate` (names and types checked
//! against the field table, once per run), `eval` (rules run against one agreement).

pub mod ast;
pub mod error;
pub mod eval;
pub mod parse;
pub mod validate;

pub use error::RuleError;
