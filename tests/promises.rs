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

/// Found by the `files` fuzz target: an agreement path that is a symbolic link to itself, named
/// for checking and as the SARIF output. Its identity cannot be read, so only its name shows it
/// is an input; the rename would have replaced the link with a report.
#[cfg(unix)]
#[test]
fn an_output_naming_an_input_that_cannot_be_read_is_refused_and_a_link_kept() {
    let d = tempdir();
    std::os::unix::fs::symlink(d.join("a.yaml"), d.join("a.yaml")).unwrap();
    let (code, _, err) = run(&d, &["--output", "sarif=a.yaml", "a.yaml"]);
    assert_eq!(code, Some(2), "{err}");
    // Refused as a link that leads nowhere (outputs are opened first), or as an input.
    assert!(
        err.contains("cannot write a.yaml: it is a symbolic link that leads to no file")
            || err.contains("names the input a.yaml"),
        "{err}"
    );
    let meta = std::fs::symlink_metadata(d.join("a.yaml")).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");

    // A named agreement that does not exist (found by the same target): no report is written
    // in its place.
    let (code, _, err) = run(&d, &["--output", "sarif=b.yaml", "b.yaml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("names the input b.yaml"), "{err}");
    assert!(!d.join("b.yaml").exists());

    // A report path that is a link to elsewhere is written through; the link stays.
    copy(GOOD, &d.join("good.yaml"));
    std::fs::create_dir(d.join("reports")).unwrap();
    std::fs::write(d.join("reports/latest.json"), "old").unwrap();
    std::os::unix::fs::symlink("reports/latest.json", d.join("report.json")).unwrap();
    let (code, _, err) = run(&d, &["--output", "json=report.json", "good.yaml"]);
    assert_eq!(code, Some(0), "{err}");
    let meta = std::fs::symlink_metadata(d.join("report.json")).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    let report = std::fs::read_to_string(d.join("reports/latest.json")).unwrap();
    assert!(report.starts_with('{'), "{report}");
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

// ---- crashes and unbounded output ---------------------------------------------------------------

/// Runs a check of `name` (written with `bytes`) in a fresh folder; asserts no panic and a
/// bounded output, and returns the exit code, stdout and stderr.
fn check_bytes(name: &str, bytes: &[u8], args: &[&str]) -> (Option<i32>, String, String) {
    let d = tempdir();
    std::fs::write(d.join(name), bytes).unwrap();
    let mut all = args.to_vec();
    all.push(name);
    let r = run(&d, &all);
    assert!(
        r.1.len() + r.2.len() < 50_000_000,
        "output of {} bytes",
        r.1.len() + r.2.len()
    );
    assert_eq!(
        std::fs::read(d.join(name)).unwrap(),
        bytes,
        "the input is unchanged"
    );
    r
}

/// The longest line printed.
fn widest(s: &str) -> usize {
    s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn findings_past_column_65536_are_drawn_cut_not_panicked_on() {
    let good = std::fs::read_to_string(root().join(GOOD)).unwrap();
    let cases: Vec<(&str, String)> = vec![
        // A minified (flow, one-line) agreement with an unknown key at its end.
        (
            "minified",
            format!(
                "{{s75lint: 1, id: {}, unknown_key: 1}}\n",
                "x".repeat(70_000)
            ),
        ),
        // 33,000 CJK characters (each two columns wide) before an unknown key.
        (
            "cjk",
            format!("{good}x-note: {} \n", "中".repeat(33_000))
                .replace("x-note: ", "unknown_key: "),
        ),
        // FMT-YAML past the limit: a flow mapping broken at its end.
        (
            "yaml",
            format!("s75lint: 1\nid: [{}, : : ]\n", "x".repeat(70_000)),
        ),
    ];
    for (what, text) in cases {
        for format in ["human", "plain"] {
            let (code, out, err) = check_bytes("a.yaml", text.as_bytes(), &["--format", format]);
            assert!(matches!(code, Some(0 | 1)), "{what} {format}: {err}");
            assert!(
                widest(&out) < 600,
                "{what} {format}: a line of {} characters",
                widest(&out)
            );
            assert!(out.contains('…'), "{what} {format}: the cut is marked");
        }
    }
    // The header still gives the real place.
    let text = format!(
        "{{s75lint: 1, id: {}, unknown_key: 1}}\n",
        "x".repeat(70_000)
    );
    let (_, out, _) = check_bytes("a.yaml", text.as_bytes(), &[]);
    assert!(
        out.contains("[a.yaml:1:70020]"),
        "{}",
        &out[..out.len().min(3000)]
    );
}

#[test]
fn config_and_rule_file_errors_past_column_65536_are_drawn_cut() {
    let d = tempdir();
    copy(GOOD, &d.join("good.yaml"));
    std::fs::write(
        d.join(".s75lint.yaml"),
        format!("{{x-{}: 1, unknwn: 2}}\n", "a".repeat(70_000)),
    )
    .unwrap();
    let (code, _, err) = run(&d, &["good.yaml"]);
    assert_eq!(code, Some(2), "{err:.2000}");
    assert!(err.contains("unknown key `unknwn`"), "{err:.2000}");
    assert!(widest(&err) < 600, "{}", widest(&err));
    std::fs::remove_file(d.join(".s75lint.yaml")).unwrap();
    std::fs::write(
        d.join("l.rules"),
        format!("rule LOCAL-X \"{}\" bogus\nend\n", "a".repeat(70_000)),
    )
    .unwrap();
    let (code, _, err) = run(&d, &["--rules", "l.rules", "good.yaml"]);
    assert_eq!(code, Some(2), "{err:.2000}");
    assert!(widest(&err) < 600, "{}", widest(&err));
}

/// A file with thousands of findings draws the first 200 and says how many more there are;
/// the machine outputs list every one.
#[test]
fn findings_drawn_per_file_are_capped_and_the_rest_counted() {
    let good = std::fs::read_to_string(root().join(GOOD)).unwrap();
    let mut text = good.clone();
    for i in 0..1_000 {
        text.push_str(&format!("unknown_{i}: 1\n"));
    }
    let (_, out, _) = check_bytes("a.yaml", text.as_bytes(), &["--format", "plain"]);
    assert!(
        out.contains("... and 800 more finding(s) in a.yaml not drawn here"),
        "{}",
        &out[out.len() - 500..]
    );
    assert!(
        out.ends_with("1 agreement checked: 1000 warnings\n"),
        "{}",
        &out[out.len() - 300..]
    );
    let (_, json, _) = check_bytes("a.yaml", text.as_bytes(), &["--format", "json"]);
    assert_eq!(json.matches("\"rule\": \"FMT-UNKNOWN-KEY\"").count(), 1_000);
}

/// Past 10,000 findings a file's checking stops with an FMT-YAML finding saying so.
#[test]
fn findings_per_file_are_bounded() {
    let good = std::fs::read_to_string(root().join(GOOD)).unwrap();
    let mut text = good.clone();
    for i in 0..12_000 {
        text.push_str(&format!("u{i}: 1\n"));
    }
    let (code, json, _) = check_bytes("a.yaml", text.as_bytes(), &["--format", "json"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        json.matches("\"rule\": \"FMT-UNKNOWN-KEY\"").count(),
        10_000
    );
    assert!(
        json.contains("checking this file stopped after 10000 findings"),
        "{:.300}",
        &json[json.len() - 3000..]
    );
}

// ---- files s75lint reads but does not check ----------------------------------------------------

#[test]
fn rule_config_and_baseline_files_get_the_guards_agreements_get() {
    let d = tempdir();
    copy(GOOD, &d.join("good.yaml"));
    for name in ["pipe.rules", "pipe.yaml", "pipe.json"] {
        assert!(std::process::Command::new("mkfifo")
            .arg(d.join(name))
            .status()
            .unwrap()
            .success());
    }
    let big = std::fs::File::create(d.join("big.rules")).unwrap();
    big.set_len(11 * 1024 * 1024).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["--rules", "pipe.rules"],
            "cannot read rule file pipe.rules: it is not a regular file",
        ),
        (
            &["--config", "pipe.yaml"],
            "cannot read pipe.yaml: it is not a regular file",
        ),
        (
            &["--baseline", "pipe.json"],
            "cannot read baseline pipe.json: it is not a regular file",
        ),
        (
            &["--rules", "big.rules"],
            "cannot read rule file big.rules: it is 11.0 MB, over the limit of 10 MB",
        ),
        (&["--rules", "/dev/zero"], "/dev/zero is not a rule file"),
    ];
    for (args, message) in cases {
        let mut all = args.to_vec();
        all.push("good.yaml");
        let (code, _, err) = run(&d, &all);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

/// A committed configuration naming any file as a rule file, or `--config` naming one, never
/// prints that file's content.
#[test]
fn files_that_are_not_rules_or_configuration_are_never_quoted() {
    let d = tempdir();
    copy(GOOD, &d.join("good.yaml"));
    std::fs::write(d.join("credentials"), "TOKEN=ghp_secret123\n").unwrap();
    std::fs::write(d.join(".s75lint.yaml"), "rules: [credentials]\n").unwrap();
    let (code, out, err) = run(&d, &["good.yaml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("credentials is not a rule file"), "{err}");
    assert!(
        !err.contains("ghp_secret") && !out.contains("ghp_secret"),
        "{err}"
    );
    std::fs::remove_file(d.join(".s75lint.yaml")).unwrap();
    let (code, out, err) = run(&d, &["--config", "credentials", "good.yaml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        !err.contains("ghp_secret") && !out.contains("ghp_secret"),
        "{err}"
    );
}

#[test]
fn a_huge_repetition_in_a_local_pattern_is_refused_clearly() {
    let d = tempdir();
    copy(GOOD, &d.join("good.yaml"));
    std::fs::write(
        d.join("l.rules"),
        "rule LOCAL-X \"x\"\n  severity warning\n  cite \"local\"\n  require title matches \"(a|b|c){5000}\"\n    otherwise \"x\"\nend\n",
    )
    .unwrap();
    let (code, _, err) = run(&d, &["--rules", "l.rules", "good.yaml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("too large once compiled"), "{err}");
    assert!(err.contains("l.rules:4:"), "{err}");
}

#[test]
fn adding_a_huge_number_of_months_to_a_date_does_not_panic() {
    let d = tempdir();
    copy(GOOD, &d.join("good.yaml"));
    std::fs::write(
        d.join("l.rules"),
        "rule LOCAL-X \"x\"\n  severity warning\n  cite \"local\"\n  require end > commencement + 9223372036854775807 months\n    otherwise \"x\"\nend\n",
    )
    .unwrap();
    let (code, _, err) = run(&d, &["--rules", "l.rules", "good.yaml"]);
    assert!(matches!(code, Some(0 | 1)), "{err}");
}

#[test]
fn a_walk_does_not_follow_a_link_into_sys() {
    let d = tempdir();
    copy(GOOD, &d.join("tree/good.yaml"));
    std::os::unix::fs::symlink("/sys", d.join("tree/sys")).unwrap();
    std::os::unix::fs::symlink("/proc", d.join("tree/proc")).unwrap();
    let (code, out, err) = run(&d, &["tree"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("1 agreement checked"), "{out}");
}

// ---- deception ----------------------------------------------------------------------------------

/// Escape codes in a file's name, keys, values and comments are shown as escapes: a file
/// cannot clear the screen or print a line that looks like s75lint's own.
#[test]
fn control_characters_never_reach_the_terminal_raw() {
    let good = std::fs::read_to_string(root().join(GOOD)).unwrap();
    let text = format!(
        "{good}\x1b[2Junknown\x1b[1A: \"\\e[2J\\rAll agreements OK\"  # \x1b]0;title\x07\n"
    );
    let name = "a\x1b[2J.yaml";
    for format in ["human", "plain", "github"] {
        let (code, out, err) = check_bytes(name, text.as_bytes(), &["--format", format]);
        assert_eq!(code, Some(1), "{format}: {err}");
        for s in [&out, &err] {
            assert!(
                !s.contains('\x1b') && !s.contains('\x07') && !s.contains('\r'),
                "{format}: {s:?}"
            );
        }
        assert!(out.contains("\\u{1b}"), "{format}: {out}");
    }
}

#[test]
fn yaml_forbidden_control_characters_are_a_finding() {
    let good = std::fs::read_to_string(root().join(GOOD)).unwrap();
    let text = good.replacen("title: ", "title: \x1b[2J", 1);
    let (code, out, _) = check_bytes("a.yaml", text.as_bytes(), &["--format", "plain"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("U+001B"), "{out}");
    assert!(out.contains("diagnostic code: FMT-YAML"), "{out}");
}

// ---- silent legal misses -------------------------------------------------------------------------

fn good_with(from: &str, to: &str) -> String {
    let good = std::fs::read_to_string(root().join(GOOD)).unwrap();
    assert!(good.contains(from), "{from}");
    good.replacen(from, to, 1)
}

#[test]
fn invisible_and_look_alike_characters_in_ids_are_named() {
    let good = std::fs::read_to_string(root().join(GOOD)).unwrap();
    let id_line = good
        .lines()
        .find(|l| l.trim_start().starts_with("- id: "))
        .unwrap()
        .to_string();
    let id = id_line
        .trim_start()
        .trim_start_matches("- id: ")
        .to_string();
    // A zero-width space inside the first partner's id.
    let mut chars: Vec<char> = id.chars().collect();
    chars.insert(1, '\u{200b}');
    let zw: String = chars.into_iter().collect();
    let text = good.replacen(&id_line, &id_line.replace(&id, &zw), 1);
    let (code, out, _) = check_bytes("a.yaml", text.as_bytes(), &["--format", "plain"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("holds U+200B ZERO WIDTH SPACE at character 2"),
        "{out}"
    );
    // A key with a Cyrillic `е`: an unknown key whose message names the letter.
    let text = good_with("title:", "titlе:");
    let (_, out, _) = check_bytes("a.yaml", text.as_bytes(), &["--format", "plain"]);
    assert!(
        out.contains(
            "its letter `е` (character 5) is not a Latin letter, though it looks like `e`"
        ),
        "{out}"
    );
    // In a waiver's `expires` it is an error: the waiver would otherwise never expire.
    let good = std::fs::read_to_string(root().join(GOOD)).unwrap();
    let text = format!(
        "{good}waivers:\n  - rule: AC-VAT\n    reason: r\n    approved_by: x\n    еxpires: 2026-01-01\n"
    );
    let (code, out, _) = check_bytes("a.yaml", text.as_bytes(), &["--format", "plain"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("the key `еxpires` holds U+0435 (a Cyrillic letter `е`) at character 1"),
        "{out}"
    );
}

#[test]
fn two_partners_whose_ids_look_the_same_are_a_duplicate() {
    let good = std::fs::read_to_string(root().join(GOOD)).unwrap();
    let ids: Vec<String> = good
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("- id: ").map(str::to_string))
        .collect();
    let (first, second) = (&ids[0], &ids[1]);
    let look_alike = first
        .replacen('e', "е", 1)
        .replacen('o', "о", 1)
        .replacen('c', "с", 1)
        .replacen('a', "а", 1);
    assert_ne!(
        &look_alike, first,
        "the id has a letter with a Cyrillic look-alike"
    );
    // The second partner's id becomes a look-alike of the first one's.
    let text = good.replacen(
        &format!("- id: {second}\n"),
        &format!("- id: {look_alike}\n"),
        1,
    );
    let (code, out, _) = check_bytes("a.yaml", text.as_bytes(), &["--format", "plain"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("have ids that look the same"), "{out}");
    assert!(out.contains("diagnostic code: FMT-DUPLICATE-ID"), "{out}");
}

#[test]
fn tags_and_other_yaml_versions_are_findings() {
    let text = good_with("status: ", "status: !!null ");
    let (code, out, _) = check_bytes("a.yaml", text.as_bytes(), &["--format", "plain"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("the tag `!!null` changes how this value is read"),
        "{out}"
    );
    // `!!str` on text is allowed.
    let text = good_with("title: ", "title: !!str ");
    let (code, out, _) = check_bytes("a.yaml", text.as_bytes(), &[]);
    assert_eq!(code, Some(0), "{out}");
    let good = std::fs::read_to_string(root().join(GOOD)).unwrap();
    let text = format!("%YAML 1.3\n---\n{good}");
    let (code, out, _) = check_bytes("a.yaml", text.as_bytes(), &["--format", "plain"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("this file declares YAML 1.3; s75lint reads YAML 1.2"),
        "{out}"
    );
}

#[test]
fn placeholder_spellings_and_huge_amounts_are_caught() {
    for p in [
        "To be confirmed",
        "To be agreed",
        "T.B.C.",
        "N/A",
        "Pending",
    ] {
        let text = good_with("title: Southmoor Section 256 Agreement for Hospital Discharge Housing Support 2025-2027", &format!("title: {p}"));
        let (code, out, _) = check_bytes("a.yaml", text.as_bytes(), &["--format", "plain"]);
        assert_eq!(code, Some(1), "{p}: {out}");
        assert!(out.contains("AGR-PLACEHOLDER"), "{p}: {out}");
    }
}

#[test]
fn an_amount_over_100_billion_pounds_is_a_type_error() {
    let text = good_with("2025-26: \"£450,000\"", "2025-26: \"£200bn\"");
    let (code, out, _) = check_bytes("a.yaml", text.as_bytes(), &["--format", "plain"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("diagnostic code: FMT-TYPE"), "{out}");
    assert!(out.contains("up to £100bn"), "{out}");
}

/// Found by the `human` fuzz target: an escape code on a line drawn as context of a label far
/// from the finding's primary one reached the terminal raw.
#[test]
fn escape_codes_beside_a_far_label_are_escaped_too() {
    let text =
        std::fs::read(root().join("tests/fuzz-found/escape-beside-a-far-label.yaml")).unwrap();
    for format in ["human", "plain"] {
        let (code, out, err) = check_bytes("a.yaml", &text, &["--format", format]);
        assert!(matches!(code, Some(0..=2)), "{err}");
        assert!(!out.contains('\x1b') && !err.contains('\x1b'), "{format}");
    }
}

/// Found by the `check` fuzz target: a `{` left open on a line ending in a two-byte character
/// (`˂`) was marked on the line's last byte, half of that character; JSON said offset 31,
/// length 1, and an editor or SARIF viewer would cut the character in two.
#[test]
fn a_mark_never_cuts_a_character_in_two() {
    let text = "s75lint: 1\nid: X\nb: {v: 2024-2\u{2c2}\nc: d\n";
    let (code, out, err) = check_bytes("a.yaml", text.as_bytes(), &["--format", "json"]);
    assert_eq!(code, Some(1), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "FMT-YAML");
    assert!(
        f["message"].as_str().unwrap().contains("is never closed"),
        "{f}"
    );
    // The mark is the whole last character of line 3: bytes 30..32.
    assert_eq!(
        (f["offset"].as_u64(), f["length"].as_u64()),
        (Some(30), Some(2)),
        "{f}"
    );
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(14)),
        "{f}"
    );
}
