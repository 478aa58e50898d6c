//! `s75lint register`: the portfolio as a register, one row per pool and per scheme (a grant
//! agreement has one `grant` row; an agreement with none of these one `agreement` row, so no
//! agreement is missing from the register).
//!
//! CSV for a spreadsheet: UTF-8 (with `--bom`, a byte order mark first for older Excel), ISO
//! dates, money in pounds with pence and no thousands separators (`1200000.00`, so it sums),
//! lists joined with `; `, and any cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return prefixed with `'` so a spreadsheet never runs text from an agreement as a formula.
//!
//! JSON (`{"version": 1, "today": ..., "rows": [...]}`): the same columns, with lists as arrays,
//! contributions as `{partner, year, amount}` objects and money as strings in pounds with
//! pence (exact, unlike a floating-point number).

use super::facts::{Amount, Facts};
use super::{Entry, Portfolio};
use crate::agreement::values::{Date, Money};
use crate::finding::Severity;
use clap::ValueEnum;
use serde::Serialize;

/// Output formats of `register`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RegisterFormat {
    /// Comma-separated values for a spreadsheet.
    Csv,
    /// A versioned JSON document.
    Json,
}

/// A contribution or payment as the register shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Flow {
    /// The paying partner.
    pub partner: String,
    /// The financial year (`2025-26`), when stated.
    pub year: Option<String>,
    /// Pounds with pence, `1200000.00`.
    pub amount: String,
}

/// One row of the register.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row {
    /// `pool`, `scheme`, `grant` or `agreement`.
    pub row_type: &'static str,
    /// The agreement's id.
    pub agreement_id: String,
    /// Its file.
    pub file: String,
    /// Its title.
    pub title: Option<String>,
    /// Its status.
    pub status: Option<String>,
    /// Its legal basis.
    pub legal_basis: String,
    /// The pool's or scheme's id.
    pub item_id: Option<String>,
    /// Its name.
    pub item_name: Option<String>,
    /// A scheme's pool.
    pub pool: Option<String>,
    /// Partners as `id (kind)`.
    pub partners: Vec<String>,
    /// The host (pool) or lead partner (scheme).
    pub host: Option<String>,
    /// The pool manager (a scheme: its pool's).
    pub pool_manager: Option<String>,
    /// Arrangement types (a pool: those of the schemes that use it).
    pub arrangements: Vec<String>,
    /// Client groups (a pool: those of the schemes that use it).
    pub client_groups: Vec<String>,
    /// Contributions per partner per year (a scheme: its payments; a grant: its amounts).
    pub contributions: Vec<Flow>,
    /// A pool's total: the sum of its contributions over every year, in pounds.
    pub pooled_total: Option<String>,
    /// A scheme's allocation from its pool over every year, in pounds.
    pub allocation: Option<String>,
    /// ISO date.
    pub commencement: Option<String>,
    /// ISO date.
    pub end: Option<String>,
    /// ISO date.
    pub next_review: Option<String>,
    /// Counting errors in the agreement.
    pub errors: usize,
    /// Counting warnings in the agreement.
    pub warnings: usize,
    /// Counting errors about this pool or scheme.
    pub item_errors: usize,
    /// Counting warnings about this pool or scheme.
    pub item_warnings: usize,
}

