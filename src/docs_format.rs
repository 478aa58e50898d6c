//! Generates `docs/format.md`, the agreement format reference, from the field table
//! (`agreement::schema`): every key, its type, its meaning and where it sits come from the
//! table's rows; the prose around them is below. A test regenerates the page and compares it
//! with the committed one, so a field added to the table without regenerating, or a page edited
//! by hand, fails the suite. Rewrite the page with
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
            f.doc
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
pub(crate) fn format_reference() -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
