//! The rule language front end, expression by expression: what a condition comes to (true,
//! false or unknown) and what a value shows as, over agreements where the things read are
//! given, absent, or failed to load (unknown).
//!
//! Each expression is put in a small rule file of its own and run through the public API:
//! `require C` reports only when C is false and `require not (C)` only when C is true, so a
//! condition that makes neither report is unknown; a value is read from the message of a
//! `require false` whose text is `{VALUE}`. These tests pin the CURRENT behaviour; cases that
//! look questionable say so in a comment. The rule that a `where` filter never selects an item
//! whose condition is unknown (so one absent or unreadable value cannot silence a rule about the
//! other items) is pinned by the truth tables under "quantifiers" and "aggregates".

use s75lint::{check_source, Options, RuleSet};

/// A condition's outcome in three-valued logic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Truth {
    True,
    False,
    Unknown,
}
use Truth::{False, True, Unknown};

/// Statements every test rule starts with, so expressions can name `pool` (the pool `P1`) and
/// `scheme` (the scheme `S1`).
const PRELUDE: &str = "  let pool = first p in pools where p.id = \"P1\"
  let scheme = first s in schemes where s.id = \"S1\"
";

/// The agreement the tests read, unless a test gives its own. It has one pool and one scheme;
/// `legal_basis`, `review` and `status` are left out on purpose.
const BASE: &str = r#"s75lint: 1
id: T-1
title: Test agreement
commencement: 2025-04-01
end: 2026-03-31
rolling: true
partners:
  - {id: icb, name: Test ICB, kind: icb}
  - {id: la, name: Test Council, kind: local_authority}
consultation:
  joint: true
  with: [Patients, Carers]
pools:
  - id: P1
    name: Test pool
    host: icb
    contributions:
      - {partner: icb, year: 2025-26, amount: "£100"}
      - {partner: la, year: 2025-26, amount: "£50"}
    pooled_total: {2025-26: "£150"}
schemes:
  - id: S1
    name: Test scheme
    arrangements: [pooled_fund]
    client_groups: [older people, carers]
"#;

/// Runs `body` (statements indented by two, after the prelude) as rule `T-CHECK` over `yaml`,
/// and gives the messages of its findings.
fn run(yaml: &str, body: &str) -> Vec<String> {
    let rules =
        format!("rule T-CHECK \"test\"\n  severity error\n  cite \"test\"\n{PRELUDE}{body}end\n");
    let mut rs = RuleSet::empty();
    if let Err(errs) = rs.add("test.rules", &rules) {
        let msgs: Vec<String> = errs.iter().map(|e| e.message.clone()).collect();
        panic!("the test rule does not load: {msgs:?}\n{rules}");
    }
    let report = check_source("test.yaml", yaml, &rs, &Options::default());
    assert!(
        report.checked,
        "not checked as an agreement: {:?}",
        report.note
    );
    report
        .findings
        .iter()
        .filter(|f| f.rule == "T-CHECK")
        .map(|f| f.message.clone())
        .collect()
}

/// What the condition `cond` comes to over `yaml`.
fn truth_in(yaml: &str, cond: &str) -> Truth {
    let body = format!(
        "  require {cond}\n    otherwise \"false\"\n  require not ({cond})\n    otherwise \"true\"\n"
    );
    match run(yaml, &body).as_slice() {
        [] => Unknown,
        [m] if m == "false" => False,
        [m] if m == "true" => True,
        other => panic!("`{cond}` is both true and false: {other:?}"),
    }
}

/// What the condition `cond` comes to over the base agreement.
fn truth(cond: &str) -> Truth {
    truth_in(BASE, cond)
}

/// How the value of `expr` shows in a message, over `yaml`.
fn value_in(yaml: &str, expr: &str) -> String {
    let body = format!("  let shown = {expr}\n  require false\n    otherwise \"{{shown}}\"\n");
    match run(yaml, &body).as_slice() {
        [m] => m.clone(),
        other => panic!("`{expr}`: expected one finding, got {other:?}"),
    }
}

/// How the value of `expr` shows in a message, over the base agreement.
fn value(expr: &str) -> String {
    value_in(BASE, expr)
}

/// The base agreement with `from` (a whole line) replaced by `to`.
fn base_with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "the base agreement has no `{from}`");
    BASE.replacen(from, to, 1)
}

