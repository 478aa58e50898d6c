//! YAML syntax errors in plain words. The parser says what its grammar expected ("mapping values
//! are not allowed in this context") at the place it gave up, often the line after the slip.
//! The people who write agreements are not YAML experts, so each class of parser error is
//! translated here into the character and the cause, pointed at the slip itself, with the
//! corrected line written out where it can be worked out from the text.
//!
//! Every must-fail case of the YAML test suite falls into one of these classes (see
//! `tests/slips.rs`); no message here uses the parser's terms.

use super::{Span, YamlError};

/// A syntax error explained: the message, where the slip is, the label there and the fix.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    /// What is wrong, in plain words (without the position).
    pub message: String,
    /// The slip: one character, or the text concerned.
    pub span: Span,
    /// The label at the span.
    pub label: String,
    /// How to fix it, with the corrected line where it can be worked out.
    pub help: String,
}

/// One line of the source: where it starts and ends (without its line break).
#[derive(Clone, Copy)]
struct Line<'a> {
    start: usize,
    text: &'a str,
    /// 1-based line number.
    number: usize,
}

impl<'a> Line<'a> {
    /// Leading spaces.
    fn indent(&self) -> usize {
        self.text.len() - self.text.trim_start_matches(' ').len()
    }
    fn is_blank(&self) -> bool {
        let t = self.text.trim();
        t.is_empty() || t.starts_with('#')
    }
    /// Where the key of this line starts (after the indentation and any `- `), in bytes from
    /// the line start.
    fn key_col(&self) -> usize {
        let mut i = self.indent();
        while self.text[i..].starts_with("- ") || self.text[i..].starts_with("-\t") {
            i += 2;
            i += self.text[i..].len() - self.text[i..].trim_start_matches(' ').len();
        }
        i
    }
    /// The text after the indentation and any `- `.
    fn body(&self) -> &'a str {
        &self.text[self.key_col()..]
    }
    /// The key of a `key: value` line, if it is one.
    fn key(&self) -> Option<&'a str> {
        let body = self.body();
        let colon = find_colon(body)?;
        let key = body[..colon].trim();
        (!key.is_empty() && !key.starts_with(['"', '\'', '[', '{', '#'])).then_some(key)
    }
    /// The end of the line's content, before a trailing comment (`  # ...`).
    fn content_end(&self) -> usize {
        let t = self.text;
        let mut end = t.len();
        if let Some(i) = t.find(" #") {
            end = i;
        }
        self.start + t[..end].trim_end().len()
    }
}

/// The first `: ` (or a `:` ending the text) outside quotes.
fn find_colon(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut quote = None;
    for (i, &c) in b.iter().enumerate() {
        match (quote, c) {
            (None, b'"' | b'\'') if i == 0 || b[i - 1] == b' ' => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b':') if matches!(b.get(i + 1), None | Some(b' ' | b'\t')) => return Some(i),
            _ => {}
        }
    }
    None
}

struct Text<'a> {
    src: &'a str,
    lines: Vec<Line<'a>>,
}

