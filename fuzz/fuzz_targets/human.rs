//! Arbitrary bytes as an agreement, checked with the shipped rules and drawn in human and plain
//! output. Any panic is a bug (miette once panicked past column 65,535); so is output that
//! grows without bound or lets an escape code through raw.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use s75lint::check_source;
use s75lint::formats::{human_file, Style, MAX_DRAWN_FINDINGS};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = s75lint::decode(data.to_vec()) else {
        return;
    };
    let report = check_source(
        "fuzz\u{1b}.yaml",
        &text,
        common::shipped(),
        &common::options(),
    );
    for style in [Style::Plain, Style::Graphical { color: false }] {
        let mut out = Vec::new();
        let mut notes = Vec::new();
        human_file(&report, style, &mut out, &mut notes).expect("written to memory");
        // Each drawn finding costs a bounded amount, whatever the length of the file's lines.
        let drawn = report.findings.len().min(MAX_DRAWN_FINDINGS) + 1;
        assert!(
            out.len() <= drawn * 20_000,
            "{} bytes for {drawn} findings",
            out.len()
        );
        assert!(
            !out.contains(&0x1b) && !notes.contains(&0x1b),
            "a raw escape code"
        );
    }
});
