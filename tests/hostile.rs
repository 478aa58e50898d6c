//! Hostile and broken input, through the real binary. Whatever arrives, s75lint gives a clear
//! diagnostic naming the file and the place, keeps checking the other files, and never panics,
//! hangs or writes to a checked file. Exit codes: 0 clean, 1 findings at or above the failing
//! level, 2 the tool could not do its job.
//!
//! Every agreement case puts the hostile file next to a copy of
//! `fixtures/valid/section-256-grant.yaml` and checks both in one run, asserting that the summary
//! still counts the good one.
//!
//! Files named on the command line and files found by walking a directory are treated
//! differently, on purpose (see `src/check.rs`):
//!
//! | the file | named explicitly | found while walking |
//! |---|---|---|
//! | empty, only comments, top-level list or scalar | note on stderr, exit 0 | skipped silently |
//! | top-level list whose item carries `s75lint` | `FMT-NOT-AGREEMENT`, exit 1 | the same |
//! | YAML without `s75lint` but with `partners`/`legal_basis` | `FMT-NOT-AGREEMENT` | skipped |
//! | invalid YAML | `FMT-YAML`, exit 1 | `FMT-YAML` if it mentions `s75lint`, else skipped with a note |
//! | binary, not UTF-8, UTF-16 | error, exit 2 | error if it mentions `s75lint`, else skipped with a note |
//! | over 10 MB | error, exit 2 | error if it mentions `s75lint`, else skipped with a note |
//! | unreadable | error, exit 2 | skipped with a note (its text cannot be seen) |
//! | a directory (`x.yaml/`) | walked; no agreement in it is an error, exit 2 | walked |
//! | does not exist | error, exit 2 | - |
//! | a symbolic link loop | - | error naming the link, exit 2; the rest is checked |

mod common;
use common::*;

use proptest::prelude::*;
use s75lint::line_col;
use s75lint::{check_source, Severity};
use std::path::Path;
use std::process::Output;

const GOOD: &str = "fixtures/valid/section-256-grant.yaml";

/// A fresh temporary directory holding `good.yaml`, the valid fixture.
fn dir_with_good() -> TempDir {
    let d = tempdir();
    std::fs::copy(root().join(GOOD), d.join("good.yaml")).unwrap();
    d
}

fn good_text() -> String {
    std::fs::read_to_string(root().join(GOOD)).unwrap()
}

/// What a run printed, with the exit code; asserts that nothing panicked.
struct Ran {
    code: Option<i32>,
    out: String,
    err: String,
}

impl std::fmt::Debug for Ran {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.out, self.err
        )
    }
}

fn ran(o: Output) -> Ran {
    let r = Ran {
        code: o.status.code(),
        out: stdout(&o),
        err: stderr(&o),
    };
    assert!(
        !r.err.contains("panicked") && !r.out.contains("panicked"),
        "{r:?}"
    );
    assert!(!r.err.contains("overflowed its stack"), "{r:?}");
    r
}

/// `s75lint check --today TODAY <args>` in `dir`, holding it to its promises whatever the
/// input: no panic (see [`ran`]), exit 0, 1 or 2, finished within 5 seconds (a hang guard:
/// the longest case takes well under a second in a release build), at most 256 MB of memory at
/// its peak, under 50 MB of output, and every file in `dir` byte for byte as it was.
fn check(dir: &Path, args: &[&str]) -> Ran {
    let mut all = vec!["check", "--today", TODAY];
    all.extend_from_slice(args);
    let before = snapshot(dir);
    let (o, peak) = run_guarded(&all, dir, std::time::Duration::from_secs(5));
    let r = ran(o);
    assert!(matches!(r.code, Some(0..=2)), "{r:?}");
    // A live process holds more than a megabyte: zero would mean nothing was measured.
    assert!(peak > 1 << 20, "no memory measured: {peak}");
    assert!(
        peak <= MAX_PEAK_BYTES,
        "s75lint {args:?} peaked at {} MB of memory",
        peak >> 20
    );
    assert!(
        r.out.len() + r.err.len() < 50_000_000,
        "{} bytes of output",
        r.out.len() + r.err.len()
    );
    assert!(
        snapshot(dir) == before,
        "a file in the checked folder changed: {r:?}"
    );
    r
}

/// The most memory (peak resident set) any hostile input may make s75lint use.
const MAX_PEAK_BYTES: u64 = 256 << 20;

/// Reaps the child `pid` if it has ended, with its exit status and its own peak resident
/// memory in bytes (`wait4`'s rusage is for that one process, unlike `RUSAGE_CHILDREN`, which
/// would mix in the other tests' children). `block` waits for it to end.
fn reap(pid: u32, block: bool) -> Option<(std::process::ExitStatus, u64)> {
    use std::os::unix::process::ExitStatusExt;
    let mut status = 0;
    // SAFETY: rusage is plain old data; wait4 fills it, or leaves it zeroed.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let flags = if block { 0 } else { libc::WNOHANG };
    // SAFETY: valid pointers to locals; pid is our own unreaped child.
    let got = unsafe { libc::wait4(pid as libc::pid_t, &mut status, flags, &mut usage) };
    assert!(got >= 0, "wait4: {}", std::io::Error::last_os_error());
    // ru_maxrss is in kilobytes on Linux.
    (got != 0).then(|| {
        (
            std::process::ExitStatus::from_raw(status),
            usage.ru_maxrss as u64 * 1024,
        )
    })
}