/// The base agreement with signatures dated as given (each line a date as written; `""` for a
/// signature without a date).
fn with_signatures(dates: &[&str]) -> String {
    let mut yaml = BASE.to_string();
    yaml.push_str("signatures:\n");
    for (i, d) in dates.iter().enumerate() {
        let date = if d.is_empty() {
            String::new()
        } else {
            format!(", date: {d}")
        };
        yaml.push_str(&format!(
            "  - {{partner: icb, name: Signer {}, role: Director{date}}}\n",
            i + 1
        ));
    }
    yaml
}

// ---- the three truth values, and conditions standing for each ----

/// Conditions that are true, false and unknown over the base agreement (`end` has a date, the
/// review is absent: comparing with something absent is unknown).
const T: &str = "end after 2026-01-01";
const F: &str = "end before 2026-01-01";
const U: &str = "review.next before 2026-01-01";

#[test]
fn the_stand_ins_are_true_false_and_unknown() {
    assert_eq!([truth(T), truth(F), truth(U)], [True, False, Unknown]);
}

#[test]
fn and_or_not_follow_three_valued_logic() {
    let cases = [(T, True), (F, False), (U, Unknown)];
    for (a, ta) in cases {
        assert_eq!(truth(&format!("not ({a})")), not(ta), "not {a}");
        for (b, tb) in cases {
            assert_eq!(
                truth(&format!("({a}) and ({b})")),
                and(ta, tb),
                "{a} and {b}"
            );
            assert_eq!(truth(&format!("({a}) or ({b})")), or(ta, tb), "{a} or {b}");
        }
    }
}

fn not(a: Truth) -> Truth {
    match a {
        True => False,
        False => True,
        Unknown => Unknown,
    }
}

fn and(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (False, _) | (_, False) => False,
        (True, True) => True,
        _ => Unknown,
    }
}

fn or(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (True, _) | (_, True) => True,
        (False, False) => False,
        _ => Unknown,
    }
}

// ---- comparisons ----

#[test]
fn comparisons_of_given_values() {
    let cases = [
        ("1 = 1", True),
        ("1 != 1", False),
        ("2 > 1", True),
        ("2 <= 1", False),
        ("£100 < £150", True),
        ("£1.2m = £1,200,000", True),
        ("40% = 40", True),
        ("commencement before end", True),
        ("commencement on or after end", False),
        ("end - commencement = 364", True),
        ("commencement + 1 year = 2026-04-01", True),
        ("financial_year(commencement) = financial_year(end)", True),
        ("title = \"Test agreement\"", True),
        ("title is \"Test Agreement\"", False),
        ("pool.host = \"icb\"", True),
        // A reference equals the item it names.
        (
            "pool.host = first p in partners where p.kind = \"icb\"",
            True,
        ),
        (
            "scheme.client_groups = [\"carers\", \"older people\"]",
            True,
        ),
        ("scheme.client_groups = [\"carers\"]", False),
        ("rolling", True),
        ("rolling = false", False),
    ];
    for (cond, want) in cases {
        assert_eq!(truth(cond), want, "{cond}");
    }
}

#[test]
fn comparisons_with_absent_values_are_unknown() {
    let cases = [
        ("review.next = 2026-01-01", Unknown),
        ("review.next != 2026-01-01", Unknown),
        ("review.next on or after 2026-01-01", Unknown),
        ("status = \"draft\"", Unknown),
        ("status != \"draft\"", Unknown),
        // ... but an absent yes/no field on its own reads as no,
        ("review.frequency is absent", True),
        ("consultation.joint and bcf.hwb_approval is absent", True),
        // and a field with a default in the field table reads as that default.
        ("legal_basis = \"section_75\"", True),
        ("legal_basis is present", True),
    ];
    for (cond, want) in cases {
        assert_eq!(truth(cond), want, "{cond}");
    }
    let no_rolling = base_with("rolling: true\n", "");
    assert_eq!(truth_in(&no_rolling, "rolling"), False);
    assert_eq!(truth_in(&no_rolling, "not rolling"), True);
    let stated = base_with(
        "rolling: true\n",
        "rolling: true\nlegal_basis: section_256\n",
    );
    assert_eq!(truth_in(&stated, "legal_basis = \"section_75\""), False);
}

