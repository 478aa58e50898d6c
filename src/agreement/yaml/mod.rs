//! YAML parsing into a tree whose every node keeps its exact byte span in the source.
//!
//! `saphyr-parser` gives us events with character-indexed markers. Its spans are not always the
//! text as written (quoted scalars swallow a trailing comment, block scalars start at their
//! content and run into the following lines, a flow mapping with a trailing comma leaves out its
//! `}`, indentless sequences start after their first `-`, nodes with an anchor or tag start at the
//! property), so the spans are repaired here against the source text.
//!
//! A document with anchors is first built from reference-counted nodes so that an alias costs
//! O(1) however big the anchored node is; the budget and depth limits are checked on those
//! counts before anything is copied, and the final owned tree is materialised at the end. A
//! document without anchors (nearly every agreement) is built as the owned tree directly.

use std::cell::{Cell, OnceCell};
use std::collections::HashMap;
use std::rc::Rc;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

/// Most nodes a document may produce, counting every node an alias expands to. Checked when an
/// alias expands, so a document without aliases is never refused for its size.
const MAX_NODES: usize = 100_000;
/// Most collections that may be nested inside one another.
const MAX_DEPTH: usize = 500;
/// Characters between two checkpoints of the char-to-byte table.
const STRIDE: usize = 32;

pub use crate::span::Span;

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
pub fn parse_counted(src: &str) -> Result<Option<(YamlNode, usize)>, YamlError> {
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

/// 1-based line and 1-based column (in characters) of a byte offset; offsets past the end clamp.
pub fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let mut byte = byte.min(src.len());
    // An offset inside a character counts as that character.
    while byte > 0 && !src.is_char_boundary(byte) {
        byte -= 1;
    }
    let before = src.get(..byte).unwrap_or("");
    let mut line = 1;
    let mut col = 1;
    for (i, c) in before.char_indices() {
        match c {
            '\n' => {
                line += 1;
                col = 1;
            }
            // A lone `\r` is a YAML line break too; in `\r\n` the `\n` does the counting (also
            // when `byte` is that `\n`: it still ends the line the `\r` is on).
            '\r' if src.as_bytes().get(i + 1) != Some(&b'\n') => {
                line += 1;
                col = 1;
            }
            _ => col += 1,
        }
    }
    (line, col)
}

/// Line starts of a text, for many [`line_col`] lookups: each costs O(log lines) instead of a
/// scan from the start of the file, so positions for N findings cost O(N log n) rather than
/// O(N * file size), even when the file is one long line. Gives exactly what [`line_col`] gives.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; the first is 0.
    starts: Vec<usize>,
    /// Characters before every `BLOCK`-th byte (counted as bytes that do not continue a
    /// character, which is right at any byte offset); made on the first column asked for, as
    /// drawing snippets needs only the line starts.
    chars: std::sync::OnceLock<Vec<usize>>,
}

impl LineIndex {
    const BLOCK: usize = 256;

    /// Indexes `src` (`\n`, `\r\n` and a lone `\r` each end a line, as in [`line_col`]).
    pub fn new(src: &str) -> LineIndex {
        let b = src.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            // The `\r` of a `\r\n` does not end a line of its own; its `\n` does.
            if !(b[i] == b'\r' && b.get(i + 1) == Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        LineIndex {
            starts,
            chars: std::sync::OnceLock::new(),
        }
    }

    /// Line breaks in `src[..byte]` (a `\r\n` counts once), for `byte` at the start of a line.
    pub fn breaks_before(&self, byte: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= byte)
            .saturating_sub(1)
    }

    /// Characters in `src[..byte]`; `src` is the text this index was made from.
    pub fn chars_before(&self, src: &[u8], byte: usize) -> usize {
        let chars = self.chars.get_or_init(|| {
            let mut chars = Vec::with_capacity(src.len() / Self::BLOCK + 2);
            let mut count = 0;
            for block in src.chunks(Self::BLOCK) {
                chars.push(count);
                count += block.iter().filter(|&&c| c & 0xC0 != 0x80).count();
            }
            chars.push(count);
            chars
        });
        let block = byte / Self::BLOCK;
        let base = chars.get(block).copied().unwrap_or(0);
        let from = (block * Self::BLOCK).min(byte);
        base + src
            .get(from..byte)
            .map_or(0, |t| t.iter().filter(|&&c| c & 0xC0 != 0x80).count())
    }

    /// 1-based line and 1-based column (in characters) of a byte offset in `src`, the text this
    /// index was made from; offsets past the end clamp.
    pub fn line_col(&self, src: &str, byte: usize) -> (usize, usize) {
        let mut byte = byte.min(src.len());
        while byte > 0 && !src.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= byte).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0).min(byte);
        let b = src.as_bytes();
        let col = self.chars_before(b, byte) - self.chars_before(b, start) + 1;
        (line, col)
    }
}

/// Maps saphyr's character indices to byte offsets in O(1) amortised per lookup.
struct CharToByte<'a> {
    src: &'a str,
    /// Byte offset of every `STRIDE`-th character, built on the first long jump back (most
    /// files never need it); never built when the source is ASCII.
    checkpoints: OnceCell<Vec<usize>>,
    ascii: bool,
    /// The last character index looked up and its byte offset. Events arrive in (nearly)
    /// increasing order, so most lookups walk a few characters on (or back) from here.
    cursor: Cell<(usize, usize)>,
    /// The bytes from the cursor's up to this offset are known to be ASCII, so a lookup that
    /// lands before it is one addition.
    ascii_until: Cell<usize>,
}

impl<'a> CharToByte<'a> {
    /// Farthest the cursor walks back. A longer jump back goes through the checkpoints (as do
    /// long jumps forward once they exist), so lookups stay O(1) amortised in any order.
    const WALK: usize = 4 * STRIDE;
    /// Most bytes scanned ahead for `ascii_until` per slow lookup.
    const AHEAD: usize = 256;

    fn new(src: &'a str) -> Self {
        CharToByte {
            src,
            checkpoints: OnceCell::new(),
            ascii: src.is_ascii(),
            cursor: Cell::new((0, 0)),
            ascii_until: Cell::new(0),
        }
    }

