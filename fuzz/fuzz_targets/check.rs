//! Arbitrary bytes as an agreement file: decoded as `check` decodes files, then checked with the
//! shipped rules. Any panic, stack overflow or timeout is a bug; so is a finding whose span is
//! not inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s75lint::Date;
use s75lint::{check_source, Options, RuleSet};
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("shipped rules load"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = s75lint::decode(data.to_vec()) else {
        return;
    };
    let opts = Options {
        today: Date::parse_iso("2025-11-01").expect("a date"),
        ..Options::default()
    };
    let report = check_source("fuzz.yaml", &text, rules(), &opts);
    for f in &report.findings {
        for s in std::iter::once(f.span).chain(f.labels.iter().map(|l| l.span)) {
            assert!(s.start <= s.end && s.end <= text.len(), "{} {s:?}", f.rule);
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        }
    }
});
