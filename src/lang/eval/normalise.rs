//! Text as `matches` and `first_match` read it: what a reader sees, not how it was typed.
//! Word processors put soft hyphens inside words, pasted text carries zero-width spaces and
//! full-width letters, and a Cyrillic `е` looks exactly like a Latin `e`; any of these would let
//! "surgery" pass a check for surgery. So text is put in Unicode compatibility form (NFKC:
//! full-width and other variant letters become plain ones), invisible characters are removed,
//! and Cyrillic and Greek letters that look like Latin ones are read as those.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// `text` as it is matched. Plain ASCII text, nearly all of an agreement, is returned as it is.
pub(super) fn for_matching(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.nfkc()
            .filter(|c| !is_invisible(*c))
            .map(look_alike)
            .collect(),
    )
}

/// Characters that show as nothing: soft hyphen, zero-width space, joiners, word joiner, byte
/// order mark.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// The Latin letter a Cyrillic or Greek letter is drawn like, or the letter itself.
fn look_alike(c: char) -> char {
    match c {
        // Cyrillic
        'а' => 'a',
        'е' => 'e',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'і' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'ԁ' => 'd',
        'һ' => 'h',
        'ӏ' => 'l',
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'Х' => 'X',
        'І' => 'I',
        'Ј' => 'J',
        'Ѕ' => 'S',
        // Greek
        'ο' => 'o',
        'α' => 'a',
        'ν' => 'v',
        'ρ' => 'p',
        'ι' => 'i',
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Ζ' => 'Z',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Υ' => 'Y',
        'Χ' => 'X',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::for_matching;

    #[test]
    fn reads_text_as_it_is_seen() {
        assert_eq!(for_matching("Minor surgery"), "Minor surgery");
        assert_eq!(for_matching("sur\u{00AD}gery"), "surgery");
        assert_eq!(for_matching("sur\u{200B}gery"), "surgery");
        assert_eq!(for_matching("surg\u{0435}ry"), "surgery");
        assert_eq!(for_matching("ｓｕｒｇｅｒｙ"), "surgery");
        assert_eq!(for_matching("Café"), "Café");
    }
}
