//! In-process benchmarks: the parsing floor (load only) against the whole check (load and
//! evaluate every shipped rule), per agreement, on generated agreements (benches/corpus).
//!
//! `cargo bench --bench check`. The ratio of the two is the rule engine's overhead; the YAML
//! parser's events alone are measured too, to show how much of loading is the parser itself.
//! The whole-process numbers (and Spectral) are in `bench/run`.

mod corpus;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use s75lint::{check_source, Options, RuleSet};
use s75lint::{load, Loaded};

/// The allocator the `s75lint` binary uses (src/main.rs), so these figures are the binary's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How many agreements each iteration goes through: enough to mix sizes and defects.
const SAMPLE: u64 = 200;

fn per_agreement(c: &mut Criterion) {
    let texts: Vec<String> = (0..SAMPLE).map(|i| corpus::agreement(75, i).text).collect();
    let rules = RuleSet::builtin().expect("shipped rules");
    let opts = Options {
        today: s75lint::Date::parse_iso(corpus::TODAY).expect("a date"),
        ..Options::default()
    };
    let mut g = c.benchmark_group("per_agreement");
    g.throughput(Throughput::Elements(SAMPLE));
    // The floor under the floor: the YAML parser's events alone, no tree, no types.
    g.bench_function("yaml_events_only", |b| {
        b.iter(|| {
            for t in &texts {
                let mut events = 0usize;
                for ev in saphyr_parser::Parser::new_from_str(black_box(t)) {
                    assert!(ev.is_ok());
                    events += 1;
                }
                black_box(events);
            }
        })
    });
    g.bench_function("load_only", |b| {
        b.iter(|| {
            for t in &texts {
                let loaded = load(black_box(t), false);
                assert!(matches!(loaded, Loaded::Agreement(..)));
                black_box(loaded);
            }
        })
    });
    g.bench_function("load_and_evaluate_all_rules", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(check_source("a.yaml", black_box(t), &rules, &opts));
            }
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = per_agreement
}
criterion_main!(benches);
