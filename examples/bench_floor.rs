//! The floors under s75lint's whole-process benchmark (bench/run): what the same files cost a
//! program that does much less than check them, so each s75lint figure can say how far it is
//! from the limit.
//!
//! ```sh
//! bench_floor read DIR          # read every .yaml file under DIR into memory, nothing else
//! bench_floor events DIR        # ... and run saphyr-parser over it, events only (no tree)
//! bench_floor json DIR          # read every .json file under DIR and parse it with serde_json
//! bench_floor to-json DIR OUT   # write OUT/<same path>.json for every .yaml file, and
//!                               # OUT.all.json and OUT.all.yaml (every agreement in one document)
//! ```
//!
//! The first three walk DIR in path order and work on both cores with rayon, as
//! `s75lint check` does, so wall times compare as well as CPU times. `to-json` renders each
//! agreement through s75lint's own YAML reader (plain scalars read as null, booleans and
//! numbers as YAML 1.2's core schema does; everything else a string), once, for the serde_json
//! floor and for regorus, which takes one input document: OUT.all.json is
//! `{"agreements": {"<relative path>": <agreement>, ...}}`, and OUT.all.yaml the same written as
//! YAML (each file's text indented under its path).
//!
//! Exit 0 on success, 2 on an unreadable file or a YAML error (a floor that skipped files would
//! flatter s75lint).

use rayon::prelude::*;
use s75lint::yaml::{YamlNode, YamlValue};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "../bench/floor_common.rs"]
mod floor_common;
use floor_common::{files, read};

/// Reads every file; the sum of lengths is printed so the work cannot be skipped.
fn floor_read(dir: &Path) -> Result<String, String> {
    let n: usize = files(dir, "yaml")
        .par_iter()
        .map(|p| read(p).map(|t| t.len()))
        .sum::<Result<usize, String>>()?;
    Ok(format!("{n} bytes"))
}

/// Reads every file and counts saphyr-parser's events: the parser alone, no tree, no types.
fn floor_events(dir: &Path) -> Result<String, String> {
    Ok(format!("{} events", floor_common::count_events(dir)?))
}

/// Reads every .json file and parses it into a `serde_json::Value` (a tree, like s75lint's).
fn floor_json(dir: &Path) -> Result<String, String> {
    let n: usize = files(dir, "json")
        .par_iter()
        .map(|p| {
            let text = read(p)?;
            let v: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))?;
            Ok(usize::from(v.is_object()))
        })
        .sum::<Result<usize, String>>()?;
    Ok(format!("{n} documents"))
}

/// A plain scalar as YAML 1.2's core schema reads it; everything else as a string.
fn scalar(value: &str, plain: bool) -> serde_json::Value {
    use serde_json::Value;
    if !plain {
        return Value::String(value.to_string());
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Ok(i) = value.parse::<i64>() {
        return Value::from(i);
    }
    let numeric = value
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if numeric {
        if let Ok(f) = value.parse::<f64>() {
            if let Some(n) = serde_json::Number::from_f64(f) {
                return Value::Number(n);
            }
        }
    }
    Value::String(value.to_string())
}

fn to_json(node: &YamlNode) -> serde_json::Value {
    match &node.value {
        YamlValue::Scalar { value, plain } => scalar(value, *plain),
        YamlValue::Seq(items) => items.iter().map(to_json).collect(),
        YamlValue::Map(entries) => entries
            .iter()
            .map(|(k, v)| {
                let key = match &k.value {
                    YamlValue::Scalar { value, .. } => value.clone(),
                    _ => to_json(k).to_string(),
                };
                (key, to_json(v))
            })
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

fn write_json(dir: &Path, out: &Path) -> Result<String, String> {
    let paths = files(dir, "yaml");
    let mut all = serde_json::Map::new();
    let mut all_yaml = String::from("agreements:\n");
    for p in &paths {
        let text = read(p)?;
        let rel = p.strip_prefix(dir).unwrap_or(p);
        // The same document indented under its path: YAML's meaning does not change when a
        // whole block moves right, so regorus can be timed on YAML as well as on JSON.
        all_yaml.push_str(&format!("  {:?}:\n", rel.to_string_lossy()));
        for line in text.lines() {
            if !line.is_empty() {
                all_yaml.push_str("    ");
            }
            all_yaml.push_str(line);
            all_yaml.push('\n');
        }
        let root = s75lint::yaml::parse(&text)
            .map_err(|e| format!("{}: {}", p.display(), e.message))?
            .ok_or_else(|| format!("{}: empty document", p.display()))?;
        let doc = to_json(&root);
        let dest = out.join(rel).with_extension("json");
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&dest, doc.to_string()).map_err(|e| format!("{}: {e}", dest.display()))?;
        all.insert(rel.to_string_lossy().into_owned(), doc);
    }
    let mut combined = out.as_os_str().to_owned();
    combined.push(".all.json");
    let combined = PathBuf::from(combined);
    let body = serde_json::json!({ "agreements": all }).to_string();
    std::fs::write(&combined, body).map_err(|e| format!("{}: {e}", combined.display()))?;
    let combined_yaml = combined.with_extension("yaml");
    std::fs::write(&combined_yaml, all_yaml)
        .map_err(|e| format!("{}: {e}", combined_yaml.display()))?;
    Ok(format!(
        "{} agreements as JSON under {} and in {}",
        paths.len(),
        out.display(),
        combined.display()
    ))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["read", dir] => floor_read(Path::new(dir)),
        ["events", dir] => floor_events(Path::new(dir)),
        ["json", dir] => floor_json(Path::new(dir)),
        ["to-json", dir, out] => write_json(Path::new(dir), Path::new(out)),
        _ => {
            eprintln!("usage: bench_floor read|events|json DIR | bench_floor to-json DIR OUT");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(msg) => {
            println!("{msg}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