/// Runs the binary, killing it (and failing) if it has not ended within `limit`; returns its
/// output and its peak memory in bytes.
// The child is reaped by `reap` (wait4), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn run_guarded(args: &[&str], dir: &Path, limit: std::time::Duration) -> (Output, u64) {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_s75lint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run s75lint");
    // Read both pipes as the child writes, so a large output cannot block it.
    let mut out_pipe = child.stdout.take().expect("piped");
    let mut err_pipe = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out_pipe.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err_pipe.read_to_end(&mut b);
        b
    });
    let start = std::time::Instant::now();
    // Reaped here with wait4, not through `child`, whose own wait would not say the memory.
    let (status, peak) = loop {
        if let Some(ended) = reap(child.id(), false) {
            break ended;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = reap(child.id(), true);
            panic!("s75lint {args:?} ran for more than {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let output = Output {
        status,
        stdout: out.join().expect("stdout read"),
        stderr: err.join().expect("stderr read"),
    };
    (output, peak)
}

/// Every regular file under `dir` (links not followed) with a hash of its bytes (None when it
/// cannot be read, as a test may make a file unreadable on purpose).
fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, Option<u64>)> {
    use std::hash::{Hash, Hasher};
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            let h = std::fs::read(e.path()).ok().map(|b| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                b.hash(&mut h);
                h.finish()
            });
            out.push((e.path().to_path_buf(), h));
        }
    }
    out
}

/// The same with one paragraph per finding, which states line and columns in words.
fn check_plain(dir: &Path, args: &[&str]) -> Ran {
    let mut all = vec!["--format", "plain"];
    all.extend_from_slice(args);
    check(dir, &all)
}

#[track_caller]
fn assert_exit(r: &Ran, code: i32) {
    assert_eq!(r.code, Some(code), "{r:?}");
}

#[track_caller]
fn assert_out(r: &Ran, fragment: &str) {
    assert!(
        r.out.contains(fragment),
        "expected {fragment:?} in stdout: {r:?}"
    );
}

#[track_caller]
fn assert_err(r: &Ran, fragment: &str) {
    assert!(
        r.err.contains(fragment),
        "expected {fragment:?} in stderr: {r:?}"
    );
}

#[track_caller]
fn assert_summary(r: &Ran, summary: &str) {
    assert!(
        r.out.ends_with(&format!("{summary}\n")),
        "expected the summary {summary:?}: {r:?}"
    );
}

/// Writes `name` beside good.yaml and checks both, explicitly named.
fn check_beside_good(name: &str, bytes: &[u8]) -> Ran {
    let d = dir_with_good();
    std::fs::write(d.join(name), bytes).unwrap();
    check(&d, &[name, "good.yaml"])
}

/// Like [`check_beside_good`], one paragraph per finding.
fn check_plain_beside_good(name: &str, bytes: &[u8]) -> Ran {
    let d = dir_with_good();
    std::fs::write(d.join(name), bytes).unwrap();
    check_plain(&d, &[name, "good.yaml"])
}

// ---- files that hold no agreement -------------------------------------------------------------

#[test]
fn an_empty_file_is_skipped_with_a_note() {
    let r = check_beside_good("empty.yaml", b"");
    assert_exit(&r, 0);
    assert_err(
        &r,
        "note: empty.yaml: skipped: not an agreement (the file holds no YAML document)",
    );
    assert_summary(&r, "1 agreement checked: no findings");
}

#[test]
fn a_file_of_only_comments_is_skipped_with_a_note() {
    let r = check_beside_good("comments.yaml", b"# s75lint: 1\n\n   # nothing else\n");
    assert_exit(&r, 0);
    assert_err(
        &r,
        "note: comments.yaml: skipped: not an agreement (the file holds no YAML document)",
    );
    assert_summary(&r, "1 agreement checked: no findings");
}

#[test]
fn a_top_level_list_or_scalar_is_skipped_with_a_note() {
    for (name, text) in [
        ("list.yaml", "- partners\n- legal_basis\n"),
        ("scalar.yaml", "just a sentence about s75lint\n"),
        ("quoted.yaml", "\"s75lint: 1\"\n"),
    ] {
        let r = check_beside_good(name, text.as_bytes());
        assert_exit(&r, 0);
        assert_err(
            &r,
            &format!(
                "note: {name}: skipped: not an agreement (the top level is not a mapping of keys and values)"
            ),
        );
        assert_summary(&r, "1 agreement checked: no findings");
    }
}

#[test]
fn an_agreement_written_as_a_list_item_is_an_error() {
    let indented: String = good_text()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("- {l}\n")
            } else {
                format!("  {l}\n")
            }
        })
        .collect();
    let r = check_plain_beside_good("item.yaml", indented.as_bytes());
    assert_exit(&r, 1);
    assert_out(
        &r,
        "the agreement is written as an item of a list, so it would not be checked",
    );
    assert_out(
        &r,
        "Begin snippet for item.yaml starting at line 1, column 1",
    );
    assert_out(&r, "diagnostic code: FMT-NOT-AGREEMENT");
    assert_summary(&r, "2 agreements checked: 1 error");

    // Found while walking it is reported too: it carries the marker.
    let d = dir_with_good();
    std::fs::write(d.join("item.yaml"), &indented).unwrap();
    let r = check(&d, &["."]);
    assert_exit(&r, 1);
    assert_out(&r, "FMT-NOT-AGREEMENT");
    assert_summary(&r, "2 agreements checked: 1 error");
}

