//! Command-line file handling: the input describes a small folder tree (files with names and
//! contents, folders, symbolic links, a configuration) built in a temporary folder, which is
//! then checked by `s75lint check` itself (the command line, as parsed), with a JSON report
//! written into the tree and, for some inputs, an output aimed at a file named for checking.
//! Any panic or hang is a bug; so is a change to any file of the tree but the report, and an
//! exit code other than 0, 1 or 2. Run with `-close_fd_mask=3` to silence the command.
#![no_main]

use clap::Parser;
use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        std::env::temp_dir().join(format!("s75lint-fuzz-files-{}", std::process::id()))
    })
}

/// A path inside the tree from fuzz bytes: at most three parts of safe names.
fn path_of(bytes: &[u8]) -> PathBuf {
    let mut p = PathBuf::new();
    for part in bytes.split(|&b| b == b'/').take(3) {
        let name: String = String::from_utf8_lossy(part)
            .chars()
            .filter(|c| !matches!(c, '/' | '\0'))
            .take(24)
            .collect();
        if name.is_empty() || name == "." || name == ".." {
            continue;
        }
        p.push(name);
    }
    if p.as_os_str().is_empty() {
        p.push("a.yaml");
    }
    p
}

fuzz_target!(|data: &[u8]| {
    let root = dir();
    let _ = std::fs::remove_dir_all(root);
    if std::fs::create_dir_all(root).is_err() {
        return;
    }
    // Entries separated by 0xFF: a kind byte, then `path 0x00 content`.
    let mut named = Vec::new();
    for entry in data.split(|&b| b == 0xFF).take(16) {
        let Some((&kind, rest)) = entry.split_first() else {
            continue;
        };
        let (p, content) = match rest.iter().position(|&b| b == 0) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &[][..]),
        };
        let path = root.join(path_of(p));
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        match kind % 5 {
            0 | 1 => {
                let _ = std::fs::write(&path, content);
            }
            2 => {
                let _ = std::fs::create_dir_all(&path);
            }
            3 => {
                let _ = std::os::unix::fs::symlink(root.join(path_of(content)), &path);
            }
            _ => {
                let _ = std::fs::write(path.with_file_name(".s75lint.yaml"), content);
            }
        }
        if kind & 0x80 != 0 {
            named.push(path);
        }
    }
    if named.is_empty() {
        named.push(root.to_path_buf());
    }
    let before = snapshot(root);
    let report = root.join("report.json");
    let mut args: Vec<String> = [
        "s75lint",
        "check",
        "--today",
        "2025-11-01",
        "--format",
        "json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(format!("--output=json={}", report.display()));
    if data.first().is_some_and(|b| b & 1 == 1) {
        // An output aimed at the first file named: it must be refused, the file kept.
        args.push(format!("--output=sarif={}", named[0].display()));
    }
    args.extend(named.iter().map(|p| p.display().to_string()));
    let Ok(cli) = s75lint::Cli::try_parse_from(&args) else {
        return;
    };
    let code = s75lint::run(cli);
    assert!(matches!(code, 0..=2), "exit code {code}");
    let after: Vec<_> = snapshot(root)
        .into_iter()
        .filter(|(p, _)| *p != report)
        .collect();
    let before: Vec<_> = before.into_iter().filter(|(p, _)| *p != report).collect();
    assert_eq!(before, after, "the tree changed");
});

/// Every regular file under `root` (not following links) with its bytes.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            out.push((
                e.path().to_path_buf(),
                std::fs::read(e.path()).unwrap_or_default(),
            ));
        }
    }
    out
}
