//! The tree builder: saphyr's events in, a tree of nodes with repaired byte spans out, within
//! the node budget and depth limit.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

use super::chars::CharToByte;
use super::repair::Source;
use super::tree::Tree;
use super::{Span, YamlError, MAX_DEPTH, MAX_NODES};

/// Why the builder stopped early.
pub(super) enum Stop {
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

/// Builds the tree from saphyr's events, repairing each node's span as it goes.
pub(super) struct Builder<'a, T: Tree> {
    text: Source<'a>,
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
    pub(super) fn new(src: &'a str) -> Self {
        Builder {
            text: Source::new(src),
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
    pub(super) fn run(mut self) -> Result<Option<(T::Node, usize)>, Stop> {
        let mut parser = Parser::new_from_str(self.text.src);
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
                            span: if end > start { Span::new(start, end) } else { self.text.one_char(start) },
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
            span: self.text.one_char(at),
        }
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
            span: self.text.one_char(at),
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
            start = self.text.skip_props(raw_start, raw_end);
        }
        let is_map_value = self
            .stack
            .last()
            .is_some_and(|f| f.mapping && self.children.len().saturating_sub(f.base) % 2 == 1);
        // saphyr puts a missing value at its `:`; after it, the map's span keeps the colon.
        if is_empty_node && !has_props && is_map_value && self.text.bytes.get(start) == Some(&b':')
        {
            start += 1;
            end = start;
        }
        match style {
            ScalarStyle::Plain => {}
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                if let Some(close) = self
                    .text
                    .closing_quote(start, style == ScalarStyle::DoubleQuoted)
                {
                    if close <= raw_end {
                        end = close;
                    }
                }
            }
            ScalarStyle::Literal | ScalarStyle::Folded => {
                (start, end) =
                    self.text
                        .block_scalar_span(start, raw_end, has_props, &value, self.prev_end);
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

    fn open(
        &mut self,
        mapping: bool,
        anchor: usize,
        has_props: bool,
        raw_start: usize,
        raw_end: usize,
    ) -> Result<(), YamlError> {
        let start = if has_props || anchor > 0 {
            self.text.skip_props(raw_start, raw_end)
        } else {
            raw_start
        };
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.too_deep(start));
        }
        let opener = if mapping { b'{' } else { b'[' };
        // Block collections get an empty span from saphyr; flow ones cover their bracket.
        let braced = self.text.bytes.get(start) == Some(&opener) && raw_end > start;
        let start = if mapping || braced || self.text.bytes.get(start) == Some(&b'-') {
            start
        } else {
            // An indentless sequence (`key:\n- a`) starts after its first `-`.
            self.text
                .find_forward(self.prev_end, start, |b| b == b'-')
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
                span: self.text.one_char(raw_end),
            });
        };
        let closer = if frame.mapping { b'}' } else { b']' };
        let span = if frame.braced {
            Span::new(
                frame.start,
                self.text
                    .closer_end(raw_start, raw_end, closer)
                    .max(frame.start),
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

#[cfg(test)]
mod tests {
    use super::super::may_have_anchors;
    use super::super::tree::{materialise, Owned, Shared};
    use super::*;

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
    fn clean_message_drops_only_a_position_suffix() {
        assert_eq!(
            clean_message("bad thing at byte 12 line 3 column 4"),
            "bad thing"
        );
        assert_eq!(clean_message("found at line start"), "found at line start");
    }
}