// ---- encodings and line ends ------------------------------------------------------------------

#[test]
fn invalid_utf8_is_refused_naming_the_file_and_the_place() {
    let r = check_beside_good("latin1.yaml", b"s75lint: 1\ntitle: caf\xe9 terms\n");
    assert_exit(&r, 2);
    assert_out(
        &r,
        "error: latin1.yaml is not valid UTF-8 text at line 2, column 11 (byte 0xE9); save it as UTF-8",
    );
    assert_summary(&r, "1 agreement checked: 1 could not be checked");
}

/// FIN-RISK-SHARE's finding, as `--format plain` states its place.
const RISK_SHARE_AT: &str = "label at line 61, columns 18 to 35";

fn risk_share_fixture() -> String {
    std::fs::read_to_string(root().join("fixtures/invalid/FIN-RISK-SHARE.yaml")).unwrap()
}

#[test]
fn a_utf8_bom_is_dropped_and_columns_stay_right() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(risk_share_fixture().as_bytes());
    let r = check_plain_beside_good("bom.yaml", &bytes);
    assert_exit(&r, 1);
    assert_out(&r, "diagnostic code: FIN-RISK-SHARE");
    assert_out(&r, RISK_SHARE_AT);
    assert_summary(&r, "2 agreements checked: 1 error");

    // A clean agreement with a BOM is clean.
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(good_text().as_bytes());
    let r = check_beside_good("bom-good.yaml", &bytes);
    assert_exit(&r, 0);
    assert_summary(&r, "2 agreements checked: no findings");
}

#[test]
fn utf16_is_refused_with_a_reason() {
    for (name, bom, big_endian) in [
        ("le.yaml", [0xFF, 0xFE], false),
        ("be.yaml", [0xFE, 0xFF], true),
    ] {
        let mut bytes = bom.to_vec();
        for unit in good_text().encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        let r = check_beside_good(name, &bytes);
        assert_exit(&r, 2);
        assert_out(
            &r,
            &format!("error: {name} is saved as UTF-16 text; save it as UTF-8"),
        );
        assert_summary(&r, "1 agreement checked: 1 could not be checked");
    }
}

#[test]
fn crlf_line_ends_keep_lines_and_columns_right() {
    let crlf = risk_share_fixture().replace('\n', "\r\n");
    let r = check_plain_beside_good("crlf.yaml", crlf.as_bytes());
    assert_exit(&r, 1);
    assert_out(&r, "diagnostic code: FIN-RISK-SHARE");
    assert_out(&r, RISK_SHARE_AT);
    assert_summary(&r, "2 agreements checked: 1 error");

    // The library agrees, and the span covers the same text as with `\n` line ends.
    let report = check_source("crlf.yaml", &crlf, rules(), &opts());
    assert_eq!(report.findings.len(), 1, "{:#?}", report.findings);
    let f = &report.findings[0];
    assert_eq!(f.rule, "FIN-RISK-SHARE");
    assert_eq!(line_col(&crlf, f.span.start), (61, 18));
    assert_eq!(&crlf[f.span.start..f.span.end], "{icb: 66, exc: 44}");

    // A lone `\r` (old Mac line ends) also counts as a line break.
    let cr = risk_share_fixture().replace('\n', "\r");
    let report = check_source("cr.yaml", &cr, rules(), &opts());
    let hits: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), line_col(&cr, f.span.start)))
        .collect();
    assert_eq!(hits, [("FIN-RISK-SHARE", (61, 18))]);
}

#[test]
fn tabs_in_indentation_are_a_located_yaml_error() {
    let text = good_text().replacen("  - id: smicb\n", "\t- id: smicb\n", 1);
    let r = check_plain_beside_good("tabs.yaml", text.as_bytes());
    assert_exit(&r, 1);
    assert_out(
        &r,
        "this is not valid YAML: line 14 is indented with a tab; YAML allows only spaces for indenting",
    );
    assert_out(&r, "label at line 14, column 1: a tab");
    assert_out(&r, "diagnostic code: FMT-YAML");
    assert_summary(&r, "2 agreements checked: 1 error");
}

#[test]
fn binary_data_named_yaml_is_refused() {
    // The first bytes of a PNG image.
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10";
    let r = check_beside_good("image.yaml", png);
    assert_exit(&r, 2);
    assert_out(
        &r,
        "error: image.yaml holds binary data (a NUL byte), not text",
    );
    assert_summary(&r, "1 agreement checked: 1 could not be checked");

    // Binary without a NUL byte is refused as not UTF-8.
    let r = check_beside_good("noise.yaml", b"\xc3( s75lint");
    assert_exit(&r, 2);
    assert_out(
        &r,
        "error: noise.yaml is not valid UTF-8 text at line 1, column 1 (byte 0xC3); save it as UTF-8",
    );
}

