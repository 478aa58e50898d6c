//! From YAML tree to typed agreement, guided by the field table. Every problem in the file
//! becomes a `FMT-` finding at the exact span; the value concerned is stored as
//! [`Value::Invalid`] so rules neither see it as present nor as missing.

use super::doc::UnknownKey;
use super::doc::{Doc, Node, NodeId, Seg, Value};
use super::schema::{self, Field, RefKind, Ty};
use super::slips;
use super::values::{self, Date, Money, Year};
use super::yaml::{self, Span, YamlNode, YamlValue};
use crate::builtin_rules::{
    FMT_DUPLICATE_ID, FMT_DUPLICATE_KEY, FMT_NOT_AGREEMENT, FMT_TYPE, FMT_UNKNOWN_KEY,
    FMT_UNKNOWN_REF, FMT_VERSION, FMT_YAML,
};
use crate::finding::{Finding, MAX_FINDINGS_PER_FILE};
use crate::suggest::did_you_mean;
use std::collections::HashMap;

/// What loading one file produced.
#[derive(Debug)]
pub enum Loaded {
    /// An agreement, with any format findings.
    Agreement(Doc, Vec<Finding>),
    /// Not an agreement (no `s75lint` key); the reason says why, for a note.
    NotAgreement(String),
    /// Not YAML at all: the `FMT-YAML` finding says where. Whether that makes it a broken
    /// agreement or someone else's broken file is for the caller to tell (by the marker).
    NotYaml(Finding),
    /// An agreement that could not be loaded at all (agreement-like YAML without the
    /// `s75lint` key when named explicitly, or written as an item of a list); nothing else is
    /// checked.
    Failed(Vec<Finding>),
}

/// Loads agreement text. `explicit` is true when the file was named on the command line:
/// agreement-like YAML without `s75lint` is then an error rather than silently skipped.
pub fn load(src: &str, explicit: bool) -> Loaded {
    let (mut tree, yaml_nodes) = match yaml::parse_counted(src) {
        Ok(Some(t)) => t,
        Ok(None) => return Loaded::NotAgreement("the file holds no YAML document".into()),
        Err(e) => {
            // In plain words, at the slip, with the fix (see `yaml::explain`).
            let x = yaml::explain(src, &e);
            let f = Finding::of(
                &FMT_YAML,
                format!("this is not valid YAML: {}", x.message),
                x.span,
            )
            .with_label(x.label)
            .with_help(x.help);
            return Loaded::NotYaml(f);
        }
    };
    let YamlValue::Map(entries) = &tree.value else {
        // `- s75lint: 1` (the agreement indented as a list item) carries the marker but would
        // otherwise be skipped as "not an agreement", silently passing a CI gate.
        if let YamlValue::Seq(items) = &tree.value {
            let marked = items.iter().find(|it| {
                matches!(&it.value, YamlValue::Map(es) if es.iter().any(|(k, _)|
                    matches!(&k.value, YamlValue::Scalar { value, .. } if value == "s75lint")))
            });
            if let Some(item) = marked {
                let f = Finding::of(
                    &FMT_NOT_AGREEMENT,
                    "the agreement is written as an item of a list, so it would not be checked"
                        .into(),
                    item.span,
                )
                .with_label("agreement inside a list")
                .with_help(
                    "Remove the leading `- ` so that `s75lint: 1` and the other keys start at the beginning of their lines.",
                );
                return Loaded::Failed(vec![f]);
            }
        }
        return Loaded::NotAgreement("the top level is not a mapping of keys and values".into());
    };
    let has = |k: &str| {
        entries
            .iter()
            .any(|(key, _)| matches!(&key.value, YamlValue::Scalar { value, .. } if value == k))
    };
    if !has("s75lint") {
        if explicit && (has("partners") || has("legal_basis")) {
            let f = Finding::of(
                &FMT_NOT_AGREEMENT,
                "this looks like an agreement but has no `s75lint` key, so it would not be checked"
                    .into(),
                tree.span,
            )
            .with_label("agreement without `s75lint: 1`")
            .with_help(
                "Add `s75lint: 1` as the first line to mark the file as a version 1 agreement.",
            );
            return Loaded::Failed(vec![f]);
        }
        return Loaded::NotAgreement("it has no `s75lint` key".into());
    }
    let mut l = Loader {
        src,
        about: Vec::new(),
        // Each loaded node stands for a distinct YAML node, so this (nearly) never grows:
        // growing copied the whole array each time.
        doc: Doc {
            nodes: Vec::with_capacity(yaml_nodes),
            ..Doc::default()
        },
        findings: Vec::new(),
        refs: Vec::new(),
    };
    l.value(&mut tree, &schema::ROOT, None, Seg::Root, None, "agreement");
    l.resolve_refs();
    l.locate();
    Loaded::Agreement(l.doc, l.findings)
}

struct Loader<'s> {
    /// The text, for slips that only the text as written shows (a ` #` read as a comment).
    src: &'s str,
    doc: Doc,
    /// The node each finding is about, in step with `findings`.
    about: Vec<NodeId>,
    findings: Vec<Finding>,
    refs: Vec<NodeId>,
}

/// Says which character of `text` deceives, and where: `the id `exc` holds U+200B ZERO
/// WIDTH SPACE at character 3`.
pub(crate) fn deceiving_message(what: &str, text: &str, at: usize, c: char) -> String {
    let position = text.get(..at).map_or(0, |t| t.chars().count()) + 1;
    format!(
        "{what} `{}` holds {} at character {position}; it looks like plain text on screen but does not match it",
        shown(text),
        crate::chars::describe(c)
    )
}

/// Shows a scalar in a message, shortened.
fn shown(s: &str) -> String {
    let t = s.trim();
    if t.chars().count() > 40 {
        format!("{}…", t.chars().take(40).collect::<String>())
    } else {
        t.to_string()
    }
}

