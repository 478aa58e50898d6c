//! The real pre-commit framework runs the hook from this repository on a temporary git
//! repository holding a good and a bad agreement: it passes on the good one and fails on the
//! bad one. Needs `python3 -m pre_commit` (`.ci/run` installs it) and git.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

fn run(cmd: &mut Command) -> std::process::Output {
    let o = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    o
}

fn git(dir: &Path, args: &[&str]) {
    let o = run(Command::new("git").args(args).current_dir(dir));
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn try_repo(dir: &Path, files: &[&str]) -> std::process::Output {
    let mut cmd = Command::new("python3");
    cmd.args(["-m", "pre_commit", "try-repo"])
        .arg(root())
        .arg("s75lint")
        .arg("--verbose");
    if files.is_empty() {
        cmd.arg("--all-files");
    } else {
        cmd.arg("--files").args(files);
    }
    // pre-commit keeps its build of the hook in its cache; share one cache across runs.
    cmd.env("PRE_COMMIT_HOME", root().join("target/pre-commit-cache"))
        .env("S75LINT_TODAY", TODAY)
        .current_dir(dir);
    run(&mut cmd)
}

#[test]
fn pre_commit_passes_good_agreements_and_fails_bad_ones() {
    let check = Command::new("python3")
        .args(["-m", "pre_commit", "--version"])
        .output();
    assert!(
        check.is_ok_and(|o| o.status.success()),
        "pre-commit is not installed: run `python3 -m pip install pre-commit` (bash .ci/run does)"
    );
    let dir = tempdir();
    git(&dir, &["init", "-q"]);
    git(&dir, &["config", "user.email", "test@example.org"]);
    git(&dir, &["config", "user.name", "Test"]);
    let good = std::fs::read_to_string(root().join("fixtures/valid/bcf-pooled-fund.yaml")).unwrap();
    let bad = std::fs::read_to_string(root().join("fixtures/invalid/S75-HOST.yaml")).unwrap();
    std::fs::write(dir.join("good.yaml"), &good).unwrap();
    std::fs::write(dir.join("ci.yml"), "on: push\n").unwrap();
    git(&dir, &["add", "."]);

    let o = try_repo(&dir, &[]);
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "good agreement must pass:\n{out}");
    assert!(out.contains("Passed"), "{out}");

    std::fs::write(dir.join("bad.yaml"), &bad).unwrap();
    git(&dir, &["add", "."]);
    let o = try_repo(&dir, &[]);
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!o.status.success(), "bad agreement must fail:\n{out}");
    assert!(
        out.contains("Failed")
            && out.contains("S75-HOST")
            && out.contains("pool BCF names no host partner"),
        "{out}"
    );
}