/// Pounds with pence, no separators: `1200000.00`.
pub(crate) fn pounds(m: Money) -> String {
    let sign = if m.0 < 0 { "-" } else { "" };
    let a = m.0.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

fn iso(d: Option<Date>) -> Option<String> {
    d.map(Date::iso)
}

fn flows(a: &[Amount]) -> Vec<Flow> {
    a.iter()
        .map(|x| Flow {
            partner: x.partner.clone(),
            year: x.year.map(|y| y.to_string()),
            amount: pounds(x.amount),
        })
        .collect()
}

fn total(a: impl Iterator<Item = Money>) -> Option<String> {
    let mut any = false;
    let mut sum = 0i64;
    for m in a {
        any = true;
        sum = sum.saturating_add(m.0);
    }
    any.then(|| pounds(Money(sum)))
}

fn union(into: &mut Vec<String>, more: &[String]) {
    for m in more {
        if !into.contains(m) {
            into.push(m.clone());
        }
    }
}

/// Counting errors and warnings among an entry's findings whose location is under `prefix`.
fn item_counts(e: &Entry, prefix: &str) -> (usize, usize) {
    let mut c = (0, 0);
    for i in &e.items {
        let f = &i.finding;
        let loc = &f.location;
        let under = loc.starts_with(prefix)
            && matches!(loc.as_bytes().get(prefix.len()), None | Some(b'.' | b'['));
        if !under || !f.counts() {
            continue;
        }
        match f.severity {
            Severity::Error => c.0 += 1,
            Severity::Warning => c.1 += 1,
            Severity::Info => {}
        }
    }
    c
}

/// The register's rows, in agreement order, pools before schemes.
pub(crate) fn rows(p: &Portfolio) -> Vec<Row> {
    let mut out = Vec::new();
    for e in &p.entries {
        let Some(f) = &e.facts else { continue };
        let base = |row_type: &'static str| base_row(e, f, row_type);
        for pool in &f.pools {
            let mut r = base("pool");
            let users = f
                .schemes
                .iter()
                .filter(|s| s.pool.as_deref() == Some(&pool.id));
            for s in users {
                union(&mut r.arrangements, &s.arrangements);
                union(&mut r.client_groups, &s.client_groups);
            }
            (r.item_errors, r.item_warnings) = item_counts(e, &format!("pools[{}]", pool.id));
            r.item_id = Some(pool.id.clone());
            r.item_name = pool.name.clone();
            r.host = pool.host.clone();
            r.pool_manager = pool.manager.clone();
            r.contributions = flows(&pool.contributions);
            r.pooled_total = total(pool.contributions.iter().map(|c| c.amount));
            out.push(r);
        }
        for s in &f.schemes {
            let mut r = base("scheme");
            (r.item_errors, r.item_warnings) = item_counts(e, &format!("schemes[{}]", s.id));
            r.item_id = Some(s.id.clone());
            r.item_name = s.name.clone();
            r.pool = s.pool.clone();
            r.host = s.host.clone();
            r.pool_manager = s
                .pool
                .as_ref()
                .and_then(|id| f.pools.iter().find(|p| &p.id == id))
                .and_then(|p| p.manager.clone());
            r.arrangements = s.arrangements.clone();
            r.client_groups = s.client_groups.clone();
            r.contributions = flows(&s.payments);
            r.allocation = total(s.allocation.iter().map(|(_, m)| *m));
            out.push(r);
        }
        if !f.grant.is_empty() {
            let mut r = base("grant");
            r.contributions = flows(&f.grant);
            r.pooled_total = None;
            out.push(r);
        } else if f.pools.is_empty() && f.schemes.is_empty() {
            out.push(base("agreement"));
        }
    }
    out
}

fn base_row(e: &Entry, f: &Facts, row_type: &'static str) -> Row {
    Row {
        row_type,
        agreement_id: f.id_or(&e.path).to_string(),
        file: e.path.clone(),
        title: f.title.clone(),
        status: f.status.clone(),
        legal_basis: f.legal_basis.clone(),
        item_id: None,
        item_name: None,
        pool: None,
        partners: f
            .partners
            .iter()
            .map(|p| match &p.kind {
                Some(k) => format!("{} ({k})", p.id),
                None => p.id.clone(),
            })
            .collect(),
        host: None,
        pool_manager: None,
        arrangements: Vec::new(),
        client_groups: Vec::new(),
        contributions: Vec::new(),
        pooled_total: None,
        allocation: None,
        commencement: iso(f.commencement),
        end: iso(f.end),
        next_review: iso(f.review_next),
        errors: e.counts.errors,
        warnings: e.counts.warnings,
        item_errors: 0,
        item_warnings: 0,
    }
}

/// The CSV columns, in order.
pub(crate) const COLUMNS: &[&str] = &[
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
];

/// One CSV cell: formula-like text defused, quoted when it holds a comma, quote or line break.
pub(crate) fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv_row(r: &Row) -> Vec<String> {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let contributions = r
        .contributions
        .iter()
        .map(|c| match &c.year {
            Some(y) => format!("{} {y} {}", c.partner, c.amount),
            None => format!("{} {}", c.partner, c.amount),
        })
        .collect::<Vec<_>>()
        .join("; ");
    vec![
        r.row_type.to_string(),
        r.agreement_id.clone(),
        r.file.clone(),
        o(&r.title),
        o(&r.status),
        r.legal_basis.clone(),
        o(&r.item_id),
        o(&r.item_name),
        o(&r.pool),
        r.partners.join("; "),
        o(&r.host),
        o(&r.pool_manager),
        r.arrangements.join("; "),
        r.client_groups.join("; "),
        contributions,
        o(&r.pooled_total),
        o(&r.allocation),
        o(&r.commencement),
        o(&r.end),
        o(&r.next_review),
        r.errors.to_string(),
        r.warnings.to_string(),
        r.item_errors.to_string(),
        r.item_warnings.to_string(),
    ]
}

/// The register as CSV (CRLF line ends, as RFC 4180 and Excel expect) or JSON.
pub(crate) fn render(p: &Portfolio, format: RegisterFormat, bom: bool) -> Vec<u8> {
    let rows = rows(p);
    match format {
        RegisterFormat::Csv => {
            let mut out = String::new();
            if bom {
                out.push('\u{feff}');
            }
            out.push_str(&COLUMNS.join(","));
            out.push_str("\r\n");
            for r in &rows {
                let cells: Vec<String> = csv_row(r).iter().map(|c| cell(c)).collect();
                out.push_str(&cells.join(","));
                out.push_str("\r\n");
            }
            out.into_bytes()
        }
        RegisterFormat::Json => {
            let doc = serde_json::json!({
                "version": 1,
                "today": p.today.iso(),
                "rows": rows,
            });
            let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
            s.push('\n');
            s.into_bytes()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused_and_quoted_cells_escaped() {
        assert_eq!(cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@x"), "'@x");
        assert_eq!(cell("+44"), "'+44");
        assert_eq!(cell("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(cell("plain"), "plain");
    }

    #[test]
    fn pounds_have_pence_and_no_separators() {
        assert_eq!(pounds(Money(120_000_000)), "1200000.00");
        assert_eq!(pounds(Money(5)), "0.05");
    }
}
