//! `s75lint diff`: what a new version of an agreement changes, in legal and money terms.
//!
//! Both versions are loaded with the normal reader and checked with the same rules and date.
//! The loaded trees are then walked side by side, guided by the field table
//! ([`crate::agreement::schema`]): list items are matched by what identifies them, never by
//! position (partners, pools and schemes by `id`, outcomes by `measure`, contributions and
//! payments by partner and year, signatures by partner, variations by date and description),
//! mappings by key, and values by what they mean (`1200000` and `"£1.2m"` are the same
//! money), so reordering and rewriting a value in another form are not changes. Each
//! difference becomes a [`Change`], classified as material or editorial ([`classify`]); money
//! is summarised per pool, partner and year ([`money`]); findings are compared by rule and
//! place. The renderers ([`human`], [`markdown`], [`json`]) only format a [`Diff`].

pub(crate) mod classify;
pub(crate) mod cli;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod money;
pub(crate) mod words;

use crate::agreement::doc::{Doc, NodeId, Value};
use crate::agreement::load::{load, Loaded};
use crate::agreement::schema::{self, Field, Ty};
use crate::agreement::values::{format_number, Date, Money, Year};
use crate::ruleset::RuleSet;
use classify::Class;
use std::fmt;
use words::WordOp;

/// One version of an agreement to compare: a name to show and its text.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    /// The file, or `REV:PATH` for a git revision.
    pub name: String,
    /// The text.
    pub src: String,
}

/// What is known about one side of the comparison.
#[derive(Debug, Clone)]
pub(crate) struct Version {
    /// The name shown for it.
    pub name: String,
    /// The agreement's `id`, when it loaded and has one.
    pub id: Option<String>,
    /// Why it could not be compared (not valid YAML, not an agreement), if so.
    pub problem: Option<String>,
}

/// A value as the comparison sees it: typed, so that equal meanings compare equal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shown {
    /// An amount of money.
    Money(Money),
    /// A date.
    Date(Date),
    /// A percent.
    Percent(f64),
    /// A number.
    Number(f64),
    /// A financial year.
    Year(Year),
    /// `true` / `false`.
    Bool(bool),
    /// A word from a fixed set, a reference id, or `none`.
    Word(String),
    /// Free text.
    Text(String),
    /// Placeholder text such as `TBC`.
    Placeholder(String),
    /// A value that failed to load, as written in the file.
    Unreadable(String),
    /// A summary of a list item or mapping (its name, description or values).
    Item(String),
}

impl Shown {
    /// Equality of meaning: texts that differ only in spacing are the same.
    pub(crate) fn same(&self, other: &Shown) -> bool {
        match (self, other) {
            (Shown::Text(a), Shown::Text(b)) => words::same_words(a, b),
            _ => self == other,
        }
    }

    /// The JSON `type` of the value (see [`json`]).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Shown::Money(_) => "money",
            Shown::Date(_) => "date",
            Shown::Percent(_) => "percent",
            Shown::Number(_) => "number",
            Shown::Year(_) => "year",
            Shown::Bool(_) => "bool",
            Shown::Word(_) => "word",
            Shown::Text(_) => "text",
            Shown::Placeholder(_) => "placeholder",
            Shown::Unreadable(_) => "unreadable",
            Shown::Item(_) => "item",
        }
    }
}

/// Plain-English form: `£1,200,000`, `1 April 2025`, `40%`.
impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Money(m) => write!(f, "{m}"),
            Shown::Date(d) => write!(f, "{d}"),
            Shown::Percent(p) => write!(f, "{}%", format_number(*p)),
            Shown::Number(n) => write!(f, "{}", format_number(*n)),
            Shown::Year(y) => write!(f, "{y}"),
            Shown::Bool(b) => write!(f, "{}", if *b { "yes" } else { "no" }),
            Shown::Word(s) | Shown::Text(s) | Shown::Item(s) => write!(f, "{s}"),
            Shown::Placeholder(s) => write!(f, "{s} (placeholder)"),
            Shown::Unreadable(s) => write!(f, "{s} (unreadable)"),
        }
    }
}

