use crate::{
    char_traits::{
        is_alpha, is_blank, is_blank_or_breakz, is_break, is_breakz, is_digit, is_flow,
        is_yaml_non_break, is_z,
    },
    input::{Input, SkipTabs},
};
use alloc::string::String;

/// A parser input that uses a `&str` as source.
#[allow(clippy::module_name_repetitions)]
#[derive(Clone, Copy)]
pub struct StrInput<'a> {
    /// The input str buffer.
    buffer: &'a str,
    /// The number of characters we have looked ahead.
    ///
    /// We must however keep track of how many characters the parser asked us to look ahead for so
    /// that we can return the correct value in [`Self::buflen`].
    lookahead: usize,
}

impl<'a> StrInput<'a> {
    /// Create a new [`StrInput`] with the given str.
    #[must_use]
    pub fn new(input: &'a str) -> Self {
        Self {
            buffer: input,
            lookahead: 0,
        }
    }
}

impl Input for StrInput<'_> {
    #[inline]
    fn lookahead(&mut self, x: usize) {
        // We already have all characters that we need.
        // We cannot add '\0's to the buffer should we prematurely reach EOF.
        // Returning '\0's befalls the character-retrieving functions.
        self.lookahead = self.lookahead.max(x);
    }

    #[inline]
    fn buflen(&self) -> usize {
        self.lookahead
    }

    #[inline]
    fn bufmaxlen(&self) -> usize {
        BUFFER_LEN
    }

    fn buf_is_empty(&self) -> bool {
        self.buflen() == 0
    }

    #[inline]
    fn raw_read_ch(&mut self) -> char {
        let mut chars = self.buffer.chars();
        if let Some(c) = chars.next() {
            self.buffer = chars.as_str();
            c
        } else {
            '\0'
        }
    }

    #[inline]
    fn raw_read_non_breakz_ch(&mut self) -> Option<char> {
        if let Some((c, sub_str)) = split_first_char(self.buffer) {
            if is_yaml_non_break(c) {
                self.buffer = sub_str;
                Some(c)
            } else {
                None
            }
        } else {
            None
        }
    }

    #[inline]
    fn skip(&mut self) {
        let mut chars = self.buffer.chars();
        if chars.next().is_some() {
            self.buffer = chars.as_str();
        }
    }

    #[inline]
    fn skip_n(&mut self, count: usize) {
        let mut chars = self.buffer.chars();
        for _ in 0..count {
            if chars.next().is_none() {
                break;
            }
        }
        self.buffer = chars.as_str();
    }

    #[inline]
    fn peek(&self) -> char {
        self.buffer.chars().next().unwrap_or('\0')
    }

    #[inline]
    fn peek_nth(&self, n: usize) -> char {
        let mut chars = self.buffer.chars();
        for _ in 0..n {
            if chars.next().is_none() {
                return '\0';
            }
        }
        chars.next().unwrap_or('\0')
    }

    #[inline]
    fn peek_opt(&self) -> Option<char> {
        self.buffer.chars().next()
    }

    #[inline]
    fn look_ch(&mut self) -> char {
        self.lookahead(1);
        self.peek()
    }

    #[inline]
    fn next_char_is(&self, c: char) -> bool {
        self.peek() == c
    }

    #[inline]
    fn nth_char_is(&self, n: usize, c: char) -> bool {
        self.peek_nth(n) == c
    }

    #[inline]
    fn next_2_are(&self, c1: char, c2: char) -> bool {
        let mut chars = self.buffer.chars();
        chars.next() == Some(c1) && chars.next() == Some(c2)
    }

    #[inline]
    fn next_3_are(&self, c1: char, c2: char, c3: char) -> bool {
        let mut chars = self.buffer.chars();
        chars.next() == Some(c1) && chars.next() == Some(c2) && chars.next() == Some(c3)
    }

    #[inline]
    fn next_is_document_indicator(&self) -> bool {
        if self.buffer.len() < 3 {
            false
        } else {
            // Since all characters we look for are ascii, we can directly use the byte API of str.
            let bytes = self.buffer.as_bytes();
            (bytes.len() == 3 || is_blank_or_breakz(bytes[3] as char))
                && (bytes[0] == b'.' || bytes[0] == b'-')
                && bytes[0] == bytes[1]
                && bytes[1] == bytes[2]
        }
    }

    #[inline]
    fn next_is_document_start(&self) -> bool {
        if self.buffer.len() < 3 {
            false
        } else {
            // Since all characters we look for are ascii, we can directly use the byte API of str.
            let bytes = self.buffer.as_bytes();
            (bytes.len() == 3 || is_blank_or_breakz(bytes[3] as char))
                && bytes[0] == b'-'
                && bytes[1] == b'-'
                && bytes[2] == b'-'
        }
    }

    #[inline]
    fn next_is_document_end(&self) -> bool {
        if self.buffer.len() < 3 {
            false
        } else {
            // Since all characters we look for are ascii, we can directly use the byte API of str.
            let bytes = self.buffer.as_bytes();
            (bytes.len() == 3 || is_blank_or_breakz(bytes[3] as char))
                && bytes[0] == b'.'
                && bytes[1] == b'.'
                && bytes[2] == b'.'
        }
    }

    fn skip_ws_to_eol(&mut self, skip_tabs: SkipTabs) -> (usize, Result<SkipTabs, &'static str>) {
        assert!(!matches!(skip_tabs, SkipTabs::Result(..)));

        let mut new_str = self.buffer;
        let mut has_yaml_ws = false;
        let mut encountered_tab = false;

        // This ugly pair of loops is the fastest way of trimming spaces (and maybe tabs) I found
        // while keeping track of whether we encountered spaces and/or tabs.
        if skip_tabs == SkipTabs::Yes {
            loop {
                if let Some(sub_str) = new_str.strip_prefix(' ') {
                    has_yaml_ws = true;
                    new_str = sub_str;
                } else if let Some(sub_str) = new_str.strip_prefix('\t') {
                    encountered_tab = true;
                    new_str = sub_str;
                } else {
                    break;
                }
            }
        } else {
            while let Some(sub_str) = new_str.strip_prefix(' ') {
                has_yaml_ws = true;
                new_str = sub_str;
            }
        }

        // All characters consumed were ascii. We can use the byte length difference to count the
        // number of whitespace ignored.
        let mut chars_consumed = self.buffer.len() - new_str.len();

        if !new_str.is_empty() && new_str.as_bytes()[0] == b'#' {
            if !encountered_tab && !has_yaml_ws {
                return (
                    chars_consumed,
                    Err("comments must be separated from other tokens by whitespace"),
                );
            }

            // Skip remaining non-break characters.
            while let Some((c, sub_str)) = split_first_char(new_str) {
                if !is_yaml_non_break(c) {
                    break;
                }
                new_str = sub_str;
                chars_consumed += 1;
            }
        }

        self.buffer = new_str;

        (
            chars_consumed,
            Ok(SkipTabs::Result(encountered_tab, has_yaml_ws)),
        )
    }

    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn next_can_be_plain_scalar(&self, in_flow: bool) -> bool {
        let nc = self.peek_nth(1);
        match self.peek() {
            // indicators can end a plain scalar, see 7.3.3. Plain Style
            ':' if is_blank_or_breakz(nc) || (in_flow && is_flow(nc)) => false,
            // A byte order mark isn't a plain scalar character, see 5.2. Character Encodings
            '\u{FEFF}' => false,
            c if in_flow && is_flow(c) => false,
            _ => true,
        }
    }

    #[inline]
    fn next_is_blank_or_break(&self) -> bool {
        !self.buffer.is_empty()
            && (is_blank(self.buffer.as_bytes()[0] as char)
                || is_break(self.buffer.as_bytes()[0] as char))
    }

    #[inline]
    fn next_is_blank_or_breakz(&self) -> bool {
        self.buffer.is_empty()
            || (is_blank(self.buffer.as_bytes()[0] as char)
                || is_breakz(self.buffer.as_bytes()[0] as char))
    }

    #[inline]
    fn next_is_blank(&self) -> bool {
        !self.buffer.is_empty() && is_blank(self.buffer.as_bytes()[0] as char)
    }

    #[inline]
    fn next_is_break(&self) -> bool {
        !self.buffer.is_empty() && is_break(self.buffer.as_bytes()[0] as char)
    }

    #[inline]
    fn next_is_breakz(&self) -> bool {
        self.buffer.is_empty() || is_breakz(self.buffer.as_bytes()[0] as char)
    }

    #[inline]
    fn next_is_z(&self) -> bool {
        self.buffer.is_empty() || is_z(self.buffer.as_bytes()[0] as char)
    }

    #[inline]
    fn next_is_flow(&self) -> bool {
        !self.buffer.is_empty() && is_flow(self.buffer.as_bytes()[0] as char)
    }

    #[inline]
    fn next_is_digit(&self) -> bool {
        !self.buffer.is_empty() && is_digit(self.buffer.as_bytes()[0] as char)
    }

    #[inline]
    fn next_is_alpha(&self) -> bool {
        !self.buffer.is_empty() && is_alpha(self.buffer.as_bytes()[0] as char)
    }

    fn skip_while_non_breakz(&mut self) -> usize {
        let mut new_str = self.buffer;
        let mut count = 0;

        // Skip over all non-breaks.
        while let Some((c, sub_str)) = split_first_char(new_str) {
            if !is_yaml_non_break(c) {
                break;
            }
            new_str = sub_str;
            count += 1;
        }

        self.buffer = new_str;

        count
    }

    fn skip_while_blank(&mut self) -> usize {
        // Since all characters we look for are ascii, we can directly use the byte API of str.
        let mut i = 0;
        while i < self.buffer.len() {
            if !is_blank(self.buffer.as_bytes()[i] as char) {
                break;
            }
            i += 1;
        }
        self.buffer = &self.buffer[i..];
        i
    }

    fn fetch_while_is_alpha(&mut self, out: &mut String) -> usize {
        let mut not_alpha = None;

        // Skip while we have alpha characters.
        let mut chars = self.buffer.chars();
        for c in chars.by_ref() {
            if !is_alpha(c) {
                not_alpha = Some(c);
                break;
            }
        }

        let remaining_string = if let Some(c) = not_alpha {
            let n_bytes_read = chars.as_str().as_ptr() as usize - self.buffer.as_ptr() as usize;
            let last_char_bytes = c.len_utf8();
            &self.buffer[n_bytes_read - last_char_bytes..]
        } else {
            chars.as_str()
        };

        let n_bytes_to_append = remaining_string.as_ptr() as usize - self.buffer.as_ptr() as usize;
        out.reserve(n_bytes_to_append);
        out.push_str(&self.buffer[..n_bytes_to_append]);
        self.buffer = remaining_string;

        n_bytes_to_append
    }

    fn fetch_while_is_yaml_non_space(&mut self, out: &mut String) -> usize {
        let mut not_non_space = None;

        // Skip while we have non-space characters.
        let mut chars = self.buffer.chars();
        for c in chars.by_ref() {
            if !crate::char_traits::is_yaml_non_space(c) {
                not_non_space = Some(c);
                break;
            }
        }

        let remaining_string = if let Some(c) = not_non_space {
            let n_bytes_read = chars.as_str().as_ptr() as usize - self.buffer.as_ptr() as usize;
            let last_char_bytes = c.len_utf8();
            &self.buffer[n_bytes_read - last_char_bytes..]
        } else {
            chars.as_str()
        };

        let n_bytes_to_append = remaining_string.as_ptr() as usize - self.buffer.as_ptr() as usize;
        out.reserve(n_bytes_to_append);
        out.push_str(&self.buffer[..n_bytes_to_append]);
        self.buffer = remaining_string;

        n_bytes_to_append
    }

    fn fetch_plain_scalar_run(&mut self, in_flow: bool, out: &mut String) -> usize {
        // Same rules as the scanner's character loop in `scan_plain_scalar`, one byte at a time
        // through a table, without decoding UTF-8 or checking the buffer for every character.
        let plain = if in_flow {
            PLAIN_IN_FLOW
        } else {
            PLAIN_IN_BLOCK
        };
        let bytes = self.buffer.as_bytes();
        let mut i = 0;
        let mut n_chars = 0;
        while let Some(&b) = bytes.get(i) {
            if PLAIN_BYTE[b as usize] & plain != 0 {
                i += 1;
            } else if b == b':' {
                // A `:` is content unless followed by a blank, a breakz (end of input included)
                // or, in flow context, a flow character. Any other byte is one the table takes,
                // another `:` or the first byte of a non-ASCII character.
                match bytes.get(i + 1) {
                    Some(&nb)
                        if nb == b':' || nb >= 0x80 || PLAIN_BYTE[nb as usize] & plain != 0 =>
                    {
                        i += 1;
                    }
                    _ => break,
                }
            } else if b >= 0x80 {
                // Non-ASCII characters are never blanks, breaks or flow characters; only the
                // byte order mark ends a plain scalar. `i` is on a character boundary.
                match self.buffer[i..].chars().next() {
                    Some(c) if c != '\u{FEFF}' => i += c.len_utf8(),
                    _ => break,
                }
            } else {
                break;
            }
            n_chars += 1;
        }
        out.push_str(&self.buffer[..i]);
        self.buffer = &self.buffer[i..];
        n_chars
    }
}