    #[inline]
    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.src.len());
        }
        let (at_char, at_byte) = self.cursor.get();
        if let Some(ahead) = char_index.checked_sub(at_char) {
            let byte = at_byte.saturating_add(ahead);
            if byte < self.ascii_until.get() {
                self.cursor.set((char_index, byte));
                return byte;
            }
        }
        self.walk(char_index)
    }

    /// [`Self::byte`] when the answer is not in the known ASCII stretch after the cursor. Kept
    /// out of line so that the fast path inlines into the event loop.
    #[inline(never)]
    fn walk(&self, char_index: usize) -> usize {
        let len = self.src.len();
        let bytes = self.src.as_bytes();
        let is_start = |i: usize| bytes.get(i).is_some_and(|&b| b & 0xC0 != 0x80);
        let (mut at_char, mut at_byte) = self.cursor.get();
        if char_index < at_char && at_char - char_index <= Self::WALK {
            // Back over character starts; at_char > 0 means at_byte > 0.
            while at_char > char_index && at_byte > 0 {
                at_byte -= 1;
                if is_start(at_byte) {
                    at_char -= 1;
                }
            }
        } else if char_index < at_char
            || (char_index - at_char > Self::WALK && self.checkpoints.get().is_some())
        {
            // Far back: from the checkpoint table. Far forward without the table, walking on
            // stays linear in all: until it is built the cursor never steps back more than WALK.
            let checkpoints = self.checkpoints.get_or_init(|| {
                self.src
                    .char_indices()
                    .step_by(STRIDE)
                    .map(|(i, _)| i)
                    .collect()
            });
            let Some(&base) = checkpoints.get(char_index / STRIDE) else {
                return len;
            };
            (at_char, at_byte) = (char_index / STRIDE * STRIDE, base);
        } else {
            // Forward from the cursor: over the stretch already known to be ASCII without
            // looking at it again (the answer lies at or past its end, or `byte` had it).
            let known = self.ascii_until.get().saturating_sub(at_byte);
            if char_index - at_char >= known {
                (at_char, at_byte) = (at_char + known, at_byte + known);
            }
        }
        while at_char < char_index {
            // A run of ASCII (most text between two events) one byte per character...
            let need = char_index - at_char;
            let run = bytes
                .get(at_byte..at_byte.saturating_add(need).min(len))
                .map_or(0, ascii_prefix);
            (at_char, at_byte) = (at_char + run, at_byte + run);
            if at_char == char_index || at_byte >= len {
                break;
            }
            // ...then one other character, over the bytes that continue it.
            at_byte += 1;
            while at_byte < len && !is_start(at_byte) {
                at_byte += 1;
            }
            at_char += 1;
        }
        if at_char != char_index || at_byte >= len {
            return len;
        }
        self.cursor.set((at_char, at_byte));
        let ahead = bytes
            .get(at_byte..at_byte.saturating_add(Self::AHEAD).min(len))
            .map_or(0, ascii_prefix);
        self.ascii_until.set(at_byte + ahead);
        at_byte
    }
}

/// How many bytes at the start of `b` are ASCII; 16 at a time, as `is_ascii` tests a whole
/// word per step.
fn ascii_prefix(b: &[u8]) -> usize {
    let mut n = 0;
    for chunk in b.chunks(16) {
        if !chunk.is_ascii() {
            return n + chunk.iter().position(|c| !c.is_ascii()).unwrap_or(0);
        }
        n += chunk.len();
    }
    n
}

/// A node of the intermediate tree; shared between an anchor and its aliases.
#[derive(Clone)]
struct INode {
    span: Span,
    kind: IKind,
    /// Nodes in this subtree, alias expansions included.
    count: usize,
    /// Collections nested in this subtree (0 for a scalar).
    height: usize,
}

#[derive(Clone)]
enum IKind {
    Scalar(String, bool),
    Seq(Vec<Rc<INode>>),
    Map(Vec<(Rc<INode>, Rc<INode>)>),
}

/// How the builder stores finished nodes.
trait Tree {
    /// A finished node.
    type Node;
    /// Whether nodes can be shared, which anchors and aliases need.
    const SHARES: bool;
    fn scalar(span: Span, value: String, plain: bool) -> Self::Node;
    fn seq(span: Span, items: Vec<Self::Node>, count: usize, height: usize) -> Self::Node;
    fn map(
        span: Span,
        entries: Vec<(Self::Node, Self::Node)>,
        count: usize,
        height: usize,
    ) -> Self::Node;
    fn span(node: &Self::Node) -> Span;
    /// Nodes in the subtree, alias expansions included.
    fn count(node: &Self::Node) -> usize;
    /// Collections nested in the subtree.
    fn height(node: &Self::Node) -> usize;
    /// Another handle on the node, when nodes can be shared.
    fn share(node: &Self::Node) -> Option<Self::Node>;
}

/// Reference-counted nodes, materialised into the owned tree at the end.
struct Shared;

impl Tree for Shared {
    type Node = Rc<INode>;
    const SHARES: bool = true;
    fn scalar(span: Span, value: String, plain: bool) -> Rc<INode> {
        Rc::new(INode {
            span,
            kind: IKind::Scalar(value, plain),
            count: 1,
            height: 0,
        })
    }
    fn seq(span: Span, items: Vec<Rc<INode>>, count: usize, height: usize) -> Rc<INode> {
        Rc::new(INode {
            span,
            kind: IKind::Seq(items),
            count,
            height,
        })
    }
    fn map(
        span: Span,
        entries: Vec<(Rc<INode>, Rc<INode>)>,
        count: usize,
        height: usize,
    ) -> Rc<INode> {
        Rc::new(INode {
            span,
            kind: IKind::Map(entries),
            count,
            height,
        })
    }
    fn span(node: &Rc<INode>) -> Span {
        node.span
    }
    fn count(node: &Rc<INode>) -> usize {
        node.count
    }
    fn height(node: &Rc<INode>) -> usize {
        node.height
    }
    fn share(node: &Rc<INode>) -> Option<Rc<INode>> {
        Some(Rc::clone(node))
    }
}

/// The final owned tree, for documents without anchors. The counts only matter to aliases,
/// which such a document cannot have, so they are not kept.
struct Owned;

impl Tree for Owned {
    type Node = YamlNode;
    const SHARES: bool = false;
    fn scalar(span: Span, value: String, plain: bool) -> YamlNode {
        YamlNode {
            span,
            value: YamlValue::Scalar { value, plain },
        }
    }
    fn seq(span: Span, items: Vec<YamlNode>, _: usize, _: usize) -> YamlNode {
        YamlNode {
            span,
            value: YamlValue::Seq(items),
        }
    }
    fn map(span: Span, entries: Vec<(YamlNode, YamlNode)>, _: usize, _: usize) -> YamlNode {
        YamlNode {
            span,
            value: YamlValue::Map(entries),
        }
    }
    fn span(node: &YamlNode) -> Span {
        node.span
    }
    fn count(_: &YamlNode) -> usize {
        1
    }
    fn height(_: &YamlNode) -> usize {
        0
    }
    fn share(_: &YamlNode) -> Option<YamlNode> {
        None
    }
}

/// Why the builder stopped early.
enum Stop {
    /// The document is not valid (or is refused).
    Yaml(YamlError),
    /// An anchor, which the builder's tree cannot share.
    NeedsSharing,
}

impl From<YamlError> for Stop {
    fn from(e: YamlError) -> Stop {
        Stop::Yaml(e)
    }
}

/// A collection whose end event has not arrived yet.
struct Frame {
    mapping: bool,
    /// Where this collection's children start in `Builder::children` (for a mapping, keys and
    /// values alternate; an odd count means a key waits for its value).
    base: usize,
    /// Written as `[...]` or `{...}` rather than in block style (or as a flow pair `[a: b]`).
    braced: bool,
    /// Start of the node as written (for block sequences, the first `-`).
    start: usize,
    anchor: usize,
    count: usize,
    height: usize,
    /// Where the first child is written (block collections span their children).
    first_start: Option<usize>,
    /// Where the last child written ends.
    last_end: usize,
}

struct Builder<'a, T: Tree> {
    src: &'a str,
    bytes: &'a [u8],
    map: CharToByte<'a>,
    stack: Vec<Frame>,
    /// Finished children of the open collections, innermost last: one buffer for all, so each
    /// collection is allocated once, at its exact size, when it closes.
    children: Vec<T::Node>,
    anchors: HashMap<usize, T::Node>,
    total: usize,
    root: Option<T::Node>,
    documents: usize,
    /// End of the previous event: the place to search forward from for indicators that
    /// saphyr's spans leave out (`|`, `>`, the `-` of an indentless sequence).
    prev_end: usize,
}

