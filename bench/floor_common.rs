//! What both saphyr event floors do, in one place so they do the same work:
//! `examples/bench_floor.rs` (`events`, over the vendored parser the s75lint crate patches in)
//! and `bench/floor-published` (over the parser as published) include this file.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Files under `dir` whose name ends with `.ext`, in path order.
pub fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext))
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

pub fn read(p: &Path) -> Result<String, String> {
    std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
}

/// Reads every `.yaml` file under `dir` and counts saphyr-parser's events: the parser alone,
/// no tree, no types; on both cores with rayon, as `s75lint check`.
pub fn count_events(dir: &Path) -> Result<usize, String> {
    files(dir, "yaml")
        .par_iter()
        .map(|p| {
            let text = read(p)?;
            let mut events = 0usize;
            for ev in saphyr_parser::Parser::new_from_str(&text) {
                ev.map_err(|e| format!("{}: {e}", p.display()))?;
                events += 1;
            }
            Ok(events)
        })
        .sum()
}
