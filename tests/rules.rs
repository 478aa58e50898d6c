//! The shipped rule set: every rule has an invalid fixture that yields exactly that rule, at
//! the place its `# expect:` markers give; every valid fixture yields nothing; every catalogue id
//! has a rule.

mod common;
use common::*;
use s75lint::ruletest::{expectations, extent_of, Expect};
use s75lint::Severity::{Error, Info, Warning};
use std::collections::BTreeSet;

fn invalid_fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("fixtures/invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    names
}

fn rule_of(file: &str) -> &str {
    let stem = file.trim_end_matches(".yaml");
    stem.split("--").next().unwrap()
}

/// The findings a fixture's `# expect: RULE-ID SEVERITY COLUMN-END` markers ask for (the
/// marker sits on the line where the finding starts), as (rule, severity, line, extent).
fn marked(file: &str, text: &str) -> Vec<String> {
    expectations(text)
        .into_iter()
        .map(|m| match m {
            Ok(Expect {
                line,
                rule,
                severity: Some(sev),
                extent: Some(x),
            }) => format!("{rule} {sev} at line {line}, columns {}", x.describe(line)),
            Ok(e) => panic!(
                "{file}:{}: the marker for {} must give its severity and columns",
                e.line, e.rule
            ),
            Err(bad) => panic!("{file}:{}: cannot read the marker `{}`", bad.line, bad.item),
        })
        .collect()
}

#[test]
fn every_invalid_fixture_gives_exactly_the_findings_its_markers_expect() {
    for file in invalid_fixtures() {
        let r = check_fixture(&format!("fixtures/invalid/{file}"));
        let mut want = marked(&file, &r.source);
        assert!(!want.is_empty(), "{file}: no `# expect:` marker in it");
        let mut got: Vec<String> = r
            .findings
            .iter()
            .map(|f| {
                let (line, x) = extent_of(&r.source, f.span);
                format!(
                    "{} {} at line {line}, columns {}",
                    f.rule,
                    f.severity,
                    x.describe(line)
                )
            })
            .collect();
        want.sort();
        got.sort();
        let underlined: Vec<&str> = r
            .findings
            .iter()
            .map(|f| {
                r.source[f.span.start..f.span.end]
                    .lines()
                    .next()
                    .unwrap_or("")
            })
            .collect();
        assert_eq!(got, want, "{file}; underlined: {underlined:?}");
        assert!(
            r.findings.iter().any(|f| f.rule == rule_of(&file)),
            "{file} must yield its own rule {}",
            rule_of(&file)
        );
    }
}

#[test]
fn each_invalid_fixture_breaks_only_its_rule() {
    // The one deliberate exception: a misspelt key is reported, and the key it was meant to be
    // counts as missing, so the rule requiring it fires too.
    let allowed_extra = [("FMT-UNKNOWN-KEY.yaml", "S75-EXIT-STRATEGY")];
    for file in invalid_fixtures() {
        let r = check_fixture(&format!("fixtures/invalid/{file}"));
        for f in &r.findings {
            let ok = f.rule == rule_of(&file)
                || allowed_extra.contains(&(file.as_str(), f.rule.as_str()));
            assert!(ok, "{file}: unexpected {} ({})", f.rule, f.message);
        }
    }
}

#[test]
fn every_shipped_rule_has_an_invalid_fixture() {
    let have: BTreeSet<String> = invalid_fixtures()
        .iter()
        .map(|f| rule_of(f).to_string())
        .collect();
    for rule in &rules().rules {
        assert!(
            have.contains(&rule.id),
            "rule {} has no fixtures/invalid/{}.yaml",
            rule.id,
            rule.id
        );
    }
}

/// The rule ids of the catalogue in shared/domain/requirements.md (first column of its tables).
fn catalogue_ids() -> Vec<String> {
    let path = root().join("../shared/domain/requirements.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the rule catalogue {} must be beside the repository: {e}",
            path.display()
        )
    });
    let re = regex::Regex::new(r"(?m)^\| ([A-Z0-9]+(?:-[A-Z0-9]+)+) \|").unwrap();
    re.captures_iter(&text).map(|c| c[1].to_string()).collect()
}

#[test]
fn every_catalogue_id_has_a_rule_with_its_default_severity() {
    let ids = catalogue_ids();
    assert!(ids.len() >= 40, "catalogue parsed: {ids:?}");
    let rs = rules();
    for id in &ids {
        let rule = rs
            .get(id)
            .unwrap_or_else(|| panic!("catalogue id {id} has no rule"));
        let good_practice =
            id.starts_with("AC-") || id.starts_with("PB-") || id == "BCF-HWB-APPROVAL";
        let want = match id.as_str() {
            "AC-EXPIRING" => Info,
            _ if good_practice => Warning,
            _ => Error,
        };
        assert_eq!(rule.severity, want, "{id}");
        assert!(
            !rule.citations.is_empty() && rule.help.is_some() && rule.why.is_some(),
            "{id} lacks citation, help or why"
        );
    }
}

#[test]
fn checking_the_invalid_directory_reports_every_catalogue_id() {
    let o = s75lint(
        &[
            "check",
            "fixtures/invalid",
            "--today",
            TODAY,
            "--format",
            "plain",
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    for id in catalogue_ids() {
        assert!(
            out.contains(&format!("{id}\n"))
                || out.contains(&format!("[{id}]"))
                || out.contains(&id),
            "{id} not reported"
        );
    }
}

#[test]
fn messages_speak_plain_english() {
    let internal =
        regex::Regex::new(r"\b(node|path|Option|Some|None|Value|V::|Unknown|Absent)\b|\{|\}")
            .unwrap();
    let money = regex::Regex::new(r"£\d{1,3}(,\d{3})*(\.\d{2})?\b").unwrap();
    let iso = regex::Regex::new(r"\d{4}-\d{2}-\d{2}").unwrap();
    for file in invalid_fixtures() {
        let r = check_fixture(&format!("fixtures/invalid/{file}"));
        for f in &r.findings {
            assert!(!internal.is_match(&f.message), "{file}: {}", f.message);
            assert!(
                !f.message.contains("(unreadable)") && !f.message.contains("(not given)"),
                "{file}: {}",
                f.message
            );
            for m in f.message.match_indices('£') {
                assert!(
                    money.is_match(&f.message[m.0..]),
                    "{file}: amount badly shown in {}",
                    f.message
                );
            }
            assert!(
                !iso.is_match(&f.message.replace("like 2025-04-01", "")),
                "{file}: ISO date in message: {}",
                f.message
            );
        }
    }
}
