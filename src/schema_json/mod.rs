//! `s75lint schema`: a draft-07 JSON Schema of the agreement format, generated from the field
//! table (`agreement::schema`) so that what an editor offers and what the reader accepts cannot
//! drift apart. Editors running the YAML language server use it for completion, hover and
//! type checks while an agreement is drafted.
//!
//! What the schema says, field by field:
//! - records are objects with `additionalProperties: false`, keys starting `x-` allowed;
//! - word sets are `enum`s; year-keyed mappings use `patternProperties`;
//! - money, dates, percents, numbers and financial years accept the spellings the reader
//!   accepts (`forms`, tested against `agreement::values`);
//! - references (partner, pool, scheme ids) and rule ids stay plain scalars: checking them
//!   against the agreement is s75lint's job;
//! - every field has a `description` and `markdownDescription`: what it means and an example
//!   (the field's row in the table), its type, and the ids of the rules that read it (`reads`).
//!
//! What a JSON Schema cannot see: a YAML number arrives as its value, not its spelling, so
//! `amount: 1e6` passes the schema while the reader (which reads `1,000,000`, `£1m` and
//! `1000000`) refuses it. An empty value (`host:`) is flagged by the schema as the wrong type;
//! the reader treats it as absent and the rule that needs it reports it.

pub(crate) mod forms;
mod reads;

use crate::agreement::schema::{self, Field, Ty};
use crate::ruleset::RuleSet;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The schema's file name, as `schema --write DIR` writes it.
pub(crate) const FILE_NAME: &str = "agreement.schema.json";
/// The first line `init` writes: the YAML language server reads it to find the schema, in
/// `.s75lint/` beside the agreement.
pub const MODELINE: &str = "# yaml-language-server: $schema=.s75lint/agreement.schema.json";

/// Arguments of `s75lint schema`.
#[derive(clap::Args, Debug)]
pub(crate) struct SchemaArgs {
    /// Write `agreement.schema.json` into this folder (created if missing) instead of printing
    /// the schema. `init`'s modeline points at `.s75lint/` beside the agreement.
    #[arg(long, value_name = "DIR")]
    pub write: Option<PathBuf>,
}

/// Runs `s75lint schema`; returns the exit code.
pub(crate) fn run(args: SchemaArgs) -> i32 {
    let rules = match RuleSet::builtin() {
        Ok(r) => r,
        Err(errs) => {
            eprintln!(
                "error: the shipped rules did not load ({} errors)",
                errs.len()
            );
            return crate::exit::EXIT_TOOL;
        }
    };
    let text = render(&rules);
    match args.write {
        None => {
            print!("{text}");
            crate::exit::EXIT_CLEAN
        }
        Some(dir) => match write(&dir, &text) {
            Ok((path, changed)) => {
                let what = if changed { "wrote" } else { "unchanged:" };
                println!("{what} {}", path.display());
                crate::exit::EXIT_CLEAN
            }
            Err(e) => {
                eprintln!("error: {e}");
                crate::exit::EXIT_TOOL
            }
        },
    }
}

/// Writes `text` to `DIR/agreement.schema.json` through a temporary file and a rename, so an
/// editor never reads half a schema. Returns the path and whether its content changed.
pub(crate) fn write(dir: &Path, text: &str) -> Result<(PathBuf, bool), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join(FILE_NAME);
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok((path, false));
    }
    let tmp = dir.join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })?;
    Ok((path, true))
}

/// The schema as pretty-printed JSON with a final newline (the committed file's form).
pub fn render(rules: &RuleSet) -> String {
    let mut s = serde_json::to_string_pretty(&generate(rules)).unwrap_or_default();
    s.push('\n');
    s
}

/// The schema, with the ids of `rules` that read each field in its hover text.
pub fn generate(rules: &RuleSet) -> Value {
    let g = Gen::new(rules);
    let mut root = g.record(schema::AGREEMENT, "");
    let obj = root.as_object_mut();
    if let Some(obj) = obj {
        obj.insert("required".into(), json!(["s75lint"]));
        let mut head = Map::new();
        head.insert(
            "$schema".into(),
            json!("http://json-schema.org/draft-07/schema#"),
        );
        head.insert("title".into(), json!("s75lint agreement, format version 1"));
        head.insert(
            "description".into(),
            json!("A section 75 (NHS Act 2006) partnership agreement, or a section 256/76 grant, written for s75lint. Generated by `s75lint schema` from the field table; do not edit."),
        );
        head.extend(std::mem::take(obj));
        *obj = head;
    }
    root
}

/// The Markdown hover text of every field, by path (`pools[].host`): the schema's
/// `markdownDescription`, for the language server.
pub(crate) fn hovers(rules: &RuleSet) -> BTreeMap<String, String> {
    let g = Gen::new(rules);
    schema::paths()
        .into_iter()
        .map(|(path, field)| {
            let markdown = g.hover(&path, field).1;
            (path, markdown)
        })
        .collect()
}

struct Gen {
    readers: BTreeMap<String, Vec<String>>,
}

