//! `s75lint diff`: two versions of an agreement compared as a solicitor reads them. Human and
//! markdown outputs are compared in full against the snapshots below (read and checked by
//! hand when written); JSON is checked field by field. The pairs live in `fixtures/diff/`.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

const EK: [&str; 2] = [
    "fixtures/diff/every-kind/old.yaml",
    "fixtures/diff/every-kind/new.yaml",
];
const MY: [&str; 2] = [
    "fixtures/diff/multi-year/old.yaml",
    "fixtures/diff/multi-year/new.yaml",
];
const RE: [&str; 2] = [
    "fixtures/diff/reordered/old.yaml",
    "fixtures/diff/reordered/new.yaml",
];

/// Runs `s75lint diff OLD NEW --today TODAY [extra...]` from the crate root.
fn diff(pair: [&str; 2], extra: &[&str]) -> std::process::Output {
    let mut args = vec!["diff", pair[0], pair[1], "--today", TODAY];
    args.extend_from_slice(extra);
    s75lint(&args, &root())
}

fn json(pair: [&str; 2]) -> Value {
    let o = diff(pair, &["--format", "json"]);
    serde_json::from_slice(&o.stdout).expect("diff --format json is JSON")
}

/// The change at `path`, which must be there exactly once.
fn change<'a>(doc: &'a Value, path: &str) -> &'a Value {
    let hits: Vec<&Value> = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["path"] == path)
        .collect();
    assert_eq!(hits.len(), 1, "changes at {path}: {hits:#?}");
    hits[0]
}

#[track_caller]
fn assert_snapshot(actual: &str, expected: &str) {
    if actual != expected {
        panic!("output differs from the snapshot\n--- actual ---\n{actual}\n--- expected ---\n{expected}");
    }
}

const REORDERED_HUMAN: &str = r#"s75lint diff: EXS-BCF-2025-26
  old: fixtures/diff/reordered/old.yaml
  new: fixtures/diff/reordered/new.yaml

No changes: the two versions say the same thing.

Findings: none in either version (checked as on 1 November 2025).
"#;

#[test]
fn reordered_file_with_money_in_other_forms_has_no_changes_and_exits_0() {
    let o = diff(RE, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_snapshot(&stdout(&o), REORDERED_HUMAN);
    let j = json(RE);
    assert_eq!(j["changes"], serde_json::json!([]));
    assert_eq!(j["material"], false);
    assert_eq!(j["exit_code"], 0);
}

#[test]
fn money_written_as_a_number_or_in_pounds_is_the_same_money() {
    let dir = tempdir();
    let src = std::fs::read_to_string(root().join(RE[0])).unwrap();
    let a = src.replace("\"£41,920,000\"", "41920000");
    let b = src.replace("\"£41,920,000\"", "\"£41.92m\"");
    assert_ne!(a, src);
    std::fs::write(dir.join("a.yaml"), a).unwrap();
    std::fs::write(dir.join("b.yaml"), b).unwrap();
    let o = s75lint(
        &[
            "diff", "a.yaml", "b.yaml", "--today", TODAY, "--format", "json",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0));
    let j: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["changes"], serde_json::json!([]));
    std::fs::remove_dir_all(&dir).unwrap();
}

const MULTI_YEAR_HUMAN: &str = r#"s75lint diff: EMR-CT-2025
  old: fixtures/diff/multi-year/old.yaml
  new: fixtures/diff/multi-year/new.yaml

Material: 7 changes (money, duration), needing every partner's signature.
Editorial: 2 changes.
(! material, - editorial)

Agreement
  - status: signed -> varied
  ! end: 31 March 2027 -> 31 March 2028
  ! renewal: reworded
      The partners decide at the review due by 30 September [-2026-] {+2027+}
      whether to renew for a further two years from 1 April [-2027-] {+2028+}
  - variation 2025-10-01 The agreement is extended by a year to 31 March 2028,
      with 2027-28 contributions...: added partner ebc, name Sarah Okonkwo, role
      Chief Executive, date 22 September 2025, partner ect, name Richard
      Penhaligon, role Chief Executive, date 23 September 2025

