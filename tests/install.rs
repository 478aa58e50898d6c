//! What installing s75lint brings besides the binary: shell completions, manual pages and the
//! pre-commit hooks' definitions. (The wheel and the .deb are built, installed and run by
//! `.ci/package`; the hooks are run by the real pre-commit in tests/precommit.rs.)

mod common;

use common::{root, s75lint, stdout, tempdir};

#[test]
fn completions_cover_every_shell_and_command() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = s75lint(&["completions", shell], &root());
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = stdout(&o);
        for word in ["check", "explain", "deny-warnings", "today"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let o = s75lint(&["completions", "tcsh"], &root());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn man_prints_the_page_or_writes_one_per_command() {
    let o = s75lint(&["man"], &root());
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(page.contains(".TH s75lint 1"), "{page}");
    assert!(page.contains("s75lint\\-check(1)"), "{page}");

    let dir = tempdir();
    let o = s75lint(&["man", "--dir", "pages"], &dir);
    assert_eq!(o.status.code(), Some(0));
    let check = std::fs::read_to_string(dir.join("pages/s75lint-check.1")).unwrap();
    assert!(check.contains("\\-\\-deny\\-warnings"), "{check}");
    assert!(dir.join("pages/s75lint.1").is_file());
}

#[test]
fn both_hooks_match_yaml_files_in_any_case() {
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let mut ids = Vec::new();
    for hook in hooks.split("\n- ").skip(1) {
        let field = |name: &str| {
            hook.lines()
                .find_map(|l| l.trim().strip_prefix(&format!("{name}: ")))
                .unwrap_or_else(|| panic!("a hook without {name}:\n{hook}"))
                .to_string()
        };
        let files = regex::Regex::new(&field("files")).unwrap();
        for name in ["a.yaml", "b.yml", "C.YAML", "d/E.Yml"] {
            assert!(files.is_match(name), "{} misses {name}", field("id"));
        }
        for name in ["a.yaml.bak", "notes.md"] {
            assert!(!files.is_match(name), "{} takes {name}", field("id"));
        }
        assert_eq!(field("entry"), "s75lint check");
        ids.push((field("id"), field("language")));
    }
    assert_eq!(
        ids,
        [
            ("s75lint".to_string(), "rust".to_string()),
            ("s75lint-system".to_string(), "system".to_string())
        ]
    );
}
