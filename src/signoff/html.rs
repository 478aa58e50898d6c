//! `s75lint report`: the sign-off report, one self-contained HTML page for a board paper.
//!
//! Inline CSS and SVG, no script, and a Content-Security-Policy that forbids every fetch, so
//! the page reads the same offline, attached to an email or printed. Built with `maud`, whose
//! templates escape every value: text from an agreement can never become markup.
//!
//! Sections: summary; compliance matrix (agreements by the areas of the Audit Commission's
//! Table 1, plus the other statutory requirements, good practice, and the file itself); what
//! falls due (overdue, within 90 days, within 91-180 days); money by year, partner and pool
//! with totals that reconcile; waived findings; then each agreement on its own printed page
//! with its findings, quoted lines, citations and help. Meaning never rests on colour alone:
//! every coloured mark has a symbol and a word beside it.

use super::facts::{Facts, Kind, Obligation};
use super::{severity_word, Entry, Item, Portfolio};
use crate::agreement::values::{Money, Year};
use crate::finding::Severity;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::collections::BTreeMap;

/// A compliance area: a column of the matrix.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Area {
    /// Short heading.
    pub short: &'static str,
    /// What it covers.
    pub title: &'static str,
}

/// The matrix columns: the eleven rows of the Audit Commission's Table 1 (*Means to an end*,
/// 2009), then statutory requirements with no Table 1 row, other good practice, and problems
/// in the file itself or its waivers.
pub(crate) const AREAS: &[Area] = &[
    Area {
        short: "1 Aims",
        title: "Table 1 row 1: annually agreed aims and outcomes",
    },
    Area {
        short: "2 Functions",
        title: "Table 1 row 2: the NHS and council functions covered",
    },
    Area {
        short: "3 Host",
        title: "Table 1 row 3: the host partner",
    },
    Area {
        short: "4 Management",
        title: "Table 1 row 4: management, monitoring and reporting",
    },
    Area {
        short: "5 Governance",
        title: "Table 1 row 5: governance arrangements",
    },
    Area {
        short: "6 Client groups",
        title: "Table 1 row 6: the client groups served",
    },
    Area {
        short: "7 Money",
        title: "Table 1 row 7: contributions, resources, surpluses and deficits",
    },
    Area {
        short: "8 Capital",
        title: "Table 1 row 8: ownership of capital items",
    },
    Area {
        short: "9 Duration",
        title: "Table 1 row 9: the duration of the arrangement",
    },
    Area {
        short: "10 Review and exit",
        title: "Table 1 row 10: review, renewal, termination and exit",
    },
    Area {
        short: "11 Technical",
        title: "Table 1 row 11: VAT, liability, insurance, indemnity, complaints, disputes",
    },
    Area {
        short: "Statutory",
        title: "Other statutory requirements (NHS Act 2006 s75, SI 2000/617)",
    },
    Area {
        short: "Good practice",
        title: "Other good practice",
    },
    Area {
        short: "File",
        title: "The file itself and its waivers",
    },
];

const STATUTORY: usize = 11;
const GOOD_PRACTICE: usize = 12;
const FILE: usize = 13;