#[test]
fn binary_files_found_while_walking_are_skipped_unless_marked() {
    let d = dir_with_good();
    std::fs::write(d.join("image.yaml"), b"\x89PNG\r\n\x1a\n\x00\x00").unwrap();
    let r = check(&d, &["."]);
    assert_exit(&r, 0);
    assert_err(
        &r,
        "skipped: ./image.yaml holds binary data (a NUL byte), not text",
    );
    assert_summary(&r, "1 agreement checked: no findings");

    std::fs::write(d.join("marked.yaml"), b"s75lint: 1\n\x00").unwrap();
    let r = check(&d, &["."]);
    assert_exit(&r, 2);
    assert_out(
        &r,
        "error: ./marked.yaml holds binary data (a NUL byte), not text",
    );
    assert_summary(&r, "1 agreement checked: 1 could not be checked");
}

// ---- size and depth ---------------------------------------------------------------------------

#[test]
fn a_file_over_the_size_limit_is_refused_with_the_limit() {
    let d = dir_with_good();
    // Sparse: 50 MB long, no blocks written.
    let f = std::fs::File::create(d.join("huge.yaml")).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    drop(f);
    let r = check(&d, &["huge.yaml", "good.yaml"]);
    assert_exit(&r, 2);
    assert_out(
        &r,
        "error: huge.yaml is 50.0 MB, over the limit of 10 MB for an agreement file; it was not checked",
    );
    assert_summary(&r, "1 agreement checked: 1 could not be checked");
}

#[test]
fn nesting_100000_levels_deep_is_refused_at_its_place() {
    let levels = 100_000;
    let cases = [
        (
            "flow.yaml",
            format!("s75lint: 1\nx-deep: {}\n", "[".repeat(levels)),
            "brackets `[` `{` nested more than 255 levels deep",
            // `x-deep: ` then 255 brackets: the 256th is at column 264.
            "line 2, column 264",
        ),
        (
            "flow-map.yaml",
            format!("s75lint: 1\nx-deep: {}x\n", "{a: ".repeat(levels)),
            "brackets `[` `{` nested more than 255 levels deep",
            "line 2, column 1029",
        ),
        (
            "block.yaml",
            format!("s75lint: 1\nx-deep:\n  {}x\n", "- ".repeat(levels)),
            "nesting deeper than 500 levels",
            "line 3, column 1001",
        ),
    ];
    for (name, text, message, place) in cases {
        let r = check_plain_beside_good(name, text.as_bytes());
        assert_exit(&r, 1);
        assert_out(&r, &format!("this is not valid YAML: {message}"));
        // The line is cut to show; the message says where the mark really is.
        assert_out(&r, &format!("(at {place}; long lines are cut to show)"));
        assert_summary(&r, "2 agreements checked: 1 error");
    }
}

#[test]
fn an_alias_bomb_is_refused() {
    // Nine levels of nine aliases: 9^9 (387 million) nodes if expanded.
    let mut text =
        String::from("s75lint: 1\nx-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(", ");
        text.push_str(&format!("x-{0}: &{0} [{1}]\n", pair[1], refs));
    }
    let r = check_plain_beside_good("bomb.yaml", text.as_bytes());
    assert_exit(&r, 1);
    assert_out(
        &r,
        "this is not valid YAML: alias expansion exceeds the limit of 100000 nodes",
    );
    assert_out(&r, "label at line 7, columns 10 to 11: here");
    assert_summary(&r, "2 agreements checked: 1 error");
}

// ---- keys -------------------------------------------------------------------------------------

#[test]
fn duplicate_keys_are_reported_at_every_level() {
    let good = good_text();
    let cases = [
        (
            "top",
            good.replacen("status: signed\n", "status: signed\nstatus: draft\n", 1),
            "`status` is given twice in the same group of fields; neither value is used",
            ("line 5, columns 1 to 6", "line 6, columns 1 to 6"),
        ),
        (
            "nested",
            good.replacen(
                "  notice_months: 3\n",
                "  notice_months: 3\n  notice_months: 4\n",
                1,
            ),
            "`notice_months` is given twice in the same group of fields; neither value is used",
            ("line 58, columns 3 to 15", "line 59, columns 3 to 15"),
        ),
        (
            "list-item",
            good.replacen("    kind: icb\n", "    kind: icb\n    kind: icb\n", 1),
            "`kind` is given twice in the same group of fields; neither value is used",
            ("line 16, columns 5 to 8", "line 17, columns 5 to 8"),
        ),
        (
            "flow",
            good.replacen(
                "review:\n  frequency: annual\n  next: 2026-03-06\n",
                "review: {frequency: annual, next: 2026-03-06, next: 2026-03-07}\n",
                1,
            ),
            "`next` is given twice in the same group of fields; neither value is used",
            ("line 43, columns 29 to 32", "line 43, columns 47 to 50"),
        ),
    ];
    for (what, text, message, (first, again)) in cases {
        assert_ne!(text, good, "{what}: the fixture changed");
        let r = check_plain_beside_good(&format!("dup-{what}.yaml"), text.as_bytes());
        assert_exit(&r, 1);
        assert_out(&r, message);
        assert_out(&r, "diagnostic code: FMT-DUPLICATE-KEY");
        assert_out(&r, &format!("label at {first}: first given here"));
        assert_out(&r, &format!("label at {again}: given again here"));
        assert_summary(&r, "2 agreements checked: 1 error");
    }
}

