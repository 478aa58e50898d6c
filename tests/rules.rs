//! The shipped rule set: every rule has an invalid fixture that yields exactly that rule, at
//! the place its `# expect:` markers give; every valid fixture yields nothing; every catalogue id
//! has a rule.

mod common;
use common::*;
use s75lint::rule_tests::{expectations, extent_of, Expect};
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

/// One requirement of the catalogue page (docs/catalogue.md): its id, its default severity (the
/// first word of the column: AGR-PLACEHOLDER's is "error (warning while `status: draft`)"), and
/// the rule implementing it, if any.
struct Requirement {
    id: String,
    severity: String,
    rule: Option<String>,
}

/// The requirement rows of a catalogue table in markdown: `| ID | severity | ...`, with the last
/// column giving the rule when `with_rule`.
fn requirements(text: &str, with_rule: bool) -> Vec<Requirement> {
    let row =
        regex::Regex::new(r"(?m)^\| ([A-Z0-9]+(?:-[A-Z0-9]+)+) \| ([a-z]+)[^|]*\|.*\| ([^|]+) \|$")
            .unwrap();
    let link = regex::Regex::new(r"^\[([A-Z0-9-]+)\]\(rules\.md#([a-z0-9-]+)\)$").unwrap();
    row.captures_iter(text)
        .map(|c| {
            let rule = with_rule.then(|| c[3].trim()).and_then(|cell| {
                if cell == "not yet implemented" {
                    return None;
                }
                let l = link
                    .captures(cell)
                    .unwrap_or_else(|| panic!("{}: the rule column says `{cell}`", &c[1]));
                assert_eq!(l[1].to_lowercase(), l[2], "{}: link anchor", &c[1]);
                Some(l[1].to_string())
            });
            Requirement {
                id: c[1].to_string(),
                severity: c[2].to_string(),
                rule,
            }
        })
        .collect()
}

/// The catalogue page shipped with the repository.
fn catalogue() -> Vec<Requirement> {
    let text = std::fs::read_to_string(root().join("docs/catalogue.md")).unwrap();
    requirements(&text, true)
}

#[test]
fn every_catalogue_requirement_maps_to_a_rule_with_its_default_severity() {
    let page = catalogue();
    assert!(page.len() >= 40, "catalogue parsed: {} rows", page.len());
    let reference = std::fs::read_to_string(root().join("docs/rules.md")).unwrap();
    let rs = rules();
    for req in &page {
        let Some(id) = &req.rule else { continue };
        let rule = rs.get(id).unwrap_or_else(|| {
            panic!(
                "catalogue requirement {} names rule {id}, which does not exist",
                req.id
            )
        });
        assert_eq!(
            id, &req.id,
            "a requirement is implemented by the rule of the same id"
        );
        assert_eq!(rule.severity.as_str(), req.severity, "{id}");
        assert!(
            !rule.citations.is_empty() && rule.help.is_some() && rule.why.is_some(),
            "{id} lacks citation, help or why"
        );
        assert!(
            reference.contains(&format!("\n## {id}\n")),
            "{id} is not in docs/rules.md"
        );
    }
    for rule in &rs.rules {
        assert!(
            page.iter().any(|r| r.rule.as_ref() == Some(&rule.id)),
            "rule {} is not in docs/catalogue.md",
            rule.id
        );
    }
}

/// When the project's shared catalogue is beside the repository (as in CI), the page lists the
/// same requirements with the same severities; a clone on its own skips this, saying so.
#[test]
fn the_catalogue_page_matches_the_shared_catalogue_when_it_is_present() {
    let path = root().join("../shared/domain/requirements.md");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "skipped: {} is not beside the repository, so docs/catalogue.md is not compared with it",
            path.display()
        );
        return;
    };
    let shared: Vec<(String, String)> = requirements(&text, false)
        .into_iter()
        .map(|r| (r.id, r.severity))
        .collect();
    let page: Vec<(String, String)> = catalogue()
        .into_iter()
        .map(|r| (r.id, r.severity))
        .collect();
    assert!(shared.len() >= 40, "shared catalogue parsed: {shared:?}");
    assert_eq!(
        page,
        shared,
        "docs/catalogue.md differs from {}",
        path.display()
    );
}

#[test]
fn checking_the_invalid_directory_reports_every_implemented_requirement() {
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
    for id in catalogue().into_iter().filter_map(|r| r.rule) {
        assert!(
            out.contains(&format!("diagnostic code: {id}\n")),
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