Pool ECTPOOL
    year     partner          old          new  difference
    2025-26  ebc      £38,400,000  £38,400,000  no change
    2025-26  ect      £27,100,000  £27,100,000  no change
    2025-26  total    £65,500,000  £65,500,000  no change
             still reconciles
    2026-27  ebc      £39,600,000  £39,600,000  no change
    2026-27  ect      £27,900,000  £27,900,000  no change
    2026-27  total    £67,500,000  £67,500,000  no change
             still reconciles
  ! 2027-28  ebc                -  £40,800,000  new
  ! 2027-28  ect                -  £28,700,000  new
  ! 2027-28  total              -  £69,500,000  new
             reconciles

Scheme ACHSC
                                old          new  difference
    allocation 2025-26  £52,300,000  £52,300,000  no change
    allocation 2026-27  £53,800,000  £53,800,000  no change
  ! allocation 2027-28            -  £55,300,000  new

Scheme INTCARE
                                old          new  difference
    allocation 2025-26  £13,200,000  £13,200,000  no change
    allocation 2026-27  £13,700,000  £13,700,000  no change
  ! allocation 2027-28            -  £14,200,000  new

Findings: none in either version (checked as on 1 November 2025).
"#;

const MULTI_YEAR_MARKDOWN: &str = r#"## Changes to EMR-CT-2025

Comparing fixtures/diff/multi-year/old.yaml (old) with fixtures/diff/multi-year/new.yaml (new).

**Material:** 7 changes (money, duration), needing every partner's signature.

Editorial: 2 changes.

### Agreement

- status: signed → varied
- **Material:** end: 31 March 2027 → 31 March 2028
- **Material:** renewal: reworded\
  The partners decide at the review due by 30 September ~~2026~~ **2027** whether to renew for a further two years from 1 April ~~2027~~ **2028**
- variation 2025-10-01 The agreement is extended by a year to 31 March 2028, with 2027-28 contributions...: added partner ebc, name Sarah Okonkwo, role Chief Executive, date 22 September 2025, partner ect, name Richard Penhaligon, role Chief Executive, date 23 September 2025

### Pool ECTPOOL

| year | partner | old | new | difference |
|---|---|---:|---:|---|
| 2025-26 | ebc | £38,400,000 | £38,400,000 | no change |
| 2025-26 | ect | £27,100,000 | £27,100,000 | no change |
| 2025-26 | total | £65,500,000 | £65,500,000 | no change |
| 2026-27 | ebc | £39,600,000 | £39,600,000 | no change |
| 2026-27 | ect | £27,900,000 | £27,900,000 | no change |
| 2026-27 | total | £67,500,000 | £67,500,000 | no change |
| 2027-28 | ebc | - | £40,800,000 | **new** |
| 2027-28 | ect | - | £28,700,000 | **new** |
| 2027-28 | total | - | £69,500,000 | **new** |

2025-26: still reconciles. 2026-27: still reconciles. 2027-28: reconciles.

### Scheme ACHSC

| | old | new | difference |
|---|---:|---:|---|
| allocation 2025-26 | £52,300,000 | £52,300,000 | no change |
| allocation 2026-27 | £53,800,000 | £53,800,000 | no change |
| allocation 2027-28 | - | £55,300,000 | **new** |

### Scheme INTCARE

| | old | new | difference |
|---|---:|---:|---|
| allocation 2025-26 | £13,200,000 | £13,200,000 | no change |
| allocation 2026-27 | £13,700,000 | £13,700,000 | no change |
| allocation 2027-28 | - | £14,200,000 | **new** |

### Findings

None in either version (checked as on 1 November 2025).
"#;

