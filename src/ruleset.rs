//! The rules of a run: the shipped rule files (embedded at build time) plus any local ones,
//! each parsed and validated once.

use crate::lang::ast::Rule;
use crate::lang::{parse, validate, RuleError};
use miette::NamedSource;
use std::sync::Arc;

/// The shipped rule files, embedded in the binary.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "rules/statutory.rules",
        include_str!("../rules/statutory.rules"),
    ),
    (
        "rules/finance.rules",
        include_str!("../rules/finance.rules"),
    ),
    (
        "rules/good-practice.rules",
        include_str!("../rules/good-practice.rules"),
    ),
    ("rules/bcf.rules", include_str!("../rules/bcf.rules")),
];

/// A loaded rule file.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// Its name as shown in diagnostics.
    pub name: String,
    /// Its text, ready for rendering diagnostics.
    pub source: Arc<NamedSource<String>>,
}

/// Parsed and validated rules.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// The files the rules came from.
    pub files: Vec<RuleFile>,
    /// The rules, in file order.
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// An empty rule set (format checks only).
    pub fn empty() -> RuleSet {
        RuleSet::default()
    }

    /// The shipped rules.
    ///
    /// Parsing the rule files is most of the start-up time of a run over a few files, so the
    /// largest file is parsed on a thread of its own while the others are parsed here.
    pub fn builtin() -> Result<RuleSet, Vec<RuleError>> {
        let parse = |idx: usize| {
            let (name, text) = BUILTIN[idx];
            (name, text, parse_validated(text, idx))
        };
        let largest = (0..BUILTIN.len())
            .max_by_key(|&i| BUILTIN[i].1.len())
            .unwrap_or(0);
        let mut parsed: Vec<_> = std::thread::scope(|s| {
            let big = s.spawn(move || parse(largest));
            let mut out: Vec<_> = (0..BUILTIN.len())
                .filter(|&i| i != largest)
                .map(|i| (i, parse(i)))
                .collect();
            let big = big.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            out.push((largest, big));
            out
        });
        parsed.sort_by_key(|(i, _)| *i);
        let mut rs = RuleSet::default();
        for (_, (name, text, result)) in parsed {
            rs.merge(name, text, result)?;
        }
        Ok(rs)
    }

    /// Parses, validates and adds one rule file. A rule id that is already defined is an error.
    pub fn add(&mut self, name: &str, text: &str) -> Result<(), Vec<RuleError>> {
        let result = parse_validated(text, self.files.len());
        self.merge(name, text, result)
    }

    /// Adds a parsed file's rules (parsed as file number `self.files.len()`), or its errors.
    fn merge(&mut self, name: &str, text: &str, parsed: Parsed) -> Result<(), Vec<RuleError>> {
        let source =
            Arc::new(NamedSource::new(name, text.to_string()).with_language("s75lint rules"));
        let attach = |mut errs: Vec<RuleError>| {
            for e in &mut errs {
                e.source = Some(source.clone());
            }
            errs
        };
        let (rules, mut errs) = parsed.map_err(attach)?;
        for (i, r) in rules.iter().enumerate() {
            let dup_here = rules[..i].iter().any(|o| o.id == r.id);
            let dup_before = self.rules.iter().find(|o| o.id == r.id);
            if dup_here || dup_before.is_some() {
                let where_ = dup_before.map_or_else(
                    || "in this file".to_string(),
                    |o| format!("in {}", self.files[o.file].name),
                );
                errs.push(
                    RuleError::new(
                        format!("rule {} is already defined {where_}", r.id),
                        r.id_span,
                    )
                    .with_help("Give the rule its own id."),
                );
            }
        }
        if !errs.is_empty() {
            return Err(attach(errs));
        }
        self.files.push(RuleFile {
            name: name.to_string(),
            source,
        });
        self.rules.extend(rules);
        Ok(())
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// A rule file's rules with their validation errors, or its syntax errors.
type Parsed = Result<(Vec<Rule>, Vec<RuleError>), Vec<RuleError>>;

/// Parses one rule file (as file number `idx`) and validates each rule.
fn parse_validated(text: &str, idx: usize) -> Parsed {
    let mut rules = parse::parse_file(text, idx)?;
    let mut errs = Vec::new();
    for r in &mut rules {
        if let Err(e) = validate::validate(r) {
            errs.extend(e);
        }
    }
    Ok((rules, errs))
}
