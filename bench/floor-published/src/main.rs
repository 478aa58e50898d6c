//! `floor-published DIR`: read every `.yaml` file under DIR and run saphyr-parser 0.3.4, as
//! published on crates.io, over it: events only, no tree, no types. The same code as
//! `bench_floor events` (both include bench/floor_common.rs), on both cores with rayon as
//! `s75lint check` does, without the vendored parser's fast path. Exit 2 on an unreadable file
//! or a YAML error (a floor that skipped files would flatter s75lint).

#[path = "../../floor_common.rs"]
mod floor_common;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: floor-published DIR");
        return ExitCode::from(2);
    };
    let counted = floor_common::count_events(Path::new(&dir));
    match counted {
        Ok(n) => {
            println!("{n} events");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