impl<'a, T: Tree> Builder<'a, T> {
    fn new(src: &'a str) -> Self {
        Builder {
            src,
            bytes: src.as_bytes(),
            map: CharToByte::new(src),
            stack: Vec::new(),
            children: Vec::new(),
            anchors: HashMap::new(),
            total: 0,
            root: None,
            documents: 0,
            prev_end: 0,
        }
    }

    /// The root and the nodes counted (alias expansions included).
    fn run(mut self) -> Result<Option<(T::Node, usize)>, Stop> {
        let mut parser = Parser::new_from_str(self.src);
        while let Some(next) = parser.next_event() {
            let (event, span) = next.map_err(|e| self.scan_error(&e))?;
            let start = self.map.byte(span.start.index());
            let end = self.map.byte(span.end.index()).max(start);
            match event {
                Event::StreamEnd => break,
                Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
                Event::DocumentStart(explicit) => {
                    if self.documents > 0 {
                        return Err(Stop::Yaml(YamlError {
                            message: "this file holds more than one YAML document; an agreement file holds exactly one".to_string(),
                            span: if end > start { Span::new(start, end) } else { self.one_char(start) },
                        }));
                    }
                    self.documents += 1;
                    // An implicit start's span is its first token, which may lie past the
                    // indicators that the forward searches must still see.
                    if explicit {
                        self.prev_end = end;
                    }
                    continue;
                }
                Event::Alias(id) => self.alias(id, start, end)?,
                Event::Scalar(_, _, anchor, _)
                | Event::SequenceStart(anchor, _)
                | Event::MappingStart(anchor, _)
                    if anchor > 0 && !T::SHARES =>
                {
                    return Err(Stop::NeedsSharing);
                }
                Event::Scalar(value, style, anchor, tag) => {
                    self.scalar(
                        value.into_owned(),
                        style,
                        anchor,
                        tag.as_deref(),
                        start,
                        end,
                    )?;
                }
                Event::SequenceStart(anchor, tag) => {
                    self.open(false, anchor, tag.is_some(), start, end)?;
                }
                Event::MappingStart(anchor, tag) => {
                    self.open(true, anchor, tag.is_some(), start, end)?;
                }
                Event::SequenceEnd | Event::MappingEnd => self.close(start, end)?,
            }
            self.prev_end = self.prev_end.max(end);
        }
        Ok(self.root.map(|root| (root, self.total)))
    }

    fn scan_error(&self, e: &ScanError) -> YamlError {
        let at = self.map.byte(e.marker().index());
        let mut message = clean_message(e.info());
        // saphyr counts open `[` / `{` in a byte and says only this when it runs out.
        if message == "recursion limit exceeded" {
            message = "brackets `[` `{` nested more than 255 levels deep".to_string();
        }
        YamlError {
            message,
            span: self.one_char(at),
        }
    }