#[test]
fn comparisons_with_values_that_failed_to_load_are_unknown() {
    let bad_end = base_with("end: 2026-03-31\n", "end: 2026-02-30\n");
    let bad_amount = base_with("amount: \"£50\"", "amount: \"lots\"");
    let bad_host = base_with("host: icb", "host: nobody");
    let cases = [
        (&bad_end, "end after 2026-01-01", Unknown),
        (&bad_end, "end = end", Unknown),
        (&bad_end, "end is unreadable", True),
        (&bad_end, "commencement is unreadable", False),
        (&bad_end, "end is present", Unknown),
        (
            &bad_amount,
            "all c in pool.contributions satisfy c.amount > £0",
            Unknown,
        ),
        (
            &bad_amount,
            "any c in pool.contributions where c.amount > £60",
            True,
        ),
        // A reference to no declared partner is unknown, not unequal.
        (&bad_host, "pool.host = \"icb\"", Unknown),
        (&bad_host, "pool.host.kind = \"icb\"", Unknown),
    ];
    for (yaml, cond, want) in cases {
        assert_eq!(truth_in(yaml, cond), want, "{cond}");
    }
}

#[test]
fn presence_and_placeholders() {
    let tbc = base_with("title: Test agreement\n", "title: TBC\n");
    let empty = base_with(
        "    client_groups: [older people, carers]\n",
        "    client_groups: []\n",
    );
    let cases = [
        (BASE, "title is present", True),
        (BASE, "review is absent", True),
        (BASE, "review is missing", True),
        (BASE, "review is not present", True),
        (BASE, "title is a placeholder", False),
        (&empty, "scheme.client_groups is present", False),
        (&tbc, "title is a placeholder", True),
        (&tbc, "title is not a placeholder", False),
        // Placeholder text is neither given nor absent: AGR-PLACEHOLDER reports it, once.
        (&tbc, "title is present", Unknown),
        (&tbc, "title is absent", Unknown),
        // ... and compares as absent.
        (&tbc, "title = \"TBC\"", Unknown),
    ];
    for (yaml, cond, want) in cases {
        assert_eq!(truth_in(yaml, cond), want, "{cond}");
    }
}

// ---- membership: `in`, `not in`, `contains`, `matches` ----

#[test]
fn in_and_not_in() {
    let bad_host = base_with("host: icb", "host: nobody");
    let cases = [
        (BASE, "pool.host in (\"icb\", \"la\")", True),
        (BASE, "pool.host in (\"la\")", False),
        (BASE, "pool.host not in (\"la\")", True),
        (BASE, "1 in (1, 2)", True),
        (BASE, "3 in (1, 2)", False),
        (BASE, "3 not in (1, 2)", True),
        (BASE, "\"carers\" in scheme.client_groups", True),
        (BASE, "\"staff\" in scheme.client_groups", False),
        // Text in text is found ignoring case.
        (BASE, "\"AGREE\" in title", True),
        (
            BASE,
            "legal_basis in (\"section_75\", \"care_trust\")",
            True,
        ),
        (BASE, "status in (\"draft\", \"signed\")", Unknown),
        (BASE, "status not in (\"draft\", \"signed\")", Unknown),
        (BASE, "review.next in (2026-01-01, 2027-01-01)", Unknown),
        (&bad_host, "pool.host in (\"icb\", \"la\")", Unknown),
        (&bad_host, "pool.host not in (\"icb\", \"la\")", Unknown),
    ];
    for (yaml, cond, want) in cases {
        assert_eq!(truth_in(yaml, cond), want, "{cond}");
    }
}

