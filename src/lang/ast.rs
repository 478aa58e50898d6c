//! The syntax tree of a rule file. Built by `parse`, annotated in place by `validate` (variable
//! slots, static types), read by `eval`.

use super::functions::Function;
use super::needles::{self, Word};
use crate::severity::Severity;
use crate::span::Span;
use std::sync::Arc;

/// One rule as written in a rule file.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Rule {
    /// Stable id, e.g. `S75-HOST`.
    pub id: String,
    /// Where the id is written.
    pub id_span: Span,
    /// One-line title.
    pub title: String,
    /// Default severity.
    pub severity: Severity,
    /// Severity overrides that apply when their condition holds (first match wins).
    pub severity_when: Vec<(Severity, Expr)>,
    /// Conditions on the agreement for the rule to run at all (all must hold).
    pub applies: Vec<Expr>,
    /// The applicability as written, for docs (`legal_basis: section_75, care_trust`).
    pub applies_text: Vec<String>,
    /// Citations of the law or guidance; shared by every finding of the rule.
    pub citations: Arc<[String]>,
    /// How to fix a finding; shared by every finding of the rule.
    pub help: Option<Arc<str>>,
    /// Why the rule matters.
    pub why: Option<String>,
    /// Named examples (`example "name" passes|fails """yaml"""`).
    pub examples: Vec<Example>,
    /// The check.
    pub body: Vec<Stmt>,
    /// Number of variable slots the body needs (set by validation).
    pub slots: usize,
    /// Index of the rule file this rule came from (in the rule set).
    pub file: usize,
    /// Span of the whole rule in its file.
    pub span: Span,
}

/// An example agreement carried inside a rule.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Example {
    /// Its name.
    pub name: String,
    /// True when the rule must find nothing in it.
    pub passes: bool,
    /// The YAML text.
    pub yaml: String,
    /// Where the YAML text is in the rule file (the raw text between the `"""`).
    pub span: Span,
    /// The shipped base agreement the example is merged over (`using section_256`), and where
    /// that word is written; `None` for the default base.
    pub base: Option<(String, Span)>,
}

/// A statement of a rule's check.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Stmt {
    /// `for each x in list [where cond]`, with the statements indented under it.
    ForEach {
        var: Ident,
        coll: Expr,
        filter: Option<Expr>,
        body: Vec<Stmt>,
    },
    /// `if cond`, with the statements indented under it.
    If { cond: Expr, body: Vec<Stmt> },
    /// `let name = value`.
    Let { var: Ident, value: Expr },
    /// `require cond otherwise "message" [at path, also path "label"]`.
    Require(Box<Require>),
}

/// A requirement and what to report when it does not hold.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Require {
    /// The condition that must hold.
    pub cond: Expr,
    /// The message, with `{expr}` holes.
    pub message: Template,
    /// Where the finding points; the current `for each` item when absent.
    pub at: Option<Expr>,
    /// Further labelled places.
    pub also: Vec<(Expr, Option<String>)>,
    /// Span of the `require` statement.
    pub span: Span,
}

/// A message with holes: `pool {pool.id} names no host`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Template {
    /// Literal text and expressions in order.
    pub parts: Vec<Part>,
}

/// A piece of a message template.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Part {
    /// Literal text.
    Text(String),
    /// A value to show.
    Expr(Expr),
}

/// A name with its place in the rule file.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it is written.
    pub span: Span,
    /// Variable slot (set by validation).
    pub slot: usize,
}

/// An expression with its place in the rule file.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is written.
    pub span: Span,
}

/// Comparison operators; the English forms map onto these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Cmp {
    /// `=`, `is`
    Eq,
    /// `!=`, `is not`
    Ne,
    /// `<`, `before`, `less than`
    Lt,
    /// `<=`, `on or before`, `at most`
    Le,
    /// `>`, `after`, `more than`
    Gt,
    /// `>=`, `on or after`, `at least`
    Ge,
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Arith {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `+` between lists (decided by validation): the items of both, one after the other.
    Concat,
}

