//! The outputs CI reads must be exact: annotation and SARIF paths GitHub can place on a diff,
//! fingerprints that tell findings apart and survive unrelated edits, JUnit failures that agree
//! with the exit code, and command-line slips answered with what to type instead. Every test
//! runs the real binary.

mod common;

use common::{root, s75lint, stderr, stdout, tempdir, TODAY};
use serde_json::Value;
use std::path::Path;

/// A valid agreement with two unknown keys at the top level, after `extra` (lines that have
/// nothing to do with them).
fn with_two_unknown_keys(extra: &str) -> String {
    let valid =
        std::fs::read_to_string(root().join("fixtures/valid/bcf-pooled-fund.yaml")).unwrap();
    let (first, rest) = valid.split_once('\n').unwrap();
    format!("{first}\n{extra}{rest}\nfoo: 1\nbar: 2\n")
}

/// A folder that looks like a git repository (a `.git` folder is what marks its root).
fn repo() -> common::TempDir {
    let dir = tempdir();
    std::fs::create_dir(dir.join(".git")).unwrap();
    dir
}

fn json_findings(dir: &Path, file: &str) -> Vec<Value> {
    let o = s75lint(&["check", file, "--today", TODAY, "--format", "json"], dir);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {o:?}"));
    doc["findings"].as_array().unwrap().clone()
}

fn fingerprints(findings: &[Value], rule: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn github_annotations_are_relative_to_the_repository_root_with_help() {
    let dir = repo();
    std::fs::create_dir(dir.join("agreements")).unwrap();
    std::fs::write(dir.join("agreements/bad.yaml"), with_two_unknown_keys("")).unwrap();
    // Run on `.` at the root, and on `.` inside the folder: both name the file from the root.
    for (at, arg) in [
        (dir.path().to_path_buf(), "."),
        (dir.join("agreements"), "."),
    ] {
        let o = s75lint(&["check", arg, "--today", TODAY, "--format", "github"], &at);
        let out = stdout(&o);
        let first = out.lines().next().unwrap();
        assert!(
            first.starts_with("::warning file=agreements/bad.yaml,line="),
            "{first}"
        );
        assert!(
            first.contains(",title=FMT-UNKNOWN-KEY::unknown key `foo`%0Ahelp: Remove it, or prefix it with `x-`"),
            "{first}"
        );
        assert_eq!(o.status.code(), Some(0), "warnings do not fail the gate");
    }
}

#[test]
fn github_and_sarif_paths_have_no_dot_slash_outside_a_repository_too() {
    let dir = tempdir();
    std::fs::write(dir.join("bad.yaml"), with_two_unknown_keys("")).unwrap();
    let o = s75lint(
        &["check", ".", "--today", TODAY, "--format", "github"],
        &dir,
    );
    assert!(
        stdout(&o).starts_with("::warning file=bad.yaml,line="),
        "{}",
        stdout(&o)
    );
    let o = s75lint(&["check", ".", "--today", TODAY, "--format", "sarif"], &dir);
    let sarif: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "bad.yaml"
        );
    }
}

#[test]
fn fingerprints_are_unique_per_finding_and_survive_unrelated_edits() {
    let dir = tempdir();
    std::fs::write(dir.join("a.yaml"), with_two_unknown_keys("")).unwrap();
    let before = json_findings(&dir, "a.yaml");
    let fps = fingerprints(&before, "FMT-UNKNOWN-KEY");
    assert_eq!(fps.len(), 2, "{before:#?}");
    assert_ne!(fps[0], fps[1], "two unknown keys in one file");
    let all: Vec<&str> = before
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "every finding has its own");

    // Lines added above them (a comment, a local key): each keeps its fingerprint.
    let moved = with_two_unknown_keys("# reviewed by legal\n\nx-note: local\n");
    std::fs::write(dir.join("a.yaml"), moved).unwrap();
    let after = json_findings(&dir, "a.yaml");
    assert_ne!(before[0]["line"], after[0]["line"], "the lines did move");
    assert_eq!(fingerprints(&after, "FMT-UNKNOWN-KEY"), fps);

    // The SARIF log carries the same fingerprints, and so does a baseline, which then matches.
    let o = s75lint(
        &[
            "check",
            "a.yaml",
            "--today",
            TODAY,
            "--write-baseline",
            "base.json",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let base: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("base.json")).unwrap()).unwrap();
    let recorded: Vec<&str> = base["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(recorded, fps);
    // Fixing one of the two leaves the other reported as recorded, and only the fixed one gone.
    let fixed = with_two_unknown_keys("").replace("\nfoo: 1\n", "\n");
    std::fs::write(dir.join("a.yaml"), fixed).unwrap();
    let o = s75lint(
        &[
            "check",
            "a.yaml",
            "--today",
            TODAY,
            "--baseline",
            "base.json",
            "--format",
            "json",
        ],
        &dir,
    );
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 0, "{doc:#}");
    let err = stderr(&o);
    assert!(
        err.contains("note: no longer found: FMT-UNKNOWN-KEY in a.yaml at foo\n"),
        "{err}"
    );
    assert!(!err.contains(" at bar"), "{err}");
}