/// Whether something was added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// In both, with different values.
    Changed,
}

impl Kind {
    /// The JSON name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Changed => "changed",
        }
    }
}

/// Which part of the agreement a change belongs to, for grouping the output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Group {
    /// The agreement as a whole (dates, partners, terms, signatures...).
    Agreement,
    /// A pool, by id.
    Pool(String),
    /// A scheme, by id.
    Scheme(String),
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Group::Agreement => write!(f, "Agreement"),
            Group::Pool(id) => write!(f, "Pool {id}"),
            Group::Scheme(id) => write!(f, "Scheme {id}"),
        }
    }
}

/// One difference between the versions.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    /// Where, by keys and ids: `pools[BCF].contributions[icb 2025-26].amount`.
    pub path: String,
    /// The field names only: `pools.contributions.amount` (what the classification reads).
    pub field_path: String,
    /// The pool or scheme it belongs to, or the agreement.
    pub group: Group,
    /// What changed, in words, within its group: `contribution icb 2025-26`.
    pub label: String,
    /// Added, removed or changed.
    pub kind: Kind,
    /// The old value (absent when added).
    pub old: Option<Shown>,
    /// The new value (absent when removed).
    pub new: Option<Shown>,
    /// For rewritten free text, the word-level difference.
    pub words: Vec<WordOp>,
    /// Material or editorial, and about what.
    pub class: Class,
    /// Whether the money and risk-share summaries ([`money`]) already show it, so the human
    /// and markdown outputs list it there rather than twice.
    pub in_summary: bool,
}

impl Change {
    /// Whether it rewrites a text long enough to be shown word by word; a short text (a name,
    /// a role) reads better as old -> new.
    pub(crate) fn is_rewording(&self) -> bool {
        const SHORT: usize = 8;
        let long = |v: &Option<Shown>| matches!(v, Some(Shown::Text(t)) if t.split_whitespace().count() > SHORT);
        !self.words.is_empty() && (long(&self.old) || long(&self.new))
    }

    /// Whether it is a whole pool or scheme added or removed.
    pub(crate) fn is_whole_item(&self) -> bool {
        self.field_path == "pools" || self.field_path == "schemes"
    }

    /// For money changed in both versions, new minus old, in pence.
    pub(crate) fn money_difference(&self) -> Option<(i64, Option<f64>)> {
        match (&self.old, &self.new) {
            (Some(Shown::Money(o)), Some(Shown::Money(n))) => {
                Some((n.0 - o.0, money::percent(*o, *n)))
            }
            _ => None,
        }
    }
}

/// A finding as the comparison reports it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DiffFinding {
    /// Rule id.
    pub rule: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// The message.
    pub message: String,
    /// Where, by keys and ids.
    pub location: String,
    /// 1-based line in the version it was found in.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
}

/// Findings of the two versions, matched by rule and place (`location`), not by line.
#[derive(Debug, Clone, Default)]
pub(crate) struct Findings {
    /// In the new version only.
    pub introduced: Vec<DiffFinding>,
    /// In the old version only.
    pub resolved: Vec<DiffFinding>,
    /// In both (as found in the new version).
    pub unchanged: Vec<DiffFinding>,
}

/// The comparison of two versions.
#[derive(Debug, Clone)]
pub(crate) struct Diff {
    /// The old version.
    pub old: Version,
    /// The new version.
    pub new: Version,
    /// The date both were checked against.
    pub today: Date,
    /// Every difference, grouped in the order of the new version's file.
    pub changes: Vec<Change>,
    /// Money per pool, partner and year, for each pool whose money or risk shares changed.
    pub pools: Vec<money::PoolMoney>,
    /// Allocations and payments per scheme, for each scheme whose money changed.
    pub schemes: Vec<money::SchemeMoney>,
    /// Findings introduced, resolved and unchanged.
    pub findings: Findings,
}