fn found(y: &YamlNode) -> String {
    match &y.value {
        YamlValue::Scalar { value, .. } if value.is_empty() => "nothing".into(),
        YamlValue::Scalar { value, .. } => format!("`{}`", shown(value)),
        YamlValue::Seq(_) => "a list".into(),
        YamlValue::Map(_) => "a group of fields".into(),
    }
}

fn is_null(y: &YamlNode) -> bool {
    matches!(&y.value, YamlValue::Scalar { value, plain: true } if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
}

impl Loader<'_> {
    fn push(
        &mut self,
        span: Span,
        key_span: Option<Span>,
        parent: Option<NodeId>,
        seg: Seg,
    ) -> NodeId {
        let id = self.doc.nodes.len() as NodeId;
        self.doc.nodes.push(Node {
            span,
            key_span,
            parent,
            seg,
            value: Value::Invalid,
        });
        id
    }

    /// True once findings are no longer kept (see [`Loader::report`]).
    fn full(&self) -> bool {
        self.findings.len() > MAX_FINDINGS_PER_FILE
    }

    /// Adds a finding about node `at`. Its location is worked out once the whole agreement is
    /// loaded, so that an item is named by its id (`schemes[HLDP]`) even when the finding is
    /// about a key written before the `id`. Past [`MAX_FINDINGS_PER_FILE`] findings are dropped
    /// (checking the file then stops with a finding saying so); the one added is returned, to
    /// finish it.
    fn report(&mut self, f: Finding, at: NodeId) -> Option<&mut Finding> {
        if self.full() {
            return None;
        }
        self.about.push(at);
        self.findings.push(f);
        self.findings.last_mut()
    }

    /// Sets every finding's location (see [`Loader::report`]). A location already set is a
    /// step below the node (an unknown key's own name) and is kept after the node's path.
    fn locate(&mut self) {
        for (f, &at) in self.findings.iter_mut().zip(&self.about) {
            let base = self.doc.location(at);
            f.location = match (base.is_empty(), f.location.is_empty()) {
                (_, true) => base,
                (true, false) => std::mem::take(&mut f.location),
                (false, false) => format!("{base}.{}", f.location),
            };
        }
    }

    fn type_error(&mut self, y: &YamlNode, ty: &Ty, name: &str, at: NodeId) {
        let (message, help) = match &y.value {
            YamlValue::Scalar { value, .. }
                if values::is_placeholder(value) && !value.trim().is_empty() =>
            {
                (
                    format!("`{name}` is still a placeholder ({})", found(y)),
                    format!("Replace the placeholder with {}.", ty.describe()),
                )
            }
            YamlValue::Scalar { value, .. }
                if values::inside_curly_quotes(value).is_some() && !matches!(ty, Ty::Text) =>
            {
                let inner = values::inside_curly_quotes(value).unwrap_or_default();
                let straight = match ty {
                    Ty::Money => format!("\"{}\"", inner),
                    _ => inner.to_string(),
                };
                (
                    format!("`{name}` has curly quotes around it (‘ ’ or “ ”), as a word processor types them, so they are read as part of the value"),
                    format!("Use straight quotes, or none: `{name}: {straight}`."),
                )
            }
            YamlValue::Scalar { value, .. } if matches!(ty, Ty::Date) && values::date_hint(value).is_some() => {
                let (why, meant) = values::date_hint(value).unwrap_or_default();
                let help = match meant {
                    Some(d) => format!("Write it as `{name}: {}` ({d}).", d.iso()),
                    None => format!("Write {}.", ty.describe()),
                };
                (
                    format!("`{name}` cannot be read as a date, found {}: {why}", found(y)),
                    help,
                )
            }
            YamlValue::Scalar { value, .. } if matches!(ty, Ty::Money) => {
                let help = match values::money_hint(value) {
                    Some((why, fixed)) => format!("Write `{name}: {fixed}` ({why})."),
                    None => format!("Write {}.", ty.describe()),
                };
                (
                    format!("`{name}` must be {}, found {}", ty.describe(), found(y)),
                    format!("{help} Amounts are accepted as 1500000, 1500000.50, \"£1,500,000\", \"£1,500,000.50\", \"£1.5m\", \"£850k\" or \"£1.2bn\"."),
                )
            }
            YamlValue::Scalar { value, .. } if matches!(ty, Ty::Record(_) | Ty::List(_)) => (
                format!("`{name}` must be {}, found {}", ty.describe(), found(y)),
                shape_help(name, ty, value),
            ),
            YamlValue::Seq(_) if matches!(ty, Ty::Record(_)) => (
                format!("`{name}` must be {}, found {}", ty.describe(), found(y)),
                format!("Remove the `- ` before the keys under `{name}:`, so they form one group of fields."),
            ),
            YamlValue::Scalar { value, .. } => {
                let mut help = format!("Write {}.", ty.describe());
                if let Ty::Word(words) = ty {
                    let near = (value.len() <= MAX_SUGGEST_LEN && !self.full())
                        .then(|| did_you_mean(value, words.iter().copied()))
                        .flatten();
                    if let Some(s) = near {
                        help = format!("Did you mean `{s}`? Allowed: {}.", words.join(", "));
                    }
                }
                (
                    format!("`{name}` must be {}, found {}", ty.describe(), found(y)),
                    help,
                )
            }
            _ => (
                format!("`{name}` must be {}, found {}", ty.describe(), found(y)),
                format!("Write {}.", ty.describe()),
            ),
        };
        let f = Finding::of(&FMT_TYPE, message, y.span)
            .with_label(format!("expected {}", ty.describe()))
            .with_help(help);
        self.report(f, at);
    }

    /// Loads `y` as a value of type `ty` and returns its node.
    fn value(
        &mut self,
        y: &mut YamlNode,
        ty: &'static Ty,
        parent: Option<NodeId>,
        seg: Seg,
        key_span: Option<Span>,
        name: &str,
    ) -> NodeId {
        let id = self.push(y.span, key_span, parent, seg);
        let v = self.typed(y, ty, id, name);
        self.doc.nodes[id as usize].value = v;
        id
    }

    /// Loads `y` as a value of type `ty`. Text, ids and collections are moved out of `y` rather
    /// than copied (the YAML tree is dropped after loading), so `y` must not be read again
    /// except for its span.
    fn typed(&mut self, y: &mut YamlNode, ty: &'static Ty, id: NodeId, name: &str) -> Value {
        let span = y.span;
        match (ty, &mut y.value) {
            (Ty::Text | Ty::RuleId, YamlValue::Scalar { value, plain }) => {
                if *plain && *ty == Ty::Text {
                    if let Some(at) = slips::cut_by_comment(self.src, span) {
                        self.comment_slip(name, value, at, id);
                        return Value::Invalid;
                    }
                }
                let s = std::mem::take(value);
                return if values::is_placeholder(&s) {
                    self.doc.placeholders.push(id);
                    Value::Placeholder(s)
                } else {
                    Value::Text(s)
                };
            }
            // Placeholder text in a reference is a format error (reported by `type_error`), not
            // an unknown reference as well. Asked here only, not of every scalar.
            (Ty::Ref(kind), YamlValue::Scalar { value, .. })
                if !values::is_placeholder(value) || value.trim().is_empty() =>
            {
                self.refs.push(id);
                let trimmed = values::trim(value);
                let text = if trimmed.len() == value.len() {
                    std::mem::take(value)
                } else {
                    trimmed.to_string()
                };
                return Value::Ref {
                    kind: *kind,
                    id: text,
                    target: None,
                };
            }
            (Ty::List(item), YamlValue::Seq(items)) => {
                if matches!(item, Ty::Record(_)) {
                    let mut split = Vec::with_capacity(items.len());
                    for it in std::mem::take(items) {
                        self.split_run_together(it, id, &mut split);
                    }
                    *items = split;
                }
                let mut out = Vec::with_capacity(items.len());
                for (i, it) in items.iter_mut().enumerate() {
                    if is_null(it) {
                        let f = Finding::of(
                            &FMT_TYPE,
                            format!("an item of `{name}` is empty"),
                            it.span,
                        )
                        .with_label("empty item")
                        .with_help("Remove the empty `-` or write the item.");
                        self.report(f, id);
                        continue;
                    }
                    out.push(self.value(it, item, Some(id), Seg::Index(i as u32), None, name));
                }
                return Value::List(out);
            }
            (Ty::Record(fields), YamlValue::Map(entries)) => {
                return self.record(entries, fields, id)
            }
            _ => {}
        }
        let scalar = match &y.value {
            YamlValue::Scalar { value, plain } => Some((value.as_str(), *plain)),
            _ => None,
        };
        let parsed: Option<Value> = match (ty, scalar) {
            (Ty::Word(words), Some((s, _))) => {
                words.iter().find(|w| **w == s).map(|w| Value::Word(w))
            }
            (Ty::Bool, Some((s, true))) => match s {
                "true" | "True" | "TRUE" => Some(Value::Bool(true)),
                "false" | "False" | "FALSE" => Some(Value::Bool(false)),
                _ => None,
            },
            (Ty::Number, Some((s, _))) => values::parse_number(s).map(Value::Number),
            (Ty::Date, Some((s, _))) => Date::parse_iso(values::trim(s)).map(Value::Date),
            (Ty::Money, Some((s, _))) => Money::parse(s).map(Value::Money),
            (Ty::Percent, Some((s, _))) => values::parse_percent(s).map(Value::Percent),
            (Ty::Year, Some((s, _))) => Year::parse(values::trim(s)).map(Value::Year),
            (Ty::Version, Some((s, _))) => {
                if values::trim(s) == "1" {
                    Some(Value::Number(1.0))
                } else {
                    let f = Finding::of(
                        &FMT_VERSION,
                        format!("agreement format version {} is not supported; this s75lint reads version 1", found(y)),
                        y.span,
                    )
                    .with_label("unsupported version")
                    .with_help(FMT_VERSION.help);
                    self.report(f, id);
                    return Value::Invalid;
                }
            }
            (Ty::NoneOr(inner), _) => {
                if scalar.is_some_and(|(s, _)| values::trim(s) == "none") {
                    Some(Value::Word("none"))
                } else {
                    return self.typed(y, inner, id, name);
                }
            }
            (Ty::OneOrYearMap(inner), _) => {
                if matches!(y.value, YamlValue::Map(_)) {
                    return self.map(y, Key::Year, inner, id, name);
                }
                return self.typed(y, inner, id, name);
            }
            (Ty::YearMap(inner), _) => return self.map(y, Key::Year, inner, id, name),
            (Ty::PartnerMap(inner), _) => return self.map(y, Key::Partner, inner, id, name),
            _ => None,
        };
        match parsed {
            Some(v) => v,
            None => {
                self.type_error(y, ty, name, id);
                Value::Invalid
            }
        }
    }

    fn record(
        &mut self,
        entries: &mut [(YamlNode, YamlNode)],
        fields: &'static [Field],
        id: NodeId,
    ) -> Value {
        let mut out: Vec<(&'static str, NodeId)> = Vec::with_capacity(entries.len());
        // By field, compared by address: cheaper than comparing the names.
        let mut seen: Vec<(&'static Field, Span)> = Vec::with_capacity(entries.len());
        // A waiver's keys are strict: an unknown one is reported by the waiver check, as an
        // error, rather than here as a warning.
        let strict = fields.iter().any(|f| f.name == "approved_by");
        let mut i = 0;
        while i < entries.len() {
            let (head, rest) = entries.split_at_mut(i + 1);
            let (k, v) = &mut head[i];
            i += 1;
            let key = match &k.value {
                YamlValue::Scalar { value, .. } => value.as_str(),
                _ => {
                    let f = Finding::of(
                        &FMT_TYPE,
                        format!("a key must be a plain word, found {}", found(k)),
                        k.span,
                    )
                    .with_label("not a key")
                    .with_help("Write keys as plain words such as `host:`.");
                    self.report(f, id);
                    continue;
                }
            };
            if key == "<<" {
                let f = Finding::of(
                    &FMT_YAML,
                    "merge keys (`<<`) are not supported: in a legal document every value should be written where it applies".into(),
                    k.span,
                )
                .with_label("merge key")
                .with_help("Write the keys out in full instead of merging them from an anchor.");
                self.report(f, id);
                continue;
            }
            if key.starts_with("x-") {
                continue;
            }
            let Some(field) = schema::field(fields, key) else {
                // `{partner:lbl}`: no space after the colon makes one key of the two.
                if let Some((field, meant)) = slips::glued_key(key, fields).filter(|_| is_null(v)) {
                    let f = Finding::of(
                        &FMT_TYPE,
                        format!(
                            "there is no space after the colon in `{}`, so YAML reads it as one key and `{}` is not given",
                            shown(key),
                            field.name
                        ),
                        k.span,
                    )
                    .with_label("a space is missing after this colon")
                    .with_help(format!(
                        "Put a space after the colon: `{}: {}`.",
                        field.name,
                        shown(meant)
                    ));
                    self.report(f, id);
                    if !seen.iter().any(|(f, _)| std::ptr::eq(*f, field)) {
                        seen.push((field, k.span));
                        let n = self.push(k.span, Some(k.span), Some(id), Seg::Key(field.name));
                        out.push((field.name, n));
                    }
                    continue;
                }
                let names = fields.iter().map(|f| f.name);
                // A key that differs only by a look-alike letter (a Cyrillic `о` in `host`)
                // looks right on screen, so the message names the letter and where it is.
                let (latin, foreign) = slips::latin_look_alikes(key);
                // Once findings are no longer kept, checking stops: no suggestion is needed, and
                // a file of a million unknown keys would spend seconds on them.
                let near = (key.len() <= MAX_SUGGEST_LEN && !self.full())
                    .then(|| {
                        schema::field(fields, &latin)
                            .map(|f| f.name)
                            .or_else(|| did_you_mean(&latin, names))
                    })
                    .flatten();
                self.doc.unknown_keys.push(UnknownKey {
                    parent: id,
                    key: key.to_string(),
                    span: k.span,
                    near,
                });
                if strict {
                    continue;
                }
                let (msg, help) = match (near, foreign) {
                    (Some(s), Some((c, like, at))) => (
                        format!(
                            "unknown key `{}`: its letter `{c}` (character {at}) is not a Latin letter, though it looks like `{like}`; did you mean `{s}`?",
                            shown(key)
                        ),
                        format!("Retype the key with Latin letters: `{s}` (it is read as absent until then)."),
                    ),
                    (near, _) => match near {
                    Some(s) => (
                        format!("unknown key `{}`; did you mean `{s}`?", shown(key)),
                        format!("Rename it to `{s}` (it is read as absent until then), or prefix it with `x-` if it is for local use."),
                    ),
                    None => (
                        format!("unknown key `{}`", shown(key)),
                        "Remove it, or prefix it with `x-` if it is for local use.".to_string(),
                    ),
                    },
                };
                let deceiving = crate::chars::deceiving(key);
                // A look-alike letter near a known key is named above already.
                let msg = match (deceiving, foreign) {
                    (Some((at, c)), None) => {
                        format!("{msg} ({})", deceiving_message("the key", key, at, c))
                    }
                    _ => msg,
                };
                let mut f = Finding::of(&FMT_UNKNOWN_KEY, msg, k.span)
                    .with_label("unknown key")
                    .with_help(help);
                // A key made to look like a known one (`еxpires` with a Cyrillic `е` would
                // make a waiver permanent unseen) is an error, not a stray key.
                if deceiving.is_some() {
                    f.severity = crate::finding::Severity::Error;
                }
                // Where an unknown key is, is the key itself: two in one mapping are two places
                // (`locate` puts the mapping's path in front).
                if let Some(f) = self.report(f, id) {
                    f.location = key.to_string();
                }
                continue;
            };
            if let Some(&(_, first)) = seen.iter().find(|(f, _)| std::ptr::eq(*f, field)) {
                let f = Finding::of(
                    &FMT_DUPLICATE_KEY,
                    format!(
                        "`{key}` is given twice in the same group of fields; neither value is used"
                    ),
                    k.span,
                )
                .with_label("given again here")
                .also(first, "first given here")
                .with_help(FMT_DUPLICATE_KEY.help);
                self.report(f, id);
                if let Some(slot) = out.iter().find(|(n, _)| *n == field.name).map(|&(_, n)| n) {
                    self.doc.nodes[slot as usize].value = Value::Invalid;
                } else {
                    let n = self.push(v.span, Some(k.span), Some(id), Seg::Key(field.name));
                    out.push((field.name, n));
                }
                continue;
            }
            seen.push((field, k.span));
            if is_null(v) {
                continue; // an empty value is the same as leaving the key out
            }
            if field.ty == Ty::Money {
                if let Some(c) = slips::comma_amount(self.src, v, rest) {
                    i += c.stray;
                    let n = self.push(c.span, Some(k.span), Some(id), Seg::Key(field.name));
                    self.comma_slip(field.name, &c, n);
                    out.push((field.name, n));
                    continue;
                }
            }
            let n = self.value(
                v,
                &field.ty,
                Some(id),
                Seg::Key(field.name),
                Some(k.span),
                field.name,
            );
            if WHOLE_NUMBERS.contains(&field.name) {
                self.whole_number(field.name, n);
            }
            out.push((field.name, n));
        }
        Value::Record {
            fields,
            entries: out,
        }
    }

    /// Splits list items that ran together because a `- ` is missing: an item whose first
    /// key comes again is read as two items, and the slip is reported once (not as a duplicate
    /// of each key, and without losing the second item's id, which references name).
    fn split_run_together(&mut self, it: YamlNode, list: NodeId, out: &mut Vec<YamlNode>) {
        let YamlNode {
            span,
            value: YamlValue::Map(mut entries),
        } = it
        else {
            out.push(it);
            return;
        };
        let first_key = match entries.first().map(|(k, _)| &k.value) {
            Some(YamlValue::Scalar { value, .. }) => value.clone(),
            _ => String::new(),
        };
        let again = entries.iter().skip(1).position(
            |(k, _)| matches!(&k.value, YamlValue::Scalar { value, .. } if *value == first_key),
        );
        let (Some(j), false) = (again.map(|j| j + 1), first_key.is_empty()) else {
            out.push(YamlNode {
                span,
                value: YamlValue::Map(entries),
            });
            return;
        };
        let rest = entries.split_off(j);
        let at = rest[0].0.span;
        let first = entries[0].0.span;
        let line_start = self.src[..at.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.src[at.start..]
            .find(['\n', '\r'])
            .map_or(self.src.len(), |i| at.start + i);
        let line = &self.src[line_start..line_end];
        let indent = line.len() - line.trim_start_matches(' ').len();
        let fixed = format!("{}- {}", " ".repeat(indent.saturating_sub(2)), line.trim());
        let (line_no, _) = yaml::line_col(self.src, at.start);
        let f = Finding::of(
            &FMT_DUPLICATE_KEY,
            format!(
                "`{}` is given again in the same item: the `- ` that starts a new item seems to be missing on line {line_no}, so two items have run together",
                shown(&first_key)
            ),
            at,
        )
        .with_label("a new item starts here?")
        .also(first, "this item's first key")
        .with_help(format!("Start the new item with a dash and a space:\n{fixed}"));
        self.report(f, list);
        let end1 = entries
            .last()
            .map_or(span.end, |(_, v)| v.span.end.max(first.end));
        out.push(YamlNode {
            span: Span::new(span.start, end1),
            value: YamlValue::Map(entries),
        });
        let second = YamlNode {
            span: Span::new(at.start, span.end.max(at.end)),
            value: YamlValue::Map(rest),
        };
        self.split_run_together(second, list, out);
    }

    /// Reports an amount written with thousands commas inside `{ }` (YAML read only its first
    /// group), at node `at`, which stays unloaded.
    fn comma_slip(&mut self, name: &str, c: &slips::CommaAmount, at: NodeId) {
        let stray = c
            .keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        let pounds = c.written.trim_start_matches('£');
        let f = Finding::of(
            &FMT_TYPE,
            format!(
                "`{name}: {}` is read as £{}: inside `{{ }}` a comma separates values, so {stray} become keys of their own",
                c.written, c.read
            ),
            c.span,
        )
        .with_label(format!("read as £{}, then keys {stray}", c.read))
        .with_help(format!(
            "Write the amount in straight double quotes: `{name}: \"£{pounds}\"`."
        ));
        self.report(f, at);
    }

    /// Reports plain text cut short by a ` #`, which YAML reads as the start of a comment.
    fn comment_slip(&mut self, name: &str, kept: &str, at: Span, node: NodeId) {
        let dropped = slips::dropped(self.src, at);
        let kept = values::trim(kept);
        let whole = format!("{kept} {dropped}").replace('"', "\\\"");
        let f = Finding::of(
            &FMT_TYPE,
            format!(
                "`{name}` stops before the `#`: a space then `#` starts a comment, so `{}` is dropped from the text",
                shown(dropped)
            ),
            at,
        )
        .with_label("dropped as a comment")
        .with_help(format!(
            "Put the whole text in double quotes: `{name}: \"{whole}\"`. (To add a note that is not part of the text, put two spaces before the `#`.)"
        ));
        self.report(f, node);
    }

    /// A number field that counts something (`notice_months`): a whole number, 0 or more.
    fn whole_number(&mut self, name: &str, n: NodeId) {
        let Value::Number(v) = self.doc.node(n).value else {
            return;
        };
        if v >= 0.0 && v.fract() == 0.0 {
            return;
        }
        let f = Finding::of(
            &FMT_TYPE,
            format!(
                "`{name}` must be a whole number, 0 or more, found `{}`",
                values::format_number(v)
            ),
            self.doc.node(n).span,
        )
        .with_label("expected a whole number, 0 or more")
        .with_help(format!(
            "Write the number of months as a whole number, for example `{name}: {}`.",
            values::format_number(v.abs().round().max(0.0))
        ));
        self.report(f, n);
        self.doc.nodes[n as usize].value = Value::Invalid;
    }

    fn map(
        &mut self,
        y: &mut YamlNode,
        key: Key,
        inner: &'static Ty,
        id: NodeId,
        name: &str,
    ) -> Value {
        let YamlValue::Map(entries) = &mut y.value else {
            let ty = match key {
                Key::Year => Ty::YearMap(inner),
                Key::Partner => Ty::PartnerMap(inner),
            };
            self.type_error(y, &ty, name, id);
            return Value::Invalid;
        };
        let mut out = Vec::with_capacity(entries.len());
        let mut seen = Seen::default();
        // Amounts written with thousands commas inside `{ }`, found before the entries are
        // borrowed: (index, slip); the stray groups after each are skipped.
        let key_kind = key;
        let mut commas: Vec<(usize, slips::CommaAmount)> = Vec::new();
        if *inner == Ty::Money {
            let mut i = 0;
            while i < entries.len() {
                if let Some(c) = slips::comma_amount(self.src, &entries[i].1, &entries[i + 1..]) {
                    let stray = c.stray;
                    commas.push((i, c));
                    i += stray;
                }
                i += 1;
            }
        }
        let mut skip_to = 0;
        for (i, (k, v)) in entries.iter_mut().enumerate() {
            if i < skip_to {
                continue;
            }
            // Only values are loaded (and moved from); keys stay in the tree, so `seen` can
            // borrow them for the whole loop.
            let k: &YamlNode = k;
            if let Some((_, c)) = commas.iter().find(|(at, _)| *at == i) {
                skip_to = i + 1 + c.stray;
                let key = match &k.value {
                    YamlValue::Scalar { value, .. } => values::trim(value).to_string(),
                    _ => String::new(),
                };
                // The year (or partner) keeps its entry, with a value that did not load, so
                // rules neither read £N nor miss the year.
                let kn = self.push(k.span, None, Some(id), Seg::KeyOf);
                let kv = match key_kind {
                    Key::Year => Year::parse(&key).map_or(Value::Invalid, Value::Year),
                    Key::Partner => Value::Invalid,
                };
                let vn = self.push(c.span, Some(k.span), Some(id), Seg::MapKey(key.clone()));
                self.doc.nodes[kn as usize].value = kv;
                self.doc.nodes[kn as usize].parent = Some(vn);
                self.comma_slip(&key, c, vn);
                out.push((kn, vn));
                continue;
            }
            let YamlValue::Scalar { value: ks, .. } = &k.value else {
                let f = Finding::of(
                    &FMT_TYPE,
                    format!("a key must be a plain word, found {}", found(k)),
                    k.span,
                )
                .with_label("not a key");
                self.report(f, id);
                continue;
            };
            let ks = values::trim(ks);
            if let Some((first, first_value)) = seen.get(ks) {
                let f = Finding::of(
                    &FMT_DUPLICATE_KEY,
                    format!(
                        "`{}` is given twice in `{name}`; neither value is used",
                        shown(ks)
                    ),
                    k.span,
                )
                .with_label("given again here")
                .also(first, "first given here")
                .with_help(FMT_DUPLICATE_KEY.help);
                self.report(f, id);
                if let Some(vn) = first_value {
                    self.doc.nodes[vn as usize].value = Value::Invalid;
                }
                continue;
            }
            seen.insert(ks, k.span);
            let kn = self.push(k.span, None, Some(id), Seg::KeyOf);
            let kv = match key {
                Key::Year => match Year::parse(ks) {
                    Some(yr) => Value::Year(yr),
                    None => {
                        self.type_error(k, &Ty::Year, &format!("{name}` key `{}", shown(ks)), kn);
                        Value::Invalid
                    }
                },
                Key::Partner => {
                    self.refs.push(kn);
                    Value::Ref {
                        kind: RefKind::Partner,
                        id: ks.to_string(),
                        target: None,
                    }
                }
            };
            self.doc.nodes[kn as usize].value = kv;
            let vn = self.value(
                v,
                inner,
                Some(id),
                Seg::MapKey(ks.to_string()),
                Some(k.span),
                name,
            );
            self.doc.nodes[kn as usize].parent = Some(vn);
            seen.set_last_value(vn);
            out.push((kn, vn));
        }
        Value::Map(out)
    }

    /// Resolves references to declared partners, pools and schemes; reports duplicate ids
    /// and unknown references.
    fn resolve_refs(&mut self) {
        // Per kind: the ids in declaration order (for help texts) and an index by id (so a file
        // with many partners and references loads in linear time).
        let mut tables: Vec<(RefKind, Vec<String>, HashMap<String, NodeId>)> = Vec::new();
        for kind in [RefKind::Partner, RefKind::Pool, RefKind::Scheme] {
            let mut order: Vec<String> = Vec::new();
            let mut index: HashMap<String, NodeId> = HashMap::new();
            // Ids by how they look on screen: `exc` and `еxc` (Cyrillic `е`) are one id to
            // a reader, so two of them are a duplicate.
            let mut looks: HashMap<String, String> = HashMap::new();
            let items = match self
                .doc
                .get(Doc::ROOT, kind.list())
                .map(|n| &self.doc.node(n).value)
            {
                Some(Value::List(items)) => items.clone(),
                _ => Vec::new(),
            };
            for item in items {
                let Some(idn) = self.doc.get(item, "id") else {
                    continue;
                };
                let Some(text) = self.doc.text(idn).map(str::to_string) else {
                    continue;
                };
                if index.contains_key(&text) {
                    let span = self.doc.node(idn).span;
                    let f = Finding::of(
                        &FMT_DUPLICATE_ID,
                        format!("two {}s have the id `{}`", kind.noun(), shown(&text)),
                        span,
                    )
                    .with_label("id used again")
                    .with_help(format!(
                        "Give each {} its own id; references to `{}` read the first one.",
                        kind.noun(),
                        shown(&text)
                    ));
                    self.report(f, idn);
                    continue;
                }
                let span = self.doc.node(idn).span;
                if let Some((at, c)) = crate::chars::deceiving(&text) {
                    let f = Finding::of(&FMT_TYPE, deceiving_message("the id", &text, at, c), span)
                        .with_label("looks like another id")
                        .with_help("Retype the id in plain letters and digits.");
                    self.report(f, idn);
                }
                let skeleton = crate::chars::skeleton(&text);
                if let Some(first) = looks.get(&skeleton) {
                    let f = Finding::of(
                        &FMT_DUPLICATE_ID,
                        format!(
                            "two {}s have ids that look the same: `{}` and `{}`",
                            kind.noun(),
                            shown(first),
                            shown(&text)
                        ),
                        span,
                    )
                    .with_label("looks like an id used before")
                    .with_help(format!(
                        "Give each {} its own id, written in plain letters and digits.",
                        kind.noun()
                    ));
                    self.report(f, idn);
                } else {
                    looks.insert(skeleton, text.clone());
                }
                index.insert(text.clone(), item);
                order.push(text);
            }
            tables.push((kind, order, index));
        }
        self.signed_twice();
        for r in std::mem::take(&mut self.refs) {
            let Value::Ref { kind, id, .. } = &self.doc.node(r).value else {
                continue;
            };
            let (kind, id) = (*kind, id.clone());
            let table = tables.iter().find(|(k, _, _)| *k == kind);
            let target = table.and_then(|(_, _, index)| index.get(&id).copied());
            match target {
                Some(t) => {
                    if let Value::Ref { target, .. } = &mut self.doc.nodes[r as usize].value {
                        *target = Some(t);
                    }
                }
                None => {
                    let known: &[String] = table.map_or(&[], |(_, order, _)| order.as_slice());
                    let help = match suggest(&id, known).filter(|_| !self.full()) {
                        Some(s) => format!(
                            "Did you mean `{s}`? The {}s declared are: {}.",
                            kind.noun(),
                            listed(known)
                        ),
                        None if known.is_empty() => {
                            format!("Declare the {} under `{}` first.", kind.noun(), kind.list())
                        }
                        None => format!(
                            "Use one of the {}s declared under `{}`: {}.",
                            kind.noun(),
                            kind.list(),
                            listed(known)
                        ),
                    };
                    let span = self.doc.node(r).span;
                    let f = Finding::of(
                        &FMT_UNKNOWN_REF,
                        format!(
                            "`{}` is not a {} declared under `{}`",
                            shown(&id),
                            kind.noun(),
                            kind.list()
                        ),
                        span,
                    )
                    .with_label(format!("unknown {}", kind.noun()))
                    .with_help(help);
                    self.report(f, r);
                    self.doc.nodes[r as usize].value = Value::Invalid;
                }
            }
        }
    }
}

impl Loader<'_> {
    /// A partner with two entries under `signatures` (FMT-DUPLICATE-ID at the second): one
    /// signature per partner, so which one binds is never in doubt.
    fn signed_twice(&mut self) {
        let Some(list) = self.doc.get(Doc::ROOT, "signatures") else {
            return;
        };
        let Value::List(items) = &self.doc.node(list).value else {
            return;
        };
        let mut firsts: Vec<(String, Span)> = Vec::new();
        let mut found = Vec::new();
        for &item in items {
            let Some(p) = self.doc.get(item, "partner") else {
                continue;
            };
            let Value::Ref { id, .. } = &self.doc.node(p).value else {
                continue;
            };
            let span = self.doc.node(p).span;
            match firsts.iter().find(|(f, _)| f == id) {
                Some((_, first)) => found.push((id.clone(), span, *first, p)),
                None => firsts.push((id.clone(), span)),
            }
        }
        for (id, span, first, p) in found {
            let f = Finding::of(
                &FMT_DUPLICATE_ID,
                format!("`{}` signs twice under `signatures`", shown(&id)),
                span,
            )
            .with_label("second signature for this partner")
            .also(first, "first signature")
            .with_help(format!(
                "Keep one signature per partner: remove this entry, or correct its `partner` if another partner signed here (the partners declared are: {}).",
                listed(&self.declared_partners())
            ));
            self.report(f, p);
        }
    }

    fn declared_partners(&self) -> Vec<String> {
        let Some(list) = self.doc.get(Doc::ROOT, "partners") else {
            return Vec::new();
        };
        let Value::List(items) = &self.doc.node(list).value else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|&i| self.doc.get(i, "id"))
            .filter_map(|n| self.doc.text(n).map(str::to_string))
            .collect()
    }
}

/// The expected shape of a group of fields or a list given as a single value, written out:
/// `target: {value: 95, unit: percent}` for `target: 95%`.
fn shape_help(name: &str, ty: &Ty, value: &str) -> String {
    match ty {
        Ty::Record(fields) => {
            let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
            let v = values::trim(value);
            if names.starts_with(&["value", "unit"]) {
                let (num, unit) = match v.strip_suffix('%') {
                    Some(n) => (n.trim(), "percent"),
                    None => (v, "..."),
                };
                if values::parse_number(num).is_some() {
                    return format!(
                        "Write it as a group of fields: `{name}: {{value: {num}, unit: {unit}}}`."
                    );
                }
            }
            let lines: Vec<String> = names
                .iter()
                .take(4)
                .map(|n| format!("  {n}: ..."))
                .collect();
            format!(
                "Write it as a group of fields (key: value lines, indented under `{name}:`):\n{name}:\n{}",
                lines.join("\n")
            )
        }
        _ => {
            let items: Vec<&str> = value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            format!(
                "Write it as a list: `{name}: [{}]`, or one item per line starting with `- `.",
                items.join(", ")
            )
        }
    }
}

/// Adds to each rule finding about something missing from a group of fields the misspelt key
/// of that group that was probably meant as it ("`exit_stratgy` at line 120 may be meant as
/// this"), so the two findings of one misspelling point at each other.
pub(crate) fn name_near_misses(doc: &Doc, src: &str, findings: &mut [Finding]) {
    if doc.unknown_keys.iter().all(|u| u.near.is_none()) {
        return;
    }
    for f in findings.iter_mut() {
        if f.rule.starts_with("FMT-") || f.rule.starts_with("WAIVER-") {
            continue;
        }
        for u in &doc.unknown_keys {
            let Some(near) = u.near else { continue };
            let about = doc.node(u.parent).span == f.span;
            let named =
                f.message.contains(near) || f.help.as_deref().is_some_and(|h| h.contains(near));
            if about && named {
                let (line, _) = yaml::line_col(src, u.span.start);
                let help = f.help.as_deref().unwrap_or_default();
                let sep = if help.is_empty() { "" } else { "\n" };
                f.help = Some(
                    format!("{help}{sep}`{}` at line {line} may be meant as this: rename it to `{near}`.", shown(&u.key))
                        .into(),
                );
            }
        }
    }
}

/// Number fields that count something, so must be whole and not negative.
const WHOLE_NUMBERS: &[&str] = &["notice_months"];

/// Ids longer than this are not compared for "did you mean" (the comparison costs the product
/// of the two lengths), and lists longer than `MAX_LISTED` are cut short in help texts.
const MAX_SUGGEST_LEN: usize = 64;
const MAX_SUGGEST_CANDIDATES: usize = 1000;
const MAX_LISTED: usize = 20;

/// The declared id closest to `id`, within bounded work whatever the file holds.
fn suggest<'a>(id: &str, known: &'a [String]) -> Option<&'a str> {
    if id.len() > MAX_SUGGEST_LEN || known.len() > MAX_SUGGEST_CANDIDATES {
        return None;
    }
    did_you_mean(
        id,
        known
            .iter()
            .map(String::as_str)
            .filter(|k| k.len() <= MAX_SUGGEST_LEN),
    )
}

