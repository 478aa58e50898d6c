//! Quick fixes, offered for findings and applied only when the user picks one: rename a
//! misspelt key to the one suggested; add a waiver for a finding (with placeholders for the
//! reason, approver and expiry, so the waiver is itself flagged until they are filled in);
//! insert a skeleton of a missing block (placeholders again, never invented values).

use super::diagnostics;
use super::encoding::LineMap;
use crate::agreement::schema::{self, Field, Ty};
use crate::agreement::yaml::{self, YamlNode, YamlValue};
use crate::builtin_rules::FMT_UNKNOWN_KEY;
use crate::finding::Finding;
use crate::span::Span;
use lsp_types::{CodeAction, CodeActionKind, TextEdit, Uri, WorkspaceEdit};
use std::collections::HashMap;

/// What the quick fixes of one document need.
pub(crate) struct Ctx<'a> {
    /// The document.
    pub uri: &'a Uri,
    /// Its text.
    pub src: &'a str,
    /// Positions in it.
    pub map: &'a LineMap<'a>,
    /// Ids a waiver may name.
    pub waivable: &'a [&'a str],
}

/// The quick fixes for the findings at `range`. A finding spanning several lines (a whole
/// mapping, for something missing from it) is at its first line only, so that the fixes for
/// everything missing from the agreement are not offered wherever the cursor is.
pub(crate) fn for_range(cx: &Ctx<'_>, findings: &[Finding], range: Span) -> Vec<CodeAction> {
    let root = yaml::parse(cx.src).ok().flatten();
    let mut out: Vec<CodeAction> = Vec::new();
    let at = |f: &&Finding| overlaps(super::hover::first_line(cx.src, f.span), range);
    for f in findings.iter().filter(at) {
        if let Some(a) = rename_key(cx, f) {
            out.push(a);
        }
        if let Some(a) = root.as_ref().and_then(|r| skeleton(cx, f, r)) {
            out.push(a);
        }
        if let Some(a) = waiver(cx, f, root.as_ref()) {
            // One waiver covers every finding of the rule in its scope.
            if out.iter().all(|o| o.title != a.title) {
                out.push(a);
            }
        }
    }
    // The fix that corrects the text itself first.
    out.sort_by_key(|a| a.is_preferred != Some(true));
    out
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// A quick fix for `f` made of one edit.
// `Uri` caches parts of itself in a cell, but hashes and compares by its text only, so it is a
// sound key (lsp-types' own `WorkspaceEdit::changes` is keyed by it).
#[allow(clippy::mutable_key_type)]
fn action(cx: &Ctx<'_>, f: &Finding, title: String, edit: TextEdit, preferred: bool) -> CodeAction {
    let changes = HashMap::from([(cx.uri.clone(), vec![edit])]);
    CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostics::of_finding(f, cx.uri, cx.map)]),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
        command: None,
        is_preferred: Some(preferred),
        disabled: None,
        data: None,
    }
}

/// The key an unknown-key finding suggests, read back from its message ("...; did you mean
/// `host`?"): the loader's suggestion, so the fix and the message cannot disagree.
pub(crate) fn suggested_key(f: &Finding) -> Option<&str> {
    if f.rule != FMT_UNKNOWN_KEY.id {
        return None;
    }
    let rest = f.message.split("; did you mean `").nth(1)?;
    rest.strip_suffix("`?")
}

fn rename_key(cx: &Ctx<'_>, f: &Finding) -> Option<CodeAction> {
    let to = suggested_key(f)?;
    let from = cx.src.get(f.span.start..f.span.end)?;
    let edit = TextEdit::new(cx.map.range(f.span), to.to_string());
    Some(action(
        cx,
        f,
        format!("Rename `{from}` to `{to}`"),
        edit,
        true,
    ))
}

/// The key a finding about something missing says is missing (its label reads "no `key` in
/// this mapping").
fn missing_key(f: &Finding) -> Option<&str> {
    f.label
        .strip_prefix("no `")?
        .strip_suffix("` in this mapping")
}

/// The mapping written at `span` and the fields of its type, found by walking the YAML beside
/// the field table.
fn mapping_at<'y>(
    node: &'y YamlNode,
    ty: &'static Ty,
    span: Span,
) -> Option<(&'y YamlNode, &'static [Field])> {
    match (ty, &node.value) {
        (Ty::Record(fields), YamlValue::Map(entries)) => {
            if node.span == span {
                return Some((node, fields));
            }
            entries.iter().find_map(|(k, v)| {
                let YamlValue::Scalar { value, .. } = &k.value else {
                    return None;
                };
                let field = schema::field(fields, value)?;
                mapping_at(v, &field.ty, span)
            })
        }
        (Ty::List(item), YamlValue::Seq(items)) => {
            items.iter().find_map(|i| mapping_at(i, item, span))
        }
        (Ty::NoneOr(inner), _) => mapping_at(node, inner, span),
        _ => None,
    }
}

