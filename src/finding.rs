//! The one model of a finding that every output format renders.

use crate::span::Span;
use std::sync::Arc;

pub use crate::severity::Severity;

/// Findings kept per file. A hostile file (millions of unknown keys) could otherwise make
/// millions of findings and gigabytes of memory; past this many, the file's checking stops
/// with one `FMT-YAML` finding saying so (`check`). The loader stops keeping findings just past
/// it, so memory stays bounded while loading too. No real agreement comes near it.
pub(crate) const MAX_FINDINGS_PER_FILE: usize = 10_000;

/// A further place a finding points at, with its own label.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Byte span in the agreement file.
    pub span: Span,
    /// What the label says.
    pub text: String,
}

/// One thing wrong with one agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Rule id, e.g. `S75-HOST` or `FMT-TYPE`.
    pub rule: String,
    /// Severity after any `severity ... when` override.
    pub severity: Severity,
    /// Plain-English message naming the thing.
    pub message: String,
    /// Byte span of the offending value, or of the mapping that should hold a missing one.
    pub span: Span,
    /// Text of the primary label.
    pub label: String,
    /// Further labelled places.
    pub labels: Vec<Label>,
    /// Citations of the law or guidance; shared with the rule and its other findings.
    pub citations: Arc<[String]>,
    /// How to fix it; shared with the rule's other findings.
    pub help: Option<Arc<str>>,
    /// Where in the agreement, by keys and ids rather than lines (`pools[BCF].host`), so a
    /// fingerprint survives edits elsewhere in the file.
    pub location: String,
    /// The waiver that accepts this finding, if any: a waived finding is listed but not counted.
    pub waived: Option<Waiver>,
    /// How many findings of the same rule at the same `location` come before this one in the
    /// file ([`number_occurrences`]), so that each finding's fingerprint is its own.
    pub occurrence: u32,
}

/// An accepted departure from a rule, recorded in the agreement's `waivers:`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Waiver {
    /// Why the departure is accepted.
    pub reason: String,
    /// Who approved it.
    pub approved_by: String,
    /// When the waiver lapses (ISO date), if it does.
    pub expires: Option<String>,
}

/// A file path as it enters fingerprints: forward slashes, no leading `./`, so `check .` and
/// `check fixtures` agree.
pub(crate) fn normalise_path(path: &str) -> String {
    let p = path.replace('\\', "/");
    let mut s = p.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

/// A stable identifier for a finding: rule id, file, location in the agreement (not the line)
/// and occurrence (the how-manieth finding of that rule at that location, from 0), so edits
/// elsewhere in the file do not change it and no two findings of a file share one. FNV-1a,
/// 64 bits, as 16 hex digits.
///
/// The first occurrence hashes exactly as fingerprints did before occurrences were counted, so
/// baselines written then still match every finding that had a fingerprint of its own.
pub(crate) fn fingerprint(rule: &str, file: &str, location: &str, occurrence: u32) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let nth = (occurrence > 0).then(|| format!("#{occurrence}"));
    for part in [rule, file, location].into_iter().chain(nth.as_deref()) {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Numbers the findings of one file that share a rule and a location, in the order given
/// (by position): moving unrelated lines keeps that order, so the numbers stay the same.
pub(crate) fn number_occurrences(findings: &mut [Finding]) {
    let mut seen: std::collections::HashMap<(&str, &str), u32> = std::collections::HashMap::new();
    let mut numbers = Vec::with_capacity(findings.len());
    for f in findings.iter() {
        let n = seen.entry((&f.rule, &f.location)).or_insert(0);
        numbers.push(*n);
        *n += 1;
    }
    for (f, n) in findings.iter_mut().zip(numbers) {
        f.occurrence = n;
    }
}

/// The empty citation list, one allocation for every finding without citations.
fn no_citations() -> Arc<[String]> {
    static EMPTY: std::sync::OnceLock<Arc<[String]>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Arc::from(Vec::new())).clone()
}

impl Finding {
    /// A finding with the essentials; the rest may be filled in by the caller.
    pub(crate) fn new(rule: &str, severity: Severity, message: String, span: Span) -> Finding {
        Finding {
            rule: rule.to_string(),
            severity,
            message,
            span,
            label: String::new(),
            labels: Vec::new(),
            citations: no_citations(),
            help: None,
            location: String::new(),
            waived: None,
            occurrence: 0,
        }
    }
    /// A finding of a built-in rule, with its id and default severity from the registry.
    pub(crate) fn of(
        rule: &crate::builtin_rules::BuiltinRule,
        message: String,
        span: Span,
    ) -> Finding {
        Finding::new(rule.id, rule.severity, message, span)
    }
    /// Sets the help line.
    pub(crate) fn with_help(mut self, help: impl Into<Arc<str>>) -> Finding {
        self.help = Some(help.into());
        self
    }
    /// Sets the primary label's text.
    pub(crate) fn with_label(mut self, label: impl Into<String>) -> Finding {
        self.label = label.into();
        self
    }
    /// This finding's fingerprint within `file`.
    pub fn fingerprint(&self, file: &str) -> String {
        fingerprint(
            &self.rule,
            &normalise_path(file),
            &self.location,
            self.occurrence,
        )
    }
    /// True when the finding counts towards the exit code and summary (it is not waived).
    pub fn counts(&self) -> bool {
        self.waived.is_none()
    }
    /// Adds a further labelled place.
    pub(crate) fn also(mut self, span: Span, text: impl Into<String>) -> Finding {
        self.labels.push(Label {
            span,
            text: text.into(),
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_occurrence_keeps_the_fingerprint_older_baselines_recorded() {
        // Computed by the fingerprint before occurrences were counted (rule, file, location).
        assert_eq!(
            fingerprint("S75-HOST", "agreements/bcf.yaml", "pools[BCF]", 0),
            "8d25751ecb40646f"
        );
        assert_ne!(
            fingerprint("S75-HOST", "agreements/bcf.yaml", "pools[BCF]", 1),
            fingerprint("S75-HOST", "agreements/bcf.yaml", "pools[BCF]", 0)
        );
    }
}
