//! Rule authoring: every shipped rule's examples pass, a broken rule is caught by its examples,
//! the generated rule reference is up to date, and the tutorial's commands work as written.

mod common;
use common::*;
use std::path::Path;

#[test]
fn every_shipped_rule_has_passing_and_failing_examples_that_hold() {
    let o = s75lint(&["test", "rules/"], &root());
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    let n = rules().rules.len();
    let last = out.lines().last().unwrap_or("");
    assert!(
        last.starts_with(&format!("{n} rules, ")) && last.contains(" passed, 0 failed"),
        "{last}"
    );
    assert!(
        !last.contains("warning"),
        "every rule needs a passing and a failing example:\n{out}"
    );
    for r in &rules().rules {
        assert!(
            r.examples.iter().any(|e| e.passes) && r.examples.iter().any(|e| !e.passes),
            "{}",
            r.id
        );
    }
}

#[test]
fn flipping_a_shipped_check_fails_its_examples_by_name() {
    let dir = tempdir();
    let text = std::fs::read_to_string(root().join("rules/statutory.rules")).unwrap();
    let broken = text.replacen(
        "    require pool.host is present",
        "    require pool.host is absent",
        1,
    );
    assert_ne!(broken, text);
    std::fs::write(dir.join("statutory.rules"), broken).unwrap();
    let o = s75lint(&["test", "statutory.rules"], &dir);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("example \"a pool with no host\" of S75-HOST: expected S75-HOST on line"),
        "{out}"
    );
    assert!(out.contains("1 failed") || out.contains(" failed"), "{out}");
}

#[test]
fn an_example_that_does_not_load_is_an_error_and_a_rule_without_examples_a_warning() {
    let dir = tempdir();
    std::fs::write(
        dir.join("local.rules"),
        r#"rule LOCAL-A "Vat stated"
  severity warning
  cite "local"
  require finance.vat is present
    otherwise "no VAT"
  example "broken date" fails """
    commencement: April 2025   # expect: LOCAL-A
  """
end

rule LOCAL-B "Disputes stated"
  severity warning
  cite "local"
  require terms.disputes is present
    otherwise "no disputes clause"
end
"#,
    )
    .unwrap();
    let o = s75lint(&["test", "local.rules"], &dir);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("example \"broken date\" of LOCAL-A is not a valid agreement"),
        "{out}"
    );
    assert!(out.contains("rule LOCAL-B has no examples"), "{out}");
    assert!(
        out.ends_with("2 rules, 1 examples: 0 passed, 1 failed (2 warning(s))\n"),
        "{out}"
    );
}

#[test]
fn a_marker_may_state_severity_and_columns_and_they_are_checked() {
    let dir = tempdir();
    let rule = |marker: &str| {
        format!(
            r#"rule LOCAL-NOTICE "Notice of a year at most"
  severity warning
  cite "local"
  require exit_strategy.notice_months at most 12
    otherwise "the notice period is longer than a year"
    at exit_strategy.notice_months
  example "two years" fails """
    exit_strategy:
      notice_months: 24   {marker}
  """
  example "six months" passes """
    exit_strategy:
      notice_months: 6
  """
end
"#
        )
    };
    // The finding underlines `24`: line 2 of the example, columns 18 to 20 (just past its end).
    std::fs::write(
        dir.join("right.rules"),
        rule("# expect: LOCAL-NOTICE warning 18-20"),
    )
    .unwrap();
    let o = s75lint(&["test", "right.rules"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    std::fs::write(
        dir.join("wrong.rules"),
        rule("# expect: LOCAL-NOTICE error 18-20"),
    )
    .unwrap();
    let o = s75lint(&["test", "wrong.rules"], &dir);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("LOCAL-NOTICE on line 2 is warning 18-20, not what the"),
        "{}",
        stdout(&o)
    );
    std::fs::write(
        dir.join("bad.rules"),
        rule("# expect: LOCAL-NOTICE sometimes"),
    )
    .unwrap();
    let o = s75lint(&["test", "bad.rules"], &dir);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("the marker `LOCAL-NOTICE sometimes` cannot be read"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_committed_rule_reference_is_up_to_date() {
    let o = s75lint(&["rules", "--format", "markdown"], &root());
    assert_eq!(o.status.code(), Some(0));
    let committed = std::fs::read_to_string(root().join("docs/rules.md")).unwrap_or_default();
    assert!(
        committed == stdout(&o),
        "docs/rules.md is out of date: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

/// Runs the tutorial in docs/writing-rules.md: code blocks with `file=NAME` are written to a
/// fresh folder holding `agreements/` (the shipped examples); in `sh` blocks each `$ s75lint ...`
/// command is run, and every line shown after it must appear in its output; `[exit N]` gives the
/// expected exit code (default 0).
#[test]
fn the_tutorial_works_as_written() {
    let doc = std::fs::read_to_string(root().join("docs/writing-rules.md")).unwrap();
    let tutorial = &doc[doc.find("## Tutorial").expect("tutorial section")..];
    let dir = tempdir();
    std::fs::create_dir_all(dir.join("agreements")).unwrap();
    for e in std::fs::read_dir(root().join("fixtures/valid")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join("agreements").join(p.file_name().unwrap())).unwrap();
    }
    let mut commands = 0;
    let mut lines = tutorial.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let body: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.starts_with("```"))
            .collect();
        if let Some(name) = info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("file="))
        {
            std::fs::write(dir.join(name), body.join("\n") + "\n").unwrap();
        } else if info.trim() == "sh" {
            run_block(&body, &dir);
            commands += 1;
        }
    }
    assert!(commands >= 4, "the tutorial runs {commands} command blocks");
}

fn run_block(body: &[&str], dir: &Path) {
    let mut i = 0;
    while i < body.len() {
        let cmd = body[i]
            .strip_prefix("$ s75lint ")
            .unwrap_or_else(|| panic!("not a command: {}", body[i]));
        let args: Vec<&str> = cmd.split_whitespace().collect();
        i += 1;
        let mut expected = Vec::new();
        let mut exit = 0;
        while i < body.len() && !body[i].starts_with("$ ") {
            match body[i]
                .strip_prefix("[exit ")
                .and_then(|r| r.strip_suffix(']'))
            {
                Some(code) => exit = code.parse().unwrap(),
                None if !body[i].trim().is_empty() => expected.push(body[i]),
                None => {}
            }
            i += 1;
        }
        let o = s75lint(&args, dir);
        let out = format!("{}{}", stdout(&o), stderr(&o));
        assert_eq!(o.status.code(), Some(exit), "`s75lint {cmd}`:\n{out}");
        // Long messages are wrapped on screen; compare words, not line breaks.
        let flat = |s: &str| {
            s.replace('│', " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        for e in expected {
            assert!(
                flat(&out).contains(&flat(e)),
                "`s75lint {cmd}` should print {e:?}:\n{out}"
            );
        }
    }
}