#[test]
fn a_mapping_as_a_key_is_a_type_error() {
    let text = format!("{}? {{a: 1}}\n: x\n", good_text());
    let r = check_plain_beside_good("mapkey.yaml", text.as_bytes());
    assert_exit(&r, 1);
    assert_out(&r, "a key must be a plain word, found a group of fields");
    assert_out(&r, "diagnostic code: FMT-TYPE");
    assert_out(&r, "label at line 69, columns 3 to 8: not a key");
    assert_summary(&r, "2 agreements checked: 1 error");
}

#[test]
fn a_second_document_is_refused_where_it_starts() {
    let text = format!("{}---\ns75lint: 1\n", good_text());
    let r = check_plain_beside_good("two.yaml", text.as_bytes());
    assert_exit(&r, 1);
    assert_out(
        &r,
        "this is not valid YAML: this file holds more than one YAML document; an agreement file holds exactly one",
    );
    assert_out(&r, "label at line 69, columns 1 to 3: here");
    assert_summary(&r, "2 agreements checked: 1 error");
}

// ---- paths ------------------------------------------------------------------------------------

/// Makes `path` unreadable. Returns false when that did not work: as root, `chmod 000` does not
/// stop reading.
fn make_unreadable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::read(path).is_err()
}

#[test]
fn an_unreadable_file_is_a_tool_error() {
    let d = dir_with_good();
    let locked = d.join("locked.yaml");
    std::fs::write(&locked, good_text()).unwrap();
    if make_unreadable(&locked) {
        let r = check(&d, &["locked.yaml", "good.yaml"]);
        assert_exit(&r, 2);
        assert_out(&r, "error: cannot read locked.yaml: permission denied");
        assert_summary(&r, "1 agreement checked: 1 could not be checked");

        // Found while walking, it might be an agreement: a tool error, so CI cannot pass.
        let r = check(&d, &["."]);
        assert_exit(&r, 2);
        assert_out(&r, "error: cannot read ./locked.yaml: permission denied");
    }
    // Running as root: the permission assertions above are skipped. A file whose read fails
    // for everyone stands in: reading /proc/self/mem at offset 0 is an I/O error.
    let mem = Path::new("/proc/self/mem");
    if mem.exists() {
        let d = dir_with_good();
        std::os::unix::fs::symlink(mem, d.join("mem.yaml")).unwrap();
        let r = check(&d, &["mem.yaml", "good.yaml"]);
        assert_exit(&r, 2);
        assert_out(&r, "error: cannot read mem.yaml: Input/output error");
        assert_summary(&r, "1 agreement checked: 1 could not be checked");
        let r = check(&d, &["."]);
        assert_exit(&r, 2);
        assert_out(&r, "error: cannot read ./mem.yaml: Input/output error");
        assert_summary(&r, "1 agreement checked: 1 could not be checked");
    }
}

#[test]
fn a_directory_named_like_a_yaml_file_is_walked() {
    let d = dir_with_good();
    std::fs::create_dir(d.join("x.yaml")).unwrap();
    let r = check(&d, &["x.yaml", "good.yaml"]);
    assert_exit(&r, 2);
    assert_out(&r, "error: no agreement found under x.yaml");
    assert_summary(&r, "1 agreement checked: 1 could not be checked");

    // Inside a walked directory it is just a folder.
    let r = check(&d, &["."]);
    assert_exit(&r, 0);
    assert_summary(&r, "1 agreement checked: no findings");
}

#[test]
fn a_symlink_loop_is_reported_and_the_rest_checked() {
    let d = dir_with_good();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", d.join("sub/loop")).unwrap();
    let r = check(&d, &["."]);
    assert_exit(&r, 2);
    assert_out(
        &r,
        "error: ./sub/loop: a symbolic link loops back to a folder above it; not followed",
    );
    assert_summary(&r, "1 agreement checked: 1 could not be checked");
}

#[test]
fn a_path_that_does_not_exist_is_a_tool_error() {
    let d = dir_with_good();
    let r = check(&d, &["nope.yaml", "good.yaml"]);
    assert_exit(&r, 2);
    assert_out(&r, "error: nope.yaml: no such file or directory");
    assert_summary(&r, "1 agreement checked: 1 could not be checked");

    // A dangling symbolic link is the same.
    std::os::unix::fs::symlink("nowhere.yaml", d.join("dangling.yaml")).unwrap();
    let r = check(&d, &["dangling.yaml", "good.yaml"]);
    assert_exit(&r, 2);
    assert_out(&r, "error: dangling.yaml: no such file or directory");
}

/// A named pipe never delivers end-of-file until someone writes to it, so reading it blocks
/// for ever. Ignored until `read` in src/check.rs refuses anything but a regular file (see
/// FUZZING.md, "Needed elsewhere"); the watchdog keeps it from hanging the test run.
#[test]
fn a_named_pipe_is_refused_not_waited_on() {
    let d = dir_with_good();
    let ok = std::process::Command::new("mkfifo")
        .arg(d.join("pipe.yaml"))
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        return;
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_s75lint"))
        .args(["check", "--today", TODAY, "pipe.yaml", "good.yaml"])
        .current_dir(&d)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut waited = 0;
    while child.try_wait().unwrap().is_none() && waited < 600 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    }
    if child.try_wait().unwrap().is_none() {
        let _ = child.kill();
        let _ = child.wait();
        panic!("s75lint waited on a named pipe");
    }
    let r = ran(child.wait_with_output().unwrap());
    assert_exit(&r, 2);
    assert_out(&r, "pipe.yaml");
    assert_summary(&r, "1 agreement checked: 1 could not be checked");
}

