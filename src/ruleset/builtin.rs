//! The shipped rule files, in the order their rules are listed. One list for both users of it:
//! the build script (`build.rs`) compiles these files ahead of time, and the binary embeds
//! their text for diagnostics, `explain` and `s75lint test`.

/// Each shipped rule file's name as shown in diagnostics, and its text.
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    (
        "rules/statutory.rules",
        include_str!("../../rules/statutory.rules"),
    ),
    (
        "rules/finance.rules",
        include_str!("../../rules/finance.rules"),
    ),
    (
        "rules/good-practice.rules",
        include_str!("../../rules/good-practice.rules"),
    ),
    ("rules/bcf.rules", include_str!("../../rules/bcf.rules")),
];
