//! SARIF 2.1.0 output (`--format sarif`), for code-scanning services such as GitHub's.
//!
//! One run. `tool.driver.rules` describes every rule of the rule set and every built-in
//! (`FMT-`, `WAIVER-`) rule; each finding is a result pointing at its exact region and at its
//! rule's descriptor (`ruleIndex`). Columns count Unicode code
//! points (`columnKind: unicodeCodePoints`), and so do `charOffset` and `charLength`, as SARIF
//! requires of "characters" under that column kind. Waived findings are results with an
//! `inSource` suppression. What stopped a file or the run from being checked becomes a tool
//! execution notification, and the invocation is then not successful.

use super::{display_path, repo_path, tool_errors, waiver_text};
use crate::docs;
use crate::finding::Severity;
use crate::report::{FileReport, Run};
use crate::ruleset::RuleSet;
use crate::span::Span;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

/// The schema the log names.
pub(crate) const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key of our fingerprint in `partialFingerprints`.
pub(crate) const FINGERPRINT_KEY: &str = "s75lint/v1";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<RunOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunOut {
    tool: Tool,
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Text>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

impl Text {
    fn new(s: impl Into<String>) -> Text {
        Text { text: s.into() }
    }
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    citations: Vec<String>,
    applies: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    char_offset: usize,
    char_length: usize,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: String,
}

/// The SARIF level of a severity.
pub(crate) fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A rule id as a SARIF rule name: `S75-HOST` becomes `S75Host`.
pub(crate) fn rule_name(id: &str) -> String {
    id.split(['-', '_'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut cs = p.chars();
            match cs.next() {
                Some(c) => c
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect()
}

/// A file path as a SARIF URI reference: forward slashes, with characters that may not stand in
/// a URI (spaces, `%`, `#`, `?`, non-ASCII and so on) percent-encoded. A Windows drive path
/// becomes a `file:` URI, since `C:` would otherwise read as a URI scheme.
pub(crate) fn uri(path: &str) -> String {
    let path = display_path(path);
    let b = path.as_bytes();
    let drive = b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/';
    let mut out = String::with_capacity(path.len());
    if drive {
        out.push_str("file:///");
        out.push(b[0] as char);
        out.push(':');
    }
    for &c in &b[if drive { 2 } else { 0 }..] {
        let keep = c.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&c);
        if keep {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

fn region(file: &FileReport, span: Span) -> Region {
    let p = file.position(span);
    Region {
        start_line: p.line,
        start_column: p.column,
        end_line: p.end_line,
        end_column: p.end_column,
        char_offset: p.char_offset,
        char_length: p.char_length,
    }
}

/// One descriptor per rule, rule files' and built-in alike, from the same documentation
/// `explain` and `rules` print.
fn descriptors(rules: &RuleSet) -> Vec<Descriptor> {
    let mut out: Vec<Descriptor> = Vec::new();
    for d in docs::all(rules) {
        // A rule file may define an id the built-in rules also use; the first wins, as
        // `explain` shows the first.
        if out.iter().any(|o| o.id == d.id) {
            continue;
        }
        let mut help = d.help.unwrap_or_default().to_string();
        if !d.citations.is_empty() {
            if !help.is_empty() {
                help.push('\n');
            }
            help.push_str(&format!("Citation: {}", d.citations.join("; ")));
        }
        out.push(Descriptor {
            id: d.id.to_string(),
            name: rule_name(d.id),
            short_description: Text::new(d.title),
            full_description: Text::new(d.why.unwrap_or(d.title)),
            help: (!help.is_empty()).then(|| Text::new(help)),
            default_configuration: Configuration {
                level: level(d.severity),
            },
            properties: RuleProperties {
                citations: d.citations.iter().map(|c| c.to_string()).collect(),
                applies: d.applies.iter().map(|a| a.to_string()).collect(),
            },
        });
    }
    out
}

fn file_location(path: &str, region: Option<Region>) -> Location {
    Location {
        id: None,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri(&repo_path(path)),
            },
            region,
        },
        logical_locations: Vec::new(),
        message: None,
    }
}

/// Writes the run as a SARIF 2.1.0 log (pretty-printed, ending in a newline).
pub fn write(run: &Run, rules: &RuleSet, w: &mut dyn Write) -> std::io::Result<()> {
    let rule_descriptors = descriptors(rules);
    let index: HashMap<&str, usize> = rule_descriptors
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();

    let mut results = Vec::new();
    for file in &run.files {
        for f in &file.findings {
            let mut primary = file_location(&file.path, Some(region(file, f.span)));
            if !f.location.is_empty() {
                primary.logical_locations.push(LogicalLocation {
                    fully_qualified_name: f.location.clone(),
                });
            }
            if !f.label.is_empty() {
                primary.message = Some(Text::new(&f.label));
            }
            let related = f
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let mut loc = file_location(&file.path, Some(region(file, l.span)));
                    loc.id = Some(i);
                    // A related location is shown by its message; give an unlabelled one the
                    // finding's own words so it is never blank.
                    let text = if l.text.is_empty() {
                        f.message.clone()
                    } else {
                        l.text.clone()
                    };
                    loc.message = Some(Text::new(text));
                    loc
                })
                .collect();
            let suppressions = f
                .waived
                .iter()
                .map(|wv| Suppression {
                    kind: "inSource",
                    justification: waiver_text(wv),
                })
                .collect();
            results.push(SarifResult {
                rule_id: f.rule.clone(),
                rule_index: index.get(f.rule.as_str()).copied(),
                level: level(f.severity),
                message: Text::new(&f.message),
                locations: vec![primary],
                partial_fingerprints: BTreeMap::from([(
                    FINGERPRINT_KEY,
                    f.fingerprint(&file.path),
                )]),
                related_locations: related,
                suppressions,
            });
        }
    }

    let notifications: Vec<Notification> = tool_errors(run)
        .into_iter()
        .map(|(file, message)| Notification {
            level: "error",
            message: Text::new(message),
            locations: file.map(|p| file_location(p, None)).into_iter().collect(),
        })
        .collect();

    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![RunOut {
            tool: Tool {
                driver: Driver {
                    name: "s75lint",
                    version: env!("CARGO_PKG_VERSION"),
                    rules: rule_descriptors,
                },
            },
            invocations: vec![Invocation {
                execution_successful: notifications.is_empty(),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *w, &log)?;
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(rule_name("S75-HOST"), "S75Host");
        assert_eq!(rule_name("FMT-UNKNOWN-KEY"), "FmtUnknownKey");
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("fixtures/valid/a.yaml"), "fixtures/valid/a.yaml");
        assert_eq!(uri("my docs/50%#1.yaml"), "my%20docs/50%25%231.yaml");
        assert_eq!(uri("/abs/é.yaml"), "/abs/%C3%A9.yaml");
    }

    #[test]
    fn regions_count_characters() {
        let src = "a: é\nb: xyz\n";
        // `xyz` starts at byte 9 (é is two bytes) but character 8.
        let mut file = FileReport::new("a.yaml", std::sync::Arc::new(src.to_string()));
        let r = region(&file, Span::new(9, 12));
        assert_eq!(
            (r.start_line, r.start_column, r.end_line, r.end_column),
            (2, 4, 2, 7)
        );
        assert_eq!((r.char_offset, r.char_length), (8, 3));
        // The same once the text is released, for a span a finding points at.
        let f = crate::finding::Finding::new("X", Severity::Error, "x".into(), Span::new(9, 12));
        file.findings.push(f);
        file.release_source();
        assert!(file.source.is_empty());
        let again = region(&file, Span::new(9, 12));
        assert_eq!(
            (
                again.start_line,
                again.start_column,
                again.end_line,
                again.end_column
            ),
            (2, 4, 2, 7)
        );
        assert_eq!((again.char_offset, again.char_length), (8, 3));
    }
}