#[test]
fn a_variation_adding_a_year_to_a_multi_year_pool() {
    let o = diff(MY, &[]);
    assert_eq!(o.status.code(), Some(1), "material: exit 1");
    assert_snapshot(&stdout(&o), MULTI_YEAR_HUMAN);
    assert_snapshot(
        &stdout(&diff(MY, &["--format", "markdown"])),
        MULTI_YEAR_MARKDOWN,
    );
}

#[test]
fn a_variation_adding_a_year_as_json() {
    let j = json(MY);
    assert_eq!(j["version"], 1);
    assert_eq!(j["compared"], true);
    assert_eq!(j["material"], true);
    assert_eq!(j["exit_code"], 1);
    assert_eq!(j["topics"], serde_json::json!(["money", "duration"]));
    assert_eq!(j["summary"]["material"], 7);
    // The renewal wording and the variation recorded (S75-VARIATION-SIGNED needs it).
    assert_eq!(j["summary"]["editorial"], 2);
    let c = change(&j, "pools[ECTPOOL].contributions[ebc 2027-28]");
    assert_eq!(c["kind"], "added");
    assert_eq!(c["field_path"], "pools.contributions");
    assert_eq!(
        c["group"],
        serde_json::json!({"kind": "pool", "id": "ECTPOOL"})
    );
    assert_eq!(c["label"], "contribution ebc 2027-28");
    assert_eq!(
        c["new"],
        serde_json::json!({"type": "money", "value": 4_080_000_000_i64, "text": "£40,800,000"})
    );
    assert_eq!(c["old"], Value::Null);
    assert_eq!(c["material"], true);
    assert_eq!(c["topic"], "money");
    assert_eq!(c["in_summary"], true);
    let c = change(&j, "end");
    assert_eq!(c["old"]["value"], "2027-03-31");
    assert_eq!(c["new"]["text"], "31 March 2028");
    assert_eq!(c["topic"], "duration");
    let c = change(&j, "renewal");
    assert_eq!(
        c["words"][1],
        serde_json::json!({"op": "removed", "text": "2026"})
    );
    assert_eq!(
        c["words"][2],
        serde_json::json!({"op": "added", "text": "2027"})
    );
    let pool = &j["money"]["pools"][0];
    assert_eq!(pool["pool"], "ECTPOOL");
    let years: Vec<&str> = pool["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["year"].as_str().unwrap())
        .collect();
    assert_eq!(years, ["2025-26", "2026-27", "2027-28"]);
    let y = &pool["years"][2];
    assert_eq!(y["old"], Value::Null);
    assert_eq!(
        y["new"],
        serde_json::json!({"contributed": 6_950_000_000_i64, "stated": 6_950_000_000_i64, "allocated": 6_950_000_000_i64, "reconciles": true})
    );
    assert_eq!(y["total"]["difference"], 6_950_000_000_i64);
    assert_eq!(y["reconciliation"], "reconciles");
    assert_eq!(pool["years"][0]["reconciliation"], "still reconciles");
    let schemes: Vec<&str> = j["money"]["schemes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["scheme"].as_str().unwrap())
        .collect();
    assert_eq!(schemes, ["ACHSC", "INTCARE"]);
}

const EVERY_KIND_HUMAN: &str = r#"s75lint diff: EXS-BCF-2025-26
  old: fixtures/diff/every-kind/old.yaml
  new: fixtures/diff/every-kind/new.yaml

Material: 16 changes (money, risk share, parties, duration, functions and
  services, hosts, pools and schemes, terms), needing every partner's signature.
Editorial: 13 changes.
(! material, - editorial)

Agreement
  - status: signed -> varied
  ! end: 31 March 2026 -> 30 September 2026
  - improvement: reworded
      One pooled fund lets the [-council and-] {+council,+} the ICB {+and the
      district council+} commission equipment, reablement, carers support ...
  ! partner edc: added East Exampleshire District Council
  - signature icb name: "Dr Marcus Obi" -> "Dr Amara Osei"
  - signature icb date: 27 March 2025 -> 28 March 2025
  - signature edc: added Tom Reyes, 28 March 2025
  - variation 2025-10-01 Schemes, contributions, terms and the end date varied
      at the mid-year review: added partner exc, name Helen Ashworth, role
      Executive Director of Adult Social Care and Health, date 22 September
      2025, partner icb, name Dr Amara Osei, role Chief Executive, date 23
      September 2025, partner edc, name Tom Reyes, role Chief Executive, date 24
      September 2025
  - review next: 30 January 2026 -> 27 February 2026
  ! exit strategy notice months: 6 -> 3
  ! exit strategy staff: reworded
      Seconded staff return to their employing partner {+within one month+}
  - terms complaints: reworded
      Each partner's complaints procedure [-applies,-] {+applies;+} with a joint
      response within 20 working days where both are involved
  - charging: added "Social care is charged under the council's charging policy;
      reablement and NHS care are free and recorded separately"

Pool BCF
    year     partner          old          new  difference
    2025-26  icb      £41,920,000  £41,920,000  no change
  ! 2025-26  exc      £21,560,000  £22,640,000  +£1,080,000 (+5.0%)
  ! 2025-26  total    £63,480,000  £64,560,000  +£1,080,000 (+1.7%)
             no longer reconciles: stated total £63,480,000, contributions
               £64,560,000
  ! risk share overspend: icb 66%, exc 34% -> icb 50%, exc 50%
  - pool manager name: "Priya Raman" -> "Sam Patel"

Scheme ICES
  ! host: exc -> icb
  ! services: removed (was "Minor adaptations")
  ! services: added "Telecare installation"
  - outcome Equipment items delivered within 7 days of request target value: 95
      -> 97
  - outcome Equipment items delivered within 7 days of request by: 31 March 2026
      -> 30 September 2026

Scheme REAB
  ! arrangements: added integrated_provision
  ! host: added icb
  - outcome People aged 65 and over still at home 91 days after discharge into
      reablement lead: exc -> icb

Scheme FALLS
  ! scheme FALLS: added Falls prevention and response
                        old         new  difference
  ! allocation 2025-26    -  £2,600,000  new

Scheme INT
  ! functions local authority: added "Care Act 2014 s42: safeguarding enquiries"
  ! client groups: removed (was "mental_health")

Scheme CARERS
  ! scheme CARERS: removed (was Carers support and short breaks)
                               old  new  difference
  ! allocation 2025-26  £2,600,000    -  removed

Findings (both versions checked as on 1 November 2025)
  introduced: 4
    error S75-CONTRIBUTIONS at fixtures/diff/every-kind/new.yaml:63:7: pool BCF
      states no contribution from Exampleshire County Council for 2026-27
    error S75-CONTRIBUTIONS at fixtures/diff/every-kind/new.yaml:63:7: pool BCF
      states no contribution from NHS Exampleshire and Borders Integrated Care
      Board for 2026-27
    error FIN-POOLED-TOTAL at fixtures/diff/every-kind/new.yaml:66:29: pool BCF
      states a total of £63,480,000 for 2025-26, but the contributions for that
      year add up to £64,560,000
    error S75-COMMISSIONING-PROVIDER-SPLIT at
      fixtures/diff/every-kind/new.yaml:99:33: this agreement both commissions
      (ICES) and provides (REAB) services
  resolved: 2
    warning PB-CHARGING at fixtures/diff/every-kind/old.yaml:2:1: the agreement
      combines NHS and council functions but does not say how charged social
      care is kept apart from free NHS care
    warning FMT-UNKNOWN-KEY at fixtures/diff/every-kind/old.yaml:179:1: unknown
      key `chargng`; did you mean `charging`?
  unchanged: 1 (FMT-UNKNOWN-KEY)
"#;

const EVERY_KIND_MARKDOWN: &str = r#"## Changes to EXS-BCF-2025-26

Comparing fixtures/diff/every-kind/old.yaml (old) with fixtures/diff/every-kind/new.yaml (new).

**Material:** 16 changes (money, risk share, parties, duration, functions and services, hosts, pools and schemes, terms), needing every partner's signature.

Editorial: 13 changes.

### Agreement

- status: signed → varied
- **Material:** end: 31 March 2026 → 30 September 2026
- improvement: reworded\
  One pooled fund lets the ~~council and~~ **council,** the ICB **and the district council** commission equipment, reablement, carers support ...
- **Material:** partner edc: added East Exampleshire District Council
- signature icb name: “Dr Marcus Obi” → “Dr Amara Osei”
- signature icb date: 27 March 2025 → 28 March 2025
- signature edc: added Tom Reyes, 28 March 2025
- variation 2025-10-01 Schemes, contributions, terms and the end date varied at the mid-year review: added partner exc, name Helen Ashworth, role Executive Director of Adult Social Care and Health, date 22 September 2025, partner icb, name Dr Amara Osei, role Chief Executive, date 23 September 2025, partner edc, name Tom Reyes, role Chief Executive, date 24 September 2025
- review next: 30 January 2026 → 27 February 2026
- **Material:** exit strategy notice months: 6 → 3
- **Material:** exit strategy staff: reworded\
  Seconded staff return to their employing partner **within one month**
- terms complaints: reworded\
  Each partner's complaints procedure ~~applies,~~ **applies;** with a joint response within 20 working days where both are involved
- charging: added “Social care is charged under the council's charging policy; reablement and NHS care are free and recorded separately”

### Pool BCF

| year | partner | old | new | difference |
|---|---|---:|---:|---|
| 2025-26 | icb | £41,920,000 | £41,920,000 | no change |
| 2025-26 | exc | £21,560,000 | £22,640,000 | **+£1,080,000 (+5.0%)** |
| 2025-26 | total | £63,480,000 | £64,560,000 | **+£1,080,000 (+1.7%)** |

2025-26: no longer reconciles: stated total £63,480,000, contributions £64,560,000.

- **Material:** risk share overspend: icb 66%, exc 34% → icb 50%, exc 50%
- pool manager name: “Priya Raman” → “Sam Patel”

### Scheme ICES

- **Material:** host: exc → icb
- **Material:** services: removed (was “Minor adaptations”)
- **Material:** services: added “Telecare installation”
- outcome Equipment items delivered within 7 days of request target value: 95 → 97
- outcome Equipment items delivered within 7 days of request by: 31 March 2026 → 30 September 2026

### Scheme REAB

- **Material:** arrangements: added integrated\_provision
- **Material:** host: added icb
- outcome People aged 65 and over still at home 91 days after discharge into reablement lead: exc → icb

### Scheme FALLS

- **Material:** scheme FALLS: added Falls prevention and response

| | old | new | difference |
|---|---:|---:|---|
| allocation 2025-26 | - | £2,600,000 | **new** |

### Scheme INT

- **Material:** functions local authority: added “Care Act 2014 s42: safeguarding enquiries”
- **Material:** client groups: removed (was “mental\_health”)

### Scheme CARERS

- **Material:** scheme CARERS: removed (was Carers support and short breaks)

| | old | new | difference |
|---|---:|---:|---|
| allocation 2025-26 | £2,600,000 | - | **removed** |

### Findings

Both versions checked as on 1 November 2025.

- Introduced: error `S75-CONTRIBUTIONS` at line 63: pool BCF states no contribution from Exampleshire County Council for 2026-27
- Introduced: error `S75-CONTRIBUTIONS` at line 63: pool BCF states no contribution from NHS Exampleshire and Borders Integrated Care Board for 2026-27
- Introduced: error `FIN-POOLED-TOTAL` at line 66: pool BCF states a total of £63,480,000 for 2025-26, but the contributions for that year add up to £64,560,000
- Introduced: error `S75-COMMISSIONING-PROVIDER-SPLIT` at line 99: this agreement both commissions (ICES) and provides (REAB) services
- Resolved: warning `PB-CHARGING` at line 2: the agreement combines NHS and council functions but does not say how charged social care is kept apart from free NHS care
- Resolved: warning `FMT-UNKNOWN-KEY` at line 179: unknown key \`chargng\`; did you mean \`charging\`?
- Unchanged: 1 (`FMT-UNKNOWN-KEY`)
"#;

#[test]
fn every_kind_of_change_human_and_markdown() {
    let o = diff(EK, &[]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert_snapshot(&out, EVERY_KIND_HUMAN);
    assert!(
        out.lines()
            .all(|l| l.chars().count() <= 80 || !l.trim().contains(' ')),
        "80 columns:\n{out}"
    );
    assert_snapshot(
        &stdout(&diff(EK, &["--format", "markdown"])),
        EVERY_KIND_MARKDOWN,
    );
}

#[test]
fn every_kind_of_change_as_json() {
    let j = json(EK);
    assert_eq!(j["version"], 1);
    assert_eq!(
        j["old"],
        serde_json::json!({"name": EK[0], "id": "EXS-BCF-2025-26", "loaded": true, "problem": null})
    );
    // Money: old -> new with the difference and percent.
    let c = change(&j, "pools[BCF].contributions[exc 2025-26].amount");
    assert_eq!(c["kind"], "changed");
    assert_eq!(c["label"], "contribution exc 2025-26");
    assert_eq!(
        c["difference"],
        serde_json::json!({"pence": 108_000_000, "percent": 5.0})
    );
    assert_eq!(
        (c["material"].as_bool(), c["topic"].as_str()),
        (Some(true), Some("money"))
    );
    let y = &j["money"]["pools"][0]["years"][0];
    assert_eq!(y["total"]["percent"], 1.7);
    assert_eq!(y["new"]["reconciles"], false);
    assert_eq!(y["old"]["reconciles"], true);
    assert_eq!(
        y["reconciliation"],
        "no longer reconciles: stated total £63,480,000, contributions £64,560,000"
    );
    // Risk shares.
    let c = change(&j, "pools[BCF].risk_share.overspend.exc");
    assert_eq!(
        (c["old"]["value"].as_f64(), c["new"]["value"].as_f64()),
        (Some(34.0), Some(50.0))
    );
    assert_eq!(c["topic"], "risk share");
    let r = &j["money"]["pools"][0]["risk"][0];
    assert_eq!(r["which"], "overspend");
    assert_eq!(
        r["new"],
        serde_json::json!([{"partner": "icb", "percent": 50.0}, {"partner": "exc", "percent": 50.0}])
    );
    // Parties, hosts, pool managers, arrangements, functions, client groups, services.
    let c = change(&j, "partners[edc]");
    assert_eq!(
        (
            c["kind"].as_str(),
            c["topic"].as_str(),
            c["material"].as_bool()
        ),
        (Some("added"), Some("parties"), Some(true))
    );
    assert_eq!(change(&j, "schemes[ICES].host")["topic"], "hosts");
    let c = change(&j, "pools[BCF].pool_manager.name");
    assert_eq!(
        (c["material"].as_bool(), c["new"]["value"].as_str()),
        (Some(false), Some("Sam Patel"))
    );
    let c = change(&j, "schemes[REAB].arrangements");
    assert_eq!(
        (
            c["kind"].as_str(),
            c["new"]["value"].as_str(),
            c["topic"].as_str()
        ),
        (
            Some("added"),
            Some("integrated_provision"),
            Some("functions and services")
        )
    );
    assert_eq!(
        change(&j, "schemes[INT].functions.local_authority")["kind"],
        "added"
    );
    assert_eq!(
        change(&j, "schemes[INT].client_groups")["old"]["value"],
        "mental_health"
    );
    // Schemes added and removed; outcomes changed (targets, dates, leads).
    let c = change(&j, "schemes[FALLS]");
    assert_eq!(
        (c["kind"].as_str(), c["topic"].as_str()),
        (Some("added"), Some("pools and schemes"))
    );
    assert_eq!(change(&j, "schemes[CARERS]")["kind"], "removed");
    let c = change(
        &j,
        "schemes[ICES].outcomes[Equipment items delivered within 7 days of request].target.value",
    );
    assert_eq!(
        (
            c["old"]["value"].as_f64(),
            c["new"]["value"].as_f64(),
            c["material"].as_bool()
        ),
        (Some(95.0), Some(97.0), Some(false))
    );
    assert_eq!(
        change(
            &j,
            "schemes[ICES].outcomes[Equipment items delivered within 7 days of request].by"
        )["new"]["value"],
        "2026-09-30"
    );
    let lead = "schemes[REAB].outcomes[People aged 65 and over still at home 91 days after discharge into reablement].lead";
    assert_eq!(change(&j, lead)["new"]["value"], "icb");
    // Dates, status, signatures.
    assert_eq!(change(&j, "end")["topic"], "duration");
    assert_eq!(
        change(&j, "exit_strategy.notice_months")["topic"],
        "duration"
    );
    assert_eq!(change(&j, "review.next")["material"], false);
    assert_eq!(change(&j, "status")["topic"], "record");
    let c = change(&j, "signatures[edc]");
    assert_eq!(
        (c["kind"].as_str(), c["new"]["value"].as_str()),
        (Some("added"), Some("Tom Reyes, 28 March 2025"))
    );
    assert_eq!(
        change(&j, "signatures[icb].name")["new"]["value"],
        "Dr Amara Osei"
    );
    // Free text: a change of terms is material; punctuation only is editorial.
    let c = change(&j, "exit_strategy.staff");
    assert_eq!(
        (c["material"].as_bool(), c["topic"].as_str()),
        (Some(true), Some("terms"))
    );
    assert_eq!(
        c["words"][1],
        serde_json::json!({"op": "added", "text": "within one month"})
    );
    let c = change(&j, "terms.complaints");
    assert_eq!(
        (c["material"].as_bool(), c["topic"].as_str()),
        (Some(false), Some("terms"))
    );
    assert_eq!(change(&j, "improvement")["material"], false);
    // Findings introduced, resolved, unchanged.
    let rules = |k: &str| -> Vec<String> {
        j["findings"][k]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        rules("introduced"),
        [
            "S75-CONTRIBUTIONS",
            "S75-CONTRIBUTIONS",
            "FIN-POOLED-TOTAL",
            "S75-COMMISSIONING-PROVIDER-SPLIT"
        ]
    );
    assert_eq!(rules("resolved"), ["PB-CHARGING", "FMT-UNKNOWN-KEY"]);
    assert_eq!(
        j["findings"]["resolved"][1]["message"],
        "unknown key `chargng`; did you mean `charging`?"
    );
    assert_eq!(rules("unchanged"), ["FMT-UNKNOWN-KEY"]);
    let f = &j["findings"]["introduced"][2];
    assert_eq!(
        (
            f["line"].as_u64(),
            f["column"].as_u64(),
            f["location"].as_str()
        ),
        (Some(66), Some(29), Some("pools[BCF].pooled_total.2025-26"))
    );
    assert_eq!(
        j["summary"],
        serde_json::json!({"material": 16, "editorial": 13, "introduced": 4, "resolved": 2, "unchanged": 1})
    );
}

/// Runs git in `dir`, failing the test if it fails.
fn git(dir: &Path, args: &[&str]) {
    let o = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn git_revision_forms() {
    let dir = tempdir();
    git(&dir, &["init", "-q"]);
    std::fs::create_dir(dir.join("agreements")).unwrap();
    let file = dir.join("agreements/bcf.yaml");
    std::fs::copy(root().join(MY[0]), &file).unwrap();
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "signed"]);
    std::fs::copy(root().join(MY[1]), &file).unwrap();
    let expected = MULTI_YEAR_HUMAN
        .replace(&format!("old: {}", MY[0]), "old: HEAD:agreements/bcf.yaml")
        .replace(&format!("new: {}", MY[1]), "new: agreements/bcf.yaml");

    // --git REV FILE, from the top of the repository and from elsewhere.
    let o = s75lint(
        &[
            "diff",
            "--git",
            "HEAD",
            "agreements/bcf.yaml",
            "--today",
            TODAY,
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_snapshot(&stdout(&o), &expected);
    let abs = file.to_string_lossy().into_owned();
    let o = s75lint(
        &[
            "diff", "--git", "HEAD", &abs, "--today", TODAY, "--format", "json",
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let j: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["summary"]["material"], 7);

    // REV:PATH NEW
    let o = s75lint(
        &[
            "diff",
            "HEAD:agreements/bcf.yaml",
            "agreements/bcf.yaml",
            "--today",
            TODAY,
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_snapshot(&stdout(&o), &expected);

    // An unknown revision is a clear error.
    let o = s75lint(&["diff", "--git", "nosuchrev", "agreements/bcf.yaml"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("error: git could not read nosuchrev:agreements/bcf.yaml"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).unwrap();

    // Outside a repository.
    let outside = std::env::temp_dir().join(format!("s75lint-nogit-{}", std::process::id()));
    std::fs::create_dir_all(&outside).unwrap();
    let inside_some_repo = std::process::Command::new("git")
        .args(["rev-parse", "--git-dir"])
        .current_dir(&outside)
        .output()
        .is_ok_and(|o| o.status.success());
    if !inside_some_repo {
        std::fs::copy(root().join(MY[1]), outside.join("a.yaml")).unwrap();
        let o = s75lint(&["diff", "HEAD:a.yaml", "a.yaml"], &outside);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(
            stderr(&o),
            "error: HEAD:a.yaml names a git revision, but . is not inside a git repository\n"
        );
    }
    std::fs::remove_dir_all(&outside).unwrap();
}

#[test]
fn a_version_that_does_not_load_is_reported_with_its_findings_and_exits_2() {
    let dir = tempdir();
    std::fs::copy(root().join(MY[0]), dir.join("old.yaml")).unwrap();
    std::fs::write(dir.join("new.yaml"), "s75lint: 1\nid: [unclosed\n").unwrap();
    let o = s75lint(&["diff", "old.yaml", "new.yaml", "--today", TODAY], &dir);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(
        out.contains("Could not compare: the new version did not load: this is not valid YAML"),
        "{out}"
    );
    assert!(
        out.contains("introduced: 1\n    error FMT-YAML at new.yaml:"),
        "{out}"
    );
    let o = s75lint(
        &[
            "diff", "old.yaml", "new.yaml", "--today", TODAY, "--format", "json",
        ],
        &dir,
    );
    let j: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (j["compared"].as_bool(), j["exit_code"].as_i64()),
        (Some(false), Some(2))
    );
    assert_eq!(j["new"]["loaded"], false);
    assert_eq!(j["changes"], serde_json::json!([]));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_arguments_and_missing_files_exit_2() {
    let o = s75lint(&["diff", MY[0]], &root());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("name two versions"), "{}", stderr(&o));
    let o = s75lint(&["diff", MY[0], "no/such.yaml"], &root());
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: cannot read no/such.yaml: no such file\n"
    );
    let o = s75lint(&["diff", "--git", "HEAD", MY[0], MY[1]], &root());
    assert_eq!(o.status.code(), Some(2));
}
