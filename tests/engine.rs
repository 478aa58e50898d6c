//! The core engine end to end: the shipped valid agreements are clean, each seeded defect gives
//! exactly one finding at the right place, and format problems are located findings.

mod common;
use common::*;
use s75lint::Severity::{Error, Warning};

#[test]
fn valid_fixtures_have_no_findings() {
    let dir = root().join("fixtures/valid");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let rel = format!(
            "fixtures/valid/{}",
            p.file_name().unwrap().to_string_lossy()
        );
        let r = check_fixture(&rel);
        assert!(r.checked, "{rel} was not checked");
        assert_eq!(hits(&r), vec![], "{rel}");
        n += 1;
    }
    assert!(n >= 5, "at least five valid fixtures, found {n}");
}

#[test]
fn missing_host_points_at_the_pool() {
    let r = check_fixture("fixtures/invalid/S75-HOST.yaml");
    let h = hits(&r);
    assert_eq!(h.len(), 1, "{h:#?}");
    assert_eq!(
        (h[0].rule.as_str(), h[0].severity, h[0].line, h[0].col),
        ("S75-HOST", Error, 48, 5)
    );
    // The pool's mapping, from its first key (whose line also carries the fixture's marker).
    assert!(
        h[0].text.starts_with("id: BCF")
            && h[0]
                .text
                .contains("\n    name: Exampleshire Better Care Fund pooled fund\n"),
        "{}",
        h[0].text
    );
    assert!(
        h[0].text
            .ends_with("shared on exit pro rata to contributions"),
        "{}",
        h[0].text
    );
    assert_eq!(h[0].message, "pool BCF names no host partner");
}

#[test]
fn late_signature_points_at_its_date() {
    let r = check_fixture("fixtures/invalid/S75-SIGNED-BEFORE-START.yaml");
    let h = assert_one(&r, "S75-SIGNED-BEFORE-START", Error, 29, 11, "2025-04-03");
    assert_eq!(
        h.message,
        "NHS Exampleshire and Borders Integrated Care Board signed on 3 April 2025, after the arrangement started on 1 April 2025"
    );
}

#[test]
fn pooled_total_mismatch_points_at_the_total() {
    let r = check_fixture("fixtures/invalid/FIN-POOLED-TOTAL.yaml");
    let h = assert_one(&r, "FIN-POOLED-TOTAL", Error, 59, 29, "\"£63,500,000\"");
    assert!(
        h.message.contains("£63,500,000") && h.message.contains("£63,480,000"),
        "{}",
        h.message
    );
}

#[test]
fn risk_share_not_100_points_at_the_shares() {
    let r = check_fixture("fixtures/invalid/FIN-RISK-SHARE.yaml");
    let h = assert_one(&r, "FIN-RISK-SHARE", Error, 61, 18, "{icb: 66, exc: 44}");
    assert_eq!(
        h.message,
        "overspend shares in pool BCF add up to 110%, not 100%"
    );
}

#[test]
fn bad_yaml_is_one_located_finding() {
    let r = check_fixture("fixtures/invalid/FMT-YAML.yaml");
    let h = hits(&r);
    assert_eq!(h.len(), 1, "{h:#?}");
    assert_eq!((h[0].rule.as_str(), h[0].severity), ("FMT-YAML", Error));
    assert!(h[0].line > 30 && h[0].line < 40, "{h:#?}");
}

#[test]
fn wrong_type_names_field_and_value() {
    let r = check_fixture("fixtures/invalid/FMT-TYPE.yaml");
    let h = assert_one(&r, "FMT-TYPE", Error, 7, 15, "April 2025");
    assert_eq!(
        h.message,
        "`commencement` must be a date like 2025-04-01, found `April 2025`"
    );
}

#[test]
fn duplicate_key_labels_both_places() {
    let r = check_fixture("fixtures/invalid/FMT-DUPLICATE-KEY.yaml");
    assert_one(&r, "FMT-DUPLICATE-KEY", Error, 9, 1, "end");
    let f = &r.findings[0];
    assert_eq!(f.labels.len(), 1);
    assert_eq!(
        &r.source[f.labels[0].span.start..f.labels[0].span.end],
        "end"
    );
    assert_eq!(s75lint::line_col(&r.source, f.labels[0].span.start), (8, 1));
}

