//! One renderer per output format, all reading the same [`crate::Run`].

pub mod human;

use crate::check::Run;
use crate::finding::Severity;

/// The closing line: `3 agreements checked: 2 errors, 1 warning`.
pub fn summary(run: &Run) -> String {
    let n = run.checked();
    let mut parts = Vec::new();
    for (s, one, many) in [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "note", "notes"),
    ] {
        let c = run.count(s);
        if c > 0 {
            parts.push(format!("{c} {}", if c == 1 { one } else { many }));
        }
    }
    let problems = run.errors.len() + run.files.iter().filter(|f| f.error.is_some()).count();
    if problems > 0 {
        parts.push(format!("{problems} could not be checked"));
    }
    let what = if n == 1 { "agreement" } else { "agreements" };
    if parts.is_empty() {
        format!("{n} {what} checked: no findings")
    } else {
        format!("{n} {what} checked: {}", parts.join(", "))
    }
}