/// Where to insert lines at the end of a block written at `span`: just after the line it ends
/// on. None when the block is written in flow style (`{...}`) or something shares its last line.
fn end_of_block(src: &str, span: Span) -> Option<usize> {
    if src.get(span.start..)?.starts_with(['{', '[']) {
        return None;
    }
    let end = span.end.min(src.len());
    if end > 0 && src.as_bytes()[end - 1] == b'\n' {
        return Some(end);
    }
    Some(src[end..].find('\n').map_or(src.len(), |i| end + i + 1))
}

/// The indentation of a block mapping starting at `start` (the column of its first key), if
/// only spaces and list dashes come before it on its line.
fn indent_of(src: &str, start: usize) -> Option<usize> {
    let line_start = src[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = &src[line_start..start];
    before
        .bytes()
        .all(|b| b == b' ' || b == b'-')
        .then_some(before.len())
}

/// The text to insert at `at`: `lines`, on a line of their own.
fn insertion(src: &str, at: usize, lines: String) -> String {
    if at == src.len() && !src.is_empty() && !src.ends_with('\n') {
        format!("\n{lines}")
    } else {
        lines
    }
}

fn skeleton(cx: &Ctx<'_>, f: &Finding, root: &YamlNode) -> Option<CodeAction> {
    let key = missing_key(f)?;
    let (mapping, fields) = mapping_at(root, &schema::ROOT, f.span)?;
    let field = schema::field(fields, key)?;
    let indent = indent_of(cx.src, mapping.span.start)?;
    let at = end_of_block(cx.src, mapping.span)?;
    let mut lines = String::new();
    write_skeleton(field, &" ".repeat(indent), 0, &mut lines);
    let text = insertion(cx.src, at, lines);
    let pos = cx.map.position(at);
    let edit = TextEdit::new(lsp_types::Range::new(pos, pos), text);
    Some(action(
        cx,
        f,
        format!("Add `{key}` with placeholders to fill in"),
        edit,
        false,
    ))
}

/// Deepest level of nested blocks written out; below it a block is one placeholder.
const SKELETON_DEPTH: usize = 3;

/// Writes `field` as YAML lines at `indent`, every value a `[insert ...]` placeholder (which
/// s75lint reads as missing, so nothing is taken as agreed until it is written).
fn write_skeleton(field: &Field, indent: &str, depth: usize, out: &mut String) {
    let name = field.name;
    let record = |fields: &'static [Field], indent: &str, out: &mut String| {
        for sub in fields {
            write_skeleton(sub, indent, depth + 1, out);
        }
    };
    match &field.ty {
        Ty::Record(fields) if depth < SKELETON_DEPTH => {
            out.push_str(&format!("{indent}{name}:\n"));
            record(fields, &format!("{indent}  "), out);
        }
        Ty::List(Ty::Record(fields)) | Ty::NoneOr(Ty::List(Ty::Record(fields)))
            if depth < SKELETON_DEPTH =>
        {
            out.push_str(&format!("{indent}{name}:\n"));
            let inner = format!("{indent}    ");
            let mut item = String::new();
            record(fields, &inner, &mut item);
            // The item's first key goes after its dash.
            out.push_str(&format!(
                "{indent}  - {}",
                &item[inner.len().min(item.len())..]
            ));
        }
        Ty::List(item) => {
            out.push_str(&format!(
                "{indent}{name}:\n{indent}  - \"[insert {}]\"\n",
                item.describe()
            ));
        }
        ty => out.push_str(&format!("{indent}{name}: \"[insert {}]\"\n", ty.describe())),
    }
}

