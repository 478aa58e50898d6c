//! CI gates and pre-commit use: waivers, baselines, configuration, init, and the rule listing.

mod common;
use common::*;
use std::path::Path;

fn valid(name: &str) -> String {
    std::fs::read_to_string(root().join("fixtures/valid").join(name)).unwrap()
}

/// The BCF agreement without the source of the carers outcome: one AC-OUTCOME-ACCOUNTABLE
/// warning in scheme CARERS.
fn missing_source() -> String {
    valid("bcf-pooled-fund.yaml").replacen(
        "        source: Short and Long Term (SALT) return\n",
        "",
        1,
    )
}

fn with_waiver(src: &str, waiver: &str) -> String {
    format!("{src}\nwaivers:\n{waiver}")
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn a_valid_waiver_lists_the_finding_as_waived_and_does_not_count_it() {
    let dir = tempdir();
    let src = with_waiver(
        &missing_source(),
        "  - rule: AC-OUTCOME-ACCOUNTABLE\n    scheme: CARERS\n    reason: The SALT return is replaced in 2026\n    approved_by: Head of Legal Services\n    expires: 2026-03-31\n",
    );
    write(&dir, "a.yaml", &src);
    let o = s75lint(
        &[
            "check",
            "a.yaml",
            "--today",
            TODAY,
            "--format",
            "json",
            "--deny-warnings",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v = json(&o);
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "AC-OUTCOME-ACCOUNTABLE");
    assert_eq!(f["waived"]["reason"], "The SALT return is replaced in 2026");
    assert_eq!(f["waived"]["approved_by"], "Head of Legal Services");
    assert_eq!(f["waived"]["expires"], "2026-03-31");
    assert_eq!(v["summary"]["warnings"], 0);
    assert_eq!(v["summary"]["waived"], 1);
    let o = s75lint(&["check", "a.yaml", "--today", TODAY], &dir);
    assert!(
        stdout(&o).contains("waived AC-OUTCOME-ACCOUNTABLE"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("approved by Head of Legal Services"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_waiver_without_reason_is_an_error_and_waives_nothing() {
    let dir = tempdir();
    let src = with_waiver(
        &missing_source(),
        "  - rule: AC-OUTCOME-ACCOUNTABLE\n    approved_by: Head of Legal Services\n",
    );
    write(&dir, "a.yaml", &src);
    let o = s75lint(
        &["check", "a.yaml", "--today", TODAY, "--format", "json"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["AC-OUTCOME-ACCOUNTABLE", "WAIVER-INVALID"]);
    let w = &v["findings"][1];
    assert_eq!(w["severity"], "error");
    assert!(
        w["message"].as_str().unwrap().contains("gives no reason"),
        "{w}"
    );
    assert!(v["findings"][0]["waived"].is_null());
}

#[test]
fn an_expired_waiver_is_an_error_and_the_finding_counts_again() {
    let dir = tempdir();
    let src = with_waiver(
        &missing_source(),
        "  - rule: AC-OUTCOME-ACCOUNTABLE\n    reason: Baseline next quarter\n    approved_by: Head of Legal Services\n    expires: 2025-09-30\n",
    );
    write(&dir, "a.yaml", &src);
    let o = s75lint(
        &["check", "a.yaml", "--today", TODAY, "--format", "json"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["AC-OUTCOME-ACCOUNTABLE", "WAIVER-EXPIRED"]);
    assert!(v["findings"][0]["waived"].is_null());
    assert_eq!(v["findings"][1]["message"], "the waiver of AC-OUTCOME-ACCOUNTABLE expired on 30 September 2025, so its findings count again");
    assert_eq!(v["summary"]["warnings"], 1);
}

#[test]
fn a_waiver_matching_nothing_is_a_stale_warning() {
    let dir = tempdir();
    let src = with_waiver(
        &valid("bcf-pooled-fund.yaml"),
        "  - rule: AC-VAT\n    reason: VAT advice awaited\n    approved_by: Head of Legal Services\n    expires: 2026-03-31\n",
    );
    write(&dir, "a.yaml", &src);
    let o = s75lint(
        &["check", "a.yaml", "--today", TODAY, "--format", "json"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(v["findings"][0]["rule"], "WAIVER-UNUSED");
    assert_eq!(v["findings"][0]["severity"], "warning");
    let o = s75lint(
        &["check", "a.yaml", "--today", TODAY, "--deny-warnings"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_waiver_scoped_to_another_scheme_does_not_apply() {
    let src = with_waiver(
        &missing_source(),
        "  - rule: AC-OUTCOME-ACCOUNTABLE\n    scheme: REAB\n    reason: r\n    approved_by: a\n    expires: 2026-03-31\n",
    );
    let r = check_text(&src);
    let rules: Vec<&str> = r.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, vec!["AC-OUTCOME-ACCOUNTABLE", "WAIVER-UNUSED"]);
    assert!(r.findings[0].waived.is_none());
}

#[test]
fn baseline_reports_only_new_findings_and_survives_line_shifts() {
    let dir = tempdir();
    write(&dir, "a.yaml", &missing_source());
    let o = s75lint(
        &[
            "check",
            "a.yaml",
            "--today",
            TODAY,
            "--deny-warnings",
            "--write-baseline",
            "base.json",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1), "writing a baseline still reports");
    let base: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("base.json")).unwrap()).unwrap();
    assert_eq!(base["findings"].as_array().unwrap().len(), 1);

    // Unchanged: nothing new.
    let o = s75lint(
        &[
            "check",
            "a.yaml",
            "--today",
            TODAY,
            "--deny-warnings",
            "--baseline",
            "base.json",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // An unrelated edit shifts every line down; the recorded finding is still recognised.
    let shifted = missing_source().replacen(
        "title:",
        "x-note: added later\nx-note-2: and another\ntitle:",
        1,
    );
    write(&dir, "a.yaml", &shifted);
    let o = s75lint(
        &[
            "check",
            "a.yaml",
            "--today",
            TODAY,
            "--deny-warnings",
            "--baseline",
            "base.json",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // A new finding is reported.
    let new = shifted.replacen("  vat: ", "  x-vat: ", 1);
    write(&dir, "a.yaml", &new);
    let o = s75lint(
        &[
            "check",
            "a.yaml",
            "--today",
            TODAY,
            "--deny-warnings",
            "--baseline",
            "base.json",
            "--format",
            "json",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["AC-VAT"]);

    // The recorded finding fixed: the baseline entry is listed as gone.
    write(&dir, "a.yaml", &valid("bcf-pooled-fund.yaml"));
    let o = s75lint(
        &[
            "check",
            "a.yaml",
            "--today",
            TODAY,
            "--baseline",
            "base.json",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(
        err.contains("note: no longer found: AC-OUTCOME-ACCOUNTABLE in a.yaml at "),
        "{err}"
    );
    assert!(
        err.contains("note: to remove it from the baseline, run the same check with `--write-baseline base.json` instead of `--baseline`"),
        "{err}"
    );
}

#[test]
fn init_lists_only_placeholders_and_never_overwrites() {
    let dir = tempdir();
    for arrangement in [
        "pooled_fund",
        "lead_commissioning",
        "integrated_provision",
        "aligned_budget",
        "section_256",
    ] {
        let file = format!("{arrangement}.yaml");
        let o = s75lint(&["init", &file, "--arrangement", arrangement], &dir);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let o = s75lint(
            &["check", &file, "--today", TODAY, "--format", "json"],
            &dir,
        );
        let v = json(&o);
        let findings = v["findings"].as_array().unwrap();
        assert!(findings.len() > 10, "{arrangement}: {}", findings.len());
        for f in findings {
            let rule = f["rule"].as_str().unwrap();
            let msg = f["message"].as_str().unwrap();
            assert!(
                rule == "AGR-PLACEHOLDER"
                    || (rule == "FMT-TYPE" && msg.contains("is still a placeholder")),
                "{arrangement}: {rule}: {msg}"
            );
        }
    }
    let before = std::fs::read(dir.join("pooled_fund.yaml")).unwrap();
    let o = s75lint(&["init", "pooled_fund.yaml"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(std::fs::read(dir.join("pooled_fund.yaml")).unwrap(), before);
}

#[test]
fn config_switches_rules_off_changes_severity_excludes_and_sets_the_failing_level() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.join("agreements/archive")).unwrap();
    write(&dir, "agreements/a.yaml", &missing_source());
    write(
        &dir,
        "agreements/archive/old.yaml",
        &valid("bcf-pooled-fund.yaml").replacen("  vat: ", "  x-vat: ", 1),
    );
    let o = s75lint(
        &["check", "agreements", "--today", TODAY, "--format", "json"],
        &dir,
    );
    assert_eq!(json(&o)["summary"]["warnings"], 2);

    write(
        &dir,
        ".s75lint.yaml",
        "exclude: [\"agreements/archive/**\"]\nseverity: {AC-OUTCOME-ACCOUNTABLE: error}\n",
    );
    let o = s75lint(
        &["check", "agreements", "--today", TODAY, "--format", "json"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["summary"]["files_checked"], 1);
    assert_eq!(v["findings"][0]["severity"], "error");

    write(
        &dir,
        ".s75lint.yaml",
        "disable: [AC-OUTCOME-ACCOUNTABLE, AC-VAT]\n",
    );
    let o = s75lint(
        &["check", "agreements", "--today", TODAY, "--deny-warnings"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    write(&dir, ".s75lint.yaml", "fail_on: warning\n");
    let o = s75lint(&["check", "agreements", "--today", TODAY], &dir);
    assert_eq!(o.status.code(), Some(1));

    // Found by walking up from the checked path, too.
    let o = s75lint(
        &["check", "a.yaml", "--today", TODAY],
        &dir.join("agreements"),
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn config_mistakes_stop_the_run_with_did_you_mean() {
    let dir = tempdir();
    write(&dir, "a.yaml", &valid("bcf-pooled-fund.yaml"));
    write(&dir, ".s75lint.yaml", "disabel: [AC-VAT]\n");
    let o = s75lint(&["check", "a.yaml"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown key `disabel`"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("did you mean `disable`?"),
        "{}",
        stderr(&o)
    );

    write(&dir, ".s75lint.yaml", "disable: [AC-VATT]\n");
    let o = s75lint(&["check", "a.yaml"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("there is no rule `AC-VATT`"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("did you mean `AC-VAT`?"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains(".s75lint.yaml:1:11"), "{}", stderr(&o));
}

#[test]
fn several_outputs_in_one_run() {
    let dir = tempdir();
    write(&dir, "a.yaml", &missing_source());
    let o = s75lint(
        &[
            "check",
            "a.yaml",
            "--today",
            TODAY,
            "--output",
            "sarif=out.sarif",
            "--output",
            "json=out.json",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("AC-OUTCOME-ACCOUNTABLE"));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.sarif")).unwrap()).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["ruleId"],
        "AC-OUTCOME-ACCOUNTABLE"
    );
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.json")).unwrap()).unwrap();
    assert_eq!(j["findings"][0]["rule"], "AC-OUTCOME-ACCOUNTABLE");
}

#[test]
fn rules_and_explain_come_from_the_rule_files() {
    let o = s75lint(&["rules"], &root());
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.lines().any(|l| l.starts_with("S75-HOST")
            && l.contains("error")
            && l.contains("SI 2000/617 reg 7(4), 8, 9")),
        "{out}"
    );
    let o = s75lint(&["rules", "--format", "json"], &root());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let host = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "S75-HOST")
        .unwrap();
    assert_eq!(host["severity"], "error");
    assert_eq!(host["source"], "rules/statutory.rules");
    let o = s75lint(&["explain", "s75-host"], &root());
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.starts_with(
            "S75-HOST (error)\nEvery pool and every lead scheme names one host partner"
        ),
        "{out}"
    );
    assert!(
        out.contains("Why it matters:") && out.contains("How to fix:") && out.contains("Cites:"),
        "{out}"
    );
    let o = s75lint(&["explain", "S75-HOTS"], &root());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean S75-HOST?"),
        "{}",
        stderr(&o)
    );
}
