//! s75lint's promises kept under attack, through the real binary: it never destroys a file it
//! reads, never lets a run that checked nothing pass, and checks each file under the
//! configuration that governs it.

mod common;
use common::*;
use std::path::Path;

const GOOD: &str = "fixtures/valid/section-256-grant.yaml";
/// An agreement whose one finding is an AC-VAT warning.
const WARNS: &str = "fixtures/invalid/AC-VAT.yaml";

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["check", "--today", TODAY];
    all.extend_from_slice(args);
    let o = s75lint(&all, dir);
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(!err.contains("panicked"), "{err}");
    (o.status.code(), out, err)
}

fn copy(from: &str, to: &Path) {
    if let Some(p) = to.parent() {
        std::fs::create_dir_all(p).unwrap();
    }
    std::fs::copy(root().join(from), to).unwrap();
}

// ---- outputs never overwrite inputs ------------------------------------------------------------

/// Every way an output can name an input: the agreement itself, through a symbolic link, a hard
/// link, a file found by walking, a rule file, the configuration and the baseline.
#[test]
fn an_output_naming_any_input_is_refused_before_anything_is_written() {
    let d = tempdir();
    copy(GOOD, &d.join("good.yaml"));
    copy(GOOD, &d.join("agreements/walked.yaml"));
    std::fs::write(d.join("local.rules"), "").unwrap();
    std::fs::write(d.join(".s75lint.yaml"), "rules: [local.rules]\n").unwrap();
    std::fs::write(d.join("base.json"), "{\"version\": 1, \"findings\": []}\n").unwrap();
    std::os::unix::fs::symlink(d.join("good.yaml"), d.join("link.json")).unwrap();
    std::fs::hard_link(d.join("good.yaml"), d.join("hard.json")).unwrap();
    let before: Vec<(String, Vec<u8>)> = [
        "good.yaml",
        "agreements/walked.yaml",
        "local.rules",
        ".s75lint.yaml",
        "base.json",
    ]
    .iter()
    .map(|f| (f.to_string(), std::fs::read(d.join(f)).unwrap()))
    .collect();
    let cases: &[(&[&str], &str)] = &[
        (&["--output", "json=good.yaml", "good.yaml"], "good.yaml"),
        (&["--output", "sarif=link.json", "good.yaml"], "good.yaml"),
        (&["--output", "junit=hard.json", "good.yaml"], "good.yaml"),
        (&["--write-baseline", "good.yaml", "good.yaml"], "good.yaml"),
        (
            &["--output", "json=agreements/walked.yaml", "agreements"],
            "walked.yaml",
        ),
        (
            &["--output", "json=local.rules", "good.yaml"],
            "local.rules",
        ),
        (
            &[
                "--write-baseline",
                "local.rules",
                "--rules",
                "local.rules",
                "good.yaml",
            ],
            "local.rules",
        ),
        (
            &["--output", "json=.s75lint.yaml", "good.yaml"],
            ".s75lint.yaml",
        ),
        (
            &[
                "--baseline",
                "base.json",
                "--write-baseline",
                "base.json",
                "good.yaml",
            ],
            "base.json",
        ),
    ];
    for (args, input) in cases {
        let (code, out, err) = run(&d, args);
        assert_eq!(code, Some(2), "{args:?}: {out}{err}");
        assert!(
            err.contains("is the same file as the input") && err.contains(input),
            "{args:?}: {err}"
        );
        assert!(out.is_empty(), "{args:?}: nothing is checked: {out}");
        for (f, bytes) in &before {
            assert_eq!(
                &std::fs::read(d.join(f)).unwrap(),
                bytes,
                "{args:?} changed {f}"
            );
        }
    }
}

