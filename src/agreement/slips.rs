//! Drafting slips that YAML accepts but that silently change a legal value: a thousands comma
//! inside `{ }`, a ` #` inside unquoted text, a colon with no space after it inside `{ }`. Each
//! is read from the tree and the source text together, so the loader can report the slip where
//! it is written, with the corrected text, instead of the stray keys or the shortened text YAML
//! makes of it. (See "Slips the reader must catch" in the format page.)

use super::schema::Field;
use super::yaml::{Span, YamlNode, YamlValue};

/// An amount written with thousands commas inside `{ }`: YAML reads the first group as the
/// amount and each later group as a key of its own.
#[derive(Debug, PartialEq)]
pub(super) struct CommaAmount {
    /// How many of the following entries are the stray groups.
    pub stray: usize,
    /// The amount as written, `41,920,000` (with its `£` if there was one).
    pub written: String,
    /// What YAML read as the amount: `41`.
    pub read: String,
    /// The stray keys, as written.
    pub keys: Vec<String>,
    /// From the amount to the last stray group.
    pub span: Span,
}

fn plain(y: &YamlNode) -> Option<&str> {
    match &y.value {
        YamlValue::Scalar { value, plain: true } => Some(value.as_str()),
        _ => None,
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// True for an empty plain value (a key with no value).
fn empty(y: &YamlNode) -> bool {
    plain(y).is_some_and(|v| v.is_empty() || v == "~" || v == "null")
}

/// The amount `value`, followed by `rest` in the same mapping, when it was written with
/// thousands commas inside `{ }`: `amount: 41,920,000` or `amount: £223,015.99`.
pub(super) fn comma_amount(
    src: &str,
    value: &YamlNode,
    rest: &[(YamlNode, YamlNode)],
) -> Option<CommaAmount> {
    let first = plain(value)?.trim();
    let head = first.strip_prefix('£').unwrap_or(first);
    if !digits(head) || head.len() > 3 {
        return None;
    }
    let mut end = value.span.end;
    let mut keys = Vec::new();
    for (k, v) in rest {
        let Some(group) = plain(k) else { break };
        let (whole, pence) = match group.split_once('.') {
            Some((w, p)) => (w, Some(p)),
            None => (group, None),
        };
        let between = src.get(end..k.span.start).unwrap_or("");
        if whole.len() != 3
            || !digits(whole)
            || pence.is_some_and(|p| !digits(p) || p.len() > 2)
            || !empty(v)
            || between.trim() != ","
            || between.contains('\n')
        {
            break;
        }
        keys.push(group.to_string());
        end = k.span.end;
        if pence.is_some() {
            break;
        }
    }
    if keys.is_empty() {
        return None;
    }
    let written = std::iter::once(first.to_string())
        .chain(keys.iter().cloned())
        .collect::<Vec<_>>()
        .join(",");
    Some(CommaAmount {
        stray: keys.len(),
        written,
        read: head.to_string(),
        keys,
        span: Span::new(value.span.start, end),
    })
}

/// Where a ` #` cut unquoted text short: the span from the `#` to the end of its line, when the
/// plain text `span` is followed on its line by exactly one space (not a tab, not two spaces)
/// and a `#`. YAML reads that as a comment; in running text it is nearly always a clause or
/// item number (`See clause #12`). Two or more spaces, or a tab, before the `#` mark a comment
/// meant as one.
pub(super) fn cut_by_comment(src: &str, span: Span) -> Option<Span> {
    let after = src.get(span.end..)?;
    let rest = after.strip_prefix(" #")?;
    let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    let hash = span.end + 1;
    Some(Span::new(hash, hash + 1 + line_end))
}

/// The text a ` #` dropped, for a message: what follows the `#` on its line, trimmed.
pub(super) fn dropped(src: &str, at: Span) -> &str {
    src.get(at.start..at.end).unwrap_or("").trim_end()
}

/// A key written `partner:lbl` (no space after the colon, inside `{ }`), which YAML reads as one
/// key: the field it was meant as and the value that was meant for it.
pub(super) fn glued_key<'k>(
    key: &'k str,
    fields: &'static [Field],
) -> Option<(&'static Field, &'k str)> {
    let (name, value) = key.split_once(':')?;
    let field = super::schema::field(fields, name.trim())?;
    let value = value.trim();
    (!value.is_empty()).then_some((field, value))
}

/// Letters of other scripts that look like Latin ones, with the Latin letter each looks like.
const LOOK_ALIKES: &[(char, char)] = &[
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('у', 'y'),
    ('х', 'x'),
    ('і', 'i'),
    ('ј', 'j'),
    ('ѕ', 's'),
    ('һ', 'h'),
    ('ԁ', 'd'),
    ('ԛ', 'q'),
    ('ԝ', 'w'),
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('Х', 'X'),
    ('ο', 'o'),
    ('α', 'a'),
    ('ε', 'e'),
    ('ι', 'i'),
    ('κ', 'k'),
    ('ν', 'v'),
    ('ρ', 'p'),
    ('υ', 'u'),
    ('Ο', 'O'),
    ('Α', 'A'),
];

/// `key` with look-alike letters of other scripts replaced by the Latin letters they look
/// like, and the first such letter: (the letter, the Latin one, its 1-based position).
pub(super) fn latin_look_alikes(key: &str) -> (String, Option<(char, char, usize)>) {
    let mut first = None;
    let latin = key
        .chars()
        .enumerate()
        .map(|(i, c)| match LOOK_ALIKES.iter().find(|(o, _)| *o == c) {
            Some(&(o, l)) => {
                first.get_or_insert((o, l, i + 1));
                l
            }
            None => c,
        })
        .collect();
    (latin, first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::yaml;

    fn entries(src: &str) -> Vec<(YamlNode, YamlNode)> {
        match yaml::parse(src) {
            Ok(Some(YamlNode {
                value: YamlValue::Map(es),
                ..
            })) => es,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn commas_in_braces_are_one_amount() {
        let src = "{partner: lbl, amount: 4,183,000, year: 2025-26}";
        let es = entries(src);
        let c = comma_amount(src, &es[1].1, &es[2..]).expect("a comma amount");
        assert_eq!(c.written, "4,183,000");
        assert_eq!(c.read, "4");
        assert_eq!(c.stray, 2);
        assert_eq!(&src[c.span.start..c.span.end], "4,183,000");

        let src = "{amount: £223,015.99}";
        let es = entries(src);
        let c = comma_amount(src, &es[0].1, &es[1..]).expect("with pence");
        assert_eq!(c.written, "£223,015.99");
        assert_eq!(c.read, "223");

        // A comma that does separate values is left alone.
        let src = "{amount: 4, 183: x}";
        let es = entries(src);
        assert_eq!(comma_amount(src, &es[0].1, &es[1..]), None);
    }

    #[test]
    fn one_space_before_a_hash_cuts_the_text() {
        let src = "a: See clause #12 and more\nb: text  # a note\n";
        let at = cut_by_comment(src, Span::new(3, 13)).expect("cut");
        assert_eq!(dropped(src, at), "#12 and more");
        assert_eq!(cut_by_comment(src, Span::new(30, 34)), None);
    }
}
