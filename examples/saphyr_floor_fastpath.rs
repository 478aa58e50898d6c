//! The saphyr event floor for BENCHMARKS.md's "Plain-scalar fast path": read every `.yaml`
//! file under the given folders and run saphyr-parser's events over it, nothing else (no tree,
//! no types, no rules, no output), with the binary's allocator. s75lint's whole-process
//! instruction count over the same folders, divided by this program's, is how far s75lint is
//! from the parser it is built on.
//!
//! `cargo build --release --example saphyr_floor_fastpath`, then
//! `valgrind --tool=callgrind target/release/examples/saphyr_floor_fastpath DIR...`.

use std::process::ExitCode;

/// The allocator the `s75lint` binary uses (src/main.rs), so the two counts compare.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let (mut files, mut events, mut errors) = (0usize, 0usize, 0usize);
    for dir in std::env::args().skip(1) {
        // Sorted, as s75lint checks files in path order.
        let mut paths: Vec<_> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
            .map(walkdir::DirEntry::into_path)
            .collect();
        paths.sort();
        for path in paths {
            let Ok(text) = std::fs::read_to_string(&path) else {
                errors += 1;
                continue;
            };
            files += 1;
            for event in saphyr_parser::Parser::new_from_str(&text) {
                if event.is_err() {
                    errors += 1;
                    break;
                }
                events += 1;
            }
        }
    }
    println!("{files} files, {events} events, {errors} errors");
    if files == 0 {
        eprintln!("usage: saphyr_floor_fastpath DIR...");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