impl<'a> Text<'a> {
    fn new(src: &'a str) -> Text<'a> {
        let mut lines = Vec::new();
        let mut start = 0;
        for (n, raw) in src.split_inclusive('\n').enumerate() {
            let text = raw.trim_end_matches(['\n', '\r']);
            lines.push(Line {
                start,
                text,
                number: n + 1,
            });
            start += raw.len();
        }
        if lines.is_empty() || src.ends_with('\n') {
            lines.push(Line {
                start: src.len(),
                text: "",
                number: lines.len() + 1,
            });
        }
        Text { src, lines }
    }
    /// The index of the line holding byte `at`.
    fn line_of(&self, at: usize) -> usize {
        self.lines
            .iter()
            .rposition(|l| l.start <= at)
            .unwrap_or_default()
    }
    /// The nearest line before `i` with content.
    fn prev(&self, i: usize) -> Option<usize> {
        (0..i).rev().find(|&j| !self.lines[j].is_blank())
    }
    fn char_span(&self, at: usize) -> Span {
        let len = self
            .src
            .get(at..)
            .and_then(|s| s.chars().next())
            .map_or(0, char::len_utf8);
        Span::new(at, at + len)
    }
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

/// The value of `key: value` text put in quotes, as the fix for a character that breaks it.
fn quoted(value: &str) -> String {
    let v = value.trim();
    if !v.contains('"') && !v.contains('\\') {
        format!("\"{v}\"")
    } else {
        format!("'{}'", v.replace('\'', "''"))
    }
}

/// Explains the parser's error `e` on `src`.
pub fn explain(src: &str, e: &YamlError) -> Explained {
    let t = Text::new(src);
    let raw = e.message.as_str();
    let at = e.span.start.min(src.len());
    let li = t.line_of(at);
    let has = |s: &str| raw.contains(s);
    let explained = if is_ours(raw) {
        None
    } else if has("tab") {
        tab(&t, li)
    } else if has("trailing content after double-quoted") {
        closed_early(&t, at, li)
    } else if has("quoted scalar")
        && (has("end of stream") || has("indentation") || has("document indicator"))
    {
        unclosed_quote(&t, at, li)
    } else if has("unknown escape") {
        Some(escape(&t, at, li))
    } else if has("comments must be separated") {
        Some(hash_glued(&t, at))
    } else if has("block sequence entries are not allowed") {
        Some(dash_after_key(&t, at, li))
    } else if has("'-' must be followed") || has("cannot start with '-'") {
        Some(dash_glued(&t, at, li))
    } else if has("unexpected character")
        || has("scanning an anchor or alias")
        || has("scanning a tag")
    {
        Some(reserved(&t, at, li, raw))
    } else if has("':' must be followed") || has("expected whitespace") {
        Some(colon_glued(&t, at, li))
    } else if has("document") || has("directive") {
        Some(document(&t, at))
    } else if has("block scalar") || has("comment intercepting") {
        Some(block_text(&t, at, raw))
    } else if has("mapping values are not allowed") {
        unclosed(&t, at).or_else(|| Some(colon_in_text(&t, at, li)))
    } else if has("simple key expect") || has("could not find expected ':'") {
        unclosed(&t, at)
            .or_else(|| no_space_after_colon(&t, li))
            .or_else(|| Some(not_key_value(&t, li)))
    } else if has("expected '-'") {
        Some(not_an_item(&t, li))
    } else if has("did not find expected key") {
        // `vat:Each ...` a line or two above reads as text, not a key, and the parser only
        // stops at the next key: the slip is the missing space, not that key's indentation.
        no_space_after_colon(&t, li).or_else(|| Some(misplaced_line(&t, at, li)))
    } else if has("flow")
        || has("bracket")
        || has("illegal placement")
        || has("invalid indentation")
    {
        unclosed(&t, at).or_else(|| Some(bracket_content(&t, at, raw)))
    } else if has("expected node content") {
        Some(missing_value(&t, at))
    } else {
        None
    };
    let mut explained = explained.unwrap_or_else(|| Explained {
        // Messages that are already ours (several documents, limits) pass through.
        message: if is_ours(raw) {
            raw.to_string()
        } else {
            "YAML cannot read the file from this point".to_string()
        },
        span: e.span,
        label: "here".into(),
        help: if raw.contains("more than one YAML document") {
            "An agreement file holds one agreement: remove this `---` line (and what follows, if it is another agreement, into a file of its own); nothing else in this file was checked.".into()
        } else {
            "Look for an unclosed quote or bracket, or a line indented differently from the lines around it, at or just before the marked place; nothing else in this file was checked.".into()
        },
    });
    // The explanations above count some widths in bytes ("one character here"); a mark must
    // never cut a character in two (the `check` fuzz target found `{` left open before `˂`).
    explained.span = on_char_boundaries(src, explained.span);
    explained
}

/// `span` widened to whole characters and kept inside `src`.
fn on_char_boundaries(src: &str, span: Span) -> Span {
    let mut start = span.start.min(src.len());
    while !src.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, src.len());
    while !src.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

/// The builder's own messages, already in plain words.
fn is_ours(raw: &str) -> bool {
    [
        "more than one YAML document",
        "alias",
        "nesting deeper",
        "brackets `[`",
        "unbalanced",
    ]
    .iter()
    .any(|s| raw.contains(s))
}

const NOTHING_ELSE: &str = "nothing else in this file was checked";

fn tab(t: &Text<'_>, li: usize) -> Option<Explained> {
    // The tab is on the line reported or, as the parser often reports the line before, a
    // following one.
    let (tl, col) = (li..t.lines.len().min(li + 4))
        .find_map(|j| t.lines[j].text.find('\t').map(|c| (j, c)))
        .or_else(|| {
            (li.saturating_sub(3)..li)
                .rev()
                .find_map(|j| t.lines[j].text.find('\t').map(|c| (j, c)))
        })?;
    let line = t.lines[tl];
    let lead = line.text.len() - line.text.trim_start_matches([' ', '\t']).len();
    let fixed = if col < lead {
        // Indentation: as far as the key of the line above, or of the lines around it.
        let want = t
            .prev(tl)
            .map(|p| {
                let p = t.lines[p];
                if p.text.trim_end().ends_with(':') {
                    p.key_col() + 2
                } else {
                    p.key_col()
                }
            })
            .unwrap_or(0);
        format!(
            "{}{}",
            spaces(want),
            line.text.trim_start_matches([' ', '\t'])
        )
    } else {
        line.text.replace('\t', " ")
    };
    Some(Explained {
        message: format!(
            "line {} is indented with a tab; YAML allows only spaces for indenting",
            line.number
        ),
        span: t.char_span(line.start + col),
        label: "a tab".into(),
        help: format!(
            "Indent with spaces, not tabs (many editors have a setting to insert spaces for the Tab key):\n{fixed}\n({NOTHING_ELSE})"
        ),
    })
}

/// A quote inside quoted text that ends it early: `'Partners' agreement'`.
fn closed_early(t: &Text<'_>, at: usize, li: usize) -> Option<Explained> {
    let line = t.lines[li];
    let before = t.src.get(line.start..at)?;
    let close_rel = before.trim_end().len().checked_sub(1)?;
    let q = before.as_bytes().get(close_rel).copied()?;
    if q != b'\'' && q != b'"' {
        return None;
    }
    let close = line.start + close_rel;
    let body_start = line.start + line.key_col();
    let key = line.key();
    let value_start = key
        .and_then(|_| find_colon(line.body()))
        .map(|c| body_start + c + 1)
        .unwrap_or(body_start);
    let value = t
        .src
        .get(value_start..line.content_end())
        .unwrap_or("")
        .trim();
    let inner = value.get(1..value.len().saturating_sub(1)).unwrap_or(value);
    let prefix = t.src.get(line.start..value_start).unwrap_or("");
    let (message, fixes) = if q == b'\'' {
        let doubled = format!("'{}'", inner.replace('\'', "''"));
        let dq = (!inner.contains('"')).then(|| format!("\"{inner}\""));
        (
            "an apostrophe inside text in single quotes ends the text early, so the rest of the line cannot be read".to_string(),
            match dq {
                Some(dq) => format!(
                    "Use double quotes around text that contains an apostrophe:\n{prefix} {dq}\nor write the apostrophe twice inside single quotes:\n{prefix} {doubled}"
                ),
                None => format!("Write the apostrophe twice inside single quotes:\n{prefix} {doubled}"),
            },
        )
    } else {
        let single = format!("'{}'", inner.replace('\'', "''"));
        (
            "a double quote inside text in double quotes ends the text early, so the rest of the line cannot be read".to_string(),
            format!(
                "Use single quotes around text that contains double quotes:\n{prefix} {single}\nor write each inner double quote as \\\"."
            ),
        )
    };
    Some(Explained {
        message,
        span: t.char_span(close),
        label: "the text ends at this quote".into(),
        help: format!(
            "{}\n({NOTHING_ELSE})",
            fixes.replace(": \n", ":\n").replace(":  ", ": ")
        ),
    })
}

fn unclosed_quote(t: &Text<'_>, at: usize, li: usize) -> Option<Explained> {
    // The opening quote: the last quote at or before the error on this line or the lines above.
    let (ol, col) = (li.saturating_sub(20)..=li).rev().find_map(|j| {
        let l = t.lines[j];
        let upto = if j == li {
            at.saturating_sub(l.start) + 1
        } else {
            l.text.len()
        };
        let s = l.text.get(..upto.min(l.text.len()))?;
        s.rfind(['"', '\'']).map(|c| (j, c))
    })?;
    let line = t.lines[ol];
    let q = &line.text[col..col + 1];
    let fixed = format!(
        "{}{q}",
        t.src.get(line.start..line.content_end()).unwrap_or("")
    );
    Some(Explained {
        message: format!(
            "the quote {q} on line {} is never closed, so everything after it is read as one piece of text",
            line.number
        ),
        span: t.char_span(line.start + col),
        label: "this quote is not closed".into(),
        help: format!("Close the quote at the end of the text:\n{fixed}\n({NOTHING_ELSE})"),
    })
}

fn escape(t: &Text<'_>, at: usize, li: usize) -> Explained {
    let line = t.lines[li];
    let fixed = line.text.replace("\\", "\\\\");
    Explained {
        message: "a backslash `\\` inside double quotes starts a special character, and this one is not one YAML knows".into(),
        span: t.char_span(at.saturating_sub(1).max(line.start)),
        label: "this backslash".into(),
        help: format!(
            "Use single quotes around text with backslashes, or write each backslash twice:\n{fixed}\n({NOTHING_ELSE})"
        ),
    }
}

fn hash_glued(t: &Text<'_>, at: usize) -> Explained {
    Explained {
        message: "a `#` straight after a value: YAML needs a space before a `#` that starts a note".into(),
        span: t.char_span(at),
        label: "`#` with no space before it".into(),
        help: format!(
            "If the `#` starts a note, put two spaces before it; if it is part of the text, put it inside the quotes ({NOTHING_ELSE})."
        ),
    }
}

fn dash_after_key(t: &Text<'_>, at: usize, li: usize) -> Explained {
    let line = t.lines[li];
    let key = line.key().unwrap_or("key");
    let item = t.src.get(at..line.content_end()).unwrap_or("- item");
    Explained {
        message: format!("a list item (`- `) cannot start on the same line as its key `{key}`"),
        span: t.char_span(at),
        label: "list item on the key's line".into(),
        help: format!(
            "Start the list on the next line, indented:\n{}{key}:\n{}{item}\nor, if the `-` is part of the text, put the text in quotes ({NOTHING_ELSE}).",
            spaces(line.key_col()),
            spaces(line.key_col() + 2)
        ),
    }
}

fn dash_glued(t: &Text<'_>, at: usize, li: usize) -> Explained {
    let line = t.lines[li];
    Explained {
        message: "a `-` that starts a list item must be followed by a space".into(),
        span: t.char_span(at.saturating_sub(1).max(line.start)),
        label: "`-` with no space after it".into(),
        help: format!(
            "Write `- ` (a dash and a space) before each list item; if the value itself starts with `-`, put it in quotes ({NOTHING_ELSE})."
        ),
    }
}

fn colon_glued(t: &Text<'_>, at: usize, li: usize) -> Explained {
    let line = t.lines[li];
    let fixed = line.text.replacen(':', ": ", 1);
    Explained {
        message: "a colon must be followed by a space to separate a key from its value".into(),
        span: t.char_span(at),
        label: "no space after this colon".into(),
        help: format!(
            "Put a space after the colon, or put the text in quotes:\n{fixed}\n({NOTHING_ELSE})"
        ),
    }
}

fn reserved(t: &Text<'_>, at: usize, li: usize, raw: &str) -> Explained {
    let line = t.lines[li];
    let c = t
        .src
        .get(at..)
        .and_then(|s| s.chars().next())
        .unwrap_or('?');
    // A tag's error is reported after its `!`.
    let c = if raw.contains("tag") { '!' } else { c };
    let fixed = match (line.key(), find_colon(line.body())) {
        (Some(_), Some(col)) => {
            let vstart = line.key_col() + col + 1;
            format!(
                "{}: {}",
                &line.text[..vstart - 1],
                quoted(&line.text[vstart..])
            )
        }
        _ => format!("{}{}", spaces(line.key_col()), quoted(line.body())),
    };
    Explained {
        message: format!(
            "`{c}` has a special meaning in YAML and cannot start text that is not in quotes"
        ),
        span: t.char_span(at),
        label: format!("`{c}` here"),
        help: format!("Put the value in quotes:\n{fixed}\n({NOTHING_ELSE})"),
    }
}

fn document(t: &Text<'_>, at: usize) -> Explained {
    Explained {
        message: "a line starting with `---`, `...` or `%` marks where a YAML document starts or ends, and an agreement file holds exactly one".into(),
        span: t.char_span(at),
        label: "document marker".into(),
        help: format!(
            "Remove the marker line; if it is part of a text, indent it or put the text in quotes ({NOTHING_ELSE})."
        ),
    }
}

fn block_text(t: &Text<'_>, at: usize, raw: &str) -> Explained {
    let message = if raw.contains("comment intercepting") {
        "a `#` note in the middle of text that runs over several lines cuts the text in two"
    } else if raw.contains("wrongly indented") || raw.contains("indentation indicator") {
        "a line of the text after `|` or `>` is indented less than its first line"
    } else {
        "after `|` or `>` (text over several lines), the text must start on the next line"
    };
    Explained {
        message: message.into(),
        span: t.char_span(at),
        label: "here".into(),
        help: format!(
            "Indent every line of the text at least as far as its first line, start it on the line after `|` or `>`, and keep `#` notes out of it ({NOTHING_ELSE})."
        ),
    }
}

/// A colon and a space inside unquoted text (`role: Chief Executive: NHS Sussex`), or a
/// `key: value` line indented further than the line above.
fn colon_in_text(t: &Text<'_>, at: usize, li: usize) -> Explained {
    let line = t.lines[li];
    let body_start = line.start + line.key_col();
    let first = find_colon(line.body()).map(|c| body_start + c);
    match first {
        Some(c) if c < at => {
            let vstart = c + 1;
            let value = t.src.get(vstart..line.content_end()).unwrap_or("");
            let prefix = t.src.get(line.start..c).unwrap_or("");
            Explained {
                message: "a colon followed by a space inside text that is not in quotes: YAML reads it as the start of another key".into(),
                span: t.char_span(at),
                label: "this colon".into(),
                help: format!(
                    "Put the text in quotes:\n{prefix}: {}\n({NOTHING_ELSE})",
                    quoted(value)
                ),
            }
        }
        _ => {
            // `key:value` on the line above swallowed this line as more of its text.
            if let Some(x) = t.prev(li).and_then(|p| no_space_after_colon_at(t, p)) {
                return x;
            }
            // The line's own key: the line is indented further than it should be.
            let p = t.prev(li).map(|p| t.lines[p]);
            let (want, above) = match p {
                Some(p) => (
                    p.key_col(),
                    format!(
                        "`{}` on line {}",
                        p.key().unwrap_or(p.body().trim()),
                        p.number
                    ),
                ),
                None => (0, "the line above".to_string()),
            };
            let fixed = format!("{}{}", spaces(want), line.body());
            Explained {
                message: format!(
                    "line {} is indented further than {above}, so YAML reads it as more of that line's value, where a new key cannot start",
                    line.number
                ),
                span: Span::new(line.start + line.indent(), line.start + line.indent() + line.key().map_or(1, str::len)),
                label: "indented too far".into(),
                help: format!(
                    "Indent it as far as the other keys of the same group:\n{fixed}\n({NOTHING_ELSE})"
                ),
            }
        }
    }
}

/// `name:Jane` (no space after the colon) on the line reported or one of the lines above.
fn no_space_after_colon(t: &Text<'_>, li: usize) -> Option<Explained> {
    (li.saturating_sub(3)..=li.min(t.lines.len() - 1))
        .rev()
        .find_map(|j| no_space_after_colon_at(t, j))
}

/// `key:value` on line `j`, if it is written so.
fn no_space_after_colon_at(t: &Text<'_>, j: usize) -> Option<Explained> {
    {
        let line = t.lines[j];
        if line.is_blank() || find_colon(line.body()).is_some() {
            return None;
        }
        let body = line.body();
        let c = body.find(':')?;
        let key = &body[..c];
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return None;
        }
        let at = line.start + line.key_col() + c;
        let fixed = format!(
            "{}{}: {}",
            &line.text[..line.key_col()],
            key,
            &body[c + 1..]
        );
        Some(Explained {
            message: format!(
                "there is no space after the colon in `{}`, so YAML does not read `{key}` as a key",
                body.trim_end()
            ),
            span: t.char_span(at),
            label: "a space is missing after this colon".into(),
            help: format!("Put a space after the colon:\n{fixed}\n({NOTHING_ELSE})"),
        })
    }
}

fn not_key_value(t: &Text<'_>, li: usize) -> Explained {
    let j = if t.lines[li].is_blank() {
        t.prev(li).unwrap_or(li)
    } else {
        li
    };
    let line = t.lines[j];
    Explained {
        message: format!(
            "line {} is not a `key: value` line, but it is among lines that are",
            line.number
        ),
        span: Span::new(line.start + line.indent(), line.content_end().max(line.start + line.indent())),
        label: "not `key: value`".into(),
        help: format!(
            "Write it as `key: value` (with a space after the colon), or, if it continues the text of the line above, put that whole text in quotes ({NOTHING_ELSE})."
        ),
    }
}

/// A `key: value` line at the column of a list's `- `, where an item was expected.
fn not_an_item(t: &Text<'_>, li: usize) -> Explained {
    let line = t.lines[li];
    let indent = line.indent();
    // The item above: the nearest line above with a `- ` at this indentation or less.
    let item = (0..li)
        .rev()
        .map(|j| t.lines[j])
        .find(|l| !l.is_blank() && l.indent() <= indent && l.text[l.indent()..].starts_with('-'));
    let list = item.and_then(|it| {
        (0..it.number - 1)
            .rev()
            .map(|j| t.lines[j])
            .find(|l| !l.is_blank() && l.indent() < it.indent())
    });
    let list_name = list
        .and_then(|l| l.key())
        .map(|k| format!("`{k}`"))
        .unwrap_or_else(|| "the list".into());
    let dash = item.map_or(indent, |it| it.indent());
    let item_key_col = item.map_or(indent + 2, |it| it.key_col());
    let first_key = item.and_then(|it| it.key());
    let body = line.body();
    let span = Span::new(
        line.start + indent,
        line.start + indent + line.key().map_or(1, str::len),
    );
    if first_key.is_some() && first_key == line.key() {
        // The key that starts each item: this line starts a new item but lacks its `- `.
        return Explained {
            message: format!(
                "line {} starts a new item of {list_name} but is missing its `- `, so it cannot be read",
                line.number
            ),
            span,
            label: "`- ` missing".into(),
            help: format!(
                "Start the item with a dash and a space:\n{}- {body}\n({NOTHING_ELSE})",
                spaces(dash)
            ),
        };
    }
    let label;
    let message = if indent > dash && indent < item_key_col {
        label = "indented too little".to_string();
        format!(
            "line {} is indented less than the other keys of the item above ({} spaces), so it belongs neither to that item nor to {list_name}",
            line.number, item_key_col
        )
    } else {
        label = "neither in the item above nor a new item".to_string();
        format!(
            "line {} is indented as far as the `- ` of each item of {list_name}, so it is neither part of the item above nor a new item",
            line.number
        )
    };
    Explained {
        message,
        span,
        label,
        help: format!(
            "If it belongs to the item above, indent it like that item's other keys:\n{}{body}\nIf it starts a new item, begin it with `- `:\n{}- {body}\n({NOTHING_ELSE})",
            spaces(item_key_col),
            spaces(dash)
        ),
    }
}

/// A line where a `key: value` line was expected: a list item among keys, text after a closing
/// bracket, or a line indented out of step.
fn misplaced_line(t: &Text<'_>, at: usize, li: usize) -> Explained {
    let line = t.lines[li];
    let at_col = at - line.start;
    let before = line.text.get(..at_col).unwrap_or("");
    if let Some(close) = before.trim_end().strip_suffix([']', '}']).map(|s| s.len()) {
        let c = &line.text[close..close + 1];
        return Explained {
            message: format!("the line goes on after the closing `{c}`, which ends the list or group early"),
            span: t.char_span(line.start + close),
            label: format!("the `{c}` closes here"),
            help: format!(
                "Remove this `{c}`, or move it to the end of the line; text with commas inside `[ ]` or `{{ }}` goes in quotes ({NOTHING_ELSE})."
            ),
        };
    }
    if line.text[line.indent()..].starts_with('-') {
        let p = t.prev(li).map(|p| t.lines[p]);
        let hint = match p {
            Some(p) if !p.text.trim_end().ends_with(':') => match p.key() {
                Some(key) => format!(
                    " `{key}` on the line above already has a value, so it cannot also hold a list."
                ),
                None => {
                    " The line above already has a value, so it cannot also hold a list.".into()
                }
            },
            _ => String::new(),
        };
        return Explained {
            message: format!(
                "a list item (`- `) on line {} among `key: value` lines.{hint}",
                line.number
            ),
            span: t.char_span(line.start + line.indent()),
            label: "list item here".into(),
            help: format!(
                "Give the list its own key on the line above (`key:` with nothing after it), or write this line as `key: value` without the dash ({NOTHING_ELSE})."
            ),
        };
    }
    let p = t.prev(li).map(|p| t.lines[p]);
    let want = p.map_or(0, |p| p.key_col());
    Explained {
        message: format!(
            "line {} is indented differently from the lines above it ({} here), so YAML cannot tell which group of fields it belongs to",
            line.number,
            match line.indent() {
                1 => "1 space".to_string(),
                n => format!("{n} spaces"),
            }
        ),
        span: Span::new(line.start + line.indent(), line.content_end().max(line.start + line.indent() + 1).min(t.src.len())),
        label: "indented out of step".into(),
        help: format!(
            "Indent it as far as the other keys of its group, for example:\n{}{}\n({NOTHING_ELSE})",
            spaces(want),
            line.body()
        ),
    }
}

/// The last `[` or `{` before `at` that is not closed, when it is on an earlier line than `at`
/// (text in quotes and notes after `#` are skipped).
fn unclosed(t: &Text<'_>, at: usize) -> Option<Explained> {
    let mut open: Vec<(usize, u8)> = Vec::new();
    let end_line = t.line_of(at);
    for l in &t.lines[..=end_line] {
        let mut quote = None;
        let bytes = l.text.as_bytes();
        for (i, &c) in bytes.iter().enumerate() {
            let pos = l.start + i;
            if pos >= at {
                break;
            }
            match (quote, c) {
                (Some(q), _) if c == q => quote = None,
                (Some(_), _) => {}
                (None, b'#') if i == 0 || bytes[i - 1] == b' ' => break,
                (None, b'"' | b'\'')
                    if i == 0 || matches!(bytes[i - 1], b' ' | b'[' | b'{' | b',') =>
                {
                    quote = Some(c)
                }
                (None, b'[' | b'{') => open.push((pos, c)),
                (None, b']' | b'}') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    let &(pos, c) = open.last()?;
    let ol = t.line_of(pos);
    if ol == end_line {
        return None;
    }
    let line = t.lines[ol];
    let close = if c == b'[' { ']' } else { '}' };
    let end = line.content_end();
    let fixed = format!("{}{close}", t.src.get(line.start..end).unwrap_or(""));
    Some(Explained {
        message: format!(
            "the `{}` on line {} is never closed with `{close}`, so the lines after it are read as part of it",
            c as char, line.number
        ),
        // The line's last character (not its last byte: it may be `é`).
        span: Span::new(
            t.src[..end]
                .char_indices()
                .next_back()
                .map_or(end, |(i, _)| i)
                .max(line.start),
            end,
        ),
        label: format!("`{close}` missing at the end of this line"),
        help: format!("Close it at the end of its line:\n{fixed}\n({NOTHING_ELSE})"),
    })
}

fn bracket_content(t: &Text<'_>, at: usize, raw: &str) -> Explained {
    let (message, label) = if raw.contains("','") {
        (
            "inside `[ ]` or `{ }`, values must be separated by commas",
            "a comma is missing before this",
        )
    } else {
        (
            "a bracket or a colon here does not fit the list or group it is in",
            "here",
        )
    };
    Explained {
        message: message.into(),
        span: t.char_span(at),
        label: label.into(),
        help: format!(
            "Separate values inside `[ ]` and `{{ }}` with commas, close each bracket on the line it opens, and put text containing `,` `:` `[` `]` `{{` `}}` in quotes ({NOTHING_ELSE})."
        ),
    }
}

fn missing_value(t: &Text<'_>, at: usize) -> Explained {
    Explained {
        message: "a value is missing here, or a character here cannot start one".into(),
        span: t.char_span(at),
        label: "here".into(),
        help: format!("Write the value, or put it in quotes if it starts with a special character ({NOTHING_ELSE})."),
    }
}
