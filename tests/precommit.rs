//! The real pre-commit framework runs the hooks from this repository on a temporary git
//! repository holding a good and a bad agreement: they pass on the good one and fail on the
//! bad one. `s75lint` builds s75lint with cargo; `s75lint-system` runs the one on PATH (here the
//! binary these tests were built with). Needs `python3 -m pre_commit` (`.ci/run` installs it
//! into a virtual environment and puts it on PATH) and git.

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
    try_hook(dir, "s75lint", files)
}

fn try_hook(dir: &Path, hook: &str, files: &[&str]) -> std::process::Output {
    let mut cmd = Command::new("python3");
    cmd.args(["-m", "pre_commit", "try-repo"])
        .arg(root())
        .arg(hook)
        .arg("--verbose");
    if hook == "s75lint-system" {
        // The installed s75lint: the binary built for these tests, first on PATH.
        let bin = Path::new(env!("CARGO_BIN_EXE_s75lint")).parent().unwrap();
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![bin.to_path_buf()];
        dirs.extend(std::env::split_paths(&path));
        cmd.env("PATH", std::env::join_paths(dirs).unwrap());
    }
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

fn require_pre_commit() {
    let check = Command::new("python3")
        .args(["-m", "pre_commit", "--version"])
        .output();
    assert!(
        check.is_ok_and(|o| o.status.success()),
        "pre-commit is not installed: `bash .ci/run` installs it into target/ci-venv; put \
         target/ci-venv/bin first on PATH to run this test alone"
    );
}

/// A new git repository in a temporary folder.
fn git_repo() -> TempDir {
    let dir = tempdir();
    git(&dir, &["init", "-q"]);
    git(&dir, &["config", "user.email", "test@example.org"]);
    git(&dir, &["config", "user.name", "Test"]);
    dir
}

fn output_of(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_system_hook_uses_the_installed_s75lint_and_reads_any_case_of_yaml() {
    require_pre_commit();
    let dir = git_repo();
    let good = std::fs::read_to_string(root().join("fixtures/valid/bcf-pooled-fund.yaml")).unwrap();
    let bad = std::fs::read_to_string(root().join("fixtures/invalid/S75-HOST.yaml")).unwrap();
    std::fs::write(dir.join("good.yaml"), &good).unwrap();
    std::fs::write(dir.join("ci.yml"), "on: push\n").unwrap();
    git(&dir, &["add", "."]);
    let o = try_hook(&dir, "s75lint-system", &[]);
    let out = output_of(&o);
    assert!(o.status.success(), "good agreement must pass:\n{out}");
    assert!(out.contains("Passed"), "{out}");

    // An agreement saved as `.YAML` is checked too.
    std::fs::write(dir.join("BAD.YAML"), &bad).unwrap();
    git(&dir, &["add", "."]);
    let o = try_hook(&dir, "s75lint-system", &[]);
    let out = output_of(&o);
    assert!(!o.status.success(), "bad agreement must fail:\n{out}");
    assert!(
        out.contains("Failed") && out.contains("BAD.YAML") && out.contains("S75-HOST"),
        "{out}"
    );
}

#[test]
fn pre_commit_passes_good_agreements_and_fails_bad_ones() {
    require_pre_commit();
    let dir = git_repo();
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
