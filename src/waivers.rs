//! Waivers: accepted departures from a rule, recorded in the agreement under `waivers:`. A
//! waived finding is still listed (with the waiver's reason and approver) but does not count.
//! Waivers are checked like anything else: one without a reason or approver, or naming a rule
//! that does not exist, is an error; an expired one is an error and its findings count again;
//! one that matches no finding is a warning, like ruff's unused `noqa`.

use crate::agreement::doc::{Doc, NodeId, Value};
use crate::agreement::values::Date;
use crate::builtin_rules::{WAIVER_EXPIRED, WAIVER_INVALID, WAIVER_PREFIX, WAIVER_UNUSED};
use crate::finding::{Finding, Waiver};
use crate::suggest::did_you_mean;

struct Entry {
    node: NodeId,
    rule: Option<String>,
    scope: Option<String>,
    waiver: Waiver,
    usable: bool,
    used: bool,
}

/// Applies the agreement's waivers to its findings and appends findings about the waivers.
/// `known` lists every rule id a waiver may name.
pub(crate) fn apply(doc: &Doc, findings: &mut Vec<Finding>, today: Date, known: &[&str]) {
    let Some(list) = doc.get(Doc::ROOT, "waivers") else {
        return;
    };
    let Value::List(items) = &doc.node(list).value else {
        return;
    };
    let text = |n: NodeId, key: &str| -> Option<String> {
        doc.get(n, key).and_then(|v| match &doc.node(v).value {
            Value::Text(t) => Some(t.trim().to_string()),
            Value::Ref { id, .. } => Some(id.clone()),
            _ => None,
        })
    };
    let mut entries = Vec::new();
    let mut extra = Vec::new();
    for &n in items {
        let span = doc.node(n).span;
        let rule = text(n, "rule");
        let reason = text(n, "reason");
        let approved = text(n, "approved_by");
        let expires = doc.get(n, "expires").and_then(|e| match doc.node(e).value {
            Value::Date(d) => Some(d),
            _ => None,
        });
        let scope = match (doc.get(n, "scheme"), doc.get(n, "pool")) {
            (Some(s), _) => doc.text(s).map(|id| format!("schemes[{id}]")),
            (None, Some(p)) => doc.text(p).map(|id| format!("pools[{id}]")),
            _ => None,
        };
        let mut usable = true;
        let mut problems = Vec::new();
        match &rule {
            None => problems.push("names no rule".to_string()),
            Some(r) if !known.contains(&r.as_str()) || r.starts_with(WAIVER_PREFIX) => {
                let hint = did_you_mean(r, known.iter().copied())
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default();
                problems.push(format!(
                    "names `{r}`, which is not a rule that can be waived{hint}"
                ));
            }
            _ => {}
        }
        if reason.is_none() {
            problems.push("gives no reason".into());
        }
        if approved.is_none() {
            problems.push("does not say who approved it".into());
        }
        // A waiver's keys are strict: a misspelt `expiry` would otherwise leave a waiver that
        // never lapses. The finding points at the first such key, where the slip is.
        let unknown: Vec<_> = doc.unknown_keys.iter().filter(|u| u.parent == n).collect();
        let mut at = span;
        let mut renames = Vec::new();
        for u in &unknown {
            let near = u
                .near
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            // A look-alike letter or an invisible character is named: on screen the key looks
            // right.
            let disguised = crate::chars::deceiving(&u.key)
                .map(|(at, c)| {
                    format!(
                        " ({})",
                        crate::agreement::load::deceiving_message("the key", &u.key, at, c)
                    )
                })
                .unwrap_or_default();
            problems.push(format!(
                "has the key `{}`{disguised}, which a waiver does not have{near}",
                u.key
            ));
            if let Some(s) = u.near {
                renames.push(format!("rename `{}` to `{s}`", u.key));
            }
        }
        if let Some(first) = unknown.first() {
            at = first.span;
        }
        if doc.get(n, "expires").is_none() {
            problems.push("has no `expires` date".into());
        }
        let rule_name = rule.clone().unwrap_or_else(|| "?".into());
        if !problems.is_empty() {
            usable = false;
            let mut f = Finding::of(
                &WAIVER_INVALID,
                format!(
                    "the waiver of {rule_name} {}, so it waives nothing",
                    join(&problems)
                ),
                at,
            )
            .with_help(if renames.is_empty() {
                WAIVER_INVALID.help.to_string()
            } else {
                format!(
                    "{}{}. A waiver has only the keys `rule`, `scheme` or `pool`, `reason`, `approved_by` and `expires`, and `expires` is required, so that every waiver lapses.",
                    renames[0][..1].to_uppercase(),
                    &renames.join("; ")[1..]
                )
            });
            f.location = doc.location(n);
            extra.push(f);
        } else if let Some(d) = expires.filter(|d| *d < today) {
            usable = false;
            let at = doc.get(n, "expires").map_or(span, |e| doc.node(e).span);
            let mut f = Finding::of(
                &WAIVER_EXPIRED,
                format!("the waiver of {rule_name} expired on {d}, so its findings count again"),
                at,
            )
            .with_help(WAIVER_EXPIRED.help);
            f.location = doc.location(n);
            extra.push(f);
        }
        entries.push(Entry {
            node: n,
            rule,
            scope,
            waiver: Waiver {
                reason: reason.unwrap_or_default(),
                approved_by: approved.unwrap_or_default(),
                expires: expires.map(Date::iso),
            },
            usable,
            used: false,
        });
    }
    for f in findings.iter_mut() {
        for e in entries.iter_mut() {
            let rule_matches = e.rule.as_deref() == Some(f.rule.as_str());
            let in_scope = e.scope.as_ref().is_none_or(|s| {
                f.location == *s
                    || f.location.starts_with(&format!("{s}."))
                    || f.location.starts_with(&format!("{s}["))
            });
            if rule_matches && in_scope {
                e.used = true;
                if e.usable && f.waived.is_none() {
                    f.waived = Some(e.waiver.clone());
                }
            }
        }
    }
    for e in &entries {
        if e.usable && !e.used {
            let rule = e.rule.as_deref().unwrap_or("?");
            let scope = e
                .scope
                .as_ref()
                .map(|s| format!(" in {s}"))
                .unwrap_or_default();
            let mut f = Finding::of(
                &WAIVER_UNUSED,
                format!("the waiver of {rule}{scope} matches no finding; it is stale"),
                doc.node(e.node).span,
            )
            .with_help(WAIVER_UNUSED.help);
            f.location = doc.location(e.node);
            extra.push(f);
        }
    }
    findings.extend(extra);
}

fn join(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
