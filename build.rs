//! Compiles the shipped rule files ahead of time.
//!
//! Parsing the shipped rules with pest took about four fifths of a run over one agreement (the
//! pre-commit case), so the build script runs the rule language's own front end (the grammar,
//! `lang::parse` and `lang::validate`, included below from `src/`) over the files listed in
//! `src/ruleset/builtin.rs` and writes the validated syntax trees to
//! `$OUT_DIR/builtin-rules.postcard`, which `RuleSet::builtin` reads back. A mistake in a
//! shipped rule file fails the build, with the file, line and message.
//!
//! The modules are the same source files the library compiles, included whole and unchanged
//! (the rule language front end imports only leaf modules: `span`, `severity`, `suggest` and the
//! field table), so the two cannot drift; a test (`compiled_builtin_rules_equal_a_fresh_parse`
//! in `src/ruleset.rs`) checks that the embedded trees are byte for byte what parsing the
//! embedded text gives.

// Each included module is compiled here for the front end's sake only, so items the build
// script does not call are expected.
#![allow(dead_code)]

#[path = "src/span.rs"]
mod span;

#[path = "src/position.rs"]
mod position;

#[path = "src/severity.rs"]
mod severity;

#[path = "src/suggest.rs"]
mod suggest;

#[path = "src/ruleset/builtin.rs"]
mod builtin;

/// The field table and the value types it names; the loader (`load`, `yaml`, `doc`) is not
/// needed to check rules.
#[path = "src/agreement"]
mod agreement {
    pub mod schema;
    pub mod values;
}

/// The rule language front end; evaluation (`eval`) needs loaded agreements and is left out.
#[path = "src/lang"]
mod lang {
    pub mod ast;
    pub mod error;
    pub mod functions;
    pub mod needles;
    pub mod parse;
    pub mod validate;
    pub use error::RuleError;
}

use std::path::PathBuf;

fn main() {
    for dir in [
        "rules",
        "grammar",
        "src/lang",
        "src/agreement",
        "src/ruleset",
    ] {
        println!("cargo:rerun-if-changed={dir}");
    }
    for file in [
        "src/span.rs",
        "src/position.rs",
        "src/severity.rs",
        "src/suggest.rs",
    ] {
        println!("cargo:rerun-if-changed={file}");
    }

    let mut files = Vec::new();
    let mut failed = false;
    for (idx, (name, text)) in builtin::BUILTIN.iter().enumerate() {
        let errors = match lang::parse::parse_file(text, idx) {
            Err(errors) => errors,
            Ok(mut rules) => {
                let errors: Vec<_> = rules
                    .iter_mut()
                    .filter_map(|r| lang::validate::validate(r).err())
                    .flatten()
                    .collect();
                files.push(rules);
                errors
            }
        };
        for e in &errors {
            let (line, col) = position::line_col(text, e.span.start);
            let help = e
                .help
                .as_deref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            eprintln!("error: {name}:{line}:{col}: {}{help}", e.message);
            failed = true;
        }
    }
    if failed {
        eprintln!("error: the shipped rule files above do not load; `s75lint rules` shows the same errors in full");
        std::process::exit(1);
    }

    let bytes = postcard::to_stdvec(&files).unwrap_or_else(|e| {
        eprintln!("error: could not serialise the shipped rules: {e}");
        std::process::exit(1);
    });
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("builtin-rules.postcard");
    std::fs::write(&out, bytes).unwrap_or_else(|e| {
        eprintln!("error: could not write {}: {e}", out.display());
        std::process::exit(1);
    });
}
