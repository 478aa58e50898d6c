//! Hovers: on a finding, what `explain` says of its rule (title, why, how to fix, citation);
//! on a key of the agreement, what the field means (the JSON Schema's hover text).

use crate::agreement::yaml::{self, YamlNode, YamlValue};
use crate::docs::RuleDoc;
use crate::finding::Finding;
use crate::span::Span;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The part of a finding's span on its first line. A finding spanning several lines (a whole
/// mapping, for something missing from it) is found at its first line only, so that what is
/// missing from the whole agreement does not hide every other hover and fix.
pub(crate) fn first_line(src: &str, span: Span) -> Span {
    let start = span.start.min(src.len());
    let end = src[start..]
        .find(['\n', '\r'])
        .map_or(src.len(), |i| start + i);
    Span::new(span.start, span.end.min(end))
}

/// The findings at a byte offset of `src` (an empty span counts at its start), narrowest first.
pub(crate) fn findings_at<'f>(findings: &'f [Finding], src: &str, at: usize) -> Vec<&'f Finding> {
    let mut hits: Vec<&Finding> = findings
        .iter()
        .filter(|f| contains(first_line(src, f.span), at))
        .collect();
    hits.sort_by_key(|f| f.span.len());
    hits
}

fn contains(span: Span, at: usize) -> bool {
    (span.start <= at && at < span.end) || (span.is_empty() && span.start == at)
}

/// The Markdown hover of findings: for each, its message, then its rule as `explain` gives it.
pub(crate) fn of_findings(hits: &[&Finding], docs: &[RuleDoc<'_>]) -> String {
    let mut out = String::new();
    for (i, f) in hits.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n---\n\n");
        }
        let _ = write!(
            out,
            "**{}** ({}): {}",
            f.rule,
            f.severity.as_str(),
            f.message
        );
        if let Some(w) = &f.waived {
            let _ = write!(
                out,
                "\n\nWaived: {} (approved by {}).",
                w.reason, w.approved_by
            );
        }
        match docs.iter().find(|d| d.id == f.rule) {
            Some(d) => {
                let _ = write!(out, "\n\n{}", d.title);
                if let Some(why) = d.why {
                    let _ = write!(out, "\n\n**Why.** {}", one_paragraph(why));
                }
                if let Some(help) = d.help {
                    let _ = write!(out, "\n\n**How to fix.** {}", one_paragraph(help));
                }
                if !d.citations.is_empty() {
                    let _ = write!(out, "\n\n**Cites:** {}", d.citations.join("; "));
                }
            }
            None => {
                if let Some(help) = &f.help {
                    let _ = write!(out, "\n\n**How to fix.** {}", one_paragraph(help));
                }
            }
        }
        let _ = write!(out, "\n\n`s75lint explain {}` gives examples.", f.rule);
    }
    out
}

/// Rule text is wrapped at about 100 columns in the rule files; Markdown would keep single line
/// breaks as spaces anyway, but blank lines between paragraphs are kept.
fn one_paragraph(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The key at a byte offset of YAML text, as a field path (`pools[].host`) and the key's span.
/// None when the offset is not on a key or the text is not YAML.
pub(crate) fn key_at(src: &str, at: usize) -> Option<(String, Span)> {
    let root = yaml::parse(src).ok()??;
    find_key(&root, at, "")
}

fn find_key(node: &YamlNode, at: usize, path: &str) -> Option<(String, Span)> {
    match &node.value {
        YamlValue::Map(entries) => {
            for (k, v) in entries {
                let YamlValue::Scalar { value: name, .. } = &k.value else {
                    continue;
                };
                let joined = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                if contains(k.span, at) {
                    return Some((joined, k.span));
                }
                if contains(v.span, at) {
                    return find_key(v, at, &joined);
                }
            }
            None
        }
        YamlValue::Seq(items) => {
            let item = items.iter().find(|i| contains(i.span, at))?;
            find_key(item, at, &format!("{path}[]"))
        }
        YamlValue::Scalar { .. } => None,
    }
}

/// The hover of the key at `at`, from the fields' hover texts by path, and the key's span.
pub(crate) fn of_key(
    src: &str,
    at: usize,
    fields: &BTreeMap<String, String>,
) -> Option<(String, Span)> {
    let (path, span) = key_at(src, at)?;
    let text = fields.get(&path)?;
    let name = path.rsplit('.').next().unwrap_or(&path);
    Some((format!("**{name}** (`{path}`)\n\n{text}"), span))
}
