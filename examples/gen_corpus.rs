//! Writes a benchmark corpus of generated agreements (see `benches/corpus/mod.rs`).
//!
//! ```sh
//! cargo run --release --example gen_corpus -- DIR COUNT [--seed N]
//! cargo run --release --example gen_corpus -- --verify target/release/s75lint DIR COUNT [--seed N]
//! ```
//!
//! The first form writes agreements 0..COUNT under DIR (in folders of 1,000). The second runs
//! the real binary over DIR with `--format json` and checks that every clean agreement has no
//! finding and every defective one has the finding its defect must give.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn usage() -> ExitCode {
    eprintln!("usage: gen_corpus [--verify BINARY] DIR COUNT [--seed N]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut seed = 75u64;
    let mut verify: Option<PathBuf> = None;
    if let Some(i) = args.iter().position(|a| a == "--seed") {
        if i + 1 >= args.len() {
            return usage();
        }
        let Ok(s) = args[i + 1].parse() else {
            return usage();
        };
        seed = s;
        args.drain(i..i + 2);
    }
    if let Some(i) = args.iter().position(|a| a == "--verify") {
        if i + 1 >= args.len() {
            return usage();
        }
        verify = Some(PathBuf::from(&args[i + 1]));
        args.drain(i..i + 2);
    }
    let [dir, count] = args.as_slice() else {
        return usage();
    };
    let Ok(count) = count.replace(['_', ','], "").parse::<u64>() else {
        return usage();
    };
    let dir = PathBuf::from(dir);
    match verify {
        None => match corpus::write_corpus(&dir, count, seed) {
            Ok(bad) => {
                println!(
                    "wrote {count} agreements under {} (seed {seed}): {bad} with a defect, {} clean",
                    dir.display(),
                    count - bad
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!(
                    "error: cannot write the corpus under {}: {e}",
                    dir.display()
                );
                ExitCode::from(2)
            }
        },
        Some(bin) => verify_corpus(&bin, &dir, count, seed),
    }
}

fn verify_corpus(bin: &Path, dir: &Path, count: u64, seed: u64) -> ExitCode {
    let out = match Command::new(bin)
        .args(["check", "--format", "json", "--today", corpus::TODAY])
        .arg(dir)
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: cannot run {}: {e}", bin.display());
            return ExitCode::from(2);
        }
    };
    let doc: serde_json::Value = match serde_json::from_slice(&out.stdout) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {} did not print JSON: {e}", bin.display());
            return ExitCode::from(2);
        }
    };
    let mut rules_by_file: HashMap<String, Vec<String>> = HashMap::new();
    for f in doc["findings"].as_array().into_iter().flatten() {
        rules_by_file
            .entry(f["file"].as_str().unwrap_or("").to_string())
            .or_default()
            .push(f["rule"].as_str().unwrap_or("").to_string());
    }
    let mut wrong = 0;
    let mut defective = 0;
    for i in 0..count {
        let a = corpus::agreement(seed, i);
        let path = corpus::path_of(dir, &a, i).display().to_string();
        let found = rules_by_file.get(&path).cloned().unwrap_or_default();
        let ok = match a.defect {
            None => found.is_empty(),
            Some(d) => {
                defective += 1;
                found.iter().any(|r| r == d.rule())
            }
        };
        if !ok {
            wrong += 1;
            if wrong <= 10 {
                eprintln!("{path}: defect {:?}, findings {found:?}", a.defect);
            }
        }
    }
    let checked = doc["summary"]["files_checked"].as_u64().unwrap_or(0);
    if checked != count {
        eprintln!(
            "{} checked {checked} agreements, expected {count}",
            bin.display()
        );
        wrong += 1;
    }
    println!(
        "verified {count} agreements with {}: {defective} defective, {} clean, {wrong} wrong",
        bin.display(),
        count - defective
    );
    if wrong == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
