//! Generates `docs/format.md`, the agreement format reference, from the field table
//! (`agreement::schema`): every key, its type and where it sits come from the table; what each
//! key means is the prose below, keyed by the field's path. A test regenerates the page and
//! compares it with the committed one, so a field added to the table without a meaning here, or a
//! page edited by hand, fails the suite. Rewrite the page with
//! `S75LINT_BLESS=1 cargo test --lib docs_format`.

use crate::agreement::schema::{Field, RefKind, Ty, AGREEMENT};
use std::fmt::Write;

/// The page's text before the field reference.
const INTRO: &str = r#"# Agreement format, version 1

Generated from the field table (`src/agreement/schema.rs`) by `src/docs_format.rs`; do not edit
by hand. `S75LINT_BLESS=1 cargo test --lib docs_format` rewrites it.

This is the format agreements are written in. Field names are fixed: users, rule files and other
tools depend on them. Complete examples of every kind of agreement are in
[`fixtures/valid`](../fixtures/valid); [`s75lint init`](../README.md#using-it) writes a starter.
What each rule requires of these fields is in the [rule reference](rules.md), and which
requirement each rule implements in the [catalogue](catalogue.md).

## Recognising an agreement file

- An agreement is a YAML file (`.yaml` or `.yml`, in any letter case) whose top-level mapping has
  the key `s75lint`, the format version: `s75lint: 1`.
- When a directory is checked, YAML files without that key are skipped silently: repositories
  hold CI and other YAML. A file named on the command line without the key is skipped with a note,
  unless it looks like an agreement (it has `partners` or `legal_basis` at the top level): then it
  is an `FMT-NOT-AGREEMENT` error saying to add `s75lint: 1`.
- One agreement per file: a second YAML document in a file is an `FMT-YAML` error.

## Keys

Every key the format knows is listed below. Any other key is an `FMT-UNKNOWN-KEY` warning naming
the nearest known key, and the key it was probably meant to be counts as absent, so a misspelt
`exit_stratgy` is never silently read as a missing exit strategy. Keys starting with `x-` are free
for local use and never warned about. A key written twice in one mapping is an
`FMT-DUPLICATE-KEY` error, and neither value is used. Merge keys (`<<`) are refused: in a legal
document every value is written where it applies.

A value of the wrong type or form is an `FMT-TYPE` error at the value, a reference to an id that
is not declared is an `FMT-UNKNOWN-REF` error (with the nearest id suggested), and two partners,
pools or schemes with one id are an `FMT-DUPLICATE-ID` error. A value that failed to load is
neither present nor missing: the rules that read it stay silent, so one mistake gives one finding.

## Value types

| type | written as | notes |
|---|---|---|
"#;

/// The value types a field can have, with notes; the "written as" column is the loader's own
/// description of each ([`Ty::describe`]), so messages and this page agree.
const VALUE_TYPES: &[(&str, Ty, &str)] = &[
    ("text", Ty::Text, "Any non-empty text. Placeholder text (`TODO`, `TBC`, `TBA`, `TBD`, `XXX`, `[insert ...]`) counts as missing, and is an `AGR-PLACEHOLDER` finding."),
    ("date", Ty::Date, "An ISO 8601 calendar date. Prose such as `April 2025` is an error at the value. Shown in messages as `1 April 2025`."),
    ("money", Ty::Money, "Pounds, read to the penny: `1200000`, `1200000.50`, `\"£1,200,000\"`, `\"£1.2m\"`, `\"£850k\"`. Never negative. Write amounts with commas in quotes: YAML reads an unquoted `1,500,000` inside `{ }` as `1` and stray keys."),
    ("percent", Ty::Percent, "Decimals allowed: `17.01`, `\"17.01%\"`."),
    ("financial year", Ty::Year, "1 April to 31 March."),
    ("number", Ty::Number, "A plain number."),
    ("`true` or `false`", Ty::Bool, ""),
    ("partner id", Ty::Ref(RefKind::Partner), "A reference; an unknown id is an `FMT-UNKNOWN-REF` error. Pool and scheme ids work the same way, for ids under `pools` and `schemes`."),
    ("rule id", Ty::RuleId, "The id of a shipped or local rule."),
];

/// What each field means, by path (`[]` marks a list item). Every field of the table needs one.
const MEANINGS: &[(&str, &str)] = &[
    ("s75lint", "Required. The format version; marks the file as an agreement."),
    ("id", "The agreement's own reference, unique in the portfolio."),
    ("title", "The agreement's title as it appears on the signed document."),
    ("status", "Where the agreement is in its life. `signed` and `varied` mean it is in force; while `draft`, placeholder text is a warning rather than an error."),
    ("legal_basis", "The power the agreement is made under. When absent, the agreement is read as a section 75 agreement. Sections 256 and 76 are one-way grants (see `grant`); `non_statutory` is an aligned budget, where each partner keeps its own money."),
    ("commencement", "The date the arrangement starts."),
    ("end", "The date it ends, after `commencement`; or give `rolling: true`."),
    ("rolling", "`true` when the agreement continues until ended by notice; it then needs a `review`."),
    ("renewal", "How and when the partners decide on renewal; recorded renewal stops the `AC-EXPIRING` reminder."),
    ("improvement", "How the arrangement is likely to improve the way the functions are exercised (Regulations reg 4)."),
    ("variation", "How the agreement is varied: in writing, agreed by whom."),
    ("partners", "Every party to the agreement. A section 75 agreement needs at least one NHS body and one local authority."),
    ("partners[].id", "A short id, used to refer to the partner elsewhere in the file."),
    ("partners[].name", "The partner's legal name."),
    ("partners[].kind", "The kind of body. `ccg` counts as an NHS body only for agreements commencing from 1 April 2013 to 30 June 2022, `pct` only before 1 April 2013."),
    ("signatures", "One signature per partner on the original agreement, once it is in force. A signature without a `date` does not count as signing."),
    ("signatures[].partner", "The partner signing."),
    ("signatures[].name", "The person who signed."),
    ("signatures[].role", "Their role."),
    ("signatures[].date", "The date they signed: on or before `commencement`."),
    ("variations", "Each later variation of the agreement, in order: what changed, when, and who signed it. An agreement with `status: varied` records at least one; signatures of a variation go here, not under `signatures`."),
    ("variations[].date", "The date the variation takes effect: on or after `commencement`."),
    ("variations[].description", "What the variation changes."),
    ("variations[].signatures", "One signature per partner on the variation, each with its date."),
    ("variations[].signatures[].partner", "The partner signing the variation."),
    ("variations[].signatures[].name", "The person who signed."),
    ("variations[].signatures[].role", "Their role."),
    ("variations[].signatures[].date", "The date they signed the variation."),
    ("consultation", "The joint consultation with the people affected, held before the agreement is entered into (Regulations reg 4)."),
    ("consultation.joint", "`true` when the partners consulted together."),
    ("consultation.date", "The date the consultation closed: on or before the first signature."),
    ("consultation.with", "Who was consulted."),
    ("governance", "How the arrangement is governed and held to account."),
    ("governance.board", "The board that oversees the arrangement."),
    ("governance.reporting", "How the pool manager (or the partner the task is delegated to) reports to the partners."),
    ("governance.reporting.frequency", "How often: at least quarterly. `biannual` means twice a year."),
    ("governance.reporting.annual_statement", "`true` when an audited annual statement is given."),
    ("governance.audit", "Who audits the arrangement's accounts."),
    ("review", "How often the agreement is reviewed, and when next: at least annually."),
    ("review.frequency", "How often the agreement is reviewed. `biannual` means twice a year."),
    ("review.next", "The date of the next review: not before today, and no more than a year ahead."),
    ("pools", "The pooled funds (Regulations reg 7); schemes draw on them."),
    ("pools[].id", "A short id, used by schemes and waivers to refer to the pool."),
    ("pools[].name", "The pool's name."),
    ("pools[].host", "The partner that hosts the pool and is responsible for its accounts and audit."),
    ("pools[].pool_manager", "The officer of the host who manages the pool (Regulations reg 7(4))."),
    ("pools[].pool_manager.name", "Their name."),
    ("pools[].pool_manager.role", "Their role."),
    ("pools[].pool_manager.partner", "The partner they are an officer of: the host."),
    ("pools[].contributions", "What each partner pays into the pool, one row per partner per financial year, for every year the agreement covers."),
    ("pools[].contributions[].partner", "The contributing partner."),
    ("pools[].contributions[].year", "The financial year."),
    ("pools[].contributions[].amount", "The amount."),
    ("pools[].contribution_variation", "How contributions may be varied."),
    ("pools[].pooled_total", "Optional: the pool's total per year, which must equal the sum of that year's contributions."),
    ("pools[].risk_share", "How overspends and underspends are shared among the contributing partners."),
    ("pools[].risk_share.overspend", "Each contributing partner's share of an overspend; the shares add up to 100%."),
    ("pools[].risk_share.underspend", "Each contributing partner's share of an underspend; the shares add up to 100%."),
    ("pools[].capital_items", "Who owns capital items bought from the pool, and what happens to them on exit."),
    ("schemes", "The services the agreement covers: the schedules of the legal text."),
    ("schemes[].id", "A short id, used by waivers to refer to the scheme."),
    ("schemes[].name", "The scheme's name."),
    ("schemes[].arrangements", "How the scheme works. Commissioning (`lead_commissioning`) and provision (`integrated_provision`) are not mixed in one agreement."),
    ("schemes[].pool", "The pool the scheme draws on: required when `arrangements` includes `pooled_fund`."),
    ("schemes[].allocation", "Optional: what the scheme spends from its pool each year. The allocations from a pool in a year may not exceed that year's contributions."),
    ("schemes[].host", "The lead partner, for lead commissioning or integrated provision."),
    ("schemes[].functions", "The statutory functions the scheme covers; a pooled fund covers at least one NHS and one council function across its schemes. Surgery, radiotherapy, termination of pregnancy, endoscopy, Class 4 laser and other invasive treatment, and emergency ambulance services cannot be included (Regulations reg 5)."),
    ("schemes[].functions.nhs", "The NHS functions, with the power they come from."),
    ("schemes[].functions.local_authority", "The council functions, with the power they come from."),
    ("schemes[].client_groups", "The people the scheme serves."),
    ("schemes[].services", "The kinds of service it covers."),
    ("schemes[].aims", "What the scheme is for."),
    ("schemes[].outcomes", "What it should achieve: at least one outcome per scheme."),
    ("schemes[].outcomes[].measure", "What is measured."),
    ("schemes[].outcomes[].baseline", "Where the measure stands now."),
    ("schemes[].outcomes[].baseline.value", "The figure."),
    ("schemes[].outcomes[].baseline.unit", "Its unit."),
    ("schemes[].outcomes[].baseline.year", "The financial year it was measured in."),
    ("schemes[].outcomes[].target", "The quantified target."),
    ("schemes[].outcomes[].target.value", "The figure."),
    ("schemes[].outcomes[].target.unit", "Its unit."),
    ("schemes[].outcomes[].by", "The date the target is to be met."),
    ("schemes[].outcomes[].lead", "The partner accountable for the outcome."),
    ("schemes[].outcomes[].source", "Where the data comes from."),
    ("schemes[].payments", "For lead commissioning or integrated provision outside a pool: what each partner pays the host, per financial year, for every year covered."),
    ("schemes[].payments[].partner", "The paying partner."),
    ("schemes[].payments[].year", "The financial year."),
    ("schemes[].payments[].amount", "The amount."),
    ("schemes[].payment_variation", "How the payments may be varied."),
    ("schemes[].non_financial_contributions", "The staff, goods, services or accommodation each partner provides, or `none`."),
    ("schemes[].non_financial_contributions[].partner", "The partner providing it."),
    ("schemes[].non_financial_contributions[].item", "What is provided."),
    ("finance", "Financial terms."),
    ("finance.vat", "The VAT treatment (for a pool, the host's regime applies)."),
    ("finance.year_end", "What happens to underspends and overspends at the year end; for aligned budgets, how the risk is shared."),
    ("exit_strategy", "What happens when the agreement ends."),
    ("exit_strategy.notice_months", "The notice of termination, in whole months."),
    ("exit_strategy.assets", "How assets are shared on exit."),
    ("exit_strategy.liabilities", "How liabilities are shared on exit."),
    ("exit_strategy.service_users", "What happens to the people receiving services."),
    ("exit_strategy.staff", "What happens to the staff."),
    ("terms", "The general terms of the agreement."),
    ("terms.insurance_and_indemnity", "Liability, insurance and indemnity."),
    ("terms.complaints", "How complaints are handled."),
    ("terms.disputes", "How disputes between the partners are resolved."),
    ("terms.information_sharing", "Data collection, information sharing and record keeping."),
    ("staff", "Staff placed at another partner's disposal."),
    ("staff[].arrangement", "How: `section_113` (Local Government Act 1972 s113), secondment or TUPE transfer."),
    ("staff[].description", "Who, and what they do."),
    ("staff[].delegated_functions", "The functions formally delegated to them, or `none`."),
    ("personal_budgets", "How personal budgets and direct payments for people the pool covers are funded from it."),
    ("charging", "How charged social care is kept apart from free NHS care where their functions are combined."),
    ("bcf", "Only in Better Care Fund agreements, which must be section 75 pooled funds between an ICB (a CCG for agreements commencing before 1 July 2022) and a council."),
    ("bcf.year", "The Better Care Fund plan's financial year."),
    ("bcf.hwb_approval", "The date the Health and Wellbeing Board approved the plan."),
    ("grant", "A section 256 or section 76 grant, which has no pools, schemes, host or pool manager."),
    ("grant.payer", "The partner paying the grant."),
    ("grant.recipient", "The partner receiving it."),
    ("grant.purpose", "What it is for."),
    ("grant.amount", "The amount, or the amount per financial year."),
    ("waivers", "Accepted departures from a rule, recorded in the agreement with the reason and who approved them. A waived finding is shown as waived and not counted. A waiver that is incomplete or names no rule is a `WAIVER-INVALID` error, an expired one a `WAIVER-EXPIRED` error (its findings count again), and one that matches no finding a `WAIVER-UNUSED` warning."),
    ("waivers[].rule", "The rule waived."),
    ("waivers[].scheme", "Optional: only the findings about this scheme."),
    ("waivers[].pool", "Optional: only the findings about this pool."),
    ("waivers[].reason", "Why the departure is accepted."),
    ("waivers[].approved_by", "Who approved it."),
    ("waivers[].expires", "The date the waiver lapses."),
];

/// The meaning written for the field at `path`, if any.
fn meaning(path: &str) -> Option<&'static str> {
    MEANINGS.iter().find(|(p, _)| *p == path).map(|(_, m)| *m)
}