/// In [`PLAIN_BYTE`], an ASCII byte that is part of a plain scalar in block context, whatever
/// follows it: anything but a blank, a breakz (`\0`, `\r`, `\n`) and `:`.
const PLAIN_IN_BLOCK: u8 = 1;
/// In [`PLAIN_BYTE`], an ASCII byte that is part of a plain scalar in flow context, whatever
/// follows it: as in block context, and not a flow character (`,[]{}`) either.
const PLAIN_IN_FLOW: u8 = 2;

/// For each byte, whether it is part of a plain scalar on its own in block and in flow context
/// (see [`Input::fetch_plain_scalar_run`]). Bytes of non-ASCII characters are 0: they are
/// checked as whole characters.
static PLAIN_BYTE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b: u8 = 0;
    while b < 0x80 {
        table[b as usize] = match b {
            b'\0' | b'\t' | b'\n' | b'\r' | b' ' | b':' => 0,
            b',' | b'[' | b']' | b'{' | b'}' => PLAIN_IN_BLOCK,
            _ => PLAIN_IN_BLOCK | PLAIN_IN_FLOW,
        };
        b += 1;
    }
    table
};

/// The buffer size we return to the scanner.
///
/// This does not correspond to any allocated buffer size. In practice, the scanner can withdraw
/// any character they want. If it's within the input buffer, the given character is returned,
/// otherwise `\0` is returned.
///
/// The number of characters we are asked to retrieve in [`lookahead`] depends on the buffer size
/// of the input. Our buffer here is virtually unlimited, but the scanner cannot work with that. It
/// may allocate buffers of its own of the size we return in [`bufmaxlen`] (so we can't return
/// [`usize::MAX`]). We can't always return the number of characters left either, as the scanner
/// expects [`buflen`] to return the same value that was given to [`lookahead`] right after its
/// call.
///
/// This create a complex situation where [`bufmaxlen`] influences what value [`lookahead`] is
/// called with, which in turns dictates what [`buflen`] returns. In order to avoid breaking any
/// function, we return this constant in [`bufmaxlen`] which, since the input is processed one line
/// at a time, should fit what we expect to be a good balance between memory consumption and what
/// we expect the maximum line length to be.
///
/// [`lookahead`]: `StrInput::lookahead`
/// [`bufmaxlen`]: `StrInput::bufmaxlen`
/// [`buflen`]: `StrInput::buflen`
const BUFFER_LEN: usize = 128;