impl Gen {
    /// A generator knowing which of `rules` (and of the waiver checks) read each field.
    fn new(rules: &RuleSet) -> Gen {
        let mut readers = reads::fields_read(&rules.rules);
        for (path, ids) in reads::WAIVER_READERS {
            readers
                .entry(path.to_string())
                .or_default()
                .extend(ids.iter().map(|s| s.to_string()));
        }
        Gen { readers }
    }

    /// A record: its fields, nothing else but `x-` keys.
    fn record(&self, fields: &'static [Field], prefix: &str) -> Value {
        let mut props = Map::new();
        for f in fields {
            let path = if prefix.is_empty() {
                f.name.to_string()
            } else {
                format!("{prefix}.{}", f.name)
            };
            let mut v = self.ty(&f.ty, &path);
            if let Some(obj) = v.as_object_mut() {
                let (plain, markdown) = self.hover(&path, f);
                let mut head = Map::new();
                head.insert("description".into(), json!(plain));
                head.insert("markdownDescription".into(), json!(markdown));
                head.extend(std::mem::take(obj));
                *obj = head;
            }
            props.insert(f.name.into(), v);
        }
        json!({
            "type": "object",
            "properties": props,
            "patternProperties": {"^x-": {}},
            "additionalProperties": false,
        })
    }

    /// The schema of a value of type `ty` found at `path`.
    fn ty(&self, ty: &'static Ty, path: &str) -> Value {
        let string = |pattern: String| json!({"type": "string", "pattern": pattern});
        match ty {
            // The reader takes any scalar as text (`id: 2025`, `title: true`).
            Ty::Text | Ty::RuleId | Ty::Ref(_) => json!({"type": ["string", "number", "boolean"]}),
            Ty::Word(words) => json!({"enum": words}),
            Ty::Bool => json!({"type": "boolean"}),
            Ty::Number => json!({"anyOf": [{"type": "number"}, string(forms::number())]}),
            Ty::Date => string(forms::date()),
            Ty::Year => string(forms::year()),
            Ty::Money => json!({"anyOf": [
                {"type": "number", "minimum": 0},
                string(forms::money()),
            ]}),
            Ty::Percent => json!({"anyOf": [
                {"type": "number", "minimum": 0, "maximum": 100},
                string(forms::percent()),
            ]}),
            Ty::Version => json!({"anyOf": [{"const": 1}, string(forms::version())]}),
            Ty::List(item) => {
                json!({"type": "array", "items": self.ty(item, &format!("{path}[]"))})
            }
            Ty::Record(fields) => self.record(fields, path),
            Ty::YearMap(inner) => json!({
                "type": "object",
                "patternProperties": {forms::year(): self.ty(inner, path)},
                "additionalProperties": false,
            }),
            Ty::PartnerMap(inner) => json!({
                "type": "object",
                "additionalProperties": self.ty(inner, path),
            }),
            Ty::NoneOr(inner) => json!({"anyOf": [
                {"type": "string", "pattern": forms::none_word(), "examples": ["none"]},
                self.ty(inner, path),
            ]}),
            Ty::OneOrYearMap(inner) => json!({"anyOf": [
                self.ty(inner, path),
                self.ty(&YEAR_MAP_OF_MONEY, path),
            ]}),
        }
    }

    /// The plain and Markdown hover texts of the field at `path`.
    fn hover(&self, path: &str, field: &Field) -> (String, String) {
        let (meaning, example) = (field.doc, field.example);
        let kind = field.ty.describe();
        let readers = self.readers.get(path).map(Vec::as_slice).unwrap_or(&[]);
        let mut plain = format!("{meaning} Type: {kind}.");
        // A plain-text hover cannot show an indented block, so only one-line examples.
        if !example.contains('\n') {
            plain.push_str(&format!(" Example: {example}"));
        }
        let mut markdown = format!("{meaning}\n\nType: {kind}.\n\n```yaml\n{example}\n```");
        if !readers.is_empty() {
            plain.push_str(&format!(" Read by rules: {}.", readers.join(", ")));
            let ids: Vec<String> = readers.iter().map(|id| format!("`{id}`")).collect();
            markdown.push_str(&format!(
                "\n\nRead by rules: {} (`s75lint explain ID` says what each checks).",
                ids.join(", ")
            ));
        }
        (plain, markdown)
    }
}

/// A grant's amount per year; `OneOrYearMap` holds only the item type.
static YEAR_MAP_OF_MONEY: Ty = Ty::YearMap(&Ty::Money);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_found_from_the_fields_the_rules_read() {
        let rules = RuleSet::builtin().expect("shipped rules");
        let readers = reads::fields_read(&rules.rules);
        let of = |p: &str| readers.get(p).cloned().unwrap_or_default();
        assert!(
            of("pools[].host").contains(&"S75-HOST".to_string()),
            "{:?}",
            of("pools[].host")
        );
        assert!(of("pools[].pool_manager").contains(&"S75-POOL-MANAGER".to_string()));
        assert!(of("bcf").contains(&"BCF-POOLED-FUND".to_string()));
        assert!(of("partners[].kind").contains(&"BCF-POOLED-FUND".to_string()));
        // Every path found is a field of the table.
        let paths: Vec<String> = schema::paths().into_iter().map(|(p, _)| p).collect();
        for p in readers.keys() {
            assert!(paths.contains(p), "{p}");
        }
    }
}
