//! The registry of built-in rules (`src/builtin_rules.rs`) is the one list of the `FMT-` and
//! `WAIVER-` rules: every id the code emits is in it, each is explained and listed, its
//! examples behave as marked, and SARIF describes each and points every result at it.

mod common;
use common::*;
use s75lint::line_col;
use s75lint::rule_docs::{BuiltinRule, Example, BUILTIN as ALL};
use s75lint::rule_tests::{agreement_text, BASES};
use std::path::{Path, PathBuf};

/// The agreement text an example stands for: itself when whole, otherwise merged over the
/// Better Care Fund base as rule examples are.
fn example_text(e: &Example) -> String {
    if e.whole {
        return e.yaml.to_string();
    }
    let (_, base) = BASES
        .iter()
        .find(|(name, _)| *name == "bcf")
        .expect("the bcf base agreement");
    agreement_text(e.yaml, base)
}

/// The 1-based lines of the example marked `# expect: ID`.
fn marked_lines(yaml: &str, id: &str) -> Vec<usize> {
    yaml.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.split_once("# expect:")
                .is_some_and(|(_, ids)| ids.split(',').any(|i| i.trim() == id))
        })
        .map(|(i, _)| i + 1)
        .collect()
}

#[test]
fn every_example_behaves_as_marked() {
    for rule in ALL {
        for e in rule.examples {
            let text = example_text(e);
            let r = s75lint::check_source("example.yaml", &text, rules(), &opts());
            let mut lines: Vec<usize> = r
                .findings
                .iter()
                .filter(|f| f.rule == rule.id)
                .map(|f| line_col(&r.source, f.span.start).0)
                .collect();
            lines.dedup();
            let want = if e.passes {
                Vec::new()
            } else {
                marked_lines(e.yaml, rule.id)
            };
            assert!(
                e.passes || !want.is_empty(),
                "{} example {:?} marks no line",
                rule.id,
                e.name
            );
            assert_eq!(
                lines, want,
                "{} example {:?}: lines of its findings; all findings: {:#?}",
                rule.id, e.name, r.findings
            );
            // A finding of a built-in rule carries the registry's severity (no configuration).
            for f in r.findings.iter().filter(|f| f.rule == rule.id) {
                assert_eq!(f.severity, rule.severity, "{}", rule.id);
                assert!(f.help.is_some(), "{} finding without help", rule.id);
            }
        }
    }
}

#[test]
fn explain_renders_every_builtin_rule_like_a_shipped_rule() {
    for rule in ALL {
        let text = s75lint::rule_docs::explain(rules(), rule.id)
            .unwrap_or_else(|| panic!("no explain text for {}", rule.id));
        let first_help_line = rule.help.lines().next().unwrap_or_default();
        for part in [
            format!("{} ({})\n{}\n", rule.id, rule.severity, rule.title),
            "Why it matters:\n".to_string(),
            format!("Cites:\n  {}\n", rule.citations[0]),
            "Not compliant (".to_string(),
            "\nCompliant (".to_string(),
            format!("How to fix:\n  {first_help_line}"),
        ] {
            assert!(
                text.contains(&part),
                "{}: missing {part:?} in\n{text}",
                rule.id
            );
        }
    }
    // The command itself, case-insensitively as users type ids.
    let o = s75lint(&["explain", "fmt-type"], &root());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("FMT-TYPE (error)\n"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("commencement: April 2025"));
}

