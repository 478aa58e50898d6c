//! `floor-published DIR`: read every `.yaml` file under DIR and run saphyr-parser 0.3.4, as
//! published on crates.io, over it: events only, no tree, no types. The same work as
//! `bench_floor events` (examples/bench_floor.rs), on both cores with rayon as `s75lint check`
//! does, without the vendored parser's fast path. Exit 2 on an unreadable file or a YAML error
//! (a floor that skipped files would flatter s75lint).

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `.yaml` files under `dir`, in path order.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: floor-published DIR");
        return ExitCode::from(2);
    };
    let counted = files(Path::new(&dir))
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let mut events = 0usize;
            for ev in saphyr_parser::Parser::new_from_str(&text) {
                ev.map_err(|e| format!("{}: {e}", p.display()))?;
                events += 1;
            }
            Ok(events)
        })
        .sum::<Result<usize, String>>();
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
