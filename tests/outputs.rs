//! The machine-readable outputs: JSON (its own schema), SARIF 2.1.0 (validated against the
//! official schema), JUnit XML (parsed back) and GitHub Actions annotations.

mod common;

use common::{check_fixture, root, rules};
use s75lint::formats::{github, json, junit, sarif};
use s75lint::Waiver;
use s75lint::{FileReport, Run, Severity};
use serde_json::Value;
use std::sync::Arc;

type Writer = fn(&Run, &s75lint::RuleSet, &mut dyn std::io::Write) -> std::io::Result<()>;

fn render(write: Writer, run: &Run) -> String {
    let mut out = Vec::new();
    write(run, rules(), &mut out).expect("write to a Vec");
    String::from_utf8(out).expect("UTF-8 output")
}

fn run_of(paths: &[&str]) -> Run {
    Run {
        files: paths.iter().map(|p| check_fixture(p)).collect(),
        errors: Vec::new(),
    }
}

/// Every fixture, valid and invalid, in path order.
fn all_fixtures() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["fixtures/valid", "fixtures/invalid"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let name = e.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".yaml") {
                out.push(format!("{dir}/{name}"));
            }
        }
    }
    out.sort();
    out
}

/// A file that could not be read, as `check_paths` reports one.
fn unreadable(path: &str) -> FileReport {
    FileReport {
        error: Some(format!("{path} holds binary data (a NUL byte), not text")),
        ..FileReport::new(path, Arc::new(String::new()))
    }
}

fn waiver() -> Waiver {
    Waiver {
        reason: "Host to be named at the March board".into(),
        approved_by: "Joint Commissioning Board".into(),
        expires: Some("2026-03-31".into()),
    }
}

/// A copy of a fixture's report under another name, with its first finding waived.
fn waived_copy(rel: &str, name: &str) -> FileReport {
    let mut r = check_fixture(rel);
    r.path = name.into();
    r.findings[0].waived = Some(waiver());
    r
}

const RISK: &str = "fixtures/invalid/FIN-RISK-SHARE.yaml";
const HOST: &str = "fixtures/invalid/S75-HOST.yaml";
const BCF: &str = "fixtures/valid/bcf-pooled-fund.yaml";

// ---------------------------------------------------------------------------------------- JSON

#[test]
fn json_has_the_documented_shape_and_exact_positions() {
    let run = run_of(&[RISK, HOST, BCF]);
    let v: Value = serde_json::from_str(&render(json, &run)).expect("valid JSON");
    let top = v.as_object().unwrap();
    let mut keys: Vec<&str> = top.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["errors", "findings", "summary", "version"]);
    assert_eq!(v["version"], 1);
    assert_eq!(v["errors"], serde_json::json!([]));

    let findings = v["findings"].as_array().unwrap();
    let total: usize = run.files.iter().map(|f| f.findings.len()).sum();
    assert_eq!(findings.len(), total);
    // File order, then position.
    let files: Vec<&str> = findings
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort_by_key(|f| [RISK, HOST, BCF].iter().position(|p| p == f));
    assert_eq!(files, sorted);

    let risk: Vec<&Value> = findings
        .iter()
        .filter(|f| f["rule"] == "FIN-RISK-SHARE")
        .collect();
    assert_eq!(risk.len(), 1, "{risk:#?}");
    let f = risk[0];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["file"], RISK);
    assert_eq!(
        (&f["line"], &f["column"], &f["end_line"], &f["end_column"]),
        (
            &Value::from(61),
            &Value::from(18),
            &Value::from(61),
            &Value::from(36)
        )
    );
    assert_eq!(f["length"], "{icb: 66, exc: 44}".len());
    let src = std::fs::read_to_string(root().join(RISK)).unwrap();
    let off = f["offset"].as_u64().unwrap() as usize;
    assert_eq!(&src[off..off + 18], "{icb: 66, exc: 44}");
    assert_eq!(
        f["message"],
        "overspend shares in pool BCF add up to 110%, not 100%"
    );
    let fp = f["fingerprint"].as_str().unwrap();
    assert_eq!(fp.len(), 16);
    assert!(fp
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert_eq!(fp, run.files[0].findings[0].fingerprint(RISK));
    assert!(f["waived"].is_null());
    assert!(f["citations"]
        .as_array()
        .unwrap()
        .iter()
        .all(Value::is_string));
    assert!(!f["citations"].as_array().unwrap().is_empty());
    assert!(f["help"].is_string());
    assert!(f["location"].is_string());
    assert!(f["labels"].is_array());

    // Every finding carries every documented key.
    for f in findings {
        for k in [
            "rule",
            "severity",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "offset",
            "length",
            "message",
            "label",
            "location",
            "citations",
            "help",
            "fingerprint",
            "waived",
            "labels",
        ] {
            assert!(f.get(k).is_some(), "finding lacks {k}: {f:#?}");
        }
        for l in f["labels"].as_array().unwrap() {
            for k in [
                "line",
                "column",
                "end_line",
                "end_column",
                "offset",
                "length",
                "text",
            ] {
                assert!(l.get(k).is_some(), "label lacks {k}: {l:#?}");
            }
        }
    }

    let count = |s: Severity| {
        run.files
            .iter()
            .flat_map(|f| &f.findings)
            .filter(|f| f.severity == s && f.counts())
            .count()
    };
    let waived = run
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .filter(|f| !f.counts())
        .count();
    assert_eq!(
        v["summary"],
        serde_json::json!({
            "files_checked": 3,
            "errors": count(Severity::Error),
            "warnings": count(Severity::Warning),
            "infos": count(Severity::Info),
            "waived": waived,
            "tool_errors": 0,
        })
    );
    assert!(count(Severity::Error) >= 2);
}

