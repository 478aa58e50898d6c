//! What the sign-off pack reads from a loaded agreement: its dates, its money by partner, pool
//! and year, and its dated obligations. Read from the loader's typed tree ([`Doc`]), never from
//! the YAML text: a value that failed to load (an `FMT-` finding) is simply absent here.

use crate::agreement::doc::{Doc, NodeId, Value};
use crate::agreement::values::{Date, Money, Year};
use crate::span::Span;

/// A partner of an agreement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Partner {
    /// Its id within the agreement.
    pub id: String,
    /// Its name, when given.
    pub name: Option<String>,
    /// Its kind (`local_authority`, `icb`, ...), when given.
    pub kind: Option<String>,
}

/// One amount of money flowing from a partner, for a year.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Amount {
    /// The paying partner's id.
    pub partner: String,
    /// The financial year (None: a grant stated as one sum).
    pub year: Option<Year>,
    /// The amount.
    pub amount: Money,
}

/// A pooled fund.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pool {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// The host partner's id.
    pub host: Option<String>,
    /// The pool manager: name, role and partner as written.
    pub manager: Option<String>,
    /// Contributions per partner per year.
    pub contributions: Vec<Amount>,
    /// The stated pooled total per year.
    pub pooled_total: Vec<(Year, Money)>,
}

/// A scheme (a service the agreement covers).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scheme {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its arrangement types.
    pub arrangements: Vec<String>,
    /// The pool it draws on.
    pub pool: Option<String>,
    /// The lead partner.
    pub host: Option<String>,
    /// Client groups served.
    pub client_groups: Vec<String>,
    /// What it spends from its pool per year.
    pub allocation: Vec<(Year, Money)>,
    /// Payments to the host outside a pool.
    pub payments: Vec<Amount>,
}

/// A waiver recorded in the agreement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WaiverFact {
    /// The rule waived.
    pub rule: String,
    /// `schemes[ID]` or `pools[ID]` when limited to one.
    pub scope: Option<String>,
    /// When it lapses.
    pub expires: Option<Date>,
    /// Where it is written (`waivers[2].expires`).
    pub clause: String,
    /// The line it is on.
    pub line: usize,
}

/// What kind of dated obligation an event is; each has a stable name used in calendar UIDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// The arrangement starts.
    Commencement,
    /// The arrangement ends.
    End,
    /// The last day to give notice to terminate at the end date.
    NoticeDeadline,
    /// The next review.
    Review,
    /// A periodic report by the pool manager to the partners is due.
    Reporting,
    /// The audited annual statement of the pooled fund is due.
    AnnualStatement,
    /// A waiver lapses.
    WaiverExpiry,
    /// The Health and Wellbeing Board approved the BCF plan.
    BcfApproval,
    /// An outcome's target date.
    OutcomeTarget,
}

impl Kind {
    /// A short stable word, used in UIDs and the register.
    pub(crate) fn slug(self) -> &'static str {
        match self {
            Kind::Commencement => "commencement",
            Kind::End => "end",
            Kind::NoticeDeadline => "notice-deadline",
            Kind::Review => "review",
            Kind::Reporting => "reporting",
            Kind::AnnualStatement => "annual-statement",
            Kind::WaiverExpiry => "waiver-expiry",
            Kind::BcfApproval => "bcf-approval",
            Kind::OutcomeTarget => "outcome-target",
        }
    }
}

/// One dated obligation of an agreement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Obligation {
    /// The date.
    pub date: Date,
    /// What kind.
    pub kind: Kind,
    /// What falls due, in words.
    pub what: String,
    /// The clause it comes from (`exit_strategy.notice_months`).
    pub clause: String,
    /// The line of that clause.
    pub line: usize,
    /// What tells it apart from others of its kind in one agreement (a reporting period, a
    /// waiver's rule), for a UID that survives a change of date.
    pub key: String,
}

/// What the sign-off pack knows about one loaded agreement.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Facts {
    /// `id`.
    pub id: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `status`.
    pub status: Option<String>,
    /// `legal_basis` (section_75 when not stated, as the rules read it).
    pub legal_basis: String,
    /// `commencement`.
    pub commencement: Option<Date>,
    /// `end`.
    pub end: Option<Date>,
    /// `rolling: true`.
    pub rolling: bool,
    /// `review.next`.
    pub review_next: Option<Date>,
    /// `exit_strategy.notice_months`.
    pub notice_months: Option<u32>,
    /// The partners.
    pub partners: Vec<Partner>,
    /// The pools.
    pub pools: Vec<Pool>,
    /// The schemes.
    pub schemes: Vec<Scheme>,
    /// A section 256/76 grant's payments.
    pub grant: Vec<Amount>,
    /// The waivers.
    pub waivers: Vec<WaiverFact>,
    /// Every dated obligation, by date.
    pub obligations: Vec<Obligation>,
}

