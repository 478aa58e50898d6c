//! The `s75lint check` command as users and CI see it: exit codes, the summary line, plain
//! output without escape codes, and rule-file mistakes reported at their place.

mod common;
use common::*;

#[test]
fn valid_directory_exits_0_with_only_the_summary() {
    let o = s75lint(&["check", "fixtures/valid", "--today", TODAY], &root());
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let n = std::fs::read_dir(root().join("fixtures/valid"))
        .unwrap()
        .count();
    assert_eq!(stdout(&o), format!("{n} agreements checked: no findings\n"));
}

#[test]
fn findings_exit_1_with_rule_id_citation_help_and_summary() {
    let o = s75lint(
        &["check", "fixtures/invalid/S75-HOST.yaml", "--today", TODAY],
        &root(),
    );
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("S75-HOST"), "{out}");
    assert!(out.contains("pool BCF names no host partner"), "{out}");
    assert!(out.contains("fixtures/invalid/S75-HOST.yaml:48:5"), "{out}");
    assert!(out.contains("cite: SI 2000/617 reg 7(4)"), "{out}");
    assert!(out.contains("help: Name the partner"), "{out}");
    assert!(out.ends_with("1 agreement checked: 1 error\n"), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "escape codes with NO_COLOR: {out:?}"
    );
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = tempdir();
    let src =
        std::fs::read_to_string(root().join("fixtures/valid/section-256-grant.yaml")).unwrap();
    std::fs::write(dir.join("a.yaml"), src.replacen("\ntitle:", "\ntittle:", 1)).unwrap();
    let o = s75lint(&["check", "a.yaml", "--today", TODAY], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("1 warning"), "{}", stdout(&o));
    let o = s75lint(
        &["check", "a.yaml", "--today", TODAY, "--deny-warnings"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn plain_format_is_one_paragraph_per_finding() {
    let o = s75lint(
        &[
            "check",
            "fixtures/invalid/FIN-RISK-SHARE.yaml",
            "--today",
            TODAY,
            "--format",
            "plain",
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("overspend shares in pool BCF add up to 110%, not 100%"),
        "{out}"
    );
    assert!(!out.contains('╭') && !out.contains('\u{1b}'), "{out}");
}

#[test]
fn unknown_field_in_rule_file_exits_2_pointing_at_it() {
    let dir = tempdir();
    std::fs::write(
        dir.join("local.rules"),
        "rule LOCAL-HOST \"Schemes name a host\"\n  severity error\n  cite \"local policy\"\n  for each scheme in schemes\n    require scheme.hots is present\n      otherwise \"scheme {scheme.id} has no host\"\nend\n",
    )
    .unwrap();
    let o = s75lint(
        &[
            "check",
            "--rules",
            "local.rules",
            &root().join("fixtures/valid").display().to_string(),
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("there is no field `hots` here"), "{err}");
    assert!(err.contains("did you mean `host`?"), "{err}");
    assert!(err.contains("local.rules:5:20"), "{err}");
    assert!(stdout(&o).is_empty(), "nothing checked: {}", stdout(&o));
}

#[test]
fn comparing_a_date_with_money_is_a_rule_file_error() {
    let dir = tempdir();
    std::fs::write(
        dir.join("bad.rules"),
        "rule LOCAL-X \"x\"\n  severity warning\n  cite \"local\"\n  require commencement > £5m\n    otherwise \"x\"\nend\n",
    )
    .unwrap();
    let o = s75lint(
        &[
            "check",
            "--rules",
            "bad.rules",
            &root().join("fixtures/valid").display().to_string(),
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot compare a date with an amount of money"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_local_rule_runs_beside_the_shipped_ones() {
    let dir = tempdir();
    std::fs::write(
        dir.join("s151.rules"),
        r#"rule LOCAL-S151 "Large pools name the section 151 officer"
  severity warning
  cite "Exampleshire constitution, financial regulations 4.2"
  for each pool in pools where sum of c.amount for each c in pool.contributions > £5m
    require pool.pool_manager.role matches "(?i)section 151|chief finance"
      otherwise "pool {pool.id} holds over £5m but its manager, {pool.pool_manager.name}, is not the section 151 officer"
      at pool.pool_manager.role
end
"#,
    )
    .unwrap();
    let fixture = root()
        .join("fixtures/valid/bcf-pooled-fund.yaml")
        .display()
        .to_string();
    let o = s75lint(
        &["check", "--rules", "s151.rules", &fixture, "--today", TODAY],
        &dir,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "a warning does not fail: {}",
        stdout(&o)
    );
    let out = stdout(&o);
    assert!(out.contains("LOCAL-S151"), "{out}");
    assert!(
        out.contains(
            "pool BCF holds over £5m but its manager, Priya Raman, is not the section 151 officer"
        ),
        "{out}"
    );
}

#[test]
fn directory_without_agreements_is_a_tool_error() {
    let dir = tempdir();
    std::fs::write(dir.join("ci.yaml"), "on: push\njobs: {}\n").unwrap();
    let o = s75lint(&["check", "."], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("no agreement found under ."),
        "{}",
        stdout(&o)
    );
}

#[test]
fn missing_path_is_a_tool_error_but_others_are_still_checked() {
    let o = s75lint(
        &[
            "check",
            "no-such-file.yaml",
            "fixtures/invalid/FIN-RISK-SHARE.yaml",
            "--today",
            TODAY,
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(
        out.contains("no-such-file.yaml: no such file or directory"),
        "{out}"
    );
    assert!(out.contains("FIN-RISK-SHARE"), "{out}");
}

#[test]
fn bad_arguments_exit_2() {
    let o = s75lint(&["check", "--today", "1 April 2025"], &root());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not a date like 2025-04-01"),
        "{}",
        stderr(&o)
    );
    let o = s75lint(&["frobnicate"], &root());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn explicit_non_agreement_yaml_is_skipped_with_a_note() {
    let dir = tempdir();
    std::fs::write(dir.join("ci.yaml"), "on: push\n").unwrap();
    std::fs::write(
        dir.join("draft.yaml"),
        "legal_basis: section_75\npartners: []\n",
    )
    .unwrap();
    let o = s75lint(&["check", "ci.yaml"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("ci.yaml: skipped: not an agreement"),
        "{}",
        stderr(&o)
    );
    let o = s75lint(&["check", "draft.yaml"], &dir);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("FMT-NOT-AGREEMENT"), "{}", stdout(&o));
}
