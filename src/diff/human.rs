//! Plain-text output for a terminal, at most 80 columns where the words allow: the headline
//! (material or editorial), then the agreement, each pool (money by year and partner, whether
//! each year reconciles, risk shares) and each scheme, then the findings. A `!` marks what
//! needs every partner's signature, a `-` what is editorial. No colour, so it pastes cleanly.

use super::money::{Amount, RiskChange};
use super::words::WordOp;
use super::{describe, Change, Diff, Group, Kind, Shown};

const WIDTH: usize = 80;

/// Renders the comparison as plain text.
pub(crate) fn render(d: &Diff) -> String {
    let mut out = Vec::<String>::new();
    let title = d
        .new
        .id
        .as_ref()
        .or(d.old.id.as_ref())
        .map_or(String::new(), |id| format!(": {id}"));
    out.push(format!("s75lint diff{title}"));
    out.push(format!("  old: {}", d.old.name));
    out.push(format!("  new: {}", d.new.name));
    out.push(String::new());
    for (which, v) in [("old", &d.old), ("new", &d.new)] {
        if let Some(p) = &v.problem {
            wrap(
                &mut out,
                &format!(
                    "Could not compare: the {which} version did not load: {p}. Its findings are listed below."
                ),
                "",
                "  ",
            );
        }
    }
    if d.compared() {
        if d.changes.is_empty() {
            out.push("No changes: the two versions say the same thing.".into());
        } else {
            let (m, e) = d.headline();
            wrap(&mut out, &m, "", "  ");
            wrap(&mut out, &e, "", "  ");
            out.push("(! material, - editorial)".into());
        }
    }
    for g in d.groups() {
        out.push(String::new());
        out.push(g.to_string());
        let mine = |c: &&Change| c.group == g && !c.in_summary;
        for c in d.changes.iter().filter(mine).filter(|c| c.is_whole_item()) {
            change(&mut out, c);
        }
        match &g {
            Group::Pool(id) => {
                if let Some(p) = d.pools.iter().find(|p| &p.pool == id) {
                    let mut rows = vec![Row::Head(vec!["year".into(), "partner".into()])];
                    for y in &p.years {
                        for a in y.partners.iter().chain(std::iter::once(&y.total)) {
                            rows.push(Row::Amount(vec![y.year.to_string(), a.label.clone()], a));
                        }
                        if let Some(r) = y.reconciliation() {
                            rows.push(Row::Note(r));
                        }
                    }
                    table(&mut out, &rows);
                    for r in &p.risk {
                        let text = format!(
                            "risk share {}: {} -> {}",
                            r.which,
                            RiskChange::shares(&r.old),
                            RiskChange::shares(&r.new)
                        );
                        wrap(&mut out, &text, "  ! ", "      ");
                    }
                }
            }
            Group::Scheme(id) => {
                if let Some(s) = d.schemes.iter().find(|s| &s.scheme == id) {
                    let mut rows = vec![Row::Head(vec![String::new()])];
                    rows.extend(s.rows.iter().map(|a| Row::Amount(vec![a.label.clone()], a)));
                    table(&mut out, &rows);
                }
            }
            Group::Agreement => {}
        }
        for c in d.changes.iter().filter(mine).filter(|c| !c.is_whole_item()) {
            change(&mut out, c);
        }
    }
    findings(&mut out, d);
    let mut s = out.join("\n");
    s.push('\n');
    s
}

fn value(v: &Shown) -> String {
    match v {
        Shown::Text(t) => format!("\"{}\"", t.split_whitespace().collect::<Vec<_>>().join(" ")),
        other => other.to_string(),
    }
}

fn change(out: &mut Vec<String>, c: &Change) {
    let marker = if c.class.material { "  ! " } else { "  - " };
    wrap(out, &describe(c, "->", &value), marker, "      ");
    if c.kind == Kind::Changed && c.is_rewording() {
        wrap(out, &word_diff(&c.words), "      ", "      ");
    }
}

/// The word-level difference with git's word-diff markers, `[-old-]{+new+}`; long unchanged
/// stretches are shortened to their ends.
pub(super) fn word_diff(ops: &[WordOp]) -> String {
    let mut parts = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        match op {
            WordOp::Same(s) => parts.push(elide(s, i == 0, i + 1 == ops.len())),
            WordOp::Removed(s) => parts.push(format!("[-{s}-]")),
            WordOp::Added(s) => parts.push(format!("{{+{s}+}}")),
        }
    }
    parts.join(" ")
}