/// Exit code: nothing material changed.
pub(crate) const EXIT_SAME: i32 = 0;
/// Exit code: something material changed (a variation needs every partner's signature).
pub(crate) const EXIT_MATERIAL: i32 = 1;
/// Exit code: the comparison could not be made (unreadable file, bad arguments, not a git
/// repository, a version that is not a loadable agreement).
pub(crate) const EXIT_ERROR: i32 = 2;

impl Diff {
    /// Whether any change needs every partner's signature.
    pub(crate) fn material(&self) -> bool {
        self.changes.iter().any(|c| c.class.material)
    }

    /// Whether both versions loaded, so the changes are complete.
    pub(crate) fn compared(&self) -> bool {
        self.old.problem.is_none() && self.new.problem.is_none()
    }

    /// The exit code: 2 when a version could not be compared, 1 when something material
    /// changed, 0 otherwise.
    pub(crate) fn exit_code(&self) -> i32 {
        if !self.compared() {
            EXIT_ERROR
        } else if self.material() {
            EXIT_MATERIAL
        } else {
            EXIT_SAME
        }
    }

    /// The topics of the material changes, each once, in a fixed order.
    pub(crate) fn material_topics(&self) -> Vec<classify::Topic> {
        let mut t: Vec<_> = self
            .changes
            .iter()
            .filter(|c| c.class.material)
            .map(|c| c.class.topic)
            .collect();
        t.sort();
        t.dedup();
        t
    }

    /// The groups that have something to show, in order: the agreement, then pools, then
    /// schemes, each in the order the new version (then the old) lists them.
    pub(crate) fn groups(&self) -> Vec<Group> {
        let mut gs: Vec<Group> = Vec::new();
        let mut add = |g: Group| {
            if !gs.contains(&g) {
                gs.push(g);
            }
        };
        for c in &self.changes {
            add(c.group.clone());
        }
        for p in &self.pools {
            add(Group::Pool(p.pool.clone()));
        }
        for s in &self.schemes {
            add(Group::Scheme(s.scheme.clone()));
        }
        let rank = |g: &Group| match g {
            Group::Agreement => 0,
            Group::Pool(_) => 1,
            Group::Scheme(_) => 2,
        };
        // Stable: within a rank, first appearance (the new file's order) is kept.
        gs.sort_by_key(rank);
        gs
    }
}

impl Diff {
    /// The count of material and editorial changes in one sentence each.
    pub(crate) fn headline(&self) -> (String, String) {
        let material = self.changes.iter().filter(|c| c.class.material).count();
        let editorial = self.changes.len() - material;
        let plural = |n: usize| if n == 1 { "change" } else { "changes" };
        let m = if material == 0 {
            "Material: none; nothing here needs the partners' signatures.".to_string()
        } else {
            let topics: Vec<&str> = self.material_topics().iter().map(|t| t.name()).collect();
            format!(
                "Material: {material} {} ({}), needing every partner's signature.",
                plural(material),
                topics.join(", ")
            )
        };
        let e = if editorial == 0 {
            "Editorial: none.".to_string()
        } else {
            format!("Editorial: {editorial} {}.", plural(editorial))
        };
        (m, e)
    }
}

/// A change in one line, without its marker: `end: 31 March 2026 -> 31 March 2027`,
/// `services: added "Falls response"`. `arrow` separates old and new; `value` formats a value.
pub(crate) fn describe(c: &Change, arrow: &str, value: &dyn Fn(&Shown) -> String) -> String {
    let shown = |v: &Option<Shown>| match v {
        Some(Shown::Item(s)) if s.is_empty() => String::new(),
        Some(v) => format!(" {}", value(v)),
        None => String::new(),
    };
    match c.kind {
        Kind::Added => format!("{}: added{}", c.label, shown(&c.new)),
        Kind::Removed => match shown(&c.old) {
            s if s.is_empty() => format!("{}: removed", c.label),
            s => format!("{}: removed (was{s})", c.label),
        },
        Kind::Changed if c.is_rewording() => format!("{}: reworded", c.label),
        Kind::Changed => {
            let (o, n) = (shown(&c.old), shown(&c.new));
            let diff = c
                .money_difference()
                .map(|(p, pct)| format!(" ({})", money::difference(p, pct)))
                .unwrap_or_default();
            format!("{}:{o} {arrow}{n}{diff}", c.label)
        }
    }
}