/// `sum` or `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AggKind {
    /// `sum of`
    Sum,
    /// `count of`
    Count,
    /// `earliest of` (dates) or the smallest value.
    Earliest,
    /// `latest of` (dates) or the largest value.
    Latest,
    /// `list of`: the items selected (or the values projected), as a list.
    List,
}

/// `any`, `all` or `no`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Quant {
    /// Some item satisfies the condition.
    Any,
    /// Every item does.
    All,
    /// None does.
    No,
}

/// Units of a duration literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Unit {
    /// Days.
    Days,
    /// Calendar months.
    Months,
    /// Calendar years.
    Years,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Lit {
    /// `"text"`
    Text(String),
    /// `12`, `12.5`
    Number(f64),
    /// `£1,200,000`
    Money(crate::agreement::values::Money),
    /// `40%`
    Percent(f64),
    /// `2025-04-01`
    Date(crate::agreement::values::Date),
    /// `90 days`
    Duration(i64, Unit),
    /// `true` / `false`
    Bool(bool),
}

/// Where a path starts (resolved by validation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Root {
    /// Not yet resolved.
    Unresolved,
    /// A `for each` / `let` / quantifier variable.
    Var(usize),
    /// A top-level field of the agreement (the first segment names it).
    Agreement,
    /// `today`.
    Today,
    /// `placeholders`: every piece of placeholder text in the agreement.
    Placeholders,
}

/// A dotted path such as `pool.pool_manager.partner`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Path {
    /// Segments with their spans; the first names a variable, a top-level field or a built-in.
    pub segs: Vec<(String, Span)>,
    /// Resolved start.
    pub root: Root,
    /// What the path reads when the field it ends at is absent: the field's `default` in the
    /// field table (set by validation), such as `section_75` for `legal_basis`.
    pub default: Option<String>,
}

/// Expression forms.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum ExprKind {
    /// `a or b or c`
    Or(Vec<Expr>),
    /// `a and b`
    And(Vec<Expr>),
    /// `not a`
    Not(Box<Expr>),
    /// `x is present`
    Present(Box<Expr>),
    /// `x is absent`
    Absent(Box<Expr>),
    /// `x matches "regex" [except "regex"]`: the text matches the first pattern once
    /// whatever matches the second is taken out.
    Matches(Box<Expr>, Box<Pattern>, Option<Box<Pattern>>),
    /// `x is unreadable`: the value failed to load (a `FMT-` finding reports it).
    Unreadable(Box<Expr>),
    /// `x is a placeholder`: text such as `TBC` standing in for something not yet agreed.
    Placeholder(Box<Expr>),
    /// `list contains x` / `text contains "word"`
    Contains {
        /// The list or text looked in.
        whole: Box<Expr>,
        /// The item or text looked for.
        part: Box<Expr>,
    },
    /// `x in list` / `x not in list`: [`ExprKind::Contains`] written the other way round.
    In {
        /// The item or text looked for.
        part: Box<Expr>,
        /// The list or text looked in.
        whole: Box<Expr>,
        /// True for `not in`.
        negated: bool,
    },
    /// Comparisons.
    Compare(Cmp, Box<Expr>, Box<Expr>),
    /// Arithmetic.
    Arith(Arith, Box<Expr>, Box<Expr>),
    /// `-x`
    Neg(Box<Expr>),
    /// A literal.
    Lit(Lit),
    /// `(a, b, c)` or `[a, b]`
    List(Vec<Expr>),
    /// A path, optionally indexed by a map key: `pool.pooled_total[entry.year]`.
    Path(Path, Option<Box<Expr>>),
    /// `sum of ...` / `count of ...`
    Agg {
        /// Sum or count.
        kind: AggKind,
        /// What is summed for each item (`c.amount` in `sum of c.amount for each c in ...`).
        project: Option<Box<Expr>>,
        /// The bound variable, if any.
        var: Option<Ident>,
        /// The collection.
        coll: Box<Expr>,
        /// The filter.
        filter: Option<Box<Expr>>,
        /// What an empty sum is zero of (set by validation).
        zero: Zero,
    },
    /// `any|all|no x in list where cond`
    Quant {
        kind: Quant,
        var: Ident,
        coll: Box<Expr>,
        cond: Box<Expr>,
    },
    /// `first x in list where cond`
    First {
        var: Ident,
        coll: Box<Expr>,
        cond: Box<Expr>,
    },
    /// `keys of map`
    Keys(Box<Expr>),
    /// `name(args)`
    Call {
        /// The name as written.
        name: String,
        /// Where the name is written.
        name_span: Span,
        /// The arguments.
        args: Vec<Expr>,
        /// The built-in function the name names (set by validation; `None` before, or when
        /// there is no such function).
        function: Option<Function>,
        /// For each argument, its pattern when the function takes one there (set by
        /// validation, which requires it written out): compiled once per run, not per call.
        #[serde(default)]
        patterns: Vec<Option<Pattern>>,
    },
}

