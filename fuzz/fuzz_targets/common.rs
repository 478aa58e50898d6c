//! What the targets that check an agreement share: the shipped rules (loaded once), the
//! options (a fixed today), and the check that every finding's marks lie inside the text.

// Each target includes this module and uses what it needs of it.
#![allow(dead_code)]

use s75lint::{Date, FileReport, Options, RuleSet};
use std::sync::OnceLock;

/// The shipped rules, loaded once per process.
pub fn shipped() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("shipped rules load"))
}

/// The options of every run: the date the fixtures are written for.
pub fn options() -> Options {
    Options {
        today: Date::parse_iso("2025-11-01").expect("a date"),
        ..Options::default()
    }
}

/// Every finding's span, and every extra label's, lies inside `text` on character boundaries.
pub fn assert_spans_inside(report: &FileReport, text: &str) {
    for f in &report.findings {
        for s in std::iter::once(f.span).chain(f.labels.iter().map(|l| l.span)) {
            assert!(s.start <= s.end && s.end <= text.len(), "{} {s:?}", f.rule);
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        }
    }
}