// ---- rule files -------------------------------------------------------------------------------

/// `s75lint check --rules FILE fixtures/valid` with the rule file's bytes.
fn check_rules(name: &str, bytes: &[u8]) -> Ran {
    let d = tempdir();
    std::fs::write(d.join(name), bytes).unwrap();
    let valid = root().join("fixtures/valid").display().to_string();
    check(&d, &["--rules", name, &valid])
}

fn valid_count() -> usize {
    std::fs::read_dir(root().join("fixtures/valid"))
        .unwrap()
        .count()
}

/// A rule file that was refused: exit 2, nothing checked, the message and place on stderr.
#[track_caller]
fn assert_rules_refused(r: &Ran, message: &str, place: &str) {
    assert_exit(r, 2);
    assert_err(r, message);
    assert_err(r, place);
    assert!(r.out.is_empty(), "nothing is checked: {r:?}");
}

#[test]
fn an_empty_rule_file_adds_no_rules() {
    // Zero rules is a valid rule file: the shipped rules still run. A council may start with an
    // empty (or comment-only) local file; refusing it would help nobody.
    for text in ["", "# local rules go here\n", "\n\n"] {
        let r = check_rules("local.rules", text.as_bytes());
        assert_exit(&r, 0);
        assert_summary(
            &r,
            &format!("{} agreements checked: no findings", valid_count()),
        );
    }
}

#[test]
fn a_binary_rule_file_is_refused() {
    let r = check_rules("bin.rules", b"\x7fELF\x02\x01\x01\x00\x00\x00");
    assert_exit(&r, 2);
    assert_err(
        &r,
        "error: cannot read rule file bin.rules: holds binary data (a NUL byte), not text",
    );
    assert!(r.out.is_empty(), "{r:?}");
}

#[test]
fn a_rule_file_with_invalid_utf8_is_refused() {
    let r = check_rules("latin1.rules", b"rule LOCAL-X \"caf\xe9\"\nend\n");
    assert_exit(&r, 2);
    assert_err(
        &r,
        "error: cannot read rule file latin1.rules: is not valid UTF-8 text at line 1, column 18 (byte 0xE9); save it as UTF-8",
    );
    assert!(r.out.is_empty(), "{r:?}");
}

#[test]
fn a_rule_file_that_is_a_directory_or_missing_is_refused() {
    let d = tempdir();
    std::fs::create_dir(d.join("dir.rules")).unwrap();
    let valid = root().join("fixtures/valid").display().to_string();
    for name in ["dir.rules", "missing.rules"] {
        let r = check(&d, &["--rules", name, &valid]);
        assert_exit(&r, 2);
        assert_err(&r, &format!("error: cannot read rule file {name}: "));
        assert!(r.out.is_empty(), "{r:?}");
    }
}

#[test]
fn an_unterminated_string_in_a_rule_file_is_located() {
    let r = check_rules(
        "open.rules",
        b"rule LOCAL-X \"Schemes name a host\n  severity error\nend\n",
    );
    assert_rules_refused(
        &r,
        "expected text in double quotes, found `\"Schemes`",
        "open.rules:1:14",
    );
    assert_err(&r, "this text is not closed with `\"` on the same line");
}

/// A rule whose `require` condition is `cond`.
fn rule_with(cond: &str) -> String {
    format!(
        "rule LOCAL-X \"x\"\n  severity error\n  cite \"local\"\n  require {cond}\n    otherwise \"x\"\nend\n"
    )
}

#[test]
fn deeply_nested_parentheses_in_a_rule_are_refused_before_parsing() {
    let n = 10_000;
    let text = rule_with(&format!(
        "{}title is present{}",
        "(".repeat(n),
        ")".repeat(n)
    ));
    let r = check_rules("deep.rules", text.as_bytes());
    // `  require ` is ten characters; the 33rd bracket is at column 43.
    assert_rules_refused(
        &r,
        "brackets are nested more than 32 deep here",
        "deep.rules:4:43",
    );
    // Square brackets count too, and brackets in comments and text do not.
    let text = rule_with(&format!("title in {}", "[".repeat(n)));
    let r = check_rules("deep.rules", text.as_bytes());
    assert_rules_refused(
        &r,
        "brackets are nested more than 32 deep here",
        "deep.rules:4:52",
    );
    let text = format!(
        "# {}\n{}",
        "(".repeat(100),
        rule_with(&format!("title matches \"{}\"", "(".repeat(100)))
    );
    let r = check_rules("ok.rules", text.as_bytes());
    assert_rules_refused(
        &r,
        "this pattern is not a valid regular expression",
        "ok.rules:5",
    );
}

