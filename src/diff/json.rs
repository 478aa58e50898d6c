//! JSON output of `s75lint diff --format json`: one document describing the comparison. The
//! schema below is the contract; a change that removes a field or changes its meaning bumps
//! `version`. Fields may be added without a bump, so readers should ignore keys they do not
//! know. Money is in pence (integers), dates are ISO (`2025-04-01`), years are `2025-26`.
//!
//! # Schema, version 1
//!
//! The document is an object with these keys:
//!
//! - `version` (integer): `1`.
//! - `old`, `new` (version objects): the two versions compared.
//! - `today` (string, ISO date): the date both versions were checked against.
//! - `compared` (boolean): false when a version did not load as an agreement; then `changes`
//!   and `money` are empty and only `findings` says anything.
//! - `material` (boolean): whether any change needs every partner's signature.
//! - `exit_code` (integer): the command's exit code: 0 nothing material changed, 1 something
//!   material changed, 2 the comparison could not be made.
//! - `topics` (array of strings): the topics of the material changes, each once (see
//!   `topic` below).
//! - `changes` (array of change objects): every difference, agreement-wide ones and then by
//!   pool and scheme in the order of the new file.
//! - `money` (object): `pools` (array of pool objects) and `schemes` (array of scheme
//!   objects), for those whose money or risk shares changed.
//! - `findings` (object): `introduced` (in the new version only), `resolved` (in the old
//!   only), `unchanged` (in both; as found in the new version): arrays of finding objects.
//!   Findings are matched by rule and `location`, not by line. Waived findings are left out.
//! - `summary` (object): `material`, `editorial` (integers: changes of each class),
//!   `introduced`, `resolved`, `unchanged` (integers: findings).
//!
//! A **version** object: `name` (string: the file, or `REV:PATH`), `id` (string or null: the
//! agreement's `id`), `loaded` (boolean), `problem` (string or null: why it did not load).
//!
//! A **change** object:
//!
//! - `path` (string): where, by keys and ids, e.g. `pools[BCF].contributions[icb 2025-26].amount`
//!   (list items are named by what identifies them; map entries follow a dot).
//! - `field_path` (string): the field names only, e.g. `pools.contributions.amount`.
//! - `group` (object): `kind` (`agreement`, `pool` or `scheme`) and `id` (string, or null for
//!   the agreement): where the human output lists it.
//! - `label` (string): the change's place in words within its group, e.g.
//!   `contribution icb 2025-26`.
//! - `kind` (string): `added`, `removed` or `changed`.
//! - `material` (boolean): whether it needs every partner's signature.
//! - `topic` (string): `money`, `risk share`, `parties`, `legal basis`, `duration`,
//!   `functions and services`, `hosts`, `pools and schemes`, `terms` (material topics), or
//!   `outcomes`, `record`, `other` (editorial). A free-text rewrite of a material topic that
//!   changes only letter case and punctuation is not material.
//! - `old`, `new` (value object, or null when added / removed).
//! - `difference` (object or null): for money changed in both versions, `pence` (integer, new
//!   minus old) and `percent` (number rounded to one place, or null when old is 0).
//! - `words` (array): for rewritten free text, the word-level difference as objects with `op`
//!   (`same`, `removed` or `added`) and `text` (the words, separated by single spaces); empty
//!   otherwise.
//! - `in_summary` (boolean): whether `money` shows this change too.
//!
//! A **value** object: `type` (`money`, `date`, `percent`, `number`, `year`, `bool`, `word`,
//! `text`, `placeholder`, `unreadable`, `item`), `value` (pence as an integer for money, ISO
//! string for a date, number for a percent or number, boolean for bool, else a string: an
//! `unreadable` value is the text as written, an `item` is a summary of a list item) and
//! `text` (string: the value as the human output shows it, e.g. `£1,200,000`, `1 April 2025`).
//!
//! A **pool** object: `pool` (string id); `years` (array of year objects, every year in either
//! version, in order); `risk` (array of objects with `which` (`overspend` or `underspend`),
//! `old` and `new` (arrays of `{partner, percent}` as written), for each that changed).
//!
//! A **year** object: `year` (string); `partners` (array of amount objects, `label` the
//! partner id); `total` (amount object); `old`, `new` (reconcile object, or null when the year
//! is not in that version); `reconciliation` (string or null: in words, e.g.
//! `no longer reconciles: stated total £63,480,000, contributions £64,560,000`).
//!
//! An **amount** object: `label` (string), `old`, `new` (integer pence or null when absent),
//! `difference` (integer pence, new minus old, absent counting as 0), `percent` (number or
//! null), `changed` (boolean).
//!
//! A **reconcile** object: `contributed` (integer pence), `stated` (integer pence or null: the
//! stated `pooled_total`), `allocated` (integer pence or null: the schemes' allocations from
//! the pool), `reconciles` (boolean: stated equals contributed, allocated at most contributed).
//!
//! A **scheme** object: `scheme` (string id), `rows` (array of amount objects labelled
//! `allocation 2025-26` or `payment exc 2025-26`).
//!
//! A **finding** object: `rule`, `severity`, `message`, `location` (strings), `line`,
//! `column` (1-based integers, in the version it was found in).

