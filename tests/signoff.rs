//! The sign-off pack through the real binary: `report` (HTML, opened in headless Chromium and
//! checked with axe-core), `register` (CSV and JSON, parsed back) and `calendar` (iCalendar,
//! parsed back by this test and by Python's `icalendar`).
//!
//! Tools that are not Rust are looked for and, when missing, the test says it was skipped;
//! with S75LINT_REQUIRE_TOOLS=1 (as `.ci/run` sets) a missing tool fails it instead:
//! - Chromium: S75LINT_CHROMIUM, else `chromium`, `chromium-browser` or `google-chrome`;
//! - `pdftotext` (poppler-utils);
//! - node with `target/browser-tools/node_modules` holding puppeteer-core and axe-core;
//! - Python with `icalendar`: S75LINT_PYTHON, else `target/ci-venv/bin/python3`.

mod common;

use common::{root, s75lint, stderr, stdout, tempdir, TODAY};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn required() -> bool {
    std::env::var("S75LINT_REQUIRE_TOOLS").is_ok_and(|v| v == "1")
}

/// Says a test was skipped for want of a tool (or fails, when tools are required).
fn skip(why: &str) {
    assert!(!required(), "S75LINT_REQUIRE_TOOLS=1 but {why}");
    println!("skipped: {why}");
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("S75LINT_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|n| on_path(n))
}

/// Chromium's arguments for a headless run as root in a container.
const HEADLESS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--hide-scrollbars",
];

fn run_ok(args: &[&str], dir: &Path) -> String {
    let o = s75lint(args, dir);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// The register of the valid fixtures as CSV, parsed back.
fn register_csv(extra: &[&str]) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut args = vec!["register", "fixtures/valid", "--today", TODAY];
    args.extend_from_slice(extra);
    let o = s75lint(&args, &root());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let bytes = o.stdout;
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut r = csv::Reader::from_reader(text);
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            head.iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (head, rows)
}

#[test]
fn register_csv_parses_back_with_one_row_per_pool_and_scheme() {
    let (head, rows) = register_csv(&[]);
    // The columns are an interface (spreadsheets and scripts read them by name and place).
    assert_eq!(
        head,
        [
            "row_type",
            "agreement_id",
            "file",
            "title",
            "status",
            "legal_basis",
            "item_id",
            "item_name",
            "pool",
            "partners",
            "host",
            "pool_manager",
            "arrangements",
            "client_groups",
            "contributions",
            "pooled_total",
            "allocation",
            "commencement",
            "end",
            "next_review",
            "errors",
            "warnings",
            "item_errors",
            "item_warnings",
        ]
    );
    let bcf = rows
        .iter()
        .find(|r| r["agreement_id"] == "EXS-BCF-2025-26" && r["row_type"] == "pool")
        .expect("the BCF pool row");
    assert_eq!(bcf["item_id"], "BCF");
    assert_eq!(bcf["host"], "exc");
    assert_eq!(bcf["pooled_total"], "63480000.00");
    assert_eq!(
        bcf["contributions"],
        "icb 2025-26 41920000.00; exc 2025-26 21560000.00"
    );
    assert_eq!(bcf["partners"], "exc (local_authority); icb (icb)");
    assert_eq!(bcf["commencement"], "2025-04-01");
    assert_eq!(bcf["end"], "2026-03-31");
    assert_eq!(
        (bcf["errors"].as_str(), bcf["warnings"].as_str()),
        ("0", "0")
    );
    // Every scheme of the BCF agreement has its row, naming its pool.
    let schemes: Vec<_> = rows
        .iter()
        .filter(|r| r["agreement_id"] == "EXS-BCF-2025-26" && r["row_type"] == "scheme")
        .collect();
    assert!(schemes.len() >= 2, "{schemes:?}");
    assert!(schemes
        .iter()
        .any(|s| s["item_id"] == "ICES" && s["pool"] == "BCF"));
    // A section 256 grant has one grant row; no agreement is left out.
    let ids: std::collections::BTreeSet<_> =
        rows.iter().map(|r| r["agreement_id"].clone()).collect();
    assert_eq!(ids.len(), 6, "{ids:?}");
    assert!(rows
        .iter()
        .any(|r| r["agreement_id"] == "SMR-S256-HOUSING-2025" && r["row_type"] == "grant"));
    // Money always has pence; dates are ISO.
    for r in &rows {
        for k in ["pooled_total", "allocation"] {
            let v = &r[k];
            assert!(
                v.is_empty() || v.rsplit_once('.').is_some_and(|(_, p)| p.len() == 2),
                "{k} {v}"
            );
        }
        for k in ["commencement", "end", "next_review"] {
            let v = &r[k];
            assert!(
                v.is_empty() || s75lint::Date::parse_iso(v).is_some(),
                "{k} {v}"
            );
        }
    }
}

