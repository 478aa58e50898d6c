//! Characters that deceive: ones YAML forbids, ones that are invisible, and letters from
//! another script that look like Latin ones. Names them for messages (`U+200B ZERO WIDTH
//! SPACE`). A leaf module.

/// True for a character YAML 1.2 does not allow in a stream (outside its printable set): the
/// C0 controls but tab, line feed and carriage return; DEL; the C1 controls but NEL; U+FFFE and
/// U+FFFF.
pub(crate) fn yaml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{84}'
        | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// True for a character that shows nothing (or nothing visible) on screen: zero-width and
/// format characters, the soft hyphen, bidirectional controls, the byte order mark inside
/// text, and spaces other than the plain one.
pub(crate) fn invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
        | '\u{ffa0}' | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e007f}'
        | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}')
        || c.is_control() && c != '\t' && c != '\n' && c != '\r'
}

/// The script of a letter, coarsely: enough to tell a Cyrillic or Greek look-alike in a Latin
/// word. None for characters that are not letters of these scripts (digits, punctuation).
pub(crate) fn script(c: char) -> Option<&'static str> {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}' => Some("Latin"),
        '\u{370}'..='\u{3ff}' | '\u{1f00}'..='\u{1fff}' => Some("Greek"),
        '\u{400}'..='\u{52f}' => Some("Cyrillic"),
        '\u{530}'..='\u{58f}' => Some("Armenian"),
        '\u{ff21}'..='\u{ff3a}' | '\u{ff41}'..='\u{ff5a}' => Some("fullwidth Latin"),
        _ => None,
    }
}

/// A character as a message names it: `U+200B ZERO WIDTH SPACE`, or `U+0435 (Cyrillic)`.
pub(crate) fn describe(c: char) -> String {
    let name = match c {
        '\u{0}' => "NULL",
        '\u{7}' => "BELL",
        '\u{8}' => "BACKSPACE",
        '\u{b}' => "LINE TABULATION",
        '\u{c}' => "FORM FEED",
        '\u{1b}' => "ESCAPE",
        '\u{7f}' => "DELETE",
        '\u{a0}' => "NO-BREAK SPACE",
        '\u{ad}' => "SOFT HYPHEN",
        '\u{200b}' => "ZERO WIDTH SPACE",
        '\u{200c}' => "ZERO WIDTH NON-JOINER",
        '\u{200d}' => "ZERO WIDTH JOINER",
        '\u{200e}' => "LEFT-TO-RIGHT MARK",
        '\u{200f}' => "RIGHT-TO-LEFT MARK",
        '\u{202e}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2060}' => "WORD JOINER",
        '\u{feff}' => "ZERO WIDTH NO-BREAK SPACE (byte order mark)",
        _ => "",
    };
    if !name.is_empty() {
        return format!("U+{:04X} {name}", c as u32);
    }
    match script(c) {
        Some(s) if s != "Latin" => format!("U+{:04X} (a {s} letter `{c}`)", c as u32),
        _ if c.is_control() => format!("U+{:04X} (a control character)", c as u32),
        _ => format!("U+{:04X}", c as u32),
    }
}

/// The first deceiving character of an identifier or key, with its byte offset: an invisible
/// one, or a letter of another script in a word that also has Latin letters (`ехс` with a
/// Cyrillic `е`). None when the text is clean.
pub(crate) fn deceiving(text: &str) -> Option<(usize, char)> {
    if let Some(found) = text.char_indices().find(|&(_, c)| invisible(c)) {
        return Some(found);
    }
    let latin = text.chars().any(|c| script(c) == Some("Latin"));
    if !latin {
        return None;
    }
    text.char_indices()
        .find(|&(_, c)| script(c).is_some_and(|s| s != "Latin"))
}

/// An identifier folded so that look-alikes meet: invisible characters dropped, Cyrillic and
/// Greek letters that look like Latin ones replaced by those, then lower-cased. Two ids with
/// the same skeleton look the same on screen.
pub(crate) fn skeleton(text: &str) -> String {
    text.chars()
        .filter(|&c| !invisible(c))
        .map(|c| match c {
            'а' | 'α' => 'a',
            'в' | 'β' => 'b',
            'с' | 'ϲ' => 'c',
            'е' | 'ε' => 'e',
            'һ' => 'h',
            'і' | 'ι' => 'i',
            'ј' => 'j',
            'к' | 'κ' => 'k',
            'м' => 'm',
            'н' | 'η' => 'h',
            'о' | 'ο' => 'o',
            'р' | 'ρ' => 'p',
            'ѕ' => 's',
            'т' | 'τ' => 't',
            'у' | 'υ' => 'y',
            'х' | 'χ' => 'x',
            'ԁ' => 'd',
            'ԛ' => 'q',
            'ԝ' => 'w',
            'А' | 'Α' => 'A',
            'В' | 'Β' => 'B',
            'С' => 'C',
            'Е' | 'Ε' => 'E',
            'Н' | 'Η' => 'H',
            'І' | 'Ι' => 'I',
            'Ј' => 'J',
            'К' | 'Κ' => 'K',
            'М' | 'Μ' => 'M',
            'О' | 'Ο' => 'O',
            'Р' | 'Ρ' => 'P',
            'Ѕ' => 'S',
            'Т' | 'Τ' => 'T',
            'Х' | 'Χ' => 'X',
            'У' | 'Υ' => 'Y',
            'Ζ' => 'Z',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deceiving_characters_are_found_and_named() {
        assert_eq!(deceiving("exc"), None);
        assert_eq!(deceiving("ex\u{200b}c"), Some((2, '\u{200b}')));
        assert_eq!(deceiving("\u{435}xc"), Some((0, '\u{435}')));
        assert_eq!(deceiving("Москва"), None, "a word wholly in one script");
        assert_eq!(describe('\u{200b}'), "U+200B ZERO WIDTH SPACE");
        assert_eq!(describe('\u{435}'), "U+0435 (a Cyrillic letter `е`)");
        assert_eq!(skeleton("\u{435}x\u{200b}c"), skeleton("EXC"));
        assert!(yaml_forbidden('\u{1b}') && !yaml_forbidden('\t') && !yaml_forbidden('\u{85}'));
    }
}