/// Splits the first character of the given string and returns it along with the rest of the
/// string.
#[inline]
fn split_first_char(s: &str) -> Option<(char, &str)> {
    let mut chars = s.chars();
    let c = chars.next()?;
    Some((c, chars.as_str()))
}

#[cfg(test)]
mod test {
    use alloc::{string::String, vec::Vec};

    use crate::BufferedInput;
    use crate::input::Input;
    use crate::scanner::{Marker, ScanError, Scanner, Token};

    use super::StrInput;

    /// What `fetch_plain_scalar_run` takes from the start of `text`, how many characters that
    /// is, and what it leaves.
    fn run(text: &str, in_flow: bool) -> (String, usize, String) {
        let mut input = StrInput::new(text);
        let mut out = String::new();
        let n = input.fetch_plain_scalar_run(in_flow, &mut out);
        let rest = String::from(input.buffer);
        (out, n, rest)
    }

    #[test]
    pub fn plain_scalar_run_stops_where_a_plain_scalar_may_end() {
        let cases: &[(&str, bool, &str, usize)] = &[
            // `:` is content unless a blank, a break, the end or (in flow) `,[]{}` follows.
            ("a:b rest", false, "a:b", 3),
            ("a::b rest", false, "a::b", 4),
            ("http://x/y#z?q=1 rest", false, "http://x/y#z?q=1", 16),
            ("key: value", false, "key", 3),
            ("key:\tvalue", false, "key", 3),
            ("key:\nvalue", false, "key", 3),
            ("key:\r\nvalue", false, "key", 3),
            ("key:", false, "key", 3),
            ("a:\u{e9}", false, "a:\u{e9}", 3),
            // `#` is content when it does not follow a blank; the run stops at the blank.
            ("a#b", false, "a#b", 3),
            ("a #b", false, "a", 1),
            // Flow characters end a plain scalar only in flow context.
            ("a,b]", false, "a,b]", 4),
            ("a,b]", true, "a", 1),
            ("a]", true, "a", 1),
            ("a}", true, "a", 1),
            ("a:,b", false, "a:,b", 4),
            ("a:,b", true, "a", 1),
            ("a:b,c", true, "a:b", 3),
            // Blanks, breaks and NUL.
            ("ab\tc", false, "ab", 2),
            ("ab\nc", false, "ab", 2),
            ("ab\r\nc", false, "ab", 2),
            ("ab\0c", false, "ab", 2),
            ("", false, "", 0),
            // Non-ASCII characters count as one each; only the byte order mark stops the run.
            ("\u{e9}t\u{e9} \u{a3}", false, "\u{e9}t\u{e9}", 3),
            (
                "\u{a3}5,300\u{20ac}\u{1f600}x y",
                false,
                "\u{a3}5,300\u{20ac}\u{1f600}x",
                9,
            ),
            ("ab\u{FEFF}c", false, "ab", 2),
            // Other control characters are content, as in the character loop.
            ("a\u{1}b\u{7f}c d", false, "a\u{1}b\u{7f}c", 5),
        ];
        for &(text, in_flow, taken, n) in cases {
            let (out, count, rest) = run(text, in_flow);
            assert_eq!(
                (out.as_str(), count),
                (taken, n),
                "{text:?} in_flow={in_flow}"
            );
            assert_eq!(rest, text[taken.len()..], "{text:?} in_flow={in_flow}");
        }
    }