/// Compares two versions, checking each with `rules` as on `today`.
pub(crate) fn compare(old: &Input, new: &Input, rules: &RuleSet, today: Date) -> Diff {
    let opts = crate::Options {
        today,
        ..crate::Options::default()
    };
    let old_report = crate::check_source(&old.name, &old.src, rules, &opts);
    let new_report = crate::check_source(&new.name, &new.src, rules, &opts);
    let (old_doc, old_v) = load_version(old);
    let (new_doc, new_v) = load_version(new);
    let findings = compare_findings(
        &found(&old_report.findings, &old.src),
        &found(&new_report.findings, &new.src),
    );
    let (changes, pools, schemes) = match (&old_doc, &new_doc) {
        (Some(o), Some(n)) => {
            let mut w = Walk {
                old: o,
                new: n,
                old_src: &old.src,
                new_src: &new.src,
                segs: Vec::new(),
                out: Vec::new(),
            };
            w.walk(Some(Doc::ROOT), Some(Doc::ROOT), &schema::ROOT);
            (w.out, money::pools(o, n), money::schemes(o, n))
        }
        _ => (Vec::new(), Vec::new(), Vec::new()),
    };
    Diff {
        old: old_v,
        new: new_v,
        today,
        changes,
        pools,
        schemes,
        findings,
    }
}

fn load_version(input: &Input) -> (Option<Doc>, Version) {
    let mut v = Version {
        name: input.name.clone(),
        id: None,
        problem: None,
    };
    match load(&input.src, true) {
        Loaded::Agreement(doc, _) => {
            v.id = doc
                .get(Doc::ROOT, "id")
                .and_then(|i| doc.text(i))
                .map(str::to_string);
            return (Some(doc), v);
        }
        Loaded::NotAgreement(why) => v.problem = Some(format!("it is not an agreement ({why})")),
        Loaded::NotYaml(f) => v.problem = Some(f.message),
        Loaded::Failed(f) => {
            v.problem = Some(
                f.first()
                    .map_or("it could not be loaded".into(), |f| f.message.clone()),
            )
        }
    }
    (None, v)
}

/// Line and column (1-based, characters) of a byte offset.
fn line_col(src: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(src.len());
    while at > 0 && !src.is_char_boundary(at) {
        at -= 1;
    }
    let before = &src[..at];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

fn found(findings: &[crate::Finding], src: &str) -> Vec<DiffFinding> {
    findings
        .iter()
        // A waived finding is accepted and not counted; it is neither introduced nor resolved.
        .filter(|f| f.waived.is_none())
        .map(|f| {
            let (line, column) = line_col(src, f.span.start);
            DiffFinding {
                rule: f.rule.clone(),
                severity: f.severity.to_string(),
                message: f.message.clone(),
                location: f.location.clone(),
                line,
                column,
            }
        })
        .collect()
}

/// Matches findings by rule and location, as baselines do: a message that names an amount
/// changes with the amount, but it is the same finding. Where several findings share a rule
/// and location (unknown keys at the top level), one with the same message is taken first.
fn compare_findings(old: &[DiffFinding], new: &[DiffFinding]) -> Findings {
    let mut used = vec![false; old.len()];
    let mut matched: Vec<Option<usize>> = vec![None; new.len()];
    for exact in [true, false] {
        for (j, f) in new.iter().enumerate() {
            if matched[j].is_some() {
                continue;
            }
            let hit = old.iter().enumerate().position(|(i, o)| {
                !used[i]
                    && o.rule == f.rule
                    && o.location == f.location
                    && (!exact || o.message == f.message)
            });
            if let Some(i) = hit {
                used[i] = true;
                matched[j] = Some(i);
            }
        }
    }
    let mut out = Findings::default();
    for (f, m) in new.iter().zip(&matched) {
        match m {
            Some(_) => out.unchanged.push(f.clone()),
            None => out.introduced.push(f.clone()),
        }
    }
    out.resolved = old
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(f, _)| f.clone())
        .collect();
    out
}

