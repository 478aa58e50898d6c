//! Findings as LSP diagnostics: the rule id as the code, the severity mapped, the citation in
//! the message (and with the help in `data`), extra labels as related information. Waived
//! findings are listed by `check` without counting; here they are hints saying who waived them.

use super::encoding::{Encoding, LineMap};
use crate::finding::{Finding, Severity};
use crate::lang::RuleError;
use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range,
    Uri,
};
use serde_json::json;

/// The `source` of every diagnostic, so editors say where it came from.
pub(crate) const SOURCE: &str = "s75lint";

/// The diagnostic of one finding in the document at `uri`.
pub(crate) fn of_finding(f: &Finding, uri: &Uri, map: &LineMap<'_>) -> Diagnostic {
    let mut message = f.message.clone();
    if !f.citations.is_empty() {
        message.push_str(&format!("\ncite: {}", f.citations.join("; ")));
    }
    let severity = match &f.waived {
        Some(w) => {
            message.push_str(&format!(
                "\nwaived: {} (approved by {})",
                w.reason, w.approved_by
            ));
            DiagnosticSeverity::HINT
        }
        None => severity(f.severity),
    };
    let related: Vec<DiagnosticRelatedInformation> = f
        .labels
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), map.range(l.span)),
            message: if l.text.is_empty() {
                "related".into()
            } else {
                l.text.clone()
            },
        })
        .collect();
    Diagnostic {
        range: map.range(f.span),
        severity: Some(severity),
        code: Some(NumberOrString::String(f.rule.clone())),
        code_description: None,
        source: Some(SOURCE.into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(json!({
            "rule": f.rule,
            "citations": &*f.citations,
            "help": f.help.as_deref(),
            "location": f.location,
        })),
    }
}

/// The LSP severity of a finding's severity.
pub(crate) fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The one diagnostic shown, at the top of an agreement, when the configuration or rule files
/// it would be checked with do not load: `summary` says what, each mistake is related
/// information at its place in its file.
pub(crate) fn of_setup_failure(summary: &str, errors: &[RuleError], enc: Encoding) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = errors
        .iter()
        .filter_map(|e| {
            let source = e.source.as_ref()?;
            let uri = super::documents::uri_of(std::path::Path::new(source.name()))?;
            let map = LineMap::new(source.inner(), enc);
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri, map.range(e.span)),
                message: e.message.clone(),
            })
        })
        .collect();
    Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("config".into())),
        code_description: None,
        source: Some(SOURCE.into()),
        message: summary.to_string(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}