#[test]
fn the_rule_listing_has_each_builtin_rule_once_with_its_registry_text() {
    let docs = s75lint::rule_docs::all(rules());
    for rule in ALL {
        let listed: Vec<_> = docs.iter().filter(|d| d.id == rule.id).collect();
        assert_eq!(listed.len(), 1, "{} listed {} times", rule.id, listed.len());
        let d = listed[0];
        assert_eq!(
            (d.severity, d.title, d.why, d.help, d.source),
            (
                rule.severity,
                rule.title,
                Some(rule.why),
                Some(rule.help),
                "built in"
            ),
            "{}",
            rule.id
        );
        assert_eq!(d.examples.len(), rule.examples.len(), "{}", rule.id);
    }
    let table = stdout(&s75lint(&["rules"], &root()));
    for rule in ALL {
        let line = table
            .lines()
            .find(|l| l.split_whitespace().next() == Some(rule.id))
            .unwrap_or_else(|| panic!("{} not in `s75lint rules`", rule.id));
        assert!(
            line.contains(rule.severity.as_str()) && line.contains(rule.title),
            "{line}"
        );
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("read source folder")
        .flatten()
    {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_builtin_id_written_in_the_source_is_in_the_registry() {
    let literal = regex::Regex::new(r#""((?:FMT|WAIVER)-[A-Z0-9]+(?:-[A-Z0-9]+)*)""#).unwrap();
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    assert!(files.len() > 10, "found {files:?}");
    let mut seen = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read source file");
        for c in literal.captures_iter(&text) {
            seen += 1;
            assert!(
                ALL.iter().any(|r| r.id == &c[1]),
                "{} names {}, which is not in src/builtin_rules.rs",
                file.display(),
                &c[1]
            );
        }
    }
    // The registry itself writes each id once, so the scan did find literals.
    assert!(seen >= ALL.len(), "only {seen} ids found in the source");
}

/// A temporary folder removed when the test ends, pass or fail.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let d = std::env::temp_dir().join(format!("s75lint-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("create temporary folder");
        TempDir(d)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Asserts every SARIF result's `ruleIndex` points at a descriptor of the same id; returns
/// the ids of the results.
#[track_caller]
fn assert_rule_indexes_resolve(sarif: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(sarif).expect("SARIF is JSON");
    let run = &v["runs"][0];
    let descriptors = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    let mut ids = Vec::new();
    for r in results {
        let id = r["ruleId"].as_str().expect("ruleId");
        let index = r["ruleIndex"]
            .as_u64()
            .unwrap_or_else(|| panic!("result for {id} has no ruleIndex"));
        let d = descriptors
            .get(index as usize)
            .unwrap_or_else(|| panic!("ruleIndex {index} of {id} is past the descriptors"));
        assert_eq!(d["id"], id, "ruleIndex {index} of {id}");
        ids.push(id.to_string());
    }
    ids
}

#[test]
fn every_sarif_result_points_at_its_rule_descriptor() {
    // Over the fixtures, as shipped.
    let o = s75lint(
        &["check", "fixtures", "--today", TODAY, "--format", "sarif"],
        &root(),
    );
    let ids = assert_rule_indexes_resolve(&stdout(&o));
    assert!(ids.iter().any(|i| i.starts_with("FMT-")), "{ids:?}");

    // Over the failing example of every built-in rule, so each built-in rule has a result.
    // Files are named, not found by walking a folder: FMT-NOT-AGREEMENT is for named files.
    let dir = TempDir::new("builtin-sarif");
    let mut args = vec!["check", "--today", TODAY, "--format", "sarif"];
    for rule in ALL {
        std::fs::write(dir.0.join(rule.id), example_text(failing(rule))).expect("write example");
        args.push(rule.id);
    }
    let o = s75lint(&args, &dir.0);
    let ids = assert_rule_indexes_resolve(&stdout(&o));
    for rule in ALL {
        assert!(
            ids.iter().any(|i| i == rule.id),
            "no result for {}",
            rule.id
        );
    }
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    let descriptors = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    for rule in ALL {
        let d = descriptors
            .iter()
            .find(|d| d["id"] == rule.id)
            .unwrap_or_else(|| panic!("no descriptor for {}", rule.id));
        assert_eq!(d["shortDescription"]["text"], rule.title);
        assert_eq!(d["fullDescription"]["text"], rule.why);
    }
}

fn failing(rule: &BuiltinRule) -> &Example {
    rule.examples
        .iter()
        .find(|e| !e.passes)
        .unwrap_or_else(|| panic!("{} has no failing example", rule.id))
}