    #[test]
    pub fn plain_scalar_run_takes_a_very_long_scalar_whole() {
        let long: String = "abcdefghij:0123456789#".repeat(1000);
        let text = format!("{long} tail");
        let (out, n, rest) = run(&text, false);
        assert_eq!(
            (out.len(), n, rest.as_str()),
            (long.len(), long.len(), " tail")
        );
    }

    /// The tokens (spans included), the error and the final position of scanning `text`.
    fn scan<'a, T: Input>(input: T) -> (Vec<Token<'a>>, Option<ScanError>, Marker) {
        let mut scanner = Scanner::new(input);
        let tokens = scanner.by_ref().collect();
        (tokens, scanner.get_error(), scanner.mark())
    }

    /// Scanning from a `&str` (which takes runs of plain scalar at once) gives exactly what
    /// scanning one character at a time gives ([`BufferedInput`] has no fast path).
    fn assert_same_as_char_by_char(text: &str) {
        let fast = scan(StrInput::new(text));
        let slow = scan(BufferedInput::new(text.chars()));
        assert_eq!(fast, slow, "{text:?}");
    }

    #[test]
    pub fn plain_scalars_scan_as_one_character_at_a_time() {
        let long = "word".repeat(300);
        let cases = [
            "a:b",
            "a :b",
            "a#b",
            "a #b",
            "key: value # c",
            "key: value#c",
            "key:value",
            "[a,b]",
            "[a, b]",
            "[a:b, c]",
            "[a: b]",
            "[http://x, y]",
            "{a: b}",
            "{a:b}",
            "{a: b, c: d}",
            "{a,b}",
            "- a,b]\n- c",
            "key: first line\n  second line\n\n  third\nnext: x\n",
            "key: first\r\n  second\r\nnext: x\r\n",
            "key: a\tb\t\n  c\td\n",
            "\ta: b",
            "key: caf\u{e9} \u{a3}5,300 \u{1f600}x\u{e9}y\n",
            "key: ab\u{FEFF}cd\n",
            "---\nkey: value\n...\n---\nplain\n...\n",
            "plain\n---\nnext\n",
            "a\n--- b\n",
            "a\n---b\n",
            "a\n...x\n",
            "key: value\0rest",
            "key: value:",
            "key: a::b",
            "- -a\n- a-b\n",
            "[a -,b]",
            "[-,b]",
            &long,
            &format!("key: {long} {long}\n  {long}:x\n"),
            &format!("[{long}, {long}:{long}]"),
        ];
        for text in cases {
            assert_same_as_char_by_char(text);
        }
    }

    #[test]
    pub fn short_texts_scan_as_one_character_at_a_time() {
        // Every text up to four characters long over the characters that matter to plain
        // scalars, inside plain scalars in block and flow context.
        const CHARS: [char; 15] = [
            'a', ' ', ':', '#', ',', '[', ']', '{', '}', '-', '\n', '\r', '\t', '\u{e9}',
            '\u{FEFF}',
        ];
        let mut texts = vec![String::new()];
        let mut longest = vec![String::new()];
        for _ in 0..4 {
            longest = longest
                .iter()
                .flat_map(|t| CHARS.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend_from_slice(&longest);
        }
        for t in &texts {
            for text in [
                format!("x{t}"),
                format!("k: x{t}y"),
                format!("- x{t}\n  y"),
                format!("[x{t}y]"),
                format!("{{k: x{t}y}}"),
            ] {
                assert_same_as_char_by_char(&text);
            }
        }
    }

    #[test]
    pub fn is_document_start() {
        let input = StrInput::new("---\n");
        assert!(input.next_is_document_start());
        assert!(input.next_is_document_indicator());
        let input = StrInput::new("---");
        assert!(input.next_is_document_start());
        assert!(input.next_is_document_indicator());
        let input = StrInput::new("...\n");
        assert!(!input.next_is_document_start());
        assert!(input.next_is_document_indicator());
        let input = StrInput::new("--- ");
        assert!(input.next_is_document_start());
        assert!(input.next_is_document_indicator());
    }

    #[test]
    pub fn is_document_end() {
        let input = StrInput::new("...\n");
        assert!(input.next_is_document_end());
        assert!(input.next_is_document_indicator());
        let input = StrInput::new("...");
        assert!(input.next_is_document_end());
        assert!(input.next_is_document_indicator());
        let input = StrInput::new("---\n");
        assert!(!input.next_is_document_end());
        assert!(input.next_is_document_indicator());
        let input = StrInput::new("... ");
        assert!(input.next_is_document_end());
        assert!(input.next_is_document_indicator());
    }
}
