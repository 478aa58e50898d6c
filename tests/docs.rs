//! The documentation links only inside the repository, so a clone on its own has no dead links.

mod common;
use common::root;
use std::path::{Component, Path, PathBuf};

/// The markdown pages a user reads: the README and everything under docs/.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    for e in std::fs::read_dir(root().join("docs")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            pages.push(p);
        }
    }
    pages
}

/// `dir/target` with `.` and `..` resolved without touching the file system, or `None` when it
/// climbs out of the repository.
fn resolve(dir: &Path, target: &str) -> Option<PathBuf> {
    let root = root();
    let mut out = dir.strip_prefix(&root).ok()?.to_path_buf();
    for c in Path::new(target).components() {
        match c {
            // Climbing above the repository root is leaving the repository.
            Component::ParentDir => out.pop().then_some(())?,
            Component::Normal(n) => out.push(n),
            _ => {}
        }
    }
    Some(root.join(out))
}

#[test]
fn every_relative_link_in_the_docs_points_at_a_file_in_the_repository() {
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for c in link.captures_iter(&text) {
            let target = c[1].split('#').next().unwrap_or("");
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let resolved = resolve(page.parent().unwrap(), target);
            assert!(
                resolved.as_ref().is_some_and(|p| p.exists()),
                "{}: the link `{}` does not point at a file in this repository",
                page.display(),
                &c[1]
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} links checked");
}