/// The scheme or pool a finding is about, as the key and id of a waiver's scope: from its
/// location (`pools[BCF].host`), checked against the ids written under `pools` or `schemes`
/// (a location names an item without an id by its number, `pools[2]`: that item's id, if any).
fn scope(location: &str, root: Option<&YamlNode>) -> Option<(&'static str, String)> {
    let (list, key, rest) = [("pools", "pool"), ("schemes", "scheme")]
        .into_iter()
        .find_map(|(list, key)| {
            let rest = location.strip_prefix(list)?.strip_prefix('[')?;
            Some((list, key, rest))
        })?;
    let named = rest.split(']').next()?;
    let items = match &root?.value {
        YamlValue::Map(entries) => {
            entries
                .iter()
                .find_map(|(k, v)| match (&k.value, &v.value) {
                    (YamlValue::Scalar { value, .. }, YamlValue::Seq(items)) if value == list => {
                        Some(items)
                    }
                    _ => None,
                })?
        }
        _ => return None,
    };
    let id_of = |item: &YamlNode| match &item.value {
        YamlValue::Map(entries) => entries
            .iter()
            .find_map(|(k, v)| match (&k.value, &v.value) {
                (YamlValue::Scalar { value: k, .. }, YamlValue::Scalar { value, .. })
                    if k == "id" =>
                {
                    Some(value.trim().to_string())
                }
                _ => None,
            }),
        _ => None,
    };
    if items.iter().any(|i| id_of(i).as_deref() == Some(named)) {
        return Some((key, named.to_string()));
    }
    let n: usize = named.parse().ok()?;
    let id = id_of(items.get(n.checked_sub(1)?)?)?;
    Some((key, id))
}

fn waiver(cx: &Ctx<'_>, f: &Finding, root: Option<&YamlNode>) -> Option<CodeAction> {
    // A mistake in the format is fixed rather than waived; the other fixes cover those.
    if f.waived.is_some() || f.rule.starts_with("FMT-") || !cx.waivable.contains(&f.rule.as_str()) {
        return None;
    }
    let existing = root.and_then(|r| match &r.value {
        YamlValue::Map(entries) => entries.iter().find_map(|(k, v)| {
            matches!(&k.value, YamlValue::Scalar { value, .. } if value == "waivers").then_some(v)
        }),
        _ => None,
    });
    let scope = scope(&f.location, root);
    let entry = |dash: &str| {
        let pad = " ".repeat(dash.len() + 2);
        let mut s = format!("{dash}- rule: {}\n", f.rule);
        if let Some((key, id)) = &scope {
            s.push_str(&format!("{pad}{key}: {id}\n"));
        }
        s.push_str(&format!(
            "{pad}reason: \"[insert why this departure is accepted]\"\n\
             {pad}approved_by: \"[insert who approved it, and their role]\"\n\
             {pad}expires: \"[insert the date it lapses, YYYY-MM-DD]\"\n"
        ));
        s
    };
    let (at, lines) = match existing {
        None => (cx.src.len(), format!("waivers:\n{}", entry("  "))),
        Some(list) => {
            let YamlValue::Seq(items) = &list.value else {
                return None;
            };
            let first = items.first()?;
            // The dash of the first item, and only spaces before it.
            let indent = indent_of(cx.src, first.span.start)?;
            let line = &cx.src[first.span.start - indent..first.span.start];
            let dash = line.find('-')?;
            let last = items.last()?;
            let at = end_of_block(cx.src, Span::new(first.span.start, last.span.end))?;
            (at, entry(&line[..dash]))
        }
    };
    let text = insertion(cx.src, at, lines);
    let pos = cx.map.position(at);
    let edit = TextEdit::new(lsp_types::Range::new(pos, pos), text);
    let what = match &scope {
        Some((key, id)) => format!("Add a waiver of {} for {key} {id}", f.rule),
        None => format!("Add a waiver of {}", f.rule),
    };
    Some(action(cx, f, what, edit, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skeleton_is_placeholders_in_block_style() {
        let field = schema::field(schema::AGREEMENT, "exit_strategy").expect("a field");
        let mut out = String::new();
        write_skeleton(field, "", 0, &mut out);
        assert!(
            out.starts_with("exit_strategy:\n  notice_months: \"[insert a number]\"\n"),
            "{out}"
        );
        let pools = schema::field(schema::AGREEMENT, "pools").expect("a field");
        let mut out = String::new();
        write_skeleton(pools, "", 0, &mut out);
        assert!(
            out.starts_with("pools:\n  - id: \"[insert text]\"\n    name: "),
            "{out}"
        );
    }

    #[test]
    fn scopes_come_from_the_location_and_the_ids_written() {
        let src = "pools:\n  - id: BCF\n  - name: no id\n  - id: P3\nschemes:\n  - id: ICES\n";
        let root = yaml::parse(src).ok().flatten();
        let root = root.as_ref();
        let scope = |loc| scope(loc, root);
        assert_eq!(scope("pools[BCF].host"), Some(("pool", "BCF".into())));
        assert_eq!(scope("pools[3]"), Some(("pool", "P3".into())));
        assert_eq!(scope("pools[2].host"), None);
        assert_eq!(
            scope("schemes[ICES].outcomes[1]"),
            Some(("scheme", "ICES".into()))
        );
        assert_eq!(scope("partners"), None);
    }
}
