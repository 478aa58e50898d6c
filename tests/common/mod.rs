//! Helpers shared by the integration tests: run the library on a fixture and describe each
//! finding by rule id, severity, 1-based line and column, and the underlined text.
#![allow(dead_code)]

use s75lint::line_col;
use s75lint::Date;
use s75lint::{check_source, FileReport, Options, RuleSet, Severity};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The date the fixtures are written against.
pub const TODAY: &str = "2025-11-01";

/// One finding as a test sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub rule: String,
    pub severity: Severity,
    pub line: usize,
    pub col: usize,
    pub text: String,
    pub message: String,
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn opts() -> Options {
    Options {
        today: Date::parse_iso(TODAY).unwrap(),
        ..Options::default()
    }
}

/// The shipped rules, loaded once per test binary.
pub fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("shipped rules load"))
}

/// Checks a fixture file (path relative to the crate root) with the shipped rules.
pub fn check_fixture(rel: &str) -> FileReport {
    let path = root().join(rel);
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    check_source(rel, &src, rules(), &opts())
}

/// Checks text with the shipped rules.
pub fn check_text(src: &str) -> FileReport {
    check_source("test.yaml", src, rules(), &opts())
}

pub fn hits(r: &FileReport) -> Vec<Hit> {
    r.findings
        .iter()
        .map(|f| {
            let (line, col) = line_col(&r.source, f.span.start);
            Hit {
                rule: f.rule.clone(),
                severity: f.severity,
                line,
                col,
                text: r.source[f.span.start..f.span.end].to_string(),
                message: f.message.clone(),
            }
        })
        .collect()
}

/// Asserts exactly one finding, with this id, severity, position and underlined text.
#[track_caller]
pub fn assert_one(
    r: &FileReport,
    rule: &str,
    sev: Severity,
    line: usize,
    col: usize,
    text: &str,
) -> Hit {
    let h = hits(r);
    assert_eq!(h.len(), 1, "{}: expected one finding, got {:#?}", r.path, h);
    let h = h.into_iter().next().unwrap();
    assert_eq!(
        (h.rule.as_str(), h.severity, h.line, h.col),
        (rule, sev, line, col),
        "{}: {h:#?}",
        r.path
    );
    assert_eq!(h.text, text, "{}: underlined text", r.path);
    h
}

/// Runs the built binary.
pub fn s75lint(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_s75lint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // Wide enough that messages are not wrapped where tests look for them (tests of the
        // width itself set their own).
        .env("COLUMNS", "200")
        .output()
        .expect("run s75lint")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A temporary directory for one test, removed with everything in it when dropped (also when
/// the test fails), so a run of the suite leaves nothing behind in the system's temp folder.
pub struct TempDir(PathBuf);

impl TempDir {
    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::fs::remove_dir_all(&self.0).is_err() {
            // A test that made a folder read-only and then failed: make it writable again.
            make_writable(&self.0);
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn make_writable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                make_writable(&e.path());
            }
        }
    }
}

/// A fresh, empty temporary directory for one test, removed when the returned guard is dropped.
pub fn tempdir() -> TempDir {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "s75lint-test-{}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        std::thread::current()
            .name()
            .unwrap_or("t")
            .replace("::", "-")
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    TempDir(d)
}