#[test]
fn junit_fails_what_fails_the_gate() {
    let dir = tempdir();
    std::fs::write(dir.join("a.yaml"), with_two_unknown_keys("")).unwrap();
    let junit = |extra: &[&str]| {
        let mut args = vec!["check", "a.yaml", "--today", TODAY, "--format", "junit"];
        args.extend_from_slice(extra);
        let o = s75lint(&args, &dir);
        (o.status.code(), stdout(&o))
    };
    // Warnings only: exit 0, so no failure; the warnings are reported in the case's output.
    let (code, xml) = junit(&[]);
    assert_eq!(code, Some(0));
    assert!(xml.contains("failures=\"0\""), "{xml}");
    assert!(
        xml.contains("<system-out>a.yaml:") && xml.contains(": warning: unknown key `foo`"),
        "{xml}"
    );
    // With --deny-warnings they fail the gate, and the test case.
    let (code, xml) = junit(&["--deny-warnings"]);
    assert_eq!(code, Some(1));
    assert!(
        xml.contains("<failure message=\"2 findings: unknown key `foo`\" type=\"warning\">"),
        "{xml}"
    );
    // So does `fail_on: warning` in the configuration.
    std::fs::write(dir.join(".s75lint.yaml"), "fail_on: warning\n").unwrap();
    let (code, xml) = junit(&[]);
    assert_eq!(code, Some(1));
    assert!(xml.contains("type=\"warning\">"), "{xml}");
}

#[test]
fn the_configuration_reports_every_problem_at_once() {
    let dir = tempdir();
    std::fs::write(dir.join("a.yaml"), with_two_unknown_keys("")).unwrap();
    std::fs::write(
        dir.join(".s75lint.yaml"),
        "disable: [AC-VATT]\nseverity: {S75-HOST: warn}\nfail_on: warnings\nexlude: [\"x/**\"]\n",
    )
    .unwrap();
    let o = s75lint(&["check", "a.yaml", "--today", TODAY], &dir);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let expected = [
        (
            "there is no rule `AC-VATT`",
            "1:11",
            "did you mean `AC-VAT`?",
        ),
        (
            "a severity must be `error`, `warning` or `info`",
            "2:22",
            "did you mean `warning`?",
        ),
        (
            "`fail_on` must be `error`, `warning` or `info`",
            "3:10",
            "did you mean `warning`?",
        ),
        (
            "unknown key `exlude` in the configuration",
            "4:1",
            "did you mean `exclude`?",
        ),
    ];
    let mut at = 0;
    for (message, place, help) in expected {
        let found = err[at..]
            .find(message)
            .unwrap_or_else(|| panic!("{message}:\n{err}"));
        at += found;
        let block = &err[at..];
        assert!(
            block.contains(&format!(".s75lint.yaml:{place}]")),
            "{message}:\n{err}"
        );
        assert!(
            block.contains(&format!("help: {help}")),
            "{message}:\n{err}"
        );
    }
    assert!(
        err.ends_with("4 error(s) in the configuration; nothing was checked\n"),
        "{err}"
    );
}

#[test]
fn a_missing_rule_file_named_in_the_configuration_is_shown_on_its_line() {
    let dir = tempdir();
    std::fs::write(dir.join("a.yaml"), with_two_unknown_keys("")).unwrap();
    std::fs::write(
        dir.join(".s75lint.yaml"),
        "# local rules\nrules: [local.rules, missing.rules]\n",
    )
    .unwrap();
    std::fs::write(dir.join("local.rules"), "").unwrap();
    let o = s75lint(&["check", "a.yaml", "--today", TODAY], &dir);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("cannot read rule file "), "{err}");
    assert!(err.contains("missing.rules: "), "{err}");
    assert!(err.contains(".s75lint.yaml:2:22]"), "{err}");
    assert!(
        err.contains(" 2 │ rules: [local.rules, missing.rules]"),
        "{err}"
    );
}

#[test]
fn a_file_given_as_a_command_gets_the_check_command() {
    let dir = tempdir();
    std::fs::write(dir.join("good.yaml"), with_two_unknown_keys("")).unwrap();
    let o = s75lint(&["good.yaml"], &dir);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("unrecognized subcommand 'good.yaml'"), "{err}");
    assert!(
        err.contains("tip: to check it, run `s75lint check good.yaml`"),
        "{err}"
    );
    // A word that is no file gets no such tip.
    let o = s75lint(&["chekc"], &dir);
    assert!(!stderr(&o).contains("s75lint check"), "{}", stderr(&o));
}

#[test]
fn explain_suggests_the_full_rule_id() {
    let dir = tempdir();
    let o = s75lint(&["explain", "HOST"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("there is no rule `HOST`; did you mean S75-HOST?"),
        "{}",
        stderr(&o)
    );
    let o = s75lint(&["explain", "host"], &dir);
    assert!(
        stderr(&o).contains("did you mean S75-HOST?"),
        "{}",
        stderr(&o)
    );
}