#[test]
fn nesting_within_the_limits_loads_quickly_and_runs() {
    // 30 levels of parentheses: each level once cost twice the one inside it (2^30 steps).
    let n = 30;
    let text = rule_with(&format!(
        "{}title is present{}",
        "(".repeat(n),
        ")".repeat(n)
    ));
    let r = check_rules("nested.rules", text.as_bytes());
    assert_exit(&r, 0);
    assert_summary(
        &r,
        &format!("{} agreements checked: no findings", valid_count()),
    );
    // Nested quantifiers, 20 deep.
    let mut cond = "title is present".to_string();
    for i in 0..20 {
        cond = format!("any p{i} in partners where ({cond})");
    }
    let r = check_rules("quant.rules", rule_with(&cond).as_bytes());
    assert_exit(&r, 0);
    // So did nested aggregates: `count of` tried a comprehension, then parsed its value again.
    let text = rule_with(&format!("{}partners > 1", "count of ".repeat(30)));
    let r = check_rules("agg.rules", text.as_bytes());
    assert_rules_refused(
        &r,
        "this is a number, not a list, so it cannot be gone through item by item",
        "agg.rules:4:",
    );
    // Lists in parentheses still read as lists.
    let text = rule_with(
        "legal_basis in (\"section_75\", \"section_256\", \"section_76\", \"care_trust\", \"non_statutory\") or legal_basis is absent",
    );
    let r = check_rules("list.rules", text.as_bytes());
    assert_exit(&r, 0);
}

#[test]
fn long_chains_and_deep_keyword_nesting_in_a_rule_are_refused() {
    let cases = [
        (
            rule_with(&format!("{}title is present", "not ".repeat(10_000))),
            "more than 64 `not`s in a row",
        ),
        (
            rule_with(&format!("count of partners{} > 1", " + 1".repeat(10_000))),
            "more than 64 values joined by `+ - * /` in one chain",
        ),
        (
            rule_with(&format!("{}partners > 1", "sum of ".repeat(2_000))),
            "nested too deeply",
        ),
        (
            rule_with(&format!(
                "{}title is present",
                (0..500)
                    .map(|i| format!("any x{i} in partners where "))
                    .collect::<String>()
            )),
            "nested too deeply",
        ),
    ];
    for (text, message) in cases {
        let r = check_rules("chain.rules", text.as_bytes());
        assert_rules_refused(&r, message, "chain.rules:4:");
    }

    // Holes in messages are parsed apart, and limited the same way.
    let text = rule_with("title is present").replace(
        "otherwise \"x\"",
        &format!(
            "otherwise \"{{{}title{}}}\"",
            "(".repeat(10_000),
            ")".repeat(10_000)
        ),
    );
    let r = check_rules("hole.rules", text.as_bytes());
    assert_rules_refused(
        &r,
        "brackets are nested more than 32 deep here",
        "hole.rules:5:",
    );

    // `for each` blocks nested by indentation.
    let mut text = String::from("rule LOCAL-X \"x\"\n  severity error\n  cite \"local\"\n");
    for i in 0..100 {
        text.push_str(&format!("{}for each p{i} in partners\n", " ".repeat(2 + i)));
    }
    text.push_str(&format!("{}require title is present\n", " ".repeat(102)));
    text.push_str(&format!("{}otherwise \"x\"\nend\n", " ".repeat(104)));
    let r = check_rules("blocks.rules", text.as_bytes());
    assert_rules_refused(
        &r,
        "`for each` and `if` blocks are nested more than 32 deep here",
        "blocks.rules:36:",
    );
}

// ---- never writes -----------------------------------------------------------------------------

#[test]
fn checking_never_writes_to_the_checked_files() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempdir();
    let d = tmp.join("ro");
    std::fs::create_dir(&d).unwrap();
    for dir in ["fixtures/valid", "fixtures/invalid"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), d.join(e.file_name())).unwrap();
        }
    }
    let snapshot = |d: &Path| -> Vec<(String, Vec<u8>, std::time::SystemTime, u32)> {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let m = e.metadata().unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                    m.modified().unwrap(),
                    m.permissions().mode(),
                )
            })
            .collect();
        v.sort();
        v
    };
    for e in std::fs::read_dir(&d).unwrap() {
        let p = e.unwrap().path();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
    }
    std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o555)).unwrap();
    let dir_mtime = std::fs::metadata(&d).unwrap().modified().unwrap();
    let before = snapshot(&d);

    for args in [
        vec!["."],
        vec!["--format", "plain", "."],
        vec!["--deny-warnings", "."],
    ] {
        let r = check(&d, &args);
        assert_exit(&r, 1);
    }

    let after = snapshot(&d);
    let dir_mtime_after = std::fs::metadata(&d).unwrap().modified().unwrap();
    std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(before.len(), after.len(), "files were added or removed");
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.0, a.0);
        assert!(b.1 == a.1, "{}: bytes changed", b.0);
        assert_eq!(b.2, a.2, "{}: modification time changed", b.0);
        assert_eq!(b.3, a.3, "{}: permissions changed", b.0);
    }
    assert_eq!(dir_mtime, dir_mtime_after, "the directory was written to");
}

// ---- mutations of valid agreements ------------------------------------------------------------

