//! s75lint checks partnership agreements under section 75 of the NHS Act 2006 (and the related
//! section 256/76 grants, care trusts and aligned budgets) against the statutory requirements
//! and good practice.
//!
//! The stages, each in one place:
//! `agreement::yaml` (YAML tree with byte spans) -> `agreement::load` (typed values, `FMT-`
//! findings) -> `lang` (rule files parsed, validated, evaluated) -> [`Finding`] ->
//! `output` (one renderer per format).
//!
//! ```
//! let rules = s75lint::RuleSet::builtin().unwrap();
//! let yaml = "s75lint: 1\nexit_stratgy: {notice_months: 6}\n";
//! let report = s75lint::check_source("a.yaml", yaml, &rules, &s75lint::Options::default());
//! let typo = report.findings.iter().find(|f| f.rule == "FMT-UNKNOWN-KEY").unwrap();
//! assert_eq!(typo.message, "unknown key `exit_stratgy`; did you mean `exit_strategy`?");
//! ```

// Every module is private to the crate. The public API is the `pub use` list and the small
// façade modules below: what the command, the test suites, the benchmarks and the fuzz targets
// call. Everything else is `pub(crate)` (`unreachable_pub` keeps it so), which lets the compiler
// report code nothing uses.
#![warn(unreachable_pub)]

mod agreement;
mod baseline;
mod builtin_rules;
mod chars;
mod check;
mod cli;
mod completions;
mod config;
mod diff;
mod docs;
#[cfg(test)]
mod docs_format;
mod exit;
mod files;
mod finding;
mod init;
mod lang;
mod lsp;
mod outfile;
mod output;
mod position;
mod report;
mod ruleset;
mod ruletest;
mod schema_json;
mod setup;
mod severity;
mod signoff;
mod span;
mod suggest;
mod waivers;

// Checking: a text or paths, with a rule set, into findings.
pub use check::{check_paths, check_source, Options};
pub use finding::{Finding, Label, Severity, Waiver};
pub use report::{FileReport, Run};
pub use ruleset::RuleSet;

// Loading: bytes to text as files are read, text to a typed agreement.
pub use agreement::load::{load, Loaded};
pub use agreement::values::Date;
pub use files::decode;

// Positions: byte spans, and their lines and columns.
pub use position::{line_col, LineIndex, Position};
pub use span::Span;

// The command line, as `main` runs it.
pub use cli::{parse_args, run, Cli};

/// The YAML reader that keeps a byte span on every node (used under [`load`]).
pub mod yaml {
    pub use crate::agreement::yaml::{explain, parse, Explained, YamlNode, YamlValue};
}

/// Writing a [`Run`] in each output format, as `--format` and `--output` choose.
pub mod formats {
    /// GitHub Actions workflow commands.
    pub use crate::output::github::write as github;
    /// The human-readable report of one file (miette diagnostics, or plain lines).
    pub use crate::output::human::{write_file as human_file, Style, MAX_DRAWN_FINDINGS};
    /// The JSON report (`docs/json-output.md`).
    pub use crate::output::json::write as json;
    /// JUnit XML, one test case per agreement.
    pub use crate::output::junit::write as junit;
    /// SARIF 2.1.0.
    pub use crate::output::sarif::write as sarif;
    pub use crate::output::summary;
}

/// The rules built into the engine (the `FMT-` and `WAIVER-` rules) and the documentation of
/// every rule, as `s75lint rules` and `s75lint explain` print it.
pub mod rule_docs {
    pub use crate::builtin_rules::{BuiltinRule, Example, ALL as BUILTIN};
    pub use crate::docs::{all, explain, RuleDoc};
}

/// The JSON Schema for agreements that `s75lint schema` writes for editors.
pub mod schema {
    pub use crate::schema_json::{generate, render, MODELINE};
}

/// The language server (`s75lint lsp`).
pub mod language_server {
    pub use crate::lsp::{documents::uri_of, serve};
}

/// What `s75lint test` reads: the `# expect:` markers in a rule's examples and fixtures, and
/// the base agreements an example is spliced into.
pub mod rule_tests {
    pub use crate::ruletest::{
        agreement_text, expectations, extent_of, BadMarker, Expect, Extent, BASES,
    };
}