/// The record (mapping with known keys) a type holds, directly or as list items.
fn record_of(ty: &Ty) -> Option<(&'static [Field], bool)> {
    match ty {
        Ty::Record(fields) => Some((fields, false)),
        Ty::List(inner) | Ty::NoneOr(inner) => record_of(inner).map(|(f, _)| (f, true)),
        _ => None,
    }
}

/// The anchor of a record's section: `pools[].pool_manager` -> `pools-pool_manager`.
fn anchor(path: &str) -> String {
    path.replace("[]", "").replace('.', "-")
}

/// The type as the field tables spell it; a mapping links to its own section.
fn spell(ty: &Ty, path: &str) -> String {
    match ty {
        Ty::Text => "text".into(),
        Ty::Word(words) => {
            let words: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
            format!("one of {}", words.join(", "))
        }
        Ty::Bool => "`true` or `false`".into(),
        Ty::Number => "number".into(),
        Ty::Date => "date".into(),
        Ty::Money => "money".into(),
        Ty::Percent => "percent".into(),
        Ty::Year => "financial year".into(),
        Ty::Version => "`1`".into(),
        Ty::RuleId => "rule id".into(),
        Ty::Ref(kind) => format!("{} id", kind.noun()),
        Ty::List(inner) => match **inner {
            Ty::Record(_) => format!("list of [mappings](#{})", anchor(path)),
            Ty::Word(_) => format!("list, each {}", spell(inner, path)),
            _ => format!("list of {}", spell(inner, path)),
        },
        Ty::Record(_) => format!("[mapping](#{})", anchor(path)),
        Ty::YearMap(inner) => format!("financial year → {}", spell(inner, path)),
        Ty::PartnerMap(inner) => format!("partner id → {}", spell(inner, path)),
        Ty::NoneOr(inner) => format!("`none`, or {}", spell(inner, path)),
        Ty::OneOrYearMap(inner) => {
            let one = spell(inner, path);
            format!("{one}, or financial year → {one}")
        }
    }
}