fn fixtures() -> &'static [(String, String)] {
    static F: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    F.get_or_init(|| {
        let mut v = Vec::new();
        for dir in ["fixtures/valid", "fixtures/invalid"] {
            for e in std::fs::read_dir(root().join(dir)).unwrap() {
                let p = e.unwrap().path();
                v.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            }
        }
        v.sort();
        v
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    DropLine(usize),
    DuplicateLine(usize),
    /// Replace the value after the first `:` of a line by a list, a mapping or nothing.
    Reshape(usize, u8),
    Truncate(usize),
    /// Overwrite one byte with a YAML indicator or a non-ASCII byte.
    Poke(usize, u8),
}

fn mutate(src: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = src.split_inclusive('\n').map(str::to_string).collect();
    let n = lines.len().max(1);
    match *m {
        Mutation::DropLine(i) => {
            if !lines.is_empty() {
                lines.remove(i % n);
            }
        }
        Mutation::DuplicateLine(i) => {
            if !lines.is_empty() {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
        }
        Mutation::Reshape(i, how) => {
            if let Some(l) = lines.get_mut(i % n) {
                if let Some(colon) = l.find(": ") {
                    let value = l[colon + 2..].trim_end().to_string();
                    let new = match how % 5 {
                        0 => format!("[{value}, {value}]"),
                        1 => format!("{{k: {value}}}"),
                        2 => String::new(),
                        3 => format!("\n  - {value}\n  - x"),
                        _ => "&a [*a]".to_string(),
                    };
                    *l = format!("{}: {new}\n", &l[..colon]);
                }
            }
        }
        Mutation::Truncate(at) => {
            let bytes = src.as_bytes();
            return String::from_utf8_lossy(&bytes[..at % (bytes.len() + 1)]).into_owned();
        }
        Mutation::Poke(at, b) => {
            let mut bytes = src.as_bytes().to_vec();
            if !bytes.is_empty() {
                let i = at % bytes.len();
                let alphabet = b"-:?[]{},&*!|>'\"#%@` \t\r\n\xc3\xe2";
                bytes[i] = alphabet[b as usize % alphabet.len()];
            }
            return String::from_utf8_lossy(&bytes).into_owned();
        }
    }
    lines.concat()
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DropLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<u8>()).prop_map(|(i, h)| Mutation::Reshape(i, h)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Poke(i, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Mutated agreements never panic, and every finding (and every extra label) points inside
    /// the file, on character boundaries.
    #[test]
    fn mutated_agreements_never_panic_and_spans_stay_in_the_file(
        which in any::<usize>(),
        ms in prop::collection::vec(mutation(), 1..4),
    ) {
        let (name, src) = &fixtures()[which % fixtures().len()];
        let mut text = src.clone();
        for m in &ms {
            text = mutate(&text, m);
        }
        let report = check_source(name, &text, rules(), &opts());
        for f in &report.findings {
            for s in std::iter::once(f.span).chain(f.labels.iter().map(|l| l.span)) {
                prop_assert!(
                    s.start <= s.end && s.end <= text.len(),
                    "{} {:?} outside {} bytes in {name} after {ms:?}", f.rule, s, text.len()
                );
                prop_assert!(
                    text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
                    "{} {:?} inside a character in {name} after {ms:?}", f.rule, s
                );
            }
            prop_assert!(!f.message.is_empty());
            prop_assert!(matches!(f.severity, Severity::Error | Severity::Warning | Severity::Info));
        }
    }
}

// ---- many entries -----------------------------------------------------------------------------

#[test]
fn many_partners_and_map_keys_load_with_one_finding_each() {
    // Ids, duplicate keys and references were once matched by scanning lists: quadratic, so a
    // 10 MB file of partners would never finish. Now they are hashed.
    let n = 20_000;
    let mut text = String::from("s75lint: 1\npartners:\n");
    for i in 0..n {
        text.push_str(&format!("  - {{id: p{i}, name: Partner {i}, kind: icb}}\n"));
    }
    text.push_str("  - {id: p7, name: Again, kind: icb}\n");
    text.push_str("pools:\n  - id: A\n    pooled_total: {2025-26: 1, 2025-26: 2}\n");
    text.push_str("    risk_share:\n      overspend:\n");
    for i in 0..n {
        text.push_str(&format!("        p{i}: 1\n"));
    }
    text.push_str("        p8: 2\n        zz: 1\n");
    let report = check_source("many.yaml", &text, rules(), &opts());
    // The shipped rules find more than 10,000 things in 20,000 partners: checking stops there
    // with one finding saying so, after the loader's findings.
    let stop = "checking this file stopped after 10000 findings";
    assert!(report.findings.iter().any(|f| f.message.starts_with(stop)));
    let fmt: Vec<(&str, (usize, usize), &str)> = report
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("FMT-") && !f.message.starts_with(stop))
        .map(|f| {
            (
                f.rule.as_str(),
                line_col(&text, f.span.start),
                &text[f.span.start..f.span.end],
            )
        })
        .collect();
    let last = 3 + 2 * n;
    assert_eq!(
        fmt,
        [
            ("FMT-DUPLICATE-ID", (n + 3, 10), "p7"),
            ("FMT-DUPLICATE-KEY", (n + 6, 32), "2025-26"),
            ("FMT-DUPLICATE-KEY", (last + 6, 9), "p8"),
            ("FMT-UNKNOWN-REF", (last + 7, 9), "zz"),
        ]
    );
    let unknown = report
        .findings
        .iter()
        .find(|f| f.rule == "FMT-UNKNOWN-REF")
        .unwrap();
    let help = unknown.help.as_deref().unwrap_or("");
    assert!(
        help.starts_with("Use one of the partners declared under `partners`: p0, p1, p2,")
            && help.ends_with(&format!(", p19 and {} more.", n - 20)),
        "{help}"
    );
}