#[test]
fn two_outputs_to_one_file_are_refused() {
    let d = tempdir();
    copy(GOOD, &d.join("good.yaml"));
    let (code, _, err) = run(
        &d,
        &[
            "--output",
            "json=r.json",
            "--output",
            "sarif=./r.json",
            "good.yaml",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("name the same file"), "{err}");
    assert!(!d.join("r.json").exists());
    let (code, _, err) = run(
        &d,
        &[
            "--output",
            "json=r.json",
            "--write-baseline",
            "r.json",
            "good.yaml",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("name the same file"), "{err}");
}

#[test]
fn a_missing_output_folder_is_named_before_checking() {
    let d = tempdir();
    copy(GOOD, &d.join("good.yaml"));
    let (code, out, err) = run(&d, &["--output", "json=no/such/r.json", "good.yaml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("the folder no/such does not exist"), "{err}");
    assert!(out.is_empty(), "{out}");
}

/// An output is written beside its target and renamed into place at the end: the previous
/// report stays whole while a run is going, and no temporary file is left behind.
#[test]
fn outputs_replace_the_old_file_whole_and_leave_no_temporary() {
    let d = tempdir();
    copy(GOOD, &d.join("good.yaml"));
    std::fs::write(d.join("r.json"), "old report").unwrap();
    let (code, _, err) = run(
        &d,
        &[
            "--output",
            "json=r.json",
            "--write-baseline",
            "b.json",
            "good.yaml",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let report = std::fs::read_to_string(d.join("r.json")).unwrap();
    assert!(
        report.starts_with("{") && report.trim_end().ends_with("}"),
        "{report}"
    );
    assert!(std::fs::read_to_string(d.join("b.json"))
        .unwrap()
        .contains("\"version\": 1"));
    let left: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A run killed while it checks leaves the previous report whole (the new one was only ever
/// written to a temporary file).
#[test]
fn a_killed_run_leaves_the_previous_report_whole() {
    let d = tempdir();
    // Enough agreements that the run is still going when it is killed.
    for i in 0..400 {
        copy(GOOD, &d.join(format!("many/a{i:03}.yaml")));
    }
    std::fs::write(d.join("r.json"), "old report").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_s75lint"))
        .args([
            "check",
            "--today",
            TODAY,
            "--output",
            "json=r.json",
            "--format",
            "json",
            "many",
        ])
        .current_dir(d.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));
    let _ = child.kill();
    let _ = child.wait();
    let now = std::fs::read_to_string(d.join("r.json")).unwrap();
    // Either the old report, or (had the run already ended) a whole new one; never a part.
    assert!(
        now == "old report" || now.trim_end().ends_with('}'),
        "{now:.200}"
    );
}

// ---- excluded files and empty runs -------------------------------------------------------------

#[test]
fn a_named_file_left_out_by_the_configuration_is_named_and_does_not_pass() {
    let d = tempdir();
    copy(WARNS, &d.join("drafts/x.yaml"));
    std::fs::write(
        d.join(".s75lint.yaml"),
        "exclude: ['drafts/**']\nfail_on: warning\n",
    )
    .unwrap();
    let (code, out, err) = run(&d, &["drafts/x.yaml"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        err.contains("drafts/x.yaml is left out by `exclude` in"),
        "{err}"
    );
    assert!(err.contains(".s75lint.yaml"), "{err}");
    assert!(out.contains("nothing was checked"), "{out}");
    // Found by walking, it is left out quietly; the folder then holds no agreement (exit 2).
    let (code, _, err) = run(&d, &["drafts"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(!err.contains("left out"), "{err}");
    // Beside a file that is checked, the note stays and the run is judged on what was checked.
    copy(GOOD, &d.join("good.yaml"));
    let (code, _, err) = run(&d, &["drafts/x.yaml", "good.yaml"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("left out"), "{err}");
}

// ---- a configuration per file -------------------------------------------------------------------

/// `sub/.s75lint.yaml` fails on warnings; the file under it fails in whatever order the files
/// are named (pre-commit's order must not decide the result).
#[test]
fn each_file_is_checked_under_its_own_configuration() {
    let d = tempdir();
    copy(WARNS, &d.join("other/x.yaml"));
    copy(WARNS, &d.join("sub/w.yaml"));
    std::fs::write(d.join("sub/.s75lint.yaml"), "fail_on: warning\n").unwrap();
    for args in [
        ["other/x.yaml", "sub/w.yaml"],
        ["sub/w.yaml", "other/x.yaml"],
    ] {
        let (code, out, _) = run(&d, &args);
        assert_eq!(code, Some(1), "{args:?}: {out}");
        assert!(out.contains("2 agreements checked: 2 warnings"), "{out}");
    }
    let (code, out, _) = run(&d, &["other/x.yaml"]);
    assert_eq!(code, Some(0), "{out}");
    // A rule switched off in one folder stays on in the other.
    std::fs::write(d.join("other/.s75lint.yaml"), "disable: [AC-VAT]\n").unwrap();
    let (code, out, _) = run(&d, &["--format", "plain", "other/x.yaml", "sub/w.yaml"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("2 agreements checked: 1 warning"), "{out}");
    assert!(
        out.contains("snippet for sub/w.yaml") && !out.contains("snippet for other/x.yaml"),
        "{out}"
    );
    // `--config` governs every file.
    let (code, out, _) = run(
        &d,
        &[
            "--config",
            "other/.s75lint.yaml",
            "other/x.yaml",
            "sub/w.yaml",
        ],
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("2 agreements checked: no findings"), "{out}");
}