#[test]
fn unknown_reference_suggests_nearest_id() {
    let r = check_fixture("fixtures/invalid/FMT-UNKNOWN-REF.yaml");
    assert_one(&r, "FMT-UNKNOWN-REF", Error, 26, 14, "icbb");
    assert!(r.findings[0]
        .help
        .as_deref()
        .unwrap_or("")
        .contains("Did you mean `icb`?"));
}

#[test]
fn unknown_key_is_a_warning_with_suggestion() {
    let src =
        std::fs::read_to_string(root().join("fixtures/valid/section-256-grant.yaml")).unwrap();
    let src = src.replacen("\ntitle:", "\nx-internal-ref: 42\ntittle:", 1);
    let r = check_text(&src);
    let h: Vec<_> = hits(&r)
        .into_iter()
        .filter(|h| h.rule == "FMT-UNKNOWN-KEY")
        .collect();
    assert_eq!(h.len(), 1, "{h:#?}");
    assert_eq!((h[0].severity, h[0].text.as_str()), (Warning, "tittle"));
    assert_eq!(h[0].message, "unknown key `tittle`; did you mean `title`?");
}

#[test]
fn placeholder_in_a_date_is_a_type_error_and_silences_date_rules() {
    let src = std::fs::read_to_string(root().join("fixtures/valid/bcf-pooled-fund.yaml")).unwrap();
    let src = src.replacen("commencement: 2025-04-01", "commencement: TBC", 1);
    let r = check_text(&src);
    let h = assert_one(&r, "FMT-TYPE", Error, 7, 15, "TBC");
    assert!(h.message.contains("placeholder"), "{}", h.message);
}

#[test]
fn anchors_and_aliases_resolve() {
    let src = std::fs::read_to_string(root().join("fixtures/valid/bcf-pooled-fund.yaml")).unwrap();
    let src = src
        .replacen(
            "    overspend: {icb: 66, exc: 34}",
            "    overspend: &shares {icb: 66, exc: 34}",
            1,
        )
        .replacen(
            "    underspend: {icb: 66, exc: 34}",
            "    underspend: *shares",
            1,
        );
    assert_eq!(hits(&check_text(&src)), vec![]);
}

#[test]
fn merge_keys_are_rejected_at_the_key() {
    let src =
        std::fs::read_to_string(root().join("fixtures/valid/section-256-grant.yaml")).unwrap();
    let src = src.replacen(
        "terms:\n",
        "x-defaults: &d\n  complaints: Each partner's own procedure\nterms:\n  <<: *d\n",
        1,
    );
    let r = check_text(&src);
    let h: Vec<_> = hits(&r)
        .into_iter()
        .filter(|h| h.rule == "FMT-YAML")
        .collect();
    assert_eq!(h.len(), 1, "{:#?}", hits(&r));
    assert_eq!((h[0].severity, h[0].text.as_str()), (Error, "<<"));
    assert!(
        h[0].message.contains("merge keys (`<<`) are not supported"),
        "{}",
        h[0].message
    );
}

#[test]
fn money_forms_are_read_to_the_penny() {
    let src = std::fs::read_to_string(root().join("fixtures/valid/bcf-pooled-fund.yaml")).unwrap();
    // The same total written four ways still equals the contributions.
    for total in [
        "\"£63,480,000\"",
        "63480000",
        "63480000.00",
        "\"£63.48m\"",
        "\"£63480k\"",
    ] {
        let s = src.replacen(
            "pooled_total: {2025-26: \"£63,480,000\"}",
            &format!("pooled_total: {{2025-26: {total}}}"),
            1,
        );
        assert_eq!(hits(&check_text(&s)), vec![], "{total}");
    }
    let s = src.replacen(
        "pooled_total: {2025-26: \"£63,480,000\"}",
        "pooled_total: {2025-26: \"£63,480,000.01\"}",
        1,
    );
    let h = hits(&check_text(&s));
    assert_eq!(h.len(), 1);
    assert!(h[0].message.contains("£63,480,000.01"), "{}", h[0].message);
    let s = src.replacen(
        "pooled_total: {2025-26: \"£63,480,000\"}",
        "pooled_total: {2025-26: \"sixty million\"}",
        1,
    );
    let h = hits(&check_text(&s));
    assert_eq!(
        (h.len(), h[0].rule.as_str(), h[0].text.as_str()),
        (1, "FMT-TYPE", "\"sixty million\"")
    );
}
