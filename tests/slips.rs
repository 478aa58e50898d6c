//! Drafting slips (issue 13; format page, "Slips the reader must catch"): each slip applied to
//! a compliant agreement is caught through the real binary as a finding on the slip's own line,
//! with the id and severity expected, in plain words with the fix written out, and at most two
//! error or warning findings in all. A property test applies one slip at a random suitable place
//! of each compliant fixture.

mod common;
use common::*;

use proptest::prelude::*;
use s75lint::yaml::{explain, parse};
use serde_json::Value;

/// The parser's terms, which no message may use.
const PARSER_TERMS: &[&str] = &[
    "scalar",
    "mapping values",
    "simple key",
    "indicator",
    "flow context",
    "block context",
    "mapping",
    "sequence",
];

const BASE: &str = "fixtures/valid/bcf-pooled-fund.yaml";

fn base() -> String {
    std::fs::read_to_string(root().join(BASE)).unwrap()
}

/// `text` with `from` replaced once by `to`; panics when `from` is not there.
fn slip(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the agreement");
    text.replacen(from, to, 1)
}

/// The findings of the real binary on `text` (as `name`), as JSON.
fn run(name: &str, text: &str) -> Vec<Value> {
    let dir = tempdir();
    std::fs::write(dir.join(name), text).unwrap();
    let o = s75lint(&["check", name, "--today", TODAY, "--format", "json"], &dir);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON output");
    v["findings"].as_array().cloned().unwrap_or_default()
}

/// Message and help, without the lines of the help that repeat the agreement's own text (a
/// corrected line may quote words of the file).
fn words(f: &Value, text: &str) -> String {
    let help = f["help"].as_str().unwrap_or_default();
    let own: Vec<&str> = help
        .lines()
        .filter(|l| {
            !text
                .lines()
                .any(|t| !t.trim().is_empty() && l.contains(t.trim()))
        })
        .collect();
    format!(
        "{}\n{}",
        f["message"].as_str().unwrap_or_default(),
        own.join("\n")
    )
}

fn no_parser_terms(s: &str) {
    let lower = s.to_lowercase();
    for t in PARSER_TERMS {
        assert!(!lower.contains(t), "parser term {t:?} in: {s}");
    }
}

/// The 1-based line of the last line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .collect::<Vec<_>>()
        .iter()
        .rposition(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not found"))
        + 1
}

fn counted(fs: &[Value]) -> Vec<&Value> {
    fs.iter()
        .filter(|f| matches!(f["severity"].as_str(), Some("error" | "warning")))
        .collect()
}

/// Applies one slip and checks what the issue asks of its finding.
#[track_caller]
fn caught(text: &str, rule: &str, severity: &str, slip_line: &str, fix: &str) -> Value {
    let fs = run("agreement.yaml", text);
    let line = line_of(text, slip_line);
    let f = fs
        .iter()
        .find(|f| f["rule"] == rule && f["line"] == line)
        .unwrap_or_else(|| panic!("no {rule} on line {line}: {fs:#?}"))
        .clone();
    assert_eq!(f["severity"], severity, "{f:#}");
    let w = words(&f, text);
    no_parser_terms(&w);
    let all = format!(
        "{}\n{}",
        f["message"],
        f["help"].as_str().unwrap_or_default()
    );
    assert!(
        all.contains(fix),
        "the fix {fix:?} is not written out: {f:#}"
    );
    assert!(counted(&fs).len() <= 2, "more than two findings: {fs:#?}");
    f
}

// ---- Silent today: a legal value would change ----

#[test]
fn a_comma_amount_inside_braces_is_one_error_with_the_fix() {
    let t = slip(&base(), "amount: \"£41,920,000\"", "amount: 41,920,000");
    let f = caught(
        &t,
        "FMT-TYPE",
        "error",
        "amount: 41,920,000",
        "amount: \"£41,920,000\"",
    );
    assert!(
        f["message"].as_str().unwrap().contains("read as £41"),
        "{f:#}"
    );
    // Pence too, and a year-keyed total.
    let t = slip(&base(), "amount: \"£41,920,000\"", "amount: 41,920,000.99");
    caught(
        &t,
        "FMT-TYPE",
        "error",
        "41,920,000.99",
        "\"£41,920,000.99\"",
    );
    let t = slip(
        &base(),
        "{2025-26: \"£63,480,000\"}",
        "{2025-26: 63,480,000}",
    );
    caught(
        &t,
        "FMT-TYPE",
        "error",
        "{2025-26: 63,480,000}",
        "2025-26: \"£63,480,000\"",
    );
}

