//! saphyr's markers count characters; spans count bytes. [`CharToByte`] turns one into the other
//! in O(1) amortised per lookup, as the parser's events arrive in (nearly) increasing order.

use std::cell::{Cell, OnceCell};

/// Characters between two checkpoints of the char-to-byte table.
const STRIDE: usize = 32;

/// Maps saphyr's character indices to byte offsets in O(1) amortised per lookup.
pub(super) struct CharToByte<'a> {
    src: &'a str,
    /// Byte offset of every `STRIDE`-th character, built on the first long jump back (most
    /// files never need it); never built when the source is ASCII.
    checkpoints: OnceCell<Vec<usize>>,
    ascii: bool,
    /// The last character index looked up and its byte offset. Events arrive in (nearly)
    /// increasing order, so most lookups walk a few characters on (or back) from here.
    cursor: Cell<(usize, usize)>,
    /// The bytes from the cursor's up to this offset are known to be ASCII, so a lookup that
    /// lands before it is one addition.
    ascii_until: Cell<usize>,
    /// Bytes stepped over by slow lookups, so tests can hold the lookups to linear work
    /// without timing them.
    #[cfg(test)]
    stepped: Cell<usize>,
}

impl<'a> CharToByte<'a> {
    /// Farthest the cursor walks back. A longer jump back goes through the checkpoints (as do
    /// long jumps forward once they exist), so lookups stay O(1) amortised in any order.
    const WALK: usize = 4 * STRIDE;
    /// Most bytes scanned ahead for `ascii_until` per slow lookup.
    const AHEAD: usize = 256;

    pub(super) fn new(src: &'a str) -> Self {
        CharToByte {
            src,
            checkpoints: OnceCell::new(),
            ascii: src.is_ascii(),
            cursor: Cell::new((0, 0)),
            ascii_until: Cell::new(0),
            #[cfg(test)]
            stepped: Cell::new(0),
        }
    }

    /// The byte offset of the character at `char_index` (the end of the text past its end).
    #[inline]
    pub(super) fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.src.len());
        }
        let (at_char, at_byte) = self.cursor.get();
        if let Some(ahead) = char_index.checked_sub(at_char) {
            let byte = at_byte.saturating_add(ahead);
            if byte < self.ascii_until.get() {
                self.cursor.set((char_index, byte));
                return byte;
            }
        }
        self.walk(char_index)
    }

    /// Counts bytes stepped over (tests only).
    #[inline]
    fn step(&self, _bytes: usize) {
        #[cfg(test)]
        self.stepped.set(self.stepped.get() + _bytes);
    }

    /// [`Self::byte`] when the answer is not in the known ASCII stretch after the cursor. Kept
    /// out of line so that the fast path inlines into the event loop.
    #[inline(never)]
    fn walk(&self, char_index: usize) -> usize {
        let len = self.src.len();
        let bytes = self.src.as_bytes();
        let is_start = |i: usize| bytes.get(i).is_some_and(|&b| b & 0xC0 != 0x80);
        let (mut at_char, mut at_byte) = self.cursor.get();
        if char_index < at_char && at_char - char_index <= Self::WALK {
            // Back over character starts; at_char > 0 means at_byte > 0.
            let from = at_byte;
            while at_char > char_index && at_byte > 0 {
                at_byte -= 1;
                if is_start(at_byte) {
                    at_char -= 1;
                }
            }
            self.step(from - at_byte);
        } else if char_index < at_char
            || (char_index - at_char > Self::WALK && self.checkpoints.get().is_some())
        {
            // Far back: from the checkpoint table. Far forward without the table, walking on
            // stays linear in all: until it is built the cursor never steps back more than WALK.
            let checkpoints = self.checkpoints.get_or_init(|| {
                self.step(len);
                self.src
                    .char_indices()
                    .step_by(STRIDE)
                    .map(|(i, _)| i)
                    .collect()
            });
            let Some(&base) = checkpoints.get(char_index / STRIDE) else {
                return len;
            };
            (at_char, at_byte) = (char_index / STRIDE * STRIDE, base);
        } else {
            // Forward from the cursor: over the stretch already known to be ASCII without
            // looking at it again (the answer lies at or past its end, or `byte` had it).
            let known = self.ascii_until.get().saturating_sub(at_byte);
            if char_index - at_char >= known {
                (at_char, at_byte) = (at_char + known, at_byte + known);
            }
        }
        let walked_from = at_byte;
        while at_char < char_index {
            // A run of ASCII (most text between two events) one byte per character...
            let need = char_index - at_char;
            let run = bytes
                .get(at_byte..at_byte.saturating_add(need).min(len))
                .map_or(0, ascii_prefix);
            (at_char, at_byte) = (at_char + run, at_byte + run);
            if at_char == char_index || at_byte >= len {
                break;
            }
            // ...then one other character, over the bytes that continue it.
            at_byte += 1;
            while at_byte < len && !is_start(at_byte) {
                at_byte += 1;
            }
            at_char += 1;
        }
        self.step(at_byte - walked_from);
        if at_char != char_index || at_byte >= len {
            return len;
        }
        self.cursor.set((at_char, at_byte));
        let ahead = bytes
            .get(at_byte..at_byte.saturating_add(Self::AHEAD).min(len))
            .map_or(0, ascii_prefix);
        self.step(ahead);
        self.ascii_until.set(at_byte + ahead);
        at_byte
    }
}