use super::money::{Amount, Reconcile};
use super::words::WordOp;
use super::{Change, Diff, DiffFinding, Group, Shown, Version};
use serde_json::{json, Value};

/// Renders the comparison as a JSON document (with a final newline).
pub(crate) fn render(d: &Diff) -> String {
    let material = d.changes.iter().filter(|c| c.class.material).count();
    let doc = json!({
        "version": 1,
        "old": version(&d.old),
        "new": version(&d.new),
        "today": d.today.iso(),
        "compared": d.compared(),
        "material": d.material(),
        "exit_code": d.exit_code(),
        "topics": d.material_topics().iter().map(|t| t.name()).collect::<Vec<_>>(),
        "changes": d.changes.iter().map(change).collect::<Vec<_>>(),
        "money": {
            "pools": d.pools.iter().map(|p| json!({
                "pool": p.pool,
                "years": p.years.iter().map(|y| json!({
                    "year": y.year.to_string(),
                    "partners": y.partners.iter().map(amount).collect::<Vec<_>>(),
                    "total": amount(&y.total),
                    "old": y.old.as_ref().map(reconcile),
                    "new": y.new.as_ref().map(reconcile),
                    "reconciliation": y.reconciliation(),
                })).collect::<Vec<_>>(),
                "risk": p.risk.iter().map(|r| json!({
                    "which": r.which,
                    "old": shares(&r.old),
                    "new": shares(&r.new),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "schemes": d.schemes.iter().map(|s| json!({
                "scheme": s.scheme,
                "rows": s.rows.iter().map(amount).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        },
        "findings": {
            "introduced": d.findings.introduced.iter().map(finding).collect::<Vec<_>>(),
            "resolved": d.findings.resolved.iter().map(finding).collect::<Vec<_>>(),
            "unchanged": d.findings.unchanged.iter().map(finding).collect::<Vec<_>>(),
        },
        "summary": {
            "material": material,
            "editorial": d.changes.len() - material,
            "introduced": d.findings.introduced.len(),
            "resolved": d.findings.resolved.len(),
            "unchanged": d.findings.unchanged.len(),
        },
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

fn version(v: &Version) -> Value {
    json!({
        "name": v.name,
        "id": v.id,
        "loaded": v.problem.is_none(),
        "problem": v.problem,
    })
}

fn value(v: &Shown) -> Value {
    let inner = match v {
        Shown::Money(m) => json!(m.0),
        Shown::Date(d) => json!(d.iso()),
        Shown::Percent(p) | Shown::Number(p) => json!(p),
        Shown::Year(y) => json!(y.to_string()),
        Shown::Bool(b) => json!(b),
        Shown::Word(s)
        | Shown::Text(s)
        | Shown::Placeholder(s)
        | Shown::Unreadable(s)
        | Shown::Item(s) => json!(s),
    };
    json!({"type": v.kind(), "value": inner, "text": v.to_string()})
}

fn change(c: &Change) -> Value {
    let (gk, gid) = match &c.group {
        Group::Agreement => ("agreement", None),
        Group::Pool(id) => ("pool", Some(id)),
        Group::Scheme(id) => ("scheme", Some(id)),
    };
    json!({
        "path": c.path,
        "field_path": c.field_path,
        "group": {"kind": gk, "id": gid},
        "label": c.label,
        "kind": c.kind.name(),
        "material": c.class.material,
        "topic": c.class.topic.name(),
        "old": c.old.as_ref().map(value),
        "new": c.new.as_ref().map(value),
        "difference": c.money_difference().map(|(p, pct)| json!({"pence": p, "percent": pct})),
        "words": c.words.iter().map(|w| {
            let op = match w {
                WordOp::Same(_) => "same",
                WordOp::Removed(_) => "removed",
                WordOp::Added(_) => "added",
            };
            json!({"op": op, "text": w.text()})
        }).collect::<Vec<_>>(),
        "in_summary": c.in_summary,
    })
}

fn amount(a: &Amount) -> Value {
    json!({
        "label": a.label,
        "old": a.old.map(|m| m.0),
        "new": a.new.map(|m| m.0),
        "difference": a.difference(),
        "percent": a.percent(),
        "changed": a.changed(),
    })
}

fn reconcile(r: &Reconcile) -> Value {
    json!({
        "contributed": r.contributed.0,
        "stated": r.stated.map(|m| m.0),
        "allocated": r.allocated.map(|m| m.0),
        "reconciles": r.ok(),
    })
}

fn shares(v: &[(String, f64)]) -> Value {
    Value::Array(
        v.iter()
            .map(|(p, s)| json!({"partner": p, "percent": s}))
            .collect(),
    )
}

fn finding(f: &DiffFinding) -> Value {
    json!({
        "rule": f.rule,
        "severity": f.severity,
        "message": f.message,
        "location": f.location,
        "line": f.line,
        "column": f.column,
    })
}