#[test]
fn a_hash_after_one_space_in_text_is_caught_at_the_hash() {
    let from = "capital_items: Equipment and adaptations";
    let t = slip(
        &base(),
        from,
        "capital_items: Equipment #12 and adaptations",
    );
    let f = caught(
        &t,
        "FMT-TYPE",
        "error",
        "Equipment #12",
        "capital_items: \"Equipment #12 and adaptations",
    );
    let line = t.lines().nth(line_of(&t, "Equipment #12") - 1).unwrap();
    assert_eq!(
        f["column"].as_u64().unwrap() as usize,
        line.find('#').unwrap() + 1
    );
    // Two spaces before the `#` make a note, which is not a finding.
    let t = slip(&base(), from, "capital_items: Equipment  # a note");
    assert!(counted(&run("a.yaml", &t)).is_empty());
}

#[test]
fn no_space_after_a_colon_inside_braces_names_the_missing_space() {
    let t = slip(
        &base(),
        "{partner: icb, year: 2025-26, amount: \"£41",
        "{partner:icb, year: 2025-26, amount: \"£41",
    );
    caught(&t, "FMT-TYPE", "error", "{partner:icb", "partner: icb");
}

#[test]
fn a_waiver_with_expiry_for_expires_is_invalid_at_the_key() {
    let t = format!(
        "{}waivers:\n  - rule: AC-VAT\n    reason: VAT advice awaited\n    approved_by: Head of Legal Services\n    expiry: 2026-03-31\n",
        base()
    );
    let f = caught(&t, "WAIVER-INVALID", "error", "expiry:", "`expires`");
    assert!(
        f["message"].as_str().unwrap().contains("no `expires` date"),
        "{f:#}"
    );
    // And a waiver without `expires` at all.
    let t = format!(
        "{}waivers:\n  - rule: AC-VAT\n    reason: VAT advice awaited\n    approved_by: Head of Legal Services\n",
        base()
    );
    caught(&t, "WAIVER-INVALID", "error", "- rule: AC-VAT", "`expires`");
}

#[test]
fn negative_notice_months_are_an_error() {
    let t = base();
    let line = t.lines().find(|l| l.contains("notice_months:")).unwrap();
    let t = slip(&t, line, "  notice_months: -3");
    caught(
        &t,
        "FMT-TYPE",
        "error",
        "notice_months: -3",
        "notice_months: 3",
    );
}

#[test]
fn an_undated_signature_does_not_count_as_signing() {
    let t = slip(
        &base(),
        "    role: Chief Executive\n    date: 2025-03-27\n",
        "    role: Chief Executive\n",
    );
    let f = caught(&t, "S75-SIGNED", "error", "  - partner: icb", "date");
    assert!(
        f["message"].as_str().unwrap().contains("has no date"),
        "{f:#}"
    );
}

#[test]
fn a_partner_signing_twice_is_a_duplicate_id_at_the_second() {
    let t = slip(
        &base(),
        "  - partner: icb\n    name: Dr",
        "  - partner: exc\n    name: Dr",
    );
    // The second of the two `- partner: exc` lines.
    caught(
        &t,
        "FMT-DUPLICATE-ID",
        "error",
        "  - partner: exc",
        "one signature per partner",
    );
}

#[test]
fn upper_case_extensions_are_agreements_when_walking_and_in_the_hook() {
    let dir = tempdir();
    std::fs::create_dir(dir.join("a")).unwrap();
    let bad = std::fs::read_to_string(root().join("fixtures/invalid/S75-HOST.yaml")).unwrap();
    std::fs::write(dir.join("a/AGREEMENT.YAML"), &bad).unwrap();
    std::fs::write(dir.join("a/other.Yml"), base()).unwrap();
    let o = s75lint(&["check", "a", "--today", TODAY], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("2 agreements checked"),
        "{}",
        stdout(&o)
    );
    let hook = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    assert!(hook.contains(r"files: (?i)\.ya?ml$"), "{hook}");
}