/// The kind of zero an empty `sum of` yields, so it prints as `£0`, `0%` or `0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Zero {
    /// A plain number.
    #[default]
    Number,
    /// Money.
    Money,
    /// A percent.
    Percent,
}

/// A regular expression from a rule file: kept as written, compiled when first needed.
///
/// A pattern is checked when its rule file is parsed (the shipped rules at build time), and the
/// words one of which its every match contains are read off it then (see `lang::needles`).
/// It is compiled for matching only when a rule first gives it a text holding one of them:
/// checking an agreement that names no excluded treatment compiles none of the ten patterns
/// that look for them. It is compiled without the regex crate's literal prefilter, which for a
/// case-insensitive list of words cost about six times the rest of compiling it (1.5 ms, more
/// than loading an agreement).
#[derive(Clone)]
pub struct Pattern {
    source: String,
    /// Words one of which every match in ASCII text contains: a text without any is not
    /// searched. `None` when the pattern has no such words (`\w+`).
    words: Option<Box<[Word]>>,
    compiled: std::sync::OnceLock<Option<regex_automata::meta::Regex>>,
}

/// Patterns larger than this once compiled are refused, so a rule can take neither all memory
/// nor minutes per value: a big counted repetition (`(a|b){5000}`) compiles to a machine so
/// large that matching falls back to a slow simulation (93 s on a 200 KB value). The shipped
/// rules' largest pattern is far below it.
pub(crate) const PATTERN_SIZE_LIMIT: usize = 64 * 1024;

impl Pattern {
    /// Checks a pattern, or says why it is not a valid regular expression (one line).
    pub fn new(source: &str) -> Result<Pattern, String> {
        let checked = Pattern::parse(source).and_then(|hir| {
            let words = needles::of(&hir);
            Pattern::build(&hir).map(|re| (words, re))
        });
        let (words, re) = checked.map_err(|e| {
            let full = match e {
                CompileError::Build(e) if e.size_limit().is_some() => {
                    return format!(
                        "it is too large once compiled (over {} KB; a counted repetition such \
                         as `{{1000}}` copies what it repeats that many times); make it smaller",
                        PATTERN_SIZE_LIMIT / 1024
                    );
                }
                CompileError::Syntax(e) => e.to_string(),
                CompileError::Build(e) => match e.syntax_error() {
                    Some(syntax) => syntax.to_string(),
                    None => e.to_string(),
                },
            };
            full.lines().last().unwrap_or("").to_string()
        })?;
        Ok(Pattern {
            source: source.to_string(),
            words,
            compiled: std::sync::OnceLock::from(Some(re)),
        })
    }