#[test]
fn json_lists_tool_errors_and_waivers_without_counting_them() {
    let mut run = run_of(&[HOST]);
    run.files.push(waived_copy(HOST, "copy/S75-HOST.yaml"));
    run.files.push(unreadable("blob.yaml"));
    run.errors
        .push("missing.yaml: no such file or directory".into());
    let v: Value = serde_json::from_str(&render(json, &run)).unwrap();
    assert_eq!(
        v["errors"],
        serde_json::json!([
            {"file": "blob.yaml", "message": "blob.yaml holds binary data (a NUL byte), not text"},
            {"file": null, "message": "missing.yaml: no such file or directory"},
        ])
    );
    let waived: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["waived"].is_null())
        .collect();
    assert_eq!(waived.len(), 1);
    assert_eq!(
        waived[0]["waived"],
        serde_json::json!({
            "reason": "Host to be named at the March board",
            "approved_by": "Joint Commissioning Board",
            "expires": "2026-03-31",
        })
    );
    assert_eq!(waived[0]["file"], "copy/S75-HOST.yaml");
    let s = &v["summary"];
    assert_eq!(s["files_checked"], 2);
    assert_eq!(s["waived"], 1);
    assert_eq!(s["tool_errors"], 2);
    let errors = run.files[0]
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    // The copy's waived finding is not counted again.
    let first_is_error = run.files[1].findings[0].severity == Severity::Error;
    assert_eq!(
        s["errors"],
        2 * errors - usize::from(first_is_error),
        "{s:#?}"
    );
}