// ---- YAML syntax errors in plain words, at the slip ----

#[test]
fn a_colon_inside_unquoted_text_says_to_quote_it() {
    let t = slip(
        &base(),
        "    role: Chief Executive\n",
        "    role: Chief Executive: NHS Sussex\n",
    );
    caught(
        &t,
        "FMT-YAML",
        "error",
        "Executive: NHS",
        "    role: \"Chief Executive: NHS Sussex\"",
    );
}

#[test]
fn an_apostrophe_inside_single_quotes_says_to_double_it_or_use_double_quotes() {
    let title = base()
        .lines()
        .find(|l| l.starts_with("title: "))
        .unwrap()
        .to_string();
    let t = slip(&base(), &title, "title: 'The partners' agreement'");
    let f = caught(
        &t,
        "FMT-YAML",
        "error",
        "title: 'The",
        "title: \"The partners' agreement\"",
    );
    assert!(
        f["help"]
            .as_str()
            .unwrap()
            .contains("'The partners'' agreement'"),
        "{f:#}"
    );
}

#[test]
fn a_tab_used_for_indenting_points_at_the_tab() {
    let t = slip(&base(), "\n    kind: icb\n", "\n\tkind: icb\n");
    let f = caught(&t, "FMT-YAML", "error", "\tkind: icb", "    kind: icb");
    assert_eq!(f["column"], 1);
}

#[test]
fn no_space_after_a_colon_points_at_its_own_line() {
    let t = slip(&base(), "    name: Dr Marcus Obi", "    name:Dr Marcus Obi");
    caught(
        &t,
        "FMT-YAML",
        "error",
        "name:Dr",
        "    name: Dr Marcus Obi",
    );
}

#[test]
fn a_list_item_missing_its_dash_is_reported_once() {
    // A signature item: the second `partner` would be a duplicate key of the first item.
    let t = slip(&base(), "  - partner: icb\n", "    partner: icb\n");
    caught(
        &t,
        "FMT-DUPLICATE-KEY",
        "error",
        "    partner: icb",
        "  - partner: icb",
    );
    // A partner: its id would be lost, and every reference to it with it.
    let t = slip(&base(), "  - id: icb\n", "    id: icb\n");
    caught(
        &t,
        "FMT-DUPLICATE-KEY",
        "error",
        "    id: icb",
        "  - id: icb",
    );
    // At the dashes' own column the YAML does not read at all.
    let t = slip(&base(), "  - partner: icb\n", "  partner: icb\n");
    caught(
        &t,
        "FMT-YAML",
        "error",
        "  partner: icb",
        "  - partner: icb",
    );
}

#[test]
fn a_line_indented_too_far_or_too_little_says_where_it_belongs() {
    let t = slip(
        &base(),
        "    name: Dr Marcus Obi",
        "      name: Dr Marcus Obi",
    );
    let f = caught(
        &t,
        "FMT-YAML",
        "error",
        "      name: Dr",
        "    name: Dr Marcus Obi",
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("indented further than `partner`"),
        "{f:#}"
    );
    let t = slip(&base(), "    name: Dr Marcus Obi", "   name: Dr Marcus Obi");
    let f = caught(
        &t,
        "FMT-YAML",
        "error",
        "   name: Dr",
        "    name: Dr Marcus Obi",
    );
    assert!(
        f["message"].as_str().unwrap().contains("`signatures`"),
        "{f:#}"
    );
}

#[test]
fn unclosed_brackets_and_quotes_point_at_their_own_line() {
    let t = slip(
        &base(),
        "amount: \"£21,560,000\"}",
        "amount: \"£21,560,000\"",
    );
    caught(
        &t,
        "FMT-YAML",
        "error",
        "amount: \"£21,560,000\"",
        "amount: \"£21,560,000\"}",
    );
    let t = slip(
        &base(),
        "    name: Dr Marcus Obi",
        "    name: \"Dr Marcus Obi",
    );
    caught(
        &t,
        "FMT-YAML",
        "error",
        "name: \"Dr",
        "    name: \"Dr Marcus Obi\"",
    );
}