#[test]
fn contains() {
    let bad_amount = base_with("amount: \"£50\"", "amount: \"lots\"");
    let cases = [
        (BASE, "scheme.client_groups contains \"carers\"", True),
        (BASE, "scheme.client_groups contains \"Carers\"", False),
        (BASE, "consultation.with contains \"Carers\"", True),
        (
            BASE,
            "scheme.arrangements contains \"lead_commissioning\"",
            False,
        ),
        (BASE, "title contains \"AGREEMENT\"", True),
        (BASE, "title contains \"pool\"", False),
        (BASE, "[1, 2] contains 2", True),
        // Looking in something absent is unknown, though going through it item by item finds
        // nothing (see `quantifiers_over_absent_and_unknown_lists`).
        (BASE, "scheme.services contains \"x\"", Unknown),
        (BASE, "review.frequency contains \"x\"", Unknown),
    ];
    for (yaml, cond, want) in cases {
        assert_eq!(truth_in(yaml, cond), want, "{cond}");
    }
    // In a list holding an unknown item, a hit is found but a miss is unknown; `in` and
    // `contains` agree.
    // (Money comes last: a money literal followed by `, ` reads the comma as part of the amount,
    // so `[£100, x]` does not parse.)
    let list = "[earliest of c.amount for each c in pool.contributions, £100]";
    let cases = [
        (format!("{list} contains £100"), True),
        (format!("{list} contains £7"), Unknown),
        (format!("£100 in {list}"), True),
        (format!("£7 in {list}"), Unknown),
        (format!("£7 not in {list}"), Unknown),
    ];
    for (cond, want) in cases {
        assert_eq!(truth_in(&bad_amount, &cond), want, "{cond}");
    }
}

#[test]
fn matches() {
    let cases = [
        ("title matches \"(?i)^test\"", True),
        ("title matches \"^agreement\"", False),
        // A list matches when one of its items does.
        ("scheme.client_groups matches \"^old\"", True),
        ("pool.name matches \"pool\" except \"Test pool\"", False),
        ("review.frequency matches \"x\"", False),
    ];
    for (cond, want) in cases {
        assert_eq!(truth(cond), want, "{cond}");
    }
}

// ---- quantifiers: `any`, `all`, `no` ----

/// Signature dates whose test `s.date before 2025-02-01` is true, false, unknown because the
/// date failed to load, and unknown because the signature has no date.
const ST: &str = "2025-01-15";
const SF: &str = "2025-03-01";
const SU: &str = "2025-02-30";
const SA: &str = "";

#[test]
fn quantifiers_over_items_true_false_absent_and_unknown() {
    // `any` and `no` read `where` as a filter: an item whose condition is unknown (absent or
    // failed to load) is not selected, so it never hides what the other items settle.
    // `all ... satisfy` is not a filter: such an item leaves `all` unknown unless another
    // item fails.
    let cases: &[(&[&str], [Truth; 3])] = &[
        // items         any      all      no
        // (`signatures:` with nothing under it)
        (&[], [False, True, True]),
        (&[ST], [True, True, False]),
        (&[SF], [False, False, True]),
        (&[ST, SF], [True, False, False]),
        (&[ST, ST], [True, True, False]),
        (&[SF, SF], [False, False, True]),
        (&[ST, SU], [True, Unknown, False]),
        (&[SU, ST], [True, Unknown, False]),
        (&[SF, SU], [False, False, True]),
        (&[SU, SF], [False, False, True]),
        (&[SU], [False, Unknown, True]),
        (&[ST, SA], [True, Unknown, False]),
        (&[SA, ST], [True, Unknown, False]),
        (&[SF, SA], [False, False, True]),
        (&[SA, SF], [False, False, True]),
        (&[SA], [False, Unknown, True]),
        (&[SA, SU], [False, Unknown, True]),
        (&[SA, SU, ST], [True, Unknown, False]),
        (&[SA, SU, SF], [False, False, True]),
    ];
    for (dates, [any, all, no]) in cases {
        let yaml = with_signatures(dates);
        let q = |k: &str, w: &str| format!("{k} s in signatures {w} s.date before 2025-02-01");
        assert_eq!(truth_in(&yaml, &q("any", "where")), *any, "any {dates:?}");
        assert_eq!(truth_in(&yaml, &q("all", "satisfy")), *all, "all {dates:?}");
        assert_eq!(truth_in(&yaml, &q("no", "where")), *no, "no {dates:?}");
    }
}

#[test]
fn quantifiers_over_absent_and_unknown_lists() {
    // An absent list has no items.
    let cases = [
        ("any s in signatures where s.date before 2025-02-01", False),
        ("all s in signatures satisfy s.date before 2025-02-01", True),
        ("no s in signatures where s.date before 2025-02-01", True),
        ("any s in scheme.services where s = \"x\"", False),
    ];
    for (cond, want) in cases {
        assert_eq!(truth(cond), want, "{cond}");
    }
    // A list that failed to load (a mapping where a list belongs) is unknown, whatever the
    // quantifier.
    let bad = base_with(
        "    client_groups: [older people, carers]\n",
        "    client_groups: {a: b}\n",
    );
    for k in ["any", "all", "no"] {
        let cond = format!("{k} g in scheme.client_groups where g = \"carers\"");
        assert_eq!(truth_in(&bad, &cond), Unknown, "{cond}");
    }
}

