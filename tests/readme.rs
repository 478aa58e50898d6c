//! The README's commands and outputs are run, so the documentation cannot drift from the tool.
//!
//! Only blocks marked `checked` after the language are read; any other block, and any section
//! this test does not know, is left alone:
//!
//! - ```` ```sh checked ````: each command (a line that is not blank or a `# comment`) runs in
//!   a scratch folder holding copies of `fixtures/`, `rules/`, an `agreements/ex-bcf.yaml` and
//!   a `local.rules`, with the `s75lint` built for these tests first on `PATH`
//!   (`cargo run --release --` stands for it too). A command must not fail as a tool (exit 2);
//!   exit 1, findings, is fine. `bash .ci/run` is not run from inside the tests it runs: the
//!   script must exist.
//! - ```` ```console checked ````: `$ COMMAND` lines, each followed by its exact output
//!   (standard output, then standard error). Run with `S75LINT_BLESS=1` to rewrite the shown
//!   output from the real one after a deliberate change, and review the diff.
//!
//! Install commands (pipx, apt, cargo deb) are not run here: `.ci/package` builds and installs
//! the wheel and the .deb the same way.

mod common;

use common::{root, tempdir};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One marked block: its kind, where its body starts and ends in the README (byte offsets),
/// and its body.
struct Block {
    kind: &'static str,
    body_start: usize,
    body_end: usize,
    line: usize,
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// The blocks marked `checked`, in order.
fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(Option<&'static str>, usize, usize)> = None;
    let mut at = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let start = at;
        at += line.len();
        let trimmed = line.trim();
        if !trimmed.starts_with("```") {
            continue;
        }
        match open.take() {
            Some((kind, body_start, first)) => {
                if let Some(kind) = kind {
                    out.push(Block {
                        kind,
                        body_start,
                        body_end: start,
                        line: first,
                    });
                }
            }
            None => {
                let info: Vec<&str> = trimmed[3..].split_whitespace().collect();
                let kind = match info.as_slice() {
                    ["sh", "checked"] => Some("sh"),
                    ["console", "checked"] => Some("console"),
                    _ => None,
                };
                open = Some((kind, at, n + 2));
            }
        }
    }
    out
}

/// A scratch folder with what the README's commands name.
fn workspace() -> common::TempDir {
    let dir = tempdir();
    copy_dir(&root().join("fixtures"), &dir.join("fixtures"));
    copy_dir(&root().join("rules"), &dir.join("rules"));
    std::fs::create_dir(dir.join("agreements")).unwrap();
    std::fs::copy(
        root().join("fixtures/valid/bcf-pooled-fund.yaml"),
        dir.join("agreements/ex-bcf.yaml"),
    )
    .unwrap();
    std::fs::write(dir.join("local.rules"), "").unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Runs one README command line in `dir` with the test build of s75lint first on PATH.
fn run(command: &str, dir: &Path) -> std::process::Output {
    let command = command.replace("cargo run --release -- ", "s75lint ");
    let bin: PathBuf = Path::new(env!("CARGO_BIN_EXE_s75lint"))
        .parent()
        .unwrap()
        .to_path_buf();
    let mut dirs = vec![bin];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    Command::new("sh")
        .args(["-c", &command])
        .current_dir(dir)
        .env("PATH", std::env::join_paths(dirs).unwrap())
        .env("NO_COLOR", "1")
        .env_remove("S75LINT_TODAY")
        .output()
        .unwrap_or_else(|e| panic!("{command}: {e}"))
}

/// A command line without its trailing `# comment`.
fn strip_comment(line: &str) -> &str {
    match line.find(" #") {
        Some(i) => line[..i].trim_end(),
        None => line.trim_end(),
    }
}

#[test]
fn readme_commands_run() {
    let text = readme();
    let mut ran = 0;
    for b in blocks(&text).iter().filter(|b| b.kind == "sh") {
        let dir = workspace();
        for (i, line) in text[b.body_start..b.body_end].lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let command = strip_comment(line);
            if let Some(script) = command.strip_prefix("bash ") {
                assert!(
                    root().join(script).is_file(),
                    "README.md:{}: {script} does not exist",
                    b.line + i
                );
                continue;
            }
            let o = run(command, &dir);
            assert!(
                matches!(o.status.code(), Some(0 | 1)),
                "README.md:{}: `{command}` exited {:?}:\n{}{}",
                b.line + i,
                o.status.code(),
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            ran += 1;
        }
    }
    assert!(
        ran >= 10,
        "only {ran} README commands found: were the `checked` marks lost?"
    );
}

#[test]
fn readme_outputs_are_what_the_commands_print() {
    let mut text = readme();
    let bless = std::env::var_os("S75LINT_BLESS").is_some();
    let dir = workspace();
    let mut failures = Vec::new();
    let mut checked = 0;
    // From the end, so a rewritten block does not move the ones before it.
    for b in blocks(&text.clone())
        .iter()
        .rev()
        .filter(|b| b.kind == "console")
    {
        let body = text[b.body_start..b.body_end].to_string();
        let mut out = String::new();
        for chunk in at_commands(&body) {
            let command = chunk[0].trim_end().strip_prefix("$ ").unwrap_or_else(|| {
                panic!(
                    "README.md:{}: a console block starts with `$ COMMAND`",
                    b.line
                )
            });
            let o = run(command, &dir);
            let real = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            let expected: String = chunk[1..].concat();
            if real != expected {
                failures.push(format!(
                    "README.md:{}: `{command}` prints\n{real}\nbut the README shows\n{expected}",
                    b.line
                ));
            }
            out.push_str(chunk[0]);
            out.push_str(&real);
            checked += 1;
        }
        if bless {
            text.replace_range(b.body_start..b.body_end, &out);
        }
    }
    assert!(
        checked >= 2,
        "only {checked} README outputs found: were the `checked` marks lost?"
    );
    if bless {
        std::fs::write(root().join("README.md"), &text).unwrap();
        return;
    }
    assert!(
        failures.is_empty(),
        "{}\n(after a deliberate change: S75LINT_BLESS=1 cargo test --test readme, then review the diff)",
        failures.join("\n")
    );
}

/// A console block's lines in chunks, each starting at a `$ ` line.
fn at_commands(body: &str) -> Vec<Vec<&str>> {
    let mut chunks: Vec<Vec<&str>> = Vec::new();
    for line in body.split_inclusive('\n') {
        match chunks.last_mut() {
            Some(last) if !line.starts_with("$ ") => last.push(line),
            _ => chunks.push(vec![line]),
        }
    }
    chunks
}

#[test]
fn only_marked_blocks_are_read() {
    let text = "# T\n\n```sh\nnot run\n```\n\n```sh checked\ns75lint rules\n```\n\n```text\nx\n```\n\n```console checked\n$ s75lint --version\ns75lint 0.1.0\n```\n";
    let b = blocks(text);
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].kind, "sh");
    assert_eq!(&text[b[0].body_start..b[0].body_end], "s75lint rules\n");
    assert_eq!(b[0].line, 8);
    assert_eq!(b[1].kind, "console");
    assert_eq!(
        &text[b[1].body_start..b[1].body_end],
        "$ s75lint --version\ns75lint 0.1.0\n"
    );
}
