//! The arithmetic of bench/pairs.py, the measurer every ratio in bench/run and BENCHMARKS.md
//! comes from: given recorded runs (no timing here), each side's medians and the per-pair
//! ratios' median, min and max, and the table's pass/fail for output formats (bench/table.py).
//! Needs python3 (3.11 or later), as bench/run does.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

fn run(r: f64, cpu: f64, rss: u64) -> serde_json::Value {
    serde_json::json!({"wall": r, "cpu": cpu, "maxrss_kb": rss, "exit": 0})
}

/// A fresh directory per call: the tests run in parallel in one process.
fn scratch(what: &str) -> std::path::PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("s75lint-bench-{what}-{}-{n}", std::process::id()))
}

fn summarise(raw: &serde_json::Value) -> serde_json::Value {
    let dir = scratch("pairs");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("raw.json");
    std::fs::write(&path, raw.to_string()).unwrap();
    let out = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/pairs.py"))
        .arg("--summarise")
        .arg(&path)
        .output()
        .expect("python3 runs");
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn close(a: &serde_json::Value, b: f64) {
    let a = a.as_f64().expect("a number");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

#[test]
fn ratios_are_per_pair_then_median_min_max() {
    // Pair ratios (B/A) of wall: 2, 3, 10, 4, 5 -> median 4, min 2, max 10. The medians of
    // the sides alone (A 1.0, B 4.0) would give 4 too, but not the spread; CPU: 1, 2, 2, 2, 8.
    let raw = serde_json::json!({
        "id": "t", "name": "t", "rss_floor_kb": 1000,
        "a": {"label": "A", "runs": [run(1.0, 1.0, 2000), run(2.0, 1.0, 2100), run(0.5, 1.0, 2000),
                                     run(1.0, 1.0, 2000), run(1.0, 0.5, 2000)]},
        "b": {"label": "B", "runs": [run(2.0, 1.0, 9000), run(6.0, 2.0, 9000), run(5.0, 2.0, 9500),
                                     run(4.0, 2.0, 9000), run(5.0, 4.0, 9000)]},
    });
    let s = summarise(&raw);
    close(&s["ratio"]["wall"]["median"], 4.0);
    close(&s["ratio"]["wall"]["min"], 2.0);
    close(&s["ratio"]["wall"]["max"], 10.0);
    close(&s["ratio"]["cpu"]["median"], 2.0);
    close(&s["ratio"]["cpu"]["min"], 1.0);
    close(&s["ratio"]["cpu"]["max"], 8.0);
    close(&s["a"]["median_wall"], 1.0);
    close(&s["b"]["median_wall"], 5.0);
    close(&s["b"]["median_cpu"], 2.0);
    assert_eq!(s["a"]["max_rss_kb"], 2100);
    assert_eq!(s["b"]["max_rss_kb"], 9500);
}

#[test]
fn an_even_number_of_pairs_takes_the_mean_of_the_middle_two() {
    let a: Vec<_> = (0..6).map(|_| run(1.0, 1.0, 1)).collect();
    let b: Vec<_> = [1.0, 2.0, 3.0, 5.0, 8.0, 13.0]
        .iter()
        .map(|&x| run(x, x, 1))
        .collect();
    let s = summarise(&serde_json::json!({"a": {"runs": a}, "b": {"runs": b}}));
    close(&s["ratio"]["wall"]["median"], 4.0);
    close(&s["ratio"]["cpu"]["median"], 4.0);
}

#[test]
fn a_zero_cpu_time_drops_that_pair_rather_than_dividing_by_zero() {
    let a = vec![run(1.0, 0.0, 1), run(1.0, 1.0, 1), run(1.0, 1.0, 1)];
    let b = vec![run(1.0, 5.0, 1), run(1.0, 2.0, 1), run(1.0, 4.0, 1)];
    let s = summarise(&serde_json::json!({"a": {"runs": a}, "b": {"runs": b}}));
    close(&s["ratio"]["cpu"]["median"], 3.0);
    assert_eq!(s["ratio"]["cpu"]["pairs"].as_array().unwrap().len(), 2);
}

#[test]
fn the_table_fails_an_output_format_over_three_times_json() {
    let dir = scratch("table");
    std::fs::create_dir_all(&dir).unwrap();
    let row = |id: &str, b: f64| {
        let a: Vec<_> = (0..5).map(|_| run(1.0, 1.0, 1)).collect();
        let bs: Vec<_> = (0..5).map(|_| run(b, b, 1)).collect();
        let raw = serde_json::json!({"id": id, "name": id, "a": {"runs": a}, "b": {"runs": bs}});
        summarise(&raw).to_string()
    };
    let jsonl = dir.join("pairs.jsonl");
    let table = |rows: &[String]| {
        std::fs::write(&jsonl, rows.join("\n")).unwrap();
        Command::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/table.py"))
            .arg(&jsonl)
            .output()
            .expect("python3 runs")
    };
    let ok = table(&[row("format-human", 2.9), row("peer-spectral-1000", 20.0)]);
    assert_eq!(ok.status.code(), Some(0));
    let text = String::from_utf8_lossy(&ok.stdout);
    assert!(text.contains("pass: limit 3"), "{text}");
    assert!(text.contains("CPU target ≥ 15×: met"), "{text}");
    let bad = table(&[row("format-human", 2.9), row("format-sarif", 3.5)]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("FAIL: format-sarif"));
    std::fs::remove_dir_all(&dir).ok();
}
