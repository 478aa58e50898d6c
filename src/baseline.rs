//! Baselines, for adopting s75lint on an existing portfolio: record today's findings, then
//! report only new ones. Entries are matched by fingerprint (rule id + file + where in the
//! agreement, not the line), so edits elsewhere in a file do not invalidate them.

use crate::report::FileReport;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// A baseline file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Baseline {
    /// Format version (1).
    pub version: u32,
    /// The recorded findings.
    pub findings: Vec<Entry>,
}

/// One recorded finding.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Entry {
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// Its rule id.
    pub rule: String,
    /// The file.
    pub file: String,
    /// Where in the agreement.
    pub location: String,
    /// The message when recorded (for people reading the file).
    pub message: String,
}

/// The file path as recorded: forward slashes, no leading `./`.
pub(crate) fn normalise(path: &str) -> String {
    crate::finding::normalise_path(path)
}

impl Baseline {
    /// The entries recording one file's counting findings.
    pub(crate) fn entries(file: &FileReport) -> impl Iterator<Item = Entry> + '_ {
        let name = normalise(&file.path);
        file.findings
            .iter()
            .filter(|f| f.counts())
            .map(move |f| Entry {
                fingerprint: f.fingerprint(&name),
                rule: f.rule.clone(),
                file: name.clone(),
                location: f.location.clone(),
                message: f.message.clone(),
            })
    }

    /// Reads a baseline file.
    pub(crate) fn read(path: &Path) -> Result<Baseline, String> {
        let text = crate::files::read_guarded(path)
            .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
        let b: Baseline = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not an s75lint baseline: {e}", path.display()))?;
        if b.version != 1 {
            return Err(format!(
                "{} is baseline version {}; this s75lint reads version 1",
                path.display(),
                b.version
            ));
        }
        Ok(b)
    }

    /// Writes the baseline as pretty JSON to `w`.
    pub(crate) fn write_to(&self, w: &mut dyn std::io::Write) -> Result<(), String> {
        serde_json::to_writer_pretty(&mut *w, self).map_err(|e| e.to_string())?;
        writeln!(w).map_err(|e| e.to_string())
    }

    /// A matcher that filters files one at a time, as they are checked.
    pub(crate) fn matcher(&self) -> Matcher<'_> {
        let mut left: HashMap<&str, Vec<&Entry>> = HashMap::new();
        for e in &self.findings {
            left.entry(e.fingerprint.as_str()).or_default().push(e);
        }
        Matcher { left }
    }
}

/// Matches a baseline's entries against files one at a time ([`Baseline::matcher`]).
pub(crate) struct Matcher<'b> {
    left: HashMap<&'b str, Vec<&'b Entry>>,
}

impl Matcher<'_> {
    /// Removes from the file every finding the baseline records and not yet matched.
    pub(crate) fn filter(&mut self, file: &mut FileReport) {
        let name = normalise(&file.path);
        let left = &mut self.left;
        file.findings.retain(|f| {
            if !f.counts() {
                return true;
            }
            match left.get_mut(f.fingerprint(&name).as_str()) {
                Some(v) if !v.is_empty() => {
                    v.pop();
                    false
                }
                _ => true,
            }
        });
    }

    /// The entries that matched no finding, sorted by file, location and rule.
    pub(crate) fn gone(self) -> Vec<Entry> {
        let mut gone: Vec<Entry> = self.left.into_values().flatten().cloned().collect();
        gone.sort_by(|a, b| (&a.file, &a.location, &a.rule).cmp(&(&b.file, &b.location, &b.rule)));
        gone
    }
}
