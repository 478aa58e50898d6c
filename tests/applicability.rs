//! Rules run only where they apply, and one mistake gives one finding (no cascades).

mod common;
use common::*;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(root().join("fixtures/valid").join(name)).unwrap()
}

fn ids(src: &str) -> Vec<String> {
    let mut v: Vec<String> = check_text(src)
        .findings
        .iter()
        .map(|f| f.rule.clone())
        .collect();
    v.sort();
    v
}

fn edit(src: &str, old: &str, new: &str) -> String {
    assert!(src.contains(old), "fixture lacks {old:?}");
    src.replacen(old, new, 1)
}

/// Removes a top-level section (up to the next blank line or the end of the file).
fn without(src: &str, key: &str) -> String {
    let start = src.find(&format!("\n{key}:")).unwrap() + 1;
    let end = src[start..]
        .find("\n\n")
        .map_or(src.len(), |e| start + e + 2);
    format!("{}{}", &src[..start], &src[end..])
}

fn without_signatures(src: &str) -> String {
    without(src, "signatures")
}

#[test]
fn a_draft_starting_in_future_is_not_told_it_is_unsigned() {
    let src = edit(
        &fixture("section-256-grant.yaml"),
        "legal_basis: section_256",
        "legal_basis: section_75",
    );
    let src = without_signatures(&edit(&src, "status: signed", "status: draft"));
    let future = edit(&src, "commencement: 2025-04-01", "commencement: 2026-04-01");
    assert!(
        !ids(&future).contains(&"S75-SIGNED".to_string()),
        "{:?}",
        ids(&future)
    );
    // The same draft, already started, is in force and must be signed by both partners.
    let started = ids(&src);
    assert_eq!(
        started.iter().filter(|r| *r == "S75-SIGNED").count(),
        2,
        "{started:?}"
    );
}

#[test]
fn a_section_256_grant_is_not_asked_for_section_75_terms() {
    let src = fixture("section-256-grant.yaml");
    let bare = without(&src, "exit_strategy");
    assert_eq!(
        ids(&bare),
        Vec::<String>::new(),
        "no exit strategy, host or pool demanded of a grant"
    );
}

#[test]
fn a_section_256_grant_with_delegated_staff_functions_breaks_the_legal_basis() {
    let src = fixture("section-256-grant.yaml");
    let src = format!(
        "{src}\nstaff:\n  - arrangement: secondment\n    description: ICB discharge lead seconded to the council\n    delegated_functions: [Care Act 2014 s9 assessments]\n"
    );
    assert_eq!(ids(&src), vec!["S75-LEGAL-BASIS"]);
}

#[test]
fn better_care_fund_rules_run_only_with_bcf() {
    let src = edit(
        &fixture("bcf-pooled-fund.yaml"),
        "kind: icb",
        "kind: nhs_trust",
    );
    assert_eq!(ids(&src), vec!["BCF-POOLED-FUND"]);
    let no_bcf = without(&src, "bcf");
    assert_eq!(ids(&no_bcf), Vec::<String>::new());
}

#[test]
fn an_aligned_budget_gets_advice_not_pooled_fund_errors() {
    let src = without_signatures(&fixture("aligned-budget.yaml"));
    let got = ids(&src);
    assert!(
        !got.is_empty() && got.iter().all(|r| r == "AC-ALIGNED-AGREEMENT"),
        "{got:?}"
    );
}

#[test]
fn an_unknown_contributor_silences_the_pool_arithmetic() {
    let src = edit(
        &fixture("bcf-pooled-fund.yaml"),
        "{partner: exc, year: 2025-26, amount: \"£21,560,000\"}",
        "{partner: exz, year: 2025-26, amount: \"£21,560,000\"}",
    );
    let r = check_text(&src);
    let h = assert_one(
        &r,
        "FMT-UNKNOWN-REF",
        s75lint::Severity::Error,
        57,
        19,
        "exz",
    );
    assert!(
        r.findings[0]
            .help
            .as_deref()
            .unwrap()
            .contains("Did you mean `exc`?"),
        "{h:?}"
    );
}

#[test]
fn a_bad_signature_date_is_reported_once() {
    let src = edit(
        &fixture("bcf-pooled-fund.yaml"),
        "date: 2025-03-25",
        "date: 25/03/2025",
    );
    let r = check_text(&src);
    assert_one(
        &r,
        "FMT-TYPE",
        s75lint::Severity::Error,
        25,
        11,
        "25/03/2025",
    );
}

#[test]
fn a_pool_without_a_host_gets_only_the_host_finding() {
    let src = edit(
        &fixture("care-trust.yaml"),
        "    host: ",
        "    x-was-host: ",
    );
    assert_eq!(ids(&src), vec!["S75-HOST"]);
}

#[test]
fn placeholder_in_required_text_is_reported_once() {
    let src = fixture("lead-commissioning-ld.yaml");
    let line = src.lines().find(|l| l.starts_with("improvement:")).unwrap();
    let src = edit(&src, line, "improvement: TBC");
    assert_eq!(ids(&src), vec!["AGR-PLACEHOLDER"]);
}

#[test]
fn a_gp_surgery_is_premises_not_an_excluded_treatment() {
    let src = edit(
        &fixture("bcf-pooled-fund.yaml"),
        "services: [Community nursing,",
        "services: [Clinics held in GP surgeries, Community nursing,",
    );
    assert_eq!(ids(&src), Vec::<String>::new());
    let src = edit(
        &src,
        "Clinics held in GP surgeries",
        "Minor surgical procedures",
    );
    assert_eq!(ids(&src), vec!["S75-EXCLUDED-FUNCTION"]);
}

#[test]
fn rolling_agreements_need_a_review_and_this_year_s_contributions() {
    let src = edit(
        &fixture("bcf-pooled-fund.yaml"),
        "end: 2026-03-31",
        "rolling: true",
    );
    // Today (1 November 2025) is in 2025-26, the year with contributions: nothing to report.
    assert_eq!(ids(&src), Vec::<String>::new());
    let no_review = without(&src, "review");
    assert_eq!(ids(&no_review), vec!["S75-DURATION"]);
}