/// Every must-fail case of the YAML test suite is explained without the parser's terms.
#[test]
fn every_yaml_error_class_is_in_plain_words() {
    let dir = root().join("tests/yaml-test-suite");
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
    let mut n = 0;
    for l in manifest.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = l.splitn(5, '\t').collect();
        if f.len() < 5 || f[1] != "fail" {
            continue;
        }
        let src =
            std::fs::read_to_string(dir.join("cases").join(format!("{}.yaml", f[0]))).unwrap();
        let Err(e) = parse(&src) else { continue };
        let x = explain(&src, &e);
        let lower = x.message.to_lowercase();
        for t in PARSER_TERMS {
            assert!(!lower.contains(t), "{}: {t:?} in {:?}", f[0], x.message);
        }
        assert_ne!(
            x.message, "YAML cannot read the file from this point",
            "{}: {}",
            f[0], e.message
        );
        assert!(
            x.span.end <= src.len() && x.span.start <= x.span.end,
            "{}",
            f[0]
        );
        n += 1;
    }
    assert!(n > 80, "{n} cases");
}

// ---- Property: one slip at a random suitable place of each compliant fixture ----

/// Keys whose value is free text.
const TEXT_KEYS: &[&str] = &[
    "name",
    "role",
    "description",
    "board",
    "audit",
    "vat",
    "year_end",
    "assets",
    "liabilities",
    "service_users",
    "insurance_and_indemnity",
    "complaints",
    "disputes",
    "information_sharing",
    "capital_items",
    "contribution_variation",
    "improvement",
    "variation",
    "renewal",
    "title",
    "purpose",
    "measure",
    "source",
    "personal_budgets",
    "charging",
];

#[derive(Debug, Clone, Copy)]
enum Slip {
    Comma,
    Hash,
    Colon,
    Apostrophe,
    Tab,
    MissingDash,
    NoSpace,
}

/// The key of a block `key: value` line and where its value starts, with the line's indent.
fn key_value(line: &str) -> Option<(&str, usize)> {
    let body_at = line.len() - line.trim_start_matches([' ', '-']).len();
    let body = &line[body_at..];
    let c = body.find(": ")?;
    Some((&body[..c], body_at + c + 2))
}

/// Where `slip` can go in `text`: the lines (0-based) it suits.
fn places(text: &str, slip: Slip) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    (0..lines.len())
        .filter(|&i| {
            let l = lines[i];
            if l.trim_start().starts_with('#') || l.contains(" #") {
                return false;
            }
            let text_value = key_value(l).filter(|(k, at)| {
                TEXT_KEYS.contains(k)
                    && !l[*at..].starts_with(['"', '\'', '[', '{', '|', '>'])
                    && !l[*at..].contains(": ")
            });
            match slip {
                Slip::Comma => {
                    l.contains('{') && l.contains("amount: \"£") && {
                        let v = &l[l.find("amount: \"£").unwrap() + 11..];
                        let v = &v[..v.find('"').unwrap_or(0)];
                        v.contains(',') && v.bytes().all(|b| b.is_ascii_digit() || b == b',')
                    }
                }
                Slip::Hash | Slip::Colon | Slip::Apostrophe => {
                    text_value.is_some() && !l.contains('\'') && !l.contains('"')
                }
                Slip::NoSpace => text_value.is_some() && !l.trim_start().starts_with('-') && i > 0,
                Slip::Tab => {
                    l.starts_with("  ")
                        && !l.trim_start().starts_with('-')
                        && key_value(l).is_some()
                }
                Slip::MissingDash => {
                    // An item, not the first of its list, whose item above starts with the same key.
                    let Some(dash) = l.find("- ") else {
                        return false;
                    };
                    if !l[..dash].bytes().all(|b| b == b' ') || l[dash + 2..].starts_with('{') {
                        return false;
                    }
                    let Some((key, _)) = key_value(l) else {
                        return false;
                    };
                    let above = lines[..i].iter().rev().find(|p| {
                        let ind = p.len() - p.trim_start().len();
                        !p.trim().is_empty() && ind <= dash
                    });
                    above.is_some_and(|p| {
                        p.len() - p.trim_start().len() == dash
                            && p[dash..].starts_with(&format!("- {key}: "))
                    })
                }
            }
        })
        .collect()
}