#[test]
fn register_bom_is_optional_and_lines_end_crlf() {
    let plain = s75lint(&["register", "fixtures/valid", "--today", TODAY], &root());
    assert!(!plain.stdout.starts_with(b"\xef\xbb\xbf"));
    assert!(plain.stdout.starts_with(b"row_type,"));
    let bom = s75lint(
        &["register", "fixtures/valid", "--today", TODAY, "--bom"],
        &root(),
    );
    assert!(bom.stdout.starts_with(b"\xef\xbb\xbfrow_type,"));
    assert_eq!(&bom.stdout[3..], &plain.stdout[..]);
    let text = String::from_utf8(plain.stdout).unwrap();
    assert_eq!(text.matches("\r\n").count(), text.matches('\n').count());
    let (_, rows) = register_csv(&["--bom"]);
    assert!(!rows.is_empty());
}

#[test]
fn register_json_has_the_same_rows_as_csv() {
    let text = run_ok(
        &[
            "register",
            "fixtures/valid",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
        &root(),
    );
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["today"], TODAY);
    let rows = v["rows"].as_array().unwrap();
    let (_, csv_rows) = register_csv(&[]);
    assert_eq!(rows.len(), csv_rows.len());
    let bcf = rows
        .iter()
        .find(|r| r["agreement_id"] == "EXS-BCF-2025-26" && r["item_id"] == "BCF")
        .unwrap();
    assert_eq!(bcf["pooled_total"], "63480000.00");
    assert_eq!(bcf["contributions"][0]["partner"], "icb");
    assert_eq!(bcf["contributions"][0]["year"], "2025-26");
    assert_eq!(bcf["contributions"][0]["amount"], "41920000.00");
    assert_eq!(bcf["arrangements"][0], "pooled_fund");
}

/// An agreement whose text tries to be a formula, markup and iCalendar syntax.
const HOSTILE: &str = r#"s75lint: 1
id: HOSTILE-1
title: "=HYPERLINK(\"http://x.invalid\",\"click\") <script>alert(1)</script>"
status: draft
commencement: 2025-04-01
end: 2026-03-31
partners:
  - {id: exc, name: "@SUM(A1) & <b>Council</b>", kind: local_authority}
  - {id: icb, name: "+ICB, the \"board\"", kind: icb}
pools:
  - id: P1
    name: "-1; DROP TABLE pools"
    host: exc
    contributions:
      - {partner: exc, year: 2025-26, amount: "£1,000.50"}
      - {partner: icb, year: 2025-26, amount: 999.50}
exit_strategy:
  notice_months: 6
"#;