/// A step of the path from the top of the agreement to a change.
#[derive(Debug, Clone)]
enum Seg {
    /// A field of a record.
    Field(&'static str),
    /// An item of a list, by what identifies it. `omit` is the item's only field besides its
    /// key (a contribution's `amount`), left out of labels because the key says it all.
    Item {
        noun: String,
        key: String,
        omit: Option<&'static str>,
    },
    /// An entry of a year- or partner-keyed mapping.
    Key(String),
}

/// The fields that identify an item of a list, by the record's field table: the first set
/// the record has all of. Records with none of these are matched by their whole value.
const KEYS: &[&[&str]] = &[
    &["id"],
    &["measure"],
    &["partner", "year"],
    &["partner", "item"],
    &["rule", "scheme", "pool"],
    &["date", "description"],
    &["arrangement", "description"],
    &["partner"],
];

fn key_fields(fields: &'static [Field]) -> Vec<&'static str> {
    KEYS.iter()
        .find(|set| set.iter().all(|k| schema::field(fields, k).is_some()))
        .map(|set| set.to_vec())
        .unwrap_or_else(|| fields.iter().map(|f| f.name).collect())
}

/// `pools` -> `pool`, for labels.
fn singular(list: &str) -> String {
    list.strip_suffix('s').unwrap_or(list).replace('_', " ")
}

/// Text collapsed to single spaces and shortened, for keys and summaries.
fn short(s: &str, max: usize) -> String {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > max {
        format!("{}...", t.chars().take(max).collect::<String>().trim_end())
    } else {
        t
    }
}

#[derive(Clone, Copy)]
enum Side {
    Old,
    New,
}

struct Walk<'a> {
    old: &'a Doc,
    new: &'a Doc,
    old_src: &'a str,
    new_src: &'a str,
    segs: Vec<Seg>,
    out: Vec<Change>,
}

impl<'a> Walk<'a> {
    fn doc(&self, s: Side) -> &'a Doc {
        match s {
            Side::Old => self.old,
            Side::New => self.new,
        }
    }