/// `a, b, c` for a help text; long lists end with "and N more", long ids are shortened.
fn listed(known: &[String]) -> String {
    let mut s = known
        .iter()
        .take(MAX_LISTED)
        .map(|k| shown(k))
        .collect::<Vec<_>>()
        .join(", ");
    if known.len() > MAX_LISTED {
        s.push_str(&format!(" and {} more", known.len() - MAX_LISTED));
    }
    s
}

/// The keys of a year- or partner-keyed mapping already given: each with where it was first
/// given and its value node. A list while short (most such mappings have one or two keys);
/// indexed by a hash map once long, so a mapping with many keys loads in linear time.
#[derive(Default)]
struct Seen<'a> {
    list: Vec<(&'a str, Span, Option<NodeId>)>,
    index: Option<HashMap<&'a str, usize>>,
}

impl<'a> Seen<'a> {
    /// Entries from which `index` is kept.
    const INDEX_FROM: usize = 16;

    fn get(&self, key: &str) -> Option<(Span, Option<NodeId>)> {
        let at = match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.list.iter().position(|(k, _, _)| *k == key),
        };
        at.and_then(|i| self.list.get(i))
            .map(|&(_, span, value)| (span, value))
    }

    /// Adds a key not given before.
    fn insert(&mut self, key: &'a str, span: Span) {
        self.list.push((key, span, None));
        if let Some(index) = &mut self.index {
            index.insert(key, self.list.len() - 1);
        } else if self.list.len() >= Self::INDEX_FROM {
            let index = self.list.iter().enumerate().map(|(i, (k, _, _))| (*k, i));
            self.index = Some(index.collect());
        }
    }

    /// Records the value node of the key inserted last.
    fn set_last_value(&mut self, value: NodeId) {
        if let Some(last) = self.list.last_mut() {
            last.2 = Some(value);
        }
    }
}

