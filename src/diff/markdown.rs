//! Markdown output, for a variation cover note or a pull-request comment: the headline, a
//! section per pool and scheme with its money as a table, changes as a bullet list (material
//! ones in bold), reworded text with ~~removed~~ and **added** words, then the findings.

use super::money::RiskChange;
use super::words::WordOp;
use super::{describe, Change, Diff, Group, Kind, Shown};

/// Escapes text so Markdown shows it as written (ids such as `local_authority` would
/// otherwise turn italic, and `|` would break a table).
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '|' | '[' | ']' | '<' | '>' | '`' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Renders the comparison as Markdown.
pub(crate) fn render(d: &Diff) -> String {
    let mut o = String::new();
    let id = d.new.id.as_ref().or(d.old.id.as_ref());
    match id {
        Some(id) => o.push_str(&format!("## Changes to {}\n\n", esc(id))),
        None => o.push_str("## Changes\n\n"),
    }
    o.push_str(&format!(
        "Comparing {} (old) with {} (new).\n\n",
        esc(&d.old.name),
        esc(&d.new.name)
    ));
    for (which, v) in [("old", &d.old), ("new", &d.new)] {
        if let Some(p) = &v.problem {
            o.push_str(&format!(
                "**Could not compare:** the {which} version did not load: {}. Its findings are listed below.\n\n",
                esc(p)
            ));
        }
    }
    if d.compared() {
        if d.changes.is_empty() {
            o.push_str("No changes: the two versions say the same thing.\n");
        } else {
            let (m, e) = d.headline();
            let m = m.replacen("Material:", "**Material:**", 1);
            o.push_str(&format!("{m}\n\n{e}\n"));
        }
    }
    for g in d.groups() {
        o.push_str(&format!("\n### {}\n\n", esc(&g.to_string())));
        let mine = |c: &&Change| c.group == g && !c.in_summary;
        for c in d.changes.iter().filter(mine).filter(|c| c.is_whole_item()) {
            o.push_str(&change(c));
        }
        if d.changes.iter().filter(mine).any(|c| c.is_whole_item()) {
            o.push('\n');
        }
        let mut bullets = String::new();
        match &g {
            Group::Pool(id) => {
                if let Some(p) = d.pools.iter().find(|p| &p.pool == id) {
                    o.push_str("| year | partner | old | new | difference |\n");
                    o.push_str("|---|---|---:|---:|---|\n");
                    let mut notes = Vec::new();
                    for y in &p.years {
                        for a in y.partners.iter().chain(std::iter::once(&y.total)) {
                            o.push_str(&row(&[&y.year.to_string(), &a.label], a));
                        }
                        if let Some(r) = y.reconciliation() {
                            notes.push(format!("{}: {}.", y.year, esc(&r)));
                        }
                    }
                    if !notes.is_empty() {
                        o.push_str(&format!("\n{}\n", notes.join(" ")));
                    }
                    for r in &p.risk {
                        bullets.push_str(&format!(
                            "- **Material:** risk share {}: {} → {}\n",
                            r.which,
                            esc(&RiskChange::shares(&r.old)),
                            esc(&RiskChange::shares(&r.new))
                        ));
                    }
                }
            }
            Group::Scheme(id) => {
                if let Some(s) = d.schemes.iter().find(|s| &s.scheme == id) {
                    o.push_str("| | old | new | difference |\n|---|---:|---:|---|\n");
                    for a in &s.rows {
                        o.push_str(&row(&[&a.label], a));
                    }
                }
            }
            Group::Agreement => {}
        }
        for c in d.changes.iter().filter(mine).filter(|c| !c.is_whole_item()) {
            bullets.push_str(&change(c));
        }
        if !bullets.is_empty() {
            if !o.ends_with("\n\n") {
                o.push('\n');
            }
            o.push_str(&bullets);
        }
    }
    findings(&mut o, d);
    o
}

fn row(cols: &[&str], a: &super::money::Amount) -> String {
    let money =
        |m: Option<crate::agreement::values::Money>| m.map_or("-".into(), |m| m.to_string());
    let diff = if a.changed() {
        format!("**{}**", a.describe())
    } else {
        a.describe()
    };
    let cols: Vec<String> = cols.iter().map(|c| esc(c)).collect();
    format!(
        "| {} | {} | {} | {diff} |\n",
        cols.join(" | "),
        money(a.old),
        money(a.new)
    )
}

fn value(v: &Shown) -> String {
    match v {
        Shown::Text(t) => format!(
            "“{}”",
            esc(&t.split_whitespace().collect::<Vec<_>>().join(" "))
        ),
        other => esc(&other.to_string()),
    }
}

fn change(c: &Change) -> String {
    let marker = if c.class.material {
        "**Material:** "
    } else {
        ""
    };
    // The label is escaped here; values are escaped by `value`.
    let mut plain = c.clone();
    plain.label = esc(&c.label);
    let mut s = format!("- {marker}{}", describe(&plain, "→", &value));
    if c.kind == Kind::Changed && c.is_rewording() {
        // A backslash at the end of a line is a hard line break in CommonMark.
        s.push_str(&format!("\\\n  {}", word_diff(&c.words)));
    }
    s.push('\n');
    s
}

fn word_diff(ops: &[WordOp]) -> String {
    let mut parts = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        match op {
            WordOp::Same(s) => parts.push(esc(&super::human::elide(s, i == 0, i + 1 == ops.len()))),
            WordOp::Removed(s) => parts.push(format!("~~{}~~", esc(s))),
            WordOp::Added(s) => parts.push(format!("**{}**", esc(s))),
        }
    }
    parts.join(" ")
}

fn findings(o: &mut String, d: &Diff) {
    let f = &d.findings;
    o.push_str("\n### Findings\n\n");
    if f.introduced.is_empty() && f.resolved.is_empty() && f.unchanged.is_empty() {
        o.push_str(&format!(
            "None in either version (checked as on {}).\n",
            d.today
        ));
        return;
    }
    o.push_str(&format!("Both versions checked as on {}.\n\n", d.today));
    for (title, list) in [("Introduced", &f.introduced), ("Resolved", &f.resolved)] {
        if list.is_empty() {
            o.push_str(&format!("- {title}: none\n"));
        }
        for x in list {
            o.push_str(&format!(
                "- {title}: {} `{}` at line {}: {}\n",
                x.severity,
                x.rule,
                x.line,
                esc(&x.message)
            ));
        }
    }
    let mut ids: Vec<String> = f
        .unchanged
        .iter()
        .map(|x| format!("`{}`", x.rule))
        .collect();
    ids.dedup();
    if ids.is_empty() {
        o.push_str("- Unchanged: none\n");
    } else {
        o.push_str(&format!(
            "- Unchanged: {} ({})\n",
            f.unchanged.len(),
            ids.join(", ")
        ));
    }
}
