//! Arbitrary bytes as a local rule file: loaded on top of nothing. Errors are expected; a panic,
//! a stack overflow or a timeout is a bug, and so is an error whose span is not inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s75lint::RuleSet;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(errors) = RuleSet::empty().add("fuzz.rules", text) {
        for e in &errors {
            assert!(
                e.span.start <= e.span.end && e.span.end <= text.len(),
                "{} {:?}",
                e.message,
                e.span
            );
        }
    }
});