    fn value(&self, s: Side, id: NodeId) -> &'a Value {
        &self.doc(s).node(id).value
    }

    /// The node's text as written, for a value that failed to load.
    fn raw(&self, s: Side, id: NodeId) -> String {
        let src = match s {
            Side::Old => self.old_src,
            Side::New => self.new_src,
        };
        let span = self.doc(s).node(id).span;
        short(src.get(span.start..span.end).unwrap_or(""), 60)
    }

    /// Compares two nodes of type `ty` (either may be absent).
    fn walk(&mut self, o: Option<NodeId>, n: Option<NodeId>, ty: &'static Ty) {
        if o.is_none() && n.is_none() {
            return;
        }
        let invalid = |s: Side, id: Option<NodeId>| {
            id.is_some_and(|i| matches!(self.value(s, i), Value::Invalid))
        };
        if invalid(Side::Old, o) || invalid(Side::New, n) {
            return self.leaf(o, n);
        }
        match ty {
            Ty::Record(fields) => {
                for f in fields.iter() {
                    let oc = o.and_then(|i| self.old.get(i, f.name));
                    let nc = n.and_then(|i| self.new.get(i, f.name));
                    self.segs.push(Seg::Field(f.name));
                    self.walk(oc, nc, &f.ty);
                    self.segs.pop();
                }
            }
            Ty::List(inner) => {
                let oi = o.map(|i| self.items(Side::Old, i)).unwrap_or_default();
                let ni = n.map(|i| self.items(Side::New, i)).unwrap_or_default();
                self.list(&oi, &ni, inner);
            }
            Ty::YearMap(inner) | Ty::PartnerMap(inner) => self.map(o, n, inner),
            Ty::OneOrYearMap(inner) => {
                let is_map = |s: Side, id: Option<NodeId>| {
                    id.is_some_and(|i| matches!(self.value(s, i), Value::Map(_)))
                };
                let (om, nm) = (is_map(Side::Old, o), is_map(Side::New, n));
                if (om || o.is_none()) && (nm || n.is_none()) {
                    self.map(o, n, inner);
                } else {
                    self.leaf(o, n);
                }
            }
            Ty::NoneOr(inner) => {
                let is_list = |s: Side, id: Option<NodeId>| {
                    id.is_some_and(|i| matches!(self.value(s, i), Value::List(_)))
                };
                // `none` and a list compare item by item (`none` has no items); `none` against
                // nothing at all is a plain value added or removed.
                if is_list(Side::Old, o) || is_list(Side::New, n) {
                    let oi = o.map(|i| self.items(Side::Old, i)).unwrap_or_default();
                    let ni = n.map(|i| self.items(Side::New, i)).unwrap_or_default();
                    let item = match inner {
                        Ty::List(t) => *t,
                        t => t,
                    };
                    self.list(&oi, &ni, item);
                } else {
                    self.leaf(o, n);
                }
            }
            _ => self.leaf(o, n),
        }
    }

    fn items(&self, s: Side, id: NodeId) -> Vec<NodeId> {
        match self.value(s, id) {
            Value::List(items) => items.clone(),
            _ => Vec::new(),
        }
    }

    fn list(&mut self, o: &[NodeId], n: &[NodeId], item: &'static Ty) {
        let Ty::Record(fields) = item else {
            return self.scalar_list(o, n);
        };
        let keys = key_fields(fields);
        let rest: Vec<&'static str> = fields
            .iter()
            .map(|f| f.name)
            .filter(|f| !keys.contains(f))
            .collect();
        let omit = (rest.len() == 1).then(|| rest[0]);
        let noun = match self.segs.last() {
            Some(Seg::Field(name)) => singular(name),
            _ => "item".into(),
        };
        let ok = self.keyed(Side::Old, o, &keys);
        let nk = self.keyed(Side::New, n, &keys);
        let mut matched = vec![false; ok.len()];
        for (key, nid) in &nk {
            self.segs.push(Seg::Item {
                noun: noun.clone(),
                key: key.clone(),
                omit,
            });
            match ok.iter().position(|(k, _)| k == key) {
                Some(i) => {
                    matched[i] = true;
                    self.walk(Some(ok[i].1), Some(*nid), item);
                }
                None => {
                    let v = self.summary(Side::New, *nid, &keys, omit);
                    self.emit(None, Some(v));
                }
            }
            self.segs.pop();
        }
        for ((key, oid), m) in ok.iter().zip(&matched) {
            if *m {
                continue;
            }
            self.segs.push(Seg::Item {
                noun: noun.clone(),
                key: key.clone(),
                omit,
            });
            let v = self.summary(Side::Old, *oid, &keys, omit);
            self.emit(Some(v), None);
            self.segs.pop();
        }
    }

    /// Each item with its key; a key seen before in the same list gets `#2`, `#3`...
    fn keyed(&self, s: Side, items: &[NodeId], keys: &[&str]) -> Vec<(String, NodeId)> {
        let doc = self.doc(s);
        let mut out: Vec<(String, NodeId)> = Vec::new();
        for (i, &id) in items.iter().enumerate() {
            let parts: Vec<String> = keys
                .iter()
                .filter_map(|k| doc.get(id, k))
                .map(|c| match self.shown(s, c) {
                    Shown::Date(d) => d.iso(),
                    other => short(&other.to_string(), 80),
                })
                .filter(|p| !p.is_empty())
                .collect();
            let base = if parts.is_empty() {
                format!("#{}", i + 1)
            } else {
                parts.join(" ")
            };
            let mut key = base.clone();
            let mut n = 1;
            while out.iter().any(|(k, _)| *k == key) {
                n += 1;
                key = format!("{base} #{n}");
            }
            out.push((key, id));
        }
        out
    }

    /// What a whole item added or removed is shown as: its only field besides the key (a
    /// contribution's amount), else its name, description or item, and its date.
    fn summary(&self, s: Side, id: NodeId, keys: &[&str], omit: Option<&str>) -> Shown {
        let doc = self.doc(s);
        if let Some(f) = omit {
            return match doc.get(id, f) {
                Some(c) => self.shown(s, c),
                None => Shown::Item(String::new()),
            };
        }
        let mut parts = Vec::new();
        for f in ["name", "description", "item", "reason"] {
            if !keys.contains(&f) {
                if let Some(c) = doc.get(id, f) {
                    parts.push(short(&self.shown(s, c).to_string(), 70));
                    break;
                }
            }
        }
        for f in ["date", "by", "expires"] {
            if !keys.contains(&f) {
                if let Some(c) = doc.get(id, f) {
                    parts.push(self.shown(s, c).to_string());
                }
            }
        }
        Shown::Item(parts.join(", "))
    }

    /// Lists of words or text: compared as collections, so reordering is not a change.
    fn scalar_list(&mut self, o: &[NodeId], n: &[NodeId]) {
        let os: Vec<Shown> = o.iter().map(|&i| self.shown(Side::Old, i)).collect();
        let ns: Vec<Shown> = n.iter().map(|&i| self.shown(Side::New, i)).collect();
        let mut used = vec![false; os.len()];
        let mut added = Vec::new();
        for v in &ns {
            match (0..os.len()).find(|&i| !used[i] && os[i].same(v)) {
                Some(i) => used[i] = true,
                None => added.push(v.clone()),
            }
        }
        for (v, u) in os.iter().zip(&used) {
            if !u {
                self.emit(Some(v.clone()), None);
            }
        }
        for v in added {
            self.emit(None, Some(v));
        }
    }

    fn map(&mut self, o: Option<NodeId>, n: Option<NodeId>, inner: &'static Ty) {
        let pairs = |s: Side, id: Option<NodeId>| -> Vec<(String, NodeId)> {
            match id.map(|i| self.value(s, i)) {
                Some(Value::Map(es)) => es
                    .iter()
                    .map(|&(k, v)| (self.shown(s, k).to_string(), v))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let op = pairs(Side::Old, o);
        let np = pairs(Side::New, n);
        for (k, nv) in &np {
            let ov = op.iter().find(|(ok, _)| ok == k).map(|&(_, v)| v);
            self.segs.push(Seg::Key(k.clone()));
            self.walk(ov, Some(*nv), inner);
            self.segs.pop();
        }
        for (k, ov) in &op {
            if !np.iter().any(|(nk, _)| nk == k) {
                self.segs.push(Seg::Key(k.clone()));
                self.walk(Some(*ov), None, inner);
                self.segs.pop();
            }
        }
    }

    fn leaf(&mut self, o: Option<NodeId>, n: Option<NodeId>) {
        let os = o.map(|i| self.shown(Side::Old, i));
        let ns = n.map(|i| self.shown(Side::New, i));
        let same = match (&os, &ns) {
            (Some(a), Some(b)) => a.same(b),
            (None, None) => true,
            _ => false,
        };
        if !same {
            self.emit(os, ns);
        }
    }

    fn shown(&self, s: Side, id: NodeId) -> Shown {
        let doc = self.doc(s);
        match &doc.node(id).value {
            Value::Invalid => Shown::Unreadable(self.raw(s, id)),
            Value::Placeholder(p) => Shown::Placeholder(p.clone()),
            Value::Text(t) => Shown::Text(t.clone()),
            Value::Word(w) => Shown::Word((*w).to_string()),
            Value::Bool(b) => Shown::Bool(*b),
            Value::Number(x) => Shown::Number(*x),
            Value::Date(d) => Shown::Date(*d),
            Value::Money(m) => Shown::Money(*m),
            Value::Percent(p) => Shown::Percent(*p),
            Value::Year(y) => Shown::Year(*y),
            Value::Ref { id, .. } => Shown::Word(id.clone()),
            Value::List(items) => Shown::Item(
                items
                    .iter()
                    .map(|&i| self.shown(s, i).to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Value::Record { entries, .. } => Shown::Item(
                entries
                    .iter()
                    .map(|&(k, v)| format!("{k} {}", self.shown(s, v)))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Value::Map(es) => Shown::Item(
                es.iter()
                    .map(|&(k, v)| format!("{} {}", self.shown(s, k), self.shown(s, v)))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        }
    }

    fn emit(&mut self, old: Option<Shown>, new: Option<Shown>) {
        let kind = match (&old, &new) {
            (None, _) => Kind::Added,
            (_, None) => Kind::Removed,
            _ => Kind::Changed,
        };
        let mut path = String::new();
        let mut fields: Vec<&str> = Vec::new();
        for s in &self.segs {
            match s {
                Seg::Field(f) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(f);
                    fields.push(f);
                }
                Seg::Item { key, .. } => path.push_str(&format!("[{key}]")),
                Seg::Key(k) => path.push_str(&format!(".{k}")),
            }
        }
        let field_path = fields.join(".");
        // A change inside a pool or scheme is grouped under it and labelled from there on.
        let (group, from) = match (self.segs.first(), self.segs.get(1)) {
            (Some(Seg::Field("pools")), Some(Seg::Item { key, .. })) => {
                (Group::Pool(key.clone()), 2)
            }
            (Some(Seg::Field("schemes")), Some(Seg::Item { key, .. })) => {
                (Group::Scheme(key.clone()), 2)
            }
            _ => (Group::Agreement, 0),
        };
        // A whole pool or scheme added or removed is labelled as itself ("pool BCF").
        let label = match label(&self.segs[from..]) {
            l if l.is_empty() => label(&self.segs),
            l => l,
        };
        let texts = match (&old, &new) {
            (Some(Shown::Text(o)), Some(Shown::Text(n))) => Some((o.as_str(), n.as_str())),
            _ => None,
        };
        let words = texts.map_or_else(Vec::new, |(o, n)| words::diff(o, n));
        let class = classify::classify(&field_path, texts);
        let in_summary = money::SUMMARISED
            .iter()
            .any(|p| field_path == *p || field_path.starts_with(&format!("{p}.")));
        self.out.push(Change {
            path,
            field_path,
            group,
            label,
            kind,
            old,
            new,
            words,
            class,
            in_summary,
        });
    }
}

/// A change's place in words: `contribution icb 2025-26`, `risk share overspend icb`.
fn label(segs: &[Seg]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (i, s) in segs.iter().enumerate() {
        match s {
            Seg::Field(f) => {
                // A list's items name themselves ("contribution icb 2025-26"), and a key's
                // only other field goes without saying.
                let next_is_item = matches!(segs.get(i + 1), Some(Seg::Item { .. }));
                let omitted = matches!(i.checked_sub(1).and_then(|j| segs.get(j)),
                    Some(Seg::Item { omit: Some(o), .. }) if o == f);
                if !next_is_item && !omitted {
                    parts.push(f.replace('_', " "));
                }
            }
            Seg::Item { noun, key, .. } => parts.push(format!("{noun} {key}")),
            Seg::Key(k) => parts.push(k.clone()),
        }
    }
    parts.join(" ")
}
