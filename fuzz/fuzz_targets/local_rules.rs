//! A local rule file and an agreement from one input (split at the first NUL byte): the rule
//! file is parsed and validated, and if it loads, evaluated over the agreement beside the
//! shipped rules. Any panic, hang or out-of-text span is a bug.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use s75lint::check_source;

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
    let mut rules = common::shipped().clone();
    if rules.add("local.rules", rule_text).is_err() {
        return;
    }
    let report = check_source("fuzz.yaml", &yaml, &rules, &common::options());
    common::assert_spans_inside(&report, &yaml);
});