fn apply(text: &str, slip: Slip, at: usize) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let l = lines[at].clone();
    lines[at] = match slip {
        Slip::Comma => {
            // From the opening quote: `"£`, the digits, the closing quote.
            let s = l.find("amount: \"£").unwrap() + 8;
            let close = s + 3 + l[s + 3..].find('"').unwrap();
            format!("{}{}{}", &l[..s], &l[s + 3..close], &l[close + 1..])
        }
        Slip::Hash => format!("{l} #12 and Schedule 4"),
        Slip::Colon => {
            let (_, v) = key_value(&l).unwrap();
            format!("{}Note: {}", &l[..v], &l[v..])
        }
        Slip::Apostrophe => {
            let (_, v) = key_value(&l).unwrap();
            format!("{}'The partners' {}'", &l[..v], &l[v..])
        }
        Slip::NoSpace => {
            let (_, v) = key_value(&l).unwrap();
            format!("{}{}", &l[..v - 1], &l[v..])
        }
        Slip::Tab => format!("\t{}", l.trim_start()),
        Slip::MissingDash => l.replacen("- ", "  ", 1),
    };
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn valid_fixtures() -> &'static [(String, String)] {
    static F: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    F.get_or_init(|| {
        let mut v: Vec<(String, String)> = std::fs::read_dir(root().join("fixtures/valid"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                (
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 160,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// One slip of any class, at a random suitable place of any compliant fixture: a finding at
    /// error or warning level on the slip's line (within two lines for indentation), and no more
    /// than two error or warning findings in all.
    #[test]
    fn one_slip_anywhere_is_one_finding_at_the_slip(
        which in any::<usize>(),
        class in 0usize..7,
        pick in any::<usize>(),
    ) {
        let slip = [Slip::Comma, Slip::Hash, Slip::Colon, Slip::Apostrophe, Slip::Tab,
            Slip::MissingDash, Slip::NoSpace][class];
        let fixtures = valid_fixtures();
        let (name, text) = &fixtures[which % fixtures.len()];
        let places = places(text, slip);
        prop_assume!(!places.is_empty());
        let at = places[pick % places.len()];
        let slipped = apply(text, slip, at);
        let report = s75lint::check_source(name, &slipped, rules(), &opts());
        let hits = hits(&report);
        let counted: Vec<_> = hits
            .iter()
            .filter(|h| matches!(h.severity, s75lint::Severity::Error | s75lint::Severity::Warning))
            .collect();
        let line = at + 1;
        let near = if matches!(slip, Slip::Tab) { 2 } else { 0 };
        prop_assert!(
            counted.iter().any(|h| h.line.abs_diff(line) <= near),
            "{slip:?} at {name}:{line}: {:?}\n{}", hits, slipped.lines().nth(at).unwrap_or("")
        );
        prop_assert!(counted.len() <= 2, "{slip:?} at {name}:{line}: {hits:#?}");
    }
}

// ---- Explained badly before ----

#[test]
fn values_that_are_not_read_are_explained_with_the_form_meant() {
    let c = "commencement: 2025-04-01";
    for (to, said, fix) in [
        (
            "commencement: \u{2018}2025-04-01\u{2019}",
            "curly quotes",
            "commencement: 2025-04-01",
        ),
        (
            "commencement: 2025-02-30",
            "does not exist: February 2025 has 28 days",
            "like 2025-04-01",
        ),
        (
            "commencement: 01/04/2025",
            "year first",
            "commencement: 2025-04-01` (1 April 2025)",
        ),
        (
            "commencement: 1st April 2025",
            "year first",
            "commencement: 2025-04-01` (1 April 2025)",
        ),
    ] {
        let t = slip(&base(), c, to);
        let f = caught(&t, "FMT-TYPE", "error", to, fix);
        assert!(f["message"].as_str().unwrap().contains(said), "{f:#}");
    }
    for (to, fix) in [
        ("\"£1,5m\"", "amount: \"£1.5m\""),
        ("\"1.5 million\"", "amount: \"£1.5m\""),
    ] {
        let t = slip(&base(), "\"£41,920,000\"", to);
        let f = caught(&t, "FMT-TYPE", "error", to, fix);
        assert!(f["help"].as_str().unwrap().contains("\"£850k\""), "{f:#}");
    }
    let t = slip(&base(), "target: {value: 95, unit: percent}", "target: 95%");
    caught(
        &t,
        "FMT-TYPE",
        "error",
        "target: 95%",
        "target: {value: 95, unit: percent}",
    );
}

#[test]
fn a_look_alike_letter_in_a_key_is_named_and_the_missing_key_points_back() {
    let t = slip(
        &base(),
        "    host: exc\n    pool_manager:",
        "    h\u{43e}st: exc\n    pool_manager:",
    );
    let f = caught(&t, "FMT-UNKNOWN-KEY", "error", "h\u{43e}st: exc", "`host`");
    assert!(
        f["message"].as_str().unwrap().contains("looks like `o`"),
        "{f:#}"
    );
    let fs = run("a.yaml", &t);
    let host = fs
        .iter()
        .find(|f| f["rule"] == "S75-HOST")
        .expect("S75-HOST");
    let line = line_of(&t, "h\u{43e}st: exc");
    assert!(
        host["help"]
            .as_str()
            .unwrap()
            .contains(&format!("at line {line} may be meant as this")),
        "{host:#}"
    );
}

#[test]
fn a_misspelt_required_key_names_the_near_miss_and_its_line() {
    let t = slip(&base(), "\nexit_strategy:", "\nexit_stratgy:");
    let line = line_of(&t, "exit_stratgy:");
    let fs = run("a.yaml", &t);
    let missing = fs
        .iter()
        .find(|f| f["rule"] == "S75-EXIT-STRATEGY")
        .expect("missing-key finding");
    assert!(
        missing["help"].as_str().unwrap().contains(&format!(
            "`exit_stratgy` at line {line} may be meant as this"
        )),
        "{missing:#}"
    );
    assert!(counted(&fs).len() <= 2, "{fs:#?}");
}

#[test]
fn unknown_key_locations_name_items_by_id() {
    // The key is written before the item's `id`.
    let t = slip(&base(), "  - id: ICES\n", "  - x_note: a\n    id: ICES\n");
    let fs = run("a.yaml", &t);
    let f = fs
        .iter()
        .find(|f| f["rule"] == "FMT-UNKNOWN-KEY")
        .expect("unknown key");
    assert_eq!(f["location"], "schemes[ICES].x_note", "{f:#}");
}

// ---- Terminal ----

/// Human output at the width given (`None`: no `COLUMNS`, output not a terminal).
fn human(columns: Option<&str>, file: &str) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_s75lint"));
    cmd.args(["check", file, "--today", TODAY])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS");
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

#[test]
fn human_output_fits_the_width_breaks_only_between_words_and_spaces_findings() {
    let file = "fixtures/invalid/S75-PARTIES--no-council.yaml";
    for (columns, width) in [(None, 80), (Some("80"), 80), (Some("120"), 120)] {
        let out = human(columns, file);
        for l in out.lines() {
            // Lines of the agreement itself are shown as written.
            let snippet = l
                .trim_start()
                .split_once(['│', '·'])
                .is_some_and(|(n, _)| n.trim().chars().all(|c| c.is_ascii_digit()));
            if !snippet && !l.contains('╭') {
                assert!(
                    l.chars().count() <= width,
                    "wider than {width}: {l:?}\n{out}"
                );
            }
        }
        // No word is broken: every word of each message is found whole.
        let words: Vec<&str> = out.split_whitespace().collect();
        for f in run(
            "a.yaml",
            &std::fs::read_to_string(root().join(file)).unwrap(),
        ) {
            for w in f["message"].as_str().unwrap().split_whitespace() {
                assert!(words.contains(&w), "{w:?} broken in:\n{out}");
            }
        }
    }
    // A blank line between findings.
    let dir = tempdir();
    let t = slip(&base(), "amount: \"£41,920,000\"", "amount: 41,920,000");
    let t = slip(
        &t,
        "capital_items: Equipment and",
        "capital_items: Equipment #1 and",
    );
    std::fs::write(dir.join("two.yaml"), t).unwrap();
    let out = human(Some("80"), dir.join("two.yaml").to_str().unwrap());
    let starts: Vec<usize> = out
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("S75-") || l.starts_with("FMT-"))
        .map(|(i, _)| i)
        .collect();
    assert!(starts.len() >= 2, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    for &i in &starts[1..] {
        assert_eq!(lines[i - 1], "", "{out}");
    }
}