#[test]
fn text_from_an_agreement_is_never_a_formula_markup_or_ical_syntax() {
    let dir = tempdir();
    std::fs::write(dir.path().join("a.yaml"), HOSTILE).unwrap();
    let p = dir.path();
    let csv_text = run_ok(&["register", "a.yaml", "--today", TODAY], p);
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rec = r.records().next().unwrap().unwrap();
    let get = |k: &str| rec[head.iter().position(|h| h == k).unwrap()].to_string();
    assert!(get("title").starts_with("'=HYPERLINK("), "{}", get("title"));
    assert_eq!(get("item_name"), "'-1; DROP TABLE pools");
    assert_eq!(get("pooled_total"), "2000.00");
    for c in rec.iter() {
        assert!(!c.starts_with(['=', '+', '-', '@']), "{c}");
    }

    let html = run_ok(&["report", "a.yaml", "--today", TODAY], p);
    assert!(
        !html.contains("<script"),
        "markup from the agreement got through"
    );
    assert!(!html.contains("<b>Council"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("@SUM(A1) &amp; &lt;b&gt;Council&lt;/b&gt;"));

    let ics = run_ok(&["calendar", "a.yaml", "--today", TODAY], p);
    let events = parse_ics(&ics);
    let end = events.iter().find(|e| e["CATEGORIES"] == "end").unwrap();
    assert!(
        end["DESCRIPTION"].contains("=HYPERLINK(\"http://x.invalid\"\\,"),
        "{}",
        end["DESCRIPTION"]
    );
}

/// Unfolds iCalendar text and returns each VEVENT's properties (name without parameters ->
/// value; DTSTART/DTEND keep their `;VALUE=DATE` as `DTSTART;VALUE=DATE`).
fn parse_ics(text: &str) -> Vec<HashMap<String, String>> {
    assert!(text.ends_with("\r\n"));
    for l in text.split("\r\n") {
        assert!(l.len() <= 75, "line over 75 octets: {l:?}");
        assert!(!l.contains('\n'), "bare line feed in {l:?}");
    }
    let unfolded = text.replace("\r\n ", "");
    let mut events = Vec::new();
    let mut cur: Option<HashMap<String, String>> = None;
    for l in unfolded.split("\r\n") {
        match l {
            "BEGIN:VEVENT" => cur = Some(HashMap::new()),
            "END:VEVENT" => events.push(cur.take().unwrap()),
            _ => {
                if let (Some(e), Some((k, v))) = (cur.as_mut(), l.split_once(':')) {
                    e.insert(k.to_string(), v.to_string());
                }
            }
        }
    }
    events
}

const NOTICE: &str = "s75lint: 1
id: CAL-1
title: Calendar test
status: signed
commencement: 2025-04-01
end: 2026-03-31
governance:
  board: A board
  reporting: {frequency: quarterly, annual_statement: true}
review: {frequency: annual, next: 2025-12-31}
exit_strategy:
  notice_months: 6
waivers:
  - {rule: AC-VAT, reason: Agreed, approved_by: Head of Legal, expires: 2026-01-31}
bcf: {year: 2025-26, hwb_approval: 2025-03-10}
";

#[test]
fn calendar_has_all_day_events_with_month_end_arithmetic_and_stable_uids() {
    let dir = tempdir();
    let p = dir.path();
    std::fs::write(p.join("a.yaml"), NOTICE).unwrap();
    let ics = run_ok(&["calendar", "a.yaml", "--today", TODAY], p);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    let events = parse_ics(&ics);
    let by_kind = |k: &str| -> Vec<&HashMap<String, String>> {
        events.iter().filter(|e| e["CATEGORIES"] == k).collect()
    };
    let date = |e: &HashMap<String, String>| e["DTSTART;VALUE=DATE"].clone();
    // 31 March 2026 less 6 months is 30 September 2025, not 1 October.
    let notice = by_kind("notice-deadline");
    assert_eq!(notice.len(), 1);
    assert_eq!(date(notice[0]), "20250930");
    assert_eq!(notice[0]["DTEND;VALUE=DATE"], "20251001");
    assert!(notice[0]["DESCRIPTION"].contains("Agreement CAL-1"));
    assert!(notice[0]["DESCRIPTION"].contains("exit_strategy.notice_months"));
    assert!(notice[0]["DESCRIPTION"].contains("a.yaml line 12"));
    assert_eq!(date(by_kind("end")[0]), "20260331");
    assert_eq!(date(by_kind("commencement")[0]), "20250401");
    assert_eq!(date(by_kind("review")[0]), "20251231");
    assert_eq!(date(by_kind("waiver-expiry")[0]), "20260131");
    assert_eq!(date(by_kind("bcf-approval")[0]), "20250310");
    let quarters: Vec<String> = by_kind("reporting").into_iter().map(date).collect();
    assert_eq!(quarters, ["20250630", "20250930", "20251231", "20260331"]);
    assert_eq!(date(by_kind("annual-statement")[0]), "20260331");
    // UIDs are unique, and survive a change of date: moving the end date updates its event.
    let uids: Vec<&String> = events.iter().map(|e| &e["UID"]).collect();
    let unique: std::collections::BTreeSet<_> = uids.iter().collect();
    assert_eq!(unique.len(), uids.len());
    std::fs::write(
        p.join("a.yaml"),
        NOTICE.replace("end: 2026-03-31", "end: 2026-06-30"),
    )
    .unwrap();
    let moved = parse_ics(&run_ok(&["calendar", "a.yaml", "--today", TODAY], p));
    let uid_of = |evs: &[HashMap<String, String>], k: &str| {
        evs.iter().find(|e| e["CATEGORIES"] == k).unwrap()["UID"].clone()
    };
    for k in ["end", "notice-deadline", "review", "commencement"] {
        assert_eq!(uid_of(&events, k), uid_of(&moved, k), "{k}");
    }
    let moved_notice = moved
        .iter()
        .find(|e| e["CATEGORIES"] == "notice-deadline")
        .unwrap();
    // The corresponding date: 30 June less 6 months is 30 December (not the month's end).
    assert_eq!(date(moved_notice), "20251230");
}

fn python_with_icalendar() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = match std::env::var_os("S75LINT_PYTHON") {
        Some(p) => vec![PathBuf::from(p)],
        None => vec![root().join("target/ci-venv/bin/python3")],
    };
    candidates.into_iter().find(|py| {
        Command::new(py)
            .args(["-c", "import icalendar"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Reads the calendar with Python's `icalendar` and prints each event as JSON.
const READ_ICS: &str = r#"
import json, sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for ev in cal.walk('VEVENT'):
    start = ev.decoded('DTSTART'); end = ev.decoded('DTEND')
    out.append({
        'uid': str(ev['UID']), 'summary': str(ev['SUMMARY']),
        'description': str(ev['DESCRIPTION']), 'kind': str(ev['CATEGORIES'].cats[0]),
        'start': start.isoformat(), 'end': end.isoformat(),
        'all_day': type(start) is datetime.date and type(end) is datetime.date,
    })
print(json.dumps({'version': str(cal['VERSION']), 'prodid': str(cal['PRODID']), 'events': out}))
"#;

#[test]
fn calendar_parses_back_with_python_icalendar() {
    let Some(py) = python_with_icalendar() else {
        skip("no Python with icalendar (pip install icalendar into target/ci-venv, or set S75LINT_PYTHON)");
        return;
    };
    let dir = tempdir();
    let p = dir.path();
    std::fs::write(p.join("a.yaml"), NOTICE).unwrap();
    let o = s75lint(
        &[
            "calendar",
            "a.yaml",
            "../fixtures",
            "--today",
            TODAY,
            "-o",
            "out.ics",
        ],
        p,
    );
    // (../fixtures does not exist from the temp folder: check it is reported and the rest kept.)
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = s75lint(
        &["calendar", "a.yaml", "--today", TODAY, "-o", "out.ics"],
        p,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let fixtures = root().join("fixtures/valid");
    let o = s75lint(
        &[
            "calendar",
            fixtures.to_str().unwrap(),
            "--today",
            TODAY,
            "-o",
        ],
        p,
    );
    assert_eq!(o.status.code(), Some(2), "-o needs a file");
    let out = Command::new(&py)
        .args(["-c", READ_ICS, "out.ics"])
        .current_dir(p)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.0");
    let events = v["events"].as_array().unwrap();
    assert!(events.iter().all(|e| e["all_day"] == true), "{events:?}");
    let notice = events
        .iter()
        .find(|e| e["kind"] == "notice-deadline")
        .unwrap();
    assert_eq!(notice["start"], "2025-09-30");
    assert_eq!(notice["end"], "2025-10-01");
    assert!(notice["summary"]
        .as_str()
        .unwrap()
        .starts_with("CAL-1: Last day to give 6 months' notice"));
    let desc = notice["description"].as_str().unwrap();
    assert!(
        desc.contains("Agreement CAL-1 (Calendar test)\nClause: exit_strategy.notice_months"),
        "{desc}"
    );

    // The whole fixture set reads back too, one event per obligation, UIDs unique.
    let o = s75lint(
        &[
            "calendar",
            fixtures.to_str().unwrap(),
            "--today",
            TODAY,
            "-o",
            "all.ics",
        ],
        p,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = Command::new(&py)
        .args(["-c", READ_ICS, "all.ics"])
        .current_dir(p)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let events = v["events"].as_array().unwrap();
    let uids: std::collections::BTreeSet<_> =
        events.iter().map(|e| e["uid"].as_str().unwrap()).collect();
    assert_eq!(uids.len(), events.len());
    let bcf_notice = events
        .iter()
        .find(|e| {
            e["kind"] == "notice-deadline"
                && e["summary"]
                    .as_str()
                    .unwrap()
                    .starts_with("EXS-BCF-2025-26")
        })
        .unwrap();
    assert_eq!(bcf_notice["start"], "2025-09-30");
}

#[test]
fn report_never_writes_over_an_agreement() {
    let dir = tempdir();
    let p = dir.path();
    std::fs::write(p.join("a.yaml"), NOTICE).unwrap();
    let o = s75lint(&["report", "a.yaml", "--today", TODAY, "-o", "a.yaml"], p);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("never writes to them"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(p.join("a.yaml")).unwrap(), NOTICE);
}

/// The report of every fixture, written to `dir/report.html`.
fn fixture_report(dir: &Path) -> (PathBuf, String) {
    let out = dir.join("report.html");
    let o = s75lint(
        &[
            "report",
            "fixtures",
            "--today",
            TODAY,
            "-o",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    (out, html)
}

/// Every finding of `check --format json` over the fixtures, as (file, rule).
fn fixture_findings() -> Vec<(String, String)> {
    let o = s75lint(
        &["check", "fixtures", "--today", TODAY, "--format", "json"],
        &root(),
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The agreement ids of the fixtures that load as agreements.
fn fixture_ids() -> Vec<String> {
    let text = run_ok(
        &["register", "fixtures", "--today", TODAY, "--format", "json"],
        &root(),
    );
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut ids: Vec<String> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["agreement_id"].as_str().unwrap().to_string())
        .filter(|id| !id.contains('/'))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Pence from the report's `data-total` attributes (by year, partner and pool).
fn totals(html: &str) -> Vec<i64> {
    html.match_indices("data-total=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

#[test]
fn report_is_self_contained_and_shows_every_finding() {
    let dir = tempdir();
    let (_, html) = fixture_report(dir.path());
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"en-GB\">"));
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
    ));
    assert!(!html.contains("<script"));
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url(")
    );
    for needle in [
        "@media print",
        "break-before:page",
        "<main",
        "<nav",
        "<header",
        "<footer",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    // One element per finding, with its rule id, as `check` finds them.
    let findings = fixture_findings();
    assert_eq!(html.matches(" data-rule=\"").count(), findings.len());
    for (_, rule) in &findings {
        assert!(html.contains(&format!("data-rule=\"{rule}\"")), "{rule}");
    }
    // The three money tables add up to the same total.
    let t = totals(&html);
    assert_eq!(t.len(), 3);
    assert!(t.iter().all(|x| *x == t[0] && *x > 0), "{t:?}");
    assert!(html.contains("data-reconciles=\"yes\""));
}

#[test]
fn report_money_totals_reconcile_with_the_register() {
    let html = run_ok(&["report", "fixtures/valid", "--today", TODAY], &root());
    let json = run_ok(
        &[
            "register",
            "fixtures/valid",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
        &root(),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let pence = |s: &str| -> i64 {
        let (a, b) = s.split_once('.').unwrap();
        a.parse::<i64>().unwrap() * 100 + b.parse::<i64>().unwrap()
    };
    let sum: i64 = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["contributions"].as_array().unwrap().clone())
        .map(|c| pence(c["amount"].as_str().unwrap()))
        .sum();
    assert_eq!(totals(&html), vec![sum, sum, sum]);
}

fn dump_dom(chromium: &Path, file: &Path) -> (String, String) {
    let url = format!("file://{}", file.display());
    let o = Command::new(chromium)
        .args(HEADLESS)
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom", &url])
        .output()
        .expect("run chromium");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Console messages and CSP reports in Chromium's log.
fn console_lines(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| {
            l.contains(":CONSOLE")
                || l.contains("Content Security Policy")
                || l.contains("Refused to")
        })
        .collect()
}

#[test]
fn report_opens_prints_and_logs_nothing_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        skip("Chromium is not installed (apt-get install chromium)");
        return;
    };
    let dir = tempdir();
    let p = dir.path();
    let (file, _) = fixture_report(p);

    // The log check catches what it should: a page with the same policy that fetches an image.
    let bad = p.join("bad.html");
    std::fs::write(&bad, "<!DOCTYPE html><html lang=en><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"><title>x</title></head><body><img alt=x src=\"https://example.invalid/x.png\"></body></html>").unwrap();
    let (_, log) = dump_dom(&chromium, &bad);
    assert!(
        !console_lines(&log).is_empty(),
        "a CSP violation did not show in the log:\n{log}"
    );

    let (dom, log) = dump_dom(&chromium, &file);
    assert!(
        console_lines(&log).is_empty(),
        "console messages:\n{}",
        console_lines(&log).join("\n")
    );
    // The DOM as the browser built it: matrix cells, totals, finding ids.
    let findings = fixture_findings();
    assert_eq!(dom.matches(" data-rule=\"").count(), findings.len());
    assert!(dom.contains("<table class=\"matrix\">"));
    let row = dom
        .split("<tr data-agreement=")
        .find(|r| r.contains("fixtures/invalid/FIN-POOLED-TOTAL.yaml"))
        .expect("matrix row of the FIN-POOLED-TOTAL fixture");
    let money_cell = row.split("data-area=\"6\"").nth(1).unwrap();
    assert!(
        money_cell.contains("1 error"),
        "{}",
        &money_cell[..200.min(money_cell.len())]
    );
    let valid = dom
        .split("<tr data-agreement=")
        .find(|r| r.contains("fixtures/valid/bcf-pooled-fund.yaml"))
        .unwrap();
    assert!(valid.contains("class=\"ok\""));
    assert!(!valid.contains("class=\"err\""));
    let t = totals(&dom);
    assert_eq!(t.len(), 3);
    assert!(t.iter().all(|x| *x == t[0]));

    // A screenshot with something on it: a blank page compresses to a few kilobytes.
    let shot = p.join("shot.png");
    let o = Command::new(&chromium)
        .args(HEADLESS)
        .args([
            "--window-size=1280,1600",
            &format!("--screenshot={}", shot.display()),
        ])
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    assert!(o.status.success());
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    assert!(
        png.len() > 50_000,
        "screenshot looks blank ({} bytes)",
        png.len()
    );

    // Printed to PDF, the text holds every agreement id.
    let Some(pdftotext) = on_path("pdftotext") else {
        skip("pdftotext is not installed (apt-get install poppler-utils)");
        return;
    };
    let pdf = p.join("report.pdf");
    let o = Command::new(&chromium)
        .args(HEADLESS)
        .args([
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ])
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = Command::new(pdftotext).arg(&pdf).arg("-").output().unwrap();
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    let ids = fixture_ids();
    assert!(ids.len() >= 6, "{ids:?}");
    for id in ids {
        assert!(text.contains(&id), "{id} is not in the printed report");
    }
}

#[test]
fn report_has_no_serious_accessibility_violations() {
    let Some(chromium) = chromium() else {
        skip("Chromium is not installed (apt-get install chromium)");
        return;
    };
    let modules = root().join("target/browser-tools/node_modules");
    if on_path("node").is_none()
        || !modules.join("puppeteer-core").is_dir()
        || !modules.join("axe-core").is_dir()
    {
        skip("node with puppeteer-core and axe-core is not installed (npm install --prefix target/browser-tools puppeteer-core@23 axe-core@4)");
        return;
    }
    let dir = tempdir();
    let (file, _) = fixture_report(dir.path());
    let o = Command::new("node")
        .arg(root().join("tests/browser/check_page.mjs"))
        .arg(&chromium)
        .arg(&file)
        .env("NODE_PATH", &modules)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["title"]
        .as_str()
        .unwrap()
        .starts_with("Section 75 agreements: sign-off report"));
    assert_eq!(v["console"], serde_json::json!([]), "console messages");
    assert_eq!(v["csp"], serde_json::json!([]), "CSP violations");
    let serious: Vec<_> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| matches!(x["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    assert!(serious.is_empty(), "axe-core: {serious:#?}");
}