    /// The character at `at` (empty at the end of the source).
    fn one_char(&self, at: usize) -> Span {
        let at = at.min(self.src.len());
        let len = self
            .src
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8);
        Span::new(at, at + len)
    }

    fn alias(&mut self, id: usize, start: usize, end: usize) -> Result<(), YamlError> {
        let Some(node) = self.anchors.get(&id).and_then(T::share) else {
            // saphyr registers an anchor before its node's content, so `&a [*a]` gets here.
            return Err(YamlError {
                message: "this alias refers to a node that contains it".to_string(),
                span: Span::new(start, end),
            });
        };
        if self.total.saturating_add(T::count(&node)) > MAX_NODES {
            return Err(YamlError {
                message: format!(
                    "alias expansion exceeds the limit of {MAX_NODES} nodes (a \"billion laughs\" document?)"
                ),
                span: Span::new(start, end),
            });
        }
        if self.stack.len() + T::height(&node) > MAX_DEPTH {
            return Err(self.too_deep(start));
        }
        self.total += T::count(&node);
        self.push(node, start, end);
        Ok(())
    }

    fn too_deep(&self, at: usize) -> YamlError {
        YamlError {
            message: format!("nesting deeper than {MAX_DEPTH} levels"),
            span: self.one_char(at),
        }
    }

    fn scalar(
        &mut self,
        value: String,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        raw_start: usize,
        raw_end: usize,
    ) -> Result<(), YamlError> {
        let has_props = anchor > 0 || tag.is_some();
        let is_empty_node = value.is_empty() && style == ScalarStyle::Plain;
        let mut start = raw_start;
        let mut end = raw_end;
        // An empty node with properties has nothing else to point at, so it keeps them.
        if has_props && !is_empty_node {
            start = self.skip_props(raw_start, raw_end);
        }
        let is_map_value = self
            .stack
            .last()
            .is_some_and(|f| f.mapping && self.children.len().saturating_sub(f.base) % 2 == 1);
        // saphyr puts a missing value at its `:`; after it, the map's span keeps the colon.
        if is_empty_node && !has_props && is_map_value && self.bytes.get(start) == Some(&b':') {
            start += 1;
            end = start;
        }
        match style {
            ScalarStyle::Plain => {}
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                if let Some(close) = self.closing_quote(start, style == ScalarStyle::DoubleQuoted) {
                    if close <= raw_end {
                        end = close;
                    }
                }
            }
            ScalarStyle::Literal | ScalarStyle::Folded => {
                (start, end) = self.block_scalar_span(start, raw_end, has_props, &value);
            }
        }
        let mut plain = style == ScalarStyle::Plain;
        if let Some(tag) = tag {
            if tag.is_yaml_core_schema() {
                match tag.suffix.as_str() {
                    "str" => plain = false,
                    "null" | "bool" | "int" | "float" => plain = true,
                    _ => {}
                }
            }
        }
        self.total = self.total.saturating_add(1);
        let node = T::scalar(Span::new(start, end.max(start)), value, plain);
        if anchor > 0 {
            if let Some(shared) = T::share(&node) {
                self.anchors.insert(anchor, shared);
            }
        }
        self.push(node, raw_start.min(start), end.max(start));
        Ok(())
    }

    /// Span of a block scalar from its `|`/`>` header to its last non-blank content character.
    fn block_scalar_span(
        &self,
        start: usize,
        raw_end: usize,
        has_props: bool,
        value: &str,
    ) -> (usize, usize) {
        let at_indicator = matches!(self.bytes.get(start), Some(b'|' | b'>'));
        let no_content = value.trim().is_empty();
        // saphyr starts the span at the content; only an empty scalar ending the file (or one
        // with properties, which start the span) starts at the header.
        let header = if at_indicator && (has_props || no_content) {
            Some(start)
        } else {
            self.find_forward(self.prev_end, start, |b| b == b'|' || b == b'>')
        };
        let Some(header) = header else {
            // No header found: fall back to the content as saphyr reports it.
            return (start, self.trim_end(start, raw_end));
        };
        let mut header_end = header + 1;
        while header_end < header + 3
            && matches!(self.bytes.get(header_end), Some(b'+' | b'-' | b'1'..=b'9'))
        {
            header_end += 1;
        }
        let header_end = header_end.min(self.src.len());
        let end = self.trim_end(header_end, raw_end.max(header_end));
        let content_on_later_line = self
            .bytes
            .get(header_end..end)
            .is_some_and(|between| between.contains(&b'\n') || between.contains(&b'\r'));
        // Without content the trimmed end would land in a header comment.
        if content_on_later_line {
            (header, end)
        } else {
            (header, header_end)
        }
    }

    /// Back `end` up over trailing whitespace, never before `floor`.
    fn trim_end(&self, floor: usize, end: usize) -> usize {
        let mut end = end.min(self.src.len());
        while end > floor && matches!(self.bytes.get(end - 1), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            end -= 1;
        }
        end
    }

    /// One past the quote closing the quoted scalar that opens at `start`.
    fn closing_quote(&self, start: usize, double: bool) -> Option<usize> {
        let quote = if double { b'"' } else { b'\'' };
        if self.bytes.get(start) != Some(&quote) {
            return None;
        }
        // Quotes and backslashes are ASCII, so a byte scan cannot stop inside a character.
        let mut i = start + 1;
        while let Some(&b) = self.bytes.get(i) {
            if double && b == b'\\' {
                i += 2;
            } else if b == quote {
                if !double && self.bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                } else {
                    return Some(i + 1);
                }
            } else {
                i += 1;
            }
        }
        None
    }

    /// Past the anchor and tag properties at `pos` and the whitespace and comments after them.
    fn skip_props(&self, mut pos: usize, limit: usize) -> usize {
        let limit = limit.min(self.src.len());
        while pos < limit {
            match self.bytes.get(pos) {
                Some(b'!') if self.bytes.get(pos + 1) == Some(&b'<') => {
                    while pos < limit && self.bytes.get(pos) != Some(&b'>') {
                        pos += 1;
                    }
                    pos += 1;
                }
                Some(b'&' | b'!') => {
                    while pos < limit
                        && !matches!(
                            self.bytes.get(pos),
                            None | Some(
                                b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
                            )
                        )
                    {
                        pos += 1;
                    }
                }
                _ => break,
            }
            pos = self.skip_blank_and_comments(pos.min(limit), limit);
        }
        pos.min(limit)
    }

    fn skip_blank_and_comments(&self, mut pos: usize, limit: usize) -> usize {
        while pos < limit {
            match self.bytes.get(pos) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => pos += 1,
                Some(b'#') => {
                    while pos < limit && !matches!(self.bytes.get(pos), None | Some(b'\n' | b'\r'))
                    {
                        pos += 1;
                    }
                }
                _ => break,
            }
        }
        pos
    }

    /// First byte in `from..to` outside comments that satisfies `want`.
    fn find_forward(&self, from: usize, to: usize, want: impl Fn(u8) -> bool) -> Option<usize> {
        let to = to.min(self.src.len());
        let mut i = from;
        while i < to {
            let b = *self.bytes.get(i)?;
            let after_blank =
                i == from || matches!(self.bytes.get(i - 1), Some(b' ' | b'\t' | b'\r' | b'\n'));
            if b == b'#' && after_blank {
                while i < to && !matches!(self.bytes.get(i), None | Some(b'\n' | b'\r')) {
                    i += 1;
                }
                continue;
            }
            if want(b) {
                return Some(i);
            }
            i += 1;
        }
        None
    }

    fn open(
        &mut self,
        mapping: bool,
        anchor: usize,
        has_props: bool,
        raw_start: usize,
        raw_end: usize,
    ) -> Result<(), YamlError> {
        let start = if has_props || anchor > 0 {
            self.skip_props(raw_start, raw_end)
        } else {
            raw_start
        };
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.too_deep(start));
        }
        let opener = if mapping { b'{' } else { b'[' };
        // Block collections get an empty span from saphyr; flow ones cover their bracket.
        let braced = self.bytes.get(start) == Some(&opener) && raw_end > start;
        let start = if mapping || braced || self.bytes.get(start) == Some(&b'-') {
            start
        } else {
            // An indentless sequence (`key:\n- a`) starts after its first `-`.
            self.find_forward(self.prev_end, start, |b| b == b'-')
                .unwrap_or(start)
        };
        self.total = self.total.saturating_add(1);
        self.stack.push(Frame {
            mapping,
            base: self.children.len(),
            braced,
            start,
            anchor,
            count: 1,
            height: 0,
            first_start: None,
            last_end: start,
        });
        Ok(())
    }

    fn close(&mut self, raw_start: usize, raw_end: usize) -> Result<(), YamlError> {
        let Some(frame) = self.stack.pop() else {
            return Err(YamlError {
                message: "unbalanced collection end in the YAML event stream".to_string(),
                span: self.one_char(raw_end),
            });
        };
        let closer = if frame.mapping { b'}' } else { b']' };
        let span = if frame.braced {
            Span::new(
                frame.start,
                self.closer_end(raw_start, raw_end, closer).max(frame.start),
            )
        } else if !frame.mapping {
            Span::new(frame.start, frame.last_end.max(frame.start))
        } else {
            let start = frame.first_start.unwrap_or(frame.start);
            Span::new(start, frame.last_end.max(start))
        };
        let base = frame.base.min(self.children.len());
        let (count, height) = (frame.count, frame.height + 1);
        let node = if frame.mapping {
            // A key still waiting for its value gets an empty one, where the key ends.
            let pending = if (self.children.len() - base) % 2 == 1 {
                self.children.pop()
            } else {
                None
            };
            let pairs = (self.children.len() - base) / 2 + usize::from(pending.is_some());
            let mut entries = Vec::with_capacity(pairs);
            let mut flat = self.children.drain(base..);
            while let (Some(k), Some(v)) = (flat.next(), flat.next()) {
                entries.push((k, v));
            }
            drop(flat);
            if let Some(key) = pending {
                let at = T::span(&key).end;
                entries.push((key, T::scalar(Span::new(at, at), String::new(), true)));
            }
            T::map(span, entries, count, height)
        } else {
            let items: Vec<T::Node> = self.children.drain(base..).collect();
            T::seq(span, items, count, height)
        };
        if frame.anchor > 0 {
            if let Some(shared) = T::share(&node) {
                self.anchors.insert(frame.anchor, shared);
            }
        }
        self.push(node, span.start, span.end);
        self.prev_end = self.prev_end.max(span.end);
        Ok(())
    }

    /// One past the closing bracket. saphyr's end event can run on over a trailing comment, or
    /// stop short of the bracket after a trailing comma.
    fn closer_end(&self, raw_start: usize, raw_end: usize, closer: u8) -> usize {
        let mut at = raw_start;
        let mut commas = 0;
        loop {
            at = self.skip_blank_and_comments(at, self.src.len());
            match self.bytes.get(at) {
                Some(&b) if b == closer => return at + 1,
                Some(b',') if commas == 0 => {
                    commas += 1;
                    at += 1;
                }
                _ => return raw_end,
            }
        }
    }

    /// Hands a finished node to the collection being built (or makes it the root).
    fn push(&mut self, node: T::Node, written_start: usize, written_end: usize) {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        frame.count = frame.count.saturating_add(T::count(&node));
        frame.height = frame.height.max(T::height(&node));
        frame.first_start.get_or_insert(written_start);
        frame.last_end = frame.last_end.max(written_end);
        self.children.push(node);
    }
}

/// Drops any position suffix, since callers print positions from the span themselves.
fn clean_message(info: &str) -> String {
    let mut msg = info.trim();
    for marker in [" at byte ", " at line "] {
        if let Some(i) = msg.find(marker) {
            let tail = &msg[i..];
            let only_position = tail.split_whitespace().all(|w| {
                matches!(w, "at" | "byte" | "line" | "column")
                    || w.chars().all(|c| c.is_ascii_digit())
            });
            if only_position {
                msg = msg[..i].trim_end();
            }
        }
    }
    msg.to_string()
}

