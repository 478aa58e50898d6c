//! The rules of a run: the shipped rule files (embedded at build time) plus any local ones,
//! each parsed and validated once.

use crate::lang::ast::Rule;
use crate::lang::{parse, validate, RuleError};
use miette::NamedSource;
use std::sync::Arc;

mod builtin;

pub(crate) use builtin::BUILTIN;

/// The shipped rules' validated syntax trees, one list per file of [`BUILTIN`], compiled by
/// `build.rs` so that a run does not parse them.
const COMPILED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/builtin-rules.postcard"));

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

    /// The shipped rules, from the syntax trees compiled at build time.
    ///
    /// Reading them back takes a small fraction of what parsing their text takes (most of the
    /// start-up time of a run over one file, before). Should the compiled form not read back,
    /// the embedded text is parsed instead.
    pub fn builtin() -> Result<RuleSet, Vec<RuleError>> {
        match postcard::from_bytes::<Vec<Vec<Rule>>>(COMPILED) {
            Ok(files) if files.len() == BUILTIN.len() => {
                let mut rs = RuleSet::default();
                for ((name, text), rules) in BUILTIN.iter().zip(files) {
                    rs.merge(name, text, Ok((rules, Vec::new())))?;
                }
                Ok(rs)
            }
            _ => RuleSet::builtin_parsed(),
        }
    }

    /// The shipped rules, parsed from their text (what `build.rs` does ahead of time).
    pub(crate) fn builtin_parsed() -> Result<RuleSet, Vec<RuleError>> {
        let mut rs = RuleSet::default();
        for (name, text) in BUILTIN {
            rs.add(name, text)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The trees compiled by `build.rs` are exactly what parsing the embedded text gives now,
    /// so a stale or differently built artefact cannot change what is checked.
    #[test]
    fn compiled_builtin_rules_equal_a_fresh_parse() {
        let fresh: Vec<Vec<Rule>> = BUILTIN
            .iter()
            .enumerate()
            .map(|(i, (_, text))| {
                let (rules, errs) = parse_validated(text, i).expect("shipped rules parse");
                assert!(errs.is_empty(), "{errs:?}");
                rules
            })
            .collect();
        let fresh = postcard::to_stdvec(&fresh).expect("serialisable");
        assert!(
            fresh == COMPILED,
            "build.rs output differs from a fresh parse"
        );

        let compiled = RuleSet::builtin().expect("shipped rules");
        let parsed = RuleSet::builtin_parsed().expect("shipped rules");
        assert_eq!(compiled.rules.len(), parsed.rules.len());
        let bytes = |rs: &RuleSet| postcard::to_stdvec(&rs.rules).expect("serialisable");
        assert!(bytes(&compiled) == bytes(&parsed));
        assert_eq!(compiled.files.len(), BUILTIN.len());
    }
}
