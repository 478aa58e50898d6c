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
//! let report = s75lint::check_source("a.yaml", "s75lint: 1\nid: X\n", &rules, &s75lint::Options::default());
//! assert!(report.findings.iter().any(|f| f.rule == "S75-SIGNED" || f.rule.starts_with("S75-")));
//! ```

pub mod agreement;
pub mod check;
pub mod cli;
pub mod finding;
pub mod lang;
pub mod output;
pub mod ruleset;
pub mod suggest;

pub use check::{check_paths, check_source, FileReport, Options, Run};
pub use finding::{Finding, Severity};
pub use ruleset::RuleSet;

/// Parses the process arguments.
pub fn cli_args() -> Result<cli::Cli, clap::Error> {
    use clap::Parser;
    cli::Cli::try_parse()
}