// --------------------------------------------------------------------------------------- SARIF

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/sarif/sarif-2.1.0.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    // The official schema is draft-04 and refers only to itself; `offline` makes sure nothing
    // is ever fetched.
    jsonschema::draft4::options()
        .offline()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let mut run = Run {
        files: all_fixtures().iter().map(|p| check_fixture(p)).collect(),
        errors: vec!["missing.yaml: no such file or directory".into()],
    };
    run.files
        .push(waived_copy(HOST, "waived copies/S75-HOST 100%.yaml"));
    run.files.push(unreadable("fixtures/blob.yaml"));
    let text = render(sarif, &run);
    let v: Value = serde_json::from_str(&text).unwrap();

    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF invalid:\n{}", errors.join("\n"));

    assert_eq!(v["version"], "2.1.0");
    assert_eq!(
        v["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let r = &runs[0];
    assert_eq!(r["columnKind"], "unicodeCodePoints");
    let driver = &r["tool"]["driver"];
    assert_eq!(driver["name"], "s75lint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));

    let results = r["results"].as_array().unwrap();
    let findings: usize = run.files.iter().map(|f| f.findings.len()).sum();
    assert!(findings > 50);
    assert_eq!(results.len(), findings);

    // Every result's ruleIndex points at its rule.
    let descriptors = driver["rules"].as_array().unwrap();
    for res in results {
        let i = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(descriptors[i]["id"], res["ruleId"]);
        assert_eq!(
            res["partialFingerprints"]["s75lint/v1"]
                .as_str()
                .unwrap()
                .len(),
            16
        );
    }

    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(
        suppressed[0]["suppressions"],
        serde_json::json!([{
            "kind": "inSource",
            "justification": "Host to be named at the March board (approved by Joint Commissioning Board, expires 2026-03-31)",
        }])
    );
    assert_eq!(
        suppressed[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "waived%20copies/S75-HOST%20100%25.yaml"
    );

    let rule = |id: &str| {
        descriptors
            .iter()
            .find(|d| d["id"] == id)
            .unwrap_or_else(|| panic!("no rule {id}"))
    };
    assert_eq!(rule("S75-HOST")["defaultConfiguration"]["level"], "error");
    assert_eq!(rule("AC-EXPIRING")["defaultConfiguration"]["level"], "note");
    assert_eq!(
        rule("FMT-UNKNOWN-KEY")["defaultConfiguration"]["level"],
        "warning"
    );
    let host = rule("S75-HOST");
    let host_rule = rules().get("S75-HOST").unwrap();
    assert_eq!(host["shortDescription"]["text"], host_rule.title.as_str());
    assert!(host["help"]["text"]
        .as_str()
        .unwrap()
        .contains("Citation: SI 2000/617"));
    assert!(!host["properties"]["citations"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        descriptors.len(),
        rules().rules.len() + s75lint::rule_docs::BUILTIN.len()
    );

    let inv = &r["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(
        notes[0]["message"]["text"],
        "fixtures/blob.yaml holds binary data (a NUL byte), not text"
    );
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/blob.yaml"
    );
    assert_eq!(
        notes[1]["message"]["text"],
        "missing.yaml: no such file or directory"
    );
    assert!(notes[1].get("locations").is_none());

    // The FIN-RISK-SHARE region, in characters.
    let risk = results
        .iter()
        .find(|r| r["ruleId"] == "FIN-RISK-SHARE")
        .unwrap();
    let region = &risk["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"],
            &region["charLength"]
        ),
        (
            &Value::from(61),
            &Value::from(18),
            &Value::from(61),
            &Value::from(36),
            &Value::from(18)
        )
    );
}

#[test]
fn sarif_of_a_clean_run_is_valid_and_successful() {
    let run = run_of(&[BCF]);
    let v: Value = serde_json::from_str(&render(sarif, &run)).unwrap();
    assert!(sarif_validator().is_valid(&v));
    assert_eq!(v["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn the_validator_rejects_broken_sarif() {
    // The schema check has teeth: a wrong level and a missing message are caught.
    let run = run_of(&[HOST]);
    let mut v: Value = serde_json::from_str(&render(sarif, &run)).unwrap();
    v["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!sarif_validator().is_valid(&v));
    let mut v: Value = serde_json::from_str(&render(sarif, &run)).unwrap();
    v["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!sarif_validator().is_valid(&v));
}

// --------------------------------------------------------------------------------------- JUnit

fn case<'a, 'i>(suite: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
    suite
        .children()
        .find(|c| c.has_tag_name("testcase") && c.attribute("name") == Some(name))
        .unwrap_or_else(|| panic!("no case {name}"))
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, tag: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name(tag))
}

#[test]
fn junit_has_a_suite_per_agreement_and_a_case_per_rule() {
    let paths = all_fixtures();
    let mut run = Run {
        files: paths.iter().map(|p| check_fixture(p)).collect(),
        errors: vec!["missing.yaml: no such file or directory".into()],
    };
    run.files.push(waived_copy(HOST, "copy/S75-HOST.yaml"));
    run.files.push(unreadable("fixtures/<blob> & 'co'.yaml"));
    let xml = render(junit, &run);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let rootel = doc.root_element();
    assert_eq!(rootel.tag_name().name(), "testsuites");
    assert_eq!(rootel.attribute("name"), Some("s75lint"));

    let suites: Vec<roxmltree::Node> = rootel
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let checked = run.files.iter().filter(|f| f.checked).count();
    // One per checked file, one for the unreadable file, one for the run's own errors.
    assert_eq!(suites.len(), checked + 2);
    let suite = |name: &str| {
        *suites
            .iter()
            .find(|s| s.attribute("name") == Some(name))
            .unwrap_or_else(|| panic!("no suite {name}"))
    };
    let host = suite(HOST);
    let host_report = &run.files[paths.iter().position(|p| p == HOST).unwrap()];
    assert_eq!(
        host.children()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        host_report.rules_checked.len()
    );
    let fail = child(case(host, "S75-HOST"), "failure").expect("S75-HOST fails");
    assert_eq!(fail.attribute("type"), Some("error"));
    assert_eq!(
        fail.attribute("message"),
        Some(host_report.findings[0].message.as_str())
    );
    assert!(
        fail.text()
            .unwrap()
            .starts_with("fixtures/invalid/S75-HOST.yaml:48:5: "),
        "{:?}",
        fail.text()
    );
    let variation = case(host, "S75-VARIATION");
    assert_eq!(variation.attribute("classname"), Some(HOST));
    assert!(child(variation, "failure").is_none());
    assert!(child(variation, "error").is_none());

    // The waived copy passes, and says why in its output.
    let copy = case(suite("copy/S75-HOST.yaml"), "S75-HOST");
    assert!(child(copy, "failure").is_none());
    assert!(child(copy, "system-out")
        .unwrap()
        .text()
        .unwrap()
        .contains("waived: Host to be named at the March board"));

    // A format finding is a testcase of its own even though no rule ran.
    let yaml = suite("fixtures/invalid/FMT-YAML.yaml");
    assert!(child(case(yaml, "FMT-YAML"), "failure").is_some());
    // A warning does not fail the gate by default: reported, not failed.
    let unknown_key = case(
        suite("fixtures/invalid/FMT-UNKNOWN-KEY.yaml"),
        "FMT-UNKNOWN-KEY",
    );
    assert!(child(unknown_key, "failure").is_none());
    let out = child(unknown_key, "system-out").unwrap().text().unwrap();
    assert!(
        out.starts_with("fixtures/invalid/FMT-UNKNOWN-KEY.yaml:")
            && out.contains(": warning: unknown key"),
        "{out}"
    );

    // Info findings alone pass.
    let expiring = case(suite("fixtures/invalid/AC-EXPIRING.yaml"), "AC-EXPIRING");
    assert!(child(expiring, "failure").is_none());
    assert!(child(expiring, "system-out").is_some());

    // The unreadable file, its awkward name escaped and read back intact.
    let blob = suite("fixtures/<blob> & 'co'.yaml");
    let read = case(blob, "read");
    assert!(child(read, "error").is_some());

    // Totals agree with the cases, and with the findings.
    let cases: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let failures = cases
        .iter()
        .filter(|c| child(**c, "failure").is_some())
        .count();
    let errors = cases
        .iter()
        .filter(|c| child(**c, "error").is_some())
        .count();
    assert_eq!(
        rootel.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
    assert_eq!(
        rootel.attribute("failures"),
        Some(failures.to_string().as_str())
    );
    assert_eq!(rootel.attribute("errors"), Some("2"));
    assert_eq!(errors, 2);
    let mut expected_failures = 0;
    for f in run.files.iter().filter(|f| f.checked) {
        let mut ids: Vec<&str> = f
            .findings
            .iter()
            .filter(|x| x.counts() && x.severity >= Severity::Error)
            .map(|x| x.rule.as_str())
            .collect();
        ids.sort();
        ids.dedup();
        expected_failures += ids.len();
    }
    assert_eq!(failures, expected_failures);
    for s in &suites {
        let n = s.children().filter(|n| n.has_tag_name("testcase")).count();
        assert_eq!(s.attribute("tests"), Some(n.to_string().as_str()));
    }
}

// -------------------------------------------------------------------------------------- GitHub

#[test]
fn github_annotates_each_counting_finding() {
    let mut run = run_of(&[RISK, BCF]);
    run.files.push(waived_copy(RISK, "copy.yaml"));
    run.files.push(unreadable("blob.yaml"));
    run.errors
        .push("missing.yaml: no such file or directory".into());
    let out = render(github, &run);
    let lines: Vec<&str> = out.lines().collect();
    // The message, then the help (how to fix it) and the citations, each on a line of its own.
    assert_eq!(
        lines[0],
        "::error file=fixtures/invalid/FIN-RISK-SHARE.yaml,line=61,col=18,endLine=61,endColumn=36,title=FIN-RISK-SHARE::overspend shares in pool BCF add up to 110%25, not 100%25\
         %0Ahelp: Under the pool's `risk_share`, give each contributing partner, and only them, a share of any\
         %0Aoverspend and of any underspend, each set adding up to 100%25, for example\
         %0A`overspend: {exc: 60, icb: 40}`.\
         %0Acite: Audit Commission (2009) Means to an end, Table 1 row 7"
    );
    assert!(!out.contains("file=copy.yaml"), "{out}");
    assert!(lines
        .contains(&"::error file=blob.yaml::blob.yaml holds binary data (a NUL byte), not text"));
    assert!(lines.contains(&"::error::missing.yaml: no such file or directory"));
    assert_eq!(lines.last().unwrap(), &s75lint::formats::summary(&run));
}