/// Turns the shared intermediate tree into the owned tree, without recursion.
fn materialise(root: Rc<INode>) -> Option<YamlNode> {
    enum Task {
        Visit(Rc<INode>),
        Seq(Span, usize),
        Map(Span, usize),
    }
    let mut tasks = vec![Task::Visit(root)];
    let mut out: Vec<YamlNode> = Vec::new();
    while let Some(task) = tasks.pop() {
        match task {
            Task::Visit(rc) => {
                // Unshared nodes are moved; only alias targets are copied.
                let node = Rc::try_unwrap(rc).unwrap_or_else(|shared| (*shared).clone());
                match node.kind {
                    IKind::Scalar(value, plain) => out.push(YamlNode {
                        span: node.span,
                        value: YamlValue::Scalar { value, plain },
                    }),
                    IKind::Seq(items) => {
                        tasks.push(Task::Seq(node.span, items.len()));
                        tasks.extend(items.into_iter().rev().map(Task::Visit));
                    }
                    IKind::Map(entries) => {
                        tasks.push(Task::Map(node.span, entries.len()));
                        for (k, v) in entries.into_iter().rev() {
                            tasks.push(Task::Visit(v));
                            tasks.push(Task::Visit(k));
                        }
                    }
                }
            }
            Task::Seq(span, n) => {
                let items = out.split_off(out.len().checked_sub(n)?);
                out.push(YamlNode {
                    span,
                    value: YamlValue::Seq(items),
                });
            }
            Task::Map(span, n) => {
                let flat = out.split_off(out.len().checked_sub(n.checked_mul(2)?)?);
                let mut entries = Vec::with_capacity(n);
                let mut it = flat.into_iter();
                while let (Some(k), Some(v)) = (it.next(), it.next()) {
                    entries.push((k, v));
                }
                out.push(YamlNode {
                    span,
                    value: YamlValue::Map(entries),
                });
            }
        }
    }
    out.pop()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn text(src: &str, span: Span) -> &str {
        &src[span.start..span.end]
    }

    fn root(src: &str) -> YamlNode {
        match parse(src) {
            Ok(Some(node)) => node,
            other => panic!("expected a document, got {other:?}"),
        }
    }

    fn entries(node: &YamlNode) -> &[(YamlNode, YamlNode)] {
        match &node.value {
            YamlValue::Map(entries) => entries,
            other => panic!("expected a mapping, got {other:?}"),
        }
    }

    fn items(node: &YamlNode) -> &[YamlNode] {
        match &node.value {
            YamlValue::Seq(items) => items,
            other => panic!("expected a sequence, got {other:?}"),
        }
    }

    fn key_str(node: &YamlNode) -> &str {
        match &node.value {
            YamlValue::Scalar { value, .. } => value,
            other => panic!("expected a scalar key, got {other:?}"),
        }
    }

    /// The value of the first entry with this key.
    fn get<'n>(node: &'n YamlNode, key: &str) -> &'n YamlNode {
        entries(node)
            .iter()
            .find(|(k, _)| key_str(k) == key)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no key {key}"))
    }

    fn scalar(node: &YamlNode) -> (&str, bool) {
        match &node.value {
            YamlValue::Scalar { value, plain } => (value, *plain),
            other => panic!("expected a scalar, got {other:?}"),
        }
    }

    fn err(src: &str) -> YamlError {
        match parse(src) {
            Err(e) => e,
            Ok(v) => panic!("expected an error, got {v:?}"),
        }
    }

    #[test]
    fn scalar_spans_are_the_text_as_written() {
        let src = "a: \"x y\"\nb: 2025-04-01\nc: 'it''s'   # note\nd: \"q \\\" r\"  # say \"hi\"\ne: plain text  \nf: \"multi\n  line\"  # c\n";
        let doc = root(src);
        assert_eq!(text(src, get(&doc, "a").span), "\"x y\"");
        assert_eq!(scalar(get(&doc, "a")), ("x y", false));
        assert_eq!(text(src, get(&doc, "b").span), "2025-04-01");
        assert_eq!(scalar(get(&doc, "b")), ("2025-04-01", true));
        assert_eq!(text(src, get(&doc, "c").span), "'it''s'");
        assert_eq!(scalar(get(&doc, "c")), ("it's", false));
        assert_eq!(text(src, get(&doc, "d").span), "\"q \\\" r\"");
        assert_eq!(text(src, get(&doc, "e").span), "plain text");
        assert_eq!(text(src, get(&doc, "f").span), "\"multi\n  line\"");
        let (k, _) = &entries(&doc)[1];
        assert_eq!(text(src, k.span), "b");
    }

    #[test]
    fn spans_after_non_ascii_text_are_byte_offsets() {
        let src = "name: \"Zoë £1,200\"  # ünïcode comment\nsum: £3 — net\nlist: [é, \"ü\", {k: ß}]\nlast: |\n  naïve\n  café\n\nend: ok\n";
        let doc = root(src);
        assert_eq!(text(src, get(&doc, "name").span), "\"Zoë £1,200\"");
        assert_eq!(text(src, get(&doc, "sum").span), "£3 — net");
        let list = get(&doc, "list");
        assert_eq!(text(src, list.span), "[é, \"ü\", {k: ß}]");
        assert_eq!(text(src, items(list)[1].span), "\"ü\"");
        assert_eq!(text(src, items(list)[2].span), "{k: ß}");
        assert_eq!(text(src, get(&doc, "last").span), "|\n  naïve\n  café");
        assert_eq!(text(src, get(&doc, "end").span), "ok");
        let (k, _) = &entries(&doc)[4];
        assert_eq!(text(src, k.span), "end");
    }

    #[test]
    fn char_to_byte_table_matches_char_indices() {
        let src = "aé£😀b".repeat(40);
        let map = CharToByte::new(&src);
        for (n, (i, _)) in src.char_indices().enumerate() {
            assert_eq!(map.byte(n), i);
        }
        let chars = src.chars().count();
        assert_eq!(map.byte(chars), src.len());
        assert_eq!(map.byte(chars + 100), src.len());
        let ascii = CharToByte::new("abc");
        assert_eq!((ascii.byte(2), ascii.byte(9)), (2, 3));
    }

    /// Both tree builders on one source: the same tree or the same error, unless the owned one
    /// met an anchor (which only happens when the source may have one).
    fn check_builders_agree(src: &str) {
        let owned = Builder::<Owned>::new(src).run();
        let shared = Builder::<Shared>::new(src).run();
        match (owned, shared) {
            (Ok(o), Ok(s)) => {
                let s = s.and_then(|(root, count)| Some((materialise(root)?, count)));
                assert_eq!(o, s, "{src:?}");
            }
            (Err(Stop::Yaml(a)), Err(Stop::Yaml(b))) => assert_eq!(a, b, "{src:?}"),
            (Err(Stop::NeedsSharing), _) => assert!(may_have_anchors(src), "{src:?}"),
            _ => panic!("the builders disagree on {src:?}"),
        }
    }

    #[test]
    fn owned_and_shared_builders_agree() {
        for src in [
            "",
            "a: 1\nb: [x, {y: z}]\nc:\n- |\n  lit\n- >-\n  fold\nd:\ne: \"q\" # c\n",
            "? [a, b]\n: v\n{k: 1}: w\n{x: 1, x: 2}: [p: q]\n",
            "name: Zoë £1\nk: {a: 1,}\nl: [1, 2,]\n- bad",
            "Health & Care: R&D\nx: &\n",
            "a: &x 1\nb: *x\n",
            "- &a [*a]",
            "a: 1\n---\nb: 2\n",
            "{a: ",
            "k:\n  - i\n  -\n  - {m: }\n",
        ] {
            check_builders_agree(src);
        }
        assert!(matches!(
            Builder::<Owned>::new("a: &x 1\n").run(),
            Err(Stop::NeedsSharing)
        ));
        assert!(!may_have_anchors("Health & Care &\n&"));
        assert!(may_have_anchors("a: &x 1"));
        // Pseudo-random bytes biased towards YAML syntax (without `&`, so the owned builder runs).
        let alphabet = b"-:?[]{},*!|>'\"#% \t\n\r\\abc019.~\xc3\xa9\xe2\x82\xac";
        let mut seed: u64 = 0x0bad_5eed_0000_0001;
        for _ in 0..3000 {
            let mut bytes = Vec::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for _ in 0..(seed >> 33) % 80 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                bytes.push(alphabet[((seed >> 33) as usize) % alphabet.len()]);
            }
            check_builders_agree(&String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn ascii_prefix_stops_at_the_first_other_byte() {
        let text = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(3);
        for at in 0..=text.len() {
            let mut b = text.as_bytes().to_vec();
            b.insert(at, 0xC2);
            assert_eq!(ascii_prefix(&b), at);
        }
        assert_eq!(ascii_prefix(text.as_bytes()), text.len());
        assert_eq!(ascii_prefix(b""), 0);
    }

    #[test]
    fn char_to_byte_cursor_agrees_in_any_order() {
        let src = "aé£😀b".repeat(200) + "tail é";
        let want: Vec<usize> = src.char_indices().map(|(i, _)| i).collect();
        let chars = want.len();
        let map = CharToByte::new(&src);
        let at = |n: usize| want.get(n).copied().unwrap_or(src.len());
        // Forward in small steps (the cursor), then jumps past checkpoints.
        for n in 0..chars {
            assert_eq!(map.byte(n), at(n), "forward {n}");
        }
        for step in [37, 300] {
            for n in (0..chars).step_by(step) {
                assert_eq!(map.byte(n), at(n), "jump {n}");
            }
        }
        assert_eq!(map.byte(chars - 1), at(chars - 1));
        assert_eq!(map.byte(700), at(700));
        assert_eq!(map.byte(5), at(5));
        // Backwards, within a stride and across checkpoints.
        for n in (0..chars).rev() {
            assert_eq!(map.byte(n), at(n), "backward {n}");
        }
        // Past the end, then back inside: the cursor must not be left past the end.
        assert_eq!(map.byte(chars), src.len());
        assert_eq!(map.byte(chars + 5), src.len());
        assert_eq!(map.byte(chars - 1), at(chars - 1));
        assert_eq!(map.byte(chars + 1000), src.len());
        assert_eq!(map.byte(3), at(3));
        // Long ASCII stretches between other characters: the one-addition path, its end
        // (`ascii_until`, at most 256 bytes ahead) and the walk past it.
        let long = format!("{}é{}£", "x".repeat(300), "y".repeat(50)).repeat(5);
        let long_want: Vec<usize> = long.char_indices().map(|(i, _)| i).collect();
        let long_at = |n: usize| long_want.get(n).copied().unwrap_or(long.len());
        for step in [1, 7, 100, 255, 257] {
            let map = CharToByte::new(&long);
            for n in (0..long_want.len() + 3).step_by(step) {
                assert_eq!(map.byte(n), long_at(n), "step {step} at {n}");
            }
        }
        let long_map = CharToByte::new(&long);
        let mut seed: u64 = 11;
        for _ in 0..5000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Mostly small steps either way, sometimes a long jump.
            let n = if seed >> 60 == 0 {
                (seed >> 33) as usize % (long_want.len() + 10)
            } else {
                let (c, _) = long_map.cursor.get();
                (c + (seed >> 33) as usize % 300).saturating_sub(40)
            };
            assert_eq!(long_map.byte(n), long_at(n), "random long {n}");
        }
        // A pseudo-random order.
        let mut seed: u64 = 7;
        for _ in 0..2000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = (seed >> 33) as usize % (chars + 40);
            assert_eq!(map.byte(n), at(n), "random {n}");
        }
    }

    #[test]
    fn block_scalar_spans_end_at_their_content() {
        let src = "lit: |\n  hello\n  world\n\n# comment\nfold: >-\n  folded\n   text\n\nkeep: |+ # header comment | x\n\n    kept\n\nempty: | # nothing\nnext: 1\nseq:\n- |\n  item\n- >\n  other\nlast: |\n";
        let doc = root(src);
        assert_eq!(text(src, get(&doc, "lit").span), "|\n  hello\n  world");
        assert_eq!(scalar(get(&doc, "lit")), ("hello\nworld\n", false));
        assert_eq!(text(src, get(&doc, "fold").span), ">-\n  folded\n   text");
        assert_eq!(
            text(src, get(&doc, "keep").span),
            "|+ # header comment | x\n\n    kept"
        );
        assert_eq!(text(src, get(&doc, "empty").span), "|");
        assert_eq!(text(src, get(&doc, "next").span), "1");
        let seq = items(get(&doc, "seq"));
        assert_eq!(text(src, seq[0].span), "|\n  item");
        assert_eq!(text(src, seq[1].span), ">\n  other");
        assert_eq!(text(src, get(&doc, "last").span), "|");
        assert_eq!(
            text(src, get(&doc, "seq").span),
            "- |\n  item\n- >\n  other"
        );

        let crlf = "a: |\r\n  hi\r\n\r\nb: 2\r\n";
        let doc = root(crlf);
        assert_eq!(text(crlf, get(&doc, "a").span), "|\r\n  hi");
        assert_eq!(text(crlf, doc.span), "a: |\r\n  hi\r\n\r\nb: 2");

        let top = "# intro | >\n>\n  whole document\n";
        assert_eq!(text(top, root(top).span), ">\n  whole document");
        let explicit = "--- |\n  text\n";
        assert_eq!(text(explicit, root(explicit).span), "|\n  text");
    }

    #[test]
    fn flow_collection_spans_include_their_brackets() {
        let src = "a: [x, y]\nb: {k: 1, }\nc: [1, [2, 3], ]\nd: {k: [v], m: {n: o},   # c\n  }\ne: []\nf: {}\ng: [p: q]\n";
        let doc = root(src);
        assert_eq!(text(src, get(&doc, "a").span), "[x, y]");
        assert_eq!(text(src, get(&doc, "b").span), "{k: 1, }");
        let c = get(&doc, "c");
        assert_eq!(text(src, c.span), "[1, [2, 3], ]");
        assert_eq!(text(src, items(c)[1].span), "[2, 3]");
        let d = get(&doc, "d");
        assert_eq!(text(src, d.span), "{k: [v], m: {n: o},   # c\n  }");
        assert_eq!(text(src, get(d, "m").span), "{n: o}");
        assert_eq!(text(src, get(&doc, "e").span), "[]");
        assert_eq!(text(src, get(&doc, "f").span), "{}");
        let g = get(&doc, "g");
        assert_eq!(text(src, g.span), "[p: q]");
        assert_eq!(text(src, items(g)[0].span), "p: q");
    }

    #[test]
    fn block_collection_spans_run_from_first_key_to_last_value() {
        let src = "# leading comment\nparties:\n  - name: A  # trailing\n    role: lead\n  - name: B\n\n# between\nterms:\n  start: 2025-04-01\n  end:\nindentless:\n- one\n- two   # c\n\n# tail comment\n";
        let doc = root(src);
        assert!(text(src, doc.span).starts_with("parties:"));
        assert!(text(src, doc.span).ends_with("- two"));
        let parties = get(&doc, "parties");
        assert_eq!(
            text(src, parties.span),
            "- name: A  # trailing\n    role: lead\n  - name: B"
        );
        assert_eq!(
            text(src, items(parties)[0].span),
            "name: A  # trailing\n    role: lead"
        );
        assert_eq!(text(src, items(parties)[1].span), "name: B");
        let terms = get(&doc, "terms");
        assert_eq!(text(src, terms.span), "start: 2025-04-01\n  end:");
        assert_eq!(scalar(get(terms, "end")), ("", true));
        assert_eq!(get(terms, "end").span.len(), 0);
        assert_eq!(text(src, get(&doc, "indentless").span), "- one\n- two");

        let nested = "- - a\n  - b\n- - c\n";
        let doc = root(nested);
        assert_eq!(text(nested, doc.span), "- - a\n  - b\n- - c");
        assert_eq!(text(nested, items(&doc)[0].span), "- a\n  - b");
        assert_eq!(text(nested, items(&doc)[1].span), "- c");

        let commented = "k: # a-b comment\n- x\n";
        let doc = root(commented);
        assert_eq!(text(commented, get(&doc, "k").span), "- x");
    }

    #[test]
    fn properties_are_left_out_of_spans() {
        let src = "a: &x value\nb: !!str 12\nc: &y [1, 2]\nd: &z\n  - i\ne: !custom &w\n  k: v\nf: &q\ng: &r |\n  lit\nh: !<tag:yaml.org,2002:str> \"q\"\n";
        let doc = root(src);
        assert_eq!(text(src, get(&doc, "a").span), "value");
        assert_eq!(text(src, get(&doc, "b").span), "12");
        assert_eq!(text(src, get(&doc, "c").span), "[1, 2]");
        assert_eq!(text(src, get(&doc, "d").span), "- i");
        assert_eq!(text(src, get(&doc, "e").span), "k: v");
        // An empty node has nothing but its properties to point at.
        assert_eq!(text(src, get(&doc, "f").span), "&q");
        assert_eq!(text(src, get(&doc, "g").span), "|\n  lit");
        assert_eq!(text(src, get(&doc, "h").span), "\"q\"");
    }

    #[test]
    fn tags_are_ignored_except_core_scalar_ones() {
        let src =
            "a: !!str 12\nb: !custom yes\nc: !!int \"7\"\nd: !!map {k: v}\ne: !!binary aGk=\n";
        let doc = root(src);
        assert_eq!(scalar(get(&doc, "a")), ("12", false));
        assert_eq!(scalar(get(&doc, "b")), ("yes", true));
        assert_eq!(scalar(get(&doc, "c")), ("7", true));
        assert_eq!(entries(get(&doc, "d")).len(), 1);
        assert_eq!(scalar(get(&doc, "e")), ("aGk=", true));
    }

    #[test]
    fn aliases_resolve_to_clones_with_the_anchor_spans() {
        let src = "base: &b\n  rate: 5\n  name: \"x\"\ncopy: *b\nlist: [&i item, *i]\n";
        let doc = root(src);
        let base = get(&doc, "base");
        let copy = get(&doc, "copy");
        assert_eq!(copy, base);
        assert_eq!(text(src, copy.span), "rate: 5\n  name: \"x\"");
        let list = get(&doc, "list");
        assert_eq!(items(list)[1], items(list)[0]);
        assert_eq!(text(src, items(list)[1].span), "item");
        assert_eq!(text(src, list.span), "[&i item, *i]");
        // An alias used as the first key must not pull the map's span back to the anchor.
        let src = "a: &k key\nb:\n  *k : v\n  z: 1\n";
        let doc = root(src);
        assert_eq!(text(src, get(&doc, "b").span), "*k : v\n  z: 1");
    }

    #[test]
    fn billion_laughs_is_refused_quickly() {
        let mut src = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for pair in names.windows(2) {
            let refs = vec![format!("*{}", pair[0]); 9].join(", ");
            src.push_str(&format!("{0}: &{0} [{1}]\n", pair[1], refs));
        }
        let started = Instant::now();
        let e = err(&src);
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(
            e.message,
            "alias expansion exceeds the limit of 100000 nodes (a \"billion laughs\" document?)"
        );
        assert_eq!(text(&src, e.span), "*e");

        // Below the budget, aliases expand.
        let small = "a: &a [x, y]\nb: [*a, *a, *a]\n";
        let doc = root(small);
        assert_eq!(items(get(&doc, "b")).len(), 3);
    }

    #[test]
    fn an_alias_inside_its_own_anchor_is_an_error() {
        let e = err("- &a [*a]");
        assert!(e.message.contains("contains it"), "{}", e.message);
        assert_eq!(e.span, Span::new(6, 8));
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused() {
        let ok = format!("{}x{}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&ok).is_ok());

        // Block style goes past saphyr's own flow limit (255).
        let block = |depth: usize| -> String {
            (0..depth)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect::<String>()
        };
        assert!(parse(&block(500)).is_ok());
        let src = block(501);
        let e = err(&src);
        assert_eq!(e.message, "nesting deeper than 500 levels");
        // The 501st mapping starts at its first key, `k500`.
        assert_eq!(line_col(&src, e.span.start), (501, 501));

        // An alias can also push a tree past the limit.
        let deep = format!(
            "a: &a {}x{}\nb: {}*a{}\n",
            "[".repeat(250),
            "]".repeat(250),
            "[".repeat(251),
            "]".repeat(251)
        );
        let e = err(&deep);
        assert_eq!(e.message, "nesting deeper than 500 levels");
        assert_eq!(text(&deep, e.span), "*");
    }

    #[test]
    fn very_deep_input_does_not_overflow_the_stack() {
        let started = Instant::now();
        assert!(parse(&"[".repeat(100_000)).is_err());
        assert!(parse(&"{a: ".repeat(100_000)).is_err());
        let e = err(&format!("{}a\n", "- ".repeat(100_000)));
        assert_eq!(e.message, "nesting deeper than 500 levels");
        let mut block = String::new();
        for i in 0..5_000 {
            block.push_str(&" ".repeat(i));
            block.push_str("k:\n");
        }
        assert_eq!(err(&block).message, "nesting deeper than 500 levels");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_second_document_is_refused() {
        let src = "a: 1\n---\nb: 2\n";
        let e = err(src);
        assert_eq!(
            e.message,
            "this file holds more than one YAML document; an agreement file holds exactly one"
        );
        assert_eq!(text(src, e.span), "---");

        let src = "a: 1\n...\nb: 2\n";
        let e = err(src);
        assert_eq!(e.span.start, 9);

        assert!(parse("a: 1\n---\n").is_err());
        assert!(parse("--- a\n--- b\n").is_err());

        let doc = root("---\na: 1\n...\n");
        assert_eq!(scalar(get(&doc, "a")), ("1", true));
        let doc = root("%YAML 1.2\n--- # c\na: 1\n...\n# bye\n");
        assert_eq!(entries(&doc).len(), 1);
    }

    #[test]
    fn a_stream_without_documents_is_none() {
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("# only a comment\n\n   # another\n"), Ok(None));
        assert_eq!(parse("\n\n"), Ok(None));
        // An explicit `---` starts a (null) document.
        assert_eq!(scalar(&root("---\n")), ("", true));
    }

    #[test]
    fn scan_errors_carry_a_clean_message_and_a_position() {
        let src = "a: [1, 2";
        let e = err(src);
        assert!(!e.message.is_empty());
        assert!(!e.message.contains(" line "), "{}", e.message);
        assert!(e.span.len() <= 1);
        assert!(e.span.end <= src.len());

        let src = "name: \"Zoë\"\nbad: \"x\" y\n";
        let e = err(src);
        assert_eq!(
            e.message,
            "invalid trailing content after double-quoted scalar"
        );
        assert_eq!(line_col(src, e.span.start).0, 2);
        assert!(src.is_char_boundary(e.span.start) && src.is_char_boundary(e.span.end));

        let src = "é: [1, 2";
        let e = err(src);
        assert!(src.is_char_boundary(e.span.start) && e.span.end <= src.len());

        let e = err("a: *unknown\n");
        assert!(e.message.contains("unknown anchor"), "{}", e.message);
        assert_eq!(e.span, Span::new(3, 4));

        assert_eq!(
            clean_message("bad thing at byte 12 line 3 column 4"),
            "bad thing"
        );
        assert_eq!(clean_message("found at line start"), "found at line start");
    }

    #[test]
    fn duplicate_keys_are_kept() {
        let src = "a: 1\nb: 2\na: 3\n";
        let doc = root(src);
        let keys: Vec<&str> = entries(&doc).iter().map(|(k, _)| key_str(k)).collect();
        assert_eq!(keys, ["a", "b", "a"]);
        let (k, v) = &entries(&doc)[2];
        assert_eq!(text(src, k.span), "a");
        assert_eq!(scalar(v), ("3", true));
        assert_eq!(entries(&root("{x: 1, x: 2}")).len(), 2);
    }

    #[test]
    fn non_scalar_keys_are_passed_through() {
        let src = "? [a, b]\n: v\n{k: 1}: w\n";
        let doc = root(src);
        assert!(matches!(entries(&doc)[0].0.value, YamlValue::Seq(_)));
        assert_eq!(text(src, entries(&doc)[0].0.span), "[a, b]");
        assert!(matches!(entries(&doc)[1].0.value, YamlValue::Map(_)));
        assert_eq!(text(src, entries(&doc)[1].0.span), "{k: 1}");
    }

    /// Checks that every span in the tree is a valid slice of the source.
    fn check_spans(src: &str, node: &YamlNode) {
        let mut todo = vec![node];
        while let Some(n) = todo.pop() {
            assert!(n.span.start <= n.span.end && n.span.end <= src.len());
            assert!(src.is_char_boundary(n.span.start) && src.is_char_boundary(n.span.end));
            match &n.value {
                YamlValue::Scalar { .. } => {}
                YamlValue::Seq(items) => todo.extend(items),
                YamlValue::Map(entries) => {
                    for (k, v) in entries {
                        todo.push(k);
                        todo.push(v);
                    }
                }
            }
        }
    }

    fn check_no_panic(src: &str) {
        match parse(src) {
            Ok(Some(node)) => check_spans(src, &node),
            Ok(None) => {}
            Err(e) => {
                assert!(e.span.start <= e.span.end && e.span.end <= src.len());
                assert!(src.is_char_boundary(e.span.start) && src.is_char_boundary(e.span.end));
            }
        }
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        for src in [
            "\t- a",
            "a: [1, 2",
            "{",
            "}",
            "]",
            "- &a [*a]",
            "a: *unknown",
            "&",
            "!",
            "!<",
            "&a",
            "*",
            "? ",
            ": ",
            "- - -",
            "|",
            ">-",
            "|0\n x",
            "\"",
            "'",
            "\"\\",
            "a: \"é\\",
            "---",
            "...",
            "%YAML 1.2",
            "%TAG",
            "a:\n\t- b",
            "\u{feff}",
            "a: 1\n\u{feff}b: 2",
            "[a: ]",
            "{? }",
            "- !<x> &a\n- *a",
            "é: |\n",
            "é: >",
            "\r",
            "\r\r\n\r",
            "a: |\r",
            "😀: [😀, {😀: 😀,",
        ] {
            check_no_panic(src);
        }
        assert!(parse("a: *unknown").is_err());

        // Pseudo-random bytes, biased towards YAML syntax, decoded lossily.
        let alphabet = b"-:?[]{},&*!|>'\"#% \t\n\r\\abc019.~\xc3\xa9\xff\xe2\x82";
        let mut seed: u64 = 0x5eed_1234_abcd_0001;
        for _ in 0..3000 {
            let mut bytes = Vec::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 33) % 80;
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                bytes.push(alphabet[((seed >> 33) as usize) % alphabet.len()]);
            }
            check_no_panic(&String::from_utf8_lossy(&bytes));
        }

        let big = "a: b\n".repeat(200_000);
        let started = Instant::now();
        check_no_panic(&big);
        assert!(started.elapsed() < Duration::from_secs(20));
    }

    #[test]
    fn large_non_ascii_documents_parse_in_linear_time() {
        let src: String = (0..20_000)
            .map(|i| format!("clé{i}: \"Zoë £{i}\"\n"))
            .collect();
        let started = Instant::now();
        let doc = root(&src);
        assert!(started.elapsed() < Duration::from_secs(10));
        let (k, v) = &entries(&doc)[19_999];
        assert_eq!(text(&src, k.span), "clé19999");
        assert_eq!(text(&src, v.span), "\"Zoë £19999\"");
    }

    #[test]
    fn line_index_agrees_with_line_col() {
        for src in [
            "",
            "ab\ncd",
            "a: 1\r\nb: 2\r\n",
            "a\rb\r\r\nc\n",
            "name: Zoë £1\n\tx: é",
            "\n\n\n",
            "😀\r\n😀",
            &"aé£😀b\r\n".repeat(200),
            &"x".repeat(1000),
        ] {
            let index = LineIndex::new(src);
            for byte in 0..=src.len() + 2 {
                assert_eq!(
                    index.line_col(src, byte),
                    line_col(src, byte),
                    "{src:?} at {byte}"
                );
            }
        }
    }

    #[test]
    fn line_col_counts_characters_and_line_breaks() {
        let src = "ab\ncd";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 2), (1, 3));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 4), (2, 2));
        assert_eq!(line_col(src, 999), (2, 3));

        let crlf = "a: 1\r\nb: 2\r\n";
        assert_eq!(line_col(crlf, 6), (2, 1));
        assert_eq!(line_col(crlf, 9), (2, 4));
        assert_eq!(line_col(crlf, crlf.len()), (3, 1));

        let uni = "name: Zoë £1\n\tx: é";
        let pound = uni.find('£').unwrap_or(0);
        assert_eq!(line_col(uni, pound), (1, 11));
        let x = uni.find('x').unwrap_or(0);
        assert_eq!(line_col(uni, x), (2, 2));
        // Inside a multi-byte character: that character.
        assert_eq!(line_col(uni, pound + 1), (1, 11));
        assert_eq!(line_col("", 5), (1, 1));
        assert_eq!(line_col("a\rb", 2), (2, 1));
    }
}
