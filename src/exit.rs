//! The exit codes. They are an interface (pre-commit, CI gates and scripts read them), so they
//! live in one place and never change.

/// Exit code: nothing at or above the failing level.
pub(crate) const EXIT_CLEAN: i32 = 0;
/// Exit code: findings at or above the failing level.
pub(crate) const EXIT_FINDINGS: i32 = 1;
/// Exit code: the tool could not do its job (bad rules, config or arguments; unreadable files).
pub(crate) const EXIT_TOOL: i32 = 2;
