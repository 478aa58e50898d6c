//! A local rule file and an agreement from one input (split at the first NUL byte): the rule
//! file is parsed and validated, and if it loads, evaluated over the agreement beside the
//! shipped rules. Any panic, hang or out-of-text span is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s75lint::Date;
use s75lint::{check_source, Options, RuleSet};
use std::sync::OnceLock;

fn shipped() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("shipped rules load"))
}

/// The agreement used when the input has no second part: a whole valid one.
const BASE: &str = include_str!("../../fixtures/valid/bcf-pooled-fund.yaml");

fuzz_target!(|data: &[u8]| {
    let (rule_bytes, yaml_bytes) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Ok(rule_text) = std::str::from_utf8(rule_bytes) else {
        return;
    };
    let yaml = match yaml_bytes {
        Some(b) => match s75lint::decode(b.to_vec()) {
            Ok(t) => t,
            Err(_) => return,
        },
        None => BASE.to_string(),
    };
    let mut rules = shipped().clone();
    if rules.add("local.rules", rule_text).is_err() {
        return;
    }
    let opts = Options {
        today: Date::parse_iso("2025-11-01").expect("a date"),
        ..Options::default()
    };
    let report = check_source("fuzz.yaml", &yaml, &rules, &opts);
    for f in &report.findings {
        for s in std::iter::once(f.span).chain(f.labels.iter().map(|l| l.span)) {
            assert!(s.start <= s.end && s.end <= yaml.len(), "{} {s:?}", f.rule);
            assert!(yaml.is_char_boundary(s.start) && yaml.is_char_boundary(s.end));
        }
    }
});