#[test]
fn a_quantifier_whose_condition_reads_an_absent_field_selects_nothing() {
    // No pool has a manager: for each pool `p.pool_manager.name = ...` is unknown, so no pool
    // is selected. "No pool is managed by X" holds; "some pool is" does not.
    assert_eq!(
        truth("any p in pools where p.pool_manager.name = \"X\""),
        False
    );
    assert_eq!(
        truth("no p in pools where p.pool_manager.name = \"X\""),
        True
    );
    // For the item that would settle `any`, `and` with an unknown is unknown, so the item is
    // not selected; `or` with a true part selects it.
    assert_eq!(
        truth("any c in pool.contributions where c.amount > £60 and review.next after 2025-01-01"),
        False
    );
    assert_eq!(
        truth("any c in pool.contributions where c.amount > £60 or review.next after 2025-01-01"),
        True
    );
    // A rule that wants a failed-to-load item to count as "may match" says so.
    let bad = with_signatures(&[SF, SU]);
    assert_eq!(
        truth_in(
            &bad,
            "any s in signatures where (s.date before 2025-02-01 or s.date is unreadable)"
        ),
        True
    );
}

/// Two more schemes beside S1 (which has no pool): S2 in pool P1 and S3 whose pool names
/// nothing declared, and a second pool P2 used by none. `s.pool = pool` is a lookup by
/// reference, answered from an index of the schemes; it must select exactly what walking the
/// list would.
const SCHEMES: &str = "  - id: S2
    name: Second scheme
    arrangements: [pooled_fund]
    pool: P1
    allocation: {2025-26: \"£40\"}
  - id: S3
    name: Third scheme
    arrangements: [pooled_fund]
    pool: P9
    allocation: {2025-26: \"£70\"}
  - id: S4
    name: Fourth scheme
    arrangements: [pooled_fund]
    pool: P1
    allocation: {2025-26: \"£5\"}
";

fn with_schemes() -> String {
    let mut yaml = BASE.replace(
        "    pooled_total: {2025-26: \"£150\"}\n",
        "    pooled_total: {2025-26: \"£150\"}\n  - id: P2\n    name: Second pool\n    host: la\n",
    );
    yaml.push_str(SCHEMES);
    yaml
}

#[test]
fn lookups_by_reference_select_what_walking_the_list_selects() {
    let yaml = with_schemes();
    let p2 = "first p in pools where p.id = \"P2\"";
    let cases = [
        // Indexed: `s.pool = pool`. S1 (no pool) and S3 (unknown pool) are not selected.
        ("count of s in schemes where s.pool = pool", "2"),
        ("count of s in schemes where pool = s.pool", "2"),
        (
            "sum of s.allocation[\"2025-26\"] for each s in schemes where s.pool = pool",
            "£45",
        ),
        ("first s in schemes where s.pool = pool", "S2"),
        (
            "first s in schemes where s.pool = pool and s.allocation[\"2025-26\"] < £10",
            "S4",
        ),
        ("any s in schemes where s.pool = pool", "yes"),
        ("no s in schemes where s.pool = pool", "no"),
        // A pool no scheme uses is seen as unused, whatever S1 and S3 hold.
        (&format!("any s in schemes where s.pool = {p2}"), "no"),
        // Compared by text rather than by reference: the same answer.
        ("count of s in schemes where s.pool = \"P1\"", "2"),
    ];
    for (expr, want) in cases {
        assert_eq!(value_in(&yaml, expr), want, "{expr}");
    }
    // `for each ... where` selects the same items.
    let body = "  for each s in schemes where s.pool = pool\n    require false\n      otherwise \"{s.id}\"\n";
    assert_eq!(run(&yaml, body), ["S2", "S4"]);
}

// ---- aggregates: `sum`, `count`, `earliest`, `latest`, `first`, `keys` ----

#[test]
fn sums() {
    let absent_amount = base_with(
        "      - {partner: la, year: 2025-26, amount: \"£50\"}\n",
        "      - {partner: la, year: 2025-26}\n",
    );
    let bad_amount = base_with("amount: \"£50\"", "amount: \"lots\"");
    let cases = [
        (
            BASE,
            "sum of c.amount for each c in pool.contributions",
            "£150",
        ),
        (
            BASE,
            "sum of c.amount for each c in pool.contributions where c.partner = \"la\"",
            "£50",
        ),
        (BASE, "sum of pool.pooled_total", "£150"),
        // The sum of nothing is a zero of the kind summed.
        (
            BASE,
            "sum of c.amount for each c in pool.contributions where c.amount > £1m",
            "£0",
        ),
        (BASE, "sum of c.amount for each c in scheme.payments", "£0"),
        (BASE, "sum of (40%, 20%)", "60%"),
        (BASE, "sum of (1, 2.5)", "3.5"),
        // An absent amount adds nothing ...
        (
            &absent_amount,
            "sum of c.amount for each c in pool.contributions",
            "£100",
        ),
        // ... but one that failed to load makes the total unknown.
        (
            &bad_amount,
            "sum of c.amount for each c in pool.contributions",
            "(unreadable)",
        ),
        // A filter that is unknown for an item does not select it: the sum is of the others.
        (
            &bad_amount,
            "sum of c.amount for each c in pool.contributions where c.amount > £60",
            "£100",
        ),
        (
            &absent_amount,
            "sum of c.amount for each c in pool.contributions where c.amount < £60",
            "£0",
        ),
        // A selected item whose value failed to load still makes the total unknown.
        (
            &bad_amount,
            "sum of c.amount for each c in pool.contributions where c.year = \"2025-26\"",
            "(unreadable)",
        ),
    ];
    for (yaml, expr, want) in cases {
        assert_eq!(value_in(yaml, expr), want, "{expr}");
    }
    assert_eq!(
        truth("sum of c.amount for each c in pool.contributions = pool.pooled_total[\"2025-26\"]"),
        True
    );
    assert_eq!(
        truth_in(
            &bad_amount,
            "sum of c.amount for each c in pool.contributions > £0"
        ),
        Unknown
    );
}

#[test]
fn counts() {
    let bad_amount = base_with("amount: \"£50\"", "amount: \"lots\"");
    let cases = [
        (BASE, "count of pool.contributions", "2"),
        (
            BASE,
            "count of c in pool.contributions where c.amount > £60",
            "1",
        ),
        (BASE, "count of signatures", "0"),
        (BASE, "count of keys of pool.pooled_total", "1"),
        // Items that failed to load are still counted when there is no filter ...
        (&bad_amount, "count of pool.contributions", "2"),
        // ... and a filter unknown for an item does not count it.
        (
            &bad_amount,
            "count of c in pool.contributions where c.amount > £60",
            "1",
        ),
        (
            &bad_amount,
            "count of c in pool.contributions where c.amount < £60",
            "0",
        ),
    ];
    for (yaml, expr, want) in cases {
        assert_eq!(value_in(yaml, expr), want, "{expr}");
    }
    assert_eq!(
        truth("count of c in pool.contributions where c.amount > £60 = 1"),
        True
    );
}

#[test]
fn earliest_latest_and_first() {
    let dates = with_signatures(&[SF, ST]);
    let with_bad = with_signatures(&[SF, SU, ST]);
    let cases = [
        (
            &dates,
            "earliest of s.date for each s in signatures",
            "15 January 2025",
        ),
        (
            &dates,
            "latest of s.date for each s in signatures",
            "1 March 2025",
        ),
        (
            &with_bad,
            "earliest of s.date for each s in signatures",
            "(unreadable)",
        ),
        // The earliest of nothing is not given.
        (
            &BASE.to_string(),
            "earliest of s.date for each s in signatures",
            "(not given)",
        ),
        (
            &dates,
            "first s in signatures where s.date after 2025-02-01",
            "Signer 1",
        ),
        // An item whose condition is unknown is passed over.
        (
            &with_bad,
            "first s in signatures where s.date before 2025-02-01",
            "Signer 3",
        ),
        (
            &dates,
            "first s in signatures where s.date after 2030-01-01",
            "(not given)",
        ),
    ];
    for (yaml, expr, want) in cases {
        assert_eq!(value_in(yaml, expr), want, "{expr}");
    }
}

// ---- values as messages show them ----

#[test]
fn values_of_literals_fields_and_functions() {
    let cases = [
        ("\"text\"", "text"),
        ("12", "12"),
        ("12.5", "12.5"),
        ("£1,200,000", "£1,200,000"),
        ("£1.2m", "£1,200,000"),
        ("40%", "40%"),
        ("2025-04-01", "1 April 2025"),
        ("90 days", "90 days"),
        ("true", "yes"),
        ("(1, 2)", "1, 2"),
        ("title", "Test agreement"),
        ("pool", "P1"),
        ("pool.host", "icb"),
        ("pool.host.name", "Test ICB"),
        ("scheme.arrangements", "pooled fund"),
        (
            "scheme.client_groups + consultation.with",
            "older people, carers, Patients, Carers",
        ),
        ("pool.pooled_total[\"2025-26\"]", "£150"),
        ("keys of pool.pooled_total", "2025-26"),
        ("legal_basis", "section_75"),
        ("review.next", "(not given)"),
        ("1 = 1", "yes"),
        ("review.next = 2026-01-01", "(unreadable)"),
        ("£100 * 10%", "£10"),
        ("£100 / 4", "£25"),
        ("£150 / £100", "1.5"),
        ("-£5 + £10", "£5"),
        ("commencement + 1 month", "1 May 2025"),
        ("2025-01-31 + 1 month", "28 February 2025"),
        ("end - commencement", "364"),
        ("financial_year(commencement)", "2025-26"),
        (
            "financial_years(commencement, 2027-06-01)",
            "2025-26, 2026-27, 2027-28",
        ),
        ("days_between(commencement, end)", "364"),
        ("location(pool.host)", "pools[P1].host"),
        // An absent top-level field is placed at the agreement itself, which has no path.
        ("location(review)", ""),
        ("lowercase(title)", "test agreement"),
        ("lowercase(review.frequency)", "(unreadable)"),
        ("financial_year(review.next)", "(unreadable)"),
    ];
    for (expr, want) in cases {
        assert_eq!(value(expr), want, "{expr}");
    }
}

#[test]
fn values_read_from_fields_that_failed_to_load() {
    let bad_end = base_with("end: 2026-03-31\n", "end: 2026-02-30\n");
    let cases = [
        ("end", "(unreadable)"),
        ("end + 1 month", "(unreadable)"),
        ("financial_year(end)", "(unreadable)"),
        ("days_between(commencement, end)", "(unreadable)"),
        ("end - commencement", "(unreadable)"),
        ("earliest of (commencement, end)", "(unreadable)"),
    ];
    for (expr, want) in cases {
        assert_eq!(value_in(&bad_end, expr), want, "{expr}");
    }
}

#[test]
fn a_for_each_filter_that_is_unknown_skips_the_item() {
    // In a statement, unlike a `sum`/`count` filter, an item whose `where` is unknown is
    // left out and the others are still checked.
    let bad_amount = base_with("amount: \"£50\"", "amount: \"lots\"");
    let body = "  for each c in pool.contributions where c.amount < £1m\n    require false\n      otherwise \"{c.partner}\"\n";
    assert_eq!(run(&bad_amount, body), vec!["icb".to_string()]);
    assert_eq!(run(BASE, body), vec!["icb".to_string(), "la".to_string()]);
}

// ---- the shipped rules: a value that failed to load is reported once ----

mod common;

/// A replacement in an agreement: from, to, and whether every occurrence.
type Edit<'a> = (&'a str, &'a str, bool);

/// The rule ids the shipped rules report on the valid Better Care Fund example with each
/// `(from, to)` replaced (every occurrence when `all`), in the order reported.
fn shipped_on_bcf(edits: &[Edit]) -> Vec<String> {
    let mut yaml =
        std::fs::read_to_string(common::root().join("fixtures/valid/bcf-pooled-fund.yaml"))
            .expect("the Better Care Fund example");
    for (from, to, all) in edits {
        assert!(yaml.contains(from), "the example has no `{from}`");
        yaml = if *all {
            yaml.replace(from, to)
        } else {
            yaml.replacen(from, to, 1)
        };
    }
    let mut ids: Vec<String> = common::check_text(&yaml)
        .findings
        .iter()
        .map(|f| f.rule.clone())
        .collect();
    ids.sort();
    ids
}

#[test]
fn shipped_rules_do_not_repeat_a_value_that_failed_to_load() {
    // Since `where` does not select an item whose condition is unknown, rules that look for
    // "some item that ..." must say when an unreadable item may be the one looked for (the
    // audit of issue 14). Each case: the edit, and all that the shipped rules report.
    let cases: &[(&[Edit], &[&str])] = &[
        // A misspelt signature partner: S75-SIGNED does not also report the ICB as unsigned.
        (
            &[(
                "  - partner: icb\n    name: Dr",
                "  - partner: icbb\n    name: Dr",
                false,
            )],
            &["FMT-UNKNOWN-REF"],
        ),
        // ... but a partner that certainly has not signed is still reported.
        (
            &[
                (
                    "  - partner: exc\n    name: Helen",
                    "  - partner: exx\n    name: Helen",
                    false,
                ),
                (
                    "  - partner: icb\n    name: Dr",
                    "  - partner: icbb\n    name: Dr",
                    false,
                ),
            ],
            &["FMT-UNKNOWN-REF", "FMT-UNKNOWN-REF"],
        ),
        (
            &[
                (
                    "  - partner: icb\n    name: Dr",
                    "  - partner: icbb\n    name: Dr",
                    false,
                ),
                (
                    "  - partner: exc\n    name: Helen",
                    "  - x-partner: exc\n    name: Helen",
                    false,
                ),
            ],
            &["FMT-UNKNOWN-REF", "S75-SIGNED", "S75-SIGNED"],
        ),
        // A partner kind outside the list: S75-PARTIES and BCF-POOLED-FUND do not say there is
        // no ICB.
        (
            &[(
                "    kind: icb\n",
                "    kind: integrated_care_board\n",
                false,
            )],
            &["FMT-TYPE"],
        ),
        // A contribution that cannot be read: no FIN-*, S75-CONTRIBUTIONS, AC-MISLABELLED-POOL.
        (
            &[(
                "amount: \"£41,920,000\"",
                "amount: \"£41.92 million\"",
                false,
            )],
            &["FMT-TYPE"],
        ),
        (
            &[(
                "{partner: icb, year: 2025-26,",
                "{partner: icb, year: 2025/26,",
                false,
            )],
            &["FMT-TYPE"],
        ),
        // Every scheme's pool misspelt: four reference errors, and the pool is not reported as
        // unused (each scheme may be meant to use it).
        (
            &[("    pool: BCF\n", "    pool: BFC\n", true)],
            &["FMT-UNKNOWN-REF"; 4],
        ),
    ];
    for (edits, want) in cases {
        assert_eq!(shipped_on_bcf(edits), *want, "{edits:?}");
    }
}

#[test]
fn a_legal_basis_that_forbids_the_arrangements_is_one_finding_with_a_label_on_each() {
    // A Better Care Fund mislabelled non-statutory: S75-LEGAL-BASIS once, at `legal_basis`,
    // marking the pool and its four pooled fund schemes (it was one finding per scheme), and
    // BCF-POOLED-FUND.
    let yaml = std::fs::read_to_string(common::root().join("fixtures/valid/bcf-pooled-fund.yaml"))
        .expect("the Better Care Fund example")
        .replacen("legal_basis: section_75", "legal_basis: non_statutory", 1);
    let r = common::check_text(&yaml);
    let mut ids: Vec<&str> = r.findings.iter().map(|f| f.rule.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["BCF-POOLED-FUND", "S75-LEGAL-BASIS"]);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "S75-LEGAL-BASIS")
        .expect("S75-LEGAL-BASIS");
    assert_eq!(&r.source[f.span.start..f.span.end], "non_statutory");
    let labels: Vec<(&str, &str)> = f
        .labels
        .iter()
        .map(|l| (&r.source[l.span.start..l.span.end], l.text.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("BCF", "pool"),
            ("[pooled_fund, lead_commissioning]", "pooled fund scheme"),
            ("[pooled_fund]", "pooled fund scheme"),
            ("[pooled_fund]", "pooled fund scheme"),
            ("[pooled_fund]", "pooled fund scheme"),
        ]
    );
}