    /// The syntax tree, with the settings the regex builder parses with.
    fn parse(source: &str) -> Result<regex_syntax::hir::Hir, CompileError> {
        regex_automata::util::syntax::parse(source).map_err(|e| CompileError::Syntax(Box::new(e)))
    }

    fn build(hir: &regex_syntax::hir::Hir) -> Result<regex_automata::meta::Regex, CompileError> {
        use regex_automata::meta;
        meta::Builder::new()
            .configure(
                meta::Config::new()
                    .auto_prefilter(false)
                    // Only where a match is, never its groups: no capture states to compile,
                    // and no one-pass DFA (built for anchored searches and groups only).
                    .which_captures(regex_automata::nfa::thompson::WhichCaptures::Implicit)
                    .onepass(false)
                    .nfa_size_limit(Some(PATTERN_SIZE_LIMIT)),
            )
            .build_from_hir(hir)
            .map_err(|e| CompileError::Build(Box::new(e)))
    }

    /// The pattern as written.
    pub(crate) fn source(&self) -> &str {
        &self.source
    }

    /// The compiled expression, for a text that may match (see [`Pattern::may_match`]).
    /// `None` only if a pattern that was valid when its rule file was checked no longer
    /// compiles (a different regex version between build and run).
    fn regex(&self) -> Option<&regex_automata::meta::Regex> {
        self.compiled
            .get_or_init(|| {
                Pattern::parse(&self.source)
                    .and_then(|hir| Pattern::build(&hir))
                    .ok()
            })
            .as_ref()
    }

    /// False when `text` cannot hold a match: it is ASCII and holds none of the words.
    fn may_match(&self, text: &str) -> bool {
        self.words
            .as_deref()
            .is_none_or(|w| needles::may_match(w, text))
    }

    /// Whether the pattern matches somewhere in `text`; `None` if it does not compile (see
    /// [`Pattern::regex`]).
    pub(crate) fn is_match(&self, text: &str) -> Option<bool> {
        if !self.may_match(text) {
            return Some(false);
        }
        Some(self.regex()?.is_match(text))
    }

    /// The first match in `text`, as a byte range; `None` if it does not compile.
    pub(crate) fn find(&self, text: &str) -> Option<Option<std::ops::Range<usize>>> {
        if !self.may_match(text) {
            return Some(None);
        }
        Some(self.regex()?.find(text).map(|m| m.range()))
    }
}

/// Why a pattern did not compile.
enum CompileError {
    Syntax(Box<regex_syntax::Error>),
    Build(Box<regex_automata::meta::BuildError>),
}

/// `text` with every match of `re` replaced by a space (`matches ... except ...`); the text
/// itself, not a copy, when nothing matches (the usual case). `None` if the pattern does not
/// compile.
pub(crate) fn blank_out<'t>(re: &Pattern, text: &'t str) -> Option<std::borrow::Cow<'t, str>> {
    if !re.is_match(text)? {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in re.regex()?.find_iter(text) {
        out.push_str(text.get(last..m.start()).unwrap_or(""));
        out.push(' ');
        last = m.end();
    }
    out.push_str(text.get(last..).unwrap_or(""));
    Some(std::borrow::Cow::Owned(out))
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// A pattern as the shipped rules are stored (build.rs): as written, with its words, so
/// loading them neither parses nor compiles any pattern.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredPattern {
    source: String,
    words: Option<Vec<Vec<u8>>>,
}

impl serde::Serialize for Pattern {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        StoredPattern {
            source: self.source.clone(),
            words: self
                .words
                .as_ref()
                .map(|ws| ws.iter().map(|w| w.bytes().to_vec()).collect()),
        }
        .serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Pattern {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Pattern, D::Error> {
        let stored = StoredPattern::deserialize(d)?;
        Ok(Pattern {
            source: stored.source,
            words: stored
                .words
                .map(|ws| ws.into_iter().map(Word::new).collect()),
            compiled: std::sync::OnceLock::new(),
        })
    }
}
