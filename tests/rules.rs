//! The shipped rule set: every rule has an invalid fixture that yields exactly that rule, at
//! the right place; every valid fixture yields nothing; every catalogue id has a rule.

mod common;
use common::*;
use s75lint::Severity::{self, Error, Info, Warning};
use std::collections::BTreeSet;

/// Each invalid fixture's findings: file, rule, severity, start (line, column), end (line,
/// column), and the first line of the underlined text. Fixtures are named `RULE.yaml` or
/// `RULE--variant.yaml` after the rule they break.
type Expected = (
    &'static str,
    &'static str,
    Severity,
    (usize, usize),
    (usize, usize),
    &'static str,
);

#[rustfmt::skip]
const EXPECTED: &[Expected] = &[
    ("AC-ALIGNED-AGREEMENT.yaml", "AC-ALIGNED-AGREEMENT", Warning, (89, 3), (89, 73), "vat: Each partner's own VAT regime applies to its own aligned spending"),
    ("AC-ANNUAL-REVIEW.yaml", "AC-ANNUAL-REVIEW", Warning, (45, 9), (45, 19), "2025-09-30"),
    ("AC-CAPITAL-ITEMS.yaml", "AC-CAPITAL-ITEMS", Warning, (48, 5), (62, 37), "id: BCF"),
    ("AC-COMPLAINTS.yaml", "AC-COMPLAINTS", Warning, (168, 3), (170, 85), "insurance_and_indemnity: Each partner keeps its own insurance and indemnifies the other for its own negligence"),
    ("AC-DISPUTES.yaml", "AC-DISPUTES", Warning, (168, 3), (170, 85), "insurance_and_indemnity: Each partner keeps its own insurance and indemnifies the other for its own negligence"),
    ("AC-EXPIRING.yaml", "AC-EXPIRING", Info, (8, 6), (8, 16), "2026-01-15"),
    ("AC-GOVERNANCE.yaml", "AC-GOVERNANCE", Warning, (37, 3), (40, 80), "reporting:"),
    ("AC-INDEMNITY.yaml", "AC-INDEMNITY", Warning, (168, 3), (170, 85), "complaints: Each partner's complaints procedure applies, with a joint response within 20 working days where both are involved"),
    ("AC-INFORMATION-SHARING.yaml", "AC-INFORMATION-SHARING", Warning, (168, 3), (170, 83), "insurance_and_indemnity: Each partner keeps its own insurance and indemnifies the other for its own negligence"),
    ("AC-JOINT-POSTS.yaml", "AC-JOINT-POSTS", Warning, (174, 5), (175, 127), "arrangement: section_113"),
    ("AC-MISLABELLED-POOL.yaml", "AC-MISLABELLED-POOL", Warning, (56, 7), (57, 52), "- {partner: icb, year: 2025-26, amount: \"£41,920,000\"}"),
    ("AC-OUTCOME-ACCOUNTABLE.yaml", "AC-OUTCOME-ACCOUNTABLE", Warning, (125, 9), (129, 18), "measure: Carers receiving an assessment or review in the year"),
    ("AC-OUTCOME-MEASURABLE.yaml", "AC-OUTCOME-MEASURABLE", Warning, (125, 9), (129, 50), "measure: Carers receiving an assessment or review in the year"),
    ("AC-VAT.yaml", "AC-VAT", Warning, (157, 3), (157, 133), "year_end: Underspends are carried forward in the pool; overspends are shared per risk_share after the pool manager's recovery plan"),
    ("AGR-EXPIRED.yaml", "AGR-EXPIRED", Error, (8, 6), (8, 16), "2025-10-15"),
    ("AGR-PLACEHOLDER--draft.yaml", "AGR-PLACEHOLDER", Warning, (41, 10), (41, 28), "\"[insert auditor]\""),
    ("AGR-PLACEHOLDER.yaml", "AGR-PLACEHOLDER", Error, (41, 10), (41, 13), "TBC"),
    ("BCF-HWB-APPROVAL.yaml", "BCF-HWB-APPROVAL", Warning, (182, 3), (182, 16), "year: 2025-26"),
    ("BCF-POOLED-FUND.yaml", "BCF-POOLED-FUND", Error, (14, 3), (19, 20), "- id: exc"),
    ("FIN-ALLOCATION.yaml", "FIN-ALLOCATION", Error, (70, 27), (70, 34), "\"£5.2m\""),
    ("FIN-POOLED-TOTAL.yaml", "FIN-POOLED-TOTAL", Error, (59, 29), (59, 42), "\"£63,500,000\""),
    ("FIN-RISK-SHARE.yaml", "FIN-RISK-SHARE", Error, (61, 18), (61, 36), "{icb: 66, exc: 44}"),
    ("FMT-DUPLICATE-ID.yaml", "FMT-DUPLICATE-ID", Error, (20, 9), (20, 12), "scc"),
    ("FMT-DUPLICATE-KEY.yaml", "FMT-DUPLICATE-KEY", Error, (9, 1), (9, 4), "end"),
    ("FMT-TYPE.yaml", "FMT-TYPE", Error, (7, 15), (7, 25), "April 2025"),
    ("FMT-UNKNOWN-KEY.yaml", "S75-EXIT-STRATEGY", Error, (2, 1), (183, 27), "s75lint: 1"),
    ("FMT-UNKNOWN-KEY.yaml", "FMT-UNKNOWN-KEY", Warning, (160, 1), (160, 13), "exit_stratgy"),
    ("FMT-UNKNOWN-REF.yaml", "FMT-UNKNOWN-REF", Error, (26, 14), (26, 18), "icbb"),
    ("FMT-VERSION.yaml", "FMT-VERSION", Error, (2, 10), (2, 11), "2"),
    ("FMT-YAML.yaml", "FMT-YAML", Error, (36, 11), (36, 12), ":"),
    ("PB-CHARGING.yaml", "PB-CHARGING", Warning, (2, 1), (182, 27), "s75lint: 1"),
    ("PB-PERSONAL-BUDGETS.yaml", "PB-PERSONAL-BUDGETS", Warning, (2, 1), (182, 27), "s75lint: 1"),
    ("S75-AIMS-OUTCOMES.yaml", "S75-AIMS-OUTCOMES", Error, (112, 5), (129, 38), "id: CARERS"),
    ("S75-COMMISSIONING-PROVIDER-SPLIT.yaml", "S75-COMMISSIONING-PROVIDER-SPLIT", Error, (92, 33), (92, 53), "integrated_provision"),
    ("S75-CONSULTATION.yaml", "S75-CONSULTATION", Error, (33, 9), (33, 19), "2025-03-26"),
    ("S75-CONTRIBUTIONS--variation.yaml", "S75-CONTRIBUTIONS", Error, (48, 5), (62, 144), "id: BCF"),
    ("S75-CONTRIBUTIONS.yaml", "S75-CONTRIBUTIONS", Error, (101, 7), (102, 62), "- {partner: nwicb, year: 2025-26, amount: \"£1,380,000\"}"),
    ("S75-DURATION.yaml", "S75-DURATION", Error, (2, 1), (182, 27), "s75lint: 1"),
    ("S75-EXCLUDED-FUNCTION.yaml", "S75-EXCLUDED-FUNCTION", Error, (142, 35), (142, 46), "Day surgery"),
    ("S75-EXIT-STRATEGY.yaml", "S75-EXIT-STRATEGY", Error, (161, 3), (164, 58), "notice_months: 6"),
    ("S75-FUNCTIONS.yaml", "S75-FUNCTIONS", Error, (73, 7), (73, 99), "nhs: [\"NHS Act 2006 s3(1)(e): community health services (equipment for people who are ill)\"]"),
    ("S75-HOST.yaml", "S75-HOST", Error, (48, 5), (62, 144), "id: BCF"),
    ("S75-IMPROVEMENT.yaml", "S75-IMPROVEMENT", Error, (2, 1), (182, 27), "s75lint: 1"),
    ("S75-LEGAL-BASIS.yaml", "S75-LEGAL-BASIS", Error, (50, 19), (50, 48), "[aligned_budget, pooled_fund]"),
    ("S75-NON-FINANCIAL.yaml", "S75-NON-FINANCIAL", Error, (112, 5), (130, 50), "id: CARERS"),
    ("S75-PARTIES--no-council.yaml", "S75-PARTIES", Error, (14, 3), (19, 14), "- id: exc"),
    ("S75-PARTIES.yaml", "S75-PARTIES", Error, (19, 11), (19, 14), "ccg"),
    ("S75-PERSONS-SERVICES.yaml", "S75-PERSONS-SERVICES", Error, (112, 5), (130, 38), "id: CARERS"),
    ("S75-POOL-LINK.yaml", "S75-POOL-LINK", Error, (112, 5), (130, 38), "id: CARERS"),
    ("S75-POOL-MANAGER.yaml", "S75-POOL-MANAGER", Error, (54, 16), (54, 19), "icb"),
    ("S75-REPORTING.yaml", "S75-REPORTING", Error, (39, 16), (39, 22), "annual"),
    ("S75-SIGNED-BEFORE-START.yaml", "S75-SIGNED-BEFORE-START", Error, (29, 11), (29, 21), "2025-04-03"),
    ("S75-SIGNED.yaml", "S75-SIGNED", Error, (17, 5), (19, 14), "id: icb"),
    ("S75-VARIATION.yaml", "S75-VARIATION", Error, (2, 1), (182, 27), "s75lint: 1"),
];

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

#[test]
fn every_invalid_fixture_gives_exactly_the_expected_findings() {
    for file in invalid_fixtures() {
        let r = check_fixture(&format!("fixtures/invalid/{file}"));
        let mut got: Vec<_> = r
            .findings
            .iter()
            .map(|f| {
                let start = s75lint::agreement::yaml::line_col(&r.source, f.span.start);
                let end = s75lint::agreement::yaml::line_col(&r.source, f.span.end);
                let first = r.source[f.span.start..f.span.end]
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string();
                (f.rule.clone(), f.severity, start, end, first)
            })
            .collect();
        got.sort_by(|a, b| a.0.cmp(&b.0));
        let mut want: Vec<_> = EXPECTED
            .iter()
            .filter(|e| e.0 == file)
            .map(|e| (e.1.to_string(), e.2, e.3, e.4, e.5.to_string()))
            .collect();
        want.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(!want.is_empty(), "{file}: no expectation written for it");
        assert_eq!(got, want, "{file}");
        assert!(
            got.iter().any(|g| g.0 == rule_of(&file)),
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
