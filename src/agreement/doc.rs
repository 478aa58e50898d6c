//! The loaded agreement: a tree of typed values, each node keeping its byte span, stored in one
//! arena so rules can hold cheap `NodeId`s.

use super::schema::{Field, RefKind};
use super::values::{Date, Money, Year};
use super::yaml::Span;

/// Index of a node in [`Doc::nodes`].
pub(crate) type NodeId = u32;

/// How a node hangs from its parent; used to describe where it is.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    /// The top-level mapping.
    Root,
    /// A field of a mapping.
    Key(&'static str),
    /// An item of a list.
    Index(u32),
    /// An entry of a year- or partner-keyed mapping (the key as written).
    MapKey(String),
    /// The key of such an entry.
    KeyOf,
}

/// A typed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Failed to load; a `FMT-` finding says why. Neither present nor missing.
    Invalid,
    /// Placeholder text such as `TBC`: counts as missing.
    Placeholder(String),
    /// Free text.
    Text(String),
    /// A word from a fixed set.
    Word(&'static str),
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A date.
    Date(Date),
    /// Money in pence.
    Money(Money),
    /// A percent.
    Percent(f64),
    /// A financial year.
    Year(Year),
    /// A reference by id; `target` is the declaring item once resolved.
    Ref {
        kind: RefKind,
        id: String,
        target: Option<NodeId>,
    },
    /// A list.
    List(Vec<NodeId>),
    /// A mapping with known keys, in source order.
    Record {
        fields: &'static [Field],
        entries: Vec<(&'static str, NodeId)>,
    },
    /// A mapping keyed by financial year or partner: (key node, value node).
    Map(Vec<(NodeId, NodeId)>),
}

/// One node of the loaded agreement.
#[derive(Debug, Clone)]
pub struct Node {
    /// Byte span of the value in the file.
    pub span: Span,
    /// Byte span of the key that holds it, when it is a mapping value.
    pub key_span: Option<Span>,
    /// Its parent, for describing where it is.
    pub parent: Option<NodeId>,
    /// How it hangs from its parent.
    pub seg: Seg,
    /// The value.
    pub value: Value,
}

/// A loaded agreement.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// All nodes; `nodes[0]` is the top-level mapping.
    pub nodes: Vec<Node>,
    /// Every node holding placeholder text, in source order.
    pub placeholders: Vec<NodeId>,
    /// Keys the format does not know, in source order, kept so that later checks can name a
    /// near miss (a waiver's `expiry`, a required key written `exit_stratgy`).
    pub unknown_keys: Vec<UnknownKey>,
}

/// A key the format does not know (and not starting with `x-`).
#[derive(Debug, Clone)]
pub struct UnknownKey {
    /// The mapping it is written in.
    pub parent: NodeId,
    /// The key as written.
    pub key: String,
    /// Where the key is written.
    pub span: Span,
    /// The known key of that mapping it is probably meant as.
    pub near: Option<&'static str>,
}

impl Doc {
    /// The top-level mapping.
    pub const ROOT: NodeId = 0;

    /// The node with this id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// A field of a record node, if present.
    pub fn get(&self, id: NodeId, name: &str) -> Option<NodeId> {
        match &self.node(id).value {
            Value::Record { entries, .. } => {
                let name = name.as_bytes();
                entries
                    .iter()
                    .find(|(k, _)| key_eq(k.as_bytes(), name))
                    .map(|&(_, v)| v)
            }
            _ => None,
        }
    }

    /// The text of a text-like node (text, word, ref id).
    pub fn text(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).value {
            Value::Text(s) => Some(s),
            Value::Word(s) => Some(s),
            Value::Ref { id, .. } => Some(id),
            _ => None,
        }
    }

    /// Where a node is, by keys and ids: `pools[BCF].risk_share.overspend`. Items of lists
    /// whose entries carry an `id` are named by it, so the description survives reordering.
    pub fn location(&self, id: NodeId) -> String {
        let mut parts = Vec::new();
        let mut cur = Some(id);
        while let Some(n) = cur {
            let node = self.node(n);
            match &node.seg {
                Seg::Root => {}
                Seg::Key(k) => parts.push(format!(".{k}")),
                Seg::Index(i) => {
                    let named = self.get(n, "id").and_then(|i| self.text(i));
                    match named {
                        Some(name) => parts.push(format!("[{name}]")),
                        None => parts.push(format!("[{}]", i + 1)),
                    }
                }
                Seg::MapKey(k) => parts.push(format!(".{k}")),
                Seg::KeyOf => {}
            }
            cur = node.parent;
        }
        parts.reverse();
        let s = parts.concat();
        s.strip_prefix('.').map(str::to_string).unwrap_or(s)
    }
}

/// Byte equality for field names, compared inline: keys are short, and rules look them up by
/// the hundred thousand, so a call to `memcmp` for each candidate of the right length cost more
/// than the comparison itself. Two overlapping words cover any key of 4 to 16 bytes.
#[inline]
fn key_eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word8 = |s: &[u8], at: usize| {
        s.get(at..at + 8)
            .and_then(|w| w.try_into().ok())
            .map(u64::from_ne_bytes)
    };
    let word4 = |s: &[u8], at: usize| {
        s.get(at..at + 4)
            .and_then(|w| w.try_into().ok())
            .map(u32::from_ne_bytes)
    };
    match n {
        8..=16 => word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8),
        4..=7 => word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::key_eq;

    #[test]
    fn key_eq_agrees_with_slice_equality_at_every_length() {
        for n in 0..24usize {
            let a: Vec<u8> = (0..n as u8).map(|i| b'a' + i).collect();
            assert!(key_eq(&a, &a.clone()));
            for i in 0..n {
                let mut b = a.clone();
                b[i] = b'_';
                assert!(!key_eq(&a, &b), "length {n}, differing at {i}");
            }
            let mut longer = a.clone();
            longer.push(b'z');
            assert!(!key_eq(&a, &longer));
        }
    }
}
