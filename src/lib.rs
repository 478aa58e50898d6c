//! s75lint checks partnership agreements under section 75 of the NHS Act 2006 (and the related
//! section 256/76 grants, care trusts and aligned budgets) against the statutory requirements
//! and good practice.
//!
//! The stages, each in one place:
//! `agreement::yaml` (YAML tree with byte spans) -> `agreement::load` (typed values, `FMT-`
//! findings) -> `lang` (rule files parsed, validated, evaluated) -> [`finding::Finding`] ->
//! `output` (one renderer per format).
//!
//! ```
//! let rules = s75lint::RuleSet::builtin().unwrap();
//! let yaml = "s75lint: 1\nexit_stratgy: {notice_months: 6}\n";
//! let report = s75lint::check_source("a.yaml", yaml, &rules, &s75lint::Options::default());
//! let typo = report.findings.iter().find(|f| f.rule == "FMT-UNKNOWN-KEY").unwrap();
//! assert_eq!(typo.message, "unknown key `exit_stratgy`; did you mean `exit_strategy`?");
//! ```

pub mod agreement;
pub mod baseline;
pub mod builtin_rules;
pub mod chars;
pub mod check;
pub mod cli;
pub mod completions;
pub mod config;
pub mod diff;
pub mod docs;
#[cfg(test)]
mod docs_format;
pub mod files;
pub mod finding;
pub mod init;
pub mod lang;
pub mod lsp;
pub(crate) mod outfile;
pub mod output;
pub mod position;
pub mod report;
pub mod ruleset;
pub mod ruletest;
pub mod schema_json;
pub mod severity;
pub mod signoff;
pub mod span;
pub mod suggest;
pub mod waivers;

pub use check::{check_paths, check_source, Options};
pub use finding::{Finding, Severity};
pub use report::{FileReport, Run};
pub use ruleset::RuleSet;

/// Parses the process arguments (with tips for common slips, see [`cli::parse_args`]).
pub fn cli_args() -> Result<cli::Cli, clap::Error> {
    cli::parse_args()
}
