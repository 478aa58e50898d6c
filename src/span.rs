//! Byte ranges in a source text: the one location type of agreements, rule files and findings.
//! Kept free of other modules so the build script can compile the rule language with it.

/// Byte range in the source, [start, end).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// Makes a span from its two ends.
    pub(crate) fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// Number of bytes covered.
    pub(crate) fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no byte at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