fn text(doc: &Doc, n: NodeId, key: &str) -> Option<String> {
    doc.get(n, key)
        .and_then(|v| doc.text(v))
        .map(|s| s.trim().to_string())
}

fn date(doc: &Doc, n: NodeId, key: &str) -> Option<Date> {
    match doc.get(n, key).map(|v| &doc.node(v).value) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    }
}

fn list(doc: &Doc, n: NodeId, key: &str) -> Vec<NodeId> {
    match doc.get(n, key).map(|v| &doc.node(v).value) {
        Some(Value::List(items)) => items.clone(),
        _ => Vec::new(),
    }
}

fn texts(doc: &Doc, n: NodeId, key: &str) -> Vec<String> {
    list(doc, n, key)
        .into_iter()
        .filter_map(|i| doc.text(i).map(str::to_string))
        .collect()
}

fn money(doc: &Doc, n: Option<NodeId>) -> Option<Money> {
    match n.map(|v| &doc.node(v).value) {
        Some(Value::Money(m)) => Some(*m),
        _ => None,
    }
}

fn year(doc: &Doc, n: Option<NodeId>) -> Option<Year> {
    match n.map(|v| &doc.node(v).value) {
        Some(Value::Year(y)) => Some(*y),
        _ => None,
    }
}

/// A `{year: money}` map's readable entries.
fn by_year(doc: &Doc, n: Option<NodeId>) -> Vec<(Year, Money)> {
    match n.map(|v| &doc.node(v).value) {
        Some(Value::Map(es)) => es
            .iter()
            .filter_map(|&(k, v)| Some((year(doc, Some(k))?, money(doc, Some(v))?)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Readable `{partner, year, amount}` rows.
fn amounts(doc: &Doc, n: NodeId, key: &str) -> Vec<Amount> {
    list(doc, n, key)
        .into_iter()
        .filter_map(|r| {
            Some(Amount {
                partner: text(doc, r, "partner")?,
                year: Some(year(doc, doc.get(r, "year"))?),
                amount: money(doc, doc.get(r, "amount"))?,
            })
        })
        .collect()
}

impl Facts {
    /// Reads the facts of a loaded agreement. `line_of` gives the 1-based line of a span (for
    /// the clause references of obligations).
    pub(crate) fn read(doc: &Doc, line_of: &dyn Fn(Span) -> usize, today: Date) -> Facts {
        let root = Doc::ROOT;
        let line = |n: NodeId| line_of(doc.node(n).span);
        let mut f = Facts {
            id: text(doc, root, "id"),
            title: text(doc, root, "title"),
            status: text(doc, root, "status"),
            legal_basis: text(doc, root, "legal_basis").unwrap_or_else(|| "section_75".into()),
            commencement: date(doc, root, "commencement"),
            end: date(doc, root, "end"),
            rolling: matches!(
                doc.get(root, "rolling").map(|v| &doc.node(v).value),
                Some(Value::Bool(true))
            ),
            ..Facts::default()
        };
        let review = doc.get(root, "review");
        f.review_next = review.and_then(|r| date(doc, r, "next"));
        let exit = doc.get(root, "exit_strategy");
        f.notice_months = exit
            .and_then(|e| doc.get(e, "notice_months"))
            .and_then(|v| match doc.node(v).value {
                Value::Number(n) if n >= 0.0 && n.fract() == 0.0 && n <= 1200.0 => Some(n as u32),
                _ => None,
            });
        for p in list(doc, root, "partners") {
            if let Some(id) = text(doc, p, "id") {
                f.partners.push(Partner {
                    id,
                    name: text(doc, p, "name"),
                    kind: text(doc, p, "kind"),
                });
            }
        }
        for p in list(doc, root, "pools") {
            let Some(id) = text(doc, p, "id") else {
                continue;
            };
            let manager = doc.get(p, "pool_manager").and_then(|m| {
                let parts: Vec<String> = ["name", "role"]
                    .iter()
                    .filter_map(|k| text(doc, m, k))
                    .collect();
                (!parts.is_empty()).then(|| parts.join(", "))
            });
            f.pools.push(Pool {
                id,
                name: text(doc, p, "name"),
                host: text(doc, p, "host"),
                manager,
                contributions: amounts(doc, p, "contributions"),
                pooled_total: by_year(doc, doc.get(p, "pooled_total")),
            });
        }
        for s in list(doc, root, "schemes") {
            let Some(id) = text(doc, s, "id") else {
                continue;
            };
            f.schemes.push(Scheme {
                name: text(doc, s, "name"),
                arrangements: texts(doc, s, "arrangements"),
                pool: text(doc, s, "pool"),
                host: text(doc, s, "host"),
                client_groups: texts(doc, s, "client_groups"),
                allocation: by_year(doc, doc.get(s, "allocation")),
                payments: amounts(doc, s, "payments"),
                id,
            });
        }
        if let Some(g) = doc.get(root, "grant") {
            if let Some(payer) = text(doc, g, "payer") {
                let amount = doc.get(g, "amount");
                if let Some(m) = money(doc, amount) {
                    f.grant.push(Amount {
                        partner: payer.clone(),
                        year: f.commencement.map(|d| Year(d.financial_year())),
                        amount: m,
                    });
                }
                for (y, m) in by_year(doc, amount) {
                    f.grant.push(Amount {
                        partner: payer.clone(),
                        year: Some(y),
                        amount: m,
                    });
                }
            }
        }
        for w in list(doc, root, "waivers") {
            let Some(rule) = text(doc, w, "rule") else {
                continue;
            };
            let scope = waiver_scope(doc, w);
            let at = doc.get(w, "expires").unwrap_or(w);
            f.waivers.push(WaiverFact {
                rule,
                scope,
                expires: date(doc, w, "expires"),
                clause: doc.location(at),
                line: line(at),
            });
        }
        f.obligations = obligations(doc, &f, &line, today);
        f
    }

    /// The agreement's id, or the given fallback (its file) when it has none.
    pub(crate) fn id_or<'a>(&'a self, fallback: &'a str) -> &'a str {
        self.id.as_deref().unwrap_or(fallback)
    }
}

/// The periods a reporting frequency divides a financial year into, as the months (1-12) in
/// which a period ends.
fn period_ends(frequency: &str) -> &'static [u32] {
    match frequency {
        "monthly" => &[4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3],
        "quarterly" => &[6, 9, 12, 3],
        "biannual" => &[9, 3],
        _ => &[3],
    }
}

/// The last day of a month.
fn month_end(y: i32, m: u32) -> Option<Date> {
    Date::from_ymd(y, m, 1)?.add_months(1)?.add_days(-1)
}

/// Every dated obligation of the agreement, by date then kind.
fn obligations(
    doc: &Doc,
    f: &Facts,
    line: &dyn Fn(NodeId) -> usize,
    today: Date,
) -> Vec<Obligation> {
    let root = Doc::ROOT;
    let mut out = Vec::new();
    let mut push = |date: Date, kind: Kind, what: String, at: NodeId, key: String| {
        out.push(Obligation {
            date,
            kind,
            what,
            clause: doc.location(at),
            line: line(at),
            key,
        });
    };
    if let (Some(d), Some(n)) = (f.commencement, doc.get(root, "commencement")) {
        push(
            d,
            Kind::Commencement,
            "Arrangement commences".into(),
            n,
            String::new(),
        );
    }
    if let (Some(d), Some(n)) = (f.end, doc.get(root, "end")) {
        let what = if f.rolling {
            "Initial term ends (the agreement then rolls on)"
        } else {
            "Agreement ends"
        };
        push(d, Kind::End, what.into(), n, String::new());
        let notice = doc
            .get(root, "exit_strategy")
            .and_then(|e| doc.get(e, "notice_months"));
        if let (Some(months), Some(n)) = (f.notice_months, notice) {
            // 31 March minus 6 months is 30 September: add_months clamps to the month's end.
            if let Some(last) = d.add_months(-i64::from(months)) {
                push(
                    last,
                    Kind::NoticeDeadline,
                    format!("Last day to give {months} months' notice to end the agreement on {d}"),
                    n,
                    String::new(),
                );
            }
        }
    }
    let review = doc.get(root, "review");
    if let (Some(d), Some(n)) = (f.review_next, review.and_then(|r| doc.get(r, "next"))) {
        push(
            d,
            Kind::Review,
            "Next review of the agreement".into(),
            n,
            String::new(),
        );
    }
    // Reporting: every period end from commencement to the end date (rolling or open-ended
    // agreements: to a year after today), so the calendar holds each report due.
    let reporting = doc
        .get(root, "governance")
        .and_then(|g| doc.get(g, "reporting"));
    if let (Some(rep), Some(start)) = (reporting, f.commencement) {
        let until = match f.end {
            Some(e) if !f.rolling => e,
            _ => today.add_months(12).unwrap_or(today).max(start),
        };
        let freq = doc
            .get(rep, "frequency")
            .and_then(|n| doc.text(n).map(str::to_string));
        let statement = matches!(
            doc.get(rep, "annual_statement").map(|v| &doc.node(v).value),
            Some(Value::Bool(true))
        );
        let freq_node = doc.get(rep, "frequency").unwrap_or(rep);
        let statement_node = doc.get(rep, "annual_statement").unwrap_or(rep);
        // At most 100 years of periods, so a far-off end date cannot flood the calendar.
        let (y0, _, _) = start.ymd();
        let (y1, _, _) = until.ymd();
        for y in y0..=(y1 + 1).min(y0 + 100) {
            for m in 1..=12u32 {
                let Some(pe) = month_end(y, m) else { continue };
                if pe < start || pe > until {
                    continue;
                }
                if let Some(freq) = &freq {
                    if period_ends(freq).contains(&m) {
                        push(
                            pe,
                            Kind::Reporting,
                            format!(
                                "{} report to the partners for the period ending {pe}",
                                capitalise(freq)
                            ),
                            freq_node,
                            pe.iso(),
                        );
                    }
                }
                if statement && m == 3 {
                    push(
                        pe,
                        Kind::AnnualStatement,
                        format!(
                            "Audited annual statement of the pooled fund for {}",
                            Year(y - 1)
                        ),
                        statement_node,
                        pe.iso(),
                    );
                }
            }
        }
    }
    for (i, w) in list(doc, root, "waivers").into_iter().enumerate() {
        let (Some(d), Some(n)) = (date(doc, w, "expires"), doc.get(w, "expires")) else {
            continue;
        };
        let rule = text(doc, w, "rule").unwrap_or_else(|| "?".into());
        let scope = waiver_scope(doc, w)
            .map(|s| format!(" for {s}"))
            .unwrap_or_default();
        push(
            d,
            Kind::WaiverExpiry,
            format!("Waiver of {rule}{scope} expires"),
            n,
            format!("{rule}{scope}#{i}"),
        );
    }
    if let Some(b) = doc.get(root, "bcf") {
        if let (Some(d), Some(n)) = (date(doc, b, "hwb_approval"), doc.get(b, "hwb_approval")) {
            push(
                d,
                Kind::BcfApproval,
                "Health and Wellbeing Board approval of the Better Care Fund plan".into(),
                n,
                String::new(),
            );
        }
    }
    for s in list(doc, root, "schemes") {
        let sid = text(doc, s, "id").unwrap_or_default();
        for o in list(doc, s, "outcomes") {
            if let (Some(d), Some(n)) = (date(doc, o, "by"), doc.get(o, "by")) {
                let measure = text(doc, o, "measure").unwrap_or_else(|| "an outcome".into());
                push(
                    d,
                    Kind::OutcomeTarget,
                    format!("Outcome target date ({sid}): {measure}"),
                    n,
                    doc.location(o),
                );
            }
        }
    }
    out.sort_by(|a, b| (a.date, a.kind, &a.key).cmp(&(b.date, b.kind, &b.key)));
    out
}

/// `schemes[ID]` or `pools[ID]` when a waiver is limited to one.
fn waiver_scope(doc: &Doc, w: NodeId) -> Option<String> {
    match (doc.get(w, "scheme"), doc.get(w, "pool")) {
        (Some(s), _) => doc.text(s).map(|id| format!("schemes[{id}]")),
        (None, Some(p)) => doc.text(p).map(|id| format!("pools[{id}]")),
        _ => None,
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_ends_and_notice_arithmetic() {
        let d = |s| Date::parse_iso(s).unwrap();
        assert_eq!(month_end(2024, 2), Some(d("2024-02-29")));
        assert_eq!(month_end(2025, 12), Some(d("2025-12-31")));
        // 31 March minus 6 months is 30 September (not 1 October).
        assert_eq!(d("2026-03-31").add_months(-6), Some(d("2025-09-30")));
    }
}