/// The matrix column of a rule: the Table 1 row its citations name, else by its id's prefix
/// (`FIN-` rules are about the money of Table 1 row 7).
pub(crate) fn area_of(id: &str, citations: &[String]) -> usize {
    if id.starts_with("FMT-") || id.starts_with("WAIVER-") {
        return FILE;
    }
    for c in citations {
        if let Some(at) = c.find("Table 1 row ") {
            let digits: String = c[at + 12..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Ok(n) = digits.parse::<usize>() {
                if (1..=11).contains(&n) {
                    return n - 1;
                }
            }
        }
    }
    if id.starts_with("FIN-") {
        6
    } else if id.starts_with("S75-") || id.starts_with("BCF-") {
        STATUTORY
    } else {
        GOOD_PRACTICE
    }
}

const CSS: &str = r#"
:root{--ink:#0b0c0c;--muted:#484f53;--line:#b1b4b6;--link:#1d4f91;--err:#8a1f11;--err-bg:#fde8e6;--warn:#594000;--warn-bg:#fff2cc;--ok:#0f5223;--ok-bg:#e3f1e6;--note:#12436d;--note-bg:#e8f1f8;--bar:#1d70b8}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:var(--ink);background:#fff}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fd0;color:var(--ink);padding:4px 8px;z-index:1}
header,main,footer,nav{padding:0 24px;max-width:1400px;margin:0 auto}
header{border-bottom:4px solid var(--ink)}
h1{font-size:1.9rem;margin:16px 0 4px}h2{font-size:1.5rem;margin-top:32px;border-bottom:1px solid var(--line)}h3{font-size:1.25rem}h4{font-size:1.05rem;margin:16px 0 4px}
a{color:var(--link)}a:focus{outline:3px solid #fd0;background:#fd0;color:var(--ink)}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 20px}
table{border-collapse:collapse;margin:8px 0 16px}caption{text-align:left;font-weight:bold;padding:4px 0}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:#f3f2f1}td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;white-space:nowrap}
tfoot th,tfoot td{font-weight:bold;border-top:2px solid var(--ink)}
.scroll{overflow-x:auto;max-width:100%}
.matrix th[scope=col]{font-size:.8rem;min-width:5.5em}
.matrix td{font-size:.85rem;white-space:nowrap}
.err{background:var(--err-bg);color:var(--err)}.warn{background:var(--warn-bg);color:var(--warn)}.ok{background:var(--ok-bg);color:var(--ok)}.note{background:var(--note-bg);color:var(--note)}.na{color:var(--muted)}
td.err a,td.warn a,td.note a{color:inherit}
.summary{display:flex;flex-wrap:wrap;gap:12px;padding:0;list-style:none}
.summary li{border:1px solid var(--line);padding:8px 16px;min-width:9em}.summary b{display:block;font-size:1.6rem}
.agreement{border-top:3px solid var(--ink);margin-top:32px}
.finding{border-left:6px solid var(--line);padding:4px 12px;margin:8px 0;list-style:none}
.finding.error{border-left-color:var(--err)}.finding.warning{border-left-color:#b58800}.finding.note{border-left-color:var(--note)}
.finding p{margin:4px 0}.sev{font-weight:bold;padding:0 6px}
ol.findings{padding:0}
pre{background:#f3f2f1;padding:6px 8px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem;margin:4px 0}
pre .ln{color:var(--muted);user-select:none}mark{background:#fd0;color:var(--ink);text-decoration:underline}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 16px}dl.facts dt{font-weight:bold}dl.facts dd{margin:0}
.muted{color:var(--muted)}td.date{white-space:nowrap}.file{font-weight:normal;font-size:.75rem}
footer{border-top:1px solid var(--line);margin-top:40px;padding-bottom:24px;color:var(--muted)}
@media print{
 @page{size:A4 landscape;margin:12mm}
 body{font-size:10pt}nav,.skip{display:none}
 a{color:inherit;text-decoration:none}
 .agreement{break-before:page}
 h2,h3,h4{break-after:avoid}tr,.finding{break-inside:avoid}
 .scroll{overflow:visible}
 .matrix th,.matrix th[scope=col],.matrix td{font-size:7pt;padding:1px 3px;min-width:0}
 .err,.warn,.ok,.note{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"#;

const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A matrix cell: its class, symbol and words.
struct Cell {
    class: &'static str,
    symbol: &'static str,
    words: String,
    linked: bool,
}

fn cell(e: &Entry, area: usize, portfolio: &Portfolio) -> Cell {
    let (mut err, mut warn, mut info, mut waived) = (0, 0, 0, 0);
    for i in e.items.iter().filter(|i| i.area == area) {
        match (i.finding.counts(), i.finding.severity) {
            (false, _) => waived += 1,
            (true, Severity::Error) => err += 1,
            (true, Severity::Warning) => warn += 1,
            (true, Severity::Info) => info += 1,
        }
    }
    let checked = area == FILE
        || e.rules_checked
            .iter()
            .any(|r| portfolio.areas.get(r) == Some(&area));
    let extra = if waived > 0 {
        format!(" ({waived} waived)")
    } else {
        String::new()
    };
    let (class, symbol, words) = if err > 0 {
        ("err", "✗", plural(err, "error", "errors"))
    } else if warn > 0 {
        ("warn", "⚠", plural(warn, "warning", "warnings"))
    } else if info > 0 {
        ("note", "ℹ", plural(info, "note", "notes"))
    } else if checked || waived > 0 {
        ("ok", "✓", "pass".to_string())
    } else {
        ("na", "–", "n/a".to_string())
    };
    Cell {
        class,
        symbol,
        words: format!("{words}{extra}"),
        linked: err + warn + info + waived > 0,
    }
}

fn money(m: Money) -> String {
    m.to_string()
}

fn bar(value: i64, max: i64) -> Markup {
    const W: i64 = 160;
    let w = if max > 0 {
        ((value.max(0) as i128 * W as i128) / max as i128) as i64
    } else {
        0
    };
    html! {
        svg width=(W) height="12" viewBox=(format!("0 0 {W} 12")) aria-hidden="true" focusable="false" {
            rect x="0" y="0" width=(W) height="12" fill="#f3f2f1" {}
            rect x="0" y="0" width=(w) height="12" fill="#1d70b8" {}
        }
    }
}

/// One flow of money: who pays, into what, for which year.
struct Flow {
    partner: String,
    into: String,
    year: Option<Year>,
    amount: Money,
}

fn flows(p: &Portfolio) -> Vec<Flow> {
    let mut out = Vec::new();
    for e in &p.entries {
        let Some(f) = &e.facts else { continue };
        let id = f.id_or(&e.path);
        let partner = |pid: &str| {
            f.partners
                .iter()
                .find(|x| x.id == pid)
                .and_then(|x| x.name.clone())
                .unwrap_or_else(|| pid.to_string())
        };
        for pool in &f.pools {
            for c in &pool.contributions {
                out.push(Flow {
                    partner: partner(&c.partner),
                    into: format!("{id} / pool {}", pool.id),
                    year: c.year,
                    amount: c.amount,
                });
            }
        }
        for s in &f.schemes {
            for c in &s.payments {
                out.push(Flow {
                    partner: partner(&c.partner),
                    into: format!("{id} / scheme {} (payments)", s.id),
                    year: c.year,
                    amount: c.amount,
                });
            }
        }
        for c in &f.grant {
            out.push(Flow {
                partner: partner(&c.partner),
                into: format!("{id} / grant"),
                year: c.year,
                amount: c.amount,
            });
        }
    }
    out
}

fn year_label(y: Option<Year>) -> String {
    y.map_or_else(|| "year not stated".into(), |y| y.to_string())
}

/// A money table: one row per key, one column per year, a total column with a bar, and a
/// total row. Returns the markup and the grand total (pence).
fn money_table(
    caption: &str,
    head: &str,
    flows: &[Flow],
    key: impl Fn(&Flow) -> String,
    bars: bool,
) -> (Markup, i64) {
    let years: Vec<Option<Year>> = {
        let mut y: Vec<Option<Year>> = flows.iter().map(|f| f.year).collect();
        y.sort();
        y.dedup();
        y
    };
    let mut rows: BTreeMap<String, BTreeMap<Option<Year>, i64>> = BTreeMap::new();
    for f in flows {
        // Saturating: amounts near the format's limit must not overflow (never panic on input).
        let v = rows.entry(key(f)).or_default().entry(f.year).or_default();
        *v = v.saturating_add(f.amount.0);
    }
    let mut col_totals: BTreeMap<Option<Year>, i64> = BTreeMap::new();
    let totals: Vec<(String, i64)> = rows
        .iter()
        .map(|(k, ys)| {
            for (y, v) in ys {
                let t = col_totals.entry(*y).or_default();
                *t = t.saturating_add(*v);
            }
            (
                k.clone(),
                ys.values().fold(0i64, |a, v| a.saturating_add(*v)),
            )
        })
        .collect();
    let grand = totals.iter().fold(0i64, |a, (_, t)| a.saturating_add(*t));
    let max = totals.iter().map(|(_, t)| *t).max().unwrap_or(0);
    let markup = html! {
        div.scroll role="region" aria-label=(caption) tabindex="0" {
            table {
                caption { (caption) }
                thead { tr {
                    th scope="col" { (head) }
                    @for y in &years { th.num scope="col" { (year_label(*y)) } }
                    th.num scope="col" { "Total" }
                    @if bars { th scope="col" { "Share of the largest" } }
                } }
                tbody {
                    @for (k, t) in &totals {
                        tr {
                            th scope="row" { (k) }
                            @for y in &years {
                                td.num { @if let Some(v) = rows[k].get(y) { (money(Money(*v))) } @else { "–" } }
                            }
                            td.num { (money(Money(*t))) }
                            @if bars { td { (bar(*t, max)) } }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" { "Total" }
                    @for y in &years { td.num { (money(Money(col_totals.get(y).copied().unwrap_or(0)))) } }
                    td.num data-total=(grand) { (money(Money(grand))) }
                    @if bars { td {} }
                } }
            }
        }
    };
    (markup, grand)
}

fn due_table(caption: &str, id: &str, rows: &[(&Entry, &Obligation, i64)]) -> Markup {
    html! {
        h3 id=(id) { (caption) " (" (rows.len()) ")" }
        @if rows.is_empty() {
            p { "Nothing." }
        } @else {
            div.scroll role="region" aria-label=(caption) tabindex="0" {
                table aria-labelledby=(id) {
                    thead { tr {
                        th scope="col" { "Date" }
                        th.num scope="col" { "Days" }
                        th scope="col" { "Agreement" }
                        th scope="col" { "What" }
                        th scope="col" { "Clause" }
                    } }
                    tbody {
                        @for (e, o, days) in rows {
                            tr data-kind=(o.kind.slug()) {
                                td.date { time datetime=(o.date.iso()) { (o.date.to_string()) } }
                                td.num { @if *days < 0 { (-days) " days ago" } @else { "in " (days) " days" } }
                                td { (e.id()) }
                                td { (o.what) }
                                td { code { (o.clause) } " (line " (o.line) ")" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Whether an obligation whose date has passed still calls for action.
fn overdue(f: &Facts, o: &Obligation, today: crate::agreement::values::Date) -> bool {
    let live = f.status.as_deref() != Some("terminated");
    match o.kind {
        Kind::End => live && !f.rolling,
        // Past the notice deadline but not yet at the end: notice can no longer be given.
        Kind::NoticeDeadline => live && !f.rolling && f.end.is_some_and(|e| e >= today),
        Kind::Review => live,
        Kind::WaiverExpiry => true,
        _ => false,
    }
}

fn finding(e_index: usize, j: usize, i: &Item, path: &str) -> Markup {
    let f = &i.finding;
    let sev = severity_word(f.severity);
    let symbol = match f.severity {
        Severity::Error => "✗",
        Severity::Warning => "⚠",
        Severity::Info => "ℹ",
    };
    let class = match f.severity {
        Severity::Error => "err",
        Severity::Warning => "warn",
        Severity::Info => "note",
    };
    html! {
        li.finding.(sev) id=(format!("f-{e_index}-{j}")) data-rule=(f.rule) {
            p {
                span.sev.(class) { span aria-hidden="true" { (symbol) } " " (sev) }
                " " strong { code { (f.rule) } } " " (f.message)
            }
            p.muted { (path) ":" (i.line) ":" (i.column) @if !f.location.is_empty() { " · " code { (f.location) } } }
            @if !i.quoted.is_empty() {
                pre { code {
                    @for q in &i.quoted {
                        span.ln { (format!("{:>4} │ ", q.line)) }
                        (q.before) mark { (q.marked) } (q.after) "\n"
                    }
                } }
            }
            @if !f.label.is_empty() { p { "Marked: " (f.label) } }
            @if !f.citations.is_empty() { p { "Cite: " (f.citations.join("; ")) } }
            @if let Some(h) = &f.help { p { "How to fix: " (h) } }
            @if let Some(w) = &f.waived {
                p { strong { "Waived" } ": " (w.reason) " — approved by " (w.approved_by)
                    @if let Some(x) = &w.expires { ", expires " (x) } }
            }
        }
    }
}

fn agreement(idx: usize, e: &Entry) -> Markup {
    let id = e.id();
    html! {
        section.agreement id=(format!("a-{idx}")) aria-labelledby=(format!("a-{idx}-h")) {
            h3 id=(format!("a-{idx}-h")) { (id) @if let Some(t) = e.facts.as_ref().and_then(|f| f.title.as_ref()) { ": " (t) } }
            dl.facts {
                dt { "File" } dd { code { (e.path) } }
                @if let Some(f) = &e.facts {
                    dt { "Status" } dd { (f.status.as_deref().unwrap_or("not stated")) }
                    dt { "Legal basis" } dd { (f.legal_basis) }
                    dt { "Commencement" } dd { (f.commencement.map_or("not stated".into(), |d| d.to_string())) }
                    dt { "End" } dd { (f.end.map_or("not stated".into(), |d| d.to_string())) @if f.rolling { " (rolling)" } }
                    dt { "Next review" } dd { (f.review_next.map_or("not stated".into(), |d| d.to_string())) }
                    dt { "Partners" } dd { (f.partners.iter().map(|p| format!("{} ({})", p.name.as_deref().unwrap_or(&p.id), p.kind.as_deref().unwrap_or("kind not stated"))).collect::<Vec<_>>().join("; ")) }
                }
                dt { "Findings" } dd { (plural(e.counts.errors, "error", "errors")) ", " (plural(e.counts.warnings, "warning", "warnings")) ", " (plural(e.counts.infos, "note", "notes")) ", " (e.counts.waived) " waived" }
            }
            @if let Some(p) = &e.problem {
                p.err { span aria-hidden="true" { "✗ " } "Could not be checked: " (p) }
            }
            @if e.items.is_empty() && e.problem.is_none() {
                p.ok { span aria-hidden="true" { "✓ " } "No findings." }
            }
            @for (a, area) in AREAS.iter().enumerate() {
                @let items: Vec<(usize, &Item)> = e.items.iter().enumerate().filter(|(_, i)| i.area == a).collect();
                @if !items.is_empty() {
                    h4 id=(format!("a-{idx}-area-{a}")) { (area.short) ": " span.muted { (area.title) } }
                    ol.findings {
                        @for (j, i) in items { (finding(idx, j, i, &e.path)) }
                    }
                }
            }
        }
    }
}

/// The whole page.
pub(crate) fn render(p: &Portfolio) -> String {
    let c = p.counts();
    let today = p.today;
    let checked = p.entries.iter().filter(|e| e.problem.is_none()).count();
    let unchecked = p.entries.len() - checked + p.errors.len();
    // What falls due.
    let mut overdue_rows = Vec::new();
    let mut soon = Vec::new();
    let mut later = Vec::new();
    for e in &p.entries {
        let Some(f) = &e.facts else { continue };
        // Reporting dates, annual statements and outcome targets are in the calendar; here,
        // what a board must act on (over 10,000 agreements the others would bury it).
        let listed = f.obligations.iter().filter(|o| {
            matches!(
                o.kind,
                Kind::Commencement
                    | Kind::End
                    | Kind::NoticeDeadline
                    | Kind::Review
                    | Kind::WaiverExpiry
            )
        });
        for o in listed {
            let days = today.days_until(o.date);
            if days < 0 {
                if overdue(f, o, today) {
                    overdue_rows.push((e, o, days));
                }
            } else if days <= 90 {
                soon.push((e, o, days));
            } else if days <= 180 {
                later.push((e, o, days));
            }
        }
    }
    for rows in [&mut overdue_rows, &mut soon, &mut later] {
        rows.sort_by(|a, b| (a.1.date, a.0.id()).cmp(&(b.1.date, b.0.id())));
    }
    let flows = flows(p);
    let (by_year, t_year) = money_table(
        "Money by financial year",
        "Year",
        &flows,
        |_| "All agreements".into(),
        false,
    );
    let (by_partner, t_partner) = money_table(
        "Money by partner",
        "Partner",
        &flows,
        |f| f.partner.clone(),
        true,
    );
    let (by_pool, t_pool) = money_table(
        "Money by pool, scheme or grant",
        "Agreement / pool",
        &flows,
        |f| f.into.clone(),
        true,
    );
    let reconciles = t_year == t_partner && t_partner == t_pool;
    let mismatched: Vec<(String, Year, Money, Money)> = p
        .entries
        .iter()
        .filter_map(|e| e.facts.as_ref().map(|f| (e, f)))
        .flat_map(|(e, f)| {
            f.pools.iter().flat_map(move |pool| {
                pool.pooled_total.iter().filter_map(move |(y, stated)| {
                    let sum = pool
                        .contributions
                        .iter()
                        .filter(|c| c.year == Some(*y))
                        .fold(0i64, |a, c| a.saturating_add(c.amount.0));
                    (sum != stated.0).then(|| {
                        (
                            format!("{} / pool {}", e.id(), pool.id),
                            *y,
                            *stated,
                            Money(sum),
                        )
                    })
                })
            })
        })
        .collect();
    let waived: Vec<(&Entry, &Item)> = p
        .entries
        .iter()
        .flat_map(|e| e.items.iter().map(move |i| (e, i)))
        .filter(|(_, i)| i.finding.waived.is_some())
        .collect();

    let page = html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("s75lint {}", env!("CARGO_PKG_VERSION")));
                title { "Section 75 agreements: sign-off report, " (today.to_string()) }
                style { (PreEscaped(CSS)) }
            }
            body {
                a.skip href="#main" { "Skip to the report" }
                header {
                    h1 { "Section 75 agreements: sign-off report" }
                    p { "As of " time datetime=(today.iso()) { (today.to_string()) } ". Checked by s75lint " (env!("CARGO_PKG_VERSION")) " against the statutory requirements and good practice." }
                }
                nav aria-label="Sections" {
                    ul {
                        li { a href="#summary" { "Summary" } }
                        li { a href="#matrix" { "Compliance matrix" } }
                        li { a href="#due" { "What falls due" } }
                        li { a href="#money" { "Money" } }
                        li { a href="#waived" { "Waived findings" } }
                        li { a href="#agreements" { "Agreements" } }
                    }
                }
                main id="main" {
                    section aria-labelledby="summary" {
                        h2 id="summary" { "Summary" }
                        ul.summary {
                            li data-count="agreements" { b { (checked) } "agreements checked" }
                            li.err data-count="errors" { b { (c.errors) } span aria-hidden="true" { "✗ " } "errors" }
                            li.warn data-count="warnings" { b { (c.warnings) } span aria-hidden="true" { "⚠ " } "warnings" }
                            li.note data-count="notes" { b { (c.infos) } span aria-hidden="true" { "ℹ " } "notes" }
                            li data-count="waived" { b { (c.waived) } "waived" }
                            @if unchecked > 0 { li.err data-count="unchecked" { b { (unchecked) } "could not be checked" } }
                        }
                        @for err in &p.errors { p.err { "✗ " (err) } }
                        p { (overdue_rows.len()) " obligations overdue, " (soon.len()) " due in the next 90 days, " (later.len()) " in the 90 days after." }
                    }
                    section aria-labelledby="matrix" {
                        h2 id="matrix" { "Compliance matrix" }
                        p { "One row per agreement. Columns 1 to 11 are the elements of a joint funding agreement in the Audit Commission's Table 1 (" i { "Means to an end" } ", 2009); then the other statutory requirements, other good practice, and the file itself. Each cell says pass, or how many findings, and links to them; n/a means no rule of that area applies." }
                        div.scroll role="region" aria-label="Compliance matrix" tabindex="0" {
                            table.matrix {
                                caption { "Findings by agreement and area" }
                                thead { tr {
                                    th scope="col" { "Agreement" }
                                    @for a in AREAS { th scope="col" title=(a.title) { (a.short) } }
                                } }
                                tbody {
                                    @for (idx, e) in p.entries.iter().enumerate() {
                                        tr data-agreement=(e.id()) {
                                            th scope="row" { a href=(format!("#a-{idx}")) { (e.id()) } br; span.muted.file { (e.path) } }
                                            @if let Some(prob) = &e.problem {
                                                td.err colspan=(AREAS.len()) { "✗ could not be checked: " (prob) }
                                            } @else {
                                                @for (a, _) in AREAS.iter().enumerate() {
                                                    @let cl = cell(e, a, p);
                                                    td class=(cl.class) data-area=(a) {
                                                        @if cl.linked {
                                                            a href=(format!("#a-{idx}-area-{a}")) { span aria-hidden="true" { (cl.symbol) " " } (cl.words) }
                                                        } @else {
                                                            span aria-hidden="true" { (cl.symbol) " " } (cl.words)
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    section aria-labelledby="due" {
                        h2 id="due" { "What falls due" }
                        p { "Commencements, ends, the last day to give notice (the end date less the notice period in " code { "exit_strategy.notice_months" } "), reviews and waiver expiries, counted from " (today.to_string()) ". Reporting dates and outcome target dates are in the calendar (" code { "s75lint calendar" } ")." }
                        (due_table("Overdue", "due-overdue", &overdue_rows))
                        (due_table("Due in the next 90 days", "due-90", &soon))
                        (due_table("Due in 91 to 180 days", "due-180", &later))
                    }
                    section aria-labelledby="money" {
                        h2 id="money" { "Money" }
                        p { "Contributions to pools, payments to a lead partner outside a pool, and grants, per financial year. The three tables add up the same amounts three ways." }
                        @if reconciles {
                            p.ok data-reconciles="yes" { span aria-hidden="true" { "✓ " } "The totals reconcile: " (money(Money(t_year))) " by year, by partner and by pool." }
                        } @else {
                            p.err data-reconciles="no" { span aria-hidden="true" { "✗ " } "The totals do not reconcile: " (money(Money(t_year))) " by year, " (money(Money(t_partner))) " by partner, " (money(Money(t_pool))) " by pool." }
                        }
                        @if !mismatched.is_empty() {
                            p.err { span aria-hidden="true" { "✗ " } "Stated pooled totals that differ from the contributions:" }
                            ul { @for (what, y, stated, sum) in &mismatched { li { (what) ", " (y.to_string()) ": stated " (money(*stated)) ", contributions " (money(*sum)) } } }
                        }
                        (by_year)
                        (by_partner)
                        (by_pool)
                    }
                    section aria-labelledby="waived" {
                        h2 id="waived" { "Waived findings" }
                        @if waived.is_empty() { p { "None." } } @else {
                            div.scroll role="region" aria-label="Waived findings" tabindex="0" {
                                table {
                                    caption { "Findings accepted by a recorded waiver" }
                                    thead { tr { th scope="col" { "Agreement" } th scope="col" { "Rule" } th scope="col" { "Where" } th scope="col" { "Reason" } th scope="col" { "Approved by" } th scope="col" { "Expires" } } }
                                    tbody {
                                        @for (e, i) in &waived {
                                            @if let Some(w) = &i.finding.waived {
                                                tr { td { (e.id()) } td { code { (i.finding.rule) } } td { code { (i.finding.location) } } td { (w.reason) } td { (w.approved_by) } td { (w.expires.as_deref().unwrap_or("never")) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    section aria-labelledby="agreements" {
                        h2 id="agreements" { "Agreements" }
                        @for (idx, e) in p.entries.iter().enumerate() { (agreement(idx, e)) }
                    }
                }
                footer {
                    p { "Generated by s75lint " (env!("CARGO_PKG_VERSION")) " on " (today.to_string()) ". This page needs no script and makes no request; it prints with one agreement per page." }
                }
            }
        }
    };
    page.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_come_from_table_1_citations_then_prefixes() {
        let cite = |s: &str| vec![s.to_string()];
        assert_eq!(
            area_of(
                "S75-HOST",
                &cite("Audit Commission (2009) Means to an end, Table 1 row 3")
            ),
            2
        );
        assert_eq!(
            area_of(
                "AC-VAT",
                &cite("Means to an end, Table 1 row 11 and para 30")
            ),
            10
        );
        assert_eq!(
            area_of("S75-PARTIES", &cite("SI 2000/617 reg 3")),
            STATUTORY
        );
        assert_eq!(area_of("FIN-ALLOCATION", &[]), 6);
        assert_eq!(area_of("FMT-TYPE", &[]), FILE);
        assert_eq!(area_of("AC-EXPIRING", &[]), GOOD_PRACTICE);
    }
}