/// How many bytes at the start of `b` are ASCII; 16 at a time, as `is_ascii` tests a whole
/// word per step.
fn ascii_prefix(b: &[u8]) -> usize {
    let mut n = 0;
    for chunk in b.chunks(16) {
        if !chunk.is_ascii() {
            return n + chunk.iter().position(|c| !c.is_ascii()).unwrap_or(0);
        }
        n += chunk.len();
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_to_byte_table_matches_char_indices() {
        let src = "aé£😀b".repeat(40);
        let map = CharToByte::new(&src);
        for (n, (i, _)) in src.char_indices().enumerate() {
            assert_eq!(map.byte(n), i);
        }
        let chars = src.chars().count();
        assert_eq!(map.byte(chars), src.len());
        assert_eq!(map.byte(chars + 100), src.len());
        let ascii = CharToByte::new("abc");
        assert_eq!((ascii.byte(2), ascii.byte(9)), (2, 3));
    }

    #[test]
    fn ascii_prefix_stops_at_the_first_other_byte() {
        let text = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(3);
        for at in 0..=text.len() {
            let mut b = text.as_bytes().to_vec();
            b.insert(at, 0xC2);
            assert_eq!(ascii_prefix(&b), at);
        }
        assert_eq!(ascii_prefix(text.as_bytes()), text.len());
        assert_eq!(ascii_prefix(b""), 0);
    }

    #[test]
    fn char_to_byte_cursor_agrees_in_any_order() {
        let src = "aé£😀b".repeat(200) + "tail é";
        let want: Vec<usize> = src.char_indices().map(|(i, _)| i).collect();
        let chars = want.len();
        let map = CharToByte::new(&src);
        let at = |n: usize| want.get(n).copied().unwrap_or(src.len());
        // Forward in small steps (the cursor), then jumps past checkpoints.
        for n in 0..chars {
            assert_eq!(map.byte(n), at(n), "forward {n}");
        }
        for step in [37, 300] {
            for n in (0..chars).step_by(step) {
                assert_eq!(map.byte(n), at(n), "jump {n}");
            }
        }
        assert_eq!(map.byte(chars - 1), at(chars - 1));
        assert_eq!(map.byte(700), at(700));
        assert_eq!(map.byte(5), at(5));
        // Backwards, within a stride and across checkpoints.
        for n in (0..chars).rev() {
            assert_eq!(map.byte(n), at(n), "backward {n}");
        }
        // Past the end, then back inside: the cursor must not be left past the end.
        assert_eq!(map.byte(chars), src.len());
        assert_eq!(map.byte(chars + 5), src.len());
        assert_eq!(map.byte(chars - 1), at(chars - 1));
        assert_eq!(map.byte(chars + 1000), src.len());
        assert_eq!(map.byte(3), at(3));
        // Long ASCII stretches between other characters: the one-addition path, its end
        // (`ascii_until`, at most 256 bytes ahead) and the walk past it.
        let long = format!("{}é{}£", "x".repeat(300), "y".repeat(50)).repeat(5);
        let long_want: Vec<usize> = long.char_indices().map(|(i, _)| i).collect();
        let long_at = |n: usize| long_want.get(n).copied().unwrap_or(long.len());
        for step in [1, 7, 100, 255, 257] {
            let map = CharToByte::new(&long);
            for n in (0..long_want.len() + 3).step_by(step) {
                assert_eq!(map.byte(n), long_at(n), "step {step} at {n}");
            }
        }
        let long_map = CharToByte::new(&long);
        let mut seed: u64 = 11;
        for _ in 0..5000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Mostly small steps either way, sometimes a long jump.
            let n = if seed >> 60 == 0 {
                (seed >> 33) as usize % (long_want.len() + 10)
            } else {
                let (c, _) = long_map.cursor.get();
                (c + (seed >> 33) as usize % 300).saturating_sub(40)
            };
            assert_eq!(long_map.byte(n), long_at(n), "random long {n}");
        }
        // A pseudo-random order.
        let mut seed: u64 = 7;
        for _ in 0..2000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = (seed >> 33) as usize % (chars + 40);
            assert_eq!(map.byte(n), at(n), "random {n}");
        }
    }

    /// Lookups in the order the parser makes them (forward, with short steps back to a node's
    /// start) step over each byte a bounded number of times: linear work in the file's size,
    /// counted rather than timed.
    #[test]
    fn lookups_in_event_order_do_linear_work() {
        let src: String = (0..20_000)
            .map(|i| format!("clé{i}: \"Zoë £{i}\"\n"))
            .collect();
        let want: Vec<usize> = src.char_indices().map(|(i, _)| i).collect();
        let map = CharToByte::new(&src);
        for n in (0..want.len()).step_by(5) {
            assert_eq!(map.byte(n), want[n]);
            let back = n.saturating_sub(3);
            assert_eq!(map.byte(back), want[back]);
        }
        assert!(
            map.stepped.get() <= 4 * src.len(),
            "{} bytes stepped over for {} bytes of text",
            map.stepped.get(),
            src.len()
        );
    }
}