#[derive(Clone, Copy)]
enum Key {
    Year,
    Partner,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_keys_are_found_short_and_long() {
        let keys: Vec<String> = (0..40).map(|i| format!("k{i}")).collect();
        let mut seen = Seen::default();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(seen.get(k), None);
            seen.insert(k, Span::new(i, i + 1));
            assert_eq!(seen.get(k), Some((Span::new(i, i + 1), None)));
            seen.set_last_value(i as NodeId);
            // Earlier keys are still found, before and after the index is built.
            assert_eq!(seen.get(&keys[0]), Some((Span::new(0, 1), Some(0))));
            assert_eq!(seen.get(k), Some((Span::new(i, i + 1), Some(i as NodeId))));
        }
        assert!(seen.index.is_some());
        assert_eq!(seen.get("k99"), None);
    }

    #[test]
    fn findings_kept_while_loading_are_bounded() {
        // 30,000 unknown keys: only the first ones past the limit are kept (the check then
        // stops with a finding saying so), so memory does not grow with the file.
        let src: String = std::iter::once("s75lint: 1\n".to_string())
            .chain((0..30_000).map(|i| format!("k{i}: 0\n")))
            .collect();
        let Loaded::Agreement(_, findings) = load(&src, true) else {
            panic!("not loaded");
        };
        assert_eq!(findings.len(), MAX_FINDINGS_PER_FILE + 1);
        assert_eq!(findings[0].message, "unknown key `k0`; did you mean `id`?");
        assert!(findings.iter().all(|f| f.rule == "FMT-UNKNOWN-KEY"));
    }

    /// A pool whose `pooled_total` has `n` years, the `dup`-th given again at the end.
    fn with_years(n: usize, dup: usize) -> String {
        let mut years: String = (0..n)
            .map(|i| format!("      {}-{:02}: 100\n", 2000 + i, (2001 + i) % 100))
            .collect();
        years.push_str(&format!(
            "      {}-{:02}: 200\n",
            2000 + dup,
            (2001 + dup) % 100
        ));
        format!(
            "s75lint: 1\npartners:\n  - id: a\n    name: A\n    kind: icb\npools:\n  - id: P\n    pooled_total:\n{years}"
        )
    }

    #[test]
    fn a_year_given_twice_is_reported_in_short_and_long_mappings() {
        for (n, dup) in [(2, 0), (3, 2), (20, 3), (20, 17)] {
            let src = with_years(n, dup);
            let Loaded::Agreement(doc, findings) = load(&src, true) else {
                panic!("not loaded: {src}");
            };
            let dups: Vec<&Finding> = findings
                .iter()
                .filter(|f| f.rule == "FMT-DUPLICATE-KEY")
                .collect();
            assert_eq!(dups.len(), 1, "{n} {dup}: {findings:?}");
            let year = format!("{}-{:02}", 2000 + dup, (2001 + dup) % 100);
            assert_eq!(
                dups[0].message,
                format!("`{year}` is given twice in `pooled_total`; neither value is used")
            );
            // The first value is not used either.
            let first = doc
                .nodes
                .iter()
                .position(|nd| nd.seg == Seg::MapKey(year.clone()))
                .unwrap_or(usize::MAX);
            assert!(matches!(
                doc.nodes.get(first).map(|nd| &nd.value),
                Some(Value::Invalid)
            ));
        }
    }
}
