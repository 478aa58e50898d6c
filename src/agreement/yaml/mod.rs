//! YAML parsing into a tree whose every node keeps its exact byte span in the source.
//!
//! The jobs, one file each:
//! - `chars`: saphyr's character-indexed markers turned into byte offsets;
//! - `builder`: the event loop that builds the tree within the node budget and depth limit;
//! - `repair`: span repair against the source text, as saphyr's spans are not always the text
//!   as written;
//! - `explain`: the parser's syntax errors in plain words, at the slip, with the fix;
//! - `tree`: the owned tree, and the reference-counted one a document with anchors is first
//!   built as, so an alias costs O(1) however big its anchored node is; the limits are checked
//!   on its counts before anything is copied. A document without anchors (nearly every
//!   agreement) is built as the owned tree directly.
//!
//! Lines and columns are not worked out here: see [`crate::position`].

mod builder;
mod chars;
mod explain;
mod repair;
#[cfg(test)]
mod tests;
mod tree;

use builder::{Builder, Stop};
use tree::{materialise, Owned, Shared};

/// Most nodes a document may produce, counting every node an alias expands to. Checked when an
/// alias expands, so a document without aliases is never refused for its size.
const MAX_NODES: usize = 100_000;
/// Most collections that may be nested inside one another.
const MAX_DEPTH: usize = 500;

/// Kept here for callers that found it here; it lives in [`crate::position`].
pub(crate) use crate::position::line_col;
pub(crate) use crate::span::Span;
pub use explain::{explain, Explained};

/// The content of a YAML node.
#[derive(Debug, Clone, PartialEq)]
pub enum YamlValue {
    /// A scalar as written. `plain` is true for unquoted plain scalars (so the caller may read `null`, `~`, `true`, numbers, dates from it); false for quoted, literal `|` and folded `>` scalars.
    Scalar {
        /// The scalar's value after YAML's unescaping and folding.
        value: String,
        /// Whether the caller may resolve the text as null, boolean, number or date.
        plain: bool,
    },
    /// A sequence, items in source order.
    Seq(Vec<YamlNode>),
    /// Entries in source order. Duplicate keys are KEPT (both entries) - the caller reports them.
    Map(Vec<(YamlNode, YamlNode)>),
}

/// A YAML node and where it is written in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlNode {
    /// Where the node is written (for an alias: where the anchored node is written).
    pub span: Span,
    /// What the node holds.
    pub value: YamlValue,
}

/// A document that could not be read, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    /// What went wrong, without any position (callers print positions from the span).
    pub message: String,
    /// Where it went wrong: zero or one character for syntax errors.
    pub span: Span,
}

/// Parse one YAML document. Ok(None) when the stream holds no document at all (empty file, only comments).
pub fn parse(src: &str) -> Result<Option<YamlNode>, YamlError> {
    Ok(parse_counted(src)?.map(|(root, _)| root))
}

/// [`parse`], with the number of nodes in the tree (keys included), so a caller building one
/// node per YAML node can allocate once.
pub(crate) fn parse_counted(src: &str) -> Result<Option<(YamlNode, usize)>, YamlError> {
    let internal = || YamlError {
        message: "internal error while building the YAML tree".to_string(),
        span: Span::new(0, 0),
    };
    if !may_have_anchors(src) {
        match Builder::<Owned>::new(src).run() {
            Ok(root) => return Ok(root),
            Err(Stop::Yaml(e)) => return Err(e),
            // An anchor after all: start again with nodes that can be shared.
            Err(Stop::NeedsSharing) => {}
        }
    }
    match Builder::<Shared>::new(src).run() {
        Ok(None) => Ok(None),
        Ok(Some((root, count))) => materialise(root)
            .map(|root| Some((root, count)))
            .ok_or_else(internal),
        Err(Stop::Yaml(e)) => Err(e),
        Err(Stop::NeedsSharing) => Err(internal()),
    }
}

/// False when no `&` in `src` can start an anchor (an anchor name is never empty). Only picks
/// the faster tree: the owned builder still starts over if it meets an anchor.
fn may_have_anchors(src: &str) -> bool {
    let b = src.as_bytes();
    // `match_indices` finds the `&`s with a fast byte search.
    src.match_indices('&')
        .any(|(i, _)| !matches!(b.get(i + 1), None | Some(b' ' | b'\t' | b'\r' | b'\n')))
}