/// Writes the table of one record, then the sections of the records inside it.
fn section(out: &mut String, title: &str, path: &str, fields: &'static [Field]) {
    if !path.is_empty() {
        let _ = writeln!(out, "<a id=\"{}\"></a>\n", anchor(path));
    }
    let _ = writeln!(out, "### {title}\n");
    out.push_str("| key | type | meaning |\n|---|---|---|\n");
    let child = |name: &str| {
        if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    for f in fields {
        let p = child(f.name);
        let item = match record_of(&f.ty) {
            Some((_, true)) => format!("{p}[]"),
            _ => p.clone(),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            f.name,
            spell(&f.ty, &item),
            meaning(&p).unwrap_or("")
        );
    }
    out.push('\n');
    for f in fields {
        if let Some((inner, is_list)) = record_of(&f.ty) {
            let p = child(f.name);
            let p = if is_list { format!("{p}[]") } else { p };
            let title = if is_list {
                format!("`{p}`: each item")
            } else {
                format!("`{p}`")
            };
            section(out, &title, &p, inner);
        }
    }
}

/// The text of `docs/format.md`.
pub fn format_reference() -> String {
    let mut out = String::from(INTRO);
    for (name, ty, notes) in VALUE_TYPES {
        let _ = writeln!(out, "| {name} | {} | {notes} |", ty.describe());
    }
    out.push_str(
        "\n## Fields\n\nEvery key the format knows, by where it sits. A mapping keyed by \
         financial year (`{2025-26: \"£1,200,000\"}`) or by partner id (`{exc: 60, icb: 40}`) is \
         written `financial year → money` or `partner id → percent`: its keys are data, not \
         field names.\n\n",
    );
    section(&mut out, "Top level", "", AGREEMENT);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// Every field path of the table, lists marked `[]` on the record paths below them.
#[cfg(test)]
fn paths(prefix: &str, fields: &'static [Field], out: &mut Vec<String>) {
    for f in fields {
        let p = if prefix.is_empty() {
            f.name.to_string()
        } else {
            format!("{prefix}.{}", f.name)
        };
        out.push(p.clone());
        if let Some((inner, is_list)) = record_of(&f.ty) {
            paths(&if is_list { format!("{p}[]") } else { p }, inner, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_meaning_and_every_meaning_a_field() {
        let mut all = Vec::new();
        paths("", AGREEMENT, &mut all);
        for p in &all {
            assert!(
                meaning(p).is_some(),
                "field `{p}` has no meaning in src/docs_format.rs MEANINGS"
            );
        }
        for (p, _) in MEANINGS {
            assert!(
                all.iter().any(|a| a == p),
                "MEANINGS describes `{p}`, which the field table does not have"
            );
        }
    }

    #[test]
    fn the_committed_format_reference_is_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md");
        let want = format_reference();
        if std::env::var_os("S75LINT_BLESS").is_some() {
            std::fs::write(&path, &want).expect("write docs/format.md");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == want,
            "docs/format.md is out of date: run `S75LINT_BLESS=1 cargo test --lib docs_format`"
        );
    }

    #[test]
    fn rule_ids_named_on_the_page_exist() {
        let rules = crate::RuleSet::builtin().expect("shipped rules");
        let page = format_reference();
        for word in page.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
            let looks_like_id = word.len() > 3
                && word.contains('-')
                && word.chars().all(|c| c.is_ascii_uppercase() || c == '-');
            if looks_like_id {
                // FMT- and WAIVER- ids are built into the loader, not rule files.
                let built_in = word.starts_with("FMT-") || word.starts_with("WAIVER-");
                assert!(
                    built_in || rules.get(word).is_some(),
                    "docs/format.md names `{word}`, which is no rule"
                );
            }
        }
    }
}
