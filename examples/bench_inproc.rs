//! The in-process steps of `benches/check.rs`, once each, for counting instructions under
//! callgrind (bench/run): `valgrind --tool=callgrind target/release/examples/bench_inproc MODE`.
//!
//! MODE is `none` (only generate the 200 agreements), `events` (saphyr-parser's events alone),
//! `load` (s75lint's loader: YAML tree and typed agreement) or `check` (load and every shipped
//! rule). Every mode generates the same agreements first, so (count(MODE) - count(none)) / 200
//! is the instructions per agreement of that step alone; instruction counts do not depend on
//! what else the machine is doing, which times on two shared cores do.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use s75lint::{check_source, load, Loaded, Options, RuleSet};
use std::hint::black_box;
use std::process::ExitCode;

/// The allocator the `s75lint` binary uses (src/main.rs), so the counts are the binary's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The same sample as benches/check.rs.
const SAMPLE: u64 = 200;

fn main() -> ExitCode {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let texts: Vec<String> = (0..SAMPLE).map(|i| corpus::agreement(75, i).text).collect();
    match mode.as_str() {
        "none" => {}
        "events" => {
            for t in &texts {
                let events = saphyr_parser::Parser::new_from_str(black_box(t))
                    .filter(Result::is_ok)
                    .count();
                black_box(events);
            }
        }
        "load" => {
            for t in &texts {
                let loaded = load(black_box(t), false);
                if !matches!(loaded, Loaded::Agreement(..)) {
                    eprintln!("error: a generated agreement did not load");
                    return ExitCode::from(2);
                }
                black_box(loaded);
            }
        }
        "check" => {
            let Ok(rules) = RuleSet::builtin() else {
                eprintln!("error: the shipped rules did not load");
                return ExitCode::from(2);
            };
            let Some(today) = s75lint::Date::parse_iso(corpus::TODAY) else {
                return ExitCode::from(2);
            };
            let opts = Options {
                today,
                ..Options::default()
            };
            for t in &texts {
                black_box(check_source("a.yaml", black_box(t), &rules, &opts));
            }
        }
        _ => {
            eprintln!("usage: bench_inproc none|events|load|check");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
