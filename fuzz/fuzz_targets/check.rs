//! Arbitrary bytes as an agreement file: decoded as `check` decodes files, then checked with the
//! shipped rules. Any panic, stack overflow or timeout is a bug; so is a finding whose span is
//! not inside the text.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use s75lint::check_source;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = s75lint::decode(data.to_vec()) else {
        return;
    };
    let report = check_source("fuzz.yaml", &text, common::shipped(), &common::options());
    common::assert_spans_inside(&report, &text);
});