/// Keeps a few words of context around a change.
pub(super) fn elide(s: &str, first: bool, last: bool) -> String {
    const KEEP: usize = 5;
    let w: Vec<&str> = s.split(' ').collect();
    if w.len() <= 2 * KEEP + 2 {
        return s.to_string();
    }
    let head = w[..KEEP].join(" ");
    let tail = w[w.len() - KEEP..].join(" ");
    match (first, last) {
        (true, true) => s.to_string(),
        (true, false) => format!("... {tail}"),
        (false, true) => format!("{head} ..."),
        (false, false) => format!("{head} ... {tail}"),
    }
}

enum Row<'a> {
    Head(Vec<String>),
    Amount(Vec<String>, &'a Amount),
    Note(String),
}

/// Money rows with the labels left-aligned and the amounts right-aligned in columns.
fn table(out: &mut Vec<String>, rows: &[Row]) {
    let money =
        |m: Option<crate::agreement::values::Money>| m.map_or("-".into(), |m| m.to_string());
    let cols = rows
        .iter()
        .map(|r| match r {
            Row::Head(c) | Row::Amount(c, _) => c.len(),
            Row::Note(_) => 0,
        })
        .max()
        .unwrap_or(0);
    let mut widths = vec![0; cols];
    let (mut ow, mut nw) = (3, 3);
    for r in rows {
        if let Row::Head(c) | Row::Amount(c, _) = r {
            for (w, s) in widths.iter_mut().zip(c) {
                *w = (*w).max(s.chars().count());
            }
        }
        if let Row::Amount(_, a) = r {
            ow = ow.max(money(a.old).chars().count());
            nw = nw.max(money(a.new).chars().count());
        }
    }
    let left = |c: &[String]| -> String {
        c.iter()
            .zip(&widths)
            .map(|(s, w)| format!("{s:<w$}  "))
            .collect::<String>()
    };
    for r in rows {
        match r {
            Row::Head(c) => out.push(
                format!("    {}{:>ow$}  {:>nw$}  difference", left(c), "old", "new")
                    .trim_end()
                    .to_string(),
            ),
            Row::Amount(c, a) => {
                let marker = if a.changed() { "  ! " } else { "    " };
                out.push(format!(
                    "{marker}{}{:>ow$}  {:>nw$}  {}",
                    left(c),
                    money(a.old),
                    money(a.new),
                    a.describe()
                ));
            }
            Row::Note(n) => {
                let indent = format!("    {}", " ".repeat(widths.first().map_or(0, |w| w + 2)));
                wrap(out, n, &indent, &format!("{indent}  "));
            }
        }
    }
}

fn findings(out: &mut Vec<String>, d: &Diff) {
    let f = &d.findings;
    out.push(String::new());
    if f.introduced.is_empty() && f.resolved.is_empty() && f.unchanged.is_empty() {
        out.push(format!(
            "Findings: none in either version (checked as on {}).",
            d.today
        ));
        return;
    }
    out.push(format!(
        "Findings (both versions checked as on {})",
        d.today
    ));
    for (title, list, file) in [
        ("introduced", &f.introduced, &d.new.name),
        ("resolved", &f.resolved, &d.old.name),
    ] {
        if list.is_empty() {
            out.push(format!("  {title}: none"));
            continue;
        }
        out.push(format!("  {title}: {}", list.len()));
        for x in list {
            let text = format!(
                "{} {} at {file}:{}:{}: {}",
                x.severity, x.rule, x.line, x.column, x.message
            );
            wrap(out, &text, "    ", "      ");
        }
    }
    if f.unchanged.is_empty() {
        out.push("  unchanged: none".into());
    } else {
        let mut ids: Vec<&str> = f.unchanged.iter().map(|x| x.rule.as_str()).collect();
        ids.dedup();
        wrap(
            out,
            &format!("unchanged: {} ({})", f.unchanged.len(), ids.join(", ")),
            "  ",
            "    ",
        );
    }
}

/// Word-wraps `text` to [`WIDTH`] columns, the first line after `first`, the rest after
/// `rest`. A word longer than a line is left whole.
fn wrap(out: &mut Vec<String>, text: &str, first: &str, rest: &str) {
    let mut line = first.to_string();
    let mut empty = true;
    for w in text.split(' ').filter(|w| !w.is_empty()) {
        if !empty && line.chars().count() + 1 + w.chars().count() > WIDTH {
            out.push(std::mem::replace(&mut line, rest.to_string()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(w);
        empty = false;
    }
    out.push(line);
}
