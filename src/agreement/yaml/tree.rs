//! The two trees the builder can make: [`Owned`] builds the final [`YamlNode`]s directly (a
//! document without anchors), [`Shared`] builds reference-counted nodes so an alias costs O(1)
//! however big its anchored node is, and [`materialise`] turns those into the owned tree once
//! the budget and depth limits have been checked on their counts.

use std::rc::Rc;

use super::{Span, YamlNode, YamlValue};

/// A node of the intermediate tree; shared between an anchor and its aliases.
#[derive(Clone)]
pub(super) struct INode {
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
pub(super) trait Tree {
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
pub(super) struct Shared;

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
pub(super) struct Owned;

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

/// Turns the shared intermediate tree into the owned tree, without recursion.
pub(super) fn materialise(root: Rc<INode>) -> Option<YamlNode> {
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
